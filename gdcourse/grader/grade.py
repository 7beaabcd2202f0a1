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

import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..exercises import EXERCISES, source
from ..exercises.hints import blame
from ..exercises.judging import called_tasks, forbidden_for, judge_call, summarize
from ..exercises.values import encode
from .channel import ResultChannel, seal
from .kernel import KernelSession, KernelStartError
from .kernel_side import bootstrap_code, request_code
from .sandbox import sandbox_for
from .submission import SubmissionError, read_code_cells

__all__ = ["Settings", "grade_submission", "rng_for", "MAX_SCORE"]

MAX_SCORE = float(sum(e.points for e in EXERCISES))
#: The start of the message of an exercise scored 0 because the agent saw tampering.
TAMPERING = "tampering suspected"


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


class _Pipes:
    """The two pipes of one submission's kernel: results out (:class:`ResultChannel`),
    and the key in (read once by the agent at each start, before any learner code)."""

    def __init__(self):
        self.results = ResultChannel()
        self.key_read, self._key_write = os.pipe()

    @property
    def pass_fds(self) -> tuple:
        return (self.results.write_fd, self.key_read)

    def send_key(self) -> None:
        os.write(self._key_write, self.results.key.hex().encode())

    def close(self) -> None:
        self.results.close()
        for fd in (self.key_read, self._key_write):
            try:
                os.close(fd)
            except OSError:
                pass


class _Runner:
    def __init__(self, session: KernelSession, pipes: _Pipes, nb, settings: Settings,
                 forbidden):
        self.ks = session
        self.pipes = pipes
        self.channel = pipes.results
        self.nb = nb
        self.settings = settings
        self.forbidden = sorted(set(forbidden))
        self.good: list = []                 # cells to replay after a restart
        self.log: dict = {}                  # cell number -> {"status", "message"}
        self.requests = 0
        self.late: list = []                 # records of a lost kernel, read at the next boot
        self.tampered = ""                   # what the agent reported, once it did

    def boot(self) -> None:
        # A kernel before this one may have written until it was stopped: read that first,
        # so the new agent numbers its records after the last one.
        self.late += self.channel.read()
        self.pipes.send_key()
        code = bootstrap_code(self.forbidden, self.channel.write_fd, self.pipes.key_read,
                              self.channel.last_n)
        r = self.ks.execute(code, self.settings.startup_timeout, silent=True)
        if r.status != "ok":
            raise KernelStartError(f"could not load the grader's agent into the kernel: "
                                   f"{r.ename}: {r.evalue}")

    def absorb(self, records: list, *, in_request: bool) -> None:
        """Note tampering reported in ``records`` (or any record sent outside a request)."""
        for record in records:
            if self.tampered:
                return
            if record.get("kind") == "tamper":
                self.tampered = f"code in the notebook {str(record.get('what', '?'))[:200]}"
            elif not in_request:
                self.tampered = "the grader's agent sent results outside a request"

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

    def call_exercise(self, ex, cases) -> tuple[list, object]:
        """Records the agent sent for this request, and the ExecResult of the request."""
        self.absorb(self.late + self.channel.read(), in_request=False)
        self.late = []
        self.requests += 1
        request = {"name": ex.name, "forbidden": list(forbidden_for(ex)),
                   "timeout": self.settings.call_timeout,
                   "cases": [[encode(a) for a in c.args] for c in cases]}
        n_calls = len(cases)
        if ex.structure:
            small, large = ex.probe()
            request["probe"] = [[encode(a) for a in small], [encode(a) for a in large]]
            n_calls += 2
        mac, _, body = seal(self.channel.key, self.requests, request).strip().partition(b" ")
        budget = self.settings.call_timeout * n_calls + 10.0
        forged = self.channel.forged
        watchdog = _Watchdog(self.channel, self.settings.call_timeout + 1.0)
        r = self.ks.execute(request_code(body.decode(), mac.decode()), budget, silent=True,
                            watchdog=watchdog)
        records = watchdog.records + self.channel.read()
        self.absorb(records, in_request=True)
        if not self.tampered and r.status == "ok" and not any(
                x.get("kind") == "begin" for x in records):
            self.tampered = ("the grader's agent did not answer (was it, or sys.audit, "
                             "replaced?)")
            if self.channel.forged > forged:
                self.tampered += "; the kernel sent results the agent did not sign"
        if r.kernel_lost:
            self.recover()
            # What the lost kernel wrote just before it was stopped belongs to this request.
            late, self.late = self.late, []
            records += late
            self.absorb(late, in_request=True)
        return records, r


class _Watchdog:
    """Collects the agent's records while a request runs, and spots a call that ignores
    its own timeout (it swallowed the alarm, or blocked it).

    The agent sends a ``case_start`` record before each call and a result after it.
    When the last record has been a start for longer than ``limit`` seconds, the call is
    overdue: return its sequence number, so the session interrupts it (once).
    """

    def __init__(self, results: ResultChannel, limit: float):
        self.results = results
        self.limit = limit
        self.records: list = []
        self.pending = None            # (sequence number, time first seen) of a start

    def __call__(self):
        new = self.results.read()
        now = time.perf_counter()
        if new:
            self.records += new
            last = new[-1]
            started = last.get("kind") in ("case_start", "probe_start")
            self.pending = (last["n"], now) if started else None
        if self.pending is not None and now - self.pending[1] > self.limit:
            return self.pending[0]
        return None


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


def _grade_exercise(runner, ex, index, seed) -> dict:
    start = time.perf_counter()
    cases = ex.hidden_cases(rng_for(seed, index))
    entry = {"exercise": ex.name, "title": ex.title, "score": 0.0, "max_score": float(ex.points),
             "message": "", "time": 0.0, "cases": []}
    static = runner.nb.reference_uses(ex.name, forbidden_for(ex))
    records, r = runner.call_exercise(ex, cases)
    if runner.tampered:
        entry["message"] = (f"{TAMPERING}: {runner.tampered}. Nothing the kernel sends is "
                            "trusted from then on.")
        entry["time"] = round(time.perf_counter() - start, 3)
        return entry
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


def _grade_exercise_safely(runner, ex, index, seed) -> dict:
    """:func:`_grade_exercise`; an exception while judging scores this exercise 0, says why."""
    try:
        return _grade_exercise(runner, ex, index, seed)
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
        work = Path(tmp, "work")
        work.mkdir()
        pipes = _Pipes()
        session = KernelSession(str(work), settings.startup_timeout,
                                sandbox=box and box.hiding(tmp), pass_fds=pipes.pass_fds)
        try:
            session.start()
            runner = _Runner(session, pipes, nb, settings, forbidden)
            runner.boot()
            try:
                runner.run_cells()
                for index, ex in enumerate(EXERCISES):
                    record["exercises"].append(_grade_exercise_safely(runner, ex, index, seed))
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
            pipes.close()
    record["score"] = round(sum(e["score"] for e in record["exercises"]), 2)
    record["time"] = round(time.perf_counter() - start, 3)
    return record


def settings_dict(settings: Settings) -> dict:
    return asdict(settings)

