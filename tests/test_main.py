"""python -m gdcourse: a missing optional dependency gets a sentence, not a traceback."""

import pytest

from gdcourse import __main__ as entry
from gdcourse.exercises import learner
from gdcourse.grader import cli


@pytest.mark.parametrize("command, module, args", [
    ("grade", cli, ["grade", "hand-ins"]),
    ("make-learner", learner, ["make-learner", "--check"]),
])
def test_missing_grader_module_names_the_extra(monkeypatch, capsys, command, module, args):
    def run(_args):
        raise ModuleNotFoundError("No module named 'jupyter_client'", name="jupyter_client")

    monkeypatch.setattr(module, "run", run)
    assert entry.main(args) == 2
    err = capsys.readouterr().err
    assert f"python -m gdcourse {command} needs jupyter_client" in err
    assert "pip install 'gdcourse[grader]'" in err


def test_other_missing_modules_are_not_hidden(monkeypatch):
    def run(_args):
        raise ModuleNotFoundError("No module named 'gdcourse_typo'", name="gdcourse_typo")

    monkeypatch.setattr(cli, "run", run)
    with pytest.raises(ModuleNotFoundError, match="gdcourse_typo"):
        entry.main(["grade", "hand-ins"])
