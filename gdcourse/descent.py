"""One gradient-descent loop for every model in the course.

``gradient_descent`` takes the parameters, a function returning the cost and
its gradients, a learning rate and stopping rules, and returns a
:class:`History`: one row per epoch (epoch 0 is the state before the first
update) plus the reason training stopped. ``print(history)`` gives the trace
table of the salary example; in a notebook the history displays as an HTML
table.

Stopping rules are checked in this order at every epoch, on the state the
row records (:func:`stop_rule`, which every loop of the course calls):

1. ``"diverged"``: the cost or the gradient norm is not finite, or the cost
   grew above ``divergence_factor`` times its starting value;
2. ``"gradient_norm"``: the Euclidean norm of all gradients together is
   below ``grad_tol``;
3. ``"tolerance"``: ``|J(t) - J(t-1)| < tol`` (from epoch 1 on);
4. ``"max_epochs"``: ``max_epochs`` updates have been made.

If none fires, the parameters are updated, ``p := p - learning_rate * dp``.
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from ._validate import describe, as_float, nonnegative_int, positive_float, positive_int
from .digits import counted, fixed

__all__ = ["gradient_descent", "History", "STOP_REASONS", "DIVERGENCE_FACTOR", "stop_rule",
           "stop_epoch", "early_stopping"]

#: The stopping rules, in the order :func:`stop_rule` checks them.
STOP_REASONS = ("diverged", "gradient_norm", "tolerance", "max_epochs")

#: A cost above this multiple of the starting cost counts as diverged (the default everywhere).
DIVERGENCE_FACTOR = 1e8

GradFn = Callable[[dict], tuple[float, dict]]


def _copy(value):
    return np.array(value, dtype=float, copy=True) if isinstance(value, np.ndarray) else float(value)


@dataclass
class History:
    """What happened during one run of :func:`gradient_descent`.

    Attributes
    ----------
    epochs : list of int
        0, 1, 2, ... ; row ``t`` is the state after ``t`` updates.
    params : list of dict
        Parameter values at each epoch (copies; floats or arrays).
    costs : list of float
        The cost ``J`` at each epoch's parameters.
    grads : list of dict
        The gradients at each epoch's parameters, keyed like ``params``.
    stop_reason : str
        One of ``"tolerance"``, ``"max_epochs"``, ``"gradient_norm"``, ``"diverged"``.
    learning_rate : float
    """

    learning_rate: float
    epochs: list = field(default_factory=list)
    params: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    grads: list = field(default_factory=list)
    stop_reason: str = ""

    def record(self, epoch, params, cost, grads):
        """Append one epoch's row (copies of ``params`` and ``grads``); the loops call this."""
        self.epochs.append(epoch)
        self.params.append({k: _copy(v) for k, v in params.items()})
        self.costs.append(float(cost))
        self.grads.append({k: _copy(v) for k, v in grads.items()})

    # -- convenient views -------------------------------------------------
    def _last(self, column: list):
        if not column:
            raise ValueError("History has no epochs yet: nothing was recorded.")
        return column[-1]

    @property
    def final_params(self) -> dict:
        """Parameters of the last recorded epoch."""
        return self._last(self.params)

    @property
    def final_cost(self) -> float:
        return self._last(self.costs)

    @property
    def n_updates(self) -> int:
        """How many parameter updates were made (the last epoch number)."""
        return self._last(self.epochs)

    def param(self, name: str) -> np.ndarray:
        """Trajectory of one parameter, shape ``(n_epochs,)`` or ``(n_epochs, *shape)``."""
        return np.array([p[name] for p in self.params])

    def grad(self, name: str) -> np.ndarray:
        """Gradient of the cost with respect to ``name`` at each epoch."""
        return np.array([g[name] for g in self.grads])

    def grad_norms(self) -> np.ndarray:
        """Euclidean norm of the full gradient at each epoch, shape ``(n_epochs,)``."""
        total = np.zeros(len(self.grads))
        for key in (self.grads[0] if self.grads else ()):
            g = self.grad(key).reshape(len(self.grads), -1)
            total += np.sum(g * g, axis=1)
        return np.sqrt(total)

    # -- the trace table --------------------------------------------------
    def _columns(self):
        """(name, index) per table column; index None for a scalar parameter."""
        cols = []
        for key, value in self.params[0].items():
            if np.ndim(value) == 0:
                cols.append((key, None))
            else:
                cols.extend((key, i) for i in range(np.size(value)))
        return cols

    def rows(self, max_rows: int | None = None):
        """Header and rows of the trace table (numbers as floats).

        ``max_rows`` (an int >= 2, or None for all) keeps the first and last
        epochs with a ``None`` row for the ones left out.
        """
        if max_rows is not None:
            max_rows = positive_int(max_rows, "max_rows")
            if max_rows < 2:
                raise ValueError(f"max_rows must be >= 2 (the first and the last epoch) or None, "
                                 f"got {max_rows}.")
        self._last(self.epochs)
        cols = self._columns()

        def label(key, i):
            return key if i is None else f"{key}{i + 1}"

        header = (["epoch"] + [label(k, i) for k, i in cols] + ["J"]
                  + [f"∂J/∂{label(k, i)}" for k, i in cols])
        idx = list(range(len(self.epochs)))
        if max_rows is not None and len(idx) > max_rows:
            head = max_rows // 2
            idx = idx[:head] + [None] + idx[-(max_rows - head):]
        rows = []
        for t in idx:
            if t is None:
                rows.append(None)
                continue
            p, g = self.params[t], self.grads[t]

            def pick(d, k, i):
                return float(d[k]) if i is None else float(np.ravel(d[k])[i])

            rows.append([self.epochs[t]] + [pick(p, k, i) for k, i in cols] + [self.costs[t]]
                        + [pick(g, k, i) for k, i in cols])
        return header, rows

    def table(self, decimals: int = 4, max_rows: int | None = 12) -> str:
        """The trace table as aligned text (``max_rows=None`` shows every epoch)."""
        decimals = nonnegative_int(decimals, "decimals")
        header, rows = self.rows(max_rows)

        cells = [header] + [["…"] * len(header) if r is None
                            else [str(r[0])] + [_number(v, decimals) for v in r[1:]]
                            for r in rows]
        widths = [max(len(c[j]) for c in cells) for j in range(len(header))]
        lines = ["  ".join(c[j].rjust(widths[j]) for j in range(len(header))) for c in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"stopped after {counted(self.n_updates, 'update')}: {self.stop_reason}"
                     f" (learning rate {self.learning_rate:g})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        if not self.epochs:
            return "History(epochs=0)"
        return (f"History(epochs={len(self.epochs)}, final_cost={self.final_cost:.6g}, "
                f"stop_reason={self.stop_reason!r})")

    def _repr_html_(self) -> str:
        header, rows = self.rows(12)
        th = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = []
        for r in rows:
            if r is None:
                body.append("<tr>" + "<td>…</td>" * len(header) + "</tr>")
            else:
                tds = [f"<td>{r[0]}</td>"] + [f"<td>{_number(v, 4)}</td>" for v in r[1:]]
                body.append("<tr>" + "".join(tds) + "</tr>")
        caption = (f"stopped after {counted(self.n_updates, 'update')}: {self.stop_reason} "
                   f"(learning rate {self.learning_rate:g})")
        return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{th}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>")


def _number(v: float, decimals: int) -> str:
    """A table entry: fixed ``decimals``, no "-0.0000", scientific from 1e6 up (a diverging
    run's values would otherwise make columns hundreds of characters wide)."""
    if np.isfinite(v) and abs(v) >= 1e6:
        return f"{v:.{decimals}e}"
    return fixed(v, decimals)


def _norm(grads: Mapping) -> float:
    return float(np.sqrt(sum(float(np.sum(np.square(v))) for v in grads.values())))


def stop_rule(costs, grad_norm, *, max_epochs=None, tol=None, grad_tol=None,
              divergence_factor=DIVERGENCE_FACTOR) -> str | None:
    """The stopping rule that fires after the last recorded epoch, or ``None`` to go on.

    The rules of this module, in the order of :data:`STOP_REASONS`. Every loop
    of the course (:func:`gradient_descent`, :func:`gdcourse.stochastic.minibatch_gd`,
    :mod:`gdcourse.optimizers`) and every figure that finds where a rule fires
    calls this one function.

    Parameters
    ----------
    costs : sequence of float
        ``J`` at epochs 0, 1, ..., t (epoch 0 is before the first update); only
        the first and the last two are read.
    grad_norm : float
        Euclidean norm of the gradient at epoch t.
    max_epochs : int or None
        Stop once ``t >= max_epochs``; None: no such rule.
    tol, grad_tol : float or None
        The tolerance on ``|J(t) − J(t−1)|`` and the gradient-norm threshold; None: off.
    divergence_factor : float or None, default :data:`DIVERGENCE_FACTOR`
        A cost above this multiple of ``|J(0)|`` (at least 1e-12) counts as
        diverged; None checks only for values that are not finite.

    Returns
    -------
    str or None
        One of :data:`STOP_REASONS`, or None.
    """
    if not hasattr(costs, "__len__") or isinstance(costs, (str, bytes)):
        raise TypeError(f"costs must be a sequence of numbers, got {describe(costs)}.")
    if len(costs) == 0:
        raise ValueError("costs must hold at least the starting cost, got an empty sequence.")
    max_epochs = None if max_epochs is None else nonnegative_int(max_epochs, "max_epochs")
    tol = None if tol is None else positive_float(tol, "tol")
    grad_tol = None if grad_tol is None else positive_float(grad_tol, "grad_tol")
    if divergence_factor is not None:
        divergence_factor = positive_float(divergence_factor, "divergence_factor")
    previous = _real(costs[-2], "costs[-2]") if len(costs) > 1 else math.nan
    tests = _rule_tests(_real(costs[-1], "costs[-1]"), previous,
                        _real(grad_norm, "grad_norm"), _real(costs[0], "costs[0]"),
                        len(costs) - 1, max_epochs=max_epochs, tol=tol, grad_tol=grad_tol,
                        divergence_factor=divergence_factor)
    return next((reason for reason, fired in tests if fired), None)


def _real(value, name: str) -> float:
    """A real number that may be NaN or infinite (a diverged run's cost is data, not an error)."""
    if (isinstance(value, (str, bytes, bool, np.bool_))
            or not isinstance(value, (numbers.Real, np.ndarray))):
        raise TypeError(f"{name} must be a number, got {describe(value)}.")
    return float(value)


def _rule_tests(cost, previous, grad_norm, start, epoch, *, max_epochs, tol, grad_tol,
                divergence_factor):
    """Each rule's test, in the order of STOP_REASONS: the one place the rules are written.

    Works on numbers (one epoch) and on arrays (one entry per epoch; ``previous``
    is NaN at epoch 0, where the tolerance rule cannot fire).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        diverged = ~(np.isfinite(cost) & np.isfinite(grad_norm))
        if divergence_factor is not None:
            diverged = diverged | (cost > divergence_factor * max(abs(start), 1e-12))
        return (("diverged", diverged),
                ("gradient_norm", grad_tol is not None and grad_norm < grad_tol),
                ("tolerance", tol is not None and (epoch >= 1) & (np.abs(cost - previous) < tol)),
                ("max_epochs", max_epochs is not None and epoch >= max_epochs))


def stop_epoch(history: History, rule: str, threshold) -> int | None:
    """The epoch at which ``rule`` alone would have stopped this recorded run, or ``None``.

    ``rule`` is ``"tolerance"`` or ``"gradient_norm"`` (``threshold`` is ε or g)
    or ``"max_epochs"`` (``threshold`` is the number of updates), tested with
    :func:`stop_rule` epoch by epoch; divergence is not checked.
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be a History, got {type(history).__name__}.")
    if not history.costs:
        raise ValueError("history must hold at least one epoch, got an empty History.")
    if rule not in STOP_REASONS or rule == "diverged":
        raise ValueError(f"rule must be 'tolerance', 'gradient_norm' or 'max_epochs', "
                         f"got {rule!r}.")
    settings = {"max_epochs": None, "tol": None, "grad_tol": None}
    if rule == "max_epochs":
        settings["max_epochs"] = nonnegative_int(threshold, "threshold")
    else:
        settings["tol" if rule == "tolerance" else "grad_tol"] = positive_float(threshold,
                                                                                "threshold")
    costs = np.asarray(history.costs, dtype=float)
    previous = np.concatenate([[np.nan], costs[:-1]])
    norms = history.grad_norms() if rule == "gradient_norm" else np.zeros(costs.size)
    tests = dict(_rule_tests(costs, previous, norms, costs[0], np.array(history.epochs),
                             divergence_factor=None, **settings))
    hits = np.flatnonzero(np.broadcast_to(tests[rule], costs.shape))
    return int(history.epochs[hits[0]]) if hits.size else None


def _check_grad_fn_output(cost, grads, current) -> None:
    """Refuse what would otherwise broadcast or crash later with a numpy message."""
    if np.ndim(cost) != 0 or isinstance(cost, (str, bytes, bool, np.bool_)):
        raise TypeError(f"grad_fn must return the cost as a single number, got {describe(cost)}.")
    if not isinstance(grads, Mapping) or set(grads) != set(current):
        got = sorted(grads) if isinstance(grads, Mapping) else describe(grads)
        raise ValueError(f"grad_fn must return gradients for {sorted(current)}, got {got}.")
    for k, v in current.items():
        if np.shape(grads[k]) != np.shape(v):
            raise ValueError(
                f"grad_fn returned grads[{k!r}] of shape {np.shape(grads[k])}, but params[{k!r}] "
                f"has shape {np.shape(v)}; they must match, or the update would broadcast "
                f"(a rank-1 (n,) gradient against an (n, 1) parameter gives an (n, n) matrix).")


def gradient_descent(grad_fn: GradFn, params: Mapping, learning_rate, *, max_epochs=1000,
                     tol=None, grad_tol=None, divergence_factor=DIVERGENCE_FACTOR) -> History:
    """Minimise a cost by gradient descent.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(params) -> (cost, grads)``; ``grads`` has the same keys and
        shapes as ``params`` (``grads["w"]`` is ∂J/∂w).
    params : mapping of str to float or ndarray
        Starting values; they are copied, never modified.
    learning_rate : float
        Step size η (alpha), > 0.
    max_epochs : int, default 1000
        Largest number of updates.
    tol : float or None
        Stop when ``|J(t) - J(t-1)| < tol``.
    grad_tol : float or None
        Stop when the gradient's Euclidean norm is below ``grad_tol``.
    divergence_factor : float, default :data:`DIVERGENCE_FACTOR` (1e8)
        Stop with ``"diverged"`` when the cost exceeds this multiple of the
        starting cost (or is not finite). An ``OverflowError`` or
        ``FloatingPointError`` raised by ``grad_fn`` after the start (say,
        ``math.exp`` of a huge value) also stops the run as ``"diverged"``; the
        history then ends at the last state ``grad_fn`` could evaluate.

    Returns
    -------
    History
    """
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, got {type(grad_fn).__name__}.")
    if not isinstance(params, Mapping) or not params:
        raise TypeError(f"params must be a non-empty dict of parameter values, got {params!r:.80}.")
    learning_rate = positive_float(learning_rate, "learning_rate")
    max_epochs = nonnegative_int(max_epochs, "max_epochs")
    tol = None if tol is None else positive_float(tol, "tol")
    grad_tol = None if grad_tol is None else positive_float(grad_tol, "grad_tol")
    divergence_factor = positive_float(divergence_factor, "divergence_factor")

    current = {k: _copy(v) for k, v in params.items()}
    history = History(learning_rate=learning_rate)
    # Overflow in a diverging run is detected and reported, not printed as a warning.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(max_epochs + 1):
            try:
                result = grad_fn(current)
            except (OverflowError, FloatingPointError):
                if epoch == 0:                   # the start itself: the caller's problem
                    raise
                # Python-float maths (math.exp, x ** 2) raises where NumPy gives inf
                history.stop_reason = "diverged"
                break
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TypeError(f"grad_fn must return a pair (cost, grads), "
                                f"got {describe(result)}.")
            cost, grads = result
            _check_grad_fn_output(cost, grads, current)
            history.record(epoch, current, cost, grads)
            reason = stop_rule(history.costs, _norm(grads), max_epochs=max_epochs, tol=tol,
                               grad_tol=grad_tol, divergence_factor=divergence_factor)
            if reason:
                history.stop_reason = reason
                break
            current = {k: current[k] - learning_rate * grads[k] for k in current}
    return history


def early_stopping(val_costs, patience: int, *, min_improvement=0.0) -> tuple[int, int | None]:
    """Where early stopping on a validation cost would keep and end a run.

    The rule: the best epoch so far is the last one whose validation cost was
    lower than every earlier one by more than ``min_improvement``; training
    ends at the first epoch that is ``patience`` epochs after the best one
    with no such improvement since.

    Parameters
    ----------
    val_costs : array_like, shape (n_epochs,)
        Validation cost after each epoch (entry 0 = the start).
    patience : int, >= 1
        Epochs to wait for an improvement.
    min_improvement : float, default 0
        How much lower a cost must be to count as better (0: any decrease).

    Returns
    -------
    best_epoch : int
        The epoch whose parameters early stopping keeps.
    stop_epoch : int or None
        The epoch at which it ends training, or None if the run ended first.
    """
    val = np.asarray(val_costs, dtype=float)
    if val.ndim != 1 or val.size == 0 or not np.isfinite(val).all():
        raise ValueError(f"val_costs must be a non-empty 1-D sequence of finite numbers, "
                         f"got {describe(val_costs)}.")
    patience = positive_int(patience, "patience")
    min_improvement = as_float(min_improvement, "min_improvement")
    if min_improvement < 0:
        raise ValueError(f"min_improvement must be >= 0, got {min_improvement!r}.")
    best = 0
    for t in range(1, val.size):
        if val[t] < val[best] - min_improvement:
            best = t
        elif t - best == patience:
            return best, t
    return best, None
