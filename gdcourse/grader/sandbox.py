"""How a grading kernel is confined: bubblewrap (``bwrap``) on Linux, or not at all.

:func:`resolve` turns a mode (``"auto"``, ``"bwrap"``, ``"none"``) into what is used here;
:class:`Bubblewrap` writes the command line that starts one kernel inside a sandbox:

- the whole system read-only (``--ro-bind / /``), a private ``/dev`` (read-only), ``/proc``,
  ``/dev/shm`` and ``/tmp`` (in memory, each at most ``memory_mb``);
- the folders of the Python environment and of gdcourse that live under ``/tmp`` (a virtual
  environment built there, a clone of the repository) bound back read-only;
- every hand-in hidden (its folder replaced by an empty read-only one, or the file by
  ``/dev/null`` where its folder holds something the kernel needs), and the grader's scratch
  folder too;
- writable: only this submission's working folder and the kernel's connection folder;
- no network, its own PID namespace (``--unshare-all``) that dies with the grading
  (``--die-with-parent``), its own session (``--new-session``);
- no capabilities (``--cap-drop ALL``: run as root, bubblewrap would otherwise keep them all,
  and the kernel could unmount what hides the hand-ins);
- limits on memory, open files, file size and CPU time (:mod:`._limits`, ``setrlimit``).

The number of processes is not limited by ``RLIMIT_NPROC`` (Linux counts it per user, and not
at all for root): :class:`ProcessWatch` counts the processes of the sandbox's PID namespace
every few milliseconds and kills the sandbox when there are too many.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace

__all__ = ["MODES", "SandboxUnavailable", "Limits", "Bubblewrap", "ProcessWatch", "resolve",
           "available", "bwrap_problem", "sandbox_for", "describe"]

MODES = ("auto", "bwrap", "none")

#: Where the kernel's home and configuration folders are, inside the sandbox's private /tmp.
HOME = "/tmp/home"


class SandboxUnavailable(RuntimeError):
    """``sandbox="bwrap"`` was asked for, and bubblewrap does not work here."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed kernel (see :class:`~gdcourse.grader.grade.Settings`)."""

    memory_mb: int = 4096
    max_processes: int = 64
    max_open_files: int = 512
    max_file_mb: int = 100
    cpu_seconds: int = 300

    @classmethod
    def from_settings(cls, settings) -> "Limits":
        return cls(**{name: getattr(settings, name) for name in cls.__dataclass_fields__})

    def launcher_args(self) -> list:
        """The arguments of :mod:`._limits`: address space, files, file size, CPU seconds."""
        return [str(self.memory_mb * 2**20), str(self.max_open_files),
                str(self.max_file_mb * 2**20), str(self.cpu_seconds)]

    def text(self) -> str:
        return (f"memory {self.memory_mb} MB, {self.max_processes} processes, "
                f"{self.max_open_files} open files, files up to {self.max_file_mb} MB, "
                f"CPU {self.cpu_seconds} s per kernel")


@functools.lru_cache(maxsize=None)
def bwrap_problem(command: str | None = None) -> str | None:
    """Why bubblewrap cannot be used here, or None when it works (probed once, then cached).

    The probe runs ``true`` with the options every sandbox uses.
    """
    command = command or shutil.which("bwrap")
    if sys.platform != "linux":
        return f"bubblewrap needs Linux; this is {sys.platform}"
    if command is None:
        return "bwrap not found on PATH"
    try:
        proc = subprocess.run([command, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                               "--tmpfs", "/tmp", "--unshare-all", "--cap-drop", "ALL",
                               "--die-with-parent", "--new-session", "true"],
                              capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{command} could not be run ({type(exc).__name__}: {exc})"
    if proc.returncode != 0:
        why = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        return f"{command} does not work here: {why[0]}"
    return None


def available() -> bool:
    """Whether bubblewrap works here (see :func:`bwrap_problem` for why not)."""
    return bwrap_problem() is None


def resolve(mode: str) -> str:
    """``"bwrap"`` or ``"none"``: what ``mode`` means on this machine.

    Raises
    ------
    ValueError
        ``mode`` is not one of :data:`MODES`.
    SandboxUnavailable
        ``mode`` is ``"bwrap"`` and bubblewrap does not work here.
    """
    if mode not in MODES:
        raise ValueError(f"sandbox must be one of {', '.join(map(repr, MODES))}; got {mode!r}")
    if mode == "none":
        return "none"
    problem = bwrap_problem()
    if problem is None:
        return "bwrap"
    if mode == "bwrap":
        raise SandboxUnavailable(f"sandbox='bwrap' was asked for, but {problem}; install "
                                 "bubblewrap (apt-get install bubblewrap) or pass 'none' "
                                 "(or 'auto') to grade without a sandbox")
    return "none"


def describe(mode: str, limits: Limits) -> str:
    """One line for the instructor: which confinement ``mode`` gives here, and why."""
    if resolve(mode) == "bwrap":
        return (f"sandbox: bubblewrap (no network, read-only system, hand-ins hidden, private "
                f"/tmp, limits: {limits.text()})")
    why = "asked for" if mode == "none" else bwrap_problem()
    return (f"sandbox: none ({why}: learner code runs with your user's rights; see README)")


def _real(path) -> str:
    return os.path.realpath(os.fspath(path))


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _outermost(paths) -> list:
    """The paths that are not inside another one of them, sorted."""
    out: list = []
    for p in sorted(set(paths)):
        if not any(_under(p, q) for q in out):
            out.append(p)
    return out


def needed_paths() -> list:
    """What a kernel of this environment reads: Python, its packages, gdcourse, PYTHONPATH.

    Only the interpreter's own entries of ``sys.path`` count (not a script's folder, which
    may be ``/tmp`` itself); ``/tmp`` and the folders above it are never in the list.
    """
    import gdcourse

    prefixes = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    paths = prefixes + [os.path.dirname(sys.executable),
                        os.path.dirname(os.path.dirname(os.path.abspath(gdcourse.__file__)))]
    paths += [p for p in sys.path if os.path.isabs(p) and (
        any(_under(p, q) for q in prefixes) or "-packages" in os.path.basename(p))]
    paths += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    real = [_real(p) for p in paths if os.path.exists(p)]
    return _outermost(p for p in real if not _under("/tmp", p))


@dataclass(frozen=True)
class Bubblewrap:
    """A bubblewrap sandbox for kernels; immutable, picklable (it goes to worker processes).

    Parameters
    ----------
    limits : Limits
        Resource limits of each kernel.
    hidden : tuple of str
        Files and folders the kernel must neither read nor write (the hand-ins, the
        grader's scratch folder).
    command : str
        The bwrap executable.
    """

    limits: Limits = field(default_factory=Limits)
    hidden: tuple = ()
    command: str = "bwrap"

    def hiding(self, *paths) -> "Bubblewrap":
        return replace(self, hidden=self.hidden + tuple(_real(p) for p in paths if p))

    def environment(self) -> dict:
        """Variables that point home and configuration folders into the private /tmp."""
        return {"HOME": HOME, "TMPDIR": "/tmp", "IPYTHONDIR": f"{HOME}/.ipython",
                "MPLCONFIGDIR": f"{HOME}/.matplotlib", "XDG_CACHE_HOME": f"{HOME}/.cache",
                "XDG_CONFIG_HOME": f"{HOME}/.config", "XDG_DATA_HOME": f"{HOME}/.local/share",
                "JUPYTER_RUNTIME_DIR": f"{HOME}/.jupyter-runtime",
                "JUPYTER_DATA_DIR": f"{HOME}/.jupyter-data"}

    def wrap(self, argv: list, *, work: str, connection: str) -> list:
        """The command that runs ``argv`` (a kernel) in this sandbox.

        ``work`` is the kernel's working folder, ``connection`` the folder of its connection
        file and IPC sockets; both are bound writable at the same path inside.
        """
        work, connection = _real(work), _real(connection)
        writable = _outermost([work, connection])
        size = str(self.limits.memory_mb * 2**20)
        args = [self.command, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--size", size, "--tmpfs", "/dev/shm", "--size", size, "--tmpfs", "/tmp"]
        masked = ["/tmp"]                    # folders replaced by empty ones, so far
        back = [p for p in needed_paths() if _under(p, "/tmp")]
        for p in back:
            args += ["--ro-bind", p, p]
        visible = functools.partial(_visible, masked=masked, back=back)
        needed = needed_paths()
        read_only = ["/dev"]                 # the empty folders put in place of hidden ones, and
                                             # /dev (a tmpfs as large as half the memory)
        for p in sorted(_outermost(self.hidden), key=lambda p: (p.count("/"), p)):
            if not os.path.lexists(p) or not visible(p):
                continue                     # not there, or already out of sight
            if os.path.isdir(p):
                if not any(_under(k, p) for k in needed):
                    args += ["--tmpfs", p]       # the writable folders in it come back below
                    masked.append(p)
                    read_only.append(p)
                continue
            folder = os.path.dirname(p)      # a hand-in: hide its classmates too, if we may
            if folder != "/" and not any(_under(k, folder) for k in needed + writable):
                if visible(folder):
                    args += ["--tmpfs", folder]
                    masked.append(folder)
                    read_only.append(folder)
            else:
                args += ["--ro-bind", "/dev/null", p]
        for p in writable:
            args += ["--bind", p, p]
        for p in read_only:                  # after the binds: they need mount points there
            if not any(m != p and _under(p, m) for m in masked):      # not covered since
                args += ["--remount-ro", p]
        args += ["--dir", HOME, "--dir", f"{HOME}/.matplotlib"]
        for font_list in _font_lists():      # matplotlib need not rebuild it in every kernel
            args += ["--ro-bind", font_list, f"{HOME}/.matplotlib/{os.path.basename(font_list)}"]
        args += ["--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
                 "--chdir", work, "--"]
        launcher = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_limits.py")
        return args + [argv[0], "-S", "-I", launcher, *self.limits.launcher_args(), "--", *argv]


def _font_lists() -> list:
    """matplotlib's font lists in this user's matplotlib cache (found as matplotlib does)."""
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names
            if n.startswith("fontlist-") and n.endswith(".json")
            and os.path.isfile(os.path.join(folder, n))]


def _visible(path: str, *, masked, back) -> bool:
    """Whether ``path`` can be seen in the sandbox so far (not under a folder replaced)."""
    hiding = [m for m in masked if _under(path, m)]
    if not hiding:
        return True
    deepest = max(hiding, key=len)
    return any(_under(path, b) and _under(b, deepest) for b in back)


def sandbox_for(sandbox, settings, *, hidden=()) -> Bubblewrap | None:
    """The :class:`Bubblewrap` to use for ``sandbox`` (a mode or one already made), or None."""
    if sandbox is None:
        return None
    if isinstance(sandbox, Bubblewrap):
        return sandbox.hiding(*hidden)
    if resolve(sandbox) == "none":
        return None
    return Bubblewrap(Limits.from_settings(settings), command=shutil.which("bwrap") or "bwrap"
                      ).hiding(*hidden)


class ProcessWatch:
    """Counts the processes of one sandbox's PID namespace; kills the sandbox above a limit.

    Parameters
    ----------
    bwrap_pid : int
        The process id (here) of the ``bwrap`` command that started the sandbox.
    limit : int
        Most processes allowed in the sandbox (bubblewrap's own init not counted).
    interval : float
        Seconds between counts.

    Raises
    ------
    RuntimeError
        The sandbox's init process could not be found (then nothing would be counted).
    """

    def __init__(self, bwrap_pid: int, limit: int, interval: float = 0.01):
        self.limit = limit
        self.interval = interval
        self.init_pid = _sandbox_init(bwrap_pid)
        self._namespace = _namespace(self.init_pid)
        self.tripped = ""                  # why the sandbox was killed, once it was
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="gdcourse-process-watch")
        if self.init_pid:
            self._thread.start()

    def count(self) -> int | None:
        """Processes in the sandbox now (None when it is gone).

        Until the sandbox has mounted its own ``/proc``, the init's root still shows this
        machine's: its process 1 is then not the sandbox's init, and nothing is counted
        (counting the machine's processes killed sandboxes that were starting on a busy
        machine).
        """
        root = f"/proc/{self.init_pid}/root/proc"
        try:
            if os.readlink(f"{root}/1/ns/pid") != self._namespace:
                return 0
            names = os.listdir(root)
        except OSError:
            return None if not _running(self.init_pid) else 0
        return sum(name.isdigit() for name in names) - 1

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            n = self.count()
            if n is None:
                return
            if n > self.limit:
                self.tripped = (f"the sandbox was stopped: it had more than {self.limit} "
                                f"processes (max_processes)")
                self.kill()
                return

    def kill(self) -> None:
        """SIGKILL the sandbox's init: the kernel and everything it started dies with it."""
        if self.init_pid:
            try:
                os.kill(self.init_pid, signal.SIGKILL)
            except OSError:
                pass

    def stop(self, wait: float = 5.0) -> None:
        """Kill the sandbox and wait (at most ``wait`` s) until nothing in it is left."""
        self._stop.set()
        self.kill()
        end = time.monotonic() + wait
        while self.init_pid and _running(self.init_pid) and time.monotonic() < end:
            time.sleep(0.005)


def _sandbox_init(bwrap_pid: int, wait: float = 10.0) -> int | None:
    """The sandbox's init: the child of ``bwrap_pid`` in a PID namespace of its own.

    bubblewrap starts short-lived helpers too, in this namespace; they are not it. None when
    ``bwrap_pid`` ended first.

    Raises
    ------
    RuntimeError
        No such child appeared within ``wait`` seconds.
    """
    here = os.readlink("/proc/self/ns/pid")
    end = time.monotonic() + wait
    while time.monotonic() < end:
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
                if int(stat.rsplit(b")", 1)[1].split()[1]) != bwrap_pid:
                    continue
                if os.readlink(f"/proc/{name}/ns/pid") != here:
                    return int(name)
            except (OSError, ValueError, IndexError):
                continue
        if not _running(bwrap_pid):
            return None
        time.sleep(0.005)
    raise RuntimeError(f"bubblewrap (process {bwrap_pid}) started no sandbox within {wait:g} s")


def _namespace(pid: int | None) -> str | None:
    """The PID namespace of ``pid`` (``pid:[inode]``), or None."""
    try:
        return os.readlink(f"/proc/{pid}/ns/pid") if pid else None
    except OSError:
        return None


def _running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie (a dead PID namespace init is a zombie)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in (b"Z", b"X")
