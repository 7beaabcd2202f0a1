"""Animations of computed runs: frames drawn with Matplotlib, written as GIFs with Pillow.

Motion shows what a still cannot: the order of the steps, their shrinking length, an
iterate jumping back and forth across a valley. Each animation here takes a run the
course's own code computed (the iterates, as arrays), draws frame ``k`` as the state after
``k`` updates, and writes every frame into one GIF (Pillow's writer, no ffmpeg). The GIF
plays on GitHub, in JupyterLab and on the course site; :meth:`Animation.still` returns the
final frame as a Matplotlib ``Figure``, described for screen readers
(:func:`gdcourse.alt_text.describe`), for print.

- :class:`DescentOnContours`: one gradient-descent path on the contours of ``J(w, b)``, the
  current iterate moving with its trail behind it, and the length of every step (notebook 00).
- :class:`StabilityBounce`: runs on the slice ``J(w, b*)`` of the linear model, side by side,
  with the cost after every update (notebook 05: just below and above ``2/λ_max``).
- :class:`PathsOnContours`: several runs on the same contours of the linear model, advancing
  together one update per frame, with the excess cost after every update (notebook 06).

How the frames are made. The figure is drawn once with everything that does not move, its
layout is fixed, and every frame sets the moving artists from the run alone (so any frame can
be drawn on its own, in any order) and renders to RGB on an opaque white background. The GIF
has one palette shared by all frames (adaptive, from the first, middle and last frames, plus
the exact colours of the current-iterate markers), so colours do not flicker and each marker
keeps a colour that nothing else in its panel has (tests find the marker by it); no
dithering, no transparency index; the
last frame is held longer. The bytes depend only on the run and the versions of Matplotlib
and Pillow.

:mod:`gdcourse.media` holds the course's GIFs, one function per file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

from . import linear, style
from ._validate import (as_float, as_vector, check_callable, check_range, check_text,
                        nonnegative_int, positive_int)
from .alt_text import describe
from .descent import History
from .style import COLORS, sequence
from .plots._contours import cost_grid, draw_contour_lines, exit_point, first_outside
from .plots._rates import REGIME_COLORS, rate_regime
from .plots._shared import check_histories, check_runs, colors_for

__all__ = ["Animation", "DescentOnContours", "StabilityBounce", "PathsOnContours",
           "MAX_BYTES", "MARKER_DISTANCE", "lighter"]

#: The largest GIF the course commits, in bytes (1.5 MB).
MAX_BYTES = 1_500_000

#: Pixels this close to a marker's colour (Euclidean, 0-255 RGB) take that colour in the GIF:
#: the marker's inside and the inner part of its antialiased rim.
MARKER_DISTANCE = 30

_DPI = 100
_COLORS_IN_GIF = 256


def _near(frame: np.ndarray, colors: np.ndarray) -> np.ndarray:
    """Which pixels of ``frame`` (h, w, 3) are within MARKER_DISTANCE of one of ``colors``."""
    out = np.zeros(frame.shape[:2], dtype=bool)
    for c in colors:
        out |= ((frame.astype(np.int32) - c) ** 2).sum(axis=-1) < MARKER_DISTANCE ** 2
    return out


def lighter(color, amount: float = 0.55) -> tuple[float, float, float]:
    """``color`` mixed with white: ``amount`` 0 keeps it, 1 gives white.

    The trail of a run is drawn in its lighter colour, the current iterate in the colour
    itself, which then appears nowhere else in the panel (the tests find the marker by it).
    """
    amount = as_float(amount, "amount")
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be between 0 and 1, got {amount!r}.")
    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _rgb255(color) -> tuple[int, int, int]:
    return tuple(int(round(255 * c)) for c in to_rgb(color))


class Animation:
    """Frames drawn from a computed run, and the GIF made of them.

    Subclasses draw: ``_draw_static(fig)`` draws what does not move and returns a dict of
    the artists a frame changes; ``_draw_frame(state, k)`` sets those artists to the state
    after ``k`` updates, from the run alone.

    Attributes
    ----------
    run : dict of str -> ndarray
        The run the animation shows, as arrays (for example ``{"w": (k+1,), "b": (k+1,)}``).
    n_frames : int
        Frames in the GIF: frame ``k`` shows the run after ``k`` updates.
    frame_ms, last_frame_ms : int
        How long each frame is shown, and the last one (held longer).
    markers : dict of str -> str
        Colour (hex) of each current-iterate marker, by the name of its run.
    """

    figsize = (7.0, 4.2)

    def __init__(self, run: Mapping, n_frames: int, *, frame_ms: int = 300,
                 last_frame_ms: int = 2500):
        self.run = {name: np.array(v, dtype=float) for name, v in run.items()}
        self.n_frames = positive_int(n_frames, "n_frames")
        if self.n_frames < 2:
            raise ValueError(f"n_frames must be at least 2 (an animation moves), got {n_frames}.")
        self.frame_ms = positive_int(frame_ms, "frame_ms")
        self.last_frame_ms = positive_int(last_frame_ms, "last_frame_ms")
        self.markers: dict[str, str] = {}
        self._drawn = None           # (figure, state) reused by frame()
        self._gif = None

    # -- what subclasses provide -------------------------------------------------------
    def _draw_static(self, fig: Figure) -> dict:          # pragma: no cover - abstract
        raise NotImplementedError

    def _draw_frame(self, state: dict, k: int) -> None:   # pragma: no cover - abstract
        raise NotImplementedError

    def description(self) -> str:                          # pragma: no cover - abstract
        """What the final frame shows, in one or two sentences (its alt text)."""
        raise NotImplementedError

    # -- frames ------------------------------------------------------------------------
    def _new_figure(self, fixed_layout: bool):
        style.use()                                  # the course's fonts, sizes and grid
        fig = Figure(figsize=self.figsize, dpi=_DPI, layout="constrained",
                     facecolor="white")
        FigureCanvasAgg(fig)
        state = self._draw_static(fig)
        self._draw_frame(state, self.n_frames - 1)   # the layout fits the fullest frame
        if fixed_layout:
            fig.canvas.draw()
            fig.set_layout_engine("none")           # keep every panel where it is
        return fig, state

    def _check_frame(self, k) -> int:
        k = nonnegative_int(k, "k")
        if k >= self.n_frames:
            raise ValueError(f"k must be a frame number from 0 to {self.n_frames - 1}, got {k}.")
        return k

    def figure(self, k: int | None = None) -> Figure:
        """The figure the frames are rendered from, drawn at frame ``k`` (default: the last).

        Its layout is fixed, so its axes' data transforms map the run to the frames' pixels.
        """
        k = self.n_frames - 1 if k is None else self._check_frame(k)
        if self._drawn is None:
            self._drawn = self._new_figure(fixed_layout=True)
        fig, state = self._drawn
        self._draw_frame(state, k)
        return fig

    def axes(self, name: str):
        """The axes (of :meth:`figure`) in which the run named ``name`` moves."""
        if self._drawn is None:
            self._drawn = self._new_figure(fixed_layout=True)
        axes = self._drawn[1]["axes"]
        if name not in axes:
            raise ValueError(f"name must be one of {sorted(axes)}, got {name!r}.")
        return axes[name]

    def frame(self, k: int) -> np.ndarray:
        """Frame ``k`` as RGB pixels, shape (height, width, 3), dtype uint8."""
        fig = self.figure(k)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()

    def frames(self) -> list[np.ndarray]:
        """Every frame, in order (see :meth:`frame`)."""
        return [self.frame(k) for k in range(self.n_frames)]

    @property
    def durations(self) -> list[int]:
        """Milliseconds each frame is shown: ``frame_ms``, the last ``last_frame_ms``."""
        return [self.frame_ms] * (self.n_frames - 1) + [self.last_frame_ms]

    # -- the GIF -------------------------------------------------------------------------
    def palette(self, frames) -> np.ndarray:
        """The colours shared by every frame, shape (256, 3), uint8.

        An adaptive palette (median cut) of the first, middle and last frames, from which the
        markers' pixels are left out, then the markers' exact colours (the last entries).
        Without a colour near theirs in the adaptive part, no other pixel takes a marker's
        colour in the GIF.
        """
        markers = self._marker_rgb()
        sample = np.concatenate([frames[0], frames[len(frames) // 2], frames[-1]], axis=0)
        sample = np.where(_near(sample, markers)[..., None], np.uint8(255), sample)
        n = _COLORS_IN_GIF - len(markers)
        adaptive = Image.fromarray(sample).quantize(colors=n, method=Image.Quantize.MEDIANCUT,
                                                    dither=Image.Dither.NONE)
        colors = np.reshape(adaptive.getpalette()[: 3 * n], (-1, 3))
        colors = np.concatenate([colors, np.repeat(colors[-1:], n - len(colors), axis=0)])
        return np.concatenate([colors, markers]).astype(np.uint8)

    def _marker_rgb(self) -> np.ndarray:
        return np.array([_rgb255(c) for c in self.markers.values()], dtype=np.int32).reshape(-1, 3)

    def indexed(self, frame: np.ndarray, palette: np.ndarray) -> Image.Image:
        """``frame`` (RGB pixels) as a palette image: each pixel takes the nearest colour of the
        adaptive part of ``palette``, except the pixels close to a marker's colour (within
        :data:`MARKER_DISTANCE`), which take that colour. No dithering."""
        markers = self._marker_rgb()
        n = len(palette) - len(markers)
        flat = frame.reshape(-1, 3).astype(np.int32)
        keys = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
        unique, inverse = np.unique(keys, return_inverse=True)
        colors = np.stack([(unique >> 16) & 255, (unique >> 8) & 255, unique & 255], axis=1)
        adaptive = palette[:n].astype(np.int32)
        index = ((colors[:, None, :] - adaptive[None]) ** 2).sum(axis=-1).argmin(axis=1)
        if len(markers):
            d = ((colors[:, None, :] - markers[None]) ** 2).sum(axis=-1)
            close = d.min(axis=1) < MARKER_DISTANCE ** 2
            index[close] = n + d.argmin(axis=1)[close]
        image = Image.frombytes("P", frame.shape[1::-1],
                                index[inverse].astype(np.uint8).tobytes())
        image.putpalette(palette.ravel().tolist())
        return image

    def gif_bytes(self) -> bytes:
        """The GIF: every frame, the shared palette, looping, the last frame held longer."""
        if self._gif is None:
            frames = self.frames()
            palette = self.palette(frames)
            images = [self.indexed(f, palette) for f in frames]
            out = io.BytesIO()
            # optimize=False: with optimize=True Pillow gives every frame after the first a
            # transparency index (for the pixels that did not change). Each frame is still
            # cropped to the box that changed.
            images[0].save(out, format="GIF", save_all=True, append_images=images[1:],
                           duration=self.durations, loop=0, optimize=False, disposal=1)
            self._gif = out.getvalue()
        return self._gif

    def save(self, path) -> Path:
        """Write :meth:`gif_bytes` to ``path`` (a ``.gif`` file) and return the path."""
        if not isinstance(path, (str, Path)):
            raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__}.")
        path = Path(path)
        if path.suffix.lower() != ".gif":
            raise ValueError(f"path must end in .gif, got {str(path)!r}.")
        data = self.gif_bytes()
        if len(data) > MAX_BYTES:
            raise ValueError(f"the GIF would be {len(data):,} bytes, more than the course's "
                             f"limit of {MAX_BYTES:,}: use fewer frames or a smaller figure.")
        path.write_bytes(data)
        return path

    def still(self) -> Figure:
        """The final frame as a new ``Figure`` (for print), described with its alt text."""
        fig, _ = self._new_figure(fixed_layout=False)
        return describe(fig, self.description())


# -- shared drawing ----------------------------------------------------------------------
def _head(ax, color, ms=12, zorder=8):
    """The current iterate: a large dot in the run's own colour, with a black rim."""
    (head,) = ax.plot([], [], "o", ms=ms, color=color, mec="black", mew=1.3, zorder=zorder)
    return head


def _trail(ax, color, zorder=5):
    """The path behind the iterate: a line with dots, in the run's lighter colour."""
    (line,) = ax.plot([], [], "-o", color=lighter(color), ms=4, lw=1.8, zorder=zorder,
                      path_effects=[patheffects.withStroke(linewidth=3.2, foreground="0.3")])
    return line


def _counter_box(ax, corner="upper right"):
    """The frame counter, in a corner of the axes (``"upper right"`` or ``"upper left"``)."""
    left = corner == "upper left"
    return ax.text(0.03 if left else 0.97, 0.96, "", transform=ax.transAxes,
                   ha="left" if left else "right", va="top", fontsize=9.5, zorder=10,
                   bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.5", lw=0.8))


def _start_ring(ax, w, b, label=None):
    """The start of a run: a white ring with a dark grey rim (the colours belong to the runs)."""
    ax.plot(w, b, "o", ms=11, mfc="white", mec="0.3", mew=2, zorder=4, label=label)


def _minimum_star(ax, w, b, label):
    """The minimum as a hollow star above everything else: a marker that reaches the
    minimum shows through it, and the star's outline stays visible around the marker."""
    outline = dict(mfc="none", mec=COLORS["yellow"], mew=1.8, path_effects=[
        patheffects.withStroke(linewidth=3.4, foreground="black")])
    ax.plot(w, b, "*", ms=22, zorder=9, **outline)
    ax.plot([], [], "*", ms=14, label=label, **outline)


def _path(value, name):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of shape (k + 1, 2) holding (w, b) rows, got "
                        f"{type(value).__name__}.") from None
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 2 or not np.isfinite(arr).all():
        raise ValueError(f"{name} must be a finite array of shape (k + 1, 2) with k >= 1 "
                         f"(the start and at least one step), got shape {arr.shape}.")
    return arr


# -- notebook 00: one path on the contours of J(w, b) -------------------------------------
class DescentOnContours(Animation):
    """Gradient descent's path on the contour lines of ``J(w, b)``, one step per frame.

    Left: the contour lines (labelled, equal scales on both axes), the minimum (a star), the
    start (a ring), the path so far (the trail) and the current iterate (a large dot). Right:
    the length of every step so far, on a log scale, so that the shrinking steps near the
    minimum stay visible after they become too short to see on the left.

    Parameters
    ----------
    J : callable
        ``J(w, b) -> float``, the cost.
    path : array_like, shape (k + 1, 2)
        ``(w, b)`` after each of ``k`` updates (row 0 is the start), from the run.
    w_range, b_range : (float, float)
        The fixed view.
    minimum : (float, float)
        Where the minimum is.
    learning_rate : float
        The run's α (for the title).
    w_label, b_label, cost_units : str
        Axis labels and the unit of ``J``.
    """

    figsize = (10.0, 4.6)

    def __init__(self, J: Callable, path, w_range, b_range, *, minimum, learning_rate,
                 w_label: str = "w (log-odds per std of the feature)",
                 b_label: str = "b (log-odds)", cost_units: str = "nats", n: int = 61,
                 frame_ms: int = 300, last_frame_ms: int = 2500):
        check_callable(J, "J")
        path = _path(path, "path")
        self.w_range, self.b_range = check_range(w_range, "w_range"), check_range(b_range,
                                                                                 "b_range")
        if minimum is None or isinstance(minimum, (str, bytes)) or len(minimum) != 2:
            raise TypeError(f"minimum must be a pair (w, b), got {minimum!r:.60}.")
        self.minimum = (as_float(minimum[0], "minimum[0]"), as_float(minimum[1], "minimum[1]"))
        self.learning_rate = as_float(learning_rate, "learning_rate")
        self.w_label = check_text(w_label, "w_label")
        self.b_label = check_text(b_label, "b_label")
        self.cost_units = check_text(cost_units, "cost_units")
        self.n = positive_int(n, "n")
        self.J = J
        costs = np.array([float(J(w, b)) for w, b in path])
        super().__init__({"w": path[:, 0], "b": path[:, 1], "J": costs}, len(path),
                         frame_ms=frame_ms, last_frame_ms=last_frame_ms)
        self.markers = {"path": COLORS["vermillion"]}
        self.steps = np.hypot(np.diff(self.run["w"]), np.diff(self.run["b"]))
        self.shrinking = bool(np.all(np.diff(self.steps) < 0))

    @property
    def path(self) -> np.ndarray:
        """The ``(w, b)`` the animation shows, shape (n_frames, 2): row k after k steps."""
        return np.column_stack((self.run["w"], self.run["b"]))

    def _draw_static(self, fig):
        ax, ax_s = fig.subplots(1, 2, width_ratios=(1.5, 1.0))
        color = self.markers["path"]
        draw_contour_lines(ax, self.J, self.w_range, self.b_range, self.n, self.w_label,
                       self.b_label)
        _minimum_star(ax, *self.minimum, f"minimum ({self.minimum[0]:.2f}, "
                      f"{self.minimum[1]:.2f})")
        ax.set_aspect("equal")
        ax.set_xlim(*self.w_range)
        ax.set_ylim(*self.b_range)
        ax.grid(False)
        _start_ring(ax, self.run["w"][0], self.run["b"][0],
                    f"start ({self.run['w'][0]:+.1f}, {self.run['b'][0]:+.1f})")
        ax.plot([], [], "o", ms=9, color=color, mec="black", mew=1.3, label="current (w, b)")
        ax.plot([], [], "-o", color=lighter(color), ms=4, lw=1.8, label="path so far",
                path_effects=[patheffects.withStroke(linewidth=3.2, foreground="0.3")])
        # below the figure: in the panel, the marker's colour belongs to the marker alone
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=4,
                   fontsize=9)
        ax.set_title("The path on the contour lines of J")
        steps = np.arange(1, self.n_frames)
        positive = self.steps[self.steps > 0]
        lo = 10.0 ** np.floor(np.log10(positive.min())) if positive.size else 1e-3
        bars = ax_s.bar(steps, np.maximum(self.steps, lo), width=0.8, bottom=lo,
                        color=lighter(color), edgecolor="0.3", lw=0.6)
        ax_s.set_yscale("log")
        ax_s.set_ylim(lo, 2 * max(self.steps.max(), lo))
        ax_s.set_xlim(0.3, self.n_frames - 0.3)
        ax_s.set_xlabel("step k (count)")
        ax_s.set_ylabel("length of step k (log-odds, log scale)")
        ax_s.set_title("Each step is shorter than the one before" if self.shrinking else
                       "The length of each step")
        fig.suptitle(f"Gradient descent from ({self.run['w'][0]:+.1f}, {self.run['b'][0]:+.1f}),"
                     f" α = {self.learning_rate:g}, {self.n_frames - 1} steps", fontsize=13)
        return {"axes": {"path": ax, "steps": ax_s}, "trail": _trail(ax, color),
                "head": _head(ax, color), "bars": bars, "counter": _counter_box(ax)}

    def _draw_frame(self, state, k):
        w, b, J = self.run["w"], self.run["b"], self.run["J"]
        state["trail"].set_data(w[: k + 1], b[: k + 1])
        state["head"].set_data([w[k]], [b[k]])
        for i, bar in enumerate(state["bars"], start=1):
            bar.set_visible(i <= k)
            bar.set_facecolor(self.markers["path"] if i == k else lighter(self.markers["path"]))
        state["counter"].set_text(f"step {k} of {self.n_frames - 1}\n"
                                  f"J = {J[k]:.4f} {self.cost_units}")

    def description(self):
        w, b, J = self.run["w"], self.run["b"], self.run["J"]
        last = self.n_frames - 1
        return (f"Animation, last frame: contour lines of the cost J(w, b) with gradient "
                f"descent's {last} steps from ({w[0]:+.1f}, {b[0]:+.1f}) to "
                f"({w[-1]:+.2f}, {b[-1]:+.2f}), next to the minimum; the cost falls from "
                f"{J[0]:.3f} to {J[-1]:.4f} {self.cost_units}. Beside it, the length of every "
                f"step on a log scale, from {self.steps[0]:.2g} for the first to "
                f"{self.steps[-1]:.1g} for the last"
                + (", each shorter than the one before." if self.shrinking else "."))


# -- notebook 05: just below and just above the stability limit ---------------------------
class StabilityBounce(Animation):
    """Runs of the linear model on the slice ``J(w, b*)``, side by side, one update per frame.

    One panel per run: the cost along ``w`` (b held at the minimum's b, where these runs
    stay), the jumps so far as arcs, and the current iterate. An iterate outside the fixed
    view is marked at the edge ("left the view after k updates"). The last panel is the
    cost after every update, on a log scale, for every run.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The data that define ``J``.
    runs : dict of str -> History
        Runs of :func:`gdcourse.linear.train` with ``w`` and ``b``, at least ``updates``
        updates each (the first ``updates`` are shown). Each must keep ``b`` at ``b*``.
    updates : int
        Updates shown (frames = updates + 1).
    w_range : (float, float)
        The fixed view along ``w``.
    """

    figsize = (12.0, 4.0)

    def __init__(self, x, y, runs, *, updates: int = 20, w_range=(-2.0, 4.0),
                 frame_ms: int = 450, last_frame_ms: int = 3000):
        runs = check_histories(runs, "runs", params=("w", "b"))
        self.x = as_vector(x, "x")
        self.y = as_vector(y, "y", length=self.x.size)
        updates = positive_int(updates, "updates")
        self.w_range = check_range(w_range, "w_range")
        self.w_star, self.b_star = linear.closed_form(self.x, self.y)
        run = {}
        for label, h in runs.items():
            if len(h.epochs) < updates + 1:
                raise ValueError(f"runs[{label!r}] must hold at least {updates} updates, got "
                                 f"{len(h.epochs) - 1}.")
            b = h.param("b")[: updates + 1]
            if not np.allclose(b, self.b_star, rtol=0, atol=1e-9):
                raise ValueError(f"runs[{label!r}] must keep b at the minimum's b* = "
                                 f"{self.b_star:.3g} (the slice J(w, b*) is drawn), but b moves.")
            run[f"{label}: w"] = h.param("w")[: updates + 1]
            run[f"{label}: J"] = np.array(h.costs[: updates + 1])
        self.labels = list(runs)
        self.rates = {label: h.learning_rate for label, h in runs.items()}
        self.regimes = {label: rate_regime(self.x, h.learning_rate) for label, h in runs.items()}
        self.lam_max = float(linear.hessian_eigenvalues(self.x)[-1])
        super().__init__(run, updates + 1, frame_ms=frame_ms, last_frame_ms=last_frame_ms)
        self.markers = {label: REGIME_COLORS[self.regimes[label]] for label in self.labels}
        if len(set(self.markers.values())) != len(self.markers):
            raise ValueError("runs must be in different regimes (one colour each), got "
                             f"{self.regimes}.")
        ws = np.linspace(*self.w_range, 300)
        self._curve = (ws, ((ws[:, None] * self.x + self.b_star - self.y) ** 2).mean(axis=1))

    def _left_view(self, label):
        """Update after which the run's w leaves the view, or None."""
        w = self.run[f"{label}: w"]
        return first_outside(w, np.zeros_like(w), (*self.w_range, -1.0, 1.0))

    def _draw_static(self, fig):
        k = len(self.labels)
        axes = fig.subplots(1, k + 1, width_ratios=[1.0] * k + [1.1])
        ws, Jw = self._curve
        top = 1.3 * Jw.max()            # room above the curve for the note of a run that left
        state = {"axes": {}, "arcs": {}, "heads": {}, "exits": {}, "costs": {}, "cost_heads": {}}
        for ax, label in zip(axes[:k], self.labels):
            c = self.markers[label]
            ax.plot(ws, Jw, color="0.55", lw=1.5, zorder=2)
            ax.axvline(self.w_star, color="0.3", ls=":", lw=1, zorder=1)
            w0, J0 = self.run[f"{label}: w"][0], self.run[f"{label}: J"][0]
            _start_ring(ax, w0, J0)
            ax.set_xlim(*self.w_range)
            ax.set_ylim(-0.03 * top, top)  # a marker at J = 0 is not cut in half
            ax.set_xlabel("w, slope (standardised)")
            q = 1 - self.rates[label] * self.lam_max
            ax.set_title(f"{label}: factor 1 − ηλ_max = {q:+.2f}\n{self.regimes[label]}",
                         color=c, fontsize=11)
            state["axes"][label] = ax
            state["arcs"][label] = []
            state["heads"][label] = _head(ax, c)
            state["exits"][label] = (
                ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=7, visible=False,
                            arrowprops=dict(arrowstyle="-|>", color=c, lw=1.8,
                                            mutation_scale=18, shrinkA=0, shrinkB=0)),
                ax.text(0.5, 0.975, "", transform=ax.transAxes, ha="center", va="top",
                        fontsize=9, color=c, zorder=9, visible=False,
                        bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=c, lw=0.8)))
        axes[0].set_ylabel("cost J(w, b*) (dimensionless)")
        ax_c = axes[-1]
        costs = np.concatenate([self.run[f"{label}: J"] for label in self.labels])
        costs = costs[np.isfinite(costs) & (costs > 0)]
        for label in self.labels:
            c = self.markers[label]
            (state["costs"][label],) = ax_c.semilogy([], [], "-o", color=lighter(c), ms=3.5,
                                                      lw=1.6, label=label)
            (state["cost_heads"][label],) = ax_c.semilogy([], [], "o", ms=7, color=c,
                                                           mec="black", mew=1.0, zorder=6)
        ax_c.set_xlim(-0.5, self.n_frames - 0.5)
        ax_c.set_ylim(costs.min() / 3, costs.max() * 3)
        ax_c.set_xlabel("update k (count)")
        ax_c.set_ylabel("cost J (dimensionless, log scale)")
        ax_c.set_title("Cost after each update")
        ax_c.legend(loc="lower left", fontsize=9, framealpha=0.95)
        state["axes"]["cost"] = ax_c
        state["counter"] = _counter_box(ax_c, "upper left")
        fig.suptitle(f"Just below and just above the stability limit 2/λ_max = "
                     f"{2 / self.lam_max:.3g} ({self.n_frames - 1} updates from w = "
                     f"{self.run[f'{self.labels[0]}: w'][0]:g}, b = b*; ring: start; "
                     f"dotted line: w*)", fontsize=13)
        return state

    def _draw_frame(self, state, k):
        for label in self.labels:
            ax, c = state["axes"][label], self.markers[label]
            w, J = self.run[f"{label}: w"], self.run[f"{label}: J"]
            for arc in state["arcs"][label]:
                arc.remove()
            state["arcs"][label] = []
            out = self._left_view(label)
            shown = k if out is None or k < out else out - 1       # last update in the view
            for t in range(shown):
                state["arcs"][label].append(ax.annotate(
                    "", xy=(w[t + 1], J[t + 1]), xytext=(w[t], J[t]), zorder=5,
                    arrowprops=dict(arrowstyle="-|>", color=lighter(c), lw=1.6, shrinkA=4,
                                    shrinkB=4, connectionstyle="arc3,rad=-0.3")))
            arrow, note = state["exits"][label]
            if out is not None and k >= out:
                state["heads"][label].set_data([], [])
                top = ax.get_ylim()[1]
                edge = exit_point((w[out - 1], J[out - 1]), (w[out], J[out]),
                                  (*self.w_range, ax.get_ylim()[0], top))
                arrow.xy, arrow.xyann = edge, (w[out - 1], J[out - 1])
                arrow.set_visible(True)
                note.set_text(f"left the view after update {out};\nafter update {k}: "
                              f"w = {w[k]:+.1f}")
                note.set_visible(True)
            else:
                state["heads"][label].set_data([w[k]], [J[k]])
                arrow.set_visible(False)
                note.set_visible(False)
            steps = np.arange(k + 1)
            state["costs"][label].set_data(steps, J[: k + 1])
            state["cost_heads"][label].set_data([k], [J[k]])
        state["counter"].set_text(f"update {k} of {self.n_frames - 1}")

    def description(self):
        parts = []
        for label in self.labels:
            J = self.run[f"{label}: J"]
            out = self._left_view(label)
            moves = (f"bounces across the minimum and its cost falls from {J[0]:.3g} to "
                     f"{J[-1]:.2g}" if J[-1] < J[0] else
                     f"bounces ever wider, its cost rising from {J[0]:.3g} to {J[-1]:.3g}")
            if out is not None:
                moves += f", and leaves the view after update {out}"
            parts.append(f"at {label} the iterate {moves}")
        return (f"Animation, last frame: the cost along w after {self.n_frames - 1} updates "
                f"of gradient descent; " + "; ".join(parts) + ". A third panel shows the cost "
                "after each update on a log scale.")


# -- notebook 06: several runs on the same contours, one update per frame ----------------
class PathsOnContours(Animation):
    """Runs of the linear model on the contour lines of ``J(w, b)``, advancing together.

    Frame ``k`` shows every run after ``k`` updates, whatever its batch size. Left: the
    contour lines (equal scales), the least-squares minimum, each run's trail and current
    iterate. Right: the excess cost ``J − J*`` on the full data after every update, log
    scale.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        The data that define ``J``.
    runs : dict of str -> MinibatchHistory
        Runs of :func:`gdcourse.stochastic.minibatch_gd` recorded with ``per_update=True``
        (at least ``updates`` updates each).
    updates : int
        Updates shown (frames = updates + 1).
    w_range, b_range : (float, float)
        The fixed view.
    """

    figsize = (11.0, 4.6)

    def __init__(self, x, y, runs, *, updates: int = 30, w_range=(-0.1, 1.15),
                 b_range=(-0.4, 0.25), frame_ms: int = 300, last_frame_ms: int = 3000):
        runs = check_runs(runs, "runs", what="MinibatchHistory")
        self.x = as_vector(x, "x")
        self.y = as_vector(y, "y", length=self.x.size)
        updates = positive_int(updates, "updates")
        self.w_range, self.b_range = check_range(w_range, "w_range"), check_range(b_range,
                                                                                 "b_range")
        run = {}
        for label, h in runs.items():
            recorded = getattr(h, "update_w", None)
            if not isinstance(h, History) or recorded is None:
                raise TypeError(f"runs[{label!r}] must be a MinibatchHistory, got "
                                f"{type(h).__name__}.")
            if len(recorded) < updates + 1:
                raise ValueError(f"runs[{label!r}] must hold the parameters of at least "
                                 f"{updates} updates (minibatch_gd(..., per_update=True)), got "
                                 f"{max(len(recorded) - 1, 0)}.")
            run[f"{label}: w"] = np.array(h.update_w[: updates + 1])
            run[f"{label}: b"] = np.array(h.update_b[: updates + 1])
            run[f"{label}: J"] = np.array(h.update_costs[: updates + 1])
        self.labels = list(runs)
        self.batch_sizes = {label: h.batch_size for label, h in runs.items()}
        self.n_samples = next(iter(runs.values())).n_samples
        self.w_star, self.b_star = linear.closed_form(self.x, self.y)
        self.J_star = linear.cost(self.w_star, self.b_star, self.x, self.y)
        super().__init__(run, updates + 1, frame_ms=frame_ms, last_frame_ms=last_frame_ms)
        self.markers = dict(zip(self.labels, colors_for(runs, sequence("methods"), "runs")))
        # the first run's marker largest, drawn lowest: markers at one point stay visible as rings
        self.head_sizes = [15 - 4 * i for i in range(len(self.labels))]
        if self.head_sizes[-1] < 5:
            raise ValueError(f"runs can hold at most 3 runs, got {len(self.labels)}.")

    def _draw_static(self, fig):
        ax, ax_c = fig.subplots(1, 2, width_ratios=(1.45, 1.0))
        W, B, J = cost_grid(self.x, self.y, self.w_range, self.b_range, num=121)
        excess = J - self.J_star
        levels = self.J_star + np.geomspace(max(excess.min(), 1e-4), excess.max(), 9)
        lines = ax.contour(W, B, J, levels=levels, colors="0.6", linewidths=0.9, zorder=1)
        ax.clabel(lines, fmt=lambda v: f"{v - self.J_star:.2g}", fontsize=7.5)
        _minimum_star(ax, self.w_star, self.b_star, "least-squares minimum")
        _start_ring(ax, self.run[f"{self.labels[0]}: w"][0], self.run[f"{self.labels[0]}: b"][0],
                    "start")
        ax.set_xlim(*self.w_range)
        ax.set_ylim(*self.b_range)
        ax.set_aspect("equal")
        ax.grid(False)
        ax.set_xlabel("w, slope (standardised)")
        ax.set_ylabel("b, intercept (standardised)")
        ax.set_title("Paths on J(w, b) (contours labelled with J − J*)")
        state = {"axes": {}, "trails": {}, "heads": {}, "costs": {}, "cost_heads": {}}
        for label, ms in zip(self.labels, self.head_sizes):
            c = self.markers[label]
            state["trails"][label] = _trail(ax, c)
            state["heads"][label] = _head(ax, c, ms=ms, zorder=8 + (20 - ms) / 100)
            state["axes"][label] = ax
            (state["costs"][label],) = ax_c.semilogy([], [], "-", color=c, lw=1.8, label=label)
            (state["cost_heads"][label],) = ax_c.semilogy([], [], "o", ms=7, color=c,
                                                           mec="black", mew=1.0, zorder=6)
        excess = np.concatenate([self.run[f"{label}: J"] - self.J_star for label in self.labels])
        excess = excess[excess > 0]
        ax_c.set_xlim(-0.5, self.n_frames - 0.5)
        ax_c.set_ylim(excess.min() / 2, excess.max() * 2)
        ax_c.set_xlabel("update k (count)")
        ax_c.set_ylabel("excess cost J − J* (log scale)")
        ax_c.set_title("Full-data cost after each update")
        state["axes"]["cost"] = ax_c
        state["counter"] = _counter_box(ax_c)
        handles, labels = (a + b for a, b in zip(ax_c.get_legend_handles_labels(),
                                                  ax.get_legend_handles_labels()))
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=9.5)
        fig.suptitle(f"One frame per update: the first {self.n_frames - 1} updates of each "
                     f"variant, same η, same start", fontsize=13)
        return state

    @staticmethod
    def _short(label):
        """The label up to its first bracket: "SGD (1 sample)" -> "SGD"."""
        return label.split(" (")[0]

    def _work(self, label, k):
        """Epochs of work after k updates: per-sample gradients / n."""
        return k * self.batch_sizes[label] / self.n_samples

    def _draw_frame(self, state, k):
        for label in self.labels:
            w, b, J = (self.run[f"{label}: {v}"] for v in "wbJ")
            state["trails"][label].set_data(w[: k + 1], b[: k + 1])
            state["heads"][label].set_data([w[k]], [b[k]])
            state["costs"][label].set_data(np.arange(k + 1), J[: k + 1] - self.J_star)
            state["cost_heads"][label].set_data([k], [J[k] - self.J_star])
        work = "\n".join(f"{self._short(label)}: {self._work(label, k):.3g}"
                         for label in self.labels)
        state["counter"].set_text(f"update {k} of {self.n_frames - 1}\n"
                                  f"work so far, in epochs\n{work}")

    def description(self):
        last = self.n_frames - 1
        parts = [f"{self._short(label)} has done {self._work(label, last):.2g} epochs of work "
                 f"and is at excess cost {self.run[f'{label}: J'][-1] - self.J_star:.1g}"
                 for label in self.labels]
        return (f"Animation, last frame: {last} updates of each variant from (0, 0) on the "
                f"contour lines of J(w, b), all heading for the minimum near "
                f"({self.w_star:.2f}, {self.b_star:.2f}), the smaller batches along noisier "
                f"paths; " + "; ".join(parts) + ".")
