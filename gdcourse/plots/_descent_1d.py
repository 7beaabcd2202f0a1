"""The 1-D step-through of notebook 00: one iteration of gradient descent on a cost curve.

Split into a static scene (the curve, limits, labels) and the artists of one step
(visited points, tangent, next step), so the step-through widget
(:mod:`gdcourse.widgets.descent_1d`) blits only the step, and the static snapshots
(:func:`gdcourse.plots.descent_1d_snapshots`) draw both. Private to
:mod:`gdcourse.plots` and :mod:`gdcourse.widgets`.
"""

from __future__ import annotations

import numpy as np

from ..style import COLORS
from ._shared import signed


def descent_1d_scene(ax, grid, J_grid, *, xlabel: str, ylabel: str, title: str):
    """The static part of the 1-D step-through: the curve, fixed limits, labels, title.

    Returns the curve's ``Line2D`` (for legends). Limits are fixed so that
    artists drawn later (:func:`descent_1d_step`) do not rescale the axes.
    """
    (curve,) = ax.plot(grid, J_grid, color="0.35", lw=2.2, label="J(w)")
    lo, hi = float(grid[0]), float(grid[-1])
    y_lo, y_hi = float(J_grid.min()), float(J_grid.max())
    pad = 0.12 * (y_hi - y_lo)
    ax.set_xlim(lo, hi)
    ax.set_ylim(y_lo - pad, y_hi + 0.8 * pad)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return curve


def descent_1d_step(ax, curve, path, J_path, k: int, slope: float, alpha: float) -> list:
    """Draw iteration ``k`` over a :func:`descent_1d_scene`; return the artists it added.

    Visited points, the current point, its tangent, the arrow of the next
    step ``-alpha * slope`` (along the bottom of the axes) and a legend with
    the numbers. Cheap on purpose: no evaluation of ``J``.

    Parameters
    ----------
    curve : Line2D
        The scene's curve (its colour is not reused).
    path, J_path : ndarray, shape (>= k + 1,)
        Successive ``w`` and their costs.
    k : int
        The current iteration (0 = the start).
    slope : float
        ``dJ/dw`` at ``path[k]``.
    alpha : float
        Learning rate.
    """
    c_path, c_now = COLORS["blue"], COLORS["vermillion"]
    artists, handles = [], []
    if k > 0:
        (visited,) = ax.plot(path[: k + 1], J_path[: k + 1], "-o", color=c_path, lw=1.0, ms=4,
                             alpha=0.8, label=f"w_0 … w_{k}")
        artists.append(visited)
        handles.append(visited)
    w, j = float(path[k]), float(J_path[k])
    lo, hi = ax.get_xlim()
    y_lo, y_hi = ax.get_ylim()
    span = 0.12 * (hi - lo)
    t = np.array([w - span, w + span])
    (tangent,) = ax.plot(t, j + slope * (t - w), "--", color=c_now, lw=1.8,
                         label=f"tangent, slope {signed(slope)}")
    (point,) = ax.plot(w, j, "o", ms=10, color=c_now, mec="black", label=f"w_{k} = {signed(w)}")
    new = w - alpha * slope
    y_arrow = y_lo + 0.05 * (y_hi - y_lo)
    if np.isfinite(new) and abs(new - w) > 1e-12:
        tip = float(np.clip(new, lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)))
        arrow = ax.annotate("", xy=(tip, y_arrow), xytext=(w, y_arrow), annotation_clip=False,
                            arrowprops=dict(arrowstyle="-|>", color=c_now, lw=2,
                                            mutation_scale=16))
        artists.append(arrow)
    (step,) = ax.plot([], [], color=c_now, lw=2,
                      label=f"next step −α·dJ/dw = {signed(-alpha * slope)}")
    artists += [tangent, point, step]
    handles += [tangent, point, step]
    legend = ax.legend(handles=handles, fontsize=8.5, loc="upper center")
    artists.append(legend)
    return artists


def draw_descent_1d(ax, grid, J_grid, path, J_path, k: int, slope: float, alpha: float, *,
                    xlabel: str, ylabel: str, title: str | None = None) -> None:
    """Draw step ``k`` of a 1-D descent on ``ax``: curve, visited points, tangent, next step.

    The scene (:func:`descent_1d_scene`) of the curve ``grid, J_grid`` (shape (g,)) plus
    one step (:func:`descent_1d_step`, which describes the other arguments).
    """
    curve = descent_1d_scene(ax, grid, J_grid, xlabel=xlabel, ylabel=ylabel,
                             title=title if title is not None else f"iteration {k}")
    descent_1d_step(ax, curve, path, J_path, k, slope, alpha)
