"""Helpers every figure module uses: figure creation, argument checks, axes and labels.

Private to :mod:`gdcourse.plots` and :mod:`gdcourse.widgets` (not re-exported): the
figure modules and the widgets import these names from here, never each other's
private names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from .._validate import as_float
from ..descent import History


# -- figures ---------------------------------------------------------------------
def figure(nrows=1, ncols=1, *, figsize, **kwargs):
    """A new ``Figure`` (not registered with pyplot) and its axes.

    Notebooks show it once, as the value of the cell; pyplot is never involved,
    so no figure is shown twice or left open.
    """
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(nrows, ncols, **kwargs)


def no_layout_engine(fig: Figure) -> None:
    """Remove the figure's layout engine (widgets place their axes with fixed margins).

    With any layout engine, even a placeholder, ``savefig`` draws the figure
    twice; widgets redraw on every change, so they skip it. The course style
    turns constrained layout on by default, hence the ``rc_context``.
    """
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


# -- argument checks ---------------------------------------------------------------
def check_history(h, name: str = "history", *, params=()) -> History:
    """A :class:`~gdcourse.descent.History` with at least one row (and the given parameters)."""
    if not isinstance(h, History):
        raise TypeError(f"{name} must be a History, got {type(h).__name__}.")
    if not h.epochs:
        raise ValueError(f"{name} must hold at least one recorded epoch, got an empty History "
                         f"(no rows).")
    missing = set(params) - set(h.params[0])
    if missing:
        raise ValueError(f"{name} must be a run with the parameter(s) {sorted(params)}, got "
                         f"parameters {sorted(h.params[0])}.")
    return h


def check_runs(runs, name: str = "runs", *, what: str = "History") -> dict:
    """A non-empty dict (label -> run); the entries are checked by the caller."""
    if not isinstance(runs, Mapping):
        raise TypeError(f"{name} must be a non-empty dict of label -> {what}, got "
                        f"{type(runs).__name__}.")
    if not runs:
        raise ValueError(f"{name} must be a non-empty dict of label -> {what}, got an empty dict.")
    return dict(runs)


def check_histories(runs, name: str = "runs", *, params=()) -> dict:
    """A non-empty dict of label -> non-empty History (with the given parameters)."""
    runs = check_runs(runs, name)
    for label, h in runs.items():
        check_history(h, f"{name}[{label!r}]", params=params)
    return runs


def colors_for(runs, colors, name: str = "runs") -> list:
    """``colors`` for each entry of ``runs``; refuse more runs than distinct colours."""
    if len(runs) > len(colors):
        raise ValueError(f"{name} can hold at most {len(colors)} entries (one colour each), "
                         f"got {len(runs)}.")
    return list(colors[:len(runs)])


def eval_curve(f, grid: np.ndarray, name: str) -> np.ndarray:
    """``f`` on every value of ``grid`` (a loop: ``f`` may take scalars only)."""
    out = np.array([float(f(float(v))) for v in grid])
    if not np.isfinite(out).all():
        raise ValueError(f"{name} returned a non-finite value on the plotted range.")
    return out


# -- axes --------------------------------------------------------------------------
def legend_below(ax, ncols=1):
    """The axes' legend under its x label, where it cannot cover a curve."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=ncols, fontsize=9,
              frameon=False)


def semilogy(ax, t, v, **kw):
    """``ax.semilogy`` of the points where ``v`` is finite and > 0 (the rest is off the axis)."""
    v = np.asarray(v, dtype=float)
    ok = np.isfinite(v) & (v > 0)
    return ax.semilogy(np.asarray(t)[ok], v[ok], **kw)


def median_band(ax, xs, values, color, label):
    """The median over runs (rows of ``values``) as a line, the range as a shaded band."""
    ax.plot(xs, np.median(values, 0), "-", color=color, label=label)
    ax.fill_between(xs, values.min(0), values.max(0), color=color, alpha=0.2, lw=0)


def log_spaced(n: int, count: int = 300) -> np.ndarray:
    """About ``count`` distinct indices in ``1 .. n-1``, evenly spaced on a log scale."""
    return np.unique(np.geomspace(1, n - 1, count).astype(int)) if n > 1 else np.array([0])


def tidy_log_axis(ax, axis="y"):
    """Plain tick labels (0.9, 1, 1.1) on a log axis that spans less than ~1.5 decades."""
    a = ax.yaxis if axis == "y" else ax.xaxis
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    if lo > 0 and hi / lo < 30:
        fmt = FuncFormatter(lambda v, _: f"{v:.2g}")
        a.set_major_formatter(fmt)
        a.set_minor_formatter(fmt if hi / lo < 3 else NullFormatter())


# -- labels and numbers ----------------------------------------------------------------
def signed(value: float, decimals: int = 3) -> str:
    """``f"{value:+.{decimals}f}"`` without a negative zero (``-0.000`` -> ``+0.000``)."""
    text = f"{value:+.{decimals}f}"
    return "+" + text[1:] if text[1:] == f"{0:.{decimals}f}" else text


def unsigned_zero(v, decimals):
    """Fixed decimals, without a "-0.000" for a value that rounds to zero."""
    text = f"{v:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def log_ticks(lo, hi):
    """Readable ticks for a log colour bar from ``lo`` to ``hi``: powers of ten inside the range,
    with 2 and 5 times them added when fewer than three powers fit, thinned when many do."""
    lo, hi = float(lo), float(hi)
    if not (0 < lo < hi and np.isfinite(hi)):
        raise ValueError(f"need 0 < lo < hi (finite), got lo={lo!r}, hi={hi!r}.")
    powers = 10.0 ** np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)
    ticks = [t for t in powers if lo <= t * (1 + 1e-12) and t <= hi * (1 + 1e-12)]
    if len(ticks) < 3:
        ticks = [m * t for t in powers for m in (1, 2, 5) if lo <= m * t <= hi]
    step = int(np.ceil(len(ticks) / 6))
    return np.array(ticks[::step])


def plain_number(v):
    """A tick label without exponents: 1, 10, 1,000, 0.5, 0.001."""
    v = float(v)
    if v >= 1:
        return f"{v:,.0f}"
    decimals = int(np.ceil(-np.log10(v) - 1e-9))
    text = f"{v:.{decimals + 1}f}".rstrip("0")
    return text


def cost_label(cost_units: str, what: str = "cost J") -> str:
    """An axis label for a cost on a log scale: "cost J (dimensionless, log scale)", or for
    a unit that brings its own brackets, "cost J (thousand $)², log scale"."""
    if not isinstance(cost_units, str):
        raise TypeError(f"cost_units must be a str, got {type(cost_units).__name__}.")
    if cost_units.startswith("("):
        return f"{what} {cost_units}, log scale"
    return f"{what} ({cost_units}, log scale)"
