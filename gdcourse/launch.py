"""``python -m gdcourse lab``: open the course in JupyterLab.

JupyterLab is started with the Python that runs this command (``sys.executable
-m jupyterlab``), so the course's own environment and kernel are used. It is
rooted at the repository's ``notebooks/`` folder and opens the first notebook.
Three server options matter wherever the course starts JupyterLab (here and in
the browser tests, ``tests/e2e/lab.py``); :func:`server_options` writes them:

- ``--allow-root`` when the user is root (containers, cloud machines), where
  JupyterLab otherwise refuses to start;
- the kernels' transport encryption (see :mod:`gdcourse.kernels`), so no kernel
  warns that it runs "over TCP without encryption";
- the ``solutions`` folder left out of the file browser, by adding it to
  jupyter_server's ``ContentsManager.hide_globs`` (its default patterns are
  kept). That hides the instructor's notebooks from listings only: a learner
  who types ``solutions/07_exercises.ipynb`` (URL, *Open from Path*) still opens
  it. It keeps them from being opened by accident; it is not access control.

Arguments after ``--`` go to JupyterLab unchanged, e.g.
``python -m gdcourse lab -- --ServerApp.ip=0.0.0.0``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from . import kernels

__all__ = ["SOLUTIONS", "START_NOTEBOOK", "LaunchError", "current_uid", "default_hide_globs",
           "hide_globs", "server_options", "lab_command", "find_notebooks", "run_lab",
           "add_parser", "run"]

#: Folder (under notebooks/) of the instructor's solutions, hidden from the file browser.
SOLUTIONS = "solutions"
#: The notebook JupyterLab opens first.
START_NOTEBOOK = "00_gradient_descent_intuition.ipynb"
#: notebooks/ of the clone this package was installed from (editable install).
REPO_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


DESCRIPTION = f"""\
Start JupyterLab on the course's notebooks/ folder (of the clone gdcourse is installed
from, or --notebooks DIR) and open {START_NOTEBOOK}. It runs with this Python
({{python}}), so the course's environment and kernel are used. As root it adds
--allow-root. The instructor's {SOLUTIONS}/ folder is left out of the file browser
(it can still be opened by typing its path). Stop it with Ctrl-C.

Arguments after -- go to JupyterLab unchanged, e.g.
  python -m gdcourse lab -- --ServerApp.ip=0.0.0.0"""


class LaunchError(RuntimeError):
    """JupyterLab cannot be started as asked (no notebooks folder, no JupyterLab)."""


def current_uid() -> int | None:
    """The effective user id, or None where there is none (Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid() if geteuid is not None else None


def default_hide_globs() -> list[str]:
    """jupyter_server's default ``ContentsManager.hide_globs`` (``__pycache__``, ``*.pyc``, ...)."""
    from jupyter_server.services.contents.manager import ContentsManager

    return list(ContentsManager.hide_globs.default())


def hide_globs(defaults: Sequence[str] | None = None) -> list[str]:
    """The default hidden patterns plus :data:`SOLUTIONS`.

    Parameters
    ----------
    defaults : sequence of str or None
        The patterns to extend; None (default) reads jupyter_server's default.

    Returns
    -------
    list of str
    """
    globs = list(default_hide_globs() if defaults is None else defaults)
    return globs if SOLUTIONS in globs else globs + [SOLUTIONS]


def server_options(uid: int | None, *, encryption: str | None = None,
                   defaults: Sequence[str] | None = None) -> list[str]:
    """The options every course JupyterLab gets: root rule, kernel encryption, hidden solutions.

    Parameters
    ----------
    uid : int or None
        Effective user id of whoever starts the server (:func:`current_uid`); ``0``
        adds ``--allow-root``. None (no uids, Windows) adds nothing.
    encryption : {"disabled", "auto", "required"} or None
        Kernel transport encryption; None (default) is the machine's default
        (:func:`gdcourse.kernels.transport_encryption`).
    defaults : sequence of str or None
        Hidden patterns to extend; None (default) reads jupyter_server's default.

    Returns
    -------
    list of str
    """
    if uid is not None and (isinstance(uid, bool) or not isinstance(uid, int)):
        raise TypeError(f"uid must be an int user id or None, got {type(uid).__name__} {uid!r}.")
    options = ["--allow-root"] if uid == 0 else []
    options += kernels.server_options(encryption)
    # a List trait set on the command line: one option per item (they are collected)
    options += [f"--ContentsManager.hide_globs={g}" for g in hide_globs(defaults)]
    return options


def lab_command(notebooks: Path, *, uid: int | None, python: str | None = None,
                open_browser: bool = True, port: int | None = None,
                extra: Sequence[str] = (), encryption: str | None = None,
                defaults: Sequence[str] | None = None) -> list[str]:
    """The command that starts JupyterLab on ``notebooks``.

    Parameters
    ----------
    notebooks : Path
        Folder JupyterLab is rooted at; its :data:`START_NOTEBOOK` is opened when present.
    uid : int or None
        Effective user id (see :func:`server_options`).
    python : str or None
        Interpreter to run ``-m jupyterlab`` with; None (default) is ``sys.executable``.
    open_browser : bool
        False adds ``--no-browser``.
    port : int or None
        Port to listen on; None leaves JupyterLab's default (8888, or the next free one).
    extra : sequence of str
        More JupyterLab arguments, appended last (so they win over ours).
    encryption, defaults
        As in :func:`server_options`.

    Returns
    -------
    list of str
    """
    if port is not None and not (isinstance(port, int) and 0 < port < 65536):
        raise ValueError(f"port must be an int from 1 to 65535 or None, got {port!r}.")
    notebooks = Path(notebooks).resolve()
    ours = [f"--ServerApp.root_dir={notebooks}"]
    start = notebooks / START_NOTEBOOK
    if start.is_file():
        ours.append(f"--ServerApp.file_to_run={start}")
    if not open_browser:
        ours.append("--no-browser")
    if port is not None:
        ours.append(f"--ServerApp.port={port}")
    ours += server_options(uid, encryption=encryption, defaults=defaults)
    extra = list(extra)
    return [python or sys.executable, "-m", "jupyterlab", *_not_overridden(ours, extra), *extra]


#: JupyterLab's short options for the settings we set (``--port=N`` is ``--ServerApp.port=N``).
_ALIASES = {"port": "ServerApp.port", "notebook-dir": "ServerApp.root_dir"}


def _setting(arg: str) -> str | None:
    """The ``Class.trait`` that a ``--name=value`` argument sets (None for anything else)."""
    if not arg.startswith("--") or arg == "--":
        return None
    name = arg[2:].split("=", 1)[0]
    return _ALIASES.get(name, name)


def _not_overridden(ours: list[str], extra: list[str]) -> list[str]:
    """``ours`` without the single-valued settings that ``extra`` sets again.

    JupyterLab refuses a single-valued setting given twice ("only accepts one
    value"), so the user's wins. List settings (``hide_globs``) are collected, so
    the user's patterns add to ours.
    """
    theirs = {_setting(a) for a in extra} - {None}
    return [o for o in ours if not ("=" in o and _setting(o) in theirs
                                    and not o.startswith("--ContentsManager.hide_globs="))]


def find_notebooks(folder: Path | str | None = None) -> Path:
    """``folder``, or the notebooks/ of the clone this package is installed from.

    Raises
    ------
    LaunchError
        ``folder`` is not a folder, or (without ``folder``) the package is not
        installed from a clone of the course (a regular, non-editable install).
    """
    if folder is not None:
        path = Path(folder).expanduser()
        if not path.is_dir():
            what = "does not exist" if not path.exists() else "is not a folder"
            raise LaunchError(f"--notebooks: expected a folder of notebooks, got {str(folder)!r} "
                              f"({what}).")
        return path.resolve()
    if not REPO_NOTEBOOKS.is_dir():
        raise LaunchError(
            f"no course notebooks next to the installed package (looked for {REPO_NOTEBOOKS}). "
            "The course runs from a clone of its repository: clone it, `pip install -r "
            "requirements.txt` there (it installs gdcourse editable), and run "
            "`python -m gdcourse lab` again; or pass --notebooks DIR.")
    return REPO_NOTEBOOKS


def _check_jupyterlab() -> None:
    if importlib.util.find_spec("jupyterlab") is None:
        raise LaunchError(f"JupyterLab is not installed in this environment ({sys.executable}); "
                          "run `pip install -r requirements.txt` in it.")


def _terminal_sends_sigint() -> bool:
    """Whether a Ctrl-C came from our terminal, which sends it to JupyterLab as well."""
    try:
        if not sys.stdin.isatty():
            return False
        if hasattr(os, "tcgetpgrp"):
            return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
        return True                      # Windows: the console interrupts every process on it
    except (OSError, ValueError, AttributeError):
        return False


def run_lab(cmd: Sequence[str], cwd: Path) -> int:
    """Run ``cmd`` in ``cwd`` until it exits; return its exit status.

    Ctrl-C and SIGTERM reach JupyterLab (which then shuts its kernels down and
    exits): a terminal's Ctrl-C reaches it directly (and it asks to confirm, as
    it always does); an interrupt sent to this process alone is forwarded, as is
    SIGTERM. A status from a signal is returned as ``128 + signal number``.
    """
    proc = subprocess.Popen(list(cmd), cwd=cwd)

    def forward_term(signum, frame):
        if proc.poll() is None:
            proc.send_signal(signum)

    try:
        previous, forwarding = signal.signal(signal.SIGTERM, forward_term), True
    except ValueError:                   # not the main thread: signals stay where they are
        previous, forwarding = None, False
    try:
        while True:
            try:
                code = proc.wait()
                break
            except KeyboardInterrupt:
                if proc.poll() is None and not _terminal_sends_sigint():
                    proc.send_signal(signal.SIGINT)
    finally:
        if forwarding:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    return 128 - code if code < 0 else code


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("lab", help="open the course in JupyterLab",
                       description=DESCRIPTION.format(python=sys.executable),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--notebooks", type=Path, default=None, metavar="DIR",
                   help="folder to open (default: notebooks/ of the clone gdcourse is "
                        "installed from)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; "
                   "JupyterLab prints the URL to open")
    p.add_argument("--port", type=int, default=None,
                   help="port to listen on (default JupyterLab's: 8888 or the next free one)")
    p.add_argument("lab_args", nargs="*", metavar="-- JUPYTERLAB_ARG",
                   help="anything after -- goes to JupyterLab unchanged")
    return p


def run(args) -> int:
    extra = list(args.lab_args)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    try:
        if args.port is not None and not 0 < args.port < 65536:
            raise LaunchError(f"--port: expected a port from 1 to 65535, got {args.port}.")
        notebooks = find_notebooks(args.notebooks)
        _check_jupyterlab()
    except LaunchError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 2
    cmd = lab_command(notebooks, uid=current_uid(), open_browser=not args.no_browser,
                      port=args.port, extra=extra)
    return run_lab(cmd, cwd=notebooks)
