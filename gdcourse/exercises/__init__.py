"""The graded tasks of notebook 07: how they are defined, run, judged and built.

Definitions
- :mod:`.exercise` and :mod:`.question`: the two types, a code exercise and a
  written question;
- :mod:`.cases`: test cases grouped by kind of input (public instances for the
  checks, hidden ones drawn by the grader);
- :mod:`.part_a`, :mod:`.part_b`, :mod:`.part_c`: the tasks of the notebook's
  three parts, and :mod:`.catalog`, all of them in order;
- :mod:`.hints`: every hint, written once;
- :mod:`.reference`: the reference answers not already in the package.

Judging
- :mod:`.compare`: the layered comparison (type and shape, values, hints);
- :mod:`.judging`: from a call's report to a score and a message;
- :mod:`.values`: results moved between learner code and checker as plain data;
- :mod:`.runtime`: calling a learner's function (copies, timeout, output cap,
  reference guard, counting what the code does);
- :mod:`.source`: what the learner's source says (names, loops, references).

- :mod:`.learner`: ``python -m gdcourse make-learner``.
"""

from .cases import Case, Kind
from .catalog import EXERCISES, get, names
from .exercise import Exercise
from .question import Question

__all__ = ["EXERCISES", "Case", "Kind", "Exercise", "Question", "get", "names"]
