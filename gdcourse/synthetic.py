"""Seeded synthetic problems for notebook 06 (convergence and limitations).

- :func:`noisy_line`: a larger version of the salary example (years of
  experience → salary in dollars plus noise), for batch vs SGD vs mini-batch.
- :func:`split`: a seeded train/validation split.
- :func:`two_minima` / :func:`two_minima_grad`: a one-parameter non-convex
  cost with a global and a local minimum, to show that where gradient descent
  ends depends on where it starts and on the learning rate.
"""

from __future__ import annotations

import numpy as np
from numpy.polynomial import Polynomial

from ._validate import as_array, as_float, as_vector, nonnegative_int, positive_int

__all__ = ["noisy_line", "split", "two_minima", "two_minima_grad", "TWO_MINIMA"]


def noisy_line(n: int = 2000, *, slope=10_000.0, intercept=30_000.0, noise_std=8_000.0,
               x_low=0.0, x_high=20.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``y = intercept + slope·x + noise`` at ``n`` points drawn uniformly in ``[x_low, x_high]``.

    The defaults read as a salary survey: ``x`` in years of experience, ``y``
    in dollars, a starting salary of $30,000, $10,000 more per year, and
    Gaussian noise with standard deviation $8,000.

    Parameters
    ----------
    n : int, default 2000
        Number of samples, >= 2.
    slope, intercept, noise_std : float
        The true line and the noise level (``noise_std >= 0``).
    x_low, x_high : float
        Range of ``x``, ``x_low < x_high``.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: same seed, same data.

    Returns
    -------
    x, y : ndarray, shape (n,)
    """
    n = positive_int(n, "n")
    if n < 2:
        raise ValueError(f"n must be >= 2 (a line needs two points), got {n}.")
    slope, intercept = as_float(slope, "slope"), as_float(intercept, "intercept")
    noise_std = as_float(noise_std, "noise_std")
    if noise_std < 0:
        raise ValueError(f"noise_std must be >= 0, got {noise_std!r}.")
    x_low, x_high = as_float(x_low, "x_low"), as_float(x_high, "x_high")
    if not x_low < x_high:
        raise ValueError(f"x_low must be < x_high, got x_low={x_low!r}, x_high={x_high!r}.")
    rng = np.random.default_rng(nonnegative_int(seed, "seed"))
    x = rng.uniform(x_low, x_high, size=n)
    y = intercept + slope * x + noise_std * rng.standard_normal(n)
    return x, y


def split(x, y, validation_fraction=0.2, *, seed: int = 0):
    """Shuffle ``(x, y)`` with a seeded generator and split off a validation set.

    Returns
    -------
    x_train, y_train, x_val, y_val : ndarray
        ``round(n·validation_fraction)`` samples (at least 1) go to validation,
        the rest (at least 1) to training.
    """
    x = as_vector(x, "x", min_length=2)
    y = as_vector(y, "y", length=x.size)
    frac = as_float(validation_fraction, "validation_fraction")
    if not 0.0 < frac < 1.0:
        raise ValueError(f"validation_fraction must be strictly between 0 and 1, got {frac!r}.")
    n_val = min(max(int(round(x.size * frac)), 1), x.size - 1)
    perm = np.random.default_rng(nonnegative_int(seed, "seed")).permutation(x.size)
    val, train = perm[:n_val], perm[n_val:]
    return x[train], y[train], x[val], y[val]


def _two_minima_polynomial() -> Polynomial:
    # J'(w) = (4/9)(w + 1)(w − 0.7)(w − 2): stationary points at −1, 0.7 and 2.
    # The factor 4/9 makes J(2) − J(−1) = 0.4; the constant makes J(−1) = 0.1.
    dJ = (4.0 / 9.0) * Polynomial.fromroots([-1.0, 0.7, 2.0])
    J = dJ.integ()
    return J + (0.1 - J(-1.0))


_J = _two_minima_polynomial()
_DJ = _J.deriv()

#: The stationary points of :func:`two_minima`: name -> (w, J(w)).
TWO_MINIMA = {
    "global minimum": (-1.0, float(_J(-1.0))),
    "hill": (0.7, float(_J(0.7))),
    "local minimum": (2.0, float(_J(2.0))),
}


def two_minima(w):
    """A quartic cost with a global minimum J = 0.1 at w = −1 and a local one J = 0.5 at w = 2.

    Between them a hill (a maximum) at w = 0.7 separates the two basins. The
    numbers mirror the "test your understanding" question of seed 003.
    Accepts a float or an array; returns the same shape.
    """
    w = as_array(w, "w")
    return float(_J(w)) if np.ndim(w) == 0 else _J(w)


def two_minima_grad(w):
    """``dJ/dw = (4/9)(w + 1)(w − 0.7)(w − 2)`` of :func:`two_minima`."""
    w = as_array(w, "w")
    return float(_DJ(w)) if np.ndim(w) == 0 else _DJ(w)


