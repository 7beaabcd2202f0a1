"""Grade many submissions, several at a time, with a progress line per submission."""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .grade import MAX_SCORE, Settings, blank_entries, grade_submission
from .guard import FileGuard
from .sandbox import sandbox_for

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
               progress=None, sandbox="auto") -> list:
    """Grade each path (see :func:`expand_paths`); results in the order of the paths.

    ``jobs`` > 1 grades that many submissions at once, each in its own worker
    process with its own kernel. ``progress(done, total, record)`` is called
    as each submission finishes.

    Every submission file is copied before grading starts; any file that code in
    a submission changed is put back afterwards (:class:`~gdcourse.grader.guard.FileGuard`)
    and every record gets a ``warnings`` list naming the files restored.

    ``sandbox`` is ``"auto"``, ``"bwrap"`` or ``"none"`` (see
    :func:`~gdcourse.grader.grade.grade_submission`); in a sandbox, every kernel is kept from
    seeing any hand-in of the batch and the batch's scratch folder.
    """
    files = expand_paths(paths)
    scratch = tempfile.mkdtemp(prefix="gdcourse-batch-")
    try:
        box = sandbox_for(sandbox, settings, hidden=[*files, scratch])
        with FileGuard(files) as guard:
            results = _grade_all(files, seed, settings, jobs, progress, guard.content, scratch,
                                 "none" if box is None else box)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)     # what a killed grading left, too
    note = [f"submission file changed during grading by code in a submission and restored: "
            f"{p}" for p in guard.restored]
    note += [f"something took a submission file's place during grading; it was moved to {p}"
             for p in guard.moved_aside]
    for record in results:
        record["warnings"] = list(note)
    return results


def _grader_problem(path, what: str) -> dict:
    """The record of a submission whose grading failed for a reason outside its score."""
    return {"submission": str(path), "status": "error", "error": what, "score": 0.0,
            "max_score": MAX_SCORE, "time": 0.0, "exercises": blank_entries("not graded."),
            "cells": []}


def _grade_safely(path, seed, settings, data, scratch=None, sandbox="auto") -> dict:
    """:func:`grade_submission`, with any exception turned into that submission's record."""
    try:
        return grade_submission(path, seed, settings, data, scratch=scratch, sandbox=sandbox)
    except Exception as exc:  # noqa: BLE001 - one hand-in must never stop the batch
        return _grader_problem(path, f"grader problem while grading this submission: "
                                     f"{type(exc).__name__}: {exc}"[:400])


def _grade_all(files, seed, settings, jobs, progress, content, scratch, box) -> list:
    total = len(files)
    results: list = [None] * total
    done = 0

    def finish(i, record):
        nonlocal done
        results[i] = record
        done += 1
        if progress:
            progress(done, total, record)

    if jobs <= 1 or total <= 1:
        for i, path in enumerate(files):
            finish(i, _grade_safely(path, seed, settings, content(path), scratch, box))
        return results
    context = multiprocessing.get_context("spawn")
    lost = []                  # submissions whose worker died (perhaps killed by another one)
    with ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=context) as pool:
        futures = {pool.submit(_grade_safely, path, seed, settings, content(path), scratch,
                               box): i
                   for i, path in enumerate(files)}
        for future in as_completed(futures):
            try:
                finish(futures[future], future.result())
            except Exception:  # noqa: BLE001 - a worker died: retry that submission alone
                lost.append(futures[future])
    for i in sorted(lost):
        # Alone in a pool of its own, so only its own code can kill the worker now.
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                record = pool.submit(_grade_safely, files[i], seed, settings,
                                     content(files[i]), scratch, box).result()
            except Exception as exc:  # noqa: BLE001
                record = _grader_problem(
                    files[i], "its grading process died, twice, the second time with nothing "
                              f"else running ({type(exc).__name__}): code in the submission "
                              "probably killed it")
        finish(i, record)
    return results
