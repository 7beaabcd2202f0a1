"""The one building block of every explorer widget in the course.

An :class:`Explorer` is a ``VBox``: controls on top, then a figure shown as a
PNG in an ``ipywidgets.Image``, then an HTML readout. When a control changes,
the figure and the readout are redrawn synchronously inside the change
handler, so a test or a benchmark can set
``explorer.controls["alpha"].value = 0.3`` and read ``explorer.readout.value``
and ``explorer.image.value`` straight away, and no output is captured in an
``Output`` widget (which nbval cannot compare).

``Explorer(controls, draw)`` redraws its whole figure with ``draw(fig,
values)`` on every change: the simplest explorer to write. Both kinds render a
frame once and encode the canvas' pixels with :func:`encode_png`. The course's own
explorers redraw only what moves (:class:`~gdcourse.widgets._blit.BlitExplorer`).
"""

from __future__ import annotations

import numbers
import struct
import zlib
from collections.abc import Callable, Mapping

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import style
from .._validate import as_float, check_callable, check_text, describe

__all__ = ["Explorer"]


def check_figure_args(figsize, dpi) -> tuple[tuple[float, float], int]:
    """A figure size ``(width, height)`` in inches (each in (0, 50]) and a dpi in [20, 400]."""
    if (isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__")
            or len(figsize) != 2):
        raise TypeError(f"figsize must be a pair (width, height) in inches, got {describe(figsize)}.")
    size = []
    for v in figsize:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not 0 < v <= 50:
            raise ValueError(f"figsize must hold two numbers in (0, 50] inches, got {figsize!r}.")
        size.append(float(v))
    if isinstance(dpi, bool) or not isinstance(dpi, numbers.Integral):
        raise TypeError(f"dpi must be an int, got {describe(dpi)}.")
    if not 20 <= dpi <= 400:
        raise ValueError(f"dpi must be between 20 and 400, got {dpi}.")
    return (size[0], size[1]), int(dpi)


def check_controls(controls) -> dict:
    """A non-empty mapping of str -> ipywidgets value widget, as a dict."""
    if not isinstance(controls, Mapping) or not controls:
        raise TypeError(f"controls must be a non-empty dict of name -> ipywidgets control, "
                        f"got {describe(controls)}.")
    for key, control in controls.items():
        if not isinstance(key, str):
            raise TypeError(f"controls must be keyed by str names, got the key {key!r}.")
        if not isinstance(control, W.ValueWidget):
            raise TypeError(f"controls[{key!r}] must be an ipywidgets control with a value "
                            f"(a slider, a dropdown, ...), got {describe(control)}.")
    return dict(controls)


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(rgba: np.ndarray, *, opaque: bool) -> bytes:
    """PNG bytes of an ``(h, w, 4)`` uint8 image, top row first; RGB when ``opaque``.

    Written with :mod:`zlib` (no filter, fastest compression): for the course's
    figures, mostly flat colour, this takes half the time of a general encoder
    and gives a smaller file.
    """
    pixels = rgba[..., :3] if opaque else rgba
    h, w, channels = pixels.shape
    rows = np.empty((h, 1 + w * channels), np.uint8)
    rows[:, 0] = 0                                        # filter type 0 (none) on every row
    rows[:, 1:] = pixels.reshape(h, -1)
    header = struct.pack(">IIBBBBB", w, h, 8, 2 if opaque else 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _chunk(b"IEND", b""))


def canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """The PNG of what ``canvas`` has rendered (without rendering it again)."""
    rgba = np.asarray(canvas.buffer_rgba())
    return encode_png(rgba, opaque=bool((rgba[..., 3] == 255).all()))


class Explorer(W.VBox):
    """Controls + figure + readout, redrawn on every change.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
        Named controls; their ``value`` is passed to ``draw``.
    draw : callable
        ``draw(fig, values) -> str``: draw on the cleared ``fig`` for the given
        values (a dict name -> value) and return the readout as HTML.
    figsize : (float, float)
        Figure size in inches.
    title : str, optional
        A heading shown above the controls.
    dpi : int
        Resolution of the PNG.

    Attributes
    ----------
    controls : dict, image : ipywidgets.Image, readout : ipywidgets.HTML
    figure : Figure
        The figure shown now.
    figures : list of Figure
        Every figure the explorer renders from (here just ``figure``).
    redraw_count : int
    """

    def __init__(self, controls: Mapping[str, W.ValueWidget], draw: Callable[[Figure, dict], str],
                 *, figsize=(7.0, 4.0), title: str | None = None, dpi: int = 90):
        check_callable(draw, "draw")
        self._draw = draw
        self._setup(controls, figsize, title, dpi)
        self.figure = Figure(figsize=self._figsize, dpi=self._dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.redraw()

    def _setup(self, controls, figsize, title, dpi) -> None:
        """Check the common arguments, build the widget tree and observe the controls."""
        controls = check_controls(controls)
        self._figsize, self._dpi = check_figure_args(figsize, dpi)
        title = check_text(title, "title", optional=True)
        style.use()
        self.controls = controls
        self.image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self.readout = W.HTML()
        self.redraw_count = 0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        children = ([W.HTML(f"<b>{title}</b>")] if title else []) + [
            W.HBox(list(self.controls.values()), layout=W.Layout(flex_flow="row wrap")),
            self.image, self.readout]
        super().__init__(children=children)

    @property
    def values(self) -> dict:
        """Current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    @property
    def figures(self) -> list[Figure]:
        return [self.figure]

    def redraw(self) -> None:
        """Redraw the figure and the readout for the current control values."""
        self.figure.clear()
        text = self._draw(self.figure, self.values)
        canvas = self.figure.canvas
        canvas.draw()                                      # lays out and renders, once
        self.image.value = canvas_png(canvas)
        self.readout.value = text or ""
        self.redraw_count += 1

    def _on_change(self, change) -> None:
        self.redraw()
