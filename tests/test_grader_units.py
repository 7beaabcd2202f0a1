"""Pieces of the grader that need no kernel: reading submissions, paths, reports."""

import json
from pathlib import Path

import pytest

from gdcourse.exercises import EXERCISES
from gdcourse.grader.batch import expand_paths
from gdcourse.grader.report import run_info, table, to_csv
from gdcourse.grader.grade import MAX_SCORE, Settings
from gdcourse.grader.submission import SubmissionError, read_code_cells


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


@pytest.mark.parametrize("data, phrase", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8"),
    ("print('hello')", "not JSON"),
    ('{"cells": [', "malformed notebook JSON at line 1"),
    ("[1, 2]", "not an object"),
    ('{"worksheets": []}', "nbformat 3"),
    ('{"metadata": {}}', "no 'cells' list"),
    ('{"cells": [3]}', "cell 1 is not an object"),
    ('{"cells": [{"cell_type": "code", "source": 7}]}', "not text"),
])
def test_unreadable_submissions_get_a_clear_error(tmp_path, data, phrase):
    with pytest.raises(SubmissionError, match=phrase):
        read_code_cells(write(tmp_path, "sub.ipynb", data))


def test_an_old_nbformat_3_notebook_is_converted_and_read(tmp_path):
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"metadata": {},
          "cells": [{"cell_type": "markdown", "source": "# hi"},
                    {"cell_type": "code", "input": "x = 1", "outputs": [], "language": "python"},
                    {"cell_type": "code", "input": ["y = ", "2"], "outputs": [],
                     "language": "python"}]}]}
    path = write(tmp_path, "old.ipynb", json.dumps(v3))
    assert read_code_cells(path) == [(1, "x = 1"), (2, "y = 2")]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SubmissionError, match="not found"):
        read_code_cells(tmp_path / "nope.ipynb")
    with pytest.raises(SubmissionError, match="folder"):
        read_code_cells(tmp_path)


def test_code_cells_in_order_with_list_sources(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": "# hi"},
                    {"cell_type": "code", "source": ["x = 1\n", "y = 2"]},
                    {"cell_type": "code", "source": "z = 3"}], "nbformat": 4}
    path = write(tmp_path, "sub.ipynb", "\ufeff" + json.dumps(nb))
    assert read_code_cells(path) == [(1, "x = 1\ny = 2"), (2, "z = 3")]


def test_folders_expand_to_notebooks_without_checkpoints(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".ipynb_checkpoints").mkdir()
    for p in ("a/x.ipynb", "a/.ipynb_checkpoints/x-checkpoint.ipynb", "a/notes.txt", "b.ipynb"):
        write(tmp_path, p, "{}")
    got = expand_paths([tmp_path / "a", tmp_path / "b.ipynb", tmp_path / "c.txt"])
    assert got == [tmp_path / "a" / "x.ipynb", tmp_path / "b.ipynb", tmp_path / "c.txt"]


def fake_record(scores, status="graded", error=""):
    return {"submission": "hand-ins/ada.ipynb", "status": status, "error": error,
            "score": sum(scores), "max_score": MAX_SCORE, "time": 1.25, "cells": [],
            "exercises": [{"exercise": e.name, "score": s, "max_score": float(e.points),
                           "message": "a long message " * 12, "cases": []}
                          for e, s in zip(EXERCISES, scores)]}


def test_table_wraps_messages_and_shows_totals():
    scores = [float(e.points) for e in EXERCISES]
    scores[0] = 2.5
    text = table(fake_record(scores), width=80)
    assert text.splitlines()[0].startswith("hand-ins/ada.ipynb: 94.5 / 100")
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "2.5/8" in text
    assert "NOT GRADED: broken" in table(fake_record([0] * len(EXERCISES), "error", "broken"))


def test_csv_has_one_column_per_exercise():
    text = to_csv([fake_record([float(e.points) for e in EXERCISES])])
    header, row = text.splitlines()
    assert header.split(",") == (["submission", "status", "total", "max_total"]
                                 + [e.name for e in EXERCISES] + ["error"])
    assert row.startswith("hand-ins/ada.ipynb,graded,100,100,8,10,")


def test_run_info_records_what_reproduces_a_grade():
    info = run_info(42, Settings(call_timeout=1.5))
    assert info["seed"] == 42 and info["settings"]["call_timeout"] == 1.5
    assert info["max_score"] == sum(e.points for e in EXERCISES) == 100
    json.dumps(info)


# -- the batch always finishes: what comes from a kernel is untrusted data ------------------------
class _Request:
    status, kernel_lost = "ok", False


@pytest.mark.parametrize("record", [
    {"kind": "case", "case": 0, "status": "ok", "value": {"t": "array", "v": "not a list"}},
    {"kind": "case", "case": 0, "status": "ok", "value": {"t": "float", "v": [1, 2]}},
    {"kind": "case", "case": 0, "status": "ok", "time": "soon"},
    {"kind": "case", "case": 0, "status": "error", "error_type": ["x"], "error": {"a": 1}},
    {"kind": "case", "case": [0], "status": "ok"},            # not an int: ignored, "not run"
    {"kind": "case", "case": 0.0, "status": "ok"},
])
def test_a_malformed_record_fails_its_case_with_a_message(record):
    from gdcourse.grader.grade import _cases_from_records
    ex = EXERCISES[0]
    cases = ex.public_cases()[:1]
    (result,) = _cases_from_records(ex, cases, [record], _Request())
    assert result["score"] == 0.0 and result["message"]


def test_one_submission_that_breaks_the_grader_does_not_stop_the_batch(tmp_path, monkeypatch):
    from gdcourse.grader import batch
    paths = [tmp_path / "a.ipynb", tmp_path / "b.ipynb"]
    for p in paths:
        p.write_text("{}")

    def grade(path, seed, settings, data, *, scratch=None, sandbox=None):
        if Path(path).name == "a.ipynb":
            raise KeyError("a record the judge did not expect")
        return {"submission": str(path), "status": "graded", "error": "", "score": 5.0,
                "max_score": MAX_SCORE, "time": 0.0, "exercises": [], "cells": []}
    monkeypatch.setattr(batch, "grade_submission", grade)
    a, b = batch.grade_many(paths, seed=1)
    assert a["status"] == "error" and "KeyError" in a["error"]
    assert len(a["exercises"]) == len(EXERCISES)
    assert b["status"] == "graded" and b["score"] == 5.0


def test_empty_cells_are_not_sent_to_the_kernel():
    # 5,000 empty cells took a minute when each went to the kernel.
    from gdcourse.exercises import source
    from gdcourse.grader.grade import _Pipes, _Runner
    from gdcourse.grader.kernel import ExecResult

    class Session:
        sent: list = []

        def execute(self, code, timeout, **kwargs):
            self.sent.append(code)
            return ExecResult("ok")

    nb = source.analyze([(0, ""), (1, "x = 1"), (2, "   \n\n"), (3, "y = x + 1")])
    runner = _Runner(Session(), _Pipes(), nb, Settings(), forbidden=())
    runner.run_cells()
    assert Session.sent == ["x = 1", "y = x + 1"]
    assert all(entry["status"] == "ok" for entry in runner.log.values())


# -- the sandbox's command line (no bwrap needed: nothing is run) ----------------------------

def _options(argv) -> list:
    """The (option, path) pairs of a bwrap command line before ``--``."""
    head = argv[1:argv.index("--")]
    return [(a, b) for a, b in zip(head, head[1:]) if a.startswith("--")]


def test_a_sandbox_mode_that_does_not_exist_is_refused():
    from gdcourse.grader.sandbox import resolve
    with pytest.raises(ValueError, match="'auto', 'bwrap', 'none'.*'docker'"):
        resolve("docker")
    assert resolve("none") == "none"


def test_sandbox_bwrap_without_bwrap_names_the_argument_and_the_way_out(monkeypatch):
    from gdcourse.grader import sandbox
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bwrap not found on PATH")
    with pytest.raises(sandbox.SandboxUnavailable, match="sandbox='bwrap'.*not found.*'none'"):
        sandbox.resolve("bwrap")
    assert sandbox.resolve("auto") == "none"
    assert "sandbox: none (bwrap not found on PATH" in sandbox.describe("auto", sandbox.Limits())


def test_hand_ins_are_hidden_by_folder_or_by_file_and_only_the_work_is_writable(tmp_path,
                                                                               monkeypatch):
    import shutil
    import tempfile
    from gdcourse.grader.sandbox import Bubblewrap, Limits
    outside = Path(tempfile.mkdtemp(dir="/var/tmp"))     # not under the private /tmp
    try:
        alone = outside / "class-a" / "ada.ipynb"        # its folder holds nothing needed
        crowded = outside / "class-b" / "bo.ipynb"       # its folder holds a PYTHONPATH entry
        for p in (alone, crowded):
            p.parent.mkdir()
            p.write_text("{}")
        (crowded.parent / "lib").mkdir()
        monkeypatch.setenv("PYTHONPATH", str(crowded.parent / "lib"))
        for name in ("w", "k"):
            (tmp_path / "batch" / name).mkdir(parents=True)
        (tmp_path / "hand-in.ipynb").write_text("{}")
        box = Bubblewrap(Limits(memory_mb=1000), command="bwrap").hiding(
            alone, crowded, tmp_path / "batch", tmp_path / "hand-in.ipynb")
        argv = box.wrap(["python", "-m", "ipykernel_launcher"], work=tmp_path / "batch" / "w",
                        connection=tmp_path / "batch" / "k")
    finally:
        shutil.rmtree(outside)
    opts = _options(argv)
    assert opts[:4] == [("--ro-bind", "/"), ("--dev", "/dev"), ("--proc", "/proc"),
                        ("--size", str(1000 * 2**20))]
    assert ("--tmpfs", "/tmp") in opts and ("--tmpfs", "/dev/shm") in opts
    assert ("--unshare-all", "--cap-drop") in opts and ("--cap-drop", "ALL") in opts
    assert ("--die-with-parent", "--new-session") in opts and ("--remount-ro", "/dev") in opts
    assert ("--tmpfs", str(alone.parent)) in opts and ("--remount-ro", str(alone.parent)) in opts
    assert ("--ro-bind", "/dev/null") in opts and argv[argv.index("/dev/null") + 1] == str(crowded)
    assert ("--tmpfs", str(crowded.parent)) not in opts
    assert not any("hand-in" in a for a in argv)          # under /tmp: already out of sight
    writable = [b for a, b in opts if a == "--bind"]
    assert writable == [str(tmp_path / "batch" / "k"), str(tmp_path / "batch" / "w")]
    assert argv[argv.index("--chdir") + 1] == str(tmp_path / "batch" / "w")
    assert argv[-2:] == ["-m", "ipykernel_launcher"] and "_limits.py" in " ".join(argv)


def test_python_and_gdcourse_under_tmp_are_bound_back_but_never_tmp_itself(tmp_path,
                                                                             monkeypatch):
    from gdcourse.grader import sandbox
    venv = tmp_path / "venv"
    (venv / "lib" / "site-packages").mkdir(parents=True)
    monkeypatch.setattr(sandbox.sys, "path", ["/tmp", str(venv / "lib" / "site-packages")])
    monkeypatch.setattr(sandbox.sys, "prefix", str(venv))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    needed = sandbox.needed_paths()
    assert str(venv) in needed and "/tmp" not in needed and "/" not in needed
    assert str(venv / "lib" / "site-packages") not in needed      # inside the prefix already
