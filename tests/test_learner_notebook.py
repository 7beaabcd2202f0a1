"""The learner notebook is generated from the instructor's source, and stays in sync with it."""

import ast
from pathlib import Path

import nbformat
import pytest

from gdcourse.__main__ import main
from gdcourse.exercises import EXERCISES, reference
from gdcourse.exercises.learner import (SOLUTION_TAG, SolutionMarkerError, differences,
                                        make_learner, replace_regions)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks" / "solutions" / "07_exercises.ipynb"
LEARNER = ROOT / "notebooks" / "07_exercises.ipynb"


@pytest.fixture(scope="module")
def source_nb():
    return nbformat.read(SOURCE, as_version=4)


@pytest.fixture(scope="module")
def learner_nb():
    return nbformat.read(LEARNER, as_version=4)


def test_committed_learner_notebook_is_what_make_learner_builds(source_nb, learner_nb):
    problems = differences(make_learner(source_nb), learner_nb)
    assert not problems, ("notebooks/07_exercises.ipynb is out of date; run "
                          "`python -m gdcourse make-learner`:\n" + "\n".join(problems))


def test_make_learner_check_command_agrees():
    assert main(["make-learner", "--check", "--source", str(SOURCE), "--output",
                 str(LEARNER)]) == 0


def test_make_learner_check_fails_on_a_stale_copy(tmp_path, learner_nb, capsys):
    stale = nbformat.from_dict(learner_nb)
    stale.cells[4].source += "\n# edited by hand"
    path = tmp_path / "07_exercises.ipynb"
    nbformat.write(stale, path)
    assert main(["make-learner", "--check", "--source", str(SOURCE), "--output",
                 str(path)]) == 1
    assert "differs" in capsys.readouterr().err


def _functions(nb):
    """name -> FunctionDef of every top-level function in the notebook's code cells."""
    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.FunctionDef):
                    out[node.name] = node
    return out


def test_every_exercise_is_a_stub_in_the_learner_notebook_and_solved_in_the_source(
        source_nb, learner_nb):
    learner, solved = _functions(learner_nb), _functions(source_nb)
    for ex in EXERCISES:
        body = [n for n in learner[ex.name].body
                if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        assert len(body) == 1 and isinstance(body[0], ast.Raise), ex.name
        assert body[0].exc.func.id == "NotImplementedError", ex.name
        assert "Hint:" in body[0].exc.args[0].value, ex.name
        assert not any(isinstance(n, ast.Raise) for n in ast.walk(solved[ex.name])), ex.name
        assert ([a.arg for a in learner[ex.name].args.args]
                == [a.arg for a in solved[ex.name].args.args]), ex.name


def test_every_exercise_has_its_check_cell_right_after_it(learner_nb):
    code = [c.source for c in learner_nb.cells if c.cell_type == "code"]
    for ex in EXERCISES:
        i = next(k for k, s in enumerate(code) if s.startswith(f"def {ex.name}("))
        assert code[i + 1] == f"checks.{ex.name}({ex.name})", ex.name


def test_solutions_and_worked_answers_are_not_in_the_learner_notebook(source_nb, learner_nb):
    tagged = [c for c in source_nb.cells if SOLUTION_TAG in c.metadata.get("tags", [])]
    assert len(tagged) >= 5                     # worked answers of the five questions, at least
    text = "\n".join(c.source for c in learner_nb.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    for cell in tagged:
        assert cell.source not in text
    assert "Worked" not in text and "Instructor version" not in text


def test_learner_notebook_shows_not_implemented_yet_and_solutions_pass(source_nb, learner_nb):
    def check_outputs(nb):
        return [o["data"]["text/plain"] for c in nb.cells if c.cell_type == "code"
                and c.source.startswith("checks.") for o in c.outputs]
    learner, solved = check_outputs(learner_nb), check_outputs(source_nb)
    assert len(learner) == len(solved) == len(EXERCISES)
    assert all("not implemented yet" in text for text in learner)
    assert all(text.startswith("✓") for text in solved)
    assert not any("all tests passed" in t.lower() for t in learner + solved)


def test_question_5_options_in_the_notebook_match_the_grader(learner_nb):
    text = "\n".join(c.source for c in learner_nb.cells if c.cell_type == "markdown")
    for options in (reference.Q5_FACTOR_OPTIONS, reference.Q5_RATE_OPTIONS):
        for key, option in options.items():
            assert f"- **{key}** {option}" in text


def test_first_cell_says_what_it_builds_on_and_last_cell_closes_the_course(learner_nb):
    first, last = learner_nb.cells[0].source, learner_nb.cells[-1].source
    assert first.startswith("# 07") and "What you need" in first and "06_convergence" in first
    assert "Summary" in last and "last notebook" in last


@pytest.mark.parametrize("src, problem", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "has no"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "not inside a function"),
    ("def f():\n    return 1\n    ### END SOLUTION", "without"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION", "nested"),
])
def test_malformed_markers_are_refused(src, problem):
    with pytest.raises(SolutionMarkerError, match=problem):
        replace_regions(src)


def test_regions_become_stubs_with_the_hint_or_a_fill():
    src = ("def f(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION hint: add one\n"
           "    y = x + 1\n    return y\n    ### END SOLUTION\n\nprint(f)")
    stub, n = replace_regions(src)
    assert n == 1
    assert stub == ('def f(x):\n    """Doc."""\n    raise NotImplementedError("Hint: add one")'
                    "\n\nprint(f)")
    filled, _ = replace_regions(src, {"f": "if x:\n    return 2\nreturn 3"})
    namespace = {}
    exec(filled.replace("print(f)", ""), namespace)
    assert namespace["f"](1) == 2 and namespace["f"](0) == 3


def test_every_code_exercise_says_what_its_check_covers(learner_nb):
    """The prose before each exercise's cell names the kinds of input its check runs."""
    cells = learner_nb.cells
    for ex in (e for e in EXERCISES if e.kind == "code"):
        i = next(k for k, c in enumerate(cells)
                 if c.cell_type == "code" and c.source.startswith(f"def {ex.name}("))
        prose = " ".join(cells[i - 1].source.split())
        assert cells[i - 1].cell_type == "markdown"
        assert "**Checked" in prose or "the cases are those of Exercise" in prose, ex.name
    sigmoid_prose = next(c.source for c in cells if c.source.startswith("### Exercise 1"))
    assert "numerical stability" in sigmoid_prose.lower()
