"""Issue #11 step 4: the engine's CPU kernels are chosen for this CPU at run time, and never one whose
instructions the CPU advertises but the operating system does not let the process run.

The choice is pure (machine facts in, variant out), so these tests need no engine: the CPUs below are
the flags lines of real /proc/cpuinfo files, cut to the flags that matter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import ConfigError, ModelNotInstalledError
from summarizer.llm.kernels import (
    BROKEN,
    PORTABLE,
    X86_VARIANTS,
    available_variants,
    choose_variant,
    features_from,
    score,
)

_BASE = "fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt"
_AVX2 = f"{_BASE} avx f16c fma avx2 bmi1 bmi2"
_AVX512 = f"{_AVX2} avx512f avx512cd avx512vl avx512dq avx512bw"
#: The Intel Xeon (Sapphire Rapids, under KVM) these machines run on.
SAPPHIRE_RAPIDS = (
    f"flags\t\t: {_AVX512} avx512ifma avx_vnni avx512_bf16 avx512vbmi avx512_vnni amx_bf16 amx_tile amx_int8"
)
#: An AMD EPYC (Zen 4): AVX-512 with VBMI, VNNI and BF16, no AMX.
ZEN4 = f"flags\t\t: {_AVX512} avx512ifma avx512vbmi avx512_vnni avx512_bf16"
#: A 2013-2016 laptop or desktop: AVX2, no AVX-512.
HASWELL = f"flags\t\t: {_AVX2}"
#: Full register state: x87, SSE, AVX, opmask, ZMM (bits 0-2, 5-7) and AMX tiles (17, 18).
XSTATE_ALL = 0x600E7
#: A hypervisor that enables AVX but not the AVX-512 or AMX state.
XSTATE_AVX_ONLY = 0x7


def test_amx_granted_gives_the_amx_variant_unless_it_is_known_broken() -> None:
    cpu = features_from(SAPPHIRE_RAPIDS, XSTATE_ALL, amx_refusal=None)
    assert {"AMX_TILE", "AMX_INT8"} <= cpu.usable
    assert choose_variant(X86_VARIANTS, cpu, broken={}).variant == "sapphirerapids"
    # ggml's AMX kernels in this engine die with SIGILL on these machines: the next best is taken.
    choice = choose_variant(X86_VARIANTS, cpu)
    assert choice.variant == "zen4"
    assert choice.reason.endswith(f"not sapphirerapids: {BROKEN['sapphirerapids']}")


def test_amx_advertised_but_refused_gives_the_best_variant_without_it() -> None:
    cpu = features_from(SAPPHIRE_RAPIDS, XSTATE_ALL, amx_refusal="the kernel refuses AMX tile state (EPERM)")
    assert {"AMX_TILE", "AMX_INT8"} <= cpu.advertised
    assert not {"AMX_TILE", "AMX_INT8"} & cpu.usable
    choice = choose_variant(X86_VARIANTS, cpu, broken={})
    # ggml's CPUID-only scoring would take sapphirerapids here; the choice says why it did not.
    assert choice.variant == "zen4"
    assert "not sapphirerapids: AMX_INT8, AMX_TILE advertised but not usable" in choice.reason
    assert choice.scores["sapphirerapids"] == 0


def test_kernel_too_old_to_report_register_state_means_no_amx() -> None:
    cpu = features_from(SAPPHIRE_RAPIDS, None, amx_refusal=None)
    assert choose_variant(X86_VARIANTS, cpu, broken={}).variant == "zen4"
    assert any("AMX" in note for note in cpu.notes)


def test_avx512_registers_not_enabled_by_the_os() -> None:
    cpu = features_from(SAPPHIRE_RAPIDS, XSTATE_AVX_ONLY, amx_refusal=None)
    assert "AVX512" in cpu.advertised and "AVX512" not in cpu.usable
    # AVX-VNNI is a 256-bit set: its state is enabled, so alderlake beats haswell.
    assert choose_variant(X86_VARIANTS, cpu).variant == "alderlake"


def test_amd_epyc_gets_zen4_and_a_laptop_gets_haswell() -> None:
    assert choose_variant(X86_VARIANTS, features_from(ZEN4, XSTATE_ALL, None)).variant == "zen4"
    haswell = choose_variant(X86_VARIANTS, features_from(HASWELL, XSTATE_ALL, None))
    assert haswell.variant == PORTABLE == "haswell"
    assert {v for v, s in haswell.scores.items() if s > 0} == {
        "x64",
        "sse42",
        "sandybridge",
        "ivybridge",
        "piledriver",
        "haswell",
    }


def test_only_the_variants_built_are_considered() -> None:
    cpu = features_from(SAPPHIRE_RAPIDS, XSTATE_ALL, None)
    assert choose_variant(["x64", "haswell", "skylakex"], cpu).variant == "skylakex"
    assert choose_variant(["x64", "sse42"], cpu).variant == "sse42"
    # A library of a variant this table does not know (a newer ggml) is ignored, not guessed at.
    assert choose_variant(["x64", "haswell", "graniterapids"], cpu).variant == "haswell"


def test_scores_are_ggmls() -> None:
    # ggml_backend_cpu_x86_score: 1 + FMA 1 + F16C 2 + SSE42 4 + BMI2 8 + AVX 16 + AVX2 32.
    assert score(X86_VARIANTS["haswell"], X86_VARIANTS["haswell"]) == 64
    assert score(X86_VARIANTS["x64"], set()) == 1
    assert score(X86_VARIANTS["sapphirerapids"], X86_VARIANTS["zen4"]) == 0
    assert score(X86_VARIANTS["sapphirerapids"], X86_VARIANTS["sapphirerapids"]) == 4032


def test_a_forced_variant_is_loaded_only_if_it_can_run() -> None:
    cpu = features_from(SAPPHIRE_RAPIDS, XSTATE_ALL, "the kernel refuses AMX tile state (EPERM)")
    assert choose_variant(X86_VARIANTS, cpu, forced="haswell").variant == "haswell"
    granted = features_from(SAPPHIRE_RAPIDS, XSTATE_ALL, None)
    assert choose_variant(X86_VARIANTS, granted, forced="sapphirerapids").variant == "sapphirerapids"
    with pytest.raises(ConfigError, match="AMX_INT8"):
        choose_variant(X86_VARIANTS, cpu, forced="sapphirerapids")
    with pytest.raises(ConfigError, match="not built"):
        choose_variant(["x64", "haswell"], cpu, forced="icelake")


def test_no_runnable_variant_is_an_install_error() -> None:
    with pytest.raises(ModelNotInstalledError, match="runs on this CPU"):
        choose_variant(["haswell", "skylakex"], features_from("flags\t\t: fpu sse sse2", None, None))


def test_variant_libraries_are_found_by_name(tmp_path: Path) -> None:
    for name in (
        "libggml-cpu-haswell.so",
        "libggml-cpu-sapphirerapids.so",
        "libggml-cpu.so",
        "libggml-base.so",
        "libggml-base.so.0",
        "libllama.so",
    ):
        (tmp_path / name).write_bytes(b"")
    assert available_variants(tmp_path) == {
        "haswell": tmp_path / "libggml-cpu-haswell.so",
        "sapphirerapids": tmp_path / "libggml-cpu-sapphirerapids.so",
    }
    assert available_variants(tmp_path / "missing") == {}
