"""Instant feedback for the exercises and questions of notebook 07, and for the practice
tasks of notebooks 00-06.

Each task has a check with the same name, run in the cell after it::

    checks.sigmoid(sigmoid)

It calls your function on the public cases and shows, in layers: whether
the result has the right type and shape, whether the values are right (with
the tolerance and the largest error), and, for the classic mistakes (forgot
to divide by m, transposed ``dw``, missing ``b``, flipped sign, 1/(2m)
instead of 1/m, rank-1 arrays), a hint about the cause. A function that
still raises ``NotImplementedError`` is reported as "not implemented yet";
a check never raises, so the notebook runs on.

The public cases cover every kind of input the grader tries (the grader
draws new numbers for the same kinds; see :mod:`gdcourse.exercises.cases`),
and the check and the grader judge with the same code. So a ✓ here means
full marks for that task, and a ✗ means points lost. The questions of Part C
are judged the same way; once an answer is right, its check offers the
worked reasoning.
"""

from __future__ import annotations

import html
import inspect
import os
import textwrap

from . import style
from .exercises import get, runtime, source
from .exercises.compare import SLIP_CREDIT
from .exercises.hints import blame
from .exercises.judging import (called_tasks, case_lines, forbidden_for, judge_call,
                                summarize)

__all__ = ["Report", "check", "sigmoid", "backward_one", "propagate_loops", "propagate",
           "gd_step", "train", "max_stable_rate", "stop_reason", "q1_sign", "q2_db",
           "q3_max_rate", "q4_answer", "q5_answer", "backward_squared_error",
           "central_difference", "average_dz", "vectorized_dw", "mse_gradients",
           "hint_limit", "gradient_stop_epoch"]

#: Seconds a function may run on one case before it is stopped (``GDCOURSE_CHECK_TIMEOUT``
#: overrides it). After one case times out, the remaining cases are not run.
CHECK_TIMEOUT = 10.0

_COLORS = {"pass": "green", "fail": "vermillion", "not_implemented": "orange"}   # palette names
_ICONS = {"pass": "✓", "fail": "✗", "not_implemented": "…"}


class Report:
    """What a check found. Shows itself as text (and coloured HTML in a notebook).

    Attributes
    ----------
    name : str
        The task.
    status : {"pass", "fail", "not_implemented"}
        "pass" (shown as ✓) means every public case, and the structure rule, passed:
        the grader gives full marks.
    headline : str
    details : list of str
    cases : list of dict
        One result per public case (score, message).
    reasoning : str
        The worked reasoning of a question, once its answer is right ('' otherwise).
    """

    def __init__(self, name, status, headline, details=(), cases=(), reasoning=""):
        self.name = name
        self.status = status
        self.headline = headline
        self.details = list(details)
        self.cases = list(cases)
        self.reasoning = reasoning

    @property
    def passed(self) -> bool:
        """True when every public case (and the structure rule) passed: full marks."""
        return self.status == "pass"

    @property
    def text(self) -> str:
        lines = [f"{_ICONS[self.status]} {self.name}: {self.headline}"]
        for d in self.details:
            lines.append(textwrap.fill(d, 100, initial_indent="  ", subsequent_indent="    "))
        if self.reasoning:
            lines.append(textwrap.fill("Worked reasoning: " + self.reasoning, 100,
                                       initial_indent="  ", subsequent_indent="    "))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        color = style.color(_COLORS[self.status])
        items = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
        reasoning = (f'<details style="margin: 4px 0"><summary>Worked reasoning (compare it '
                     f'with your own)</summary><p>{html.escape(self.reasoning)}</p></details>'
                     if self.reasoning else "")
        return (f'<div style="border-left: 4px solid {color}; padding: 2px 0 2px 10px">'
                f"<b>{style.badge(_ICONS[self.status], _COLORS[self.status])} "
                f"{html.escape(self.name)}</b>: "
                f"{html.escape(self.headline)}"
                + (f'<ul style="margin: 4px 0">{items}</ul>' if items else "") + reasoning
                + "</div>")


def _timeout() -> float:
    try:
        value = float(os.environ.get("GDCOURSE_CHECK_TIMEOUT", CHECK_TIMEOUT))
    except ValueError:
        return CHECK_TIMEOUT
    return value if value > 0 else CHECK_TIMEOUT


def _not_implemented(name, message) -> Report:
    details = [f"The stub says: {message}"] if message else []
    details.append("Replace the `raise NotImplementedError` line with your code, run that cell, "
                   "then run this check again.")
    return Report(name, "not_implemented", "not implemented yet.", details)


def _structure(ex, fn, timeout):
    small, large = ex.probe()
    probe = runtime.count_lines(fn, small, large, forbidden=forbidden_for(ex), timeout=timeout)
    loops = []
    try:
        src = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        src = None
    if src is not None:
        nb = source.analyze([(0, src)])
        if getattr(fn, "__name__", None) in nb.functions:
            loops = nb.loops(fn.__name__)
    return ex.structure_verdict(probe, loops)


def _names_used(fn) -> set:
    """Global names the function's code (and the code nested in it) refers to."""
    names, todo = set(), [getattr(fn, "__code__", None)]
    while todo:
        code = todo.pop()
        if code is None or not hasattr(code, "co_names"):
            continue
        names.update(code.co_names)
        todo.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    return names


def _blame(ex, fn) -> list:
    """One line per graded function that ``fn`` calls and that fails its own check."""
    out = []
    namespace = getattr(fn, "__globals__", {})
    for helper in called_tasks(ex, _names_used(fn)):
        helper_fn = namespace.get(helper)
        if not callable(helper_fn) or str(getattr(helper_fn, "__module__", "")).startswith(
                "gdcourse"):
            continue                        # not the learner's own function
        if not _run(get(helper), helper_fn, blame_helpers=False).passed:
            out.append(blame(ex.name, helper))
    return out


def _run(ex, fn, *, blame_helpers=True) -> Report:
    name = ex.name
    timeout = _timeout()
    results = []
    for case in ex.public_cases():
        if any(r["status"] == "timeout" for r in results):
            results.append({"case": case.label, "kind": case.kind, "status": "missing",
                            "score": 0.0, "message": "not run: an earlier case timed out."})
            continue
        report = runtime.call(fn, case.args, forbidden=forbidden_for(ex), timeout=timeout)
        if report["status"] == "not_implemented":
            return _not_implemented(name, report.get("error", ""))
        result = judge_call(ex, case, report)
        if report.get("warnings"):
            result["warning"] = report["warnings"][0]
        result["printed"] = report.get("output_chars", 0)
        results.append(result)
    if any(r["status"] == "reference" for r in results):
        return Report(name, "fail", summarize(ex, results)["message"], cases=results)
    structure = None
    if ex.structure and not any(r["status"] == "timeout" for r in results):
        structure = _structure(ex, fn, timeout)
    n = len(results)
    passed = sum(1 for r in results if r["score"] >= 1.0 - 1e-12)
    details = case_lines(results)
    if not getattr(ex, "graded", True):          # a practice task earns no credit
        details = [d.replace(SLIP_CREDIT, "") for d in details]
    warnings = [r["warning"] for r in results if r.get("warning")]
    if warnings:
        details.append(f"NumPy warned: {warnings[0]} (the values are judged, not the warning, "
                       "but a stable formula avoids it).")
    if structure is not None and structure[1]:
        details.append(structure[1])
    printed = sum(r.get("printed", 0) for r in results)
    if printed:
        details.append(f"Your function printed {printed:,} characters; output is hidden while "
                       "it is checked (call it yourself in a new cell to see it).")
    all_ok = passed == n and (structure is None or structure[0])
    if all_ok:
        # The tolerance, not the largest error: an error at rounding level differs from one
        # CPU to the next, and the stored output of a solved notebook must not.
        tolerances = list(dict.fromkeys(r["tolerance"] for r in results if r.get("tolerance")))
        numbers = f" (tolerance {'; '.join(tolerances)})" if tolerances else ""
        if ex.kind == "question" and n == 1:
            headline = "right."
        else:
            headline = f"all {n} public cases pass{numbers}."
        kinds = list(dict.fromkeys(r["kind"] for r in results if r.get("kind")))
        if ex.kind == "code" and ex.graded:
            details.append(f"Checked: {'; '.join(kinds)}. The grader tries the same kinds of "
                           "input with new numbers.")
        elif ex.kind == "code":
            details.append(f"Checked: {'; '.join(kinds)}.")
        reasoning = ex.reasoning() if ex.kind == "question" and ex.reasoning else ""
        return Report(name, "pass", headline, details, results, reasoning)
    if blame_helpers:
        details = _blame(ex, fn) + details
    if ex.kind == "question" and n == 1:
        headline = "not right yet."
        if results[0]["message"]:           # said as it is, not as "case 'your answer': ..."
            details = [d for d in details if not d.startswith("case '")] + [
                results[0]["message"]]
    else:
        headline = f"{passed} of {n} public cases pass."
        if passed == n:
            headline = f"all {n} public cases give the right values, but see below."
    return Report(name, "fail", headline, details, results)


def check(name: str, fn) -> Report:
    """Run the public checks of task ``name`` on ``fn``; never raises."""
    ex = get(name)
    if not callable(fn):
        return Report(name, "fail", f"expected a function, got {type(fn).__name__}. Pass the "
                      f"function itself: checks.{name}({name}).")
    return _run(ex, fn)


# -- one check per task, in notebook order ------------------------------------------------------
def sigmoid(fn) -> Report:
    """Check your ``sigmoid(z)`` (exercise 1) on the public cases."""
    return check("sigmoid", fn)


def backward_one(fn) -> Report:
    """Check your ``backward_one(x, y, w, b) -> (dz, dw, db)`` (exercise 2)."""
    return check("backward_one", fn)


def propagate_loops(fn) -> Report:
    """Check your ``propagate_loops(w, b, X, Y) -> (grads, cost)`` (exercise 3), and its loop."""
    return check("propagate_loops", fn)


def propagate(fn) -> Report:
    """Check your vectorized ``propagate(w, b, X, Y) -> (grads, cost)`` (exercise 4)."""
    return check("propagate", fn)


def gd_step(fn) -> Report:
    """Check your ``gd_step(w, b, x, y, learning_rate) -> (w, b)`` (exercise 5)."""
    return check("gd_step", fn)


def train(fn) -> Report:
    """Check your ``train(x, y, learning_rate, epochs) -> (w, b, costs)`` (exercise 6)."""
    return check("train", fn)


def max_stable_rate(fn) -> Report:
    """Check your ``max_stable_rate(x) -> float`` (exercise 7)."""
    return check("max_stable_rate", fn)


def stop_reason(fn) -> Report:
    """Check your ``stop_reason(costs, grad_norm, tol, grad_tol, max_epochs)`` (exercise 8)."""
    return check("stop_reason", fn)


def q1_sign(fn) -> Report:
    """Check your answer to question 1 (the sign of ∂J/∂w after epoch 1)."""
    return check("q1_sign", fn)


def q2_db(fn) -> Report:
    """Check your formula for question 2 (∂J/∂b on zero-centred data)."""
    return check("q2_db", fn)


def q3_max_rate(fn) -> Report:
    """Check your answer to question 3 (the stability limit on the salary data)."""
    return check("q3_max_rate", fn)


def q4_answer(fn) -> Report:
    """Check your answer to question 4 (batch vs SGD wall-clock time)."""
    return check("q4_answer", fn)


def q5_answer(fn) -> Report:
    """Check your answer to question 5 (basins of attraction)."""
    return check("q5_answer", fn)


# -- practice tasks of notebooks 00-06 (checked, not graded) ------------------------------------
def backward_squared_error(fn) -> Report:
    """Check your ``backward_squared_error(x1, x2, y, w1, w2, b)`` (notebook 01)."""
    return check("backward_squared_error", fn)


def central_difference(fn) -> Report:
    """Check your ``central_difference(f, v, h)`` (notebook 01)."""
    return check("central_difference", fn)


def average_dz(fn) -> Report:
    """Check your ``average_dz(w, b, X, Y)`` (notebook 02), and its loop."""
    return check("average_dz", fn)


def vectorized_dw(fn) -> Report:
    """Check your ``vectorized_dw(w, b, X, Y)`` (notebook 03), and that it has no loop."""
    return check("vectorized_dw", fn)


def mse_gradients(fn) -> Report:
    """Check your ``mse_gradients(w, b, x, y)`` (notebook 04)."""
    return check("mse_gradients", fn)


def hint_limit(fn) -> Report:
    """Check your ``hint_limit(x)`` (notebook 05)."""
    return check("hint_limit", fn)


def gradient_stop_epoch(fn) -> Report:
    """Check your ``gradient_stop_epoch(g, eta)`` (notebook 06)."""
    return check("gradient_stop_epoch", fn)
