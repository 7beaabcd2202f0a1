"""Part C of notebook 07, test your understanding: the five questions of seed 003.

Each question's ``reasoning`` is built from computed values when it is shown.
"""

from __future__ import annotations

import numpy as np

from .. import linear
from ..digits import fixed
from . import reference
from .cases import Case, Kind
from .compare import Mistake, Tolerance, choice, combine, number, unpack
from .part_a import GRAD_TOL, signed
from .question import Question
from .values import describe

__all__ = ["Q1", "Q2", "Q3", "Q4", "Q5"]


# -- Q1: the sign of dJ/dw after epoch 1 ------------------------------------------------------
_SIGNS = {"negative": "negative", "neg": "negative", "-": "negative", "minus": "negative",
          "positive": "positive", "pos": "positive", "+": "positive", "plus": "positive",
          "zero": "zero", "0": "zero"}


def _q1_judge(case, got):
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        got = "negative" if got < 0 else ("positive" if got > 0 else "zero")
    return combine([choice(got, {**_SIGNS, "__answer__": reference.q1_sign()},
                           "the sign of ∂J/∂w", explain={
        "positive": "At w = 0.2 the line is still flatter than the best fit, so J still falls as "
                    "w grows: the slope ∂J/∂w is still below zero.",
        "zero": "∂J/∂w is zero only at the minimum, and w = 0.2 has not reached it.",
    })])


def _q1_form(got):
    if isinstance(got, bool) or not isinstance(got, (str, int, float)):
        return f"q1_sign() should return \"positive\", \"negative\" or \"zero\", got {describe(got)}."
    if isinstance(got, str) and got.strip().lower() not in _SIGNS:
        return f"q1_sign() should return \"positive\", \"negative\" or \"zero\", got {got!r}."
    return ""


def _q1_reasoning():
    x, y = reference.normalized_salary()
    r = float(np.mean(x * y))
    dw = [linear.gradients(w, 0.0, x, y)[0] for w in (0.2, 0.2 + 0.1 * 2 * (r - 0.2))]
    return (f"On standardised data (1/n)·Σx² = 1, so at b = 0 the slope is ∂J/∂w = 2·(w − r), "
            f"where r = (1/n)·Σ x·y = {r:.3f} is the correlation and the best standardised slope. "
            f"At w = 0.2 < r it is 2·(0.2 − {r:.3f}) = {dw[0]:.3f}: negative, so a larger w still "
            f"lowers J. Each step with η = 0.1 moves w a fixed share of the way to r, "
            f"w − r ← (1 − 2η)·(w − r), so the gradient shrinks by the same factor "
            f"{1 - 2 * 0.1:.1f} every epoch ({dw[0]:.3f}, then {dw[1]:.3f}, ...).")


Q1 = Question(
    name="q1_sign", title="Q1: the sign of ∂J/∂w after epoch 1", points=3,
    signature="q1_sign() -> 'positive' | 'negative' | 'zero'",
    judge=_q1_judge, form=_q1_form, reasoning=_q1_reasoning,
)


# -- Q2: dJ/db on zero-centred data -----------------------------------------------------------
def _centred(rng, n):
    x = rng.normal(0, 1, n)
    y = 1.7 * x + rng.normal(0, 0.5, n)
    return x - x.mean(), y - y.mean()


def _q2_case(label, w, b, x, y):
    return Case(label, (w, b), {"x": x, "y": y})


def _q2_draw(sign_b):
    def draw(rng):
        x, y = _centred(rng, int(rng.integers(3, 12)))
        b = sign_b * float(rng.uniform(0.1, 2.0))
        w = signed(rng, 0.1, 2.0)
        return _q2_case(f"centred data ({x.size} points), w = {w:.3g}, b = {b:.3g}", w, b, x, y)
    return draw


_XS, _YS = reference.normalized_salary()

Q2_KINDS = (
    Kind("b = 0", (_q2_case("standardised salary data, w = 0.2, b = 0", 0.2, 0.0, _XS, _YS),),
         _q2_draw(0.0)),
    Kind("b > 0", (_q2_case("standardised salary data, w = 0.2, b = 0.5", 0.2, 0.5, _XS, _YS),),
         _q2_draw(1.0)),
    Kind("b < 0", (_q2_case("standardised salary data, w = -1, b = -0.3", -1.0, -0.3, _XS, _YS),),
         _q2_draw(-1.0)),
)


def _q2_judge(case, got):
    w, b = case.args
    want = linear.gradients(w, b, case.extra["x"], case.extra["y"])[1]
    return combine([number(got, want, "∂J/∂b", tol=GRAD_TOL, mistakes=[
        Mistake("the seed claims ∂J/∂b = 0 for any w and b, but on centred data "
                "(2/n) Σ (w·xᵢ + b − yᵢ) leaves one term that does not cancel: check it with "
                "b ≠ 0.", 0.0),
        Mistake("close: the factor 2 of (2/n) Σ (ŷᵢ − yᵢ) is missing.", want / 2),
    ])])


def _q2_reasoning():
    return ("(2/n)·Σ (w·xᵢ + b − yᵢ) = (2/n)·(w·Σxᵢ + n·b − Σyᵢ) = 2b when Σxᵢ = Σyᵢ = 0. So "
            "the seed's claim is wrong as stated: ∂J/∂b is zero for every w, but only at b = 0. "
            "It stays 0 in the trace table because b starts at 0 and each update "
            "b ← b − η·2b = (1 − 2η)·b leaves 0 where it is.")


Q2 = Question(
    name="q2_db", title="Q2: ∂J/∂b on zero-centred data", points=4,
    signature="q2_db(w, b) -> float", judge=_q2_judge, kinds=Q2_KINDS,
    reasoning=_q2_reasoning,
    forbidden=("gdcourse.linear.gradients", "gdcourse.linear.cost", "gdcourse.linear.train"),
)


# -- Q3: the stability limit on the salary data ------------------------------------------------
#: Step of the slider task (gdcourse.widgets.quiz.rate_task) that precedes the question.
SLIDER_STEP = 0.01


def _q3_judge(case, got):
    limit = reference.q3_max_rate()
    slider = round(np.floor(limit / SLIDER_STEP - 1e-9) * SLIDER_STEP, 10)
    return combine([number(got, limit, "the stability limit", tol=Tolerance(1e-3, 1e-9),
                           mistakes=[
        Mistake("that is twice the limit: the update is stable while |1 − η·(2/n)·Σxᵢ²| < 1.",
                2 * limit),
        Mistake("that is half the limit: η·(2/n)·Σxᵢ² may go up to 2.", limit / 2),
        Mistake(f"{slider:.2f} is the largest rate on the slider (steps of {SLIDER_STEP:g}) that "
                "converges. The question asks for the limit η* itself: every η below it "
                "converges, and η* is the smallest rate that does not.", slider),
    ])])


def _q3_form(got):
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return f"q3_max_rate() should return a number, got {describe(got)}."
    return ""


def _q3_reasoning():
    x, y = reference.normalized_salary()
    c = 2.0 / x.size * float(np.sum(x * x))
    limit = reference.q3_max_rate()
    at = linear.train(x, y, limit, max_epochs=6)
    ws = ", ".join(fixed(p["w"], 2) for p in at.params[:5])
    return (f"|1 − η·c| < 1 means 0 < η < 2/c, and the standardised years have c = (2/n)·Σxᵢ² = "
            f"{c:.3g}, so η* = 2/c = {limit:.3g} (with b trained too, the Hessian is 2·I and "
            f"2/λ_max gives the same limit). At η = η* itself the error is multiplied by "
            f"1 − η*·c = {1 - limit * c:.3g} each epoch: w jumps between two values ({ws}, ...) "
            f"and J stays at {at.costs[-1]:.3g} for ever. It neither converges nor diverges; "
            "the seed's \"diverges\" needs η > η*. Notebook 05, section 3, shows these runs.")


Q3 = Question(
    name="q3_max_rate", title="Q3: the stability limit of the learning rate (salary data)",
    points=3, signature="q3_max_rate() -> float", judge=_q3_judge, form=_q3_form,
    reasoning=_q3_reasoning,
    forbidden=("gdcourse.linear.max_stable_learning_rate", "gdcourse.linear.hessian"),
)


# -- Q4: batch or SGD by the clock -------------------------------------------------------------
_METHODS = {"sgd": "sgd", "stochastic": "sgd", "batch": "batch", "full-batch": "batch"}


def _q4_judge(case, got):
    faster, batch, sgd = reference.q4_times()
    g_choice, g_batch, g_sgd = unpack(got, 3, "(faster, batch_seconds, sgd_seconds)", "q4_answer")
    return combine([
        choice(g_choice, {**_METHODS, "__answer__": faster}, "the faster method"),
        number(g_batch, batch, "batch wall time (s)", tol=Tolerance(1e-6, 1e-9)),
        number(g_sgd, sgd, "SGD wall time (s)", tol=Tolerance(1e-6, 1e-9), mistakes=[
            Mistake("each SGD epoch makes one update per sample: 5 samples per epoch.", sgd / 5),
            Mistake("check the units: 0.001 s per sample.", sgd * 1000)]),
    ])


def _q4_form(got):
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return ("q4_answer() should return a tuple (faster, batch_seconds, sgd_seconds), got "
                f"{describe(got)}.")
    if not isinstance(got[0], str) or got[0].strip().lower() not in _METHODS:
        return "the first item should be \"batch\" or \"sgd\"."
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in got[1:]):
        return "the second and third items should be numbers of seconds."
    return ""


def _q4_reasoning():
    faster, batch, sgd = reference.q4_times()
    per_batch = reference.Q4_BATCH_SECONDS_PER_EPOCH / reference.Q4_SAMPLES
    per_sgd = reference.Q4_SGD_SECONDS_PER_SAMPLE
    return (f"Batch: {reference.Q4_BATCH_SECONDS_PER_EPOCH:g} s × "
            f"{reference.Q4_BATCH_EPOCHS} epochs = {batch:g} s. SGD: {per_sgd:g} s × "
            f"{reference.Q4_SAMPLES} samples × {reference.Q4_SGD_EPOCHS} epochs = {sgd:g} s, so "
            f"{faster} is faster by a factor {batch / sgd:g}. The hidden assumption is the cost per "
            f"sample: a batch epoch touches the same {reference.Q4_SAMPLES} samples as an SGD "
            f"epoch, yet the figures charge {per_batch:g} s per sample in the batch run and "
            f"{per_sgd:g} s in SGD, {per_batch / per_sgd:g} times as much. With vectorized code a "
            "batch epoch over 5 samples costs about one SGD update, and the comparison flips. It "
            "also assumes both runs end equally close to the minimum, while SGD's noisy steps "
            "hover around it.")


Q4 = Question(
    name="q4_answer", title="Q4: batch vs SGD wall-clock time", points=3,
    signature="q4_answer() -> (faster, batch_seconds, sgd_seconds)", judge=_q4_judge,
    form=_q4_form, reasoning=_q4_reasoning,
)


# -- Q5: basins of attraction -----------------------------------------------------------------
def _q5_judge(case, got):
    factor, rate = unpack(got, 2, "(factor, rate)", "q5_answer")
    a_factor, a_rate = reference.Q5_ANSWER
    return combine([
        choice(factor, {k: k for k in reference.Q5_FACTOR_OPTIONS} | {"__answer__": a_factor},
               "what decides the minimum", explain={
            "a": "Gradient descent only sees the local slope; it cannot know where the deepest "
                 "minimum is.",
            "c": "More epochs only settle it deeper into the basin it is already in.",
            "d": "Plain (batch) gradient descent is deterministic."}),
        choice(rate, {k: k for k in reference.Q5_RATE_OPTIONS} | {"__answer__": a_rate},
               "the learning rate's effect", explain={
            "a": "A large step can jump over the ridge between basins.",
            "c": "A large rate can just as well jump into the worse basin, or diverge.",
            "d": "A small rate follows the slope down into whichever basin it starts in."}),
    ])


def _q5_form(got):
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not all(
            isinstance(v, str) and v.strip() and v.strip().lower() in "abcd" for v in got):
        return f"q5_answer() should return two letters, e.g. (\"a\", \"d\"), got {describe(got)}."
    return ""


def _q5_reasoning():
    return ("Gradient descent only follows the local slope, so with a small enough rate it "
            "slides to the bottom of the basin it starts in: the starting point decides. A large "
            "rate can step over the hill between the basins, into either one, or diverge; so a "
            "large rate finding the global minimum is luck, not a rule.")


Q5 = Question(
    name="q5_answer", title="Q5: basins of attraction", points=3,
    signature="q5_answer() -> (letter, letter)", judge=_q5_judge, form=_q5_form,
    reasoning=_q5_reasoning,
)
