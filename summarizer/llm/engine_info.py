"""What the embedded engine is: installed or not, its version, and the CPU features it was built for."""

from __future__ import annotations

import importlib.metadata


def engine_version() -> str | None:
    """Installed llama-cpp-python version, or None."""
    try:
        return importlib.metadata.version("llama-cpp-python")
    except importlib.metadata.PackageNotFoundError:
        return None


def engine_status() -> str:
    """One line about the engine, e.g. ``llama-cpp-python 0.3.36 (system info: AVX2 = 1 ...)``."""
    version = engine_version()
    if version is None:
        return "llama-cpp-python not installed (run: bash scripts/install.sh)"
    try:
        import llama_cpp

        info = llama_cpp.llama_print_system_info().decode(errors="replace").strip()
    except Exception as e:  # a broken build: say so rather than crash the listing
        return f"llama-cpp-python {version} (cannot load: {e})"
    return f"llama-cpp-python {version} [{info}]"
