"""Regenerate the stored outputs of the course notebooks.

Usage (from anywhere, in the course environment)::

    python tools/run_notebooks.py                 # every notebook under notebooks/
    python tools/run_notebooks.py notebooks/01_derivatives_one_example.ipynb
    python tools/run_notebooks.py --no-media ...   # keep notebooks/media/*.gif as they are

First the animations in ``notebooks/media/`` are written again from their registry,
:data:`gdcourse.media.GIFS` (each from a fresh run; the notebooks show them from Markdown).
Then each notebook runs top to bottom in a fresh kernel, from its own folder. Per-cell
timing metadata is removed and not recorded; PNGs carry no Matplotlib version stamp
(``gdcourse.style.use`` takes care of that), so a re-run changes only what really
changed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat

from gdcourse.kernels import execute_notebook

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path, timeout: int = 600) -> float:
    """Run one notebook in place; return its wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    start = time.perf_counter()
    execute_notebook(nb, path.parent, timeout=timeout)
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def write_media() -> None:
    """Write every GIF of :data:`gdcourse.media.GIFS` into ``notebooks/media/``."""
    from gdcourse import media

    folder = ROOT / "notebooks" / "media"
    start = time.perf_counter()
    for name, size in media.write_all(folder).items():
        print(f"{(folder / name).relative_to(ROOT)}: {size / 1e3:,.0f} kB", flush=True)
    print(f"animations written in {time.perf_counter() - start:.1f} s", flush=True)


def notebooks(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="notebooks to run (default: all)")
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    parser.add_argument("--no-media", action="store_true",
                        help="do not rewrite the animations in notebooks/media/ first")
    args = parser.parse_args(argv)
    if not args.no_media:
        write_media()
    paths = notebooks(args.paths)
    for path in paths:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown} ...", end=" ", flush=True)
        print(f"{execute(path, args.timeout):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
