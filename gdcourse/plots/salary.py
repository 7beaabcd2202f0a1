"""Figures of notebook 04 (salary regression), plus the J(w, b) contour reused by 05.

Every function returns the Matplotlib ``Figure`` it drew. The contours and the
trajectories are drawn by :mod:`._contours`, shared with notebook 05's figures
and the learning-rate explorer; :func:`first_outside` (from there) says after how
many updates a run leaves the frame of :func:`cost_contour`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.ticker import FuncFormatter

from .._validate import as_float, as_vector, check_range, positive_int
from ..descent import History
from ..style import COLORS, sequence
from ._contours import draw_cost_contour, draw_trajectory, first_outside
from ._shared import check_histories, check_history, colors_for, figure, unsigned_zero

__all__ = [
    "salary_fit",
    "standardised_values",
    "epoch_one",
    "trace_vs_seed",
    "cost_contour",
    "first_outside",
]

_DOLLARS = FuncFormatter(lambda v, _: f"${v / 1000:,.0f}k")


def _lines(lines) -> dict:
    """``lines`` as label -> (slope, intercept) floats; ``None`` is no line."""
    if lines is None:
        return {}
    if not isinstance(lines, Mapping):
        raise TypeError(f"lines must be a dict of label -> (slope, intercept), got "
                        f"{type(lines).__name__}.")
    out = {}
    for label, pair in lines.items():
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise TypeError(f"lines[{label!r}] must be a pair (slope, intercept), got "
                            f"{pair!r:.60}.")
        out[label] = (as_float(pair[0], f"lines[{label!r}] slope"),
                      as_float(pair[1], f"lines[{label!r}] intercept"))
    return out


def salary_fit(x, y, lines=None, *, title="Salary against years of experience"):
    """The (years, salary) points, with optional fitted lines in dollars.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Years of experience and salary in dollars.
    lines : dict of str -> (slope, intercept), optional
        Lines ``salary = slope·years + intercept`` to draw, by legend label.
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    fig, ax = figure(figsize=(6.4, 4.0))
    ax.scatter(x, y, s=60, color=COLORS["blue"], zorder=3, label="data (seed 003)")
    for xi, yi in zip(x, y):
        ax.annotate(f"{xi:g} y → ${yi / 1000:,.0f}k", (xi, yi), textcoords="offset points",
                    xytext=(8, -12), fontsize=9, color="0.3")
    right = x.max() * 1.22   # room for the last point's label
    grid = np.linspace(0.0, right, 50)
    lines = _lines(lines)
    colors = colors_for(lines, sequence("fitted_lines"), "lines")
    for (label, (slope, intercept)), ls, c in zip(lines.items(), ("-", "--", ":"), colors):
        ax.plot(grid, slope * grid + intercept, ls, color=c, lw=2 if ls == "-" else 1.6,
                label=label)
    ax.yaxis.set_major_formatter(_DOLLARS)
    ax.set_xlim(0, right)
    # room below the lowest point for its label, which sits under it
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, y.min() - 0.12 * np.ptp(y)), high)
    ax.set_xlabel("experience (years)")
    ax.set_ylabel("salary (US dollars)")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return fig


def standardised_values(x, x_n, y_n, seed_x_n=None):
    """Where each year and salary lands after standardising, on one number line.

    Rows: the seed's printed ``X_n`` (if given), the ``x_n`` and ``y_n`` the
    code produces. Each code point is labelled with the raw year.
    """
    x = as_vector(x, "x")
    x_n = as_vector(x_n, "x_n", length=x.size)
    y_n = as_vector(y_n, "y_n", length=x.size)
    rows = [("y_n (code)", y_n, COLORS["green"], "s"), ("x_n (code)", x_n, COLORS["blue"], "o")]
    if seed_x_n is not None:
        rows.append(("X_n (seed 003 prints)", as_vector(seed_x_n, "seed_x_n"),
                     COLORS["vermillion"], "D"))
    fig, ax = figure(figsize=(7.2, 1.2 + 0.75 * len(rows)))
    for k, (label, vals, c, m) in enumerate(rows):
        ax.axhline(k, color="0.85", lw=1, zorder=1)
        ax.scatter(vals, np.full(vals.size, k), s=70, color=c, marker=m, zorder=3, label=label)
        if label.startswith("x_n"):
            for xi, v in zip(x, vals):
                ax.annotate(f"{xi:g} y", (v, k), textcoords="offset points", xytext=(0, 9),
                            ha="center", fontsize=9, color="0.3")
    ax.axvline(0.0, color="0.5", lw=1, ls=":")
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("standardised value (dimensionless)")
    ax.set_title("Standardised inputs: what the seed prints and what the code gives")
    return fig


def epoch_one(x_n, y_n, w0, b0, w1, b1):
    """Epoch 1 drawn: the start line ŷ = w0·x + b0, its residuals, and the line after one update."""
    x_n = as_vector(x_n, "x_n")
    y_n = as_vector(y_n, "y_n", length=x_n.size)
    w0, b0, w1, b1 = (as_float(v, name) for v, name in ((w0, "w0"), (b0, "b0"), (w1, "w1"),
                                                         (b1, "b1")))
    fig, ax = figure(figsize=(6.4, 4.2))
    grid = np.linspace(x_n.min() - 0.3, x_n.max() + 0.3, 20)
    y0 = w0 * x_n + b0
    ax.vlines(x_n, y0, y_n, color=COLORS["vermillion"], lw=2, label="residual ŷ − y (epoch 0)")
    ax.plot(grid, w0 * grid + b0, color=COLORS["black"], lw=1.6, ls="--",
            label=f"start: ŷ = {unsigned_zero(w0, 1)}·x + {unsigned_zero(b0, 1)}")
    ax.plot(grid, w1 * grid + b1, color=COLORS["orange"], lw=2.2,
            label=f"after 1 update: ŷ = {unsigned_zero(w1, 3)}·x + {unsigned_zero(b1, 3)}")
    ax.scatter(x_n, y_n, s=60, color=COLORS["blue"], zorder=3, label="data (standardised)")
    ax.set_xlabel("x_n, experience (standardised)")
    ax.set_ylabel("y_n, salary (standardised)")
    ax.set_title("Epoch 1: the flat start line, its errors, and one step")
    ax.legend(loc="upper left")
    return fig


def trace_vs_seed(history: History, seed_epochs, seed_J, seed_dw):
    """The cost and ∂J/∂w per epoch as computed, next to the values the seed's table prints."""
    check_history(history, params=("w",))
    seed_epochs = as_vector(seed_epochs, "seed_epochs")
    seed_J = as_vector(seed_J, "seed_J", length=seed_epochs.size)
    seed_dw = as_vector(seed_dw, "seed_dw", length=seed_epochs.size)
    ep = np.array(history.epochs)
    fig, axes = figure(1, 2, figsize=(9.6, 3.8))
    for ax, computed, seed, name in ((axes[0], np.array(history.costs), seed_J, "J"),
                                     (axes[1], history.grad("w"), seed_dw, "∂J/∂w")):
        ax.plot(ep, computed, "-o", color=COLORS["blue"], label="computed (this notebook)")
        ax.plot(seed_epochs, seed, "D", mfc="none", mec=COLORS["vermillion"], ms=9, mew=2,
                label="seed 003's trace table")
        ax.set_xlabel("epoch (updates made)")
        ax.set_xticks(ep)
        ax.legend(loc="upper right" if name == "J" else "lower right")
    axes[0].set_ylabel("cost J (dimensionless)")
    axes[0].set_title("Cost per epoch")
    axes[1].set_ylabel("∂J/∂w (dimensionless)")
    axes[1].set_title("Slope gradient per epoch")
    fig.suptitle("Trace table: computed values vs the seed's printed values")
    return fig



def cost_contour(x, y, histories=None, *, w_range=(-0.5, 2.5), b_range=(-1.5, 1.5),
                 units="standardised", cost_units="dimensionless",
                 title="Cost surface J(w, b) and the path of gradient descent",
                 equal_aspect=True, figsize=(6.6, 5.6), max_points=None):
    """Contour plot of J(w, b) with one trajectory per history.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The data that define J.
    histories : dict of str -> History, optional
        Runs to draw, by legend label.
    units : str or (str, str)
        Units of w and b for the axis labels (one string for both, or a pair).
    cost_units : str
        Units of J for the colour bar, a squared unit with its brackets: ``"(thousand $)²"``.
    max_points : int, optional
        Draw only the first ``max_points`` epochs of each run.

    A run that leaves the frame is drawn up to the edge, where an arrowhead and the label
    "leaves the frame after k updates" mark it (:func:`draw_trajectory`); a run that ends
    inside gets an end cross, visible through the hollow star of the minimum.
    """
    histories = {} if histories is None else check_histories(histories, "histories",
                                                               params=("w", "b"))
    colors = colors_for(histories, sequence("on_contours"), "histories")
    w_range, b_range = check_range(w_range, "w_range"), check_range(b_range, "b_range")
    if max_points is not None:
        max_points = positive_int(max_points, "max_points")
    fig, ax = figure(figsize=figsize)
    draw_cost_contour(ax, x, y, w_range, b_range, units=units, cost_units=cost_units, star_size=26)
    for (label, h), c in zip(histories.items(), colors):
        draw_trajectory(ax, h, color=c, label=label, max_points=max_points)
    if equal_aspect:
        ax.set_aspect("equal")
    ax.plot([], [], "o", ms=8, mfc="white", mec="0.3", mew=2, label="start")
    ax.plot([], [], "X", ms=8, color="0.3", mec="white", mew=0.8, label="end")
    handles, labels = ax.get_legend_handles_labels()
    ncols = 2 if max(len(t) for t in labels) > 24 else 3
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize=9)
    ax.set_title(title)
    return fig
