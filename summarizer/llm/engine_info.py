"""What the embedded engine is: installed or not, its version, and the CPU kernels it runs."""

from __future__ import annotations

import importlib.metadata


def engine_version() -> str | None:
    """Installed llama-cpp-python version, or None."""
    try:
        return importlib.metadata.version("llama-cpp-python")
    except importlib.metadata.PackageNotFoundError:
        return None


def engine_status(cpu_variant: str | None = None) -> str:
    """One line about the engine, e.g. ``llama-cpp-python 0.3.36 [CPU : SSE3 = 1 | AVX2 = 1 ...]``.

    Loads the engine's CPU kernels first (:func:`summarizer.llm.kernels.load`; ``cpu_variant`` forces
    one): a build with per-CPU variants has no CPU backend, and so no features to list, until then.
    """
    version = engine_version()
    if version is None:
        return "llama-cpp-python not installed (run: bash scripts/install.sh)"
    try:
        from summarizer.llm.kernels import load

        load(cpu_variant)
        import llama_cpp

        info = llama_cpp.llama_print_system_info().decode(errors="replace").strip()
    except Exception as e:  # a broken build: say so rather than crash the listing
        from summarizer.errors import one_line

        return f"llama-cpp-python {version} (cannot load: {one_line(e)})"
    return f"llama-cpp-python {version} [{info}]"


def kernels_status(cpu_variant: str | None = None) -> str:
    """One line about the CPU kernels this process runs and why (``summarizer models`` prints it)."""
    if engine_version() is None:
        return "none (the engine is not installed)"
    from summarizer.errors import one_line
    from summarizer.llm.kernels import load

    try:
        return load(cpu_variant).describe()
    except Exception as e:
        return f"cannot load: {one_line(e)}"
