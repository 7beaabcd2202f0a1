"""Stability at the extremes: finite values and no floating-point warnings.

Every test runs with Python warnings turned into errors and NumPy's overflow, divide-by-zero
and invalid-operation flags set to raise. Underflow stays allowed: e^(−10⁴) is 0 in float64,
and a result that rounds to 0 there is the correct answer, not a failure.
"""

import contextlib
import math
import warnings

import numpy as np
import pytest

from gdcourse import linear, logistic

EXTREMES = [0.0, 1e-300, 0.5, 1.0, 20.0, 36.0, 37.0, 40.0, 100.0, 500.0, 709.0, 710.0,
            745.0, 746.0, 800.0, 1e3, 5e3, 1e4]


@contextlib.contextmanager
def strict():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


def reference_sigmoid(z: float) -> float:
    """σ(z) with Python's math module (math.exp(−large) underflows quietly to 0.0)."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    return math.exp(z) / (1.0 + math.exp(z))


def test_sigmoid_is_finite_exact_and_monotone_up_to_1e4():
    z = np.array(sorted({s * v for v in EXTREMES for s in (-1.0, 1.0)}))
    with strict():
        a = logistic.sigmoid(z)
        scalars = [logistic.sigmoid(float(v)) for v in z]
    assert np.all(np.isfinite(a)) and np.all((a >= 0) & (a <= 1))
    assert np.all(np.diff(a) >= 0)
    np.testing.assert_allclose(a, scalars, rtol=1e-15, atol=0)    # numpy vs math exp: 1 ulp
    # accurate, not merely finite: relative error ~1e-16 even where σ is 1e-300
    np.testing.assert_allclose(a, [reference_sigmoid(v) for v in z], rtol=1e-15, atol=0)
    assert a[0] == 0.0 and a[-1] == 1.0                      # z = ∓1e4
    assert logistic.sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-15)


@pytest.mark.parametrize("z", [37.0, 40.0, 800.0, 1e4])
def test_cost_and_gradients_at_large_z_are_the_exact_values(z):
    # one feature, x = ±z, w = 1, b = 0, so the four examples have z = z, −z, z, −z
    X = np.array([[z, -z, z, -z]])
    Y = np.array([[1.0, 1.0, 0.0, 0.0]])
    w = np.array([[1.0]])
    # L(z, y) = log(1 + e^z) − y z:  L(z, 1) = log(1 + e^−z),  L(−z, 1) = z + log(1 + e^−z),
    # L(z, 0) = z + log(1 + e^−z),  L(−z, 0) = log(1 + e^−z)  →  J = z/2 + log1p(e^−z)
    J = z / 2 + math.log1p(math.exp(-z))
    # dz = a − y = [σ(z) − 1, σ(−z) − 1, σ(z), σ(−z)];  dw = mean(x · dz),  db = mean(dz)
    s, t = reference_sigmoid(z), reference_sigmoid(-z)
    dz = np.array([s - 1, t - 1, s, t])
    dw, db = float(np.mean(X[0] * dz)), float(np.mean(dz))
    for propagate in (logistic.propagate, logistic.propagate_loops):
        with strict():
            grads, cost = propagate(w, 0.0, X, Y)
        assert cost == pytest.approx(J, rel=1e-15)
        assert grads["dw"][0, 0] == pytest.approx(dw, rel=1e-12)
        assert grads["db"] == pytest.approx(db, abs=1e-15)


def test_loops_and_vectorized_agree_at_extreme_scales():
    rng = np.random.default_rng(42)
    X = rng.normal(size=(3, 200)) * 3e3                    # |z| up to about 1e4
    Y = (rng.random((1, 200)) < 0.5).astype(float)
    w = rng.normal(size=(3, 1))
    with strict():
        g_loop, J_loop = logistic.propagate_loops(w, 0.7, X, Y)
        g_vec, J_vec = logistic.propagate(w, 0.7, X, Y)
    assert np.abs(w.T @ X).max() > 5e3
    assert np.isfinite(J_vec) and np.all(np.isfinite(g_vec["dw"]))
    assert J_vec == pytest.approx(J_loop, rel=1e-12)
    np.testing.assert_allclose(g_vec["dw"], g_loop["dw"], rtol=1e-12)
    assert g_vec["db"] == pytest.approx(g_loop["db"], rel=1e-12, abs=1e-12)


def test_loss_is_finite_when_predictions_reach_exactly_0_or_1():
    a = np.array([0.0, 1.0, 0.0, 1.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    with strict():
        L = logistic.loss(a, y)
        scalar = logistic.loss(1.0, 0)
    assert np.all(np.isfinite(L))
    assert L[0] == pytest.approx(0.0, abs=1e-12) and L[1] == pytest.approx(0.0, abs=1e-12)
    # confidently wrong costs about −log(1e-15) = 15 ln 10 ≈ 34.5, a large finite number
    np.testing.assert_allclose(L[2:], 15 * math.log(10), rtol=1e-2)
    assert scalar == L[3]


@pytest.mark.parametrize("z", [-1e4, -800.0, -40.0, 40.0, 800.0, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_one_example_graph_at_the_extremes(z, y):
    x = np.array([[z], [0.0]])
    w = np.array([[1.0], [3.0]])
    with strict():
        out = logistic.forward_backward_one(x, y, w, 0.0)
    assert all(np.all(np.isfinite(v)) for v in out.values())
    a = reference_sigmoid(z)
    assert out["a"] == pytest.approx(a, rel=1e-15)
    assert out["dz"] == a - y                                      # exact, no clipping
    assert out["L"] == pytest.approx(math.log1p(math.exp(-abs(z))) + max(z, 0.0) - y * z,
                                     rel=1e-15, abs=1e-300)
    np.testing.assert_array_equal(out["dw"], x * (a - y))


def test_training_on_separable_data_with_a_huge_rate_stays_finite():
    # separable data: the optimal weights are infinite, so |z| grows without bound
    X = np.array([[-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]])
    Y = np.array([[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]])
    with strict():
        params, grads, costs, history = logistic.optimize(np.zeros((1, 1)), 0.0, X, Y, 200, 1e3)
    assert np.abs(params["w"][0, 0] * X).max() > 1e3
    assert np.all(np.isfinite(costs)) and np.isfinite(grads["dw"]).all()
    assert history.stop_reason == "max_epochs"
    assert costs[-1] < 1e-10


def test_linear_divergence_with_a_huge_rate_is_reported_without_warnings():
    x = np.array([1.0, 2.0, 4.0, 6.0, 8.0])
    y = 3 * x + 1
    with strict():
        history = linear.train(x, y, 1e200, max_epochs=50)
    assert history.stop_reason == "diverged"
    assert history.n_updates <= 2


@pytest.mark.parametrize("c", [1e-170, 1e-150, 1e150, 1e200])
def test_linear_regression_at_extreme_scales_scales_exactly(c):
    # Scaling x by c scales its mean and std by c and the least-squares slope by 1/c; at these
    # scales the plain formulas under- or overflow (x² leaves the float range), so this checks
    # the rescaled fallback, warning-free (pytest turns warnings into errors).
    x = np.array([1.0, 2.0, 4.0, 6.0, 8.0])
    y = np.array([40.0, 50.0, 70.0, 90.0, 110.0])
    plain = linear.Standardizer.fit(x)
    scaled = linear.Standardizer.fit(c * x)
    assert scaled.mean == pytest.approx(c * plain.mean, rel=1e-12)
    assert scaled.std == pytest.approx(c * plain.std, rel=1e-12)
    w, b = linear.closed_form(x, y)
    w_c, b_c = linear.closed_form(c * x, y)
    assert w_c == pytest.approx(w / c, rel=1e-12) and b_c == pytest.approx(b, rel=1e-12)
