"""Prepare the committed notebooks for the course website (read and written with nbformat).

The site shows the stored outputs as they are, with these changes:

- **widgets**: an ``application/vnd.jupyter.widget-view+json`` output needs a running kernel
  (and ipywidgets' embedding script from a CDN), so each becomes a short note saying where it
  runs and which figure beside it shows it statically. The notebook's saved widget state
  (``metadata.widgets``) is dropped, so that myst-nb adds no widget script to the page;
- **worked solutions**: a Markdown cell ``<details><summary>TITLE</summary> ... </details>``
  is raw HTML to MyST, so the Markdown and ``$...$`` maths inside it would not be rendered.
  It becomes a MyST admonition with ``:class: dropdown``, which sphinx-togglebutton shows
  collapsed, with a button that opens it;
- **alt text**: an image output may carry its description in
  ``output.metadata[mime]["alt"]``. myst-nb 1.4 takes ``alt`` only from the cell's
  ``metadata.mystnb.image`` options, so it is copied there (a cell has at most one image). An
  image without one gets an empty alt, instead of docutils' default, its file name;
- **tasks**: a Markdown cell tagged ``task`` (the first cell of a learner task) is framed, so
  that the tasks stand out on the page.

Only the learner notebooks ``NN_name.ipynb`` directly in the notebooks folder are used;
nothing under ``notebooks/solutions/`` is ever read.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

__all__ = ["SiteError", "WIDGET_MIME", "IMAGE_MIMES", "course_notebooks", "prepare",
           "prepare_file", "widget_note", "dropdown_from_details", "carry_alt_text",
           "image_alt_texts"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Image outputs myst-nb writes to files and shows with ``<img>``.
IMAGE_MIMES = ("image/gif", "image/png", "image/jpeg", "image/svg+xml")
#: Widgets of ``gdcourse.widgets.quiz`` that ask a question (the others are explorers).
QUIZ_CLASSES = ("MultipleChoice", "NumberQuestion")
#: The tag a cell whose widget was replaced gets (myst-nb makes it the class ``tag_site-widget``).
WIDGET_TAG = "site-widget"
#: How many cells away from an explorer its static figure may be.
FIGURE_DISTANCE = 2
#: What a learner notebook must never contain (the instructor source's solution markers).
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")

_NOTEBOOK_NAME = re.compile(r"\d\d_[A-Za-z0-9_]+\.ipynb")
_DETAILS = re.compile(r"\A\s*<details>\s*<summary>(?P<title>.*?)</summary>(?P<body>.*)"
                      r"</details>\s*\Z", re.DOTALL)
_CLICK_HINT = re.compile(r"\s*\(click to (?:open|reveal|show)\)\s*$", re.IGNORECASE)
_WIDGET_CLASS = re.compile(r"\A\s*([A-Za-z_]\w*)\(")


class SiteError(Exception):
    """The notebooks cannot be turned into the site; the message says what was expected."""


# -- which notebooks ---------------------------------------------------------------------
def course_notebooks(folder: Path) -> list[Path]:
    """The learner notebooks of the course, in order: ``NN_name.ipynb`` directly in ``folder``.

    Parameters
    ----------
    folder : Path
        The repository's ``notebooks/`` folder.

    Returns
    -------
    list of Path
        Sorted by name. Sub-folders (``solutions/``, ``media/``) are not looked into.

    Raises
    ------
    SiteError
        When ``folder`` is not a folder or holds no such notebook.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SiteError(f"expected the notebooks folder at {folder} (with 00_*.ipynb ... "
                        f"07_*.ipynb in it), but there is no such folder")
    found = sorted(p for p in folder.iterdir()
                   if p.is_file() and _NOTEBOOK_NAME.fullmatch(p.name))
    if not found:
        raise SiteError(f"expected notebooks named NN_name.ipynb (00_*.ipynb ... 07_*.ipynb) "
                        f"in {folder}, found none")
    return found


# -- widgets -------------------------------------------------------------------------------
def _widget_class(output) -> str:
    match = _WIDGET_CLASS.match(str(output.get("data", {}).get("text/plain", "")))
    return match[1] if match else ""


def _has_image(cell) -> bool:
    return cell.cell_type == "code" and any(
        mime in output.get("data", {}) for output in cell.get("outputs", [])
        for mime in IMAGE_MIMES)


def _nearest_figure(cells, index: int) -> str | None:
    """Where the closest code cell with a figure is: "above", "below" or None (too far)."""
    for distance in range(1, FIGURE_DISTANCE + 1):
        if index - distance >= 0 and _has_image(cells[index - distance]):
            return "above"
        if index + distance < len(cells) and _has_image(cells[index + distance]):
            return "below"
    return None


def widget_note(cells, index: int, output) -> str:
    """The Markdown note that takes the place of the widget ``output`` of ``cells[index]``.

    A quiz (``MultipleChoice``, ``NumberQuestion``) says that its question (and options) are
    in the code above and that it takes answers in JupyterLab. An explorer says that it needs a
    running kernel and, when a code cell at most ``FIGURE_DISTANCE`` cells away has a figure,
    that the figure above (or below) shows it statically.
    """
    lab = "in JupyterLab (`python -m gdcourse lab`)"
    kind = _widget_class(output)
    if kind in QUIZ_CLASSES:
        title = "Interactive quiz"
        asks = "question and options are" if kind == "MultipleChoice" else "question is"
        text = (f"Its {asks} in the code above. A static page cannot take your answer: open "
                f"the notebook {lab} to answer it and get feedback.")
    else:
        title = "Interactive explorer"
        text = f"It redraws from Python as you move its controls, so it runs only {lab}."
        where = _nearest_figure(cells, index)
        if where:
            text += f" The figure {where} shows it statically."
    return f":::{{admonition}} {title}\n:class: note widget-note\n\n{text}\n:::\n"


def _replace_widgets(nb) -> int:
    replaced = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs, widgets = [], 0
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/markdown": widget_note(nb.cells, index, output)}))
                widgets += 1
            else:
                outputs.append(output)
        cell.outputs = outputs
        if widgets:
            # myst-nb turns tags into classes: the site's CSS wraps this cell's long lines,
            # which hold a quiz's question and options
            cell.metadata.setdefault("tags", []).append(WIDGET_TAG)
        replaced += widgets
    nb.metadata.pop("widgets", None)
    return replaced


# -- worked solutions ----------------------------------------------------------------------
def dropdown_from_details(source: str) -> str | None:
    """A whole-cell ``<details><summary>TITLE</summary> BODY </details>`` as a MyST dropdown.

    Returns None when ``source`` is not such a cell. The title loses its "(click to open)"
    (the toggle button says it); the body keeps its Markdown, maths and code as they are.
    The fence is longer than any run of colons in the body, so it cannot close early.
    """
    match = _DETAILS.match(source)
    if not match:
        return None
    title = _CLICK_HINT.sub("", re.sub(r"<[^>]+>", "", match["title"])).strip() or "Details"
    body = match["body"].strip("\n")
    fence = _fence(body, 3)
    return (f"{fence}{{admonition}} {title}\n:class: dropdown worked-solution\n\n"
            f"{body}\n{fence}\n")


def _fence(body: str, shortest: int) -> str:
    """A colon fence of at least ``shortest`` colons, longer than any fence inside ``body``."""
    return ":" * max([shortest] + [len(run) + 1 for run in re.findall(r"(?m)^\s*(:{3,})", body)])


def _convert_details(nb, name: str) -> int:
    converted = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or "<details" not in cell.source:
            continue
        dropdown = dropdown_from_details(cell.source)
        if dropdown is None:
            raise SiteError(
                f"{name}, cell {index}: expected a <details> block to fill the whole Markdown "
                f"cell, as '<details><summary>TITLE</summary> ... </details>' (MyST does not "
                f"render Markdown or maths inside raw HTML); found: {cell.source[:120]!r}")
        cell.source = dropdown
        converted += 1
    return converted


# -- alt text -----------------------------------------------------------------------------
def image_alt_texts(cell) -> list[str]:
    """The ``alt`` of each image output of ``cell`` that carries one, in output order."""
    alts = []
    for output in cell.get("outputs", []):
        for mime in IMAGE_MIMES:
            if mime in output.get("data", {}):
                alt = output.get("metadata", {}).get(mime, {}).get("alt")
                if isinstance(alt, str) and alt.strip():
                    alts.append(alt.strip())
                break
    return alts


def carry_alt_text(nb, name: str) -> int:
    """Copy each image output's alt text into its cell's ``metadata.mystnb.image.alt``.

    A cell whose image carries no alt text gets an empty one: docutils would otherwise use
    the image's file name (a hash) as its alt, which a screen reader reads out. Returns how
    many cells got a real alt text. Raises SiteError for a cell with two image outputs that
    carry alt text: myst-nb gives every image of a cell the same options.
    """
    carried = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not _has_image(cell):
            continue
        alts = image_alt_texts(cell)
        if len(alts) > 1:
            raise SiteError(f"{name}, cell {index}: expected at most one image output with "
                            f"alt text per cell (myst-nb gives every image of a cell the same "
                            f"alt), found {len(alts)}")
        cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = (
            alts[0] if alts else "")
        carried += bool(alts)
    return carried


# -- tasks ---------------------------------------------------------------------------------
def _frame_tasks(nb) -> int:
    framed = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "task" in cell.metadata.get("tags", []):
            body = cell.source.strip()
            fence = _fence(body, 4)
            cell.source = f"{fence}{{container}} task\n{body}\n{fence}\n"
            framed += 1
    return framed


# -- the whole preparation -------------------------------------------------------------------
def _refuse_solutions(nb, name: str) -> None:
    for index, cell in enumerate(nb.cells):
        marker = next((m for m in SOLUTION_MARKERS if m in cell.source), None)
        if marker or "solution" in cell.metadata.get("tags", []):
            what = f"the marker {marker!r}" if marker else "the tag 'solution'"
            raise SiteError(f"{name}, cell {index}: has {what}, which only the instructor "
                            f"source notebooks/solutions/07_exercises.ipynb has; expected the "
                            f"learner version (python -m gdcourse make-learner)")


def prepare(nb, name: str = "notebook") -> dict[str, int]:
    """Change the notebook ``nb`` in place for the site; return what was changed, counted.

    Raises SiteError when ``nb`` holds solution markers or a ``<details>`` block that is not
    a whole cell.
    """
    _refuse_solutions(nb, name)
    return {"widgets": _replace_widgets(nb), "solutions": _convert_details(nb, name),
            "alt texts": carry_alt_text(nb, name), "tasks": _frame_tasks(nb)}


def prepare_file(source: Path, target: Path) -> dict[str, int]:
    """Read the notebook ``source``, prepare it and write it to ``target``."""
    try:
        nb = nbformat.read(source, as_version=4)
    except (OSError, ValueError) as exc:       # nbformat's NotJSONError is a ValueError
        raise SiteError(f"cannot read the notebook {source}: {exc}") from exc
    counts = prepare(nb, Path(source).name)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return counts
