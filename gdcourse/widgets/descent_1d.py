"""Step through 1-D gradient descent: choose the start and α, move the iteration slider.

The explorer of notebook 00. Its static companion is
:func:`gdcourse.plots.descent_1d_snapshots`, which draws the same view at a
few iterations side by side.

The figure is redrawn by blitting (:class:`~gdcourse.widgets._blit.BlitExplorer`): the curve, axes
and labels are drawn once per curve, and each change only draws the few artists
that move, which keeps a redraw within the course's 60 ms budget.

The path is computed with the course's own loop,
:func:`gdcourse.descent.gradient_descent` (``w := w - alpha * dJ/dw``), once
per (curve, start, α) and cached, so moving the iteration slider only redraws.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as W
import numpy as np

from .. import data, linear, logistic, synthetic
from .._validate import (as_float, check_callable, check_range, check_text, positive_float,
                         positive_int)
from ..descent import gradient_descent
from ..plots._descent_1d import descent_1d_scene, descent_1d_step
from ..plots._shared import eval_curve, signed
from ..style import COLORS
from ._blit import BlitExplorer

__all__ = ["descent_1d_explorer"]

#: ``(J, dJ)`` or ``(J, dJ, xlabel, ylabel)``.
Curve = tuple


def _default_curves() -> dict[str, Curve]:
    """The two curves of notebook 00: a convex logistic cost and a wavy non-convex one.

    ``"logistic cost (convex)"`` is ``J(w) = J(w, b*)`` on the standardised
    "mean texture" feature of the breast-cancer data, with ``b`` held at its
    best value ``b*`` (:func:`gdcourse.logistic.minimum`); ``J`` and ``dJ/dw``
    are :func:`gdcourse.logistic.propagate`'s. ``"wavy (non-convex)"`` is
    ``J(w) = 1 + w²/10 + 0.8 sin(2w)``, notebook 00's example curve
    (:func:`gdcourse.synthetic.wavy`).
    """
    X, Y, _ = data.breast_cancer(("mean texture",))
    x = linear.Standardizer.fit(X[0]).transform(X[0]).reshape(1, -1)
    _, b_star = logistic.minimum(x, Y)

    def J_logistic(w):
        return logistic.propagate(np.array([[w]]), b_star, x, Y)[1]

    def dJ_logistic(w):
        return float(logistic.propagate(np.array([[w]]), b_star, x, Y)[0]["dw"][0, 0])

    return {"logistic cost (convex)": (J_logistic, dJ_logistic,
                                       "w (log-odds per std of mean texture)", "J(w) (nats)"),
            "wavy (non-convex)": (synthetic.wavy, synthetic.wavy_grad, "w (arbitrary units)",
                                  "J(w) (arbitrary units)")}


def _descent_path(J, dJ, w0, alpha, steps: int):
    """Successive ``w``, ``J(w)`` and ``dJ/dw`` of ``steps`` updates ``w := w - alpha*dJ/dw``.

    Uses :func:`gdcourse.descent.gradient_descent`, so a run whose cost
    explodes stops early (``stop_reason == "diverged"``).

    Returns
    -------
    w, J_w, slope : ndarray, shape (k,)
        ``k <= steps + 1``; index 0 is the start.
    stop_reason : str
    """
    check_callable(J, "J")
    check_callable(dJ, "dJ")
    w0, alpha = as_float(w0, "w0"), positive_float(alpha, "alpha")
    steps = positive_int(steps, "steps")

    def grad_fn(p):
        w = float(p["w"])
        return float(J(w)), {"w": float(dJ(w))}

    h = gradient_descent(grad_fn, {"w": w0}, alpha, max_epochs=steps)
    return h.param("w"), np.array(h.costs), h.grad("w"), h.stop_reason


def descent_1d_explorer(curves: Mapping[str, Curve] | None = None, *, w_range=(-5.0, 5.0),
                        w0: float = -2.0, alpha: float = 2.0, max_steps: int = 30,
                        curve: str | None = None,
                        xlabel: str = "w (log-odds per std of the feature)",
                        ylabel: str = "J(w) (nats)") -> BlitExplorer:
    """Explorer: a 1-D cost curve, the start ``w0``, the learning rate α and the iteration.

    Parameters
    ----------
    curves : dict of str to (J, dJ) or (J, dJ, xlabel, ylabel), optional
        The curves to choose from (a dropdown when there are several);
        default: notebook 00's two curves (``_default_curves``). Labels given with a curve override
        ``xlabel`` and ``ylabel``.
    w_range : (float, float)
        Plotted range of ``w``; also the range of the start slider.
    w0, alpha : float
        Initial start and learning rate (α between 0.01 and 30).
    max_steps : int
        Largest iteration shown.
    curve : str, optional
        The curve selected first (default: the first one).
    xlabel, ylabel : str
        Axis labels, with units, for curves given without their own.

    Controls: ``curve`` (if several), ``w0``, ``alpha``, ``step``. The readout
    shows ``w_k``, ``J(w_k)``, ``dJ/dw``, the step and ``w_{k+1}``.
    """
    curves = _default_curves() if curves is None else curves
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a non-empty dict: name -> (J, dJ).")
    labels = {}
    for name, entry in curves.items():
        if not isinstance(entry, tuple) or len(entry) not in (2, 4):
            raise TypeError(f"curves[{name!r}] must be a tuple (J, dJ) or (J, dJ, xlabel, "
                            f"ylabel), got {entry!r:.80}.")
        check_callable(entry[0], f"curves[{name!r}][0] (J)")
        check_callable(entry[1], f"curves[{name!r}][1] (dJ)")
        labels[name] = (entry[2], entry[3]) if len(entry) == 4 else (xlabel, ylabel)
    lo, hi = check_range(w_range, "w_range")
    w0 = as_float(w0, "w0")
    if not lo <= w0 <= hi:
        raise ValueError(f"w0 must lie in w_range {lo, hi}, got {w0}.")
    alpha = positive_float(alpha, "alpha")
    if not 0.01 <= alpha <= 30:
        raise ValueError(f"alpha must be between 0.01 and 30 for this explorer, got {alpha}.")
    max_steps = positive_int(max_steps, "max_steps")
    xlabel, ylabel = check_text(xlabel, "xlabel"), check_text(ylabel, "ylabel")
    names = list(curves)
    curve = names[0] if check_text(curve, "curve", optional=True) is None else curve
    if curve not in curves:
        raise ValueError(f"curve must be one of {names}, got {curve!r}.")

    grid = np.linspace(lo, hi, 300)
    J_grids = {name: eval_curve(entry[0], grid, f"curves[{name!r}] J")
               for name, entry in curves.items()}
    cache: dict = {}

    def path_for(name, start, a):
        key = (name, start, a)
        if key not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[key] = _descent_path(*curves[name][:2], start, a, max_steps)
        return cache[key]

    controls = {}
    if len(names) > 1:
        controls["curve"] = W.Dropdown(options=names, value=curve, description="curve")
    controls["w0"] = W.FloatSlider(value=w0, min=lo, max=hi, step=0.1, description="start w₀",
                                   continuous_update=False, readout_format=".1f")
    controls["alpha"] = W.FloatLogSlider(value=alpha, base=10, min=-2, max=np.log10(30),
                                         step=0.05, description="α", continuous_update=False,
                                         readout_format=".3g")
    controls["step"] = W.IntSlider(value=0, min=0, max=max_steps, description="iteration k",
                                   continuous_update=True)

    def scene(fig, name):
        ax, ax_t = fig.subplots(1, 2, gridspec_kw=dict(
            width_ratios=[1.6, 1.0], left=0.075, right=0.985, bottom=0.13, top=0.91, wspace=0.22))
        x_label, y_label = labels[name]
        line = descent_1d_scene(ax, grid, J_grids[name], xlabel=x_label, ylabel=y_label,
                                title=f"{name}: J(w) and the current step")
        y_lo, y_hi = float(J_grids[name].min()), float(J_grids[name].max())
        ax_t.set_xlim(-0.5, max_steps + 0.5)
        ax_t.set_ylim(y_lo - 0.05 * (y_hi - y_lo), y_hi)
        ax_t.set_xlabel("iteration k (count)")
        ax_t.set_ylabel(y_label.replace("J(w)", "J(w_k)"))
        ax_t.set_title("cost so far")
        return ax, ax_t, line

    def update(fig, state, v):
        ax, ax_t, line = state
        name = v.get("curve", curve)
        a = float(v["alpha"])
        ws, Js, slopes, reason = path_for(name, float(v["w0"]), a)
        k = min(int(v["step"]), len(ws) - 1)
        descent_1d_step(ax, line, ws, Js, k, float(slopes[k]), a)
        shown = np.clip(Js[: k + 1], *ax_t.get_ylim())
        (cost,) = ax_t.plot(np.arange(k + 1), shown, "-o", ms=3.5, color=COLORS["blue"],
                            label=f"J(w_k), k = 0 … {k}")
        ax_t.legend(handles=[cost], loc="upper right", fontsize=9)
        w, s = float(ws[k]), float(slopes[k])
        rows = [("iteration k", f"{k}"), ("w_k", signed(w, 4)), ("J(w_k)", f"{Js[k]:.4f}"),
                ("dJ/dw at w_k", signed(s, 4)), ("step −α·dJ/dw", signed(-a * s, 4)),
                ("w_{k+1} = w_k − α·dJ/dw", signed(w - a * s, 4))]
        note = ""
        if k + 1 < len(ws) and Js[k + 1] > Js[k]:
            note = "The cost goes UP at this step: the step overshoots (α too large here)."
        elif abs(a * s) < 1e-4:
            note = "The step is tiny: w has (almost) stopped moving, a minimum is close."
        if reason == "diverged" and k == len(ws) - 1:
            note = "The run diverged (the cost exploded); the path stops here."
        if int(v["step"]) > k:
            note += f" (The run stopped after {len(ws) - 1} steps.)"
        table = "".join(f"<tr><td>{h}</td><td style='text-align:right'><code>{t}</code></td></tr>"
                        for h, t in rows)
        return f"<table>{table}</table><p>{note.strip()}</p>"

    return BlitExplorer(controls, scene, update, scene_key=lambda v: v.get("curve", curve),
                        figsize=(10.0, 4.0),
                        title="Gradient descent in one dimension: w := w − α·dJ/dw")
