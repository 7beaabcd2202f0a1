"""Linear regression with MSE (gdcourse.linear) and the salary example of seed 003."""

import math

import numpy as np
import pytest

from gdcourse import data, linear

H = 1e-6


def random_xy(seed, n=40):
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, size=n)
    y = 1.7 * x - 4.0 + rng.normal(0.0, 0.5, size=n)
    return x, y


# -- cost and gradients ---------------------------------------------------------
@pytest.mark.parametrize("seed", range(4))
def test_gradients_match_central_differences(seed):
    x, y = random_xy(seed, n=5 + 10 * seed)
    rng = np.random.default_rng(100 + seed)
    w, b = rng.normal(size=2)
    dw, db = linear.gradients(w, b, x, y)
    dw_num = (linear.cost(w + H, b, x, y) - linear.cost(w - H, b, x, y)) / (2 * H)
    db_num = (linear.cost(w, b + H, x, y) - linear.cost(w, b - H, x, y)) / (2 * H)
    assert dw == pytest.approx(dw_num, rel=1e-6, abs=1e-7)
    assert db == pytest.approx(db_num, rel=1e-6, abs=1e-7)


def test_cost_and_gradients_by_hand():
    # x = [0, 1, 2], y = [1, 1, 1], w = 1, b = 0: residuals ŷ − y = [−1, 0, 1]
    x, y = [0.0, 1.0, 2.0], [1.0, 1.0, 1.0]
    assert linear.cost(1.0, 0.0, x, y) == pytest.approx(2 / 3)          # (1 + 0 + 1) / 3
    dw, db = linear.gradients(1.0, 0.0, x, y)
    assert dw == pytest.approx(2 / 3 * (-1 * 0 + 0 * 1 + 1 * 2))         # (2/n) Σ r x
    assert db == pytest.approx(0.0, abs=1e-15)                           # (2/n) Σ r
    np.testing.assert_allclose(linear.predict(2.0, 1.0, x), [1.0, 3.0, 5.0])


def test_closed_form_matches_numpy_least_squares():
    x, y = random_xy(7)
    w, b = linear.closed_form(x, y)
    w_ref, b_ref = np.polyfit(x, y, 1)
    assert w == pytest.approx(w_ref, rel=1e-10)
    assert b == pytest.approx(b_ref, rel=1e-10)
    # the minimum: the gradient vanishes there
    assert np.allclose(linear.gradients(w, b, x, y), 0.0, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_descent_converges_to_the_closed_form(seed):
    x, y = random_xy(seed)          # raw x (mean 3, std 2): an elongated bowl
    eta = 0.9 * linear.max_stable_learning_rate(x)
    history = linear.train(x, y, eta, max_epochs=5000, grad_tol=1e-11)
    assert history.stop_reason == "gradient_norm"
    w, b = linear.closed_form(x, y)
    assert history.final_params["w"] == pytest.approx(w, abs=1e-9)
    assert history.final_params["b"] == pytest.approx(b, abs=1e-9)
    assert history.final_cost == pytest.approx(linear.cost(w, b, x, y), rel=1e-12)


def test_train_records_the_true_cost_and_gradients():
    x, y = random_xy(11, n=12)
    history = linear.train(x, y, 0.01, w0=0.5, b0=-1.0, max_epochs=4)
    for p, J, g in zip(history.params, history.costs, history.grads):
        assert J == pytest.approx(linear.cost(p["w"], p["b"], x, y), rel=1e-13)
        assert (g["w"], g["b"]) == pytest.approx(linear.gradients(p["w"], p["b"], x, y),
                                                 rel=1e-12)
    assert history.params[0] == {"w": 0.5, "b": -1.0}


# -- the salary example ---------------------------------------------------------
def test_salary_first_five_epochs_at_eta_0_1():
    # Derivation (seed 003, w = b = 0 at the start, η = 0.1).
    # Data: x = [1, 2, 4, 6, 8], y = [40k, 50k, 70k, 90k, 110k], so y = 10 000·x + 30 000
    # exactly. Standardising is affine, and the positive factor 10 000 cancels:
    #   y_n = (y − ȳ)/σ_y = (10 000 (x − x̄)) / (10 000 σ_x) = x_n   (equal up to rounding).
    # By construction mean(x_n) = 0 and mean(x_n²) = 1 (population std). Then
    #   J(w, b) = mean((w x_n + b − x_n)²) = (w − 1)² mean(x_n²) + 2(w − 1) b mean(x_n) + b²
    #           = (w − 1)² + b²,
    #   ∂J/∂w = 2(w − 1),   ∂J/∂b = 2b.
    # b starts at 0 and its gradient is 2b = 0, so b stays 0 for ever. For w:
    #   w_{t+1} = w_t − 0.1 · 2(w_t − 1)  ⇔  1 − w_{t+1} = 0.8 (1 − w_t)  ⇒  w_t = 1 − 0.8^t,
    #   J_t = (w_t − 1)² = 0.64^t,   ∂J/∂w at epoch t = 2(w_t − 1) = −2 · 0.8^t.
    # Epochs 0..4: w = 0, 0.2, 0.36, 0.488, 0.5904; J = 1, 0.64, 0.4096, 0.262144, 0.16777216;
    # ∂J/∂w = −2, −1.6, −1.28, −1.024, −0.8192. (The seed's trace table prints J = 0.6000,
    # ∂J/∂w = −1.5492 at epoch 1: those are not what its own update rule gives.)
    x, y = data.salary()
    x_n = linear.Standardizer.fit(x).transform(x)
    y_n = linear.Standardizer.fit(y).transform(y)
    history = linear.train(x_n, y_n, 0.1, max_epochs=5)
    t = np.arange(6)
    assert history.epochs == list(range(6))
    assert history.stop_reason == "max_epochs"
    np.testing.assert_allclose(history.param("w"), 1 - 0.8 ** t, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.param("b"), 0.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.costs, 0.64 ** t, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.grad("w"), -2 * 0.8 ** t, rtol=0, atol=1e-12)
    np.testing.assert_allclose(history.grad("b"), 0.0, rtol=0, atol=1e-12)
    # the first five rows of the printed trace table, to its 4 decimals
    lines = history.table(decimals=4).splitlines()
    assert lines[0].split() == ["epoch", "w", "b", "J", "∂J/∂w", "∂J/∂b"]
    for k in range(5):
        expected = [str(k), f"{1 - 0.8 ** k:.4f}", "0.0000", f"{0.64 ** k:.4f}",
                    f"{-2 * 0.8 ** k:.4f}", "0.0000"]
        assert lines[2 + k].split() == expected


def test_salary_fit_back_in_dollars():
    # y = 10 000 x + 30 000 exactly (check: 1 → 40k, 8 → 110k), so the best line is that one
    x, y = data.salary()
    xs, ys = linear.Standardizer.fit(x), linear.Standardizer.fit(y)
    history = linear.train(xs.transform(x), ys.transform(y), 0.1, max_epochs=1000, grad_tol=1e-12)
    slope, intercept = linear.to_original_units(history.final_params["w"],
                                                history.final_params["b"], xs, ys)
    assert slope == pytest.approx(10_000.0, rel=1e-9)
    assert intercept == pytest.approx(30_000.0, rel=1e-9)
    assert linear.closed_form(x, y) == pytest.approx((10_000.0, 30_000.0), rel=1e-12)


def test_standardizer_uses_the_population_std_and_inverts():
    v = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])   # mean 5, population std 2
    s = linear.Standardizer.fit(v)
    assert (s.mean, s.std) == (5.0, 2.0)
    z = s.transform(v)
    assert z.mean() == pytest.approx(0.0, abs=1e-15)
    assert np.mean(z * z) == pytest.approx(1.0, rel=1e-15)
    np.testing.assert_allclose(s.inverse(z), v, rtol=1e-15)


# -- the stability limit of the learning rate ----------------------------------
def test_max_stable_rate_is_one_for_standardized_x():
    # seed 003's hint: stable iff |1 − η (2/n) Σ x²| < 1, i.e. η < n / Σ x² = 1 when mean(x²) = 1
    x, _ = data.salary()
    x_n = linear.Standardizer.fit(x).transform(x)
    assert linear.max_stable_learning_rate(x_n) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(linear.hessian(x_n), 2 * np.eye(2), atol=1e-15)


def test_at_exactly_the_limit_the_salary_weight_oscillates_for_ever():
    # η = 1 on the salary data: w_{t+1} = w_t − 2(w_t − 1), so 1 − w flips sign: w = 0, 2, 0, 2…
    x, y = data.salary()
    x_n, y_n = (linear.Standardizer.fit(v).transform(v) for v in (x, y))
    history = linear.train(x_n, y_n, 1.0, max_epochs=20)
    np.testing.assert_allclose(history.param("w"), [0.0, 2.0] * 10 + [0.0], atol=1e-12)
    np.testing.assert_allclose(history.costs, 1.0, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_below_the_limit_converges_above_it_diverges(seed):
    x, y = random_xy(seed)
    limit = linear.max_stable_learning_rate(x)
    below = linear.train(x, y, 0.98 * limit, max_epochs=20_000, grad_tol=1e-8)
    assert below.stop_reason == "gradient_norm"
    above = linear.train(x, y, 1.02 * limit, max_epochs=20_000)
    assert above.stop_reason == "diverged"
    assert np.all(np.isfinite(above.costs))       # reported, not carried on into inf / NaN
    assert above.costs[-1] > 1e8 * above.costs[0]


def test_salary_at_eta_1_5_is_reported_as_diverged_not_printed_as_nan():
    # J_t = (1 − w_t)² with 1 − w_{t+1} = (1 − 2η)(1 − w_t) = −2 (1 − w_t): J_t = 4^t.
    # The loop stops at the first t with 4^t > 1e8 (the default divergence_factor): t = 14.
    x, y = data.salary()
    x_n, y_n = (linear.Standardizer.fit(v).transform(v) for v in (x, y))
    history = linear.train(x_n, y_n, 1.5, max_epochs=1000)
    assert history.stop_reason == "diverged"
    assert history.n_updates == math.ceil(math.log(1e8) / math.log(4)) == 14
    np.testing.assert_allclose(history.costs, 4.0 ** np.arange(15), rtol=1e-9)
    text = history.table(max_rows=None)
    assert "nan" not in text.lower() and "inf" not in text.lower()
    assert text.splitlines()[-1].startswith("stopped after 14 updates: diverged")


def test_hessian_eigenvalues_are_the_curvatures_along_the_eigenvectors():
    x = np.array([1.0, 2.0, 4.0, 6.0, 8.0])
    lam = linear.hessian_eigenvalues(x)
    H = linear.hessian(x)
    assert lam[0] < lam[1]
    # trace and determinant of the 2×2 Hessian, written out
    assert lam.sum() == pytest.approx(2 * np.mean(x * x) + 2, rel=1e-12)
    assert lam.prod() == pytest.approx(4 * (np.mean(x * x) - np.mean(x) ** 2), rel=1e-12)
    assert linear.max_stable_learning_rate(x) == pytest.approx(2 / lam[1], rel=1e-12)
    assert np.linalg.det(H - lam[0] * np.eye(2)) == pytest.approx(0.0, abs=1e-9)
