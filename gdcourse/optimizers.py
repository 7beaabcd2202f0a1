"""Gradient descent with momentum, and Adam, for the linear model (seed 003, "Where this leads").

Both change *how the step is taken*, not how the gradient is computed: the
cost and gradients are those of :mod:`gdcourse.linear` (MSE on 1-D ``x``,
``y``; parameters θ = (w, b)), with ``g_t = ∇J(θ_t)``.

Momentum (heavy ball, in the form PyTorch and Keras use)::

    v_{t+1} = β·v_t + g_t,          v_0 = 0
    θ_{t+1} = θ_t − η·v_{t+1}

``v`` is a running sum of past gradients, each weighted by a power of β.
Equivalently ``θ_{t+1} = θ_t − η·g_t + β·(θ_t − θ_{t−1})`` (Polyak 1964).
With β = 0 it is plain gradient descent, number for number the run of
:func:`gdcourse.linear.train`. On the quadratic J the error ``e_t = θ_t − θ*``
obeys ``e_{t+1} = ((1 + β)·I − η·H)·e_t − β·e_{t−1}`` (``H``: the Hessian);
along an eigen-direction of curvature λ it is a sum of powers of the roots
of ``z² − (1 + β − η·λ)·z + β = 0`` (:func:`momentum_rate`).

Adam (Kingma & Ba 2015, Algorithm 1), for each parameter separately::

    m_t = β1·m_{t−1} + (1 − β1)·g_t            running mean of the gradient
    v_t = β2·v_{t−1} + (1 − β2)·g_t²           running mean of its square
    m̂_t = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t)     bias correction
    θ_t = θ_{t−1} − η·m̂_t / (√v̂_t + ε)

with ``m_0 = v_0 = 0`` and t = 1, 2, ... the update number. (The code keeps
``√v`` rather than ``v``, updated with ``np.hypot``, so that a gradient above
~1e154 does not overflow ``g²`` and freeze its parameter.) Because of the
bias correction the first step is ``η·g/(|g| + ε)``: each parameter moves by
about η, whatever the size of its gradient.

Both return a :class:`OptimizerHistory`, a :class:`~gdcourse.descent.History`
with one row per update (row 0 = the start), so every figure that draws a
history draws these runs too. The stopping rules are those of
:func:`gdcourse.descent.gradient_descent`, checked in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float, as_vector, nonnegative_int, positive_float
from .descent import DIVERGENCE_FACTOR, History, stop_rule
from ._mse_kernel import mse, mse_gradients, residuals
from .linear import hessian_eigenvalues

__all__ = ["OptimizerHistory", "momentum", "adam", "momentum_rate"]


@dataclass
class OptimizerHistory(History):
    """A :class:`~gdcourse.descent.History` that also says which method made it.

    Attributes
    ----------
    method : str
        ``"momentum"`` or ``"adam"``.
    settings : dict
        The method's constants: ``{"beta": β}`` or ``{"beta1": β1, "beta2": β2, "eps": ε}``.
    """

    method: str = ""
    settings: dict = field(default_factory=dict)

    def _settings_text(self) -> str:
        return ", ".join(f"{k} = {v:g}" for k, v in self.settings.items())

    def table(self, decimals: int = 4, max_rows: int | None = 12) -> str:
        text = super().table(decimals, max_rows)
        return f"{text}\nmethod: {self.method} ({self._settings_text()})"

    def __repr__(self) -> str:
        return (f"OptimizerHistory(method={self.method!r}, learning_rate={self.learning_rate:g}, "
                f"{self._settings_text()}, epochs={len(self.epochs)}, "
                f"final_cost={self.final_cost:.6g}, stop_reason={self.stop_reason!r})")


def _fraction(value, name: str) -> float:
    """A decay rate β with 0 ≤ β < 1 (β = 1 would never forget, and momentum would not converge)."""
    out = as_float(value, name)
    if not 0.0 <= out < 1.0:
        raise ValueError(f"{name} must be in [0, 1) (0 ≤ {name} < 1), got {out!r}.")
    return out


def _run(x, y, step, history, *, w0, b0, max_epochs, tol, grad_tol, divergence_factor):
    """The loop shared by both methods: evaluate, record, check the stopping rules, step.

    ``step(t, g)`` returns the change of θ at update ``t`` (1, 2, ...) from the
    gradient ``g`` (shape (2,)) at the current θ; it keeps its own state.
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    max_epochs = nonnegative_int(max_epochs, "max_epochs")
    tol = None if tol is None else positive_float(tol, "tol")
    grad_tol = None if grad_tol is None else positive_float(grad_tol, "grad_tol")
    divergence_factor = positive_float(divergence_factor, "divergence_factor")
    theta = np.array([as_float(w0, "w0"), as_float(b0, "b0")])
    # A diverging run overflows; that is detected and reported, not printed as a warning.
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for epoch in range(max_epochs + 1):
            r = residuals(theta[0], theta[1], x, y)
            cost = mse(r)
            g = np.array(mse_gradients(r, x))
            grads = {"w": float(g[0]), "b": float(g[1])}
            history.record(epoch, {"w": float(theta[0]), "b": float(theta[1])}, cost, grads)
            reason = stop_rule(history.costs, np.hypot(*g), max_epochs=max_epochs, tol=tol,
                               grad_tol=grad_tol, divergence_factor=divergence_factor)
            if reason:
                history.stop_reason = reason
                break
            theta = theta - step(epoch + 1, g)
    return history


def momentum(x, y, learning_rate, beta=0.9, *, w0=0.0, b0=0.0, max_epochs=1000, tol=None,
             grad_tol=None, divergence_factor=DIVERGENCE_FACTOR) -> OptimizerHistory:
    """Fit ``ŷ = w·x + b`` by gradient descent with (heavy-ball) momentum.

    ``v ← β·v + ∇J(θ)``, then ``θ ← θ − η·v``, starting from ``v = 0``.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The data; J is the MSE of :func:`gdcourse.linear.cost`.
    learning_rate : float
        Step size η > 0.
    beta : float, default 0.9
        Momentum β, 0 ≤ β < 1: the weight each earlier gradient keeps per update.
        ``beta=0`` is plain gradient descent (the same numbers as ``linear.train``).
    w0, b0 : float, default 0.0
        Start.
    max_epochs, tol, grad_tol, divergence_factor
        The stopping rules of :func:`gdcourse.descent.gradient_descent`.

    Returns
    -------
    OptimizerHistory
        One row per update (row 0 = the start): θ, J(θ) and ∇J(θ) (the gradient,
        not the velocity v); ``method="momentum"``, ``settings={"beta": β}``.
    """
    learning_rate = positive_float(learning_rate, "learning_rate")
    beta = _fraction(beta, "beta")
    v = np.zeros(2)

    def step(t, g):
        nonlocal v
        v = beta * v + g
        return learning_rate * v

    history = OptimizerHistory(learning_rate=learning_rate, method="momentum",
                               settings={"beta": beta})
    return _run(x, y, step, history, w0=w0, b0=b0, max_epochs=max_epochs, tol=tol,
                grad_tol=grad_tol, divergence_factor=divergence_factor)


def adam(x, y, learning_rate, *, beta1=0.9, beta2=0.999, eps=1e-8, w0=0.0, b0=0.0,
         max_epochs=1000, tol=None, grad_tol=None, divergence_factor=DIVERGENCE_FACTOR) -> OptimizerHistory:
    """Fit ``ŷ = w·x + b`` with Adam (running averages of g and g², bias-corrected).

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The data; J is the MSE of :func:`gdcourse.linear.cost`.
    learning_rate : float
        η > 0: about the largest distance a parameter moves in one update
        (exactly ``η·g/(|g| + ε)`` at the first update).
    beta1 : float, default 0.9
        Decay of the running mean m of the gradient, 0 ≤ β1 < 1.
    beta2 : float, default 0.999
        Decay of the running mean v of the squared gradient, 0 ≤ β2 < 1.
    eps : float, default 1e-8
        ε > 0, added to √v̂ so that a zero gradient gives a zero step.
    w0, b0, max_epochs, tol, grad_tol, divergence_factor
        The start (0, 0 by default) and the stopping rules, as for :func:`momentum`.

    Returns
    -------
    OptimizerHistory
        Rows like :func:`momentum`'s, with ``method="adam"`` and
        ``settings={"beta1": β1, "beta2": β2, "eps": ε}``.
    """
    learning_rate = positive_float(learning_rate, "learning_rate")
    beta1 = _fraction(beta1, "beta1")
    beta2 = _fraction(beta2, "beta2")
    eps = positive_float(eps, "eps")
    m = np.zeros(2)
    root_v = np.zeros(2)      # √v: v is kept through its square root, so g² never overflows

    def step(t, g):
        nonlocal m, root_v
        m = beta1 * m + (1 - beta1) * g
        # v = β2·v + (1 − β2)·g², for √v: √(a² + b²) = hypot(a, b)
        root_v = np.hypot(np.sqrt(beta2) * root_v, np.sqrt(1 - beta2) * g)
        m_hat = m / (1 - beta1 ** t)
        root_v_hat = root_v / np.sqrt(1 - beta2 ** t)      # √v̂
        return learning_rate * m_hat / (root_v_hat + eps)

    history = OptimizerHistory(learning_rate=learning_rate, method="adam",
                               settings={"beta1": beta1, "beta2": beta2, "eps": eps})
    return _run(x, y, step, history, w0=w0, b0=b0, max_epochs=max_epochs, tol=tol,
                grad_tol=grad_tol, divergence_factor=divergence_factor)


def momentum_rate(x, learning_rate, beta) -> float:
    """The factor by which momentum shrinks the error per update, in the long run.

    Along an eigen-direction of the Hessian with curvature λ the error is a sum
    of ``z^t`` over the two roots z of ``z² − (1 + β − η·λ)·z + β = 0``; this
    returns the largest ``|z|`` over both directions. Momentum converges from
    every start exactly when it is below 1 (``0 < η·λ < 2·(1 + β)`` for every λ).
    At β = 0 it is plain gradient descent's ``max |1 − η·λ|``; when the roots are
    complex (the iterates spiral) it is ``√β``.

    Parameters
    ----------
    x : array_like, shape (n,)
        The inputs that define the Hessian of J.
    learning_rate : float
        η > 0.
    beta : float
        0 ≤ β < 1.
    """
    learning_rate = positive_float(learning_rate, "learning_rate")
    beta = _fraction(beta, "beta")
    lams = hessian_eigenvalues(x)
    return float(max(np.abs(np.roots([1.0, -(1.0 + beta - learning_rate * lam), beta])).max()
                     for lam in lams))
