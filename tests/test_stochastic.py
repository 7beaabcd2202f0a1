"""Mini-batch / SGD / batch gradient descent (gdcourse.stochastic) and the synthetic data."""

import numpy as np
import pytest

from gdcourse import linear, stochastic, synthetic


@pytest.fixture(scope="module")
def data():
    x, y = synthetic.noisy_line(203, seed=3)     # 203 = 7·29: batches of 10 leave a remainder
    return linear.Standardizer.fit(x).transform(x), linear.Standardizer.fit(y).transform(y)


def full_gradient(w, b, x, y):
    """Independent reference: the gradient written out with a Python loop."""
    n = len(x)
    dw = sum(2.0 * (w * xi + b - yi) * xi for xi, yi in zip(x, y)) / n
    db = sum(2.0 * (w * xi + b - yi) for xi, yi in zip(x, y)) / n
    return dw, db


@pytest.mark.parametrize("batch_size", [1, 10, 29, 64, 203])
def test_batch_gradients_average_to_the_full_gradient(data, batch_size):
    x, y = data
    w, b = 0.3, -0.7
    dw, db, sizes = stochastic.batch_gradients(w, b, x, y, batch_size, seed=5)
    assert sizes.sum() == x.size
    assert len(sizes) == -(-x.size // batch_size)
    ref_dw, ref_db = full_gradient(w, b, x, y)
    assert np.average(dw, weights=sizes) == pytest.approx(ref_dw, rel=1e-12, abs=1e-12)
    assert np.average(db, weights=sizes) == pytest.approx(ref_db, rel=1e-12, abs=1e-12)


def test_single_sample_gradients_are_unbiased(data):
    # SGD: each sample's gradient, averaged over all samples, is the full gradient,
    # while individual samples disagree with it (the noise of SGD is real).
    x, y = data
    dw, db, sizes = stochastic.batch_gradients(1.2, 0.4, x, y, 1, seed=0)
    ref_dw, ref_db = full_gradient(1.2, 0.4, x, y)
    assert np.all(sizes == 1)
    assert dw.mean() == pytest.approx(ref_dw, rel=1e-12)
    assert db.mean() == pytest.approx(ref_db, rel=1e-12)
    assert dw.std() > 0.1 * abs(ref_dw)


def test_batch_size_n_reproduces_linear_train_exactly(data):
    x, y = data
    ref = linear.train(x, y, 0.1, max_epochs=15, w0=-0.5, b0=0.25)
    run = stochastic.minibatch_gd(x, y, 0.1, batch_size=x.size, max_epochs=15, w0=-0.5, b0=0.25,
                                  seed=123)
    assert run.params == ref.params          # exact, not approx
    assert run.costs == ref.costs
    assert run.grads == ref.grads
    assert run.updates == list(range(16))
    assert run.stop_reason == "max_epochs"


def test_minibatch_update_by_hand():
    # Two epochs of SGD on three samples, replayed with the same seeded permutations.
    x = np.array([1.0, -2.0, 0.5])
    y = np.array([0.0, 1.0, 3.0])
    eta = 0.05
    run = stochastic.minibatch_gd(x, y, eta, batch_size=1, max_epochs=2, seed=11)
    rng = np.random.default_rng(11)
    w = b = 0.0
    for _ in range(2):
        for i in rng.permutation(3):
            r = w * x[i] + b - y[i]
            w, b = w - eta * 2 * r * x[i], b - eta * 2 * r
    assert run.final_params["w"] == pytest.approx(w, rel=1e-14)
    assert run.final_params["b"] == pytest.approx(b, rel=1e-14)
    assert run.updates == [0, 3, 6]
    assert run.samples == [0, 3, 6]


def test_seeded_runs_repeat_and_seeds_differ(data):
    x, y = data
    a = stochastic.minibatch_gd(x, y, 0.05, batch_size=8, max_epochs=5, seed=7)
    b = stochastic.minibatch_gd(x, y, 0.05, batch_size=8, max_epochs=5, seed=7)
    c = stochastic.minibatch_gd(x, y, 0.05, batch_size=8, max_epochs=5, seed=8)
    assert a.params == b.params and a.costs == b.costs
    assert a.params[-1] != c.params[-1]


def test_bookkeeping_counts_and_costs(data):
    x, y = data
    run = stochastic.minibatch_gd(x, y, 0.05, batch_size=10, max_epochs=4, seed=1)
    per_epoch = -(-x.size // 10)
    assert run.epochs == [0, 1, 2, 3, 4]
    assert run.updates == [per_epoch * t for t in range(5)]
    assert run.samples == [x.size * t for t in range(5)]
    assert run.n_updates == 4 * per_epoch
    assert all(t1 >= t0 for t0, t1 in zip(run.wall_time, run.wall_time[1:]))
    assert run.wall_time[0] == 0.0
    for p, c, g in zip(run.params, run.costs, run.grads):
        assert c == pytest.approx(linear.cost(p["w"], p["b"], x, y), rel=1e-12)
        assert (g["w"], g["b"]) == pytest.approx(linear.gradients(p["w"], p["b"], x, y), rel=1e-9,
                                                 abs=1e-12)


def test_sgd_reaches_the_least_squares_neighbourhood(data):
    x, y = data
    w_star, b_star = linear.closed_form(x, y)
    j_star = linear.cost(w_star, b_star, x, y)
    run = stochastic.minibatch_gd(x, y, 0.01, batch_size=1, max_epochs=30, seed=0)
    assert run.costs[0] > 10 * j_star
    assert run.final_cost < 1.2 * j_star
    assert run.final_params["w"] == pytest.approx(w_star, abs=0.05)


def test_divergence_is_detected_without_warnings(data):
    x, y = data
    # cost grows by a finite factor per epoch: caught by the divergence factor
    run = stochastic.minibatch_gd(x, y, 3.0, batch_size=x.size, max_epochs=500)
    assert run.stop_reason == "diverged"
    assert len(run.epochs) < 500
    # an absurd rate overflows within the first epoch; pytest turns any RuntimeWarning
    # (overflow, invalid value) into an error, so this also checks the arithmetic is guarded
    run = stochastic.minibatch_gd(x, y, 1e300, batch_size=1, max_epochs=5)
    assert run.stop_reason == "diverged"
    assert run.epochs == [0, 1] and run.n_updates == x.size


def test_printing(data):
    x, y = data
    run = stochastic.minibatch_gd(x, y, 0.1, batch_size=50, max_epochs=2, seed=0)
    assert "batch_size=50" in repr(run)
    assert f"stopped after {run.n_updates} updates" in str(run)


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(batch_size=0), ValueError, "batch_size must be >= 1"),
    (dict(batch_size=500), ValueError, "between 1 and the number of samples n=203"),
    (dict(batch_size=2.0), TypeError, "batch_size must be an int"),
    (dict(batch_size=4, max_epochs=-1), ValueError, "max_epochs must be >= 0"),
    (dict(batch_size=4, seed=-3), ValueError, "seed must be >= 0"),
])
def test_bad_arguments(data, kwargs, exc, words):
    x, y = data
    with pytest.raises(exc, match=words):
        stochastic.minibatch_gd(x, y, 0.1, **kwargs)


def test_bad_data_and_rate(data):
    x, y = data
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        stochastic.minibatch_gd(x, y, 0.0, batch_size=1)
    with pytest.raises(ValueError, match="y must have length 203"):
        stochastic.minibatch_gd(x, y[:-1], 0.1, batch_size=1)
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        stochastic.batch_gradients(0.0, 0.0, x.reshape(1, -1), y, 1)


def test_batch_slices_cover_every_sample_once():
    slices = stochastic.batch_slices(10, 4)
    assert [(s.start, s.stop) for s in slices] == [(0, 4), (4, 8), (8, 10)]


# -- synthetic data ---------------------------------------------------------

def test_noisy_line_is_seeded_and_follows_its_line():
    x1, y1 = synthetic.noisy_line(5000, seed=2)
    x2, y2 = synthetic.noisy_line(5000, seed=2)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert not np.array_equal(x1, synthetic.noisy_line(5000, seed=3)[0])
    assert x1.min() >= 0.0 and x1.max() <= 20.0
    slope, intercept = np.polyfit(x1, y1, 1)
    assert slope == pytest.approx(10_000, rel=0.02)
    assert intercept == pytest.approx(30_000, abs=1500)
    residual = y1 - (slope * x1 + intercept)
    assert residual.std() == pytest.approx(8_000, rel=0.05)


def test_noisy_line_bad_input():
    with pytest.raises(ValueError, match="n must be >= 2"):
        synthetic.noisy_line(1)
    with pytest.raises(ValueError, match="noise_std must be >= 0"):
        synthetic.noisy_line(10, noise_std=-1)
    with pytest.raises(ValueError, match="x_low must be < x_high"):
        synthetic.noisy_line(10, x_low=3, x_high=3)


def test_split_partitions_the_data():
    x = np.arange(10.0)
    y = 2 * x
    xt, yt, xv, yv = synthetic.split(x, y, 0.3, seed=4)
    assert len(xv) == 3 and len(xt) == 7
    assert sorted(np.concatenate([xt, xv])) == list(x)
    assert np.array_equal(yt, 2 * xt) and np.array_equal(yv, 2 * xv)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        synthetic.split(x, y, 1.0)


def test_two_minima_stationary_points_and_gradient():
    for name, (w, j) in synthetic.TWO_MINIMA.items():
        assert synthetic.two_minima_grad(w) == pytest.approx(0.0, abs=1e-12), name
        assert synthetic.two_minima(w) == pytest.approx(j, abs=1e-12)
    assert synthetic.TWO_MINIMA["global minimum"][1] == pytest.approx(0.1, abs=1e-12)
    assert synthetic.TWO_MINIMA["local minimum"][1] == pytest.approx(0.5, abs=1e-12)
    # minima: cost rises on both sides; the hill: it falls on both sides
    for w, sign in ((-1.0, 1), (0.7, -1), (2.0, 1)):
        for h in (-1e-3, 1e-3):
            assert sign * (synthetic.two_minima(w + h) - synthetic.two_minima(w)) > 0
    w = np.linspace(-2, 3, 41)
    h = 1e-6
    fd = (synthetic.two_minima(w + h) - synthetic.two_minima(w - h)) / (2 * h)
    np.testing.assert_allclose(synthetic.two_minima_grad(w), fd, rtol=1e-6, atol=1e-8)
    assert synthetic.two_minima(w).shape == w.shape


# -- per-update records, the decaying schedule, stays_below --------------------------------


def test_per_update_costs_replay_every_update_by_hand():
    # The full-data cost after each SGD update, replayed with the same permutations.
    x = np.array([1.0, -2.0, 0.5, 1.5])
    y = np.array([0.0, 1.0, 3.0, -1.0])
    eta = 0.05
    run = stochastic.minibatch_gd(x, y, eta, batch_size=1, max_epochs=2, seed=4, per_update=True)
    rng = np.random.default_rng(4)
    w = b = 0.0
    costs, ws, bs = [np.mean((w * x + b - y) ** 2)], [w], [b]
    for _ in range(2):
        for i in rng.permutation(4):
            r = w * x[i] + b - y[i]
            w, b = w - eta * 2 * r * x[i], b - eta * 2 * r
            costs.append(np.mean((w * x + b - y) ** 2))
            ws.append(w)
            bs.append(b)
    assert run.update_costs == pytest.approx(costs, rel=1e-12, abs=1e-15)
    assert run.update_w == pytest.approx(ws, rel=1e-12, abs=1e-15)      # the path of every update
    assert run.update_b == pytest.approx(bs, rel=1e-12, abs=1e-15)
    assert run.update_samples == list(range(9))
    # every epoch's row is one of the per-update records
    assert run.costs == pytest.approx([run.update_costs[k] for k in (0, 4, 8)], rel=1e-12)
    assert np.all(np.diff(run.update_time) >= 0) and len(run.update_time) == 9


def test_per_update_counts_the_smaller_last_batch(data):
    x, y = data                                       # 203 samples, batches of 10: last has 3
    run = stochastic.minibatch_gd(x, y, 0.05, batch_size=10, max_epochs=2, seed=0, per_update=True)
    steps = np.diff(run.update_samples)
    assert len(steps) == 2 * 21 and steps[20] == 3 and steps[41] == 3
    assert run.update_samples[-1] == run.samples[-1] == 2 * x.size


def test_recording_per_update_does_not_change_the_run(data):
    x, y = data
    plain = stochastic.minibatch_gd(x, y, 0.05, batch_size=7, max_epochs=3, seed=2)
    traced = stochastic.minibatch_gd(x, y, 0.05, batch_size=7, max_epochs=3, seed=2, per_update=True)
    assert traced.params == plain.params and traced.costs == plain.costs
    assert plain.update_costs == [] and plain.update_w == [] and plain.update_b == []


def test_decay_uses_eta_over_one_plus_decay_times_epoch():
    x = np.array([1.0, -2.0, 0.5])
    y = np.array([0.0, 1.0, 3.0])
    run = stochastic.minibatch_gd(x, y, 0.1, batch_size=1, max_epochs=3, seed=9, decay=0.5)
    rng = np.random.default_rng(9)
    w = b = 0.0
    for epoch in range(3):
        eta = 0.1 / (1 + 0.5 * epoch)
        for i in rng.permutation(3):
            r = w * x[i] + b - y[i]
            w, b = w - eta * 2 * r * x[i], b - eta * 2 * r
    assert run.final_params["w"] == pytest.approx(w, rel=1e-12)
    assert run.final_params["b"] == pytest.approx(b, rel=1e-12)
    assert run.decay == 0.5


def test_a_decaying_rate_gets_sgd_below_the_constant_rate_floor(data):
    x, y = data
    j_star = linear.cost(*linear.closed_form(x, y), x, y)
    final = {d: np.median([stochastic.minibatch_gd(x, y, 0.05, batch_size=1, max_epochs=20, seed=s,
                                                   decay=d).final_cost - j_star for s in range(5)])
             for d in (0.0, 1.0)}
    assert final[1.0] < final[0.0] / 5


@pytest.mark.parametrize("kwargs, error, match", [
    ({"batch_size": 1, "decay": -0.1}, ValueError, "decay must be >= 0"),
    ({"batch_size": 1, "per_update": 1}, TypeError, "per_update must be True or False"),
])
def test_schedule_and_recording_arguments_are_checked(data, kwargs, error, match):
    x, y = data
    with pytest.raises(error, match=match):
        stochastic.minibatch_gd(x, y, 0.1, **kwargs)


def _fake(costs, n=4, batch=2):
    h = stochastic.MinibatchHistory(learning_rate=0.1, batch_size=batch, n_samples=n)
    h.update_costs = list(costs)
    h.update_samples = [batch * k for k in range(len(costs))]
    h.update_time = [0.001 * k for k in range(len(costs))]
    h.costs = [costs[0]]
    h.wall_time = [0.0]
    return h


def test_stays_below_ignores_dips_and_takes_the_median_over_seeds():
    # median over the three seeds: [1, 0.5, 0.05, 0.2, 0.05, 0.01]
    seeds = [_fake([1, 0.5, 0.05, 0.2, 0.05, 0.01]), _fake([1, 0.6, 0.01, 0.3, 0.04, 0.02]),
             _fake([1, 0.4, 0.09, 0.1, 0.06, 0.005])]
    (row,) = stochastic.stays_below({"m": seeds}, 0.0, [0.6, 0.1, 0.03, 0.001]).values()
    assert row[0].updates == 1                       # below 0.6 from update 1 on
    assert row[1].updates == 4                       # the dip at update 2 does not count
    assert row[1].epochs == pytest.approx(4 * 2 / 4) and row[1].seconds == pytest.approx(0.004)
    assert row[2].updates == 5
    assert row[3] is None                            # never below 0.001
    # the excess is measured from j_star
    (row,) = stochastic.stays_below({"m": seeds}, 0.009, [0.0011]).values()
    assert row[0].updates == 5


def test_stays_below_refuses_runs_without_per_update_records(data):
    x, y = data
    h = stochastic.minibatch_gd(x, y, 0.05, batch_size=10, max_epochs=1)
    with pytest.raises(ValueError, match="recorded with per_update=True"):
        stochastic.stays_below({"m": [h]}, 0.0, [0.1])
    with pytest.raises(TypeError, match="runs must be a non-empty dict"):
        stochastic.stays_below({}, 0.0, [0.1])


# -- synthetic: polynomial features and the saddle ------------------------------------------


def test_polynomial_features_are_legendre_polynomials_of_the_mapped_input():
    x = np.array([0.0, 5.0, 10.0, 17.5, 20.0])
    A = synthetic.polynomial_features(x, 3)
    t = (x - 10.0) / 10.0
    expected = np.column_stack([np.ones_like(t), t, (3 * t**2 - 1) / 2, (5 * t**3 - 3 * t) / 2])
    np.testing.assert_allclose(A, expected, rtol=1e-12, atol=1e-15)
    # the same span as 1, x, ..., x^3: a cubic in x is fitted exactly
    y = 2.0 - 0.5 * x + 0.03 * x**3
    theta, *_ = np.linalg.lstsq(synthetic.polynomial_features(x[:4], 3), y[:4], rcond=None)
    assert A @ theta == pytest.approx(y, rel=1e-9)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"degree": -1}, ValueError, "degree"),
    ({"degree": 2.0}, TypeError, "degree must be an int"),
    ({"degree": 2, "x_range": (5.0, 5.0)}, ValueError, "x_range must have low < high"),
    ({"degree": 2, "x_range": 3}, TypeError, "x_range must be a pair"),
])
def test_polynomial_features_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        synthetic.polynomial_features([1.0, 2.0], **kwargs)


def test_saddle_gradient_matches_finite_differences_and_stationary_points():
    h = 1e-6
    for u, v in [(0.3, -0.7), (-1.2, 1.4), (0.0, 0.2)]:
        du, dv = synthetic.saddle_grad(u, v)
        assert du == pytest.approx((synthetic.saddle(u + h, v) - synthetic.saddle(u - h, v)) / (2 * h), rel=1e-6)
        assert dv == pytest.approx((synthetic.saddle(u, v + h) - synthetic.saddle(u, v - h)) / (2 * h), rel=1e-6)
    for name, ((u, v), J) in synthetic.SADDLE.items():
        assert synthetic.saddle_grad(u, v) == (0.0, 0.0)
        assert synthetic.saddle(u, v) == J
    # the saddle curves up along u and down along v
    assert synthetic.saddle(0.1, 0.0) > 0.25 > synthetic.saddle(0.0, 0.1)
    du, dv = synthetic.saddle_grad(np.zeros(3), np.array([-1.0, 0.5, 2.0]))
    assert du.shape == dv.shape == (3,)


def test_wavy_slope_and_curvature_match_finite_differences():
    w = np.linspace(-5, 5, 41)
    h = 1e-5
    fd_slope = (synthetic.wavy(w + h) - synthetic.wavy(w - h)) / (2 * h)
    fd_curv = (synthetic.wavy_grad(w + h) - synthetic.wavy_grad(w - h)) / (2 * h)
    np.testing.assert_allclose(synthetic.wavy_grad(w), fd_slope, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(synthetic.wavy_curvature(w), fd_curv, rtol=1e-6, atol=1e-8)
    assert synthetic.wavy(0.0) == 1.0 and isinstance(synthetic.wavy(0.0), float)
    assert synthetic.wavy_curvature(w).min() < 0 < synthetic.wavy_curvature(w).max()   # not convex
