"""Figures of notebook 00 (gradient-descent intuition).

Every function takes the cost as a plain Python callable (``J(w, b)`` or
``J(w)``) and the descent paths the notebook computed, draws them, and returns
the ``Figure``. Nothing here runs gradient descent on its own: the notebook's
cells hold the algorithm, this module only draws what they produced.

Axis labels carry units. The defaults suit the course's logistic-regression
example, where ``w`` and ``b`` are in log-odds (``w`` per standard deviation
of the standardised feature) and ``J`` is a mean cross-entropy in nats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from .._validate import (as_float, as_vector, check_callable, check_range, nonnegative_int,
                         positive_int)
from ..style import COLORS, sequence
from ._contours import draw_contour_lines, label_inside, packed_levels
from ._descent_1d import draw_descent_1d
from ..alt_text import describe
from ..digits import counted
from ._shared import (against, approx, change, check_runs, eval_curve, listing,
                      path_change, plotted, sentences, signed, unsigned_zero)

__all__ = [
    "cost_surface",
    "gradient_on_contours",
    "descent_on_curves",
    "tangent_steps",
    "learning_rate_paths",
    "partial_slice",
    "separable_growth",
    "descent_1d_snapshots",
]

#: Colours of several paths or series, in order.
_SERIES = sequence("paths")

_W_LABEL = "w (log-odds per std of the feature)"
_B_LABEL = "b (log-odds)"
_J_LABEL = "J(w, b) (nats)"

# -- the cost surface, 3-D and contours --------------------------------------
def cost_surface(J: Callable[[float, float], float], w_range, b_range, *, path=None,
                 minimum=None, n: int = 61, w_label: str = _W_LABEL, b_label: str = _B_LABEL,
                 J_label: str = _J_LABEL, title: str = "The cost J(w, b) of logistic regression",
                 legend_loc: str = "lower left") -> Figure:
    """The cost over the (w, b) plane, as a 3-D surface and as contour lines.

    Parameters
    ----------
    J : callable
        ``J(w, b) -> float``.
    w_range, b_range : (float, float)
        Plotted ranges.
    path : array_like, shape (k, 2), optional
        Successive ``(w, b)`` of a gradient-descent run, drawn on both panels.
    minimum : (float, float), optional
        Where the minimum is; marked with a star.
    n : int
        Grid points per axis.
    legend_loc : str
        Where the legend of the contour panel goes (keep it off the path).
    """
    check_callable(J, "J")
    w_lo, w_hi = check_range(w_range, "w_range")
    b_lo, b_hi = check_range(b_range, "b_range")
    n = positive_int(n, "n")
    if path is not None:
        path = _rows(path, "path")
        if path.ndim != 2 or path.shape[1] != 2 or not np.isfinite(path).all():
            raise ValueError(f"path must be a finite array of shape (k, 2) holding (w, b) rows, "
                             f"got shape {path.shape}.")
    if minimum is not None:
        minimum = (as_float(minimum[0], "minimum[0]"), as_float(minimum[1], "minimum[1]"))
    ws, bs = np.linspace(w_lo, w_hi, n), np.linspace(b_lo, b_hi, n)
    Wg, Bg = np.meshgrid(ws, bs)
    Jg = np.array([[float(J(w, b)) for w in ws] for b in bs])
    if not np.isfinite(Jg).all():
        raise ValueError("J returned a non-finite value on the plotted grid.")

    fig = Figure(figsize=(13.0, 5.4), layout="constrained")
    gs = fig.add_gridspec(1, 2, width_ratios=[1.1, 1.0])
    ax3 = fig.add_subplot(gs[0], projection="3d", computed_zorder=False)
    ax3.plot_surface(Wg, Bg, Jg, cmap="viridis", rstride=2, cstride=2, linewidth=0.2,
                     edgecolor="white", alpha=0.85, antialiased=True)
    ax3.contour(Wg, Bg, Jg, levels=12, zdir="z", offset=float(Jg.min()) - 0.05 * np.ptp(Jg),
                cmap="viridis", linewidths=0.8)
    ax3.set_zlim(float(Jg.min()) - 0.05 * np.ptp(Jg), float(Jg.max()))
    ax3.set_xlabel(w_label, labelpad=8)
    ax3.set_ylabel(b_label, labelpad=8)
    ax3.set_zlabel(J_label, labelpad=6)
    ax3.set_title("3-D view: the height is the cost")
    ax3.view_init(elev=32, azim=-58)
    ax3.set_box_aspect(None, zoom=0.9)

    ax = fig.add_subplot(gs[1])
    levels = packed_levels(Jg)
    filled = ax.contourf(Wg, Bg, Jg, levels=levels, cmap="viridis")
    lines = ax.contour(Wg, Bg, Jg, levels=levels[1::2], colors="white", linewidths=0.6)
    label_inside(ax, lines, fmt="%.2f", fontsize=8)
    cbar = fig.colorbar(filled, ax=ax, shrink=0.9, format="%.2f")
    cbar.set_label(J_label)
    if path is not None:
        jp = np.array([float(J(w, b)) for w, b in path])
        ax3.plot(path[:, 0], path[:, 1], jp, color=COLORS["vermillion"], marker="o", ms=3,
                 lw=1.5, zorder=10)
        ax.plot(path[:, 0], path[:, 1], color=COLORS["vermillion"], marker="o", ms=3, lw=1.5,
                label=f"gradient descent ({len(path) - 1} steps)")
        ax.plot(*path[0], "o", ms=9, mfc="white", mec=COLORS["vermillion"], mew=2,
                label=f"start ({path[0, 0]:.1f}, {path[0, 1]:.1f})")
    if minimum is not None:
        ax.plot(*minimum, "*", ms=16, color=COLORS["orange"], mec="black",
                label=f"minimum ({minimum[0]:.2f}, {minimum[1]:.2f})")
        ax3.scatter([minimum[0]], [minimum[1]], [float(J(*minimum))], marker="*", s=200,
                    color=COLORS["orange"], edgecolor="black", zorder=11)
    ax.set_xlabel(w_label)
    ax.set_ylabel(b_label)
    ax.set_title("Top view: contour lines of equal cost")
    ax.grid(False)
    if path is not None or minimum is not None:
        ax.legend(loc=legend_loc, fontsize=9)
    fig.suptitle(title, fontsize=13)
    text = sentences(
        f"{title}: a 3-D surface whose height is {J_label}, and a top view with filled contours "
        f"of equal cost, over {w_label} from {approx(w_lo)} to {approx(w_hi)} and {b_label} from "
        f"{approx(b_lo)} to {approx(b_hi)}.",
        None if path is None else
        f"A path of {counted(len(path) - 1, 'gradient-descent step')} runs from "
        f"(w, b) = ({_point(path[0], 1)}) to ({_point(path[-1])}), where J = {approx(jp[-1])}.",
        None if minimum is None else f"A star marks the minimum at (w, b) = ({_point(minimum)}).",
        f"On the plotted grid J runs from {approx(Jg.min())} to {approx(Jg.max())}.")
    return describe(fig, text)


def _point(wb, decimals: int = 2) -> str:
    """``"1.23, -0.45"``: a point of the (w, b) plane, as the legends write it."""
    return f"{unsigned_zero(wb[0], decimals)}, {unsigned_zero(wb[1], decimals)}"


# -- 1-D curves with descent paths ---------------------------------------------
def _draw_path_1d(ax, J, path, color, label) -> None:
    """Draw one descent path on a 1-D cost curve: dots joined by thin lines."""
    jp = eval_curve(J, path, "J")
    ax.plot(path, jp, "-", color=color, lw=1.0, alpha=0.7)
    ax.plot(path, jp, "o", color=color, ms=4, alpha=0.8)
    ax.plot(path[0], jp[0], "o", ms=9, mfc="white", mec=color, mew=2)
    ax.plot(path[-1], jp[-1], "X", ms=11, color=color, mec="black", label=label)


def _rows(value, name: str) -> np.ndarray:
    """``value`` as a float array, or a ``TypeError`` naming it (shape checked by the caller)."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of shape (k, 2) holding (w, b) rows, got "
                        f"{type(value).__name__} {value!r:.40}.") from None


def _star(ax, minimum) -> None:
    if minimum is not None:
        w, b = as_float(minimum[0], "minimum[0]"), as_float(minimum[1], "minimum[1]")
        ax.plot(w, b, "*", ms=16, color=COLORS["orange"], mec="black", zorder=7,
                label=f"minimum ({w:.2f}, {b:.2f})")


def gradient_on_contours(J: Callable[[float, float], float], grad: Callable, points, w_range,
                         b_range, *, minimum=None, stretched=None, n: int = 81,
                         w_label: str = _W_LABEL,
                         b_label: str = _B_LABEL,
                         title: str = "Downhill is across the contour lines") -> Figure:
    """Contour lines of J with the downhill direction −∇J drawn at some points.

    The left panel has equal scales on both axes, so that a right angle looks like one:
    every arrow crosses its contour line at a right angle. With ``stretched``, a right
    panel shows another cost (an unstandardised feature) and a gradient-descent path on it.

    Parameters
    ----------
    J : callable
        ``J(w, b) -> float``.
    grad : callable
        ``grad(w, b) -> (dJ/dw, dJ/db)``.
    points : array_like, shape (k, 2)
        Where to draw the arrows (all of the same length; only their direction matters).
    w_range, b_range : (float, float)
    minimum : (float, float), optional
        Marked with a star.
    stretched : dict, optional
        ``J``, ``w_range``, ``b_range``, ``path`` (shape (k, 2)), ``title``, ``w_label``,
        ``b_label`` of the right panel, and optionally its ``minimum``.
    """
    check_callable(J, "J")
    check_callable(grad, "grad")
    n = positive_int(n, "n")
    pts = _rows(points, "points")
    if pts.ndim != 2 or pts.shape[1] != 2 or not np.isfinite(pts).all():
        raise ValueError(f"points must be a finite array of shape (k, 2) holding (w, b) rows, "
                         f"got shape {pts.shape}.")
    panels = 2 if stretched is not None else 1
    fig = Figure(figsize=(6.4 * panels, 5.6), layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    ax = axes[0]
    draw_contour_lines(ax, J, w_range, b_range, n, w_label, b_label)
    g = np.array([np.asarray(grad(w, b), dtype=float) for w, b in pts])
    if g.shape != pts.shape or not np.isfinite(g).all():
        raise ValueError("grad must return two finite slopes (dJ/dw, dJ/db) at every point.")
    size = 0.12 * min(np.ptp(w_range), np.ptp(b_range))
    down = -g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-300) * size
    ax.quiver(pts[:, 0], pts[:, 1], down[:, 0], down[:, 1], angles="xy", scale_units="xy",
              scale=1, color=COLORS["vermillion"], width=0.006, zorder=5,
              label="downhill, −∇J (direction only)")
    ax.plot(pts[:, 0], pts[:, 1], "o", ms=4, color=COLORS["vermillion"], zorder=6)
    _star(ax, minimum)
    ax.set_aspect("equal")
    ax.set_title("Equal scales: each arrow meets its contour at a right angle")
    ax.legend(loc="upper left", fontsize=8)
    if stretched is not None:
        if not isinstance(stretched, Mapping):
            raise TypeError(f"stretched must be a dict, got {type(stretched).__name__}.")
        missing = {"J", "w_range", "b_range", "path", "title", "w_label", "b_label"} - set(stretched)
        if missing:
            raise ValueError(f"stretched is missing the key(s) {sorted(missing)}.")
        check_callable(stretched["J"], "stretched['J']")
        path = _rows(stretched["path"], "stretched['path']")
        if path.ndim != 2 or path.shape[1] != 2 or not np.isfinite(path).all():
            raise ValueError("stretched['path'] must be a finite array of shape (k, 2).")
        ax2 = axes[1]
        draw_contour_lines(ax2, stretched["J"], stretched["w_range"], stretched["b_range"], n,
                       stretched["w_label"], stretched["b_label"])
        ax2.plot(path[:, 0], path[:, 1], "-o", color=COLORS["vermillion"], ms=3, lw=1.2,
                 label=f"gradient descent, {len(path) - 1} steps")
        ax2.plot(*path[0], "o", ms=9, mfc="white", mec=COLORS["vermillion"], mew=2, label="start")
        _star(ax2, stretched.get("minimum"))
        ax2.set_title(stretched["title"])
        ax2.legend(loc="upper right", fontsize=8)
    fig.suptitle(title)
    text = sentences(
        f"{title}. {'Left, e' if stretched is not None else 'E'}qual scales: contours over "
        f"{w_label} and {b_label}; arrows along −∇J at {counted(len(pts), 'point')} cross them "
        f"at right angles.",
        None if stretched is None else
        f"Right, {stretched['title']}, over {stretched['w_label']} and {stretched['b_label']}: "
        f"{counted(len(path) - 1, 'gradient-descent step')} {'go' if len(path) != 2 else 'goes'} "
        f"from (w, b) = ({_point(path[0])}) to ({_point(path[-1])})"
        + ("." if stretched.get("minimum") is None else
           f"; the minimum is at ({_point(stretched['minimum'])})."),
        None if minimum is None else f"Left, a star marks the minimum at ({_point(minimum)}).")
    return describe(fig, text)


def descent_on_curves(panels: Sequence[Mapping], *, title: str | None = None) -> Figure:
    """Side-by-side 1-D cost curves, each with gradient-descent paths from several starts.

    Parameters
    ----------
    panels : sequence of dict
        One dict per panel with keys ``J`` (callable ``J(w)``), ``w_range``,
        ``paths`` (list of 1-D arrays of successive ``w``), ``title``,
        ``xlabel`` and ``ylabel`` (with units).
    title : str, optional
        Figure title.

    Each path's start is an open circle and its end a cross; the legend says
    where each start ended.
    """
    if isinstance(panels, Mapping) or not isinstance(panels, Sequence) or not panels:
        raise TypeError("panels must be a non-empty list of dicts (one per panel).")
    fig = Figure(figsize=(6.0 * len(panels), 4.6), layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    said = []
    for k, (ax, p) in enumerate(zip(axes, panels)):
        if not isinstance(p, Mapping):
            raise TypeError(f"panels[{k}] must be a dict, got {type(p).__name__}.")
        missing = {"J", "w_range", "paths", "title", "xlabel", "ylabel"} - set(p)
        if missing:
            raise ValueError(f"panels[{k}] is missing the key(s) {sorted(missing)}.")
        check_callable(p["J"], f"panels[{k}]['J']")
        lo, hi = check_range(p["w_range"], f"panels[{k}]['w_range']")
        grid = np.linspace(lo, hi, 400)
        ax.plot(grid, eval_curve(p["J"], grid, "J"), color="0.35", lw=2.2, label="cost curve")
        for i, path in enumerate(p["paths"]):
            path = as_vector(path, f"panels[{k}]['paths'][{i}]")
            _draw_path_1d(ax, p["J"], path, _SERIES[i % len(_SERIES)],
                         f"start {path[0]:+.1f} → ends at {path[-1]:+.2f}")
        said.append(f"{p['title']}, {against(p['ylabel'], p['xlabel'])}: {_ends(p['paths'])}")
        ax.set_title(p["title"])
        ax.set_xlabel(p["xlabel"])
        ax.set_ylabel(p["ylabel"])
        ax.set_xlim(lo, hi)
        ax.legend(fontsize=9, loc="upper center", ncols=1)
    if title:
        fig.suptitle(title, fontsize=13)
    what = title or f"{counted(len(panels), 'cost curve')} with gradient-descent paths"
    text = sentences(f"{what}. {said[0]}.", *(f"{part}." for part in said[1:]),
                     "Open circles mark the starts, crosses the ends.")
    return describe(fig, text)


def _ends(paths) -> str:
    """Where 1-D paths start and end: ``"the starts w = -4.0 and +4.0 both end at +1.23"``."""
    starts = [signed(float(p[0]), 1) for p in paths]
    ends = [signed(float(p[-1]), 2) for p in paths]
    if len(paths) == 1:
        return f"the path from w = {starts[0]} ends at w = {ends[0]}"
    if len(set(ends)) == 1:
        return (f"the starts w = {listing(starts)} {'both' if len(ends) == 2 else 'all'} end "
                f"at {ends[0]}")
    return f"the starts w = {', '.join(starts)} end at {', '.join(ends)}"


def tangent_steps(J, dJ, points, alpha, w_range, *, w_min=None,
                  xlabel: str = _W_LABEL, ylabel: str = "J(w) (nats)",
                  title: str = "The sign of the slope decides the direction of the step") -> Figure:
    """Tangent lines at a few points and the step ``-alpha * dJ/dw`` each one gives.

    Parameters
    ----------
    J, dJ : callable
        The cost ``J(w)`` and its derivative ``dJ/dw``.
    points : sequence of float
        Where to draw tangents (typically one left and one right of the minimum).
    alpha : float
        Learning rate used for the drawn steps.
    w_range : (float, float)
    w_min : float, optional
        Position of the minimum (dotted vertical line).
    """
    check_callable(J, "J")
    check_callable(dJ, "dJ")
    points = as_vector(points, "points")
    alpha = as_float(alpha, "alpha")
    if alpha <= 0:
        raise ValueError(f"alpha must be > 0, got {alpha}.")
    lo, hi = check_range(w_range, "w_range")
    grid = np.linspace(lo, hi, 400)
    Jg = eval_curve(J, grid, "J")
    fig = Figure(figsize=(9.0, 5.0), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(grid, Jg, color="0.35", lw=2.2, label="J(w)")
    span = 0.18 * (hi - lo)
    y_lo = float(Jg.min()) - 0.25 * np.ptp(Jg)
    said = []
    for i, w in enumerate(points):
        c = _SERIES[i % len(_SERIES)]
        j, s = float(J(w)), float(dJ(w))
        t = np.linspace(w - span, w + span, 2)
        ax.plot(t, j + s * (t - w), "--", color=c, lw=1.8,
                label=f"tangent at w = {w:+.2f}: slope dJ/dw = {s:+.3f}")
        ax.plot(w, j, "o", color=c, ms=8, mec="black")
        new = w - alpha * s
        y_arrow = y_lo + (0.08 + 0.1 * i) * np.ptp(Jg)
        ax.annotate("", xy=(new, y_arrow), xytext=(w, y_arrow),
                    arrowprops=dict(arrowstyle="-|>", color=c, lw=2.2, mutation_scale=18))
        ax.plot([w, w], [y_arrow, j], ":", color=c, lw=1)
        direction = "left" if s > 0 else "right"
        said.append(f"at w = {signed(w, 2)} the slope is {approx(s)} and w moves {direction}"
                    if s != 0 else f"at w = {signed(w, 2)} the slope is 0 and w stays")
        x_text = float(np.clip((w + new) / 2, lo + 0.16 * (hi - lo), hi - 0.16 * (hi - lo)))
        ax.text(x_text, y_arrow + 0.035 * np.ptp(Jg),
                f"−α·dJ/dw = {-alpha * s:+.2f}: w moves {direction}",
                color=c, ha="center", va="bottom", fontsize=9.5,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    if w_min is not None:
        w_min = as_float(w_min, "w_min")
        ax.axvline(w_min, color=COLORS["orange"], ls=":", lw=2, label=f"minimum, w = {w_min:.2f}")
    ax.set_xlim(lo, hi)
    ax.set_ylim(y_lo, float(Jg.max()) + 0.05 * np.ptp(Jg))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{title} (α = {alpha:g})")
    ax.legend(loc="upper center", fontsize=9)
    text = sentences(
        f"{title} (α = {alpha:g}): the curve {against(ylabel, xlabel)} with dashed tangents, and "
        f"below each an arrow for the step −α·dJ/dw: " + "; ".join(said) + ".",
        None if w_min is None else f"A dotted line marks the minimum at w = {w_min:.2f}.")
    return describe(fig, text)


def learning_rate_paths(J, runs: Mapping[str, np.ndarray], w_range, *, w_min=None,
                        xlabel: str = _W_LABEL, ylabel: str = "J(w) (nats)",
                        title: str = "The learning rate sets the step size") -> Figure:
    """Paths of gradient descent for several learning rates, on the curve and over time.

    Parameters
    ----------
    J : callable
        ``J(w)``.
    runs : dict of str to array_like
        Label (e.g. ``"α = 0.5"``) to the successive ``w`` of one run.
    w_range : (float, float)
        Range of the left panel's curve.
    w_min : float, optional
        The minimum, drawn as a dotted line on both panels.
    """
    check_callable(J, "J")
    runs = check_runs(runs, what="array of successive w")
    lo, hi = check_range(w_range, "w_range")
    grid = np.linspace(lo, hi, 400)
    fig = Figure(figsize=(12.0, 4.6), layout="constrained")
    ax, ax_t = fig.subplots(1, 2)
    ax.plot(grid, eval_curve(J, grid, "J"), color="0.35", lw=2.2, label="J(w)")
    said = []
    for i, (label, path) in enumerate(runs.items()):
        path = as_vector(path, f"runs[{label!r}]")
        c = _SERIES[i % len(_SERIES)]
        jp = eval_curve(J, path, "J")
        said.append(f"{label}: J {path_change(jp)} in {counted(len(path) - 1, 'step')}")
        ax.plot(path, jp, "-o", color=c, lw=1.0, ms=3.5, alpha=0.8, label=label)
        ax_t.plot(np.arange(len(path)), jp, "-o", color=c, ms=3, lw=1.5, label=label)
    if w_min is not None:
        w_min = as_float(w_min, "w_min")
        ax.axvline(w_min, color=COLORS["orange"], ls=":", lw=2, label="minimum")
        ax_t.axhline(float(J(w_min)), color=COLORS["orange"], ls=":", lw=2, label="J at the minimum")
    ax.set_xlim(lo, hi)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title("Where the steps land on the curve")
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)   # off the data
    ax_t.set_xlabel("iteration k (count)")
    ax_t.set_ylabel(ylabel.replace("J(w)", "J(w_k)"))
    ax_t.set_title("Cost after each step")
    ax_t.legend(fontsize=9)
    fig.suptitle(title, fontsize=13)
    text = sentences(
        f"{title}. Left: where the steps of each run land on the curve {against(ylabel, xlabel)}."
        f" Right: {plotted(ax_t)}.", *(f"{part}." for part in said))
    return describe(fig, text)


def partial_slice(J, w0, b0, dw, w_range, b_range, *, n: int = 61, w_label: str = _W_LABEL,
                  b_label: str = _B_LABEL, J_label: str = _J_LABEL) -> Figure:
    """∂J/∂w is the ordinary slope of the slice ``w ↦ J(w, b0)`` (b held fixed).

    Left: contours of ``J(w, b)`` with the line ``b = b0`` and the point
    ``(w0, b0)``. Right: the cost along that line with the tangent of slope
    ``dw`` at ``w0``.
    """
    check_callable(J, "J")
    w0, b0, dw = as_float(w0, "w0"), as_float(b0, "b0"), as_float(dw, "dw")
    w_lo, w_hi = check_range(w_range, "w_range")
    b_lo, b_hi = check_range(b_range, "b_range")
    n = positive_int(n, "n")
    ws, bs = np.linspace(w_lo, w_hi, n), np.linspace(b_lo, b_hi, n)
    Jg = np.array([[float(J(w, b)) for w in ws] for b in bs])
    fig = Figure(figsize=(12.0, 4.6), layout="constrained")
    ax, ax_s = fig.subplots(1, 2)
    filled = ax.contourf(ws, bs, Jg, levels=packed_levels(Jg), cmap="viridis")
    fig.colorbar(filled, ax=ax, shrink=0.9).set_label(J_label)
    ax.axhline(b0, color=COLORS["vermillion"], lw=2.2, label=f"the slice b = {b0:+.2f}")
    ax.plot(w0, b0, "o", ms=10, color="white", mec=COLORS["vermillion"], mew=2.5,
            label=f"the point (w, b) = ({w0:+.2f}, {b0:+.2f})")
    ax.set_xlabel(w_label)
    ax.set_ylabel(b_label)
    ax.set_title("J(w, b): hold b fixed and walk along w")
    ax.grid(False)
    ax.legend(loc="upper left", fontsize=9)
    grid = np.linspace(w_lo, w_hi, 300)
    ax_s.plot(grid, [float(J(w, b0)) for w in grid], color=COLORS["vermillion"], lw=2.2,
              label=f"J(w, {b0:+.2f}), a function of w alone")
    j0 = float(J(w0, b0))
    half = 0.2 * (w_hi - w_lo)
    t = np.array([w0 - half, w0 + half])
    ax_s.plot(t, j0 + dw * (t - w0), "--", color="black", lw=1.8,
              label=f"tangent, slope ∂J/∂w = {dw:+.4f}")
    ax_s.plot(w0, j0, "o", ms=10, color="white", mec=COLORS["vermillion"], mew=2.5)
    ax_s.set_xlabel(w_label)
    ax_s.set_ylabel(J_label.replace("J(w, b)", f"J(w, b = {b0:+.2f})"))
    ax_s.set_title("The slice is a 1-D curve: its slope is ∂J/∂w")
    ax_s.legend(loc="upper center", fontsize=9)
    text = sentences(
        f"Left: filled contours of {J_label} over {w_label} and {b_label}, with the line "
        f"b = {signed(b0, 2)} through the point (w, b) = ({_point((w0, b0))}). Right: the cost "
        f"along that line, {plotted(ax_s)}, with its tangent at w = {signed(w0, 2)}, of slope "
        f"∂J/∂w = {approx(dw)}.")
    return describe(fig, text)


def separable_growth(x, y, epochs, w_path, b_path, costs, *, show_epochs=(1, 10, 100, 1000),
                     x_label: str = "x (dimensionless)",
                     title: str = "Separable data: the cost keeps falling and w keeps growing"
                     ) -> Figure:
    """Logistic regression on a separable 1-feature set has no finite minimum.

    Parameters
    ----------
    x, y : array_like, shape (m,)
        The feature and the 0/1 labels.
    epochs : array_like of int, shape (k,)
        Epoch numbers of the recorded run (0, 1, 2, ...).
    w_path, b_path, costs : array_like, shape (k,)
        ``w``, ``b`` and ``J`` at those epochs.
    show_epochs : sequence of int
        Epochs whose fitted sigmoid is drawn over the data.
    """
    x, y = as_vector(x, "x"), as_vector(y, "y", length=len(as_vector(x, "x")))
    epochs = as_vector(epochs, "epochs")
    k = len(epochs)
    w_path = as_vector(w_path, "w_path", length=k)
    b_path = as_vector(b_path, "b_path", length=k)
    costs = as_vector(costs, "costs", length=k)
    fig = Figure(figsize=(13.5, 4.4), layout="constrained")
    ax_d, ax_j, ax_w = fig.subplots(1, 3)
    pad = 0.5 * np.ptp(x)
    grid = np.linspace(x.min() - pad, x.max() + pad, 400)
    if isinstance(show_epochs, (str, bytes)) or not hasattr(show_epochs, "__iter__"):
        raise TypeError(f"show_epochs must be a sequence of epoch numbers, got "
                        f"{show_epochs!r:.60}.")
    for i, e in enumerate(show_epochs):
        e = nonnegative_int(e, "show_epochs[i]")
        idx = int(np.searchsorted(epochs, e))
        if idx >= k or epochs[idx] != e:
            raise ValueError(f"show_epochs: epoch {e} is not among the recorded epochs.")
        z = w_path[idx] * grid + b_path[idx]
        a = np.exp(-np.logaddexp(0.0, -z))
        ax_d.plot(grid, a, color=_SERIES[i % len(_SERIES)], lw=1.8,
                  label=f"k = {e:,}: w = {w_path[idx]:.1f}")
    ax_d.plot(x[y == 0], y[y == 0], "o", ms=10, color=COLORS["blue"], mec="black", label="y = 0")
    ax_d.plot(x[y == 1], y[y == 1], "s", ms=10, color=COLORS["orange"], mec="black", label="y = 1")
    ax_d.set_xlabel(x_label)
    ax_d.set_ylabel("a = σ(wx + b) (probability)")
    ax_d.set_title("The sigmoid sharpens into a step")
    ax_d.legend(fontsize=8.5, loc="upper left", title="after k steps", title_fontsize=8.5)
    pos = epochs > 0
    ax_j.loglog(epochs[pos], costs[pos], color=COLORS["blue"], label="J after k steps")
    ax_j.set_xlabel("iteration k (count, log scale)")
    ax_j.set_ylabel("J (nats, log scale)")
    ax_j.set_title("The cost heads to 0, never reaching it")
    ax_j.legend(fontsize=9)
    ax_w.semilogx(epochs[pos], w_path[pos], color=COLORS["vermillion"], label="w after k steps")
    ax_w.set_xlabel("iteration k (count, log scale)")
    ax_w.set_ylabel("w (log-odds per unit of x)")
    ax_w.set_title("w grows without bound (≈ log k)")
    ax_w.legend(fontsize=9, loc="upper left")
    fig.suptitle(title, fontsize=13)
    first = int(np.flatnonzero(pos)[0]) if pos.any() else 0
    span = f"from k = {epochs[first]:,.0f} to k = {epochs[-1]:,.0f}"
    text = sentences(
        f"{title}. Left: {len(x)} labelled points, {plotted(ax_d)}, with the fitted sigmoid after "
        f"k = {listing(f'{int(e):,}' for e in show_epochs)} steps. Middle: J "
        f"{change(costs[first], costs[-1])} {span}. Right: w {change(w_path[first], w_path[-1])}.",
        f"Middle and right are against k on a log scale.")
    return describe(fig, text)


def descent_1d_snapshots(J, dJ, path, alpha, w_range, *, steps=(0, 1, 3, 10),
                         xlabel: str = _W_LABEL, ylabel: str = "J(w) (nats)",
                         title: str | None = None) -> Figure:
    """The step-through widget's view at a few iterations, side by side (static).

    Parameters
    ----------
    J, dJ : callable
        ``J(w)`` and ``dJ/dw``.
    path : array_like, shape (k,)
        Successive ``w`` of one run (``path[0]`` is the start).
    alpha : float
        The learning rate of the run.
    w_range : (float, float)
    steps : sequence of int
        Iterations to show, each < ``len(path)``.
    """
    check_callable(J, "J")
    check_callable(dJ, "dJ")
    path = as_vector(path, "path")
    alpha = as_float(alpha, "alpha")
    lo, hi = check_range(w_range, "w_range")
    if isinstance(steps, (str, bytes)) or not hasattr(steps, "__iter__"):
        raise TypeError(f"steps must be a sequence of iteration numbers, got {steps!r:.60}.")
    steps = [nonnegative_int(s, "steps[i]") for s in steps]
    if not steps or min(steps) < 0 or max(steps) >= len(path):
        raise ValueError(f"steps must be iterations between 0 and {len(path) - 1} "
                         f"(the path has {len(path)} points), got {steps}.")
    grid = np.linspace(lo, hi, 300)
    Jg = eval_curve(J, grid, "J")
    Jp = eval_curve(J, path, "J")
    cols = min(2, len(steps))              # two per row: readable at notebook width
    rows = -(-len(steps) // cols)
    fig = Figure(figsize=(5.6 * cols, 4.4 * rows), layout="constrained")
    grid_axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    for n, ax in enumerate(grid_axes.ravel()):
        if n >= len(steps):
            ax.remove()
            continue
        k = steps[n]
        draw_descent_1d(ax, grid, Jg, path, Jp, k, float(dJ(path[k])), alpha,
                        xlabel=xlabel, ylabel=ylabel if n % cols == 0 else "",
                        title=f"iteration {k}: J = {Jp[k]:.4f}")
    title = title or f"Gradient descent step by step (start w_0 = {path[0]:+.2f}, α = {alpha:g})"
    fig.suptitle(title, fontsize=13)
    at = [f"{approx(Jp[k])} at iteration {k}" for k in steps]
    text = sentences(
        f"{title}: {counted(len(steps), 'panel')} of {against(ylabel, xlabel)}. J is "
        f"{listing(at)}.",
        "Each panel shows the points visited so far, the tangent at the current w and an arrow "
        "for the next step.")
    return describe(fig, text)
