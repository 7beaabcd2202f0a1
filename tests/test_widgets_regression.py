"""Explorers of notebooks 05 and 06: readouts equal values computed independently."""

import numpy as np
import pytest

from gdcourse import data, linear, widgets
from gdcourse.widgets.learning_rate import learning_rate_explorer

from figure_checks import annotations_outside_axes, labels_longer_than_axes
from readouts import assert_shows, verdict_of

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", sorted(widgets.ALL))
def test_explorer_figures_have_no_clipped_text(name):
    """Every explorer's figures (one a scene: the one shown with its last change's artists,
    the others static) fit their labels, before and after a change of its control."""
    factory, control, value = widgets.ALL[name]
    explorer = factory()
    for step in ("built", "changed"):
        if step == "changed":
            explorer.controls[control].value = value
        for fig in explorer.figures:
            assert annotations_outside_axes(fig) == [], f"{name} ({step})"
            assert labels_longer_than_axes(fig) == [], f"{name} ({step})"


def salary_n():
    x, y = data.salary()
    return linear.Standardizer.fit(x).transform(x), linear.Standardizer.fit(y).transform(y)


def lam_max_by_hand(x):
    """Largest eigenvalue of the MSE Hessian [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]."""
    return max(np.linalg.eigvalsh(np.array([[2 * np.mean(x * x), 2 * np.mean(x)],
                                            [2 * np.mean(x), 2.0]])))


def plain_gd(x, y, eta, epochs):
    """Independent reference: batch gradient descent written out with Python floats."""
    w = b = 0.0
    n = len(x)
    for _ in range(epochs):
        r = [w * xi + b - yi for xi, yi in zip(x, y)]
        dw = 2 / n * sum(ri * xi for ri, xi in zip(r, x))
        db = 2 / n * sum(r)
        w, b = w - eta * dw, b - eta * db
    return w, b, sum((w * xi + b - yi) ** 2 for xi, yi in zip(x, y)) / n


# -- learning-rate explorer -------------------------------------------------------

@pytest.fixture(scope="module")
def lr_explorer():
    return learning_rate_explorer()


@pytest.mark.parametrize("eta, regime", [(0.05, "converges"), (0.3, "converges"),
                                         (0.7, "converges, zig-zagging"),
                                         (1.0, "oscillates for ever"), (1.1, "diverges")])
def test_learning_rate_readout(lr_explorer, eta, regime):
    x, y = salary_n()
    lr_explorer.controls["learning_rate"].value = eta
    html = lr_explorer.readout.value
    assert verdict_of(html) == regime
    eta_seen = lr_explorer.controls["learning_rate"].value          # what the slider holds
    # limit from the eigenvalues of H written out by hand
    lam_max = lam_max_by_hand(x)
    limit = 2 / lam_max
    # shown: η, the limit, η / limit, the error factor, then the run's J and distance
    w, b, J = plain_gd(x, y, eta_seen, 30)
    assert_shows(html, eta_seen, limit, eta_seen / limit, 1 - eta_seen * lam_max, rel=1e-3,
                 abs_=1e-9)
    assert_shows(html, eta_seen, J, np.hypot(w - 1.0, b), rel=1e-3, abs_=1e-12)
    if regime == "diverges":   # 30 epochs are too few to reach the divergence factor
        assert "(max_epochs)" in html
    assert bytes(lr_explorer.image.value).startswith(PNG)


def test_learning_rate_image_changes(lr_explorer):
    lr_explorer.controls["learning_rate"].value = 0.1
    a = bytes(lr_explorer.image.value)
    lr_explorer.controls["learning_rate"].value = 0.9
    assert bytes(lr_explorer.image.value) != a


def test_learning_rate_explorer_on_raw_years():
    x, y = data.salary()
    e = learning_rate_explorer(x, y / 1000, learning_rate=0.02, w_range=(0, 20), b_range=(0, 60))
    limit = 2 / lam_max_by_hand(x)
    assert_shows(e.readout.value, 0.02, limit, rel=1e-3)
    # the slider follows the data's limit (0.04 here), not the standardised data's 1
    slider = e.controls["learning_rate"]
    assert 10 ** slider.min == pytest.approx(limit / 1000) and 10 ** slider.max == pytest.approx(
        10 ** 0.1 * limit)
    slider.value = 0.9 * limit
    assert verdict_of(e.readout.value) == "converges, zig-zagging"
    slider.value = 1.1 * limit
    assert verdict_of(e.readout.value) == "diverges"


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(learning_rate=0), ValueError, "learning_rate must be > 0"),
    (dict(learning_rate=5.0), ValueError, r"learning_rate must lie in the slider's range \[0.001, 1.259\]"),
    (dict(epochs=0), ValueError, "epochs must be >= 1"),
    (dict(x=[1.0, 2.0], y=[1.0]), ValueError, "y must have length 2"),
])
def test_learning_rate_explorer_bad_input(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        learning_rate_explorer(**kwargs)


@pytest.mark.parametrize("name", ["learning_rate_explorer"])
def test_registered(name):
    factory, control, value = widgets.ALL[name]
    e = factory()
    before = e.redraw_count
    e.controls[control].value = value
    assert e.redraw_count == before + 1


# -- stopping-rule explorer --------------------------------------------------------

@pytest.fixture(scope="module")
def stop_explorer():
    from gdcourse.widgets.stopping import stopping_explorer
    return stopping_explorer()


@pytest.mark.parametrize("eta", [0.01, 0.1])
@pytest.mark.parametrize("rule, log10", [("tolerance", -6.0), ("tolerance", -2.5),
                                         ("gradient_norm", -6.0), ("gradient_norm", -1.0)])
def test_stopping_readout_matches_a_real_run_with_that_rule(stop_explorer, eta, rule, log10):
    x, y = salary_n()
    stop_explorer.controls["learning_rate"].value = eta
    stop_explorer.controls["rule"].value = rule
    stop_explorer.controls["log10_threshold"].value = log10
    html = stop_explorer.readout.value
    kwargs = {"tol": 10 ** log10} if rule == "tolerance" else {"grad_tol": 10 ** log10}
    ref = linear.train(x, y, eta, max_epochs=50_000, **kwargs)
    assert ref.stop_reason == rule
    w, b = ref.final_params["w"], ref.final_params["b"]
    # shown: the threshold, η, the stop epoch, J and the distance to the minimum there
    assert_shows(html, 10 ** log10, eta, ref.n_updates, ref.final_cost, np.hypot(w - 1.0, b),
                 rel=1e-3)


def test_stopping_max_epochs(stop_explorer):
    x, y = salary_n()
    stop_explorer.controls["learning_rate"].value = 0.1
    stop_explorer.controls["rule"].value = "max_epochs"
    stop_explorer.controls["max_epochs"].value = 20
    html = stop_explorer.readout.value
    w, b, J = plain_gd(x, y, 0.1, 20)
    assert_shows(html, 20, 0.1, 20, J, np.hypot(w - 1.0, b), rel=1e-3)


def test_stopping_long_max_epochs_extends_the_run(stop_explorer):
    x, y = salary_n()
    stop_explorer.controls["learning_rate"].value = 0.01
    stop_explorer.controls["rule"].value = "max_epochs"
    stop_explorer.controls["max_epochs"].value = 5000
    html = stop_explorer.readout.value
    ref = linear.train(x, y, 0.01, max_epochs=5000)
    assert_shows(html, 5000, 0.01, 5000, ref.final_cost, rel=1e-3)


def test_stopping_rule_that_never_fires():
    # Salary in dollars: the rounding floor of the gradient is about 6e-11 (residuals of
    # size 1e5 times machine epsilon), so a threshold of 1e-12 can never be reached.
    from gdcourse.widgets.stopping import stopping_explorer
    x, y = data.salary()
    x = linear.Standardizer.fit(x).transform(x)
    e = stopping_explorer(x, y)
    e.controls["learning_rate"].value = 0.1
    e.controls["rule"].value = "gradient_norm"
    e.controls["log10_threshold"].value = -12.0
    ref = linear.train(x, y, 0.1, max_epochs=5000, grad_tol=1e-12)
    assert ref.stop_reason == "max_epochs"          # an independent run never fires either
    assert "does not fire within" in e.readout.value


def test_stopping_explorer_bad_input():
    from gdcourse.widgets.stopping import stopping_explorer
    with pytest.raises(ValueError, match="x must not be constant"):
        stopping_explorer([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="at least one rate"):
        stopping_explorer(learning_rates=())
    with pytest.raises(TypeError, match="learning_rates must be a sequence"):
        stopping_explorer(learning_rates=0.1)
    with pytest.raises(TypeError, match="learning_rates must be"):
        stopping_explorer(learning_rates=("fast",))


def test_stopping_explorer_rejects_unstable_rates():
    from gdcourse.widgets.stopping import stopping_explorer
    with pytest.raises(ValueError, match="learning_rates must lie in"):
        stopping_explorer(learning_rates=(0.1, 1.0))


def test_stopping_registered():
    factory, control, value = widgets.ALL["stopping_explorer"]
    e = factory()
    e.controls[control].value = value
    assert_shows(e.readout.value, 10 ** value)                # the new threshold is shown
