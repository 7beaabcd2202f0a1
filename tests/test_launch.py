"""``python -m gdcourse lab``: the JupyterLab command, and the real server it starts."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from gdcourse import kernels, launch
from gdcourse.__main__ import main

REPO = Path(__file__).resolve().parents[1]
HIDE = "--ContentsManager.hide_globs="


def _globs(cmd: list[str]) -> list[str]:
    return [a[len(HIDE):] for a in cmd if a.startswith(HIDE)]


@pytest.fixture
def course(tmp_path) -> Path:
    """A notebooks/ folder like the course's: the first notebook and solutions/."""
    import nbformat
    from nbformat.v4 import new_notebook

    folder = tmp_path / "notebooks"
    (folder / launch.SOLUTIONS).mkdir(parents=True)
    nbformat.write(new_notebook(), folder / launch.START_NOTEBOOK)
    nbformat.write(new_notebook(), folder / launch.SOLUTIONS / "07_exercises.ipynb")
    return folder


# -- the command ----------------------------------------------------------------------------
def test_root_gets_allow_root_and_nobody_else_does(course):
    assert "--allow-root" in launch.lab_command(course, uid=0)
    assert "--allow-root" not in launch.lab_command(course, uid=1000)
    assert "--allow-root" not in launch.lab_command(course, uid=None)      # Windows


def test_uid_must_be_an_int_or_none(course):
    with pytest.raises(TypeError, match=r"uid must be an int user id or None, got str '0'"):
        launch.lab_command(course, uid="0")


def test_runs_jupyterlab_of_this_python_rooted_at_the_notebooks(course):
    cmd = launch.lab_command(course, uid=1000)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={course.resolve()}" in cmd
    assert launch.lab_command(course, uid=1000, python="/opt/py")[0] == "/opt/py"


def test_opens_the_first_notebook_when_it_is_there(course, tmp_path):
    cmd = launch.lab_command(course, uid=1000)
    assert f"--ServerApp.file_to_run={course.resolve() / launch.START_NOTEBOOK}" in cmd
    empty = tmp_path / "empty"
    empty.mkdir()
    assert not any("file_to_run" in a for a in launch.lab_command(empty, uid=1000))


def test_solutions_are_hidden_and_the_default_globs_kept(course):
    from jupyter_server.services.contents.manager import ContentsManager

    defaults = list(ContentsManager.hide_globs.default())
    assert "__pycache__" in defaults                  # we read the real default
    assert _globs(launch.lab_command(course, uid=1000)) == defaults + ["solutions"]


def test_given_defaults_are_extended_once(course):
    assert _globs(launch.lab_command(course, uid=1000, defaults=["*.tmp"])) == ["*.tmp",
                                                                                "solutions"]
    assert _globs(launch.lab_command(course, uid=1000, defaults=["solutions"])) == ["solutions"]


def test_kernel_encryption_is_passed_to_the_server(course):
    cmd = launch.lab_command(course, uid=1000)
    for option in kernels.server_options():
        assert option in cmd
    disabled = launch.lab_command(course, uid=1000, encryption="disabled")
    assert not any("transport_encryption" in a for a in disabled)


def test_browser_port_and_extra_arguments(course):
    cmd = launch.lab_command(course, uid=1000, open_browser=False, port=8899,
                             extra=["--ServerApp.ip=0.0.0.0"])
    assert "--no-browser" in cmd and "--ServerApp.port=8899" in cmd
    assert cmd[-1] == "--ServerApp.ip=0.0.0.0"
    assert "--no-browser" not in launch.lab_command(course, uid=1000)
    with pytest.raises(ValueError, match=r"port must be an int from 1 to 65535 or None, got 0"):
        launch.lab_command(course, uid=1000, port=0)


def test_a_setting_given_again_after_dashes_replaces_ours(course):
    """JupyterLab refuses a single-valued setting given twice; the user's must win."""
    cmd = launch.lab_command(course, uid=1000, port=8899,
                             extra=["--port=9000", "--KernelManager.transport_encryption=disabled",
                                    "--notebook-dir=/elsewhere", f"{HIDE}*.bak"])
    assert "--ServerApp.port=8899" not in cmd and "--port=9000" in cmd
    assert [a for a in cmd if "transport_encryption" in a] == [
        "--KernelManager.transport_encryption=disabled"]
    assert not any(a.startswith("--ServerApp.root_dir=") for a in cmd)
    assert _globs(cmd)[-2:] == ["solutions", "*.bak"]          # lists add up


def test_the_e2e_server_gets_the_same_options():
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from e2e.lab import LabServer
    finally:
        sys.path.remove(str(REPO / "tests"))
    cmd = LabServer(Path("/srv/nb"), Path("/srv/state")).command()
    assert cmd[-len(launch.server_options(launch.current_uid())):] == launch.server_options(
        launch.current_uid())


# -- finding the notebooks, the command line ------------------------------------------------
def test_the_clone_notebooks_are_found():
    assert launch.find_notebooks() == REPO / "notebooks"
    assert (launch.find_notebooks() / launch.START_NOTEBOOK).is_file()


def test_a_non_editable_install_is_told_to_use_a_clone(monkeypatch, tmp_path):
    monkeypatch.setattr(launch, "REPO_NOTEBOOKS", tmp_path / "site-packages" / "notebooks")
    with pytest.raises(launch.LaunchError, match=r"from a clone.*or pass --notebooks DIR"):
        launch.find_notebooks()


def test_notebooks_option_must_be_a_folder(tmp_path, course, capsys):
    assert launch.find_notebooks(course) == course.resolve()
    with pytest.raises(launch.LaunchError, match=r"--notebooks: expected a folder of notebooks, "
                                                 r"got '.*nowhere' \(does not exist\)"):
        launch.find_notebooks(tmp_path / "nowhere")
    with pytest.raises(launch.LaunchError, match=r"is not a folder"):
        launch.find_notebooks(course / launch.START_NOTEBOOK)
    assert main(["lab", "--notebooks", str(tmp_path / "nowhere")]) == 2
    assert "lab: --notebooks: expected a folder" in capsys.readouterr().err
    assert main(["lab", "--port", "70000"]) == 2
    assert "--port: expected a port from 1 to 65535, got 70000" in capsys.readouterr().err


def test_command_line_builds_and_runs_the_command(monkeypatch, course):
    ran = {}

    def fake_run_lab(cmd, cwd):
        ran.update(cmd=cmd, cwd=cwd)
        return 5

    monkeypatch.setattr(launch, "run_lab", fake_run_lab)
    assert main(["lab", "--notebooks", str(course), "--no-browser", "--port", "8899", "--",
                 "--ServerApp.ip=0.0.0.0"]) == 5
    assert ran["cwd"] == course.resolve()
    assert ran["cmd"] == launch.lab_command(course, uid=launch.current_uid(), open_browser=False,
                                            port=8899, extra=["--ServerApp.ip=0.0.0.0"])


# -- running it -----------------------------------------------------------------------------
def test_exit_status_is_passed_on(tmp_path):
    assert launch.run_lab([sys.executable, "-c", "raise SystemExit(3)"], tmp_path) == 3
    if hasattr(signal, "SIGKILL"):
        code = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
        assert launch.run_lab([sys.executable, "-c", code], tmp_path) == 128 + signal.SIGKILL


# A shell that starts a job in the background (CI runners may) makes it ignore SIGINT, and
# its children inherit that; a learner's terminal does not, so both scripts restore Ctrl-C.
CHILD = """\
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(7))
try:
    print("ready", flush=True)
    time.sleep(60)
except KeyboardInterrupt:
    sys.exit(5)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 7), (signal.SIGINT, 5)])
def test_a_signal_to_the_launcher_reaches_jupyterlab(tmp_path, sig, status):
    """SIGTERM, and Ctrl-C that no terminal delivered to the child, are forwarded."""
    (tmp_path / "child.py").write_text(CHILD)
    runner = textwrap.dedent(f"""\
        import signal, sys
        from gdcourse.launch import run_lab
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.exit(run_lab([sys.executable, {str(tmp_path / 'child.py')!r}], {str(tmp_path)!r}))
        """)
    proc = subprocess.Popen([sys.executable, "-c", runner], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(sig)
        assert proc.wait(timeout=20) == status
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()


# -- the real server ------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, json.loads(resp.read() or b"null")


def _post(url: str, token: str, data=None, method="POST"):
    req = urllib.request.Request(url, method=method, data=json.dumps(data or {}).encode(),
                                 headers={"Authorization": f"token {token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
        return resp.status, (json.loads(raw) if raw else None)


async def _run_code(port: int, token: str, kernel_id: str, code: str) -> str:
    """Run ``code`` in the kernel through the server's websocket; return its stdout."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(HTTPRequest(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels",
        headers={"Authorization": f"token {token}"}))
    msg_id, session = secrets.token_hex(8), secrets.token_hex(8)
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                   "session": session, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False}}))
    out, replied, idle = [], False, False
    try:
        while not (replied and idle):      # shell reply and iopub output come in any order
            raw = await asyncio.wait_for(ws.read_message(), 60)
            assert raw is not None, "the server closed the kernel's websocket"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "execute_reply":
                assert msg["content"]["status"] == "ok", msg["content"]
                replied = True
            elif msg["msg_type"] == "status":
                idle = msg["content"]["execution_state"] == "idle"
    finally:
        ws.close()
    return "".join(out)


@pytest.mark.kernel
def test_real_server_hides_solutions_and_starts_quiet_kernels(tmp_path, course):
    """``python -m gdcourse lab`` (as whoever runs the tests, root in containers)."""
    port, token = _free_port(), secrets.token_hex(16)
    state = tmp_path / "state"
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
    for name in ("config", "runtime", "data", "ipython"):
        (state / name).mkdir(parents=True)
    env.update(JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_RUNTIME_DIR=str(state / "runtime"),
               JUPYTER_DATA_DIR=str(state / "data"), IPYTHONDIR=str(state / "ipython"))
    log_path = tmp_path / "lab.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gdcourse", "lab", "--notebooks", str(course), "--no-browser",
             "--port", str(port), "--", f"--IdentityProvider.token={token}",
             "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"],
            env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log_path.read_text(errors="replace")
            try:
                if _get(base + "/api/status", token)[0] == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.25)

        _, root = _get(base + "/api/contents", token)
        names = {c["name"] for c in root["content"]}
        assert launch.START_NOTEBOOK in names and launch.SOLUTIONS not in names
        # hidden from the listing, not locked: its path still opens it
        assert _get(base + "/api/contents/solutions/07_exercises.ipynb?content=0", token)[0] == 200

        _, kernel = _post(base + "/api/kernels", token, {"name": "python3"})
        connection = state / "runtime" / f"kernel-{kernel['id']}.json"
        # code runs over the server's (encrypted) channels: the kernel is up and reachable
        assert asyncio.run(_run_code(port, token, kernel["id"], "print(6 * 7)")) == "42\n"
        info = json.loads(connection.read_text())
        _post(base + f"/api/kernels/{kernel['id']}", token, method="DELETE")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)        # to the launcher, which passes it on
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    log = log_path.read_text(errors="replace")
    assert "Running as root is not recommended" not in log
    if kernels.transport_encryption() == "auto":
        assert info.get("curve_publickey"), info           # keys reached ServerKernelManager
        assert "without encryption" not in log, log
    assert proc.returncode == 0, log
