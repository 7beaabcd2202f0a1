"""Practice task of notebook 04 (the salary regression). Not graded.

``mse_gradients``: ∂J/∂w and ∂J/∂b of the mean squared error of ŷ = w·x + b.
"""

from __future__ import annotations

import numpy as np

from .. import linear
from . import hints
from .cases import Case, Kind
from .compare import Mistake, Outcome, combine, number, unpack
from .exercise import Exercise
from .part_a import GRAD_TOL, signed
from .part_b import line_data
from .reference import normalized_salary

__all__ = ["MSE_GRADIENTS"]


def _case(label, w, b, x, y):
    return Case(label, (float(w), float(b), np.asarray(x, dtype=float), np.asarray(y, dtype=float)))


_XS, _YS = normalized_salary()

MSE_KINDS = (
    Kind("the standardised salary data", (_case("x_n, y_n at w = b = 0", 0.0, 0.0, _XS, _YS),
                                         _case("x_n, y_n at w = 0.2, b = 0.3", 0.2, 0.3, _XS, _YS)),
         lambda rng: _case("x_n, y_n", signed(rng, 0.1, 2), signed(rng, 0.1, 1), _XS, _YS)),
    Kind("data that are not centred",
         (_case("6 points, w = 0.5, b = -1", 0.5, -1.0, *line_data(np.random.default_rng(41), 6)),),
         lambda rng: _case("points that are not centred", signed(rng, 0.2, 2), signed(rng, 0.2, 2),
                           *line_data(rng, int(rng.integers(3, 20))))),
    Kind("one point (n = 1)", (_case("x = [2], y = [3], w = 1, b = 0.5", 1.0, 0.5, [2.0], [3.0]),),
         lambda rng: _case("one point", signed(rng, 0.2, 2), signed(rng, 0.2, 2),
                           [rng.normal(0, 2)], [rng.normal(0, 2)])),
)


def _mse_judge(case, got):
    w, b, x, y = case.args
    n = x.size
    dw, db = linear.gradients(w, b, x, y)
    dw0, db0 = linear.gradients(w, 0.0, x, y)
    items = unpack(got, 2, "dw, db", "mse_gradients")
    if isinstance(items, Outcome):
        return items

    def usual(want, nob):
        return [Mistake(hints.NO_FACTOR_2, want / 2), Mistake(hints.NO_N, want * n),
                Mistake(hints.MSE_FLIPPED, -want), Mistake(hints.MISSING_B_YHAT, nob)]
    return combine([number(items[0], dw, "dw", tol=GRAD_TOL, mistakes=usual(dw, dw0)),
                    number(items[1], db, "db", tol=GRAD_TOL, mistakes=usual(db, db0))])


MSE_GRADIENTS = Exercise(
    name="mse_gradients", title="The two gradients of the MSE", points=0,
    signature="mse_gradients(w, b, x, y) -> (dw, db)",
    kinds=MSE_KINDS, judge=_mse_judge, graded=False,
)
