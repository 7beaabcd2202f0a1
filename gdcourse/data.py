"""Data sets of the course. All of them load offline.

- :func:`salary`: the five (years, salary) pairs of seed 003.
- :func:`two_blobs`: a seeded synthetic 2-feature logistic-regression set.
- :func:`breast_cancer`: a small real binary-classification set (UCI Breast
  Cancer Wisconsin, shipped as CSV; provenance in ``gdcourse/data/README.md``).

Logistic sets come in the course's column layout: ``X`` is ``(n_x, m)`` and
``Y`` is ``(1, m)``.
"""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np

from ._validate import as_float, nonnegative_int, positive_int
from .linear import Standardizer

__all__ = ["salary", "two_blobs", "breast_cancer", "BREAST_CANCER_FEATURES"]


def salary(*, standardised: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Years of experience and salary in dollars (seed 003's example).

    Parameters
    ----------
    standardised : bool, default False
        Return both standardised instead (mean 0, population standard
        deviation 1, as :class:`gdcourse.linear.Standardizer` does): the data
        of notebooks 04–07's main examples.

    Returns
    -------
    x : ndarray, shape (5,)
        Years of experience (or their standardised values).
    y : ndarray, shape (5,)
        Salary in dollars (or its standardised values).
    """
    if not isinstance(standardised, (bool, np.bool_)):
        raise TypeError(f"standardised must be True or False, got {type(standardised).__name__}.")
    x = np.array([1.0, 2.0, 4.0, 6.0, 8.0])
    y = np.array([40_000.0, 50_000.0, 70_000.0, 90_000.0, 110_000.0])
    if standardised:
        x_n = Standardizer.fit(x, "x").transform(x, "x")
        return x_n, Standardizer.fit(y, "y").transform(y, "y")
    return x, y


def two_blobs(m: int = 200, *, seed: int = 0, separation: float = 2.0):
    """Two Gaussian clouds in 2-D, labelled 0 and 1, in the column layout.

    Half the examples (rounded down) are class 1, centred at
    ``(+separation/2, +separation/2)``; the rest are class 0 at the mirror
    point. Both clouds have unit variance, so they overlap and the
    maximum-likelihood weights are finite.

    Parameters
    ----------
    m : int, default 200
        Number of examples, >= 2.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: same seed, same data.
    separation : float, default 2.0
        Distance of each centre from the origin along each axis, times 2.

    Returns
    -------
    X : ndarray, shape (2, m)
    Y : ndarray, shape (1, m), values 0.0 / 1.0
    """
    m = positive_int(m, "m")
    if m < 2:
        raise ValueError(f"m must be >= 2 so that both classes appear, got {m}.")
    seed = nonnegative_int(seed, "seed")
    half = as_float(separation, "separation") / 2.0
    rng = np.random.default_rng(seed)
    Y = np.zeros((1, m))
    Y[0, rng.permutation(m)[: m // 2]] = 1.0
    centres = np.where(Y == 1.0, half, -half)           # (1, m), broadcast to both rows
    X = rng.standard_normal((2, m)) + centres
    return X, Y


BREAST_CANCER_FEATURES: tuple[str, ...] = ()


def breast_cancer(features=("mean radius", "mean texture")):
    """The Breast Cancer Wisconsin (Diagnostic) set: 569 examples, label 1 = malignant.

    Parameters
    ----------
    features : sequence of str or None, default ("mean radius", "mean texture")
        Columns to return, by name (see ``BREAST_CANCER_FEATURES``); ``None``
        returns all 30.

    Returns
    -------
    X : ndarray, shape (n_x, 569)
        Raw (unscaled) features, one example per column.
    Y : ndarray, shape (1, 569)
        1.0 for malignant, 0.0 for benign.
    names : list of str
        The feature names, in row order of ``X``.
    """
    text = resources.files("gdcourse").joinpath("data/breast_cancer_wisconsin.csv").read_text()
    rows = list(csv.reader(text.splitlines()))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    all_names = header[:-1]
    if features is None:
        idx = list(range(len(all_names)))
    else:
        if isinstance(features, str):
            raise TypeError("features must be a sequence of column names, got one string; "
                            f"write ({features!r},).")
        try:
            features = list(features)
        except TypeError:
            raise TypeError(f"features must be a sequence of column names or None, got "
                            f"{type(features).__name__} {features!r}.") from None
        idx = []
        for f in features:
            if f not in all_names:
                raise ValueError(f"features: unknown column {f!r}; choose from {all_names}.")
            idx.append(all_names.index(f))
        if not idx:
            raise ValueError("features must name at least one column.")
    X = body[:, idx].T.copy()
    Y = body[:, -1].reshape(1, -1).copy()
    return X, Y, [all_names[i] for i in idx]


def _feature_names() -> tuple[str, ...]:
    text = resources.files("gdcourse").joinpath("data/breast_cancer_wisconsin.csv").read_text()
    return tuple(text.split("\n", 1)[0].split(",")[:-1])


BREAST_CANCER_FEATURES = _feature_names()
