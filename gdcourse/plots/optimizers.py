"""Figure of notebook 05's outlook: plain gradient descent, momentum and Adam side by side.

The runs come from :func:`gdcourse.linear.train`, :func:`gdcourse.optimizers.momentum`
and :func:`gdcourse.optimizers.adam`; every one is a :class:`~gdcourse.descent.History`,
so the paths are drawn with the contour primitives of notebook 04.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import linear
from .._validate import as_vector, check_range, positive_float
from ..style import sequence
from ._contours import draw_cost_contour, draw_trajectory
from ..alt_text import describe
from ..digits import counted
from ._shared import (check_histories, colors_for, cost_label, final_values, noise_floor,
                      plotted, sentences)

__all__ = ["optimizer_paths"]


def _span(values, optimum, pad=0.08):
    lo, hi = min(values.min(), optimum), max(values.max(), optimum)
    width = (hi - lo) or 1.0
    return lo - pad * width, hi + pad * width


def optimizer_paths(x, y, runs, *, w_range=None, b_range=None,
                    units=("thousand $ per year", "thousand $"), cost_units="(thousand $)²",
                    floor=1e-20, title="Three ways to take the step, the same number of updates",
                    figsize=(11.0, 5.0)):
    """Left: each run's (w, b) path on the contours of J. Right: its excess cost per update.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The data that define J (for notebook 05: raw years, salary in thousands of dollars).
    runs : dict of str -> History
        Up to five runs of the linear model, by legend label, e.g. plain gradient
        descent, momentum and Adam with the same number of updates.
    w_range, b_range : (float, float), optional
        Limits of the contour panel; by default every path and the minimum fit in.
    units : str or (str, str)
        Units of w and b for the axis labels.
    cost_units : str
        Units of J.
    floor : float, default 1e-20
        The excess cost ``J − J*`` is drawn down to this value; below it (rounding
        noise, or exactly 0) the curve stops.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    runs = check_histories(runs, params=("w", "b"))     # a run of the linear model
    colors = colors_for(runs, sequence("optimizers"))
    floor = positive_float(floor, "floor")
    w_range = None if w_range is None else check_range(w_range, "w_range")
    b_range = None if b_range is None else check_range(b_range, "b_range")
    w_star, b_star = linear.closed_form(x, y)
    j_star = linear.cost(w_star, b_star, x, y)
    if w_range is None or b_range is None:
        ws = np.concatenate([h.param("w") for h in runs.values()])
        bs = np.concatenate([h.param("b") for h in runs.values()])
        ok = np.isfinite(ws) & np.isfinite(bs)
        w_range = w_range or _span(ws[ok], w_star)
        b_range = b_range or _span(bs[ok], b_star)

    fig = Figure(figsize=figsize, layout="constrained")
    ax_path, ax_cost = fig.subplots(1, 2, width_ratios=[1.15, 1])
    draw_cost_contour(ax_path, x, y, w_range, b_range, units=units, cost_units=cost_units,
                      colorbar=False)      # the right panel gives the cost scale
    said = {}
    for (label, h), color in zip(runs.items(), colors):
        draw_trajectory(ax_path, h, color=color, label=label)
        excess = np.array(h.costs) - j_star
        said[label] = (excess[0], excess[-1], "after " + counted(h.epochs[-1], "update"))
        keep = np.isfinite(excess) & (excess >= floor)
        ax_cost.semilogy(np.array(h.epochs)[keep], excess[keep], color=color, lw=2)
    ax_path.plot([], [], "o", ms=8, mfc="white", mec="0.3", mew=2, label="start")
    ax_path.plot([], [], "X", ms=8, color="0.5", mec="black", label="end")
    ax_path.set_title("Paths on the cost surface J(w, b) (darker: lower)")

    ax_cost.set_xlabel("update (epoch)")
    ax_cost.set_ylabel(cost_label(cost_units, "excess cost J − J*"))
    ax_cost.set_title("How far above the minimum the cost still is")
    ax_cost.set_xlim(0, max(h.epochs[-1] for h in runs.values()))

    handles, labels = ax_path.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 3),
               fontsize=9)
    fig.suptitle(title)
    text = sentences(
        f"{title}. Left: the paths, ring to cross, on contours of J(w, b) over "
        f"{ax_path.get_xlabel()} and {ax_path.get_ylabel()}. Right: {plotted(ax_cost)}.",
        # the text stops far above the drawing's floor: closer to J*, digits are rounding noise
        *final_values("J − J*", said, digits=2,
                      floor=noise_floor(j_star, *(h.costs[0] for h in runs.values()))))
    return describe(fig, text)
