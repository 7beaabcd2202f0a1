"""The public surface of gdcourse.widgets: what the notebooks call, each checking its arguments.

Every name in ``gdcourse.widgets.__all__`` is driven with bad arguments, one at a
time; each must fail with a TypeError or ValueError whose message names that
argument, not inside numpy, Matplotlib or ipywidgets.
"""

import ast
import json
import re
from pathlib import Path

import ipywidgets as W
import pytest

import gdcourse.widgets as widgets

ROOT = Path(__file__).resolve().parents[1]
WIDGETS = ROOT / "gdcourse" / "widgets"


def draw(fig, values):
    fig.subplots().plot([0, 1], [0, values["w"]])
    return "ok"


def slider():
    return {"w": W.FloatSlider(value=0.5)}


QUESTION = ("2 + 2?", {"a": "3", "b": "4"}, "b")

#: public name -> (positional args, keyword args, the argument that is wrong) for each case
BAD = {
    "Explorer": [
        ((slider(), None), {}, "draw"),
        (({}, draw), {}, "controls"),
        (({"w": 0.5}, draw), {}, "controls"),
        ((slider(), draw), {"figsize": (7.0,)}, "figsize"),
        ((slider(), draw), {"figsize": (7.0, -1.0)}, "figsize"),
        ((slider(), draw), {"dpi": 9000}, "dpi"),
        ((slider(), draw), {"dpi": 90.5}, "dpi"),
        ((slider(), draw), {"title": 3}, "title"),
    ],
    "MultipleChoice": [
        ((None, *QUESTION[1:]), {}, "question"),
        ((QUESTION[0], ["3", "4"], "b"), {}, "options"),
        ((QUESTION[0], {}, "a"), {}, "options"),
        ((QUESTION[0], {"a": "3", "b": 4}, "b"), {}, "options"),
        ((QUESTION[0], QUESTION[1], "z"), {}, "answer"),
        (QUESTION, {"explanations": "because"}, "explanations"),
        (QUESTION, {"explanations": {"c": "no such option"}}, "explanations"),
        (QUESTION, {"explanations": {"a": 3}}, "explanations"),
    ],
    "NumberQuestion": [
        ((None, 1.0, 0.1), {}, "question"),
        (("J?", "one", 0.1), {}, "answer"),
        (("J?", float("nan"), 0.1), {}, "answer"),
        (("J?", 1.0, 0.0), {}, "tolerance"),
        (("J?", 1.0, -1.0), {}, "tolerance"),
        (("J?", 1.0, 0.1), {"unit": 5}, "unit"),
        (("J?", 1.0, 0.1), {"explanation": None}, "explanation"),
    ],
    "rate_task": [
        ((), {"epochs": 0}, "epochs"),
        ((), {"epochs": 2.5}, "epochs"),
        ((), {"epochs": 10 ** 6}, "epochs"),
    ],
    "descent_1d_explorer": [
        (({},), {}, "curves"),
        (({"c": (abs,)},), {}, "curves"),
        (({"c": (abs, 3)},), {}, "dJ"),
        ((), {"w_range": (2, 1)}, "w_range"),
        ((), {"w_range": "wide"}, "w_range"),
        ((), {"w0": 9.0}, "w0"),
        ((), {"alpha": 100.0}, "alpha"),
        ((), {"alpha": -1.0}, "alpha"),
        ((), {"max_steps": 0}, "max_steps"),
        ((), {"curve": "nope"}, "curve"),
        ((), {"curve": 3}, "curve"),
        ((), {"xlabel": None}, "xlabel"),
    ],
    "graph_explorer": [
        ((), {"x1": 10.0}, "x1"),
        ((), {"w2": "big"}, "w2"),
        ((), {"b": float("inf")}, "b"),
        ((), {"y": 2}, "y"),
    ],
    "learning_rate_explorer": [
        (([1.0, 2.0], [1.0]), {}, "y"),
        ((None, [1.0, 2.0]), {}, "x"),
        ((), {"learning_rate": 0}, "learning_rate"),
        ((), {"learning_rate": 5.0}, "learning_rate"),
        ((), {"epochs": 0}, "epochs"),
        ((), {"w_range": (3.0, -1.0)}, "w_range"),
        ((), {"b_range": None}, "b_range"),
    ],
    "stopping_explorer": [
        (([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]), {}, "x"),
        (([1.0, 2.0, 3.0], None), {}, "y"),
        ((), {"learning_rates": ()}, "learning_rates"),
        ((), {"learning_rates": 0.1}, "learning_rates"),
        ((), {"learning_rates": ("fast",)}, "learning_rates"),
        ((), {"learning_rates": (0.1, 1.0)}, "learning_rates"),
    ],
}


def test_every_public_name_has_bad_argument_cases():
    assert sorted(BAD) == sorted(widgets.__all__)


@pytest.mark.parametrize("name, args, kwargs, argument", [
    pytest.param(name, args, kwargs, argument, id=f"{name}-{argument}-{i}")
    for name, cases in BAD.items() for i, (args, kwargs, argument) in enumerate(cases)])
def test_a_bad_argument_is_named_in_a_clear_error(name, args, kwargs, argument):
    with pytest.raises((TypeError, ValueError)) as err:
        getattr(widgets, name)(*args, **kwargs)
    message = str(err.value)
    assert re.search(rf"(?<![\w.]){re.escape(argument)}\b", message), message
    assert "must" in message, message                  # says what was expected


def test_each_module_exports_only_public_names_the_package_exports():
    import importlib

    for path in sorted(WIDGETS.glob("[!_]*.py")):
        module = importlib.import_module(f"gdcourse.widgets.{path.stem}")
        assert module.__all__, path.name
        assert set(module.__all__) <= set(widgets.__all__), path.name


def test_the_notebooks_call_only_exported_names():
    """Every ``quiz.X``, ``widgets.X`` and ``from gdcourse.widgets... import X`` of a notebook."""
    used = set()
    for nb_path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(nb_path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            used |= set(re.findall(r"\bquiz\.(\w+)", source))
            for names in re.findall(r"from gdcourse\.widgets(?:\.\w+)? import ([\w, ]+)", source):
                used |= {n.strip() for n in names.split(",")} - {"quiz"}
    assert used, "no widget calls found in the notebooks"
    assert used <= set(widgets.__all__), sorted(used - set(widgets.__all__))


def test_no_widget_module_imports_a_private_name():
    """No ``from x import _name`` in gdcourse/widgets, except from gdcourse.plots (whose shared
    helpers get public names in their own change)."""
    bad = []
    for path in sorted(WIDGETS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and "plots" not in (node.module or ""):
                bad += [f"{path.name}: {alias.name} from {node.module}"
                        for alias in node.names if alias.name.startswith("_")]
    assert not bad, bad
