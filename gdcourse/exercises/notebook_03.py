"""Practice task of notebook 03 (vectorization). Not graded.

``vectorized_dw``: the gradient dw = (1/m) X dZᵀ with no loop over the examples.
"""

from __future__ import annotations

from .. import logistic
from . import hints
from .cases import Kind
from .compare import Mistake, combine, array
from .exercise import Exercise
from .part_a import GRAD_TOL, blobs_case, m_examples, propagate_probe, seeded_m_examples

__all__ = ["VECTORIZED_DW"]



VECTORIZED_DW_KINDS = (
    Kind("the notebook's data (n_x = 2, m = 200)", (blobs_case("the 200 examples above", 200),),
         lambda rng: m_examples(rng, 2, int(rng.integers(50, 300)))),
    Kind("more features (n_x = 7)", (seeded_m_examples(31, 7, 500, "n_x = 7, m = 500"),),
         lambda rng: m_examples(rng, 7, int(rng.integers(100, 600)))),
    Kind("one example (m = 1)", (seeded_m_examples(32, 3, 1, "n_x = 3, m = 1"),),
         lambda rng: m_examples(rng, 3, 1, "one example (m = 1)")),
)


def _vectorized_dw_judge(case, got):
    w, b, X, Y = case.args
    m = X.shape[1]
    dw = logistic.propagate(w, b, X, Y)[0]["dw"]
    nob = logistic.propagate(w, 0.0, X, Y)[0]["dw"]
    return combine([array(got, dw, "dw", tol=GRAD_TOL, mistakes=[
        Mistake(hints.NO_M.format(what="gradient", m=m), m * dw),
        Mistake(hints.FLIPPED_DZ_M, -dw),
        Mistake(hints.MISSING_B_ZM, nob),
    ])])


VECTORIZED_DW = Exercise(
    name="vectorized_dw", title="dw without a loop", points=0,
    signature="vectorized_dw(w, b, X, Y) -> dw",
    kinds=VECTORIZED_DW_KINDS, judge=_vectorized_dw_judge, graded=False,
    structure="vectorized", probe=propagate_probe,
)
