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
from ..alt_text import MAX_LENGTH
from ..digits import counted
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


# -- descriptions (alt text, gdcourse.alt_text) -----------------------------------------
# The figure functions build their description from these, so that a number reads the same
# in every figure and on every machine: a few significant digits, no rounding noise.

def against(y_label: str, x_label: str) -> str:
    """``"<y> against <x>"``: what a plot's axes show, with the units of their labels."""
    return f"{y_label} against {x_label}"


def sentences(*parts) -> str:
    """The parts of a description joined by spaces, within :data:`gdcourse.alt_text.MAX_LENGTH`.

    The first part is always there; each later one (a whole sentence, or ``None`` to skip)
    only while the text stays short enough for a screen reader to read it in one go, so
    put what the reader should see first and details after. Long labels passed in by a
    notebook then cost details, never the figure's description.
    """
    text = " ".join(parts[0].split())
    for part in parts[1:]:
        if not part:
            continue
        longer = f"{text} {' '.join(part.split())}"
        if len(longer) > MAX_LENGTH:
            break
        text = longer
    return text


def plotted(ax) -> str:
    """``"<y label> against <x label>"`` of ``ax``: what its axes show, in its own words."""
    return against(ax.get_ylabel(), ax.get_xlabel())


def listing(items) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``: several items in one phrase."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def approx(value, digits: int = 3, *, floor: float | None = None) -> str:
    """``value`` to ``digits`` significant digits, as a screen reader reads it best.

    Plain decimals from 0.001 to a million (``0.693``, ``40,000``, ``1.5``: trailing zeros
    dropped, never ``-0``), an exponent outside (``2.3e10``, ``3.1e-5``). With ``floor``, a
    value smaller than it in size reads ``"less than <floor>"``: below it the digits would
    be rounding noise, different on another machine.
    """
    v = float(value)
    if not np.isfinite(v):
        return "not a number" if np.isnan(v) else ("infinity" if v > 0 else "minus infinity")
    if floor is not None and abs(v) < floor:
        return f"less than {floor:g}".replace("e-0", "e-").replace("e+", "e")
    if v == 0:
        return "0"
    exponent = int(np.floor(np.log10(abs(v))))
    rounded = round(v, digits - 1 - exponent)
    if rounded != 0 and int(np.floor(np.log10(abs(rounded)))) != exponent:
        exponent += 1                              # 9.996 rounds up to 10.0
    if -3 <= exponent < 6:
        decimals = max(digits - 1 - exponent, 0)
        text = f"{rounded:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        mantissa, power = f"{v:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{int(power)}"
    return "0" if text.lstrip("-") == "0" else text


def linear_form(*terms, digits: int = 3, floor: float = 1e-12) -> str:
    """A sum of ``(coefficient, symbol)`` terms as it is read: ``"0.5·x₁ − 1.2·x₂ + 0.3"``
    (``symbol`` ``""`` for the constant). A coefficient below ``floor`` in size reads 0: at
    that size it is rounding noise (a ``b`` that stays 0 up to rounding)."""
    text = ""
    for i, (c, symbol) in enumerate(terms):
        c = float(c) if abs(float(c)) >= floor else 0.0
        size = approx(abs(c), digits) + (f"·{symbol}" if symbol else "")
        if i == 0:
            text = ("−" if c < 0 and approx(c, digits) != "0" else "") + size
        else:
            text += f" {'−' if c < 0 and approx(c, digits) != '0' else '+'} {size}"
    return text


def change(first, last, *, floor: float | None = None, digits: int = 3) -> str:
    """How a quantity went from ``first`` to ``last``: ``"falls from 0.693 to 0.21"``,
    ``"rises from 1 to 2.3e10"``, ``"stays at 0.5"`` (the same to ``digits`` digits), or
    ``"rises from 1 until it overflows"`` (``last`` not finite). ``floor`` as for :func:`approx`.
    """
    a = approx(first, digits, floor=floor)
    if not np.isfinite(float(last)):
        return f"rises from {a} until it is no longer a finite number"
    b = approx(last, digits, floor=floor)
    if a == b:
        return f"stays at {a}"
    return f"{'falls' if float(last) < float(first) else 'rises'} from {a} to {b}"


def path_change(values, *, floor: float | None = None, digits: int = 3) -> str:
    """:func:`change` from the first to the last of ``values``, and the highest value on the
    way when it is above both ends (a run that overshoots and bounces back):
    ``"falls from 0.962 to 0.636, reaching 1.33 on the way"``."""
    v = np.asarray(values, dtype=float)
    text = change(v[0], v[-1], floor=floor, digits=digits)
    finite = v[np.isfinite(v)]
    if finite.size and np.isfinite(v[-1]):
        peak = float(finite.max())
        if approx(peak, digits) not in (approx(v[0], digits), approx(v[-1], digits)) \
                and peak > max(v[0], v[-1]):
            text += f", reaching {approx(peak, digits, floor=floor)} on the way"
    return text


def noise_floor(*scales, factor: float = 1e-12) -> float:
    """The power of ten just above ``factor`` times the largest finite scale (say, the
    starting costs of the runs): below it, the digits of a cost, or of a cost minus the
    least-squares cost, are rounding noise and differ from machine to machine."""
    finite = [abs(float(v)) for v in scales if np.isfinite(v) and v != 0]
    if not finite:
        return factor
    return float(10.0 ** np.ceil(np.log10(factor * max(finite))))


def final_values(what: str, runs, *, floor: float | None = None, digits: int = 3) -> list[str]:
    """Sentences on where several runs took a quantity: ``runs`` maps a label to
    ``(first, last, when)``, ``when`` a phrase such as ``"after 30 epochs"``.

    When every run starts at the same value, a lead says so once and each run's part gives
    its last value (``"J after 30 epochs, from 1 at the start:"``, ``"η = 0.1, 1.53e-6."``,
    with ``when`` per run when they differ); otherwise one sentence per run says how it
    changed. One part per run, so that :func:`sentences` drops whole runs when space runs out.
    """
    firsts = {approx(first, digits, floor=floor) for first, _, _ in runs.values()}
    whens = {when for _, _, when in runs.values()}
    name = what[:1].upper() + what[1:]
    if len(runs) > 1 and len(firsts) == 1:
        same = len(whens) == 1
        ends = [f"{label}, {approx(last, digits, floor=floor)}" + ("" if same else f" {when}")
                for label, (_, last, when) in runs.items()]
        lead = f"{name}{' ' + whens.pop() if same else ''}, from {firsts.pop()} at the start:"
        return [f"{lead} {ends[0]}.", *(f"{end}." for end in ends[1:])]
    return [f"{label}: {what} {change(first, last, floor=floor, digits=digits)} {when}."
            for label, (first, last, when) in runs.items()]


def run_summary(costs, *, stop_reason: str = "") -> str:
    """What a run's cost did: ``"J falls from 1 to 0.0123 in 30 epochs"``.

    A cost below the :func:`noise_floor` of the starting cost reads ``"less than ..."``. A
    cost that stops being finite is said so, with the epoch of its last finite value; a run
    that stopped as diverged (``stop_reason``, from its History) says that too.
    """
    J = np.asarray(costs, dtype=float)
    finite = np.isfinite(J)
    floor = noise_floor(J[0])
    epochs = counted(J.size - 1, "epoch")
    stopped = ", where the run stops as diverged" if stop_reason == "diverged" else ""
    if finite.all():
        return f"J {change(J[0], J[-1], floor=floor)} in {epochs}{stopped}"
    last = int(np.flatnonzero(finite)[-1]) if finite.any() else 0
    return (f"J rises from {approx(J[0], floor=floor)} to {approx(J[last], floor=floor)} "
            f"by epoch {last}, then is no longer a finite number")
