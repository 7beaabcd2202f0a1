"""Figures of notebooks 00-03 and the timing helper: labels, numbers, errors.

Expected numbers come from the reference code (``forward_backward_one``) or
from closed forms worked out here, never from the plotting code under test.
"""

import math
import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from gdcourse import logistic, plots, timing
from gdcourse.plots import _graph as graph_mod

from figure_checks import annotations_outside_axes, labels_longer_than_axes


# -- helpers -------------------------------------------------------------------
def quad(w):
    return (w - 1.0) ** 2 + 0.5


def dquad(w):
    return 2.0 * (w - 1.0)


def J2(w, b):
    return (w - 1.0) ** 2 + 2.0 * (b + 0.5) ** 2


def all_texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return out


def assert_labelled(fig, *, need_legend=True, shared_y=False):
    """Every data axes has both labels with a unit in brackets; a title exists somewhere.

    With ``shared_y`` only the first axes needs a y label (the others share its axis).
    """
    assert isinstance(fig, Figure)
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    data_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert data_axes
    for k, ax in enumerate(data_axes):
        labels = [ax.get_xlabel()] + ([ax.get_ylabel()] if k == 0 or not shared_y else [])
        for label in labels:
            assert label and "(" in label and ")" in label, f"label without unit: {label!r}"
        if hasattr(ax, "get_zlabel"):
            assert "(" in ax.get_zlabel()
        assert ax.get_title() or suptitle, "axes without a title"
    if need_legend:
        assert any(ax.get_legend() is not None for ax in data_axes)
    assert annotations_outside_axes(fig) == [], "annotations cross the axes' edge"
    assert labels_longer_than_axes(fig) == [], "axis labels longer than their axes"


# -- notebook 00 ------------------------------------------------------------------
def test_cost_surface_is_labelled_and_marks_path_and_minimum():
    path = np.array([[-1.0, 1.0], [0.0, 0.5], [1.0, -0.5]])
    fig = plots.cost_surface(J2, (-2, 3), (-2, 2), path=path, minimum=(1.0, -0.5), n=15)
    assert_labelled(fig)
    assert len([ax for ax in fig.axes if hasattr(ax, "get_zlabel")]) == 1
    (ax,) = [a for a in fig.axes if not hasattr(a, "get_zlabel") and a.get_label() != "<colorbar>"]
    lines = ax.get_lines()
    assert any(np.array_equal(ln.get_xydata(), path) for ln in lines)        # the path itself
    (star,) = [ln for ln in lines if ln.get_marker() == "*"]
    assert np.allclose(star.get_xydata(), [[1.0, -0.5]])                    # at the minimum
    assert len(ax.get_legend().get_texts()) == 3                             # path, start, minimum


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(J=42, w_range=(0, 1), b_range=(0, 1)), TypeError, "J must be a function"),
    (dict(J=J2, w_range=(1, 0), b_range=(0, 1)), ValueError, "low < high"),
    (dict(J=J2, w_range=(0, 1, 2), b_range=(0, 1)), TypeError, "pair"),
    (dict(J=J2, w_range=(0, 1), b_range=(0, 1), path=np.zeros((3, 3))), ValueError, "(k, 2)"),
    (dict(J=lambda w, b: np.nan, w_range=(0, 1), b_range=(0, 1)), ValueError, "non-finite"),
])
def test_cost_surface_rejects_bad_input(kwargs, exc, words):
    with pytest.raises(exc, match=re.escape(words)):
        plots.cost_surface(n=5, **kwargs)


def test_descent_on_curves_legend_reports_where_each_start_ends():
    paths = [np.array([-2.0, -0.5, 0.9]), np.array([3.0, 1.2])]
    fig = plots.descent_on_curves([dict(J=quad, w_range=(-3, 4), paths=paths, title="t",
                                        xlabel="w (u)", ylabel="J (u)")], title="T")
    assert_labelled(fig)
    ax = fig.axes[0]
    ends = [ln for ln in ax.get_lines() if ln.get_marker() == "X"]
    # one end cross per path, where that path ended, each with its own legend entry
    assert [tuple(ln.get_xydata()[0]) for ln in ends] == [(p[-1], quad(p[-1])) for p in paths]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [ln.get_label() for ln in ends] == legend[1:]


@pytest.mark.parametrize("panels, exc", [
    ({}, TypeError),
    ([], TypeError),
    ([dict(J=quad)], ValueError),
    (["not a dict"], TypeError),
])
def test_descent_on_curves_rejects_bad_panels(panels, exc):
    with pytest.raises(exc):
        plots.descent_on_curves(panels)


def test_tangent_steps_point_downhill():
    alpha = 0.25
    fig = plots.tangent_steps(quad, dquad, [-1.0, 3.0], alpha, (-3, 5), w_min=1.0,
                              xlabel="w (u)", ylabel="J (u)")
    assert_labelled(fig)
    ax = fig.axes[0]
    # slope at -1 is -4: the step is +1 (right); slope at 3 is +4: the step is -1 (left)
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    steps = [a.xy[0] - a.xyann[0] for a in arrows]
    assert np.allclose(steps, [+1.0, -1.0])
    tangents = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    slopes = [np.ptp(ln.get_ydata()) / np.ptp(ln.get_xdata()) * np.sign(np.diff(ln.get_ydata())[0])
              for ln in tangents]
    assert np.allclose(slopes, [dquad(-1.0), dquad(3.0)])


def test_tangent_steps_rejects_nonpositive_alpha():
    with pytest.raises(ValueError, match="alpha must be > 0"):
        plots.tangent_steps(quad, dquad, [0.0], 0.0, (-1, 1))


def test_learning_rate_paths_and_partial_slice_are_labelled():
    runs = {"α = 0.1": [-2.0, -1.4, -0.92], "α = 0.9": [-2.0, 3.4, -0.92]}
    assert_labelled(plots.learning_rate_paths(quad, runs, (-3, 4), w_min=1.0,
                                              xlabel="w (u)", ylabel="J(w) (u)"))
    fig = plots.partial_slice(J2, 2.0, 0.0, 2.0, (-2, 3), (-2, 2), n=11)
    assert_labelled(fig)
    ax_slice = [a for a in fig.axes if a.get_label() != "<colorbar>"][1]
    (tangent,) = [ln for ln in ax_slice.get_lines() if ln.get_linestyle() == "--"]
    (t0, t1), (j0, j1) = tangent.get_xdata(), tangent.get_ydata()
    assert (j1 - j0) / (t1 - t0) == pytest.approx(2.0)                # the slope it was given


def test_learning_rate_paths_needs_runs():
    with pytest.raises(ValueError, match="runs must be"):
        plots.learning_rate_paths(quad, {}, (-1, 1))
    with pytest.raises(TypeError, match="runs must be"):
        plots.learning_rate_paths(quad, [[0.0, 1.0]], (-1, 1))


def test_separable_growth_checks_lengths_and_epochs():
    epochs = np.arange(4)
    w = np.array([0.0, 1.0, 2.0, 3.0])
    fig = plots.separable_growth([-1, 1], [0, 1], epochs, w, np.zeros(4), [0.7, 0.3, 0.1, 0.05],
                                 show_epochs=(1, 3))
    assert_labelled(fig)
    with pytest.raises(ValueError, match="epoch 7"):
        plots.separable_growth([-1, 1], [0, 1], epochs, w, np.zeros(4), np.ones(4),
                               show_epochs=(7,))
    with pytest.raises(ValueError, match="w_path must have length 4"):
        plots.separable_growth([-1, 1], [0, 1], epochs, w[:3], np.zeros(4), np.ones(4))


def test_descent_1d_snapshots_show_the_numbers_of_each_step():
    alpha, w0 = 0.25, -1.0
    # closed form of w := w - alpha * 2 (w - 1): w_k = 1 + (w0 - 1)(1 - 2 alpha)^k
    path = np.array([1 + (w0 - 1) * (1 - 2 * alpha) ** k for k in range(6)])
    fig = plots.descent_1d_snapshots(quad, dquad, path, alpha, (-2, 3), steps=(0, 2, 5),
                                     xlabel="w (u)", ylabel="J (u)")
    assert_labelled(fig, shared_y=True)
    # each panel's current point is the run's w_k on the curve: w_2 = 1 + (-2)(0.5)^2 = 0.5
    for ax, k in zip(fig.axes, (0, 2, 5)):
        (now,) = [ln for ln in ax.get_lines()
                  if ln.get_marker() == "o" and ln.get_markersize() == 10]
        assert np.allclose(now.get_xydata(), [[path[k], quad(path[k])]])
    assert path[2] == 0.5
    with pytest.raises(ValueError, match="steps must be iterations between 0 and 5"):
        plots.descent_1d_snapshots(quad, dquad, path, alpha, (-2, 3), steps=(6,))


def test_signed_has_no_negative_zero():
    from gdcourse.plots._shared import signed
    assert signed(-1e-9) == "+0.000"
    assert signed(-0.0012) == "-0.001"
    assert signed(2.5, 1) == "+2.5"


# -- notebook 01: the computation graph ----------------------------------------------
CASES = [(1.5, -0.5, 1, 0.8, -1.2, 0.3), (0.0, 2.0, 0, -3.0, 0.5, 1.0), (-4.0, 4.0, 1, 4.0, 4.0, -4.0)]


@pytest.mark.parametrize("x1, x2, y, w1, w2, b", CASES)
def test_graph_values_equal_forward_backward_one(x1, x2, y, w1, w2, b):
    ref = logistic.forward_backward_one(np.array([[x1], [x2]]), y, np.array([[w1], [w2]]), b)
    vals = graph_mod.graph_values(x1, x2, y, w1, w2, b)
    for key in ("z", "a", "L", "da", "dz", "db"):
        assert vals[key] == ref[key]
    assert vals["dw1"] == ref["dw"][0, 0] and vals["dw2"] == ref["dw"][1, 0]
    assert vals["dadz"] == pytest.approx(ref["a"] * (1 - ref["a"]))


def test_graph_shows_the_reference_numbers():
    x1, x2, y, w1, w2, b = CASES[0]
    ref = logistic.forward_backward_one(np.array([[x1], [x2]]), y, np.array([[w1], [w2]]), b)
    z_by_hand = w1 * x1 + w2 * x2 + b
    assert ref["z"] == pytest.approx(z_by_hand)
    texts = all_texts(plots.computation_graph(x1, x2, y, w1, w2, b, stage="both"))
    joined = "\n".join(texts)
    for value in (ref["z"], ref["a"], ref["L"]):
        assert f"= {value:.4f}" in joined
    assert f"dw₁ = x₁·dz = {ref['dw'][0, 0]:.4f}" in texts
    assert f"dw₂ = x₂·dz = {ref['dw'][1, 0]:.4f}" in texts
    assert f"db = dz = {ref['db']:.4f}" in texts
    assert f"= −y/a + (1−y)/(1−a)\n= {ref['da']:.4f}" in joined
    assert f"= a − y = {ref['a'] - y:.4f}" in joined


def test_graph_forward_stage_has_no_derivatives():
    texts = all_texts(plots.computation_graph(*CASES[0], stage="forward"))
    assert not any("dw₁" in t or "da =" in t for t in texts)
    assert any(t.startswith("= ") for t in texts)


def test_graph_formats_huge_derivatives_readably():
    # z = 36: a is within 1e-16 of 1, so da = 1/(1 - a) is astronomically large for y = 0
    texts = all_texts(plots.computation_graph(4.0, 4.0, 0, 4.0, 4.0, 4.0, stage="both"))
    da_text = next(t for t in texts if t.startswith("da ="))
    assert "e+" in da_text and len(da_text) < 60


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(stage="sideways"), ValueError, "stage must be one of"),
    (dict(y=2), ValueError, "y must be a label 0 or 1"),
    (dict(x1="one"), TypeError, "x1"),
    (dict(b=math.inf), ValueError, "b must be finite"),
])
def test_graph_rejects_bad_input(kwargs, exc, words):
    args = dict(x1=1.0, x2=2.0, y=1, w1=0.1, w2=0.2, b=0.0)
    args.update(kwargs)
    stage = args.pop("stage", "both")
    with pytest.raises(exc, match=re.escape(words)):
        plots.computation_graph(**args, stage=stage)


# -- notebook 02: training figures -------------------------------------------------
def test_cost_curve_and_decision_boundary():
    fig = plots.cost_curve([0.69, 0.5, 0.4], title="t")
    assert_labelled(fig)
    curve, last = fig.axes[0].get_lines()
    assert np.array_equal(curve.get_ydata(), [0.69, 0.5, 0.4])
    assert np.allclose(last.get_xydata(), [[2, 0.4]])                    # the last cost marked
    assert last.get_label() in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    X = np.array([[-1.0, -2.0, 1.0, 2.0], [0.0, 1.0, 0.0, -1.0]])
    Y = np.array([[0.0, 0.0, 1.0, 1.0]])
    fig = plots.decision_boundary(X, Y, np.array([[1.0], [0.0]]), 0.0, accuracy=1.0,
                                  feature_labels=("x₁ (cm)", "x₂ (cm)"))
    assert_labelled(fig)
    assert "training accuracy 100.0 %" in all_texts(fig)


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(X=np.zeros((4, 2))), ValueError, "transposed"),
    (dict(Y=np.array([0.0, 1.0])), ValueError, "rank-1"),
    (dict(w=np.zeros((1, 2))), ValueError, "w must have shape (2, 1)"),
    (dict(accuracy=91.5), ValueError, "fraction"),
    (dict(feature_labels="x"), TypeError, "pair"),
])
def test_decision_boundary_rejects_bad_input(kwargs, exc, words):
    args = dict(X=np.zeros((2, 2)) + [[0.0, 1.0], [1.0, 0.0]], Y=np.array([[0.0, 1.0]]),
                w=np.zeros((2, 1)), b=0.0)
    args.update(kwargs)
    with pytest.raises(exc, match=re.escape(words)):
        plots.decision_boundary(**args)


# -- notebooks 02-03: timing figures and helper ----------------------------------------
def test_timing_figures_mark_estimates_and_speedup():
    sizes = [10, 100, 1000]
    fig = plots.time_vs_m({"loops": (sizes, [1e-4, 1e-3, 1e-2], [False, False, True])})
    assert_labelled(fig)
    assert "loops (ESTIMATE, t = c·m)" in all_texts(fig)
    fig = plots.loops_vs_vectorized({"loops": (sizes, [1e-4, 1e-3, 1e-2]),
                                     "vec": (sizes, [1e-5, 2e-5, 1e-4])}, slow="loops", fast="vec")
    assert_labelled(fig)
    speed_axes = fig.axes[1]
    speed = speed_axes.get_lines()[0].get_ydata()
    assert np.allclose(speed, [10.0, 50.0, 100.0])


@pytest.mark.parametrize("series, kwargs, exc, words", [
    ({}, {}, ValueError, "non-empty dict"),
    ([], {}, TypeError, "non-empty dict"),
    ({"a": ([1, 2], [1.0])}, {}, ValueError, "length 2"),
    ({"a": ([1, 2], [1.0, 0.0])}, {}, ValueError, "> 0"),
    ({"a": ([1, 2], [1.0, 2.0]), "b": ([1, 3], [1.0, 2.0])}, dict(slow="a", fast="b"), ValueError,
     "same sizes"),
    ({"a": ([1, 2], [1.0, 2.0])}, dict(slow="a", fast="zzz"), ValueError, "fast must be one of"),
])
def test_timing_figures_reject_bad_series(series, kwargs, exc, words):
    with pytest.raises(exc, match=re.escape(words)):
        if kwargs:
            plots.loops_vs_vectorized(series, **kwargs)
        else:
            plots.time_vs_m(series)


def test_median_time_counts_calls_and_orders_statistics():
    calls = []
    t = timing.median_time(calls.append, 1, repeats=4, number=3)
    assert len(calls) == 12 and t.number == 3 and t.repeats == 4
    assert 0 <= t.best <= t.median <= t.p90
    auto = timing.median_time(lambda: None, repeats=2, min_repeat_time=0.001)
    assert auto.number > 1                               # a no-op is called many times per repeat
    assert "per call (median of 2 repeats" in str(auto)


@pytest.mark.parametrize("kwargs, exc", [
    (dict(fn=3), TypeError),
    (dict(fn=print, repeats=0), ValueError),
    (dict(fn=print, number=1.5), TypeError),
    (dict(fn=print, min_repeat_time=-1), ValueError),
])
def test_median_time_rejects_bad_arguments(kwargs, exc):
    fn = kwargs.pop("fn")
    with pytest.raises(exc):
        timing.median_time(fn, **kwargs)


def test_fit_linear_time_recovers_a_proportional_cost():
    m = np.array([10.0, 100.0, 1000.0])
    assert timing.fit_linear_time(m, 2.5e-6 * m) == pytest.approx(2.5e-6)
    with pytest.raises(ValueError, match="sizes must be > 0"):
        timing.fit_linear_time([0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="length 2"):
        timing.fit_linear_time([1, 2], [0.1])


@pytest.mark.parametrize("seconds, text", [
    (3.2e-6, "3.2 µs"), (0.041, "41 ms"), (2.5, "2.5 s"), (246, "4.1 min"),
    (0.0009997, "1 ms"), (7200, "2 h"), (0, "0 ns"),
])
def test_format_seconds(seconds, text):
    assert timing.format_seconds(seconds) == text


def test_format_seconds_rejects_negative_and_nan():
    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError, match="seconds must be"):
            timing.format_seconds(bad)


def test_scaling_table_measures_estimates_and_describes_the_speed_up():
    from gdcourse import timing
    calls = []

    def slow(m):
        calls.append(("slow", m))
        return sum(range(m))

    def fast(m):
        calls.append(("fast", m))
        return m * (m - 1) // 2
    table = timing.scaling_table({"slow": slow, "fast": fast}, [10, 100, 1000],
                                 lambda m: (m,), measure_up_to={"slow": 100}, repeats=2)
    assert ("slow", 1000) not in calls and ("fast", 1000) in calls      # estimated, not run
    assert table.estimated["slow"] == [False, False, True]
    c = timing.fit_linear_time([10, 100], table.seconds["slow"][:2])
    assert table.seconds["slow"][2] == pytest.approx(c * 1000)
    assert table.spread["slow"][2] is None and table.spread["fast"][2] is not None
    assert "~" in table.text("slow", "fast").splitlines()[-1]
    said = table.describe_speedup("slow", "fast")
    assert "m = 1,000 (from an estimate)" in said and "Repeats of one measurement" in said
    with pytest.raises(ValueError, match="not in stages"):
        timing.scaling_table({"slow": slow}, [10], lambda m: (m,), measure_up_to={"x": 1})


def test_describe_speedup_follows_the_numbers():
    from gdcourse.timing import ScalingTable
    def table(ratios):
        n = len(ratios)
        return ScalingTable(list(range(1, n + 1)), {"a": list(ratios), "b": [1.0] * n},
                            {"a": [False] * n, "b": [False] * n}, {"a": [None] * n, "b": [None] * n})
    assert "then falls to 20x" in table([2, 100, 20]).describe_speedup("a", "b")
    assert "the largest size." in table([2, 50, 100]).describe_speedup("a", "b")
    assert "and is 90x" in table([2, 100, 90]).describe_speedup("a", "b")


def test_gradient_on_contours_points_downhill_and_checks_its_input():
    pts = np.array([[-1.0, 1.0], [2.0, -1.0]])

    def grad(w, b):
        return 2 * (w - 1.0), 2 * (b + 0.5)          # J2's gradient: minimum at (1, -0.5)
    fig = plots.gradient_on_contours(J2, grad, pts, (-2, 3), (-2, 2), minimum=(1.0, -0.5), n=15,
                                     stretched=dict(J=J2, w_range=(-2, 3), b_range=(-2, 2),
                                                    path=np.array([[0.0, 0.0], [0.5, -0.2]]),
                                                    title="s", w_label="w (u)", b_label="b (u)"))
    assert_labelled(fig)
    quiver = next(c for c in fig.axes[0].collections if hasattr(c, "U"))
    arrows = np.column_stack([quiver.U, quiver.V])
    want = -np.array([grad(*p) for p in pts])
    cosines = np.sum(arrows * want, axis=1) / np.linalg.norm(arrows, axis=1) / np.linalg.norm(
        want, axis=1)
    assert np.allclose(cosines, 1.0)
    assert fig.axes[0].get_aspect() == 1.0
    assert any("minimum (1.00, -0.50)" in t for t in all_texts(fig))
    with pytest.raises(ValueError, match="shape \\(k, 2\\)"):
        plots.gradient_on_contours(J2, grad, np.zeros(3), (-2, 3), (-2, 2), n=5)
    with pytest.raises(ValueError, match="missing the key"):
        plots.gradient_on_contours(J2, grad, pts, (-2, 3), (-2, 2), n=5, stretched={"J": J2})


def test_describe_growth_names_the_way_time_departs_from_proportion():
    from gdcourse.timing import describe_growth
    sizes = [1e4, 1e5, 1e6]
    assert "about in proportion to n (×10.0 for ×10 the samples)" in describe_growth(sizes, [1, 2, 20])
    faster = describe_growth(sizes, [1, 2, 66], what="one gradient's time")
    assert "one gradient's time grew more than in proportion to n (×33.0 for ×10" in faster
    assert "less than in proportion" in describe_growth(sizes, [1, 2, 5])
    assert faster.startswith("From n = 100,000 to n = 1,000,000")
    with pytest.raises(ValueError, match="sizes must be increasing"):
        describe_growth([1e5, 1e4], [1, 2])
