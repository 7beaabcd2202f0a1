"""The type of a code exercise of notebook 07: a function the learner writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import hints
from .cases import Case, public_cases, hidden_cases
from .compare import Outcome

__all__ = ["Exercise", "PROBE_M", "SCALES"]

#: Sizes m of the two problems the structure probe runs (what the code does is counted for each).
PROBE_M = (4, 64)
#: A count that grows by at least this much from the small to the large probe grows with m.
SCALES = 10


@dataclass(frozen=True)
class Exercise:
    """One function of notebook 07 that the learner writes, and how it is judged.

    Attributes
    ----------
    name : str
        The function the learner defines (found by this name, wherever its cell is).
    title, signature : str
    points : float
        Its weight in the grade.
    kinds : tuple of :class:`~.cases.Kind`
        The kinds of input it is judged on: the check runs their public cases, the
        grader one hidden case of each (:mod:`.cases`).
    judge : callable
        ``judge(case, result) -> Outcome``, run in the checker's own process on the
        decoded result.
    forbidden : tuple of str
        Dotted names of package functions that do the exercise's work; a solution that
        calls one of them scores 0.
    structure : {"vectorized", "loop", None}
        Extra requirement on how the code is written, judged by running it on the two
        probe problems (:data:`PROBE_M`) and counting what it does.
    structure_share : float
        Share of the points that depends on ``structure``.
    probe : callable
        ``probe() -> (small_args, large_args)``, for ``structure``.
    error_hints : tuple
        ``(exception type, message fragment, hint)`` for errors typical of this exercise.
    graded : bool
        True for notebook 07's exercises; False for the practice tasks of notebooks 00-06,
        which only have a check.
    """

    name: str
    title: str
    points: float
    signature: str
    kinds: tuple
    judge: Callable[[Case, Any], Outcome]
    forbidden: tuple = ()
    structure: str | None = None
    structure_share: float = 0.0
    probe: Callable[[], tuple] | None = None
    error_hints: tuple = ()
    graded: bool = True

    kind = "code"

    def evaluate(self, case: Case, result) -> Outcome:
        """The judge's verdict on one decoded result."""
        return self.judge(case, result)

    def public_cases(self) -> list:
        """The cases the instant check runs (fixed)."""
        return public_cases(self.kinds)

    def hidden_cases(self, rng: np.random.Generator) -> list:
        """The cases the grader runs: one new instance of each kind."""
        return hidden_cases(self.kinds, rng)

    def structure_verdict(self, probe: dict, loops: list) -> tuple[bool, str]:
        """Judge ``structure`` from :func:`~.runtime.count_lines`' report and the loops
        :meth:`~.source.NotebookSource.loops` found. Returns ``(ok, message)``.

        Lines are counted in every Python function the call runs (the learner's cells,
        code made by ``exec``, helpers, library code written in Python), so a loop counts
        wherever its code came from. For ``"loop"``, the loop must also do work per example:
        the values the function computes (floats, arrays, lists) must change on each pass,
        not only a loop counter.
        """
        if probe.get("status") == "tampered":
            return False, (f"{self.name} switched off the tracer the checks use "
                           "(sys.settrace), so how it is written could not be checked.")
        if probe.get("status") != "ok":
            return False, (f"could not check how {self.name} is written: it failed on the probe "
                           f"problem ({probe.get('error', probe.get('status'))}).")
        small, large = probe["small"], probe["large"]
        scales = large - small >= SCALES
        counts = (f"{small} lines of Python ran for m = {PROBE_M[0]} and {large} for "
                  f"m = {PROBE_M[1]}")
        where = ""
        if loops:
            kind, fname, cell, line = loops[0]
            where = f" ({kind} in {fname}, line {line} of its cell)"
        if self.structure == "vectorized":
            if scales:
                return False, (f"{self.name} still loops over the examples{where}: {counts}. "
                               "Replace the loop by matrix operations on the whole X.")
            if loops:
                return True, (f"no loop over the examples (good), though a Python loop remains"
                              f"{where}.")
            return True, ""
        if self.structure == "loop":
            if not scales:
                return False, (f"{self.name} does not loop over the examples ({counts}): this "
                               "task asks for the explicit loop with accumulators (the "
                               "vectorized version comes later).")
            work = probe.get("large_updates", 0) - probe.get("small_updates", 0)
            if work < SCALES:
                return False, (f"{self.name} has a loop that runs once per example, but nothing "
                               "it computes changes from one pass to the next (only a loop "
                               "counter does): the loop must do the work, adding each "
                               "example's loss, x·dz and dz to the accumulators.")
            return True, ""
        return True, ""

    def hint_for_error(self, type_name: str, message: str) -> str:
        for etype, fragment, hint in self.error_hints + hints.COMMON_ERRORS:
            if etype == type_name and fragment.lower() in message.lower():
                return hint
        return ""
