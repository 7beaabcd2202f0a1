"""Fast explorer redraws by blitting: static pixels drawn once, moving artists per change.

A full Matplotlib redraw re-lays out every tick label and title, which takes
about 100 ms for a multi-panel figure on a small machine, while a slider moves
only a few lines and markers. Two tools, both synchronous (when a control's
``value`` has been set, the image and readout are already up to date):

- :class:`BlitExplorer` draws its static scene in the explorer's own figure
  and redraws it only when ``scene_key`` changes (e.g. another curve chosen).
- :class:`Backdrop` keeps a static layer on a private figure; an explorer
  holds one per view it switches between (e.g. one per stopping rule), so a
  switch costs no relayout either.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .. import style
from ..plots._shared import no_layout_engine
from ._base import Explorer

__all__ = ["BlitExplorer", "Backdrop"]


class BlitExplorer(Explorer):
    """An :class:`Explorer` that redraws only what changes (Agg blitting).

    A full Matplotlib redraw re-lays out every tick label and title, which
    takes about 100 ms for a two-panel figure on a small machine. Here the
    static *scene* (axes, ticks, labels, fixed curves) is drawn once and kept
    as a pixel background; on each change the previous dynamic artists are
    removed, ``update`` adds the new ones, and only those are drawn over the
    background. The redraw is still synchronous: when a control's ``value``
    has been set, ``image`` and ``readout`` are already up to date.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
    scene : callable
        ``scene(fig, values) -> state``: draw the static parts (with fixed axis
        limits) on the empty ``fig``; ``state`` is passed on to ``update``.
    update : callable
        ``update(fig, state, values) -> (artists, html)``: add the dynamic
        artists for ``values`` and return them with the readout HTML.
    scene_key : callable, optional
        ``scene_key(values) -> hashable``: the scene is redrawn when this
        changes (e.g. another curve was chosen). Default: never.
    figsize, title, dpi
        As for :class:`Explorer`.
    """

    def __init__(self, controls, scene: Callable, update: Callable, *,
                 scene_key: Callable[[dict], Hashable] = lambda values: None,
                 figsize=(7.0, 4.0), title: str | None = None, dpi: int = 90):
        if not (callable(scene) and callable(update) and callable(scene_key)):
            raise TypeError("scene, update and scene_key must be functions.")
        self._scene, self._update, self._scene_key = scene, update, scene_key
        self._key = self._background = self._state = None
        self._dynamic: list = []
        super().__init__(controls, lambda fig, values: "", figsize=figsize, title=title, dpi=dpi)

    def redraw(self) -> None:
        """Redraw the dynamic artists (and the scene when its key changed), then the readout."""
        values = self.values
        fig, canvas = self.figure, self.figure.canvas
        key = self._scene_key(values)
        if self._background is None or key != self._key:
            fig.clear()
            no_layout_engine(fig)
            fig.set_dpi(self._dpi)
            self._dynamic = []
            self._state = self._scene(fig, values)
            canvas.draw()
            self._background = canvas.copy_from_bbox(fig.bbox)
            self._key = key
        for artist in self._dynamic:
            artist.remove()
        artists, text = self._update(fig, self._state, values)
        self._dynamic = list(artists)
        canvas.restore_region(self._background)
        for artist in self._dynamic:
            artist.set_animated(True)
            (artist.axes or fig).draw_artist(artist)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png",
                                                               compress_level=1)
        self.image.value = buf.getvalue()
        self.readout.value = text or ""
        self.redraw_count += 1


class Backdrop:
    """Matplotlib blitting for an explorer: static layer drawn once, dynamic artists per redraw.

    Axes, ticks and labels are most of what a redraw costs (text layout is
    slow), yet they do not change when a control moves. ``Backdrop(build, ...)``
    calls ``build(fig)`` once on a private figure of the explorer's size; it
    draws the static content with a fixed layout, with fixed axis limits, and
    returns its axes. The rendered pixels are kept.

    :meth:`paint` restores those pixels, lets a function add the dynamic
    artists to the same axes (``ax.plot``, ``ax.annotate``, ``fig.text``...),
    draws only the new artists on top, removes them again, and pastes the
    resulting image into the explorer's (cleared) figure.

    Parameters
    ----------
    build : callable
        ``build(fig) -> sequence of Axes``.
    figsize : (float, float)
        The explorer's figure size in inches.
    dpi : int
        The dpi the explorer renders its PNG at.
    """

    def __init__(self, build: Callable, figsize, dpi: int):
        style.use()
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self._canvas = FigureCanvasAgg(self.figure)
        self.axes = list(build(self.figure))
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)

    def paint(self, fig: Figure, paint: Callable):
        """Draw ``paint(axes, figure)``'s artists over the static layer; show the result in ``fig``.

        Returns what ``paint`` returns.
        """
        before = {id(a) for ax in self.axes for a in ax.get_children()}
        texts_before = len(self.figure.texts)
        self._canvas.restore_region(self._background)
        result = paint(self.axes, self.figure)
        new = [a for ax in self.axes for a in ax.get_children() if id(a) not in before]
        new_texts = self.figure.texts[texts_before:]
        for a in new:
            a.axes.draw_artist(a)
        for t in new_texts:
            self.figure.draw_artist(t)
        rgba = np.asarray(self._canvas.buffer_rgba()).copy()
        for a in new + list(new_texts):
            a.remove()
        fig.set_layout_engine("none")
        fig.add_artist(_Pixels(rgba))
        return result


class _Pixels(Artist):
    """An RGBA image pasted at the figure's lower-left corner, pixel for pixel.

    ``Figure.figimage`` would do the same but resamples and masks the array
    on every draw, which costs more than the rest of a redraw. The image must
    have the size the figure is rendered at.
    """

    def __init__(self, rgba: np.ndarray):
        super().__init__()
        self._rgba = np.ascontiguousarray(rgba[::-1])     # Agg's images start at the bottom row

    def draw(self, renderer):
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self._rgba)
        gc.restore()
