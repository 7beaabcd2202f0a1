"""Numbers as the notebooks print them: only digits that every machine computes alike.

A notebook's stored output is compared as text (nbval), on the learner's machine as on
ours. Basic arithmetic is exactly rounded everywhere, but ``exp``, ``log``, sums and matrix
products are not: NumPy and OpenBLAS pick different SIMD code paths on different CPUs, and
the last bits of a result change with them. So a notebook never prints a rounding error
itself. It prints

- a verdict against a stated tolerance: ``largest_difference(a, b) < 1e-12``;
- a small quantity only down to a floor below which it is rounding noise: :func:`small`;
- fixed decimals that never show a noise-sized value as ``-0.0000``: :func:`fixed`;
- a count with its noun in the right number ("1 update", "5 updates"): :func:`counted`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

from ._validate import describe, as_float, nonnegative_int, positive_float

_MAX_DECIMALS = 20

__all__ = ["largest_difference", "small", "fixed", "counted"]


def largest_difference(a, b) -> float:
    """The largest absolute difference between two results of the same shape.

    Parameters
    ----------
    a, b : float, array, or dict / tuple / list of those
        Two results to compare, with the same structure: dicts with the same keys,
        sequences of the same length, arrays of the same shape (nothing broadcasts).
        For example two ``(grads, cost)`` pairs from two implementations of one gradient.

    Returns
    -------
    float
        ``max |a - b|`` over every number in the structure; ``nan`` when either side holds
        a NaN (so that ``largest_difference(a, b) < tol`` is then False), ``0.0`` when the
        structures hold no numbers.
    """
    return _largest(a, b, "a", "b")


def _largest(a, b, name_a: str, name_b: str) -> float:
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        if not (isinstance(a, Mapping) and isinstance(b, Mapping)):
            raise TypeError(f"{name_a} and {name_b} must both be dicts or neither, "
                            f"got {describe(a)} and {describe(b)}.")
        if set(a) != set(b):
            raise ValueError(f"{name_a} and {name_b} must have the same keys, got "
                             f"{sorted(map(str, a))} and {sorted(map(str, b))}.")
        return _max(_largest(a[k], b[k], f"{name_a}[{k!r}]", f"{name_b}[{k!r}]") for k in a)
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        if not (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list))):
            raise TypeError(f"{name_a} and {name_b} must both be sequences or neither, "
                            f"got {describe(a)} and {describe(b)}.")
        if len(a) != len(b):
            raise ValueError(f"{name_a} and {name_b} must have the same length, "
                             f"got {len(a)} and {len(b)}.")
        return _max(_largest(x, y, f"{name_a}[{i}]", f"{name_b}[{i}]")
                    for i, (x, y) in enumerate(zip(a, b)))
    arr_a, arr_b = _numeric(a, name_a), _numeric(b, name_b)
    if arr_a.shape != arr_b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got "
                         f"{arr_a.shape} and {arr_b.shape} (nothing is broadcast).")
    if arr_a.size == 0:
        return 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(arr_a - arr_b)          # inf - inf is nan: a disagreement, not a match
    return float(np.max(diff))


def _numeric(value, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be numeric, got {describe(value)}.")
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got {describe(value)}.")
    return arr.astype(float)


def _max(values) -> float:
    out = 0.0
    for v in values:
        if math.isnan(v):
            return math.nan
        out = max(out, v)
    return out


def small(value, floor: float = 1e-12, spec: str = ".1e") -> str:
    """A small quantity as text, or ``"< floor"`` when it is below the rounding-noise floor.

    Parameters
    ----------
    value : float
        The quantity, for example ``|w - w*|`` or ``J - J*``. Values with
        ``|value| < floor`` (noise of either sign included) print as ``"< 1e-12"``.
    floor : float, optional
        The level below which the value is rounding noise, 1e-12 by default.
    spec : str, optional
        Format specification for values at or above the floor, ``".1e"`` by default.

    Returns
    -------
    str
        For example ``"3.1e-02"`` or ``"< 1e-12"``.
    """
    value = _real(value, "value")
    floor = positive_float(_real(floor, "floor"), "floor")
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a format specification such as '.1e', got {describe(spec)}.")
    if abs(value) < floor:
        return f"< {floor:g}"
    return format(value, spec)


def fixed(value, decimals: int = 4, *, signed: bool = False) -> str:
    """``value`` with a fixed number of decimals; a value that rounds to zero shows no sign.

    ``f"{-3e-17:.4f}"`` gives ``"-0.0000"`` on a machine whose rounding lands below zero and
    ``"0.0000"`` on one that lands above: :func:`fixed` gives ``"0.0000"`` on both.

    Parameters
    ----------
    value : float
    decimals : int, optional
        Digits after the decimal point, 4 by default.
    signed : bool, optional
        Put ``+`` before positive values (and before zero), as the ``+`` format flag does.

    Returns
    -------
    str
    """
    value = _real(value, "value")
    decimals = nonnegative_int(decimals, "decimals")
    if decimals > _MAX_DECIMALS:
        raise ValueError(f"decimals must be at most {_MAX_DECIMALS} (a float64 holds about 16 "
                         f"significant digits), got {decimals}.")
    if not isinstance(signed, (bool, np.bool_)):
        raise TypeError(f"signed must be True or False, got {describe(signed)}.")
    text = f"{value:{'+' if signed else ''}.{decimals}f}"
    if math.isfinite(value) and float(text) == 0:
        text = f"{0.0:{'+' if signed else ''}.{decimals}f}"
    return text


def counted(number, noun: str, plural: str | None = None) -> str:
    """``number`` followed by ``noun``, singular for exactly 1 and plural otherwise.

    Parameters
    ----------
    number : int or float
        The count. A float with no fractional part prints as an integer (``1.0`` -> ``"1"``).
    noun : str
        The singular noun, for example ``"update"``.
    plural : str, optional
        The plural, when it is not ``noun + "s"`` (for example ``"matrices"``).

    Returns
    -------
    str
        For example ``counted(1, "year")`` is ``"1 year"`` and ``counted(5, "update")``
        is ``"5 updates"``; ``counted(0, "update")`` is ``"0 updates"``.
    """
    value = _real(number, "number")
    if not math.isfinite(value):
        raise ValueError(f"number must be finite, got {value!r}.")
    if not isinstance(noun, str) or not noun.strip():
        raise TypeError(f"noun must be a non-empty string such as 'update', got {describe(noun)}.")
    if plural is not None and (not isinstance(plural, str) or not plural.strip()):
        raise TypeError(f"plural must be a non-empty string or None, got {describe(plural)}.")
    text = str(int(value)) if value.is_integer() else f"{value:g}"
    return f"{text} {noun if value == 1 else (plural or noun + 's')}"


def _real(value, name: str) -> float:
    """A real number as a float; NaN and infinities pass (they print as such)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got bool {value!r}.")
    if isinstance(value, numbers.Real):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"{name} must fit in a float64, got an integer of "
                             f"{len(str(abs(int(value))))} digits.") from None
    try:
        return as_float(value, name)
    except ValueError:
        arr = np.asarray(value)
        if arr.size == 1 and arr.dtype.kind == "f":
            return float(arr.reshape(()))
        raise
