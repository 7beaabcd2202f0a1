"""Figures of notebook 06 (convergence, batch vs SGD vs mini-batch, limitations).

Also :func:`stop_epoch`, which finds where a stopping rule would end a
recorded run, with the same tests as :func:`gdcourse.descent.gradient_descent`
(used by the figures and by the stopping-rule explorer).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from .. import losses, synthetic
from .._validate import as_vector, nonnegative_int, positive_float
from ..descent import History
from ..style import COLORS
from .learning_rate import tidy_log_axis
from .salary import _figure

__all__ = [
    "STOP_RULES",
    "stop_epoch",
    "stopping_rules",
    "epochs_to_stop",
    "batch_comparison",
    "train_validation",
    "gradient_time_scaling",
    "two_minima_runs",
    "loss_shapes",
    "nonsmooth_runs",
    "stopping_axes",
    "stopping_update",
]

#: The stopping rules, by name: label shown to the learner and colour.
STOP_RULES = {
    "tolerance": ("tolerance |ΔJ| < ε", COLORS["blue"]),
    "gradient_norm": ("gradient norm ‖∇J‖ < g", COLORS["orange"]),
    "max_epochs": ("max epochs", COLORS["purple"]),
}


def _history(h, name="history"):
    if not isinstance(h, History):
        raise TypeError(f"{name} must be a History, got {type(h).__name__}.")
    return h


def stop_epoch(history: History, rule: str, threshold) -> int | None:
    """The epoch at which ``rule`` would stop this recorded run, or ``None`` if it never fires.

    Same tests as :func:`gdcourse.descent.gradient_descent`:
    ``"tolerance"``: first ``t >= 1`` with ``|J(t) − J(t−1)| < threshold``;
    ``"gradient_norm"``: first ``t`` with ``‖∇J(t)‖ < threshold``;
    ``"max_epochs"``: ``t = threshold`` (an int).
    """
    _history(history)
    if rule not in STOP_RULES:
        raise ValueError(f"rule must be one of {sorted(STOP_RULES)}, got {rule!r}.")
    epochs = np.array(history.epochs)
    if rule == "max_epochs":
        t = nonnegative_int(threshold, "threshold")
        return t if t <= epochs[-1] else None
    threshold = positive_float(threshold, "threshold")
    if rule == "tolerance":
        dJ = np.abs(np.diff(history.costs))
        hits = np.nonzero(dJ < threshold)[0]
        return int(epochs[hits[0] + 1]) if hits.size else None
    hits = np.nonzero(history.grad_norms() < threshold)[0]
    return int(epochs[hits[0]]) if hits.size else None


def _palette(runs: dict, colors: list, name: str = "runs") -> list:
    """``colors`` for each entry of ``runs``; refuse more runs than distinct colours."""
    if len(runs) > len(colors):
        raise ValueError(f"{name} can hold at most {len(colors)} entries (one colour each), "
                         f"got {len(runs)}.")
    return colors[:len(runs)]


def _semilogy(ax, t, v, **kw):
    v = np.asarray(v, dtype=float)
    ok = np.isfinite(v) & (v > 0)
    return ax.semilogy(np.asarray(t)[ok], v[ok], **kw)


def stopping_rules(history: History, *, tol, grad_tol, max_epochs):
    """What each stopping rule watches, its threshold, and where it would stop the run.

    Three panels against epoch: the cost J (with a line where each rule stops),
    ``|ΔJ|`` with the tolerance ε, and ``‖∇J‖`` with the threshold g.
    """
    _history(history)
    t = np.array(history.epochs)
    stops = {"tolerance": stop_epoch(history, "tolerance", tol),
             "gradient_norm": stop_epoch(history, "gradient_norm", grad_tol),
             "max_epochs": stop_epoch(history, "max_epochs", max_epochs)}
    fig, axes = _figure(1, 3, figsize=(11.5, 3.8))
    _semilogy(axes[0], t, history.costs, color=COLORS["black"], lw=1.8, label="cost J")
    axes[0].set_ylabel("cost J (dimensionless, log scale)")
    axes[0].set_title("The cost, and where each rule stops")
    _semilogy(axes[1], t[1:], np.abs(np.diff(history.costs)), color=STOP_RULES["tolerance"][1],
              label="|J(t) − J(t−1)|")
    axes[1].axhline(tol, color=STOP_RULES["tolerance"][1], ls="--", lw=1.2, label=f"ε = {tol:g}")
    axes[1].set_ylabel("|ΔJ| (dimensionless, log scale)")
    axes[1].set_title("Tolerance rule watches |ΔJ|")
    _semilogy(axes[2], t, history.grad_norms(), color=STOP_RULES["gradient_norm"][1],
              label="‖∇J‖")
    axes[2].axhline(grad_tol, color=STOP_RULES["gradient_norm"][1], ls="--", lw=1.2,
                    label=f"g = {grad_tol:g}")
    axes[2].set_ylabel("‖∇J‖ (dimensionless, log scale)")
    axes[2].set_title("Gradient-norm rule watches ‖∇J‖")
    for rule, e in stops.items():
        if e is None:
            continue
        label, c = STOP_RULES[rule]
        axes[0].axvline(e, color=c, ls=":", lw=2, label=f"{label}: epoch {e}")
    for ax, rule in ((axes[1], "tolerance"), (axes[2], "gradient_norm")):
        if stops[rule] is not None:
            ax.axvline(stops[rule], color=STOP_RULES[rule][1], ls=":", lw=2,
                       label=f"stops at epoch {stops[rule]}")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.legend(loc="lower left" if ax is axes[0] else "upper right", fontsize=9)
    fig.suptitle(f"Three stopping rules on one run (learning rate {history.learning_rate:g})")
    return fig


def epochs_to_stop(tol_thresholds, tol_epochs, grad_thresholds, grad_epochs, *,
                   tol_predicted=None, grad_predicted=None):
    """Epochs until each rule fires, against its threshold (log scale), with predictions.

    Parameters
    ----------
    tol_thresholds, tol_epochs : array_like
        ε values and the measured epochs at which the tolerance rule stopped.
    grad_thresholds, grad_epochs : array_like
        g values and the measured epochs for the gradient-norm rule.
    tol_predicted, grad_predicted : array_like, optional
        Epochs predicted by a formula, drawn as a line.
    """
    fig, axes = _figure(1, 2, figsize=(10.0, 3.8), sharey=True)
    data = (("tolerance", tol_thresholds, tol_epochs, tol_predicted, "tolerance ε on |ΔJ|"),
            ("gradient_norm", grad_thresholds, grad_epochs, grad_predicted,
             "threshold g on ‖∇J‖"))
    for ax, (rule, th, ep, pred, xlabel) in zip(axes, data):
        c = STOP_RULES[rule][1]
        th = as_vector(th, "thresholds")
        ax.semilogx(th, as_vector(ep, "epochs", length=th.size), "o", color=c, ms=6,
                    label="measured (a run with this rule)")
        if pred is not None:
            ax.semilogx(th, as_vector(pred, "predicted", length=th.size), "-", color="0.3",
                        lw=1.2, label="predicted from the error factor")
        ax.invert_xaxis()
        ax.set_xlabel(f"{xlabel} (dimensionless, log scale; stricter →)")
        ax.set_title(f"{STOP_RULES[rule][0]}")
        ax.legend(loc="upper left", fontsize=9)
    axes[0].set_ylabel("epochs until the rule stops training")
    fig.suptitle("A stricter threshold costs a fixed number of extra epochs per factor of 10")
    return fig


_METHOD_COLORS = [COLORS["vermillion"], COLORS["blue"], COLORS["green"], COLORS["purple"]]


def batch_comparison(runs, j_star):
    """Excess cost ``J − J*`` of several methods against epochs, updates and wall time.

    Parameters
    ----------
    runs : dict of str -> list of MinibatchHistory
        One list per method (batch size), one history per seed.
    j_star : float
        The least-squares cost, subtracted so that every curve can go to 0.

    The first two panels show the median over seeds with a band from the
    smallest to the largest value; the wall-time panel shows every seed's run
    (their times differ).
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError("runs must be a non-empty dict of label -> list of MinibatchHistory.")
    fig, axes = _figure(1, 3, figsize=(12.5, 4.2), sharey=True)
    for (label, hs), c in zip(runs.items(), _palette(runs, _METHOD_COLORS)):
        if not hs or not all(hasattr(h, "wall_time") for h in hs):
            raise TypeError(f"runs[{label!r}] must be a non-empty list of MinibatchHistory.")
        lengths = sorted({len(h.costs) for h in hs})
        if len(lengths) > 1:
            raise ValueError(f"runs[{label!r}] must all have the same number of epochs (one seed "
                             f"stopped early: diverged?), got lengths {[len(h.costs) for h in hs]}.")
        excess = np.array([np.array(h.costs) - j_star for h in hs])
        excess = np.clip(excess, 1e-12, None)
        epochs = np.array(hs[0].epochs)
        updates = np.array(hs[0].updates)
        med, lo, hi = np.median(excess, 0), excess.min(0), excess.max(0)
        for ax, xs in ((axes[0], epochs), (axes[1], updates)):
            keep = xs > 0 if ax is axes[1] else slice(None)
            ax.plot(xs[keep], med[keep], "-", color=c, label=f"{label} (median of {len(hs)})")
            ax.fill_between(xs[keep], lo[keep], hi[keep], color=c, alpha=0.2, lw=0)
        for k, h in enumerate(hs):
            wt = np.array(h.wall_time)[1:] * 1e3
            axes[2].plot(wt, excess[k, 1:], "-", color=c, lw=1.2, alpha=0.8,
                         label=label if k == 0 else None)
    start = float(np.median([h.costs[0] - j_star for h in next(iter(runs.values()))]))
    for ax in axes[1:]:
        ax.axhline(start, color="0.5", ls=":", lw=1.2)
        ax.annotate("every run starts here (update 0)", (0.98, start), xycoords=("axes fraction", "data"),
                    xytext=(0, -12), textcoords="offset points", ha="right", fontsize=9, color="0.35")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("epoch (passes over the data)")
    axes[0].set_ylabel("excess cost J − J* (log scale)")
    axes[0].set_title("Against epochs")
    axes[1].set_xscale("log")
    axes[1].set_xlabel("parameter updates = batch gradients (log scale)")
    axes[1].set_title("Against gradient evaluations")
    axes[2].set_xscale("log")
    axes[2].set_xlabel("measured wall time (milliseconds, log scale)")
    axes[2].set_title("Against wall time (one line per seed)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=len(runs), fontsize=9)
    fig.suptitle("Batch vs mini-batch vs stochastic gradient descent (shaded: range over seeds)")
    return fig


def train_validation(epochs, train_costs, val_costs, *, best_epoch=None, stop_epoch=None):
    """Training and validation cost per epoch, with the best validation epoch marked."""
    epochs = as_vector(epochs, "epochs")
    tr = as_vector(train_costs, "train_costs", length=epochs.size)
    va = as_vector(val_costs, "val_costs", length=epochs.size)
    fig, ax = _figure(figsize=(6.8, 4.0))
    ax.semilogy(epochs, tr, "-o", ms=3, color=COLORS["blue"], label="training cost")
    ax.semilogy(epochs, va, "-s", ms=3, color=COLORS["vermillion"], label="validation cost")
    if best_epoch is not None:
        ax.axvline(best_epoch, color=COLORS["green"], ls=":", lw=2,
                   label=f"best validation cost: epoch {best_epoch}")
    if stop_epoch is not None:
        ax.axvline(stop_epoch, color="0.3", ls="--", lw=1.2,
                   label=f"early stopping ends training: epoch {stop_epoch}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost J (dimensionless, log scale)")
    ax.set_title("Watching a held-out set while training (mini-batch)")
    ax.legend(loc="upper right", fontsize=9)
    tidy_log_axis(ax)
    return fig


def gradient_time_scaling(sizes, seconds, *, fit_slope=None, target=None, target_seconds=None,
                          batch_seconds=None, batch_size=None):
    """Measured time of one full-batch gradient against n, on log-log axes.

    Optionally a fitted line ``t = c·n`` (``fit_slope`` = c), a marked target
    size, and the time of one mini-batch gradient as a horizontal line.
    """
    n = as_vector(sizes, "sizes")
    s = as_vector(seconds, "seconds", length=n.size)
    fig, ax = _figure(figsize=(6.8, 4.2))
    ax.loglog(n, s * 1e3, "o", ms=7, color=COLORS["blue"], label="measured: one full-batch gradient")
    if fit_slope is not None:
        grid = np.geomspace(n.min(), max(n.max(), target or n.max()), 50)
        ax.loglog(grid, fit_slope * grid * 1e3, "-", color="0.4", lw=1.2,
                  label="t = c·n, fitted to the two largest n")
    if target is not None and target_seconds is not None:
        ax.loglog([target], [target_seconds * 1e3], "*", ms=15, color=COLORS["vermillion"],
                  label=f"n = {target:,.0f}")
    if batch_seconds is not None:
        ax.axhline(batch_seconds * 1e3, color=COLORS["green"], ls="--",
                   label=f"one mini-batch gradient ({batch_size} samples)")
    ax.set_xlabel("n, samples in the gradient (log scale)")
    ax.set_ylabel("time (milliseconds, log scale)")
    ax.set_title("A full-batch gradient costs time in proportion to n")
    ax.legend(loc="upper left", fontsize=9)
    return fig


def two_minima_runs(runs, *, basin=None, w_range=(-2.2, 3.2)):
    """Runs of gradient descent on :func:`gdcourse.synthetic.two_minima`, and optionally a basin map.

    Parameters
    ----------
    runs : dict of str -> History
        Runs with a single parameter ``"w"``.
    basin : (starts, rates, outcome), optional
        ``outcome[i, j]`` for rate ``rates[i]`` and start ``starts[j]``:
        0 = global minimum, 1 = local minimum, 2 = diverged or not settled.
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError("runs must be a non-empty dict of label -> History.")
    ncols = 2 if basin is not None else 1
    fig, axes = _figure(1, ncols, figsize=(6.0 * ncols, 4.6), squeeze=False)
    ax = axes[0][0]
    w = np.linspace(*w_range, 400)
    ax.plot(w, synthetic.two_minima(w), color="0.45", lw=2, label="J(w)")
    for name, (wm, jm) in synthetic.TWO_MINIMA.items():
        ax.plot(wm, jm, "v" if "minimum" in name else "^", ms=9, color="0.2", zorder=6)
        ax.annotate(name, (wm, jm), xytext=(0, -16 if "minimum" in name else 8),
                    textcoords="offset points", ha="center", fontsize=9, color="0.2")
    colors = [COLORS["blue"], COLORS["vermillion"], COLORS["green"], COLORS["purple"],
              COLORS["orange"]]
    for (label, h), c in zip(runs.items(), _palette(runs, colors)):
        _history(h, f"runs[{label!r}]")
        ws = h.param("w")
        inside = (ws >= w_range[0]) & (ws <= w_range[1])
        ax.plot(ws[inside], np.array(h.costs)[inside], "o-", ms=4, lw=1, color=c, alpha=0.85,
                label=label)
        ax.plot(ws[0], h.costs[0], "o", ms=10, mfc="white", mec=c, mew=2, zorder=7)
    ax.set_ylim(-0.25, 2.6)   # room for the label under the global minimum
    ax.set_xlim(*w_range)
    ax.set_xlabel("w (dimensionless)")
    ax.set_ylabel("cost J(w) (dimensionless)")
    ax.set_title("Where you start, and how big the steps are")
    ax.legend(loc="upper center", fontsize=8.5)
    if basin is not None:
        from matplotlib.colors import ListedColormap
        starts, rates, outcome = basin
        ax2 = axes[0][1]
        cmap = ListedColormap([COLORS["green"], COLORS["orange"], "0.85"])
        ax2.pcolormesh(starts, rates, outcome, cmap=cmap, vmin=-0.5, vmax=2.5, shading="nearest")
        for name, (wm, _) in synthetic.TWO_MINIMA.items():
            ax2.axvline(wm, color="0.2", ls=":", lw=1)
        ax2.set_xlabel("start w₀ (dimensionless)")
        ax2.set_ylabel("learning rate η (dimensionless)")
        ax2.set_title("Which minimum each (start, η) ends in")
        ax2.grid(False)
        from matplotlib.patches import Patch
        ax2.legend(handles=[Patch(color=COLORS["green"], label="global min. (J = 0.1)"),
                            Patch(color=COLORS["orange"], label="local min. (J = 0.5)"),
                            Patch(color="0.85", label="diverged / not settled")],
                   loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize=8.5)
    fig.suptitle("A non-convex cost: two minima")
    return fig


def loss_shapes(delta=1.0, r_range=(-3.0, 3.0)):
    """MSE, MAE and Huber against the residual, their derivatives, and the hinge loss."""
    delta = positive_float(delta, "delta")
    r = np.linspace(*r_range, 601)
    fig, axes = _figure(1, 3, figsize=(12.0, 3.8))
    styles = (("mse", "MSE  r²", COLORS["black"], "-"),
              ("mae", "MAE  |r|", COLORS["vermillion"], "-"),
              ("huber", f"Huber, δ = {delta:g}", COLORS["blue"], "--"))
    for name, label, c, ls in styles:
        f, df = losses.REGRESSION_LOSSES[name]
        kw = {"delta": delta} if name == "huber" else {}
        axes[0].plot(r, f(r, **kw), ls, color=c, label=label)
        d = df(r, **kw)
        if name == "mae":          # draw the jump as a jump, not as a steep line
            neg, pos = r < 0, r > 0
            axes[1].plot(r[neg], d[neg], ls, color=c, label=label + ": jumps at 0")
            axes[1].plot(r[pos], d[pos], ls, color=c)
            axes[1].plot([0, 0], [-1, 1], ":", color=c, lw=1)
        else:
            axes[1].plot(r, d, ls, color=c, label=label)
    axes[0].set_ylim(-0.1, 4)
    axes[0].set_title("Loss per sample")
    axes[0].set_ylabel("loss (dimensionless)")
    axes[1].set_ylim(-3.2, 3.2)
    axes[1].set_title("Its derivative dℓ/dr")
    axes[1].set_ylabel("dℓ/dr (dimensionless)")
    z = np.linspace(-1.5, 3.0, 400)
    axes[2].plot(z, losses.hinge(z), color=COLORS["purple"], label="hinge  max(0, 1 − z)")
    axes[2].plot(1.0, 0.0, "o", ms=8, mfc="white", mec=COLORS["purple"], mew=2,
                 label="kink at z = 1")
    axes[2].set_xlabel("margin z = label × score (dimensionless)")
    axes[2].set_ylabel("loss (dimensionless)")
    axes[2].set_title("Hinge loss (classification)")
    for ax in axes[:2]:
        ax.set_xlabel("residual r = ŷ − y (dimensionless)")
    for ax in axes:
        ax.legend(loc="upper center", fontsize=9)
    fig.suptitle("Smooth and non-smooth losses")
    return fig


def nonsmooth_runs(runs, w_star):
    """Distance ``|w − w*|`` and cost per epoch for runs with different losses / step rules.

    Parameters
    ----------
    runs : dict of str -> (epochs, w, J)
        One entry per run: arrays of equal length.
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError("runs must be a non-empty dict of label -> (epochs, w, J).")
    fig, axes = _figure(1, 2, figsize=(11.0, 4.0))
    colors = [COLORS["vermillion"], COLORS["purple"], COLORS["blue"], COLORS["black"]]
    for (label, (ep, w, J)), c in zip(runs.items(), _palette(runs, colors)):
        ep = as_vector(ep, "epochs")
        _semilogy(axes[0], ep, np.abs(as_vector(w, "w", length=ep.size) - w_star), color=c,
                  lw=1.5, label=label)
        _semilogy(axes[1], ep, as_vector(J, "J", length=ep.size), color=c, lw=1.5, label=label)
    axes[0].set_ylabel("|w − w*| (normalised, log scale)")
    axes[0].set_title("Distance to the best slope")
    axes[1].set_ylabel("cost J, its own loss (log scale)")
    axes[1].set_title("Cost")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.legend(loc="lower left", fontsize=9)
    fig.suptitle("Gradient descent with a kink at the optimum (MAE) vs a smooth loss (Huber)")
    return fig


# -- the stopping-rule explorer: static layer and dynamic layer -----------------

STOP_EPOCH_RANGE = (0.8, 3e4)
STOP_VALUE_RANGE = (1e-17, 1e1)


def stopping_axes(fig, rule: str, *, fixed_layout=False):
    """Static layer of the stopping explorer for one rule: two log-log axes, labelled."""
    if rule not in STOP_RULES:
        raise ValueError(f"rule must be one of {sorted(STOP_RULES)}, got {rule!r}.")
    if fixed_layout:
        fig.set_layout_engine("none")
        axes = fig.subplots(1, 2, gridspec_kw=dict(left=0.08, right=0.98, bottom=0.15,
                                                   top=0.83, wspace=0.25))
    else:
        axes = fig.subplots(1, 2)
    watched = {"tolerance": "|J(t) − J(t−1)|", "gradient_norm": "‖∇J(t)‖",
               "max_epochs": "cost J(t)"}[rule]
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*STOP_EPOCH_RANGE)
        ax.set_ylim(*STOP_VALUE_RANGE)
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("epoch (log scale)")
    axes[0].set_ylabel(f"{watched} (dimensionless)")
    axes[0].set_title(f"What the rule watches: {watched}")
    axes[1].set_ylabel("distance (normalised)")
    axes[1].set_title("What we care about: distance to (w*, b*)")
    return axes


def stopping_update(axes, history: History, rule: str, threshold, w_star, b_star):
    """Dynamic layer: the watched quantity, the threshold, the stop; returns the stop epoch."""
    label, c = STOP_RULES[rule]
    ax1, ax2 = axes
    t = np.array(history.epochs, dtype=float)
    if rule == "tolerance":
        watched_t, watched = t[1:], np.abs(np.diff(history.costs))
    elif rule == "gradient_norm":
        watched_t, watched = t, history.grad_norms()
    else:
        watched_t, watched = t, np.array(history.costs)
    dist = np.hypot(history.param("w") - w_star, history.param("b") - b_star)
    lo, hi = STOP_VALUE_RANGE
    _semilogy(ax1, np.maximum(watched_t, 1), np.clip(watched, lo, hi), color="0.35", lw=1.5)
    _semilogy(ax2, np.maximum(t, 1), np.clip(dist, lo, hi), color="0.35", lw=1.5)
    if rule != "max_epochs":
        ax1.axhline(threshold, color=c, ls="--", lw=1.5)
    stop = stop_epoch(history, rule, threshold)
    if stop is not None:
        for ax, values, times in ((ax1, watched, watched_t), (ax2, dist, t)):
            ax.axvline(max(stop, 1), color=c, lw=2)
            k = int(np.searchsorted(times, stop))
            if k < len(values):
                ax.plot(max(stop, 1), np.clip(values[k], lo, hi), "o", ms=9, color=c,
                        mec="black", zorder=5)
    return stop
