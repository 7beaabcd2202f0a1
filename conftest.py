"""Repository-wide pytest set-up (tests/ and notebooks/).

nbval resolves ``--nbval-sanitize-with`` against the current directory; make
it relative to the repository instead, so ``python -m pytest`` works from any
folder. SVG outputs carry dates and random ids, so they are never compared.
"""

from pathlib import Path


def pytest_configure(config):
    opt = getattr(config.option, "nbval_sanitize_with", None)
    if opt and not Path(opt).is_absolute():
        config.option.nbval_sanitize_with = str(Path(config.rootpath, opt))


def pytest_collectstart(collector):
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb" \
            and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("image/svg+xml",)
