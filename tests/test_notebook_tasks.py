"""The learner tasks of notebooks 00-06: each has its check or quiz and a worked solution, the
stored notebook shows them unsolved, and the README lists them (tools/list_tasks.py)."""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import list_tasks  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-6]_*.ipynb"))
#: How many tasks each notebook has at least (DESIGN.md asks for three in each of 00-06).
MIN_TASKS = {"00_gradient_descent_intuition.ipynb": 3, "01_derivatives_one_example.ipynb": 3, "02_m_examples_loops.ipynb": 3,
             "03_vectorization.ipynb": 3, "04_salary_regression.ipynb": 3,
             "05_learning_rate_sensitivity.ipynb": 3, "06_convergence.ipynb": 3}


def task_blocks(nb) -> list:
    """The cells of each task: from its tagged cell to the next task or section heading."""
    starts = [i for i, c in enumerate(nb.cells) if "task" in c.metadata.get("tags", [])]
    blocks = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(nb.cells)
        for j in range(start + 1, end):
            if nb.cells[j].cell_type == "markdown" and nb.cells[j].source.startswith("#"):
                end = j
                break
        blocks.append(nb.cells[start:end])
    return blocks


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_task_has_a_check_and_a_collapsed_worked_solution(path):
    nb = nbformat.read(path, as_version=4)
    blocks = task_blocks(nb)
    assert len(blocks) >= MIN_TASKS.get(path.name, 0)
    for block in blocks:
        title = block[0].source.splitlines()[0][:60]
        code = [c for c in block if c.cell_type == "code"]
        checks = [c for c in code if re.match(r"checks\.\w+\(", c.source)]
        quizzes = [c for c in code if c.source.startswith("quiz.")]
        assert checks or quizzes, f"{title}: no check cell and no quiz"
        assert any(c.cell_type == "markdown" and c.source.startswith("<details>")
                   and "Worked solution" in c.source and c.source.rstrip().endswith("</details>")
                   for c in block), f"{title}: no collapsed worked solution"
        for cell in checks:                  # stored unsolved: the check says "not yet"
            shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert shown.startswith("…") and "not implemented yet" in shown, title
        stubs = [c for c in code if c.source.startswith("def ")
                 and "raise NotImplementedError(" in c.source]
        assert len(stubs) == len(checks), f"{title}: one stub per check"
        for cell in stubs:
            assert "raise NotImplementedError(\"Hint:" in cell.source, title
        for cell in quizzes:
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), title


def test_the_readme_lists_the_tasks_of_every_notebook():
    assert list_tasks.main(["--check"]) == 0
    for name, least in MIN_TASKS.items():
        assert len(list_tasks.tasks(ROOT / "notebooks" / name)) >= least
