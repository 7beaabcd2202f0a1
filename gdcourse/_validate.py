"""Argument checks shared by every public function.

Each check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong shape or value) with a message that names the argument,
says what was expected and what was given. The checks are cheap: one pass
over the data at most, so they can sit in front of the vectorized code.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "describe",
    "float_array",
    "check_callable",
    "check_range",
    "check_text",
    "as_float",
    "as_matrix",
    "as_vector",
    "as_labels",
    "positive_float",
    "positive_int",
    "nonnegative_int",
]


def describe(value) -> str:
    """Short description of what the caller passed, for error messages."""
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{type(value).__name__} {value!r}"[:120]


def float_array(value, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numeric, got {describe(value)}.")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and other odd objects
        raise TypeError(f"{name} must be a numeric array, got {describe(value)}: {exc}") from None
    if arr.dtype == bool:
        arr = arr.astype(float)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise TypeError(
            f"{name} must hold real numbers (int or float), got dtype {arr.dtype} "
            f"({describe(value)})."
        )
    return arr.astype(float, copy=False)


def _check_finite(arr: np.ndarray, name: str) -> None:
    if not np.isfinite(arr).all():
        bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite, but it holds {bad} NaN or infinite value(s).")


def as_float(value, name: str) -> float:
    """Return ``value`` as a finite Python float (a scalar or a size-1 array)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got bool {value!r}.")
    if isinstance(value, numbers.Real):
        try:
            out = float(value)
        except OverflowError:           # an int such as 10**400: no float holds it
            digits = len(str(abs(int(value))))
            raise ValueError(f"{name} must be a finite number, got an int with {digits} digits "
                             "(too large for a float).") from None
    else:
        arr = float_array(value, name)
        if arr.size != 1:
            raise ValueError(f"{name} must be a single number, got {describe(value)}.")
        out = float(arr.reshape(()))
    if not np.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out!r}.")
    return out


def as_array(value, name: str) -> np.ndarray:
    """A finite float array of any shape; a scalar becomes a 0-d array (elementwise losses)."""
    if np.isscalar(value) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return np.asarray(as_float(value, name))
    arr = float_array(value, name)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got {describe(value)}.")
    _check_finite(arr, name)
    return arr


def as_matrix(value, name: str, *, rows: int | None = None, cols: int | None = None,
              rows_label: str = "n_x", cols_label: str = "m") -> np.ndarray:
    """Return ``value`` as a finite 2-D float array of shape ``(rows, cols)``.

    ``rows`` or ``cols`` set to ``None`` accept any size >= 1. A 1-D array is
    refused with an explanation of the rank-1 trap, because numpy would
    otherwise broadcast it silently into a wrong shape.
    """
    arr = _as_2d(value, name, rows, cols, rows_label, cols_label)
    _check_finite(arr, name)
    return arr


def _as_2d(value, name, rows, cols, rows_label, cols_label) -> np.ndarray:
    """The shape part of :func:`as_matrix` (no check of the values)."""
    arr = float_array(value, name)
    want = f"({rows if rows is not None else rows_label}, {cols if cols is not None else cols_label})"
    if arr.ndim == 1:
        hint = f"np.reshape({name}, (1, -1))" if rows == 1 else f"{name}.reshape({want.strip('()')})"
        raise ValueError(
            f"{name} must be a 2-D array of shape {want}, got a rank-1 array of shape "
            f"{arr.shape}. Rank-1 arrays are a classic trap: numpy broadcasts them "
            f"against column vectors into an (m, m) matrix without any error. "
            f"Reshape it, e.g. {hint}."
        )
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape {want}, got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}.")
    if (rows is not None and arr.shape[0] != rows) or (cols is not None and arr.shape[1] != cols):
        extra = ""
        if arr.shape[::-1] == (rows, cols) or (
            rows is not None and cols is None and arr.shape[1] == rows
        ):
            extra = f" It looks transposed: use {name}.T."
        raise ValueError(f"{name} must have shape {want}, got shape {arr.shape}.{extra}")
    return arr


def as_vector(value, name: str, *, length: int | None = None, min_length: int = 1) -> np.ndarray:
    """Return ``value`` as a finite 1-D float array (the linear-regression layout)."""
    arr = float_array(value, name)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of length {length if length is not None else 'n'}, "
            f"got shape {arr.shape}. Flatten it with np.ravel({name}) if that is what you mean."
        )
    if arr.size < max(min_length, 1):
        raise ValueError(f"{name} must hold at least {max(min_length, 1)} value(s), got {arr.size}.")
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have length {length} (one value per sample), got {arr.size}.")
    _check_finite(arr, name)
    return arr


def as_labels(value, name: str, *, m: int) -> np.ndarray:
    """Return labels as a float ``(1, m)`` array of zeros and ones."""
    arr = float_array(value, name)
    if arr.ndim == 2 and arr.shape[0] == 1 and arr.shape[1] != m:
        raise ValueError(f"{name} must have shape (1, m) = (1, {m}): one label per example, and "
                         f"X has m = {m} examples (columns); got {arr.shape[1]} labels, "
                         f"shape {arr.shape}.")
    arr = _as_2d(arr, name, 1, m, "1", "m")
    # One cheap pass on the hot path: 0/1 labels are finite, so the finiteness
    # check only runs to explain a failure.
    if np.count_nonzero(arr == 0.0) + np.count_nonzero(arr == 1.0) == arr.size:
        return arr
    _check_finite(arr, name)
    raise ValueError(f"{name} must contain only 0 and 1 labels, got values such as "
                     f"{np.unique(arr[~np.isin(arr, (0.0, 1.0))])[:3].tolist()}.")


def positive_float(value, name: str) -> float:
    """A finite number > 0 (learning rates, tolerances)."""
    out = as_float(value, name)
    if out <= 0:
        raise ValueError(f"{name} must be > 0, got {out!r}.")
    return out


def nonnegative_int(value, name: str) -> int:
    """A whole number >= 0 (epoch counts). Floats such as 10.0 or 1e3 are refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {describe(value)}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
    return int(value)


def positive_int(value, name: str) -> int:
    """A whole number >= 1."""
    out = nonnegative_int(value, name)
    if out < 1:
        raise ValueError(f"{name} must be >= 1, got {out}.")
    return out


def check_callable(value, name: str) -> None:
    """``TypeError`` naming ``name`` unless ``value`` can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {describe(value)}.")


def check_range(value, name: str) -> tuple[float, float]:
    """A pair ``(low, high)`` of finite numbers with ``low < high``, as two floats."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of numbers, got {describe(value)}.")
    low, high = as_float(value[0], f"{name}[0]"), as_float(value[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must have low < high, got ({low}, {high}).")
    return low, high


def check_text(value, name: str, *, optional: bool = False) -> str | None:
    """``value`` if it is a str (or None when ``optional``), else a ``TypeError`` naming it."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        kind = "a str or None" if optional else "a str"
        raise TypeError(f"{name} must be {kind}, got {describe(value)}.")
    return value
