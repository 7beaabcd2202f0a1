"""How long each notebook takes to run, and how fast each explorer redraws.

Usage (from anywhere, in the course environment)::

    python benchmarks/notebooks.py                   # every notebook, then every explorer
    python benchmarks/notebooks.py --only-notebooks notebooks/03_vectorization.ipynb
    python benchmarks/notebooks.py --only-widgets --redraws 40

Notebooks: every ``*.ipynb`` under ``notebooks/`` (including ``notebooks/solutions/``)
is executed top to bottom in a fresh kernel with nbclient, from its own folder, one after
the other; the file is never written. The wall time includes starting and stopping the
kernel, as a learner's "Restart and run all" does. Floor: 20 s per notebook.

Explorers: every entry of ``gdcourse.widgets.ALL`` (name -> (factory, control, value)) is
built, then its control is set alternately to the registered value and back, ``--redraws``
times after one warm-up change. Each time is measured from setting ``.value`` until the
change handler has returned, which is when the image and the readout have been updated
(the explorers redraw synchronously). Floor: median 60 ms. The table gives, per explorer,
the median, the 90th percentile, the largest and the number n of timed redraws (wall
time, what a learner waits), and the median CPU time of this thread (the part that does
not grow when other processes compete for the CPUs).

The figures depend on the machine and on what else runs on it, so the machine's load
(``os.getloadavg()``: runnable processes averaged over 1, 5 and 15 minutes) and its number
of CPUs are printed beside the table, before and after the explorers are timed; run on a
quiet machine (load well below the CPU count) for numbers worth comparing. Exit status 1 if a notebook fails to run or an explorer does
not redraw; with ``--strict`` also if a floor is broken.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_FLOOR_S = 20.0
REDRAW_FLOOR_MS = 60.0


def find_notebooks(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p).resolve() for p in paths]
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def run_notebook(path: Path, timeout: int) -> tuple[float, str]:
    """Execute a copy of the notebook in a fresh kernel; return (seconds, error or "")."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    from gdcourse.kernels import execute_notebook

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    start = time.perf_counter()
    error = ""
    try:
        execute_notebook(nb, path.parent, timeout=timeout)
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1][:100] if str(exc).strip() else type(exc).__name__
    except Exception as exc:  # kernel died, timeout, ...
        error = f"{type(exc).__name__}: {exc}"[:100]
    return time.perf_counter() - start, error


def bench_notebooks(paths: list[Path], timeout: int) -> tuple[bool, bool]:
    print(f"Notebooks: fresh kernel each, run one after the other (floor {NOTEBOOK_FLOOR_S:.0f} s)")
    width = max([len(str(p.relative_to(ROOT))) if p.is_relative_to(ROOT) else len(str(p))
                 for p in paths] + [8])
    print(f"{'notebook':<{width}}  {'wall time':>9}  verdict")
    ok, within = True, True
    total = 0.0
    for path in paths:
        name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        seconds, error = run_notebook(path, timeout)
        total += seconds
        if error:
            ok = False
            verdict = f"FAILED: {error}"
        elif seconds > NOTEBOOK_FLOOR_S:
            within = False
            verdict = f"OVER the {NOTEBOOK_FLOOR_S:.0f} s floor"
        else:
            verdict = "ok"
        print(f"{name:<{width}}  {seconds:>7.1f} s  {verdict}", flush=True)
    print(f"{'total':<{width}}  {total:>7.1f} s")
    return ok, within


def machine_load() -> str:
    """The load averages over 1, 5 and 15 minutes and the CPU count, as one line."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):                 # not available on Windows
        return f"load average: not available on this system; {os.cpu_count()} CPUs"
    return (f"load average {one:.2f} (1 min), {five:.2f} (5 min), {fifteen:.2f} (15 min) "
            f"on {os.cpu_count()} CPUs")


def bench_widgets(redraws: int, only: list[str]) -> tuple[bool, bool]:
    from gdcourse import widgets

    names = [n for n in widgets.ALL if not only or n in only]
    unknown = sorted(set(only) - set(widgets.ALL))
    if unknown:
        print(f"unknown explorer(s): {unknown}; registered: {sorted(widgets.ALL)}")
        return False, True
    print(f"\nExplorers: {redraws} redraws each after alternating value changes "
          f"(floor: median {REDRAW_FLOOR_MS:.0f} ms)")
    print(f"before: {machine_load()}")
    nw = max(len("explorer"), *(len(n) for n in names))
    print(f"{'explorer':<{nw}} {'control':<16} {'build':>8} {'median':>8} {'p90':>8} {'max':>8} "
          f"{'n':>4} {'cpu':>8}  verdict")
    ok, within = True, True
    for name in names:
        factory, control, new_value = widgets.ALL[name]
        t0 = time.perf_counter()
        explorer = factory()
        build_ms = 1000 * (time.perf_counter() - t0)
        widget = explorer.controls[control]
        values = [new_value, widget.value]
        if values[0] == values[1]:
            print(f"{name:<{nw}} {control:<16} sample value {new_value!r} equals the current one: "
                  "no change to time")
            ok = False
            continue
        widget.value = values[0]                      # warm-up (caches, first draw of a path)
        times, cpu = [], []
        broken = False
        for k in range(redraws):
            before = (explorer.readout.value, explorer.image.value)
            t, c = time.perf_counter(), time.thread_time()
            widget.value = values[(k + 1) % 2]
            times.append(1000 * (time.perf_counter() - t))
            cpu.append(1000 * (time.thread_time() - c))
            if (explorer.readout.value, explorer.image.value) == before:
                broken = True
        times.sort()
        median = statistics.median(times)
        p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
        if broken:
            ok = False
            verdict = "FAILED: a change did not update the image or readout"
        elif median > REDRAW_FLOOR_MS:
            within = False
            verdict = f"OVER the {REDRAW_FLOOR_MS:.0f} ms floor"
        else:
            verdict = "ok"
        print(f"{name:<{nw}} {control:<16} {build_ms:>6.0f}ms {median:>6.1f}ms {p90:>6.1f}ms "
              f"{times[-1]:>6.1f}ms {len(times):>4} {statistics.median(cpu):>6.1f}ms  {verdict}",
              flush=True)
    print(f"after:  {machine_load()}")
    return ok, within


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="notebooks to run (default: all under notebooks/)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--only-notebooks", action="store_true", help="skip the explorers")
    group.add_argument("--only-widgets", action="store_true", help="skip the notebooks")
    parser.add_argument("--widget", action="append", default=[],
                        help="time only this explorer (repeatable)")
    parser.add_argument("--redraws", type=int, default=20, help="timed redraws per explorer")
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is broken")
    args = parser.parse_args(argv)
    if args.redraws < 1:
        parser.error("--redraws must be >= 1")
    ok, within = True, True
    if not args.only_widgets:
        paths = find_notebooks(args.paths)
        if not paths:
            print("no notebooks found")
        else:
            a, b = bench_notebooks(paths, args.timeout)
            ok, within = ok and a, within and b
    if not args.only_notebooks:
        a, b = bench_widgets(args.redraws, args.widget)
        ok, within = ok and a, within and b
    return 0 if ok and (within or not args.strict) else 1


if __name__ == "__main__":
    sys.exit(main())
