"""Drawing on the (w, b) plane: the linear model's cost contours and run trajectories, and
the labelled contour lines of any cost J(w, b).

Shared by the figures of notebooks 00, 04 and 05 (:mod:`.intuition`, :mod:`.salary`,
:mod:`.learning_rate`, :mod:`.optimizers`), by the learning-rate explorer and by
:mod:`gdcourse.animations`, which draw into axes they own.
Private to :mod:`gdcourse.plots` and :mod:`gdcourse.widgets`; :func:`first_outside` is
public as ``gdcourse.plots.first_outside``.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import LogNorm

from .. import linear
from .._validate import as_vector, check_range
from ..descent import History
from ..digits import counted
from ..style import COLORS
from ._shared import cost_label, log_ticks, plain_number

def cost_grid(x, y, w_range, b_range, num=121):
    """``J(w, b)`` on a grid, from the five sums of the data (fast for any n).

    Returns
    -------
    W, B, J : ndarray, shape (num, num)
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    w_range, b_range = check_range(w_range, "w_range"), check_range(b_range, "b_range")
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


# -- contour lines of any cost J(w, b) (notebook 00) ------------------------------------
def packed_levels(Jg: np.ndarray, count: int = 20) -> np.ndarray:
    """Contour levels packed towards the minimum (quadratic spacing), where the action is."""
    lo, hi = float(Jg.min()), float(Jg.max())
    return lo + (hi - lo) * np.linspace(0.0, 1.0, count) ** 2


def label_inside(ax, lines, margin=0.07, **kwargs):
    """Label contour ``lines`` like ``clabel``, but not where a label would be clipped.

    Matplotlib places labels anywhere along a line, also on the axes' edge,
    where half the label is cut off. Place them once without cutting the lines,
    keep those at least ``margin`` (fraction of the axes) from every edge, and
    label again at just those points.
    """
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    keep = []
    for text in lines.clabel(inline=False, **kwargs):
        x, y = text.get_position()
        if margin < (x - x0) / (x1 - x0) < 1 - margin and margin < (y - y0) / (y1 - y0) < 1 - margin:
            keep.append((x, y))
        text.remove()
    lines.labelTexts.clear()
    lines.labelCValues.clear()
    if keep:
        lines.clabel(manual=keep, **kwargs)


def draw_contour_lines(ax, J, w_range, b_range, n, w_label, b_label):
    """Labelled contour lines of any cost ``J(w, b)`` on an ``n`` x ``n`` grid (notebook 00's
    figures and its animation)."""
    w_lo, w_hi = check_range(w_range, "w_range")
    b_lo, b_hi = check_range(b_range, "b_range")
    ws, bs = np.linspace(w_lo, w_hi, n), np.linspace(b_lo, b_hi, n)
    Jg = np.array([[float(J(w, b)) for w in ws] for b in bs])
    if not np.isfinite(Jg).all():
        raise ValueError("J returned a non-finite value on the plotted grid.")
    lines = ax.contour(ws, bs, Jg, levels=packed_levels(Jg), cmap="viridis", linewidths=1.1)
    label_inside(ax, lines, fontsize=7, fmt="%.2f")
    ax.set_xlabel(w_label)
    ax.set_ylabel(b_label)



def first_outside(w, b, limits):
    """Index of the first point (w[i], b[i]) outside ``limits = (w_lo, w_hi, b_lo, b_hi)``.

    A point that is not finite (a diverged run) counts as outside. ``None`` when every point
    is inside; the edges belong to the inside.
    """
    w, b = _coordinates(w, "w"), _coordinates(b, "b")
    if b.size != w.size:
        raise ValueError(f"b must have the length of w ({w.size}), got {b.size}.")
    w_lo, w_hi, b_lo, b_hi = _limits(limits)
    with np.errstate(invalid="ignore"):
        inside = (np.isfinite(w) & np.isfinite(b) & (w >= w_lo) & (w <= w_hi)
                  & (b >= b_lo) & (b <= b_hi))
    out = np.flatnonzero(~inside)
    return int(out[0]) if out.size else None


def _coordinates(v, name):
    """A 1-D float array that may hold NaN or inf (a diverged run)."""
    try:
        arr = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D array of numbers, got {type(v).__name__}.") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}.")
    return arr


def _limits(limits):
    if isinstance(limits, (str, bytes)) or not hasattr(limits, "__len__") or len(limits) != 4:
        raise TypeError(f"limits must be (w_lo, w_hi, b_lo, b_hi), four numbers, got "
                        f"{limits!r:.60}.")
    w_lo, w_hi = check_range(limits[:2], "limits[0:2] (w_lo, w_hi)")
    b_lo, b_hi = check_range(limits[2:], "limits[2:4] (b_lo, b_hi)")
    return w_lo, w_hi, b_lo, b_hi


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
