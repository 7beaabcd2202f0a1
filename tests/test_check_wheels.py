"""tools/check_wheels.py: reading requirements, reading uv's messages, the table, the verdict.

Everything here runs without the network: uv is replaced by a small Python script that
prints made-up uv output. One test, marked ``network``, runs the real uv for one
combination.
"""

import importlib.util
import os
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load():
    path = ROOT / "tools" / "check_wheels.py"
    spec = importlib.util.spec_from_file_location("check_wheels", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


cw = _load()
Result = cw.Result


# -- reading requirements ---------------------------------------------------------------
def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_requirements_follow_r_and_drop_comments_editables_and_local_paths(tmp_path):
    write(tmp_path, "base/study.txt", """\
        # comment
        numpy==2.4.6; python_version < "3.15"   # why
        numpy==2.5.5; python_version >= "3.15"
        -e .
        --editable ../other
        ./vendored_pkg
        mypkg @ file:///somewhere/mypkg
        """)
    top = write(tmp_path, "test.txt", """\
        -r base/study.txt
        pytest==9.2.0
        """)
    assert cw.read_requirements(top) == ['numpy==2.4.6; python_version < "3.15"',
                                         'numpy==2.5.5; python_version >= "3.15"',
                                         "pytest==9.2.0"]


def test_requirements_loop_is_refused(tmp_path):
    write(tmp_path, "a.txt", "-r b.txt\n")
    write(tmp_path, "b.txt", "--requirement=a.txt\n")
    with pytest.raises(cw.CheckError, match="a loop"):
        cw.read_requirements(tmp_path / "a.txt")


@pytest.mark.parametrize("line", ["--index-url http://127.0.0.1/simple", "-c constraints.txt",
                                  "--only-binary :all:"])
def test_requirements_with_an_option_that_changes_the_resolution_are_refused(tmp_path, line):
    with pytest.raises(cw.CheckError, match=r"req.txt:2: expected a requirement"):
        cw.read_requirements(write(tmp_path, "req.txt", f"numpy==2.4.6\n{line}\n"))


def test_missing_requirements_file_is_named(tmp_path):
    with pytest.raises(cw.CheckError, match="cannot read the requirements file .*nope.txt"):
        cw.read_requirements(tmp_path / "nope.txt")


def test_the_projects_test_requirements_include_the_study_ones_without_the_package():
    lines = cw.read_requirements(ROOT / "requirements-test.txt")
    names = [line.split("==")[0] for line in lines]
    assert names.count("numpy") == 2 and "jupyterlab" in names and "uv" in names
    assert not any(line.startswith("-") for line in lines)


# -- reading uv's messages --------------------------------------------------------------
NO_WHEEL_DIRECT = """\
error: No solution found when resolving dependencies
  cause: Because numpy==2.4.6 has no usable wheels and you require numpy==2.4.6, we can \
conclude that your requirements are unsatisfiable.

hint: Wheels are required for `numpy` because building from source is disabled for all \
packages (i.e., with `--no-build`)
"""
NO_WHEEL_RANGE = """\
  x No solution found when resolving dependencies:
  `-> Because numpy>=2.4.0,<=2.4.6 has no usable wheels and only the following versions of \
numpy are available:
          numpy<=2.4.6
          numpy>=2.5
      we can conclude that numpy>=2.4.0,<2.5 cannot be used.
"""
NO_WHEEL_TRANSITIVE = """\
  × No solution found when resolving dependencies:
  ╰─▶ Because only pywinpty<=2.0.15 is available and jupyter-server==2.21.1 depends on
      pywinpty>=2.0.1, and all versions of pywinpty have no usable wheels, we can conclude \
that jupyter-server==2.21.1 cannot be used.
"""
NO_WHEEL_TAG = ("error: Because pyzmq[draft]==27.3.0 has no wheels with a matching Python ABI "
                "tag (e.g., `cp315`) and you require pyzmq==27.3.0, ...\n")
NETWORK_DOWN = """\
error: Failed to fetch: `http://127.0.0.1:9/simple/numpy/`
  Caused by: Request failed after 3 retries
  Caused by: error sending request for url (http://127.0.0.1:9/simple/numpy/)
"""


@pytest.mark.parametrize("message, package", [
    (NO_WHEEL_DIRECT, "numpy"),
    (NO_WHEEL_RANGE, "numpy"),
    (NO_WHEEL_TRANSITIVE, "pywinpty"),
    (NO_WHEEL_TAG, "pyzmq"),
    ("Because Pillow==13.0.0 has no usable wheels", "pillow"),
    (NETWORK_DOWN, None),
    ("", None),
])
def test_package_without_wheels_is_read_from_uvs_message(message, package):
    assert cw.package_without_wheels(message) == package


@pytest.mark.parametrize("returncode, stderr, expected", [
    (1, NO_WHEEL_DIRECT, "NO: numpy"),
    (1, NO_WHEEL_TRANSITIVE, "NO: pywinpty"),
    (2, NETWORK_DOWN, "Failed to fetch: `http://127.0.0.1:9/simple/numpy/`"),
    (2, "\n  something odd happened\nmore\n", "something odd happened"),
    (101, "", "uv exited with status 101 and said nothing"),
])
def test_failure_is_explained_by_the_package_else_the_first_error_line(returncode, stderr,
                                                                      expected):
    assert cw.explain_failure(returncode, stderr) == expected


def test_packages_are_counted_from_uvs_output():
    output = textwrap.dedent("""\
        anyio==4.16.0
            # via httpx
        ipykernel==7.4.0
        uvicorn[standard]==0.30.0
        # a comment==1
        """)
    assert cw.count_packages(output) == 3
    assert cw.count_packages("") == 0


# -- the table and the verdict ----------------------------------------------------------
def results_for_table():
    return [  # deliberately not in table order
        Result("windows-amd64", "3.15", False, problem="NO: pywinpty", detail=NO_WHEEL_TRANSITIVE),
        Result("linux-x86_64", "3.12", True, packages=111),
        Result("linux-x86_64", "3.11", True, packages=112),
        Result("windows-amd64", "3.11", False, detail=NETWORK_DOWN,
               problem="Failed to fetch: `http://127.0.0.1:9/simple/numpy/`"),
    ]


def test_table_has_platform_rows_and_python_columns_in_the_promised_order():
    table = cw.format_table(results_for_table(), unsupported={})
    lines = table.splitlines()
    assert lines[0].split() == ["platform", "3.11", "3.12", "3.15"]
    assert set(lines[1]) <= {"-", " "}
    assert [line.split()[0] for line in lines[2:]] == ["linux-x86_64", "windows-amd64"]
    assert lines[2].split()[1:] == ["ok", "(112)", "ok", "(111)", "-"]
    assert "NO: pywinpty" in lines[3] and "Failed to fetch: `http://12..." in lines[3]
    column = lines[0].index("3.12")           # cells line up under their heading
    assert lines[2][column:].startswith("ok (111)")
    assert lines[3][column:].startswith("-")


def test_table_marks_unsupported_combinations():
    unsupported = {("windows-amd64", "3.15"): "pywinpty has no wheel for 3.15 yet"}
    table = cw.format_table(results_for_table(), unsupported=unsupported)
    assert "NO: pywinpty *" in table


def test_cell_shows_not_run_and_truncates_long_reasons():
    assert cw.cell(None) == "-"
    long = Result("linux-x86_64", "3.11", False, problem="x" * 50)
    assert cw.cell(long, {}, width=10) == "xxxxxxx..."


def test_only_failures_not_listed_as_unsupported_fail_the_check():
    results = results_for_table()
    assert [(r.platform, r.python) for r in cw.failures(results, {})] == \
        [("windows-amd64", "3.15"), ("windows-amd64", "3.11")]
    excused = {("windows-amd64", "3.15"): "pywinpty has no wheel for 3.15 yet"}
    assert [(r.platform, r.python) for r in cw.failures(results, excused)] == \
        [("windows-amd64", "3.11")]
    assert "1 failed, 1 more excused by UNSUPPORTED" in \
        cw.summary(results, cw.failures(results, excused), 1.0)


def test_details_quote_uv_and_ask_to_drop_stale_unsupported_entries():
    unsupported = {("linux-x86_64", "3.12"): "numpy has no wheel"}
    details = cw.format_details(results_for_table(), unsupported)
    assert "windows-amd64, Python 3.15: NO: pywinpty\n    " in details
    assert "all versions of pywinpty have no usable wheels" in details
    assert "linux-x86_64, Python 3.12: resolves now although UNSUPPORTED" in details


@pytest.mark.parametrize("table, problem", [
    ({("linux-x86_64", "3.10"): "too old"}, "expected (platform, python)"),
    ({("freebsd-amd64", "3.12"): "no wheels"}, "expected (platform, python)"),
    ({"linux-x86_64": "no"}, "expected (platform, python)"),
    ({("linux-x86_64", "3.12"): "  "}, "the reason is empty"),
])
def test_unsupported_table_is_checked(table, problem):
    assert any(problem in p for p in cw.check_unsupported(table))


def test_the_scripts_own_unsupported_table_is_valid():
    assert cw.check_unsupported(cw.UNSUPPORTED) == []


# -- finding and running uv (with a stand-in) -------------------------------------------
def test_uv_is_found_next_to_the_interpreter_first(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "uv"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", "")
    assert cw.find_uv(str(tmp_path / "bin" / "python")) == str(fake)


def test_missing_uv_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(cw.CheckError,
                       match=r"install it with pip install -r requirements-test\.txt"):
        cw.find_uv(str(tmp_path / "python"))


FAKE_UV = """\
import json, os, sys, time
args = sys.argv[1:]
with open(os.environ["FAKE_UV_LOG"], "a") as log:
    macos = os.environ.get("MACOSX_DEPLOYMENT_TARGET")
    log.write(json.dumps({"args": args, "macos": macos}) + "\\n")
version = args[args.index("--python-version") + 1]
if version == "3.15":
    sys.stderr.write(%(no_wheel)r)
    sys.exit(1)
if version == "3.14":
    time.sleep(30)
print("numpy==2.4.6\\n    # via -r requirements.txt\\nmatplotlib==3.11.2")
"""


@pytest.fixture
def fake_uv(tmp_path, monkeypatch):
    script = tmp_path / "fake_uv.py"
    script.write_text(FAKE_UV % {"no_wheel": NO_WHEEL_DIRECT})
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_UV_LOG", str(log))
    requirements = write(tmp_path, "req.txt", "numpy==2.4.6\nmatplotlib==3.11.2\n")
    return [sys.executable, str(script)], requirements, log


def calls(log: Path) -> list[dict]:
    import json
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_resolve_reports_the_package_count_and_passes_the_target(fake_uv):
    uv, requirements, log = fake_uv
    result = cw.resolve(uv, "macos-arm64", "3.12", requirements, timeout=60)
    assert (result.ok, result.packages, result.problem) == (True, 2, "")
    [call] = calls(log)
    args = call["args"]
    assert args[:2] == ["pip", "compile"] and args[-1] == str(requirements)
    assert args[args.index("--python-platform") + 1] == "aarch64-apple-darwin"
    assert args[args.index("--only-binary") + 1] == ":all:"
    assert call["macos"] == "11.0"


def test_resolve_reports_a_missing_wheel(fake_uv):
    uv, requirements, _ = fake_uv
    result = cw.resolve(uv, "linux-x86_64", "3.15", requirements, timeout=60)
    assert (result.ok, result.problem) == (False, "NO: numpy")
    assert "has no usable wheels" in result.detail


def test_resolve_stops_at_the_timeout_instead_of_hanging(fake_uv):
    uv, requirements, _ = fake_uv
    result = cw.resolve(uv, "linux-x86_64", "3.14", requirements, timeout=1)
    assert (result.ok, result.problem) == (False, "timed out after 1 s")
    assert result.seconds < 20


def test_resolve_reports_a_uv_that_cannot_be_started(tmp_path):
    result = cw.resolve([str(tmp_path / "no-such-uv")], "linux-x86_64", "3.12",
                        write(tmp_path, "req.txt", "numpy==2.4.6\n"))
    assert not result.ok and result.problem.startswith("cannot run uv:")


def test_resolve_all_keeps_the_order_and_reports_progress(fake_uv):
    uv, requirements, _ = fake_uv
    combinations = [(p, v) for p in ("linux-x86_64", "windows-amd64") for v in ("3.15", "3.12")]
    seen = []
    results = cw.resolve_all(uv, combinations, requirements, jobs=3, timeout=60,
                             progress=lambda done, total, r: seen.append((done, total)))
    assert [(r.platform, r.python) for r in results] == combinations
    assert [r.ok for r in results] == [False, True, False, True]
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]


@pytest.mark.skipif(os.name == "nt", reason="the stand-in uv is a shebang script")
def test_main_prints_the_table_and_fails_on_a_missing_wheel(fake_uv, tmp_path, monkeypatch,
                                                            capsys):
    uv, _, _ = fake_uv
    exe = tmp_path / "uv"
    exe.write_text(f"#!{sys.executable}\n" + Path(uv[1]).read_text())
    exe.chmod(0o755)
    monkeypatch.setattr(cw, "find_uv", lambda: str(exe))
    requirements = write(tmp_path, "top.txt", "-r req.txt\n-e .\n")
    assert cw.main(["--requirements", str(requirements), "--platform", "linux-x86_64",
                    "--python", "3.12"]) == 0
    assert cw.main(["--requirements", str(requirements), "--platform", "linux-x86_64",
                    "--python", "3.12", "--python", "3.15"]) == 1
    out = capsys.readouterr().out
    assert "linux-x86_64  ok (2)  NO: numpy" in out
    assert "1 of 2 combinations resolve with wheels only; 1 failed" in out


def test_main_without_uv_exits_2_with_the_install_hint(monkeypatch, capsys):
    def no_uv():
        raise cw.CheckError(cw.MISSING_UV.format(python="python"))
    monkeypatch.setattr(cw, "find_uv", no_uv)
    assert cw.main(["--python", "3.12"]) == 2
    assert "pip install -r requirements-test.txt" in capsys.readouterr().err


# -- the real thing, one combination ----------------------------------------------------
@pytest.mark.network
def test_study_requirements_resolve_with_wheels_for_linux_and_python_312(tmp_path):
    try:
        uv = cw.find_uv()
    except cw.CheckError as exc:
        pytest.skip(str(exc))
    flat = tmp_path / "requirements.txt"
    flat.write_text("\n".join(cw.read_requirements(ROOT / "requirements.txt")) + "\n")
    result = cw.resolve([uv], "linux-x86_64", "3.12", flat, timeout=300)
    assert result.ok, result.detail
    assert result.packages > 50


def test_the_script_checks_the_pythons_that_pyproject_promises():
    import tomllib
    classifiers = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    prefix = "Programming Language :: Python :: "
    promised = tuple(c[len(prefix):] for c in classifiers
                     if c.startswith(prefix + "3.") and c[len(prefix) + 2:].isdigit())
    assert cw.PYTHONS == promised
