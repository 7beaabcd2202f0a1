"""List the learner tasks of each notebook (the cells tagged ``task``), as the README shows them.

    python tools/list_tasks.py            # print the list (Markdown)
    python tools/list_tasks.py --check    # exit 1 if the README's list is not this one

A task's first cell is tagged ``task`` and starts with ``**Task N · title.**`` (or ``title?``); its title is
what the list shows. Notebook 07, the graded assignment, is summarised in one line.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
BEGIN, END = "<!-- tasks -->", "<!-- /tasks -->"
_TITLE = re.compile(r"^\*\*Task (\d+) · (.+?)([.?])\*\*", re.DOTALL)


def tasks(path: Path) -> list:
    """``(number, title)`` of each task-tagged cell of the notebook, in order."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        if "task" in cell.get("metadata", {}).get("tags", []):
            match = _TITLE.match(cell.source)
            if not match:
                raise ValueError(f"{path.name}: a task cell must start with '**Task N · title.**' "
                                 "or '**Task N · title?**', "
                                 f"found {cell.source[:60]!r}")
            title = " ".join(match.group(2).split()) + ("?" if match.group(3) == "?" else "")
            out.append((int(match.group(1)), title))
    return out


def listing() -> str:
    """The README's list of tasks, one line per notebook that has any."""
    lines = []
    for path in sorted(NOTEBOOKS.glob("0[0-6]_*.ipynb")):
        found = tasks(path)
        if found:
            items = "; ".join(f"{n}. {title}" for n, title in found)
            lines.append(f"- **{path.name[:2]}** ({len(found)}): {items}")
    lines.append("- **07**: the graded assignment: 8 functions to write and 5 questions, each "
                 "with its check")
    return "\n".join(lines)


def readme_listing(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the README")
    args = parser.parse_args(argv)
    text = listing()
    if not args.check:
        print(text)
        return 0
    if readme_listing(README.read_text(encoding="utf-8")) != text:
        print("README.md's task list is out of date; put this between the markers:\n" + text,
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
