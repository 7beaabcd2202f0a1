"""The public surface of gdcourse.plots: what the notebooks draw, each checking its arguments.

Every name in ``plots.__all__`` is driven with one bad argument and must refuse it with a
``TypeError``/``ValueError`` whose message names that argument; every figure that takes
runs refuses an empty ``History`` and an empty or wrongly typed dict of runs the same way.
"""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gdcourse import data, linear, plots  # noqa: E402
from gdcourse.descent import History  # noqa: E402

pytestmark = pytest.mark.unit

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def J2(w, b):
    return (w - 1.0) ** 2 + b ** 2


def grad2(w, b):
    return 2.0 * (w - 1.0), 2.0 * b


def quad(w):
    return (w - 1.0) ** 2


def dquad(w):
    return 2.0 * (w - 1.0)


X_N, Y_N = data.salary(standardised=True)
RUN = linear.train(X_N, Y_N, 0.1, max_epochs=5)
EMPTY = History(learning_rate=0.1)
X2 = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0]])
Y2 = np.array([[0.0, 1.0, 1.0]])
W2 = np.array([[0.5], [0.5]])

# name -> (args, kwargs, the argument the message must name)
BAD = {
    "cost_surface": ((J2, (0, 1), "wide"), {}, "b_range"),
    "gradient_on_contours": ((J2, grad2, "corners", (0, 1), (0, 1)), {}, "points"),
    "descent_on_curves": (("one panel",), {}, "panels"),
    "tangent_steps": ((quad, dquad, [0.0], "fast", (-1, 1)), {}, "alpha"),
    "learning_rate_paths": ((quad, {"a": [0.0, "x"]}, (-1, 1)), {}, "runs['a']"),
    "partial_slice": ((J2, 0.0, 0.0, 1.0, (0, 1), (1, 0)), {}, "b_range"),
    "separable_growth": (([-1.0, 1.0], [0.0, 1.0], [0, 1], [0.0, 1.0], [0.0, 0.0], [0.7, 0.5]),
                         {"show_epochs": [1.5]}, "show_epochs"),
    "descent_1d_snapshots": ((quad, dquad, [0.0, 0.5], 0.1, (-1, 1)), {"steps": [5]}, "steps"),
    "computation_graph": ((1.0, 2.0, 1.0, 0.1, 0.2, 0.0), {"stage": "sideways"}, "stage"),
    "cost_curve": (([],), {}, "costs"),
    "decision_boundary": ((X2, Y2, W2, 0.0), {"accuracy": 2.0}, "accuracy"),
    "time_vs_m": (({"loops": ([1, 2], [1e-3])},), {}, "seconds"),
    "loops_vs_vectorized": (({"a": ([1, 2], [1.0, 2.0])},), {"slow": "a", "fast": "b"}, "fast"),
    "salary_fit": ((*data.salary(),), {"lines": [(1.0, 2.0)]}, "lines"),
    "standardised_values": ((data.salary()[0], X_N[:2], Y_N), {}, "x_n"),
    "epoch_one": ((X_N, Y_N, "zero", 0.0, 0.1, 0.0), {}, "w0"),
    "trace_vs_seed": ((EMPTY, [0], [1.0], [1.0]), {}, "history"),
    "cost_contour": ((X_N, Y_N, {"a": RUN}), {"max_points": 0}, "max_points"),
    "first_outside": (([1.0, 2.0], [1.0], (0, 1, 0, 1)), {}, "b"),
    "cost_curves": (({"a": "run"}, X_N), {}, "histories['a']"),
    "rate_trajectories": ((X_N, Y_N, {"a": RUN}), {"n_steps": 0}, "n_steps"),
    "bounce": ((X_N, Y_N, {"a": RUN}), {"w_range": (1, 0)}, "w_range"),
    "stability_diagram": ((X_N,), {"eta_max_plot": -1.0}, "eta_max_plot"),
    "learning_rate_grid": ((X_N, Y_N, [0.1]), {"epochs": 0}, "epochs"),
    "optimizer_paths": ((X_N, Y_N, {"a": RUN}), {"floor": 0.0}, "floor"),
    "stopping_rules": ((RUN,), {"tol": 1e-3, "grad_tol": -1.0, "max_epochs": 3}, "grad_tol"),
    "epochs_to_stop": (([1e-3], [1.0], [1e-3], [1.0, 2.0]), {}, "grad_epochs"),
    "batch_comparison": (({"a": "runs"}, 0.0), {}, "runs['a']"),
    "rate_schedules": (({"a": [RUN]}, "zero"), {}, "j_star"),
    "train_validation": (([0, 1], [1.0, 0.5], [1.0, 0.6]), {"best_epoch": 0.5}, "best_epoch"),
    "gradient_time_scaling": (([1, 2], [1e-3, 2e-3]), {"batch_seconds": 1e-4, "batch_size": 0},
                              "batch_size"),
    "two_minima_runs": (({"a": RUN},), {"basin": "map"}, "basin"),
    "saddle_runs": (({"a": RUN},), {}, "runs['a']"),              # a run without u and v
    "loss_shapes": ((), {"r_range": (1, 0)}, "r_range"),
    "nonsmooth_runs": (({"a": ([0, 1], [0.0, 1.0])}, 0.0), {}, "runs['a']"),
    "rate_task_figure": ((), {"epochs": 0}, "epochs"),
}

# Figures that take one History or a dict of them: name -> call with ``h`` in its place.
WITH_HISTORY = {
    "trace_vs_seed": lambda h: plots.trace_vs_seed(h, [0], [1.0], [1.0]),
    "cost_contour": lambda h: plots.cost_contour(X_N, Y_N, {"a": h}),
    "cost_curves": lambda h: plots.cost_curves({"a": h}, X_N),
    "rate_trajectories": lambda h: plots.rate_trajectories(X_N, Y_N, {"a": h}),
    "bounce": lambda h: plots.bounce(X_N, Y_N, {"a": h}),
    "optimizer_paths": lambda h: plots.optimizer_paths(X_N, Y_N, {"a": h}),
    "stopping_rules": lambda h: plots.stopping_rules(h, tol=1e-3, grad_tol=1e-3, max_epochs=3),
    "two_minima_runs": lambda h: plots.two_minima_runs({"a": h}),
    "saddle_runs": lambda h: plots.saddle_runs({"a": h}),
    "batch_comparison": lambda h: plots.batch_comparison({"a": [h]}, 0.0),
    "rate_schedules": lambda h: plots.rate_schedules({"a": [h]}, 0.0),
}

# Figures whose first dict argument holds runs: name -> (call with ``d`` in its place, its name).
WITH_RUNS = {
    "learning_rate_paths": (lambda d: plots.learning_rate_paths(quad, d, (-1, 1)), "runs"),
    "time_vs_m": (lambda d: plots.time_vs_m(d), "series"),
    "loops_vs_vectorized": (lambda d: plots.loops_vs_vectorized(d, slow="a", fast="b"), "series"),
    "cost_contour": (lambda d: plots.cost_contour(X_N, Y_N, d), "histories"),
    "cost_curves": (lambda d: plots.cost_curves(d, X_N), "histories"),
    "rate_trajectories": (lambda d: plots.rate_trajectories(X_N, Y_N, d), "histories"),
    "bounce": (lambda d: plots.bounce(X_N, Y_N, d), "histories"),
    "optimizer_paths": (lambda d: plots.optimizer_paths(X_N, Y_N, d), "runs"),
    "batch_comparison": (lambda d: plots.batch_comparison(d, 0.0), "runs"),
    "rate_schedules": (lambda d: plots.rate_schedules(d, 0.0), "runs"),
    "two_minima_runs": (lambda d: plots.two_minima_runs(d), "runs"),
    "saddle_runs": (lambda d: plots.saddle_runs(d), "runs"),
    "nonsmooth_runs": (lambda d: plots.nonsmooth_runs(d, 0.0), "runs"),
}


def _notebook_calls() -> set[str]:
    """Every ``plots.name`` and ``plots.module.name`` a notebook cell calls (the last name)."""
    names = set()
    for path in sorted(NOTEBOOKS.glob("*.ipynb")) + sorted(NOTEBOOKS.glob("solutions/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                names |= {m.split(".")[-1] for m in re.findall(r"\bplots\.(\w+(?:\.\w+)?)\(",
                                                               cell.source)}
    return names


def test_the_public_surface_is_what_the_notebooks_draw():
    assert len(plots.__all__) == len(set(plots.__all__))
    assert set(plots.__all__) == _notebook_calls()
    for name in plots.__all__:
        assert callable(getattr(plots, name))


def test_every_public_figure_has_a_bad_argument_case():
    assert set(BAD) == set(plots.__all__)


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_argument_is_named(name):
    args, kwargs, argument = BAD[name]
    with pytest.raises((TypeError, ValueError)) as info:
        getattr(plots, name)(*args, **kwargs)
    assert argument in str(info.value), f"{name}: {info.value}"
    assert not isinstance(info.value, (IndexError, KeyError, AttributeError))


@pytest.mark.parametrize("name", sorted(WITH_HISTORY))
def test_an_empty_history_is_refused_by_name(name):
    with pytest.raises(ValueError, match="empty History") as info:
        WITH_HISTORY[name](EMPTY)
    assert re.search(r"history|runs\['a'\]|histories\['a'\]", str(info.value))


@pytest.mark.parametrize("name", sorted(WITH_RUNS))
def test_an_empty_or_wrong_dict_of_runs_is_refused_by_name(name):
    call, argument = WITH_RUNS[name]
    with pytest.raises(ValueError, match=rf"^{argument} must be a non-empty dict.*empty dict"):
        call({})
    with pytest.raises(TypeError, match=rf"^{argument} must be a non-empty dict.*list"):
        call([1, 2])


# -- every figure carries a description (gdcourse.alt_text) -------------------------------
from gdcourse import descent, logistic, stochastic, synthetic  # noqa: E402
from gdcourse.alt_text import MAX_LENGTH, alt_of  # noqa: E402

COSTS = [0.6931, 0.5, 0.4, 0.31]
RUN_LONG = linear.train(X_N, Y_N, 0.1, max_epochs=60)
_XS, _YS = synthetic.noisy_line(60, seed=0)
_XS = linear.Standardizer.fit(_XS).transform(_XS)
_YS = linear.Standardizer.fit(_YS).transform(_YS)
_J_STAR = linear.cost(*linear.closed_form(_XS, _YS), _XS, _YS)
_MINI = {f"batch {k}": [stochastic.minibatch_gd(_XS, _YS, 0.05, batch_size=k, max_epochs=2,
                                                seed=s, per_update=True) for s in range(2)]
         for k in (1, 60)}


def _run(cost_and_grad, start, eta=0.1, epochs=30):
    return descent.gradient_descent(cost_and_grad, start, eta, max_epochs=epochs)


def _two_minima(p):
    return synthetic.two_minima(p["w"]), {"w": synthetic.two_minima_grad(p["w"])}


def _saddle(p):
    du, dv = synthetic.saddle_grad(p["u"], p["v"])
    return synthetic.saddle(p["u"], p["v"]), {"u": du, "v": dv}


# name -> a call with good arguments (first_outside is a helper, not a figure)
GOOD = {
    "cost_surface": lambda: plots.cost_surface(J2, (0, 2), (-1, 1), n=9, minimum=(1.0, 0.0),
                                               path=[[0.0, 0.5], [0.5, 0.2], [0.9, 0.05]]),
    "gradient_on_contours": lambda: plots.gradient_on_contours(
        J2, grad2, [[0.0, 0.5], [1.5, -0.5]], (0, 2), (-1, 1), n=9, minimum=(1.0, 0.0),
        stretched=dict(J=J2, w_range=(0, 2), b_range=(-1, 1), path=[[0, 0.5], [1, 0]],
                       title="stretched", w_label="w (m)", b_label="b (s)")),
    "descent_on_curves": lambda: plots.descent_on_curves(
        [dict(J=quad, w_range=(-1, 3), paths=[[-1.0, 0.2, 0.9], [3.0, 1.5, 1.1]], title="bowl",
              xlabel="w (m)", ylabel="J (s)")], title="Two starts"),
    "tangent_steps": lambda: plots.tangent_steps(quad, dquad, [0.0, 2.0], 0.25, (-1, 3),
                                                 w_min=1.0),
    "learning_rate_paths": lambda: plots.learning_rate_paths(
        quad, {"α = 0.1": [0.0, 0.2, 0.36], "α = 0.9": [0.0, 1.8, 0.36]}, (-1, 3), w_min=1.0),
    "partial_slice": lambda: plots.partial_slice(J2, 0.0, 0.5, -2.0, (0, 2), (-1, 1), n=9),
    "separable_growth": lambda: plots.separable_growth(
        [-1.0, 1.0], [0.0, 1.0], [0, 1, 10], [0.0, 1.0, 3.0], [0.0, 0.0, 0.0], [0.69, 0.3, 0.05],
        show_epochs=(1, 10)),
    "descent_1d_snapshots": lambda: plots.descent_1d_snapshots(
        quad, dquad, [0.0, 0.5, 0.75, 0.875], 0.25, (-1, 3), steps=(0, 3)),
    "computation_graph": lambda: plots.computation_graph(1.5, -0.5, 1, 0.8, -1.2, 0.3),
    "cost_curve": lambda: plots.cost_curve(COSTS),
    "decision_boundary": lambda: plots.decision_boundary(X2, Y2, W2, -0.75, accuracy=2 / 3),
    "time_vs_m": lambda: plots.time_vs_m({"loops": ([10, 100, 1000], [1e-4, 1e-3, 1e-2],
                                                    [False, False, True])}),
    "loops_vs_vectorized": lambda: plots.loops_vs_vectorized(
        {"loops": ([10, 100], [1e-3, 1e-2]), "vectorized": ([10, 100], [1e-5, 2e-5])},
        slow="loops", fast="vectorized"),
    "salary_fit": lambda: plots.salary_fit(*data.salary(), {"fit": (9000.0, 31000.0)}),
    "standardised_values": lambda: plots.standardised_values(
        data.salary()[0], X_N, Y_N, seed_x_n=[-1.414, -0.707, 0, 0.707, 1.414]),
    "epoch_one": lambda: plots.epoch_one(X_N, Y_N, 0.0, 0.0, 0.2, 0.0),
    "trace_vs_seed": lambda: plots.trace_vs_seed(RUN, range(3), [1.0, 0.64, 0.41],
                                                 [-2.0, -1.6, -1.28]),
    "cost_contour": lambda: plots.cost_contour(X_N, Y_N, {"η = 0.1": RUN}),
    "cost_curves": lambda: plots.cost_curves({"η = 0.1": RUN, "η = 1.05": linear.train(
        X_N, Y_N, 1.05, max_epochs=5)}, X_N),
    "rate_trajectories": lambda: plots.rate_trajectories(X_N, Y_N, {"η = 0.1": RUN}),
    "bounce": lambda: plots.bounce(X_N, Y_N, {"η = 0.1": RUN}),
    "stability_diagram": lambda: plots.stability_diagram(X_N, measured=([0.1], [0.8]),
                                                         marks={"seed": 0.1}),
    "learning_rate_grid": lambda: plots.learning_rate_grid(X_N, Y_N, [0.1, 1.05], epochs=5),
    "optimizer_paths": lambda: plots.optimizer_paths(X_N, Y_N, {"plain": RUN}),
    "stopping_rules": lambda: plots.stopping_rules(RUN_LONG, tol=1e-6, grad_tol=1e-3,
                                                   max_epochs=50),
    "epochs_to_stop": lambda: plots.epochs_to_stop([1e-2, 1e-4], [10, 20], [1e-1, 1e-3],
                                                   [12, 30], tol_predicted=[10, 20]),
    "batch_comparison": lambda: plots.batch_comparison(_MINI, _J_STAR),
    "rate_schedules": lambda: plots.rate_schedules({"constant": _MINI["batch 1"]}, _J_STAR),
    "train_validation": lambda: plots.train_validation(
        [0, 1, 2, 3], [1.0, 0.5, 0.4, 0.3], [1.1, 0.6, 0.5, 0.7], best_epoch=2, stop_epoch=3,
        reference=("a line", 0.5),
        fits=(([1.0, 2.0], [0.1, 0.2]), ([1.5, 3.0], [0.1, 0.4]), {"line": lambda t: 0.1 * t})),
    "gradient_time_scaling": lambda: plots.gradient_time_scaling(
        [1e3, 1e4], [1e-5, 1e-4], batch_seconds=1e-6, batch_size=32),
    "two_minima_runs": lambda: plots.two_minima_runs(
        {"from 2.5": _run(_two_minima, {"w": 2.5}, epochs=200)},
        basin=(np.linspace(-2, 3, 4), np.array([0.1, 0.5]),
               np.array([[0, 1, 1, 2], [0, 0, 1, 2]]))),
    "saddle_runs": lambda: plots.saddle_runs({"start": _run(_saddle, {"u": 1.0, "v": 1e-3})},
                                             grad_tol=1e-2),
    "loss_shapes": lambda: plots.loss_shapes(0.5),
    "nonsmooth_runs": lambda: plots.nonsmooth_runs(
        {"a": ([0, 1, 2], [0.0, 0.5, 0.9], [1.0, 0.5, 0.1])}, 1.0),
    "rate_task_figure": lambda: plots.rate_task_figure(epochs=10),
}
NOT_FIGURES = {"first_outside"}


def test_every_public_figure_has_a_good_call():
    assert set(GOOD) | NOT_FIGURES == set(plots.__all__)


@pytest.fixture(scope="module")
def described():
    """name -> the description of the figure GOOD[name] draws (each figure drawn once)."""
    import matplotlib.pyplot as plt
    out = {}
    for name, call in GOOD.items():
        fig = call()
        out[name] = alt_of(fig)
        plt.close(fig)            # rate_task_figure is a pyplot figure
    return out


@pytest.mark.parametrize("name", sorted(GOOD))
def test_every_figure_has_a_plain_short_description(name, described):
    text = described[name]
    assert text, f"plots.{name} returns a figure without a description (alt_text.describe)"
    assert len(text) <= MAX_LENGTH
    latex_or_markdown = r"\$[A-Za-z\\]|[\\`{}]|\*\*"
    assert not re.search(latex_or_markdown, text), f"{name}: Markdown or LaTeX in {text!r}"
    assert not re.search(r"\d\.\d{5,}", text), f"{name}: a number with too many digits: {text!r}"
    assert "nan" not in text.split() and "-0 " not in text, f"{name}: {text!r}"


def test_cost_curve_says_the_first_and_last_cost_and_the_updates():
    costs = np.array([0.6931, 0.52, 0.2049])
    text = alt_of(plots.cost_curve(costs))
    assert "falls from 0.693 to 0.205 over 2 updates" in text
    assert "rises from 0.205 to 0.693" in alt_of(plots.cost_curve(costs[::-1]))


def test_a_diverging_run_is_described_as_rising_until_it_stops():
    h = linear.train(X_N, Y_N, 1.2, max_epochs=400)
    assert h.stop_reason == "diverged" and h.epochs[-1] < 400
    text = alt_of(plots.cost_curves({"η = 1.2": h}, X_N))
    first, last = f"{h.costs[0]:.3g}", f"{h.costs[-1]:.2e}".replace("e+0", "e")
    assert f"η = 1.2 (diverges): J rises from {first} to {last} after {h.epochs[-1]} epochs" in text
    task = alt_of(plots.rate_task_figure(rates=(0.3, 1.2), epochs=400))
    assert (f"J, from 1 at the start: η = 0.3, less than 1e-12 after 400 epochs. "
            f"η = 1.2 (diverged, stopped), {last} after {h.epochs[-1]} epochs.") in task


def test_a_cost_that_reaches_rounding_noise_is_not_printed():
    # the salary data lie on a line: the cost of a converging run goes to 0, its last
    # digits to rounding noise (1e-32 here)
    h = linear.train(X_N, Y_N, 0.5, max_epochs=30)
    assert h.costs[-1] < 1e-20
    text = alt_of(plots.cost_curves({"η = 0.5": h}, X_N))
    assert "J falls from 1 to less than 1e-12 after 30 epochs" in text


def test_computation_graph_numbers_are_those_of_forward_backward_one():
    out = logistic.forward_backward_one(np.array([[1.5], [-0.5]]), 1.0,
                                        np.array([[0.8], [-1.2]]), 0.3)
    forward = alt_of(plots.computation_graph(1.5, -0.5, 1, 0.8, -1.2, 0.3, stage="forward"))
    both = alt_of(plots.computation_graph(1.5, -0.5, 1, 0.8, -1.2, 0.3, stage="both"))
    # as the graph writes them: 4 decimals
    assert f"σ(z) = {out['a']:.4f}" in forward and f"= {out['L']:.4f} with" in forward
    assert "dz" not in forward
    assert f"dz = a − y = {out['dz']:.4f}" in both
    assert f"dw₁ = {out['dw'][0, 0]:.4f}" in both


def test_decision_boundary_counts_the_classes():
    text = alt_of(plots.decision_boundary(X2, Y2, W2, -0.75, accuracy=2 / 3))
    assert "a scatter plot of 3 examples" in text
    assert "1 with y = 0" in text and "2 with y = 1" in text
    assert "0.5·x₁ + 0.5·x₂ − 0.75 = 0" in text
    assert "Training accuracy: 66.7 %." in text


def test_stopping_rules_say_where_each_rule_stops():
    text = alt_of(plots.stopping_rules(RUN_LONG, tol=1e-6, grad_tol=1e-3, max_epochs=50))
    costs = np.array(RUN_LONG.costs)
    tol_at = int(np.argmax(np.abs(np.diff(costs)) < 1e-6)) + 1
    grad_at = int(np.argmax(RUN_LONG.grad_norms() < 1e-3))
    assert f"tolerance |ΔJ| < ε at epoch {tol_at}" in text
    assert f"gradient norm ‖∇J‖ < g at epoch {grad_at}" in text
    assert "max epochs at epoch 50" in text
    never = alt_of(plots.stopping_rules(RUN, tol=1e-6, grad_tol=1e-3, max_epochs=50))
    assert "max epochs not within the run" in never


def test_timing_figures_show_no_measured_number():
    seconds = [1.234e-4, 5.678e-3]
    text = alt_of(plots.time_vs_m({"loops": ([10, 1000], seconds)}))
    assert "for loops, m from 10 to 1,000" in text
    assert not re.search(r"1\.23|5\.68|0\.000", text)


def test_salary_fit_lists_every_person_and_the_line():
    x, y = data.salary()
    text = alt_of(plots.salary_fit(x, y, {"fit": (9000.0, 31000.0)}))
    people = [f"{xi:g} {'year' if xi == 1 else 'years'} at ${yi:,.0f}" for xi, yi in zip(x, y)]
    assert all(p in text for p in people), text
    assert "salary = 9,000·years + 31,000 dollars" in text


def test_description_numbers_have_few_digits_and_no_noise():
    from gdcourse.plots._shared import approx, change, noise_floor, sentences
    assert [approx(v) for v in (0.693147, 40000.0, 9999.7, 1.0, 3.14159e-5, 2.3e10, -0.25)] == \
        ["0.693", "40,000", "10,000", "1", "3.14e-5", "2.3e10", "-0.25"]
    assert approx(-3e-17, floor=1e-12) == "less than 1e-12"      # not "-3e-17" on one machine
    assert change(1.0, 0.5) == "falls from 1 to 0.5"
    assert change(0.5, 0.50001) == "stays at 0.5"
    assert change(1.0, float("inf")).startswith("rises from 1 until")
    assert noise_floor(5800.0) == 1e-8 and noise_floor(0.0) == 1e-12
    long = "x" * MAX_LENGTH
    # a part that does not fit ends the text: what follows it is detail
    assert sentences("First.", None, "Last.") == "First. Last."
    assert sentences("First.", long, "Last.") == "First."


def test_two_minima_says_where_each_run_ends_and_how_the_map_divides():
    runs = {"from 0.5": _run(_two_minima, {"w": 0.5}, epochs=400),
            "from 2.5": _run(_two_minima, {"w": 2.5}, epochs=400)}
    ends = {label: float(h.param("w")[-1]) for label, h in runs.items()}
    assert abs(ends["from 0.5"] + 1) < 1e-3 and abs(ends["from 2.5"] - 2) < 1e-3
    outcome = np.array([[0, 0, 0, 1, 2], [2, 2, 2, 2, 2]])  # of 10: 3 global, 1 local, 6 neither
    text = alt_of(plots.two_minima_runs(runs, basin=(np.arange(5.0), np.array([0.1, 0.5]),
                                                     outcome)))
    assert "Runs to the global minimum: from 0.5; to the local minimum: from 2.5." in text
    assert "30 % global min., 10 % local min. and 60 % diverged / not settled" in text


def test_saddle_runs_say_which_point_each_run_stops_at():
    on_axis = _run(_saddle, {"u": 1.0, "v": 0.0}, epochs=200)     # v stays 0: the saddle
    off_axis = _run(_saddle, {"u": 1.0, "v": -0.1}, epochs=400)   # slides to (0, -1)
    assert np.hypot(on_axis.param("u")[-1], on_axis.param("v")[-1]) < 1e-3
    assert np.hypot(off_axis.param("u")[-1], off_axis.param("v")[-1] + 1) < 1e-3
    text = alt_of(plots.saddle_runs({"a": on_axis, "b": off_axis}))
    assert f"a stops at the saddle point after {on_axis.epochs[-1]} epochs." in text
    assert f"b stops at the minimum (v = −1) after {off_axis.epochs[-1]} epochs." in text
