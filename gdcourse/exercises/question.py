"""The type of a written question of notebook 07 ("test your understanding").

A question is answered by a small function (``q1_sign()`` returns a word,
``q2_db(w, b)`` a formula), so that the same judge scores it in the check and
in the grader. Once the answer is right, the check offers the worked
reasoning, collapsed, so that the learner can compare it with their own
explanation (the "why" half of the question, which no function can answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import hints
from .cases import Case, Kind, public_cases, hidden_cases
from .compare import Outcome

__all__ = ["Question", "ANSWER"]


def _answer_case(rng=None) -> Case:
    return Case("your answer", ())


#: The one kind of a question without arguments: the answer itself.
ANSWER = Kind("the answer", (_answer_case(),), _answer_case)


@dataclass(frozen=True)
class Question:
    """One question of Part C.

    Attributes
    ----------
    name, title, signature : str
    points : float
    judge : callable
        ``judge(case, answer) -> Outcome``.
    kinds : tuple of :class:`~.cases.Kind`
        :data:`ANSWER` for a question without arguments.
    form : callable or None
        ``form(answer) -> str``: why the answer does not have the expected form ('' if it
        does). Checked before the judge, so that a malformed answer gets that message.
    reasoning : str
        The worked reasoning (Markdown-like plain text), shown once the answer is right.
    forbidden : tuple of str
        Reference functions the answer may not call.
    """

    name: str
    title: str
    points: float
    signature: str
    judge: Callable[[Case, Any], Outcome]
    kinds: tuple = (ANSWER,)
    form: Callable[[Any], str] | None = None
    reasoning: str = ""
    forbidden: tuple = ()

    kind = "question"
    structure = None
    structure_share = 0.0
    error_hints = ()

    def evaluate(self, case: Case, answer) -> Outcome:
        """The form first (a malformed answer is told what was expected), then the judge."""
        message = self.form(answer) if self.form is not None else ""
        if message:
            return Outcome(0.0, message)
        return self.judge(case, answer)

    def public_cases(self) -> list:
        return public_cases(self.kinds)

    def hidden_cases(self, rng: np.random.Generator) -> list:
        return hidden_cases(self.kinds, rng)

    def hint_for_error(self, type_name: str, message: str) -> str:
        for etype, fragment, hint in hints.COMMON_ERRORS:
            if etype == type_name and fragment.lower() in message.lower():
                return hint
        return ""
