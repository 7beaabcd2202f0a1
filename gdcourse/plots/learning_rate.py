"""Figures of notebook 05 (learning-rate sensitivity) and the drawing behind its explorer.

The learning-rate regimes of gradient descent on the MSE of the linear model
follow from the eigenvalues λ of the (constant) Hessian H of J: along each
eigen-direction the error is multiplied by ``1 − η·λ`` per update, so

- ``η·λ_max ≤ 1``: every factor is in [0, 1): the cost falls monotonically;
- ``1 < η·λ_max < 2``: the largest factor is in (−1, 0): the error flips sign
  each update but shrinks ("converges, zig-zagging");
- ``η·λ_max = 2``: the factor is −1: the error flips sign without shrinking
  ("oscillates for ever", cost constant along that direction);
- ``η·λ_max > 2``: the factor is below −1: the error grows ("diverges").
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from .. import linear
from .._validate import as_float, as_vector, check_range, positive_float, positive_int
from ..descent import History
from ..style import COLORS
from ._contours import cost_grid, draw_cost_contour
from ._rates import (REGIME_COLORS, draw_steps, rate_explorer_axes, rate_explorer_update,
                     rate_regime)
from ..alt_text import describe
from ..digits import counted
from ._shared import (approx, check_histories, figure, final_values, listing, noise_floor,
                      plotted, sentences, tidy_log_axis)

__all__ = [
    "cost_curves",
    "rate_trajectories",
    "bounce",
    "stability_diagram",
    "learning_rate_grid",
]


def _draw_cost(ax, h: History, color, label=None):
    ep = np.array(h.epochs)
    J = np.array(h.costs)
    ok = np.isfinite(J) & (J > 0)
    ax.semilogy(ep[ok], J[ok], "-o", ms=3, color=color, label=label)
    J = J[ok]
    if J.size and np.ptp(np.log10(J)) < 0.05:    # a flat line: show a readable window around it
        mid = float(np.median(J))
        ax.set_ylim(mid / 1.5, mid * 1.5)
    tidy_log_axis(ax)
    ax.set_xlabel("epoch")


def cost_curves(histories, x, *, title="Cost per epoch for each learning rate"):
    """One panel per run: J against epoch on a log scale, titled with η and its regime.

    Each panel has its own y-range, so a cost that barely moves is not flattened
    by one that explodes.
    """
    histories = check_histories(histories, "histories")
    k = len(histories)
    fig, axes = figure(1, k, figsize=(3.2 * k, 3.5), squeeze=False)
    said = {}
    for ax, (label, h) in zip(axes[0], histories.items()):
        regime = rate_regime(x, h.learning_rate)
        _draw_cost(ax, h, REGIME_COLORS[regime])
        ax.set_title(f"{label}\n{regime}", color=REGIME_COLORS[regime], fontsize=11)
        said[f"{label} ({regime})"] = (h.costs[0], h.costs[-1],
                                       "after " + counted(h.epochs[-1], "epoch"))
    axes[0][0].set_ylabel("cost J (log scale)")
    fig.suptitle(title)
    text = sentences(
        f"{title}: one panel per run, {plotted(axes[0][0])}, each with its own range.",
        *final_values("J", said, floor=_noise(histories)))
    return describe(fig, text)


def rate_trajectories(x, y, histories, *, n_steps=8, w_range=(-1.5, 3.5), b_range=(-1.25, 1.25)):
    """One contour panel of J(w, b) per run, with its first ``n_steps`` updates as arrows."""
    histories = check_histories(histories, "histories", params=("w", "b"))
    n_steps = positive_int(n_steps, "n_steps")
    k = len(histories)
    grid = cost_grid(x, y, w_range, b_range, num=101)
    fig, axes = figure(1, k, figsize=(3.3 * k, 2.8), squeeze=False, sharey=True)
    w_star, b_star = linear.closed_form(x, y)
    said = {}
    for ax, (label, h) in zip(axes[0], histories.items()):
        regime = rate_regime(x, h.learning_rate)
        d = np.hypot(h.param("w") - w_star, h.param("b") - b_star)
        n = min(n_steps, d.size - 1)
        said[f"{label} ({regime})"] = (d[0], d[n], "after " + counted(n, "update"))
        draw_cost_contour(ax, x, y, w_range, b_range, grid=grid, colorbar=False)
        draw_steps(ax, h.param("w"), h.param("b"), REGIME_COLORS[regime], n_steps)
        ax.set_aspect("equal")
        ax.set_title(f"{label}\n{regime}", color=REGIME_COLORS[regime], fontsize=11)
        # the panels are short: the long label would stick out of the first one
        ax.set_ylabel("b (standardised)" if ax is axes[0][0] else "")
    fig.suptitle(f"First {n_steps} updates on the cost surface (ring = start, "
                 "star = minimum)")
    text = sentences(
        f"First {n_steps} updates of each run, one panel each, as curved arrows from a ring on "
        f"the contours of J(w, b) over w, slope and b (standardised); a star marks the minimum.",
        *final_values("the distance to the minimum", said, floor=1e-12))
    return describe(fig, text)


def _noise(histories) -> float:
    """Below this a cost of these runs is rounding noise (:func:`noise_floor`)."""
    return noise_floor(*(h.costs[0] for h in histories.values()))


def bounce(x, y, histories, *, n_steps=8, w_range=(-1.2, 3.2)):
    """The slice J(w, b*) of the cost with the first updates drawn as jumps along it.

    Each run starts on the slice (its b must stay at the minimum's b, as it does
    for zero-mean data starting at b = b*). The jumps make the overshoot visible:
    landing higher, at the same height, or lower than the point it came from.
    """
    histories = check_histories(histories, "histories", params=("w",))
    n_steps = positive_int(n_steps, "n_steps")
    w_range = check_range(w_range, "w_range")
    w_star, b_star = linear.closed_form(x, y)
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    k = len(histories)
    fig, axes = figure(1, k, figsize=(3.3 * k, 3.4), squeeze=False, sharey=True)
    ws = np.linspace(*w_range, 200)
    J = ((ws[:, None] * x + b_star - y) ** 2).mean(axis=1)
    said = {}
    for ax, (label, h) in zip(axes[0], histories.items()):
        regime = rate_regime(x, h.learning_rate)
        c = REGIME_COLORS[regime]
        n = min(n_steps, len(h.costs) - 1)
        said[f"{label} ({regime})"] = (h.costs[0], h.costs[n], "after " + counted(n, "jump"))
        ax.plot(ws, J, color="0.55", lw=1.5)
        w = h.param("w")[: n_steps + 1]
        Jw = np.array(h.costs[: n_steps + 1])
        for t in range(len(w) - 1):
            if not (np.isfinite(w[t + 1]) and w_range[0] <= w[t + 1] <= w_range[1]):
                break
            ax.annotate("", xy=(w[t + 1], Jw[t + 1]), xytext=(w[t], Jw[t]),
                        arrowprops=dict(arrowstyle="-|>", color=c, lw=1.4, shrinkA=3, shrinkB=3,
                                        connectionstyle="arc3,rad=-0.3"), zorder=5)
        inside = (w >= w_range[0]) & (w <= w_range[1])
        ax.plot(w[inside], Jw[inside], "o", ms=5, color=c, zorder=6)
        ax.plot(w[0], Jw[0], "o", ms=10, mfc="white", mec=c, mew=2, zorder=7)
        ax.axvline(w_star, color="0.3", ls=":", lw=1)
        ax.set_xlim(*w_range)
        ax.set_ylim(0, J.max() * 1.05)
        ax.set_xlabel("w, slope (standardised)")
        ax.set_title(f"{label}\n{regime}", color=c, fontsize=11)
    axes[0][0].set_ylabel("cost J(w, b*) (dimensionless)")
    fig.suptitle("The first updates as jumps along the cost curve (dotted line: w*)")
    text = sentences(
        f"The first updates as jumps along the cost curve: {counted(k, 'panel')} of "
        f"{plotted(axes[0][0])}, with a dotted line at w* = {approx(w_star)}.",
        *final_values("J", said, floor=_noise(histories)))
    return describe(fig, text)


def stability_diagram(x, *, eta_max_plot=None, measured=None, marks=None,
                      title="How much one update shrinks the error, by learning rate"):
    """``|1 − η·λ|`` against η for each eigenvalue λ of H, with the limit ``2/λ_max``.

    Parameters
    ----------
    x : array_like, shape (n,)
        Defines H (see :func:`gdcourse.linear.hessian`).
    eta_max_plot : float, optional
        Right end of the η axis (default 1.4 × the limit).
    measured : (etas, factors), optional
        Per-epoch error factors measured from real runs, drawn as dots.
    marks : dict of str -> float, optional
        Learning rates to mark with a labelled vertical tick (e.g. the seed's).
    """
    lams = linear.hessian_eigenvalues(x)
    if eta_max_plot is not None:
        eta_max_plot = positive_float(eta_max_plot, "eta_max_plot")
    if measured is not None:
        if isinstance(measured, (str, bytes)) or not hasattr(measured, "__len__") \
                or len(measured) != 2:
            raise TypeError(f"measured must be a pair (etas, factors) of arrays, got "
                            f"{measured!r:.60}.")
        m_eta = as_vector(measured[0], "measured[0] (etas)")
        measured = (m_eta, as_vector(measured[1], "measured[1] (factors)", length=m_eta.size))
    if marks is not None:
        if not isinstance(marks, Mapping):
            raise TypeError(f"marks must be a dict of label -> learning rate, got "
                            f"{type(marks).__name__}.")
        marks = {name: as_float(v, f"marks[{name!r}]") for name, v in marks.items()}
    limit = 2.0 / lams[-1]
    right = eta_max_plot if eta_max_plot is not None else 1.4 * limit
    eta = np.linspace(0.0, right, 600)
    fig, ax = figure(figsize=(7.4, 4.3))
    ax.axvspan(0, 1.0 / lams[-1], color=REGIME_COLORS["converges"], alpha=0.08)
    ax.axvspan(1.0 / lams[-1], limit, color=REGIME_COLORS["converges, zig-zagging"], alpha=0.08)
    ax.axvspan(limit, right, color=REGIME_COLORS["diverges"], alpha=0.08)
    styles = ["-", "--"]
    distinct = np.unique(np.round(lams, 12))
    for i, lam in enumerate(distinct[::-1]):
        tag = "λ_max" if i == 0 else "λ_min"
        if len(distinct) == 1:
            tag = "λ (both eigenvalues)"
        ax.plot(eta, np.abs(1 - eta * lam), styles[i % 2], color=COLORS["black"],
                label=f"|1 − η·λ|, {tag} = {lam:.3g}")
    ax.axhline(1.0, color="0.4", lw=1)
    ax.axvline(limit, color=REGIME_COLORS["diverges"], lw=2,
               label=f"limit η = 2/λ_max = {limit:.4g}")
    if measured is not None:
        m_eta, m_f = measured
        ax.plot(m_eta, m_f, "o", ms=4, color=COLORS["orange"], zorder=5,
                label="measured from runs (per epoch)")
    top = 2.0
    for name, val in (marks or {}).items():
        ax.axvline(val, color="0.35", lw=1, ls=":")
        ax.annotate(name, (val, 0.25), xytext=(3, 0), textcoords="offset points", rotation=90,
                    ha="left", va="bottom", fontsize=9, color="0.25")
    for text, x0, x1 in (("monotone", 0, 1 / lams[-1]), ("zig-zag", 1 / lams[-1], limit),
                         ("diverges", limit, right)):
        if x1 - x0 > 0.06 * right:
            ax.text((x0 + x1) / 2, 0.06, text, ha="center", fontsize=10, color="0.3")
    ax.set_xlim(0, right)
    ax.set_ylim(0, top)
    ax.set_xlabel("learning rate η (dimensionless)")
    ax.set_ylabel("error factor per update (dimensionless)")
    ax.set_title(title)
    ax.legend(loc="upper center", fontsize=9)
    values = listing(f"{v:.3g}" for v in distinct[::-1])
    eigen = (f"λ = {values} (both eigenvalues of the Hessian)" if distinct.size == 1
             else f"each eigenvalue λ of the Hessian ({values})")
    text = sentences(
        f"{title}: {plotted(ax)}, |1 − η·λ| for {eigen}. Below 1 up to the limit "
        f"η = 2/λ_max = {limit:.4g}: monotone up to {1 / lams[-1]:.4g}, zig-zag up to the limit, "
        f"diverging above.",
        None if not marks else
        "Marked: " + "; ".join(f"{name}, {rate_regime(x, val)}" for name, val in marks.items())
        + ".",
        None if measured is None else
        f"Dots: {counted(measured[0].size, 'factor')} measured from runs.")
    return describe(fig, text)


def learning_rate_grid(x, y, rates, *, epochs=30, n_steps=10, w_range=(-1.5, 3.5),
                       b_range=(-1.25, 1.25)):
    """The explorer's view for several learning rates, one row each (the static twin of the widget)."""
    if isinstance(rates, (str, bytes)) or not hasattr(rates, "__iter__"):
        raise TypeError(f"rates must be a sequence of learning rates, got {rates!r:.60}.")
    rates = [positive_float(r, "rates[i]") for r in rates]
    if not rates:
        raise ValueError("rates must hold at least one learning rate, got none.")
    epochs, n_steps = positive_int(epochs, "epochs"), positive_int(n_steps, "n_steps")
    lam_max = float(linear.hessian_eigenvalues(x)[-1])
    right = 1.4 * 2.0 / lam_max
    grid = cost_grid(x, y, w_range, b_range, num=101)
    fig = Figure(figsize=(10.5, 2.9 * len(rates)), layout="constrained")
    subs = fig.subfigures(len(rates), 1)
    said, runs = {}, {}
    for sub, eta in zip(np.atleast_1d(subs), rates):
        h = runs[eta] = linear.train(x, y, eta, max_epochs=epochs)
        said[f"η = {eta:g} ({rate_regime(x, eta)})"] = (h.costs[0], h.costs[-1],
                                                       "after " + counted(h.epochs[-1], "epoch"))
        axes = rate_explorer_axes(sub, x, y, grid=grid, w_range=w_range, b_range=b_range,
                                  right=right, epochs=epochs, n_steps=n_steps)
        rate_explorer_update(axes, x, h, n_steps=n_steps)
    fig.suptitle("Learning-rate explorer, static: one row per η "
                 f"({epochs} epochs from w = b = 0)", fontsize=13)
    text = sentences(
        f"Learning-rate explorer, static, one row per η: the error factor |1 − η·λ_max| "
        f"against "
        f"η (limit {2.0 / lam_max:.3g}), J (log scale) against epoch from w = b = 0, and the "
        f"first {n_steps} updates on contours of J(w, b).",
        *final_values("J", said, floor=_noise(runs)))
    return describe(fig, text)
