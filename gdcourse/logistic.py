"""Logistic regression, in the layout of the course notes (seeds 000-002).

Shapes: ``X`` is ``(n_x, m)`` with one example per column, ``w`` is
``(n_x, 1)``, ``Y`` is ``(1, m)`` of 0/1 labels and ``b`` a float.

Numerics: the cost is computed from ``z`` (``log(1 + e^z) - y z``), never as
``log(a)``, so it stays finite when ``a`` rounds to exactly 0 or 1; the
sigmoid uses ``e^{-|z|}``, which cannot overflow. Nothing here warns for
``|z|`` up to 1e4 and beyond.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import (describe, float_array, as_float, as_labels, as_matrix, nonnegative_int,
                        positive_float)
from .descent import gradient_descent

__all__ = [
    "sigmoid",
    "loss",
    "forward_backward_one",
    "propagate_loops",
    "propagate",
    "optimize",
    "minimum",
    "descent_path",
    "predict",
    "EPS",
]

#: Probabilities are kept in [EPS, 1 - EPS] where a formula divides by a or 1 - a.
EPS = 1e-15


# -- elementwise building blocks (no validation: internal hot path) ---------
def _sigmoid_and_softplus(z: np.ndarray):
    """Return ``sigmoid(z)`` and ``log(1 + e^z)`` without overflow.

    ``sigmoid(z) = e^{min(z, 0)} / (1 + e^{-|z|})`` and
    ``log(1 + e^z) = max(z, 0) + log1p(e^{-|z|})``: every exponent is <= 0,
    so nothing can overflow. The arithmetic writes into preallocated buffers
    (``out=``): at m = 10^6 a fresh temporary array costs about as much as the
    arithmetic itself. (A masked ``np.where`` for the numerator was slower still.)
    """
    z = np.asarray(z, dtype=float)
    e = np.abs(z, out=np.empty_like(z))
    np.negative(e, out=e)
    np.exp(e, out=e)                               # e^{-|z|}, in [0, 1]
    a = np.minimum(z, 0.0, out=np.empty_like(z))
    np.exp(a, out=a)                               # 1 where z >= 0, e^z where z < 0
    denom = np.add(e, 1.0, out=np.empty_like(z))
    np.divide(a, denom, out=a)
    softplus = np.log1p(e, out=denom)
    softplus += np.maximum(z, 0.0, out=e)
    return a, softplus


def _propagate(w, b, X, Y):
    m = X.shape[1]
    Z = w.T @ X
    Z += b
    A, loss = _sigmoid_and_softplus(Z)
    loss -= np.multiply(Y, Z, out=Z)   # log(1+e^z) - y z = -[y log a + (1-y) log(1-a)]
    cost = float(np.sum(loss)) / m
    dZ = np.subtract(A, Y, out=A)
    dw = (X @ dZ.T) / m
    db = float(np.sum(dZ)) / m
    return {"dw": dw, "db": db}, cost


def _check_wbX(w, b, X):
    X = as_matrix(X, "X")
    _check_weights_match(w, X.shape[0], "X", "feature (row of X)")
    w = as_matrix(w, "w", rows=X.shape[0], cols=1, rows_label="n_x", cols_label="1")
    b = as_float(b, "b")
    return w, b, X


def _check_weights_match(w, n_x, source, what):
    """Say plainly when ``w`` is a column of the wrong length for the data."""
    w_arr = float_array(w, "w")
    if w_arr.ndim == 2 and w_arr.shape[1] == 1 and w_arr.shape[0] != n_x:
        raise ValueError(f"w must have shape (n_x, 1) = ({n_x}, 1): one weight per {what}, "
                         f"and {source} has n_x = {n_x}; got shape {w_arr.shape}.")


# -- public API ------------------------------------------------------------
def sigmoid(z):
    """The logistic function ``1 / (1 + e^{-z})``, computed without overflow.

    Parameters
    ----------
    z : float or array_like of any shape

    Returns
    -------
    float or ndarray
        Same shape as ``z``; a Python float for scalar input.
    """
    if isinstance(z, (str, bytes)) or z is None:
        raise TypeError(f"z must be a real number or an array of them, got {describe(z)}.")
    if np.asarray(z).dtype == bool:
        raise TypeError(f"z must be a real number or an array of them, got booleans "
                        f"({describe(z)}); convert with np.asarray(z, dtype=float) if you mean 0/1.")
    arr = float_array(z, "z")          # TypeError for text, complex, objects
    if arr.size == 0:
        raise ValueError(f"z must not be empty, got shape {arr.shape}.")
    if np.isnan(arr).any():
        raise ValueError(f"z must not contain NaN, got {int(np.isnan(arr).sum())} NaN value(s).")
    if arr.ndim == 0:                       # ±inf is fine: sigmoid(±inf) = 1 or 0
        zf = float(arr)
        e = math.exp(-abs(zf))
        return 1.0 / (1.0 + e) if zf >= 0 else e / (1.0 + e)
    return _sigmoid_and_softplus(arr)[0]


def loss(a, y):
    """Cross-entropy loss of one prediction, ``-(y log a + (1 - y) log(1 - a))``.

    ``a`` is clipped to ``[EPS, 1 - EPS]`` so that a prediction that rounded
    to exactly 0 or 1 gives a large finite loss (about 34.5) instead of inf.

    Parameters
    ----------
    a : float or ndarray
        Predicted probabilities in [0, 1].
    y : float or ndarray, same shape as ``a``
        Labels, 0 or 1.
    """
    a_arr = float_array(a, "a")
    y_arr = float_array(y, "y")
    if a_arr.size == 0:
        raise ValueError(f"a must not be empty, got shape {a_arr.shape}.")
    if a_arr.shape != y_arr.shape:
        raise ValueError(f"a and y must have the same shape (one label per prediction), "
                         f"got a of shape {a_arr.shape} and y of shape {y_arr.shape}.")
    if np.isnan(a_arr).any():
        raise ValueError(f"a must hold probabilities in [0, 1] (the output of sigmoid), "
                         f"got {int(np.isnan(a_arr).sum())} NaN value(s).")
    outside = a_arr[(a_arr < 0) | (a_arr > 1)]
    if outside.size:
        raise ValueError(f"a must hold probabilities in [0, 1] (the output of sigmoid), got "
                         f"values such as {outside[:3].tolist()}; did you pass z instead of "
                         f"sigmoid(z)?")
    bad_y = y_arr[~np.isin(y_arr, (0.0, 1.0))]
    if bad_y.size:
        raise ValueError(f"y must hold labels 0 or 1, got values such as {bad_y[:3].tolist()}.")
    a_c = np.clip(a_arr, EPS, 1 - EPS)
    out = -(y_arr * np.log(a_c) + (1 - y_arr) * np.log1p(-a_c))
    return float(out) if out.ndim == 0 else out


def forward_backward_one(x, y, w, b) -> dict:
    """Forward and backward pass for ONE example (seed 001's computation graph).

    Parameters
    ----------
    x : array_like, shape (n_x, 1)
        The example's features, as a column.
    y : {0, 1}
        Its label.
    w : array_like, shape (n_x, 1)
    b : float

    Returns
    -------
    dict
        ``z, a, L`` (forward, floats), ``da, dz`` (floats), ``dw`` (shape
        ``(n_x, 1)``) and ``db`` (float). ``da = -y/a + (1-y)/(1-a)`` uses
        ``a`` clipped to ``[EPS, 1-EPS]``; ``dz = a - y`` is exact.
    """
    x = as_matrix(x, "x", cols=1, cols_label="1")
    _check_weights_match(w, x.shape[0], "x", "feature (row of x)")
    w = as_matrix(w, "w", rows=x.shape[0], cols=1, rows_label="n_x", cols_label="1")
    b = as_float(b, "b")
    y = as_float(y, "y")
    if y not in (0.0, 1.0):
        raise ValueError(f"y must be a label 0 or 1, got {y!r}.")
    z = float((w.T @ x)[0, 0] + b)
    a, softplus = _sigmoid_and_softplus(np.array(z))
    a = float(a)
    L = float(softplus) - y * z
    a_c = min(max(a, EPS), 1 - EPS)
    da = -y / a_c + (1 - y) / (1 - a_c)
    dz = a - y
    return {"z": z, "a": a, "L": L, "da": da, "dz": dz, "dw": x * dz, "db": dz}


def propagate_loops(w, b, X, Y):
    """Cost and gradients over m examples with two explicit Python loops.

    The teaching version of seed 000: a loop over the examples and, inside
    it, a loop over the features, with accumulators ``J``, ``dw[j]``, ``db``
    that are divided by ``m`` at the end. Same inputs and outputs as
    :func:`propagate`; slow on purpose.

    Returns
    -------
    grads : dict
        ``{"dw": ndarray (n_x, 1), "db": float}``
    cost : float
    """
    w, b, X = _check_wbX(w, b, X)
    n_x, m = X.shape
    Y = as_labels(Y, "Y", m=m)
    J = 0.0
    dw = [0.0] * n_x
    db = 0.0
    for i in range(m):                      # the seed counts i = 1..m; Python counts 0..m-1
        z_i = b
        for j in range(n_x):
            z_i += float(w[j, 0]) * float(X[j, i])
        e = math.exp(-abs(z_i))
        a_i = 1.0 / (1.0 + e) if z_i >= 0 else e / (1.0 + e)
        y_i = float(Y[0, i])
        J += max(z_i, 0.0) + math.log1p(e) - y_i * z_i   # = -(y log a + (1-y) log(1-a))
        dz_i = a_i - y_i
        for j in range(n_x):
            dw[j] += float(X[j, i]) * dz_i
        db += dz_i
    J /= m
    dw = np.array(dw).reshape(n_x, 1) / m
    db /= m
    return {"dw": dw, "db": db}, J


def propagate(w, b, X, Y):
    """Vectorized cost and gradients over m examples (no Python loop).

    Parameters
    ----------
    w : ndarray, shape (n_x, 1)
    b : float
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m), labels 0/1

    Returns
    -------
    grads : dict
        ``{"dw": ndarray (n_x, 1), "db": float}``
    cost : float
        ``J = -(1/m) Σ [y log a + (1 - y) log(1 - a)]``
    """
    w, b, X = _check_wbX(w, b, X)
    Y = as_labels(Y, "Y", m=X.shape[1])
    return _propagate(w, b, X, Y)


def optimize(w, b, X, Y, num_iterations, learning_rate, *, tol=None, grad_tol=None):
    """Train logistic regression by batch gradient descent.

    Parameters
    ----------
    w : ndarray, shape (n_x, 1)
        Starting weights (not modified).
    b : float
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
    num_iterations : int
        Largest number of updates.
    learning_rate : float
        alpha, > 0.
    tol, grad_tol : float, optional
        Extra stopping rules, see :func:`gdcourse.descent.gradient_descent`.

    Returns
    -------
    params : dict
        ``{"w": (n_x, 1), "b": float}`` after the last update.
    grads : dict
        ``{"dw", "db"}`` at the returned parameters.
    costs : ndarray, shape (n_epochs,)
        The cost before each update, and at the end (``costs[0]`` is the start).
    history : History
        The full record, with ``history.stop_reason``.
    """
    w, b, X = _check_wbX(w, b, X)
    Y = as_labels(Y, "Y", m=X.shape[1])
    num_iterations = nonnegative_int(num_iterations, "num_iterations")
    learning_rate = positive_float(learning_rate, "learning_rate")

    def grad_fn(p):
        g, cost = _propagate(p["w"], p["b"], X, Y)
        return cost, {"w": g["dw"], "b": g["db"]}

    history = gradient_descent(grad_fn, {"w": w, "b": b}, learning_rate,
                               max_epochs=num_iterations, tol=tol, grad_tol=grad_tol)
    last = history.grads[-1]
    params = {"w": history.final_params["w"], "b": history.final_params["b"]}
    return params, {"dw": last["w"], "db": last["b"]}, np.array(history.costs), history


def minimum(X, Y, *, learning_rate: float = 4.0, grad_tol: float = 1e-10,
            max_iterations: int = 10_000):
    """The parameters where the cost is lowest, found by gradient descent from zero.

    For the notebooks that need the bottom of the bowl before gradient descent is
    taught. It runs :func:`optimize` from ``w = 0, b = 0`` until the gradient's norm is
    below ``grad_tol``, and raises if that takes more than ``max_iterations`` updates
    (data that the classes separate perfectly have no minimum).

    Returns
    -------
    w : ndarray, shape (n_x, 1)
    b : float
    """
    X = as_matrix(X, "X")
    w0 = np.zeros((X.shape[0], 1))
    params, _, _, history = optimize(w0, 0.0, X, Y, max_iterations, learning_rate,
                                     grad_tol=positive_float(grad_tol, "grad_tol"))
    if history.stop_reason != "gradient_norm":
        raise ValueError(f"no minimum found: after {history.n_updates} updates the run stopped "
                         f"({history.stop_reason}) with the gradient still above grad_tol = "
                         f"{grad_tol:g}; the classes may be separable, or learning_rate too "
                         "large.")
    return params["w"], float(params["b"])


def descent_path(w, b, X, Y, learning_rate: float, steps: int) -> np.ndarray:
    """The parameters after each of ``steps`` gradient-descent updates from ``(w, b)``.

    Returns
    -------
    ndarray, shape (steps + 1, n_x + 1)
        Row k holds ``w`` (its n_x entries) then ``b``, after k updates (row 0 is the start).
    """
    _, _, _, history = optimize(w, b, X, Y, steps, learning_rate)
    return np.array([np.append(np.ravel(p["w"]), p["b"]) for p in history.params])


def predict(w, b, X):
    """Predicted labels: 1 where ``a > 0.5`` (that is ``z > 0``), else 0.

    Returns
    -------
    ndarray of int, shape (1, m)
    """
    w, b, X = _check_wbX(w, b, X)
    return ((w.T @ X + b) > 0).astype(int)
