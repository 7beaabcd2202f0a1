"""Part A of notebook 07, logistic regression by hand: exercises 1 to 4."""

from __future__ import annotations

import numpy as np

from .. import data, logistic
from . import hints
from .cases import Case, Kind
from .compare import Mistake, Outcome, Tolerance, array, combine, fail, number, unpack
from .exercise import PROBE_M, Exercise
from .values import describe

__all__ = ["SIGMOID", "BACKWARD_ONE", "PROPAGATE_LOOPS", "PROPAGATE", "GRAD_TOL", "m_examples",
           "seeded_m_examples", "blobs_case", "propagate_probe"]

#: Tolerance for gradients and costs (and the parameters computed from them).
GRAD_TOL = Tolerance(rtol=1e-6, atol=1e-9)


def signed(rng, low, high) -> float:
    """A number whose size is in [low, high] and whose sign is random (never near 0)."""
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


# -- 1. sigmoid -------------------------------------------------------------------------------
def _z(label, z):
    return Case(label, (z,))


def _large_z(rng):
    big = float(rng.uniform(700, 1000))
    mid = float(rng.uniform(40, 80))
    return _z("very large |z|", np.array([[-big, -mid, float(rng.uniform(-1, 1)), mid, big]]))


SIGMOID_KINDS = (
    Kind("a single number", (_z("z = 0", 0.0), _z("z = 2.0", 2.0)),
         lambda rng: _z("a number", float(rng.uniform(-4, 4)))),
    Kind("a row, shape (1, m)", (_z("z of shape (1, 4)", np.array([[-2.0, -0.5, 0.5, 2.0]])),),
         lambda rng: _z("z of shape (1, m)", rng.normal(0, 3, (1, int(rng.integers(3, 9)))))),
    Kind("a column, shape (n, 1)", (_z("z of shape (3, 1)", np.array([[-1.5], [0.25], [4.0]])),),
         lambda rng: _z("z of shape (n, 1)", rng.normal(0, 2, (int(rng.integers(2, 6)), 1)))),
    Kind("a matrix, shape (n, m)",
         (_z("z of shape (2, 3)", np.array([[-1.0, 0.0, 1.0], [-3.0, 3.0, 10.0]])),),
         lambda rng: _z("z of shape (n, m)", rng.normal(0, 5, (int(rng.integers(2, 5)),
                                                                int(rng.integers(2, 6)))))),
    Kind("very large |z| (numerical stability: the result must stay finite)",
         (_z("z up to ±800", np.array([[-800.0, -60.0, 0.5, 60.0, 800.0]])),), _large_z),
)


def _sigmoid_judge(case, got):
    (z,) = case.args
    want = logistic.sigmoid(z)
    tol = Tolerance(rtol=1e-7, atol=1e-12)
    with np.errstate(over="ignore", invalid="ignore"):
        overflowing = np.exp(z) / (1.0 + np.exp(z))
    mistakes = [Mistake(hints.SIGMOID_FLIPPED, logistic.sigmoid(-np.asarray(z))),
                Mistake(hints.SIGMOID_OVERFLOW, overflowing)]
    check = number if np.ndim(z) == 0 else array
    return combine([check(got, want, "sigmoid(z)", tol=tol, mistakes=mistakes)])


SIGMOID = Exercise(
    name="sigmoid", title="The sigmoid function", points=8, signature="sigmoid(z)",
    kinds=SIGMOID_KINDS, judge=_sigmoid_judge,
    forbidden=("gdcourse.logistic.sigmoid", "gdcourse.logistic._sigmoid_and_softplus"),
    error_hints=(("TypeError", "arrays can be converted", hints.MATH_EXP),
                 ("TypeError", "must be real number", hints.MATH_EXP)),
)


# -- 2. backward pass for one example -----------------------------------------------------------
def _one_example(rng, n_x, label, y=None):
    x = rng.normal(0, 1.5, (n_x, 1))
    w = rng.normal(0, 0.7, (n_x, 1))
    y = float(rng.integers(0, 2)) if y is None else y
    return Case(label, (x, y, w, signed(rng, 0.3, 1.5)))


_X1 = np.array([[1.0], [2.0]])
_W1 = np.array([[0.5], [-0.25]])

BACKWARD_KINDS = (
    Kind("label y = 1", (Case("x = [1, 2], y = 1, w = [0.5, -0.25], b = 0.5", (_X1, 1.0, _W1, 0.5)),),
         lambda rng: _one_example(rng, int(rng.integers(2, 5)), "y = 1", 1.0)),
    Kind("label y = 0", (Case("same example, y = 0", (_X1, 0.0, _W1, 0.5)),),
         lambda rng: _one_example(rng, int(rng.integers(2, 5)), "y = 0", 0.0)),
    Kind("one feature (n_x = 1)",
         (_one_example(np.random.default_rng(7), 1, "random example, n_x = 1"),),
         lambda rng: _one_example(rng, 1, "n_x = 1")),
    Kind("more features (n_x = 5)",
         (_one_example(np.random.default_rng(8), 5, "random example, n_x = 5"),),
         lambda rng: _one_example(rng, 5, "n_x = 5")),
)


def _backward_judge(case, got):
    x, y, w, b = case.args
    ref = logistic.forward_backward_one(x, y, w, b)
    nob = logistic.forward_backward_one(x, y, w, 0.0)
    items = unpack(got, 3, "dz, dw, db", "backward_one")
    if isinstance(items, Outcome):
        return items
    dz, dw, db = items

    def usual(key):
        return [Mistake(hints.FLIPPED_DZ, -ref[key]), Mistake(hints.MISSING_B_Z, nob[key])]
    return combine([
        number(dz, ref["dz"], "dz", tol=GRAD_TOL,
               mistakes=usual("dz") + [Mistake(hints.DZ_IS_A, ref["a"])]),
        array(dw, ref["dw"], "dw", tol=GRAD_TOL,
              mistakes=usual("dw") + [Mistake(hints.DZ_IS_A, x * ref["a"]),
                                      Mistake(hints.DW_TIMES_W, w * ref["dz"])]),
        number(db, ref["db"], "db", tol=GRAD_TOL,
               mistakes=usual("db") + [Mistake(hints.DZ_IS_A, ref["a"])]),
    ])


BACKWARD_ONE = Exercise(
    name="backward_one", title="Backward pass for one example", points=10,
    signature="backward_one(x, y, w, b) -> (dz, dw, db)",
    kinds=BACKWARD_KINDS, judge=_backward_judge,
    forbidden=("gdcourse.logistic.forward_backward_one",),
)


# -- 3./4. gradients over m examples: loops, then vectorized --------------------------------------
def m_examples(rng, n_x, m, label=None):
    w = rng.normal(0, 0.5, (n_x, 1))
    X = rng.normal(0, 1.5, (n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    return Case(label or f"n_x = {n_x}, m = {m}", (w, signed(rng, 0.3, 1.2), X, Y))


def _notebook_examples():
    w = np.array([[1.0], [2.0]])
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1.0, 0.0, 1.0]])
    return Case("w = [1, 2], b = 2, the 3 examples of the notebook", (w, 2.0, X, Y))


def seeded_m_examples(seed, n_x, m, label=None):
    """:func:`m_examples` drawn from a fixed seed (a public case)."""
    return m_examples(np.random.default_rng(seed), n_x, m, label)


def blobs_case(label, m):
    """The first ``m`` examples of notebooks 02 and 03 (two_blobs(200, seed=2)), at their
    parameters w = (0.5, -0.3), b = 0.1."""
    X, Y = data.two_blobs(200, seed=2)
    return Case(label, (np.array([[0.5], [-0.3]]), 0.1, X[:, :m], Y[:, :m]))


PROPAGATE_KINDS = (
    Kind("two features, a few examples", (_notebook_examples(),),
         lambda rng: m_examples(rng, 2, int(rng.integers(4, 9)))),
    Kind("three features, 10 to 20 examples", (seeded_m_examples(11, 3, 12),),
         lambda rng: m_examples(rng, 3, int(rng.integers(10, 21)))),
    Kind("4 to 6 features, 20 to 40 examples", (seeded_m_examples(12, 5, 30),),
         lambda rng: m_examples(rng, int(rng.integers(4, 7)), int(rng.integers(20, 41)))),
    Kind("one feature (n_x = 1)", (seeded_m_examples(13, 1, 4),),
         lambda rng: m_examples(rng, 1, int(rng.integers(2, 6)))),
    Kind("one example (m = 1)", (seeded_m_examples(14, 2, 1, "one example (m = 1)"),),
         lambda rng: m_examples(rng, 2, 1, "one example (m = 1)")),
)


def propagate_probe():
    rng = np.random.default_rng(3)
    small = m_examples(rng, 2, PROBE_M[0]).args
    large = m_examples(rng, 2, PROBE_M[1]).args
    return small, large


def _propagate_judge_for(name):
    def judge(case, got):
        w, b, X, Y = case.args
        m = X.shape[1]
        grads, cost = logistic.propagate(w, b, X, Y)
        nob, nob_cost = logistic.propagate(w, 0.0, X, Y)
        items = unpack(got, 2, "grads, cost", name)
        if isinstance(items, Outcome):
            if isinstance(got, tuple) and len(got) == 3:
                return fail(hints.GRADS_TRIPLE.format(name=name))
            return items
        g, c = items
        if not isinstance(g, dict) or not {"dw", "db"} <= set(g):
            return fail(f"{name}'s first result should be a dict {{'dw': dw, 'db': db}}, got "
                        f"{describe(g)}.")
        no_m = hints.NO_M.format(what="gradient", m=m)

        def usual(key):
            return [Mistake(no_m, m * grads[key]), Mistake(hints.HALF_M, grads[key] / 2),
                    Mistake(hints.FLIPPED_DZ_M, -grads[key]),
                    Mistake(hints.MISSING_B_ZM, nob[key])]
        return combine([
            array(g["dw"], grads["dw"], "dw", tol=GRAD_TOL, mistakes=usual("dw")),
            number(g["db"], grads["db"], "db", tol=GRAD_TOL, mistakes=usual("db")),
            number(c, cost, "cost", tol=GRAD_TOL,
                   mistakes=[Mistake(hints.NO_M.format(what="cost", m=m), m * cost),
                             Mistake(hints.HALF_M_COST, cost / 2),
                             Mistake(hints.COST_SIGN, -cost),
                             Mistake(hints.MISSING_B_ZM, nob_cost)]),
        ], weights=[0.4, 0.3, 0.3])
    return judge


_PROPAGATE_FORBIDDEN = ("gdcourse.logistic.propagate", "gdcourse.logistic.propagate_loops",
                        "gdcourse.logistic._propagate", "gdcourse.logistic.optimize")

PROPAGATE_LOOPS = Exercise(
    name="propagate_loops", title="Gradients over m examples, with loops", points=14,
    signature="propagate_loops(w, b, X, Y) -> (grads, cost)",
    kinds=PROPAGATE_KINDS, judge=_propagate_judge_for("propagate_loops"),
    forbidden=_PROPAGATE_FORBIDDEN,
    structure="loop", structure_share=0.2, probe=propagate_probe,
)

PROPAGATE = Exercise(
    name="propagate", title="Vectorized propagate", points=14,
    signature="propagate(w, b, X, Y) -> (grads, cost)",
    kinds=PROPAGATE_KINDS, judge=_propagate_judge_for("propagate"),
    forbidden=_PROPAGATE_FORBIDDEN,
    structure="vectorized", structure_share=0.3, probe=propagate_probe,
)
