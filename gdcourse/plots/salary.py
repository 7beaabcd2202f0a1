"""Figures of notebook 04 (salary regression), plus the J(w, b) contour reused by 05 and 06.

Every function returns the Matplotlib ``Figure`` it drew. The drawing
primitives that take an ``ax`` (``draw_cost_contour``, ``draw_trajectory``)
are shared with the widgets, which draw into a figure they own.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import linear
from .._validate import as_vector
from ..descent import History
from ..digits import counted
from ..style import COLORS

__all__ = [
    "salary_fit",
    "standardised_values",
    "epoch_one",
    "trace_vs_seed",
    "cost_contour",
    "draw_cost_contour",
    "draw_trajectory",
    "cost_grid",
    "cost_label",
]

def _figure(nrows=1, ncols=1, *, figsize, **kwargs):
    """A new ``Figure`` (not registered with pyplot) and its axes.

    Notebooks show it once, as the value of the cell; pyplot is never involved,
    so no figure is shown twice or left open.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(nrows, ncols, **kwargs)


def _fmt(v, decimals):
    """Fixed decimals, without a "-0.000" for a value that rounds to zero."""
    text = f"{v:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


DOLLARS = FuncFormatter(lambda v, _: f"${v / 1000:,.0f}k")
# No blue: the cost contours are blue.
TRAJECTORY_COLORS = [COLORS[c] for c in ("vermillion", "black", "orange", "purple", "green")]


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
    fig, ax = _figure(figsize=(6.4, 4.0))
    ax.scatter(x, y, s=60, color=COLORS["blue"], zorder=3, label="data (seed 003)")
    for xi, yi in zip(x, y):
        ax.annotate(f"{xi:g} y → ${yi / 1000:,.0f}k", (xi, yi), textcoords="offset points",
                    xytext=(8, -12), fontsize=9, color="0.3")
    right = x.max() * 1.22   # room for the last point's label
    grid = np.linspace(0.0, right, 50)
    styles = [("-", COLORS["orange"]), ("--", COLORS["black"]), (":", COLORS["green"])]
    for (label, (slope, intercept)), (ls, c) in zip((lines or {}).items(), styles):
        ax.plot(grid, slope * grid + intercept, ls, color=c, lw=2 if ls == "-" else 1.6,
                label=label)
    ax.yaxis.set_major_formatter(DOLLARS)
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
    fig, ax = _figure(figsize=(7.2, 1.2 + 0.75 * len(rows)))
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
    fig, ax = _figure(figsize=(6.4, 4.2))
    grid = np.linspace(x_n.min() - 0.3, x_n.max() + 0.3, 20)
    y0 = w0 * x_n + b0
    ax.vlines(x_n, y0, y_n, color=COLORS["vermillion"], lw=2, label="residual ŷ − y (epoch 0)")
    ax.plot(grid, w0 * grid + b0, color=COLORS["black"], lw=1.6, ls="--",
            label=f"start: ŷ = {_fmt(w0, 1)}·x + {_fmt(b0, 1)}")
    ax.plot(grid, w1 * grid + b1, color=COLORS["orange"], lw=2.2,
            label=f"after 1 update: ŷ = {_fmt(w1, 3)}·x + {_fmt(b1, 3)}")
    ax.scatter(x_n, y_n, s=60, color=COLORS["blue"], zorder=3, label="data (standardised)")
    ax.set_xlabel("x_n, experience (standardised)")
    ax.set_ylabel("y_n, salary (standardised)")
    ax.set_title("Epoch 1: the flat start line, its errors, and one step")
    ax.legend(loc="upper left")
    return fig


def trace_vs_seed(history: History, seed_epochs, seed_J, seed_dw):
    """The cost and ∂J/∂w per epoch as computed, next to the values the seed's table prints."""
    if not isinstance(history, History):
        raise TypeError(f"history must be a History, got {type(history).__name__}.")
    seed_epochs = np.asarray(seed_epochs)
    ep = np.array(history.epochs)
    fig, axes = _figure(1, 2, figsize=(9.6, 3.8))
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


# -- the cost surface -------------------------------------------------------

def cost_grid(x, y, w_range, b_range, num=121):
    """``J(w, b)`` on a grid, from the five sums of the data (fast for any n).

    Returns
    -------
    W, B, J : ndarray, shape (num, num)
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    W, B = np.meshgrid(np.linspace(*w_range, num), np.linspace(*b_range, num))
    mx, mxx, my, myy, mxy = x.mean(), (x * x).mean(), y.mean(), (y * y).mean(), (x * y).mean()
    J = W * W * mxx + 2 * W * B * mx + B * B - 2 * W * mxy - 2 * B * my + myy
    return W, B, np.maximum(J, 0.0)


def draw_cost_contour(ax, x, y, w_range, b_range, *, grid=None, colorbar=True, units="standardised",
                      cost_units="dimensionless", optimum=True, star_size=16):
    """Filled log-spaced contours of J(w, b) with the least-squares point marked.

    ``units`` labels the axes: one string for both, or a pair (w units, b units).
    ``cost_units`` labels the colour bar; write a squared unit with its brackets,
    ``"(thousand $)²"``. The minimum is a hollow star of marker size ``star_size``, drawn
    above the paths, so an end marker at the minimum shows through it.
    """
    W, B, J = grid if grid is not None else cost_grid(x, y, w_range, b_range)
    lo = max(J.min(), 1e-4 * J.max(), 1e-6)
    levels = np.geomspace(lo, J.max(), 14)
    cs = ax.contourf(W, B, np.clip(J, lo, None), levels=levels, norm=LogNorm(), cmap="Blues_r",
                     alpha=0.85)
    ax.contour(W, B, np.clip(J, lo, None), levels=levels, colors="white", linewidths=0.5,
               alpha=0.7)
    if colorbar:
        cb = ax.figure.colorbar(cs, ax=ax, shrink=0.9, pad=0.02)
        cb.set_label(cost_label(cost_units))
        ticks = log_ticks(levels[0], levels[-1])
        cb.set_ticks(ticks, labels=[plain_number(t) for t in ticks])
        cb.ax.minorticks_off()
    if optimum:
        # A hollow star above the paths: the end cross of a run that stops at the minimum
        # shows through it, and the star's outline stays visible around the cross.
        w_star, b_star = linear.closed_form(x, y)
        outline = dict(mfc="none", mec=COLORS["yellow"], mew=1.8,
                       path_effects=[patheffects.withStroke(linewidth=3.4, foreground="black")])
        ax.plot(w_star, b_star, "*", ms=star_size, zorder=7, **outline)
        ax.plot([], [], "*", ms=16, label="least-squares minimum", **outline)   # legend size
    ax.set_xlim(*w_range)
    ax.set_ylim(*b_range)
    w_units, b_units = (units, units) if isinstance(units, str) else units
    ax.set_xlabel(f"w, slope ({w_units})")
    ax.set_ylabel(f"b, intercept ({b_units})")
    ax.grid(False)
    return cs


def draw_trajectory(ax, history: History, *, color, label, max_points=None, clip=True):
    """The (w, b) path of a run: a line with dots, a ring at the start and a cross at the end.

    With ``clip`` (the default) and axis limits already set (``draw_cost_contour`` sets
    them), a path that leaves the frame is drawn only up to the boundary: the segment to its
    first point outside ends in an arrowhead at the edge, labelled "leaves the frame after
    k updates", and no end cross is drawn. A diverging run then no longer streaks across
    the picture; a run that starts outside is only named in the legend, "(starts outside
    the frame)". Returns the number of updates after which the path left the frame (0 for
    one that starts outside), or ``None`` when it stays inside (or is not clipped).
    """
    w, b = history.param("w"), history.param("b")
    if max_points is not None:
        w, b = w[:max_points], b[:max_points]
    limits = None
    if clip and not (ax.get_autoscalex_on() or ax.get_autoscaley_on()):
        limits = (*sorted(ax.get_xlim()), *sorted(ax.get_ylim()))
    if limits is None:
        ok = np.isfinite(w) & np.isfinite(b)
        w, b = w[ok], b[ok]
        ax.plot(w, b, "-o", color=color, ms=4, lw=1.5, label=label, zorder=4)
        ax.plot(w[0], b[0], "o", ms=10, mfc="white", mec=color, mew=2, zorder=5)
        ax.plot(w[-1], b[-1], "X", ms=8, color=color, mec="white", mew=0.8, zorder=6)
        return None
    k = first_outside(w, b, limits)
    if k == 0:        # nothing of it is in the picture: say so in the legend, draw nothing
        ax.plot([], [], "-o", color=color, ms=4, lw=1.5,
                label=f"{label} (starts outside the frame)")
        return 0
    inside = slice(None) if k is None else slice(0, k)
    ax.plot(w[inside], b[inside], "-o", color=color, ms=4, lw=1.5, label=label, zorder=4)
    ax.plot(w[0], b[0], "o", ms=10, mfc="white", mec=color, mew=2, zorder=5)
    if k is None:
        ax.plot(w[-1], b[-1], "X", ms=8, color=color, mec="white", mew=0.8, zorder=6)
        return None
    last = (w[k - 1], b[k - 1])
    edge = exit_point(last, (w[k], b[k]), limits)
    ax.annotate("", xy=edge, xytext=last, zorder=5,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=1.5, mutation_scale=16,
                                shrinkA=0, shrinkB=0))
    _label_exit(ax, edge, limits, f"leaves the frame after {counted(k, 'update')}", color)
    return k


def first_outside(w, b, limits):
    """Index of the first point (w[i], b[i]) outside ``limits = (w_lo, w_hi, b_lo, b_hi)``.

    A point that is not finite (a diverged run) counts as outside. ``None`` when every point
    is inside; the edges belong to the inside.
    """
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    w_lo, w_hi, b_lo, b_hi = limits
    with np.errstate(invalid="ignore"):
        inside = (np.isfinite(w) & np.isfinite(b) & (w >= w_lo) & (w <= w_hi)
                  & (b >= b_lo) & (b <= b_hi))
    out = np.flatnonzero(~inside)
    return int(out[0]) if out.size else None


def exit_point(inside, outside, limits):
    """Where the segment from a point inside the box ``limits`` to a point outside crosses its edge.

    An ``outside`` point that is not finite gives back ``inside`` (the direction is unknown).
    """
    (w0, b0), (w1, b1) = inside, outside
    if not (np.isfinite(w1) and np.isfinite(b1)):
        return float(w0), float(b0)
    w_lo, w_hi, b_lo, b_hi = limits
    t = 1.0
    for start, delta, lo, hi in ((w0, w1 - w0, w_lo, w_hi), (b0, b1 - b0, b_lo, b_hi)):
        if delta > 0:
            t = min(t, (hi - start) / delta)
        elif delta < 0:
            t = min(t, (lo - start) / delta)
    t = max(t, 0.0)
    return float(w0 + t * (w1 - w0)), float(b0 + t * (b1 - b0))


def _label_exit(ax, edge, limits, text, color):
    """``text`` next to the point ``edge`` on the frame, placed inside the axes."""
    w_lo, w_hi, b_lo, b_hi = limits
    w, b = edge
    near_right = (w - w_lo) > (w_hi - w_lo) / 2
    near_top = (b - b_lo) > (b_hi - b_lo) / 2
    ax.annotate(text, xy=edge, xytext=(-8 if near_right else 8, -10 if near_top else 10),
                textcoords="offset points", ha="right" if near_right else "left",
                va="top" if near_top else "bottom", fontsize=9, color=color, zorder=9,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=color, lw=0.8, alpha=0.9))


def log_ticks(lo, hi):
    """Readable ticks for a log colour bar from ``lo`` to ``hi``: powers of ten inside the range,
    with 2 and 5 times them added when fewer than three powers fit, thinned when many do."""
    lo, hi = float(lo), float(hi)
    if not (0 < lo < hi and np.isfinite(hi)):
        raise ValueError(f"need 0 < lo < hi (finite), got lo={lo!r}, hi={hi!r}.")
    powers = 10.0 ** np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)
    ticks = [t for t in powers if lo <= t * (1 + 1e-12) and t <= hi * (1 + 1e-12)]
    if len(ticks) < 3:
        ticks = [m * t for t in powers for m in (1, 2, 5) if lo <= m * t <= hi]
    step = int(np.ceil(len(ticks) / 6))
    return np.array(ticks[::step])


def plain_number(v):
    """A tick label without exponents: 1, 10, 1,000, 0.5, 0.001."""
    v = float(v)
    if v >= 1:
        return f"{v:,.0f}"
    decimals = int(np.ceil(-np.log10(v) - 1e-9))
    text = f"{v:.{decimals + 1}f}".rstrip("0")
    return text


def cost_label(cost_units: str, what: str = "cost J") -> str:
    """An axis label for a cost on a log scale: "cost J (dimensionless, log scale)", or for
    a unit that brings its own brackets, "cost J (thousand $)², log scale"."""
    if cost_units.startswith("("):
        return f"{what} {cost_units}, log scale"
    return f"{what} ({cost_units}, log scale)"


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
    fig, ax = _figure(figsize=figsize)
    draw_cost_contour(ax, x, y, w_range, b_range, units=units, cost_units=cost_units, star_size=26)
    for (label, h), c in zip((histories or {}).items(), TRAJECTORY_COLORS):
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
