"""The grader's outputs: a readable table, JSON for the record, CSV for a gradebook."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import platform
import textwrap
from dataclasses import asdict

from ..exercises import EXERCISES
from . import GRADER_VERSION
from .grade import MAX_SCORE, Settings

__all__ = ["table", "run_info", "to_json", "to_csv"]


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def run_info(seed: int, settings: Settings, sandbox: str = "none") -> dict:
    """What is needed to reproduce a grade: versions, seed, limits, exercise weights.

    ``sandbox`` is the confinement the kernels had: ``"bwrap"`` or ``"none"`` (the resource
    limits of ``settings`` applied only with ``"bwrap"``).
    """
    return {
        "grader_version": GRADER_VERSION,
        "seed": int(seed),
        "settings": asdict(settings),
        "sandbox": sandbox,
        "max_score": MAX_SCORE,
        "exercises": [{"exercise": e.name, "title": e.title, "points": float(e.points)}
                      for e in EXERCISES],
        "versions": {"python": platform.python_version(),
                     **{p: _version(p) for p in ("gdcourse", "numpy", "ipykernel",
                                                  "jupyter_client", "ipython")}},
        "platform": f"{platform.system()} {platform.machine()}",
        "reproduce": f"python -m gdcourse grade --seed {int(seed)} SUBMISSION.ipynb",
    }


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def table(record: dict, width: int = 100) -> str:
    """One submission as a text table: one row per exercise, messages wrapped."""
    head = f"{record['submission']}: "
    if record["status"] == "error":
        return "\n".join([head + f"NOT GRADED: {record['error']}"]
                         + [f"  WARNING: {w}" for w in record.get("warnings", [])])
    lines = [head + f"{_fmt(record['score'])} / {_fmt(record['max_score'])}  "
             f"(graded in {record['time']:.1f} s)"]
    name_w = max(len(e["exercise"]) for e in record["exercises"]) if record["exercises"] else 8
    score_w = 11
    msg_w = max(30, width - name_w - score_w - 6)
    lines.append(f"  {'exercise':<{name_w}}  {'score':>{score_w}}  message")
    lines.append(f"  {'-' * name_w}  {'-' * score_w}  {'-' * min(msg_w, 40)}")
    for e in record["exercises"]:
        score = f"{_fmt(e['score'])}/{_fmt(e['max_score'])}"
        wrapped = textwrap.wrap(e["message"], msg_w) or [""]
        lines.append(f"  {e['exercise']:<{name_w}}  {score:>{score_w}}  {wrapped[0]}")
        lines += [f"  {'':<{name_w}}  {'':>{score_w}}  {more}" for more in wrapped[1:]]
    problems = [c for c in record.get("cells", []) if c["status"] in ("error", "timeout",
                                                                      "crashed")]
    if problems:
        lines.append("  notes on the notebook's code cells:")
        for c in problems:
            lines += textwrap.wrap(f"code cell {c['cell']}: {c['status']}: {c['message']}", width,
                                   initial_indent="    ", subsequent_indent="      ")
    for w in record.get("warnings", []):
        lines += textwrap.wrap(f"WARNING: {w}", width, initial_indent="  ",
                               subsequent_indent="    ")
    return "\n".join(lines)


def to_json(records: list, info: dict) -> dict:
    """Everything: run information and, per submission, per exercise and per case results."""
    return {**info, "submissions": records}


def to_csv(records: list) -> str:
    """One row per submission, one column per exercise (points), for a gradebook."""
    names = [e.name for e in EXERCISES]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["submission", "status", "total", "max_total"] + names + ["error"])
    for r in records:
        by_name = {e["exercise"]: e["score"] for e in r["exercises"]}
        writer.writerow([r["submission"], r["status"], _fmt(r["score"]), _fmt(r["max_score"])]
                        + [_fmt(by_name.get(n, 0.0)) for n in names] + [r["error"]])
    return out.getvalue()
