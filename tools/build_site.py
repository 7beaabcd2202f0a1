"""Build the course website from the committed notebooks' stored outputs (nothing is run).

Usage, from the repository, in an environment made from requirements-test.txt::

    python tools/build_site.py                 # writes _build/site/
    python tools/build_site.py --out DIR       # writes DIR/ (created; an old site is replaced)

Open ``index.html`` of the result in a browser; the site loads nothing from the internet.

Steps:

1. a staging folder gets the site's sources (``site/``), ``README.md`` (the pages include
   parts of it), the learner notebooks ``notebooks/NN_*.ipynb``, each prepared for a static
   page by :mod:`site_notebooks`, and ``notebooks/media/`` if there is one. Nothing from
   ``notebooks/solutions/`` is copied;
2. ``python -m sphinx -W --keep-going`` builds HTML from it: any warning fails the build;
3. the build time and the site's size are printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: When the command started: importing nbformat alone takes about 2 s, part of the build's time.
STARTED = time.perf_counter()

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_notebooks  # noqa: E402
from site_notebooks import SiteError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "_build" / "site"

__all__ = ["SiteBuild", "SiteError", "build", "main", "stage"]


@dataclass
class SiteBuild:
    """What a build made: where, how long it took, how big it is, what was prepared."""

    out: Path
    seconds: float
    bytes: int
    pages: list[str]
    prepared: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        notebooks = sum(1 for p in self.pages if p.startswith("notebooks/"))
        return (f"site built in {self.seconds:.1f} s: {len(self.pages)} pages ({notebooks} "
                f"notebooks), {self.bytes / 1e6:.1f} MB in {self.out}")


def stage(repo: Path, staging: Path) -> tuple[Path, dict[str, dict[str, int]]]:
    """Copy and prepare everything the build reads into ``staging``; return the Sphinx
    source folder and, per notebook, what its preparation changed."""
    sources, notebooks, readme = repo / "site", repo / "notebooks", repo / "README.md"
    if not (sources / "conf.py").is_file():
        raise SiteError(f"expected the site's sources at {sources} (conf.py, index.md), "
                        f"but {sources / 'conf.py'} does not exist")
    if not readme.is_file():
        raise SiteError(f"expected {readme}: the home page and the instructor guide include "
                        f"parts of it")
    found = site_notebooks.course_notebooks(notebooks)
    src = staging / "site"
    shutil.copytree(sources, src, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    shutil.copy2(readme, staging / "README.md")
    prepared = {}
    for notebook in found:
        prepared[notebook.name] = site_notebooks.prepare_file(
            notebook, src / "notebooks" / notebook.name)
    if (notebooks / "media").is_dir():
        shutil.copytree(notebooks / "media", src / "notebooks" / "media")
    return src, prepared


def site_pages(out: Path) -> list[str]:
    """The HTML pages of a built site, as paths relative to it (Sphinx's own pages left out)."""
    own = {"genindex.html", "search.html", "py-modindex.html"}
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                  if p.relative_to(out).parts[0] not in ("_static", "_sources", "_images")
                  and p.name not in own)


def _clear(out: Path) -> None:
    """Remove a previous site at ``out``; refuse to empty a folder that is something else."""
    if not out.exists():
        return
    if not out.is_dir():
        raise SiteError(f"--out {out}: expected a folder for the site, found a file")
    if any(out.iterdir()) and not (out / ".buildinfo").is_file():
        raise SiteError(f"--out {out}: the folder is not empty and holds no earlier site "
                        f"(no .buildinfo); give an empty or new folder")
    shutil.rmtree(out)


def build(out: Path = DEFAULT_OUT, repo: Path = ROOT) -> SiteBuild:
    """Build the site into ``out`` from the repository at ``repo``.

    Parameters
    ----------
    out : Path
        The folder for the site; created, or replaced if it holds an earlier site.
    repo : Path
        The repository (``site/``, ``notebooks/``, ``README.md``).

    Raises
    ------
    SiteError
        When an input is missing or malformed, or Sphinx reports a warning or an error
        (the message ends with Sphinx's output).
    """
    start = time.perf_counter()
    out, repo = Path(out).resolve(), Path(repo).resolve()
    _clear(out)
    with tempfile.TemporaryDirectory(prefix="gdcourse-site-") as tmp:
        src, prepared = stage(repo, Path(tmp))
        # one process: sphinx-mathjax-offline does not declare itself safe for parallel
        # reading, and with -W Sphinx's warning about that would fail the build
        command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                   "-d", str(Path(tmp) / "doctrees"), str(src), str(out)]
        proc = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
    if proc.returncode != 0:
        raise SiteError(f"Sphinx failed (exit status {proc.returncode}):\n"
                        + (proc.stderr or proc.stdout).strip())
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return SiteBuild(out, time.perf_counter() - start, size, site_pages(out), prepared)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/build_site.py", description=(
        "Build the course website from the notebooks' stored outputs (offline, nothing run)."))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help="folder for the site (default _build/site)")
    args = parser.parse_args(argv)
    try:
        result = build(args.out)
    except SiteError as exc:
        print(f"build_site: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    print(f"the whole command took {time.perf_counter() - STARTED:.1f} s; "
          f"open {result.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
