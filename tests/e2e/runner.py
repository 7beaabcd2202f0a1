"""One browser, one JupyterLab server, one notebook tab at a time.

:meth:`NotebookRunner.ran` opens a notebook in a fresh browser context (its
own tab and storage) under a unique workspace name, Runs All Cells and keeps
the tab open, so that the generic test and the widget tests of the same
notebook share one run. Asking for another notebook closes the tab and shuts
the previous kernel down first, so at most one kernel and one tab are alive.
A notebook that failed to open or run is not retried: its later tests fail
at once with the first error.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .lab import LabServer
from .notebook_page import NotebookPage, Problem

__all__ = ["CHROMIUM_ARGS", "NotebookRun", "NotebookRunner", "find_cell", "launch_chromium"]

#: no first-run UI, no network traffic of Chromium's own, no GPU on a headless box
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch_chromium(playwright, executable: str):
    """Debian's Chromium through Playwright (no browser download).

    ``launch`` gives the browser a fresh temporary profile (user-data-dir) and
    removes it on ``close``.
    """
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


def find_cell(path: Path, marker: str) -> int:
    """Index (over all cells) of the one code cell of a notebook whose source has ``marker``."""
    nb = nbformat.read(path, as_version=4)
    hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and marker in c.source]
    assert len(hits) == 1, f"{path.name}: expected one code cell with {marker!r}, found {hits}"
    return hits[0]


@dataclass
class NotebookRun:
    """A notebook after Run All: the live tab, what it showed, and timings."""

    notebook: str
    source: Path
    page: NotebookPage
    problems: list[Problem]
    counts: list[dict]
    seconds: dict = field(default_factory=dict)

    def cell_index(self, marker: str) -> int:
        """Index of the one code cell whose source contains ``marker``."""
        return find_cell(self.source, marker)

    def cell_with(self, marker: str):
        """The cell (a Playwright locator) whose source contains ``marker``."""
        return self.page.cell(self.cell_index(marker))


class NotebookRunner:
    """Open and run notebooks of ``server`` in ``browser``, one at a time."""

    def __init__(self, server: LabServer, browser, timings_path: Path | None = None):
        self.server = server
        self.browser = browser
        self.timings_path = timings_path
        self.current: NotebookRun | None = None
        self._context = None
        self._failed: dict[str, str] = {}
        self.timings: dict[str, dict] = {}
        _, specs = server.api("GET", "/api/kernelspecs")
        self._kernel_names = {name: s["spec"]["display_name"]
                              for name, s in (specs or {}).get("kernelspecs", {}).items()}

    def source(self, notebook: str) -> Path:
        """The notebook as served, before any autosave (see the ``lab_server`` fixture)."""
        return Path(getattr(self.server, "snapshot_dir", self.server.root_dir)) / notebook

    def kernel_display_name(self, notebook: str) -> str:
        meta = json.loads(self.source(notebook).read_text()).get("metadata", {})
        name = meta.get("kernelspec", {}).get("name", "python3")
        return self._kernel_names.get(name, "Python 3 (ipykernel)")

    def ran(self, notebook: str) -> NotebookRun:
        """The notebook (path relative to the served root) after Run All Cells."""
        if self.current is not None and self.current.notebook == notebook:
            return self.current
        if notebook in self._failed:
            raise RuntimeError(f"{notebook} did not run (see its first failure):\n"
                               + self._failed[notebook])
        self.close()
        t0 = time.perf_counter()
        self._context = self.browser.new_context(viewport={"width": 1400, "height": 1000})
        page = NotebookPage(self._context.new_page(), self.kernel_display_name(notebook))
        page.page.set_default_timeout(30_000)
        run = NotebookRun(notebook, self.source(notebook), page, [], [])
        self.current = run
        try:
            n_cells = len(nbformat.read(self.source(notebook), as_version=4).cells)
            page.open(self.server.notebook_url(notebook, "e2e-" + secrets.token_hex(6)), n_cells)
            t1 = time.perf_counter()
            page.run_all()
            t2 = time.perf_counter()
        except Exception as err:
            self._failed[notebook] = f"{type(err).__name__}: {err}"
            raise
        run.problems = page.problems()
        run.counts = page.output_counts()
        run.seconds = {"open_to_idle": round(t1 - t0, 2), "run_all": round(t2 - t1, 2)}
        self.timings[notebook] = run.seconds
        return run

    def close(self) -> None:
        """Close the current tab and shut its kernel down."""
        if self._context is not None:
            try:
                self._context.close()
            finally:
                self._context = None
                self.current = None
                self.server.shutdown_sessions()
        if self.timings_path is not None and self.timings:
            self.timings_path.parent.mkdir(parents=True, exist_ok=True)
            self.timings_path.write_text(json.dumps(self.timings, indent=1) + "\n")
