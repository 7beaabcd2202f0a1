"""Figures of a logistic-regression training run (notebook 02): cost curve, decision boundary."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from .._validate import as_float, as_labels, as_matrix, as_vector
from ..alt_text import describe
from ..digits import counted
from ..style import COLORS
from ._shared import change, linear_form, plotted, sentences

__all__ = ["cost_curve", "decision_boundary"]


def cost_curve(costs, *, label: str = "J after k updates", ylabel: str = "cost J (nats)",
               title: str = "Training: the cost after each update", logy: bool = False,
               ax=None) -> Figure:
    """The cost ``J`` against the number of updates.

    Parameters
    ----------
    costs : array_like, shape (k,)
        ``costs[0]`` is the cost before the first update.
    label, ylabel, title : str
    logy : bool
        Logarithmic cost axis.
    ax : matplotlib Axes, optional
        Draw there instead of on a new figure.

    Returns
    -------
    Figure
    """
    costs = as_vector(costs, "costs")
    if ax is None:
        fig = Figure(figsize=(6.5, 4.2), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    k = np.arange(costs.size)
    ax.plot(k, costs, color=COLORS["blue"], label=label)
    ax.plot(k[-1], costs[-1], "o", color=COLORS["vermillion"], ms=7,
            label=f"after {k[-1]} updates: J = {costs[-1]:.4f}")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("update k (count)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper right")
    scale = " (log scale)" if logy else ""
    text = (f"{title}: a line plot of {plotted(ax)}{scale}. The cost {change(costs[0], costs[-1])} "
            f"over {counted(k[-1], 'update')}.")
    return describe(fig, text)


def decision_boundary(X, Y, w, b, *, feature_labels: Sequence[str] = ("x₁ (dimensionless)",
                                                                      "x₂ (dimensionless)"),
                      accuracy: float | None = None,
                      title: str = "Data and the learned decision boundary", ax=None) -> Figure:
    """Two-feature data, the predicted probability as shading and the line ``a = 0.5``.

    Parameters
    ----------
    X : array_like, shape (2, m)
    Y : array_like, shape (1, m), labels 0/1
    w : array_like, shape (2, 1)
    b : float
    feature_labels : (str, str)
        Axis labels with units.
    accuracy : float, optional
        Training accuracy in [0, 1], shown in the legend.
    ax : matplotlib Axes, optional

    Returns
    -------
    Figure
    """
    X = as_matrix(X, "X", rows=2, rows_label="2")
    Y = as_labels(Y, "Y", m=X.shape[1])
    w = as_matrix(w, "w", rows=2, cols=1, rows_label="2", cols_label="1")
    b = as_float(b, "b")
    if isinstance(feature_labels, str) or len(feature_labels) != 2:
        raise TypeError("feature_labels must be a pair of strings (one per feature).")
    if accuracy is not None:
        accuracy = as_float(accuracy, "accuracy")
        if not 0 <= accuracy <= 1:
            raise ValueError(f"accuracy must be a fraction in [0, 1], got {accuracy}.")
    if ax is None:
        fig = Figure(figsize=(6.8, 5.4), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    pad = 0.6
    x1 = np.linspace(X[0].min() - pad, X[0].max() + pad, 200)
    x2 = np.linspace(X[1].min() - pad, X[1].max() + pad, 200)
    G1, G2 = np.meshgrid(x1, x2)
    Z = w[0, 0] * G1 + w[1, 0] * G2 + b
    A = np.exp(-np.logaddexp(0.0, -Z))                     # sigmoid, no overflow
    shade = ax.contourf(G1, G2, A, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    fig.colorbar(shade, ax=ax, shrink=0.85).set_label("predicted probability a = P(y = 1)")
    ax.contour(G1, G2, A, levels=[0.5], colors="black", linewidths=2)
    y = Y[0]
    ax.scatter(X[0, y == 0], X[1, y == 0], marker="o", s=28, color=COLORS["blue"],
               edgecolor="white", linewidth=0.5, label="y = 0")
    ax.scatter(X[0, y == 1], X[1, y == 1], marker="s", s=26, color=COLORS["vermillion"],
               edgecolor="white", linewidth=0.5, label="y = 1")
    ax.plot([], [], color="black", lw=2, label="decision boundary a = 0.5")
    if accuracy is not None:
        ax.plot([], [], " ", label=f"training accuracy {100 * accuracy:.1f} %")
    ax.set_xlim(x1[0], x1[-1])
    ax.set_ylim(x2[0], x2[-1])
    ax.set_xlabel(feature_labels[0])
    ax.set_ylabel(feature_labels[1])
    ax.set_title(title)
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=9)  # off the data
    n1 = int(np.count_nonzero(y == 1))
    text = sentences(
        f"{title}: a scatter plot of {counted(y.size, 'example')}, {plotted(ax)}, "
        f"{y.size - n1} with y = 0 (circles) and {n1} with y = 1 (squares), over shading of "
        f"the predicted probability a = P(y = 1); a black line marks the decision boundary "
        f"a = 0.5, where {linear_form((w[0, 0], 'x₁'), (w[1, 0], 'x₂'), (b, ''))} = 0.",
        None if accuracy is None else f"Training accuracy: {100 * accuracy:.1f} %.")
    return describe(fig, text)
