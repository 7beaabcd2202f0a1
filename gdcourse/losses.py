"""Per-sample losses and their (sub)gradients, for the "honest limitations" of seed 003.

Regression losses are functions of the residual ``r = ŷ − y`` (1-D array,
shape (n,)); the hinge loss is a function of the classification margin
``z = t·s`` (label ``t`` in {−1, +1} times score ``s``):

=========  ==========================================  ===========================
loss       value ℓ                                     derivative dℓ/dr (or dℓ/dz)
=========  ==========================================  ===========================
``mse``    r²                                          2r
``mae``    |r|                                         sign(r); at r = 0 any value in
                                                       [−1, 1] is a subgradient, we use 0
``huber``  r²/2 if |r| ≤ δ, else δ(|r| − δ/2)          r clipped to [−δ, δ]
``hinge``  max(0, 1 − z)                               −1 if z < 1, 0 if z > 1; at the
                                                       kink z = 1 we use 0
=========  ==========================================  ===========================

MSE and Huber are differentiable everywhere (Huber's second derivative jumps
at ±δ, its first does not). MAE has a kink at r = 0, hinge at z = 1: there
the derivative does not exist and gradient descent uses a *subgradient*.

:func:`linear_cost` applies a regression loss to the course's linear model
``ŷ = w·x + b`` and returns the mean loss with its (sub)gradient in (w, b),
in the form :func:`gdcourse.descent.gradient_descent` expects.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_array, as_float, as_vector, positive_float

__all__ = [
    "mse", "mse_grad",
    "mae", "mae_grad",
    "huber", "huber_grad",
    "hinge", "hinge_grad",
    "REGRESSION_LOSSES",
    "linear_cost",
]


def mse(r) -> np.ndarray:
    """Squared error ``r²`` per sample; same shape as ``r``."""
    r = as_array(r, "r")
    return r * r


def mse_grad(r) -> np.ndarray:
    """``dℓ/dr = 2r``."""
    return 2.0 * as_array(r, "r")


def mae(r) -> np.ndarray:
    """Absolute error ``|r|`` per sample (not differentiable at r = 0)."""
    return np.abs(as_array(r, "r"))


def mae_grad(r) -> np.ndarray:
    """A subgradient of ``|r|``: ``sign(r)``, which is 0 at the kink r = 0."""
    return np.sign(as_array(r, "r"))


def huber(r, delta=1.0) -> np.ndarray:
    """Huber loss: ``r²/2`` for ``|r| ≤ delta``, ``delta·(|r| − delta/2)`` beyond.

    Quadratic near 0 (like MSE/2), linear in the tails (like MAE·delta), and
    continuously differentiable: both pieces have value ``delta²/2`` and slope
    ``±delta`` at ``|r| = delta``.
    """
    r = as_array(r, "r")
    delta = positive_float(delta, "delta")
    a = np.abs(r)
    near = np.minimum(a, delta)      # squared only where it is the branch used: no overflow
    return np.where(a <= delta, 0.5 * near * near, delta * (a - 0.5 * delta))


def huber_grad(r, delta=1.0) -> np.ndarray:
    """``dℓ/dr``: ``r`` clipped to ``[−delta, delta]``."""
    r = as_array(r, "r")
    delta = positive_float(delta, "delta")
    return np.clip(r, -delta, delta)


def hinge(z) -> np.ndarray:
    """Hinge loss ``max(0, 1 − z)`` of the margin ``z = t·s`` (kink at z = 1)."""
    return np.maximum(0.0, 1.0 - as_array(z, "z"))


def hinge_grad(z) -> np.ndarray:
    """A subgradient of the hinge loss: −1 where ``z < 1``, 0 where ``z ≥ 1``."""
    z = as_array(z, "z")
    return np.where(z < 1.0, -1.0, 0.0)


#: name -> (loss, derivative) for the regression losses, each taking ``(r, **kwargs)``.
REGRESSION_LOSSES = {
    "mse": (mse, mse_grad),
    "mae": (mae, mae_grad),
    "huber": (huber, huber_grad),
}


def linear_cost(loss: str, w, b, x, y, **kwargs) -> tuple[float, dict]:
    """Mean loss of ``ŷ = w·x + b`` and its (sub)gradient, by the chain rule.

    ``J = (1/n) Σ ℓ(rᵢ)`` with ``rᵢ = w·xᵢ + b − yᵢ``, so
    ``∂J/∂w = (1/n) Σ ℓ'(rᵢ)·xᵢ`` and ``∂J/∂b = (1/n) Σ ℓ'(rᵢ)``.
    With ``loss="mse"`` this is exactly :func:`gdcourse.linear.cost` and
    :func:`gdcourse.linear.gradients`.

    Parameters
    ----------
    loss : {"mse", "mae", "huber"}
    w, b : float
    x, y : array_like, shape (n,)
    **kwargs
        Passed to the loss, e.g. ``delta=0.5`` for Huber.

    Returns
    -------
    J : float
    grads : dict
        ``{"w": ∂J/∂w, "b": ∂J/∂b}`` (floats).
    """
    if not isinstance(loss, str) or loss not in REGRESSION_LOSSES:
        raise ValueError(f"loss must be one of {sorted(REGRESSION_LOSSES)}, got {loss!r}.")
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    extra = set(kwargs) - ({"delta"} if loss == "huber" else set())
    if extra:
        raise TypeError(f"loss {loss!r} takes no options, got {sorted(extra)} (only 'huber' "
                        "takes delta).")
    f, df = REGRESSION_LOSSES[loss]
    r = as_float(w, "w") * x + as_float(b, "b") - y
    d = df(r, **kwargs)
    return float(np.mean(f(r, **kwargs))), {"w": float(np.mean(d * x)), "b": float(np.mean(d))}
