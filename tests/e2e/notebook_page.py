"""Drive one notebook in JupyterLab the way a learner does, and read what it shows.

:class:`NotebookPage` wraps a Playwright page: open a notebook, wait until the
kernel is really idle (the status bar, not the toolbar indicator, which says
"idle" before a kernel exists), Run All Cells from the menu, wait for every
cell to finish, then list the *problems* a learner would see: error or stderr
outputs, images that did not decode, widgets that failed ("Error displaying
widget") or fell back to their plain-text repr, cells that did not run, and
errors in the browser console.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

__all__ = ["Problem", "NotebookPage", "WIDGET_REPR", "type_code", "editor_text"]

#: the text/plain repr of an ipywidget, shown when the widget manager is missing
WIDGET_REPR = r"^[A-Z]\w*\((children|value|layout|description|options|min|max)="

# One pass over the notebook's DOM, collecting what a learner would call broken.
_PROBLEMS_JS = r"""
([widgetRepr]) => {
  const reprRe = new RegExp(widgetRepr);
  const problems = [];
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, i) => {
    if (cell.classList.contains('jp-CodeCell')) {
      const prompt = cell.querySelector('.jp-InputArea-prompt')?.textContent.trim() ?? '';
      const source = cell.querySelector('.cm-content')?.textContent.trim() ?? '';
      if (source && !/^\[\d+\]:$/.test(prompt))
        problems.push({cell: i, kind: 'not-run', detail: `prompt ${prompt}`});
    }
    for (const out of cell.querySelectorAll('.jp-OutputArea-output')) {
      const mime = out.getAttribute('data-mime-type') ?? '';
      const text = (out.innerText ?? '').trim();
      if (mime === 'application/vnd.jupyter.stderr') {
        const kind = /Traceback \(most recent call last\)|^\S*(Error|Exception)\b/m.test(text)
          ? 'error' : 'stderr';
        problems.push({cell: i, kind, detail: text.slice(-400)});
      }
      for (const img of out.querySelectorAll('img')) {
        if (!(img.complete && img.naturalWidth > 0 && img.naturalHeight > 0))
          problems.push({cell: i, kind: 'image', detail: `image not decoded (${img.className})`});
      }
      const failed = out.querySelector('.jupyter-widgets-error-widget');
      if (failed || /Error displaying widget/.test(text))
        problems.push({cell: i, kind: 'widget', detail: text.slice(0, 300) || 'error widget'});
      else if (/^Loading widget/.test(text))
        problems.push({cell: i, kind: 'widget', detail: 'widget never rendered: ' + text});
      if (mime === 'text/plain' && reprRe.test(text))
        problems.push({cell: i, kind: 'widget-as-text', detail: text.slice(0, 200)});
    }
  });
  return problems;
}
"""

# Counts per cell of rendered widgets and of decoded images (the plot outputs).
_COUNTS_JS = r"""
() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell => {
  const outs = [...cell.querySelectorAll('.jp-OutputArea-output')];
  return {
    widgets: outs.filter(o => o.querySelector(':scope > .jupyter-widgets')
                              && !o.querySelector('.jupyter-widgets-error-widget')).length,
    images: outs.filter(o => o.getAttribute('data-mime-type') === 'image/png').length,
  };
})
"""

# Run All has started once any prompt shows [*]; the observer is installed
# before the click, so even a cell that finishes at once cannot be missed.
_WATCH_RUN_JS = r"""
() => {
  window.__e2eRunStarted = false;
  const nb = document.querySelector('.jp-Notebook');
  const seen = () => {
    for (const p of nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
      if (p.textContent.includes('*')) { window.__e2eRunStarted = true; obs.disconnect(); return; }
  };
  const obs = new MutationObserver(seen);
  obs.observe(nb, {subtree: true, childList: true, characterData: true});
}
"""

_RUN_FINISHED_JS = r"""
([idleText]) => {
  // Finished: no cell queued or running ([*]) any more. Cells that an error
  // stopped from running go back to [ ] and are reported by problems().
  if (!window.__e2eRunStarted) return false;
  for (const p of document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'))
    if (p.textContent.includes('*')) return false;
  const bar = document.querySelector('#jp-main-statusbar');
  return [...bar.querySelectorAll('*')].some(e => e.childElementCount === 0
                                                  && e.textContent.trim() === idleText);
}
"""

# Every image decoded (or failed for good), no widget still loading.
_SETTLED_JS = r"""
() => {
  const outs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')];
  return outs.every(o => [...o.querySelectorAll('img')].every(img => img.complete)
                         && !/^Loading widget/.test((o.innerText ?? '').trim()));
}
"""


@dataclass(frozen=True)
class Problem:
    """Something a learner would see as broken: cell index (all cells), kind, detail."""

    cell: int
    kind: str
    detail: str

    def __str__(self) -> str:
        where = "console" if self.cell < 0 else f"cell {self.cell}"
        return f"[{where}] {self.kind}: {self.detail}"


class NotebookPage:
    """One notebook open in its own browser tab.

    Parameters
    ----------
    page : playwright Page
        A fresh tab; console messages are collected from now on.
    kernel_name : str
        Kernel display name as the status bar shows it, e.g. ``"Python 3 (ipykernel)"``.
    """

    def __init__(self, page: Page, kernel_name: str = "Python 3 (ipykernel)"):
        self.page = page
        self.kernel_name = kernel_name
        self.console: list[tuple[str, str]] = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))

    # -- open and run -------------------------------------------------------------------
    def open(self, url: str, n_cells: int | None = None, timeout_ms: float = 60_000) -> None:
        """Load the notebook and wait for "<kernel> | Idle" in the status bar.

        With ``n_cells``, also wait until that many cells are in the page: on a
        loaded machine JupyterLab can reach Idle while it is still adding the
        cells of a long notebook, and Run All would then run only those shown.
        """
        self.page.goto(url)
        self.wait_idle(timeout_ms)
        if n_cells is not None:
            self.page.wait_for_function(
                "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n",
                arg=n_cells, timeout=timeout_ms)

    def wait_idle(self, timeout_ms: float = 60_000) -> None:
        idle = re.compile(rf"^{re.escape(self.kernel_name)} \| Idle$")
        expect(self.page.locator("#jp-main-statusbar").get_by_text(idle)).to_be_visible(
            timeout=timeout_ms)

    def run_all(self, timeout_ms: float = 120_000) -> None:
        """Run ▸ Run All Cells from the menu bar; wait until no cell is queued or running."""
        self.page.evaluate(_WATCH_RUN_JS)
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        self.page.wait_for_function(_RUN_FINISHED_JS, arg=[f"{self.kernel_name} | Idle"],
                                    timeout=timeout_ms)
        self.settle()

    def settle(self, timeout_ms: float = 30_000) -> None:
        """Wait until images have loaded and no widget is still "Loading"."""
        try:
            self.page.wait_for_function(_SETTLED_JS, timeout=timeout_ms)
        except Exception:  # what is still pending is reported by problems()
            pass

    # -- what the learner sees ----------------------------------------------------------
    def problems(self, console_from: int = 0) -> list[Problem]:
        """Everything broken on the page, plus console errors since ``console_from``."""
        found = [Problem(**p) for p in self.page.evaluate(_PROBLEMS_JS, [WIDGET_REPR])]
        return found + self.console_errors(console_from)

    def console_errors(self, since: int = 0) -> list[Problem]:
        """Console errors, uncaught page errors and widget class load failures."""
        return [Problem(-1, kind, text[:500]) for kind, text in self.console[since:]
                if kind in ("error", "pageerror") or "Failed to load model class" in text]

    def output_counts(self) -> list[dict]:
        """Per cell: number of rendered widgets and of PNG outputs."""
        return self.page.evaluate(_COUNTS_JS)

    def cell(self, index: int) -> Locator:
        """The cell at ``index``, counting every cell (markdown included) from 0."""
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)


def type_code(cell: Locator, source: str) -> None:
    """Replace a code cell's source by typing it, key by key, as a learner does.

    After each Enter the editor indents the new line by itself; Shift+Home
    selects that automatic indentation so the typed line (with its own
    indentation) replaces it.
    """
    page = cell.page
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for k, line in enumerate(source.splitlines()):
        if k:
            page.keyboard.press("Enter")
            page.keyboard.press("Shift+Home")
            if not line:
                page.keyboard.press("Delete")
        if line:
            page.keyboard.type(line)


def editor_text(cell: Locator) -> str:
    """The source shown in a cell's editor, trailing blanks removed per line."""
    lines = cell.locator(".cm-content > .cm-line").all_inner_texts()
    return "\n".join(line.replace("\u200b", "").rstrip() for line in lines).strip("\n")
