"""gdcourse.digits: the printing rules that keep stored notebook outputs the same on any CPU."""

import math

import numpy as np
import pytest

from gdcourse.digits import counted, fixed, largest_difference, small


def test_fixed_never_prints_a_signed_zero():
    # The two sides of zero that two machines' rounding may land on print the same.
    assert fixed(-3e-17) == fixed(3e-17) == "0.0000"
    assert fixed(-3e-17, signed=True) == fixed(3e-17, signed=True) == "+0.0000"
    assert fixed(-0.0, 2) == "0.00"


def test_fixed_keeps_real_values_and_their_sign():
    assert fixed(0.32794, signed=True) == "+0.3279"
    assert fixed(-236.37634) == "-236.3763"
    assert fixed(-0.00006, 4) == "-0.0001"          # rounds away from zero: a real value
    assert fixed(2.5, 0) == "2"                     # Python's round-half-even, as f-strings do
    assert fixed(np.float64(1.23456), 2) == "1.23"
    assert fixed(math.nan) == "nan" and fixed(-math.inf) == "-inf"


def test_counted_chooses_singular_only_for_exactly_one():
    assert counted(1, "update") == "1 update"
    assert counted(1.0, "year") == "1 year"
    assert counted(np.int64(5), "update") == "5 updates"
    assert counted(0, "epoch") == "0 epochs"
    assert counted(2.5, "year") == "2.5 years"
    assert counted(3, "matrix", plural="matrices") == "3 matrices"


def test_small_hides_noise_of_either_sign_below_the_floor():
    assert small(1e-17) == small(-1e-17) == small(0.0) == "< 1e-12"
    assert small(1.001e-32, floor=1e-25) == "< 1e-25"
    assert small(3.14e-2) == "3.1e-02"
    assert small(1.3e-9, spec=".2e") == "1.30e-09"
    assert small(-5.0) == "-5.0e+00"                 # a genuine negative value is shown
    assert small(math.inf) == "inf"


def test_largest_difference_walks_matching_structures():
    a = ({"dw": np.array([[1.0], [2.0]]), "db": 0.5}, 0.25)
    b = ({"db": 0.5 + 1e-3, "dw": np.array([[1.0], [2.0 - 4e-3]])}, 0.25)
    assert largest_difference(a, b) == pytest.approx(4e-3, rel=1e-9)
    assert largest_difference(a, a) == 0.0
    assert largest_difference([], []) == 0.0
    assert largest_difference(np.float64(1.0), 1) == 0.0


def test_largest_difference_reports_nan_and_inf_as_disagreement():
    assert math.isnan(largest_difference([1.0, math.nan], [1.0, 1.0]))
    assert not largest_difference(math.inf, math.inf) < 1e-12     # inf - inf is no match
    assert largest_difference(math.inf, 1.0) == math.inf


@pytest.mark.parametrize("a, b, kind, words", [
    (np.ones((2, 1)), np.ones((1, 2)), ValueError, "same shape, got (2, 1) and (1, 2)"),
    (np.ones(3), np.ones((3, 1)), ValueError, "nothing is broadcast"),
    ({"dw": 1.0}, {"db": 1.0}, ValueError, "same keys"),
    ({"dw": 1.0}, 1.0, TypeError, "both be dicts"),
    ((1.0, 2.0), (1.0,), ValueError, "same length, got 2 and 1"),
    ("1.0", 1.0, TypeError, "a must be numeric, got str"),
    (1.0, True, TypeError, "b must be numeric, got bool"),
    ({"dw": np.array([1j])}, {"dw": np.array([1.0])}, TypeError, "a['dw'] must hold real numbers"),
])
def test_largest_difference_refuses_mismatched_input(a, b, kind, words):
    with pytest.raises(kind) as err:
        largest_difference(a, b)
    assert words in str(err.value)


@pytest.mark.parametrize("call, kind, words", [
    (lambda: fixed("x"), TypeError, "value must be numeric"),
    (lambda: fixed(True), TypeError, "value must be a real number, got bool"),
    (lambda: fixed(1.0, 2.0), TypeError, "decimals must be an int"),
    (lambda: fixed(1.0, -1), ValueError, "decimals must be >= 0"),
    (lambda: fixed(1.0, 50), ValueError, "decimals must be at most 20"),
    (lambda: fixed(1.0, signed="yes"), TypeError, "signed must be True or False"),
    (lambda: fixed(np.ones(2)), ValueError, "value must be a single number"),
    (lambda: small(1.0, floor=0.0), ValueError, "floor must be > 0"),
    (lambda: small(1.0, floor=math.nan), ValueError, "floor must be finite"),
    (lambda: small(10 ** 400), ValueError, "fit in a float64"),
    (lambda: small(1.0, spec=3), TypeError, "spec must be a format specification"),
    (lambda: counted(math.inf, "update"), ValueError, "number must be finite"),
    (lambda: counted(2, ""), TypeError, "noun must be a non-empty string"),
    (lambda: counted(2, "matrix", plural=3), TypeError, "plural must be a non-empty string"),
    (lambda: counted("2", "update"), TypeError, "number must be numeric"),
])
def test_bad_arguments_get_clear_errors(call, kind, words):
    with pytest.raises(kind) as err:
        call()
    assert words in str(err.value)
