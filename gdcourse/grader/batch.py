"""Grade many submissions, several at a time, with a progress line per submission."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .grade import MAX_SCORE, Settings, blank_entries, grade_submission
from .guard import FileGuard

__all__ = ["grade_many", "expand_paths", "progress_printer"]


def expand_paths(paths) -> list:
    """Files as given, folders replaced by the ``*.ipynb`` files in them (sorted, recursive).

    Checkpoint copies (``.ipynb_checkpoints``) are left out.
    """
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*.ipynb")
                          if ".ipynb_checkpoints" not in q.parts and q.is_file())
        else:
            out.append(p)
    return out


def progress_printer(stream=None):
    """A progress callback that prints ``[ 3/20] name  score/max  time`` lines."""
    stream = stream or sys.stderr

    def report(done, total, record):
        name = record["submission"]
        width = len(str(total))
        if record["status"] == "error":
            what = f"not graded: {record['error']}"
        else:
            what = f"{record['score']:g}/{record['max_score']:g}"
        print(f"[{done:>{width}}/{total}] {name}  {what}  ({record['time']:.1f} s)", file=stream,
              flush=True)
    return report


def grade_many(paths, seed: int, settings: Settings = Settings(), *, jobs: int = 1,
               progress=None) -> list:
    """Grade each path (see :func:`expand_paths`); results in the order of the paths.

    ``jobs`` > 1 grades that many submissions at once, each in its own worker
    process with its own kernel. ``progress(done, total, record)`` is called
    as each submission finishes.

    Every submission file is copied before grading starts; any file that code in
    a submission changed is put back afterwards (:class:`~gdcourse.grader.guard.FileGuard`)
    and every record gets a ``warnings`` list naming the files restored.
    """
    files = expand_paths(paths)
    with FileGuard(files) as guard:
        results = _grade_all(files, seed, settings, jobs, progress, guard.content)
    note = [f"submission file changed during grading by code in a submission and restored: "
            f"{p}" for p in guard.restored]
    for record in results:
        record["warnings"] = list(note)
    return results


def _grade_all(files, seed, settings, jobs, progress, content) -> list:
    total = len(files)
    results: list = [None] * total
    if jobs <= 1 or total <= 1:
        for i, path in enumerate(files):
            results[i] = grade_submission(path, seed, settings, content(path))
            if progress:
                progress(i + 1, total, results[i])
        return results
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=context) as pool:
        futures = {pool.submit(grade_submission, path, seed, settings, content(path)): i
                   for i, path in enumerate(files)}
        for done, future in enumerate(as_completed(futures), start=1):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died: report, keep going
                results[i] = {"submission": str(files[i]), "status": "error",
                              "error": f"grader problem (not the submission's fault): {exc}",
                              "score": 0.0, "max_score": MAX_SCORE, "time": 0.0,
                              "exercises": blank_entries("not graded."), "cells": []}
            if progress:
                progress(done, total, results[i])
    return results
