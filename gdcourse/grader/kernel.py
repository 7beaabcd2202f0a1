"""A Jupyter kernel the grader can drive one request at a time, and survive.

:class:`KernelSession` starts a fresh IPython kernel (the ``python3`` kernel
of the environment the grader runs in), executes code with a timeout, keeps
only the first few kilobytes of output, notices when the kernel dies
(``os._exit``, a segfault) and can restart it. It never raises because of
what the executed code did: every outcome is an :class:`ExecResult`.
"""

from __future__ import annotations

import os
import queue
import subprocess
import time
from dataclasses import dataclass

import zmq

__all__ = ["KernelSession", "ExecResult", "KernelStartError"]

#: Characters of output kept per request (the rest is counted and dropped).
OUTPUT_KEEP = 2000
#: Milliseconds a request may wait to be sent before the kernel counts as lost.
SEND_TIMEOUT_MS = 5000


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
    """

    def __init__(self, cwd: str, startup_timeout: float = 60.0, *, pass_fds=()):
        self.cwd = cwd
        self.pass_fds = tuple(pass_fds)
        self.startup_timeout = startup_timeout
        self.km = None
        self.kc = None
        self.restarts = 0

    # -- life cycle -----------------------------------------------------------------
    def _env(self) -> dict:
        env = dict(os.environ)
        env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", JUPYTER_PLATFORM_DIRS="1")
        env.pop("PYTEST_CURRENT_TEST", None)
        return env

    def _ensure_cwd(self) -> None:
        """The working folder exists (code in the last kernel may have deleted or replaced it)."""
        if not os.path.isdir(self.cwd):
            if os.path.lexists(self.cwd):
                os.remove(self.cwd)
            os.makedirs(self.cwd)

    def start(self) -> None:
        from ..kernels import kernel_manager

        self._ensure_cwd()
        self.km = kernel_manager("python3")
        try:
            self.km.start_kernel(cwd=self.cwd, env=self._env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, pass_fds=self.pass_fds)
            self.kc = self.km.client()
            self.kc.start_channels(hb=False)    # the heartbeat thread can block for ever
            for channel in (self.kc.shell_channel, self.kc.control_channel):
                channel.socket.setsockopt(zmq.SNDTIMEO, SEND_TIMEOUT_MS)   # never block
            self.kc.wait_for_ready(timeout=self.startup_timeout)
        except Exception as exc:  # noqa: BLE001
            self.shutdown()
            raise KernelStartError(f"could not start a python3 kernel: {exc}") from exc

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
                    break
                continue
            except Exception:  # noqa: BLE001 - a broken channel means a dead kernel
                result.status = "dead" if not self.alive() else "stuck"
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
