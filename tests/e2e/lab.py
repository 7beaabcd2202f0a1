"""A throw-away JupyterLab server for the browser tests.

The server is isolated from the machine it runs on:

- it listens on 127.0.0.1, on a free port, behind a random token;
- ``JUPYTER_CONFIG_DIR``, ``JUPYTER_RUNTIME_DIR``, ``JUPYTER_DATA_DIR`` and
  ``IPYTHONDIR`` point at fresh folders, so no user settings, saved workspace
  or startup script leaks in. The environment's own ``share/jupyter`` (where
  the ``jupyterlab_widgets`` extension and the ``python3`` kernel live) stays
  on the search path: jupyter looks there after ``JUPYTER_DATA_DIR``;
- it serves a temporary *copy* of ``notebooks/``, because JupyterLab autosaves
  open notebooks and must never write into the repository;
- it gets the options of the learner's ``python -m gdcourse lab``
  (:func:`gdcourse.launch.server_options`): ``--allow-root`` as root, encrypted
  kernel transport, and ``solutions/`` hidden from listings (the tests open the
  solutions notebook by its URL, which still works).

It runs in its own process group; :meth:`LabServer.stop` shuts it down through
the REST API and then kills whatever is left of its process tree (kernels
included), so nothing outlives the test session, also when a test fails.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from gdcourse import launch

__all__ = ["LabServer", "copy_notebooks"]

#: The JupyterLab "news" toast would cover the lower right of every page.
PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_notebooks(src: Path, dst: Path) -> Path:
    """Copy the notebook folder ``src`` to ``dst`` (checkpoints left out)."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dst


class LabServer:
    """A JupyterLab server on ``root_dir``, with all its state under ``state_dir``.

    Parameters
    ----------
    root_dir : Path
        The folder served (a temporary copy of the notebooks).
    state_dir : Path
        An empty folder for the config, runtime, data and IPython dirs and the log.
    """

    def __init__(self, root_dir: Path, state_dir: Path):
        self.root_dir = Path(root_dir)
        self.state_dir = Path(state_dir)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_dir / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None

    # -- life cycle ---------------------------------------------------------------------
    def environment(self) -> dict:
        env = dict(os.environ)
        for name in ("config", "runtime", "data", "ipython"):
            (self.state_dir / name).mkdir(parents=True, exist_ok=True)
        env.update(JUPYTER_CONFIG_DIR=str(self.state_dir / "config"),
                   JUPYTER_RUNTIME_DIR=str(self.state_dir / "runtime"),
                   JUPYTER_DATA_DIR=str(self.state_dir / "data"),
                   IPYTHONDIR=str(self.state_dir / "ipython"),
                   # the kernel prints a debugpy notice on stderr otherwise (server log only)
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        env.pop("JUPYTER_PATH", None)
        env.pop("JUPYTER_PREFER_ENV_PATH", None)
        labconfig = self.state_dir / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        (labconfig / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
        return env

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root_dir}"]
        # what every course JupyterLab gets (the learner's too, `python -m gdcourse lab`):
        # --allow-root as root, encrypted kernel transport, solutions/ left out of listings
        return cmd + launch.server_options(launch.current_uid())

    def start(self, timeout: float = 60.0) -> "LabServer":
        """Start the server and wait until its REST API answers."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        env = self.environment()
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(self.command(), env=env, cwd=self.root_dir,
                                         stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}:\n"
                                   + self.log_tail())
            try:
                if self.api("GET", "/api/status")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n" + self.log_tail())

    def stop(self, timeout: float = 10.0) -> None:
        """Shut the server and its kernels down; kill whatever does not stop."""
        if self.proc is None:
            return
        try:
            tree = [psutil.Process(self.proc.pid)] + psutil.Process(self.proc.pid).children(
                recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        if self.proc.poll() is None:
            try:
                self.api("POST", "/api/shutdown", timeout=5)
            except OSError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout)
        # kernels run in sessions of their own: kill any that outlived the server
        for p in tree[1:]:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(tree[1:], timeout=timeout)
        self.proc = None

    # -- helpers ------------------------------------------------------------------------
    def api(self, method: str, path: str, data=None, timeout: float = 10.0):
        """Call the REST API; return ``(status, decoded JSON or None)``."""
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.base_url + path, data=body, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as err:
            err.close()
            return err.code, None

    def notebook_url(self, relpath: str, workspace: str) -> str:
        """URL that opens ``relpath`` in a brand-new workspace (no restored tabs)."""
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/{relpath}?token={self.token}"

    def shutdown_sessions(self) -> None:
        """Delete every session, which shuts its kernel down."""
        status, sessions = self.api("GET", "/api/sessions")
        for s in sessions or []:
            self.api("DELETE", f"/api/sessions/{s['id']}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"
