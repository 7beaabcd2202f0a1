"""Seeded synthetic problems for notebook 06 (convergence and limitations).

- :func:`noisy_line`: a larger version of the salary example (years of
  experience → salary in dollars plus noise), for batch vs SGD vs mini-batch.
- :func:`split`: a seeded train/validation split.
- :func:`polynomial_features`: the columns of a polynomial model in one input,
  a flexible model that can overfit a few samples (early stopping).
- :func:`two_minima` / :func:`two_minima_grad`: a one-parameter non-convex
  cost with a global and a local minimum, to show that where gradient descent
  ends depends on where it starts and on the learning rate.
- :func:`saddle` / :func:`saddle_grad`: a two-parameter cost with a saddle
  point between two minima, where the gradient vanishes without a minimum.
- :func:`wavy`, :func:`wavy_grad`, :func:`wavy_curvature`: notebook 00's
  made-up non-convex curve of one variable, with several valleys.
"""

from __future__ import annotations

import numpy as np
from numpy.polynomial import Polynomial, legendre

from ._validate import as_array, as_float, as_vector, nonnegative_int, positive_int

__all__ = ["noisy_line", "split", "polynomial_features", "two_minima", "two_minima_grad",
           "TWO_MINIMA", "saddle", "saddle_grad", "SADDLE", "wavy", "wavy_grad",
           "wavy_curvature"]


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


def polynomial_features(x, degree: int, *, x_range=(0.0, 20.0)) -> np.ndarray:
    """The design matrix of a polynomial of ``degree`` in ``x``: one column per basis polynomial.

    ``x`` is first mapped linearly from ``x_range`` onto [−1, 1]; column ``j``
    is the Legendre polynomial ``P_j`` there (``P_0 = 1``, ``P_1 = t``,
    ``P_2 = (3t² − 1)/2``, ...). They span the same functions as
    ``1, x, …, x^degree``, but their columns are far less alike, so gradient
    descent on them is not hopelessly ill-conditioned.

    Parameters
    ----------
    x : array_like, shape (n,)
    degree : int, >= 0
    x_range : (float, float)
        The interval mapped onto [−1, 1]; points outside it are extrapolated.

    Returns
    -------
    ndarray, shape (n, degree + 1)
    """
    x = as_vector(x, "x")
    degree = nonnegative_int(degree, "degree")
    if not (isinstance(x_range, (tuple, list)) and len(x_range) == 2):
        raise TypeError(f"x_range must be a pair (low, high), got {x_range!r:.60}.")
    low, high = as_float(x_range[0], "x_range[0]"), as_float(x_range[1], "x_range[1]")
    if not low < high:
        raise ValueError(f"x_range must have low < high, got {x_range!r}.")
    t = (2.0 * x - (low + high)) / (high - low)
    return legendre.legvander(t, degree)


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




#: The stationary points of :func:`saddle`: name -> ((u, v), J).
SADDLE = {
    "saddle point": ((0.0, 0.0), 0.25),
    "minimum (v = +1)": ((0.0, 1.0), 0.0),
    "minimum (v = −1)": ((0.0, -1.0), 0.0),
}


def saddle(u, v):
    """``J(u, v) = u² + (v² − 1)²/4``: minima J = 0 at (0, ±1), a saddle point J = 1/4 at (0, 0).

    At the saddle the gradient is zero, the cost curves up along u (curvature
    2) and down along v (curvature −1). Accepts floats or arrays of one shape.
    """
    u, v = as_array(u, "u"), as_array(v, "v")
    J = u * u + (v * v - 1.0) ** 2 / 4.0
    return float(J) if np.ndim(J) == 0 else J


def saddle_grad(u, v):
    """``(∂J/∂u, ∂J/∂v) = (2u, v(v² − 1))`` of :func:`saddle`."""
    u, v = as_array(u, "u"), as_array(v, "v")
    du, dv = 2.0 * u, v * (v * v - 1.0)
    if np.ndim(du) == 0 and np.ndim(dv) == 0:
        return float(du), float(dv)
    return du, dv


def _same_kind(w, out):
    return float(out) if np.ndim(w) == 0 else out


def wavy(w):
    """``J(w) = 1 + w²/10 + 0.8·sin 2w``: a curve with several valleys (notebook 00).

    Accepts a float or an array; returns the same shape.
    """
    w = as_array(w, "w")
    return _same_kind(w, 1.0 + w * w / 10.0 + 0.8 * np.sin(2.0 * w))


def wavy_grad(w):
    """``dJ/dw = w/5 + 1.6·cos 2w`` of :func:`wavy`."""
    w = as_array(w, "w")
    return _same_kind(w, w / 5.0 + 1.6 * np.cos(2.0 * w))


def wavy_curvature(w):
    """``d²J/dw² = 1/5 − 3.2·sin 2w`` of :func:`wavy`."""
    w = as_array(w, "w")
    return _same_kind(w, 0.2 - 3.2 * np.sin(2.0 * w))
