"""How long grading takes: one submission, 20 with --jobs 1 and 2, and what the sandbox costs.

Usage (from the repository root, in the course environment)::

    python benchmarks/grading.py            # about two minutes on a 2-core machine

The 20 submissions are copies of ordinary hand-ins from tests/fixtures/submissions (right
answers, classic mistakes, a correct one in another style; none that needs a timeout or a
kernel crash, whose waits would flatter the parallel run) and the solutions notebook. Each is
graded the way ``python -m gdcourse grade`` does it: a fresh kernel per submission, hidden
cases from one seed, in the sandbox when bubblewrap works here (``--sandbox auto``); the 20 are
graded once more with --jobs 1 and no sandbox, to measure what the sandbox costs. The last
lines compare the figures with the project's floors: one submission in at most 3 s, the
sandbox's overhead at most 25 %, and --jobs 2 at least 1.6 times faster than --jobs 1 on 20.
Nothing is asserted about times: the figures depend on the machine and its load.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdcourse.grader import Settings, grade_many, grade_submission  # noqa: E402
from gdcourse.grader.sandbox import Limits, describe, resolve  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
ORDINARY = ["01_correct_different_style", "02_forgot_divide_by_m", "03_transposed_dw",
            "04_missing_b", "05_flipped_sign", "06_one_over_2m", "07_rank1_dw",
            "11_exception", "17_cells_deleted_reordered", "18_calls_reference", "19_hostile",
            "20_mutates_input", "21_stop_rule_signed_change", "22_loop_in_vectorized"]
SOLUTIONS = ROOT / "notebooks" / "solutions" / "07_exercises.ipynb"
SEED = 2026
N = 20
ONE_FLOOR_S = 3.0
OVERHEAD_FLOOR = 0.25
SPEEDUP_FLOOR = 1.6


def make_batch(folder: Path) -> list:
    sources = [FIXTURES / f"{name}.ipynb" for name in ORDINARY] + [SOLUTIONS]
    paths = []
    for i in range(N):
        src = sources[i % len(sources)]
        dst = folder / f"{i + 1:02d}_{src.stem}.ipynb"
        shutil.copy(src, dst)
        paths.append(dst)
    return paths


def main() -> int:
    settings = Settings()
    sandbox = resolve("auto")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    print(f"grader settings: cell timeout {settings.cell_timeout:g} s, call timeout "
          f"{settings.call_timeout:g} s, seed {SEED}")
    print(describe("auto", Limits.from_settings(settings)))
    one = []
    for _ in range(3):
        start = time.perf_counter()
        record = grade_submission(SOLUTIONS, SEED, settings, sandbox=sandbox)
        one.append(time.perf_counter() - start)
    assert record["score"] == record["max_score"], "the solutions notebook should score full marks"
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_batch(Path(tmp))
        walls = {}
        for key, jobs, mode in ((1, 1, sandbox), (2, 2, sandbox), ("plain", 1, "none")):
            start = time.perf_counter()
            records = grade_many(paths, SEED, settings, jobs=jobs, sandbox=mode)
            walls[key] = time.perf_counter() - start
            assert all(r["status"] == "graded" for r in records)
    speedup = walls[1] / walls[2]
    overhead = walls[1] / walls["plain"] - 1
    where = "in the sandbox" if sandbox == "bwrap" else "no sandbox here"
    rows = [
        (f"one submission (solutions notebook, {where}), median of 3",
         f"{statistics.median(one):.2f} s", f"(runs: {', '.join(f'{t:.2f}' for t in one)} s)"),
        (f"{N} submissions, --jobs 1, {where}", f"{walls[1]:.2f} s",
         f"({walls[1] / N:.2f} s each)"),
        (f"{N} submissions, --jobs 2, {where}", f"{walls[2]:.2f} s",
         f"({walls[2] / N:.2f} s each)"),
        (f"{N} submissions, --jobs 1, --sandbox none", f"{walls['plain']:.2f} s",
         f"({walls['plain'] / N:.2f} s each)"),
        ("overhead of the sandbox (--jobs 1)", f"{100 * overhead:+.1f} %", ""),
        ("speed-up of --jobs 2 over --jobs 1", f"{speedup:.2f}x", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>8}  {note}")
    print()
    ok_one = statistics.median(one) <= ONE_FLOOR_S
    ok_overhead = overhead <= OVERHEAD_FLOOR
    ok_speed = speedup >= SPEEDUP_FLOOR
    print(f"floor: one submission <= {ONE_FLOOR_S:g} s ... {'met' if ok_one else 'NOT MET'}")
    print(f"floor: sandbox overhead <= {100 * OVERHEAD_FLOOR:g} % ... "
          f"{'met' if ok_overhead else 'NOT MET'}"
          + ("" if sandbox == "bwrap" else " (no sandbox here: nothing measured)"))
    print(f"floor: --jobs 2 >= {SPEEDUP_FLOOR:g}x faster than --jobs 1 on {N} ... "
          f"{'met' if ok_speed else 'NOT MET'}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
