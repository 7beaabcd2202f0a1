"""Code inside a submission cannot leave a changed submission file behind."""

import os
from pathlib import Path

import nbformat
import pytest

from gdcourse.grader.batch import grade_many
from gdcourse.grader.guard import FileGuard

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "notebooks" / "solutions" / "07_exercises.ipynb"


def test_guard_restores_bytes_and_mtime(tmp_path):
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    a.write_bytes(b"original a")
    b.write_bytes(b"original b")
    os.utime(a, ns=(1_000_000_000, 2_000_000_000))
    with FileGuard([a, b]) as guard:
        a.write_bytes(b"tampered")
    assert a.read_bytes() == b"original a"
    assert a.stat().st_mtime_ns == 2_000_000_000
    assert guard.restored == [a]
    assert not list(tmp_path.glob(".*restore*"))


def test_guard_restores_a_deleted_file(tmp_path):
    a = tmp_path / "a.ipynb"
    a.write_bytes(b"keep me")
    with FileGuard([a]) as guard:
        a.unlink()
    assert a.read_bytes() == b"keep me"
    assert guard.restored == [a]


@pytest.mark.kernel
def test_submission_that_writes_to_hand_ins_is_undone_and_reported(tmp_path):
    nb = nbformat.read(SOLUTIONS, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "import glob\n"
        f"for p in glob.glob({str(tmp_path)!r} + '/*.ipynb'):\n"
        "    open(p, 'a').write('HACKED')\n"))
    evil, other = tmp_path / "evil.ipynb", tmp_path / "other.ipynb"
    nbformat.write(nb, evil)
    other.write_bytes(SOLUTIONS.read_bytes())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (evil, other)}

    # Without the sandbox: in it, hand-ins cannot be written at all (test_grader_sandbox.py);
    # the guard is what protects them where there is no sandbox.
    records = grade_many([tmp_path], seed=3, sandbox="none")

    for p, (data, mtime) in before.items():
        assert p.read_bytes() == data
        assert p.stat().st_mtime_ns == mtime
    for record in records:
        assert record["status"] == "graded", record["error"]
        assert record["score"] == record["max_score"]  # graded on the bytes read before any code ran
        assert any(str(evil) in w and "restored" in w for w in record["warnings"])
        assert any(str(other) in w for w in record["warnings"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_a_fifo_in_a_files_place_is_moved_aside_without_waiting(tmp_path):
    # Reading a FIFO waits for a writer for ever: the guard must not read it.
    a = tmp_path / "a.ipynb"
    a.write_bytes(b"original a")
    with FileGuard([a]) as guard:
        a.unlink()
        os.mkfifo(a)
    assert a.read_bytes() == b"original a"
    assert guard.restored == [a]
    assert [p.name for p in guard.moved_aside] == ["a.ipynb.replaced-during-grading"]


def test_a_folder_in_a_files_place_is_moved_aside_and_the_file_put_back(tmp_path):
    a = tmp_path / "a.ipynb"
    a.write_bytes(b"original a")
    (tmp_path / "a.ipynb.replaced-during-grading").write_text("taken")   # the name is taken
    with FileGuard([a]) as guard:
        a.unlink()
        a.mkdir()
        (a / "inside.txt").write_text("x")
    assert a.read_bytes() == b"original a"
    assert guard.moved_aside == [tmp_path / "a.ipynb.replaced-during-grading-2"]
    assert (guard.moved_aside[0] / "inside.txt").read_text() == "x"      # kept for a person


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_a_fifo_submission_is_refused_not_read(tmp_path):
    from gdcourse.grader.submission import SubmissionError, read_bytes
    fifo = tmp_path / "hand-in.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(SubmissionError, match="not a regular file"):
        read_bytes(fifo)
