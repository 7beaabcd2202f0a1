"""The grader of notebook 07: ``python -m gdcourse grade SUBMISSION.ipynb ...``.

- :mod:`.submission`: read a notebook read-only, with clear errors.
- :mod:`.kernel`: a fresh Jupyter kernel with timeouts, crash detection, restart.
- :mod:`.sandbox`: how that kernel is confined (bubblewrap on Linux, limits), or not.
- :mod:`.kernel_side`: the agent loaded into that kernel to call the learner's functions
  and watch for tampering.
- :mod:`.channel`: the signed results pipe between that agent and the grader.
- :mod:`.grade`: one submission, start to finish (:func:`grade_submission`).
- :mod:`.batch`: many submissions, in parallel, with progress (:func:`grade_many`).
- :mod:`.report`: the table, JSON and CSV outputs.
- :mod:`.cli`: the command line.

Importing this package is cheap: the kernel machinery is imported when used.
"""

GRADER_VERSION = "1.1"

__all__ = ["GRADER_VERSION", "grade_submission", "grade_many", "Settings"]


def __getattr__(name):
    if name in ("grade_submission", "Settings"):
        from . import grade
        return getattr(grade, name)
    if name == "grade_many":
        from .batch import grade_many
        return grade_many
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
