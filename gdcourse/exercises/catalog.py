"""Every task with a check: notebook 07's graded ones, then the practice tasks of 00-06.

The graded code exercises are defined in :mod:`.part_a` (logistic regression) and
:mod:`.part_b` (the salary regression), the questions in :mod:`.part_c`. The
instant checks (:mod:`gdcourse.checks`) and the grader (:mod:`gdcourse.grader`)
both take them from here, so they always judge the same way. The practice tasks
(:mod:`.notebook_01`, ...) have checks only; the grader never sees them.
"""

from __future__ import annotations

from .notebook_01 import BACKWARD_SQUARED_ERROR, CENTRAL_DIFFERENCE
from .notebook_02 import AVERAGE_DZ
from .notebook_03 import VECTORIZED_DW
from .notebook_04 import MSE_GRADIENTS
from .notebook_05 import HINT_LIMIT
from .notebook_06 import GRADIENT_STOP_EPOCH
from .part_a import BACKWARD_ONE, PROPAGATE, PROPAGATE_LOOPS, SIGMOID
from .part_b import GD_STEP, MAX_STABLE_RATE, STOP_REASON, TRAIN
from .part_c import Q1, Q2, Q3, Q4, Q5

__all__ = ["EXERCISES", "PRACTICE", "FORBIDDEN_EVERYWHERE", "get", "names"]

#: Every graded task: code exercises (:class:`~.exercise.Exercise`), then questions
#: (:class:`~.question.Question`).
EXERCISES: tuple = (SIGMOID, BACKWARD_ONE, PROPAGATE_LOOPS, PROPAGATE, GD_STEP, TRAIN,
                    MAX_STABLE_RATE, STOP_REASON, Q1, Q2, Q3, Q4, Q5)

#: The practice tasks of notebooks 00-06 (checked, not graded), in course order.
PRACTICE: tuple = (BACKWARD_SQUARED_ERROR, CENTRAL_DIFFERENCE, AVERAGE_DZ, VECTORIZED_DW,
                   MSE_GRADIENTS, HINT_LIMIT, GRADIENT_STOP_EPOCH)

#: Reference code no graded answer may call (besides each task's own list).
FORBIDDEN_EVERYWHERE = (
    "gdcourse.exercises.reference.stop_reason",
    "gdcourse.exercises.reference.q1_sign",
    "gdcourse.exercises.reference.q3_max_rate",
    "gdcourse.exercises.reference.q4_times",
)


def names() -> list[str]:
    """The graded functions' names, in notebook order."""
    return [e.name for e in EXERCISES]


def get(name: str):
    """The task (graded or practice) whose function is called ``name``."""
    for e in EXERCISES + PRACTICE:
        if e.name == name:
            return e
    raise KeyError(f"no task named {name!r}; the tasks are "
                   f"{[e.name for e in EXERCISES + PRACTICE]}.")
