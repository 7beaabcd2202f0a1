"""Read the numbers a widget shows, so tests check what a readout means, not how it is worded.

A readout's labels may change; the numbers it shows, and their order, are what a
learner reads. :func:`assert_shows` checks that the computed values appear in
the text, in order, each equal to the computed one within the precision it is
printed with (``0.640`` within 0.0005, ``1.214e-09`` within 5e-13).
"""

from __future__ import annotations

import html
import re

__all__ = ["shown_numbers", "assert_shows", "text_of", "verdict_of", "marks", "table_values"]

# a number on its own (not part of a name such as w_k or dw₁); a full stop may end a sentence
_NUMBER = re.compile(r"(?<![\w.])[-+−]?\d+(?:\.\d+)?(?:e[-+−]?\d+)?(?!\w|\.\d)")


def text_of(readout_html: str) -> str:
    """The text of an HTML readout (tags removed, entities decoded, white space collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^<>]*>", " ", readout_html)).split())


def _value_and_tolerance(token: str) -> tuple[float, float]:
    token = token.replace("−", "-")
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    scale = 10.0 ** int(exponent) if exponent else 1.0
    return float(token), 0.5 * 10.0 ** -decimals * scale * 1.001


def shown_numbers(text: str) -> list[tuple[float, float]]:
    """``(value, printed precision)`` of every number in ``text``, in order."""
    return [_value_and_tolerance(m.group()) for m in _NUMBER.finditer(text_of(text))]


def assert_shows(text: str, *expected: float, rel: float = 0.0, abs_: float = 0.0) -> None:
    """Each expected value is shown in ``text``, in this order, to its printed precision.

    ``rel`` and ``abs_`` widen the tolerance, for values that are rounding noise.
    """
    shown = shown_numbers(text)
    k = 0
    for want in expected:
        while k < len(shown) and (abs(shown[k][0] - want)
                                  > shown[k][1] + abs_ + rel * abs(want)):
            k += 1
        assert k < len(shown), f"{want!r} (or the values after it) not shown in: {text_of(text)}"
        k += 1


def verdict_of(readout_html: str) -> str:
    """The text of the readout's first bold element: where the explorers state their verdict."""
    m = re.search(r"<b>(.*?)</b>", readout_html)
    assert m, f"no verdict in: {readout_html}"
    return text_of(m.group(1))


def table_values(readout_html: str) -> list[float]:
    """The numbers of a table readout, row by row (each value is in a ``<code>`` cell)."""
    values = re.findall(r"<code>([^<]*)</code>", readout_html)
    assert values, f"no table values in: {readout_html}"
    return [float(v.replace("−", "-")) for v in values]


def marks(readout_html: str) -> list[str]:
    """The text of every feedback badge, in order (the ✓ / ✗ / → / ← marks of a task's feedback).

    A badge (``gdcourse.style.badge``) is a span with a background of its own and bold ink.
    """
    return [text_of(b) for b in re.findall(
        r'<span style="background: #[0-9A-Fa-f]{6}; color: #[0-9A-Fa-f]{6}; font-weight: bold;'
        r'[^"]*">(.*?)</span>', readout_html)]
