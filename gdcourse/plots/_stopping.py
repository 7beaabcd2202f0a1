"""The stopping rules drawn: where a rule would stop a recorded run, and the explorer's layers.

:func:`gdcourse.descent.stop_epoch` finds where a stopping rule would end a recorded
run (the rules are written once, in :mod:`gdcourse.descent`); :func:`stopping_axes` and
:func:`stopping_update` are the static and dynamic layers of the stopping-rule
explorer (:mod:`gdcourse.widgets.stopping`). Used by
:func:`gdcourse.plots.stopping_rules` and :func:`gdcourse.plots.epochs_to_stop`.
Private to :mod:`gdcourse.plots` and :mod:`gdcourse.widgets`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from ..descent import History, stop_epoch
from ..style import COLORS
from ._shared import semilogy

#: The stopping rules, by name: label shown to the learner and colour.
STOP_RULES = {
    "tolerance": ("tolerance |ΔJ| < ε", COLORS["blue"]),
    "gradient_norm": ("gradient norm ‖∇J‖ < g", COLORS["orange"]),
    "max_epochs": ("max epochs", COLORS["purple"]),
}


# -- the stopping-rule explorer: static layer and dynamic layer
STOP_EPOCH_RANGE = (0.8, 3e4)
STOP_VALUE_RANGE = (1e-17, 1e1)


def stopping_axes(fig, rule: str, *, fixed_layout=False):
    """Static layer of the stopping explorer for one rule: two log-log axes, labelled."""
    if rule not in STOP_RULES:
        raise ValueError(f"rule must be one of {sorted(STOP_RULES)}, got {rule!r}.")
    if fixed_layout:
        fig.set_layout_engine("none")
        axes = fig.subplots(1, 2, gridspec_kw=dict(left=0.08, right=0.98, bottom=0.15,
                                                   top=0.83, wspace=0.25))
    else:
        axes = fig.subplots(1, 2)
    watched = {"tolerance": "|J(t) − J(t−1)|", "gradient_norm": "‖∇J(t)‖",
               "max_epochs": "cost J(t)"}[rule]
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*STOP_EPOCH_RANGE)
        ax.set_ylim(*STOP_VALUE_RANGE)
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("epoch (log scale)")
    axes[0].set_ylabel(f"{watched} (dimensionless)")
    axes[0].set_title(f"What the rule watches: {watched}")
    axes[1].set_ylabel("distance (standardised)")
    axes[1].set_title("What we care about: distance to (w*, b*)")
    return axes


def stopping_update(axes, history: History, rule: str, threshold, w_star, b_star):
    """Dynamic layer: the watched quantity, the threshold, the stop; returns the stop epoch."""
    label, c = STOP_RULES[rule]
    ax1, ax2 = axes
    t = np.array(history.epochs, dtype=float)
    if rule == "tolerance":
        watched_t, watched = t[1:], np.abs(np.diff(history.costs))
    elif rule == "gradient_norm":
        watched_t, watched = t, history.grad_norms()
    else:
        watched_t, watched = t, np.array(history.costs)
    dist = np.hypot(history.param("w") - w_star, history.param("b") - b_star)
    lo, hi = STOP_VALUE_RANGE
    semilogy(ax1, np.maximum(watched_t, 1), np.clip(watched, lo, hi), color="0.35", lw=1.5)
    semilogy(ax2, np.maximum(t, 1), np.clip(dist, lo, hi), color="0.35", lw=1.5)
    if rule != "max_epochs":
        ax1.axhline(threshold, color=c, ls="--", lw=1.5)
    stop = stop_epoch(history, rule, threshold)
    if stop is not None:
        for ax, values, times in ((ax1, watched, watched_t), (ax2, dist, t)):
            ax.axvline(max(stop, 1), color=c, lw=2)
            k = int(np.searchsorted(times, stop))
            if k < len(values):
                ax.plot(max(stop, 1), np.clip(values[k], lo, hi), "o", ms=9, color=c,
                        mec="black", zorder=5)
    return stop
