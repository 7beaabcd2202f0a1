"""MAE, Huber, hinge and MSE with their (sub)gradients (gdcourse.losses)."""

import numpy as np
import pytest

from gdcourse import descent, linear, losses, synthetic


def central_difference(f, r, h=1e-6):
    return (f(r + h) - f(r - h)) / (2 * h)


# points away from the kinks (0 for MAE, ±delta for Huber's second derivative, 1 for hinge)
R = np.array([-3.1, -1.7, -0.6, -0.05, 0.05, 0.4, 0.9, 2.3, 5.0])


@pytest.mark.parametrize("name", ["mse", "mae", "huber"])
def test_regression_loss_derivatives_match_finite_differences(name):
    f, df = losses.REGRESSION_LOSSES[name]
    np.testing.assert_allclose(df(R), central_difference(f, R), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5])
def test_huber_pieces_and_derivative(delta):
    r = np.array([-4.0, -delta, -0.1, 0.0, 0.2, delta, 7.0])
    expected = [0.5 * v * v if abs(v) <= delta else delta * (abs(v) - delta / 2) for v in r]
    np.testing.assert_allclose(losses.huber(r, delta), expected, rtol=1e-14)
    # differentiable at ±delta too: one-sided slopes agree
    for k in (-delta, delta):
        left = (losses.huber(k, delta) - losses.huber(k - 1e-7, delta)) / 1e-7
        right = (losses.huber(k + 1e-7, delta) - losses.huber(k, delta)) / 1e-7
        assert left == pytest.approx(right, abs=1e-5)
        assert losses.huber_grad(k, delta) == pytest.approx(left, abs=1e-5)
    r = np.linspace(-5, 5, 23) + 0.013
    np.testing.assert_allclose(losses.huber_grad(r, delta),
                               central_difference(lambda v: losses.huber(v, delta), r),
                               rtol=1e-6, atol=1e-8)


def test_huber_tails_do_not_overflow():
    # only the linear branch is used out here; squaring r there would overflow to inf
    r = np.array([-1e160, 1e160, 1e300])
    np.testing.assert_allclose(losses.huber(r, 0.5), 0.5 * (np.abs(r) - 0.25), rtol=1e-15)
    cost, _ = losses.linear_cost("huber", 0.0, 0.0, [1.0, 2.0], [0.0, 1e160], delta=1.0)
    assert np.isfinite(cost)


def test_mae_kink_subgradient():
    # the one-sided slopes at 0 are −1 and +1; the subgradient we use (0) lies between
    left = (losses.mae(0.0) - losses.mae(-1e-8)) / 1e-8
    right = (losses.mae(1e-8) - losses.mae(0.0)) / 1e-8
    assert left == pytest.approx(-1.0) and right == pytest.approx(1.0)
    assert left <= losses.mae_grad(0.0) <= right
    assert losses.mae_grad(0.0) == 0.0


def test_hinge_and_its_subgradient():
    z = np.array([-2.0, 0.0, 0.5, 0.99, 1.01, 3.0])
    np.testing.assert_allclose(losses.hinge(z), [3.0, 1.0, 0.5, 0.01, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(losses.hinge_grad(z), central_difference(losses.hinge, z, 1e-4),
                               atol=1e-8)
    assert losses.hinge_grad(1.0) == 0.0     # at the kink: a subgradient in [−1, 0]


def test_linear_cost_mse_equals_linear_module():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=20), rng.normal(size=20)
    J, g = losses.linear_cost("mse", 0.7, -0.2, x, y)
    assert J == pytest.approx(linear.cost(0.7, -0.2, x, y), rel=1e-14)
    assert (g["w"], g["b"]) == pytest.approx(linear.gradients(0.7, -0.2, x, y), rel=1e-12)


@pytest.mark.parametrize("name, kw", [("mae", {}), ("huber", {"delta": 0.5}), ("mse", {})])
def test_linear_cost_gradient_by_finite_differences(name, kw):
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=30), rng.normal(size=30)
    w, b, h = 0.31, 0.17, 1e-6        # no residual within h of a kink at this point
    r = w * x + b - y
    assert np.min(np.abs(r)) > 1e-3 and np.min(np.abs(np.abs(r) - 0.5)) > 1e-3
    J = lambda w_, b_: losses.linear_cost(name, w_, b_, x, y, **kw)[0]   # noqa: E731
    _, g = losses.linear_cost(name, w, b, x, y, **kw)
    assert g["w"] == pytest.approx((J(w + h, b) - J(w - h, b)) / (2 * h), rel=1e-6)
    assert g["b"] == pytest.approx((J(w, b + h) - J(w, b - h)) / (2 * h), rel=1e-6)


def test_mae_descent_on_exact_line_keeps_bouncing_while_huber_settles():
    # y = x exactly: the optimum (w, b) = (1, 0) puts every residual on MAE's kink.
    x = np.linspace(-1.5, 1.5, 7)
    y = x.copy()
    def fn(name, **kw):
        return lambda p: losses.linear_cost(name, p["w"], p["b"], x, y, **kw)
    mae = descent.gradient_descent(fn("mae"), {"w": 0.03, "b": 0.0}, 0.1, max_epochs=200)
    hub = descent.gradient_descent(fn("huber", delta=0.5), {"w": 0.03, "b": 0.0}, 0.1,
                                   max_epochs=200)
    steps = np.abs(np.diff(mae.param("w")[-20:]))
    assert steps.min() > 0.05                 # still taking full-size steps at the end
    assert abs(hub.final_params["w"] - 1.0) < 1e-6


@pytest.mark.parametrize("call, exc, words", [
    (lambda: losses.mae("a"), TypeError, "r must be numeric"),
    (lambda: losses.huber([1.0, np.nan]), ValueError, "r must be finite"),
    (lambda: losses.huber(1.0, delta=0), ValueError, "delta must be > 0"),
    (lambda: losses.hinge(None), TypeError, "z must be numeric"),
    (lambda: losses.linear_cost("l2", 0, 0, [1.0], [1.0]), ValueError, "loss must be one of"),
    (lambda: losses.linear_cost("mae", 0, 0, [1.0, 2.0], [1.0]), ValueError,
     "y must have length 2"),
    (lambda: losses.linear_cost("mse", 0, 0, [1.0], [1.0], delta=0.5), TypeError,
     r"loss 'mse' takes no options, got \['delta'\]"),
    (lambda: losses.mse([[1.0, 2.0], [3.0]]), TypeError, "r must be a numeric array"),
    (lambda: losses.mse([]), ValueError, "r must not be empty"),
    (lambda: synthetic.two_minima([[1.0, 2.0], [3.0]]), TypeError, "w must be a numeric array"),
    (lambda: synthetic.two_minima_grad(np.inf), ValueError, "w must be finite"),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


def test_shapes_preserved():
    r = np.arange(6.0).reshape(2, 3) - 2.5
    for f in (losses.mse, losses.mae, losses.huber, losses.mse_grad, losses.mae_grad,
              losses.huber_grad, losses.hinge, losses.hinge_grad):
        assert f(r).shape == (2, 3)
    assert losses.mae(-2.0).shape == ()
