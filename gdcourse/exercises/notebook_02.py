"""Practice task of notebook 02 (m examples with loops). Not graded.

``average_dz``: ∂J/∂b as the average of dz over the examples, with an accumulator loop.
"""

from __future__ import annotations

import numpy as np

from .. import logistic
from . import hints
from .cases import Kind
from .compare import Mistake, combine, number
from .exercise import Exercise
from .part_a import GRAD_TOL, blobs_case, m_examples, propagate_probe

__all__ = ["AVERAGE_DZ"]



AVERAGE_DZ_KINDS = (
    Kind("the notebook's first 4 examples", (blobs_case("the first 4 examples, w = (0.5, -0.3), "
                                                         "b = 0.1", 4),),
         lambda rng: m_examples(rng, 2, 4, "4 examples")),
    Kind("one example (m = 1)", (blobs_case("the first example alone", 1),),
         lambda rng: m_examples(rng, 2, 1, "one example (m = 1)")),
    Kind("the whole data set (m = 200)", (blobs_case("all 200 examples", 200),),
         lambda rng: m_examples(rng, 3, 200, "200 examples, 3 features")),
)


def _dz(w, b, X, Y):
    return logistic.sigmoid(w.T @ X + b) - Y          # shape (1, m)


def _average_dz_judge(case, got):
    w, b, X, Y = case.args
    m = X.shape[1]
    dz = _dz(w, b, X, Y)
    want = float(np.mean(dz))
    return combine([number(got, want, "average_dz", tol=GRAD_TOL, mistakes=[
        Mistake(hints.SUM_NOT_MEAN.format(m=m), float(np.sum(dz))),
        Mistake(hints.ACC_RESET, float(dz[0, -1]) / m),
        Mistake(hints.ACC_RESET, float(dz[0, -1])),
        Mistake(hints.SKIPS_FIRST, float(np.sum(dz[0, 1:])) / m),
        Mistake(hints.FLIPPED_DZ, -want),
    ])])


AVERAGE_DZ = Exercise(
    name="average_dz", title="An accumulator loop", points=0,
    signature="average_dz(w, b, X, Y) -> float",
    kinds=AVERAGE_DZ_KINDS, judge=_average_dz_judge, graded=False,
    structure="loop", probe=propagate_probe,
)
