"""The learning-rate drawing shared by figures and widgets (notebooks 05 and 07).

- :func:`rate_regime` and :data:`REGIME_COLORS`: which of the four regimes a rate is in.
- :func:`rate_explorer_axes` / :func:`rate_explorer_update`: the static and dynamic
  layers of the learning-rate explorer, drawn also by
  :func:`gdcourse.plots.learning_rate_grid`;
- :func:`rate_runs` / :func:`draw_rate_runs`: cost per epoch for a few rates, drawn by
  :func:`gdcourse.plots.rate_task_figure` and the slider task of notebook 07.

Private to :mod:`gdcourse.plots` and :mod:`gdcourse.widgets`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from .. import data, linear
from .._validate import positive_float, positive_int
from ..descent import History
from ..style import COLORS, sequence
from ._contours import draw_cost_contour
from ._shared import colors_for

REGIME_COLORS = {
    "converges": COLORS["green"],
    "converges, zig-zagging": COLORS["blue"],
    "oscillates for ever": COLORS["orange"],
    "diverges": COLORS["vermillion"],
}
_RTOL = 1e-9   # η·λ_max within this relative distance of 2 counts as "at the limit"


def rate_regime(x, learning_rate) -> str:
    """Which of the four regimes gradient descent on J is in, from ``η·λ_max(H)``.

    Returns one of ``"converges"``, ``"converges, zig-zagging"``,
    ``"oscillates for ever"``, ``"diverges"`` (keys of :data:`REGIME_COLORS`).
    """
    eta = positive_float(learning_rate, "learning_rate")
    lam_max = float(linear.hessian_eigenvalues(x)[-1])
    q = eta * lam_max
    if abs(q - 2.0) <= _RTOL * 2.0:
        return "oscillates for ever"
    if q > 2.0:
        return "diverges"
    return "converges" if q <= 1.0 + _RTOL else "converges, zig-zagging"


def draw_steps(ax, w, b, color, n_steps):
    """Curved arrows between successive (w, b).

    Every arrow bends to its own right, so a move and the move back trace two
    different arcs and a back-and-forth oscillation stays visible.
    """
    for t in range(min(n_steps, len(w) - 1)):
        if not (np.isfinite(w[t + 1]) and np.isfinite(b[t + 1])):
            break
        ax.annotate("", xy=(w[t + 1], b[t + 1]), xytext=(w[t], b[t]),
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=1.4, shrinkA=3, shrinkB=3,
                                    connectionstyle="arc3,rad=0.35"),
                    zorder=5)
    ax.plot(w[: n_steps + 1], b[: n_steps + 1], "o", ms=5, color=color, mec="white", mew=0.6,
            zorder=6)
    ax.plot(w[0], b[0], "o", ms=10, mfc="white", mec=color, mew=2, zorder=7)


# -- the explorer's layers
#
# The explorer's figure is split into a static layer (axes, ticks, labels, the
# gauge curve, the contours: everything that does not depend on η) and a
# dynamic layer (the current point, the cost curve, the steps, the titles), so
# the widget can render the static layer once and redraw only the rest.

COST_RANGE = (1e-25, 1e12)      # fixed cost axis of the explorer: every η fits


def rate_explorer_axes(fig, x, y, *, grid, w_range, b_range, right, epochs, n_steps=10,
                       fixed_layout=False):
    """Create and draw the static layer of the explorer: returns the three axes."""
    lam_max = float(linear.hessian_eigenvalues(x)[-1])
    limit = 2.0 / lam_max
    if fixed_layout:
        fig.set_layout_engine("none")
        axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.25], gridspec_kw=dict(
            left=0.065, right=0.99, bottom=0.15, top=0.82, wspace=0.45))
    else:
        axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.25])
    ax1, ax2, ax3 = axes
    e = np.linspace(0, right, 300)
    ax1.plot(e, np.abs(1 - e * lam_max), color=COLORS["black"], lw=1.5)
    ax1.axhline(1.0, color="0.5", lw=1)
    ax1.axvspan(limit, right, color=REGIME_COLORS["diverges"], alpha=0.1)
    ax1.axvline(limit, color=REGIME_COLORS["diverges"], lw=2)
    ax1.annotate(f"limit 2/λ_max\n= {limit:.3g}", (limit, 1.9), xytext=(-4, 0),
                 textcoords="offset points", ha="right", va="top", fontsize=9,
                 color=REGIME_COLORS["diverges"])
    ax1.set_xlim(0, right)
    ax1.set_ylim(0, 2)
    ax1.set_xlabel("learning rate η")
    ax1.set_ylabel("|1 − η·λ_max|")
    ax1.set_title("Error factor per update")
    ax2.set_yscale("log")
    ax2.set_ylim(*COST_RANGE)
    ax2.set_xlim(-0.5, epochs + 0.5)
    ax2.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    ax2.yaxis.set_minor_locator(NullLocator())
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("cost J (log scale)")
    ax2.set_title("Cost per epoch")
    draw_cost_contour(ax3, x, y, w_range, b_range, grid=grid, colorbar=False)
    ax3.set_aspect("equal")
    ax3.set_ylabel("b (standardised)")     # the square panel is too short for the long label
    ax3.set_title(f"First {n_steps} updates on J(w, b)")
    return axes


def rate_explorer_update(axes, x, history: History, *, n_steps=10, title=True):
    """Draw the dynamic layer for one run into the explorer's axes; returns the regime."""
    ax1, ax2, ax3 = axes
    lam_max = float(linear.hessian_eigenvalues(x)[-1])
    eta = history.learning_rate
    regime = rate_regime(x, eta)
    c = REGIME_COLORS[regime]
    f = abs(1 - eta * lam_max)
    ax1.plot([eta], [min(f, 1.95)], "o", ms=10, color=c, mec="black", zorder=5)
    ep = np.array(history.epochs)
    J = np.array(history.costs)
    ok = np.isfinite(J) & (J > 0)
    ax2.plot(ep[ok], np.clip(J[ok], *COST_RANGE), "-o", ms=3, color=c)
    draw_steps(ax3, history.param("w"), history.param("b"), c, n_steps)
    if title:
        ax2.set_title(f"η = {eta:.3g}: {regime}", color=c)
    return regime


def rate_runs(rates, epochs: int = 40, x=None, y=None) -> dict:
    """Cost per epoch of batch gradient descent from w = b = 0, for each rate.

    Uses the standardised salary data unless both ``x`` and ``y`` are given. Returns
    ``{rate: costs}`` (a run that diverges stops early, as in ``linear.train``).
    """
    if (x is None) != (y is None):
        raise TypeError(f"x and y must be given together (or neither, for the standardised "
                        f"salary data), got x={'None' if x is None else 'data'} and "
                        f"y={'None' if y is None else 'data'}.")
    if x is None:
        x, y = data.salary(standardised=True)
    epochs = positive_int(epochs, "epochs")
    if isinstance(rates, (str, bytes)) or not hasattr(rates, "__iter__"):
        raise TypeError(f"rates must be a sequence of learning rates, got {rates!r:.60}.")
    rates = [positive_float(r, "rates[i]") for r in rates]
    if not rates:
        raise ValueError("rates must hold at least one learning rate, got none.")
    return {r: np.array(linear.train(x, y, r, max_epochs=epochs).costs) for r in rates}


def draw_rate_runs(ax, runs: dict, *, start_cost: float = 1.0, markers: bool = True,
                   legend: bool = True) -> None:
    """Cost against epoch on a log scale, one line per rate, into ``ax``."""
    for (rate, costs), color in zip(runs.items(), colors_for(runs, sequence("rates"))):
        shown = np.where(costs > 0, costs, 1e-300)      # exactly 0 is off the log axis
        ax.plot(np.arange(costs.size), shown, "o-" if markers else "-", ms=3, lw=1.6, color=color,
                label=f"η = {rate:g}")
    ax.axhline(start_cost, color="0.5", lw=1, ls="--", label="starting cost")
    ax.set_yscale("log")
    ax.set_ylim(1e-12, 1e8)
    ax.set_yticks([1e-12, 1e-8, 1e-4, 1.0, 1e4, 1e8])
    ax.minorticks_off()
    ax.set_xlabel("epoch (updates made)")
    ax.set_ylabel("cost J (dimensionless, log scale)")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
