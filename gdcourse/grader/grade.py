"""Grade submitted notebooks of notebook 07.

For each submission:

1. read the code cells (read-only; a file that is not a notebook gets a
   clear error and nothing else happens);
2. start a fresh kernel, load the grader's agent into it, then run the
   learner's code cells one by one, each with a timeout, going on after
   errors; a cell that kills the kernel or cannot be stopped is noted, the
   kernel is restarted and the cells that worked are replayed;
3. for each exercise, ask the agent to call the learner's function *by name*
   on hidden cases drawn now from the seed (copies, per-call timeout, output
   discarded, reference functions guarded) and to send back plain data;
4. judge that data here, against the package's reference results computed
   here, with the same messages as the instant checks; check the source for
   calls to the reference implementation and, where asked, for loops.

A broken exercise costs that exercise only. The grade of one submission is
a plain dict (see :func:`grade_submission`), ready for JSON.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..exercises import EXERCISES, source
from ..exercises.hints import blame
from ..exercises.judging import called_tasks, forbidden_for, judge_call, summarize
from ..exercises.values import encode
from .kernel import KernelSession, KernelStartError
from .sandbox import sandbox_for
from .submission import SubmissionError, read_code_cells

__all__ = ["Settings", "grade_submission", "rng_for", "MAX_SCORE"]

MAX_SCORE = float(sum(e.points for e in EXERCISES))
_RESULTS_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Limits of one grading run.

    Timeouts are in seconds. The resource limits apply to each kernel in a sandbox
    (:mod:`~gdcourse.grader.sandbox`; without one, none of them applies): address space
    (``memory_mb``), processes at once (``max_processes``), open files (``max_open_files``),
    size of any file written (``max_file_mb``) and CPU time of one kernel process
    (``cpu_seconds``; a restarted kernel starts again from 0).
    """

    cell_timeout: float = 10.0
    call_timeout: float = 2.0
    startup_timeout: float = 60.0
    max_restarts: int = 6
    memory_mb: int = 4096
    max_processes: int = 64
    max_open_files: int = 512
    max_file_mb: int = 100
    cpu_seconds: int = 300


def rng_for(seed: int, index: int) -> np.random.Generator:
    """The generator of exercise ``index``'s hidden cases for a run with ``seed``."""
    return np.random.default_rng([int(seed), int(index)])


class _GiveUp(Exception):
    """Too many kernel restarts: stop running code for this submission."""


class _Runner:
    def __init__(self, session: KernelSession, nb, settings: Settings, forbidden):
        self.ks = session
        self.nb = nb
        self.settings = settings
        self.forbidden = sorted(set(forbidden))
        self.good: list = []                 # cells to replay after a restart
        self.log: dict = {}                  # cell number -> {"status", "message"}

    def boot(self) -> None:
        code = ("import gdcourse.grader.kernel_side as _gdcourse_agent\n"
                f"_gdcourse_agent.bootstrap({self.forbidden!r})\n"
                "del _gdcourse_agent\n")
        r = self.ks.execute(code, self.settings.startup_timeout, silent=True)
        if r.status != "ok":
            raise KernelStartError(f"could not load the grader's agent into the kernel: "
                                   f"{r.ename}: {r.evalue}")

    def recover(self) -> None:
        if self.ks.restarts >= self.settings.max_restarts:
            raise _GiveUp()
        self.ks.restart()
        self.boot()
        for cell in list(self.good):
            r = self.ks.execute(cell.source, self.settings.cell_timeout)
            if r.kernel_lost or r.status == "timeout":
                self.good.remove(cell)
                self._note(cell, r)
                if r.kernel_lost:
                    self.recover()
                    return

    def _note(self, cell, r) -> None:
        t = self.settings.cell_timeout
        if r.status == "dead":
            why = f"{r.why}." if r.why else "(os._exit, a fatal error or out of memory)."
            self.log[cell.number] = {"status": "crashed",
                                     "message": f"the kernel died while this cell ran {why}"}
        elif r.status == "stuck":
            self.log[cell.number] = {"status": "timeout", "message": f"did not finish within "
                                     f"{t:g} s and could not be interrupted; kernel restarted."}
        elif r.status == "timeout":
            self.log[cell.number] = {"status": "timeout",
                                     "message": f"did not finish within {t:g} s (interrupted)."}
        elif r.status == "error":
            self.log[cell.number] = {"status": "error",
                                     "message": f"raised {r.ename}: {r.evalue}"[:300]}
        else:
            self.log[cell.number] = {"status": "ok", "message": ""}
        if r.output_chars > 100_000:
            entry = self.log[cell.number]
            note = f"printed {r.output_chars:,} characters (only the first few were kept)."
            entry["message"] = f"{entry['message']} {note}" if entry["message"] else note

    def run_cells(self) -> None:
        for cell in self.nb.cells:
            if not cell.source.strip():            # an empty cell: nothing to send the kernel
                self.log[cell.number] = {"status": "ok", "message": ""}
                continue
            if cell.display_only:
                self.log[cell.number] = {"status": "skipped", "message": ""}
                continue
            if cell.syntax_error:
                self.log[cell.number] = {"status": "error", "message": cell.syntax_error}
                continue
            r = self.ks.execute(cell.source, self.settings.cell_timeout)
            self._note(cell, r)
            if r.kernel_lost:
                self.recover()
            elif r.status != "timeout":
                self.good.append(cell)

    def call_exercise(self, ex, cases, out_path: Path) -> tuple[list, object]:
        """Records written by the agent, and the ExecResult of the request."""
        request = {"name": ex.name, "forbidden": list(forbidden_for(ex)),
                   "timeout": self.settings.call_timeout,
                   "cases": [[encode(a) for a in c.args] for c in cases]}
        n_calls = len(cases)
        if ex.structure:
            small, large = ex.probe()
            request["probe"] = [[encode(a) for a in small], [encode(a) for a in large]]
            n_calls += 2
        code = ("__import__('sys').modules['gdcourse.grader.kernel_side'].run_exercise("
                f"{json.dumps(request, allow_nan=True)!r}, {str(out_path)!r})")
        budget = self.settings.call_timeout * n_calls + 10.0
        watchdog = _Watchdog(out_path, self.settings.call_timeout + 1.0)
        r = self.ks.execute(code, budget, silent=True, watchdog=watchdog)
        records = _read_records(out_path)
        if r.kernel_lost:
            self.recover()
        return records, r


class _Watchdog:
    """Spots a call that ignores its own timeout (it swallowed the alarm, or blocked it).

    The agent writes a ``case_start`` line before each call and a result line after it.
    When the last line has been a start for longer than ``limit`` seconds, the call is
    overdue: return its line number, so the session interrupts it (once).
    """

    def __init__(self, path: Path, limit: float):
        self.path = path
        self.limit = limit
        self.size = -1
        self.pending = None            # (line number, time first seen) of an unfinished start

    def __call__(self):
        try:
            size = self.path.stat().st_size
        except OSError:
            return None
        now = time.perf_counter()
        if size != self.size:
            self.size = size
            with open(self.path, "rb") as f:
                lines = f.read().splitlines()
            last = lines[-1] if lines else b""
            started = b'"case_start"' in last or b'"probe_start"' in last
            self.pending = (len(lines), now) if started else None
        if self.pending is not None and now - self.pending[1] > self.limit:
            return self.pending[0]
        return None


def _read_records(path: Path) -> list:
    try:
        with open(path, "rb") as f:
            data = f.read(_RESULTS_LIMIT)
    except OSError:
        return []
    records = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict):
            records.append(item)
    return records


def _why_missing(nb, log, name) -> str:
    cells = nb.cells_defining(name)
    if not cells:
        return (f"no function named `{name}` in the notebook (it is found by name, wherever its "
                "cell is).")
    bad = [(c, log.get(c.number, {})) for c in cells]
    for cell, entry in bad:
        if entry.get("status") in ("error", "timeout", "crashed"):
            return (f"`{name}` is not defined: the cell that defines it (code cell {cell.number}) "
                    f"{'has' if cell.syntax_error else 'failed:'} {entry['message']}").rstrip()
    return f"`{name}` is not defined when the notebook has run (code cell {cells[-1].number})."


def _case_number(record) -> int | None:
    """A record's case index, if it is a plain int (anything else in it is ignored)."""
    k = record.get("case")
    return k if type(k) is int else None


def _judge_safely(ex, case, report) -> dict:
    """:func:`judge_call` on a report from the kernel, which is untrusted data.

    A report the judge cannot read (values of the wrong type, a record that does not
    decode) fails this case with a message saying so, instead of stopping the grading.
    """
    try:
        return judge_call(ex, case, report)
    except Exception as exc:  # noqa: BLE001 - whatever the kernel sent
        return judge_call(ex, case, {"status": "missing", "error": (
            f"the result the kernel sent for this case could not be read "
            f"({type(exc).__name__}); was part of Python or of the grader replaced?")})


def _cases_from_records(ex, cases, records, request_result) -> list:
    by_case = {_case_number(r): r for r in records
               if r.get("kind") == "case" and _case_number(r) is not None}
    started = {_case_number(r) for r in records if r.get("kind") == "case_start"}
    out = []
    crashed_seen = False
    for i, case in enumerate(cases):
        report = by_case.get(i)
        if report is None:
            if i in started and request_result.kernel_lost and not crashed_seen:
                status = "crashed" if request_result.status == "dead" else "timeout"
                report = {"status": status, "error": "did not return and could not be stopped; "
                          "kernel restarted" if status == "timeout" else ""}
                crashed_seen = True
            elif request_result.status == "timeout":
                report = {"status": "timeout", "error": "the grader's time for this exercise ran "
                          "out"}
            else:
                report = {"status": "missing",
                          "error": "not run: the kernel crashed on an earlier case."
                          if crashed_seen else "not run."}
        out.append(_judge_safely(ex, case, report))
    return out


def _grade_exercise(runner, ex, index, seed, folder: Path) -> dict:
    start = time.perf_counter()
    cases = ex.hidden_cases(rng_for(seed, index))
    entry = {"exercise": ex.name, "title": ex.title, "score": 0.0, "max_score": float(ex.points),
             "message": "", "time": 0.0, "cases": []}
    static = runner.nb.reference_uses(ex.name, forbidden_for(ex))
    records, r = runner.call_exercise(ex, cases, folder / f"{index:02d}_{ex.name}.jsonl")
    head = next((x for x in records if x.get("kind") in ("missing", "not_callable")), None)
    if head is not None:
        if head["kind"] == "missing":
            entry["message"] = _why_missing(runner.nb, runner.log, ex.name)
        else:
            entry["message"] = f"`{ex.name}` is a {head.get('type', '?')}, not a function."
        entry["time"] = round(time.perf_counter() - start, 3)
        return entry
    if not records and r.status == "error":
        entry["message"] = (f"the grader could not call `{ex.name}`: {r.ename}: {r.evalue} "
                            "(did the notebook replace parts of Python or of the grader?)")[:400]
        entry["time"] = round(time.perf_counter() - start, 3)
        return entry
    case_results = _cases_from_records(ex, cases, records, r)
    structure = None
    if ex.structure:
        probe = next((x for x in records if x.get("kind") == "probe"), None)
        if probe is None:
            probe = {"status": "error", "error": "the probe did not run"}
        try:
            structure = ex.structure_verdict(probe, runner.nb.loops(ex.name))
        except Exception:  # noqa: BLE001 - a probe record that does not decode
            structure = ex.structure_verdict({"status": "error", "error": "the probe's result "
                                              "could not be read"}, runner.nb.loops(ex.name))
    summary = summarize(ex, case_results, structure=structure, static_reference=static)
    entry.update(score=summary["score"], message=summary["message"], cases=case_results,
                 time=round(time.perf_counter() - start, 3))
    return entry


def _grade_exercise_safely(runner, ex, index, seed, folder: Path) -> dict:
    """:func:`_grade_exercise`; an exception while judging scores this exercise 0, says why."""
    try:
        return _grade_exercise(runner, ex, index, seed, folder)
    except _GiveUp:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted data from the kernel, or a grader bug
        return {"exercise": ex.name, "title": ex.title, "score": 0.0,
                "max_score": float(ex.points), "time": 0.0, "cases": [],
                "message": (f"the grader could not judge this exercise ({type(exc).__name__}: "
                            f"{exc}); the kernel's results were not what the grader expects")[:400]}


def _add_blame(nb, entries: list) -> None:
    """Name the learner's helpers that fail too, in the message of a task that calls them."""
    by_name = {e["exercise"]: e for e in entries}
    for ex in EXERCISES:
        entry = by_name.get(ex.name)
        if entry is None or entry["score"] >= entry["max_score"] or not entry["cases"]:
            continue
        failing = [h for h in called_tasks(ex, nb.calls(ex.name))
                   if h in by_name and by_name[h]["score"] < by_name[h]["max_score"]]
        if failing:
            entry["message"] = " ".join([blame(ex.name, h, where="grade") for h in failing]
                                        + [entry["message"]])


def blank_entries(message: str) -> list:
    return [{"exercise": ex.name, "title": ex.title, "score": 0.0, "max_score": float(ex.points),
             "message": message, "time": 0.0, "cases": []} for ex in EXERCISES]


def grade_submission(path, seed: int, settings: Settings = Settings(),
                     data: bytes | None = None, *, scratch=None, sandbox="auto") -> dict:
    """Grade one notebook; never raises because of the submission's content.

    ``data`` is the notebook's content if it was read beforehand (as
    :func:`~gdcourse.grader.batch.grade_many` does, so that code in one
    submission cannot change what another is graded on). ``scratch`` is the
    folder to make this grading's temporary folder in (default: the system's);
    :func:`~gdcourse.grader.batch.grade_many` passes one it removes at the end,
    so nothing is left behind even when a grading process is killed.

    ``sandbox`` is where the kernel runs: ``"auto"`` (bubblewrap when it works here, else
    no sandbox), ``"bwrap"`` (bubblewrap, or
    :class:`~gdcourse.grader.sandbox.SandboxUnavailable`), ``"none"``, or a
    :class:`~gdcourse.grader.sandbox.Bubblewrap` (as :func:`~gdcourse.grader.batch.grade_many`
    passes, hiding every hand-in of the batch). The submission file is hidden from its
    kernel in every case.

    Returns
    -------
    dict
        ``submission`` (the path as given), ``status`` ("graded" or "error"),
        ``error`` (why it could not be graded), ``score``, ``max_score``,
        ``time`` (s), ``exercises`` (one dict per exercise: ``exercise``,
        ``score``, ``max_score``, ``message``, ``time``, ``cases`` with
        ``case``, ``status``, ``score`` (0-1), ``message``, ``time``) and
        ``cells`` (code cells that failed, timed out or crashed, numbered among the code
        cells from 1) and ``skipped_cells`` (cells that only display checks, widgets or
        figures: they define nothing, so they are not run).
    """
    start = time.perf_counter()
    record = {"submission": str(path), "status": "graded", "error": "", "score": 0.0,
              "max_score": MAX_SCORE, "time": 0.0, "exercises": [], "cells": []}
    try:
        sources = read_code_cells(path, data)
    except SubmissionError as exc:
        record.update(status="error", error=str(exc),
                      exercises=blank_entries(f"not graded: {exc}"))
        record["time"] = round(time.perf_counter() - start, 3)
        return record
    box = sandbox_for(sandbox, settings, hidden=[path] + ([scratch] if scratch else []))
    nb = source.analyze(sources)
    forbidden = {name for ex in EXERCISES for name in forbidden_for(ex)}
    with tempfile.TemporaryDirectory(prefix="gdcourse-grade-", dir=scratch) as tmp:
        work, results = Path(tmp, "work"), Path(tmp, "results")
        work.mkdir()
        results.mkdir()
        session = KernelSession(str(work), settings.startup_timeout,
                                sandbox=box and box.hiding(tmp).allowing(results))
        try:
            session.start()
            runner = _Runner(session, nb, settings, forbidden)
            runner.boot()
            try:
                runner.run_cells()
                for index, ex in enumerate(EXERCISES):
                    record["exercises"].append(_grade_exercise_safely(runner, ex, index, seed,
                                                                      results))
                _add_blame(nb, record["exercises"])
            except _GiveUp:
                done = {e["exercise"] for e in record["exercises"]}
                record["exercises"] += [e for e in blank_entries(
                    "not graded: the kernel crashed too many times.") if e["exercise"] not in done]
            record["cells"] = [{"cell": n, **entry} for n, entry in sorted(runner.log.items())
                               if entry["status"] not in ("ok", "skipped") or entry["message"]]
            record["skipped_cells"] = [n for n, entry in sorted(runner.log.items())
                                       if entry["status"] == "skipped"]
            record["kernel_restarts"] = session.restarts
        except KernelStartError as exc:
            record.update(status="error", error=f"grader problem (not the submission's fault): "
                                                f"{exc}", exercises=blank_entries("not graded."))
        finally:
            session.shutdown()
    record["score"] = round(sum(e["score"] for e in record["exercises"]), 2)
    record["time"] = round(time.perf_counter() - start, 3)
    return record


def settings_dict(settings: Settings) -> dict:
    return asdict(settings)

