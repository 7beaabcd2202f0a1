"""``python -m gdcourse grade``: grade notebooks from the command line."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from .batch import expand_paths, grade_many, progress_printer
from .grade import Settings
from .report import run_info, table, to_csv, to_json
from .sandbox import MODES, Limits, SandboxUnavailable, describe, resolve

__all__ = ["add_parser", "run"]

DESCRIPTION = """\
Grade submitted copies of notebooks/07_exercises.ipynb. Each submission runs in a fresh
kernel (per-cell and per-call timeouts); the learner's functions are called by name on
hidden cases drawn from --seed, and judged in this process. Folders are searched for
*.ipynb files. The submission files are only read, never written.

On Linux with bubblewrap (bwrap) each kernel runs in a sandbox: no network, the system
read-only, no hand-in visible, a private /tmp, its own processes (gone when the grading
is), limits on memory, processes, open files, file size and CPU time. Without bwrap
(--sandbox auto says so at the start) learner code runs with your user's rights.

Every submission gets a row in the JSON and CSV, whatever the others did. Exit status:
0 every submission was graded; 3 results were written, but at least one submission has
status "error" (it could not be graded: see its row); 1 no notebooks were found; 2 bad
arguments."""

#: Exit status when results were written but some submissions could not be graded.
SOME_ERRORED = 3

#: The sandbox's limits as options: Settings field, metavar, help.
_LIMITS = (("memory_mb", "MB", "address space of a kernel, in MB"),
           ("max_processes", "N", "processes in a kernel's sandbox at once"),
           ("max_open_files", "N", "open files of a kernel"),
           ("max_file_mb", "MB", "size of any file a kernel writes, in MB"),
           ("cpu_seconds", "S", "CPU seconds of a kernel process"))


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("grade", help="grade submitted exercise notebooks",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="SUBMISSION",
                   help="notebook files, or folders of them")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="grade N submissions at once (default 1; use the number of cores)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed of the hidden cases (default: random, printed and stored in the "
                        "JSON; pass it again to reproduce a grade)")
    p.add_argument("--json", metavar="FILE", help="write full results as JSON ('-' for stdout)")
    p.add_argument("--csv", metavar="FILE", help="write one row per submission as CSV "
                                                 "('-' for stdout)")
    p.add_argument("--cell-timeout", type=float, default=Settings.cell_timeout, metavar="S",
                   help=f"seconds per code cell (default {Settings.cell_timeout:g})")
    p.add_argument("--call-timeout", type=float, default=Settings.call_timeout, metavar="S",
                   help=f"seconds per call of a learner's function (default "
                        f"{Settings.call_timeout:g})")
    for name, unit, what in _LIMITS:
        p.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(Settings, name),
                       metavar=unit, help=f"sandbox limit: {what} (default "
                                          f"{getattr(Settings, name)})")
    p.add_argument("--sandbox", choices=MODES, default="auto",
                   help="auto (default): bubblewrap when it works here, else none; bwrap: "
                        "bubblewrap or exit status 2; none: learner code runs with your "
                        "user's rights")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines on stderr")
    return p


def _write(target: str, text: str) -> None:
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text, encoding="utf-8")


def run(args) -> int:
    files = expand_paths(args.paths)
    if not files:
        print("grade: no notebooks found in " + ", ".join(args.paths), file=sys.stderr)
        return 1
    if args.jobs < 1:
        print("grade: --jobs must be at least 1", file=sys.stderr)
        return 2
    if os.name == "nt":
        print("grade: grading needs Linux or macOS (on Windows, run it in WSL): each kernel "
              "gets its results pipe by file descriptor, which Windows cannot pass on",
              file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    if any(getattr(args, name) < 1 for name, _, _ in _LIMITS):
        print("grade: the sandbox's limits must be at least 1", file=sys.stderr)
        return 2
    settings = Settings(cell_timeout=args.cell_timeout, call_timeout=args.call_timeout,
                        **{name: getattr(args, name) for name, _, _ in _LIMITS})
    try:
        sandbox = resolve(args.sandbox)
    except SandboxUnavailable as exc:
        print(f"grade: --sandbox bwrap: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(describe(args.sandbox, Limits.from_settings(settings)), file=sys.stderr)
        print(f"grading {len(files)} submission(s) with seed {seed}, {args.jobs} at a time",
              file=sys.stderr, flush=True)
    records = grade_many(files, seed, settings, jobs=args.jobs, sandbox=sandbox,
                         progress=None if args.quiet else progress_printer())
    if "-" not in (args.json, args.csv):
        print("\n\n".join(table(r) for r in records))
    if args.json:
        info = run_info(seed, settings, sandbox)
        _write(args.json, json.dumps(to_json(records, info), indent=1, ensure_ascii=False) + "\n")
    if args.csv:
        _write(args.csv, to_csv(records))
    errored = [r["submission"] for r in records if r.get("status") == "error"]
    if errored:
        if not args.quiet:
            print(f"grade: {len(errored)} of {len(records)} submission(s) could not be graded "
                  f"(status 'error'; see their rows): exit status {SOME_ERRORED}",
                  file=sys.stderr)
        return SOME_ERRORED
    return 0
