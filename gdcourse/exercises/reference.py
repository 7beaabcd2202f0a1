"""Reference answers of notebook 07 that the core package does not already provide.

Everything else the exercises are judged against comes straight from the
package (:mod:`gdcourse.logistic`, :mod:`gdcourse.linear`). The learner may
not call these functions from a graded answer: the grader treats that as
"just calls the reference" and scores the exercise 0.
"""

from __future__ import annotations

import numpy as np

from .. import data, descent, linear

__all__ = [
    "STOP_REASONS",
    "stop_reason",
    "normalized_salary",
    "q1_sign",
    "q3_max_rate",
    "q4_times",
    "Q5_FACTOR_OPTIONS",
    "Q5_RATE_OPTIONS",
    "Q5_ANSWER",
    "DIVERGENCE_FACTOR",
]

#: The four rules of :func:`gdcourse.descent.stop_rule`, in the order it checks them.
STOP_REASONS = descent.STOP_REASONS

#: A cost above this multiple of the first cost counts as diverged (as in ``gradient_descent``).
DIVERGENCE_FACTOR = descent.DIVERGENCE_FACTOR


def stop_reason(costs, grad_norm, tol, grad_tol, max_epochs):
    """Which stopping rule fires after the last recorded epoch, or ``None``.

    Exercise 7's signature for :func:`gdcourse.descent.stop_rule`, the rule every
    loop of the course uses:

    1. ``"diverged"``: the last cost or the gradient norm is not finite, or
       the last cost exceeds ``DIVERGENCE_FACTOR`` times the first one;
    2. ``"gradient_norm"``: ``grad_tol`` is set and ``grad_norm < grad_tol``;
    3. ``"tolerance"``: ``tol`` is set, there are at least two costs and
       ``|J(t) - J(t-1)| < tol``;
    4. ``"max_epochs"``: ``len(costs) - 1 >= max_epochs`` (that many updates made).

    Parameters
    ----------
    costs : sequence of float
        ``J`` at epochs 0, 1, ..., t (epoch 0 is before the first update).
    grad_norm : float
        Euclidean norm of the gradient at epoch t.
    tol, grad_tol : float or None
    max_epochs : int
    """
    return descent.stop_rule(costs, grad_norm, max_epochs=max_epochs, tol=tol, grad_tol=grad_tol)


def normalized_salary() -> tuple[np.ndarray, np.ndarray]:
    """The salary data of seed 003, standardised (population std), shape (5,) each."""
    return data.salary(standardised=True)


def q1_sign() -> str:
    """Sign of ∂J/∂w on the standardised salary data at w = 0.2, b = 0 (question 1)."""
    x_n, y_n = normalized_salary()
    dw, _ = linear.gradients(0.2, 0.0, x_n, y_n)
    return "negative" if dw < 0 else ("positive" if dw > 0 else "zero")


def q3_max_rate() -> float:
    """Largest stable learning rate on the standardised salary data (question 3)."""
    x_n, _ = normalized_salary()
    return linear.max_stable_learning_rate(x_n)


#: Question 4's figures, as the seed states them.
Q4_BATCH_SECONDS_PER_EPOCH = 1.0
Q4_BATCH_EPOCHS = 1000
Q4_SGD_SECONDS_PER_SAMPLE = 0.001
Q4_SGD_EPOCHS = 5000
Q4_SAMPLES = 5


def q4_times() -> tuple[str, float, float]:
    """(faster method, batch wall time in s, SGD wall time in s) for question 4."""
    batch = Q4_BATCH_SECONDS_PER_EPOCH * Q4_BATCH_EPOCHS
    sgd = Q4_SGD_SECONDS_PER_SAMPLE * Q4_SAMPLES * Q4_SGD_EPOCHS
    return ("sgd" if sgd < batch else "batch"), batch, sgd


#: Question 5, part 1: what decides which minimum plain gradient descent reaches?
Q5_FACTOR_OPTIONS = {
    "a": "The depth of the global minimum: gradient descent is drawn to the lowest point.",
    "b": "The starting point: the basin of attraction it lies in.",
    "c": "The number of epochs: more epochs always end in the global minimum.",
    "d": "Nothing: it is random, even with a fixed start and learning rate.",
}
#: Question 5, part 2: how does the learning rate change that?
Q5_RATE_OPTIONS = {
    "a": "It does not: the learning rate only changes how fast the same minimum is reached.",
    "b": "A small rate stays in the starting basin; a large one can overshoot into the other "
         "basin (or diverge), so the rate can change which minimum is reached.",
    "c": "A larger rate always finds the global minimum, because it explores more.",
    "d": "A smaller rate always finds the global minimum, because it is more precise.",
}
#: The correct letters (factor, rate).
Q5_ANSWER = ("b", "b")
