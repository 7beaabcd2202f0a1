"""Measure a command's wall time and peak memory, counting its whole process tree.

Usage (from the repository root)::

    python tests/e2e/measure_suite.py -- python -m pytest tests/e2e -n 0 -q

Every 0.25 s it sums the memory of the command and all its descendants
(JupyterLab, kernels, Playwright's driver, every Chromium process): RSS
(counts shared pages once per process, so it overstates) and PSS (shares
them out, the honest total). It prints the peaks, the wall time, the most
processes seen at once, and then any process seen during the run that is
still alive after the command exited (a server or browser the tests failed
to stop), which makes it exit non-zero.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time

import psutil

MiB = 1024 * 1024


def tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")

    start = time.perf_counter()
    proc = subprocess.Popen(command)
    root = psutil.Process(proc.pid)
    peak = {"rss": 0, "pss": 0, "procs": 0}
    seen: dict[int, tuple[float, str]] = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss = pss = 0
            procs = tree(root)
            for p in procs:
                try:
                    info = p.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                    seen.setdefault(p.pid, (p.create_time(), " ".join(p.cmdline()[:3])[:100]))
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    pass
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            peak["procs"] = max(peak["procs"], len(procs))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()

    time.sleep(1.0)  # let exiting children be reaped
    left = []
    for pid, (created, cmd) in seen.items():
        try:
            p = psutil.Process(pid)
            if abs(p.create_time() - created) < 0.01 and p.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{pid} {cmd}")
        except psutil.NoSuchProcess:
            pass

    print(f"wall time            {wall:8.1f} s")
    print(f"peak PSS, all procs  {peak['pss'] / MiB:8.0f} MiB")
    print(f"peak RSS, all procs  {peak['rss'] / MiB:8.0f} MiB (shared pages counted per process)")
    print(f"most processes       {peak['procs']:8d}")
    print(f"processes seen       {len(seen):8d}; still running after exit: {len(left)}")
    for line in left:
        print("  LEFT RUNNING:", line)
    print(f"exit code            {code:8d}")
    return code or (3 if left else 0)


if __name__ == "__main__":
    sys.exit(main())
