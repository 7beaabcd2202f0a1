"""The grader's sandbox (bubblewrap): what learner code in a hand-in can no longer do.

Each test runs hostile code in a real sandboxed kernel and checks, from outside, that it had
no effect; without the sandbox each of them fails (the code would succeed). Hand-ins are the
solutions notebook plus extra cells, so the rest of the grade (100) shows the hostile cell
cost nothing else. Skipped where bubblewrap does not work (macOS, Windows, no ``bwrap``).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from gdcourse.grader import Settings, grade_many, grade_submission
from gdcourse.grader.kernel import KernelSession
from gdcourse.grader.sandbox import Limits, bwrap_problem, sandbox_for

pytestmark = [pytest.mark.kernel,
              pytest.mark.skipif(bwrap_problem() is not None,
                                 reason=f"no working bubblewrap here: {bwrap_problem()}")]

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "notebooks" / "solutions" / "07_exercises.ipynb"
SETTINGS = Settings(cell_timeout=5.0, call_timeout=1.0)
# Temporary folders go to tmp_path (scratch=, TMPDIR, tempfile.tempdir), not to the system's
# temp dir, where test_grader_cli.py looks for folders left behind while these tests may run.


def hand_in(path: Path, *cells: str, markdown: str = "") -> Path:
    """The solutions notebook with ``cells`` (code) inserted at the top."""
    nb = nbformat.read(SOLUTIONS, as_version=4)
    nb.cells[0:0] = [new_code_cell(c) for c in cells]
    if markdown:
        nb.cells.insert(0, new_markdown_cell(markdown))
    nbformat.write(nb, path)
    return path


def failed_cells(record) -> dict:
    """Code cell number -> "status: message" of the cells that did not run cleanly."""
    return {c["cell"]: f"{c['status']}: {c['message']}" for c in record["cells"]}


@pytest.fixture
def session(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    box = sandbox_for("bwrap", SETTINGS)
    sessions = []

    def make(**kw):
        ks = KernelSession(str(work), 60.0, sandbox=box, **kw)
        ks.start()
        sessions.append(ks)
        return ks

    yield make
    for ks in sessions:
        ks.shutdown()


def test_no_network_not_even_to_this_machine(session):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    port = server.getsockname()[1]
    r = session().execute(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), 2)",
                          10)
    assert r.status == "error" and r.ename in ("ConnectionRefusedError", "OSError"), r
    with pytest.raises(socket.timeout):
        server.accept()                                   # nothing connected
    server.close()


def test_tmp_is_private(session, tmp_path):
    outside = tmp_path / "grader-secret.txt"              # tmp_path is in /tmp
    outside.write_text("secret")
    name = f"/tmp/made-in-sandbox-{uuid.uuid4().hex}"
    r = session().execute(
        f"import os\nassert not os.path.exists({str(outside)!r}), 'sees the /tmp of the grader'\n"
        f"open({name!r}, 'w').write('x')\nassert os.path.exists({name!r})", 10)
    assert r.status == "ok", r
    assert not os.path.exists(name)


def test_an_inherited_fd_is_writable_inside_also_after_a_restart(session):
    read_end, write_end = os.pipe()
    try:
        ks = session(pass_fds=(write_end,))
        assert ks.execute(f"import os\nos.write({write_end}, b'before')", 10).status == "ok"
        ks.restart()
        assert ks.execute(f"import os\nos.write({write_end}, b'|after')", 10).status == "ok"
        os.close(write_end)
        write_end = None
        ks.shutdown()                                      # the kernel's copy goes too
        assert os.read(read_end, 100) == b"before|after"
    finally:
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)


@pytest.fixture(params=["folder hidden", "file masked"])
def hand_ins(request, tmp_path_factory, monkeypatch):
    """Two hand-ins in a folder outside /tmp (the sandbox's /tmp is private anyway).

    "file masked": the folder also holds a PYTHONPATH entry, so it cannot be replaced by
    an empty one; each hand-in file is covered by /dev/null instead.
    """
    folder = Path(os.environ.get("GDCOURSE_TEST_VAR_TMP", "/var/tmp"),
                  f"gdcourse-sandbox-test-{uuid.uuid4().hex[:8]}")
    folder.mkdir()
    if request.param == "file masked":
        (folder / "lib").mkdir()
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
            [str(folder / "lib")] + [p for p in os.environ.get("PYTHONPATH", "").split(
                os.pathsep) if p]))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_hand_ins_can_be_neither_read_nor_written(hand_ins, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    evil, other = hand_ins / "evil.ipynb", hand_ins / "other.ipynb"
    hand_in(other, markdown="SECRET-1234")
    hand_in(evil,
            "import ctypes, os\n"
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            f"for p in [{str(other)!r}, {str(hand_ins)!r}]:   # what hides them, if it can\n"
            "    libc.umount2(p.encode(), 2)\n"
            "found = []\n"
            f"for p in [{str(other)!r}, {str(evil)!r}]:\n"
            "    try:\n"
            "        found.append(b'SECRET-1234' in open(p, 'rb').read())\n"
            "    except OSError:\n"
            "        pass\n"
            "if any(found):\n"
            "    raise RuntimeError('LEAKED: read a hand-in')",
            "wrote = []\n"
            f"for p in [{str(other)!r}, {str(evil)!r}, {str(hand_ins / 'new.txt')!r}]:\n"
            "    try:\n"
            "        open(p, 'a').write('HACKED')\n"
            "        wrote.append(p)\n"
            "    except OSError:\n"
            "        pass\n"
            "if wrote:\n"
            "    raise RuntimeError(f'WROTE {wrote}')")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (evil, other)}
    listing = sorted(os.listdir(hand_ins))
    records = grade_many([evil, other], 5, SETTINGS, sandbox="bwrap")
    assert sorted(os.listdir(hand_ins)) == listing
    for p, (data, mtime) in before.items():
        assert (p.read_bytes(), p.stat().st_mtime_ns) == (data, mtime)
    for record in records:
        assert record["status"] == "graded", record["error"]
        assert record["warnings"] == []                  # FileGuard had nothing to restore
        assert record["cells"] == [], failed_cells(record)
        assert record["score"] == 100


def _marked(marker: str) -> list:
    """Process ids (here) whose command line contains ``marker``."""
    pids = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    pids.append(int(name))
        except (OSError, ValueError):
            continue
    return pids


def test_a_daemon_started_by_a_hand_in_is_gone_when_the_grading_returns(tmp_path):
    marker = f"gdcourse-escapee-{uuid.uuid4().hex}"
    log = tmp_path / "escapee.log"
    daemon = (f"import os, time\nwhile True:\n"
              f"    os.makedirs({str(tmp_path)!r}, exist_ok=True)\n"
              f"    open({str(log)!r}, 'a').write('alive\\n')\n    time.sleep(0.1)\n")
    path = hand_in(tmp_path / "escapes.ipynb",
                   "import os, subprocess, sys, time\n"
                   "if os.fork() == 0:\n"
                   "    os.setsid()\n"
                   "    if os.fork() == 0:\n"
                   f"        os.execv(sys.executable, [sys.executable, '-c', {daemon!r}, "
                   f"{marker!r}])\n"
                   "    os._exit(0)\n"
                   "time.sleep(0.5)")
    try:
        record = grade_submission(path, 5, SETTINGS, sandbox="bwrap", scratch=tmp_path)
        assert _marked(marker) == []
        assert not log.exists()
        time.sleep(1.0)
        assert _marked(marker) == [] and not log.exists()
        assert record["score"] == 100 and record["cells"] == [], failed_cells(record)
    finally:
        for pid in _marked(marker):                       # when the test fails
            os.kill(pid, 9)


def test_memory_and_file_size_limits_cost_one_cell_each(tmp_path):
    settings = Settings(cell_timeout=5.0, call_timeout=1.0, max_file_mb=8)
    path = hand_in(tmp_path / "greedy.ipynb",
                   f"import numpy as np\nhuge = np.empty({6 * 2**30 // 8})   # 6 GiB, untouched",
                   "open('big.bin', 'wb').write(b'x' * (9 * 2**20))")
    record = grade_submission(path, 5, settings, sandbox="bwrap", scratch=tmp_path)
    cells = failed_cells(record)
    assert set(cells) == {1, 2}, cells
    assert "MemoryError" in cells[1] and "File too large" in cells[2], cells
    assert record["score"] == 100 and record["kernel_restarts"] == 0


def test_a_fork_bomb_is_stopped_and_the_rest_is_graded(tmp_path):
    settings = Settings(cell_timeout=5.0, call_timeout=1.0, max_processes=8)
    path = hand_in(tmp_path / "bomb.ipynb",
                   "import os, time\n"
                   "for _ in range(5):            # at most 2**5 = 32 processes, each sleeping\n"
                   "    os.fork()\n"
                   "time.sleep(3)\n"
                   "if os.getpid() != KERNEL:\n"
                   "    os._exit(0)",
                   )
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, new_code_cell("import os\nKERNEL = os.getpid()"))
    nbformat.write(nb, path)
    record = grade_submission(path, 5, settings, sandbox="bwrap", scratch=tmp_path)
    cells = failed_cells(record)
    assert list(cells) == [2], cells
    assert cells[2].startswith("crashed:") and "more than 8 processes" in cells[2], cells
    assert record["score"] == 100


def test_a_hand_in_cannot_kill_its_grading_process(tmp_path):
    # Its parent is the sandbox's init, which ignores signals sent from inside the sandbox.
    # (Without the sandbox this kills the grader: hence a grader of its own.)
    path = hand_in(tmp_path / "killer.ipynb", "import os, signal\n"
                                              "os.kill(os.getppid(), signal.SIGKILL)")
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(path), "--sandbox",
                           "bwrap", "--seed", "5", "--json", "-"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    (record,) = json.loads(proc.stdout)["submissions"]
    assert record["score"] == 100 and record["cells"] == [], failed_cells(record)


def test_the_kernel_has_no_capabilities_even_when_the_grader_is_root(session):
    r = session().execute("print([l.split()[1] for l in open('/proc/self/status') "
                          "if l.startswith(('CapEff', 'CapPrm', 'NoNewPrivs'))])", 10)
    assert r.output.strip() == "['0000000000000000', '0000000000000000', '1']", r


def test_the_limits_are_applied_to_the_kernel(session):
    r = session().execute(
        "import resource as r\n"
        "print([r.getrlimit(x)[0] for x in (r.RLIMIT_AS, r.RLIMIT_NOFILE, r.RLIMIT_FSIZE, "
        "r.RLIMIT_CPU)])", 10)
    limits = Limits.from_settings(SETTINGS)
    assert r.output.strip() == str([limits.memory_mb * 2**20, limits.max_open_files,
                                    limits.max_file_mb * 2**20, limits.cpu_seconds])


def test_a_kernel_over_its_cpu_time_dies_says_why_and_restarts(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    box = sandbox_for("bwrap", Settings(cpu_seconds=3))
    with KernelSession(str(work), 60.0, sandbox=box) as ks:
        r = ks.execute("while True:\n    pass", 20)
        assert r.status == "dead" and "CPU time limit (3 s" in r.why, r
        ks.restart()
        assert ks.execute("print(6 * 7)", 10).output == "42\n"


def test_a_python_environment_and_package_under_tmp_are_bound_back(tmp_path):
    """As in CI: the virtual environment and the clone of the repository are under /tmp."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    here = [p for p in sys.path if p.endswith("site-packages")]
    (site / "outer.pth").write_text("\n".join(here) + "\n")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "gdcourse", repo / "gdcourse",
                    ignore=shutil.ignore_patterns("__pycache__"))
    sub = tmp_path / "hand-in.ipynb"
    sub.write_bytes(SOLUTIONS.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(repo), "TMPDIR": str(tmp_path)}
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "gdcourse", "grade", str(sub),
                           "--sandbox", "bwrap", "--seed", "1", "--json", "-"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["sandbox"] == "bwrap"
    assert report["submissions"][0]["score"] == 100, report["submissions"][0]


def test_cli_sandbox_bwrap_without_bwrap_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(SOLUTIONS),
                           "--sandbox", "bwrap"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": str(tmp_path)})
    assert proc.returncode == 2, proc.stderr
    assert "--sandbox bwrap" in proc.stderr and "bwrap not found on PATH" in proc.stderr
    assert "install bubblewrap" in proc.stderr


def test_cli_sandbox_none_says_so(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json")                            # no kernel needed
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(bad), "--sandbox",
                           "none"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert "sandbox: none (asked for: learner code runs with your user's rights" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert "sandbox: bubblewrap (no network" in proc.stderr


def test_cli_limits_go_into_the_settings_of_the_json(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("not json")                            # no kernel needed
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(bad), "--json", "-",
                           "--memory-mb", "2048", "--max-processes", "9", "--cpu-seconds", "30",
                           "--max-file-mb", "7", "--max-open-files", "100"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3, proc.stderr
    report = json.loads(proc.stdout)
    assert report["sandbox"] == "bwrap"
    assert {k: report["settings"][k] for k in ("memory_mb", "max_processes", "cpu_seconds",
                                                "max_file_mb", "max_open_files")} == {
        "memory_mb": 2048, "max_processes": 9, "cpu_seconds": 30, "max_file_mb": 7,
        "max_open_files": 100}
    assert "limits: memory 2048 MB, 9 processes, 100 open files" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "gdcourse", "grade", str(bad),
                           "--max-processes", "0"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "at least 1" in proc.stderr
