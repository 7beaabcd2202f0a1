"""Does every pinned requirement have binary wheels for each supported Python and platform?

The course promises an install without a compiler on CPython 3.11 to 3.15 on Linux
(x86_64 and aarch64, glibc 2.28 or newer), macOS 11 or newer on Apple silicon and
Windows (amd64). This script asks the package index, through ``uv pip compile``, to
resolve the requirements file for each of those 20 combinations with source builds
forbidden (``--only-binary :all:``). uv evaluates environment markers for the *target*
Python and platform and checks the wheels' tags, which ``pip install --dry-run
--python-version --platform`` does not do reliably (pip evaluates markers against the
running interpreter, and its ``--platform`` takes one tag literally).

Usage (from the repository, in an environment made from requirements-test.txt, which
brings uv)::

    python tools/check_wheels.py                        # all 20 combinations
    python tools/check_wheels.py --python 3.15          # one Python, every platform
    python tools/check_wheels.py --platform linux-x86_64 --python 3.12 --python 3.13
    python tools/check_wheels.py --requirements requirements.txt --jobs 2 --timeout 600

It prints a table (rows: platforms, columns: Python versions; ``ok (N)`` means the
requirements resolve to N packages, all with wheels; ``NO: package`` names the package
without a usable wheel), then the details of each failure and the total time. It exits
with 0 when every combination resolves, 1 when one that is not listed in
``UNSUPPORTED`` fails, and 2 when it cannot check at all (no uv, no requirements file).

``-e``/editable and local-path lines are dropped (the course package itself is pure
Python); ``-r`` lines are followed. uv reads its own configuration (``uv.toml``, ``UV_*``
variables) but not pip's, so a pip-only mirror or find-links setting does not apply.
This checks the pip index only, not conda-forge (see environment.yml).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REQUIREMENTS = ROOT / "requirements-test.txt"

#: The Python versions the README promises.
PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")


@dataclass(frozen=True)
class Platform:
    """One platform of the promise: uv's ``--python-platform`` target and extra variables."""

    target: str
    env: dict = field(default_factory=dict)


#: The platforms the README promises, by the name used in the table and on the command line.
PLATFORMS = {
    "linux-x86_64": Platform("x86_64-manylinux_2_28"),
    "linux-aarch64": Platform("aarch64-manylinux_2_28"),
    # uv assumes macOS 12 unless told; claim what the README says, macOS 11 (Big Sur).
    "macos-arm64": Platform("aarch64-apple-darwin", {"MACOSX_DEPLOYMENT_TARGET": "11.0"}),
    "windows-amd64": Platform("x86_64-pc-windows-msvc"),
}

#: Combinations known not to work, (platform, python) -> the reason, worded as the README
#: states it. A failure listed here is shown but does not fail the check. Empty today:
#: every combination resolves. Example of an entry:
#:     ("windows-amd64", "3.15"): "pywinpty has no wheel for Python 3.15 on Windows yet",
UNSUPPORTED: dict[tuple[str, str], str] = {}

#: Seconds one resolution may take (a cold cache downloads metadata of ~100 packages).
DEFAULT_TIMEOUT = 300.0
#: Resolutions run at once; they wait on the network, not the CPU.
DEFAULT_JOBS = 4

MISSING_UV = ("uv was not found next to {python} nor on PATH; "
              "install it with pip install -r requirements-test.txt")


class CheckError(Exception):
    """The check cannot run (no uv, unreadable requirements file, bad option)."""


@dataclass
class Result:
    """What resolving the requirements for one platform and Python gave.

    ``ok`` is True when uv found wheels for everything; then ``packages`` is the number
    of packages in the resolution. Otherwise ``problem`` is the short reason shown in the
    table and ``detail`` uv's own message.
    """

    platform: str
    python: str
    ok: bool
    packages: int = 0
    problem: str = ""
    detail: str = ""
    seconds: float = 0.0


# -- requirements -----------------------------------------------------------------------
_LOCAL = re.compile(r"^(\.|/|~|[A-Za-z]:[\\/]|file:)|\s@\s*file:")


def _strip_comment(line: str) -> str:
    """The line without a ``#`` comment (pip's rule: ``#`` at the start or after a space)."""
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def read_requirements(path: Path, _seen: frozenset = frozenset()) -> list[str]:
    """The requirement lines of ``path``, with ``-r`` files followed and local lines dropped.

    Parameters
    ----------
    path : Path
        A pip requirements file.

    Returns
    -------
    list of str
        Requirement specifiers in file order (``name==version; marker``), without comments,
        ``-e``/``--editable`` lines and local paths (``.``, ``./pkg``, ``name @ file:...``).

    Raises
    ------
    CheckError
        When a file is missing, includes itself, or has an option this script does not
        understand (``--index-url``, ``-c``...), which would change what is resolved.
    """
    path = Path(path).resolve()
    if path in _seen:
        raise CheckError(f"{path}: included twice through -r (a loop)")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CheckError(f"cannot read the requirements file {path}: {exc.strerror}") from None
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line:
            continue
        option = re.match(r"(-r|--requirement)(?:\s+|=)?(\S+)$", line)
        if option:
            lines += read_requirements(path.parent / option[2], _seen | {path})
        elif re.match(r"(-e|--editable)(\s|=|$)", line) or _LOCAL.search(line):
            continue
        elif line.startswith("-"):
            raise CheckError(f"{path}:{number}: expected a requirement, -r FILE or -e PATH, "
                             f"got the option {line!r}, which this check does not handle")
        else:
            lines.append(line)
    return lines


# -- running uv -------------------------------------------------------------------------
def find_uv(python: str = sys.executable) -> str:
    """Path of the uv executable: next to ``python`` (same environment), else on PATH.

    Raises
    ------
    CheckError
        When there is none, saying how to install it.
    """
    folder = Path(python).parent
    for name in ("uv", "uv.exe"):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("uv")
    if found:
        return found
    raise CheckError(MISSING_UV.format(python=python))


def uv_command(uv: list[str], python: str, platform: Platform, requirements: Path) -> list[str]:
    """The ``uv pip compile`` command line that resolves ``requirements`` for one target."""
    return [*uv, "pip", "compile", "--quiet", "--no-header", "--no-annotate", "--color", "never",
            "--python", sys.executable, "--python-version", python,
            "--python-platform", platform.target, "--only-binary", ":all:", str(requirements)]


def count_packages(output: str) -> int:
    """Number of ``name==version`` lines in what ``uv pip compile`` printed."""
    return len(re.findall(r"(?m)^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?==", output))


_NO_WHEELS = re.compile(
    r"(?:all versions of\s+)?([A-Za-z0-9][A-Za-z0-9._-]*?)(?:\[[^\]]*\])?"
    r"(?:\s*(?:[=<>!~]=?|===)[^\s,]+(?:,\s*[=<>!~]=?[^\s,]+)*)?"
    r"\s+ha(?:s|ve) no (?:usable )?wheels")


def package_without_wheels(message: str) -> str | None:
    """The package uv says has no usable wheel, from its "Because X==V has no usable
    wheels" message (or "... has no wheels with a matching platform tag"); None if none."""
    match = _NO_WHEELS.search(message)
    return match[1].lower() if match else None


def first_error_line(message: str) -> str:
    """The first line of ``message`` that says what went wrong, without uv's ``error:``."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if line.lower().startswith("error:"):
            return line[len("error:"):].strip()
    return lines[0] if lines else ""


def explain_failure(returncode: int, stderr: str) -> str:
    """The short reason for a failed resolution, as shown in the table.

    ``NO: package`` when a package has no usable wheel, else uv's first error line, else
    the exit status.
    """
    package = package_without_wheels(stderr)
    if package:
        return f"NO: {package}"
    return first_error_line(stderr) or f"uv exited with status {returncode} and said nothing"


def resolve(uv: list[str], platform_name: str, python: str, requirements: Path,
            timeout: float = DEFAULT_TIMEOUT) -> Result:
    """Resolve ``requirements`` for one platform and Python; never raises for uv's failures.

    Parameters
    ----------
    uv : list of str
        The command that runs uv (``[path]``; tests pass a stand-in).
    platform_name : str
        A key of ``PLATFORMS``.
    python : str
        The Python version, "3.11".
    requirements : Path
        A requirements file with only requirement lines (see ``read_requirements``).
    timeout : float
        Seconds before the resolution is stopped and counted as failed.
    """
    platform = PLATFORMS[platform_name]
    env = {**os.environ, **platform.env}
    start = time.perf_counter()

    def result(ok, **kw):
        return Result(platform_name, python, ok, seconds=time.perf_counter() - start, **kw)

    try:
        proc = subprocess.run(uv_command(uv, python, platform, requirements), env=env,
                              cwd=requirements.parent, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return result(False, problem=f"timed out after {timeout:g} s",
                      detail=f"uv did not finish within {timeout:g} s (network slow or down?)")
    except OSError as exc:
        return result(False, problem=f"cannot run uv: {exc.strerror}", detail=str(exc))
    if proc.returncode == 0:
        return result(True, packages=count_packages(proc.stdout))
    return result(False, problem=explain_failure(proc.returncode, proc.stderr),
                  detail=proc.stderr.strip())


def resolve_all(uv: list[str], combinations: list[tuple[str, str]], requirements: Path,
                jobs: int = DEFAULT_JOBS, timeout: float = DEFAULT_TIMEOUT,
                progress=None) -> list[Result]:
    """``resolve`` for each (platform, python) pair, ``jobs`` at a time, in input order.

    ``progress(done, total, result)`` is called as each one finishes.
    """
    results = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(resolve, uv, plat, py, requirements, timeout): (plat, py)
                   for plat, py in combinations}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(futures), results[futures[future]])
    return [results[c] for c in combinations]


# -- verdict and report -----------------------------------------------------------------
def check_unsupported(unsupported: dict, platforms=PLATFORMS, pythons=PYTHONS) -> list[str]:
    """Problems with the ``UNSUPPORTED`` table itself (unknown keys, empty reasons)."""
    problems = []
    for key, reason in unsupported.items():
        if not (isinstance(key, tuple) and len(key) == 2 and key[0] in platforms
                and key[1] in pythons):
            problems.append(f"UNSUPPORTED key {key!r}: expected (platform, python) with a "
                            f"platform from {sorted(platforms)} and a Python from {pythons}")
        if not (isinstance(reason, str) and reason.strip()):
            problems.append(f"UNSUPPORTED {key!r}: the reason is empty; say why, as the "
                            f"README would")
    return problems


def failures(results: list[Result], unsupported: dict = UNSUPPORTED) -> list[Result]:
    """The failed results that are not excused by ``unsupported``."""
    return [r for r in results if not r.ok and (r.platform, r.python) not in unsupported]


def cell(result: Result | None, unsupported: dict = UNSUPPORTED, width: int = 30) -> str:
    """One table cell: ``ok (N)``, ``NO: package``, the short reason, or ``-`` (not run)."""
    if result is None:
        return "-"
    text = f"ok ({result.packages})" if result.ok else result.problem
    if (result.platform, result.python) in unsupported:
        text += " *"
    return text if len(text) <= width else text[:width - 3] + "..."


def format_table(results: list[Result], unsupported: dict = UNSUPPORTED,
                 width: int = 30) -> str:
    """Rows = platforms, columns = Python versions, in the order of PLATFORMS and PYTHONS
    (others after them); only the rows and columns that appear in ``results``."""
    by_key = {(r.platform, r.python): r for r in results}
    order = list(PLATFORMS) + sorted({r.platform for r in results} - set(PLATFORMS))
    rows = [p for p in order if any(r.platform == p for r in results)]
    py_order = list(PYTHONS) + sorted({r.python for r in results} - set(PYTHONS))
    columns = [v for v in py_order if any(r.python == v for r in results)]
    table = [["platform", *columns]]
    table += [[p, *(cell(by_key.get((p, v)), unsupported, width) for v in columns)]
              for p in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(text.ljust(w) for text, w in zip(row, widths)).rstrip()
             for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_details(results: list[Result], unsupported: dict = UNSUPPORTED) -> str:
    """uv's message for each failure, and the reason for each excused one."""
    out = []
    for r in results:
        key = (r.platform, r.python)
        if not r.ok:
            head = f"{r.platform}, Python {r.python}: {r.problem}"
            if key in unsupported:
                head += f" (known, UNSUPPORTED: {unsupported[key]})"
            body = "\n".join(("    " + line).rstrip() for line in r.detail.splitlines())
            out.append(head + ("\n" + body if body else ""))
        elif key in unsupported:
            out.append(f"{r.platform}, Python {r.python}: resolves now although UNSUPPORTED "
                       f"says {unsupported[key]!r}; remove it from UNSUPPORTED (and the README)")
    return "\n".join(out)


def summary(results: list[Result], failed: list[Result], seconds: float) -> str:
    """The closing line: how many resolved, how many failures were excused, the time."""
    passed = sum(r.ok for r in results)
    excused = sum(not r.ok for r in results) - len(failed)
    return (f"{passed} of {len(results)} combinations resolve with wheels only; "
            f"{len(failed)} failed" + (f", {excused} more excused by UNSUPPORTED" if excused
                                       else "") + f"; total time {seconds:.1f} s")


# -- command line -----------------------------------------------------------------------
def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python tools/check_wheels.py",
        description="Check that every requirement has binary wheels for each supported "
                    "Python and platform (asks the package index through uv).")
    parser.add_argument("--python", action="append", choices=PYTHONS, metavar="VERSION",
                        help=f"only this Python (repeatable; default all of {', '.join(PYTHONS)})")
    parser.add_argument("--platform", action="append", choices=list(PLATFORMS), metavar="NAME",
                        help=f"only this platform (repeatable; default all of "
                             f"{', '.join(PLATFORMS)})")
    parser.add_argument("--requirements", type=Path, default=DEFAULT_REQUIREMENTS,
                        metavar="PATH", help="requirements file (default requirements-test.txt, "
                                             "which includes requirements.txt)")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, metavar="N",
                        help=f"resolutions at once (default {DEFAULT_JOBS})")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds per resolution (default {DEFAULT_TIMEOUT:g})")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.timeout <= 0:
        parser.error(f"--timeout must be positive, got {args.timeout:g}")
    return args


def _print_progress(done: int, total: int, result: Result) -> None:
    state = f"ok, {result.packages} packages" if result.ok else result.problem
    print(f"[{done}/{total}] {result.platform} Python {result.python}: {state} "
          f"({result.seconds:.1f} s)", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    problems = check_unsupported(UNSUPPORTED)
    if problems:
        print("check_wheels: " + "\n".join(problems), file=sys.stderr)
        return 2
    try:
        uv = find_uv()
        requirements = read_requirements(args.requirements)
    except CheckError as exc:
        print(f"check_wheels: {exc}", file=sys.stderr)
        return 2
    if not requirements:
        print(f"check_wheels: {args.requirements} has no requirement to check", file=sys.stderr)
        return 2
    combinations = [(plat, py) for plat in (args.platform or PLATFORMS)
                    for py in (args.python or PYTHONS)]
    start = time.perf_counter()
    print(f"Resolving {len(requirements)} requirements from {args.requirements} for "
          f"{len(combinations)} Python/platform combinations, wheels only, {args.jobs} at a "
          f"time, with {uv}", flush=True)
    with tempfile.TemporaryDirectory(prefix="check_wheels-") as folder:
        flat = Path(folder) / "requirements.txt"
        flat.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        results = resolve_all([uv], combinations, flat, args.jobs, args.timeout,
                              progress=_print_progress)
    print()
    print(format_table(results))
    print("\nok (N): resolves with wheels only, N packages; NO: X: X has no usable wheel; "
          "* = listed in UNSUPPORTED")
    details = format_details(results)
    if details:
        print("\n" + details)
    failed = failures(results)
    print("\n" + summary(results, failed, time.perf_counter() - start))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
