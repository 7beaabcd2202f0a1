"""One plot style for the whole course.

``use()`` sets a colour-blind-safe palette (Okabe & Ito, 2008), readable font
sizes, light grids and an opaque white background (so that a figure reads the same
in JupyterLab's dark theme as in the light one), and, inside IPython, makes inline
PNGs free of the Matplotlib version stamp so that stored notebook outputs do
not change when Matplotlib is upgraded, and gives each the figure's description
(:mod:`gdcourse.alt_text`) as ``alt`` in its output metadata. ``gdcourse.plots`` calls it on import.
"""

from __future__ import annotations

import html

import matplotlib as mpl
from cycler import cycler

__all__ = ["COLORS", "SEQUENCES", "use", "color", "sequence", "contrast_ratio", "badge"]

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

#: Colour orders of the figures, by what they colour: one home for every list of
#: colours a figure takes its runs or series from, in order.
SEQUENCES = {
    # paths and curves on a white background (notebook 00, the non-convex runs of 06)
    "paths": tuple(COLORS[c] for c in ("blue", "vermillion", "green", "purple", "orange", "sky",
                                       "black")),
    # runs drawn on the blue cost contours of notebooks 04 and 05: no blue
    "on_contours": tuple(COLORS[c] for c in ("vermillion", "black", "orange", "purple", "green")),
    # plain gradient descent, momentum and Adam on the blue contours: no blue
    "optimizers": tuple(COLORS[c] for c in ("vermillion", "orange", "purple", "yellow", "green")),
    # batch sizes and rate schedules (notebook 06)
    "methods": tuple(COLORS[c] for c in ("vermillion", "blue", "green", "purple")),
    # runs on the blue saddle map (notebook 06): no blue
    "on_saddle": tuple(COLORS[c] for c in ("vermillion", "purple", "orange", "green")),
    # runs with different losses or step rules (notebook 06)
    "losses": tuple(COLORS[c] for c in ("vermillion", "purple", "blue", "black")),
    # measured timings (notebooks 02, 03)
    "timings": tuple(COLORS[c] for c in ("vermillion", "purple", "blue", "green", "orange")),
    # cost per epoch for a few learning rates (notebook 07)
    "rates": tuple(COLORS[c] for c in ("blue", "green", "vermillion", "purple", "orange")),
    # fitted lines over data drawn in blue (notebook 04)
    "fitted_lines": tuple(COLORS[c] for c in ("orange", "black", "green")),
    # fitted curves over the training samples (notebook 06); the third is a grey
    "fitted_curves": (COLORS["green"], COLORS["vermillion"], "0.35"),
}

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


def sequence(name: str) -> tuple[str, ...]:
    """The colours of :data:`SEQUENCES` ``name``, in order (``"paths"``, ``"on_contours"``, ...)."""
    try:
        return SEQUENCES[name]
    except KeyError:
        raise ValueError(f"name must be one of {sorted(SEQUENCES)}, got {name!r}.") from None


def _luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``"#RRGGBB"`` (0 for black, 1 for white)."""
    channels = [int(hex_color[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``"#RRGGBB"`` colours, from 1 (none) to 21 (black on white)."""
    for name, value in (("foreground", foreground), ("background", background)):
        if not (isinstance(value, str) and len(value) == 7 and value[0] == "#"):
            raise ValueError(f"{name} must be a colour '#RRGGBB', got {value!r}.")
    hi, lo = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def badge(icon: str, name: str) -> str:
    """HTML for a feedback icon on a small swatch of the palette colour ``name``.

    The icon is black or white, whichever contrasts more with the swatch, and the swatch
    carries its own background, so the icon reads on a light page, JupyterLab's dark theme
    and GitHub alike. The text after it keeps the page's own colour: coloured text that is
    readable on white (orange: 2.2:1) is often not on a dark page (blue: 3.6:1).
    """
    fill = color(name)
    ink = max(("#000000", "#ffffff"), key=lambda c: contrast_ratio(c, fill))
    return (f'<span style="background: {fill}; color: {ink}; font-weight: bold; '
            f'border-radius: 3px; padding: 0 0.3em">{html.escape(icon)}</span>')


def use() -> None:
    """Apply the course style to Matplotlib (idempotent)."""
    mpl.rcParams.update(_RC)
    try:  # inline PNGs without the "Software: Matplotlib version…" chunk
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None and "IPKernelApp" in shell.config:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("png", metadata={"Software": None})
            _describe_inline_pngs(shell)
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks only
        pass


def _describe_inline_pngs(shell) -> None:
    """Make each inline figure PNG carry its description (``gdcourse.alt_text``) as ``alt``."""
    from matplotlib.figure import Figure

    from .alt_text import with_alt

    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, with_alt(png.lookup_by_type(Figure)))
