"""``python -m gdcourse grade`` as an instructor runs it: table, --json, --csv, a folder."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gdcourse.exercises import EXERCISES

pytestmark = pytest.mark.kernel   # grades real notebooks in real kernels

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"


def test_grade_a_folder_with_json_and_csv(tmp_path):
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    for name in ("01_correct_different_style.ipynb", "15_not_a_notebook.ipynb",
                 "21_stop_rule_signed_change.ipynb"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "notes.txt").write_text("not a submission")
    out_json, out_csv = tmp_path / "grades.json", tmp_path / "grades.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "gdcourse", "grade", str(folder), "--seed", "7", "--jobs", "2",
         "--json", str(out_json), "--csv", str(out_csv), "--call-timeout", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    # one hand-in is not a notebook: every row is written, and the exit status says so
    assert proc.returncode == 3, proc.stderr
    assert "1 of 3 submission(s) could not be graded" in proc.stderr
    assert "grading 3 submission(s) with seed 7" in proc.stderr
    assert proc.stderr.count("/3] ") == 3                                 # progress lines
    assert "99.23 / 100" in proc.stdout and "NOT GRADED: not a Jupyter notebook" in proc.stdout

    report = json.loads(out_json.read_text())
    assert report["seed"] == 7 and report["grader_version"]
    assert {"python", "numpy", "gdcourse", "ipykernel"} <= set(report["versions"])
    assert "--seed 7" in report["reproduce"]
    assert [e["exercise"] for e in report["exercises"]] == [e.name for e in EXERCISES]
    subs = {Path(s["submission"]).name: s for s in report["submissions"]}
    assert set(subs) == {"01_correct_different_style.ipynb", "15_not_a_notebook.ipynb",
                         "21_stop_rule_signed_change.ipynb"}
    case = subs["21_stop_rule_signed_change.ipynb"]["exercises"][7]["cases"][0]
    assert set(case) >= {"case", "score", "message", "time"}

    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert [Path(r["submission"]).name for r in rows] == sorted(subs)
    assert list(rows[0])[:4] == ["submission", "status", "total", "max_total"]
    assert all(e.name in rows[0] for e in EXERCISES)
    good = next(r for r in rows if r["submission"].endswith("21_stop_rule_signed_change.ipynb"))
    assert good["total"] == "99.23" and good["stop_reason"] == "9.23" and good["status"] == "graded"
    bad = next(r for r in rows if r["submission"].endswith("15_not_a_notebook.ipynb"))
    assert bad["status"] == "error" and bad["total"] == "0" and "not a Jupyter" in bad["error"]


def test_json_to_stdout_replaces_the_table(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "gdcourse", "grade", str(FIXTURES / "16_malformed_json.ipynb"),
         "--json", "-", "--quiet"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3 and proc.stderr == ""           # --quiet: the status alone says it
    report = json.loads(proc.stdout)
    assert report["submissions"][0]["status"] == "error"


def test_no_notebooks_found(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "no notebooks found" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="kills its parent with a POSIX signal")
def test_a_hand_in_that_kills_its_worker_costs_only_its_own_grade(tmp_path):
    # Without the sandbox (in it, the kernel's parent is the sandbox's init: see
    # test_grader_sandbox.py), so that the batch's recovery from a dead worker is tested.
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    killer = new_notebook(cells=[new_code_cell("import os, signal\n"
                                                "os.kill(os.getppid(), signal.SIGKILL)")])
    nbformat.write(killer, folder / "00_kills_its_worker.ipynb")
    shutil.copy(FIXTURES / "21_stop_rule_signed_change.ipynb", folder)
    out_json = tmp_path / "grades.json"
    tmp = tmp_path / "tmp"           # its own temporary folder: other tests use the system's
    tmp.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "gdcourse", "grade", str(folder), "--seed", "7", "--jobs", "2",
         "--json", str(out_json), "--quiet", "--call-timeout", "1", "--sandbox", "none"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(tmp)})
    assert proc.returncode == 3, proc.stderr
    subs = {Path(s["submission"]).name: s for s in json.loads(out_json.read_text())["submissions"]}
    assert subs["21_stop_rule_signed_change.ipynb"]["score"] == 99.23     # the innocent one
    killed = subs["00_kills_its_worker.ipynb"]
    assert killed["status"] == "error" and "died, twice" in killed["error"]
    left = sorted(p.name for p in tmp.iterdir())
    assert left == [], f"temporary folders left behind: {left}"


def test_a_kernel_that_deletes_its_working_folder_is_still_graded(tmp_path):
    # In the sandbox the folder itself is a mount point and stays; what is in it goes.
    import nbformat
    from nbformat.v4 import new_code_cell
    nb = nbformat.read(ROOT / "notebooks" / "solutions" / "07_exercises.ipynb", as_version=4)
    nb.cells.insert(0, new_code_cell("import os, shutil\n"
                                     "shutil.rmtree(os.getcwd(), ignore_errors=True)\n"
                                     "os._exit(1)"))
    hand_in = tmp_path / "deletes_its_folder.ipynb"
    nbformat.write(nb, hand_in)
    proc = subprocess.run(
        [sys.executable, "-m", "gdcourse", "grade", str(hand_in), "--seed", "3", "--json", "-",
         "--quiet"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (record,) = json.loads(proc.stdout)["submissions"]
    assert record["status"] == "graded" and record["score"] == 100.0
    assert record["cells"][0]["status"] == "crashed"
