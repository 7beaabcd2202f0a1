"""Logistic regression (gdcourse.logistic): gradients, loops vs vectorized, training.

Every expected value comes from somewhere other than the code under test: central
finite differences of the cost, the textbook formulas written out here in NumPy, or
the two-loop version checked against the vectorized one.
"""

import math

import numpy as np
import pytest

from gdcourse import data, logistic

H = 1e-6  # central differences: truncation error ~ H² · J''' ≈ 1e-12, rounding ≈ 1e-16 / H


def random_problem(rng, n_x, m, scale=1.0):
    X = rng.normal(size=(n_x, m)) * scale
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = rng.normal(size=(n_x, 1))
    b = float(rng.normal())
    return w, b, X, Y


def cost_of(w, b, X, Y):
    return logistic.propagate(w, b, X, Y)[1]


def numeric_gradients(w, b, X, Y, h=H):
    """Central differences (J(θ + h) − J(θ − h)) / 2h for every weight and for b."""
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        step = np.zeros_like(w)
        step[j, 0] = h
        dw[j, 0] = (cost_of(w + step, b, X, Y) - cost_of(w - step, b, X, Y)) / (2 * h)
    db = (cost_of(w, b + h, X, Y) - cost_of(w, b - h, X, Y)) / (2 * h)
    return dw, db


def textbook(w, b, X, Y):
    """The formulas of the course notes, straight into NumPy (fine for moderate z)."""
    m = X.shape[1]
    A = 1.0 / (1.0 + np.exp(-(w.T @ X + b)))
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dZ = A - Y
    return X @ dZ.T / m, np.sum(dZ) / m, cost


# -- gradients ----------------------------------------------------------------
@pytest.mark.parametrize("seed, n_x, m", [(0, 1, 1), (1, 2, 10), (2, 3, 50), (3, 7, 200)])
def test_propagate_gradients_match_central_differences(seed, n_x, m):
    rng = np.random.default_rng(seed)
    w, b, X, Y = random_problem(rng, n_x, m)
    grads, _ = logistic.propagate(w, b, X, Y)
    dw_num, db_num = numeric_gradients(w, b, X, Y)
    assert grads["dw"].shape == (n_x, 1)
    np.testing.assert_allclose(grads["dw"], dw_num, rtol=1e-6, atol=1e-8)
    assert grads["db"] == pytest.approx(db_num, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_one_example_graph_matches_central_differences(seed):
    rng = np.random.default_rng(10 + seed)
    n_x = 3
    x = rng.normal(size=(n_x, 1))
    w = rng.normal(size=(n_x, 1))
    b = float(rng.normal())
    y = float(seed % 2)
    out = logistic.forward_backward_one(x, y, w, b)

    # forward: z = wᵀx + b, a = σ(z), L = −(y log a + (1−y) log(1−a))
    z = float(w[:, 0] @ x[:, 0]) + b
    a = 1.0 / (1.0 + math.exp(-z))
    assert out["z"] == pytest.approx(z, rel=1e-14)
    assert out["a"] == pytest.approx(a, rel=1e-14)
    assert out["L"] == pytest.approx(-(y * math.log(a) + (1 - y) * math.log(1 - a)), rel=1e-12)

    # backward, link by link: da = dL/da, dz = da · σ'(z) = da · a(1 − a) = a − y
    def L_of_a(a_):
        return -(y * math.log(a_) + (1 - y) * math.log(1 - a_))

    assert out["da"] == pytest.approx((L_of_a(a + H) - L_of_a(a - H)) / (2 * H), rel=1e-6)
    assert out["dz"] == pytest.approx(out["da"] * a * (1 - a), rel=1e-9)
    assert out["dz"] == pytest.approx(a - y, rel=1e-12)

    # and the parameters, against finite differences of the whole graph
    def L_of(w_, b_):
        return logistic.forward_backward_one(x, y, w_, b_)["L"]

    for j in range(n_x):
        e = np.zeros_like(w)
        e[j, 0] = H
        assert out["dw"][j, 0] == pytest.approx((L_of(w + e, b) - L_of(w - e, b)) / (2 * H),
                                                rel=1e-6, abs=1e-9)
    assert out["db"] == pytest.approx((L_of(w, b + H) - L_of(w, b - H)) / (2 * H), rel=1e-6)


def test_one_example_agrees_with_propagate_for_m_equal_1():
    rng = np.random.default_rng(7)
    w, b, X, Y = random_problem(rng, 4, 1)
    one = logistic.forward_backward_one(X, Y[0, 0], w, b)
    grads, cost = logistic.propagate(w, b, X, Y)
    np.testing.assert_allclose(one["dw"], grads["dw"], rtol=1e-14, atol=1e-15)
    assert one["db"] == pytest.approx(grads["db"], rel=1e-14)
    assert one["L"] == pytest.approx(cost, rel=1e-14)


# -- loops vs vectorized --------------------------------------------------------
@pytest.mark.parametrize("n_x, m", [(1, 1), (1, 9), (2, 1), (2, 100), (5, 37), (10, 400), (30, 3)])
def test_loop_version_equals_vectorized_version(n_x, m):
    rng = np.random.default_rng(n_x * 1000 + m)
    w, b, X, Y = random_problem(rng, n_x, m, scale=2.0)
    g_loop, J_loop = logistic.propagate_loops(w, b, X, Y)
    g_vec, J_vec = logistic.propagate(w, b, X, Y)
    assert isinstance(J_loop, float) and isinstance(J_vec, float)
    assert isinstance(g_loop["db"], float) and isinstance(g_vec["db"], float)
    assert g_loop["dw"].shape == g_vec["dw"].shape == (n_x, 1)
    np.testing.assert_allclose(g_loop["dw"], g_vec["dw"], rtol=0, atol=1e-12)
    assert abs(g_loop["db"] - g_vec["db"]) <= 1e-12
    assert abs(J_loop - J_vec) <= 1e-12


@pytest.mark.parametrize("n_x, m", [(1, 5), (3, 64), (8, 1000)])
def test_vectorized_version_equals_textbook_formulas(n_x, m):
    rng = np.random.default_rng(m)
    w, b, X, Y = random_problem(rng, n_x, m)
    grads, cost = logistic.propagate(w, b, X, Y)
    dw, db, J = textbook(w, b, X, Y)
    np.testing.assert_allclose(grads["dw"], dw, rtol=1e-12, atol=1e-14)
    assert grads["db"] == pytest.approx(db, rel=1e-12, abs=1e-14)
    assert cost == pytest.approx(J, rel=1e-12)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(3)
    w, b, X, Y = random_problem(rng, 3, 20)
    copies = [w.copy(), X.copy(), Y.copy()]
    logistic.propagate(w, b, X, Y)
    logistic.propagate_loops(w, b, X, Y)
    logistic.optimize(w, b, X, Y, 5, 0.1)
    for before, after in zip(copies, (w, X, Y)):
        np.testing.assert_array_equal(before, after)


def test_integer_and_boolean_inputs_give_the_float_answer():
    X = np.array([[1, 2, -1], [0, 3, 2]])
    Y = np.array([[True, False, True]])
    w = np.array([[1], [-1]])
    g_int, J_int = logistic.propagate(w, 0, X, Y)
    g_flt, J_flt = logistic.propagate(w.astype(float), 0.0, X.astype(float), Y.astype(float))
    np.testing.assert_array_equal(g_int["dw"], g_flt["dw"])
    assert J_int == J_flt


# -- sigmoid, loss, predict -----------------------------------------------------
def test_sigmoid_values_and_symmetry():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(logistic.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(logistic.sigmoid(-z), 1 - logistic.sigmoid(z), atol=1e-15)
    assert logistic.sigmoid(0) == 0.5
    assert isinstance(logistic.sigmoid(2.0), float)
    assert logistic.sigmoid(np.ones((2, 3))).shape == (2, 3)
    assert logistic.sigmoid(1.5) == pytest.approx(1 / (1 + math.exp(-1.5)), rel=1e-15)
    assert logistic.sigmoid(np.inf) == 1.0 and logistic.sigmoid(-np.inf) == 0.0


def test_loss_matches_cross_entropy():
    a = np.array([0.1, 0.5, 0.9, 0.999])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    np.testing.assert_allclose(logistic.loss(a, y), -(y * np.log(a) + (1 - y) * np.log(1 - a)),
                               rtol=1e-13)
    assert logistic.loss(0.5, 1) == pytest.approx(math.log(2), rel=1e-15)


def test_predict_thresholds_at_one_half():
    w = np.array([[1.0], [-1.0]])
    X = np.array([[2.0, 0.0, 1.0, -3.0], [1.0, 1.0, 1.0, 0.0]])   # z = 1, -1, 0, -3
    pred = logistic.predict(w, 0.0, X)
    np.testing.assert_array_equal(pred, [[1, 0, 0, 0]])            # σ(0) = 0.5 is not > 0.5
    assert pred.shape == (1, 4) and np.issubdtype(pred.dtype, np.integer)


# -- training -------------------------------------------------------------------
def smoothness(X):
    """L = λ_max(X̃ X̃ᵀ) / (4m) with X̃ = X plus a row of ones: J's gradient is L-Lipschitz."""
    Xt = np.vstack([X, np.ones((1, X.shape[1]))])
    return float(np.linalg.eigvalsh(Xt @ Xt.T)[-1]) / (4 * X.shape[1])


@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_descent_lowers_the_cost_every_step_at_a_small_rate(seed):
    X, Y = data.two_blobs(200, seed=seed)
    # J is convex and L-smooth: any rate below 2/L lowers it each step; take 1/L
    alpha = 1.0 / smoothness(X)
    params, grads, costs, history = logistic.optimize(np.zeros((2, 1)), 0.0, X, Y, 300, alpha)
    assert costs.shape == (301,)
    assert costs[0] == pytest.approx(math.log(2), rel=1e-14)      # a = 1/2 everywhere at w = 0
    assert np.all(np.diff(costs) < 0)
    assert history.stop_reason == "max_epochs"
    # what optimize returns is consistent with propagate at the returned parameters
    g, J = logistic.propagate(params["w"], params["b"], X, Y)
    assert J == costs[-1]
    np.testing.assert_array_equal(g["dw"], grads["dw"])
    assert g["db"] == grads["db"]
    # and it learned something: both weights point from class 0 to class 1
    assert np.all(params["w"] > 0.5)
    accuracy = float(np.mean(logistic.predict(params["w"], params["b"], X) == Y))
    assert accuracy > 0.85


def test_optimize_takes_exactly_the_documented_steps():
    rng = np.random.default_rng(5)
    w, b, X, Y = random_problem(rng, 3, 30)
    alpha = 0.3
    params, _, costs, _ = logistic.optimize(w, b, X, Y, 3, alpha)
    for _ in range(3):                                  # w := w − α dw, b := b − α db, by hand
        dw, db, _ = textbook(w, b, X, Y)
        w, b = w - alpha * dw, b - alpha * db
    np.testing.assert_allclose(params["w"], w, rtol=1e-12)
    assert params["b"] == pytest.approx(b, rel=1e-12)


def test_optimize_stopping_rules_are_passed_through():
    X, Y = data.two_blobs(100, seed=3)
    *_, history = logistic.optimize(np.zeros((2, 1)), 0.0, X, Y, 10_000, 0.5, grad_tol=1e-3)
    assert history.stop_reason == "gradient_norm"
    assert history.grad_norms()[-1] < 1e-3 <= history.grad_norms()[-2]
    *_, history = logistic.optimize(np.zeros((2, 1)), 0.0, X, Y, 10_000, 0.5, tol=1e-6)
    assert history.stop_reason == "tolerance"
    assert abs(history.costs[-1] - history.costs[-2]) < 1e-6


def test_minimum_is_where_the_finite_difference_gradient_vanishes():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2, 80))
    Y = (rng.random((1, 80)) < logistic.sigmoid(1.5 * X[:1] - X[1:] + 0.3)).astype(float)
    w, b = logistic.minimum(X, Y)
    assert w.shape == (2, 1) and isinstance(b, float)
    h = 1e-6

    def cost(w_, b_):
        return logistic.propagate(w_, b_, X, Y)[1]
    for j in range(2):
        step = np.zeros((2, 1))
        step[j] = h
        assert abs((cost(w + step, b) - cost(w - step, b)) / (2 * h)) < 1e-7
    assert abs((cost(w, b + h) - cost(w, b - h)) / (2 * h)) < 1e-7


def test_minimum_refuses_separable_classes():
    X = np.array([[-2.0, -1.0, 1.0, 2.0]])
    Y = np.array([[0.0, 0.0, 1.0, 1.0]])
    with pytest.raises(ValueError, match="no minimum found"):
        logistic.minimum(X, Y, max_iterations=200)


def test_descent_path_follows_the_update_rule():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(1, 30))
    Y = (rng.random((1, 30)) < 0.5).astype(float)
    path = logistic.descent_path(np.array([[-2.0]]), 3.0, X, Y, learning_rate=0.5, steps=4)
    assert path.shape == (5, 2) and path[0].tolist() == [-2.0, 3.0]
    w, b = np.array([[-2.0]]), 3.0
    for k in range(1, 5):
        grads, _ = logistic.propagate(w, b, X, Y)
        w, b = w - 0.5 * grads["dw"], b - 0.5 * grads["db"]
        assert path[k] == pytest.approx([w[0, 0], b], abs=1e-12)
