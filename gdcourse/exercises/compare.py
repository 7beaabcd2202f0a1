"""Layered comparison of a learner's result with the reference.

Every comparison answers three questions, in this order, and stops at the
first that fails:

1. **Type and shape.** Is it a number where a number is asked (any NumPy
   float or int is fine), an array of the right shape where an array is
   asked? A rank-1 ``(n,)`` array where ``(n, 1)`` is expected, a transposed
   array, or a ``(1, 1)`` array where a number is asked, gets its own
   explanation.
2. **Values**, with the tolerance stated and the largest error shown (and
   where a value is NaN or infinite though the right one is finite).
3. **Why**, for the classic mistakes: the caller passes the results those
   mistakes would give (``Mistake("forgot to divide by m", m * dw)``); if the
   learner's value matches one of them, its hint is added.

The result is a :class:`Part` (a score and a message). A part scores 1 when
its value is right, 0 when it is wrong, and :data:`SHAPE_SLIP_CREDIT` when the
values are right but the shape or type is not (one rule for every such slip:
transposed, rank-1, a (1, 1) array for a number or the other way round). A
test case is a weighted set of parts, combined by :func:`combine`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..digits import counted
from .values import describe

__all__ = ["Mistake", "Part", "Outcome", "Tolerance", "number", "array", "sequence", "choice",
           "combine", "fail", "unpack", "SHAPE_SLIP_CREDIT"]

#: Credit for a part whose values are right but whose shape or type is not.
SHAPE_SLIP_CREDIT = 0.5
#: What a shape slip's message says about credit (a practice task's check drops it).
SLIP_CREDIT = " (half credit for this part until the shape is right)"
_SLIP_NOTE = "The values are right: {fix}" + SLIP_CREDIT + "."


@dataclass(frozen=True)
class Tolerance:
    """``|got - want| <= atol + rtol * |want|``, elementwise."""

    rtol: float = 1e-6
    atol: float = 1e-9

    def __str__(self) -> str:
        return f"rtol {self.rtol:g}, atol {self.atol:g}"

    def allowed(self, want) -> np.ndarray:
        return self.atol + self.rtol * np.abs(want)


@dataclass(frozen=True)
class Mistake:
    """What a classic mistake would return, and the hint to give if the learner's value matches."""

    hint: str
    value: object


@dataclass
class Part:
    """The verdict on one output of one case."""

    label: str
    ok: bool
    message: str = ""
    error: float | None = None       # largest absolute error, when values were compared
    tolerance: str = ""              # the tolerance the values were compared with
    slip: bool = False               # right values, wrong shape or type: partial credit

    @property
    def score(self) -> float:
        if self.ok:
            return 1.0
        return SHAPE_SLIP_CREDIT if self.slip else 0.0


@dataclass
class Outcome:
    """The verdict on one case: a score in [0, 1] and a message ('' when all is right)."""

    score: float
    message: str = ""
    error: float | None = None
    parts: list = field(default_factory=list)

    @property
    def tolerances(self) -> list:
        return list(dict.fromkeys(p.tolerance for p in self.parts if p.tolerance))

    @property
    def ok(self) -> bool:
        return self.score >= 1.0 - 1e-12


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_number(value):
    """A float for numbers (Python or NumPy) and 0-d arrays; None otherwise."""
    if _is_number(value) or isinstance(value, (np.floating, np.integer)):
        return float(value)
    if isinstance(value, np.ndarray) and value.shape == ():
        return float(value)
    return None


def _close(got, want, tol: Tolerance) -> bool:
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return False
    same_nonfinite = (~np.isfinite(want)) & (got == want)
    both_nan = np.isnan(got) & np.isnan(want)
    diff = np.abs(got - want)
    with np.errstate(invalid="ignore"):
        fine = diff <= tol.allowed(want)
    return bool(np.all(fine | same_nonfinite | both_nan))


def _matching_hint(got, want, mistakes: Sequence[Mistake], tol: Tolerance) -> str:
    for mistake in mistakes:
        if mistake.value is None:
            continue
        alt = np.asarray(mistake.value, dtype=float)
        if np.shape(got) != alt.shape:
            continue
        if _close(alt, want, tol):        # the mistake makes no difference on this case
            continue
        if _close(got, alt, tol):
            return mistake.hint
    return ""


def _largest_error(got, want):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(got - want)
    diff = np.where(np.isnan(diff), np.inf, diff)
    if diff.ndim == 0:
        return float(diff), None
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return float(diff[idx]), tuple(int(i) for i in idx)


def _fmt(x: float, tol: "Tolerance | None" = None, digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits; a value within ``tol.atol`` of 0 is printed as 0,
    since its digits are rounding noise (they differ from one machine to the next)."""
    if not math.isfinite(x):
        return str(x)
    if tol is not None and abs(x) <= tol.atol:
        return "0"
    return f"{x:.{digits}g}"


def _fmt_pair(got: float, want: float, tol: "Tolerance") -> tuple:
    """``got`` and ``want`` with as few digits as show that they differ (3 at least)."""
    for digits in range(3, 13):
        pair = _fmt(got, tol, digits), _fmt(want, tol, digits)
        if pair[0] != pair[1]:
            break
    return pair


def _nonfinite(got, want) -> str:
    """Where ``got`` is NaN or infinite though ``want`` is finite (or '')."""
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return ""
    bad = ~np.isfinite(got) & np.isfinite(want)
    if not bad.any():
        return ""
    kind = "NaN" if np.isnan(got[bad]).any() else "infinite"
    if got.ndim == 0:
        return f" It is {kind}, but the right value is finite."
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    count = int(bad.sum())
    return (f" It has {counted(count, kind + ' value')} (first at index {idx}) where the right "
            "values are finite.")


def number(got, want: float, label: str, *, tol: Tolerance = Tolerance(),
           mistakes: Sequence[Mistake] = ()) -> Part:
    """Judge a value that should be one number (a Python or NumPy float or int)."""
    value = _as_number(got)
    want = float(want)
    if value is None:
        if isinstance(got, np.ndarray) and got.size == 1:
            msg = (f"{label} should be a number, got an array of shape {got.shape}; return a "
                   "float, e.g. float(np.sum(...)) or ...item().")
            if _close(got.item(), want, tol):
                return Part(label, False, msg + " " + _SLIP_NOTE.format(fix=f"return "
                            f"{label}.item()"), tolerance=str(tol), slip=True)
            return Part(label, False, msg)
        return Part(label, False, f"{label} should be a number, got {describe(got)}.")
    err = abs(value - want) if math.isfinite(value) else math.inf
    if _close(value, want, tol):
        return Part(label, True, error=err if math.isfinite(err) else 0.0, tolerance=str(tol))
    shown, expected = _fmt_pair(value, want, tol)
    msg = (f"{label} is {shown}, expected {expected} "
           f"(error {_fmt(err)}, allowed {_fmt(float(tol.allowed(want)))})."
           + _nonfinite(value, want))
    hint = _matching_hint(value, want, mistakes, tol)
    return Part(label, False, msg + (f" Hint: {hint}" if hint else ""), err, str(tol))


def array(got, want: np.ndarray, label: str, *, tol: Tolerance = Tolerance(),
          mistakes: Sequence[Mistake] = ()) -> Part:
    """Judge a value that should be a NumPy array of ``want``'s shape."""
    want = np.asarray(want, dtype=float)
    if isinstance(got, (list, tuple)):
        return Part(label, False, f"{label} should be a NumPy array of shape {want.shape}, "
                    f"got {describe(got)}; wrap it in np.array(...).")
    if _is_number(got) and want.size == 1:
        msg = f"{label} should be an array of shape {want.shape}, got a single number."
        if _close(np.full(want.shape, float(got)), want, tol):
            target = ", ".join(str(d) for d in want.shape)
            return Part(label, False, msg + " " + _SLIP_NOTE.format(
                fix=f"return np.full(({target}), {label})"), tolerance=str(tol), slip=True)
        return Part(label, False, msg)
    if not isinstance(got, np.ndarray):
        return Part(label, False, f"{label} should be a NumPy array of shape {want.shape}, "
                    f"got {describe(got)}.")
    if got.shape != want.shape:
        msg = f"{label} has shape {got.shape}, expected {want.shape}."
        target = ", ".join(str(d) for d in want.shape)
        if got.ndim == 1 and got.size == want.size:
            msg += (" It is a rank-1 array: a classic trap, because NumPy broadcasts it against "
                    "column vectors into a matrix without any error. Keep the column shape, "
                    f"e.g. {label}.reshape({target}).")
            if _close(got.reshape(want.shape), want, tol):
                return Part(label, False, msg + " " + _SLIP_NOTE.format(
                    fix=f"return {label}.reshape({target})"), tolerance=str(tol), slip=True)
        elif want.ndim == 2 and got.shape == want.shape[::-1]:
            msg += (f" It looks transposed: {label} must have the shape of the thing it is the "
                    "gradient of (one row per feature).")
            if _close(got.T, want, tol):
                return Part(label, False, msg + " " + _SLIP_NOTE.format(fix=f"return {label}.T"),
                            tolerance=str(tol), slip=True)
        elif got.size == want.size:
            if _close(got.reshape(want.shape), want, tol):
                return Part(label, False, msg + " " + _SLIP_NOTE.format(
                    fix=f"return {label}.reshape({target})"), tolerance=str(tol), slip=True)
        elif got.size == want.size * want.size or (want.ndim == 2 and got.ndim == 2
                                                   and got.shape[0] == got.shape[1] != 1):
            msg += (" A square result usually comes from a rank-1 array broadcast against a "
                    "column: check the shapes of the arrays you multiply.")
        return Part(label, False, msg)
    if _close(got, want, tol):
        err, _ = _largest_error(got, want)
        return Part(label, True, error=err, tolerance=str(tol))
    err, idx = _largest_error(got, want)
    where = f" at index {idx}" if idx is not None else ""
    msg = (f"{label} values are wrong: largest error {_fmt(err)}{where} "
           f"(allowed {tol})." + _nonfinite(got, want))
    hint = _matching_hint(got, want, mistakes, tol)
    return Part(label, False, msg + (f" Hint: {hint}" if hint else ""), err, str(tol))


def sequence(got, want: np.ndarray, label: str, *, tol: Tolerance = Tolerance(),
             mistakes: Sequence[Mistake] = (), length_hint: str = "") -> Part:
    """Judge a 1-D sequence of numbers (a list, tuple or rank-1 array all accepted)."""
    want = np.asarray(want, dtype=float)
    if isinstance(got, (list, tuple)):
        if not all(_as_number(v) is not None for v in got):
            return Part(label, False, f"{label} should hold numbers only.")
        got = np.array([_as_number(v) for v in got], dtype=float)
    if not isinstance(got, np.ndarray):
        return Part(label, False, f"{label} should be a list or 1-D array of {want.size} "
                    f"numbers, got {describe(got)}.")
    if got.ndim != 1:
        got = got.ravel() if got.size == want.size else got
        if got.ndim != 1:
            return Part(label, False, f"{label} should be 1-D with {want.size} values, got shape "
                        f"{got.shape}.")
    if got.size != want.size:
        return Part(label, False, f"{label} has {got.size} values, expected {want.size}."
                    + (f" {length_hint}" if length_hint else ""))
    return array(got, want, label, tol=tol, mistakes=mistakes)


def choice(got, accepted: dict, label: str, *, explain: dict | None = None) -> Part:
    """Judge a choice. ``accepted`` maps each allowed spelling (lower case) to its option key.

    ``explain`` maps option keys to a short note shown when that (wrong) option is chosen.
    The option whose key is ``accepted["__answer__"]`` is right; the option keys are what
    a wrong-type answer is told to choose from.
    """
    answer = accepted["__answer__"]
    if isinstance(got, str):
        key = accepted.get(got.strip().lower())
    elif _is_number(got):
        key = accepted.get(got)
    else:
        key = None
    if key is None:
        options = list(dict.fromkeys(v for k, v in accepted.items() if k != "__answer__"))
        return Part(label, False, f"{label}: {describe(got)} is not one of the options "
                    f"({', '.join(repr(o) for o in options)}).")
    if key == answer:
        return Part(label, True)
    note = (explain or {}).get(key, "")
    return Part(label, False, f"{label}: {got!r} is not right." + (f" {note}" if note else ""))


def combine(parts: Sequence[Part], weights: Sequence[float] | None = None) -> Outcome:
    """Weighted score of several parts, with the messages of those that failed."""
    if weights is None:
        weights = [1.0] * len(parts)
    total = float(sum(weights))
    score = sum(w * p.score for p, w in zip(parts, weights)) / total
    messages, hints = [], set()
    for p in parts:
        if p.ok or not p.message:
            continue
        text, _, hint = p.message.partition(" Hint: ")
        if hint and hint in hints:          # the same cause explains several outputs: say it once
            messages.append(text[:-1] + " (same cause)." if text.endswith(".") else text)
        else:
            messages.append(p.message)
            hints.add(hint)
    errors = [p.error for p in parts if p.error is not None]
    return Outcome(score, " ".join(messages), max(errors) if errors else None, list(parts))


def fail(message: str) -> Outcome:
    """A case that scores nothing (wrong type of result, exception, ...)."""
    return Outcome(0.0, message)


def unpack(got, n: int, names: str, what: str) -> tuple | Outcome:
    """``got`` as a tuple of ``n`` items, or a failing Outcome that says what was expected."""
    if isinstance(got, (tuple, list)) and len(got) == n:
        return tuple(got)
    if isinstance(got, dict):
        return fail(f"{what} should return {names} (a tuple of {n}), got {describe(got)}; "
                    f"write `return {names}`.")
    return fail(f"{what} should return {names} (a tuple of {n}), got {describe(got)}.")

