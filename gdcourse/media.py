"""The course's animations: one function per GIF, and the registry of their file names.

Each function computes its run from the package's code and data exactly as its notebook
does (the same data, start, learning rate and seed) and returns the
:class:`~gdcourse.animations.Animation`; the notebook calls the same function, checks that the
animation's run equals the run it computed itself, and shows the still
(:meth:`~gdcourse.animations.Animation.still`). The GIFs are committed in
``notebooks/media/``; ``tools/run_notebooks.py`` rewrites them from :data:`GIFS` before it
runs the notebooks (:func:`write_all`), and ``tests/test_animations.py`` checks the committed
files against fresh runs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from . import data, linear, logistic, stochastic, synthetic
from ._validate import positive_int
from .animations import DescentOnContours, PathsOnContours, StabilityBounce

__all__ = ["descent_on_contours", "stability_limit", "batch_sgd_minibatch", "GIFS",
           "write_all", "FOLDER"]

#: Where the notebooks find the GIFs (Markdown ``![...](media/NAME.gif)``).
FOLDER = Path(__file__).resolve().parents[1] / "notebooks" / "media"


def descent_on_contours() -> DescentOnContours:
    """Notebook 00, section 1: 30 steps of gradient descent on the logistic cost J(w, b).

    One feature (the standardised mean texture of the Breast Cancer Wisconsin set), from
    ``(w, b) = (-2, 3)`` with α = 2, as ``logistic.descent_path`` computes it in the notebook.
    """
    X_raw, Y, _ = data.breast_cancer(("mean texture",))
    x = linear.Standardizer.fit(X_raw[0]).transform(X_raw[0]).reshape(1, -1)

    def J(w, b):
        return logistic.propagate(np.array([[w]]), b, x, Y)[1]

    w_min, b_star = logistic.minimum(x, Y)
    path = logistic.descent_path(np.array([[-2.0]]), 3.0, x, Y, learning_rate=2.0, steps=30)
    return DescentOnContours(J, path, (-3, 5), (-4, 4), minimum=(float(w_min[0, 0]), b_star),
                             learning_rate=2.0, w_label="w (log-odds per std of texture)")


def stability_limit() -> StabilityBounce:
    """Notebook 05, section 3: η = 0.9 and η = 1.05 on the standardised salary data.

    The stability limit there is 2/λ_max = 1; both runs start at w = b = 0 and make 20
    updates (``linear.train``), as the notebook's runs just below and just above it.
    """
    x, y = data.salary()
    x_n = linear.Standardizer.fit(x).transform(x)
    y_n = linear.Standardizer.fit(y).transform(y)
    runs = {f"η = {eta:g}": linear.train(x_n, y_n, eta, max_epochs=20) for eta in (0.9, 1.05)}
    return StabilityBounce(x_n, y_n, runs, updates=20)


def batch_sgd_minibatch(updates: int = 30) -> PathsOnContours:
    """Notebook 06, section 4: batch GD, mini-batch (32) and SGD, the first updates of seed 0.

    The 2,000 noisy salaries of ``synthetic.noisy_line(2000, seed=0)``, standardised,
    η = 0.05 from w = b = 0, shuffling seed 0, recorded after every update, as the
    notebook's ``comparison`` runs (which go on for 30 epochs; the first ``updates``
    updates are the same).
    """
    x_raw, y_raw = synthetic.noisy_line(2000, seed=0)
    x_big = linear.Standardizer.fit(x_raw).transform(x_raw)
    y_big = linear.Standardizer.fit(y_raw).transform(y_raw)
    n = x_big.size
    methods = {f"batch GD ({n:,} samples)": n, "mini-batch (32)": 32, "SGD (1 sample)": 1}
    runs = {}
    for label, k in methods.items():
        epochs = math.ceil(updates / len(stochastic.batch_slices(n, k)))
        runs[label] = stochastic.minibatch_gd(x_big, y_big, 0.05, batch_size=k,
                                              max_epochs=epochs, seed=0, per_update=True)
    return PathsOnContours(x_big, y_big, runs, updates=updates)


#: File name in ``notebooks/media/`` -> the function that makes it.
GIFS = {
    "00_descent_on_contours.gif": descent_on_contours,
    "05_stability_limit.gif": stability_limit,
    "06_batch_sgd_minibatch.gif": batch_sgd_minibatch,
}


def write_all(folder=None) -> dict[str, int]:
    """Write every GIF of :data:`GIFS` into ``folder`` (default :data:`FOLDER`).

    Returns
    -------
    dict of str -> int
        File name -> size in bytes.
    """
    if folder is not None and not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a str or pathlib.Path, got {type(folder).__name__}.")
    folder = FOLDER if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {name: len(make().save(folder / name).read_bytes()) for name, make in GIFS.items()}
