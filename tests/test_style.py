"""gdcourse.style: the contrast of feedback colours, against the WCAG 2 definition."""

import re

import pytest

from gdcourse import style


@pytest.mark.parametrize("a, b, ratio", [
    ("#000000", "#ffffff", 21.0),      # the largest contrast there is
    ("#ffffff", "#000000", 21.0),      # order does not matter
    ("#0072B2", "#0072B2", 1.0),       # a colour on itself
    ("#767676", "#ffffff", 4.54),      # the lightest grey that passes AA on white (WebAIM)
    ("#777777", "#ffffff", 4.48),      # one step lighter fails it
])
def test_contrast_ratio_matches_published_values(a, b, ratio):
    assert style.contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("bad", ["red", "#12345", 0x123456, None])
def test_contrast_ratio_names_a_bad_colour(bad):
    with pytest.raises(ValueError, match=r"foreground must be a colour '#RRGGBB', got"):
        style.contrast_ratio(bad, "#ffffff")


@pytest.mark.parametrize("name", sorted(style.COLORS))
def test_badge_icon_passes_wcag_aa_on_its_own_swatch(name):
    html = style.badge("✓", name)
    fill, ink = re.search(r"background: (#\w{6}); color: (#\w{6})", html).groups()
    assert fill == style.color(name)
    assert style.contrast_ratio(ink, fill) >= 4.5


def test_badge_escapes_its_icon_and_refuses_an_unknown_colour():
    assert "&lt;b&gt;" in style.badge("<b>", "blue")
    with pytest.raises(ValueError, match="name must be one of"):
        style.badge("✓", "teal")
