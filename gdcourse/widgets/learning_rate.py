"""Learning-rate explorer (notebook 05): one slider for η, three views of the run.

Left: the error factor ``|1 − η·λ_max|`` per update with the stability limit
``2/λ_max`` marked; middle: the cost per epoch; right: the first updates on
the contour plot of J(w, b). The readout names the regime (converges /
converges, zig-zagging / oscillates for ever / diverges). The static twin is
:func:`gdcourse.plots.learning_rate_grid`.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from .. import data, linear
from .._validate import as_vector, check_range, positive_float, positive_int
from ..digits import counted
from ..plots._contours import cost_grid
from ..plots._rates import REGIME_COLORS, rate_explorer_axes, rate_explorer_update
from ._blit import BlitExplorer

__all__ = ["learning_rate_explorer"]


def learning_rate_explorer(x=None, y=None, *, learning_rate=0.1, epochs: int = 30,
                           w_range=(-1.5, 3.5), b_range=(-1.25, 1.25)) -> BlitExplorer:
    """An explorer (:class:`~gdcourse.widgets.Explorer`) with a log-scale slider ``"learning_rate"``.

    The slider spans three decades below the stability limit ``2/λ_max`` of
    the data and a little above it: from ``limit/1000`` to ``1.26·limit``
    (0.001 to 1.26 for the default data, whose limit is 1).

    Parameters
    ----------
    x, y : array_like, shape (n,), optional
        Data defining J (default: the salary example, standardised).
    learning_rate : float, default 0.1
        Starting value of the slider; must lie in the slider's range.
    epochs : int, default 30
        Updates per run, always from w = b = 0.
    w_range, b_range : (float, float)
        The window of the contour panel.
    """
    if x is None and y is None:
        x, y = data.salary(standardised=True)
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    learning_rate = positive_float(learning_rate, "learning_rate")
    epochs = positive_int(epochs, "epochs")
    w_range, b_range = check_range(w_range, "w_range"), check_range(b_range, "b_range")
    limit = linear.max_stable_learning_rate(x)
    lam_max = 2.0 / limit
    right = 1.4 * limit
    low, high = np.log10(limit) - 3.0, np.log10(limit) + 0.1      # 10**0.1 ≈ 1.26
    if not 10 ** low <= learning_rate <= 10 ** high:
        raise ValueError(f"learning_rate must lie in the slider's range [{10 ** low:.4g}, "
                         f"{10 ** high:.4g}] (limit/1000 to 1.26·limit, limit 2/λ_max = "
                         f"{limit:.4g}), got {learning_rate!r}.")
    w_star, b_star = linear.closed_form(x, y)
    grid = cost_grid(x, y, w_range, b_range, num=81)

    def scene(fig, key):
        return rate_explorer_axes(fig, x, y, grid=grid, w_range=w_range, b_range=b_range,
                                  right=right, epochs=epochs, fixed_layout=True)

    slider = W.FloatLogSlider(value=learning_rate, base=10, min=low, max=high, step=0.005,
                              description="η", readout_format=".3g", continuous_update=False,
                              layout=W.Layout(width="480px"))

    def update(fig, axes, values):
        eta = float(values["learning_rate"])
        h = linear.train(x, y, eta, max_epochs=epochs)
        regime = rate_explorer_update(axes, x, h, title=False)
        fig.text(0.5, 0.97, f"η = {eta:.3g}: {regime}", ha="center", va="top",
                 fontsize=12, color=REGIME_COLORS[regime], fontweight="bold")
        factor = 1.0 - eta * lam_max
        w, b = h.final_params["w"], h.final_params["b"]
        dist = float(np.hypot(w - w_star, b - b_star))
        return (f"<b>{regime}</b> &nbsp; η = {eta:.4g}; stability limit 2/λ_max = {limit:.4g} "
                f"(η / limit = {eta / limit:.3f}); error factor per update 1 − η·λ_max = "
                f"{factor:.4g}.<br>After {counted(h.n_updates, 'epoch')}: J = {h.final_cost:.4g}, "
                f"distance to the minimum = {dist:.4g} ({h.stop_reason}).")

    return BlitExplorer({"learning_rate": slider}, scene, update, figsize=(10.5, 3.3), dpi=90,
                        title="Learning-rate explorer: move η across the stability limit")
