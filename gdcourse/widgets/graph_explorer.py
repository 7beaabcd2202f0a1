"""Change one example and its parameters; watch the computation graph's numbers update.

The explorer of notebook 01. Its static companion is
:func:`gdcourse.plots.computation_graph`. Every number comes from
:func:`gdcourse.logistic.forward_backward_one` (through
:func:`gdcourse.plots.graph.graph_values`); boxes and arrows are drawn once and
only the numbers are redrawn (see :class:`~gdcourse.widgets._blit.BlitExplorer`).
"""

from __future__ import annotations

import ipywidgets as W

from .._validate import as_float
from ..plots._graph import graph_numbers, graph_scene, graph_values
from ._blit import BlitExplorer

__all__ = ["graph_explorer"]

_LIMIT = 4.0


def graph_explorer(x1: float = 1.5, x2: float = -0.5, y: int = 1, w1: float = 0.8,
                   w2: float = -1.2, b: float = 0.3) -> BlitExplorer:
    """Explorer of one example's computation graph (two features).

    Parameters
    ----------
    x1, x2 : float
        Features, each in [-4, 4].
    y : {0, 1}
        Label.
    w1, w2, b : float
        Parameters, each in [-4, 4].

    Controls: ``x1``, ``x2``, ``y``, ``w1``, ``w2``, ``b``. The readout lists
    the forward values and the derivatives ``da, dz, dw1, dw2, db``.
    """
    start = {}
    for name, value in (("x1", x1), ("x2", x2), ("w1", w1), ("w2", w2), ("b", b)):
        v = as_float(value, name)
        if not -_LIMIT <= v <= _LIMIT:
            raise ValueError(f"{name} must be between {-_LIMIT} and {_LIMIT} for this explorer, "
                             f"got {v}.")
        start[name] = v
    y = as_float(y, "y")
    if y not in (0.0, 1.0):
        raise ValueError(f"y must be a label 0 or 1, got {y!r}.")

    def slider(name, label):
        return W.FloatSlider(value=start[name], min=-_LIMIT, max=_LIMIT, step=0.1,
                             description=label, continuous_update=False, readout_format=".1f",
                             layout=W.Layout(width="260px"))

    controls = {"x1": slider("x1", "x₁"), "x2": slider("x2", "x₂"),
                "y": W.ToggleButtons(options=[0, 1], value=int(y), description="y",
                                     style={"button_width": "40px"}),
                "w1": slider("w1", "w₁"), "w2": slider("w2", "w₂"), "b": slider("b", "b")}

    def scene(fig, key):
        ax = fig.add_axes((0.0, 0.0, 1.0, 0.93))
        graph_scene(ax, backward=True)
        fig.text(0.5, 0.985, "One example's computation graph: forward values and backward "
                 "derivatives", ha="center", va="top", fontsize=12)
        return ax

    def update(fig, ax, values):
        vals = graph_values(values["x1"], values["x2"], values["y"], values["w1"],
                            values["w2"], values["b"])
        graph_numbers(ax, vals, backward=True)
        rows = [("z = w₁x₁ + w₂x₂ + b", vals["z"]), ("a = σ(z)", vals["a"]),
                ("L(a, y)", vals["L"]), ("da", vals["da"]), ("a(1 − a)", vals["dadz"]),
                ("dz = a − y", vals["dz"]), ("dw₁ = x₁·dz", vals["dw1"]),
                ("dw₂ = x₂·dz", vals["dw2"]), ("db = dz", vals["db"])]
        table = "".join(f"<tr><td>{h}</td><td style='text-align:right'><code>{v:+.4f}</code>"
                        f"</td></tr>" for h, v in rows)
        return f"<table>{table}</table>"

    return BlitExplorer(controls, scene, update, figsize=(11.0, 5.0),
                        title="Computation graph of one example")
