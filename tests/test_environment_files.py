"""The install files must agree with each other and with what the package imports.

- ``requirements.txt`` (studying) and ``requirements-test.txt`` (``-r requirements.txt`` plus
  testing) hold only exact pins, some with a ``python_version`` marker; the lines of one
  package cover every promised Python exactly once.
- ``environment.yml`` (conda/Binder, studying only) pins what ``requirements.txt`` pins for
  every Python it admits, and admits exactly the Pythons for which that is possible (conda
  cannot choose a numpy per Python; requirements.txt does, with markers).
- ``pyproject.toml`` declares ranges, not pins, that admit the pinned versions, and names
  every third-party module the package imports (lazy imports inside functions too).

Each check is a small function, tested first on made-up files so that we know it can fail.
Markers and ranges are read with ``packaging`` (a dependency of pytest), environment.yml
with PyYAML (pinned in requirements-test.txt).
"""

import ast
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
NBVAL_PIN = "0.11.0"   # nbval's unreleased master renumbers cells; stay on the last release
#: The Pythons the README promises (pyproject's classifiers must say the same).
PYTHONS = ("3.11", "3.12", "3.13", "3.14", "3.15")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# -- requirements files ------------------------------------------------------------------
@dataclass(frozen=True)
class Pin:
    """``name==version``, with the marker text after ``;`` ("" when there is none)."""

    name: str
    version: str
    marker: str = ""

    def applies(self, python: str) -> bool:
        """Whether pip installs this line on Python ``python`` ("3.12")."""
        if not self.marker:
            return True
        return Marker(self.marker).evaluate({"python_version": python,
                                             "python_full_version": python + ".0"})


@dataclass
class Requirements:
    pins: list = field(default_factory=list)        # [Pin]
    includes: list = field(default_factory=list)    # files named by -r
    editables: list = field(default_factory=list)   # paths named by -e


_PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)"
                  r"\s*(?:;\s*(.+))?")


def parse_requirements(text: str, filename: str = "requirements.txt") -> Requirements:
    """The pins, ``-r`` includes and ``-e`` paths of a requirements file.

    Every other line must be blank or a comment; anything but an exact pin (``name==version``,
    optionally ``; marker``) raises ValueError naming the line.
    """
    out = Requirements()
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        if option := re.fullmatch(r"(-r|--requirement)(?:\s+|=)(\S+)", line):
            out.includes.append(option[2])
        elif option := re.fullmatch(r"(-e|--editable)(?:\s+|=)(\S+)", line):
            out.editables.append(option[2])
        elif match := _PIN.fullmatch(line):
            marker = (match[3] or "").strip()
            if marker:
                Marker(marker)          # raises InvalidMarker for nonsense
            out.pins.append(Pin(normalise(match[1]), match[2], marker))
        else:
            raise ValueError(f"{filename}: not an exact pin (name==version, optionally "
                             f"'; marker'), -r FILE or -e PATH: {raw!r}")
    return out


def pins_for(pins, python: str) -> dict[str, str]:
    """{package: version} that pip installs on Python ``python`` (markers evaluated)."""
    return {p.name: p.version for p in pins if p.applies(python)}


def coverage_problems(pins, pythons=PYTHONS) -> list[str]:
    """Packages that get no pin, or more than one, on one of ``pythons``."""
    problems = []
    for name in sorted({p.name for p in pins}):
        for python in pythons:
            lines = [p for p in pins if p.name == name and p.applies(python)]
            if len(lines) != 1:
                problems.append(f"{name}: {len(lines)} lines apply on Python {python} "
                                f"(expected exactly 1): {[str(p.version) for p in lines]}")
    return problems


# -- environment.yml -----------------------------------------------------------------------
def parse_environment(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """({conda package: version}, {pip package: version}) from an environment.yml.

    Read with PyYAML: ``dependencies`` holds ``name=version`` strings and one
    ``{"pip": [...]}`` item of requirement lines (``-e .`` becomes {"-e .": ""}).
    Entries without a pin (``pip``, ``python>=3.11,<3.15``) go to the conda dict with
    the full spec as the value.
    """
    doc = yaml.safe_load(text) or {}
    dependencies = doc.get("dependencies") if isinstance(doc, dict) else None
    if not isinstance(dependencies, list):
        raise ValueError("environment.yml: expected a list under 'dependencies'")
    conda, pip = {}, {}
    for item in dependencies:
        if isinstance(item, dict) and set(item) == {"pip"}:
            lines = item["pip"] or []           # "- pip:" with nothing under it
            if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
                raise ValueError(f"environment.yml: 'pip' must hold a list of lines, got {lines!r}")
            parsed = parse_requirements("\n".join(lines), "environment.yml")
            pip.update({p.name: p.version for p in parsed.pins})
            pip.update({f"-e {path}": "" for path in parsed.editables})
        elif isinstance(item, str) and (match := re.fullmatch(
                r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*([^=<>!\s]+)", item.strip())):
            conda[normalise(match[1])] = match[2]
        elif isinstance(item, str):
            name = re.match(r"[A-Za-z0-9._-]+", item.strip())[0]
            conda[normalise(name)] = item.strip()    # unpinned or a range: keep the whole spec
        else:
            raise ValueError(f"environment.yml: unexpected item under dependencies: {item!r}")
    return conda, pip


# Not packages of the course: the interpreter and the installer itself.
CONDA_ONLY = {"python", "pip"}


def conda_pythons(conda: dict, pythons=PYTHONS) -> list[str]:
    """The promised Pythons that environment.yml's ``python`` spec admits."""
    spec = SpecifierSet(conda["python"].replace(" ", "")[len("python"):])
    return [v for v in pythons if spec.contains(v + ".0")]


def disagreements(requirements_text: str, environment_text: str) -> list[str]:
    """Human-readable differences between requirements.txt and environment.yml, per Python
    that environment.yml admits; empty when they agree."""
    req = parse_requirements(requirements_text)
    conda, pip = parse_environment(environment_text)
    env = {**{k: v for k, v in conda.items() if k not in CONDA_ONLY}, **pip}
    problems = []
    pythons = conda_pythons(conda)
    if not pythons:
        problems.append(f"environment.yml: {conda['python']} admits none of {PYTHONS}")
    for python in pythons:
        wanted = pins_for(req.pins, python) | {f"-e {p}": "" for p in req.editables}
        for name in sorted(set(wanted) | set(env)):
            if name not in env:
                problems.append(f"{name}: in requirements.txt ({wanted[name] or 'editable'}) "
                                f"only (Python {python})")
            elif name not in wanted:
                problems.append(f"{name}: in environment.yml ({env[name] or 'editable'}) only "
                                f"(Python {python})")
            elif wanted[name] != env[name]:
                problems.append(f"{name}: requirements.txt pins {wanted[name]} for Python "
                                f"{python}, environment.yml pins {env[name]}")
    for name in set(conda) & set(pip):
        problems.append(f"{name}: listed twice in environment.yml (conda and pip)")
    return list(dict.fromkeys(problems))       # one line per problem, first Python first


# -- pyproject.toml --------------------------------------------------------------------------
def range_problems(requirements: list[str], pinned: dict[str, dict[str, str]]) -> list[str]:
    """Declared dependencies that are not a range admitting the pinned versions.

    Parameters
    ----------
    requirements : list of str
        PEP 508 strings from pyproject (``"numpy>=2,<3"``).
    pinned : dict
        {python: {package: version}}, what the requirements files install on each Python.
    """
    problems = []
    for text in requirements:
        req = Requirement(text)
        name, ops = normalise(req.name), {s.operator for s in req.specifier}
        if ops & {"==", "===", "~="}:
            problems.append(f"{text}: a pin, expected a range (>=lower,<upper)")
            continue
        if not ops & {">=", ">"}:
            problems.append(f"{text}: no lower bound (the oldest version the code works with)")
        if not ops & {"<", "<="}:
            problems.append(f"{text}: no upper bound (the next major version may break it)")
        for python, pins in pinned.items():
            applies = req.marker is None or req.marker.evaluate(
                {"python_version": python, "python_full_version": python + ".0"})
            if applies and name in pins and not req.specifier.contains(pins[name],
                                                                       prereleases=True):
                problems.append(f"{text}: does not admit the pinned {name}=={pins[name]} "
                                f"(Python {python})")
    return problems


# -- what the package imports ------------------------------------------------------------
def imported_modules(source: str) -> set[str]:
    """Top-level names of the absolute imports in ``source``, lazy ones inside functions too."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


#: Import name -> distribution name, where they differ.
DISTRIBUTION = {"IPython": "ipython", "PIL": "pillow", "zmq": "pyzmq"}
#: Imported but not declared, because a declared dependency brings them; with the reason.
TRANSITIVE = {
    "cycler": "a dependency of matplotlib (gdcourse.style)",
    "pillow": "a dependency of matplotlib, which renders with it; gdcourse.animations writes "
              "the course's GIFs with its GIF writer",
    "matplotlib-inline": "a dependency of ipykernel, imported only inside IPython, guarded "
                         "by ImportError (gdcourse.style)",
    "traitlets": "a dependency of jupyter_client, nbclient and ipykernel (gdcourse.kernels)",
    "pyzmq": "a dependency of jupyter_client; its import is guarded by ImportError "
             "(gdcourse.kernels)",
    "jupyter-server": "a dependency of jupyterlab, imported by the lab launcher only "
                      "(gdcourse.launch)",
}


def undeclared_imports(modules: set[str], declared: set[str], stdlib: set[str]) -> list[str]:
    """Imported distributions that pyproject neither declares nor explains in TRANSITIVE."""
    third_party = {DISTRIBUTION.get(m, normalise(m)) for m in modules
                   if m not in stdlib and m != "gdcourse" and not m.startswith("_")}
    return sorted(d for d in third_party if d not in declared and d not in TRANSITIVE)


# -- the checkers themselves, on made-up files ----------------------------------------------
GOOD_REQ = """numpy==2.4.6; python_version < "3.15"
numpy==2.5.5; python_version >= "3.15"
# a comment
matplotlib==3.11.2  # why
-e .
"""
GOOD_ENV = """name: x
channels:
  - conda-forge
dependencies:
  - python>=3.11,<3.15
  - pip
  - numpy=2.4.6
  - matplotlib=3.11.2
  - pip:
      - -e .
"""


def test_parser_reads_pins_markers_includes_and_editables():
    req = parse_requirements(GOOD_REQ + "-r other.txt\n")
    assert req.pins == [Pin("numpy", "2.4.6", 'python_version < "3.15"'),
                        Pin("numpy", "2.5.5", 'python_version >= "3.15"'),
                        Pin("matplotlib", "3.11.2")]
    assert req.includes == ["other.txt"] and req.editables == ["."]


@pytest.mark.parametrize("line", ["numpy>=2", "numpy", "numpy==2.*x", "numpy==2.4.6; nonsense",
                                  "--index-url x"])
def test_parser_refuses_what_is_not_an_exact_pin(line):
    with pytest.raises(ValueError, match="not an exact pin|Expected"):
        parse_requirements(line + "\n")


def test_markers_are_evaluated_for_the_target_python():
    req = parse_requirements(GOOD_REQ)
    assert pins_for(req.pins, "3.14") == {"numpy": "2.4.6", "matplotlib": "3.11.2"}
    assert pins_for(req.pins, "3.15") == {"numpy": "2.5.5", "matplotlib": "3.11.2"}


@pytest.mark.parametrize("lines, expected", [
    ('numpy==1; python_version < "3.14"\nnumpy==2; python_version >= "3.15"\n',
     "numpy: 0 lines apply on Python 3.14"),
    ('numpy==1; python_version < "3.15"\nnumpy==2; python_version >= "3.14"\n',
     "numpy: 2 lines apply on Python 3.14"),
    ('numpy==1; python_version < "3.15"\nnumpy==2; python_version > "3.15"\n',
     "numpy: 0 lines apply on Python 3.15"),
    ('numpy==1\nnumpy==2; python_version >= "3.15"\n', "numpy: 2 lines apply on Python 3.15"),
])
def test_coverage_reports_gaps_and_overlaps(lines, expected):
    problems = coverage_problems(parse_requirements(lines).pins)
    assert any(p.startswith(expected) for p in problems), problems


def test_coverage_accepts_lines_that_split_the_pythons():
    assert coverage_problems(parse_requirements(GOOD_REQ).pins) == []


def test_checker_accepts_agreeing_files():
    assert disagreements(GOOD_REQ, GOOD_ENV) == []


@pytest.mark.parametrize("env, expected", [
    (GOOD_ENV.replace("numpy=2.4.6", "numpy=2.4.5"),
     "numpy: requirements.txt pins 2.4.6 for Python 3.11, environment.yml pins 2.4.5"),
    (GOOD_ENV.replace("<3.15", "<3.16"),
     "numpy: requirements.txt pins 2.5.5 for Python 3.15, environment.yml pins 2.4.6"),
    (GOOD_ENV.replace("numpy=2.4.6", "numpy=2.5.5"), "numpy: requirements.txt pins 2.4.6"),
    (GOOD_ENV.replace("  - matplotlib=3.11.2\n", ""), "matplotlib: in requirements.txt"),
    (GOOD_ENV.replace("  - pip:\n", "  - scipy=1.0\n  - pip:\n"), "scipy: in environment.yml"),
    (GOOD_ENV.replace("      - -e .\n", ""), "-e .: in requirements.txt (editable) only"),
    (GOOD_ENV + "      - numpy==2.4.6\n", "numpy: listed twice"),
    (GOOD_ENV.replace(">=3.11,<3.15", ">=3.16"), "environment.yml: python>=3.16 admits none"),
])
def test_checker_reports_each_kind_of_disagreement(env, expected):
    problems = disagreements(GOOD_REQ, env)
    assert any(p.startswith(expected) for p in problems), problems


def test_conda_pythons_follow_the_python_spec():
    assert conda_pythons({"python": "python>=3.11,<3.15"}) == ["3.11", "3.12", "3.13", "3.14"]
    assert conda_pythons({"python": "python >=3.12"}) == ["3.12", "3.13", "3.14", "3.15"]


@pytest.mark.parametrize("declared, expected", [
    ("numpy==2.4.6", "numpy==2.4.6: a pin, expected a range"),
    ("numpy>=2.5,<3", "numpy>=2.5,<3: does not admit the pinned numpy==2.4.6 (Python 3.14)"),
    ("numpy<3", "numpy<3: no lower bound"),
    ("numpy>=2", "numpy>=2: no upper bound"),
])
def test_range_checker_reports_pins_and_ranges_that_miss_the_pins(declared, expected):
    pinned = {"3.14": {"numpy": "2.4.6"}, "3.15": {"numpy": "2.5.5"}}
    problems = range_problems([declared], pinned)
    assert any(p.startswith(expected) for p in problems), problems
    assert range_problems(["numpy>=2,<3"], pinned) == []


def test_import_scanner_finds_lazy_imports_and_skips_relative_ones():
    source = ("import numpy as np\nfrom matplotlib.figure import Figure\nfrom . import x\n"
              "def f():\n    from jupyter_client import KernelManager\n    import os.path\n")
    assert imported_modules(source) == {"numpy", "matplotlib", "jupyter_client", "os"}
    assert undeclared_imports({"numpy", "jupyter_client", "os", "cycler", "gdcourse"},
                              declared={"numpy"}, stdlib={"os"}) == ["jupyter-client"]


# -- the project's files ---------------------------------------------------------------------
def read_study_requirements():
    return parse_requirements((ROOT / "requirements.txt").read_text())


def read_test_requirements():
    return parse_requirements((ROOT / "requirements-test.txt").read_text(),
                              "requirements-test.txt")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def all_pins():
    return read_study_requirements().pins + read_test_requirements().pins


def test_requirements_and_environment_agree():
    problems = disagreements((ROOT / "requirements.txt").read_text(),
                             (ROOT / "environment.yml").read_text())
    assert problems == [], "requirements.txt and environment.yml disagree:\n" + "\n".join(problems)


def test_test_requirements_add_pins_to_the_study_ones():
    testing, study = read_test_requirements(), read_study_requirements()
    assert testing.includes == ["requirements.txt"]
    assert testing.editables == [], "the package comes from requirements.txt's -e ."
    both = {p.name for p in study.pins} & {p.name for p in testing.pins}
    assert not both, f"pinned in both requirements files: {sorted(both)}"


def test_every_package_has_one_pin_on_every_promised_python():
    problems = coverage_problems(all_pins())
    assert problems == [], "\n".join(problems)


def test_numpy_is_split_by_python_version():
    assert pins_for(all_pins(), "3.14")["numpy"] == "2.4.6"   # no cp315 wheel
    assert pins_for(all_pins(), "3.15")["numpy"] == "2.5.5"   # needs Python >= 3.12


def test_nbval_is_pinned_to_the_last_release():
    assert {p.name: p.version for p in read_test_requirements().pins}.get("nbval") == NBVAL_PIN


def test_the_package_itself_is_installed_editable_in_both():
    _, pip = parse_environment((ROOT / "environment.yml").read_text())
    assert read_study_requirements().editables == ["."] and "-e ." in pip


def test_environment_admits_exactly_the_pythons_it_can_pin_alike():
    """conda's Python range starts at requires-python and stops where requirements.txt
    switches to a pin conda cannot follow, and no earlier."""
    conda, _ = parse_environment((ROOT / "environment.yml").read_text())
    requires = pyproject()["requires-python"].replace(" ", "")
    assert conda["python"].replace(" ", "").startswith("python" + requires)
    env = {k: v for k, v in conda.items() if k not in CONDA_ONLY}
    same = [v for v in PYTHONS if all(pins_for(read_study_requirements().pins, v).get(k) == pin
                                      for k, pin in env.items())]
    assert conda_pythons(conda) == same


def test_pyproject_promises_the_same_pythons():
    project = pyproject()
    prefix = "Programming Language :: Python :: 3."
    listed = tuple("3." + c[len(prefix):] for c in project["classifiers"]
                   if c.startswith(prefix) and c[len(prefix):].isdigit())
    assert listed == PYTHONS
    assert all(SpecifierSet(project["requires-python"]).contains(v + ".0") for v in PYTHONS)


def test_pyproject_declares_ranges_that_admit_the_pins():
    project = pyproject()
    declared = project["dependencies"] + [r for extra in project["optional-dependencies"].values()
                                          for r in extra]
    pinned = {v: pins_for(all_pins(), v) for v in PYTHONS}
    problems = range_problems(declared, pinned)
    assert problems == [], "\n".join(problems)


def test_study_pins_are_what_the_package_and_its_lab_extra_declare():
    project = pyproject()
    declared = {normalise(Requirement(r).name)
                for r in project["dependencies"] + project["optional-dependencies"]["lab"]}
    assert {p.name for p in read_study_requirements().pins} == declared


def test_grader_extra_names_what_grade_and_make_learner_import():
    grader = {normalise(Requirement(r).name)
              for r in pyproject()["optional-dependencies"]["grader"]}
    assert {"jupyter-client", "ipykernel", "ipython", "nbformat", "nbclient"} <= grader


def test_everything_the_package_imports_is_declared():
    import sys
    project = pyproject()
    declared = {normalise(Requirement(r).name) for r in project["dependencies"]}
    declared |= {normalise(Requirement(r).name)
                 for extra in project["optional-dependencies"].values() for r in extra}
    modules = set()
    for path in sorted((ROOT / "gdcourse").rglob("*.py")):
        modules |= imported_modules(path.read_text(encoding="utf-8"))
    missing = undeclared_imports(modules, declared, set(sys.stdlib_module_names))
    assert missing == [], (f"gdcourse imports {missing}, which pyproject.toml does not declare "
                           f"(add it to dependencies or an extra, or to TRANSITIVE with why)")
