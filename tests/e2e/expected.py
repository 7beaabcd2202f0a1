"""What the widgets must show, computed here from the course's data and math.

These numbers are worked out in the test process, independently of the
widget code they check: the salary data comes from ``gdcourse.data`` and the
math (normalisation with the population std, the MSE Hessian, the update
rule) is written out with NumPy.
"""

from __future__ import annotations

import numpy as np

from gdcourse import data

__all__ = ["salary_normalised", "mse_hessian", "largest_converging_rate",
           "contraction_factor"]


def salary_normalised() -> tuple[np.ndarray, np.ndarray]:
    """Years and salary of the seed-003 example, each standardised (population std)."""
    years, salary = data.salary()
    years, salary = np.asarray(years, float), np.asarray(salary, float)
    return (years - years.mean()) / years.std(), (salary - salary.mean()) / salary.std()


def mse_hessian(x) -> np.ndarray:
    """Hessian of J(w, b) = (1/n) Σ (w x + b − y)²: (2/n) [[Σx², Σx], [Σx, n]]."""
    x = np.asarray(x, float)
    n = x.size
    return (2.0 / n) * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), n]])


def contraction_factor(rate: float, x) -> float:
    """max |1 − η λ| over the Hessian's eigenvalues: how much one step scales the error."""
    lams = np.linalg.eigvalsh(mse_hessian(x))
    return float(np.max(np.abs(1.0 - rate * lams)))


def largest_converging_rate(x, step: float) -> float:
    """The largest multiple of ``step`` whose contraction factor is below 1."""
    k = 1
    while contraction_factor((k + 1) * step, x) < 1.0 - 1e-12:
        k += 1
    return round(k * step, 10)
