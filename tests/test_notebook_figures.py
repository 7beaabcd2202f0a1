"""The figures stored in the notebooks: each has a text for screen readers, and reads on dark.

Read from the committed notebooks (learner and solutions), no kernel: every stored image
output (``image/png``, ``image/gif``) carries a non-empty ``alt`` in its output metadata
(where :mod:`gdcourse.alt_text` puts it and the course site reads it), every stored PNG
is opaque (a transparent background turns dark in JupyterLab's dark theme, and black
labels vanish on it), and every Markdown image ``![alt](src)`` has an alt text.
"""

import base64
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.unit

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IMAGES = ("image/png", "image/gif")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]*)\)")


def _name(path: Path) -> str:
    """The notebook as the messages name it: its path under notebooks/ (or its file name)."""
    return str(path.relative_to(NOTEBOOKS)) if path.is_relative_to(NOTEBOOKS) else path.name


def _images(path: Path):
    """``(cell index, mime type, data, metadata)`` of every stored image output of a notebook."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            for mime in IMAGES:
                if mime in output.get("data", {}):
                    yield index, mime, output["data"][mime], output.get("metadata", {})


def missing_alt(path: Path) -> list[str]:
    """What is missing, one line per image output without a usable ``alt``."""
    problems = []
    for index, mime, _, metadata in _images(path):
        alt = metadata.get(mime, {}).get("alt") if isinstance(metadata.get(mime), dict) else None
        if not isinstance(alt, str) or not alt.strip():
            problems.append(f"{_name(path)}, cell {index}: the {mime} output has no alt text in "
                            f"output.metadata[{mime!r}]['alt'] (got metadata {dict(metadata)!r})")
    return problems


def _alpha(png: bytes) -> np.ndarray | None:
    """The alpha channel of a PNG, or ``None`` when it has none (palette transparency included)."""
    image = Image.open(io.BytesIO(png))
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        return np.asarray(image.convert("RGBA"))[..., 3]
    return None


def not_opaque(path: Path) -> list[str]:
    """One line per stored PNG with any pixel that is not fully opaque."""
    problems = []
    for index, mime, data, _ in _images(path):
        if mime != "image/png":
            continue
        alpha = _alpha(base64.b64decode(data))
        if alpha is not None and (alpha < 255).any():
            problems.append(f"{_name(path)}, cell {index}: the PNG has "
                            f"{int((alpha < 255).sum())} pixels that are not opaque (lowest alpha "
                            f"{int(alpha.min())}); give the figure an opaque background")
    return problems


def markdown_without_alt(path: Path) -> list[str]:
    """One line per Markdown image ``![](src)`` whose alt text is empty."""
    nb = nbformat.read(path, as_version=4)
    return [f"{_name(path)}, cell {index}: the Markdown image {m.group('src')!r} has no alt text"
            for index, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
            for m in MARKDOWN_IMAGE.finditer(cell.source) if not m.group("alt").strip()]


def test_the_notebooks_are_found_and_show_figures():
    assert {"07_exercises.ipynb", "solutions/07_exercises.ipynb"} <= {_name(p) for p in PATHS}
    assert sum(1 for p in PATHS for _ in _images(p)) >= 40


@pytest.mark.parametrize("path", PATHS, ids=_name)
def test_every_stored_figure_has_alt_text(path):
    problems = missing_alt(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PATHS, ids=_name)
def test_every_stored_png_is_opaque(path):
    problems = not_opaque(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PATHS, ids=_name)
def test_every_markdown_image_has_alt_text(path):
    problems = markdown_without_alt(path)
    assert not problems, "\n".join(problems)


# -- the checks themselves, on notebooks made up here -----------------------------------------
def _png(alpha: int) -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", (2, 2), (255, 255, 255, alpha)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _notebook(tmp_path, outputs, markdown="text") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown), nbformat.v4.new_code_cell("plot()")]
    nb.cells[1].outputs = outputs
    path = tmp_path / "made_up.ipynb"
    nbformat.write(nb, path)
    return path


def _display(data, metadata=None):
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def test_the_checks_pass_a_described_opaque_figure(tmp_path):
    good = _notebook(tmp_path, [_display({"image/png": _png(255)},
                                         {"image/png": {"alt": "A line."}})], "![a plot](x.png)")
    assert missing_alt(good) == not_opaque(good) == markdown_without_alt(good) == []


def test_the_checks_name_the_notebook_the_cell_and_what_is_missing(tmp_path):
    bad = _notebook(tmp_path, [_display({"image/png": _png(0), "text/plain": "<Figure>"}),
                               _display({"image/gif": "R0lG"}, {"image/gif": {"alt": " "}})],
                    "see ![](anim.gif)")
    alt = missing_alt(bad)
    assert len(alt) == 2
    assert alt[0].startswith("made_up.ipynb, cell 1: the image/png output has no alt text")
    assert alt[1].startswith("made_up.ipynb, cell 1: the image/gif output has no alt text")
    assert not_opaque(bad) == ["made_up.ipynb, cell 1: the PNG has 4 pixels that are not "
                               "opaque (lowest alpha 0); give the figure an opaque background"]
    assert markdown_without_alt(bad) == ["made_up.ipynb, cell 0: the Markdown image "
                                         "'anim.gif' has no alt text"]
