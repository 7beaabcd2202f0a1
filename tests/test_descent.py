"""The one gradient-descent loop (gdcourse.descent): updates, stopping rules, History.

The test problem is J(p) = (p − 3)², ∂J/∂p = 2(p − 3), started at p = 0. With step η,
3 − p_{t+1} = (1 − 2η)(3 − p_t), so p_t = 3 − 3 q^t, J_t = 9 q^{2t} and
|∂J/∂p|_t = 6 |q|^t with q = 1 − 2η. Every expected epoch below comes from these formulas.
"""

import math

import numpy as np
import pytest

from gdcourse import History, descent, gradient_descent


def bowl(params):
    p = params["p"]
    return (p - 3.0) * (p - 3.0), {"p": 2.0 * (p - 3.0)}


def first_epoch(condition):
    """Smallest epoch t >= 0 for which condition(t) holds (a search over the formula)."""
    return next(t for t in range(10_000) if condition(t))


def test_updates_follow_the_rule_and_epoch_0_is_the_start():
    eta, q = 0.1, 0.8
    history = gradient_descent(bowl, {"p": 0.0}, eta, max_epochs=6)
    t = np.arange(7)
    assert history.epochs == list(range(7))
    np.testing.assert_allclose(history.param("p"), 3 - 3 * q ** t, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(history.costs, 9 * q ** (2 * t), rtol=1e-12)
    np.testing.assert_allclose(history.grad("p"), -6 * q ** t, rtol=1e-12)
    assert history.params[0] == {"p": 0.0}
    assert history.n_updates == 6 and history.final_cost == history.costs[-1]
    assert history.learning_rate == eta


def test_max_epochs_stops_after_that_many_updates():
    history = gradient_descent(bowl, {"p": 0.0}, 0.1, max_epochs=17)
    assert history.stop_reason == "max_epochs"
    assert history.n_updates == 17 and len(history.costs) == 18
    zero = gradient_descent(bowl, {"p": 0.0}, 0.1, max_epochs=0)
    assert zero.stop_reason == "max_epochs" and zero.epochs == [0] and zero.params[0]["p"] == 0.0


@pytest.mark.parametrize("tol", [1e-2, 1e-5, 1e-9])
def test_tolerance_stops_at_the_first_small_change_in_cost(tol):
    # |J_t − J_{t−1}| = 9 q^{2(t−1)} (1 − q²) with q = 0.8
    expected = first_epoch(lambda t: t >= 1 and 9 * 0.64 ** (t - 1) * 0.36 < tol)
    history = gradient_descent(bowl, {"p": 0.0}, 0.1, max_epochs=10_000, tol=tol)
    assert history.stop_reason == "tolerance"
    assert history.n_updates == expected
    assert abs(history.costs[-1] - history.costs[-2]) < tol <= abs(history.costs[-2] - history.costs[-3])


@pytest.mark.parametrize("grad_tol", [1.0, 1e-3, 1e-8])
def test_gradient_norm_stops_at_the_first_small_gradient(grad_tol):
    expected = first_epoch(lambda t: 6 * 0.8 ** t < grad_tol)
    history = gradient_descent(bowl, {"p": 0.0}, 0.1, max_epochs=10_000, grad_tol=grad_tol)
    assert history.stop_reason == "gradient_norm"
    assert history.n_updates == expected
    assert history.grad_norms()[-1] < grad_tol <= history.grad_norms()[-2]


def test_gradient_norm_uses_all_parameters_together():
    # J = (u − 1)² + (v + 2)², arrays and floats mixed; norm = sqrt(Σ over every entry)
    def fn(params):
        u, v = params["u"], params["v"]
        return float(np.sum((u - 1) ** 2)) + (v + 2) ** 2, {"u": 2 * (u - 1), "v": 2 * (v + 2)}

    history = gradient_descent(fn, {"u": np.zeros((2, 1)), "v": 0.0}, 0.1, max_epochs=0)
    assert history.grad_norms()[0] == pytest.approx(math.sqrt(2 ** 2 + 2 ** 2 + 4 ** 2))
    assert history.table().splitlines()[0].split() == [
        "epoch", "u1", "u2", "v", "J", "∂J/∂u1", "∂J/∂u2", "∂J/∂v"]


def test_rules_are_checked_in_the_documented_order():
    # gradient norm before tolerance: at p = 3 both would fire at epoch 1
    def flat(params):
        return 0.0, {"p": 0.0}

    h = gradient_descent(flat, {"p": 3.0}, 0.1, tol=1.0, grad_tol=1.0, max_epochs=5)
    assert h.stop_reason == "gradient_norm" and h.n_updates == 0
    # tolerance before max_epochs when both hold at the same epoch
    h = gradient_descent(bowl, {"p": 0.0}, 0.1, tol=10.0, max_epochs=1)
    assert h.stop_reason == "tolerance" and h.n_updates == 1
    # divergence before everything else
    h = gradient_descent(lambda p: (float("nan"), {"p": 0.0}), {"p": 0.0}, 0.1, max_epochs=0,
                         grad_tol=1.0)
    assert h.stop_reason == "diverged" and h.n_updates == 0


def test_divergence_is_reported_before_any_nan_appears():
    # η = 1.5: q = −2, J_t = 9 · 4^t; the loop stops at the first J_t > 1e8 · J_0, t = 14
    history = gradient_descent(bowl, {"p": 0.0}, 1.5, max_epochs=10_000)
    assert history.stop_reason == "diverged"
    assert history.n_updates == first_epoch(lambda t: 4 ** t > 1e8) == 14
    assert np.all(np.isfinite(history.costs)) and np.all(np.isfinite(history.grad("p")))
    text = history.table(max_rows=None)
    assert "nan" not in text.lower() and "inf" not in text.lower()
    assert "diverged" in text and "diverged" in repr(history)


def test_divergence_factor_sets_the_threshold():
    history = gradient_descent(bowl, {"p": 0.0}, 1.5, divergence_factor=100.0)
    assert history.stop_reason == "diverged"
    assert history.n_updates == first_epoch(lambda t: 4 ** t > 100) == 4


def test_overflow_is_reported_as_divergence_without_warnings():
    # one enormous step overflows the cost to inf; pytest turns any RuntimeWarning into an error
    def fn(params):
        p = params["p"]
        return float(np.square(p - 3.0)), {"p": np.float64(2.0) * (p - 3.0)}

    history = gradient_descent(fn, {"p": np.float64(0.0)}, 1e300, max_epochs=100)
    assert history.stop_reason == "diverged"
    assert history.n_updates == 1 and history.costs[-1] == math.inf
    # the table stays readable: huge values in scientific notation, not 300-digit columns
    text = history.table()
    assert max(len(line) for line in text.splitlines()) < 80
    assert "6.0000e+300" in text                      # p after one step: 0 - 1e300 * (-6)
    assert "6.0000e+300" in history._repr_html_()


def test_overflow_error_from_python_maths_is_reported_as_divergence():
    # J = exp(p²) with Python floats: math.exp raises OverflowError beyond ~709 instead of
    # returning inf. From p = 1 with η = 1: p₁ = 1 − 2e ≈ −4.44 (J ≈ 3.6e8, finite), then
    # p₂ = p₁ − 2p₁·exp(p₁²) ≈ +3.2e9, where exp(p²) cannot be formed. The factor rule is
    # switched off so that the overflow is what ends the run.
    def fn(params):
        p = params["p"]
        return math.exp(p * p), {"p": 2.0 * p * math.exp(p * p)}

    history = gradient_descent(fn, {"p": 1.0}, 1.0, max_epochs=10, divergence_factor=1e300)
    assert history.stop_reason == "diverged"
    assert history.epochs == [0, 1]                       # ends at the last state it could evaluate
    assert history.param("p")[1] == pytest.approx(1 - 2 * math.e)
    # the start itself is the caller's problem: the error is not hidden
    with pytest.raises(OverflowError):
        gradient_descent(fn, {"p": 30.0}, 0.1)


def test_starting_values_are_copied_not_modified():
    w0 = np.zeros((3, 1))

    def fn(params):
        w = params["w"]
        return float(np.sum((w - 1) ** 2)), {"w": 2 * (w - 1)}

    history = gradient_descent(fn, {"w": w0}, 0.25, max_epochs=3)
    np.testing.assert_array_equal(w0, 0.0)
    np.testing.assert_array_equal(history.params[0]["w"], 0.0)
    # stored rows are snapshots, not views of the running parameters
    np.testing.assert_allclose(history.param("w")[:, :, 0],
                               [[0, 0, 0], [0.5] * 3, [0.75] * 3, [0.875] * 3])
    assert history.param("w").shape == (4, 3, 1)


def test_history_table_truncates_long_runs_and_renders_html():
    history = gradient_descent(bowl, {"p": 0.0}, 0.01, max_epochs=100)
    lines = history.table(max_rows=6).splitlines()
    assert lines[2].split()[0] == "0" and lines[-2].split()[0] == "100"
    assert any(line.strip().startswith("…") for line in lines)
    assert len(lines) == 2 + 7 + 1           # header, rule, 6 rows + ellipsis, stop line
    assert str(history) == history.table()
    html = history._repr_html_()
    assert html.startswith("<table>") and "max_epochs" in html and "∂J/∂p" in html
    assert isinstance(history, History) and descent.STOP_REASONS == (
        "diverged", "gradient_norm", "tolerance", "max_epochs")     # the order they are checked in


def test_early_stopping_keeps_the_lowest_cost_and_waits_patience_epochs():
    val = [5.0, 3.0, 2.0, 2.5, 2.4, 2.6, 2.7, 1.0]
    assert descent.early_stopping(val, 3) == (2, 5)            # epochs 3, 4, 5 do not improve
    assert descent.early_stopping(val, 5) == (7, None)         # the late drop arrives in time
    # a gain smaller than min_improvement does not count as better
    assert descent.early_stopping([3.0, 2.0, 1.99, 1.98, 1.97], 3, min_improvement=0.05) == (1, 4)
    assert descent.early_stopping([3.0, 2.0, 1.99, 1.98, 1.97], 3) == (4, None)
    assert descent.early_stopping([1.0], 1) == (0, None)


@pytest.mark.parametrize("args, kwargs, error, match", [
    (([1.0, np.nan], 2), {}, ValueError, "val_costs must be a non-empty 1-D sequence"),
    (([], 2), {}, ValueError, "val_costs must be a non-empty"),
    (([1.0, 2.0], 0), {}, ValueError, "patience"),
    (([1.0, 2.0], 2), {"min_improvement": -1.0}, ValueError, "min_improvement must be >= 0"),
])
def test_early_stopping_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        descent.early_stopping(*args, **kwargs)


def test_the_table_counts_updates_in_proper_english():
    one = gradient_descent(bowl, {"p": 0.0}, 0.1, max_epochs=1)
    assert str(one).splitlines()[-1].startswith("stopped after 1 update: max_epochs")
    assert "stopped after 1 update: max_epochs" in one._repr_html_()
    none = gradient_descent(bowl, {"p": 0.0}, 0.1, max_epochs=0)
    assert str(none).splitlines()[-1].startswith("stopped after 0 updates: max_epochs")


@pytest.mark.parametrize("costs, grad_norm, kwargs, expected", [
    ([1.0, 0.5], 0.1, {"max_epochs": 5}, None),
    ([1.0, 0.5], 0.1, {"max_epochs": 1}, "max_epochs"),
    ([1.0, 0.5, 0.4999], 0.1, {"max_epochs": 5, "tol": 1e-3}, "tolerance"),
    ([1.0, 0.5, 0.4999], 0.1, {"max_epochs": 5, "tol": 1e-5}, None),
    ([1.0], 0.1, {"max_epochs": 5, "tol": 10.0}, None),             # no change before epoch 1
    ([1.0, 0.5], 0.01, {"max_epochs": 1, "grad_tol": 0.1}, "gradient_norm"),   # before max_epochs
    ([1.0, 0.5], float("nan"), {"max_epochs": 1, "grad_tol": 0.1}, "diverged"),  # before all
    ([1.0, float("inf")], 0.1, {}, "diverged"),
    ([1.0, 2e8], 0.1, {}, "diverged"),                               # 1e8 times the start
    ([1.0, 9e7], 0.1, {}, None),
    ([1.0, 2e8], 0.1, {"divergence_factor": None}, None),            # only non-finite values
    ([0.0, 1e-3], 0.1, {}, "diverged"),                              # a zero start counts as 1e-12
])
def test_stop_rule_checks_the_rules_in_their_order(costs, grad_norm, kwargs, expected):
    assert descent.stop_rule(costs, grad_norm, **kwargs) == expected


def test_every_loop_stops_where_stop_rule_says():
    # replay a recorded run through the rule: it fires first at the run's last epoch
    run = gradient_descent(bowl, {"p": 0.0}, 0.3, max_epochs=200, tol=1e-6, grad_tol=1e-9)
    norms = run.grad_norms()
    fired = [descent.stop_rule(run.costs[: t + 1], norms[t], max_epochs=200, tol=1e-6,
                               grad_tol=1e-9) for t in range(len(run.costs))]
    assert fired[:-1] == [None] * (len(fired) - 1) and fired[-1] == run.stop_reason == "tolerance"
    with pytest.raises(ValueError, match="costs must hold at least the starting cost"):
        descent.stop_rule([], 0.1)


def test_stop_epoch_is_where_each_rule_alone_would_have_stopped():
    run = gradient_descent(bowl, {"p": 0.0}, 0.05, max_epochs=300)
    costs, norms = run.costs, run.grad_norms()
    # independent answers, written out with plain loops
    first_tol = next(t for t in range(1, len(costs)) if abs(costs[t] - costs[t - 1]) < 1e-4)
    first_grad = next(t for t in range(len(costs)) if norms[t] < 1e-2)
    assert descent.stop_epoch(run, "tolerance", 1e-4) == first_tol
    assert descent.stop_epoch(run, "gradient_norm", 1e-2) == first_grad
    assert descent.stop_epoch(run, "max_epochs", 40) == 40
    assert descent.stop_epoch(run, "max_epochs", 301) is None
    assert descent.stop_epoch(run, "tolerance", 1e-300) is None
    # and a run stopped by that rule stops there
    assert gradient_descent(bowl, {"p": 0.0}, 0.05, max_epochs=300, tol=1e-4).n_updates == first_tol
    with pytest.raises(ValueError, match="rule must be 'tolerance', 'gradient_norm' or 'max_epochs'"):
        descent.stop_epoch(run, "diverged", 1.0)
    with pytest.raises(TypeError, match="history must be a History"):
        descent.stop_epoch([1.0], "tolerance", 1.0)
    with pytest.raises(ValueError, match="threshold must be > 0"):
        descent.stop_epoch(run, "tolerance", -1.0)
