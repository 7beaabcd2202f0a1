"""Reading a submitted notebook: read-only, defensive, with clear errors.

The file is opened read-only and read once; nothing is ever written to it
(or next to it). What comes back is the list of code cells' sources: the
grader needs nothing else from the notebook (outputs stored in it are
ignored, so a learner cannot "pre-fill" a result).
"""

from __future__ import annotations

import json
import os
import stat

__all__ = ["SubmissionError", "read_code_cells", "MAX_BYTES"]

#: Larger files are refused (a real exercise notebook is well under 5 MB).
MAX_BYTES = 50 * 1024 * 1024


class SubmissionError(Exception):
    """The file cannot be graded (not a notebook, malformed JSON, unreadable, ...)."""


def read_bytes(path) -> bytes:
    """The file's bytes, for a regular file only; never blocks (a FIFO is refused, not read)."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SubmissionError("file not found.") from None
    except IsADirectoryError:
        raise SubmissionError("this is a folder, not a notebook file.") from None
    except OSError as exc:
        raise SubmissionError(f"cannot open the file: {exc.strerror}.") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise SubmissionError("this is a folder, not a notebook file." if stat.S_ISDIR(mode)
                              else "this is not a regular file (a pipe, socket or device).")
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"the file is larger than {MAX_BYTES // 2**20} MB; a notebook of "
                              "this course is far smaller (clear the outputs and resubmit).")
    return data


def _from_version_3(nb: dict) -> dict:
    """An old (nbformat 3) notebook converted by nbformat to the current format."""
    import nbformat

    try:
        return nbformat.convert(nbformat.from_dict(nb), 4)
    except Exception:  # noqa: BLE001 - whatever nbformat finds wrong with it
        raise SubmissionError("this is an old (nbformat 3) notebook that could not be "
                              "converted; open and save it in a current Jupyter.") from None


def read_code_cells(path, data: bytes | None = None) -> list:
    """``[(cell index, source), ...]`` for the code cells of the notebook at ``path``.

    ``data``, when given, is the file's content read earlier (the grader reads
    every submission before any learner code runs, see ``guard.FileGuard``);
    the file is then not read again.

    Raises
    ------
    SubmissionError
        With a message meant for the instructor and the learner.
    """
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise SubmissionError("the file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError("not a Jupyter notebook: the file is not UTF-8 text (is it a PDF, "
                              "a zip or an image?).") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        start = text.lstrip()[:1]
        if start not in ("{", "["):
            raise SubmissionError("not a Jupyter notebook: the file is not JSON (a notebook is a "
                                  ".ipynb file saved by Jupyter; was a .py or text file renamed?)."
                                  ) from None
        raise SubmissionError(f"malformed notebook JSON at line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg}. The file may be truncated or edited by hand; save it "
                              "again from Jupyter.") from None
    except RecursionError:
        raise SubmissionError("malformed notebook JSON: nested too deeply.") from None
    if not isinstance(nb, dict):
        raise SubmissionError("not a Jupyter notebook: the JSON is not an object with 'cells'.")
    if "worksheets" in nb and "cells" not in nb:
        nb = _from_version_3(nb)
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise SubmissionError("not a Jupyter notebook: there is no 'cells' list.")
    out = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise SubmissionError(f"malformed notebook: cell {index + 1} is not an object.")
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list) and all(isinstance(s, str) for s in src):
            src = "".join(src)
        if not isinstance(src, str):
            raise SubmissionError(f"malformed notebook: the source of cell {index + 1} is not "
                                  "text.")
        out.append((index, src))
    return out
