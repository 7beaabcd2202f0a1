"""Figures of notebooks 04–06 (gdcourse.plots.salary / learning_rate / convergence).

A figure test checks what a reader relies on: a title, labelled axes, a legend
where several series share an axes, and the numbers drawn being the right ones.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import data, linear, plots  # noqa: E402
from gdcourse.plots import _contours as C  # noqa: E402
from gdcourse.plots import _rates as R  # noqa: E402
from gdcourse.plots import _shared as SH  # noqa: E402

from figure_checks import annotations_outside_axes, labels_longer_than_axes  # noqa: E402


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) <= before, "plots must not leave figures open in pyplot"


@pytest.fixture(scope="module")
def salary_n():
    x, y = data.salary()
    return linear.Standardizer.fit(x).transform(x), linear.Standardizer.fit(y).transform(y)


def check_labelled(fig, y_categories=False):
    assert isinstance(fig, Figure)
    titled = bool(fig._suptitle and fig._suptitle.get_text())
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        assert ax.get_xlabel(), f"axes {ax.get_title()!r} has no x label"
        titled = titled or bool(ax.get_title())
    assert titled, "figure has no title"
    if y_categories:    # rows named by their tick labels instead of a y label
        assert all(t.get_text() for t in fig.axes[0].get_yticklabels())
    else:
        assert any(ax.get_ylabel() for ax in fig.axes)
    assert annotations_outside_axes(fig) == [], "annotations cross the axes' edge"
    assert labels_longer_than_axes(fig) == [], "axis labels longer than their axes"


def hessian_by_hand(x):
    n = len(x)
    return np.array([[2 / n * sum(v * v for v in x), 2 / n * sum(x)], [2 / n * sum(x), 2.0]])


# -- 04 ---------------------------------------------------------------------

def test_salary_point_labels_stay_inside_the_axes():
    x, y = data.salary()
    assert annotations_outside_axes(plots.salary_fit(x, y)) == []
    fit = {"closed form": linear.closed_form(x, y)}
    assert annotations_outside_axes(plots.salary_fit(x, y, fit)) == []


def test_salary_figures(salary_n):
    x, y = data.salary()
    xn, yn = salary_n
    check_labelled(plots.salary_fit(x, y, {"closed form": linear.closed_form(x, y)}))
    check_labelled(plots.standardised_values(x, xn, yn, seed_x_n=[-1.414, -0.707, 0, 0.707, 1.414]),
                   y_categories=True)
    check_labelled(plots.epoch_one(xn, yn, 0.0, 0.0, 0.2, 0.0))
    h = linear.train(xn, yn, 0.1, max_epochs=4)
    fig = plots.trace_vs_seed(h, range(5), [1, .6, .36, .22, .13], [-2, -1.5, -1.2, -.9, -.7])
    check_labelled(fig)
    # the computed line is the history's own numbers
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), h.costs)
    fig = plots.cost_contour(xn, yn, {"run": h})
    check_labelled(fig)
    assert fig.legends, "contour figure needs a legend"


def _raw_valley():
    x, y = data.salary()
    limit = linear.max_stable_learning_rate(x)
    below = linear.train(x, y / 1000, 0.8 * limit, max_epochs=3000, grad_tol=1e-6)
    above = linear.train(x, y / 1000, 1.05 * limit, max_epochs=8)
    fig = plots.cost_contour(x, y / 1000, {"below": below, "above": above}, w_range=(-5, 25),
                             b_range=(-10, 50), units=("thousand $ per year", "thousand $"),
                             cost_units="(thousand $)²", equal_aspect=False)
    return fig, above


def test_contour_clips_a_run_that_leaves_the_frame_and_says_after_how_many_updates():
    fig, above = _raw_valley()
    ax = fig.axes[0]
    k = plots.first_outside(above.param("w"), above.param("b"), (-5, 25, -10, 50))
    assert k == 1                     # the first update already lands at w ≈ 31 > 25
    for line in ax.get_lines():       # nothing drawn beyond the frame: no streaks
        w, b = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        assert np.all((w >= -5) & (w <= 25) & (b >= -10) & (b <= 50)), line.get_label()
    texts = [t.get_text() for t in ax.texts]
    assert "leaves the frame after 1 update" in texts
    arrow = [t for t in ax.texts if t.get_text() == ""][0]
    w_edge, b_edge = arrow.xy
    assert w_edge == pytest.approx(25) and -10 < b_edge < 50
    assert annotations_outside_axes(fig) == []
    # the run that stays inside keeps its end cross; the one that leaves has none
    ends = [ln for ln in ax.get_lines() if ln.get_marker() == "X" and len(ln.get_xdata())]
    assert len(ends) == 1


def test_contour_end_marker_shows_through_the_star_and_ticks_are_plain(salary_n):
    xn, yn = salary_n
    h = linear.train(xn, yn, 0.1, max_epochs=10_000, grad_tol=1e-8)
    fig = plots.cost_contour(xn, yn, {"run": h})
    ax, cbar_ax = fig.axes[0], fig.axes[1]
    star = [ln for ln in ax.get_lines() if ln.get_marker() == "*" and len(ln.get_xdata())][0]
    end = [ln for ln in ax.get_lines() if ln.get_marker() == "X" and len(ln.get_xdata())][0]
    assert star.get_markerfacecolor() == "none"                   # hollow: the cross shows
    assert star.get_markersize() > 2 * end.get_markersize()       # and the star around it
    assert float(end.get_xdata()[0]) == pytest.approx(1.0, abs=1e-6)
    labels = [t.get_text() for t in cbar_ax.get_yticklabels()]
    assert labels == ["0.001", "0.01", "0.1", "1"]
    fig, _ = _raw_valley()
    cbar_ax = fig.axes[1]
    assert cbar_ax.get_ylabel() == "cost J (thousand $)², log scale"
    labels = [t.get_text() for t in cbar_ax.get_yticklabels()]
    assert labels[:3] == ["10", "100", "1,000"] and not any("e" in t for t in labels)


@pytest.mark.parametrize("lo, hi, expected", [
    (4.5e-4, 2.3, ["0.001", "0.01", "0.1", "1"]),
    (1.2, 6000, ["10", "100", "1,000"]),
    (0.5, 3, ["0.5", "1", "2"]),
    (1e-6, 1e6, ["0.000001", "0.001", "1", "1,000", "1,000,000"]),
])
def test_log_ticks_are_round_numbers_inside_the_range(lo, hi, expected):
    ticks = SH.log_ticks(lo, hi)
    assert [SH.plain_number(t) for t in ticks] == expected
    assert np.all((ticks >= lo) & (ticks <= hi))


def test_exit_point_and_first_outside():
    box = (0.0, 10.0, 0.0, 10.0)
    assert C.exit_point((5, 5), (15, 5), box) == (10.0, 5.0)
    assert C.exit_point((5, 5), (5, -5), box) == (5.0, 0.0)
    assert C.exit_point((5, 5), (20, 20), box) == (10.0, 10.0)
    assert C.exit_point((5, 5), (np.inf, 5), box) == (5.0, 5.0)
    assert plots.first_outside([1, 2, 10, 11, 3], [1, 1, 1, 1, 1], box) == 3   # the edge is inside
    assert plots.first_outside([1, 2], [1, np.nan], box) == 1
    assert plots.first_outside([1, 2], [1, 2], box) is None
    with pytest.raises(ValueError, match="need 0 < lo < hi"):
        SH.log_ticks(0, 1)


def test_a_run_that_starts_outside_the_frame_is_named_not_drawn(salary_n):
    xn, yn = salary_n
    h = linear.train(xn, yn, 0.1, max_epochs=3, w0=5.0)
    fig = plots.cost_contour(xn, yn, {"far": h})
    ax = fig.axes[0]
    far = [ln for ln in ax.get_lines() if ln.get_label().startswith("far")]
    assert [ln.get_label() for ln in far] == ["far (starts outside the frame)"]
    assert len(far[0].get_xdata()) == 0
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "far (starts outside the frame)" in labels


def test_cost_grid_matches_linear_cost(salary_n):
    xn, yn = salary_n
    W, B, J = C.cost_grid(xn, yn, (-1, 2), (-0.5, 0.5), num=7)
    for i, j in [(0, 0), (3, 5), (6, 6)]:
        assert J[i, j] == pytest.approx(linear.cost(W[i, j], B[i, j], xn, yn), rel=1e-12, abs=1e-12)


def test_trace_vs_seed_rejects_non_history():
    with pytest.raises(TypeError, match="history must be a History"):
        plots.trace_vs_seed([1, 2], [0], [1], [1])


# -- 05: the stability limit and the regimes ----------------------------------

@pytest.mark.parametrize("which", ["standardised", "raw years"])
def test_stability_limit_is_two_over_the_largest_hessian_eigenvalue(salary_n, which):
    x = salary_n[0] if which == "standardised" else data.salary()[0]
    lam = np.linalg.eigvalsh(hessian_by_hand(x))
    assert linear.max_stable_learning_rate(x) == pytest.approx(2 / lam[-1], rel=1e-12)


@pytest.mark.parametrize("which", ["standardised", "raw years"])
def test_runs_just_below_and_above_the_limit(salary_n, which):
    if which == "standardised":
        x, y = salary_n
    else:
        x, y = data.salary()[0], data.salary()[1] / 1000.0
    limit = 2 / np.linalg.eigvalsh(hessian_by_hand(x))[-1]
    j_star = linear.cost(*linear.closed_form(x, y), x, y)
    below = linear.train(x, y, 0.98 * limit, max_epochs=3000)
    above = linear.train(x, y, 1.02 * limit, max_epochs=3000)
    assert below.final_cost - j_star < 1e-6 * below.costs[0]
    assert above.stop_reason == "diverged"
    assert R.rate_regime(x, 0.98 * limit) == "converges, zig-zagging"
    assert R.rate_regime(x, 1.02 * limit) == "diverges"
    assert R.rate_regime(x, 0.4 * limit) == "converges"


def test_exactly_at_the_limit_the_cost_neither_falls_nor_grows(salary_n):
    x, y = salary_n
    assert R.rate_regime(x, 1.0) == "oscillates for ever"
    h = linear.train(x, y, 1.0, max_epochs=200)
    np.testing.assert_allclose(h.costs, h.costs[0], rtol=1e-9)
    w = h.param("w")
    np.testing.assert_allclose(w[::2], w[0], atol=1e-9)
    np.testing.assert_allclose(w[1::2], 2 * 1.0 - w[0], atol=1e-9)   # mirrored about w* = 1


def test_seed_hint_is_exact_only_for_centred_x(salary_n):
    # seed: stable iff |1 − η(2/n)Σx²| < 1, i.e. η < n/Σx². Right when mean(x) = 0 ...
    xn = salary_n[0]
    assert len(xn) / np.sum(xn ** 2) == pytest.approx(linear.max_stable_learning_rate(xn), rel=1e-12)
    # ... too optimistic when it is not (raw years): a rate between the two diverges.
    x, y = data.salary()
    hint = len(x) / np.sum(x ** 2)
    limit = linear.max_stable_learning_rate(x)
    assert hint > limit
    between = linear.train(x, y / 1000, (hint + limit) / 2, max_epochs=3000)
    assert between.stop_reason == "diverged"


def test_learning_rate_figures(salary_n):
    xn, yn = salary_n
    hs = {f"η = {e}": linear.train(xn, yn, e, max_epochs=20) for e in (0.001, 0.1, 1.0, 1.1)}
    fig = plots.cost_curves(hs, xn)
    check_labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert [t.split("\n")[1] for t in titles] == ["converges", "converges", "oscillates for ever",
                                                 "diverges"]
    check_labelled(plots.rate_trajectories(xn, yn, hs))
    check_labelled(plots.bounce(xn, yn, hs))
    fig = plots.stability_diagram(xn, measured=([0.1, 0.5], [0.8, 0.0]), marks={"seed": 0.1})
    check_labelled(fig)
    limit = linear.max_stable_learning_rate(xn)                    # 1 for standardised data
    named = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    at_limit = [ln for ln in fig.axes[0].get_lines()
                if len(ln.get_xdata()) == 2 and np.allclose(ln.get_xdata(), limit)]
    assert [ln.get_label() in named for ln in at_limit] == [True]    # the limit, drawn and named
    fig = plots.learning_rate_grid(xn, yn, [0.1, 1.05], epochs=10)
    assert isinstance(fig, Figure)
    FigureCanvasAgg(fig).draw()


def test_learning_rate_bad_input(salary_n):
    xn, _ = salary_n
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        R.rate_regime(xn, -0.1)
    with pytest.raises(ValueError, match="histories must be a non-empty dict"):
        plots.cost_curves({}, xn)
    with pytest.raises(TypeError, match=r"histories\['a'\] must be a History"):
        plots.cost_curves({"a": 3}, xn)


# -- 06 -------------------------------------------------------------------------

from gdcourse import stochastic, synthetic  # noqa: E402
from gdcourse.plots import _stopping as ST  # noqa: E402


@pytest.mark.parametrize("rule, threshold", [("tolerance", 1e-3), ("tolerance", 1e-9),
                                             ("gradient_norm", 1e-2), ("gradient_norm", 1e-7),
                                             ("max_epochs", 17)])
def test_stop_epoch_agrees_with_the_descent_loop(salary_n, rule, threshold):
    xn, yn = salary_n
    long = linear.train(xn, yn, 0.05, max_epochs=3000)
    kwargs = {"tolerance": {"tol": threshold}, "gradient_norm": {"grad_tol": threshold},
              "max_epochs": {"max_epochs": threshold}}[rule]
    ref = linear.train(xn, yn, 0.05, **{"max_epochs": 3000, **kwargs})
    assert ref.stop_reason == rule
    assert ST.stop_epoch(long, rule, threshold) == ref.n_updates


def test_stop_epoch_never_and_bad_input(salary_n):
    xn, yn = salary_n
    short = linear.train(xn, yn, 0.1, max_epochs=5)
    assert ST.stop_epoch(short, "gradient_norm", 1e-9) is None
    assert ST.stop_epoch(short, "max_epochs", 6) is None
    with pytest.raises(ValueError, match="rule must be 'tolerance', 'gradient_norm' or"):
        ST.stop_epoch(short, "patience", 3)
    with pytest.raises(ValueError, match="threshold must be > 0"):
        ST.stop_epoch(short, "tolerance", 0)
    for bad in (2.5, float("nan"), float("inf"), None, True):
        with pytest.raises(TypeError, match="threshold must be an int"):
            ST.stop_epoch(short, "max_epochs", bad)
    with pytest.raises(ValueError, match="threshold must be >= 0"):
        ST.stop_epoch(short, "max_epochs", -1)
    with pytest.raises(TypeError, match="history must be a History"):
        ST.stop_epoch([1.0], "tolerance", 0.1)


def test_convergence_figures(salary_n):
    xn, yn = salary_n
    h = linear.train(xn, yn, 0.1, max_epochs=60)
    fig = plots.stopping_rules(h, tol=1e-6, grad_tol=1e-3, max_epochs=50)
    check_labelled(fig)
    # the vertical stop lines sit where stop_epoch says
    xs = sorted(line.get_xdata()[0] for line in fig.axes[0].get_lines()[1:])
    assert xs == sorted([ST.stop_epoch(h, "tolerance", 1e-6),
                         ST.stop_epoch(h, "gradient_norm", 1e-3), 50])
    check_labelled(plots.epochs_to_stop([1e-2, 1e-4], [10, 20], [1e-1, 1e-3], [12, 30],
                                        tol_predicted=[10, 20], grad_predicted=[12, 30]))
    x, y = synthetic.noisy_line(200, seed=0)
    x = linear.Standardizer.fit(x).transform(x)
    y = linear.Standardizer.fit(y).transform(y)
    j_star = linear.cost(*linear.closed_form(x, y), x, y)
    runs = {f"batch {k}": [stochastic.minibatch_gd(x, y, 0.05, batch_size=k, max_epochs=3, seed=s,
                                                   per_update=True)
                           for s in range(2)] for k in (1, 200)}
    check_labelled(plots.batch_comparison(runs, j_star))
    decaying = [stochastic.minibatch_gd(x, y, 0.05, batch_size=1, max_epochs=3, seed=s, decay=1.0)
                for s in range(2)]
    check_labelled(plots.rate_schedules({"constant": runs["batch 1"], "decaying": decaying}, j_star))
    check_labelled(plots.train_validation([0, 1, 2], [1.0, 0.5, 0.4], [1.1, 0.6, 0.5], best_epoch=2,
                                          stop_epoch=2))
    fits = (([1.0, 2.0], [0.1, 0.2]), ([1.5, 3.0], [0.1, 0.4]), {"line": lambda t: 0.1 * t})
    check_labelled(plots.train_validation([0, 1, 2], [1.0, 0.5, 0.4], [1.1, 0.6, 0.5],
                                          reference=("a line", 0.5), fits=fits))
    fig = plots.gradient_time_scaling([1e3, 1e4, 1e5], [1e-5, 1.5e-5, 1e-4], batch_seconds=1e-6,
                                      batch_size=32)
    check_labelled(fig)
    # the reference line is time in proportion to n through the largest measurement
    ref = fig.axes[0].get_lines()[1]
    assert np.allclose(ref.get_ydata(), 1e-4 * np.array([1e3, 1e4, 1e5]) / 1e5 * 1e3)
    from gdcourse import descent as _descent
    def saddle_cost(p):
        du, dv = synthetic.saddle_grad(p["u"], p["v"])
        return synthetic.saddle(p["u"], p["v"]), {"u": du, "v": dv}
    srun = _descent.gradient_descent(saddle_cost, {"u": 1.0, "v": 1e-3}, 0.1, max_epochs=50)
    check_labelled(plots.saddle_runs({"start": srun}, grad_tol=1e-2))
    g = lambda p: (synthetic.two_minima(p["w"]), {"w": synthetic.two_minima_grad(p["w"])})  # noqa
    from gdcourse import descent
    run = descent.gradient_descent(g, {"w": 2.5}, 0.1, max_epochs=20)
    basin = (np.linspace(-2, 3, 4), np.array([0.1, 0.5]), np.array([[0, 1, 1, 2], [0, 0, 1, 2]]))
    check_labelled(plots.two_minima_runs({"start 2.5": run}, basin=basin))
    check_labelled(plots.loss_shapes(0.5))
    check_labelled(plots.nonsmooth_runs({"a": ([0, 1, 2], [0.0, 0.5, 0.9], [1.0, 0.5, 0.1])}, 1.0))


def test_convergence_bad_input():
    with pytest.raises(ValueError, match="runs must be a non-empty dict"):
        plots.batch_comparison({}, 0.0)
    with pytest.raises(TypeError, match=r"runs\['a'\]\[0\] must be a History"):
        plots.batch_comparison({"a": [1, 2]}, 0.0)
    with pytest.raises(TypeError, match="fits must be a tuple"):
        plots.train_validation([0, 1], [1.0, 0.5], [1.0, 0.6], fits={"train": ([1], [1])})
    with pytest.raises(ValueError, match="sizes and seconds must be > 0"):
        plots.gradient_time_scaling([0, 10], [1e-5, 1e-4])
    # seeds that stopped at different epochs (one diverged): said, not a NumPy shape error
    x, y = synthetic.noisy_line(50, seed=0)
    x = linear.Standardizer.fit(x).transform(x)
    y = linear.Standardizer.fit(y).transform(y)
    long, short = (stochastic.minibatch_gd(x, y, 0.05, batch_size=5, max_epochs=k, per_update=True)
                   for k in (3, 2))
    with pytest.raises(ValueError, match="must be recorded per update"):
        plots.batch_comparison({"sgd": [stochastic.minibatch_gd(x, y, 0.05, batch_size=5)]}, 0.0)
    with pytest.raises(ValueError, match=r"runs\['sgd'\] must all have the same number of epochs"):
        plots.batch_comparison({"sgd": [long, short]}, 0.0)
    # more runs than colours: refused rather than silently dropped
    with pytest.raises(ValueError, match="runs can hold at most 4 entries"):
        plots.batch_comparison({f"m{k}": [long] for k in range(5)}, 0.0)
    many = {f"r{k}": ([0, 1], [0.0, 0.5], [1.0, 0.5]) for k in range(5)}
    with pytest.raises(ValueError, match="runs can hold at most 4 entries"):
        plots.nonsmooth_runs(many, 1.0)
    with pytest.raises(ValueError, match="delta must be > 0"):
        plots.loss_shapes(delta=-1)
    with pytest.raises(ValueError, match="val_costs must have length 2"):
        plots.train_validation([0, 1], [1.0, 0.5], [1.0])
