"""Figure of notebook 07 (exercises): the learning-rate task, drawn statically.

The runs and their drawing (:mod:`._rates`) are shared with the slider task in
:mod:`gdcourse.widgets.quiz`, which draws into a figure it owns.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..alt_text import describe
from ._rates import draw_rate_runs, rate_runs
from ..digits import counted
from ._shared import final_values, noise_floor, plotted, sentences

__all__ = ["rate_task_figure"]


def rate_task_figure(rates=(0.3, 0.8, 1.05), epochs: int = 40):
    """Cost per epoch on the standardised salary data for a few learning rates.

    The static companion of the slider task "find the largest rate that still
    converges": it shows a fast, a slower and a diverging run, not the limit.

    Parameters
    ----------
    rates : sequence of float
        Learning rates, each > 0 (at most five: one colour each).
    epochs : int
        Updates per run (a diverging run stops early).
    """
    runs = rate_runs(rates, epochs)
    fig, ax = plt.subplots(figsize=(7.4, 4.0))
    draw_rate_runs(ax, runs, start_cost=float(next(iter(runs.values()))[0]))
    ax.set_title("Gradient descent on the standardised salary data")
    # linear.train stops a run early only when it diverges
    said = {f"η = {rate:g}" + (" (diverged, stopped)" if costs.size <= epochs else ""):
            (costs[0], costs[-1], "after " + counted(costs.size - 1, "epoch"))
            for rate, costs in runs.items()}
    text = sentences(
        f"{ax.get_title()}, from w = b = 0: {plotted(ax)}, one line per learning rate, and a "
        f"dashed line at the starting cost.",
        *final_values("J", said, floor=noise_floor(*(costs[0] for costs in runs.values()))))
    return describe(fig, text)
