"""Figures of notebook 07 (exercises): the learning-rate task, drawn statically.

``draw_rate_runs`` is shared with the slider task in
:mod:`gdcourse.widgets.quiz`, which draws into a figure it owns.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import data, linear
from ..style import COLORS

__all__ = ["rate_task_figure", "draw_rate_runs", "rate_runs"]

_RUN_COLORS = [COLORS[c] for c in ("blue", "green", "vermillion", "purple", "orange")]


def _salary_normalised():
    x, y = data.salary()
    return (linear.Standardizer.fit(x, "x").transform(x, "x"),
            linear.Standardizer.fit(y, "y").transform(y, "y"))


def rate_runs(rates, epochs: int = 40, x=None, y=None) -> dict:
    """Cost per epoch of batch gradient descent from w = b = 0, for each rate.

    Uses the standardised salary data unless ``x, y`` are given. Returns
    ``{rate: costs}`` (a run that diverges stops early, as in ``linear.train``).
    """
    if x is None or y is None:
        x, y = _salary_normalised()
    return {float(r): np.array(linear.train(x, y, r, max_epochs=epochs).costs) for r in rates}


def draw_rate_runs(ax, runs: dict, *, start_cost: float = 1.0, markers: bool = True,
                   legend: bool = True) -> None:
    """Cost against epoch on a log scale, one line per rate, into ``ax``."""
    for (rate, costs), color in zip(runs.items(), _RUN_COLORS):
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


def rate_task_figure(rates=(0.3, 0.8, 1.05), epochs: int = 40):
    """Cost per epoch on the standardised salary data for a few learning rates.

    The static companion of the slider task "find the largest rate that still
    converges": it shows a fast, a slower and a diverging run, not the limit.
    """
    runs = rate_runs(rates, epochs)
    fig, ax = plt.subplots(figsize=(7.4, 4.0))
    draw_rate_runs(ax, runs, start_cost=float(next(iter(runs.values()))[0]))
    ax.set_title("Gradient descent on the standardised salary data")
    return fig
