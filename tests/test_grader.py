"""The grader end to end: every fixture submission, the blank learner notebook and the
solutions notebook, graded together (two at a time) with hidden cases from one seed.

These are the slowest tests of the suite (one kernel per submission). Expected scores come
from tests/fixtures/submissions/expected.json, worked out by hand: e.g. forgetting to divide
by m in ``propagate`` (14 points, 30 % for being vectorized, in proportion to the values)
leaves only the cost right (0.3 of a case) in 4 of the 5 hidden cases, and the m = 1 case
right: 14 × (4 × 0.3 + 1) / 5 = 6.16. A transposed ``dw`` with the right values earns half of
dw's 0.4 (a shape slip), so 0.8 of a case, except in the n_x = 1 case where the transpose is the
same array: 14 × (4 × 0.8 + 1) / 5 = 11.76. There is one hidden case per kind of input.

The learner's side is tested too: every notebook here is also run as a learner runs it, and
each check's ✓ or ✗ must agree with the grade (full marks or not).
"""

import asyncio
import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gdcourse.exercises import EXERCISES
from gdcourse.grader import Settings, grade_many, grade_submission
from gdcourse.grader.kernel import KernelSession

pytestmark = pytest.mark.kernel   # grades real notebooks in real kernels

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"
EXPECTED = {k: v for k, v in json.loads((FIXTURES / "expected.json").read_text()).items()
            if not k.startswith("_")}
LEARNER = ROOT / "notebooks" / "07_exercises.ipynb"
SOLUTIONS = ROOT / "notebooks" / "solutions" / "07_exercises.ipynb"
SEED = 20261122
SETTINGS = Settings(cell_timeout=3.0, call_timeout=1.0)
FULL = {e.name: float(e.points) for e in EXERCISES}


@pytest.fixture(scope="module")
def run():
    paths = [FIXTURES / name for name in sorted(EXPECTED)] + [LEARNER, SOLUTIONS]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    progress = []
    records = grade_many(paths, SEED, SETTINGS, jobs=2,
                         progress=lambda done, total, rec: progress.append((done, total)))
    return {"paths": paths, "before": before, "records": records, "progress": progress}


_CHECK_CELL = re.compile(r"^\s*checks\.(\w+)\(")
_VERDICTS = {"✓": "pass", "✗": "fail", "…": "not_implemented"}


def learner_view(path: Path) -> dict:
    """What the learner sees: run the notebook's code cells top to bottom in one fresh kernel,
    as "Run all" would, and read the icon each check cell shows (exercise -> "pass", "fail"
    or "not_implemented"). A cell that kills or hangs the kernel restarts it, as a learner
    would; the checks after it then find nothing defined and show no verdict."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    except (ValueError, KeyError, TypeError):
        return {}
    seen = {}
    with tempfile.TemporaryDirectory() as tmp:
        session = KernelSession(tmp)
        session.start()
        try:
            for source in cells:
                r = session.execute(source, 20.0)
                match = _CHECK_CELL.match(source)
                if match and r.status == "ok" and r.output[:1] in _VERDICTS:
                    seen[match.group(1)] = _VERDICTS[r.output[:1]]
                if r.kernel_lost:
                    session.restart()
        finally:
            session.shutdown()
    return seen


def _learner_view_in_thread(path: Path) -> dict:
    """:func:`learner_view` in a worker thread, closing the event loop the kernel client
    opened for that thread (left open, it is reported later as an unclosed-loop warning)."""
    try:
        return learner_view(path)
    finally:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = None
        if loop is not None and not loop.is_running():
            loop.close()


@pytest.fixture(scope="module")
def views(run):
    """The learner's view of every graded notebook (checks stop a call after 1 s here)."""
    old = os.environ.get("GDCOURSE_CHECK_TIMEOUT")
    os.environ["GDCOURSE_CHECK_TIMEOUT"] = "1"
    try:
        with ThreadPoolExecutor(2) as pool:
            return dict(zip(run["paths"], pool.map(_learner_view_in_thread, run["paths"])))
    finally:
        if old is None:
            os.environ.pop("GDCOURSE_CHECK_TIMEOUT", None)
        else:
            os.environ["GDCOURSE_CHECK_TIMEOUT"] = old


def by_path(run, path):
    return next(r for r in run["records"] if Path(r["submission"]) == path)


def test_there_are_at_least_15_fixture_submissions():
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gets_the_expected_score_and_messages(run, name):
    want = EXPECTED[name]
    got = by_path(run, FIXTURES / name)
    if "error" in want:
        assert got["status"] == "error" and want["error"] in got["error"], got["error"]
        assert got["score"] == 0 and len(got["exercises"]) == len(EXERCISES)
        return
    assert got["status"] == "graded", got["error"]
    scores = {e["exercise"]: e for e in got["exercises"]}
    for ex, full in FULL.items():
        score, phrase = want.get("exercises", {}).get(ex, (full, None))
        assert scores[ex]["score"] == pytest.approx(score, abs=0.005), (ex, scores[ex]["message"])
        if phrase is None:
            assert scores[ex]["message"] in ("correct.",) or "cases pass." in scores[ex]["message"]
        else:
            assert phrase in scores[ex]["message"], (ex, scores[ex]["message"])
    assert got["score"] == pytest.approx(want["total"], abs=0.005)
    for status, phrase in want.get("cells", {}).items():
        assert any(c["status"] == status and phrase in c["message"] for c in got["cells"]), \
            got["cells"]


def test_blank_learner_notebook_scores_zero_with_not_implemented_everywhere(run):
    got = by_path(run, LEARNER)
    assert got["status"] == "graded" and got["score"] == 0
    assert all(e["message"] == "not implemented yet." for e in got["exercises"])


def test_solutions_notebook_scores_full_marks(run):
    got = by_path(run, SOLUTIONS)
    assert got["score"] == pytest.approx(got["max_score"]) == pytest.approx(sum(FULL.values()))
    assert got["cells"] == []


def test_submissions_are_never_modified(run):
    for path, (data, mtime) in run["before"].items():
        assert path.read_bytes() == data, path
        assert path.stat().st_mtime_ns == mtime, path


def test_results_come_back_in_order_with_progress_for_each(run):
    assert [Path(r["submission"]) for r in run["records"]] == run["paths"]
    n = len(run["paths"])
    assert sorted(d for d, _ in run["progress"]) == list(range(1, n + 1))
    assert {t for _, t in run["progress"]} == {n}


def test_every_exercise_reports_its_cases_with_score_message_and_time(run):
    got = by_path(run, FIXTURES / "02_forgot_divide_by_m.ipynb")
    entry = next(e for e in got["exercises"] if e["exercise"] == "propagate")
    assert len(entry["cases"]) == 5 and entry["time"] > 0
    for case in entry["cases"]:
        assert set(case) >= {"case", "status", "score", "message", "time"}
    assert [c["score"] for c in entry["cases"]].count(1.0) == 1        # the m = 1 case
    json.dumps(run["records"])                                         # plain data throughout


def test_grading_in_this_process_gives_the_same_result(run):
    path = FIXTURES / "20_mutates_input.ipynb"
    alone = grade_submission(path, SEED, SETTINGS)
    assert alone["score"] == by_path(run, path)["score"]
    assert [e["message"] for e in alone["exercises"]] == \
        [e["message"] for e in by_path(run, path)["exercises"]]


@pytest.mark.parametrize("name", sorted(EXPECTED) + ["learner", "solutions"])
def test_a_check_shows_a_tick_exactly_when_the_grader_gives_full_marks(run, views, name):
    path = {"learner": LEARNER, "solutions": SOLUTIONS}.get(name, FIXTURES / name)
    graded = {e["exercise"]: e for e in by_path(run, path)["exercises"]}
    for exercise, verdict in views[path].items():
        entry = graded[exercise]
        full = entry["score"] >= entry["max_score"] - 1e-9
        if verdict == "pass":
            assert full, f"{exercise}: ✓ in the notebook, {entry['score']}/{entry['max_score']} " \
                         f"from the grader: {entry['message']}"
        elif verdict == "fail":
            assert not full, f"{exercise}: ✗ in the notebook, full marks from the grader"
        else:
            assert entry["score"] == 0, f"{exercise}: not implemented, yet {entry['score']} points"


def test_the_agreement_is_tested_on_ticks_and_crosses_of_every_exercise(views):
    shown = {}
    for seen in views.values():
        for exercise, verdict in seen.items():
            shown.setdefault(exercise, set()).add(verdict)
    assert {e.name for e in EXERCISES} <= set(shown)
    assert all({"pass", "not_implemented"} <= v for v in shown.values()), shown
    crossed = {e for e, v in shown.items() if "fail" in v}
    assert len(crossed) >= 11, sorted(crossed)
    assert views[SOLUTIONS] == {e.name: "pass" for e in EXERCISES}
    assert views[LEARNER] == {e.name: "not_implemented" for e in EXERCISES}
