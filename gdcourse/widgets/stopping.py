"""Stopping-rule explorer (notebook 06): pick a rule and its threshold, see where training stops.

Left: the quantity the rule watches (``|ΔJ|``, ``‖∇J‖`` or, for max epochs,
the cost) with the threshold; right: the distance to the least-squares
minimum, the quantity we actually care about, with the stop marked. The runs
are computed once per learning rate; a redraw only looks up where the rule
fires (:func:`gdcourse.plots.stop_epoch`, the same tests as
:func:`gdcourse.descent.gradient_descent`). The static twin is
:func:`gdcourse.plots.stopping_rules`.
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np

from .. import data, linear
from .._validate import as_vector, positive_float
from ..descent import stop_epoch
from ..plots._stopping import STOP_RULES, stopping_axes, stopping_update
from ._blit import BlitExplorer

__all__ = ["stopping_explorer"]

_MAX_EPOCH_CHOICES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
_RATES = (0.01, 0.1, 0.4, 0.9)


def stopping_explorer(x=None, y=None, *, learning_rates=_RATES) -> BlitExplorer:
    """An explorer (:class:`~gdcourse.widgets.Explorer`) with controls ``rule``, ``log10_threshold``, ``max_epochs``, ``learning_rate``.

    ``log10_threshold`` sets ε (tolerance rule) or g (gradient-norm rule) as a
    power of ten; ``max_epochs`` is used by the max-epochs rule. Every run
    starts at w = b = 0 on ``x``, ``y`` (default: the standardised salary data).
    """
    if x is None and y is None:
        x, y = data.salary(standardised=True)
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    w_star, b_star = linear.closed_form(x, y)       # also rejects a constant x
    if isinstance(learning_rates, (str, bytes)) or not hasattr(learning_rates, "__iter__"):
        raise TypeError(f"learning_rates must be a sequence of numbers, got {learning_rates!r}.")
    rates = [positive_float(r, "learning_rates") for r in learning_rates]
    if not rates:
        raise ValueError("learning_rates must hold at least one rate, got an empty sequence.")
    lam_min, lam_max = (float(v) for v in linear.hessian_eigenvalues(x)[[0, -1]])
    for eta in rates:
        if not eta < 2 / lam_max:
            raise ValueError(f"learning_rates must lie in (0, 2/λ_max) = (0, {2 / lam_max:.4g}) "
                             f"so that every run converges, got {eta!r}.")
    runs = {}
    for eta in rates:
        # Long enough for the distance to the minimum to reach the rounding floor; a longer
        # max-epochs choice extends the run when it is first asked for.
        q = max(abs(1 - eta * lam_max), abs(1 - eta * lam_min))
        horizon = 60 if q < 1e-3 else math.ceil(math.log(1e-17) / math.log(q)) + 5
        runs[eta] = linear.train(x, y, eta, max_epochs=min(max(horizon, 60), 30_000))

    controls = {
        "rule": W.ToggleButtons(options=[(STOP_RULES[r][0], r) for r in STOP_RULES],
                                value="tolerance", description="rule",
                                # wide enough for each rule's full name (the default cuts it)
                                style={"button_width": "auto"}),
        "log10_threshold": W.FloatSlider(value=-6.0, min=-12.0, max=0.0, step=0.5,
                                         description="log₁₀ ε or g", continuous_update=False,
                                         readout_format=".1f"),
        "max_epochs": W.SelectionSlider(options=list(_MAX_EPOCH_CHOICES), value=50,
                                        description="max epochs", continuous_update=False),
        "learning_rate": W.Dropdown(options=rates, value=0.1 if 0.1 in rates else rates[0],
                                    description="η"),
    }

    def scene(fig, rule):
        return stopping_axes(fig, rule, fixed_layout=True)

    def update(fig, axes, values):
        rule, eta = values["rule"], float(values["learning_rate"])
        threshold = (int(values["max_epochs"]) if rule == "max_epochs"
                     else 10.0 ** float(values["log10_threshold"]))
        if rule == "max_epochs" and threshold > runs[eta].n_updates:
            runs[eta] = linear.train(x, y, eta, max_epochs=threshold)
        h = runs[eta]
        label, color = STOP_RULES[rule]
        shown = f"{threshold:d}" if rule == "max_epochs" else f"{threshold:.1e}"
        stop = stop_epoch(h, rule, threshold)
        if stop is None:
            verdict = f"does not fire within {h.n_updates} epochs"
            detail = ""
        else:
            dist = float(np.hypot(h.params[stop]["w"] - w_star, h.params[stop]["b"] - b_star))
            verdict = f"stops at epoch {stop}"
            detail = (f" There J = {h.costs[stop]:.3e} and the distance to the minimum is "
                      f"{dist:.3e}.")

        stopping_update(axes, h, rule, threshold, w_star, b_star)
        fig.text(0.5, 0.97, f"η = {eta:g}, {label} with threshold {shown}: {verdict}",
                 ha="center", va="top", fontsize=12, color=color, fontweight="bold")
        return f"<b>{label}</b>, threshold {shown}, η = {eta:g}: {verdict}.{detail}"

    # one scene a rule, all drawn up front: switching rules costs no relayout
    return BlitExplorer(controls, scene, update, scene_key=lambda v: v["rule"],
                        scenes=STOP_RULES, figsize=(10.5, 3.4), dpi=90,
                        title="Stopping-rule explorer: where does training stop?")
