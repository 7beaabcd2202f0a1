"""The computation graph of logistic regression for one example with two features (notebook 01).

Drawn with Matplotlib only (no graphviz); the scene and the numbers are drawn
by :mod:`._graph`, shared with the graph explorer. All numbers come from
:func:`gdcourse.logistic.forward_backward_one`.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ._graph import STAGES, graph_numbers, graph_scene, graph_values

__all__ = ["computation_graph"]


def computation_graph(x1, x2, y, w1, w2, b, *, stage: str = "both") -> Figure:
    """The computation graph of one example, with its numbers.

    Parameters
    ----------
    x1, x2 : float
        The example's two features.
    y : {0, 1}
        Its label.
    w1, w2, b : float
        Parameters.
    stage : {"forward", "backward", "both"}
        ``"forward"``: values in the nodes only. ``"backward"`` and ``"both"``:
        also the derivatives on red arrows.

    Returns
    -------
    Figure
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, got {stage!r}.")
    values = graph_values(x1, x2, y, w1, w2, b)
    backward = stage != "forward"
    fig = Figure(figsize=(12.0, 5.6), layout="constrained")
    ax = fig.add_subplot()
    title = ("Forward pass: from the inputs to the loss" if not backward else
             "Backward pass: derivatives of the loss, from right to left")
    graph_scene(ax, backward=backward, title=title)
    graph_numbers(ax, values, backward=backward)
    return fig
