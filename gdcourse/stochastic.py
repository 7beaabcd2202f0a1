"""Mini-batch gradient descent for the linear model (batch size 1 = SGD, n = batch GD).

The cost and gradients are those of :mod:`gdcourse.linear` (MSE on 1-D
``x``, ``y``), but each update uses only a batch of ``k`` samples::

    every epoch: shuffle the n samples (seeded), cut them into batches of k
                 (the last one smaller if k does not divide n), and for each batch B
        ∂J_B/∂w = (2/|B|) Σ_{i∈B} (w·xᵢ + b − yᵢ)·xᵢ,   ∂J_B/∂b = (2/|B|) Σ_{i∈B} (w·xᵢ + b − yᵢ)
        w ← w − η·∂J_B/∂w,   b ← b − η·∂J_B/∂b

A batch gradient is an unbiased estimate of the full gradient: averaged over
an epoch's batches (weighted by batch size) it *is* the full gradient at the
same parameters (:func:`batch_gradients`). With ``k = n`` there is one batch,
the data are used in their original order, and the run repeats
:func:`gdcourse.linear.train` number for number.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float, as_vector, nonnegative_int, positive_float, positive_int
from .descent import DIVERGENCE_FACTOR, History, stop_rule
from ._mse_kernel import mse, mse_gradients, residuals

__all__ = ["MinibatchHistory", "minibatch_gd", "batch_gradients", "batch_slices", "Reached",
           "stays_below"]


@dataclass
class MinibatchHistory(History):
    """A :class:`~gdcourse.descent.History` with one row per *epoch* (pass over the data).

    Row ``t`` holds the parameters after ``t`` epochs, with the cost and the
    gradient on the *full* data set at those parameters, so runs with
    different batch sizes are compared on the same cost. Extra columns:

    Attributes
    ----------
    batch_size : int
    seed : int
    n_samples : int
    updates : list of int
        Parameter updates made so far (= batch gradients evaluated).
    samples : list of int
        Per-sample gradients evaluated so far (``n`` per epoch for every batch size).
    wall_time : list of float
        Seconds spent so far in shuffling and updates, measured with
        ``time.perf_counter``; the per-epoch full-data bookkeeping is not counted.
    decay : float
        The rate schedule: epoch ``e`` (0-based) uses ``η / (1 + decay·e)``.
    update_costs, update_samples, update_time : list
        Filled only by ``minibatch_gd(..., per_update=True)``: entry ``k`` is the
        full-data cost after ``k`` updates (entry 0 is the start), the per-sample
        gradients evaluated by then, and the seconds spent in shuffling and
        updates by then. One entry per update, so runs with different batch
        sizes can be compared on the same amount of work.
    update_w, update_b : list of float
        Filled only with ``per_update=True``: the parameters after ``k`` updates
        (entry 0 is the start), so that the path of every update can be drawn.
    """

    batch_size: int = 0
    seed: int = 0
    n_samples: int = 0
    updates: list = field(default_factory=list)
    samples: list = field(default_factory=list)
    wall_time: list = field(default_factory=list)
    decay: float = 0.0
    update_costs: list = field(default_factory=list)
    update_samples: list = field(default_factory=list)
    update_time: list = field(default_factory=list)
    update_w: list = field(default_factory=list)
    update_b: list = field(default_factory=list)

    def _trace(self, w, b, x, y, batch, elapsed):
        self.update_costs.append(mse(residuals(w, b, x, y)))
        self.update_w.append(float(w))
        self.update_b.append(float(b))
        self.update_samples.append((self.update_samples[-1] if self.update_samples else 0) + batch)
        self.update_time.append(elapsed)

    @property
    def n_updates(self) -> int:
        """Parameter updates made in the whole run."""
        return self.updates[-1]

    def __repr__(self) -> str:
        return (f"MinibatchHistory(batch_size={self.batch_size}, epochs={len(self.epochs) - 1}, "
                f"updates={self.n_updates}, final_cost={self.final_cost:.6g}, "
                f"stop_reason={self.stop_reason!r})")


def batch_slices(n: int, batch_size: int) -> list[slice]:
    """The slices that cut ``n`` shuffled samples into batches of ``batch_size`` (last may be smaller)."""
    n, batch_size = positive_int(n, "n"), positive_int(batch_size, "batch_size")
    return [slice(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]


def _check(x, y, batch_size):
    x = as_vector(x, "x")
    y = as_vector(y, "y", length=x.size)
    batch_size = positive_int(batch_size, "batch_size")
    if batch_size > x.size:
        raise ValueError(f"batch_size must be between 1 and the number of samples n={x.size}, "
                         f"got {batch_size}.")
    return x, y, batch_size


def batch_gradients(w, b, x, y, batch_size: int, *, seed: int = 0):
    """The gradient of every batch of one shuffled epoch, all at the same fixed (w, b).

    Parameters
    ----------
    w, b : float
    x, y : array_like, shape (n,)
    batch_size : int, 1 <= batch_size <= n
    seed : int
        Seeds the shuffle (``batch_size == n`` uses the original order).

    Returns
    -------
    dw, db : ndarray, shape (n_batches,)
        ``∂J_B/∂w`` and ``∂J_B/∂b`` of each batch.
    sizes : ndarray of int, shape (n_batches,)
        Samples in each batch. ``np.average(dw, weights=sizes)`` equals the
        full-data ``∂J/∂w`` (up to rounding).
    """
    x, y, batch_size = _check(x, y, batch_size)
    w, b = as_float(w, "w"), as_float(b, "b")
    rng = np.random.default_rng(nonnegative_int(seed, "seed"))
    if batch_size < x.size:
        perm = rng.permutation(x.size)
        x, y = x[perm], y[perm]
    dws, dbs, sizes = [], [], []
    for s in batch_slices(x.size, batch_size):
        xb = x[s]
        dw, db = mse_gradients(residuals(w, b, xb, y[s]), xb)
        dws.append(dw)
        dbs.append(db)
        sizes.append(xb.size)
    return np.array(dws), np.array(dbs), np.array(sizes)


def _shuffled(x, y, rng, batch_size):
    """This epoch's order: a seeded permutation, or the original order for batch GD."""
    if batch_size < x.size:
        perm = rng.permutation(x.size)
        return x[perm], y[perm]
    return x, y


def minibatch_gd(x, y, learning_rate, *, batch_size: int, max_epochs: int = 10, seed: int = 0,
                 w0=0.0, b0=0.0, divergence_factor=DIVERGENCE_FACTOR, decay=0.0,
                 per_update: bool = False) -> MinibatchHistory:
    """Fit ``ŷ = w·x + b`` by mini-batch gradient descent.

    Parameters
    ----------
    x, y : array_like, shape (n,)
    learning_rate : float
        Step size η > 0 (of the first epoch, if ``decay > 0``).
    batch_size : int
        Samples per update: 1 is stochastic gradient descent (SGD), ``n`` is
        batch gradient descent, anything between is mini-batch.
    max_epochs : int, default 10
        Passes over the data.
    seed : int, default 0
        Seed of the shuffling generator; the same seed repeats the run exactly.
    w0, b0 : float
        Start.
    divergence_factor : float, default :data:`gdcourse.descent.DIVERGENCE_FACTOR` (1e8)
        Stop with ``"diverged"`` when the full cost exceeds this multiple of the
        starting cost or is not finite (checked after every epoch).
    decay : float, default 0
        A decaying rate schedule: every update of epoch ``e`` (0, 1, ...) uses
        ``η / (1 + decay·e)``. 0 keeps the rate constant.
    per_update : bool, default False
        Also record the full-data cost after every update (``update_costs``,
        ``update_samples``, ``update_time``). This costs one pass over the data
        per update, which is not counted in the times.

    Returns
    -------
    MinibatchHistory
        One row per epoch (row 0 = the start); ``stop_reason`` is
        ``"max_epochs"`` or ``"diverged"``.
    """
    x, y, batch_size = _check(x, y, batch_size)
    learning_rate = positive_float(learning_rate, "learning_rate")
    max_epochs = nonnegative_int(max_epochs, "max_epochs")
    seed = nonnegative_int(seed, "seed")
    divergence_factor = positive_float(divergence_factor, "divergence_factor")
    decay = as_float(decay, "decay")
    if decay < 0:
        raise ValueError(f"decay must be >= 0 (0 keeps the rate constant), got {decay!r}.")
    if not isinstance(per_update, (bool, np.bool_)):
        raise TypeError(f"per_update must be True or False, got {type(per_update).__name__}.")
    w, b = as_float(w0, "w0"), as_float(b0, "b0")
    n = x.size
    rng = np.random.default_rng(seed)
    slices = batch_slices(n, batch_size)
    hist = MinibatchHistory(learning_rate=learning_rate, batch_size=batch_size, seed=seed,
                            n_samples=n, decay=decay)
    updates, elapsed = 0, 0.0
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(max_epochs + 1):
            # Bookkeeping on the full data, with the same functions as linear.train.
            r = residuals(w, b, x, y)
            cost = mse(r)
            dw, db = mse_gradients(r, x)
            grads = {"w": dw, "b": db}
            hist.record(epoch, {"w": w, "b": b}, cost, grads)
            hist.updates.append(updates)
            hist.samples.append(epoch * n)
            hist.wall_time.append(elapsed)
            if per_update and epoch == 0:
                hist._trace(w, b, x, y, 0, elapsed)
            reason = stop_rule(hist.costs, np.hypot(dw, db), max_epochs=max_epochs,
                               divergence_factor=divergence_factor)
            if reason:
                hist.stop_reason = reason
                break
            eta = learning_rate / (1.0 + decay * epoch)
            start = time.perf_counter()
            xs, ys = _shuffled(x, y, rng, batch_size)
            for s in slices:
                xb = xs[s]
                dw, db = mse_gradients(residuals(w, b, xb, ys[s]), xb)
                w = w - eta * dw
                b = b - eta * db
                if per_update:           # the full-data cost after this update, not timed
                    elapsed += time.perf_counter() - start
                    hist._trace(w, b, x, y, xb.size, elapsed)
                    start = time.perf_counter()
            elapsed += time.perf_counter() - start
            updates += len(slices)
    return hist


@dataclass(frozen=True)
class Reached:
    """When the median run of one method got below a target excess cost for good.

    Attributes
    ----------
    updates : int
        Parameter updates made by then.
    epochs : float
        Work done by then: per-sample gradients divided by n.
    seconds : float
        Median over the seeds of the wall time spent by then (machine-dependent).
    """

    updates: int
    epochs: float
    seconds: float


def stays_below(runs, j_star, targets) -> dict:
    """For each method and target, the first update after which the median excess cost stays below it.

    The median is over seeds, update by update; "stays" means until the end
    of the run, so a noisy run that only dips below a target does not count.

    Parameters
    ----------
    runs : dict of str -> list of MinibatchHistory
        One list of seeds per method, recorded with ``per_update=True`` and of
        equal length within a method.
    j_star : float
        The least-squares cost.
    targets : sequence of float
        Excess costs, > 0.

    Returns
    -------
    dict of str -> list of (Reached or None)
        One entry per target, ``None`` where the median did not end below it.
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError("runs must be a non-empty dict of label -> list of MinibatchHistory.")
    j_star = as_float(j_star, "j_star")
    targets = [positive_float(t, "targets[]") for t in targets]
    out = {}
    for label, hs in runs.items():
        if not hs or not all(isinstance(h, MinibatchHistory) and h.update_costs for h in hs):
            raise ValueError(f"runs[{label!r}] must be a non-empty list of MinibatchHistory "
                             f"recorded with per_update=True.")
        if len({len(h.update_costs) for h in hs}) > 1:
            raise ValueError(f"runs[{label!r}]: the seeds made different numbers of updates.")
        excess = np.median([np.array(h.update_costs) - j_star for h in hs], axis=0)
        clock = np.median([h.update_time for h in hs], axis=0)
        row = []
        for target in targets:
            above = np.flatnonzero(excess >= target)
            k = (0 if not above.size else
                 int(above[-1]) + 1 if above[-1] + 1 < excess.size else None)
            row.append(None if k is None else
                       Reached(k, hs[0].update_samples[k] / hs[0].n_samples, float(clock[k])))
        out[label] = row
    return out
