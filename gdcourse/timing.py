"""Live timing for the notebooks: median of repeats, and a clearly labelled extrapolation.

Timings are measured where the notebook runs, never typed in. They depend on
the machine and on what else it is doing, so the notebooks show them in cells
whose output is not compared (``nbval-ignore-output``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validate import as_vector, positive_float, positive_int

__all__ = ["Timing", "median_time", "fit_linear_time", "format_seconds", "ScalingTable",
           "scaling_table", "describe_growth"]


@dataclass(frozen=True)
class Timing:
    """Seconds per call of one timed function.

    Attributes
    ----------
    median : float
        Median over the repeats (robust to one slow outlier).
    p90 : float
        90th percentile over the repeats.
    best : float
        Fastest repeat.
    repeats : int
    number : int
        Calls per repeat (each repeat's time is divided by it).
    """

    median: float
    p90: float
    best: float
    repeats: int
    number: int

    def __str__(self) -> str:
        return (f"{format_seconds(self.median)} per call (median of {self.repeats} repeats "
                f"of {self.number} call{'s' if self.number != 1 else ''})")


def median_time(fn: Callable, *args, repeats: int = 5, number: int | None = None,
                min_repeat_time: float = 0.02, **kwargs) -> Timing:
    """Time ``fn(*args, **kwargs)``: the median over ``repeats`` repeats.

    Parameters
    ----------
    fn : callable
    *args, **kwargs
        Passed to ``fn``.
    repeats : int, default 5
        How many repeats; the median is reported.
    number : int, optional
        Calls per repeat. By default it is chosen from one trial call so that
        a repeat lasts at least ``min_repeat_time`` seconds (fast functions are
        called many times, slow ones once).
    min_repeat_time : float, default 0.02
        Target duration of one repeat in seconds when ``number`` is None.

    Returns
    -------
    Timing
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}.")
    repeats = positive_int(repeats, "repeats")
    min_repeat_time = positive_float(min_repeat_time, "min_repeat_time")
    clock = time.perf_counter
    if number is None:
        t0 = clock()
        fn(*args, **kwargs)                       # trial call (also warms caches)
        trial = max(clock() - t0, 1e-9)
        number = max(1, int(np.ceil(min_repeat_time / trial)))
    else:
        number = positive_int(number, "number")
    times = []
    for _ in range(repeats):
        t0 = clock()
        for _ in range(number):
            fn(*args, **kwargs)
        times.append((clock() - t0) / number)
    t = np.array(times)
    return Timing(float(np.median(t)), float(np.percentile(t, 90)), float(t.min()), repeats,
                  number)


def fit_linear_time(sizes, seconds) -> float:
    """Least-squares ``c`` in ``t ≈ c · m`` (time proportional to size, through the origin).

    Use it to extrapolate a loop whose cost per example is fixed; label the
    result as an estimate.

    Parameters
    ----------
    sizes, seconds : array_like, shape (k,)
        Measured sizes ``m`` and times in seconds.

    Returns
    -------
    float
        Seconds per unit of size.
    """
    m = as_vector(sizes, "sizes")
    t = as_vector(seconds, "seconds", length=m.size)
    if (m <= 0).any() or (t < 0).any():
        raise ValueError("sizes must be > 0 and seconds >= 0.")
    return float(np.sum(m * t) / np.sum(m * m))


def describe_growth(sizes, seconds, *, what: str = "the time") -> str:
    """A sentence on how measured times grow between the two largest sizes.

    "In proportion" means within a factor 1.5 of the size ratio; the sentence
    says which way it departs otherwise, with the measured factors.

    Parameters
    ----------
    sizes, seconds : array_like, shape (k,), k >= 2
        Increasing sizes and the time measured at each.
    what : str
        What the times are, for the sentence.
    """
    n = as_vector(sizes, "sizes", min_length=2)
    t = as_vector(seconds, "seconds", length=n.size)
    if (n <= 0).any() or (t <= 0).any() or (np.diff(n) <= 0).any():
        raise ValueError("sizes must be increasing and > 0, and seconds > 0.")
    growth, step = t[-1] / t[-2], n[-1] / n[-2]
    factors = f"×{growth:.1f} for ×{step:.0f} the samples"
    if growth > 1.5 * step:
        how = (f"more than in proportion to n ({factors}): at this size the data no longer fit in "
               "the processor's fastest caches, which is a common cause")
    elif growth < step / 1.5:
        how = (f"less than in proportion to n ({factors}): the fixed cost of each call still "
               "matters at this size")
    else:
        how = f"about in proportion to n ({factors})"
    return f"From n = {n[-2]:,.0f} to n = {n[-1]:,.0f}, {what} grew {how}."


def format_seconds(seconds: float) -> str:
    """A duration in the most readable unit: ``'3.2 µs'``, ``'41 ms'``, ``'2.5 s'``, ``'4.1 min'``."""
    s = float(seconds)
    if not np.isfinite(s) or s < 0:
        raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}.")
    for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3)):
        if s < 999.5 * scale:           # 999.7 µs would print as "1e+03 µs"
            return f"{s / scale:.3g} {unit}"
    if s < 119.5:
        return f"{s:.3g} s"
    if s < 7170:
        return f"{s / 60:.3g} min"
    return f"{s / 3600:.3g} h"


@dataclass
class ScalingTable:
    """Times of several implementations over a range of sizes, measured or estimated.

    Built by :func:`scaling_table`. ``seconds[name][k]`` is the time of one call of
    implementation ``name`` at ``sizes[k]``: the median of the repeats where it was
    measured, ``c · m`` from :func:`fit_linear_time` where ``estimated[name][k]``.
    ``spread[name][k]`` is (best, 90th percentile) of the repeats, or None for an estimate.
    """

    sizes: list
    seconds: dict
    estimated: dict
    spread: dict

    def speedup(self, slow: str, fast: str) -> np.ndarray:
        """``seconds[slow] / seconds[fast]`` at every size."""
        return np.array(self.seconds[slow]) / np.array(self.seconds[fast])

    def text(self, slow: str, fast: str) -> str:
        """The table as the notebooks print it: one row per size, ``~`` marks an estimate."""
        names = list(self.seconds)
        head = "        m | " + " | ".join(f"{n:>11}" for n in names)
        lines = [head + f" | speed-up ({slow} / {fast})"]
        ratio = self.speedup(slow, fast)
        for k, size in enumerate(self.sizes):
            cells = [("~" if self.estimated[n][k] else " ")
                     + f"{format_seconds(self.seconds[n][k]):>10}" for n in names]
            note = ("  (~ = ESTIMATE, t = c·m)" if any(self.estimated[n][k] for n in names)
                    else "")
            lines.append(f"{size:>9,} | " + " | ".join(cells) + f" | {_times(ratio[k]):>11}{note}")
        return "\n".join(lines)

    def describe_speedup(self, slow: str, fast: str) -> str:
        """A sentence about how the speed-up changes with m, made from these measurements."""
        ratio = self.speedup(slow, fast)
        peak = int(np.argmax(ratio))
        last = len(ratio) - 1

        def at(k):
            guess = any(self.estimated[n][k] for n in (slow, fast))
            return f"m = {self.sizes[k]:,}" + (" (from an estimate)" if guess else "")
        text = (f"Measured here, the speed-up goes from {_times(ratio[0])} at {at(0)} to a peak "
                f"of {_times(ratio[peak])} at {at(peak)}")
        if peak == last:
            text += ", the largest size."
        elif ratio[last] < 0.8 * ratio[peak]:
            text += f", then falls to {_times(ratio[last])} at {at(last)}, the largest size."
        else:
            text += f", and is {_times(ratio[last])} at {at(last)}, the largest size."
        spreads = [p90 / best - 1 for n in self.spread for s in self.spread[n] if s is not None
                   for best, p90 in [s] if best > 0]
        if spreads:
            text += (f" Repeats of one measurement differed by up to {100 * max(spreads):.0f} % "
                     "(90th percentile against the fastest), so another run, or another "
                     "machine, draws a somewhat different curve.")
        return text


def _times(ratio: float) -> str:
    """A speed-up factor: ``'0.4x'``, ``'3.5x'``, ``'62x'``."""
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


def scaling_table(stages: dict, sizes, make_args: Callable, *, measure_up_to=None,
                  repeats: int = 5) -> ScalingTable:
    """Time each of ``stages`` at every size; estimate the slow ones beyond their limit.

    Parameters
    ----------
    stages : dict of str to callable
        The implementations, each called as ``fn(*make_args(m))``.
    sizes : sequence of int
        The sizes m, increasing.
    make_args : callable
        ``make_args(m)`` returns the arguments for size m (called once per size).
    measure_up_to : dict of str to int, optional
        For a stage listed here, the largest m that is measured; larger sizes are
        estimated as ``c · m`` from a fit to its measured times (:func:`fit_linear_time`),
        which is right for code whose cost per example is fixed.
    repeats : int
        Repeats per measurement (:func:`median_time`).

    Returns
    -------
    ScalingTable
    """
    if not isinstance(stages, dict) or not stages:
        raise ValueError("stages must be a non-empty dict of name -> function.")
    limits = dict(measure_up_to or {})
    unknown = set(limits) - set(stages)
    if unknown:
        raise ValueError(f"measure_up_to names {sorted(unknown)}, which are not in stages "
                         f"{list(stages)}.")
    sizes = [positive_int(s, "sizes") for s in sizes]
    seconds = {name: [] for name in stages}
    estimated = {name: [] for name in stages}
    spread = {name: [] for name in stages}
    for size in sizes:
        args = make_args(size)
        for name, fn in stages.items():
            if size > limits.get(name, size):
                seconds[name].append(float("nan"))
                estimated[name].append(True)
                spread[name].append(None)
            else:
                t = median_time(fn, *args, repeats=repeats)
                seconds[name].append(t.median)
                estimated[name].append(False)
                spread[name].append((t.best, t.p90))
    for name in limits:
        measured = [(s, t) for s, t, e in zip(sizes, seconds[name], estimated[name]) if not e]
        if not measured:
            raise ValueError(f"{name} is not measured at any size: raise measure_up_to[{name!r}].")
        c = fit_linear_time([s for s, _ in measured], [t for _, t in measured])
        seconds[name] = [c * s if e else t for s, t, e in zip(sizes, seconds[name],
                                                               estimated[name])]
    return ScalingTable(sizes, seconds, estimated, spread)
