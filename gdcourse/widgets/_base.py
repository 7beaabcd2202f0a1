"""The one building block of every explorer widget in the course.

An :class:`Explorer` is a ``VBox``: controls on top, then a figure shown as a
PNG in an ``ipywidgets.Image``, then an HTML readout. When a control changes,
``draw(fig, values)`` redraws the Matplotlib figure (no pyplot, no global
state), the PNG is re-rendered and the readout text is replaced, all
synchronously inside the change handler. So a test or a benchmark can set
``explorer.controls["alpha"].value = 0.3`` and read ``explorer.readout.value``
and ``explorer.image.value`` straight away, and no output is captured in an
``Output`` widget (which nbval cannot compare).
"""

from __future__ import annotations

import io
from typing import Callable, Mapping

import ipywidgets as W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import style

__all__ = ["Explorer", "render_png"]


def render_png(fig: Figure, dpi: int = 90) -> bytes:
    """PNG bytes of a figure, without the Matplotlib version stamp."""
    if fig.canvas is None or not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


class Explorer(W.VBox):
    """Controls + figure + readout, redrawn on every change.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        Named controls; their ``value`` is passed to ``draw``.
    draw : callable
        ``draw(fig, values) -> str``: clear and redraw ``fig`` for the given
        values (a dict name -> value) and return the readout as HTML.
    figsize : (float, float)
        Figure size in inches.
    title : str, optional
        A heading shown above the controls.
    """

    def __init__(self, controls: Mapping[str, W.ValueWidget], draw: Callable[[Figure, dict], str],
                 *, figsize=(7.0, 4.0), title: str | None = None, dpi: int = 90):
        style.use()
        self.controls = dict(controls)
        self._draw = draw
        self._dpi = dpi
        self.figure = Figure(figsize=figsize, layout="constrained")
        FigureCanvasAgg(self.figure)
        #: figures pre-rendered once and pasted under every frame (axes, labels), if any
        self.static_figures: list[Figure] = []
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.readout = W.HTML()
        self.redraw_count = 0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        children = ([W.HTML(f"<b>{title}</b>")] if title else []) + [
            W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
            self.image, self.readout]
        super().__init__(children=children)
        self.redraw()

    @property
    def values(self) -> dict:
        """Current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def redraw(self) -> None:
        """Redraw the figure and the readout for the current control values."""
        self.figure.clear()
        text = self._draw(self.figure, self.values)
        self.image.value = render_png(self.figure, self._dpi)
        self.readout.value = text or ""
        self.redraw_count += 1

    def _on_change(self, change) -> None:
        self.redraw()
