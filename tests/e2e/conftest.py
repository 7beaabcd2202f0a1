"""Fixtures of the browser tests: one JupyterLab server and one Chromium per session.

Without Chromium (``/usr/bin/chromium``, Debian package ``chromium``, or the
path in ``GDCOURSE_CHROMIUM``) or without Playwright / JupyterLab, the browser
tests are skipped with the reason, except in CI (``CI=true``), where a missing
browser is a failure.

The server, the browser and every tab are stopped by fixture finalizers, which
pytest runs also when a test fails; a failing test leaves a screenshot of its
tab and its failure text in ``artifacts/e2e/failures/``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from . import selftest_notebook

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "e2e"
CHROMIUM = os.environ.get("GDCOURSE_CHROMIUM", "/usr/bin/chromium")
E2E_DIR = Path(__file__).resolve().parent


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"no Chromium at {CHROMIUM} (Debian/Ubuntu: `apt-get install chromium`; "
                "or set GDCOURSE_CHROMIUM to a Chromium/Chrome executable)")
    for module, pip_name in (("playwright", "playwright"), ("jupyterlab", "jupyterlab")):
        if importlib.util.find_spec(module) is None:
            return f"Python package {pip_name} is not installed (pip install -r requirements.txt)"
    return None


@pytest.fixture(scope="session")
def browser_requirements():
    reason = missing_requirement()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def lab_server(browser_requirements):
    """JupyterLab on a temporary copy of notebooks/ (plus the harness's self-test notebook).

    ``snapshot_dir`` holds the same notebooks as served, untouched by the server.
    """
    from .lab import LabServer, copy_notebooks

    tmp = Path(tempfile.mkdtemp(prefix="gdcourse-e2e-"))
    try:
        # one snapshot of the notebooks: the server gets a copy (which it may autosave
        # into), the tests read cell positions and stored outputs from the other
        snapshot = copy_notebooks(REPO / "notebooks", tmp / "snapshot")
        nbformat.write(selftest_notebook.build(), snapshot / selftest_notebook.NAME)
        root = copy_notebooks(snapshot, tmp / "notebooks")
        server = LabServer(root, tmp / "state")
        server.snapshot_dir = snapshot
        try:
            server.start()
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium(browser_requirements):
    """Debian's Chromium, driven by Playwright's sync API."""
    from playwright.sync_api import expect, sync_playwright

    from .runner import launch_chromium

    expect.set_options(timeout=30_000)
    pw = sync_playwright().start()
    try:
        browser = launch_chromium(pw, CHROMIUM)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def runner(lab_server, chromium):
    """Opens notebooks one at a time; see :class:`runner.NotebookRunner`."""
    from .runner import NotebookRunner

    r = NotebookRunner(lab_server, chromium, timings_path=ARTIFACTS / "timings.json")
    try:
        yield r
    finally:
        r.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "runner" in getattr(item, "funcargs", {}):
        stem = ARTIFACTS / "failures" / re.sub(r"[^\w.-]+", "_", item.name)
        stem.parent.mkdir(parents=True, exist_ok=True)
        Path(f"{stem}.txt").write_text(report.longreprtext)
        current = item.funcargs["runner"].current
        if current is not None:
            try:
                current.page.page.screenshot(path=f"{stem}.png")
            except Exception:  # the tab may be what broke
                pass
    return report


def notebook_of(item) -> str | None:
    """The notebook a browser test needs: its ``notebook`` or ``case.notebook`` parameter."""
    if E2E_DIR not in Path(item.path).parents:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "notebook" in params:
        return params["notebook"]
    if "case" in params:
        return getattr(params["case"], "notebook", None)
    return None


def pytest_collection_modifyitems(config, items):
    """Keep each notebook's browser tests together, so they share one run of it.

    Tests are ordered by the notebook they need (in order of first
    appearance), then as written. Only the positions these tests already hold
    are reused; every other test keeps its place.
    """
    slots = [i for i, item in enumerate(items) if notebook_of(item) is not None]
    mine = [items[i] for i in slots]
    first_seen: dict[str, int] = {}
    for n, item in enumerate(mine):
        first_seen.setdefault(notebook_of(item), n)
    mine.sort(key=lambda item: first_seen[notebook_of(item)])  # stable within a notebook
    for i, item in zip(slots, mine):
        items[i] = item
