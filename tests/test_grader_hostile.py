"""Hostile hand-ins (issue 15): each is the solved notebook plus one class of attack on the
grader, built by tests/fixtures/make_hostile.py. Their expected grades are worked out by hand
in tests/fixtures/hostile/expected.json.

A hand-in that acts on paths is armed here (:func:`arm`): a copy in the test's temporary
folder gets the paths it should attack. Processes it starts carry ``MARKER`` + a token of
this test in their command line; every test ends those it finds, by process id, when it is
done. Without a sandbox the attacks are kept on a leash (see VANDAL in make_hostile.py): they
touch files only under folders this test made, and pipes only of processes whose environment
holds this test's token, never anything else on the machine.

Some of these wait for work in progress on the grader: the sandbox (``sandbox=`` of
grade_many, ``--sandbox``; bwrap) and the "tampering suspected" rule (once the agent sees
tampering, the exercise being graded and every later one score 0).
"""

import csv
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdcourse.exercises import EXERCISES

pytestmark = [pytest.mark.kernel,   # grades real notebooks in real kernels
              pytest.mark.skipif(sys.platform != "linux", reason="the attacks use /proc, fork "
                                 "and FIFOs: Linux only")]

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
EXPECTED = {k: v for k, v in json.loads((HOSTILE / "expected.json").read_text()).items()
            if not k.startswith("_")}
SOLUTIONS = ROOT / "notebooks" / "solutions" / "07_exercises.ipynb"
SEED = 20261122
FULL = {e.name: float(e.points) for e in EXERCISES}
MARKER = "gdcourse-hostile-"
NO_BWRAP = pytest.mark.skipif(shutil.which("bwrap") is None, reason=(
    "bwrap is not installed: without the sandbox the grader only puts hand-in files back; "
    "a hand-in can still write elsewhere and leave processes behind (README, 'What the grader "
    "protects against')"))
CLI_OPTIONS = ["--seed", str(SEED), "--cell-timeout", "3", "--call-timeout", "1", "--quiet"]


# -- helpers ---------------------------------------------------------------------------------
def arm(name: str, dest: Path, settings: dict | None = None) -> Path:
    """A copy of hostile hand-in ``name`` in ``dest``, with ``HOSTILE = settings`` in it."""
    nb = json.loads((HOSTILE / name).read_text(encoding="utf-8"))
    if settings is not None:
        armed = 0
        for cell in nb["cells"]:
            text = "".join(cell["source"])
            if "HOSTILE = None" in text:
                cell["source"] = text.replace("HOSTILE = None", f"HOSTILE = {settings!r}", 1)
                armed += 1
        assert armed == 1, f"{name} has no 'HOSTILE = None' line to arm"
    path = dest / name
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def classmate(dest: Path, name: str = "classmate.ipynb") -> Path:
    """A fully correct hand-in (the solutions notebook)."""
    path = dest / name
    shutil.copyfile(SOLUTIONS, path)
    return path


def marked(token: str) -> list:
    """Ids of the processes whose command line holds this test's marker."""
    needle = (MARKER + token).encode()
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if needle in f.read():
                        out.append(int(pid))
            except OSError:
                pass
    return out


def end_marked(token: str) -> None:
    """End, by id, the processes a hand-in of this test started and left running."""
    for pid in marked(token):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def run_cli(args, cwd: Path, env: dict | None = None, timeout: float = 120.0):
    """``python -m gdcourse grade ARGS`` in its own session; on timeout, its process group is
    ended (by its id) and the test fails with what it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "gdcourse", "grade", *map(str, args)],
                            cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"the grader did not finish within {timeout:g} s\n{err[-2000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def by_name(records) -> dict:
    return {Path(r["submission"]).name: r for r in records}


def check(got: dict, name: str) -> None:
    """``got`` (a grade record) is what expected.json says for hostile hand-in ``name``."""
    want = EXPECTED[name]
    assert got["status"] == want["status"], (name, got["error"])
    if want["status"] == "error":
        assert want["error"] in got["error"], (name, got["error"])
        assert got["score"] == 0 and len(got["exercises"]) == len(EXERCISES)
        return
    scores = {e["exercise"]: e for e in got["exercises"]}
    wrong = []
    for ex, full in FULL.items():
        score, phrase = want.get("exercises", {}).get(ex, (full, None))
        entry = scores[ex]
        if want["total"] is None:
            continue                  # not fixed (see its 'why'): only the status is
        if abs(entry["score"] - score) > 0.005 or (phrase and phrase not in entry["message"]):
            wrong.append(f"{ex}: {entry['score']:g}, not {score:g}"
                         + (f" with {phrase!r}" if phrase else "") + f": {entry['message']}")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)
    if want["total"] is not None:
        assert got["score"] == pytest.approx(want["total"], abs=0.005), name


def check_full_marks(got: dict) -> None:
    assert got["status"] == "graded", got["error"]
    assert got["score"] == pytest.approx(100.0), [
        (e["exercise"], e["score"], e["message"]) for e in got["exercises"]
        if e["score"] < e["max_score"]]


def snapshot(paths) -> dict:
    """path -> (size, mtime_ns, sha256) of every file under ``paths`` (files or folders)."""
    import hashlib
    out = {}
    for top in map(Path, paths):
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for p in files:
            st = p.stat()
            out[str(p)] = (st.st_size, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def changes(before: dict, after: dict) -> list:
    return sorted(f"{p}: {'new' if p not in before else 'gone' if p not in after else 'changed'}"
                  for p in set(before) | set(after) if before.get(p) != after.get(p))


@pytest.fixture
def attack(tmp_path):
    """Settings of the leash the attacks of one test are kept on (see the module docstring):
    a token, a private TMPDIR for the grader, the test's namespaces, and a sentinel file in
    each shared temp folder (visible there = not a private /tmp, so not fair game)."""
    token = secrets.token_hex(8)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    sentinel = f"gdcourse-hostile-{token}.sentinel"
    made = []
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(folder):
            Path(folder, sentinel).write_text("a shared temp folder: not fair game\n")
            made.append(Path(folder, sentinel))
    env = dict(os.environ, TMPDIR=str(tmp), GDCOURSE_HOSTILE_TOKEN=token)
    env.pop("PYTEST_CURRENT_TEST", None)
    settings = {"token": token, "sentinel": sentinel, "leash": [str(tmp)], "seconds": 15,
                "mnt_ns": os.readlink("/proc/self/ns/mnt"),
                "pid_ns": os.readlink("/proc/self/ns/pid")}
    try:
        yield {"token": token, "tmp": tmp, "env": env, "vandal": settings}
    finally:
        end_marked(token)
        for p in made:
            p.unlink(missing_ok=True)


# -- 1. a neighbour changes another's grade ----------------------------------------------------
def test_a_vandal_graded_next_to_a_classmate_changes_only_its_own_grade(tmp_path, attack):
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    arm("01_vandal.ipynb", folder, attack["vandal"])
    classmate(folder)
    out = tmp_path / "grades.json"
    proc = run_cli([folder, "--jobs", "2", "--json", out, *CLI_OPTIONS], cwd=tmp_path,
                   env=attack["env"], timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    subs = by_name(json.loads(out.read_text())["submissions"])
    check_full_marks(subs["classmate.ipynb"])
    check(subs["01_vandal.ipynb"], "01_vandal.ipynb")


# -- 2. malformed data to the judge ----------------------------------------------------------
def test_odd_results_cost_their_exercises_only_and_the_next_hand_in_is_graded(tmp_path):
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    shutil.copy(HOSTILE / "02_odd_results.ipynb", folder)
    classmate(folder, "zz_classmate.ipynb")                          # graded after it
    out_json, out_csv = tmp_path / "grades.json", tmp_path / "grades.csv"
    proc = run_cli([folder, "--jobs", "1", "--json", out_json, "--csv", out_csv, *CLI_OPTIONS],
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    subs = by_name(json.loads(out_json.read_text())["submissions"])
    check(subs["02_odd_results.ipynb"], "02_odd_results.ipynb")
    check_full_marks(subs["zz_classmate.ipynb"])
    rows = {Path(r["submission"]).name: r for r in csv.DictReader(io.StringIO(out_csv.read_text()))}
    assert set(rows) == {"02_odd_results.ipynb", "zz_classmate.ipynb"}
    assert rows["02_odd_results.ipynb"]["status"] == "graded"
    assert float(rows["02_odd_results.ipynb"]["total"]) == EXPECTED["02_odd_results.ipynb"]["total"]
    assert rows["zz_classmate.ipynb"]["total"] == "100"


# -- 3. kills its pool worker ----------------------------------------------------------------
@NO_BWRAP
def test_a_hand_in_that_kills_its_worker_kills_nothing_in_the_sandbox(tmp_path, attack):
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    shutil.copy(HOSTILE / "03_kills_its_worker.ipynb", folder)
    classmate(folder, "classmate_1.ipynb")
    classmate(folder, "classmate_2.ipynb")
    out = tmp_path / "grades.json"
    proc = run_cli([folder, "--jobs", "2", "--json", out, *CLI_OPTIONS], cwd=tmp_path,
                   env=attack["env"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    subs = by_name(json.loads(out.read_text())["submissions"])
    check(subs["03_kills_its_worker.ipynb"], "03_kills_its_worker.ipynb")
    check_full_marks(subs["classmate_1.ipynb"])
    check_full_marks(subs["classmate_2.ipynb"])
    left = sorted(p.name for p in attack["tmp"].glob("gdcourse-*"))
    assert left == [], f"temporary folders left behind: {left}"


# -- 4. replaces a classmate's file with a FIFO, or a folder ---------------------------------
def test_a_fifo_or_a_folder_in_a_classmates_place_changes_nothing(tmp_path):
    folder = tmp_path / "hand-ins"
    folder.mkdir()
    victims = {kind: classmate(folder, f"victim_of_{kind}.ipynb") for kind in ("fifo", "folder")}
    arm("04_fifo_over_classmate.ipynb", folder, {"victim": str(victims["fifo"])})
    arm("04_folder_over_classmate.ipynb", folder, {"victim": str(victims["folder"])})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in victims.values()}
    out = tmp_path / "grades.json"
    proc = run_cli([folder, "--jobs", "2", "--json", out, *CLI_OPTIONS], cwd=tmp_path,
                   timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    subs = by_name(json.loads(out.read_text())["submissions"])
    for name in ("04_fifo_over_classmate.ipynb", "04_folder_over_classmate.ipynb"):
        check(subs[name], name)
    for path, (data, mtime) in before.items():
        check_full_marks(subs[path.name])                # graded from the bytes read first
        assert path.is_file() and path.read_bytes() == data, path
        assert path.stat().st_mtime_ns == mtime, path
        aside = path.with_name(path.name + ".replaced-during-grading")
        if os.path.lexists(aside):
            # the attack got through (no sandbox, or a writable hand-in folder): it was undone
            # and the intruder kept for a person to look at
            assert any(str(aside) in w for w in subs[path.name]["warnings"]), \
                subs[path.name]["warnings"]
            assert aside.is_fifo() if "fifo" in path.name else (aside / "inside.txt").exists()


# -- 5. outlives the grader ------------------------------------------------------------------
@NO_BWRAP
def test_a_child_that_outlives_the_grader_is_ended_with_it(tmp_path, attack, monkeypatch):
    from gdcourse.grader import Settings, grade_many
    folder, cwd = tmp_path / "hand-ins", tmp_path / "cwd"
    folder.mkdir()
    cwd.mkdir()
    victim = classmate(folder, "00_classmate.ipynb")     # graded first: the attacker is last
    arm("05_outlives_grader.ipynb", folder, {"token": attack["token"], "victim": str(victim),
                                             "cwd": str(cwd), "folder": str(folder)})
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("GDCOURSE_HOSTILE_TOKEN", attack["token"])
    records = grade_many([folder], SEED, Settings(cell_timeout=3.0, call_timeout=1.0))
    left = marked(attack["token"])            # right away: the sandbox ends them with it
    before = snapshot([folder, cwd])
    subs = by_name(records)
    check(subs["05_outlives_grader.ipynb"], "05_outlives_grader.ipynb")
    check_full_marks(subs["00_classmate.ipynb"])
    assert left == [], f"processes of a hand-in outlived the grader: {left}"
    time.sleep(3.0)                           # its child would write 1 s after the kernel ends
    assert changes(before, snapshot([folder, cwd])) == []
    assert not (cwd / "grades.json").exists() and not (folder / "grades.json").exists()


# -- 6 and 7. tampering inside the kernel; a kernel that deletes its folder; empty cells -----
IN_PROCESS = sorted(n for n in EXPECTED if n.startswith(("06", "07")))


@pytest.fixture(scope="module")
def in_process():
    """The hand-ins that need no arming, graded together, two at a time."""
    from gdcourse.grader import Settings, grade_many
    records = grade_many([HOSTILE / n for n in IN_PROCESS], SEED,
                         Settings(cell_timeout=3.0, call_timeout=1.0), jobs=2)
    return by_name(records)


@pytest.mark.parametrize("name", IN_PROCESS)
def test_a_hostile_hand_in_gets_the_grade_worked_out_by_hand(in_process, name):
    check(in_process[name], name)


def test_5000_empty_cells_are_skipped(in_process):
    got = in_process["07_5000_empty_cells.ipynb"]
    assert got["cells"] == [], got["cells"][:3]


def test_a_kernel_that_deletes_its_folder_and_crashes_is_no_grader_problem(in_process):
    got = in_process["07_rmtree_then_crash.ipynb"]
    assert "grader problem" not in got["error"] and got["kernel_restarts"] >= 1


# -- nothing outside the grader's own output changes -----------------------------------------
@NO_BWRAP
def test_no_file_outside_the_graders_output_changes(tmp_path, attack):
    folder, cwd = tmp_path / "hand-ins", tmp_path / "cwd"
    canary = Path(f"/tmp/gdcourse-canary-{attack['token']}")      # outside pytest's tmp_path
    home_file = Path.home() / f".gdcourse-hostile-{attack['token']}"
    readme = ROOT / "README.md"
    for d in (folder, cwd, canary):
        d.mkdir(parents=True)
    (cwd / "notes.txt").write_text("the instructor's notes\n")
    (canary / "canary.txt").write_text("do not touch\n")
    victims = [classmate(folder, f"classmate_{k}.ipynb") for k in (1, 2)]
    vandal = dict(attack["vandal"], leash=[str(attack["tmp"]), str(folder), str(cwd),
                                           str(canary)])
    arm("01_vandal.ipynb", folder, vandal)
    arm("04_fifo_over_classmate.ipynb", folder, {"victim": str(victims[0])})
    arm("04_folder_over_classmate.ipynb", folder, {"victim": str(victims[1])})
    arm("05_outlives_grader.ipynb", folder, {"token": attack["token"], "victim": str(victims[0]),
                                             "cwd": str(cwd), "folder": str(folder),
                                             "after": "parent"})      # its grading process
    arm("08_writes_everywhere.ipynb", folder, {
        "readme": str(readme), "home_file": str(home_file), "canary": str(canary),
        "folder": str(folder), "cwd": str(cwd)})
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    watched = [folder, cwd, canary] + [ROOT / p for p in tracked if p and (ROOT / p).is_file()]
    before = snapshot(watched)
    readme_bytes, readme_stat = readme.read_bytes(), readme.stat()
    outputs = {str(cwd / "grades.json"), str(cwd / "grades.csv")}
    try:
        proc = run_cli([folder, "--jobs", "2", "--json", "grades.json", "--csv", "grades.csv",
                        *CLI_OPTIONS], cwd=cwd, env=attack["env"], timeout=90)
        assert proc.returncode in (0, 3), proc.stderr[-2000:]
        assert json.loads((cwd / "grades.json").read_text())["submissions"]
        time.sleep(3.0)                                     # what outlives the grader, too
        after = snapshot(watched)
        assert [c for c in changes(before, after) if c.split(": ")[0] not in outputs] == []
        assert not home_file.exists()
        assert marked(attack["token"]) == []
    finally:
        end_marked(attack["token"])
        if readme.read_bytes() != readme_bytes:                  # undo a write that got through
            readme.write_bytes(readme_bytes)
            os.utime(readme, ns=(readme_stat.st_atime_ns, readme_stat.st_mtime_ns))
        home_file.unlink(missing_ok=True)
        shutil.rmtree(canary, ignore_errors=True)
