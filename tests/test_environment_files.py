"""requirements.txt and environment.yml must name the same packages with the same pins.

pip users install from requirements.txt, conda/Binder users from environment.yml; stored
notebook outputs only match when both get the same versions. The comparison is a small
function, tested first on made-up files so that we know it can fail.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NBVAL_PIN = "0.11.0"   # nbval's unreleased master renumbers cells; stay on the last release


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(text: str) -> dict[str, str]:
    """{package: version} from ``name==version`` lines; ``-e .`` is recorded as {"-e .": ""}."""
    pins = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-e"):
            pins["-e " + line[2:].strip()] = ""
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;]+)", line)
        if not match:
            raise ValueError(f"requirements.txt: not an exact pin (name==version): {raw!r}")
        pins[normalise(match[1])] = match[2]
    return pins


def parse_environment(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """({conda package: version}, {pip package: version}) from an environment.yml.

    Handles the layout conda uses: ``dependencies:`` then ``- name=version`` items and one
    ``- pip:`` item holding ``- name==version`` items. Entries without a pin (``pip``,
    ``python>=3.11``) go to the conda dict with the full spec as the value.
    """
    conda, pip, section, in_pip = {}, {}, None, False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            section = line.split(":", 1)[0]
            in_pip = False
            continue
        if section != "dependencies":
            continue
        item = line.strip()
        if not item.startswith("- "):
            raise ValueError(f"environment.yml: unexpected line under dependencies: {raw!r}")
        item = item[2:].strip()
        if item == "pip:":
            in_pip, pip_indent = True, indent
            continue
        if in_pip and indent > pip_indent:
            pip.update(parse_requirements(item))
            continue
        in_pip = False
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*([^=<>!\s]+)", item)
        if match:
            conda[normalise(match[1])] = match[2]
        else:
            name = re.match(r"[A-Za-z0-9._-]+", item)[0]
            conda[normalise(name)] = item     # unpinned or a range: keep the whole spec
    return conda, pip


# Not packages of the course: the interpreter and the installer itself.
CONDA_ONLY = {"python", "pip"}


def disagreements(requirements_text: str, environment_text: str) -> list[str]:
    """Human-readable differences between the two files; empty when they agree."""
    req = parse_requirements(requirements_text)
    conda, pip = parse_environment(environment_text)
    env = {**{k: v for k, v in conda.items() if k not in CONDA_ONLY}, **pip}
    problems = []
    for name in sorted(set(req) | set(env)):
        if name not in env:
            problems.append(f"{name}: in requirements.txt ({req[name] or 'editable'}) only")
        elif name not in req:
            problems.append(f"{name}: in environment.yml ({env[name] or 'editable'}) only")
        elif req[name] != env[name]:
            problems.append(f"{name}: requirements.txt pins {req[name]}, "
                            f"environment.yml pins {env[name]}")
    for name in set(conda) & set(pip):
        problems.append(f"{name}: listed twice in environment.yml (conda and pip)")
    return problems


# -- the checker itself --------------------------------------------------------------
GOOD_REQ = "numpy==2.4.6\n# a comment\nnbval==0.11.0  # why\n-e .\n"
GOOD_ENV = """name: x
channels:
  - conda-forge
dependencies:
  - python>=3.11
  - pip
  - numpy=2.4.6
  - nbval=0.11.0
  - pip:
      - -e .
"""


def test_checker_accepts_agreeing_files():
    assert disagreements(GOOD_REQ, GOOD_ENV) == []


@pytest.mark.parametrize("env, expected", [
    (GOOD_ENV.replace("numpy=2.4.6", "numpy=2.4.5"), "numpy: requirements.txt pins 2.4.6"),
    (GOOD_ENV.replace("  - nbval=0.11.0\n", ""), "nbval: in requirements.txt (0.11.0) only"),
    (GOOD_ENV.replace("  - pip:\n", "  - scipy=1.0\n  - pip:\n"), "scipy: in environment.yml"),
    (GOOD_ENV.replace("      - -e .\n", ""), "-e .: in requirements.txt (editable) only"),
    (GOOD_ENV + "      - numpy==2.4.6\n", "numpy: listed twice"),
])
def test_checker_reports_each_kind_of_disagreement(env, expected):
    assert any(p.startswith(expected) for p in disagreements(GOOD_REQ, env)), \
        disagreements(GOOD_REQ, env)


def test_checker_refuses_unpinned_requirements():
    with pytest.raises(ValueError, match="not an exact pin"):
        parse_requirements("numpy>=2\n")


def test_parser_agrees_with_a_real_yaml_parser():
    yaml = pytest.importorskip("yaml")      # PyYAML comes with JupyterLab; optional here
    text = (ROOT / "environment.yml").read_text()
    doc = yaml.safe_load(text)
    conda, pip = parse_environment(text)
    plain = [d for d in doc["dependencies"] if isinstance(d, str)]
    nested = [d["pip"] for d in doc["dependencies"] if isinstance(d, dict)]
    assert len(plain) == len(conda) and len(nested) == 1 and len(nested[0]) == len(pip)


# -- the project's files ---------------------------------------------------------------
def test_requirements_and_environment_agree():
    problems = disagreements((ROOT / "requirements.txt").read_text(),
                             (ROOT / "environment.yml").read_text())
    assert problems == [], "requirements.txt and environment.yml disagree:\n" + "\n".join(problems)


def test_nbval_is_pinned_to_the_last_release_in_both():
    req = parse_requirements((ROOT / "requirements.txt").read_text())
    conda, pip = parse_environment((ROOT / "environment.yml").read_text())
    assert req.get("nbval") == NBVAL_PIN
    assert {**conda, **pip}.get("nbval") == NBVAL_PIN


def test_the_package_itself_is_installed_editable_in_both():
    req = parse_requirements((ROOT / "requirements.txt").read_text())
    _, pip = parse_environment((ROOT / "environment.yml").read_text())
    assert "-e ." in req and "-e ." in pip


def test_python_version_matches_pyproject():
    conda, _ = parse_environment((ROOT / "environment.yml").read_text())
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert conda["python"].replace(" ", "") == "python" + requires.replace(" ", "")
