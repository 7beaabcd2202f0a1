"""Practice task of notebook 06 (convergence). Not graded.

``gradient_stop_epoch``: the epoch at which the gradient-norm rule fires on the salary
problem, predicted from the factor ρ = 1 − 2η instead of run.
"""

from __future__ import annotations

from . import hints
from .cases import Case, Kind
from .compare import Mistake, combine, fail, number
from .exercise import Exercise
from .values import describe

__all__ = ["GRADIENT_STOP_EPOCH", "gradient_stop_epoch"]


def gradient_stop_epoch(g: float, eta: float) -> int:
    """First t ≥ 0 with 2·|1 − 2η|^t < g: the reference (from w = b = 0 on the salary data)."""
    rho = abs(1 - 2 * eta)
    t = 0
    while not 2 * rho ** t < g:
        t += 1
    return t


def _case(label, g, eta):
    return Case(label, (float(g), float(eta)))


STOP_KINDS = (
    Kind("the notebook's η = 0.1", (_case("g = 1e-3, η = 0.1", 1e-3, 0.1),
                                   _case("g = 1e-8, η = 0.1", 1e-8, 0.1)),
         lambda rng: _case("η = 0.1", 10.0 ** -rng.uniform(2.3, 11.7), 0.1)),
    Kind("another rate below 0.5", (_case("g = 1e-4, η = 0.3", 1e-4, 0.3),),
         lambda rng: _case("another rate", 10.0 ** -rng.uniform(2.3, 9.7), rng.uniform(0.05, 0.45))),
    Kind("a threshold the start already meets", (_case("g = 3, η = 0.1", 3.0, 0.1),),
         lambda rng: _case("g above 2", rng.uniform(2.5, 10.0), 0.1)),
)


def _stop_judge(case, got):
    g, eta = case.args
    if isinstance(got, bool) or not isinstance(got, (int, float)) or (
            isinstance(got, float) and not float(got).is_integer()):
        return fail(f"gradient_stop_epoch should return a whole number of epochs, got "
                    f"{describe(got)}.")
    want = gradient_stop_epoch(g, eta)
    rho = abs(1 - 2 * eta)
    t_sq = 0
    while not 2 * rho ** (2 * t_sq) < g:
        t_sq += 1
    return combine([number(got, want, "the stopping epoch", mistakes=[
        Mistake(hints.STOP_ONE_EARLY, want - 1),
        Mistake(hints.STOP_RHO_SQUARED, t_sq),
    ])])


GRADIENT_STOP_EPOCH = Exercise(
    name="gradient_stop_epoch", title="Predict when the gradient rule fires", points=0,
    signature="gradient_stop_epoch(g, eta) -> int",
    kinds=STOP_KINDS, judge=_stop_judge, graded=False,
)
