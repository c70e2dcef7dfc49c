"""Which build of the engine's CPU kernels this process runs, chosen for this CPU at run time.

``scripts/install.sh`` builds llama.cpp with ``GGML_BACKEND_DL`` and ``GGML_CPU_ALL_VARIANTS``: the
CPU backend is then not linked into ``libggml`` but shipped as one library per instruction-set level
(``libggml-cpu-haswell.so``, ``-skylakex.so``, ``-icelake.so``, ``-sapphirerapids.so``, ...) next to
``libllama.so``, and one of them must be loaded before the first model is. One install then runs at
full speed on an AVX-512 server and still runs on an AVX2 laptop, with no rebuild.

llama.cpp would pick one itself (``ggml_backend_load_all``), but not from here: it searches the
executable's and the current directory, not llama-cpp-python's ``lib`` folder. Its choice would also
crash on these machines. It scores the libraries by CPUID alone (its source says "FIXME: this does not
check for OS support"), and these Xeons advertise AMX, so it takes ``sapphirerapids``, whose AMX
kernels die with SIGILL on the first prompt of two tokens or more: not for want of OS support (the
kernel grants the tile state here), but because the compiler dropped their tile configuration
(:data:`BROKEN`). So :func:`usable_features` starts from the kernel's own view (``/proc/cpuinfo``),
drops what the kernel did not enable in XCR0 (``arch_prctl(ARCH_GET_XCOMP_SUPP)``), keeps AMX only
when the kernel grants this process the tile state (``arch_prctl(ARCH_REQ_XCOMP_PERM,
XFEATURE_XTILEDATA)``; without it the first tile instruction raises SIGILL), and
:func:`choose_variant` loads the best library that is not known broken and whose every instruction
set is in that set, scored as ggml scores them. The ``cpu_variant`` setting (``SUMMARIZER_CPU_VARIANT``)
forces one by name; a variant this CPU cannot run is refused rather than loaded.

A build without variants (ggml's CPU kernels linked in: an older install, or ``CMAKE_ARGS`` without
``GGML_BACKEND_DL``) needs nothing loaded; :func:`load` then says so and does nothing.
"""

from __future__ import annotations

import ctypes
import errno
import importlib.util
import platform
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.errors import ConfigError, ModelNotInstalledError

#: The x86-64 variants ggml builds with ``GGML_CPU_ALL_VARIANTS`` and the instruction sets each one
#: is compiled for (ggml/src/CMakeLists.txt, ``ggml_add_cpu_backend_variant``). ``x64`` is the
#: baseline every x86-64 CPU runs.
X86_VARIANTS: dict[str, frozenset[str]] = {
    name: frozenset(features.split())
    for name, features in {
        "x64": "",
        "sse42": "SSE42",
        "sandybridge": "SSE42 AVX",
        "ivybridge": "SSE42 AVX F16C",
        "piledriver": "SSE42 AVX F16C FMA",
        "haswell": "SSE42 AVX F16C FMA AVX2 BMI2",
        "skylakex": "SSE42 AVX F16C FMA AVX2 BMI2 AVX512",
        "cannonlake": "SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI",
        "cascadelake": "SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VNNI",
        "icelake": "SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI",
        "cooperlake": "SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VNNI AVX512_BF16",
        "zen4": "SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI AVX512_BF16",
        "alderlake": "SSE42 AVX F16C FMA AVX2 BMI2 AVX_VNNI",
        "sapphirerapids": (
            "SSE42 AVX F16C FMA AVX2 BMI2 AVX512 AVX512_VBMI AVX512_VNNI AVX512_BF16 AMX_TILE AMX_INT8"
        ),
    }.items()
}

#: The portable variant: what scripts/install.sh built before variants (x86-64-v3), the benchmark's
#: baseline.
PORTABLE = "haswell"

#: ggml's score of each instruction set (ggml-cpu/arch/x86/cpu-feats.cpp,
#: ``ggml_backend_cpu_x86_score``): a variant scores 1 plus these weights, or 0 when the CPU lacks one
#: of its sets. AMX_TILE is required but not scored there either.
_WEIGHTS: dict[str, int] = {
    "FMA": 1,
    "F16C": 1 << 1,
    "SSE42": 1 << 2,
    "BMI2": 1 << 3,
    "AVX": 1 << 4,
    "AVX2": 1 << 5,
    "AVX_VNNI": 1 << 6,
    "AVX512": 1 << 7,
    "AVX512_VBMI": 1 << 8,
    "AVX512_BF16": 1 << 9,
    "AVX512_VNNI": 1 << 10,
    "AMX_INT8": 1 << 11,
    "AMX_TILE": 0,
}

#: ggml instruction-set name -> the ``/proc/cpuinfo`` flags it needs (ggml's AVX512 is F, CD, VL, DQ
#: and BW together).
_CPUINFO_FLAGS: dict[str, tuple[str, ...]] = {
    "SSE42": ("sse4_2",),
    "AVX": ("avx",),
    "F16C": ("f16c",),
    "FMA": ("fma",),
    "AVX2": ("avx2",),
    "BMI2": ("bmi2",),
    "AVX_VNNI": ("avx_vnni",),
    "AVX512": ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"),
    "AVX512_VBMI": ("avx512vbmi",),
    "AVX512_VNNI": ("avx512_vnni",),
    "AVX512_BF16": ("avx512_bf16",),
    "AMX_TILE": ("amx_tile",),
    "AMX_INT8": ("amx_int8",),
}

#: Register state each instruction set needs the OS to save (XCR0 bits): YMM (2) for the AVX family,
#: opmask, ZMM_Hi256 and Hi16_ZMM (5, 6, 7) for AVX-512, XTILECFG and XTILEDATA (17, 18) for AMX.
_XSTATE_BITS: dict[str, tuple[int, ...]] = {
    "AVX": (2,),
    "F16C": (2,),
    "FMA": (2,),
    "AVX2": (2,),
    "AVX_VNNI": (2,),
    "AVX512": (2, 5, 6, 7),
    "AVX512_VBMI": (2, 5, 6, 7),
    "AVX512_VNNI": (2, 5, 6, 7),
    "AVX512_BF16": (2, 5, 6, 7),
    "AMX_TILE": (17, 18),
    "AMX_INT8": (17, 18),
}
_AMX = frozenset({"AMX_TILE", "AMX_INT8"})

# arch_prctl(2) codes (asm/prctl.h) and the syscall number on x86-64.
_SYS_ARCH_PRCTL = 158
_ARCH_GET_XCOMP_SUPP = 0x1021
_ARCH_REQ_XCOMP_PERM = 0x1023
_XFEATURE_XTILEDATA = 18


@dataclass(frozen=True)
class CpuFeatures:
    """What this CPU advertises and what this process may use, as ggml names instruction sets."""

    advertised: frozenset[str]
    """Instruction sets the kernel lists for this CPU (``/proc/cpuinfo``)."""
    usable: frozenset[str]
    """Those the kernel also saves the registers of, and (AMX) grants this process."""
    notes: tuple[str, ...] = ()
    """Why an advertised set is not usable, in words."""


@dataclass(frozen=True)
class Choice:
    """The variant to load and why."""

    variant: str
    reason: str
    scores: dict[str, int] = field(default_factory=dict)
    """Every available variant's score on the usable sets (0: cannot run here)."""


@dataclass(frozen=True)
class Kernels:
    """The CPU kernels this process runs (what :func:`load` did)."""

    variant: str | None
    """Variant name (``haswell``, ``icelake``, ...), or None for a build with its kernels linked in."""
    path: Path | None
    """The library loaded, or None."""
    reason: str
    """Why this one, in words (``summarizer models`` prints it)."""

    def describe(self) -> str:
        """One line: the variant and why."""
        if self.variant is None:
            return self.reason
        return f"{self.variant} ({self.reason})"


def score(variant_features: Iterable[str], usable: Iterable[str]) -> int:
    """ggml's score of a variant on a CPU: 0 when it needs a set the CPU cannot run, else higher is
    faster (one point, plus each of its sets' weight)."""
    have = set(usable)
    needed = set(variant_features)
    if not needed <= have:
        return 0
    return 1 + sum(_WEIGHTS.get(f, 0) for f in needed)


#: Variants never chosen on their own, and why: they crash although the CPU and OS allow their
#: instructions. ggml's AMX kernels load their tile configuration from a stack struct whose row and
#: column fields GCC drops as dead stores (``ldtilecfg`` reads them, the compiler does not know), so the
#: first tile instruction of any prompt of two tokens or more raises SIGILL (llama.cpp PR #26954; seen
#: in llama-cpp-python 0.3.36 built by GCC 12; evidence in docs/benchmarks.md). Forcing one by name
#: still loads it (the benchmark measures what happens).
BROKEN: dict[str, str] = {
    "sapphirerapids": (
        "ggml's AMX kernels crash (SIGILL: tile configuration compiled away; llama.cpp PR #26954)"
    ),
}


def choose_variant(
    available: Iterable[str],
    cpu: CpuFeatures,
    forced: str | None = None,
    variants: Mapping[str, frozenset[str]] = X86_VARIANTS,
    broken: Mapping[str, str] = BROKEN,
) -> Choice:
    """The best available variant this CPU can run and that is not ``broken``, or the ``forced`` one
    if this CPU can run it.

    Raises ConfigError when ``forced`` is not built or needs a set this CPU or OS does not offer, and
    ModelNotInstalledError when no available variant can run here.
    """
    known = [v for v in available if v in variants]
    scores = {v: score(variants[v], cpu.usable) for v in known}
    if forced:
        if forced not in scores:
            raise ConfigError(
                f"CPU variant {forced!r} is not built here; available: {', '.join(sorted(scores)) or 'none'}"
            )
        if scores[forced] == 0:
            missing = sorted(variants[forced] - cpu.usable)
            raise ConfigError(
                f"CPU variant {forced!r} needs {', '.join(missing)}, which this machine cannot run"
            )
        return Choice(forced, "forced by the cpu_variant setting (SUMMARIZER_CPU_VARIANT)", scores)
    runnable = {v: s for v, s in scores.items() if s > 0 and v not in broken}
    if not runnable:
        raise ModelNotInstalledError(
            f"none of the engine's CPU variants ({', '.join(sorted(scores)) or 'none'}) runs on this CPU"
        )
    best = max(runnable, key=lambda v: (runnable[v], v))
    reason = "best of the built variants for the instruction sets this CPU and OS allow"
    # Say why ggml's own choice (CPUID alone, nothing excluded) is not the one loaded.
    naive = {v: score(variants[v], cpu.advertised) for v in known}
    naive_best = max(naive, key=lambda v: (naive[v], v))
    if naive_best != best:
        missing = sorted(variants[naive_best] - cpu.usable)
        if missing:
            reason += f"; not {naive_best}: {', '.join(missing)} advertised but not usable"
        elif naive_best in broken:
            reason += f"; not {naive_best}: {broken[naive_best]}"
    return Choice(best, reason, scores)


def _cpuinfo_flags(text: str) -> set[str]:
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.partition(":")[2].split())
    return set()


def _arch_prctl(code: int, arg: int) -> tuple[int, int]:
    """(return value, errno) of ``arch_prctl(code, arg)``."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    result = libc.syscall(ctypes.c_long(_SYS_ARCH_PRCTL), ctypes.c_long(code), ctypes.c_ulong(arg))
    return int(result), ctypes.get_errno()


def _xstate_supported() -> int | None:
    """The register-state features the kernel enabled (its XCR0 for user space), or None when the
    kernel does not say (older than 5.16)."""
    mask = ctypes.c_uint64(0)
    result, _ = _arch_prctl(_ARCH_GET_XCOMP_SUPP, ctypes.addressof(mask))
    return int(mask.value) if result == 0 else None


def _request_amx() -> str | None:
    """Ask the kernel for AMX tile state for this process (what ggml's AMX code does before its first
    tile instruction). None when granted, else why not."""
    result, err = _arch_prctl(_ARCH_REQ_XCOMP_PERM, _XFEATURE_XTILEDATA)
    if result == 0:
        return None
    return f"the kernel refuses AMX tile state ({errno.errorcode.get(err, err)})"


def usable_features() -> CpuFeatures:
    """The instruction sets this process can run, read from this machine.

    Asks the kernel for AMX tile state when the CPU advertises AMX (what ggml's AMX code does before
    its first tile instruction anyway): the answer is the only reliable test, and a grant changes
    nothing else for the process.
    """
    if not sys.platform.startswith("linux"):
        # arch_prctl and /proc/cpuinfo are Linux's; elsewhere nothing is known to be usable beyond the
        # baseline, and the x64 variant is the one that runs.
        return features_from("", None, None)
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        cpuinfo = ""
    amx_advertised = {"amx_tile", "amx_int8"} <= _cpuinfo_flags(cpuinfo)
    return features_from(cpuinfo, _xstate_supported(), _request_amx() if amx_advertised else None)


def features_from(cpuinfo: str, xstate: int | None, amx_refusal: str | None) -> CpuFeatures:
    """The instruction sets a process can run, as ggml names them, from what the machine says.

    ``cpuinfo`` is the text of /proc/cpuinfo, ``xstate`` the register state the kernel enabled (None:
    the kernel does not say), ``amx_refusal`` why the kernel refused AMX tile state (None: granted).
    """
    flags = _cpuinfo_flags(cpuinfo)
    advertised = frozenset(name for name, need in _CPUINFO_FLAGS.items() if all(f in flags for f in need))
    usable = set(advertised)
    notes: list[str] = []
    if xstate is not None:
        for name in sorted(advertised):
            off = [bit for bit in _XSTATE_BITS.get(name, ()) if not xstate >> bit & 1]
            if off:
                usable.discard(name)
                notes.append(f"{name}: the OS does not enable its registers (XCR0 bits {off})")
    elif advertised & _AMX:
        usable -= _AMX
        notes.append("AMX: the kernel does not report its register state (older than 5.16)")
    if usable & _AMX and amx_refusal is not None:
        usable -= _AMX
        notes.append(f"AMX: {amx_refusal}")
    return CpuFeatures(advertised, frozenset(usable), tuple(notes))


def engine_lib_dir() -> Path | None:
    """llama-cpp-python's library folder (``llama_cpp/lib``), without importing it; None when it is
    not installed."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "lib"


_VARIANT_FILE = re.compile(r"^libggml-cpu-(?P<name>[A-Za-z0-9_.]+)\.so$")


def available_variants(lib_dir: Path | None = None) -> dict[str, Path]:
    """The CPU variant libraries installed with the engine: name -> path (empty for a build with its
    kernels linked in)."""
    lib_dir = lib_dir or engine_lib_dir()
    if lib_dir is None or not lib_dir.is_dir():
        return {}
    found = {}
    for path in lib_dir.iterdir():
        match = _VARIANT_FILE.match(path.name)
        if match:
            found[match["name"]] = path
    return found


_lock = threading.Lock()
_loaded: Kernels | None = None


def load(forced: str | None = None) -> Kernels:
    """Load the CPU kernels for this process, once (later calls return what the first one did).

    Must run before the engine's first model: ``EmbeddedBackend`` and ``summarizer models`` call it.
    ``forced`` (``Settings.cpu_variant``) names a variant to load instead of the best.
    """
    global _loaded
    with _lock:
        if _loaded is not None:
            if forced and _loaded.variant not in (None, forced):
                raise ConfigError(
                    f"CPU variant {forced!r} asked for, but this process already runs {_loaded.variant!r}"
                )
            return _loaded
        _loaded = _load(forced)
        return _loaded


def plan(forced: str | None = None) -> Kernels:
    """What :func:`load` would load in a fresh process, without loading anything: the variant, its
    library and why. ``path`` is None for a build with its kernels linked in, and off x86-64 (where
    ggml's own choice among the variants is used)."""
    lib_dir = engine_lib_dir()
    variants = available_variants(lib_dir)
    if not variants:
        if forced:
            raise ConfigError(f"CPU variant {forced!r} asked for, but this engine is built without variants")
        return Kernels(None, None, "CPU kernels built into the engine (no per-CPU variants installed)")
    if platform.machine().lower() not in ("x86_64", "amd64"):
        # The variant table above is x86-64's; elsewhere ggml's own choice is the only one.
        if forced:
            raise ConfigError(f"CPU variant {forced!r}: forcing a variant is supported on x86-64 only")
        return Kernels(None, None, f"CPU kernels chosen by ggml among the variants in {lib_dir}")
    choice = choose_variant(variants, usable_features(), forced)
    return Kernels(choice.variant, variants[choice.variant], choice.reason)


def _load(forced: str | None) -> Kernels:
    planned = plan(forced)
    lib_dir = engine_lib_dir()
    if not available_variants(lib_dir):
        return planned
    ggml = _libggml(lib_dir)
    if ggml.ggml_backend_reg_count() > 0:
        # Something (llama_backend_init's own search) already registered a backend in this process.
        return Kernels(None, None, "CPU kernels already loaded in this process before summarizer chose")
    if planned.path is None:
        ggml.ggml_backend_load_all_from_path(str(lib_dir).encode())
        if ggml.ggml_backend_reg_count() == 0:
            raise ModelNotInstalledError(f"the engine found no CPU kernels it can run in {lib_dir}")
        return planned
    if not ggml.ggml_backend_load(str(planned.path).encode()):
        raise ModelNotInstalledError(f"the engine could not load its CPU kernels {planned.path}")
    return planned


def _libggml(lib_dir: Path | None) -> ctypes.CDLL:
    """ggml's registry functions, as libllama sees them.

    The wheel holds libggml as copies (``libggml.so``, ``.so.0``, ...), not links, and the dynamic
    loader keeps one instance per file: opening ``libggml.so`` would give a second ggml with its own,
    empty, backend registry. So the symbols are looked up through libllama, the library
    llama-cpp-python loads, whose lookup scope is the libggml it was linked with.
    """
    assert lib_dir is not None
    import llama_cpp  # noqa: F401  (loads libllama and its libggml first, from their folder)

    ggml = ctypes.CDLL(str(lib_dir / "libllama.so"))
    ggml.ggml_backend_load.argtypes = [ctypes.c_char_p]
    ggml.ggml_backend_load.restype = ctypes.c_void_p
    ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
    ggml.ggml_backend_load_all_from_path.restype = None
    ggml.ggml_backend_reg_count.argtypes = []
    ggml.ggml_backend_reg_count.restype = ctypes.c_size_t
    return ggml


if __name__ == "__main__":
    # For processes that start the engine without summarizer (scripts/record-cassettes.sh runs
    # llama-cpp-python's server): print the library to load, for ggml's GGML_BACKEND_PATH.
    planned = plan(sys.argv[1] if len(sys.argv) > 1 else None)
    print(planned.path or "")
    print(f"cpu kernels: {planned.describe()}", file=sys.stderr)
