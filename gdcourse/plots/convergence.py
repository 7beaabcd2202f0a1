"""Figures of notebook 06 (convergence, batch vs SGD vs mini-batch, limitations).

Where a stopping rule would end a recorded run is found by :mod:`._stopping`
(shared with the stopping-rule explorer).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from .. import losses, synthetic
from .._validate import (as_float, as_vector, check_range, nonnegative_int, positive_float,
                         positive_int)
from ..descent import History
from ..style import COLORS, sequence
from ..alt_text import describe
from ..digits import counted
from ._shared import (approx, change, check_histories, check_history, check_runs, colors_for,
                      figure, final_values, legend_below, listing, log_spaced, median_band,
                      noise_floor, plotted, run_summary, semilogy, sentences, signed)
from ._stopping import STOP_RULES, stop_epoch

__all__ = [
    "stopping_rules",
    "epochs_to_stop",
    "batch_comparison",
    "rate_schedules",
    "train_validation",
    "gradient_time_scaling",
    "two_minima_runs",
    "saddle_runs",
    "loss_shapes",
    "nonsmooth_runs",
]

def stopping_rules(history: History, *, tol, grad_tol, max_epochs):
    """What each stopping rule watches, its threshold, and where it would stop the run.

    Three panels against epoch: the cost J (with a line where each rule stops),
    ``|ΔJ|`` with the tolerance ε, and ``‖∇J‖`` with the threshold g.
    """
    check_history(history)
    tol, grad_tol = positive_float(tol, "tol"), positive_float(grad_tol, "grad_tol")
    max_epochs = nonnegative_int(max_epochs, "max_epochs")
    t = np.array(history.epochs)
    stops = {"tolerance": stop_epoch(history, "tolerance", tol),
             "gradient_norm": stop_epoch(history, "gradient_norm", grad_tol),
             "max_epochs": stop_epoch(history, "max_epochs", max_epochs)}
    fig, axes = figure(1, 3, figsize=(11.5, 4.8))
    semilogy(axes[0], t, history.costs, color=COLORS["black"], lw=1.8, label="cost J")
    axes[0].set_ylabel("cost J (dimensionless, log scale)")
    axes[0].set_title("The cost, and where each rule stops")
    semilogy(axes[1], t[1:], np.abs(np.diff(history.costs)), color=STOP_RULES["tolerance"][1],
              label="|J(t) − J(t−1)|")
    axes[1].axhline(tol, color=STOP_RULES["tolerance"][1], ls="--", lw=1.2, label=f"ε = {tol:g}")
    axes[1].set_ylabel("|ΔJ| (dimensionless, log scale)")
    axes[1].set_title("Tolerance rule watches |ΔJ|")
    semilogy(axes[2], t, history.grad_norms(), color=STOP_RULES["gradient_norm"][1],
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
        legend_below(ax)
    fig.suptitle(f"Three stopping rules on one run (learning rate {history.learning_rate:g})")
    fired = [f"{STOP_RULES[rule][0]} at epoch {e}" if e is not None else
             f"{STOP_RULES[rule][0]} not within the run" for rule, e in stops.items()]
    text = sentences(
        f"Three stopping rules on one run (learning rate {history.learning_rate:g}), three "
        f"panels against epoch, values on log scales: {run_summary(history.costs)}; |ΔJ| with the "
        f"tolerance ε = {approx(tol)}; ‖∇J‖ with the threshold g = {approx(grad_tol)}.",
        f"Where each rule stops: {listing(fired)}.")
    return describe(fig, text)


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
    data = []
    for rule, prefix, th, ep, pred, xlabel in (
            ("tolerance", "tol", tol_thresholds, tol_epochs, tol_predicted,
             "tolerance ε on |ΔJ|"),
            ("gradient_norm", "grad", grad_thresholds, grad_epochs, grad_predicted,
             "threshold g on ‖∇J‖")):
        th = as_vector(th, f"{prefix}_thresholds")
        ep = as_vector(ep, f"{prefix}_epochs", length=th.size)
        if pred is not None:
            pred = as_vector(pred, f"{prefix}_predicted", length=th.size)
        data.append((rule, th, ep, pred, xlabel))
    fig, axes = figure(1, 2, figsize=(10.0, 3.8), sharey=True)
    for ax, (rule, th, ep, pred, xlabel) in zip(axes, data):
        c = STOP_RULES[rule][1]
        ax.semilogx(th, ep, "o", color=c, ms=6, label="measured (a run with this rule)")
        if pred is not None:
            ax.semilogx(th, pred, "-", color="0.3", lw=1.2, label="predicted from the error factor")
        ax.invert_xaxis()
        ax.set_xlabel(f"{xlabel} (dimensionless, log scale; stricter →)")
        ax.set_title(f"{STOP_RULES[rule][0]}")
        ax.legend(loc="upper left", fontsize=9)
    axes[0].set_ylabel("epochs until the rule stops training")
    fig.suptitle("A stricter threshold costs a fixed number of extra epochs per factor of 10")
    said = []
    for rule, th, ep, pred, xlabel in data:
        loose, strict = int(np.argmax(th)), int(np.argmin(th))
        name = STOP_RULES[rule][0]
        text = (f"{name[:1].upper()}{name[1:]}: {approx(ep[loose])} epochs at {th[loose]:g}, "
                f"{approx(ep[strict])} at {th[strict]:g}")
        decades = np.log10(th[loose] / th[strict])
        if decades > 0:
            text += f", about {approx((ep[strict] - ep[loose]) / decades, 2)} more per factor of 10"
        said.append(text + (" (a line: the prediction)" if pred is not None else ""))
    text = sentences(
        f"Two panels of {axes[0].get_ylabel()} (dots: measured by runs) against the "
        f"rule's threshold on a log scale, stricter to the right.",
        *(f"{part}." for part in said))
    return describe(fig, text)


def _excess(hs, label, j_star, per_update):
    """Excess costs ``J − J*`` of one method's seeds, one row per seed (clipped for log axes)."""
    if not isinstance(hs, (list, tuple)) or not hs:
        raise TypeError(f"runs[{label!r}] must be a non-empty list of MinibatchHistory, got "
                        f"{type(hs).__name__} {hs!r:.40}.")
    for i, h in enumerate(hs):
        check_history(h, f"runs[{label!r}][{i}]")
        if not hasattr(h, "wall_time"):
            raise TypeError(f"runs[{label!r}] must be a non-empty list of MinibatchHistory, got "
                            f"a {type(h).__name__} at index {i}.")
    rows = [h.update_costs if per_update else h.costs for h in hs]
    if per_update and not all(rows):
        raise ValueError(f"runs[{label!r}] must be recorded per update: "
                         f"minibatch_gd(..., per_update=True).")
    lengths = sorted({len(r) for r in rows})
    if len(lengths) > 1:
        raise ValueError(f"runs[{label!r}] must all have the same number of epochs (one seed "
                         f"stopped early: diverged?), got lengths {[len(h.costs) for h in hs]}.")
    return np.clip(np.array(rows, dtype=float) - j_star, 1e-12, None)


def batch_comparison(runs, j_star):
    """Excess cost ``J − J*`` after every update, against work, updates and wall time.

    Parameters
    ----------
    runs : dict of str -> list of MinibatchHistory
        One list per method (batch size), one history per seed, each recorded
        with ``minibatch_gd(..., per_update=True)``.
    j_star : float
        The least-squares cost, subtracted so that every curve can go to 0.

    The first two panels show the median over seeds with a band from the
    smallest to the largest value; the wall-time panel shows the median cost
    against the median time. About 300 updates per run, evenly spaced on the
    log axes, are drawn.
    """
    runs = check_runs(runs, what="list of MinibatchHistory")
    j_star = as_float(j_star, "j_star")
    fig, axes = figure(1, 3, figsize=(12.5, 4.6), sharey=True)
    said = []
    for (label, hs), c in zip(runs.items(), colors_for(runs, sequence("methods"))):
        excess = _excess(hs, label, j_star, per_update=True)
        end = approx(np.median(excess[:, -1]), 2, floor=_floor(hs))
        said.append(f"{label} ends at {end} after {excess.shape[1] - 1:,} updates")
        k = log_spaced(excess.shape[1])          # every update is recorded; ~300 are drawn
        work = np.array(hs[0].update_samples)[k] / hs[0].n_samples
        clock = np.median([h.update_time for h in hs], axis=0)[k] * 1e3
        median_band(axes[0], work, excess[:, k], c, f"{label} (median of {len(hs)} seeds)")
        median_band(axes[1], k, excess[:, k], c, None)
        axes[2].plot(clock, np.median(excess[:, k], 0), "-", color=c)
    start = float(np.median([h.costs[0] - j_star for h in next(iter(runs.values()))]))
    for ax in axes:
        ax.axhline(start, color="0.5", ls=":", lw=1.2)
        ax.set_xscale("log")
    axes[0].annotate("every run starts here", (0.98, start), xycoords=("axes fraction", "data"),
                     xytext=(0, -12), textcoords="offset points", ha="right", fontsize=9,
                     color="0.35")
    axes[0].set_yscale("log")
    axes[0].set_ylim(bottom=max(axes[0].get_ylim()[0], 1e-7))
    axes[0].set_xlabel("work: per-sample gradients / n, in epochs (log)")
    axes[0].set_ylabel("excess cost J − J* (log scale)")
    axes[0].set_title("Against work done")
    axes[1].set_xlabel("parameter updates, of any batch size (log)")
    axes[1].set_title("Against updates")
    axes[2].set_xlabel("measured wall time, milliseconds (log)")
    axes[2].set_title("Against wall time (median of seeds)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=len(runs), fontsize=9)
    fig.suptitle("Batch vs mini-batch vs stochastic gradient descent (shaded: range over seeds)")
    seeds = listing(sorted({counted(len(hs), 'seed') for hs in runs.values()}))
    text = sentences(
        f"Batch vs mini-batch vs stochastic gradient descent: the excess cost J − J* from "
        f"{approx(start, 2)}, median of {seeds} with the range shaded, against work (epochs of "
        f"per-sample gradients), updates and wall time, on log scales.",
        *(f"{part}." for part in said))
    return describe(fig, text)


def _floor(hs) -> float:
    """Below this, an excess cost J − J* of these runs is rounding noise."""
    return noise_floor(*(h.costs[0] for h in hs))


def rate_schedules(runs, j_star):
    """Excess cost ``J − J*`` per epoch for runs with different rate schedules (median and range).

    Parameters
    ----------
    runs : dict of str -> list of MinibatchHistory
        One list of seeds per schedule.
    j_star : float
    """
    runs = check_runs(runs, what="list of MinibatchHistory")
    j_star = as_float(j_star, "j_star")
    fig, (ax_rate, ax) = figure(1, 2, figsize=(11.0, 4.4), width_ratios=(1, 2))
    said = []
    for (label, hs), c in zip(runs.items(), colors_for(runs, sequence("methods"))):
        excess = _excess(hs, label, j_star, per_update=False)
        epochs = np.array(hs[0].epochs)
        rates = hs[0].learning_rate / (1.0 + hs[0].decay * epochs[:-1])
        median = np.median(excess, axis=0)
        said.append(f"{label}: η {change(rates[0], rates[-1], digits=2)}, the median "
                    f"{change(median[0], median[-1], digits=2, floor=_floor(hs))} in "
                    f"{counted(epochs[-1], 'epoch')}")
        median_band(ax, epochs, excess, c, f"{label} (median of {len(hs)} seeds)")
        h = hs[0]
        ax_rate.stairs(h.learning_rate / (1.0 + h.decay * epochs[:-1]), epochs, baseline=None,
                       color=c, lw=2, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("excess cost J − J* (log scale)")
    ax.set_title("Excess cost (shaded: range over seeds)")
    ax_rate.set_yscale("log")
    ax_rate.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    ax_rate.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax_rate.yaxis.set_minor_locator(NullLocator())
    ax_rate.set_xlabel("epoch")
    ax_rate.set_ylabel("learning rate η (log scale)")
    ax_rate.set_title("The schedule")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=len(runs),
               fontsize=9)
    fig.suptitle("SGD: a constant rate and a decaying one")
    seeds = listing(sorted({counted(len(hs), 'seed') for hs in runs.values()}))
    text = sentences(
        f"SGD with {counted(len(runs), 'learning-rate schedule')}, {seeds} each. Left: "
        f"{plotted(ax_rate)}. Right: {plotted(ax)}, the median with the range shaded.",
        *(f"{part}." for part in said))
    return describe(fig, text)


def train_validation(epochs, train_costs, val_costs, *, best_epoch=None, stop_epoch=None,
                     reference=None, fits=None):
    """Training and validation cost per epoch, with early stopping's epochs marked.

    Parameters
    ----------
    epochs, train_costs, val_costs : array_like, shape (n_epochs,)
        Epoch 0 (the start) is left out of the log-scale epoch axis.
    best_epoch, stop_epoch : int, optional
        The epoch early stopping keeps, and the one where it ends training.
    reference : (str, float), optional
        A label and a cost drawn as a horizontal line (say, a simpler model's
        validation cost).
    fits : (train, validation, curves), optional
        A second panel: the training and validation samples (each a pair
        ``(x, y)``: years of experience and standardised salary) and fitted
        curves (label -> callable ``f(x) -> y``), drawn across the data's range.
    """
    epochs = as_vector(epochs, "epochs")
    tr = as_vector(train_costs, "train_costs", length=epochs.size)
    va = as_vector(val_costs, "val_costs", length=epochs.size)
    if best_epoch is not None:
        best_epoch = nonnegative_int(best_epoch, "best_epoch")
    if stop_epoch is not None:
        stop_epoch = nonnegative_int(stop_epoch, "stop_epoch")
    if reference is not None:
        if not (isinstance(reference, tuple) and len(reference) == 2
                and isinstance(reference[0], str)):
            raise TypeError(f"reference must be a pair (label, cost), got {reference!r:.60}.")
        reference = (reference[0], as_float(reference[1], "reference[1] (cost)"))
    if fits is not None and not (isinstance(fits, tuple) and len(fits) == 3
                                 and isinstance(fits[2], dict)):
        raise TypeError("fits must be a tuple (train, validation, curves): two (x, y) pairs "
                        "and a dict of label -> callable.")
    fig, axes = figure(1, 1 if fits is None else 2, figsize=(6.8 if fits is None else 12.5, 4.6),
                        squeeze=False)
    ax = axes[0][0]
    later = epochs > 0
    ax.loglog(epochs[later], tr[later], "-", color=COLORS["blue"], label="training cost")
    ax.loglog(epochs[later], va[later], "-", color=COLORS["vermillion"], label="validation cost")
    if reference is not None:
        ax.axhline(reference[1], color="0.35", ls="-.", lw=1.2, label=reference[0])
    if best_epoch is not None:
        ax.axvline(best_epoch, color=COLORS["green"], ls=":", lw=2,
                   label=f"best validation cost: epoch {best_epoch:,}")
    if stop_epoch is not None:
        ax.axvline(stop_epoch, color="0.3", ls="--", lw=1.2,
                   label=f"early stopping ends training: epoch {stop_epoch:,}")
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel("cost J (dimensionless, log scale)")
    ax.set_title("Training and validation cost")
    legend_below(ax, ncols=2)
    if fits is not None:
        ax2 = axes[0][1]
        (xt, yt), (xv, yv), curves = fits
        ax2.plot(xv, yv, ".", ms=4, color="0.6", label="validation samples")
        ax2.plot(xt, yt, "o", ms=7, color=COLORS["blue"], mec="white", label="training samples",
                 zorder=5)
        grid = np.linspace(min(np.min(xt), np.min(xv)), max(np.max(xt), np.max(xv)), 400)
        for (label, f), c in zip(curves.items(),
                                 colors_for(curves, sequence("fitted_curves"), "fits' curves")):
            ax2.plot(grid, f(grid), "-", color=c, lw=1.8, label=label)
        lo, hi = np.min(yv), np.max(yv)
        ax2.set_ylim(lo - 0.3 * (hi - lo), hi + 0.3 * (hi - lo))
        ax2.set_xlabel("x, experience (years)")
        ax2.set_ylabel("salary (standardised)")
        ax2.set_title("The fitted curves")
        legend_below(ax2, ncols=2)
    fig.suptitle("Watching a held-out set while training")
    first = int(np.flatnonzero(later)[0]) if later.any() else 0
    span = f"epochs {epochs[first]:,.0f} to {epochs[-1]:,.0f}"
    low = int(np.argmin(va[first:])) + first
    marks = []
    if best_epoch is not None:
        marks.append(f"the best validation cost, epoch {best_epoch:,} (dotted)")
    if stop_epoch is not None:
        marks.append(f"early stopping, epoch {stop_epoch:,} (dashed)")
    if reference is not None:
        marks.append(f"{reference[0]}, {approx(reference[1])} (dash-dot)")
    later_rise = ""
    if low < va.size - 1 and approx(va[-1]) != approx(va[low]):
        later_rise = f", then {'rises' if va[-1] > va[low] else 'falls'} to {approx(va[-1])}"
    text = sentences(
        f"Watching a held-out set while training: training and validation {plotted(ax)}, "
        f"{span}. Training {change(tr[first], tr[-1])}; validation "
        f"{change(va[first], va[low])} by epoch {epochs[low]:,.0f}{later_rise}.",
        f"Marked: {'; '.join(marks)}." if marks else None,
        None if fits is None else
        f"Right: {plotted(ax2)}, {np.size(xt)} training and {np.size(xv)} validation samples, "
        f"with the curves {listing(curves)}.")
    return describe(fig, text)


def gradient_time_scaling(sizes, seconds, *, batch_seconds=None, batch_size=None):
    """Measured time of one full-batch gradient against n, on log-log axes.

    A line through the largest measurement shows where time in proportion to
    ``n`` would put the smaller sizes; optionally the time of one mini-batch
    gradient as a horizontal line.
    """
    n = as_vector(sizes, "sizes")
    s = as_vector(seconds, "seconds", length=n.size)
    if (n <= 0).any() or (s <= 0).any():
        raise ValueError("sizes and seconds must be > 0 (log axes).")
    fig, ax = figure(figsize=(6.8, 4.6))
    ax.loglog(n, s * 1e3, "o", ms=7, color=COLORS["blue"], label="measured: one full-batch gradient")
    big = int(np.argmax(n))
    ax.loglog(n, s[big] * n / n[big] * 1e3, "-", color="0.4", lw=1.2,
              label=f"in proportion to n, through n = {n[big]:,.0f}")
    if batch_seconds is not None:
        if batch_size is not None:
            batch_size = positive_int(batch_size, "batch_size")
        ax.axhline(positive_float(batch_seconds, "batch_seconds") * 1e3, color=COLORS["green"],
                   ls="--", label=f"one mini-batch gradient ({batch_size} samples)")
    ax.set_xlabel("n, samples in the gradient (log scale)")
    ax.set_ylabel("time (milliseconds, log scale)")
    ax.set_title("Time of one full-batch gradient against n (this machine)")
    legend_below(ax)
    batch = ("" if batch_seconds is None else
             f", and a dashed line at the time of one mini-batch gradient ({batch_size} samples)")
    text = sentences(
        f"{ax.get_title()}: {plotted(ax)}, measured at n = {listing(f'{v:,.0f}' for v in n)}, "
        f"with a line in proportion to n through the largest size{batch}.",
        "The times are measured on the machine that ran the notebook.")
    return describe(fig, text)


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
    runs = check_histories(runs, params=("w",))
    colors = colors_for(runs, sequence("paths"))
    w_range = check_range(w_range, "w_range")
    if basin is not None and not (isinstance(basin, tuple) and len(basin) == 3):
        raise TypeError(f"basin must be a tuple (starts, rates, outcome), got "
                        f"{type(basin).__name__}.")
    ncols = 2 if basin is not None else 1
    fig, axes = figure(1, ncols, figsize=(6.0 * ncols, 4.6), squeeze=False)
    ax = axes[0][0]
    w = np.linspace(*w_range, 400)
    ax.plot(w, synthetic.two_minima(w), color="0.45", lw=2, label="J(w)")
    for name, (wm, jm) in synthetic.TWO_MINIMA.items():
        ax.plot(wm, jm, "v" if "minimum" in name else "^", ms=9, color="0.2", zorder=6)
        ax.annotate(name, (wm, jm), xytext=(0, -16 if "minimum" in name else 8),
                    textcoords="offset points", ha="center", fontsize=9, color="0.2")
    said = []
    for (label, h), c in zip(runs.items(), colors):
        ws = h.param("w")
        said.append((label, _where_it_ends(ws[-1], synthetic.TWO_MINIMA)))
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
        outcomes = ((COLORS["green"], "global min. (J = 0.1)"),          # outcome 0
                    (COLORS["orange"], "local min. (J = 0.5)"),           # outcome 1
                    ("0.85", "diverged / not settled"))                   # outcome 2
        cmap = ListedColormap([c for c, _ in outcomes])
        ax2.pcolormesh(starts, rates, outcome, cmap=cmap, vmin=-0.5, vmax=2.5, shading="nearest")
        for name, (wm, _) in synthetic.TWO_MINIMA.items():
            ax2.axvline(wm, color="0.2", ls=":", lw=1)
        ax2.set_xlabel("start w₀ (dimensionless)")
        ax2.set_ylabel("learning rate η (dimensionless)")
        ax2.set_title("Which minimum each (start, η) ends in")
        ax2.grid(False)
        from matplotlib.patches import Patch
        ax2.legend(handles=[Patch(color=c, label=label) for c, label in outcomes],
                   loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize=8.5)
    fig.suptitle("A non-convex cost: two minima")
    points = listing(f"{name} at w = {approx(wm)}" + (f" (J = {approx(jm)})" if "minimum" in name
                                                      else "")
                     for name, (wm, jm) in synthetic.TWO_MINIMA.items())
    share = None
    if basin is not None:
        share = [np.mean(np.asarray(outcome) == i) for i in range(3)]
        share = listing(f"{100 * p:.0f} % {name.split(' (')[0]}"
                        for p, (_, name) in zip(share, outcomes))
    ends = {}
    for label, fate in said:
        ends.setdefault(fate, []).append(label)
    text = sentences(
        f"A non-convex cost, J(w) against w (both dimensionless): {points}.",
        "Runs " + "; ".join(f"{fate}: {listing(labels)}" for fate, labels in ends.items()) + ".",
        None if basin is None else f"Right: where each start w₀ and rate η ends: {share}.")
    return describe(fig, text)


def _where_it_ends(w, points, near=1e-3) -> str:
    """Which of the stationary ``points`` (name -> (w, J)) a run's last ``w`` is at."""
    if not np.isfinite(w):
        return "diverging"
    for name, (wm, _) in points.items():
        if abs(w - wm) < near:
            return f"to the {name}"
    return f"to w = {signed(w, 2)}, none of them"


def saddle_runs(runs, *, grad_tol=None, u_range=(-1.8, 1.8), v_range=(-1.6, 1.6)):
    """Runs of gradient descent on :func:`gdcourse.synthetic.saddle`: paths and gradient norms.

    Parameters
    ----------
    runs : dict of str -> History
        Runs with parameters ``"u"`` and ``"v"``.
    grad_tol : float, optional
        A gradient-norm threshold to draw on the right panel.
    """
    runs = check_histories(runs, params=("u", "v"))
    colors = colors_for(runs, sequence("on_saddle"))
    u_range, v_range = check_range(u_range, "u_range"), check_range(v_range, "v_range")
    if grad_tol is not None:
        grad_tol = positive_float(grad_tol, "grad_tol")
    fig, (ax, ax_g) = figure(1, 2, figsize=(12.0, 4.8))
    U, V = np.meshgrid(np.linspace(*u_range, 241), np.linspace(*v_range, 241))
    J = synthetic.saddle(U, V)
    levels = np.linspace(0.0, 1.5, 16)
    ax.contourf(U, V, np.minimum(J, 1.5), levels=levels, cmap="Blues_r", alpha=0.8)
    ax.contour(U, V, J, levels=[synthetic.SADDLE["saddle point"][1]], colors="0.25",
               linewidths=1, linestyles="--")
    for name, ((u, v), _) in synthetic.SADDLE.items():
        ax.plot(u, v, "X" if "saddle" in name else "*", ms=12 if "saddle" in name else 15,
                color=COLORS["yellow"], mec="black", zorder=8)
        ax.annotate(name, (u, v), xytext=(8, 8), textcoords="offset points", fontsize=9,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    said = []
    for (label, h), c in zip(runs.items(), colors):
        u, v = h.param("u"), h.param("v")
        said.append((f"{label} {_where_it_stops(h)}", h.stop_reason))
        ax.plot(u, v, "o-", ms=3, lw=1.2, color=c, label=label, zorder=5)
        ax.plot(u[0], v[0], "o", ms=9, mfc="white", mec=c, mew=2, zorder=6)
        semilogy(ax_g, h.epochs, h.grad_norms(), color=c, lw=1.6, label=label)
    if grad_tol is not None:
        ax_g.axhline(grad_tol, color="0.3", ls="--", lw=1.2,
                     label=f"a gradient-norm threshold g = {grad_tol:g}")
    ax.set_xlim(*u_range)
    ax.set_ylim(*v_range)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("u (dimensionless)")
    ax.set_ylabel("v (dimensionless)")
    ax.set_title("J(u, v) = u² + (v² − 1)²/4 (dashed: J = 1/4, the saddle's level)")
    ax_g.set_xlabel("epoch")
    ax_g.set_ylabel("‖∇J‖ (dimensionless, log scale)")
    ax_g.set_title("The gradient norm along each run")
    fig.legend(*ax_g.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=9)
    fig.suptitle("A saddle point: the gradient vanishes, but it is not a minimum")
    saddle = [name for name in synthetic.SADDLE if "saddle" in name]
    minima = [uv for name, (uv, _) in synthetic.SADDLE.items() if "saddle" not in name]
    points = (f"a saddle at ({_uv(synthetic.SADDLE[saddle[0]][0])}), minima at "
              + listing(f"({_uv(uv)})" for uv in minima))
    reasons = {why for _, why in said}
    why = (f"Every run stops by the {_REASONS.get(reasons.pop(), 'end of the run')}."
           if len(reasons) == 1 else None)
    text = sentences(
        f"A saddle point. Left: contours of J(u, v) = u² + (v² − 1)²/4, u and v dimensionless: "
        f"{points}. Right: ‖∇J‖ (log scale) against epoch.",
        *(f"{run}." for run, _ in said), why,
        None if grad_tol is None else f"The dashed line is g = {grad_tol:g}.")
    return describe(fig, text)


def _where_it_stops(h: History, near: float = 1e-3) -> str:
    """Which stationary point of :func:`gdcourse.synthetic.saddle` a run stops at, and when."""
    u, v = h.param("u")[-1], h.param("v")[-1]
    where = f"(u, v) = ({signed(u, 2)}, {signed(v, 2)})"
    for name, ((u0, v0), _) in synthetic.SADDLE.items():
        if np.hypot(u - u0, v - v0) < near:
            where = f"the {name}"
    return f"stops at {where} after {counted(h.epochs[-1], 'epoch')}"


#: Why a History stopped, in words.
_REASONS = {"gradient_norm": "gradient-norm rule", "tolerance": "tolerance rule",
            "max_epochs": "epoch budget", "diverged": "divergence test"}


def _uv(uv) -> str:
    """``"0, -1"``: a point of the (u, v) plane."""
    return ", ".join(approx(c) for c in uv)


def loss_shapes(delta=1.0, r_range=(-3.0, 3.0)):
    """MSE, MAE and Huber against the residual, their derivatives, and the hinge loss."""
    delta = positive_float(delta, "delta")
    r = np.linspace(*check_range(r_range, "r_range"), 601)
    fig, axes = figure(1, 3, figsize=(12.0, 3.8))
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
    text = sentences(
        f"Smooth and non-smooth losses. Left: {plotted(axes[0])} for MSE r², MAE |r| and Huber "
        f"with δ = {delta:g} (quadratic for |r| ≤ δ, linear beyond). Middle: their derivatives "
        f"dℓ/dr: 2r for MSE, a jump from −1 to +1 at r = 0 for MAE, r clipped to ±{delta:g} "
        f"for Huber. Right: the hinge loss max(0, 1 − z) against the margin z, with a kink at "
        f"z = 1.")
    return describe(fig, text)


_ROUNDING = 1e-12


def nonsmooth_runs(runs, w_star):
    """Distance ``|w − w*|`` and cost per epoch for runs with different losses / step rules.

    Parameters
    ----------
    runs : dict of str -> (epochs, w, J)
        One entry per run: arrays of equal length.
    """
    runs = check_runs(runs, what="(epochs, w, J)")
    w_star = as_float(w_star, "w_star")
    colors = colors_for(runs, sequence("losses"))
    for label, entry in runs.items():
        if not isinstance(entry, (tuple, list)) or len(entry) != 3:
            raise TypeError(f"runs[{label!r}] must be a tuple (epochs, w, J), got "
                            f"{type(entry).__name__}.")
    fig, axes = figure(1, 2, figsize=(11.0, 4.4))
    said = {}
    for (label, (ep, w, J)), c in zip(runs.items(), colors):
        ep = as_vector(ep, f"runs[{label!r}] epochs")
        dist = np.abs(as_vector(w, f"runs[{label!r}] w", length=ep.size) - w_star)
        J = as_vector(J, f"runs[{label!r}] J", length=ep.size)
        shown = np.arange(ep.size) < (np.argmax(dist < _ROUNDING) if (dist < _ROUNDING).any()
                                      else ep.size)
        semilogy(axes[0], ep[shown], dist[shown], color=c, lw=1.5, label=label)
        end = int(shown.sum()) if not shown.all() else ep.size - 1   # first point not drawn
        said[label] = (dist[0], dist[end], f"{'from' if not shown.all() else 'by'} epoch "
                                           f"{ep[end]:,.0f}")
        semilogy(axes[1], ep[shown], J[shown], color=c, lw=1.5, label=label)
    axes[0].set_ylabel("|w − w*| (standardised, log scale)")
    axes[0].set_title("Distance to the best slope")
    axes[1].set_ylabel("cost J, its own loss (log scale)")
    axes[1].set_title("Cost")
    for ax in axes:
        ax.set_xlabel("epoch")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2,
               fontsize=9)
    fig.suptitle("Gradient descent with a kink at the optimum (MAE) vs a smooth loss (Huber)\n"
                 f"(a run is drawn until |w − w*| < {_ROUNDING:g}: below that is rounding error)",
                 fontsize=11)
    text = sentences(
        f"MAE, with a kink at the optimum, against smooth losses: {axes[0].get_ylabel()} and the "
        f"cost against epoch.",
        *final_values("|w − w*|", said, digits=2, floor=_ROUNDING),
        f"A run is drawn until |w − w*| < {_ROUNDING:g}.")
    return describe(fig, text)


