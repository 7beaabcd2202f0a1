"""The exercises of notebook 07: what the learner writes and how it is judged.

Each :class:`Exercise` names the function the learner writes, makes its test
cases (a fixed public set for the instant checks; a hidden set drawn from a
seed at grading time), and judges one result against the reference computed
by the package. The instant checks (:mod:`gdcourse.checks`) and the grader
(:mod:`gdcourse.grader`) both use these definitions, so they always agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .. import data, linear, logistic
from . import reference
from .compare import (Mistake, Outcome, Tolerance, array, choice, combine, fail, number, sequence,
                      unpack)
from .values import describe

__all__ = ["Case", "Exercise", "EXERCISES", "get", "names", "FORBIDDEN_EVERYWHERE"]


@dataclass(frozen=True)
class Case:
    """One test case: the arguments the learner's function gets, and judge-only data."""

    label: str
    args: tuple
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Exercise:
    """One graded function of notebook 07.

    Attributes
    ----------
    name : str
        The function the learner defines (found by this name, wherever its cell is).
    points : float
        Its weight in the grade.
    public_cases, hidden_cases : callables
        ``public_cases()`` is fixed (instant checks); ``hidden_cases(rng)`` is
        drawn at grading time.
    judge : callable
        ``judge(case, result) -> Outcome``, run in the checker's own process
        on the decoded result.
    forbidden : tuple of str
        Dotted names of package functions that do the exercise's work; a
        solution that calls one of them scores 0.
    structure : {"vectorized", "loop", None}
        Extra requirement on how the code is written, checked from the source
        and by counting the Python lines it runs for a small and a large m.
    structure_share : float
        Share of the points that depends on ``structure``.
    public_values : bool
        False for the test-your-understanding answers: the instant check only
        confirms the answer has the right form; the grader judges it.
    """

    name: str
    title: str
    points: float
    signature: str
    public_cases: Callable[[], list]
    hidden_cases: Callable[[np.random.Generator], list]
    judge: Callable[[Case, Any], Outcome]
    forbidden: tuple = ()
    structure: str | None = None
    structure_share: float = 0.0
    probe: Callable[[], tuple] | None = None
    public_values: bool = True
    form: Callable[[Any], Outcome] | None = None
    error_hints: tuple = ()
    kind: str = "code"

    def structure_verdict(self, probe: dict, loops: list) -> tuple[bool, str]:
        """Judge ``structure`` from the line counts of :func:`~.runtime.count_lines` and the
        loops :meth:`~.source.NotebookSource.loops` found. Returns ``(ok, message)``."""
        if probe.get("status") != "ok":
            return False, (f"could not check how {self.name} is written: it failed on the probe "
                           f"problem ({probe.get('error', probe.get('status'))}).")
        small, large = probe["small"], probe["large"]
        scales = large - small >= 10
        counts = (f"{small} lines of your code ran for m = {PROBE_M[0]} and {large} for "
                  f"m = {PROBE_M[1]}")
        where = ""
        if loops:
            kind, fname, cell, line = loops[0]
            where = f" ({kind} in {fname}, line {line} of its cell)"
        if self.structure == "vectorized":
            if scales:
                return False, (f"{self.name} still loops over the examples{where}: {counts}. "
                               "Replace the loop by matrix operations on the whole X.")
            if loops:
                return True, (f"no loop over the examples (good), though a Python loop remains"
                              f"{where}.")
            return True, ""
        if self.structure == "loop":
            if not scales:
                return False, (f"{self.name} does not loop over the examples ({counts}): this "
                               "exercise asks for the explicit loop with accumulators; the "
                               "vectorized version is the next exercise.")
            return True, ""
        return True, ""

    def hint_for_error(self, type_name: str, message: str) -> str:
        for etype, fragment, hint in self.error_hints + _COMMON_ERROR_HINTS:
            if etype == type_name and fragment.lower() in message.lower():
                return hint
        return ""


#: Reference code no graded answer may call (besides each exercise's own list).
FORBIDDEN_EVERYWHERE = (
    "gdcourse.exercises.reference.stop_reason",
    "gdcourse.exercises.reference.q1_sign",
    "gdcourse.exercises.reference.q3_max_rate",
    "gdcourse.exercises.reference.q4_times",
)

_COMMON_ERROR_HINTS = (
    ("TypeError", "only 0-dimensional arrays can be converted",
     "float() and math functions take one number, and a product such as w.T @ x is a (1, 1) "
     "array: take its element with .item(), or stay with arrays (np.exp works on arrays)."),
    ("TypeError", "only length-1 arrays can be converted",
     "float() and math functions take one number, and a product such as w.T @ x is a (1, 1) "
     "array: take its element with .item(), or stay with arrays (np.exp works on arrays)."),
    ("NameError", "", "a name is not defined when the function runs: did the cell that defines "
                      "it fail, or was it never run?"),
    ("ValueError", "matmul", "a matrix product got shapes that do not fit: check the shape of "
                             "each operand (w is (n_x, 1), X is (n_x, m), so w.T @ X is (1, m))."),
    ("ValueError", "not aligned", "a matrix product got shapes that do not fit: check the shape of "
                                  "each operand (w is (n_x, 1), X is (n_x, m))."),
)

GRAD_TOL = Tolerance(rtol=1e-6, atol=1e-9)


# -- helpers ------------------------------------------------------------------
def _signed(rng, low, high) -> float:
    """A number whose size is in [low, high] and whose sign is random (never near 0)."""
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


# -- 1. sigmoid -----------------------------------------------------------------
def _sigmoid_public():
    return [Case("z = 0", (0.0,)),
            Case("z = 2.0", (2.0,)),
            Case("z of shape (1, 4)", (np.array([[-2.0, -0.5, 0.5, 2.0]]),)),
            Case("z of shape (2, 3)", (np.array([[-1.0, 0.0, 1.0], [-3.0, 3.0, 10.0]]),)),
            Case("large |z|", (np.array([[-40.0, 40.0]]),))]


def _sigmoid_hidden(rng):
    return [Case("scalar z", (float(rng.uniform(-4, 4)),)),
            Case("z of shape (1, m)", (rng.normal(0, 3, (1, int(rng.integers(3, 9)))),)),
            Case("z of shape (n, m)", (rng.normal(0, 5, (int(rng.integers(2, 5)),
                                                         int(rng.integers(2, 6)))),)),
            Case("z of shape (n, 1)", (rng.normal(0, 2, (int(rng.integers(2, 6)), 1)),)),
            Case("very large |z| (numerical stability)",
                 (np.array([[-800.0, -60.0, float(rng.uniform(-1, 1)), 60.0, 800.0]]),))]


def _sigmoid_judge(case, got):
    (z,) = case.args
    want = logistic.sigmoid(z)
    tol = Tolerance(rtol=1e-7, atol=1e-12)
    flipped = [Mistake("your values equal sigmoid(-z): the exponent's sign is flipped; "
                       "σ(z) = 1 / (1 + e^(−z)).", logistic.sigmoid(-np.asarray(z)))]
    if np.ndim(z) == 0:
        return combine([number(got, want, "sigmoid(z)", tol=tol, mistakes=flipped)])
    return combine([array(got, want, "sigmoid(z)", tol=tol, mistakes=flipped)])


SIGMOID = Exercise(
    name="sigmoid", title="The sigmoid function", points=8, signature="sigmoid(z)",
    public_cases=_sigmoid_public, hidden_cases=_sigmoid_hidden, judge=_sigmoid_judge,
    forbidden=("gdcourse.logistic.sigmoid", "gdcourse.logistic._sigmoid_and_softplus"),
    error_hints=(("TypeError", "arrays can be converted", "math.exp takes one number; use np.exp, "
                  "which works elementwise on a whole array."),
                 ("TypeError", "must be real number", "math.exp takes one number; use np.exp, "
                  "which works elementwise on a whole array.")),
)


# -- 2. backward pass for one example ---------------------------------------------
def _one_example(rng, n_x, label):
    x = rng.normal(0, 1.5, (n_x, 1))
    w = rng.normal(0, 0.7, (n_x, 1))
    return Case(label, (x, float(rng.integers(0, 2)), w, _signed(rng, 0.3, 1.5)))


def _backward_public():
    x = np.array([[1.0], [2.0]])
    w = np.array([[0.5], [-0.25]])
    return [Case("x = [1, 2], y = 1, w = [0.5, -0.25], b = 0.5", (x, 1.0, w, 0.5)),
            Case("same example, y = 0", (x, 0.0, w, 0.5)),
            _one_example(np.random.default_rng(7), 3, "random example, n_x = 3")]


def _backward_hidden(rng):
    return [_one_example(rng, n_x, f"random example, n_x = {n_x}") for n_x in (1, 2, 4, 5)]


def _backward_judge(case, got):
    x, y, w, b = case.args
    ref = logistic.forward_backward_one(x, y, w, b)
    nob = logistic.forward_backward_one(x, y, w, 0.0)
    items = unpack(got, 3, "dz, dw, db", "backward_one")
    if isinstance(items, Outcome):
        return items
    dz, dw, db = items
    flip = "flipped sign: dz = a − y (prediction minus label), not y − a."
    nob_hint = "z is missing b: z = wᵀx + b."
    a_hint = "dz is a − y; your value is a itself (the − y is missing)."
    return combine([
        number(dz, ref["dz"], "dz", tol=GRAD_TOL,
               mistakes=[Mistake(flip, -ref["dz"]), Mistake(nob_hint, nob["dz"]),
                         Mistake(a_hint, ref["a"])]),
        array(dw, ref["dw"], "dw", tol=GRAD_TOL,
              mistakes=[Mistake(flip, -ref["dw"]), Mistake(nob_hint, nob["dw"]),
                        Mistake(a_hint, x * ref["a"]),
                        Mistake("dw = x · dz: multiply by the input x, not by the weight w.",
                                w * ref["dz"])]),
        number(db, ref["db"], "db", tol=GRAD_TOL,
               mistakes=[Mistake(flip, -ref["db"]), Mistake(nob_hint, nob["db"]),
                         Mistake(a_hint, ref["a"])]),
    ])


BACKWARD_ONE = Exercise(
    name="backward_one", title="Backward pass for one example", points=10,
    signature="backward_one(x, y, w, b) -> (dz, dw, db)",
    public_cases=_backward_public, hidden_cases=_backward_hidden, judge=_backward_judge,
    forbidden=("gdcourse.logistic.forward_backward_one",),
)


# -- 3./4. gradients over m examples: loops, then vectorized --------------------------
def _m_examples(rng, n_x, m, label=None):
    w = rng.normal(0, 0.5, (n_x, 1))
    X = rng.normal(0, 1.5, (n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    return Case(label or f"n_x = {n_x}, m = {m}", (w, _signed(rng, 0.3, 1.2), X, Y))


def _propagate_public():
    w = np.array([[1.0], [2.0]])
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1.0, 0.0, 1.0]])
    rng = np.random.default_rng(11)
    return [Case("w = [1, 2], b = 2, the 3 examples of the notebook", (w, 2.0, X, Y)),
            _m_examples(rng, 3, 8),
            _m_examples(rng, 1, 1, "one example (m = 1)")]


def _propagate_hidden(rng):
    return [_m_examples(rng, n_x, m) for n_x, m in
            ((2, int(rng.integers(4, 9))), (3, int(rng.integers(10, 20))),
             (int(rng.integers(4, 7)), int(rng.integers(20, 41))), (1, int(rng.integers(2, 6))))] \
        + [_m_examples(rng, 2, 1, "one example (m = 1)")]


#: Sizes of the two problems the loop detector runs (lines of code counted for each).
PROBE_M = (4, 64)


def _propagate_probe():
    rng = np.random.default_rng(3)
    small = _m_examples(rng, 2, PROBE_M[0]).args
    large = _m_examples(rng, 2, PROBE_M[1]).args
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
                return fail(f"{name} should return grads, cost with grads = "
                            "{'dw': dw, 'db': db}; it returned 3 values.")
            return items
        g, c = items
        if not isinstance(g, dict) or not {"dw", "db"} <= set(g):
            return fail(f"{name}'s first result should be a dict {{'dw': dw, 'db': db}}, got "
                        f"{describe(g)}.")
        no_m = f"forgot to divide by m: the gradient is an average, (1/m) Σ over the {m} examples."
        half = "1/(2m) instead of 1/m: the factor is 1/m (there is no square to differentiate)."
        flip = "flipped sign: dZ = A − Y (prediction minus label)."
        nob_hint = "Z is missing b: Z = wᵀX + b."
        return combine([
            array(g["dw"], grads["dw"], "dw", tol=GRAD_TOL,
                  mistakes=[Mistake(no_m, m * grads["dw"]), Mistake(half, grads["dw"] / 2),
                            Mistake(flip, -grads["dw"]), Mistake(nob_hint, nob["dw"])]),
            number(g["db"], grads["db"], "db", tol=GRAD_TOL,
                   mistakes=[Mistake(no_m, m * grads["db"]), Mistake(half, grads["db"] / 2),
                             Mistake(flip, -grads["db"]), Mistake(nob_hint, nob["db"])]),
            number(c, cost, "cost", tol=GRAD_TOL,
                   mistakes=[Mistake(no_m.replace("gradient", "cost"), m * cost),
                             Mistake("1/(2m) instead of 1/m in the cost.", cost / 2),
                             Mistake("the cost's minus sign is missing: "
                                     "J = −(1/m) Σ [y log a + (1 − y) log(1 − a)].", -cost),
                             Mistake(nob_hint, nob_cost)]),
        ], weights=[0.4, 0.3, 0.3])
    return judge


_PROPAGATE_FORBIDDEN = ("gdcourse.logistic.propagate", "gdcourse.logistic.propagate_loops",
                        "gdcourse.logistic._propagate", "gdcourse.logistic.optimize")

PROPAGATE_LOOPS = Exercise(
    name="propagate_loops", title="Gradients over m examples, with loops", points=14,
    signature="propagate_loops(w, b, X, Y) -> (grads, cost)",
    public_cases=_propagate_public, hidden_cases=_propagate_hidden,
    judge=_propagate_judge_for("propagate_loops"), forbidden=_PROPAGATE_FORBIDDEN,
    structure="loop", structure_share=0.2, probe=_propagate_probe,
)

PROPAGATE = Exercise(
    name="propagate", title="Vectorized propagate", points=14,
    signature="propagate(w, b, X, Y) -> (grads, cost)",
    public_cases=_propagate_public, hidden_cases=_propagate_hidden,
    judge=_propagate_judge_for("propagate"), forbidden=_PROPAGATE_FORBIDDEN,
    structure="vectorized", structure_share=0.3, probe=_propagate_probe,
)


# -- 5. one gradient-descent step on the linear model ------------------------------------
def _line_data(rng, n):
    x = rng.normal(0, 1.5, n) + rng.uniform(-1, 2)
    y = rng.uniform(1, 3) * x + rng.normal(0, 1) + rng.normal(0, 0.5, n)
    return x, y


def _step_public():
    x_n, y_n = reference.normalized_salary()
    rng = np.random.default_rng(5)
    x, y = _line_data(rng, 6)
    return [Case("normalised salary data, w = b = 0, η = 0.1", (0.0, 0.0, x_n, y_n, 0.1)),
            Case("6 random points, w = 0.5, b = -1, η = 0.05", (0.5, -1.0, x, y, 0.05))]


def _step_hidden(rng):
    cases = []
    for n in (int(rng.integers(3, 8)), int(rng.integers(8, 20)), int(rng.integers(3, 30))):
        x, y = _line_data(rng, n)
        cases.append(Case(f"{n} random points", (_signed(rng, 0.2, 2), _signed(rng, 0.2, 2), x, y,
                                                 float(rng.uniform(0.01, 0.3)))))
    return cases


def _step_judge(case, got):
    w, b, x, y, lr = case.args
    n = len(x)
    dw, db = linear.gradients(w, b, x, y)
    dw0, db0 = linear.gradients(w, 0.0, x, y)
    items = unpack(got, 2, "w, b", "gd_step")
    if isinstance(items, Outcome):
        return items
    gw, gb = items
    flip = "the update goes uphill: subtract the gradient, w := w − η·∂J/∂w."
    half = "the gradient lacks its factor 2: ∂J/∂w = (2/n) Σ (ŷ − y)·x."
    no_n = "forgot to divide by n: ∂J/∂w = (2/n) Σ (ŷ − y)·x is an average."
    nob = "the prediction is missing b: ŷ = w·x + b."
    grads = "you returned the gradients; return the updated parameters (w, b)."
    return combine([
        number(gw, w - lr * dw, "new w", tol=GRAD_TOL,
               mistakes=[Mistake(flip, w + lr * dw), Mistake(half, w - lr * dw / 2),
                         Mistake(no_n, w - lr * dw * n), Mistake(nob, w - lr * dw0),
                         Mistake(grads, dw)]),
        number(gb, b - lr * db, "new b", tol=GRAD_TOL,
               mistakes=[Mistake(flip, b + lr * db), Mistake(half, b - lr * db / 2),
                         Mistake(no_n, b - lr * db * n), Mistake(nob, b - lr * db0),
                         Mistake(grads, db)]),
    ])


GD_STEP = Exercise(
    name="gd_step", title="One gradient-descent step", points=8,
    signature="gd_step(w, b, x, y, learning_rate) -> (w, b)",
    public_cases=_step_public, hidden_cases=_step_hidden, judge=_step_judge,
    forbidden=("gdcourse.linear.gradients", "gdcourse.linear.train",
               "gdcourse.descent.gradient_descent"),
)


# -- 6. training on the salary data ---------------------------------------------------
def _train_public():
    x_n, y_n = reference.normalized_salary()
    return [Case("normalised salary data, η = 0.1, 5 epochs", (x_n, y_n, 0.1, 5)),
            Case("normalised salary data, η = 0.5, 20 epochs", (x_n, y_n, 0.5, 20))]


def _train_hidden(rng):
    cases = []
    for i in range(3):
        x, y = _line_data(rng, int(rng.integers(4, 15)))
        if i == 0:
            x = linear.Standardizer.fit(x).transform(x)
            y = linear.Standardizer.fit(y).transform(y)
        lr = float(rng.uniform(0.1, 0.9) * linear.max_stable_learning_rate(x))
        epochs = int(rng.integers(1, 40))
        cases.append(Case(f"{x.size} points, η = {lr:.3g}, {epochs} epochs", (x, y, lr, epochs)))
    x_n, y_n = reference.normalized_salary()
    cases.append(Case("normalised salary data, 0 epochs", (x_n, y_n, 0.1, 0)))
    return cases


def _train_judge(case, got):
    x, y, lr, epochs = case.args
    h = linear.train(x, y, lr, max_epochs=epochs)
    half = linear.train(x, y, lr / 2, max_epochs=epochs)
    items = unpack(got, 3, "w, b, costs", "train")
    if isinstance(items, Outcome):
        return items
    gw, gb, gcosts = items
    half_hint = ("every step is half as long as it should be: is the factor 2 of the MSE "
                 "gradient missing?")
    return combine([
        number(gw, h.final_params["w"], "w", tol=GRAD_TOL,
               mistakes=[Mistake(half_hint, half.final_params["w"])]),
        number(gb, h.final_params["b"], "b", tol=GRAD_TOL,
               mistakes=[Mistake(half_hint, half.final_params["b"])]),
        sequence(gcosts, np.array(h.costs), "costs", tol=GRAD_TOL,
                 mistakes=[Mistake(half_hint, np.array(half.costs))],
                 length_hint=f"With {epochs} epoch(s) there are {epochs + 1} costs: J before the "
                             "first update (epoch 0) and after each update."),
    ], weights=[0.35, 0.35, 0.3])


TRAIN = Exercise(
    name="train", title="Training on the salary data", points=10,
    signature="train(x, y, learning_rate, epochs) -> (w, b, costs)",
    public_cases=_train_public, hidden_cases=_train_hidden, judge=_train_judge,
    forbidden=("gdcourse.linear.train", "gdcourse.descent.gradient_descent"),
)


# -- 7. the largest stable learning rate ------------------------------------------------
def _rate_public():
    x, _ = reference.normalized_salary()
    years, _ = data.salary()
    return [Case("normalised salary x", (x,)), Case("salary x in years (not normalised)", (years,))]


def _rate_hidden(rng):
    n = int(rng.integers(4, 20))
    raw = rng.normal(5, 2, n)
    return [Case("x uniform on [0, 10]", (rng.uniform(0, 10, n),)),
            Case("x centred at 0", (rng.normal(0, rng.uniform(0.5, 3), n),)),
            Case("x with a negative mean", (rng.normal(-3, 1, int(rng.integers(3, 10))),)),
            Case("standardized x", (linear.Standardizer.fit(raw).transform(raw),))]


def _rate_judge(case, got):
    (x,) = case.args
    x = np.asarray(x, dtype=float)
    want = linear.max_stable_learning_rate(x)
    lam = np.linalg.eigvalsh(linear.hessian(x))
    mean_sq = float(np.mean(x * x))
    return combine([number(got, want, "max_stable_rate(x)", tol=Tolerance(1e-6, 1e-12), mistakes=[
        Mistake("that is n / Σx², the limit when only w is trained (the seed's hint formula); "
                "with b trained too, the limit is 2 / λ_max of the Hessian "
                "H = (2/n)[[Σx², Σx], [Σx, n]].", 1.0 / mean_sq),
        Mistake("that is 1 / λ_max: the limit is 2 / λ_max (the error along the steepest "
                "direction is multiplied by 1 − η·λ each step, and |1 − η·λ| < 1 needs η < 2/λ).",
                1.0 / lam[-1]),
        Mistake("that is 2 / λ_min: the steepest direction (the largest eigenvalue) sets the "
                "limit.", 2.0 / lam[0]),
    ])])


MAX_STABLE_RATE = Exercise(
    name="max_stable_rate", title="The largest stable learning rate", points=10,
    signature="max_stable_rate(x) -> float",
    public_cases=_rate_public, hidden_cases=_rate_hidden, judge=_rate_judge,
    forbidden=("gdcourse.linear.max_stable_learning_rate", "gdcourse.linear.hessian"),
)


# -- 8. which stopping rule fired ---------------------------------------------------------
def _stop_variant(costs, grad_norm, tol, grad_tol, max_epochs, *, order=None, signed=False,
                  inclusive=False):
    """A deliberately wrong stop rule, to recognise classic mistakes (not a reference)."""
    epoch = len(costs) - 1
    cost = costs[-1]
    checks = {
        "diverged": lambda: (not math.isfinite(cost) or not math.isfinite(grad_norm)
                             or cost > reference.DIVERGENCE_FACTOR * max(abs(costs[0]), 1e-12)),
        "gradient_norm": lambda: grad_tol is not None and (grad_norm <= grad_tol if inclusive
                                                           else grad_norm < grad_tol),
        "tolerance": lambda: tol is not None and epoch >= 1 and (
            (costs[-2] - cost if signed else abs(cost - costs[-2])) < tol),
        "max_epochs": lambda: epoch >= max_epochs,
    }
    for rule in order or reference.STOP_REASONS:
        if checks[rule]():
            return rule
    return None


STOP_ORDER = reference.STOP_REASONS


def _stop_scenarios(rng):
    J0 = float(rng.uniform(0.5, 5.0))
    tol = float(10.0 ** rng.uniform(-7, -4))
    gtol = float(10.0 ** rng.uniform(-7, -4))
    top = int(rng.integers(5, 12))
    falling = [J0 * 0.7 ** k for k in range(top + 1)]
    return [
        Case("epoch 0: only one cost so far", ([J0], 1.0, tol, gtol, top)),
        Case("the cost changed by less than tol", (falling[:3] + [falling[2] - tol / 3], 0.5, tol,
                                                    gtol, top)),
        Case("gradient norm and tolerance both below their limits",
             (falling[:2] + [falling[1] - tol / 4], gtol / 10, tol, gtol, top)),
        Case("max_epochs updates made", (falling, 0.3, tol, gtol, top)),
        Case("the cost is NaN", (falling[:3] + [math.nan], 1.0, tol, gtol, top)),
        Case("the cost blew up", (falling[:2] + [J0 * 3e8], 1e5, tol, gtol, top)),
        Case("the cost went up a little", (falling[:3] + [falling[2] + 0.1], 0.5, 1e-3, gtol, top)),
        Case("tol and grad_tol are None", (falling[:4], 1e-12, None, None, top)),
        Case("last epoch, and the cost settled", (falling[:top] + [falling[top - 1] - tol / 5], 0.2,
                                                  tol, gtol, top)),
        Case("gradient norm exactly grad_tol", (falling[:3], gtol, tol, gtol, top)),
        Case("the gradient norm is infinite", (falling[:3], math.inf, tol, gtol, top)),
    ]


def _stop_public():
    return [
        Case("epoch 0 (one cost)", ([1.0], 2.0, 1e-6, 1e-6, 100)),
        Case("cost change 1e-8 < tol = 1e-6", ([1.0, 0.5, 0.49999999], 0.1, 1e-6, 1e-6, 100)),
        Case("gradient norm 1e-9 < grad_tol = 1e-6", ([1.0, 0.5], 1e-9, 1e-6, 1e-6, 100)),
        Case("3 updates made, max_epochs = 3", ([1.0, 0.6, 0.4, 0.3], 0.5, 1e-6, 1e-6, 3)),
        Case("cost is inf", ([1.0, 50.0, math.inf], 1e3, 1e-6, 1e-6, 100)),
        Case("nothing fires", ([1.0, 0.6, 0.4], 0.5, None, None, 100)),
    ]


def _stop_judge(case, got):
    args = case.args
    want = reference.stop_reason(*args)
    if got is not None and not isinstance(got, str):
        return fail(f"stop_reason should return one of {', '.join(map(repr, STOP_ORDER))} or "
                    f"None, got {describe(got)}.")
    if got == want:
        return Outcome(1.0)
    hints = [
        ({"order": ("max_epochs", "diverged", "gradient_norm", "tolerance")},
         "check the rules in order (diverged, gradient norm, tolerance, max epochs): when several "
         "fire, the first wins."),
        ({"order": ("diverged", "tolerance", "gradient_norm", "max_epochs")},
         "check the rules in order (diverged, gradient norm, tolerance, max epochs): when several "
         "fire, the first wins."),
        ({"order": ("gradient_norm", "tolerance", "max_epochs", "diverged")},
         "check divergence first: a NaN or infinite cost (or gradient) makes every other test "
         "meaningless."),
        ({"signed": True}, "use the size of the change, |J(t) − J(t−1)| < tol: a cost that went "
                           "up has not converged."),
        ({"inclusive": True}, "the rules are strict: grad_norm < grad_tol."),
    ]
    msg = f"expected {want!r}, got {got!r}."
    for kwargs, hint in hints:
        if _stop_variant(*args, **kwargs) == got:
            return fail(f"{msg} Hint: {hint}")
    if got is not None and got not in STOP_ORDER:
        return fail(f"{msg} The answer must be one of {', '.join(map(repr, STOP_ORDER))} or None.")
    return fail(msg)


STOP_REASON = Exercise(
    name="stop_reason", title="Which stopping rule fired", points=10,
    signature="stop_reason(costs, grad_norm, tol, grad_tol, max_epochs) -> str or None",
    public_cases=_stop_public, hidden_cases=_stop_scenarios, judge=_stop_judge,
    forbidden=("gdcourse.descent.gradient_descent",),
    error_hints=(("TypeError", "NoneType", "tol or grad_tol can be None, meaning that rule is off: "
                  "test `tol is not None` before comparing."),
                 ("IndexError", "", "at epoch 0 there is only one cost: the tolerance rule needs "
                  "two, so it cannot fire yet.")),
)


# -- test your understanding (seed 003) ------------------------------------------------------
def _no_cases():
    return [Case("your answer", ())]


def _form(check):
    def form(got):
        message = check(got)
        return Outcome(0.0, message) if message else Outcome(1.0)
    return form


_SIGNS = {"negative": "negative", "neg": "negative", "-": "negative", "minus": "negative",
          "positive": "positive", "pos": "positive", "+": "positive", "plus": "positive",
          "zero": "zero", "0": "zero"}


def _q1_judge(case, got):
    want = reference.q1_sign()
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        got = "negative" if got < 0 else ("positive" if got > 0 else "zero")
    return combine([choice(got, {**_SIGNS, "__answer__": want}, "the sign of ∂J/∂w", explain={
        "positive": "At w = 0.2 the line is still flatter than the best fit, so J still falls as "
                    "w grows: the slope ∂J/∂w is still below zero.",
        "zero": "∂J/∂w is zero only at the minimum, and w = 0.2 has not reached it.",
        "negative": "∂J/∂w stays negative until w reaches the best fit.",
    })])


def _q1_form(got):
    if isinstance(got, bool) or not isinstance(got, (str, int, float)):
        return ("q1_sign() should return \"positive\", \"negative\" or \"zero\", got "
                f"{describe(got)}.")
    if isinstance(got, str) and got.strip().lower() not in _SIGNS:
        return f"q1_sign() should return \"positive\", \"negative\" or \"zero\", got {got!r}."
    return ""


Q1 = Exercise(
    name="q1_sign", title="Q1: the sign of ∂J/∂w after epoch 1", points=3,
    signature="q1_sign() -> 'positive' | 'negative' | 'zero'",
    public_cases=_no_cases, hidden_cases=lambda rng: _no_cases(), judge=_q1_judge,
    public_values=False, form=_form(_q1_form), kind="question",
)


def _centred(rng, n):
    x = rng.normal(0, 1, n)
    y = 1.7 * x + rng.normal(0, 0.5, n)
    return x - x.mean(), y - y.mean()


def _q2_public():
    x_n, y_n = reference.normalized_salary()
    return [Case("normalised salary data, w = 0.2, b = 0", (0.2, 0.0), {"x": x_n, "y": y_n}),
            Case("normalised salary data, w = 0.2, b = 0.5", (0.2, 0.5), {"x": x_n, "y": y_n}),
            Case("normalised salary data, w = -1, b = -0.3", (-1.0, -0.3), {"x": x_n, "y": y_n})]


def _q2_hidden(rng):
    cases = []
    for k in range(4):
        x, y = _centred(rng, int(rng.integers(3, 12)))
        b = 0.0 if k == 0 else _signed(rng, 0.1, 2.0)
        w = _signed(rng, 0.1, 2.0)
        cases.append(Case(f"centred data ({x.size} points), w = {w:.3g}, b = {b:.3g}", (w, b),
                          {"x": x, "y": y}))
    return cases


def _q2_judge(case, got):
    w, b = case.args
    want = linear.gradients(w, b, case.extra["x"], case.extra["y"])[1]
    return combine([number(got, want, "∂J/∂b", tol=GRAD_TOL, mistakes=[
        Mistake("the seed claims ∂J/∂b = 0 for any w and b, but on centred data "
                "(2/n) Σ (w·xᵢ + b − yᵢ) leaves one term that does not cancel: check it with "
                "b ≠ 0.", 0.0),
        Mistake("close: the factor 2 of (2/n) Σ (ŷᵢ − yᵢ) is missing.", want / 2),
    ])])


Q2 = Exercise(
    name="q2_db", title="Q2: ∂J/∂b on zero-centred data", points=4,
    signature="q2_db(w, b) -> float", public_cases=_q2_public, hidden_cases=_q2_hidden,
    judge=_q2_judge, kind="question",
    forbidden=("gdcourse.linear.gradients", "gdcourse.linear.cost", "gdcourse.linear.train"),
)


def _q3_judge(case, got):
    want = reference.q3_max_rate()
    return combine([number(got, want, "the largest stable learning rate", tol=Tolerance(1e-3, 1e-9),
                           mistakes=[Mistake("that is twice the limit: the update is stable while "
                                             "|1 − η·(2/n)·Σxᵢ²| < 1.", 2 * want),
                                     Mistake("that is half the limit: η·(2/n)·Σxᵢ² may go up to 2.",
                                             want / 2)])])


def _q3_form(got):
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return f"q3_max_rate() should return a number, got {describe(got)}."
    return ""


Q3 = Exercise(
    name="q3_max_rate", title="Q3: the largest stable learning rate (salary data)", points=3,
    signature="q3_max_rate() -> float", public_cases=_no_cases,
    hidden_cases=lambda rng: _no_cases(), judge=_q3_judge, public_values=False,
    form=_form(_q3_form), kind="question",
    forbidden=("gdcourse.linear.max_stable_learning_rate", "gdcourse.linear.hessian"),
)


def _q4_judge(case, got):
    faster, batch, sgd = reference.q4_times()
    items = unpack(got, 3, "(faster, batch_seconds, sgd_seconds)", "q4_answer")
    if isinstance(items, Outcome):
        return items
    g_choice, g_batch, g_sgd = items
    names = {"sgd": "sgd", "stochastic": "sgd", "batch": "batch", "full-batch": "batch",
             "__answer__": faster}
    return combine([
        choice(g_choice, names, "the faster method"),
        number(g_batch, batch, "batch wall time (s)", tol=Tolerance(1e-6, 1e-9)),
        number(g_sgd, sgd, "SGD wall time (s)", tol=Tolerance(1e-6, 1e-9), mistakes=[
            Mistake("each SGD epoch makes one update per sample: 5 samples per epoch.", sgd / 5),
            Mistake("check the units: 0.001 s per sample.", sgd * 1000)]),
    ])


def _q4_form(got):
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return f"q4_answer() should return a tuple (faster, batch_seconds, sgd_seconds), got " \
               f"{describe(got)}."
    if not isinstance(got[0], str) or got[0].strip().lower() not in ("sgd", "stochastic", "batch",
                                                                      "full-batch"):
        return "the first item should be \"batch\" or \"sgd\"."
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in got[1:]):
        return "the second and third items should be numbers of seconds."
    return ""


Q4 = Exercise(
    name="q4_answer", title="Q4: batch vs SGD wall-clock time", points=3,
    signature="q4_answer() -> (faster, batch_seconds, sgd_seconds)", public_cases=_no_cases,
    hidden_cases=lambda rng: _no_cases(), judge=_q4_judge, public_values=False,
    form=_form(_q4_form), kind="question",
)


def _q5_judge(case, got):
    items = unpack(got, 2, "(factor, rate)", "q5_answer")
    if isinstance(items, Outcome):
        return items
    factor, rate = items
    a_factor, a_rate = reference.Q5_ANSWER
    letters_f = {k: k for k in reference.Q5_FACTOR_OPTIONS} | {"__answer__": a_factor}
    letters_r = {k: k for k in reference.Q5_RATE_OPTIONS} | {"__answer__": a_rate}
    return combine([
        choice(factor, letters_f, "what decides the minimum", explain={
            "a": "Gradient descent only sees the local slope; it cannot know where the deepest "
                 "minimum is.",
            "c": "More epochs only settle it deeper into the basin it is already in.",
            "d": "Plain (batch) gradient descent is deterministic."}),
        choice(rate, letters_r, "the learning rate's effect", explain={
            "a": "A large step can jump over the ridge between basins.",
            "c": "A large rate can just as well jump into the worse basin, or diverge.",
            "d": "A small rate follows the slope down into whichever basin it starts in."}),
    ])


def _q5_form(got):
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not all(
            isinstance(v, str) and v.strip().lower() in "abcd" and v.strip() for v in got):
        return f"q5_answer() should return two letters, e.g. (\"a\", \"d\"), got {describe(got)}."
    return ""


Q5 = Exercise(
    name="q5_answer", title="Q5: basins of attraction", points=3,
    signature="q5_answer() -> (letter, letter)", public_cases=_no_cases,
    hidden_cases=lambda rng: _no_cases(), judge=_q5_judge, public_values=False,
    form=_form(_q5_form), kind="question",
)


EXERCISES: tuple[Exercise, ...] = (SIGMOID, BACKWARD_ONE, PROPAGATE_LOOPS, PROPAGATE, GD_STEP,
                                   TRAIN, MAX_STABLE_RATE, STOP_REASON, Q1, Q2, Q3, Q4, Q5)


def names() -> list[str]:
    """The learner's function names, in notebook order."""
    return [e.name for e in EXERCISES]


def get(name: str) -> Exercise:
    """The exercise whose function is called ``name``."""
    for e in EXERCISES:
        if e.name == name:
            return e
    raise KeyError(f"no exercise named {name!r}; the exercises are {names()}.")
