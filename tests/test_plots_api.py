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
