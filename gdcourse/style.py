"""One plot style for the whole course.

``use()`` sets a colour-blind-safe palette (Okabe & Ito, 2008), readable font
sizes, light grids and a white background, and, inside IPython, makes inline
PNGs free of the Matplotlib version stamp so that stored notebook outputs do
not change when Matplotlib is upgraded. ``gdcourse.plots`` calls it on import.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

__all__ = ["COLORS", "use", "color"]

#: Okabe-Ito palette, distinguishable with the common forms of colour blindness.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
_CYCLE = ["blue", "orange", "green", "vermillion", "sky", "purple", "black"]

_RC = {
    "axes.prop_cycle": cycler(color=[COLORS[c] for c in _CYCLE]),
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
    "image.cmap": "viridis",
    "savefig.dpi": 100,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
}


def color(name: str) -> str:
    """Hex colour of the course palette by name (``"blue"``, ``"orange"``, ...)."""
    try:
        return COLORS[name]
    except KeyError:
        raise ValueError(f"name must be one of {sorted(COLORS)}, got {name!r}.") from None


def use() -> None:
    """Apply the course style to Matplotlib (idempotent)."""
    mpl.rcParams.update(_RC)
    try:  # inline PNGs without the "Software: Matplotlib version…" chunk
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None and "IPKernelApp" in shell.config:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("png", metadata={"Software": None})
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks only
        pass
