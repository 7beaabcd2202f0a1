"""Practice task of notebook 03 (vectorization). Not graded.

``vectorized_dw``: the gradient dw = (1/m) X dZᵀ with no loop over the examples.
"""

from __future__ import annotations

import numpy as np

from .. import logistic
from . import hints
from .cases import Case, Kind
from .compare import Mistake, combine, array
from .exercise import Exercise
from .part_a import GRAD_TOL, _m_examples, _propagate_probe

__all__ = ["VECTORIZED_DW"]


def _blobs_case(label, m):
    from .. import data
    X, Y = data.two_blobs(200, seed=2)
    return Case(label, (np.array([[0.5], [-0.3]]), 0.1, X[:, :m], Y[:, :m]))


def _public(seed, n_x, m, label):
    return _m_examples(np.random.default_rng(seed), n_x, m, label)


VECTORIZED_DW_KINDS = (
    Kind("the notebook's data (n_x = 2, m = 200)", (_blobs_case("the 200 examples above", 200),),
         lambda rng: _m_examples(rng, 2, int(rng.integers(50, 300)))),
    Kind("more features (n_x = 7)", (_public(31, 7, 500, "n_x = 7, m = 500"),),
         lambda rng: _m_examples(rng, 7, int(rng.integers(100, 600)))),
    Kind("one example (m = 1)", (_public(32, 3, 1, "n_x = 3, m = 1"),),
         lambda rng: _m_examples(rng, 3, 1, "one example (m = 1)")),
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
    structure="vectorized", probe=_propagate_probe,
)
