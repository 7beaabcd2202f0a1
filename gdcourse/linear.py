"""Linear regression with one feature and the MSE cost (seed 003).

Layout: ``x`` and ``y`` are 1-D arrays of length n; ``w`` and ``b`` are
floats. The model is ``ŷ = w·x + b`` and the cost

    J(w, b) = (1/n) Σ (ŷᵢ − yᵢ)²,
    ∂J/∂w  = (2/n) Σ (ŷᵢ − yᵢ)·xᵢ,
    ∂J/∂b  = (2/n) Σ (ŷᵢ − yᵢ).

J is a quadratic in (w, b) with constant Hessian
``H = (2/n) [[Σx², Σx], [Σx, n]]``; gradient descent with step η converges
for every start exactly when ``η < 2 / λ_max(H)`` (see
:func:`max_stable_learning_rate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._mse_kernel import mse, mse_gradients, residuals
from ._validate import as_float, as_vector, nonnegative_int, positive_float
from .descent import History, gradient_descent

__all__ = [
    "Standardizer",
    "hessian_eigenvalues",
    "predict",
    "cost",
    "gradients",
    "closed_form",
    "hessian",
    "max_stable_learning_rate",
    "train",
    "to_original_units",
]


@dataclass(frozen=True)
class Standardizer:
    """Rescale values to mean 0 and (population) standard deviation 1.

    ``Standardizer.fit(v)`` remembers ``mean`` and ``std`` (``np.std`` with
    ``ddof=0``, as the seed's code uses) so results can be mapped back.
    """

    mean: float
    std: float

    def __post_init__(self):
        object.__setattr__(self, "mean", as_float(self.mean, "mean"))    # frozen: set once here
        object.__setattr__(self, "std", positive_float(self.std, "std"))

    @classmethod
    def fit(cls, values, name: str = "values") -> "Standardizer":
        v = as_vector(values, name, min_length=2)
        if np.ptp(v) == 0.0:
            raise ValueError(f"{name} are all equal ({float(v[0])!r}); they cannot be standardised "
                             "(the standard deviation is 0).")
        with np.errstate(over="ignore", under="ignore"):
            std = float(v.std())
        if not 0.0 < std < np.inf:      # squares under- or overflowed (|v| beyond ~1e±154)
            std = _rescaled_std(v)
        return cls(float(v.mean()), std)

    def transform(self, values, name: str = "values") -> np.ndarray:
        """``(v - mean) / std``, shape (n,)."""
        return (as_vector(values, name) - self.mean) / self.std

    def inverse(self, values, name: str = "values") -> np.ndarray:
        """Back to original units: ``v * std + mean``."""
        return as_vector(values, name) * self.std + self.mean


def _rescaled_std(v: np.ndarray) -> float:
    """Population std of ``v`` computed on ``v`` divided by its largest deviation, so that
    no square under- or overflows; for values whose plain ``np.std`` cannot be formed."""
    dev = v - v.mean()
    scale = float(np.max(np.abs(dev)))
    return scale * float(np.sqrt(np.mean(np.square(dev / scale))))


def _xy(x, y):
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    return x, y


def predict(w, b, x) -> np.ndarray:
    """``ŷ = w·x + b``, shape (n,)."""
    return as_float(w, "w") * as_vector(x, "x") + as_float(b, "b")


def cost(w, b, x, y) -> float:
    """Mean squared error ``(1/n) Σ (w·xᵢ + b − yᵢ)²``."""
    x, y = _xy(x, y)
    return mse(residuals(as_float(w, "w"), as_float(b, "b"), x, y))


def gradients(w, b, x, y) -> tuple[float, float]:
    """``(∂J/∂w, ∂J/∂b) = ((2/n) Σ rᵢ xᵢ, (2/n) Σ rᵢ)`` with ``r = ŷ − y``."""
    x, y = _xy(x, y)
    return mse_gradients(residuals(as_float(w, "w"), as_float(b, "b"), x, y), x)


def closed_form(x, y) -> tuple[float, float]:
    """The least-squares (w, b), from the normal equations.

    ``w = cov(x, y) / var(x)``, ``b = mean(y) − w·mean(x)``.
    """
    x, y = _xy(x, y)
    if np.ptp(x) == 0.0:
        raise ValueError("x must not be constant: with one distinct x value the best line "
                         "is not unique.")
    xc, yc = x - x.mean(), y - y.mean()
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        var = float(np.mean(xc * xc))
        w = float(np.mean(xc * yc)) / var if 0.0 < var < np.inf else np.nan
    if not np.isfinite(w):          # squares under- or overflowed: the same ratio, rescaled
        sx, sy = float(np.max(np.abs(xc))), float(np.max(np.abs(yc))) or 1.0
        w = float(np.mean((xc / sx) * (yc / sy)) / np.mean(np.square(xc / sx))) * (sy / sx)
    return w, float(y.mean() - w * x.mean())


def hessian(x) -> np.ndarray:
    """The (constant) Hessian of J with respect to (w, b), shape (2, 2)."""
    x = as_vector(x, "x")
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def hessian_eigenvalues(x) -> np.ndarray:
    """The curvatures of J: the eigenvalues of :func:`hessian`, smallest first, shape (2,).

    Along the eigenvector of ``λ`` one update multiplies the error by ``1 − η·λ``.
    """
    return np.linalg.eigvalsh(hessian(x))


def max_stable_learning_rate(x) -> float:
    """The stability limit ``2 / λ_max(H)``: gradient descent on J converges from any start
    for every η below it (there is no largest converging η, only this bound).

    At exactly this rate the error along the steepest direction flips sign
    each epoch without shrinking (it oscillates for ever); above it, it grows.
    For standardised ``x`` (mean 0, mean of squares 1) H = 2·I and the limit is 1.
    """
    return 2.0 / float(hessian_eigenvalues(x)[-1])


def train(x, y, learning_rate, *, w0=0.0, b0=0.0, max_epochs=1000, tol=None,
          grad_tol=None) -> History:
    """Fit ``ŷ = w·x + b`` by batch gradient descent; returns the :class:`History`.

    ``print(history)`` shows the trace table (epoch 0 = before the first update).
    """
    x, y = _xy(x, y)
    learning_rate = positive_float(learning_rate, "learning_rate")
    max_epochs = nonnegative_int(max_epochs, "max_epochs")

    def grad_fn(p):
        r = residuals(p["w"], p["b"], x, y)
        dw, db = mse_gradients(r, x)
        return mse(r), {"w": dw, "b": db}

    return gradient_descent(grad_fn, {"w": as_float(w0, "w0"), "b": as_float(b0, "b0")},
                            learning_rate, max_epochs=max_epochs, tol=tol, grad_tol=grad_tol)


def to_original_units(w, b, x_scale: Standardizer, y_scale: Standardizer) -> tuple[float, float]:
    """Map (w, b) fitted on standardised data back to original units.

    With ``x_n = (x − μx)/σx`` and ``y_n = (y − μy)/σy`` the fitted line
    ``y_n = w·x_n + b`` is ``y = slope·x + intercept`` where
    ``slope = w·σy/σx`` and ``intercept = μy + σy·b − slope·μx``.
    """
    w, b = as_float(w, "w"), as_float(b, "b")
    for name, s in (("x_scale", x_scale), ("y_scale", y_scale)):
        if not isinstance(s, Standardizer):
            raise TypeError(f"{name} must be a Standardizer (from Standardizer.fit), "
                            f"got {type(s).__name__}.")
    slope = w * y_scale.std / x_scale.std
    return slope, y_scale.mean + y_scale.std * b - slope * x_scale.mean
