"""Fast explorer redraws by blitting: each scene drawn once, only what moves drawn per change.

A full Matplotlib redraw re-lays out every tick label and title, which takes
about 100 ms for a multi-panel figure on a small machine, while a slider moves
only a few lines and markers. :class:`BlitExplorer` splits a figure into a
static *scene* (axes, ticks, labels, fixed curves) and the dynamic artists of
one set of control values:

- a scene is drawn once, on a figure of its own, and its pixels are kept: one
  cached background per scene key (e.g. one per stopping rule, one per curve),
  so switching back to a scene costs no relayout either;
- a change restores the background into the scene's canvas, lets ``update``
  add its artists, draws only those over it, and encodes the canvas' pixels
  as the PNG. Each frame renders once: nothing is saved or drawn a second time.

The PNG is encoded from the canvas' pixels by :func:`~gdcourse.widgets._base.encode_png`.

The redraw is synchronous: when a control's ``value`` has been set, ``image``
and ``readout`` are already up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validate import check_callable
from ..plots._shared import no_layout_engine
from ._base import Explorer, canvas_png

__all__ = ["BlitExplorer"]


def _artists(fig: Figure) -> list:
    """The figure's own artists and those of each of its axes (one level down)."""
    out = list(fig.get_children())
    for ax in fig.axes:
        out += ax.get_children()
    return out


class _Scene:
    """One scene: its figure, its canvas, the pixels of its static layer, its state."""

    def __init__(self, figsize, dpi: int, build: Callable, key):
        self.figure = Figure(figsize=figsize, dpi=dpi)
        no_layout_engine(self.figure)
        self.canvas = FigureCanvasAgg(self.figure)
        self.state = build(self.figure, key)
        self.dynamic: list = []
        self._keep_background()
        self._static = {id(a) for a in _artists(self.figure)}

    def _keep_background(self) -> None:
        """Render the static layer on the figure's canvas and keep its pixels."""
        self.canvas = self.figure.canvas
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def clear(self) -> None:
        """Remove the dynamic artists of the last frame (the scene is static again)."""
        for artist in self.dynamic:
            artist.remove()
        self.dynamic = []

    def frame(self, paint: Callable) -> tuple[bytes, object]:
        """Draw ``paint(figure)``'s new artists over the background; PNG bytes and its result."""
        self.clear()
        if self.figure.canvas is not self.canvas:      # someone gave the figure a new canvas
            self._keep_background()
        self.canvas.restore_region(self.background)
        result = paint(self.figure)
        self.dynamic = [a for a in _artists(self.figure) if id(a) not in self._static]
        for artist in sorted(self.dynamic, key=lambda a: a.get_zorder()):
            if artist.axes is not None and artist.axes is not artist:
                artist.axes.draw_artist(artist)
            else:
                self.figure.draw_artist(artist)
        return canvas_png(self.canvas), result


class BlitExplorer(Explorer):
    """An :class:`~gdcourse.widgets.Explorer` that redraws only what changes.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.ValueWidget
    scene : callable
        ``scene(fig, key) -> state``: draw the static parts of scene ``key``
        (with fixed axis limits and a fixed layout) on the empty ``fig``;
        ``state`` (e.g. its axes) is passed on to ``update``.
    update : callable
        ``update(fig, state, values) -> html``: add the dynamic artists for
        ``values`` to the scene (``ax.plot``, ``ax.legend``, ``fig.text``...)
        and return the readout HTML. It must not change the scene's artists
        (limits, titles): only what it adds is drawn again.
    scene_key : callable, optional
        ``scene_key(values) -> hashable``: which scene the values are shown on
        (e.g. the chosen curve). Default: one scene.
    scenes : iterable of hashable, optional
        Keys of the scenes to draw up front, so that the first switch to
        them is as fast as the others. Others are drawn when first needed.
    figsize, title, dpi
        As for :class:`~gdcourse.widgets.Explorer`.
    """

    def __init__(self, controls, scene: Callable, update: Callable, *,
                 scene_key: Callable[[dict], Hashable] = lambda values: None,
                 scenes: Iterable[Hashable] = (), figsize=(7.0, 4.0), title: str | None = None,
                 dpi: int = 90):
        for f, name in ((scene, "scene"), (update, "update"), (scene_key, "scene_key")):
            check_callable(f, name)
        self._scene, self._update, self._scene_key = scene, update, scene_key
        self._scenes: dict = {}
        self._current: _Scene | None = None
        self._setup(controls, figsize, title, dpi)
        for key in scenes:
            self._scene_for(key)
        self.redraw()

    def _scene_for(self, key) -> _Scene:
        if key not in self._scenes:
            self._scenes[key] = _Scene(self._figsize, self._dpi, self._scene, key)
        return self._scenes[key]

    @property
    def figure(self) -> Figure:
        """The figure of the scene shown now, with the dynamic artists of the last change."""
        return self._current.figure

    @property
    def figures(self) -> list[Figure]:
        """The figure of every scene drawn so far."""
        return [s.figure for s in self._scenes.values()]

    def redraw(self) -> None:
        """Draw the dynamic artists for the current values over their scene; update the readout."""
        values = self.values
        scene = self._scene_for(self._scene_key(values))
        if self._current is not None and self._current is not scene:
            self._current.clear()
        self._current = scene
        png, text = scene.frame(lambda fig: self._update(fig, scene.state, values))
        self.image.value = png
        self.readout.value = text or ""
        self.redraw_count += 1
