"""Figures of measured run times against the number of examples m (notebooks 02 and 03)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from .._validate import as_vector
from ..alt_text import describe
from ..style import COLORS, sequence
from ._shared import listing, plotted, sentences

__all__ = ["time_vs_m", "loops_vs_vectorized"]

_SERIES = sequence("timings")


def _series(series, name="series"):
    if not isinstance(series, Mapping):
        raise TypeError(f"{name} must be a non-empty dict: label -> (sizes, seconds[, estimated]), "
                        f"got {type(series).__name__}.")
    if not series:
        raise ValueError(f"{name} must be a non-empty dict: label -> (sizes, "
                         f"seconds[, estimated]), got an empty dict.")
    out = {}
    for label, entry in series.items():
        if not isinstance(entry, (tuple, list)) or len(entry) not in (2, 3):
            raise TypeError(f"{name}[{label!r}] must be (sizes, seconds) or "
                            f"(sizes, seconds, estimated_mask).")
        m = as_vector(entry[0], f"{name}[{label!r}] sizes")
        t = as_vector(entry[1], f"{name}[{label!r}] seconds", length=m.size)
        est = (np.zeros(m.size, bool) if len(entry) == 2
               else np.asarray(entry[2], dtype=bool).reshape(-1))
        if est.size != m.size:
            raise ValueError(f"{name}[{label!r}]: estimated_mask must have one flag per size.")
        if (m <= 0).any() or (t <= 0).any():
            raise ValueError(f"{name}[{label!r}]: sizes and seconds must be > 0 (log axes).")
        out[label] = (m, t, est)
    return out


def _draw_series(ax, m, t, est, color, label):
    meas = ~est
    ax.plot(m[meas], t[meas], "-o", color=color, ms=6, label=f"{label} (measured)")
    if est.any():
        # join the last measured point to the estimates with a dashed line
        first = np.flatnonzero(est)[0]
        j = list(range(max(first - 1, 0), m.size))
        ax.plot(m[j], t[j], "--", color=color, lw=1.5)
        ax.plot(m[est], t[est], "o", mfc="white", mec=color, mew=2, ms=7,
                label=f"{label} (ESTIMATE, t = c·m)")


def time_vs_m(series, *, ylabel: str = "time per gradient step (s, log scale)",
              title: str = "Time per step grows in proportion to m") -> Figure:
    """Log-log plot of time against the number of examples m.

    Parameters
    ----------
    series : dict of str to (sizes, seconds) or (sizes, seconds, estimated_mask)
        Measured times; where ``estimated_mask`` is True the value is an
        extrapolation and is drawn hollow and labelled as an estimate.
    ylabel, title : str

    Returns
    -------
    Figure
    """
    data = _series(series)
    fig = Figure(figsize=(7.0, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for i, (label, (m, t, est)) in enumerate(data.items()):
        _draw_series(ax, m, t, est, _SERIES[i % len(_SERIES)], label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of examples m (count, log scale)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=9)
    text = sentences(
        f"{title}: {plotted(ax)}, for {_measured(data)}.",
        "The times are measured on the machine that ran the notebook.")
    return describe(fig, text)


def _measured(data) -> str:
    """Which series were timed at which sizes, and which points are estimates (no timings:
    they differ from machine to machine)."""
    sizes = np.unique(np.concatenate([m for m, _, _ in data.values()]))
    text = f"{listing(data)}, m from {sizes[0]:,.0f} to {sizes[-1]:,.0f}"
    estimated = {}                     # first estimated size -> the series estimated from there
    for label, (m, _, est) in data.items():
        if est.any():
            estimated.setdefault(m[est].min(), []).append(label)
    if estimated:
        text += "; hollow: estimated as t = c·m, for " + listing(
            f"{listing(labels)} from m = {first:,.0f}" for first, labels in estimated.items())
    return text


def loops_vs_vectorized(series, *, slow: str, fast: str,
                        title: str = "Loops against vectorized code") -> Figure:
    """Two panels: time against m for every series, and the speed-up ``slow / fast``.

    Parameters
    ----------
    series : dict of str to (sizes, seconds[, estimated_mask])
        As for :func:`time_vs_m`.
    slow, fast : str
        Labels in ``series`` whose ratio is the speed-up; both must use the same sizes.

    Returns
    -------
    Figure
    """
    data = _series(series)
    for name, role in ((slow, "slow"), (fast, "fast")):
        if name not in data:
            raise ValueError(f"{role} must be one of the series labels {list(data)}, got {name!r}.")
    ms, ts, es = data[slow]
    mf, tf, ef = data[fast]
    if ms.size != mf.size or not np.array_equal(ms, mf):
        raise ValueError("slow and fast series must be measured at the same sizes.")
    fig = Figure(figsize=(13.0, 4.8), layout="constrained")
    ax, ax_s = fig.subplots(1, 2)
    for i, (label, (m, t, est)) in enumerate(data.items()):
        _draw_series(ax, m, t, est, _SERIES[i % len(_SERIES)], label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of examples m (count, log scale)")
    ax.set_ylabel("time per gradient step (s, log scale)")
    ax.set_title("Time per step")
    ax.legend(loc="upper left", fontsize=9)
    speed = ts / tf
    est = es | ef
    _draw_series(ax_s, ms, speed, est, COLORS["green"], f"speed-up = {slow} / {fast}")
    ax_s.axhline(1.0, color="0.4", ls=":", lw=1.5, label="1× (equally fast)")
    ax_s.set_xscale("log")
    ax_s.set_yscale("log")
    ax_s.set_xlabel("number of examples m (count, log scale)")
    ax_s.set_ylabel("speed-up (times faster, log scale)")
    ax_s.set_title("How many times faster the vectorized step is")
    ax_s.legend(loc="lower right", fontsize=9)
    fig.suptitle(title, fontsize=13)
    text = sentences(
        f"{title}. Left: {plotted(ax)}, for {_measured(data)}.",
        f"Right: the speed-up, {slow} time over {fast} time (log scale), dotted at 1×.",
        "The times are measured on the machine that ran the notebook.")
    return describe(fig, text)
