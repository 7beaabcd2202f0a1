"""The course in JupyterLab, the way a learner meets it.

One JupyterLab server and one Chromium serve the whole module (see
``conftest.py``). Every notebook is opened in its own tab, run with
Run ▸ Run All Cells once, and shared by its tests (they are kept together).

All the browser tests live in this one module on purpose: pytest-xdist's
``--dist loadscope`` sends a module to a single worker, so the suite starts
one server and one browser, not one per worker.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from . import selftest_notebook as selftest

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

#: every course notebook present at collection time, as served (relative to notebooks/)
COURSE_NOTEBOOKS = sorted(p.relative_to(NOTEBOOKS).as_posix()
                          for p in [*NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"),
                                    *NOTEBOOKS.glob("solutions/[0-9][0-9]_*.ipynb")])


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def stored_counts(path: Path) -> list[dict]:
    """Per cell of the committed notebook: widget outputs and PNG outputs."""
    nb = nbformat.read(path, as_version=4)
    counts = []
    for cell in nb.cells:
        outs = cell.get("outputs", []) if cell.cell_type == "code" else []
        counts.append({
            "widgets": sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                           for o in outs),
            "images": sum("image/png" in o.get("data", {}) for o in outs)})
    return counts


def _report(problems) -> str:
    return "\n".join(str(p) for p in problems)


# -- every notebook -----------------------------------------------------------------------
@pytest.mark.parametrize("notebook", COURSE_NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(runner, notebook):
    """Run All: no error/stderr output, every image decoded, every widget rendered, quiet console."""
    run = runner.ran(notebook)
    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    assert len(run.counts) == len(nb.cells), "JupyterLab shows a different number of cells"

    # cells tagged raises-exception must show their error, and only those may
    expected_errors = {i for i, c in enumerate(nb.cells) if "raises-exception" in _tags(c)}
    unexpected = [p for p in run.problems
                  if not (p.kind == "error" and p.cell in expected_errors)]
    assert not unexpected, f"{notebook} after Run All Cells:\n{_report(unexpected)}"
    shown_errors = {p.cell for p in run.problems if p.kind == "error"}
    assert shown_errors == expected_errors, "cells tagged raises-exception must raise"

    # what the committed notebook shows is what a learner gets: same widgets, same plots
    stored = stored_counts(NOTEBOOKS / notebook)
    diffs = [f"cell {i}: stored {s}, browser {b}"
             for i, (s, b) in enumerate(zip(stored, run.counts)) if s != b]
    assert not diffs, f"{notebook}: rendered outputs differ from the stored ones:\n" + "\n".join(
        diffs)


# -- the harness checks itself -------------------------------------------------------------
@pytest.mark.parametrize("notebook", [selftest.NAME])
def test_harness_reports_each_planted_fault(runner, notebook):
    """Each fault planted in the self-test notebook is reported, in its cell, and nothing else."""
    run = runner.ran(notebook)
    in_cells = {(p.cell, p.kind) for p in run.problems if p.cell >= 0}
    assert in_cells == set(selftest.FAULT_CELLS.items()), _report(run.problems)
    console = [p for p in run.problems if p.cell < 0]
    assert console and all("no-such-widget-module" in p.detail for p in console), _report(console)
    # the healthy cells: one decoded figure, one rendered explorer
    assert run.counts[2] == {"widgets": 0, "images": 1}
    assert run.counts[selftest.EXPLORER_CELL] == {"widgets": 1, "images": 0}


@pytest.mark.parametrize("notebook", [selftest.NAME])
def test_harness_drives_an_explorer(runner, notebook, artifacts):
    """Arrow keys, a typed slider value and a typed text value each redraw figure and readout."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.page.cell(selftest.EXPLORER_CELL))
    view.expect_readout(selftest.draw_readout(0.5, 2))
    console_mark = len(run.page.console)

    src = view.image_src()
    view.press("w", "ArrowRight", 3)                       # 0.5 + 3 steps of 0.1
    view.expect_readout(selftest.draw_readout(0.8, 2))
    view.expect_new_figure(src)

    src = view.image_src()
    view.type_value("n", 3)
    view.expect_readout(selftest.draw_readout(0.8, 3))
    view.expect_new_figure(src)

    src = view.image_src()
    view.type_value("w", 1.5)
    view.expect_readout(selftest.draw_readout(1.5, 3))
    view.expect_new_figure(src)
    assert view.png_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    assert not run.page.console_errors(console_mark)
    view.screenshot(artifacts / "selftest__explorer.png")
