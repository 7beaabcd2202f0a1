"""Build the learner's exercise notebook from the instructor's source.

``python -m gdcourse make-learner`` reads
``notebooks/solutions/07_exercises.ipynb`` and writes
``notebooks/07_exercises.ipynb``:

- in code cells, every region between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` (inside a function body) becomes one line,
  ``raise NotImplementedError("Hint: ...")``, with the hint written after the
  BEGIN marker (``### BEGIN SOLUTION hint: use np.exp``);
- cells tagged ``solution`` (worked explanations, instructor notes) are left out;
- outputs are cleared, then the new notebook is executed top to bottom in a
  fresh kernel so it is stored with its outputs (the checks then show "not
  implemented yet"). ``--no-execute`` skips that step.

``--check`` writes nothing: it exits with status 1 if the committed learner
notebook's cells differ from what the source would give.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

__all__ = ["BEGIN", "END", "SOLUTION_TAG", "make_learner", "differences", "add_parser", "run",
           "SolutionMarkerError"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
SOLUTION_TAG = "solution"

DEFAULT_SOURCE = Path("notebooks/solutions/07_exercises.ipynb")
DEFAULT_OUTPUT = Path("notebooks/07_exercises.ipynb")

_BEGIN_RE = re.compile(r"^(\s*)### BEGIN SOLUTION\b\s*(?:hint:\s*)?(.*?)\s*$", re.IGNORECASE)
_END_RE = re.compile(r"^\s*### END SOLUTION\b")
_DEF_RE = re.compile(r"^\s*def\s+(\w+)\s*\(")


class SolutionMarkerError(ValueError):
    """A solution region is malformed (no END, nested, outside a function)."""


def _stub_line(indent: str, hint: str) -> str:
    message = f"Hint: {hint}" if hint else "Write this function."
    return f"{indent}raise NotImplementedError({json.dumps(message, ensure_ascii=False)})"


def replace_regions(source: str, fill: dict | None = None, *, where: str = "") -> tuple[str, int]:
    """The cell source with each solution region replaced; and how many regions there were.

    ``fill`` maps a function name to code that replaces its region instead of the
    stub (used to build test submissions from the source notebook).
    """
    lines = source.split("\n")
    out, count, i = [], 0, 0
    while i < len(lines):
        m = _BEGIN_RE.match(lines[i])
        if not m:
            if _END_RE.match(lines[i]):
                raise SolutionMarkerError(f"{where}: {END} without {BEGIN} (line {i + 1}).")
            out.append(lines[i])
            i += 1
            continue
        indent, hint = m.group(1), m.group(2)
        end = next((j for j in range(i + 1, len(lines)) if _END_RE.match(lines[j])), None)
        if end is None:
            raise SolutionMarkerError(f"{where}: {BEGIN} on line {i + 1} has no {END}.")
        if any(_BEGIN_RE.match(x) for x in lines[i + 1:end]):
            raise SolutionMarkerError(f"{where}: nested {BEGIN} after line {i + 1}.")
        if not indent:
            raise SolutionMarkerError(f"{where}: the solution region on line {i + 1} is not "
                                      "inside a function body; the stub must be a function that "
                                      "raises NotImplementedError.")
        name = next((d.group(1) for d in map(_DEF_RE.match, reversed(out)) if d), None)
        code = (fill or {}).get(name)
        if code is None:
            out.append(_stub_line(indent, hint))
        else:
            body = [ln for ln in code.strip("\n").split("\n")]
            base = min((len(b) - len(b.lstrip()) for b in body if b.strip()), default=0)
            out += [indent + b[base:] if b.strip() else "" for b in body]
        count += 1
        i = end + 1
    return "\n".join(out), count


def make_learner(nb, fill: dict | None = None):
    """The learner's version of a solutions notebook (an ``nbformat`` node; not executed).

    Returns a new notebook; ``nb`` is not changed.
    """
    nb = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.source, _ = replace_regions(cell.source, fill, where=f"cell {index + 1}")
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def _comparable(nb) -> list:
    return [(c.cell_type, c.source, sorted(c.get("metadata", {}).get("tags", [])))
            for c in nb.cells]


def differences(generated, committed) -> list:
    """Human-readable differences in cell type, source and tags (outputs are ignored)."""
    a, b = _comparable(generated), _comparable(committed)
    out = []
    if len(a) != len(b):
        out.append(f"{len(a)} cells expected, the committed notebook has {len(b)}.")
    for i, (x, y) in enumerate(zip(a, b), start=1):
        if x != y:
            first = x[1].split("\n")[0][:60]
            out.append(f"cell {i} differs (expected a {x[0]} cell starting {first!r}).")
    return out


def execute(nb, folder: Path, timeout: int = 600):
    """Run the notebook top to bottom in a fresh kernel, in place (outputs stored)."""
    from ..kernels import execute_notebook

    execute_notebook(nb, folder, timeout=timeout)
    return nb


def _resolve(path: Path) -> Path:
    """``path`` from the current folder, else from the repository this package lives in."""
    if path.is_absolute() or path.exists():
        return path
    repo = Path(__file__).resolve().parents[2]
    return repo / path if (repo / path).exists() or (repo / "notebooks").is_dir() else path


def add_parser(sub):
    p = sub.add_parser("make-learner", help="build the learner notebook from the solutions",
                       description=__doc__.split("\n\n", 1)[1],
                       formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                   help=f"instructor notebook (default {DEFAULT_SOURCE})")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                   help=f"learner notebook to write (default {DEFAULT_OUTPUT})")
    p.add_argument("--no-execute", action="store_true",
                   help="write it without running it (no stored outputs)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the output's cells differ from the source's")
    return p


def run(args) -> int:
    import nbformat

    source, output = _resolve(args.source), _resolve(args.output)
    nb = nbformat.read(source, as_version=4)
    try:
        learner = make_learner(nb)
    except SolutionMarkerError as exc:
        print(f"make-learner: {source}: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if not output.exists():
            print(f"make-learner --check: {output} does not exist.", file=sys.stderr)
            return 1
        diffs = differences(learner, nbformat.read(output, as_version=4))
        for d in diffs:
            print(f"make-learner --check: {d}", file=sys.stderr)
        if diffs:
            print("Run `python -m gdcourse make-learner` to rebuild it.", file=sys.stderr)
        return 1 if diffs else 0
    if not args.no_execute:
        execute(learner, output.parent)
    nbformat.write(learner, output)
    regions = sum(replace_regions(c.source)[1] for c in nb.cells if c.cell_type == "code"
                  and SOLUTION_TAG not in c.get("metadata", {}).get("tags", []))
    dropped = len(nb.cells) - len(learner.cells)
    print(f"wrote {output}: {len(learner.cells)} cells, {regions} solution region(s) replaced by "
          f"stubs, {dropped} solution-only cell(s) left out"
          + ("" if args.no_execute else ", executed") + ".")
    return 0
