"""The computation graph of logistic regression for one example with two features (notebook 01).

Drawn with Matplotlib only (no graphviz); the scene and the numbers are drawn
by :mod:`._graph`, shared with the graph explorer. All numbers come from
:func:`gdcourse.logistic.forward_backward_one`.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ..alt_text import describe
from ._shared import approx, sentences
from ._graph import STAGES, graph_numbers, graph_scene, graph_values
from ._graph import _fmt as number_text

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
    # the inputs as given, what the graph computes as its boxes write it (4 decimals)
    v = {k: approx(val) if k in ("x1", "x2", "y", "w1", "w2", "b") else number_text(val)
         for k, val in values.items()}
    text = sentences(
        f"{title}: one example's computation graph. The inputs x₁ = {v['x1']}, w₁ = {v['w1']}, "
        f"x₂ = {v['x2']}, w₂ = {v['w2']} and b = {v['b']} feed "
        f"z = w₁x₁ + w₂x₂ + b = {v['z']}, then a = σ(z) = {v['a']}, then the loss "
        f"L(a, y) = {v['L']} with the label y = {v['y']}.",
        None if not backward else
        f"Red arrows carry the derivatives back: da = {v['da']}, dz = a − y = {v['dz']}, "
        f"dw₁ = {v['dw1']}, dw₂ = {v['dw2']}, db = {v['db']}.")
    return describe(fig, text)
