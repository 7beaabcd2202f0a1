"""gdcourse.alt_text: descriptions attached to figures and carried into the inline PNG's metadata."""

import pytest
from matplotlib.figure import Figure

from gdcourse.alt_text import MAX_LENGTH, alt_of, describe, with_alt


def test_describe_attaches_the_text_and_returns_the_figure():
    fig = Figure()
    assert alt_of(fig) is None
    assert describe(fig, "  Cost against epoch,\n falling. ") is fig
    assert alt_of(fig) == "Cost against epoch, falling."


@pytest.mark.parametrize("fig, text, error, words", [
    ("not a figure", "text", TypeError, "fig must be a matplotlib Figure, got str"),
    (Figure(), 3, TypeError, "text must be a str, got int"),
    (Figure(), "   ", ValueError, "got an empty string"),
    (Figure(), "x" * (MAX_LENGTH + 1), ValueError, f"at most {MAX_LENGTH} characters"),
])
def test_describe_refuses_bad_input(fig, text, error, words):
    with pytest.raises(error, match=words):
        describe(fig, text)


def test_with_alt_adds_the_metadata_only_when_there_is_a_png_and_a_text():
    described = describe(Figure(), "A line.")
    formatter = with_alt(lambda fig: "PNGDATA")
    assert formatter(described) == ("PNGDATA", {"alt": "A line."})
    assert formatter(Figure()) == "PNGDATA"                 # no description: data alone
    assert with_alt(lambda fig: None)(described) is None    # empty figure: no output at all
