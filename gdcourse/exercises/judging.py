"""From what a call did (a :func:`~.runtime.call` report) to a verdict and a message.

Shared by the instant checks and the grader, so that the learner reads the
same message in the notebook and in the grade report.
"""

from __future__ import annotations

import re

from .catalog import EXERCISES, FORBIDDEN_EVERYWHERE
from .values import decode

__all__ = ["judge_call", "summarize", "forbidden_for", "argument_names", "reference_message",
           "case_lines", "called_tasks"]


def forbidden_for(ex) -> tuple:
    """Every dotted name the exercise's solution may not call."""
    return tuple(ex.forbidden) + FORBIDDEN_EVERYWHERE


def argument_names(ex) -> list:
    """Parameter names from the exercise's signature, e.g. ``["w", "b", "X", "Y"]``."""
    match = re.match(r"\w+\((.*?)\)", ex.signature)
    if not match or not match.group(1).strip():
        return []
    return [a.strip() for a in match.group(1).split(",")]


def reference_message(ex, names) -> str:
    names = ", ".join(dict.fromkeys(names))
    return (f"{ex.name} calls {names}, the package's reference implementation: the exercise is "
            "to write it yourself, so it scores 0.")


def judge_call(ex, case, report: dict) -> dict:
    """Score one case from the call report.

    Returns a dict with ``case`` (its label), ``kind`` (of input), ``status``, ``score``
    (0-1), ``message``, ``time``, and for a judged result ``hints`` (the hints the message
    gives), ``largest_error`` and ``tolerance``.
    """
    status = report.get("status", "error")
    out = {"case": case.label, "kind": case.kind, "status": status, "score": 0.0,
           "message": "", "time": round(float(report.get("time", 0.0)), 6)}
    if status == "not_implemented":
        out["message"] = "not implemented yet (the stub still raises NotImplementedError)."
    elif status == "reference":
        out["reference"] = str(report.get("error", "")).split(", ")
        out["message"] = reference_message(ex, out["reference"])
    elif status == "timeout":
        out["message"] = f"{report.get('error', 'timed out')} (an endless loop?)."
    elif status == "crashed":
        out["message"] = ("the kernel crashed while running this case (os._exit, a fatal "
                          "error, or running out of memory); the grader restarted it.")
    elif status == "missing":
        out["message"] = report.get("error", "not run")
    elif status == "tampered":
        out["message"] = f"{report.get('error', 'tampering suspected')}."
    elif status == "error":
        etype, msg = report.get("error_type", "Exception"), report.get("error", "")
        hint = ex.hint_for_error(etype, msg)
        out["message"] = f"raised {etype}" + (f" ({msg.rstrip('.')})" if msg else "") + "." + (
            f" Hint: {hint}" if hint else "")
    elif status == "ok":
        outcome = ex.evaluate(case, decode(report.get("value")))
        out["score"] = float(outcome.score)
        out["message"] = outcome.message
        out["hints"] = [p.message.partition(" Hint: ")[2] for p in outcome.parts
                        if not p.ok and " Hint: " in p.message] or (
            [outcome.message.partition(" Hint: ")[2]] if " Hint: " in outcome.message else [])
        if outcome.error is not None:
            out["largest_error"] = float(outcome.error)
        if outcome.tolerances:
            out["tolerance"] = "; ".join(outcome.tolerances)
        mutated = report.get("mutated") or []
        if mutated:
            names = argument_names(ex)
            which = ", ".join(names[i] if i < len(names) else f"argument {i + 1}" for i in mutated)
            out["score"] *= 0.5
            out["message"] = (out["message"] + " " if out["message"] else "") + (
                f"It changed its input {which} in place (half credit for this case): work on "
                "a copy, or build new arrays; the caller may still need its data.")
    else:
        out["message"] = f"unexpected status {status!r}"
    return out


def summarize(ex, cases: list, *, structure: tuple | None = None,
              static_reference: list | None = None) -> dict:
    """Score of a whole exercise from its case results.

    Parameters
    ----------
    cases : list of dict
        :func:`judge_call` results.
    structure : (ok, message) or None
        The verdict of :meth:`Exercise.structure_verdict`, for exercises with a structure rule.
    static_reference : list
        Forbidden references found in the source (``(dotted, function, cell, line)``).
    """
    points = float(ex.points)
    n = len(cases)
    value = sum(c["score"] for c in cases) / n if n else 0.0
    passed = sum(1 for c in cases if c["score"] >= 1.0 - 1e-12)
    result = {"score": 0.0, "max_score": points, "passed": passed, "cases_total": n}
    dynamic = [c for c in cases if c["status"] == "reference"]
    if static_reference or dynamic:
        names = [d for d, *_ in static_reference or []] or [
            name for c in dynamic for name in c.get("reference", [])]
        where = ""
        if static_reference:
            _, fname, cell, line = static_reference[0]
            where = f" (in {fname}, code cell {cell}, line {line})"
        result["message"] = reference_message(ex, names).replace(
            ": the exercise", where + ": the exercise", 1)
        return result
    if n and all(c["status"] == "not_implemented" for c in cases):
        result["message"] = "not implemented yet."
        return result
    share = ex.structure_share if ex.structure else 0.0
    structure_ok, structure_msg = structure if structure is not None else (True, "")
    score = points * ((1 - share) * value + share * value * (1.0 if structure_ok else 0.0))
    result["score"] = round(score, 2)
    parts = []
    if passed == n:
        parts.append("correct." if n == 1 else f"all {n} cases pass.")
    elif n == 1:
        parts.append(cases[0]["message"])
    else:
        first = next(c for c in cases if c["score"] < 1.0 - 1e-12)
        parts.append(f"{passed} of {n} cases pass; case '{first['case']}': {first['message']}")
    if structure_msg and value > 0:
        parts.append(structure_msg if structure_ok else f"{structure_msg} "
                     f"({share * points:g} of the {points:g} points depend on this.)")
    result["message"] = " ".join(parts)
    return result


def case_lines(cases: list) -> list:
    """``case 'label': message`` for each case that lost points, each hint said once.

    A hint that an earlier case already gave is replaced by a pointer to it, so that one
    cause does not fill the check with the same sentence once per case.
    """
    lines, seen = [], set()
    for c in cases:
        if c["score"] >= 1.0 - 1e-12:
            continue
        text = c["message"]
        hints = list(dict.fromkeys(c.get("hints", [])))
        for hint in hints:
            if hint in seen:
                text = text.replace(f" Hint: {hint}", " (same hint as above)", 1)
        seen.update(hints)
        lines.append(f"case '{c['case']}': {text}")
    return lines


def called_tasks(ex, used: set) -> list:
    """The other graded functions among the names ``ex``'s function uses, in notebook order."""
    return [e.name for e in EXERCISES if e.name != ex.name and e.name in used]
