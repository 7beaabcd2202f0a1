"""A Jupyter kernel the grader can drive one request at a time, and survive.

:class:`KernelSession` starts a fresh IPython kernel (the ``python3`` kernel
of the environment the grader runs in), executes code with a timeout, keeps
only the first few kilobytes of output, notices when the kernel dies
(``os._exit``, a segfault) and can restart it. It never raises because of
what the executed code did: every outcome is an :class:`ExecResult`.

With a sandbox (:class:`~gdcourse.grader.sandbox.Bubblewrap`) the kernel runs inside it: the
kernel talks over IPC sockets in a connection folder bound into the sandbox (there is no
network there), is interrupted by a message on its control channel (a signal from here would
reach bubblewrap, not the kernel), and a :class:`~gdcourse.grader.sandbox.ProcessWatch`
counts its processes.
"""

from __future__ import annotations

import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import zmq

__all__ = ["KernelSession", "ExecResult", "KernelStartError"]

#: Characters of output kept per request (the rest is counted and dropped).
OUTPUT_KEEP = 2000
#: Milliseconds a request may wait to be sent before the kernel counts as lost.
SEND_TIMEOUT_MS = 5000

#: Longest folder to make a sandboxed kernel's connection folder in (IPC socket paths are
#: limited to 107 bytes); beyond it, the connection folder goes to /tmp.
IPC_PARENT_MAX = 70


class KernelStartError(RuntimeError):
    """The kernel could not be started (environment problem, not the submission's fault)."""


@dataclass
class ExecResult:
    """What one execute request did.

    ``status`` is "ok", "error" (the code raised), "timeout" (stopped by an
    interrupt after the timeout), "stuck" (did not even stop when
    interrupted: the kernel must be restarted) or "dead" (the kernel died).
    """

    status: str
    ename: str = ""
    evalue: str = ""
    output: str = ""
    output_chars: int = 0
    elapsed: float = 0.0
    why: str = ""          #: for "dead": why the kernel died, when it is known

    @property
    def kernel_lost(self) -> bool:
        return self.status in ("dead", "stuck")


class KernelSession:
    """One fresh kernel per submission.

    Parameters
    ----------
    cwd : str
        Working directory of the kernel (a scratch folder, never the submission's).
    startup_timeout : float
        Seconds to wait for the kernel to be ready.
    sandbox : Bubblewrap or None
        Where the kernel runs (None: as a plain process, with the grader's rights).
    pass_fds : sequence of int
        File descriptors the kernel process inherits (inside the sandbox too), at the same
        numbers. Restarts keep them.
    """

    def __init__(self, cwd: str, startup_timeout: float = 60.0, *, sandbox=None,
                 pass_fds=()):
        self.cwd = cwd
        self.startup_timeout = startup_timeout
        self.sandbox = sandbox
        self.pass_fds = tuple(pass_fds)
        self.km = None
        self.kc = None
        self.restarts = 0
        self.watch = None
        self._connection_dir = None

    # -- life cycle -----------------------------------------------------------------
    def _env(self) -> dict:
        env = dict(os.environ)
        env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", JUPYTER_PLATFORM_DIRS="1")
        env.pop("PYTEST_CURRENT_TEST", None)
        if self.sandbox is not None:
            env.update(self.sandbox.environment())
        return env

    def _ensure_cwd(self) -> None:
        """The working folder exists (code in the last kernel may have deleted or replaced it)."""
        if not os.path.isdir(self.cwd):
            if os.path.lexists(self.cwd):
                os.remove(self.cwd)
            os.makedirs(self.cwd)

    def start(self) -> None:
        """Start the kernel; a start that fails is tried once more (a busy machine can miss
        one), then :class:`KernelStartError` says why, with the end of the kernel's stderr."""
        try:
            self._start()
        except KernelStartError:
            self._start()

    def _start(self) -> None:
        from ..kernels import kernel_manager

        self._ensure_cwd()
        log_path = os.path.join(os.path.dirname(os.path.realpath(self.cwd)),
                                f"kernel-{secrets.token_hex(4)}.stderr")
        self.km = kernel_manager("python3")
        try:
            if self.sandbox is not None:
                self._confine()
            else:      # next to the working folder, which the batch removes even after a kill
                self.km.connection_file = os.path.join(
                    os.path.dirname(os.path.realpath(self.cwd)),
                    f"kernel-{secrets.token_hex(8)}.json")
            with open(log_path, "wb") as log:
                self.km.start_kernel(cwd=self.cwd, env=self._env(), stdout=subprocess.DEVNULL,
                                     stderr=log, pass_fds=self.pass_fds)
            self._watch()
            self.kc = self.km.client()
            self.kc.start_channels(hb=False)    # the heartbeat thread can block for ever
            for channel in (self.kc.shell_channel, self.kc.control_channel):
                channel.socket.setsockopt(zmq.SNDTIMEO, SEND_TIMEOUT_MS)   # never block
            self.kc.wait_for_ready(timeout=self.startup_timeout)
        except Exception as exc:  # noqa: BLE001
            why = self._why_dead()
            self.shutdown()
            raise KernelStartError(f"could not start a python3 kernel: {exc}"
                                   f"{f' ({why})' if why else ''}{_tail(log_path)}") from exc
        finally:
            _remove(log_path)     # the kernel keeps writing to it, unseen (and size-limited)

    def _confine(self) -> None:
        """Make the manager start its kernel in the sandbox, over IPC sockets."""
        parent = os.path.dirname(os.path.realpath(self.cwd))
        if len(parent) > IPC_PARENT_MAX:     # a socket's path has at most 107 bytes
            parent = "/tmp"
        self._connection_dir = tempfile.mkdtemp(prefix="gdcourse-kernel-", dir=parent)
        spec = self.km.kernel_spec
        argv = list(spec.argv)
        if argv[0] in ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
            argv[0] = sys.executable     # as jupyter_client does for the plain command
        spec.argv = self.sandbox.wrap(argv, work=self.cwd, connection=self._connection_dir)
        spec.interrupt_mode = "message"
        self.km.transport = "ipc"
        self.km.ip = os.path.join(self._connection_dir, "k")
        self.km.connection_file = os.path.join(self._connection_dir, "kernel.json")

    def _watch(self) -> None:
        """Count the sandbox's processes (a new watch for each kernel process)."""
        from .sandbox import ProcessWatch

        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        if self.sandbox is not None:
            self.watch = ProcessWatch(self.km.provisioner.process.pid,
                                      self.sandbox.limits.max_processes)

    def restart(self) -> None:
        """A fresh kernel process with a fresh connection; the old state is gone.

        Not ``restart_kernel`` on the same client: code in the old kernel may have
        jammed its sockets (for example by writing into their file descriptors), and a
        client whose send queue is full would wait for ever.
        """
        self.restarts += 1
        self.shutdown()
        self.start()

    def shutdown(self) -> None:
        """Stop the kernel; with a sandbox, wait until nothing in it is left running."""
        if self.kc is not None:
            try:
                self.kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001
                pass
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        if self._connection_dir is not None:
            shutil.rmtree(self._connection_dir, ignore_errors=True)
            self._connection_dir = None
        self.km = self.kc = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        return False

    def alive(self) -> bool:
        try:
            return bool(self.km is not None and self.km.is_alive())
        except Exception:  # noqa: BLE001
            return False

    # -- executing ------------------------------------------------------------------
    def execute(self, code: str, timeout: float, *, silent: bool = False,
                watchdog=None) -> ExecResult:
        """Run ``code``; wait at most ``timeout`` seconds (then interrupt).

        ``watchdog()``, when given, is polled while waiting: it returns a key for
        something inside the request that has run too long (or None). The kernel is then
        interrupted once for that key; if the same key is still reported 3 s later, the
        request is "stuck" (the code ignores interrupts) and the caller must restart.
        """
        start = time.perf_counter()
        try:
            msg_id = self.kc.execute(code, silent=silent, store_history=not silent,
                                     allow_stdin=False, stop_on_error=False)
        except Exception as exc:  # noqa: BLE001
            return ExecResult("dead", "KernelError", str(exc)[:200])
        result = ExecResult("ok")
        kept: list = []
        deadline = start + timeout
        interrupted_at = None
        watched: dict = {}                   # watchdog key -> when it was interrupted
        while True:
            now = time.perf_counter()
            if interrupted_at is None and now > deadline:
                self._interrupt()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + 3.0:
                result.status = "stuck"
                break
            key = watchdog() if watchdog is not None else None
            if key is not None:
                if key not in watched:
                    self._interrupt()
                    watched[key] = now
                elif now > watched[key] + 3.0:
                    result.status = "stuck"
                    break
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                if not self.alive():
                    result.status = "dead"
                    result.why = self._why_dead()
                    break
                continue
            except Exception:  # noqa: BLE001 - a broken channel means a dead kernel
                result.status = "dead" if not self.alive() else "stuck"
                result.why = self._why_dead() if result.status == "dead" else ""
                break
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            text = ""
            if kind == "stream":
                text = content.get("text", "")
            elif kind in ("execute_result", "display_data"):
                text = str(content.get("data", {}).get("text/plain", ""))
            elif kind == "error":
                result.ename = str(content.get("ename", ""))[:100]
                result.evalue = str(content.get("evalue", ""))[:300]
            if text:
                result.output_chars += len(text)
                room = OUTPUT_KEEP - sum(map(len, kept))
                if room > 0:
                    kept.append(text[:room])
        result.output = "".join(kept)
        result.elapsed = time.perf_counter() - start
        if result.status == "ok":
            status = self._reply_status(msg_id)
            if interrupted_at is not None:
                result.status = "timeout"
            elif status == "error" or result.ename:
                result.status = "error"
        return result

    def _why_dead(self) -> str:
        """What killed the sandboxed kernel, when it was a limit ("" when not known)."""
        if self.watch is not None and self.watch.tripped:
            return self.watch.tripped
        try:
            code = self.km.provisioner.process.poll()
        except Exception:  # noqa: BLE001
            return ""
        if self.sandbox is None or code is None:
            return ""
        cpu = self.sandbox.limits.cpu_seconds
        return {128 + signal.SIGXCPU: f"killed at the CPU time limit ({cpu} s, cpu_seconds)",
                128 + signal.SIGKILL: "killed by SIGKILL (out of memory, the CPU time limit, or "
                                      "its own code)"}.get(code, "")

    def _interrupt(self) -> None:
        try:
            self.km.interrupt_kernel()
        except Exception:  # noqa: BLE001
            pass

    def _reply_status(self, msg_id: str) -> str:
        end = time.perf_counter() + 5.0
        while time.perf_counter() < end:
            try:
                reply = self.kc.get_shell_msg(timeout=0.5)
            except queue.Empty:
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply["content"].get("status", "ok")
        return "ok"


def _tail(path: str, chars: int = 300) -> str:
    """``; stderr: ...`` with the end of the file at ``path`` (nothing if it is empty)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - chars))
            text = f.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return f"; its stderr ends: {text}" if text else ""


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
