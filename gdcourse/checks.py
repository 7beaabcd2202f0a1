"""Instant feedback for the exercises of notebook 07.

Each exercise has a check with the same name, run in the cell after the
exercise::

    checks.sigmoid(sigmoid)

It calls your function on a few public cases and shows, in layers: whether
the result has the right type and shape, whether the values are right (with
the tolerance and the largest error), and, for the classic mistakes (forgot
to divide by m, transposed ``dw``, missing ``b``, flipped sign, 1/(2m)
instead of 1/m, rank-1 arrays), a hint about the cause. A function that
still raises ``NotImplementedError`` is reported as "not implemented yet";
a check never raises, so the notebook runs on.

Passing the public checks is a good sign, not a grade: the grader runs
other cases, drawn when it grades.

For the test-your-understanding answers (``q1_sign`` ... ``q5_answer``) the
check only confirms that the answer has the expected form; ``q2_db`` is a
formula, so its check also tests it numerically.
"""

from __future__ import annotations

import html
import inspect
import textwrap

from .exercises import EXERCISES, get, runtime, source
from .exercises.judging import forbidden_for, judge_call, summarize
from .exercises.values import decode

__all__ = ["Report", "check"] + [e.name for e in EXERCISES]

#: Seconds a function may run in a check before it is stopped.
CHECK_TIMEOUT = 30.0

_COLORS = {"pass": "#009E73", "fail": "#D55E00", "not_implemented": "#E69F00",
           "recorded": "#0072B2"}
_ICONS = {"pass": "✓", "fail": "✗", "not_implemented": "…", "recorded": "✓"}


class Report:
    """What a check found. Shows itself as text (and coloured HTML in a notebook).

    Attributes
    ----------
    name : str
        The exercise.
    status : {"pass", "fail", "not_implemented", "recorded"}
        "recorded" is for answers whose correctness only the grader judges.
    headline : str
    details : list of str
    cases : list of dict
        One result per public case (score, message).
    """

    def __init__(self, name, status, headline, details=(), cases=()):
        self.name = name
        self.status = status
        self.headline = headline
        self.details = list(details)
        self.cases = list(cases)

    @property
    def passed(self) -> bool:
        """True when every public case (and the structure rule) passed."""
        return self.status in ("pass", "recorded")

    @property
    def text(self) -> str:
        lines = [f"{_ICONS[self.status]} {self.name}: {self.headline}"]
        for d in self.details:
            lines.append(textwrap.fill(d, 100, initial_indent="  ", subsequent_indent="    "))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        color = _COLORS[self.status]
        items = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
        return (f'<div style="border-left: 4px solid {color}; padding: 2px 0 2px 10px">'
                f'<b style="color: {color}">{_ICONS[self.status]} {html.escape(self.name)}</b>: '
                f"{html.escape(self.headline)}"
                + (f'<ul style="margin: 4px 0">{items}</ul>' if items else "") + "</div>")


def _not_implemented(name, message) -> Report:
    details = [f"The stub says: {message}"] if message else []
    details.append("Replace the `raise NotImplementedError` line with your code, run that cell, "
                   "then run this check again.")
    return Report(name, "not_implemented", "not implemented yet.", details)


def _answer_check(ex, fn) -> Report:
    report = runtime.call(fn, (), forbidden=forbidden_for(ex), timeout=CHECK_TIMEOUT)
    if report["status"] == "not_implemented":
        return _not_implemented(ex.name, report.get("error", ""))
    if report["status"] != "ok":
        case = judge_call(ex, ex.public_cases()[0], report)
        return Report(ex.name, "fail", case["message"])
    outcome = ex.form(decode(report["value"]))
    if not outcome.ok:
        return Report(ex.name, "fail", outcome.message)
    return Report(ex.name, "recorded", "answer recorded in the expected form.",
                  ["Its correctness is judged when the notebook is graded."])


def _structure(ex, fn):
    small, large = ex.probe()
    probe = runtime.count_lines(fn, small, large, forbidden=forbidden_for(ex),
                                timeout=CHECK_TIMEOUT)
    loops = []
    try:
        src = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        src = None
    if src is not None:
        nb = source.analyze([(0, src)])
        if fn.__name__ in nb.functions:
            loops = nb.loops(fn.__name__)
    return ex.structure_verdict(probe, loops)


def check(name: str, fn) -> Report:
    """Run the public checks of exercise ``name`` on ``fn``; never raises."""
    ex = get(name)
    if not callable(fn):
        return Report(name, "fail", f"expected a function, got {type(fn).__name__}. Pass the "
                      f"function itself: checks.{name}({name}).")
    if not ex.public_values:
        return _answer_check(ex, fn)
    results = []
    for case in ex.public_cases():
        report = runtime.call(fn, case.args, forbidden=forbidden_for(ex), timeout=CHECK_TIMEOUT)
        if report["status"] == "not_implemented":
            return _not_implemented(name, report.get("error", ""))
        result = judge_call(ex, case, report)
        if report.get("warnings"):
            result["warning"] = report["warnings"][0]
        result["printed"] = report.get("output_chars", 0)
        results.append(result)
    structure = None
    if ex.structure and not any(r["status"] == "reference" for r in results):
        structure = _structure(ex, fn)
    summary = summarize(ex, results, structure=structure)
    n, passed = len(results), summary["passed"]
    details = []
    if any(r["status"] == "reference" for r in results):
        return Report(name, "fail", summary["message"], cases=results)
    for r in results:
        if r["score"] < 1.0 - 1e-12:
            details.append(f"case '{r['case']}': {r['message']}")
    warnings = [r["warning"] for r in results if r.get("warning")]
    if warnings:
        details.append(f"NumPy warned: {warnings[0]} (the result may still be right, but a "
                       "stable formula avoids the warning).")
    if structure is not None and structure[1]:
        details.append(structure[1])
    printed = sum(r["printed"] for r in results)
    if printed:
        details.append(f"Your function printed {printed:,} characters; output is hidden while "
                       "it is checked (call it yourself in a new cell to see it).")
    all_ok = passed == n and (structure is None or structure[0])
    if all_ok:
        # The tolerance, not the largest error: an error at rounding level differs from one
        # CPU to the next, and the stored output of a solved notebook must not.
        tolerances = list(dict.fromkeys(r["tolerance"] for r in results if r.get("tolerance")))
        numbers = f" (tolerance {'; '.join(tolerances)})" if tolerances else ""
        headline = f"all {n} public cases pass{numbers}."
        details.append("These are the public checks only: the grader runs more cases, which "
                       "you have not seen.")
        return Report(name, "pass", headline, details, results)
    headline = f"{passed} of {n} public cases pass."
    if passed == n:
        headline = f"all {n} public cases give the right values, but see below."
    return Report(name, "fail", headline, details, results)


def _make(ex):
    def run(fn):
        return check(ex.name, fn)
    run.__name__ = ex.name
    run.__qualname__ = ex.name
    run.__doc__ = (f"Check your ``{ex.signature}`` ({ex.title}) on the public cases.\n\n"
                   f"Usage: ``checks.{ex.name}({ex.name})``. Returns a :class:`Report`.")
    return run


for _ex in EXERCISES:
    globals()[_ex.name] = _make(_ex)
del _ex
