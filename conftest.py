"""Repository-wide pytest set-up (tests/ and notebooks/).

nbval resolves ``--nbval-sanitize-with`` against the current directory; make
it relative to the repository instead, so ``python -m pytest`` works from any
folder. SVG outputs carry dates and random ids, so they are never compared.

Every test has a kind, as a marker: ``notebook`` (nbval runs a notebook's cells), ``kernel``
(starts a Jupyter kernel or server: the grader end to end, make-learner, the launcher),
``browser`` (JupyterLab in Chromium), ``network`` (asks the package index), and ``unit`` for
all the others, added here. ``python -m pytest -m unit`` is the fast loop.
"""

from pathlib import Path

import pytest


def pytest_configure(config):
    opt = getattr(config.option, "nbval_sanitize_with", None)
    if opt and not Path(opt).is_absolute():
        config.option.nbval_sanitize_with = str(Path(config.rootpath, opt))


def pytest_collectstart(collector):
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb" \
            and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("image/svg+xml",)


SLOW_KINDS = ("notebook", "kernel", "browser", "network")


def pytest_collection_modifyitems(config, items):
    """Mark nbval's notebook cells ``notebook``, and every test of no slow kind ``unit``."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
        if not any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.unit)
