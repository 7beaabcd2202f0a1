"""Momentum and Adam for the linear model (gdcourse.optimizers), and their figure.

Momentum is checked against plain gradient descent (β = 0, number for number) and
against the closed-form two-term recurrence of the error on the quadratic J; Adam
against its first two steps worked out by hand; both against the least-squares
solution on the raw-years salary bowl of notebook 05.
"""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import data, linear, optimizers, plots  # noqa: E402
from gdcourse.descent import History  # noqa: E402

from figure_checks import annotations_outside_axes, labels_longer_than_axes  # noqa: E402

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def raw():
    """Notebook 05's elongated bowl: raw years, salary in thousands of dollars."""
    x, y = data.salary()
    return x, y / 1000


def random_xy(seed, n=30):
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, size=n)
    return x, 1.7 * x - 4.0 + rng.normal(0.0, 0.5, size=n)


def same_run(a: History, b: History):
    assert a.epochs == b.epochs
    assert a.params == b.params          # exact: number for number
    assert a.costs == b.costs
    assert a.grads == b.grads
    assert a.stop_reason == b.stop_reason


# -- momentum -------------------------------------------------------------------
@pytest.mark.parametrize("case", ["raw years", "random", "tolerance", "gradient norm", "diverging"])
def test_momentum_with_beta_zero_is_plain_gradient_descent(raw, case):
    x, y = raw if case in ("raw years", "diverging") else random_xy(3)
    eta = 0.8 * linear.max_stable_learning_rate(x)
    kwargs = {"raw years": {}, "random": {"w0": 2.0, "b0": -1.0},
              "tolerance": {"tol": 1e-6}, "gradient norm": {"grad_tol": 1e-5},
              "diverging": {}}[case]
    if case == "diverging":
        eta = 1.5 * linear.max_stable_learning_rate(x)
    plain = linear.train(x, y, eta, max_epochs=400, **kwargs)
    heavy = optimizers.momentum(x, y, eta, beta=0.0, max_epochs=400, **kwargs)
    same_run(plain, heavy)
    expected = {"raw years": "max_epochs", "random": "max_epochs", "tolerance": "tolerance",
                "gradient norm": "gradient_norm", "diverging": "diverged"}[case]
    assert heavy.stop_reason == expected


def errors(h, w_star, b_star):
    return np.stack([h.param("w") - w_star, h.param("b") - b_star], axis=1)   # (T + 1, 2)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.76, 0.9, 0.99])
def test_momentum_error_follows_the_matrix_power_of_the_two_term_recurrence(raw, beta):
    # e_{t+1} = ((1 + β) I − η H) e_t − β e_{t−1}, with e_{−1} = e_0 (v starts at 0):
    # (e_t, e_{t−1}) = M^t (e_0, e_0) with the 4 × 4 block matrix M.
    x, y = raw
    eta = 0.8 * linear.max_stable_learning_rate(x)
    H, I = linear.hessian(x), np.eye(2)
    M = np.block([[(1 + beta) * I - eta * H, -beta * I], [I, np.zeros((2, 2))]])
    w_star, b_star = linear.closed_form(x, y)
    h = optimizers.momentum(x, y, eta, beta, max_epochs=60)
    e = errors(h, w_star, b_star)
    start = np.concatenate([e[0], e[0]])
    for t in (1, 2, 5, 20, 60):
        predicted = np.linalg.matrix_power(M, t) @ start
        np.testing.assert_allclose(e[t], predicted[:2], rtol=0, atol=1e-9 * np.abs(e[0]).max())


@pytest.mark.parametrize("eta, beta", [(0.1, 0.5), (0.3, 0.9), (0.05, 0.2), (0.9, 0.0)])
def test_momentum_on_a_one_dimensional_quadratic_is_a_sum_of_root_powers(eta, beta):
    # Centred x: H is diagonal, so w alone sees J = (λ/2)(w − w*)² + const with
    # λ = 2·mean(x²), and e_t = c1·z1^t + c2·z2^t for the roots of z² − (1 + β − ηλ) z + β.
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0]) * 0.6
    y = 3.0 * x + 0.5
    lam = 2 * np.mean(x * x)
    z1, z2 = np.roots([1.0, -(1.0 + beta - eta * lam), beta]).astype(complex)
    h = optimizers.momentum(x, y, eta, beta, w0=-1.0, max_epochs=40)
    e = h.param("w") - 3.0
    # e_0 = c1 + c2 and e_1 = (1 − ηλ) e_0 = c1 z1 + c2 z2
    c1, c2 = np.linalg.solve([[1, 1], [z1, z2]], [e[0], (1 - eta * lam) * e[0]])
    t = np.arange(e.size)
    predicted = (c1 * z1 ** t + c2 * z2 ** t).real
    np.testing.assert_allclose(e, predicted, rtol=0, atol=1e-12)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.76, 0.9])
def test_momentum_rate_is_the_measured_long_run_factor(raw, beta):
    x, y = raw
    eta = 0.8 * linear.max_stable_learning_rate(x)
    rate = optimizers.momentum_rate(x, eta, beta)
    h = optimizers.momentum(x, y, eta, beta, max_epochs=150)
    e = np.linalg.norm(errors(h, *linear.closed_form(x, y)), axis=1)
    t0, t1 = 50, 150                          # past the start-up, before rounding noise
    measured = (max(e[t1], e[t1 - 1]) / max(e[t0], e[t0 - 1])) ** (1 / (t1 - t0))
    assert measured == pytest.approx(rate, abs=0.01)


def test_momentum_rate_formulas(raw):
    x, _ = raw
    lam = np.linalg.eigvalsh(linear.hessian(x))
    eta = 0.8 * linear.max_stable_learning_rate(x)
    # β = 0: plain gradient descent's slowest factor |1 − ηλ|
    assert optimizers.momentum_rate(x, eta, 0.0) == pytest.approx(np.abs(1 - eta * lam).max())
    # complex roots in both directions: |z| = √β
    assert optimizers.momentum_rate(x, eta, 0.9) == pytest.approx(np.sqrt(0.9), rel=1e-12)
    # stable exactly while ηλ_max < 2(1 + β)
    beta = 0.5
    assert optimizers.momentum_rate(x, 0.99 * 2 * (1 + beta) / lam[-1], beta) < 1
    assert optimizers.momentum_rate(x, 1.01 * 2 * (1 + beta) / lam[-1], beta) > 1


# -- Adam -------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e4])
def test_adam_first_step_moves_each_parameter_by_eta_times_the_sign(raw, scale):
    # Bias correction: m̂_1 = g, v̂_1 = g², so the step is η·g/(|g| + ε) whatever |g| is.
    x, y = raw
    eta = 0.5
    h = optimizers.adam(x, scale * y, eta, w0=1.0, b0=2.0, max_epochs=1)
    for name, start in (("w", 1.0), ("b", 2.0)):
        g = h.grads[0][name]
        step = h.params[1][name] - start
        assert abs(g) > 1e-3                                   # a real gradient, not ~ε
        assert step == pytest.approx(-eta * np.sign(g), rel=2e-8 / abs(g) + 1e-15)
        assert step == pytest.approx(-eta * g / (abs(g) + 1e-8), rel=1e-14)


def test_adam_second_step_by_hand():
    # x = [1, 3], y = [2, 4], start (0, 0), η = 0.1, β1 = 0.9, β2 = 0.999:
    # r_0 = [−2, −4], g_0 = (2/2)·(Σ r x, Σ r) = (−14, −6); step 1 moves both by +η = 0.1
    # (up to ε), so r_1 = [−1.8, −3.6] = 0.9·r_0 and g_1 = 0.9·g_0.
    # m_2 = 0.9·0.1·g_0 + 0.1·0.9·g_0 = 0.18·g_0,         m̂_2 = m_2 / (1 − 0.9²) = (18/19)·g_0
    # v_2 = 0.999·0.001·g_0² + 0.001·0.81·g_0² = 0.001809·g_0²,
    #                                            v̂_2 = v_2 / (1 − 0.999²) = (1809/1999)·g_0²
    # step 2 = η·(18/19)/√(1809/1999) for both parameters (same sign as −g_0, so upwards).
    h = optimizers.adam([1.0, 3.0], [2.0, 4.0], 0.1, max_epochs=2)
    assert h.grads[0] == pytest.approx({"w": -14.0, "b": -6.0})
    assert h.grads[1] == pytest.approx({"w": -12.6, "b": -5.4}, rel=1e-8)
    second = 0.1 * (18 / 19) / np.sqrt(1809 / 1999)           # 0.0995878...
    for name in ("w", "b"):
        assert h.params[1][name] == pytest.approx(0.1, abs=1e-9)
        assert h.params[2][name] == pytest.approx(0.1 + second, abs=1e-8)
    assert h.params[2]["w"] == pytest.approx(0.19958777218, abs=1e-10)   # with ε, by hand


def test_adam_moves_a_parameter_whose_gradient_squared_would_overflow(raw):
    # x ~ 1e153: ∂J/∂w ~ 1e156 and g² overflows; √v̂ is formed without it, so the
    # first step is still η·sign(g) for both parameters (not 0 for w).
    x, y = raw
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = optimizers.adam(1e153 * x, y, 1e-153, max_epochs=3)   # w·x stays of order 1
    assert abs(h.grads[0]["w"]) > 1e155 and h.stop_reason == "max_epochs"
    assert h.params[1] == pytest.approx({"w": 1e-153, "b": 1e-153}, rel=1e-12)
    assert h.param("w")[-1] > h.param("w")[1] > 0


def test_adam_with_a_zero_gradient_does_not_move():
    # the data lie on the start line: g = 0, v̂ = 0, the step is 0/(0 + ε) = 0
    h = optimizers.adam([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], 1.0, w0=1.0, b0=1.0, max_epochs=3)
    assert h.param("w").tolist() == [1.0] * 4 and h.param("b").tolist() == [1.0] * 4


# -- both, on notebook 05's bowl ------------------------------------------------------
@pytest.mark.parametrize("method, kwargs", [
    ("momentum", {"learning_rate": "0.8 limit", "beta": 0.76}),
    ("momentum", {"learning_rate": "0.8 limit", "beta": 0.9}),
    ("adam", {"learning_rate": 1.0}),
    ("adam", {"learning_rate": 0.3}),
])
def test_both_converge_to_the_closed_form_on_raw_years(raw, method, kwargs):
    x, y = raw
    kwargs = dict(kwargs)
    if kwargs["learning_rate"] == "0.8 limit":
        kwargs["learning_rate"] = 0.8 * linear.max_stable_learning_rate(x)
    h = getattr(optimizers, method)(x, y, max_epochs=5000, grad_tol=1e-9, **kwargs)
    assert h.stop_reason == "gradient_norm"
    w_star, b_star = linear.closed_form(x, y)
    # ‖∇J‖ < 1e-9 and λ_min ≈ 0.53 put θ within ~2e-9 of θ*: 1e-7 is a safe margin
    assert h.final_params["w"] == pytest.approx(w_star, abs=1e-7)
    assert h.final_params["b"] == pytest.approx(b_star, abs=1e-7)


def test_after_100_updates_momentum_and_adam_as_the_proposed_cells_print(raw):
    # The numbers of the proposed notebook-05 cells (2 significant digits).
    x, y = raw
    eta = 0.8 * linear.max_stable_learning_rate(x)
    j_star = linear.cost(*linear.closed_form(x, y), x, y)
    excess = {
        "plain": linear.train(x, y, eta, max_epochs=100).final_cost - j_star,
        "momentum": optimizers.momentum(x, y, eta, 0.76, max_epochs=100).final_cost - j_star,
        "momentum 0.9": optimizers.momentum(x, y, eta, 0.9, max_epochs=100).final_cost - j_star,
        "adam": optimizers.adam(x, y, 1.0, max_epochs=100).final_cost - j_star,
    }
    assert {k: f"{v:.2g}" for k, v in excess.items()} == {
        "plain": "6.8", "momentum": "7.9e-09", "momentum 0.9": "0.19", "adam": "11"}
    assert linear.train(x, y, 1.0, max_epochs=100).stop_reason == "diverged"


# -- the history ----------------------------------------------------------------------
def test_runs_are_histories_with_one_row_per_update(raw):
    x, y = raw
    h = optimizers.adam(x, y, 1.0, max_epochs=7)
    assert isinstance(h, History) and isinstance(h, optimizers.OptimizerHistory)
    assert h.epochs == list(range(8)) and h.n_updates == 7 and h.stop_reason == "max_epochs"
    assert h.param("w").shape == (8,)
    for p, c, g in zip(h.params, h.costs, h.grads):        # the gradient, not m or v
        assert c == linear.cost(p["w"], p["b"], x, y)
        assert (g["w"], g["b"]) == linear.gradients(p["w"], p["b"], x, y)
    assert h.method == "adam" and h.settings == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    text = str(h)
    assert "stopped after 7 updates: max_epochs" in text
    assert text.endswith("method: adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-08)")
    assert "beta = 0.9" in repr(optimizers.momentum(x, y, 0.01, max_epochs=1))


# -- arguments -------------------------------------------------------------------------
@pytest.mark.parametrize("method, kwargs, error, words", [
    ("momentum", {"learning_rate": -0.1}, ValueError, "learning_rate must be > 0, got -0.1"),
    ("adam", {"learning_rate": 0.0}, ValueError, "learning_rate must be > 0, got 0.0"),
    ("momentum", {"learning_rate": 0.01, "beta": 1.0}, ValueError, "beta must be in [0, 1)"),
    ("momentum", {"learning_rate": 0.01, "beta": -0.5}, ValueError, "got -0.5"),
    ("adam", {"learning_rate": 0.1, "beta1": 1.0}, ValueError, "beta1 must be in [0, 1)"),
    ("adam", {"learning_rate": 0.1, "beta2": 1.5}, ValueError, "beta2 must be in [0, 1)"),
    ("adam", {"learning_rate": 0.1, "eps": 0.0}, ValueError, "eps must be > 0"),
    ("adam", {"learning_rate": float("nan")}, ValueError, "learning_rate must be finite"),
    ("momentum", {"learning_rate": 0.01, "beta": "0.9"}, TypeError, "beta must be numeric"),
    ("momentum", {"learning_rate": 0.01, "max_epochs": 10.0}, TypeError,
     "max_epochs must be an int"),
    ("adam", {"learning_rate": 0.1, "max_epochs": -1}, ValueError, "max_epochs must be >= 0"),
    ("adam", {"learning_rate": 0.1, "grad_tol": -1.0}, ValueError, "grad_tol must be > 0"),
    ("momentum", {"learning_rate": 0.01, "w0": np.inf}, ValueError, "w0 must be finite"),
])
def test_bad_arguments_are_named(raw, method, kwargs, error, words):
    x, y = raw
    with pytest.raises(error, match=words.replace("[", r"\[").replace("(", r"\(")
                       .replace(")", r"\)")):
        getattr(optimizers, method)(x, y, **kwargs)


@pytest.mark.parametrize("method", ["momentum", "adam"])
def test_wrong_lengths_and_shapes_are_refused(raw, method):
    x, y = raw
    fn = getattr(optimizers, method)
    with pytest.raises(ValueError, match="y must have length 5 .one value per sample., got 4"):
        fn(x, y[:4], 0.01)
    with pytest.raises(ValueError, match=r"x must be a 1-D array .* got shape \(5, 1\)"):
        fn(x.reshape(-1, 1), y, 0.01)
    with pytest.raises(ValueError, match="beta must be in"):
        optimizers.momentum_rate(x, 0.01, 1.0)


# -- extremes ---------------------------------------------------------------------------
@pytest.mark.parametrize("method, eta, scale", [
    ("momentum", 1e300, 1.0), ("momentum", 10.0, 1.0), ("momentum", 1.0, 1e150),
    ("adam", 1e300, 1.0), ("adam", 1e200, 1e100), ("adam", 1e-300, 1e-150),
    ("momentum", 1e-300, 1e-150), ("adam", 1e-3, 1e-200),
])
def test_no_warnings_at_extremes_and_divergence_is_reported(raw, method, eta, scale):
    x, y = raw
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):
            h = getattr(optimizers, method)(scale * x, scale * y, eta, max_epochs=2000)
    if eta >= 1.0:
        assert h.stop_reason == "diverged"
        assert np.isfinite(h.costs[:-1]).all()      # only the last row may be non-finite
    else:
        assert h.stop_reason == "max_epochs"
        assert np.isfinite(h.costs).all() and np.isfinite(h.param("w")).all()


def test_momentum_diverges_beyond_its_own_limit_but_not_below(raw):
    # momentum relaxes plain gradient descent's limit 2/λ_max to 2(1 + β)/λ_max
    x, y = raw
    limit = linear.max_stable_learning_rate(x)
    assert linear.train(x, y, 1.5 * limit, max_epochs=3000).stop_reason == "diverged"
    h = optimizers.momentum(x, y, 1.5 * limit, beta=0.9, max_epochs=3000, grad_tol=1e-6)
    assert h.stop_reason == "gradient_norm"
    assert optimizers.momentum(x, y, 2.1 * limit, beta=0.0,
                               max_epochs=3000).stop_reason == "diverged"
    assert optimizers.momentum(x, y, 1.05 * 1.9 * limit, beta=0.9,
                               max_epochs=3000).stop_reason == "diverged"


# -- the figure ---------------------------------------------------------------------------
@pytest.fixture
def _no_pyplot_figures():
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) <= before, "plots must not leave figures open in pyplot"


def three_runs(x, y, n=100):
    eta = 0.8 * linear.max_stable_learning_rate(x)
    return {"plain gradient descent": linear.train(x, y, eta, max_epochs=n),
            "momentum, β = 0.76": optimizers.momentum(x, y, eta, 0.76, max_epochs=n),
            "Adam, η = 1": optimizers.adam(x, y, 1.0, max_epochs=n)}


def test_optimizer_paths_figure(raw, _no_pyplot_figures):
    x, y = raw
    runs = three_runs(x, y)
    fig = plots.optimizer_paths(x, y, runs)
    assert isinstance(fig, Figure)
    ax_path, ax_cost = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    for ax in (ax_path, ax_cost):
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert "thousand $" in ax_path.get_xlabel() and ax_cost.get_yscale() == "log"
    assert annotations_outside_axes(fig) == [] and labels_longer_than_axes(fig) == []
    # the curves are the runs' excess costs, down to the floor
    j_star = linear.cost(*linear.closed_form(x, y), x, y)
    lines = [ln for ln in ax_cost.get_lines()]
    assert len(lines) == 3
    for ln, h in zip(lines, runs.values()):
        excess = np.array(h.costs) - j_star
        np.testing.assert_array_equal(ln.get_ydata(), excess[excess >= 1e-20])
    # one legend, below the axes, not over any of them
    (legend,) = fig.legends
    names = [t.get_text() for t in legend.get_texts()]
    assert set(runs) <= set(names) and len(names) == len(runs) + 3    # + minimum, start, end
    fig.canvas.draw()
    box = legend.get_window_extent()
    for ax in fig.axes:
        assert box.y1 <= ax.get_window_extent().y0 + 1, "the legend overlaps an axes"


def test_optimizer_paths_refuses_what_it_cannot_draw(raw):
    x, y = raw
    with pytest.raises(ValueError, match="runs must be a non-empty dict"):
        plots.optimizer_paths(x, y, {})
    with pytest.raises(TypeError, match=r"runs\['a'\] must be a History"):
        plots.optimizer_paths(x, y, {"a": [1, 2]})
