"""Test cases, grouped by the kind of input they are.

An exercise lists the **kinds** of input it is judged on ("z of shape (n, 1)",
"very large |z|", "tol and grad_tol are None"). Each kind has fixed public
instances, which the instant check in the notebook runs, and a ``draw(rng)``
that makes a hidden instance, with new numbers, when the grader runs. The
hidden cases are therefore the public kinds with other numbers, never a kind
of input the learner's check has not tried: a function that passes every
public case of every kind is right on the hidden ones too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["Case", "Kind", "public_cases", "hidden_cases"]


@dataclass(frozen=True)
class Case:
    """One test case: the arguments the learner's function gets, and judge-only data.

    ``kind`` is the label of the :class:`Kind` it is an instance of.
    """

    label: str
    args: tuple
    extra: dict = field(default_factory=dict)
    kind: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of input: its public instances and a generator of hidden ones.

    Attributes
    ----------
    label : str
        What is special about this input, as the learner reads it in a check.
    public : tuple of Case
        The fixed instances the check runs (at least one).
    draw : callable
        ``draw(rng) -> Case``: a hidden instance with new numbers.
    """

    label: str
    public: tuple
    draw: Callable[[np.random.Generator], Case]

    def __post_init__(self):
        if not self.public:
            raise ValueError(f"kind {self.label!r} needs at least one public case.")


def _tagged(case: Case, kind: Kind) -> Case:
    return Case(case.label, case.args, case.extra, kind.label)


def public_cases(kinds) -> list:
    """Every public instance of every kind, in order."""
    return [_tagged(c, k) for k in kinds for c in k.public]


def hidden_cases(kinds, rng: np.random.Generator) -> list:
    """One hidden instance of each kind, drawn from ``rng`` in order."""
    return [_tagged(k.draw(rng), k) for k in kinds]
