"""Self-check questions with immediate feedback (not graded).

- :class:`MultipleChoice`: radio buttons; choosing an option shows at once
  whether it is right and why.
- :class:`NumberQuestion`: type a number and press Enter; it is right within
  a stated tolerance, and a wrong answer says whether it is too high or too low.
- :func:`rate_task`: a learning-rate slider (an
  :class:`~gdcourse.widgets.Explorer`) with the task "find the largest rate
  that still converges"; the readout says at once whether the run converges,
  oscillates or diverges, and when the task is solved. It also names the limit
  itself, the answer of question 3, which is not a converging rate.

Every widget can be driven from Python (set ``.choice.value``,
``.entry.value`` or ``.controls["learning_rate"].value``) and read back
(``.feedback.value``, ``.readout.value``, ``.correct``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import ipywidgets as W
import matplotlib as mpl
import numpy as np

from .. import data, linear
from .._validate import as_float, check_text, positive_float, positive_int
from ..exercises.part_c import SLIDER_STEP
from ..style import COLORS, badge
from ._base import Explorer  # noqa: F401  (Explorer: what rate_task returns)
from ._blit import BlitExplorer

__all__ = ["MultipleChoice", "NumberQuestion", "rate_task"]

_GOOD, _BAD, _INFO = "green", "vermillion", "blue"          # palette names of the feedback
_RUN = COLORS["blue"]                   # the colour draw_rate_runs gives a single run


def _say(color: str, icon: str, text: str) -> str:
    return f"{badge(icon, color)} {html.escape(text)}"


class MultipleChoice(W.VBox):
    """A question with one right option among several.

    Parameters
    ----------
    question : str
    options : dict of str -> str
        Key -> option text, in display order.
    answer : str
        The key of the right option.
    explanations : dict of str -> str, optional
        Shown when that option is chosen (for the right one: why it is right).
    """

    def __init__(self, question: str, options: dict, answer: str, explanations=None):
        question = check_text(question, "question")
        if not isinstance(options, Mapping) or not options:
            raise TypeError(f"options must be a non-empty dict of key -> option text, got "
                            f"{options!r:.80}.")
        for key, text in options.items():
            check_text(key, "options' keys")
            check_text(text, f"options[{key!r}]")
        if answer not in options:
            raise ValueError(f"answer must be one of the option keys {list(options)}, "
                             f"got {answer!r}.")
        explanations = {} if explanations is None else explanations
        if not isinstance(explanations, Mapping):
            raise TypeError(f"explanations must be a dict of option key -> text or None, got "
                            f"{explanations!r:.80}.")
        for key, text in explanations.items():
            if key not in options:
                raise ValueError(f"explanations must be keyed by option keys {list(options)}, "
                                 f"got the key {key!r}.")
            check_text(text, f"explanations[{key!r}]")
        self.options = dict(options)
        self.answer = answer
        self.explanations = dict(explanations)
        self.choice = W.RadioButtons(options=[(text, key) for key, text in options.items()],
                                     value=None, layout=W.Layout(width="max-content"))
        self.feedback = W.HTML(_say(_INFO, "?", "Choose an option."))
        self.choice.observe(self._on_change, names="value")
        super().__init__([W.HTML(f"<b>{html.escape(question)}</b>"), self.choice, self.feedback])

    @property
    def correct(self) -> bool:
        return self.choice.value == self.answer

    def _on_change(self, change) -> None:
        key = change["new"]
        why = self.explanations.get(key, "")
        if key is None:
            self.feedback.value = _say(_INFO, "?", "Choose an option.")
        elif key == self.answer:
            self.feedback.value = _say(_GOOD, "✓", f"Right. {why}".strip())
        else:
            self.feedback.value = _say(_BAD, "✗", f"Not this one. {why}".strip())


class NumberQuestion(W.VBox):
    """A question whose answer is a number, right within ``±tolerance``.

    Parameters
    ----------
    question : str
    answer : float
    tolerance : float
        Absolute tolerance, > 0 (stated in the feedback).
    unit : str
        Shown after numbers in the feedback.
    explanation : str
        Shown with a right answer.
    """

    def __init__(self, question: str, answer: float, tolerance: float, *, unit: str = "",
                 explanation: str = ""):
        question = check_text(question, "question")
        self.answer = as_float(answer, "answer")
        self.tolerance = positive_float(tolerance, "tolerance")
        self.unit = f" {unit}" if check_text(unit, "unit") else ""
        self.explanation = check_text(explanation, "explanation")
        self.value = None
        self.entry = W.Text(placeholder="a number, then Enter", continuous_update=False,
                            layout=W.Layout(width="14em"))
        self.feedback = W.HTML(_say(_INFO, "?", "Type a number and press Enter."))
        self.entry.observe(self._on_change, names="value")
        super().__init__([W.HTML(f"<b>{html.escape(question)}</b>"), self.entry, self.feedback])

    @property
    def correct(self) -> bool:
        return self.value is not None and abs(self.value - self.answer) <= self.tolerance

    def _on_change(self, change) -> None:
        text = str(change["new"]).strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            self.value = None
            self.feedback.value = _say(_BAD, "✗", f"{change['new']!r} is not a number.")
            return
        if not math.isfinite(value):
            self.value = None
            self.feedback.value = _say(_BAD, "✗", "Give a finite number.")
            return
        self.value = value
        if self.correct:
            self.feedback.value = _say(_GOOD, "✓", f"Right (within ±{self.tolerance:g}"
                                       f"{self.unit}). {self.explanation}".strip())
        else:
            side = "high" if value > self.answer else "low"
            self.feedback.value = _say(_BAD, "✗", f"Not quite: {value:g}{self.unit} is too {side} "
                                       f"(answers within ±{self.tolerance:g}{self.unit} count).")


#: Step of the learning-rate slider: ``exercises.part_c.SLIDER_STEP``, which question 3's
#: check knows too (a name here for the tests that drive the slider; not exported).
RATE_STEP = SLIDER_STEP


def rate_task(epochs: int = 40) -> BlitExplorer:
    """Slider task: find the largest learning rate that still converges (salary data).

    The run starts at w = b = 0 on the standardised salary data. A rate
    converges when every error component shrinks each epoch, that is when
    ``|1 − η·λ| < 1`` for each eigenvalue λ of the cost's Hessian.

    Parameters
    ----------
    epochs : int, default 40
        Updates per run (1 to 1000).
    """
    from ..plots._rates import draw_rate_runs

    epochs = positive_int(epochs, "epochs")
    if epochs > 1000:
        raise ValueError(f"epochs must be between 1 and 1000 for this task, got {epochs}.")
    x, y = data.salary(standardised=True)
    lams = linear.hessian_eigenvalues(x)
    start_cost = linear.cost(0.0, 0.0, x, y)

    def factor(rate):
        return float(np.max(np.abs(1.0 - rate * lams)))

    def scene(fig, key):
        ax = fig.subplots(gridspec_kw=dict(left=0.14, right=0.97, bottom=0.13, top=0.9))
        draw_rate_runs(ax, {}, start_cost=start_cost, markers=False, legend=False)
        ax.set_xlim(-0.02 * epochs, 1.02 * epochs)
        return ax

    def update(fig, ax, values):
        rate = float(values["learning_rate"])
        costs = np.array(linear.train(x, y, rate, max_epochs=epochs).costs)
        ax.plot(np.arange(costs.size), np.where(costs > 0, costs, 1e-300), "-", lw=1.6,
                color=_RUN)
        fig.text(0.5, 0.98, f"Salary data, η = {rate:.2f}: cost per epoch (dashed: starting "
                 "cost)", ha="center", va="top", fontsize=mpl.rcParams["axes.titlesize"])
        rho = factor(rate)
        nxt = factor(round(rate + RATE_STEP, 10))
        if rho < 1 - 1e-12:
            verdict = _say(_GOOD, "✓", f"η = {rate:.2f} converges: each epoch multiplies the "
                           f"error by {rho:.3f} or less.")
            if nxt >= 1 - 1e-12:
                task = _say(_GOOD, "✓", f"Task solved: {rate:.2f} is the largest rate on this "
                            f"slider that converges. The limit itself, η* = 2/λ_max = "
                            f"{2 / lams[-1]:.3g}, is what question 3 asks for: every rate below "
                            "η* converges, and η* itself oscillates for ever.")
            else:
                task = _say(_INFO, "→", "A larger rate may still converge: keep going.")
        elif rho <= 1 + 1e-12:
            verdict = _say(_BAD, "✗", f"η = {rate:.2f} does not converge: the error flips sign "
                           "each epoch and keeps its size (it oscillates for ever).")
            task = _say(_INFO, "←", "Go a little lower.")
        else:
            verdict = _say(_BAD, "✗", f"η = {rate:.2f} diverges: each epoch multiplies the error "
                           f"by up to {rho:.3f}.")
            task = _say(_INFO, "←", "Go lower.")
        return f"{verdict}<br>{task}"

    slider = W.FloatSlider(value=0.3, min=0.05, max=1.2, step=RATE_STEP, description="η",
                           readout_format=".2f", continuous_update=False)
    return BlitExplorer({"learning_rate": slider}, scene, update, figsize=(6.6, 3.4),
                        title="Find the largest learning rate that still converges")
