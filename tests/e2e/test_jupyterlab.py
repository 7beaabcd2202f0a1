"""The course in JupyterLab, the way a learner meets it.

One JupyterLab server and one Chromium serve the whole module (see
``conftest.py``). Every notebook is opened in its own tab, run with
Run ▸ Run All Cells once, and shared by its tests (they are kept together).

All the browser tests live in this one module on purpose: pytest-xdist's
``--dist loadscope`` sends a module to a single worker, so the suite starts
one server and one browser, not one per worker.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import nbformat
import numpy as np
import pytest

from readouts import assert_shows, marks, table_values, text_of, verdict_of

from . import expected
from . import selftest_notebook as selftest

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

#: every course notebook present at collection time, as served (relative to notebooks/)
COURSE_NOTEBOOKS = sorted(p.relative_to(NOTEBOOKS).as_posix()
                          for p in [*NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"),
                                    *NOTEBOOKS.glob("solutions/[0-9][0-9]_*.ipynb")])


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def stored_counts(path: Path) -> list[dict]:
    """Per cell of the committed notebook: widget outputs and PNG outputs."""
    nb = nbformat.read(path, as_version=4)
    counts = []
    for cell in nb.cells:
        outs = cell.get("outputs", []) if cell.cell_type == "code" else []
        counts.append({
            "widgets": sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                           for o in outs),
            "images": sum("image/png" in o.get("data", {}) for o in outs)})
    return counts


def _report(problems) -> str:
    return "\n".join(str(p) for p in problems)


def expect_stub(run, name: str) -> None:
    """The check cell of code task ``name`` says "not implemented yet" (the stub is unsolved)."""
    from playwright.sync_api import expect

    check = run.cell_with(f"checks.{name}({name})").locator(".jp-OutputArea-output")
    expect(check).to_have_text(re.compile(rf"^… {re.escape(name)}: not implemented yet\."))


def present(notebook: str) -> list:
    """``[notebook]`` for parametrize, or a skipped param while it is not written yet."""
    if (NOTEBOOKS / notebook).exists():
        return [notebook]
    return [pytest.param(notebook, marks=pytest.mark.skip(
        reason=f"notebooks/{notebook} is not in the repository yet"))]


def shot_name(notebook: str, widget: str) -> str:
    return f"{Path(notebook).stem}__{widget}.png"


# -- every notebook -----------------------------------------------------------------------
@pytest.mark.parametrize("notebook", COURSE_NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(runner, notebook):
    """Run All: no error or stderr output, images decoded, widgets rendered, quiet console."""
    run = runner.ran(notebook)
    nb = nbformat.read(runner.source(notebook), as_version=4)
    assert len(run.counts) == len(nb.cells), "JupyterLab shows a different number of cells"

    # cells tagged raises-exception must show their error, and only those may
    expected_errors = {i for i, c in enumerate(nb.cells) if "raises-exception" in _tags(c)}
    unexpected = [p for p in run.problems
                  if not (p.kind == "error" and p.cell in expected_errors)]
    assert not unexpected, f"{notebook} after Run All Cells:\n{_report(unexpected)}"
    shown_errors = {p.cell for p in run.problems if p.kind == "error"}
    assert shown_errors == expected_errors, "cells tagged raises-exception must raise"

    # what the committed notebook shows is what a learner gets: same widgets, same plots
    stored = stored_counts(runner.source(notebook))
    diffs = [f"cell {i}: stored {s}, browser {b}"
             for i, (s, b) in enumerate(zip(stored, run.counts)) if s != b]
    assert not diffs, f"{notebook}: rendered outputs differ from the stored ones:\n" + "\n".join(
        diffs)

    # the animations (and any other picture) shown from Markdown cells load and decode
    pictures = run.page.page.evaluate(_MARKDOWN_IMAGES_JS)
    wanted = [(i, src) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
              for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", c.source)]
    # JupyterLab serves a relative source from /files/<folder of the notebook>/<source>
    shown = [(p["cell"], urllib.parse.urlsplit(p["src"]).path) for p in pictures]
    assert len(shown) == len(wanted) and all(
        cell == want_cell and path.endswith("/files/" + (Path(notebook).parent / src).as_posix()
                                            .removeprefix("./"))
        for (cell, path), (want_cell, src) in zip(shown, wanted)), (shown, wanted)
    broken = [p for p in pictures if not p["decoded"]]
    assert not broken, f"{notebook}: Markdown images that did not load: {broken}"

    # readable in the default (light) theme; the dark one is checked further down
    faint = unreadable(run)
    assert not faint, f"{notebook} in JupyterLab Light:\n" + "\n".join(faint)


#: Per Markdown image: its cell, the source as written in the notebook, and whether it decoded.
_MARKDOWN_IMAGES_JS = r"""
() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].flatMap((cell, i) =>
  [...cell.querySelectorAll('.jp-MarkdownOutput img')].map(img => ({
    cell: i, src: img.getAttribute('data-src') ?? img.getAttribute('src'),
    decoded: img.complete && img.naturalWidth > 0})))
"""


# -- the harness checks itself -------------------------------------------------------------
def test_server_is_isolated_and_serves_the_widget_extension(lab_server):
    """The page config lists jupyterlab_widgets' extension and our fresh config's settings."""
    import json
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(f"{lab_server.base_url}/lab?token={lab_server.token}",
                                timeout=10) as resp:
        page = resp.read().decode()
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">'
                                  r"(.*?)</script>", page, re.S).group(1))
    extensions = {e["name"] for e in config.get("federated_extensions", [])}
    assert "@jupyter-widgets/jupyterlab-manager" in extensions, sorted(extensions)
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    assert lab_server.root_dir.resolve() != NOTEBOOKS.resolve()
    assert lab_server.base_url.startswith("http://127.0.0.1:")
    status, _ = lab_server.api("GET", "/api/status")
    assert status == 200
    with pytest.raises(urllib.error.HTTPError) as denied:   # the token is required
        urllib.request.urlopen(f"{lab_server.base_url}/api/contents", timeout=10)
    denied.value.close()
    assert denied.value.code == 403


@pytest.mark.parametrize("notebook", [selftest.NAME])
def test_harness_reports_each_planted_fault(runner, notebook):
    """Each fault planted in the self-test notebook is reported, in its cell, and nothing else."""
    run = runner.ran(notebook)
    in_cells = {(p.cell, p.kind) for p in run.problems if p.cell >= 0}
    assert in_cells == set(selftest.FAULT_CELLS.items()), _report(run.problems)
    console = [p for p in run.problems if p.cell < 0]
    assert console and all("no-such-widget-module" in p.detail for p in console), _report(console)
    # the healthy cells: one decoded figure, one rendered explorer
    assert run.counts[2] == {"widgets": 0, "images": 1}
    assert run.counts[selftest.EXPLORER_CELL] == {"widgets": 1, "images": 0}


@pytest.mark.parametrize("notebook", [selftest.NAME])
def test_harness_drives_an_explorer(runner, notebook, artifacts):
    """Arrow keys, a typed slider value and a typed text value each redraw figure and readout."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.page.cell(selftest.EXPLORER_CELL))
    view.expect_readout(selftest.draw_readout(0.5, 2))
    console_mark = len(run.page.console)

    src = view.image_src()
    view.press("w", "ArrowRight", 3)                       # 0.5 + 3 steps of 0.1
    view.expect_readout(selftest.draw_readout(0.8, 2))
    view.expect_new_figure(src)

    src = view.image_src()
    view.type_value("n", 3)
    view.expect_readout(selftest.draw_readout(0.8, 3))
    view.expect_new_figure(src)

    src = view.image_src()
    view.type_value("w", 1.5)
    view.expect_readout(selftest.draw_readout(1.5, 3))
    view.expect_new_figure(src)
    assert view.png_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    assert not run.page.console_errors(console_mark)
    view.screenshot(artifacts / "selftest__explorer.png")


# -- notebook 00: gradient-descent intuition -----------------------------------------------
INTUITION = "00_gradient_descent_intuition.ipynb"


def descent_table(J, dJ, ws, k, alpha):
    """A check that the 1-D explorer's table shows iteration ``k`` of the path ``ws``:
    k, w_k, J(w_k), dJ/dw, the step −α·dJ/dw and w_{k+1}, row by row."""
    w, s = ws[k], dJ(ws[k])

    def check(html):
        assert table_values(html) == pytest.approx(
            [k, w, J(w), s, -alpha * s, w - alpha * s], abs=1e-4), text_of(html)
    return check


@pytest.mark.parametrize("notebook", present(INTUITION))
def test_descent_1d_explorer_steps_like_the_update_rule(runner, notebook, artifacts):
    """Arrow keys on k, a dropdown, typed α and w₀: the table follows w := w − α·dJ/dw."""
    from .explorer_view import ExplorerView

    J_bowl, dJ_bowl = expected.breast_cancer_texture_slice()

    def J_wavy(w):
        return float(expected.wavy(w)[0])

    def dJ_wavy(w):
        return float(expected.wavy(w)[1])

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("descent_1d_explorer("))
    w0, alpha = -4.0, 2.0                       # as the notebook builds it
    ws = expected.descend(dJ_bowl, w0, alpha, 3)
    view.expect_readout_to(descent_table(J_bowl, dJ_bowl, ws, 0, alpha))
    mark = len(run.page.console)

    src = view.image_src()
    view.press("iteration k", "ArrowRight", 3)
    view.expect_readout_to(descent_table(J_bowl, dJ_bowl, ws, 3, alpha))
    view.expect_new_figure(src)
    view.screenshot(artifacts / shot_name(notebook, "descent_1d_convex_k3"))

    src = view.image_src()
    view.select("curve", "wavy (non-convex)")
    view.type_value("α", "0.1")
    view.type_value("start w₀", "1.2")
    ws = expected.descend(dJ_wavy, 1.2, 0.1, 3)
    view.expect_readout_to(descent_table(J_wavy, dJ_wavy, ws, 3, 0.1))
    view.expect_new_figure(src)
    view.screenshot(artifacts / shot_name(notebook, "descent_1d_wavy_k3"))
    assert not run.page.console_errors(mark)


@pytest.mark.parametrize("notebook", present(INTUITION))
def test_intuition_tasks_judge_predictions(runner, notebook, artifacts):
    """The three predictions of 00: a wrong answer, then the right one, for each."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    step = ExplorerView.in_cell(run.cell_with("Task 1: at w = −2 the slope"), figure=False)
    step.expect_readout("? Choose an option.")
    step.wrong_then_right(
        "it depends on the size of α",
        re.compile(r"^✗ Not this one\. α sets how far, not which way"),
        "right, towards the minimum", re.compile(r"^✓ Right\."))

    factor = ExplorerView.in_cell(run.cell_with("Task 2: the factor 1 − α·J"), figure=False)
    factor.wrong_then_right(
        "1.8", "✗ Not quite: 1.8 is too high (answers within ±0.01 count).",
        "-1.8", re.compile(r"^✓ Right \(within ±0\.01\)\. α·J''\(w\*\) = 1\.4 × 2"), typed=True)
    factor.screenshot(artifacts / shot_name(notebook, "task2_number"))

    ends = ExplorerView.in_cell(run.cell_with("Task 3: the same feature twice"), figure=False)
    ends.wrong_then_right(
        "at the same (w1, w2)", re.compile(r"^✗ Not this one\. Only w1 \+ w2 matters"),
        "at different points with the same cost", re.compile(r"^✓ Right\."))


# -- notebook 01: one example's derivatives ------------------------------------------------
DERIVATIVES = "01_derivatives_one_example.ipynb"


def graph_table(v: dict):
    """A check that the graph explorer's table shows these forward and backward values, row by
    row: z, a, L, da, a(1 − a), dz, dw₁, dw₂, db."""
    want = [v[k] for k in ("z", "a", "L", "da", "dadz", "dz", "dw1", "dw2", "db")]

    def check(html):
        assert table_values(html) == pytest.approx(want, abs=1e-4), text_of(html)
    return check


@pytest.mark.parametrize("notebook", present(DERIVATIVES))
def test_graph_explorer_shows_the_chain_rule(runner, notebook, artifacts):
    """Typed inputs, arrow keys and the y toggle: forward and backward values by hand."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("graph_explorer("))
    mark = len(run.page.console)
    inputs = {"x₁": 2.0, "x₂": -1.5, "w₁": 0.5, "w₂": 1.0, "b": -0.5}
    src = view.image_src()
    for label, value in inputs.items():
        view.type_value(label, value)
    view.select("y", "1")
    x1, x2, w1, w2, b = inputs.values()
    view.expect_readout_to(graph_table(expected.one_example_graph(x1, x2, 1, w1, w2, b)))
    view.expect_new_figure(src)

    src = view.image_src()
    view.press("w₁", "ArrowRight", 3)                 # w₁: 0.5 -> 0.8 in steps of 0.1
    view.select("y", "0")
    view.expect_readout_to(graph_table(expected.one_example_graph(x1, x2, 0, 0.8, w2, b)))
    view.expect_new_figure(src)
    view.screenshot(artifacts / shot_name(notebook, "graph_explorer"))
    assert not run.page.console_errors(mark)


@pytest.mark.parametrize("notebook", present(DERIVATIVES))
def test_derivatives_tasks_give_feedback_and_reveal_their_solutions(runner, notebook, artifacts):
    """Task 1's prediction: a wrong click, then the right one; its worked solution opens on a
    click; the code tasks show "not implemented yet" until they are written."""
    from playwright.sync_api import expect

    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("Task 1: the sign of dz"), figure=False)
    view.expect_readout("? Choose an option.")
    view.wrong_then_right(
        "zero: a > 0.5", re.compile(r"^✗ Not this one\. The loss is 0 only when a = 1"),
        "negative: a larger z", re.compile(r"^✓ Right\. The backward pass below finds dz = a − y"))
    view.screenshot(artifacts / shot_name(notebook, "task1_prediction"))

    quiz_i = run.cell_index("Task 1: the sign of dz")
    solution = run.page.cell(quiz_i + 1)
    details = solution.locator("details")
    expect(details).to_have_count(1)
    body = details.locator("p")
    expect(body.first).to_be_hidden()
    details.locator("summary").click()
    expect(body.first).to_be_visible()
    expect(body.first).to_contain_text("answer b")
    solution.screenshot(path=str(artifacts / shot_name(notebook, "task1_solution_open")))

    for name in ("backward_squared_error", "central_difference"):
        expect_stub(run, name)


# -- notebook 02: m examples, loops --------------------------------------------------------
LOOPS = "02_m_examples_loops.ipynb"


@pytest.mark.parametrize("notebook", present(LOOPS))
def test_loop_tasks_judge_predictions_and_reveal_solutions(runner, notebook, artifacts):
    """Task 2's multiple choice and Task 3's number: wrong, then right; a solution opens."""
    from playwright.sync_api import expect

    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    bug = ExplorerView.in_cell(run.cell_with("Task 2: the loop for i in range(1, m)"),
                               figure=False)
    bug.expect_readout("? Choose an option.")
    bug.wrong_then_right(
        "nothing: one example", re.compile(r"^✗ Not this one\. Example 0's terms are missing"),
        "every gradient comes out slightly wrong", re.compile(r"^✓ Right\."))
    bug.screenshot(artifacts / shot_name(notebook, "task2_prediction"))

    growth = ExplorerView.in_cell(run.cell_with("Task 3: a step at m = 100,000"), figure=False)
    growth.expect_readout("? Type a number and press Enter.")
    growth.wrong_then_right(
        "10", "✗ Not quite: 10 times is too low (answers within ±10 times count).",
        "100", re.compile(r"^✓ Right \(within ±10 times\)\. Every example costs"), typed=True)
    growth.screenshot(artifacts / shot_name(notebook, "task3_prediction"))

    solution = run.page.cell(run.cell_index("Task 3: a step at m = 100,000") + 1)
    details = solution.locator("details")
    expect(details.locator("p").first).to_be_hidden()
    details.locator("summary").click()
    expect(details.locator("p").first).to_contain_text("proportional to")
    expect_stub(run, "average_dz")


# -- notebook 03: vectorization ------------------------------------------------------------
VECTORIZATION = "03_vectorization.ipynb"


@pytest.mark.parametrize("notebook", present(VECTORIZATION))
def test_vectorization_tasks_judge_predictions(runner, notebook, artifacts):
    """Task 2 (the broadcasting trap) and Task 3 (where the speed-up is larger): wrong, then
    right; the code task shows "not implemented yet"."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    trap = ExplorerView.in_cell(run.cell_with("Task 2: A_col has shape (m, 1)"), figure=False)
    trap.expect_readout("? Choose an option.")
    trap.wrong_then_right(
        "(m, 1), one error per example", re.compile(r"^✗ Not this one\. That is what we want"),
        "(m, m), with no error", re.compile(r"^✓ Right\."))
    trap.screenshot(artifacts / shot_name(notebook, "task2_prediction"))

    speed = ExplorerView.in_cell(run.cell_with("Task 3: the speed-up of vectorized"),
                                 figure=False)
    speed.choose("m = 100,000")
    speed.expect_readout(re.compile(r"^✓ Right\. The loops pay per example"))
    expect_stub(run, "vectorized_dw")


# -- notebook 04: salary regression --------------------------------------------------------
SALARY = "04_salary_regression.ipynb"


@pytest.mark.parametrize("notebook", present(SALARY))
def test_salary_tasks_judge_predictions(runner, notebook, artifacts):
    """Task 2 (trace row 2, a number) and Task 3 (the notes' claim about ∂J/∂b): wrong, then
    right."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    row = ExplorerView.in_cell(run.cell_with("Task 2: w after the second update"), figure=False)
    row.wrong_then_right(
        "0.4", "✗ Not quite: 0.4 is too high (answers within ±0.001 count).",
        "0.36", re.compile(r"^✓ Right \(within ±0\.001\)\. At w = 0\.2 the slope"), typed=True)
    claim = ExplorerView.in_cell(run.cell_with("Task 3: on zero-centred x and y"), figure=False)
    claim.wrong_then_right(
        "for every w and b", re.compile(r"^✗ Not this one\. The sum of w·xᵢ and of yᵢ vanish"),
        "only when b = 0: it equals 2b", re.compile(r"^✓ Right\."))
    claim.screenshot(artifacts / shot_name(notebook, "task3_prediction"))
    expect_stub(run, "mse_gradients")


# -- notebook 05: learning-rate sensitivity ------------------------------------------------
LEARNING_RATE = "05_learning_rate_sensitivity.ipynb"


def rate_readout(eta: float, x, y, epochs: int):
    """A check of the learning-rate explorer's readout for a run of ``epochs`` updates at
    ``eta``: the regime it names, then η, the limit 2/λ_max, η / limit, the error factor
    1 − η·λ_max, the updates made, J and the distance to the minimum, and why it stopped."""
    lam_max = float(np.linalg.eigvalsh(expected.mse_hessian(x)).max())
    limit = 2.0 / lam_max
    w, b, cost, updates, reason = expected.linear_gd(x, y, eta, epochs)
    w_star, b_star = expected.least_squares(x, y)
    dist = float(np.hypot(w - w_star, b - b_star))

    def check(html):
        assert verdict_of(html) == expected.rate_regime(eta, x), text_of(html)
        assert_shows(html, eta, limit, eta / limit, 1.0 - eta * lam_max, updates, cost, dist,
                     rel=1e-3, abs_=1e-12)
        assert f"({reason})" in text_of(html)
    return check


@pytest.mark.parametrize("notebook", present(LEARNING_RATE))
def test_learning_rate_tasks_judge_predictions(runner, notebook, artifacts):
    """Task 1 (the factor q, a number) and Task 3 (what η = 1.0 does): wrong, then right."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    factor = ExplorerView.in_cell(run.cell_with("Task 1: the factor q"), figure=False)
    factor.wrong_then_right(
        "0.9", "✗ Not quite: 0.9 is too high (answers within ±0.001 count).",
        "0.8", re.compile(r"^✓ Right \(within ±0\.001\)\. q = 1 − 0\.1 × 2 = 0\.8"), typed=True)
    limit = ExplorerView.in_cell(run.cell_with("Task 3: at η = 1.0"), figure=False)
    limit.wrong_then_right(
        "grows every step: it diverges",
        re.compile(r"^✗ Not this one\. Divergence needs \|q\| > 1"),
        "jumps between two values", re.compile(r"^✓ Right\."))
    limit.screenshot(artifacts / shot_name(notebook, "task3_prediction"))
    expect_stub(run, "hint_limit")


@pytest.mark.parametrize("notebook", present(LEARNING_RATE))
def test_learning_rate_explorer_crosses_the_stability_limit(runner, notebook, artifacts):
    """Typed η below and at the limit, then arrow keys past it: regime and run by hand.

    The salary data lie on a line, so a converged run's cost is rounding noise;
    the rates are chosen so that every number shown is well conditioned.
    """
    from .explorer_view import ExplorerView

    x, y = expected.salary_normalised()
    epochs = 30                                # the explorer's default run length
    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("learning_rate_explorer("))
    mark = len(run.page.console)

    for eta, shot in ((0.01, "slow"), (1.0, "at_limit")):
        src = view.image_src()
        view.type_value("η", eta)
        view.expect_readout_to(rate_readout(eta, x, y, epochs))
        view.expect_new_figure(src)
        view.screenshot(artifacts / shot_name(notebook, f"learning_rate_{shot}"))

    src = view.image_src()
    view.press("η", "ArrowRight", 10)           # log slider: 10 steps of 0.005 decades
    view.expect_readout_to(rate_readout(10 ** 0.05, x, y, epochs))
    view.expect_new_figure(src)
    view.screenshot(artifacts / shot_name(notebook, "learning_rate_diverges"))
    assert not run.page.console_errors(mark)


# -- notebook 06: convergence and stopping rules --------------------------------------------
CONVERGENCE = "06_convergence.ipynb"
RULE_LABELS = {"tolerance": "tolerance |ΔJ| < ε", "gradient_norm": "gradient norm ‖∇J‖ < g",
               "max_epochs": "max epochs"}


def stopping_readout(rule: str, threshold, eta: float, x, y):
    """A check of the stopping explorer's readout, from an independent run of 5000 epochs:
    the threshold, η, the epoch where the rule fires, and J and the distance to the minimum
    there."""
    rows = expected.gd_trace(x, y, eta, 5000)
    stop = expected.first_stop(rows, rule, threshold)
    assert stop is not None, "choose a threshold that fires"
    w_star, b_star = expected.least_squares(x, y)
    w, b, cost, _ = rows[stop]
    dist = float(np.hypot(w - w_star, b - b_star))

    def check(html):
        assert_shows(html, threshold, eta, stop, cost, dist, rel=1e-3)
    return check


@pytest.mark.parametrize("notebook", present(CONVERGENCE))
def test_convergence_tasks_judge_predictions(runner, notebook, artifacts):
    """Task 1 (which rule fires first) and Task 3 (which basin): wrong, then right."""
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    rule = ExplorerView.in_cell(run.cell_with("Task 1: with ε = 1e-6, g = 1e-3"), figure=False)
    rule.wrong_then_right(
        "the gradient norm", re.compile(r"^✗ Not this one\. The gradient norm reaches 1e-3 only"),
        "the tolerance", re.compile(r"^✓ Right\."))
    basin = ExplorerView.in_cell(run.cell_with("Task 3: from w₀ = 0.9"), figure=False)
    basin.wrong_then_right(
        "in the global minimum at w = −1",
        re.compile(r"^✗ Not this one\. Small steps only follow the local slope"),
        "in the local minimum at w = 2", re.compile(r"^✓ Right\."))
    basin.screenshot(artifacts / shot_name(notebook, "task3_prediction"))
    expect_stub(run, "gradient_stop_epoch")


@pytest.mark.parametrize("notebook", present(CONVERGENCE))
def test_stopping_explorer_stops_where_each_rule_fires(runner, notebook, artifacts):
    """Arrow keys on the threshold, rule buttons, the η dropdown, the max-epochs slider."""
    from .explorer_view import ExplorerView

    x, y = expected.salary_normalised()
    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("stopping_explorer("))
    view.expect_readout_to(stopping_readout("tolerance", 1e-6, 0.1, x, y))   # as built
    mark = len(run.page.console)

    steps = [(lambda: view.press("log₁₀ ε or g", "ArrowLeft", 4), ("tolerance", 1e-8, 0.1)),
             (lambda: view.select("rule", RULE_LABELS["gradient_norm"]),
              ("gradient_norm", 1e-8, 0.1)),
             (lambda: view.select("η", "0.4"), ("gradient_norm", 1e-8, 0.4)),
             (lambda: (view.select("rule", RULE_LABELS["max_epochs"]), view.select("η", "0.01")),
              ("max_epochs", 50, 0.01)),
             (lambda: view.press("max epochs", "ArrowLeft"), ("max_epochs", 20, 0.01))]
    for act, (rule, threshold, eta) in steps:
        src = view.image_src()
        act()
        view.expect_readout_to(stopping_readout(rule, threshold, eta, x, y))
        view.expect_new_figure(src)
        view.screenshot(artifacts / shot_name(notebook, f"stopping_{rule}_{threshold:g}_{eta:g}"))
    assert not run.page.console_errors(mark)


# -- notebook 07: the exercises ---------------------------------------------------------------
EXERCISES = "07_exercises.ipynb"


@pytest.mark.parametrize("notebook", present(EXERCISES))
def test_rate_task_slider_finds_the_largest_converging_rate(runner, notebook, artifacts):
    """Type the rate into the slider, then one arrow key past it: verdicts from the Hessian."""
    from gdcourse.widgets import quiz

    from .explorer_view import ExplorerView

    x, _ = expected.salary_normalised()
    step = quiz.RATE_STEP
    limit = 2.0 / np.linalg.eigvalsh(expected.mse_hessian(x)).max()
    best = expected.largest_converging_rate(x, step)
    above = round(best + step, 10)

    def verdict(rate, want_marks, *numbers):
        """A check: the task's marks (✓ right, ✗ wrong; → go on, ← go lower, ✓ solved), the
        rate and the numbers that back the verdict."""
        def check(html):
            assert marks(html) == want_marks, text_of(html)
            assert_shows(html, rate, *numbers)
        return check

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("quiz.rate_task("))
    # as built: 0.30 converges, with its contraction factor, and a larger rate may too
    view.expect_readout_to(verdict(0.30, ["✓", "→"], expected.contraction_factor(0.30, x)))
    mark = len(run.page.console)

    src = view.image_src()
    view.type_value("η", f"{best:.2f}")
    # the largest converging rate on the slider: solved, and the limit η* = 2/λ_max is named
    view.expect_readout_to(verdict(best, ["✓", "✓"], expected.contraction_factor(best, x), best,
                                   limit))
    view.expect_new_figure(src)
    reference = quiz.rate_task()
    reference.controls["learning_rate"].value = best
    assert view.png_bytes() == reference.image.value, "the browser shows another figure"
    view.screenshot(artifacts / shot_name(notebook, "rate_task_solved"))

    src = view.image_src()
    view.press("η", "ArrowRight")
    rho = expected.contraction_factor(above, x)
    if abs(rho - 1.0) <= 1e-12:          # at the limit: oscillates, no factor to show
        view.expect_readout_to(verdict(above, ["✗", "←"]))
        assert "oscillates" in view.readout_text()
    else:                                # diverges: the factor above 1 is shown
        view.expect_readout_to(verdict(above, ["✗", "←"], rho))
    view.expect_new_figure(src)
    view.screenshot(artifacts / shot_name(notebook, "rate_task_too_large"))
    assert not run.page.console_errors(mark)


@pytest.mark.parametrize("notebook", present(EXERCISES))
def test_multiple_choice_gives_feedback_on_each_click(runner, notebook, artifacts):
    from .explorer_view import ExplorerView

    run = runner.ran(notebook)
    view = ExplorerView.in_cell(run.cell_with("quiz.MultipleChoice("),
                                figure=False)
    view.expect_readout("? Choose an option.")
    view.choose("points downhill")          # wrong: the gradient points uphill
    view.expect_readout(re.compile(r"^✗ Not this one\."))
    view.choose("steepest ascent")          # right
    view.expect_readout(re.compile(r"^✓ Right\."))
    view.screenshot(artifacts / shot_name(notebook, "multiple_choice"))


@pytest.mark.parametrize("notebook", present(EXERCISES))
def test_number_questions_judge_typed_answers(runner, notebook, artifacts):
    """J(0, 0) and w after one step, worked out here from the salary data."""
    from .explorer_view import ExplorerView

    x, y = expected.salary_normalised()
    cost_at_zero = float(np.mean(y ** 2))                  # ŷ = 0
    w_after_one_step = 0.0 - 0.1 * float(2.0 * np.mean((0.0 * x - y) * x))

    run = runner.ran(notebook)
    cost_q = ExplorerView.in_cell(run.cell_with("what is the cost J"),
                                  figure=False)
    cost_q.expect_readout("? Type a number and press Enter.")
    wrong = round(cost_at_zero + 0.5, 3)
    cost_q.enter_text(wrong)
    cost_q.expect_readout(f"✗ Not quite: {wrong:g} (standardised units²) is too high "
                          "(answers within ±0.01 (standardised units²) count).")
    cost_q.enter_text(f"{cost_at_zero:.3f}")
    cost_q.expect_readout(re.compile(r"^✓ Right \(within ±0\.01 \(standardised units²\)\)"))
    cost_q.screenshot(artifacts / shot_name(notebook, "number_question_cost"))

    step_q = ExplorerView.in_cell(run.cell_with("after one gradient-descent"),
                                  figure=False)
    step_q.enter_text(f"{w_after_one_step:.3f}")
    step_q.expect_readout(re.compile(r"^✓ Right \(within ±0\.001\)"))
    step_q.screenshot(artifacts / shot_name(notebook, "number_question_step"))


GD_STEP_SOLUTION = """\
def gd_step(w, b, x, y, learning_rate):
    \"\"\"One batch gradient-descent step on the MSE of y_hat = w*x + b. Returns (w, b).\"\"\"
    r = w * x + b - y
    dw = 2 * np.mean(r * x)
    db = 2 * np.mean(r)
    return w - learning_rate * dw, b - learning_rate * db"""


@pytest.mark.parametrize("notebook", present(EXERCISES))
def test_typed_exercise_solution_turns_its_check_green(runner, notebook, artifacts):
    """Type gd_step in the browser, Shift+Enter twice: "not implemented yet" becomes a pass."""
    from playwright.sync_api import expect

    from gdcourse.exercises import get

    from .notebook_page import editor_text, type_code

    n_cases = len(get("gd_step").public_cases())
    run = runner.ran(notebook)
    code_i = run.cell_index("def gd_step(")
    check_i = run.cell_index("checks.gd_step(gd_step)")
    assert check_i == code_i + 1, "the check must follow its exercise cell"
    code, check = run.page.cell(code_i), run.page.cell(check_i)
    feedback = check.locator(".jp-OutputArea-output")
    expect(feedback).to_have_text(re.compile(r"^… gd_step: not implemented yet\."))

    type_code(code, GD_STEP_SOLUTION)
    assert editor_text(code) == GD_STEP_SOLUTION
    before = check.locator(".jp-InputArea-prompt").inner_text()
    run.page.page.keyboard.press("Shift+Enter")      # run the exercise, move to its check
    run.page.page.keyboard.press("Shift+Enter")      # run the check
    expect(check.locator(".jp-InputArea-prompt")).not_to_have_text(before)
    expect(check.locator(".jp-InputArea-prompt")).to_have_text(re.compile(r"^\[\d+\]:$"))
    expect(feedback).to_have_text(re.compile(rf"^✓ gd_step: all {n_cases} public cases pass"))
    assert not [p for p in run.page.problems() if p.cell in (code_i, check_i)]
    code.scroll_into_view_if_needed()
    top, bottom = code.bounding_box(), check.bounding_box()
    run.page.page.screenshot(path=str(artifacts / shot_name(notebook, "gd_step_check_passes")),
                             clip={"x": top["x"], "y": top["y"], "width": top["width"],
                                   "height": bottom["y"] + bottom["height"] - top["y"]})


Q3_ANSWER = """\
def q3_max_rate():
    return 2.0 / (2.0 / len(x_n) * np.sum(x_n ** 2))"""


@pytest.mark.parametrize("notebook", present(EXERCISES))
def test_a_right_answer_offers_its_worked_reasoning_collapsed(runner, notebook, artifacts):
    """Answer question 3, run its check: a ✓, and the worked reasoning opens on a click."""
    from playwright.sync_api import expect

    from .notebook_page import type_code

    run = runner.ran(notebook)
    code_i = run.cell_index("def q3_max_rate(")
    check_i = run.cell_index("checks.q3_max_rate(q3_max_rate)")
    code, check = run.page.cell(code_i), run.page.cell(check_i)
    feedback = check.locator(".jp-OutputArea-output")
    expect(feedback).to_have_text(re.compile(r"^… q3_max_rate: not implemented yet\."))
    type_code(code, Q3_ANSWER)
    run.page.page.keyboard.press("Shift+Enter")
    run.page.page.keyboard.press("Shift+Enter")
    expect(feedback).to_have_text(re.compile(r"^✓ q3_max_rate: right\."))
    details = feedback.locator("details")
    expect(details).to_have_count(1)
    body = details.locator("p")
    expect(body).to_be_hidden()                      # collapsed until the learner asks
    details.locator("summary").click()
    expect(body).to_be_visible()
    expect(body).to_contain_text("2/c")
    assert not [p for p in run.page.problems() if p.cell in (code_i, check_i)]
    check.scroll_into_view_if_needed()
    check.screenshot(path=str(artifacts / shot_name(notebook, "q3_worked_reasoning_open")))


# -- coverage: no widget without a browser test ---------------------------------------------
#: (notebook, a marker in the cell that shows the widget) -> the test that drives it
DRIVEN = {
    (INTUITION, "descent_1d_explorer("): test_descent_1d_explorer_steps_like_the_update_rule,
    (INTUITION, "Task 1: at w = −2 the slope"): test_intuition_tasks_judge_predictions,
    (INTUITION, "Task 2: the factor 1 − α·J"): test_intuition_tasks_judge_predictions,
    (INTUITION, "Task 3: the same feature twice"): test_intuition_tasks_judge_predictions,
    (DERIVATIVES, "graph_explorer("): test_graph_explorer_shows_the_chain_rule,
    (DERIVATIVES, "Task 1: the sign of dz"):
        test_derivatives_tasks_give_feedback_and_reveal_their_solutions,
    (LOOPS, "Task 2: the loop for i in range(1, m)"):
        test_loop_tasks_judge_predictions_and_reveal_solutions,
    (LOOPS, "Task 3: a step at m = 100,000"): test_loop_tasks_judge_predictions_and_reveal_solutions,
    (VECTORIZATION, "Task 2: A_col has shape (m, 1)"): test_vectorization_tasks_judge_predictions,
    (VECTORIZATION, "Task 3: the speed-up of vectorized"): test_vectorization_tasks_judge_predictions,
    (SALARY, "Task 2: w after the second update"): test_salary_tasks_judge_predictions,
    (SALARY, "Task 3: on zero-centred x and y"): test_salary_tasks_judge_predictions,
    (LEARNING_RATE, "Task 1: the factor q"): test_learning_rate_tasks_judge_predictions,
    (LEARNING_RATE, "Task 3: at η = 1.0"): test_learning_rate_tasks_judge_predictions,
    (LEARNING_RATE, "learning_rate_explorer("):
        test_learning_rate_explorer_crosses_the_stability_limit,
    (CONVERGENCE, "stopping_explorer("): test_stopping_explorer_stops_where_each_rule_fires,
    (CONVERGENCE, "Task 1: with ε = 1e-6, g = 1e-3"): test_convergence_tasks_judge_predictions,
    (CONVERGENCE, "Task 3: from w₀ = 0.9"): test_convergence_tasks_judge_predictions,
    (EXERCISES, "quiz.rate_task("): test_rate_task_slider_finds_the_largest_converging_rate,
    (EXERCISES, "quiz.MultipleChoice("): test_multiple_choice_gives_feedback_on_each_click,
    (EXERCISES, "what is the cost J"): test_number_questions_judge_typed_answers,
    (EXERCISES, "after one gradient-descent"): test_number_questions_judge_typed_answers,
}
#: explorers registered in gdcourse.widgets.ALL -> the marker of the cell that shows them
REGISTERED = {"descent_1d": "descent_1d_explorer(", "graph_explorer": "graph_explorer(",
              "rate_task": "quiz.rate_task(", "learning_rate_explorer": "learning_rate_explorer(",
              "stopping_explorer": "stopping_explorer("}


def test_every_widget_in_a_learner_notebook_is_driven_by_a_browser_test():
    """Each cell of notebooks/NN_*.ipynb that shows a widget has an interaction test above."""
    undriven = []
    for notebook in (n for n in COURSE_NOTEBOOKS if "/" not in n):
        nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
        markers = [m for (n, m) in DRIVEN if n == notebook]
        for i, counts in enumerate(stored_counts(NOTEBOOKS / notebook)):
            if counts["widgets"] and not any(m in nb.cells[i].source for m in markers):
                undriven.append(f"{notebook} cell {i}: {nb.cells[i].source[:80]!r}")
    assert not undriven, "widgets without a browser test:\n" + "\n".join(undriven)


def test_every_registered_explorer_has_a_browser_test():
    from gdcourse.widgets import ALL

    missing = sorted(set(ALL) - set(REGISTERED))
    assert not missing, f"explorers in gdcourse.widgets.ALL without a browser test: {missing}"
    for name, marker in REGISTERED.items():
        assert any(m == marker for (_, m) in DRIVEN), name


# -- JupyterLab's dark theme ------------------------------------------------------------------
# Per output image: decoded, and its smallest alpha (255: opaque, so no dark page shows through
# and no black axis text ends up on a dark background). Read from a canvas copy of the image.
_IMAGE_ALPHA_JS = r"""
() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].flatMap((cell, i) =>
  [...cell.querySelectorAll('.jp-OutputArea-output img')].map(img => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let min = 255;
    for (let k = 3; k < px.length; k += 4) if (px[k] < min) min = px[k];
    return {cell: i, width: img.naturalWidth, minAlpha: min};
  }))
"""

# Per piece of text in the outputs: WCAG contrast of its colour against the background it is
# drawn on (the nearest ancestor with an opaque background colour).
_TEXT_CONTRAST_JS = r"""
() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, i) => {
    for (const out of cell.querySelectorAll('.jp-OutputArea-output')) {
      const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent.trim();
        const el = n.parentElement;
        if (!text || !el || el.closest('svg') || !el.getClientRects().length) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
        const [a, b] = [lum(rgb(style.color)), lum(background(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        found.push({cell: i, text: text.slice(0, 60), ratio: Math.round(ratio * 100) / 100});
      }
    }
  });
  return found;
}
"""

#: WCAG 2 AA for normal text
MIN_CONTRAST = 4.5


def choose_theme(page, name: str) -> None:
    """Settings ▸ Theme ▸ ``name`` from the menu bar, then wait until the page wears it."""
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    # a submenu's item is a Lumino menu item without an accessible name of its own
    page.locator(".lm-Menu-item", has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(
        r"^Theme$"))).hover()
    page.get_by_role("menuitem", name=name, exact=True).click()
    page.wait_for_function("name => document.body.dataset.jpThemeName === name", arg=name)
    page.wait_for_timeout(300)          # the theme's stylesheet is swapped after the attribute


def unreadable(run) -> list[str]:
    """Output images that are not opaque and output text below MIN_CONTRAST, as shown now."""
    page = run.page.page
    images = page.evaluate(_IMAGE_ALPHA_JS)
    see_through = [f"cell {im['cell']}: smallest alpha {im['minAlpha']}" for im in images
                   if im["minAlpha"] < 255]
    faint = [f"cell {t['cell']}: {t['text']!r} has contrast {t['ratio']}:1"
             for t in page.evaluate(_TEXT_CONTRAST_JS) if t["ratio"] < MIN_CONTRAST]
    return see_through + faint


@pytest.mark.parametrize("notebook", [*present("06_convergence.ipynb"),
                                      *present("07_exercises.ipynb")])
def test_figures_and_feedback_read_as_well_in_the_dark_theme(runner, notebook, artifacts):
    """In JupyterLab Dark as in Light: every output image opaque, all output text readable.

    (The light theme is checked for every notebook by the first test.) Screenshots of the
    page at each figure and widget, in the dark theme, go to artifacts/e2e/dark/.
    """
    run = runner.ran(notebook)
    page = run.page.page
    assert page.evaluate(_IMAGE_ALPHA_JS), f"{notebook}: no output image to look at"
    choose_theme(page, "JupyterLab Dark")
    try:
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('.jp-Notebook')).backgroundColor")
        channels = [int(v) for v in re.findall(r"\d+", background)[:3]]
        assert max(channels) < 80, f"the dark theme did not apply: notebook background {background}"
        faint = unreadable(run)
        shots = artifacts / "dark"
        shots.mkdir(parents=True, exist_ok=True)
        for old in shots.glob(f"{Path(notebook).stem}__*.png"):
            old.unlink()
        figure_cells = [i for i, c in enumerate(run.counts) if c["images"] or c["widgets"]]
        for i in figure_cells:
            cell = run.page.cell(i)
            cell.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"{Path(notebook).stem}__cell{i:02d}.png"))
    finally:
        choose_theme(page, "JupyterLab Light")
    assert not faint, f"{notebook} in JupyterLab Dark:\n" + "\n".join(faint)
