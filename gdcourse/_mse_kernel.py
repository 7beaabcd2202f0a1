"""The unchecked arithmetic of the linear model's MSE, shared by every loop that fits it.

``linear``, ``stochastic`` and ``optimizers`` check their inputs once, then call these in
their loops (the hot path: no validation here). Inputs are 1-D float arrays and floats.
"""

from __future__ import annotations

import numpy as np

__all__ = ["residuals", "mse", "mse_gradients"]


def residuals(w: float, b: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``r = ŷ − y = w·x + b − y``, shape (n,)."""
    return w * x + b - y


def mse(r: np.ndarray) -> float:
    """``(1/n) Σ rᵢ²``."""
    return float(np.mean(r * r))


def mse_gradients(r: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """``((2/n) Σ rᵢ xᵢ, (2/n) Σ rᵢ)`` from the residuals: ``(∂J/∂w, ∂J/∂b)``."""
    return float(2.0 * np.sum(r * x) / x.size), float(2.0 * np.sum(r) / x.size)
