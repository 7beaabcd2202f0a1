"""tools/code_paths.py: the portability pass must notice when its variables are ignored."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("code_paths", ROOT / "tools" / "code_paths.py")
code_paths = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(code_paths)

BUILT = ["X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"]
VARIANT = {"OPENBLAS_CORETYPE": "Nehalem", "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"}


def test_the_variant_in_effect_passes():
    assert code_paths.problems(VARIANT, BUILT, [], ["Nehalem"]) == []
    assert code_paths.problems({}, BUILT, ["X86_V3", "X86_V4"], ["SkylakeX"]) == []


def test_an_ignored_openblas_core_is_reported():
    found = code_paths.problems(VARIANT, BUILT, [], ["Haswell"])
    assert found == ["OPENBLAS_CORETYPE=Nehalem but OpenBLAS runs Haswell"]
    assert "loaded no OpenBLAS" in code_paths.problems(VARIANT, BUILT, [], [])[0]


def test_feature_names_numpy_does_not_know_are_reported():
    found = code_paths.problems({"NPY_DISABLE_CPU_FEATURES": "AVX2,X86_V4"}, BUILT, ["X86_V3"], [])
    assert len(found) == 1 and "names AVX2, which NumPy ignores" in found[0]


def test_a_target_still_in_use_is_reported():
    found = code_paths.problems(VARIANT, BUILT, ["X86_V3"], ["Nehalem"])
    assert found == ["NPY_DISABLE_CPU_FEATURES did not disable X86_V3"]


def test_this_environment_reads_without_error():
    built, in_use = code_paths.numpy_paths()
    assert built and set(in_use) <= set(built)
