"""The website's preparation of the notebooks (tools/site_notebooks.py) and its build
(tools/build_site.py), on small notebooks made here with nbformat.

The browser test of the real site is tests/e2e/test_site.py.
"""

import base64
import re
import shutil
import struct
import sys
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402
import site_notebooks as sn  # noqa: E402


def png(width=3, height=2) -> str:
    """A tiny valid PNG, base64-encoded as notebooks store it."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
           + chunk(b"IEND", b""))
    return base64.b64encode(raw).decode()


#: A 1x1 GIF.
GIF = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


def figure_cell(alt=None, source="plots.something()"):
    metadata = {"image/png": {"alt": alt}} if alt is not None else {}
    return new_code_cell(source, outputs=[new_output(
        "execute_result", data={"image/png": png(), "text/plain": "<Figure>"},
        metadata=metadata, execution_count=1)])


def widget_cell(plain: str, source="widget()"):
    return new_code_cell(source, outputs=[new_output(
        "execute_result", data={sn.WIDGET_MIME: {"model_id": "abc", "version_major": 2,
                                                 "version_minor": 0},
                                "text/plain": plain}, execution_count=2)])


QUIZ = "MultipleChoice(children=(HTML(value='<b>Task 1</b>'), RadioButtons(...)))"
EXPLORER = "BlitExplorer(children=(HTML(value='<b>Explorer</b>'), HBox(children=(...))))"
DETAILS = ("<details><summary>Worked solution (click to open)</summary>\n\n"
           "The step is $-\\alpha\\,dJ/dw$, so **b**.\n\n```python\nprint(1)\n```\n\n</details>")


def notes(nb):
    return [o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", [])
            if "text/markdown" in o.get("data", {})]


# -- widgets -------------------------------------------------------------------------------
def test_a_quiz_becomes_a_note_and_the_widget_state_is_dropped():
    nb = new_notebook(cells=[new_markdown_cell("Task"), widget_cell(QUIZ)],
                      metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {}}})
    counts = sn.prepare(nb)
    assert counts["widgets"] == 1
    [note] = notes(nb)
    assert note.startswith(":::{admonition} Interactive quiz\n:class: note widget-note")
    assert "question and options are in the code above" in note and "figure" not in note
    assert not any(sn.WIDGET_MIME in o.get("data", {}) for o in nb.cells[1].outputs)
    assert "MultipleChoice(children" not in str(nb.cells[1].outputs)
    assert "widgets" not in nb.metadata
    assert nb.cells[1].source == "widget()"          # the code stays: it shows the question
    assert nb.cells[1].metadata["tags"] == [sn.WIDGET_TAG]   # its long lines wrap on the page


def test_a_number_question_claims_no_options():
    nb = new_notebook(cells=[widget_cell("NumberQuestion(children=(HTML(value='<b>Q</b>'),))")])
    sn.prepare(nb)
    [note] = notes(nb)
    assert "Its question is in the code above." in note and "options" not in note


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("0*.ipynb")),
                         ids=lambda p: p.name)
def test_every_explorer_of_the_course_points_at_a_figure(notebook):
    """DESIGN.md: every explorer has a static figure beside it, and the note says where."""
    nb = nbformat.read(notebook, as_version=4)
    explorers = sum(sn.WIDGET_MIME in o.get("data", {}) and not
                    o["data"].get("text/plain", "").startswith(sn.QUIZ_CLASSES)
                    for c in nb.cells for o in c.get("outputs", []))
    sn.prepare(nb, notebook.name)
    pointing = [n for n in notes(nb) if "Interactive explorer" in n and "The figure" in n]
    assert len(pointing) == explorers


@pytest.mark.parametrize("cells, where", [
    ([figure_cell(), widget_cell(EXPLORER)], "above"),
    ([widget_cell(EXPLORER), new_markdown_cell("The static view:"), figure_cell()], "below"),
])
def test_an_explorer_note_points_at_its_static_figure(cells, where):
    nb = new_notebook(cells=cells)
    sn.prepare(nb)
    [note] = notes(nb)
    assert "Interactive explorer" in note and f"The figure {where} shows it statically." in note


def test_an_explorer_without_a_figure_nearby_claims_none():
    far = [new_markdown_cell(str(i)) for i in range(sn.FIGURE_DISTANCE)]
    nb = new_notebook(cells=[figure_cell(), *far, widget_cell(EXPLORER)])
    sn.prepare(nb)
    [note] = notes(nb)
    assert "runs only in JupyterLab" in note and "figure" not in note


# -- worked solutions ----------------------------------------------------------------------
def test_a_details_cell_becomes_a_collapsed_dropdown_with_its_markdown_intact():
    nb = new_notebook(cells=[new_markdown_cell(DETAILS)])
    assert sn.prepare(nb)["solutions"] == 1
    source = nb.cells[0].source
    assert source.startswith(":::{admonition} Worked solution\n:class: dropdown worked-solution\n")
    assert "$-\\alpha\\,dJ/dw$" in source and "```python\nprint(1)\n```" in source
    assert "<details" not in source and "click to open" not in source
    assert source.rstrip().endswith(":::")


def test_the_fence_outgrows_colons_inside_the_solution():
    body = "::::{note}\ninner\n::::"
    out = sn.dropdown_from_details(f"<details><summary>Why</summary>\n{body}\n</details>")
    assert out.startswith(":::::{admonition} Why\n") and out.rstrip().endswith("\n:::::")


@pytest.mark.parametrize("source", [
    "Text first.\n\n<details><summary>Hint</summary>x</details>",
    "<details>\nno summary\n</details>",
    "<details><summary>Open</summary>\nnever closed",
])
def test_a_details_block_that_is_not_a_whole_cell_is_refused_with_its_place(source):
    nb = new_notebook(cells=[new_markdown_cell("ok"), new_markdown_cell(source)])
    with pytest.raises(sn.SiteError, match=r"04_x\.ipynb, cell 1: expected a <details> block"):
        sn.prepare(nb, "04_x.ipynb")


# -- tasks -------------------------------------------------------------------------------
def test_a_task_cell_is_framed_and_other_cells_are_not():
    task = new_markdown_cell("**Task 1 · predict.**\n\n::::{note}\ninside\n::::")
    task.metadata["tags"] = ["task"]
    nb = new_notebook(cells=[task, new_markdown_cell("Plain text.")])
    assert sn.prepare(nb)["tasks"] == 1
    assert nb.cells[0].source.startswith(":::::{container} task\n**Task 1 · predict.**")
    assert nb.cells[0].source.rstrip().endswith("\n:::::")
    assert nb.cells[1].source == "Plain text."


# -- alt text ------------------------------------------------------------------------------
def test_an_outputs_alt_text_goes_where_myst_nb_reads_it():
    nb = new_notebook(cells=[figure_cell("A bowl-shaped cost surface"), figure_cell()])
    assert sn.prepare(nb)["alt texts"] == 1
    assert nb.cells[0].metadata["mystnb"]["image"]["alt"] == "A bowl-shaped cost surface"
    # without alt text the image gets an empty one, not docutils' default (its file name)
    assert nb.cells[1].metadata["mystnb"]["image"]["alt"] == ""


def test_two_described_images_in_one_cell_are_refused():
    cell = figure_cell("first")
    cell.outputs.append(figure_cell("second").outputs[0])
    with pytest.raises(sn.SiteError, match="cell 0: expected at most one image output"):
        sn.prepare(new_notebook(cells=[cell]), "05_x.ipynb")


# -- solutions -------------------------------------------------------------------------------
README = """# A course

An introduction.

<!-- /site:intro -->

## Course map

<!-- site:course-map -->
| notebook | what you do |
|---|---|
| [00 · A title](notebooks/00_a.ipynb) | read |

<!-- /site:course-map -->

<!-- site:instructors -->
## For instructors

Hand it out.

<!-- /site:instructors -->
"""


def make_repo(tmp_path: Path, notebooks: dict) -> Path:
    """A repository with the real site sources, a small README and the given notebooks."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "site", repo / "site")
    (repo / "README.md").write_text(README, encoding="utf-8")
    for relpath, nb in notebooks.items():
        (repo / "notebooks" / relpath).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, repo / "notebooks" / relpath)
    return repo


def learner_notebook(*cells):
    return new_notebook(cells=[new_markdown_cell("# 00 · A title"), *cells],
                        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                 "language": "python"}})


def test_staging_takes_the_learner_notebooks_only(tmp_path):
    solutions = learner_notebook(new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1"))
    repo = make_repo(tmp_path, {"00_a.ipynb": learner_notebook(),
                                "solutions/07_exercises.ipynb": solutions,
                                "scratch.ipynb": learner_notebook()})
    src, prepared = build_site.stage(repo, tmp_path / "staging")
    assert list(prepared) == ["00_a.ipynb"]
    staged = sorted(p.relative_to(src).as_posix() for p in src.rglob("*.ipynb"))
    assert staged == ["notebooks/00_a.ipynb"]


def test_a_learner_notebook_with_solution_markers_is_refused(tmp_path):
    leaked = learner_notebook(new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1"))
    with pytest.raises(sn.SiteError, match="07_exercises.ipynb, cell 1: has the marker"):
        sn.prepare(leaked, "07_exercises.ipynb")
    tagged = learner_notebook(new_markdown_cell("answer"))
    tagged.cells[1].metadata["tags"] = ["solution"]
    with pytest.raises(sn.SiteError, match="has the tag 'solution'"):
        sn.prepare(tagged, "07_exercises.ipynb")


def test_missing_inputs_get_errors_that_say_what_was_expected(tmp_path):
    with pytest.raises(sn.SiteError, match=r"expected the notebooks folder at .*nowhere"):
        sn.course_notebooks(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(sn.SiteError, match="expected notebooks named NN_name.ipynb"):
        sn.course_notebooks(tmp_path / "empty")
    with pytest.raises(sn.SiteError, match="expected the site's sources at"):
        build_site.stage(tmp_path, tmp_path / "staging")


def test_build_refuses_to_empty_a_folder_that_is_not_a_site(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(sn.SiteError, match="not empty and holds no earlier site"):
        build_site.build(tmp_path, repo=ROOT)
    assert build_site.main(["--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith(f"build_site: --out {tmp_path}: the folder is not")
    assert (tmp_path / "keep.txt").read_text() == "mine"


# -- the build, end to end (Sphinx, no browser) ---------------------------------------------
def test_animations_are_shown_from_media_and_from_outputs(tmp_path):
    animated = figure_cell("A path that bounces")
    animated.outputs[0]["data"]["image/gif"] = GIF      # a GIF beside its PNG still
    animated.outputs[0]["metadata"] = {"image/gif": {"alt": "A path that bounces"}}
    nb = learner_notebook(new_markdown_cell("![Descent on a bowl](media/descent.gif)"), animated)
    repo = make_repo(tmp_path, {"00_a.ipynb": nb})
    (repo / "notebooks" / "media").mkdir()
    (repo / "notebooks" / "media" / "descent.gif").write_bytes(base64.b64decode(GIF))
    result = build_site.build(tmp_path / "out", repo=repo)
    html = (result.out / "notebooks" / "00_a.html").read_text(encoding="utf-8")
    assert re.search(r'<img alt="Descent on a bowl" src="[^"]*descent\.gif"', html), html
    assert re.search(r'<img alt="A path that bounces" src="[^"]*\.gif"', html)
    assert ".png" not in html.split('class="cell_output')[1]


def test_the_built_page_has_the_alt_text_the_dropdown_and_no_widget(tmp_path):
    nb = learner_notebook(new_markdown_cell("Inline $a^2$ maths."), figure_cell("Two blobs"),
                          figure_cell(), widget_cell(QUIZ), new_markdown_cell(DETAILS))
    repo = make_repo(tmp_path, {"00_a.ipynb": nb})
    result = build_site.build(tmp_path / "out", repo=repo)
    assert result.pages == ["index.html", "instructors.html", "notebooks/00_a.html"]
    assert result.bytes > 0 and result.seconds > 0
    html = (result.out / "notebooks" / "00_a.html").read_text(encoding="utf-8")
    assert 'alt="Two blobs"' in html and 'alt=""' in html
    assert 'class="dropdown worked-solution admonition"' in html
    assert r"\(-\alpha\,dJ/dw\)" in html                  # maths inside the dropdown
    assert "Interactive quiz" in html and sn.WIDGET_MIME not in html
    assert "<details" not in html
    assert "_static/mathjax/tex-chtml.js" in html and "cdn.jsdelivr" not in html
    # the home page has the README's course map, whose links became links to pages
    index = (result.out / "index.html").read_text(encoding="utf-8")
    assert "<table" in index and 'href="notebooks/00_a.html"' in index
    # a second build replaces the first
    assert build_site.build(tmp_path / "out", repo=repo).pages == result.pages
