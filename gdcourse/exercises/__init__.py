"""The graded exercises of notebook 07: specifications, references, learner-notebook builder.

- :mod:`.specs`: one :class:`~.specs.Exercise` per function the learner writes
  (cases, judge, forbidden reference calls), shared by the instant checks and
  the grader.
- :mod:`.compare`: the layered comparison (type and shape, values, hints).
- :mod:`.values`: results moved between learner code and checker as plain data.
- :mod:`.runtime`: calling a learner's function (copies, timeout, output cap,
  reference guard, line counting).
- :mod:`.source`: what the learner's source says (names defined, loops,
  references to the package's reference code).
- :mod:`.reference`: the reference answers not already in the package.
- :mod:`.learner`: ``python -m gdcourse make-learner``.
"""

from .specs import EXERCISES, Case, Exercise, get, names

__all__ = ["EXERCISES", "Case", "Exercise", "get", "names"]
