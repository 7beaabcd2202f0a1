"""Text descriptions of the course's figures, for screen readers and the web site.

Every figure function of :mod:`gdcourse.plots` ends with ``return describe(fig, "...")``:
a short sentence or two saying what the figure shows (what is plotted against what, and
what the reader should see in it). Inside IPython, :func:`gdcourse.style.use` makes the
inline PNG of such a figure carry that text in its output metadata,
``{"image/png": {"alt": "..."}}``, where the course site (``tools/build_site.py``) reads it
and writes it as the image's ``alt``.

Numbers in a description follow the rule for every stored output: no more digits than
the computation guarantees (:func:`gdcourse.digits.small` and friends).
"""

from __future__ import annotations

from matplotlib.figure import Figure

__all__ = ["describe", "alt_of", "with_alt", "MAX_LENGTH"]

#: The longest description accepted, in characters. Screen readers read ``alt`` in one
#: breath; longer explanations belong in the prose beside the figure.
MAX_LENGTH = 400

_ATTRIBUTE = "_gdcourse_alt"


def describe(fig: Figure, text: str) -> Figure:
    """Attach the description ``text`` to ``fig`` and return ``fig``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure described.
    text : str
        One or two plain sentences (no Markdown, no LaTeX), at most :data:`MAX_LENGTH`
        characters.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}.")
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}.")
    text = " ".join(text.split())
    if not text:
        raise ValueError("text must describe the figure, got an empty string.")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"text must be at most {MAX_LENGTH} characters (a screen reader reads "
                         f"it in one go), got {len(text)}: {text[:60]!r}...")
    setattr(fig, _ATTRIBUTE, text)
    return fig


def alt_of(fig: Figure) -> str | None:
    """The description attached by :func:`describe`, or ``None``."""
    return getattr(fig, _ATTRIBUTE, None)


def with_alt(png_formatter):
    """Wrap IPython's PNG printer of figures so that it returns ``(png, {"alt": text})``.

    ``png_formatter`` is the callable IPython registered for ``Figure`` (it returns the
    base64 PNG, or ``None`` for an empty figure). IPython stores the second element of
    the pair as the output's metadata for ``image/png``.
    """
    def png_and_alt(fig):
        data = png_formatter(fig)
        text = alt_of(fig)
        if data is None or text is None:
            return data
        return data, {"alt": text}

    png_and_alt.__wrapped__ = png_formatter
    return png_and_alt
