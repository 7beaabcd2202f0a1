"""Loop vs vectorized logistic-regression gradients, and the vectorized code vs its floor.

Run:  python benchmarks/vectorization.py            (a few seconds)
      python benchmarks/vectorization.py --quick    (fewer repeats, smaller sizes)

What is timed, on the same random problem (``n_x = 2`` features, ``m`` examples,
``X ~ N(0, 1)``, labels 0/1, ``w ~ N(0, 1)``, ``b = 0.1``):

loop
    ``gdcourse.logistic.propagate_loops``: the course's two-loop teaching version
    (a Python loop over the examples, one over the features). Timed only up to
    m = 100,000; beyond that one call takes over a second, so the table says
    "skipped" and shows a linear extrapolation instead.
vectorized
    ``gdcourse.logistic.propagate``: the course's public function, with its input
    validation (shapes, finiteness, 0/1 labels) and its overflow-free formulas.
floor
    The least a plain-NumPy program must do to produce the same outputs (cost, dw,
    db): the textbook vectorized code ::

        Z = w.T @ X + b
        A = 1 / (1 + np.exp(-Z))
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        dZ = A - Y
        dw = X @ dZ.T / m
        db = np.sum(dZ) / m

    with no validation and no stability handling: it overflows for z < -709 and
    returns NaN/inf once a prediction rounds to 0 or 1, so it is *not* warning-free
    at the extremes (the benchmark data keep |z| small, where it is correct). It is
    the honest yardstick for "validation and stability must not make the hot path
    slow": ``vectorized / floor`` is the price of both.

Each figure is the median of repeated calls timed with ``time.perf_counter``; the
vectorized and floor calls alternate, so a burst of load from other processes hits
both alike. Before timing, the three versions are checked to give the same answer.

Targets (on the 2-core course machine): speedup >= 50x at m = 100,000 and
vectorized/floor <= 1.3 at m = 1,000,000. The last lines say whether each is met.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import time

import numpy as np

from gdcourse import logistic

N_X = 2
LOOP_MAX_M = 100_000                     # the largest m at which the loop version is timed
SPEEDUP_AT, SPEEDUP_TARGET = 100_000, 50.0
FLOOR_AT, FLOOR_TARGET = 1_000_000, 1.3


def textbook(w, b, X, Y):
    """The floor: textbook vectorized NumPy, no validation, no stability handling."""
    m = X.shape[1]
    Z = w.T @ X + b
    A = 1 / (1 + np.exp(-Z))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dZ = A - Y
    dw = X @ dZ.T / m
    db = np.sum(dZ) / m
    return {"dw": dw, "db": db}, cost


def problem(m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_X, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = rng.standard_normal((N_X, 1))
    return w, 0.1, X, Y


def time_calls(functions, args, repeats: int) -> list[float]:
    """Median seconds per call of each function; calls interleaved round-robin."""
    samples = [[] for _ in functions]
    for f in functions:                      # warm-up (first-touch of memory, caches)
        f(*args)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for k, f in enumerate(functions):
                t0 = time.perf_counter()
                f(*args)
                samples[k].append(time.perf_counter() - t0)
    finally:
        if gc_was_enabled:
            gc.enable()
    return [statistics.median(s) for s in samples]


def check_same_answer(args) -> None:
    g_vec, J_vec = logistic.propagate(*args)
    g_ref, J_ref = textbook(*args)
    assert abs(J_vec - J_ref) <= 1e-12 * max(1.0, abs(J_ref)), (J_vec, J_ref)
    np.testing.assert_allclose(g_vec["dw"], g_ref["dw"], rtol=1e-10, atol=1e-14)
    assert abs(g_vec["db"] - g_ref["db"]) <= 1e-12


def repeats_for(m: int, quick: bool) -> int:
    base = 5 if quick else 21
    return base if m >= 100_000 else base * 5


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.3f}" if seconds < 1 else f"{seconds * 1e3:,.0f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes")
    opts = parser.parse_args(argv)
    sizes = [1_000, 100_000, 1_000_000] if opts.quick else [
        100, 1_000, 10_000, 100_000, 1_000_000]

    print("Logistic-regression cost + gradients, n_x = 2 features; median of repeated calls")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("n/a",) * 3
    print(f"numpy {np.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s), load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print()
    header = ["m", "loop (ms)", "vectorized (ms)", "speedup", "floor (ms)", "vectorized/floor"]
    rows, results = [], {}
    loop_per_example = None
    for m in sizes:
        args = problem(m)
        check_same_answer(args)
        if m <= LOOP_MAX_M:
            g_loop, J_loop = logistic.propagate_loops(*args)
            g_vec, J_vec = logistic.propagate(*args)
            assert abs(J_loop - J_vec) <= 1e-12 and np.allclose(g_loop["dw"], g_vec["dw"],
                                                                  rtol=0, atol=1e-12)
            loop_repeats = 3 if m >= 100_000 else (5 if m >= 10_000 else 15)
            (t_loop,) = time_calls([logistic.propagate_loops], args, loop_repeats)
            loop_per_example = t_loop / m
            loop_text = ms(t_loop)
        else:
            t_loop = None
            estimate = loop_per_example * m if loop_per_example else float("nan")
            loop_text = f"skipped (~{estimate:.1f} s est.)"
        t_vec, t_floor = time_calls([logistic.propagate, textbook], args, repeats_for(m, opts.quick))
        speedup = t_loop / t_vec if t_loop is not None else None
        ratio = t_vec / t_floor
        results[m] = (speedup, ratio)
        rows.append([f"{m:,}", loop_text, ms(t_vec),
                     f"{speedup:,.0f}x" if speedup is not None else "—",
                     ms(t_floor), f"{ratio:.2f}"])

    widths = [max(len(r[j]) for r in [header] + rows) for j in range(len(header))]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    print()
    print("floor = textbook NumPy (Z = w.T@X + b, sigmoid via exp, cost via two logs, "
          "dZ = A - Y, dw, db): no validation, not overflow-safe.")

    verdicts = []
    if SPEEDUP_AT in results and results[SPEEDUP_AT][0] is not None:
        s = results[SPEEDUP_AT][0]
        verdicts.append(f"speedup at m = {SPEEDUP_AT:,}: {s:,.0f}x (target >= {SPEEDUP_TARGET:.0f}x): "
                        f"{'MET' if s >= SPEEDUP_TARGET else 'NOT MET'}")
    else:
        verdicts.append(f"speedup at m = {SPEEDUP_AT:,}: not measured")
    if FLOOR_AT in results:
        r = results[FLOOR_AT][1]
        verdicts.append(f"vectorized/floor at m = {FLOOR_AT:,}: {r:.2f} (target <= {FLOOR_TARGET}): "
                        f"{'MET' if r <= FLOOR_TARGET else 'NOT MET'}")
    else:
        verdicts.append(f"vectorized/floor at m = {FLOOR_AT:,}: not measured")
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
