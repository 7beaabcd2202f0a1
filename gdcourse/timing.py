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

__all__ = ["Timing", "median_time", "fit_linear_time", "format_seconds"]


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
