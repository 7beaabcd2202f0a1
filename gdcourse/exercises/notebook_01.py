"""Practice tasks of notebook 01 (the computation graph of one example). Not graded.

- ``backward_squared_error``: the chain rule on the same graph with another loss,
  L = ½(a − y)², so that the learner multiplies the local derivatives themselves;
- ``central_difference``: the finite-difference check, as a function of any f.
"""

from __future__ import annotations

import math

import numpy as np

from . import hints
from .cases import Case, Kind
from .compare import Mistake, Outcome, Tolerance, combine, number, unpack
from .exercise import Exercise

__all__ = ["BACKWARD_SQUARED_ERROR", "CENTRAL_DIFFERENCE", "squared_error_backward"]

_TOL = Tolerance(rtol=1e-9, atol=1e-12)


# -- the chain rule with the loss ½(a − y)² ----------------------------------------------------
def squared_error_backward(x1, x2, y, w1, w2, b) -> dict:
    """Forward and backward pass of one example for the loss ½(a − y)² (the reference).

    Returns ``z, a, L`` and ``da, dz, dw1, dw2, db`` as floats: ``da = a − y``,
    ``dz = da · a(1 − a)``, ``dw1 = x1·dz``, ``dw2 = x2·dz``, ``db = dz``.
    """
    z = w1 * x1 + w2 * x2 + b
    a = 0.5 * (1.0 + math.tanh(0.5 * z))          # σ(z), without overflow for any z
    da = a - y
    dz = da * a * (1.0 - a)
    return {"z": z, "a": a, "L": 0.5 * da * da, "da": da, "dz": dz,
            "dw1": x1 * dz, "dw2": x2 * dz, "db": dz}


def _example(label, x1, x2, y, w1, w2, b):
    return Case(label, (float(x1), float(x2), float(y), float(w1), float(w2), float(b)))


def _draw(y=None, x1=None, confident=False):
    def draw(rng):
        label = rng.integers(0, 2) if y is None else y
        first = rng.normal(0, 1.5) if x1 is None else x1
        x2, w1, w2 = rng.normal(0, 1.5), rng.normal(0, 1), rng.normal(0, 1)
        b = rng.normal(0, 1)
        if confident:                      # choose b so that |z| is between 8 and 15
            b = float(rng.choice([-1, 1]) * rng.uniform(8, 15)) - w1 * first - w2 * x2
        return _example("a new example", first, x2, label, w1, w2, b)
    return draw


SQUARED_KINDS = (
    Kind("the notebook's example (y = 1)",
         (_example("x = (1.5, -0.5), y = 1, w = (0.8, -1.2), b = 0.3", 1.5, -0.5, 1, 0.8, -1.2,
                   0.3),), _draw(y=1)),
    Kind("label y = 0", (_example("same example, y = 0", 1.5, -0.5, 0, 0.8, -1.2, 0.3),),
         _draw(y=0)),
    Kind("x1 = 0 (w1 has no effect)", (_example("x1 = 0", 0.0, 2.0, 1, 0.5, 0.4, -1.0),),
         _draw(x1=0.0)),
    Kind("a confident prediction (large z)", (_example("z = 11", 2.0, 1.0, 0, 4.0, 2.0, 1.0),),
         _draw(confident=True)),
)


def _squared_judge(case, got):
    ref = squared_error_backward(*case.args)
    x1, x2 = case.args[0], case.args[1]
    cross_entropy_dz = ref["a"] - case.args[2]
    items = unpack(got, 4, "dz, dw1, dw2, db", "backward_squared_error")
    if isinstance(items, Outcome):
        return items
    dz, dw1, dw2, db = items

    def usual(key, times):
        return [Mistake(hints.SQ_CROSS_ENTROPY_DZ, times * cross_entropy_dz),
                Mistake(hints.SQ_FLIPPED, -ref[key])]
    return combine([
        number(dz, ref["dz"], "dz", tol=_TOL, mistakes=usual("dz", 1.0)),
        number(dw1, ref["dw1"], "dw1", tol=_TOL, mistakes=usual("dw1", x1) + [
            Mistake(hints.DW1_TIMES_W, case.args[3] * ref["dz"])]),
        number(dw2, ref["dw2"], "dw2", tol=_TOL, mistakes=usual("dw2", x2)),
        number(db, ref["db"], "db", tol=_TOL, mistakes=usual("db", 1.0)),
    ])


BACKWARD_SQUARED_ERROR = Exercise(
    name="backward_squared_error", title="The chain rule with another loss", points=0,
    signature="backward_squared_error(x1, x2, y, w1, w2, b) -> (dz, dw1, dw2, db)",
    kinds=SQUARED_KINDS, judge=_squared_judge, graded=False,
)


# -- the central difference ---------------------------------------------------------------------
def _cube(v):
    return v ** 3


def _fd_case(label, f, v, h):
    return Case(label, (f, float(v), float(h)))


CENTRAL_KINDS = (
    Kind("a polynomial", (_fd_case("f(v) = v³ at v = 2, h = 1e-3", _cube, 2.0, 1e-3),),
         lambda rng: _fd_case("f(v) = v³", _cube, rng.uniform(-3, 3), 1e-3)),
    Kind("NumPy functions", (_fd_case("f = np.sin at v = 1, h = 1e-5", np.sin, 1.0, 1e-5),
                             _fd_case("f = np.exp at v = -2, h = 1e-4", np.exp, -2.0, 1e-4)),
         lambda rng: _fd_case("f = np.cos", np.cos, rng.uniform(-3, 3), 1e-5)),
    Kind("a large step h", (_fd_case("f(v) = v³ at v = 1, h = 0.5", _cube, 1.0, 0.5),),
         lambda rng: _fd_case("f(v) = v³, h = 0.5", _cube, rng.uniform(-2, 2), 0.5)),
)


def _central_judge(case, got):
    f, v, h = case.args
    want = (f(v + h) - f(v - h)) / (2 * h)
    return combine([number(got, want, "central_difference(f, v, h)", tol=_TOL, mistakes=[
        Mistake(hints.CD_ONE_SIDED, (f(v + h) - f(v)) / h),
        Mistake(hints.CD_NO_HALF, (f(v + h) - f(v - h)) / h),
        Mistake(hints.CD_FLIPPED, -want),
    ])])


CENTRAL_DIFFERENCE = Exercise(
    name="central_difference", title="A finite-difference check for any function", points=0,
    signature="central_difference(f, v, h) -> float",
    kinds=CENTRAL_KINDS, judge=_central_judge, graded=False,
)
