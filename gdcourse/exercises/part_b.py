"""Part B of notebook 07, the salary regression: exercises 5 to 8."""

from __future__ import annotations

import math

import numpy as np

from .. import data, linear
from ..digits import counted
from . import hints, reference
from .cases import Case, Kind
from .compare import Mistake, Outcome, Tolerance, combine, fail, number, sequence, unpack
from .exercise import Exercise
from .part_a import GRAD_TOL, signed
from .values import describe

__all__ = ["GD_STEP", "TRAIN", "MAX_STABLE_RATE", "STOP_REASON", "line_data"]


def line_data(rng, n):
    """n points near a line, not centred (so b matters)."""
    x = rng.normal(0, 1.5, n) + rng.uniform(-1, 2)
    y = rng.uniform(1, 3) * x + rng.normal(0, 1) + rng.normal(0, 0.5, n)
    return x, y


def _standardized(x):
    return linear.Standardizer.fit(x).transform(x)


# -- 5. one gradient-descent step on the linear model ---------------------------------------------
def _step_case(rng, n, label, w=None, b=None, lr=None):
    x, y = line_data(rng, n)
    w = signed(rng, 0.2, 2) if w is None else w
    b = signed(rng, 0.2, 2) if b is None else b
    lr = float(rng.uniform(0.01, 0.3)) if lr is None else lr
    return Case(label, (w, b, x, y, lr))


def _salary_step(rng):
    x_n, y_n = reference.normalized_salary()
    w, b, lr = signed(rng, 0.1, 1.5), signed(rng, 0.1, 1.0), float(rng.uniform(0.01, 0.5))
    return Case(f"standardised salary data, w = {w:.3g}, b = {b:.3g}", (w, b, x_n, y_n, lr))


STEP_KINDS = (
    Kind("the standardised salary data",
         (Case("standardised salary data, w = b = 0, η = 0.1",
               (0.0, 0.0, *reference.normalized_salary(), 0.1)),), _salary_step),
    Kind("a few points that are not centred (3 to 8)",
         (_step_case(np.random.default_rng(5), 6, "6 random points, w = 0.5, b = -1, η = 0.05",
                     0.5, -1.0, 0.05),),
         lambda rng: _step_case(rng, int(rng.integers(3, 9)), "a few random points")),
    Kind("more points that are not centred (9 to 30)",
         (_step_case(np.random.default_rng(6), 20, "20 random points"),),
         lambda rng: _step_case(rng, int(rng.integers(9, 31)), "more random points")),
)


def _step_judge(case, got):
    w, b, x, y, lr = case.args
    n = len(x)
    dw, db = linear.gradients(w, b, x, y)
    dw0, db0 = linear.gradients(w, 0.0, x, y)
    w_new = w - lr * dw
    db_late = linear.gradients(w_new, b, x, y)[1]
    items = unpack(got, 2, "w, b", "gd_step")
    if isinstance(items, Outcome):
        return items
    gw, gb = items
    return combine([
        number(gw, w_new, "new w", tol=GRAD_TOL,
               mistakes=[Mistake(hints.UPHILL, w + lr * dw), Mistake(hints.NO_FACTOR_2,
                                                                     w - lr * dw / 2),
                         Mistake(hints.NO_N, w - lr * dw * n), Mistake(hints.MISSING_B_YHAT,
                                                                       w - lr * dw0),
                         Mistake(hints.RETURNED_GRADIENTS, dw)]),
        number(gb, b - lr * db, "new b", tol=GRAD_TOL,
               mistakes=[Mistake(hints.UPHILL, b + lr * db), Mistake(hints.NO_FACTOR_2,
                                                                     b - lr * db / 2),
                         Mistake(hints.NO_N, b - lr * db * n), Mistake(hints.MISSING_B_YHAT,
                                                                       b - lr * db0),
                         Mistake(hints.RETURNED_GRADIENTS, db),
                         Mistake(hints.NOT_SIMULTANEOUS, b - lr * db_late)]),
    ])


GD_STEP = Exercise(
    name="gd_step", title="One gradient-descent step", points=8,
    signature="gd_step(w, b, x, y, learning_rate) -> (w, b)",
    kinds=STEP_KINDS, judge=_step_judge,
    forbidden=("gdcourse.linear.gradients", "gdcourse.linear.train",
               "gdcourse.descent.gradient_descent"),
)


# -- 6. training ------------------------------------------------------------------------------
def _train_case(x, y, lr, epochs, what):
    return Case(f"{what}, η = {lr:.3g}, {epochs} epochs", (x, y, lr, epochs))


def _stable_rate(rng, x):
    return float(rng.uniform(0.1, 0.9) * linear.max_stable_learning_rate(x))


def _standardized_case(rng):
    x, y = line_data(rng, int(rng.integers(4, 15)))
    x, y = _standardized(x), _standardized(y)
    return _train_case(x, y, _stable_rate(rng, x), int(rng.integers(1, 40)),
                       f"{x.size} standardised points")


def _raw_case(rng, low, high, what):
    x, y = line_data(rng, int(rng.integers(low, high)))
    return _train_case(x, y, _stable_rate(rng, x), int(rng.integers(1, 40)),
                       f"{x.size} {what}")


def _no_epochs(rng):
    x_n, y_n = reference.normalized_salary()
    return _train_case(x_n, y_n, float(rng.uniform(0.05, 0.5)), 0, "standardised salary data")


_XS, _YS = reference.normalized_salary()

TRAIN_KINDS = (
    Kind("standardised data (b stays at 0)",
         (_train_case(_XS, _YS, 0.1, 5, "standardised salary data"),
          _train_case(_XS, _YS, 0.5, 20, "standardised salary data")), _standardized_case),
    Kind("data that are not centred (b moves)",
         (_raw_case(np.random.default_rng(21), 6, 7, "points that are not centred"),),
         lambda rng: _raw_case(rng, 4, 15, "points that are not centred")),
    Kind("more data that are not centred",
         (_raw_case(np.random.default_rng(22), 25, 26, "points that are not centred"),),
         lambda rng: _raw_case(rng, 15, 40, "points that are not centred")),
    Kind("0 epochs (only the starting cost)",
         (_train_case(_XS, _YS, 0.1, 0, "standardised salary data"),), _no_epochs),
)


def _train_w_only(x, y, lr, epochs):
    """``train`` with the classic slip of never updating b (to recognise it, not a reference)."""
    w, costs = 0.0, [linear.cost(0.0, 0.0, x, y)]
    for _ in range(epochs):
        w -= lr * linear.gradients(w, 0.0, x, y)[0]
        costs.append(linear.cost(w, 0.0, x, y))
    return w, 0.0, np.array(costs)


def _train_judge(case, got):
    x, y, lr, epochs = case.args
    h = linear.train(x, y, lr, max_epochs=epochs)
    half = linear.train(x, y, lr / 2, max_epochs=epochs)
    w_only = _train_w_only(x, y, lr, epochs)
    items = unpack(got, 3, "w, b, costs", "train")
    if isinstance(items, Outcome):
        return items
    gw, gb, gcosts = items
    return combine([
        number(gw, h.final_params["w"], "w", tol=GRAD_TOL,
               mistakes=[Mistake(hints.HALF_STEPS, half.final_params["w"]),
                         Mistake(hints.B_NEVER_UPDATED, w_only[0])]),
        number(gb, h.final_params["b"], "b", tol=GRAD_TOL,
               mistakes=[Mistake(hints.HALF_STEPS, half.final_params["b"]),
                         Mistake(hints.B_NEVER_UPDATED, w_only[1])]),
        sequence(gcosts, np.array(h.costs), "costs", tol=GRAD_TOL,
                 mistakes=[Mistake(hints.HALF_STEPS, np.array(half.costs)),
                           Mistake(hints.B_NEVER_UPDATED, w_only[2])],
                 length_hint=hints.COSTS_COUNT.format(epochs=counted(epochs, "epoch"),
                                                       costs=counted(epochs + 1, "cost"))),
    ], weights=[0.35, 0.35, 0.3])


TRAIN = Exercise(
    name="train", title="Training on the salary data", points=10,
    signature="train(x, y, learning_rate, epochs) -> (w, b, costs)",
    kinds=TRAIN_KINDS, judge=_train_judge,
    forbidden=("gdcourse.linear.train", "gdcourse.descent.gradient_descent"),
)


# -- 7. the stability limit of the learning rate ----------------------------------------------------
def _x(label, x):
    return Case(label, (np.asarray(x, dtype=float),))


def _raw_standardized(rng):
    return _x("standardised x", _standardized(rng.normal(5, 2, int(rng.integers(4, 20)))))


RATE_KINDS = (
    Kind("standardised x", (_x("standardised salary x", _XS),), _raw_standardized),
    Kind("x in raw units, positive mean",
         (_x("salary x in years (not standardised)", data.salary()[0]),),
         lambda rng: _x("x uniform on [0, 10]", rng.uniform(0, 10, int(rng.integers(4, 20))))),
    Kind("x centred at 0",
         (_x("x centred at 0", [-2.5, -1.0, 0.0, 0.5, 3.0]),),
         lambda rng: _x("x centred at 0", (lambda v: v - v.mean())(
             rng.normal(0, rng.uniform(0.5, 3), int(rng.integers(4, 20)))))),
    Kind("x with a negative mean",
         (_x("x with a negative mean", [-4.0, -3.5, -2.0, -3.0]),),
         lambda rng: _x("x with a negative mean", rng.normal(-3, 1, int(rng.integers(3, 10))))),
)


def _rate_judge(case, got):
    (x,) = case.args
    n = x.size
    want = linear.max_stable_learning_rate(x)
    lam = linear.hessian_eigenvalues(x)
    return combine([number(got, want, "max_stable_rate(x)", tol=Tolerance(1e-6, 1e-12), mistakes=[
        Mistake(hints.RATE_SEED_HINT, 1.0 / float(np.mean(x * x))),
        Mistake(hints.RATE_ONE_OVER, 1.0 / lam[-1]),
        Mistake(hints.RATE_LAMBDA_MIN, 2.0 / lam[0]),
        Mistake(hints.RATE_HESSIAN_NO_2, 2.0 * want),
        Mistake(hints.RATE_HESSIAN_NO_N, want / n),
    ])])


MAX_STABLE_RATE = Exercise(
    name="max_stable_rate", title="The stability limit of the learning rate", points=10,
    signature="max_stable_rate(x) -> float",
    kinds=RATE_KINDS, judge=_rate_judge,
    forbidden=("gdcourse.linear.max_stable_learning_rate", "gdcourse.linear.hessian",
               "gdcourse.linear.hessian_eigenvalues"),
)


# -- 8. which stopping rule fired ---------------------------------------------------------------
STOP_ORDER = reference.STOP_REASONS


def stop_variant(costs, grad_norm, tol, grad_tol, max_epochs, *, order=None, signed=False,
                 inclusive=False, finite_grad=True):
    """A deliberately wrong stop rule, to recognise classic mistakes (not a reference)."""
    epoch = len(costs) - 1
    cost = costs[-1]
    checks = {
        "diverged": lambda: (not math.isfinite(cost)
                             or (finite_grad and not math.isfinite(grad_norm))
                             or cost > reference.DIVERGENCE_FACTOR * max(abs(costs[0]), 1e-12)),
        "gradient_norm": lambda: grad_tol is not None and (grad_norm <= grad_tol if inclusive
                                                           else grad_norm < grad_tol),
        "tolerance": lambda: tol is not None and epoch >= 1 and (
            (costs[-2] - cost if signed else abs(cost - costs[-2])) < tol),
        "max_epochs": lambda: epoch >= max_epochs,
    }
    for rule in order or STOP_ORDER:
        if checks[rule]():
            return rule
    return None


def _scenario(rng):
    """Numbers for one stop-rule case: J0, tol, grad_tol, max_epochs and a falling cost."""
    J0 = float(rng.uniform(0.5, 5.0))
    tol = float(10.0 ** rng.uniform(-7, -4))
    gtol = float(10.0 ** rng.uniform(-7, -4))
    top = int(rng.integers(5, 12))
    return J0, tol, gtol, top, [J0 * 0.7 ** k for k in range(top + 1)]


def _stop_kind(label, public_args, build):
    """A kind whose hidden case is ``build(J0, tol, gtol, top, falling)``."""
    return Kind(label, (Case(label, public_args),),
                lambda rng: Case(label, build(*_scenario(rng))))


STOP_KINDS = (
    _stop_kind("epoch 0: only one cost so far", ([1.0], 2.0, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: ([J0], 1.0, tol, gtol, top)),
    _stop_kind("the cost changed by less than tol", ([1.0, 0.5, 0.49999999], 0.1, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:3] + [f[2] - tol / 3], 0.5, tol, gtol, top)),
    _stop_kind("the gradient norm is below grad_tol", ([1.0, 0.5], 1e-9, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:2], gtol / 100, tol, gtol, top)),
    _stop_kind("gradient norm and cost change both below their limits",
               ([1.0, 0.5, 0.5 - 2e-7], 1e-8, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:2] + [f[1] - tol / 4], gtol / 10, tol, gtol,
                                              top)),
    _stop_kind("max_epochs updates made", ([1.0, 0.6, 0.4, 0.3], 0.5, 1e-6, 1e-6, 3),
               lambda J0, tol, gtol, top, f: (f, 0.3, tol, gtol, top)),
    _stop_kind("the last epoch, and the cost settled",
               ([1.0, 0.6, 0.6 - 1e-8], 0.2, 1e-6, 1e-6, 2),
               lambda J0, tol, gtol, top, f: (f[:top] + [f[top - 1] - tol / 5], 0.2, tol, gtol,
                                              top)),
    _stop_kind("the cost is infinite", ([1.0, 50.0, math.inf], 1e3, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:2] + [math.inf], 1e3, tol, gtol, top)),
    _stop_kind("the cost is NaN", ([1.0, 0.8, math.nan], 1.0, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:3] + [math.nan], 1.0, tol, gtol, top)),
    _stop_kind(f"the cost blew up (more than 1e{math.log10(reference.DIVERGENCE_FACTOR):.0f} times "
               "the first)",
               ([2.0, 40.0, 3e8], 1e5, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:2] + [J0 * 3e8], 1e5, tol, gtol, top)),
    _stop_kind("the gradient norm is infinite", ([1.0, 0.9], math.inf, 1e-6, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:3], math.inf, tol, gtol, top)),
    _stop_kind("the cost went up a little", ([1.0, 0.6, 0.7], 0.5, 1e-3, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:3] + [f[2] + 0.1], 0.5, 1e-3, gtol, top)),
    _stop_kind("the gradient norm exactly equal to grad_tol", ([1.0, 0.5], 1e-6, 1e-9, 1e-6, 100),
               lambda J0, tol, gtol, top, f: (f[:3], gtol, tol, gtol, top)),
    _stop_kind("tol and grad_tol are None", ([1.0, 0.6, 0.4], 1e-12, None, None, 100),
               lambda J0, tol, gtol, top, f: (f[:4], 1e-12, None, None, top)),
)

_STOP_HINTS = (
    ({"order": ("max_epochs", "diverged", "gradient_norm", "tolerance")}, hints.STOP_ORDER),
    ({"order": ("diverged", "tolerance", "gradient_norm", "max_epochs")}, hints.STOP_ORDER),
    ({"order": ("diverged", "gradient_norm", "max_epochs", "tolerance")}, hints.STOP_ORDER),
    ({"order": ("gradient_norm", "tolerance", "max_epochs", "diverged")},
     hints.STOP_DIVERGED_FIRST),
    ({"signed": True}, hints.STOP_SIGNED),
    ({"inclusive": True}, hints.STOP_STRICT),
    ({"finite_grad": False}, hints.STOP_NONFINITE_GRAD),
)


def _stop_judge(case, got):
    args = case.args
    want = reference.stop_reason(*args)
    if got is not None and not isinstance(got, str):
        return fail(f"stop_reason should return one of {', '.join(map(repr, STOP_ORDER))} or "
                    f"None, got {describe(got)}.")
    if got == want:
        return Outcome(1.0)
    msg = f"expected {want!r}, got {got!r}."
    for kwargs, hint in _STOP_HINTS:
        if stop_variant(*args, **kwargs) == got:
            return fail(f"{msg} Hint: {hint}")
    if got is not None and got not in STOP_ORDER:
        return fail(f"{msg} The answer must be one of {', '.join(map(repr, STOP_ORDER))} or None.")
    return fail(msg)


STOP_REASON = Exercise(
    name="stop_reason", title="Which stopping rule fired", points=10,
    signature="stop_reason(costs, grad_norm, tol, grad_tol, max_epochs) -> str or None",
    kinds=STOP_KINDS, judge=_stop_judge,
    forbidden=("gdcourse.descent.gradient_descent", "gdcourse.descent.stop_rule"),
    error_hints=(("TypeError", "NoneType", hints.STOP_NONE),
                 ("IndexError", "", hints.STOP_EPOCH_0)),
)
