"""What the widgets must show, computed here from the course's data and math.

These numbers are worked out in the test process, independently of the
widget code they check: the salary data comes from ``gdcourse.data`` and the
math (normalisation with the population std, the MSE Hessian, the update
rule) is written out with NumPy.
"""

from __future__ import annotations

import numpy as np

from gdcourse import data

__all__ = ["salary_normalised", "mse_hessian", "largest_converging_rate",
           "contraction_factor", "breast_cancer_texture_slice", "wavy", "descend", "signed",
           "one_example_graph", "linear_gd", "least_squares", "rate_regime",
           "gd_trace", "first_stop"]


def salary_normalised() -> tuple[np.ndarray, np.ndarray]:
    """Years and salary of the seed-003 example, each standardised (population std)."""
    years, salary = data.salary()
    years, salary = np.asarray(years, float), np.asarray(salary, float)
    return (years - years.mean()) / years.std(), (salary - salary.mean()) / salary.std()


def mse_hessian(x) -> np.ndarray:
    """Hessian of J(w, b) = (1/n) Σ (w x + b − y)²: (2/n) [[Σx², Σx], [Σx, n]]."""
    x = np.asarray(x, float)
    n = x.size
    return (2.0 / n) * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), n]])


def contraction_factor(rate: float, x) -> float:
    """max |1 − η λ| over the Hessian's eigenvalues: how much one step scales the error."""
    lams = np.linalg.eigvalsh(mse_hessian(x))
    return float(np.max(np.abs(1.0 - rate * lams)))


def largest_converging_rate(x, step: float) -> float:
    """The largest multiple of ``step`` whose contraction factor is below 1."""
    k = 1
    while contraction_factor((k + 1) * step, x) < 1.0 - 1e-12:
        k += 1
    return round(k * step, 10)


def breast_cancer_texture_slice():
    """``J(w)`` and ``dJ/dw`` of the logistic cost along ``w`` at the best ``b`` (notebook 00).

    One feature ("mean texture", standardised); ``b*`` is the optimum found
    by ``gdcourse.logistic.optimize`` with the notebook's settings.
    """
    from gdcourse import linear, logistic

    X_raw, Y, _ = data.breast_cancer(("mean texture",))
    x = linear.Standardizer.fit(X_raw[0]).transform(X_raw[0]).reshape(1, -1)
    params, _, _, _ = logistic.optimize(np.zeros((1, 1)), 0.0, x, Y, num_iterations=5000,
                                        learning_rate=4.0, grad_tol=1e-10)
    b_star = params["b"]

    def J(w):
        return float(logistic.propagate(np.array([[w]]), b_star, x, Y)[1])

    def dJ(w):
        return float(logistic.propagate(np.array([[w]]), b_star, x, Y)[0]["dw"][0, 0])

    return J, dJ


def wavy(w):
    """Notebook 00's non-convex curve ``1 + w²/10 + 0.8 sin 2w`` and its derivative."""
    return 1.0 + w ** 2 / 10.0 + 0.8 * np.sin(2.0 * w), w / 5.0 + 1.6 * np.cos(2.0 * w)


def descend(dJ, w0: float, alpha: float, steps: int) -> list[float]:
    """``w_0 … w_steps`` of the update rule ``w := w − α dJ/dw``."""
    ws = [float(w0)]
    for _ in range(steps):
        ws.append(ws[-1] - alpha * dJ(ws[-1]))
    return ws


def signed(value: float, decimals: int) -> str:
    """``+1.2345`` / ``-1.2345`` (never ``-0.0000``), as the readouts print numbers."""
    text = f"{value:+.{decimals}f}"
    return "+" + text[1:] if float(text) == 0 else text


def one_example_graph(x1, x2, y, w1, w2, b) -> dict:
    """Forward and backward values of one logistic example with two features, by hand."""
    z = w1 * x1 + w2 * x2 + b
    a = 1.0 / (1.0 + np.exp(-z))
    return {"z": z, "a": a, "L": -(y * np.log(a) + (1 - y) * np.log(1 - a)),
            "da": -y / a + (1 - y) / (1 - a), "dadz": a * (1 - a), "dz": a - y,
            "dw1": x1 * (a - y), "dw2": x2 * (a - y), "db": a - y}


def linear_gd(x, y, learning_rate: float, epochs: int, divergence_factor: float = 1e8):
    """Batch gradient descent on the MSE of ``w x + b`` from ``w = b = 0``.

    Stops early with ``"diverged"`` once the cost exceeds ``divergence_factor``
    times the starting cost (the course's rule), else after ``epochs`` updates
    (``"max_epochs"``). Returns ``(w, b, cost, updates_made, stop_reason)``.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    w = b = 0.0
    first = float(np.mean((w * x + b - y) ** 2))
    for t in range(1, epochs + 1):
        r = w * x + b - y
        w, b = w - learning_rate * 2.0 * np.mean(r * x), b - learning_rate * 2.0 * np.mean(r)
        cost = float(np.mean((w * x + b - y) ** 2))
        if not np.isfinite(cost) or cost > divergence_factor * max(first, 1e-12):
            return w, b, cost, t, "diverged"
    return w, b, cost, epochs, "max_epochs"


def least_squares(x, y) -> tuple[float, float]:
    """The minimum ``(w*, b*)`` of the MSE, by ``numpy.linalg.lstsq``."""
    x = np.asarray(x, float)
    (w, b), *_ = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), np.asarray(y, float),
                                 rcond=None)
    return float(w), float(b)


def rate_regime(learning_rate: float, x) -> str:
    """Converges (monotone), converges zig-zagging, oscillates, or diverges: from η·λ_max."""
    q = learning_rate * float(np.linalg.eigvalsh(mse_hessian(x)).max())
    if abs(q - 2.0) <= 2e-9:
        return "oscillates for ever"
    if q > 2.0:
        return "diverges"
    return "converges" if q <= 1.0 + 1e-9 else "converges, zig-zagging"


def gd_trace(x, y, learning_rate: float, epochs: int):
    """Per epoch ``t = 0 … epochs`` of GD on the MSE from 0: ``(w, b, J, ‖∇J‖)``."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    w = b = 0.0
    rows = []
    for _ in range(epochs + 1):
        r = w * x + b - y
        dw, db = 2.0 * np.mean(r * x), 2.0 * np.mean(r)
        rows.append((w, b, float(np.mean(r * r)), float(np.hypot(dw, db))))
        w, b = w - learning_rate * dw, b - learning_rate * db
    return rows


def first_stop(rows, rule: str, threshold) -> int | None:
    """Epoch at which a stopping rule fires on a :func:`gd_trace`, or None.

    tolerance: first ``t >= 1`` with ``|J(t) − J(t−1)| < ε``; gradient_norm:
    first ``t`` with ``‖∇J(t)‖ < g``; max_epochs: ``t = threshold``.
    """
    if rule == "max_epochs":
        return threshold if threshold < len(rows) else None
    for t, (_, _, cost, gnorm) in enumerate(rows):
        if rule == "gradient_norm" and gnorm < threshold:
            return t
        if rule == "tolerance" and t >= 1 and abs(cost - rows[t - 1][2]) < threshold:
            return t
    return None
