"""Practice task of notebook 05 (learning-rate sensitivity). Not graded.

``hint_limit``: the notes' stability limit for w alone, n / Σ xᵢ² (notebook 07's
exercise 7 then asks for the limit with b trained too).
"""

from __future__ import annotations

import numpy as np

from .. import data
from . import hints
from .cases import Case, Kind
from .compare import Mistake, Tolerance, combine, number
from .exercise import Exercise
from .reference import normalized_salary

__all__ = ["HINT_LIMIT"]


def _x(label, x):
    return Case(label, (np.asarray(x, dtype=float),))


HINT_KINDS = (
    Kind("standardised x", (_x("the standardised years", normalized_salary()[0]),),
         lambda rng: _x("standardised x", (lambda v: (v - v.mean()) / v.std())(
             rng.normal(5, 2, int(rng.integers(4, 20)))))),
    Kind("x in raw units", (_x("the years, raw", data.salary()[0]),),
         lambda rng: _x("x in raw units", rng.uniform(0, 10, int(rng.integers(4, 20))))),
    Kind("x with negative values", (_x("x = [-2, -1, 0.5, 3]", [-2.0, -1.0, 0.5, 3.0]),),
         lambda rng: _x("x with negative values", rng.normal(-1, 2, int(rng.integers(3, 12))))),
)


def _hint_judge(case, got):
    (x,) = case.args
    n = x.size
    want = n / float(np.sum(x * x))
    return combine([number(got, want, "hint_limit(x)", tol=Tolerance(1e-9, 1e-12), mistakes=[
        Mistake(hints.HINT_NOT_SQUARED, n / float(np.sum(x))),
        Mistake(hints.HINT_ONE_OVER, want / 2),
        Mistake(hints.HINT_MEAN_SQUARE, n / float(np.mean(x * x))),
    ])])


HINT_LIMIT = Exercise(
    name="hint_limit", title="The notes' limit for w alone", points=0,
    signature="hint_limit(x) -> float",
    kinds=HINT_KINDS, judge=_hint_judge, graded=False,
)
