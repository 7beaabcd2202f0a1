"""Bad input across the public API gets a clear error, never a silent broadcast.

Each case lists fragments that must appear, in this order, in the message: the argument's
name, what was expected (shape, type or range) and what was given. The rank-1 trap
((m,) where (1, m) is expected) must be explained, not just refused.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from gdcourse import (data, descent, digits, linear, logistic, losses, optimizers, stochastic,
                      synthetic, timing)

X = np.arange(6.0).reshape(2, 3) / 6      # n_x = 2 features, m = 3 examples
W = np.array([[0.5], [-0.25]])
Y = np.array([[0.0, 1.0, 1.0]])
x = np.array([1.0, 2.0, 4.0])
y = np.array([2.0, 3.0, 5.0])


def with_nan(a, where=(0, 0), value=np.nan):
    a = np.array(a, dtype=float)
    a[where] = value
    return a


def bowl(params):
    return float(np.sum((params["w"] - 1) ** 2)), {"w": 2 * (params["w"] - 1)}


RANK1 = ["rank-1", "classic trap", "broadcasts"]

# (id, call, exception, fragments in order)
CASES = [
    # -- logistic: shapes and the rank-1 trap ------------------------------------
    ("X rank-1", lambda: logistic.propagate(W, 0, X[0], Y), ValueError,
     ["X", "2-D array of shape (n_x, m)", "rank-1 array of shape (3,)", *RANK1[1:]]),
    ("w rank-1", lambda: logistic.propagate(W[:, 0], 0, X, Y), ValueError,
     ["w", "shape (2, 1)", "rank-1 array of shape (2,)", *RANK1[1:], "w.reshape(2, 1)"]),
    ("Y rank-1", lambda: logistic.propagate(W, 0, X, Y[0]), ValueError,
     ["Y", "shape (1, 3)", "rank-1 array of shape (3,)", *RANK1[1:], "np.reshape(Y, (1, -1))"]),
    ("Y rank-1 loops", lambda: logistic.propagate_loops(W, 0, X, Y[0]), ValueError,
     ["Y", "shape (1, 3)", "rank-1 array of shape (3,)", *RANK1[1:]]),
    ("Y rank-1 optimize", lambda: logistic.optimize(W, 0, X, Y[0], 5, 0.1), ValueError,
     ["Y", "shape (1, 3)", "rank-1 array of shape (3,)", *RANK1[1:]]),
    ("x rank-1 one example", lambda: logistic.forward_backward_one(X[:, 0], 1, W, 0), ValueError,
     ["x", "shape (n_x, 1)", "rank-1 array of shape (2,)", *RANK1[1:]]),
    ("X rank-1 predict", lambda: logistic.predict(W, 0, X[0]), ValueError,
     ["X", "(n_x, m)", "rank-1 array of shape (3,)"]),
    ("Y transposed", lambda: logistic.propagate(W, 0, X, Y.T), ValueError,
     ["Y", "shape (1, 3)", "got shape (3, 1)", "transposed", "Y.T"]),
    ("w transposed", lambda: logistic.propagate(W.T, 0, X, Y), ValueError,
     ["w", "shape (2, 1)", "got shape (1, 2)", "transposed"]),
    ("mismatched m", lambda: logistic.propagate(W, 0, X, np.ones((1, 4))), ValueError,
     ["Y", "(1, 3)", "one label per example", "m = 3", "got 4 labels", "(1, 4)"]),
    ("mismatched n_x", lambda: logistic.propagate(np.ones((3, 1)), 0, X, Y), ValueError,
     ["w", "(2, 1)", "one weight per feature", "n_x = 2", "got shape (3, 1)"]),
    ("mismatched n_x one example",
     lambda: logistic.forward_backward_one(np.ones((3, 1)), 1, W, 0), ValueError,
     ["w", "(3, 1)", "one weight per feature", "n_x = 3", "got shape (2, 1)"]),
    ("X 3-D", lambda: logistic.propagate(W, 0, X[:, :, None], Y), ValueError,
     ["X", "2-D array of shape (n_x, m)", "got shape (2, 3, 1)"]),
    ("X empty", lambda: logistic.propagate(W, 0, np.ones((2, 0)), np.ones((1, 0))), ValueError,
     ["X", "not be empty", "(2, 0)"]),
    # -- logistic: values and types -------------------------------------------------
    ("X NaN", lambda: logistic.propagate(W, 0, with_nan(X), Y), ValueError,
     ["X", "must be finite", "1 NaN or infinite"]),
    ("X inf", lambda: logistic.propagate(W, 0, with_nan(X, (1, 2), np.inf), Y), ValueError,
     ["X", "must be finite", "1 NaN or infinite"]),
    ("Y NaN", lambda: logistic.propagate(W, 0, X, with_nan(Y)), ValueError,
     ["Y", "must be finite", "1 NaN"]),
    ("Y not 0/1", lambda: logistic.propagate(W, 0, X, np.array([[0.0, 1.0, 2.0]])), ValueError,
     ["Y", "only 0 and 1", "[2.0]"]),
    ("X text", lambda: logistic.propagate(W, 0, [["a", "b", "c"]] * 2, Y), TypeError,
     ["X", "real numbers (int or float)", "dtype <U1"]),
    ("X ragged", lambda: logistic.propagate(W, 0, [[1, 2, 3], [4]], Y), TypeError,
     ["X", "numeric array", "list of length 2"]),
    ("b array", lambda: logistic.propagate(W, np.ones(2), X, Y), ValueError,
     ["b", "single number", "array of shape (2,)"]),
    ("b text", lambda: logistic.propagate(W, "0.5", X, Y), TypeError,
     ["b", "numeric", "str '0.5'"]),
    ("b NaN", lambda: logistic.propagate(W, float("nan"), X, Y), ValueError,
     ["b", "finite", "nan"]),
    ("b None", lambda: logistic.propagate(W, None, X, Y), TypeError,
     ["b", "numeric", "None"]),
    ("y not a label", lambda: logistic.forward_backward_one(X[:, :1], 0.5, W, 0), ValueError,
     ["y", "label 0 or 1", "0.5"]),
    ("sigmoid text", lambda: logistic.sigmoid("abc"), TypeError,
     ["z", "real number", "str 'abc'"]),
    ("sigmoid complex", lambda: logistic.sigmoid(np.array([1 + 2j])), TypeError,
     ["z", "real numbers", "complex128"]),
    ("sigmoid bool", lambda: logistic.sigmoid(np.array([True, False])), TypeError,
     ["z", "real number", "booleans", "bool array of shape (2,)"]),
    ("sigmoid empty", lambda: logistic.sigmoid([]), ValueError,
     ["z", "not be empty", "(0,)"]),
    ("sigmoid NaN", lambda: logistic.sigmoid([0.0, np.nan]), ValueError,
     ["z", "NaN", "1 NaN"]),
    ("loss a > 1", lambda: logistic.loss(1.5, 1), ValueError,
     ["a", "probabilities in [0, 1]", "1.5", "sigmoid(z)"]),
    ("loss a NaN", lambda: logistic.loss(np.nan, 1), ValueError,
     ["a", "probabilities in [0, 1]", "1 NaN"]),
    ("loss y = 2", lambda: logistic.loss(0.5, 2), ValueError,
     ["y", "labels 0 or 1", "2.0"]),
    ("loss shapes", lambda: logistic.loss(np.full(2, 0.5), np.ones(3)), ValueError,
     ["a and y", "same shape", "(2,)", "(3,)"]),
    ("loss empty", lambda: logistic.loss([], []), ValueError,
     ["a", "not be empty", "(0,)"]),
    # -- learning rates and epoch counts -------------------------------------------
    ("lr zero", lambda: logistic.optimize(W, 0, X, Y, 5, 0), ValueError,
     ["learning_rate", "> 0", "0.0"]),
    ("lr negative", lambda: logistic.optimize(W, 0, X, Y, 5, -0.1), ValueError,
     ["learning_rate", "> 0", "-0.1"]),
    ("lr inf", lambda: logistic.optimize(W, 0, X, Y, 5, np.inf), ValueError,
     ["learning_rate", "finite", "inf"]),
    ("lr text", lambda: logistic.optimize(W, 0, X, Y, 5, "0.1"), TypeError,
     ["learning_rate", "numeric", "str '0.1'"]),
    ("iterations float", lambda: logistic.optimize(W, 0, X, Y, 10.0, 0.1), TypeError,
     ["num_iterations", "an int", "float 10.0"]),
    ("iterations 1e3", lambda: logistic.optimize(W, 0, X, Y, 1e3, 0.1), TypeError,
     ["num_iterations", "an int", "float 1000.0"]),
    ("iterations negative", lambda: logistic.optimize(W, 0, X, Y, -1, 0.1), ValueError,
     ["num_iterations", ">= 0", "-1"]),
    ("iterations bool", lambda: logistic.optimize(W, 0, X, Y, True, 0.1), TypeError,
     ["num_iterations", "an int", "bool True"]),
    ("tol zero", lambda: logistic.optimize(W, 0, X, Y, 5, 0.1, tol=0), ValueError,
     ["tol", "> 0", "0.0"]),
    ("grad_tol negative", lambda: logistic.optimize(W, 0, X, Y, 5, 0.1, grad_tol=-1), ValueError,
     ["grad_tol", "> 0", "-1.0"]),
    ("train lr zero", lambda: linear.train(x, y, 0.0), ValueError,
     ["learning_rate", "> 0", "0.0"]),
    ("train epochs float", lambda: linear.train(x, y, 0.1, max_epochs=100.0), TypeError,
     ["max_epochs", "an int", "float 100.0"]),
    ("train epochs negative", lambda: linear.train(x, y, 0.1, max_epochs=-5), ValueError,
     ["max_epochs", ">= 0", "-5"]),
    # -- linear ---------------------------------------------------------------------------
    ("linear mismatched n", lambda: linear.cost(1, 0, x, y[:2]), ValueError,
     ["y", "length 3", "one value per sample", "got 2"]),
    ("linear x 2-D", lambda: linear.gradients(1, 0, x[None, :], y), ValueError,
     ["x", "1-D array", "got shape (1, 3)", "np.ravel(x)"]),
    ("linear empty", lambda: linear.cost(1, 0, [], []), ValueError,
     ["x", "at least 1 value", "got 0"]),
    ("linear NaN", lambda: linear.gradients(1, 0, with_nan(x, 1), y), ValueError,
     ["x", "finite", "1 NaN"]),
    ("linear w array", lambda: linear.gradients(np.ones(2), 0, x, y), ValueError,
     ["w", "single number", "array of shape (2,)"]),
    ("linear w bool", lambda: linear.cost(True, 0, x, y), TypeError,
     ["w", "real number", "bool True"]),
    ("linear x scalar", lambda: linear.predict(1, 0, 3.0), ValueError,
     ["x", "1-D array", "got shape ()"]),
    ("linear y text", lambda: linear.train(x, ["a", "b", "c"], 0.1), TypeError,
     ["y", "real numbers", "dtype <U1"]),
    ("linear w0 text", lambda: linear.train(x, y, 0.1, w0="a"), TypeError,
     ["w0", "numeric", "str 'a'"]),
    ("standardize constant", lambda: linear.Standardizer.fit([3, 3, 3]), ValueError,
     ["values", "all equal (3.0)", "standard deviation is 0"]),
    ("standardize one value", lambda: linear.Standardizer.fit([3.0]), ValueError,
     ["values", "at least 2 value", "got 1"]),
    ("closed form constant x", lambda: linear.closed_form([2, 2, 2], y), ValueError,
     ["x", "not be constant"]),
    ("to_original_units", lambda: linear.to_original_units(1, 0, None, None), TypeError,
     ["x_scale", "Standardizer", "NoneType"]),
    # -- descent ----------------------------------------------------------------------
    ("grad_fn not callable", lambda: descent.gradient_descent(3, {"w": 0.0}, 0.1), TypeError,
     ["grad_fn", "callable", "int"]),
    ("params empty", lambda: descent.gradient_descent(bowl, {}, 0.1), TypeError,
     ["params", "non-empty dict", "{}"]),
    ("grads wrong keys",
     lambda: descent.gradient_descent(lambda p: (0.0, {"v": 0.0}), {"w": 0.0}, 0.1), ValueError,
     ["grad_fn", "gradients for ['w']", "['v']"]),
    ("grads rank-1",
     lambda: descent.gradient_descent(lambda p: (0.0, {"w": np.zeros(3)}), {"w": np.ones((3, 1))},
                                      0.1), ValueError,
     ["grad_fn", "grads['w']", "shape (3,)", "params['w']", "shape (3, 1)", "broadcast", "(n, n)"]),
    ("cost not a number",
     lambda: descent.gradient_descent(lambda p: (np.ones((1, 1)), {"w": 0.0}), {"w": 0.0}, 0.1),
     TypeError, ["grad_fn", "cost", "single number", "shape (1, 1)"]),
    ("divergence_factor", lambda: descent.gradient_descent(bowl, {"w": 0.0}, 0.1,
                                                           divergence_factor=0), ValueError,
     ["divergence_factor", "> 0", "0.0"]),
    # -- data -------------------------------------------------------------------------------
    ("blobs m = 1", lambda: data.two_blobs(1), ValueError, ["m", ">= 2", "got 1"]),
    ("blobs m float", lambda: data.two_blobs(100.0), TypeError, ["m", "an int", "float 100.0"]),
    ("blobs seed negative", lambda: data.two_blobs(10, seed=-1), ValueError,
     ["seed", ">= 0", "-1"]),
    ("blobs separation NaN", lambda: data.two_blobs(10, separation=np.nan), ValueError,
     ["separation", "finite", "nan"]),
    ("cancer one string", lambda: data.breast_cancer("mean radius"), TypeError,
     ["features", "sequence of column names", "one string", "('mean radius',)"]),
    ("cancer unknown column", lambda: data.breast_cancer(["radius"]), ValueError,
     ["features", "unknown column 'radius'", "mean radius"]),
    ("cancer not a sequence", lambda: data.breast_cancer(5), TypeError,
     ["features", "sequence of column names", "int 5"]),
    ("cancer no column", lambda: data.breast_cancer([]), ValueError,
     ["features", "at least one column"]),
    ("salary standardised not bool", lambda: data.salary(standardised=1), TypeError,
     ["standardised", "True or False", "int"]),
    # -- the issue-14 findings: each was accepted or failed inside Python before -------------
    ("Standardizer NaN mean", lambda: linear.Standardizer(np.nan, 1.0), ValueError,
     ["mean", "finite", "nan"]),
    ("Standardizer zero std", lambda: linear.Standardizer(0.0, 0.0), ValueError,
     ["std", "> 0", "0.0"]),
    ("Standardizer negative std", lambda: linear.Standardizer(0.0, -2.0), ValueError,
     ["std", "> 0", "-2.0"]),
    ("huge int learning rate", lambda: linear.train(x, y, 10**400), ValueError,
     ["learning_rate", "finite number", "401 digits"]),
    ("table max_rows -1", lambda: linear.train(x, y, 0.1, max_epochs=5).table(max_rows=-1),
     ValueError, ["max_rows", ">= 0", "-1"]),
    ("table max_rows NaN", lambda: linear.train(x, y, 0.1, max_epochs=5).table(max_rows=np.nan),
     TypeError, ["max_rows", "an int", "nan"]),
    ("table max_rows 1", lambda: linear.train(x, y, 0.1, max_epochs=5).table(max_rows=1),
     ValueError, ["max_rows", ">= 2", "got 1"]),
    ("empty History", lambda: descent.History(learning_rate=0.1).final_cost, ValueError,
     ["History", "no epochs"]),
    ("grad_fn returns one number", lambda: descent.gradient_descent(lambda p: 1.0, {"w": 0.0}, 0.1),
     TypeError, ["grad_fn", "pair (cost, grads)", "float 1.0"]),
    # -- one case for every other public function of the teaching modules ------------------
    ("stop_rule grad_norm text", lambda: descent.stop_rule([1.0], "a"), TypeError,
     ["grad_norm", "a number", "str 'a'"]),
    ("stop_rule negative tol", lambda: descent.stop_rule([1.0, 0.5], 0.1, tol=-1), ValueError,
     ["tol", "> 0", "-1"]),
    ("stop_epoch rule", lambda: descent.stop_epoch(linear.train(x, y, 0.1, max_epochs=2), "x", 1),
     ValueError, ["rule", "'tolerance', 'gradient_norm' or 'max_epochs'", "'x'"]),
    ("early_stopping patience 0", lambda: descent.early_stopping([1.0, 2.0], 0), ValueError,
     ["patience", ">= 1", "0"]),
    ("hessian text", lambda: linear.hessian("abc"), TypeError, ["x", "numeric", "str 'abc'"]),
    ("hessian_eigenvalues 2-D", lambda: linear.hessian_eigenvalues([[1.0, 2.0]]), ValueError,
     ["x", "1-D array", "shape (1, 2)"]),
    ("max_stable_learning_rate NaN", lambda: linear.max_stable_learning_rate([np.nan, 1.0]),
     ValueError, ["x", "finite", "1 NaN"]),
    ("logistic minimum labels", lambda: logistic.minimum(X, 2 * Y), ValueError,
     ["Y", "only 0 and 1", "2.0"]),
    ("logistic descent_path w None", lambda: logistic.descent_path(None, 0.0, X, Y, 0.1, 5),
     TypeError, ["w", "numeric", "None"]),
    ("mse text", lambda: losses.mse("r"), TypeError, ["r", "numeric", "str 'r'"]),
    ("mse_grad NaN", lambda: losses.mse_grad([np.nan]), ValueError, ["r", "finite", "NaN"]),
    ("mae None", lambda: losses.mae(None), TypeError, ["r", "numeric", "None"]),
    ("mae_grad text", lambda: losses.mae_grad("x"), TypeError, ["r", "numeric", "str 'x'"]),
    ("huber delta 0", lambda: losses.huber([1.0], delta=0), ValueError, ["delta", "> 0", "0"]),
    ("huber_grad delta < 0", lambda: losses.huber_grad([1.0], delta=-1), ValueError,
     ["delta", "> 0", "-1"]),
    ("hinge text", lambda: losses.hinge("z"), TypeError, ["z", "numeric", "str 'z'"]),
    ("hinge_grad inf", lambda: losses.hinge_grad([np.inf]), ValueError, ["z", "finite", "NaN"]),
    ("linear_cost loss", lambda: losses.linear_cost("nope", 0.0, 0.0, x, y), ValueError,
     ["loss", "one of ['huber', 'mae', 'mse']", "'nope'"]),
    ("minibatch_gd batch 0", lambda: stochastic.minibatch_gd(x, y, 0.1, batch_size=0), ValueError,
     ["batch_size", ">= 1", "0"]),
    ("batch_gradients batch > n", lambda: stochastic.batch_gradients(0.0, 0.0, x, y, 5),
     ValueError, ["batch_size", "between 1 and the number of samples n=3", "5"]),
    ("batch_slices n 0", lambda: stochastic.batch_slices(0, 2), ValueError, ["n", ">= 1", "0"]),
    ("stays_below epoch records", lambda: stochastic.stays_below(
        {"a": [stochastic.minibatch_gd(x, y, 0.1, batch_size=1)]}, 0.0, [0.1]), ValueError,
     ["runs['a']", "MinibatchHistory", "per_update=True"]),
    ("noisy_line n 1", lambda: synthetic.noisy_line(1), ValueError, ["n", ">= 2", "1"]),
    ("split fraction", lambda: synthetic.split(x, y, 1.5), ValueError,
     ["validation_fraction", "between 0 and 1", "1.5"]),
    ("polynomial degree", lambda: synthetic.polynomial_features(x, -1), ValueError,
     ["degree", ">= 0", "-1"]),
    ("two_minima text", lambda: synthetic.two_minima("w"), TypeError, ["w", "numeric", "'w'"]),
    ("two_minima_grad NaN", lambda: synthetic.two_minima_grad([np.nan]), ValueError,
     ["w", "finite", "NaN"]),
    ("saddle text", lambda: synthetic.saddle("u", 0.0), TypeError, ["u", "numeric", "'u'"]),
    ("saddle_grad None", lambda: synthetic.saddle_grad(0.0, None), TypeError,
     ["v", "numeric", "None"]),
    ("wavy text", lambda: synthetic.wavy("w"), TypeError, ["w", "numeric", "'w'"]),
    ("wavy_grad NaN", lambda: synthetic.wavy_grad([np.nan]), ValueError, ["w", "finite", "NaN"]),
    ("wavy_curvature None", lambda: synthetic.wavy_curvature(None), TypeError,
     ["w", "numeric", "None"]),
    ("median_time not callable", lambda: timing.median_time(5), TypeError,
     ["fn", "callable", "int"]),
    ("fit_linear_time lengths", lambda: timing.fit_linear_time([1, 2], [1.0]), ValueError,
     ["seconds", "length 2", "got 1"]),
    ("format_seconds negative", lambda: timing.format_seconds(-1), ValueError,
     ["seconds", ">= 0", "-1"]),
    ("scaling_table no stages", lambda: timing.scaling_table({}, [1, 2], lambda m: ()), ValueError,
     ["stages", "non-empty dict"]),
    ("describe_growth one size", lambda: timing.describe_growth([1], [1.0]), ValueError,
     ["sizes", "at least 2", "got 1"]),
    ("momentum beta 1", lambda: optimizers.momentum(x, y, 0.1, beta=1.0), ValueError,
     ["beta", "[0, 1)", "1.0"]),
    ("adam eps 0", lambda: optimizers.adam(x, y, 0.1, eps=0), ValueError, ["eps", "> 0", "0"]),
    ("momentum_rate rate", lambda: optimizers.momentum_rate(x, -0.1, 0.5), ValueError,
     ["learning_rate", "> 0", "-0.1"]),
    ("largest_difference mixed", lambda: digits.largest_difference("a", [1.0]), TypeError,
     ["a and b", "both be sequences", "str 'a'"]),
    ("small text", lambda: digits.small("a"), TypeError, ["value", "numeric", "str 'a'"]),
    ("fixed decimals", lambda: digits.fixed(1.0, decimals=-1), ValueError,
     ["decimals", ">= 0", "-1"]),
    ("counted noun", lambda: digits.counted(2, 5), TypeError, ["noun", "non-empty string", "5"]),
]


def pattern(fragments):
    """The fragments, literally, in order, anything in between (across lines)."""
    return "(?s)" + ".*".join(re.escape(f) for f in fragments)


def test_there_are_at_least_30_cases():
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("call, exc, fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_helpful_message(call, exc, fragments):
    with pytest.raises(exc, match=pattern(fragments)) as info:
        call()
    message = str(info.value)
    assert message.startswith(fragments[0]), "the message opens with the argument's name"
    assert len(message) < 1500, "short enough to read (the longest lists 30 column names)"


def test_rank1_labels_would_have_broadcast_without_the_check():
    # what the check protects against: an (m,) label vector against a (1, m) row of
    # predictions gives a silent (1, m) result here, but against an (m, 1) column an (m, m)
    # matrix; gdcourse refuses both layouts instead of guessing
    A_col = np.full((3, 1), 0.5)
    assert (A_col - Y[0]).shape == (3, 3)
    for bad in (Y[0], Y.T):
        with pytest.raises(ValueError, match="Y"):
            logistic.propagate(W, 0, X, bad)


def test_valid_inputs_of_other_types_are_accepted():
    # lists, ints and booleans that mean numbers are fine: only the layout is strict
    grads, cost = logistic.propagate(W.tolist(), 0, X.tolist(), [[False, True, True]])
    assert grads["dw"].shape == (2, 1) and np.isfinite(cost)
    assert linear.cost(np.float32(1), np.int64(0), x.tolist(), y) >= 0
    h = logistic.optimize(W, 0, X, Y, np.int64(3), np.float32(0.1))[3]
    assert h.n_updates == 3


def test_table_max_rows_of_a_numpy_int_keeps_first_and_last_epochs():
    # np.uint8 arithmetic wrapped around before (-(6 - 3) as uint8 is 253)
    run = linear.train(x, y, 0.1, max_epochs=20)
    header, rows = run.rows(np.uint8(6))
    assert [r[0] for r in rows if r is not None] == [0, 1, 2, 18, 19, 20]


TEACHING_MODULES = (data, descent, digits, linear, logistic, losses, optimizers, stochastic,
                    synthetic, timing)


def test_every_public_function_of_the_teaching_modules_has_a_bad_input_case():
    # The README promises that every public function checks its arguments: each callable
    # in these modules' __all__ (classes returned by them aside) is called above with a
    # bad argument, as ``module.name(``.
    import inspect
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [f"{m.__name__}.{name}" for m in TEACHING_MODULES for name in m.__all__
               if callable(getattr(m, name)) and not inspect.isclass(getattr(m, name))
               and not re.search(rf"\b{m.__name__.rsplit('.', 1)[1]}\.{name}\(", source)]
    assert missing == []
