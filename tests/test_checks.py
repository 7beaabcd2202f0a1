"""Instant feedback of notebook 07: gdcourse.checks, the layered comparison, the plain-data
round trip, the source analysis, the reference answers, and the self-check widgets.

The learner functions below are written here, independently of the package, in the forms
learners actually write (right, and with each classic mistake).
"""

import math

import numpy as np
import pytest

from gdcourse import checks, data, descent, linear
from gdcourse.exercises import EXERCISES, get, reference, runtime, source
from gdcourse.exercises.compare import Tolerance, array, number, sequence
from gdcourse.exercises.values import Opaque, decode, encode


# -- learner-style functions ----------------------------------------------------------------------
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backward_one(x, y, w, b):
    a = sigmoid((w.T @ x).item() + b)
    dz = a - y
    return dz, x * dz, dz


def propagate_loops(w, b, X, Y):
    n_x, m = X.shape
    J, dw, db = 0.0, np.zeros((n_x, 1)), 0.0
    for i in range(m):
        a = sigmoid((w.T @ X[:, i:i + 1]).item() + b)
        J -= Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)
        dw += X[:, i:i + 1] * (a - Y[0, i])
        db += a - Y[0, i]
    return {"dw": dw / m, "db": db / m}, J / m


def make_propagate(scale=1.0, sign=1.0, use_b=True, transpose=False, rank1=False):
    """A vectorized propagate, optionally with one classic mistake."""
    def propagate(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(w.T @ X + (b if use_b else 0.0))
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dZ = sign * (A - Y)
        dw = (dZ @ X.T if transpose else X @ dZ.T) * scale / m
        if rank1:
            dw = dw.ravel()
        return {"dw": dw, "db": float(np.sum(dZ)) * scale / m}, cost
    return propagate


def gd_step(w, b, x, y, learning_rate):
    r = w * x + b - y
    return w - learning_rate * 2 * np.mean(r * x), b - learning_rate * 2 * np.mean(r)


def train(x, y, learning_rate, epochs):
    w = b = 0.0
    costs = [np.mean((w * x + b - y) ** 2)]
    for _ in range(epochs):
        w, b = gd_step(w, b, x, y, learning_rate)
        costs.append(np.mean((w * x + b - y) ** 2))
    return w, b, costs


def max_stable_rate(x):
    n = len(x)
    H = (2 / n) * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), n]])
    return 2 / np.linalg.eigvalsh(H)[-1]


def stop_reason(costs, grad_norm, tol, grad_tol, max_epochs):
    J = costs[-1]
    if not math.isfinite(J) or not math.isfinite(grad_norm) or J > 1e8 * abs(costs[0]):
        return "diverged"
    if grad_tol is not None and grad_norm < grad_tol:
        return "gradient_norm"
    if tol is not None and len(costs) > 1 and abs(J - costs[-2]) < tol:
        return "tolerance"
    return "max_epochs" if len(costs) - 1 >= max_epochs else None


def flat(report) -> str:
    """A report's text on one line (the text is wrapped at 100 columns)."""
    return " ".join(report.text.split())


def stub(*args):
    raise NotImplementedError("Hint: use np.exp.")


CORRECT = {"sigmoid": sigmoid, "backward_one": backward_one, "propagate_loops": propagate_loops,
           "propagate": make_propagate(), "gd_step": gd_step, "train": train,
           "max_stable_rate": max_stable_rate, "stop_reason": stop_reason,
           "q1_sign": lambda: "negative", "q2_db": lambda w, b: 2 * b,
           "q3_max_rate": lambda: 1.0, "q4_answer": lambda: ("sgd", 1000, 25),
           "q5_answer": lambda: ("b", "b")}


# -- the checks -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [e.name for e in EXERCISES])
def test_correct_functions_pass_and_never_claim_all_tests_passed(name):
    report = checks.check(name, CORRECT[name])
    assert report.passed and report.status == "pass", report.text
    assert report.text.startswith("✓")
    assert "all tests passed" not in flat(report).lower()
    if get(name).kind == "code":
        assert "the same kinds of input with new numbers" in flat(report)
    else:
        assert report.reasoning and "Worked reasoning" in report._repr_html_()


@pytest.mark.parametrize("name", [e.name for e in EXERCISES])
def test_a_stub_is_not_implemented_yet_and_does_not_raise(name):
    report = getattr(checks, name)(stub)
    assert report.status == "not_implemented"
    assert "not implemented yet" in flat(report)
    assert "Hint: use np.exp." in flat(report)


@pytest.mark.parametrize("mistake, kwargs, phrase", [
    ("forgot to divide by m", {"scale": "m"}, "forgot to divide by m"),
    ("1/(2m)", {"scale": 0.5}, "1/(2m) instead of 1/m"),
    ("flipped sign", {"sign": -1.0}, "flipped sign"),
    ("missing b", {"use_b": False}, "missing b"),
    ("transposed dw", {"transpose": True}, "looks transposed"),
    ("rank-1 dw", {"rank1": True}, "rank-1 array"),
])
def test_each_classic_mistake_gets_its_hint(mistake, kwargs, phrase):
    if kwargs.get("scale") == "m":
        def fn(w, b, X, Y):
            grads, cost = make_propagate()(w, b, X, Y)
            m = X.shape[1]
            return {"dw": grads["dw"] * m, "db": grads["db"] * m}, cost
    else:
        fn = make_propagate(**kwargs)
    report = checks.propagate(fn)
    assert report.status == "fail", mistake
    assert phrase in flat(report), report.text


def test_values_are_shown_with_the_tolerance_and_the_largest_error():
    report = checks.propagate(make_propagate(sign=-1.0))
    assert "largest error" in flat(report) and "rtol 1e-06" in flat(report)


def test_numpy_floats_and_zero_d_arrays_are_accepted_where_a_float_is_asked():
    def backward_np(x, y, w, b):
        dz, dw, db = backward_one(x, y, w, b)
        return np.float32(dz), dw, np.array(db)
    assert checks.backward_one(backward_np).status == "pass"


def test_a_size_one_array_where_a_number_is_asked_is_explained():
    def backward_arr(x, y, w, b):
        dz, dw, db = backward_one(x, y, w, b)
        return dz, dw, np.array([[db]])
    report = checks.backward_one(backward_arr)
    assert report.status == "fail" and "should be a number" in flat(report)


def test_math_exp_in_sigmoid_gets_a_hint_about_arrays():
    report = checks.sigmoid(lambda z: 1 / (1 + math.exp(-z)))
    assert report.status == "fail" and "use np.exp" in flat(report)


def test_flipped_sigmoid_is_recognised():
    report = checks.sigmoid(lambda z: 1 / (1 + np.exp(z)))
    assert "sign is flipped" in flat(report)


def test_gd_step_mistakes():
    def uphill(w, b, x, y, lr):
        r = w * x + b - y
        return w + lr * 2 * np.mean(r * x), b + lr * 2 * np.mean(r)

    def no_two(w, b, x, y, lr):
        r = w * x + b - y
        return w - lr * np.mean(r * x), b - lr * np.mean(r)
    assert "goes uphill" in flat(checks.gd_step(uphill))
    assert "factor 2" in flat(checks.gd_step(no_two))


def test_train_with_one_cost_too_few_says_how_many():
    def short(x, y, lr, epochs):
        w, b, costs = train(x, y, lr, epochs)
        return w, b, costs[1:]
    report = checks.train(short)
    assert "epoch 0" in flat(report)


def test_max_stable_rate_with_the_seeds_formula_is_explained():
    report = checks.max_stable_rate(lambda x: len(x) / np.sum(x ** 2))
    assert report.status == "fail" and "when only w is trained" in flat(report)


def test_stop_reason_mistakes():
    def signed(costs, g, tol, gtol, top):
        if len(costs) > 1 and tol is not None and costs[-2] - costs[-1] < tol:
            return "tolerance"
        return stop_reason(costs, g, tol, gtol, top)

    def ignores_none(costs, g, tol, gtol, top):
        if g < gtol:
            return "gradient_norm"
        return stop_reason(costs, g, tol, gtol, top)
    assert "NoneType" not in checks.stop_reason(ignores_none).headline
    assert "can be None" in flat(checks.stop_reason(ignores_none))
    public = checks.stop_reason(signed)
    assert public.status == "fail" and "size of the change" in flat(public)


def test_vectorized_check_sees_a_loop_over_examples():
    report = checks.propagate(propagate_loops)
    assert report.status == "fail" and "loops over the examples" in flat(report)


def test_loop_check_sees_a_missing_loop():
    report = checks.propagate_loops(make_propagate())
    assert report.status == "fail" and "does not loop over the examples" in flat(report)


def test_a_loop_over_features_only_is_allowed_in_the_vectorized_version():
    def per_feature(w, b, X, Y):
        m = X.shape[1]
        Z = b + sum(w[j, 0] * X[j:j + 1, :] for j in range(X.shape[0]))
        A = sigmoid(Z)
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        return {"dw": X @ (A - Y).T / m, "db": float(np.mean(A - Y))}, cost
    report = checks.propagate(per_feature)
    assert report.status == "pass", report.text
    assert "loop remains" in flat(report)


def test_calling_the_reference_is_caught_through_any_alias():
    import gdcourse.logistic as L
    from gdcourse.logistic import propagate as p
    sneaky = {"alias": lambda w, b, X, Y: p(w, b, X, Y),
              "module": lambda w, b, X, Y: L.propagate(w, b, X, Y),
              "the function itself": L.propagate}
    for label, fn in sneaky.items():
        report = checks.propagate(fn)
        assert report.status == "fail", label
        assert "reference implementation" in flat(report), label
    assert L.propagate.__code__.co_name == "propagate"          # the guard was undone


def test_catching_the_guard_does_not_help():
    import gdcourse.linear as lin

    def sly(x):
        try:
            return lin.max_stable_learning_rate(x)
        except BaseException:
            return max_stable_rate(x)
    assert "reference implementation" in flat(checks.max_stable_rate(sly))


def test_a_check_survives_sys_exit_weird_objects_and_printing(capsys):
    def exits(z):
        raise SystemExit("bye")

    class AlwaysEqual(float):
        def __eq__(self, other):
            return True
        __hash__ = float.__hash__

    def loud(z):
        print("All tests passed!" * 1000)
        return AlwaysEqual(0.0)
    assert "SystemExit" in flat(checks.sigmoid(exits))
    report = checks.sigmoid(loud)
    assert report.status == "fail" and "AlwaysEqual" in flat(report)
    assert capsys.readouterr().out == ""                           # output was swallowed


def test_mutating_an_input_is_reported():
    def clip_in_place(z):
        if isinstance(z, np.ndarray):
            z[...] = np.clip(z, -30, 30)
        return sigmoid(z)
    report = checks.sigmoid(clip_in_place)
    assert "in place" in flat(report)


def test_question_checks_judge_the_answer_and_explain_only_a_right_one():
    wrong = checks.q1_sign(lambda: "positive")
    assert wrong.status == "fail" and wrong.text.startswith("✗") and not wrong.reasoning
    assert "flatter than the best fit" in flat(wrong)
    assert "should return" in flat(checks.q1_sign(lambda: "maybe"))
    assert "should return a tuple" in flat(checks.q4_answer(lambda: ("sgd", 1)))
    assert "two letters" in flat(checks.q5_answer(lambda: ("b", "e")))
    assert checks.q2_db(lambda w, b: 0.0).status == "fail"
    for name, answer in [("q1_sign", "negative"), ("q3_max_rate", 1.0),
                         ("q4_answer", ("sgd", 1000, 25))]:
        right = checks.check(name, lambda answer=answer: answer)
        assert right.status == "pass" and right.reasoning, right.text
        assert "<details" in right._repr_html_() and "<summary>" in right._repr_html_()
    assert "the assumption" in checks.q4_answer(lambda: ("sgd", 1000, 25)).reasoning.lower() \
        or "hidden assumption" in checks.q4_answer(lambda: ("sgd", 1000, 25)).reasoning


def test_passing_something_that_is_not_a_function():
    assert "expected a function" in flat(checks.sigmoid(3.0))


def test_report_html_is_escaped():
    html = checks.sigmoid(lambda z: "<script>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


# -- the comparison layers ------------------------------------------------------------------------
def test_number_layers():
    tol = Tolerance(1e-6, 1e-9)
    assert number(np.float32(0.5), 0.5, "v", tol=tol).ok
    assert not number(True, 1.0, "v").ok
    assert "should be a number" in number([1.0], 1.0, "v").message
    part = number(2.0, 1.0, "v", tol=tol)
    assert not part.ok and "error 1" in part.message and part.error == 1.0


def test_array_layers_and_square_broadcast_hint():
    want = np.arange(3.0).reshape(3, 1)
    assert array(want.copy(), want, "dw").ok
    assert "rank-1" in array(want.ravel(), want, "dw").message
    assert "transposed" in array(want.T, want, "dw").message
    assert "square result" in array(np.ones((3, 3)), want, "dw").message
    assert "NumPy array" in array([0.0, 1.0, 2.0], want, "dw").message
    assert not array(np.full((3, 1), np.nan), want, "dw").ok


def test_sequence_accepts_lists_and_arrays():
    want = np.array([1.0, 0.5])
    assert sequence([1.0, 0.5], want, "c").ok and sequence(np.array([1.0, 0.5]), want, "c").ok
    assert "has 1 values" in sequence([1.0], want, "c").message


# -- plain-data round trip ------------------------------------------------------------------------
def test_round_trip_keeps_values_and_shapes():
    value = ({"dw": np.arange(6.0).reshape(3, 2), "db": np.float64(0.25)}, 1.5, [1, None, "x"])
    back = decode(encode(value))
    assert np.array_equal(back[0]["dw"], value[0]["dw"]) and back[0]["dw"].shape == (3, 2)
    assert back[0]["db"] == 0.25 and back[1] == 1.5 and back[2] == [1, None, "x"]
    assert math.isnan(decode(encode(float("nan"))))


def test_subclasses_and_unknown_objects_are_never_trusted():
    class Sneaky(str):
        def __eq__(self, other):
            return True
    class MyArray(np.ndarray):
        pass
    for obj in (Sneaky("negative"), object(), np.zeros(2).view(MyArray), np.array([1 + 2j])):
        assert isinstance(decode(encode(obj)), Opaque)


# -- source analysis ------------------------------------------------------------------------------
def test_source_analysis_finds_aliases_loops_and_definitions():
    nb = source.analyze([
        (0, "import gdcourse.logistic as L\nfrom gdcourse.linear import gradients as g\n"
            "ref = L.propagate"),
        (1, "def helper(X):\n    return [x for x in X]\n\ndef propagate(w, b, X, Y):\n"
            "    helper(X)\n    return ref(w, b, X, Y)"),
        (2, "def gd_step(w, b, x, y, lr):\n    return g(w, b, x, y)"),
        (3, "def broken(:\n    pass"),
        (4, "%timeit 1 + 1\ndef sigmoid(z):\n    return 1"),
        (5, "checks.sigmoid(sigmoid)"),
    ])
    uses = nb.reference_uses("propagate", ["gdcourse.logistic.propagate"])
    assert uses and uses[0][0] == "gdcourse.logistic.propagate"
    assert nb.reference_uses("gd_step", ["gdcourse.linear.gradients"])
    assert [k for k, *_ in nb.loops("propagate")] == ["comprehension"]
    assert "broken" in nb.cells[3].defines and nb.cells[3].syntax_error
    assert "sigmoid" in nb.cells[4].defines
    assert not nb.cells[5].display_only          # `checks` is not imported from gdcourse here


def test_a_learner_function_named_like_an_import_is_the_learners():
    nb = source.analyze([(0, "from gdcourse.logistic import sigmoid"),
                         (1, "def sigmoid(z):\n    return 1\n\ndef propagate(w, b, X, Y):\n"
                             "    return sigmoid(X)")])
    assert not nb.reference_uses("propagate", ["gdcourse.logistic.sigmoid"])


# -- reference answers, computed independently ----------------------------------------------------
def test_stop_reason_reference_agrees_with_the_descent_loop():
    x, y = data.salary()
    x = (x - x.mean()) / x.std()
    y = (y - y.mean()) / y.std()
    for kwargs in ({"learning_rate": 0.1, "max_epochs": 7},
                   {"learning_rate": 0.4, "tol": 1e-9, "max_epochs": 500},
                   {"learning_rate": 0.3, "grad_tol": 1e-3, "max_epochs": 500},
                   {"learning_rate": 1.5, "max_epochs": 500}):
        h = linear.train(x, y, **{k: v for k, v in kwargs.items()})
        norms = h.grad_norms()
        for t in range(len(h.costs)):
            got = reference.stop_reason(h.costs[:t + 1], norms[t], kwargs.get("tol"),
                                        kwargs.get("grad_tol"), kwargs["max_epochs"])
            assert got == (h.stop_reason if t == len(h.costs) - 1 else None), (kwargs, t)
    assert reference.STOP_REASONS is descent.STOP_REASONS      # one list of reasons


def test_question_references():
    x, y = data.salary()
    xs, ys = (x - x.mean()) / x.std(), (y - y.mean()) / y.std()
    assert reference.q1_sign() == "negative"
    assert 2 * (0.2 * np.mean(xs ** 2) - np.mean(xs * ys)) < 0
    assert reference.q3_max_rate() == pytest.approx(len(xs) / np.sum(xs ** 2))  # centred: same
    assert reference.q4_times() == ("sgd", 1000.0, pytest.approx(25.0))
    for w, b in [(0.3, 0.0), (-1.2, 0.7)]:
        assert linear.gradients(w, b, xs, ys)[1] == pytest.approx(2 * b, abs=1e-12)


def test_hidden_cases_depend_on_the_seed_only():
    from gdcourse.grader.grade import rng_for
    ex = get("propagate")
    a = ex.hidden_cases(rng_for(1, 3))
    b = ex.hidden_cases(rng_for(1, 3))
    c = ex.hidden_cases(rng_for(2, 3))
    assert all(np.array_equal(p.args[2], q.args[2]) for p, q in zip(a, b))
    assert not np.array_equal(a[0].args[2], c[0].args[2])
    public = ex.public_cases()
    assert not any(np.array_equal(p.args[2], q.args[2]) for p in public for q in a
                   if p.args[2].shape == q.args[2].shape)


def test_runtime_timeout_stops_an_endless_loop():
    def forever(z):
        while True:
            pass
    report = runtime.call(forever, (1.0,), timeout=0.2)
    assert report["status"] == "timeout"


# -- self-check widgets ---------------------------------------------------------------------------
def test_multiple_choice_gives_immediate_feedback():
    from gdcourse.widgets import quiz
    q = quiz.MultipleChoice("Why?", {"a": "A", "b": "B"}, "b", {"a": "because not", "b": "yes"})
    q.choice.value = "a"
    assert not q.correct and "because not" in q.feedback.value
    q.choice.value = "b"
    assert q.correct and "Right" in q.feedback.value
    with pytest.raises(ValueError, match="answer must be one of"):
        quiz.MultipleChoice("?", {"a": "A"}, "z")


def test_number_question_tolerance_and_direction():
    from gdcourse.widgets import quiz
    q = quiz.NumberQuestion("J?", 1.0, 0.01)
    q.entry.value = "one"
    assert "not a number" in q.feedback.value and not q.correct
    q.entry.value = "1.5"
    assert "too high" in q.feedback.value
    q.entry.value = "0,995"
    assert q.correct and "Right" in q.feedback.value
    with pytest.raises(ValueError, match="tolerance"):
        quiz.NumberQuestion("?", 1.0, 0.0)


def test_rate_task_finds_the_limit_from_the_hessian():
    from gdcourse.widgets import ALL, quiz
    x, _ = data.salary()
    xs = (x - x.mean()) / x.std()
    limit = 2 / np.linalg.eigvalsh(2 * np.array([[np.mean(xs ** 2), np.mean(xs)],
                                                  [np.mean(xs), 1.0]]))[-1]
    task = ALL["rate_task"][0]()
    assert isinstance(task, quiz.Explorer)
    largest = math.floor(limit / quiz.RATE_STEP - 1e-9) * quiz.RATE_STEP
    task.controls["learning_rate"].value = round(largest, 2)
    assert "Task solved" in task.readout.value
    task.controls["learning_rate"].value = round(largest - 0.1, 2)
    assert "converges" in task.readout.value and "Task solved" not in task.readout.value
    task.controls["learning_rate"].value = round(limit, 2)
    assert "oscillates" in task.readout.value
    task.controls["learning_rate"].value = 1.2
    assert "diverges" in task.readout.value
    assert task.image.value[:4] == b"\x89PNG"


# -- a ✓ means full marks: the public cases cover every kind of hidden input ----------------------
@pytest.mark.parametrize("name", [e.name for e in EXERCISES] + ["backward_squared_error",
                                                                 "central_difference"])
def test_hidden_cases_are_public_kinds_with_new_numbers(name):
    ex = get(name)
    public = ex.public_cases()
    public_kinds = {c.kind for c in public}
    assert public_kinds == {k.label for k in ex.kinds} and all(c.kind for c in public)
    for seed in range(5):
        hidden = ex.hidden_cases(np.random.default_rng(seed))
        assert [c.kind for c in hidden] == [k.label for k in ex.kinds]


def test_each_check_is_a_function_defined_in_the_checks_module():
    import inspect
    from gdcourse.exercises.catalog import PRACTICE
    text = inspect.getsource(checks)
    for ex in EXERCISES + PRACTICE:
        fn = getattr(checks, ex.name)
        assert fn.__module__ == "gdcourse.checks" and f"def {ex.name}(fn)" in text
        assert inspect.getsourcefile(fn) == inspect.getsourcefile(checks)


def text_of(fn, name):
    return flat(checks.check(name, fn))


def test_stop_rule_slips_are_crosses_with_their_hint():
    def variant(**kwargs):
        from gdcourse.exercises.part_b import stop_variant
        return lambda *args: stop_variant(*args, **kwargs)
    for kwargs, phrase in [({"signed": True}, "size of the change"),
                           ({"order": ("diverged", "tolerance", "gradient_norm", "max_epochs")},
                            "check the rules in order"),
                           ({"inclusive": True}, "the rules are strict"),
                           ({"finite_grad": False}, "np.isfinite(grad_norm)")]:
        report = checks.stop_reason(variant(**kwargs))
        assert report.status == "fail" and phrase in flat(report), (kwargs, report.text)


def test_train_that_never_updates_b_is_caught_by_the_public_cases():
    def frozen_b(x, y, lr, epochs):
        w, costs = 0.0, [np.mean(y ** 2)]
        for _ in range(epochs):
            w -= lr * 2 * np.mean((w * x - y) * x)
            costs.append(np.mean((w * x - y) ** 2))
        return w, 0.0, costs
    report = checks.train(frozen_b)
    assert report.status == "fail" and "b never moves from 0" in flat(report)


def test_sigmoid_stability_is_checked_in_public():
    overflowing = checks.sigmoid(lambda z: np.exp(z) / (1 + np.exp(z)))
    assert overflowing.status == "fail"
    assert "NaN value" in flat(overflowing) and "inf / inf = NaN" in flat(overflowing)
    warns = checks.sigmoid(sigmoid)               # 1 / (1 + e^-z): right values, a warning
    assert warns.status == "pass" and "NumPy warned" in flat(warns)


def test_a_token_loop_does_not_make_a_loop_version():
    def token(w, b, X, Y):
        for _ in range(X.shape[1]):
            pass
        return make_propagate()(w, b, X, Y)

    def counter_only(w, b, X, Y):
        i = 0
        while i < X.shape[1]:
            i += 1
        return make_propagate()(w, b, X, Y)
    for fn in (token, counter_only):
        report = checks.propagate_loops(fn)
        assert report.status == "fail" and "nothing it computes changes" in flat(report)
    assert checks.propagate_loops(propagate_loops).status == "pass"


def test_real_loops_of_any_form_make_a_loop_version():
    def one_line(w, b, X, Y):
        m = X.shape[1]
        A = sigmoid(w.T @ X + b)
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        dw, db = np.zeros_like(w), 0.0
        for i in range(m): dw += X[:, i:i + 1] * (A[0, i] - Y[0, i]); db += A[0, i] - Y[0, i]  # noqa: E701,E702,E501
        return {"dw": dw / m, "db": db / m}, cost

    def zipped(w, b, X, Y):
        m = X.shape[1]
        J, dw, db = 0.0, np.zeros_like(w), 0.0
        for x_i, y_i in zip(X.T, Y[0]):
            a = sigmoid(float(w[:, 0] @ x_i) + b)
            J -= y_i * np.log(a) + (1 - y_i) * np.log(1 - a)
            dw += x_i.reshape(-1, 1) * (a - y_i)
            db += a - y_i
        return {"dw": dw / m, "db": db / m}, J / m

    def per_example(w, b, X, Y):
        m = X.shape[1]
        parts = [backward_one(X[:, i:i + 1], Y[0, i], w, b) for i in range(m)]
        A = sigmoid(w.T @ X + b)
        cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
        return {"dw": sum(p[1] for p in parts) / m, "db": sum(p[2] for p in parts) / m}, cost
    for fn in (one_line, zipped, per_example):
        assert checks.propagate_loops(fn).status == "pass", fn.__name__


def test_a_loop_counts_wherever_its_code_came_from():
    namespace = {"np": np}
    exec(compile("def column_sums(X, dZ):\n    out = np.zeros((X.shape[0], 1))\n"
                 "    for i in range(X.shape[1]):\n        out += X[:, i:i + 1] * dZ[0, i]\n"
                 "    return out\n", np.__file__, "exec"), namespace)

    def looks_vectorized(w, b, X, Y):
        grads, cost = make_propagate()(w, b, X, Y)
        A = sigmoid(w.T @ X + b)
        return {"dw": namespace["column_sums"](X, A - Y) / X.shape[1], "db": grads["db"]}, cost
    report = checks.propagate(looks_vectorized)
    assert report.status == "fail" and "still loops over the examples" in flat(report)

    def untraced(w, b, X, Y):
        import sys
        sys.settrace(None)
        return propagate_loops(w, b, X, Y)
    assert "switched off the tracer" in flat(checks.propagate(untraced))


def test_q3_asks_for_the_limit_and_the_slider_value_gets_a_hint():
    from gdcourse.widgets import quiz
    slider = checks.q3_max_rate(lambda: 0.99)
    assert slider.status == "fail" and "largest rate on the slider" in flat(slider)
    assert checks.q3_max_rate(lambda: 1.0).status == "pass"
    task = quiz.rate_task()
    task.controls["learning_rate"].value = 0.99
    assert "Task solved" in task.readout.value and "question 3" in task.readout.value
    assert reference.q3_max_rate() == pytest.approx(1.0)
    assert linear.train(*reference.normalized_salary(), 1.0, max_epochs=50).final_cost == \
        pytest.approx(1.0)                                # at the limit itself: no convergence


def test_shape_slips_get_the_same_explained_half_credit():
    def arrays(x, y, w, b):
        dz, dw, db = backward_one(x, y, w, b)
        return np.array([[dz]]), dw, np.array([[db]])

    def transposed(x, y, w, b):
        dz, dw, db = backward_one(x, y, w, b)
        return dz, dw.T, db
    ex = get("backward_one")
    case = ex.public_cases()[0]                          # n_x = 2: a transpose shows
    for fn, slips in ((arrays, 2), (transposed, 1)):
        outcome = ex.judge(case, fn(*case.args))
        assert outcome.score == pytest.approx((3 - slips * 0.5) / 3)
        assert "half credit for this part" in outcome.message
    assert [p.score for p in ex.judge(case, arrays(*case.args)).parts] == [0.5, 1.0, 0.5]


def test_a_broken_helper_is_named():
    def bad_sigmoid(z):
        return 1 / (1 + np.exp(z))
    namespace = {"np": np, "sigmoid": bad_sigmoid}
    exec("def propagate(w, b, X, Y):\n    m = X.shape[1]\n    A = sigmoid(w.T @ X + b)\n"
         "    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))\n"
         "    return {'dw': X @ (A - Y).T / m, 'db': float(np.mean(A - Y))}, cost\n", namespace)
    report = checks.propagate(namespace["propagate"])
    assert report.status == "fail"
    assert flat(report).count("calls your sigmoid, which fails its own check") == 1
    namespace["sigmoid"] = sigmoid
    assert "calls your sigmoid" not in flat(checks.propagate(namespace["propagate"]))
    from gdcourse import logistic
    namespace["sigmoid"] = logistic.sigmoid                 # the package's: not the learner's
    namespace["propagate"].__globals__["np"] = None          # break propagate itself
    assert "calls your sigmoid" not in flat(checks.propagate(namespace["propagate"]))


def test_gd_step_and_rate_hints_for_the_subtler_slips():
    def late_b(w, b, x, y, lr):
        w = w - lr * 2 * np.mean((w * x + b - y) * x)
        return w, b - lr * 2 * np.mean(w * x + b - y)
    assert "simultaneous update" in text_of(late_b, "gd_step")

    def no_two(x):
        n = len(x)
        H = np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), n]]) / n
        return 2 / np.linalg.eigvalsh(H)[-1]
    assert "missing its factor 2" in text_of(no_two, "max_stable_rate")


def test_rounding_noise_is_not_printed_as_an_expected_value():
    part = number(0.5, 7.1e-16, "db", tol=Tolerance(1e-6, 1e-9))
    assert "expected 0 " in part.message and "e-16" not in part.message


def test_a_hint_is_given_once_however_many_cases_it_explains():
    report = checks.propagate(make_propagate(sign=-1.0))
    assert flat(report).count("prediction minus label") == 1
    assert "same hint as above" in flat(report)


def test_a_check_stops_after_a_case_times_out(monkeypatch):
    monkeypatch.setenv("GDCOURSE_CHECK_TIMEOUT", "0.2")

    def forever(*args):
        while True:
            pass
    report = checks.stop_reason(forever)
    assert report.status == "fail"
    assert sum("did not return within 0.2 s" in c["message"] for c in report.cases) == 1
    assert "an earlier case timed out" in flat(report)


def test_a_loop_in_a_thread_started_by_the_call_is_counted():
    import threading

    def threaded(w, b, X, Y):
        out = {}

        def work():
            out["result"] = propagate_loops(w, b, X, Y)
        t = threading.Thread(target=work)
        t.start()
        t.join()
        return out["result"]
    report = checks.propagate(threaded)
    assert report.status == "fail" and "still loops over the examples" in flat(report)


# -- practice tasks of notebook 01 ------------------------------------------------------------------
def test_squared_error_reference_matches_finite_differences():
    from gdcourse.exercises.notebook_01 import squared_error_backward

    def loss(x1, x2, y, w1, w2, b):
        a = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + b)))
        return 0.5 * (a - y) ** 2
    h = 1e-6
    for args in [(1.5, -0.5, 1, 0.8, -1.2, 0.3), (0.0, 2.0, 0, -0.4, 0.9, 1.1),
                 (-2.0, 1.0, 1, 1.5, 0.5, -3.0)]:
        ref = squared_error_backward(*args)
        for k, name in ((3, "dw1"), (4, "dw2"), (5, "db")):
            up, down = list(args), list(args)
            up[k] += h
            down[k] -= h
            assert ref[name] == pytest.approx((loss(*up) - loss(*down)) / (2 * h), abs=1e-9)


def test_practice_checks_pass_right_answers_and_explain_slips():
    def squared(x1, x2, y, w1, w2, b):
        a = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + b)))
        dz = (a - y) * a * (1 - a)
        return dz, x1 * dz, x2 * dz, dz

    def cross_entropy(x1, x2, y, w1, w2, b):
        a = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + b)))
        return a - y, x1 * (a - y), x2 * (a - y), a - y
    right = checks.backward_squared_error(squared)
    assert right.status == "pass" and "grader" not in flat(right)      # practice: not graded
    slip = checks.backward_squared_error(cross_entropy)
    assert slip.status == "fail" and "that is the cross-entropy's dz = a − y" in flat(slip)

    assert checks.central_difference(lambda f, v, h: (f(v + h) - f(v - h)) / (2 * h)).passed
    one_sided = checks.central_difference(lambda f, v, h: (f(v + h) - f(v)) / h)
    assert "one-sided difference" in flat(one_sided)
    assert "divide by 2h" in flat(checks.central_difference(lambda f, v, h: (f(v + h) - f(v - h)) / h))
    assert "is 12.01, expected 12 " in flat(one_sided)          # enough digits to see the slip


def test_practice_tasks_are_not_graded():
    from gdcourse.exercises.catalog import EXERCISES as GRADED, PRACTICE
    assert not {e.name for e in GRADED} & {e.name for e in PRACTICE}
    assert all(not e.graded for e in PRACTICE) and all(e.graded for e in GRADED
                                                       if e.kind == "code")


def test_practice_checks_of_notebooks_02_and_03():
    from gdcourse import logistic

    def average_dz(w, b, X, Y):
        db = 0.0
        for i in range(X.shape[1]):
            db += logistic.forward_backward_one(X[:, [i]], Y[0, i], w, b)["dz"]
        return db / X.shape[1]

    def reset_inside(w, b, X, Y):
        for i in range(X.shape[1]):
            db = logistic.forward_backward_one(X[:, [i]], Y[0, i], w, b)["dz"]
        return db / X.shape[1]
    assert checks.average_dz(average_dz).passed
    assert "reset inside the loop" in flat(checks.average_dz(reset_inside))
    no_loop = checks.average_dz(lambda w, b, X, Y: float(np.mean(sigmoid(w.T @ X + b) - Y)))
    assert no_loop.status == "fail" and "does not loop over the examples" in flat(no_loop)

    def vectorized_dw(w, b, X, Y):
        return X @ (sigmoid(w.T @ X + b) - Y).T / X.shape[1]
    assert checks.vectorized_dw(vectorized_dw).passed
    row = checks.vectorized_dw(lambda w, b, X, Y: vectorized_dw(w, b, X, Y).T)
    assert "looks transposed" in flat(row) and "half credit" not in flat(row)   # not graded
    looped = checks.vectorized_dw(lambda w, b, X, Y: propagate_loops(w, b, X, Y)[0]["dw"])
    assert "still loops over the examples" in flat(looped)


def test_practice_check_of_notebook_04():
    def mse_gradients(w, b, x, y):
        r = w * x + b - y
        return 2 * np.mean(r * x), 2 * np.mean(r)
    assert checks.mse_gradients(mse_gradients).passed
    flipped = checks.mse_gradients(lambda w, b, x, y: tuple(-g for g in mse_gradients(w, b, x, y)))
    assert "prediction minus target" in flat(flipped)
    no_b = checks.mse_gradients(lambda w, b, x, y: mse_gradients(w, 0.0, x, y))
    assert "missing b" in flat(no_b)


def test_practice_check_of_notebook_05():
    assert checks.hint_limit(lambda x: len(x) / np.sum(x ** 2)).passed
    one_over = checks.hint_limit(lambda x: len(x) / np.sum(x ** 2) / 2)
    assert "that is 1 / curvature" in flat(one_over)
    unsquared = checks.hint_limit(lambda x: len(x) / np.sum(x))
    assert unsquared.status == "fail"


def test_practice_check_of_notebook_06_and_its_reference_matches_real_runs():
    from gdcourse.exercises.notebook_06 import gradient_stop_epoch
    x, y = data.salary()
    xs, ys = (x - x.mean()) / x.std(), (y - y.mean()) / y.std()
    for g, eta in [(1e-3, 0.1), (1e-8, 0.1), (1e-4, 0.3), (3.0, 0.1)]:
        run = linear.train(xs, ys, eta, max_epochs=10_000, grad_tol=g)
        assert gradient_stop_epoch(g, eta) == run.n_updates
    assert checks.gradient_stop_epoch(
        lambda g, eta: max(0, math.ceil(math.log(g / 2) / math.log(abs(1 - 2 * eta))))).passed
    early = checks.gradient_stop_epoch(
        lambda g, eta: max(0, math.floor(math.log(g / 2) / math.log(abs(1 - 2 * eta)))))
    assert "one epoch too early" in flat(early)
    assert "whole number" in flat(checks.gradient_stop_epoch(lambda g, eta: 3.5))


def test_feedback_counts_in_proper_english():
    from gdcourse.exercises.compare import _nonfinite
    from gdcourse.exercises.values import describe

    assert describe((1.0,)) == "a tuple of 1 item" and describe([1, 2]) == "a list of 2 items"
    one_nan = _nonfinite(np.array([np.nan, 1.0]), np.ones(2))
    assert "It has 1 NaN value (first at index (0,))" in one_nan
    assert "It has 2 infinite values" in _nonfinite(np.array([np.inf, np.inf]), np.ones(2))
