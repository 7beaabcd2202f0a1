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
from ..alt_text import describe
from ..digits import counted
from ._shared import (approx, check_histories, check_history, colors_for, figure, linear_form,
                      listing, noise_floor, plotted, sentences, unsigned_zero)

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
    points = (listing(f"{counted(xi, 'year')} at ${approx(yi)}" for xi, yi in zip(x, y))
              if x.size <= 6
              else f"from {x.min():g} to {x.max():g} years")
    text = sentences(
        f"{title}: a scatter plot of {plotted(ax)} for {counted(x.size, 'person', 'people')}.",
        *(f"Line {label}: salary = {linear_form((slope, 'years'), (intercept, ''))} dollars."
          for label, (slope, intercept) in lines.items()),
        f"The points: {points}.")
    return describe(fig, text)


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
    said = [f"{label}: {listing(unsigned_zero(v, 2) for v in vals)}"
            for label, vals, _, _ in reversed(rows)]
    gap = None
    if seed_x_n is not None and rows[-1][1].size == x_n.size:
        gap = float(np.max(np.abs(rows[-1][1] - x_n)))
        gap = (f"The seed's X_n differs from the code's x_n by up to {approx(gap, 2)}."
               if gap >= 0.005 else "The seed's X_n matches the code's x_n to 2 decimals.")
    text = sentences(
        f"{ax.get_title()}. Dots on {counted(len(rows), 'row')}, one per list of values, along "
        f"{ax.get_xlabel()}.", gap, *(f"{part}." for part in said))
    return describe(fig, text)


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
    residuals = y0 - y_n
    text = (f"{ax.get_title()}: a scatter plot of {counted(x_n.size, 'point')}, {plotted(ax)}. "
            f"The dashed start line ŷ = {linear_form((w0, 'x'), (b0, ''))} leaves residuals "
            f"ŷ − y from {approx(residuals.min())} to {approx(residuals.max())} (vertical red "
            f"lines); after one update the line is ŷ = {linear_form((w1, 'x'), (b1, ''))}.")
    return describe(fig, text)


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
    text = (f"Trace table, computed values against the seed's printed ones, epochs 0 to "
            f"{ep[-1]}. Left: {plotted(axes[0])}; right: {plotted(axes[1])}. Lines with dots are "
            f"computed, hollow diamonds the seed's {counted(seed_epochs.size, 'row')}. "
            + _agreement(ep, {"J": (np.array(history.costs), seed_J),
                              "∂J/∂w": (history.grad("w"), seed_dw)}, seed_epochs))
    return describe(fig, text)


def _agreement(epochs, columns, seed_epochs) -> str:
    """Where the seed's values and the computed ones part, column by column (to 3 decimals,
    about the seed's printing)."""
    said = []
    for name, (computed, seed) in columns.items():
        rows = [(int(e), abs(computed[int(np.searchsorted(epochs, e))] - s))
                for e, s in zip(seed_epochs, seed) if e in epochs]
        if not rows:
            continue
        epoch, gap = max(rows, key=lambda r: r[1])
        said.append(f"{name} matches to 3 decimals" if gap < 5e-4 else
                    f"{name} differs by up to {approx(gap, 2)} (epoch {epoch})")
    return ("The seed's " + listing(said) + ".") if said else ""



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
    said = []
    for (label, h), c in zip(histories.items(), colors):
        k = draw_trajectory(ax, h, color=c, label=label, max_points=max_points)
        said.append(f"{label}: {_path_fate(h, k, max_points)}")
    if equal_aspect:
        ax.set_aspect("equal")
    ax.plot([], [], "o", ms=8, mfc="white", mec="0.3", mew=2, label="start")
    ax.plot([], [], "X", ms=8, color="0.3", mec="white", mew=0.8, label="end")
    handles, labels = ax.get_legend_handles_labels()
    ncols = 2 if max(len(t) for t in labels) > 24 else 3
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize=9)
    ax.set_title(title)
    text = sentences(
        f"{title}: contours of J(w, b) ({cost_units}, darker is lower) over {ax.get_xlabel()} "
        f"and {ax.get_ylabel()}; a star marks the least-squares minimum.",
        *(f"{part}." for part in said))
    return describe(fig, text)


def _path_fate(h: History, k, max_points=None) -> str:
    """Where a run drawn by :func:`draw_trajectory` goes: ``k`` is what that returned."""
    w, b = h.param("w"), h.param("b")
    n = len(w) if max_points is None else min(max_points, len(w))
    if k == 0:
        return "starts outside the frame"
    start = f"from ({unsigned_zero(w[0], 2)}, {unsigned_zero(b[0], 2)})"
    if k is not None:
        return f"{start}, leaves the frame after {counted(k, 'update')}"
    return (f"{start} to ({unsigned_zero(w[n - 1], 2)}, {unsigned_zero(b[n - 1], 2)}) in "
            f"{counted(n - 1, 'update')}, where J is "
            f"{approx(h.costs[n - 1], floor=noise_floor(h.costs[0]))}")
