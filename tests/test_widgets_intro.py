"""Explorers of notebooks 00 and 01: the readout follows the controls.

Every expected value is computed here, independently: closed forms for a
quadratic curve, a plain update loop for the course curves, and
``logistic.forward_backward_one`` for the computation graph.
"""

import io
import re

import numpy as np
import pytest
from matplotlib.image import imread

from gdcourse import logistic, widgets
from readouts import table_values, text_of
from gdcourse.widgets._blit import BlitExplorer
from gdcourse.widgets.descent_1d import _default_curves as default_curves
from gdcourse.widgets.descent_1d import descent_1d_explorer
from gdcourse.widgets.graph_explorer import graph_explorer


#: the rows of the 1-D explorer's table, in order
K, W_K, J_K, SLOPE, STEP, W_NEXT = range(6)


def values(explorer) -> list[float]:
    """The numbers of the explorer's table readout, row by row."""
    return table_values(explorer.readout.value)


def note(explorer) -> str:
    """The 1-D explorer's remark under its table (empty when there is nothing to say)."""
    return text_of(explorer.readout.value.partition("</table>")[2])


# -- 1-D descent explorer -------------------------------------------------------------
def quad(w):
    return (w - 1.0) ** 2


def dquad(w):
    return 2.0 * (w - 1.0)


def quad_explorer(**kwargs):
    return descent_1d_explorer({"parabola": (quad, dquad, "w (u)", "J (u)")}, **kwargs)


def closed_form(w0, alpha, k):
    """w_k of w := w - alpha * 2 (w - 1): the distance to 1 is multiplied by (1 - 2 alpha)."""
    return 1.0 + (w0 - 1.0) * (1.0 - 2.0 * alpha) ** k


def test_descent_readout_follows_step_start_and_alpha():
    e = quad_explorer(w0=-2.0, alpha=0.1, max_steps=20)
    assert values(e)[W_K] == pytest.approx(-2.0, abs=1e-4)
    e.controls["step"].value = 7
    w7 = closed_form(-2.0, 0.1, 7)
    assert values(e) == pytest.approx([7, w7, quad(w7), dquad(w7), -0.1 * dquad(w7),
                                       closed_form(-2.0, 0.1, 8)], abs=1e-4)

    e.controls["w0"].value = 3.0
    assert values(e)[W_K] == pytest.approx(closed_form(3.0, 0.1, 7), abs=1e-4)
    e.controls["alpha"].value = 0.3
    alpha = e.controls["alpha"].value                  # the log slider may round the value
    assert values(e)[W_K] == pytest.approx(closed_form(3.0, alpha, 7), abs=1e-4)


def test_descent_warns_when_the_cost_goes_up():
    e = quad_explorer(w0=2.0, alpha=1.2, max_steps=5)     # |1 - 2 alpha| = 1.4 > 1: overshoots
    assert note(e)                                         # a warning under the table
    e.controls["alpha"].value = 0.1
    e.controls["step"].value = 5                           # an ordinary step downhill
    assert not note(e)


def test_descent_reports_a_diverged_run():
    e = quad_explorer(w0=4.0, alpha=25.0, max_steps=30)
    e.controls["step"].value = 30
    k = int(values(e)[K])
    assert k < 30                                          # the path ends early: it diverged
    assert note(e) and str(k) in note(e)                   # said, with where it stopped


def test_descent_default_curves_match_an_independent_loop():
    curves = default_curves()
    e = descent_1d_explorer(w0=-2.0, alpha=2.0, max_steps=10)
    e.controls["step"].value = 4
    J, dJ = curves["logistic cost (convex)"][:2]
    w = -2.0
    for _ in range(4):
        w = w - 2.0 * dJ(w)
    assert values(e)[W_K] == pytest.approx(w, abs=1e-4)

    e.controls["curve"].value = "wavy (non-convex)"
    e.controls["alpha"].value = 0.1
    alpha = e.controls["alpha"].value
    w = -2.0
    for _ in range(4):
        w = w - alpha * (w / 5 + 1.6 * np.cos(2 * w))  # derivative of 1 + w²/10 + 0.8 sin 2w
    assert values(e)[W_K] == pytest.approx(w, abs=1e-4)
    assert values(e)[J_K] == pytest.approx(1 + w**2 / 10 + 0.8 * np.sin(2 * w), abs=1e-4)


def test_descent_logistic_curve_is_the_reference_cost():
    from gdcourse import data, linear
    X, Y, _ = data.breast_cancer(("mean texture",))
    x = linear.Standardizer.fit(X[0]).transform(X[0]).reshape(1, -1)
    J, dJ = default_curves()["logistic cost (convex)"][:2]
    p, _, _, _ = logistic.optimize(np.zeros((1, 1)), 0.0, x, Y, 5000, 4.0, grad_tol=1e-10)
    grads, cost = logistic.propagate(np.array([[0.7]]), p["b"], x, Y)
    assert J(0.7) == pytest.approx(cost, abs=1e-9)
    assert dJ(0.7) == pytest.approx(grads["dw"][0, 0], abs=1e-9)
    assert abs(dJ(float(p["w"][0, 0]))) < 1e-6                 # slope 0 at the minimum


def test_descent_image_updates_and_scene_is_reused():
    e = quad_explorer(max_steps=10)
    before, count = e.image.value, e.redraw_count
    e.controls["step"].value = 3
    assert e.image.value != before and e.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert e.redraw_count == count + 1


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(curves={}), TypeError, "non-empty dict"),
    (dict(curves={"c": (quad,)}), TypeError, "(J, dJ)"),
    (dict(curves={"c": (quad, 3)}), TypeError, "dJ"),
    (dict(alpha=100.0), ValueError, "between 0.01 and 30"),
    (dict(alpha=-1.0), ValueError, "alpha must be > 0"),
    (dict(w0=9.0), ValueError, "w0 must lie in w_range"),
    (dict(w_range=(2, 1)), ValueError, "low < high"),
    (dict(curve="nope"), ValueError, "curve must be one of"),
    (dict(max_steps=0), ValueError, "max_steps"),
])
def test_descent_rejects_bad_input(kwargs, exc, words):
    args = dict(curves={"parabola": (quad, dquad)})
    args.update(kwargs)
    with pytest.raises(exc, match=re.escape(words)):
        descent_1d_explorer(**args)


# -- computation-graph explorer --------------------------------------------------------------
def reference(x1, x2, y, w1, w2, b):
    """The graph readout's rows, in order: z, a, L, da, a(1 − a), dz, dw₁, dw₂, db."""
    out = logistic.forward_backward_one(np.array([[x1], [x2]]), y, np.array([[w1], [w2]]), b)
    return [out["z"], out["a"], out["L"], out["da"], out["a"] * (1 - out["a"]), out["dz"],
            out["dw"][0, 0], out["dw"][1, 0], out["db"]]


DZ = 5                                                     # the row of dz = a − y


def assert_readout_matches(e, **inputs):
    assert values(e) == pytest.approx(reference(**inputs), abs=1e-4)


def test_graph_readout_follows_every_control():
    inputs = dict(x1=1.5, x2=-0.5, y=1, w1=0.8, w2=-1.2, b=0.3)
    e = graph_explorer(**inputs)
    assert_readout_matches(e, **inputs)
    for name, new in (("x1", -2.0), ("x2", 3.1), ("w1", 0.5), ("w2", 2.0), ("b", -1.5), ("y", 0)):
        e.controls[name].value = new
        inputs[name] = e.controls[name].value
        assert_readout_matches(e, **inputs)


def test_graph_label_flip_flips_the_gradient_sign():
    e = graph_explorer(x1=1.0, x2=1.0, y=1, w1=0.0, w2=0.0, b=0.0)  # a = 0.5 exactly
    assert values(e)[DZ] == pytest.approx(-0.5)
    e.controls["y"].value = 0
    assert values(e)[DZ] == pytest.approx(+0.5)


def test_graph_image_shows_new_numbers():
    e = graph_explorer()
    before = e.image.value
    e.controls["w1"].value = 2.0
    assert e.image.value != before


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(x1=10.0), ValueError, "x1 must be between -4.0 and 4.0"),
    (dict(b=-5.0), ValueError, "b must be between"),
    (dict(y=2), ValueError, "y must be a label 0 or 1"),
    (dict(w2="big"), TypeError, "w2"),
])
def test_graph_rejects_bad_input(kwargs, exc, words):
    with pytest.raises(exc, match=re.escape(words)):
        graph_explorer(**kwargs)


# -- the registry and the blitting base ------------------------------------------------------
@pytest.mark.parametrize("name", ["descent_1d", "graph_explorer"])
def test_registered_explorers_react_to_their_sample_change(name):
    factory, control, new_value = widgets.ALL[name]
    e = factory()
    before = e.readout.value
    e.controls[control].value = new_value
    assert e.controls[control].value == new_value
    assert e.readout.value != before


def png_pixels(png: bytes) -> np.ndarray:
    """The pixels of a PNG as uint8, decoded by Matplotlib (not by the code under test)."""
    return np.round(imread(io.BytesIO(png), format="png") * 255).astype(np.uint8)


def test_blit_explorer_draws_each_scene_once_and_only_the_new_artists_per_change():
    import ipywidgets as W
    scenes = []

    def scene(fig, kind):
        scenes.append(kind)
        ax = fig.add_subplot()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        return ax

    def update(fig, ax, values):
        ax.plot([0, values["x"]], [0, values["x"]])
        fig.text(0.5, 0.98, f"x = {values['x']:.2f}", ha="center", va="top")
        return f"x = {values['x']:.2f}"

    e = BlitExplorer({"kind": W.Dropdown(options=["a", "b"]), "x": W.FloatSlider(value=0.5)},
                     scene, update, scene_key=lambda v: v["kind"])
    e.controls["x"].value = 0.7
    assert scenes == ["a"] and e.readout.value == "x = 0.70"
    e.controls["kind"].value = "b"
    e.controls["kind"].value = "a"
    e.controls["x"].value = 0.2
    assert scenes == ["a", "b"]                            # one background per scene, kept
    a_fig, b_fig = e.figures
    assert e.figure is a_fig
    assert len(a_fig.axes[0].lines) == 1 and len(a_fig.texts) == 1   # last change's artists
    assert len(b_fig.axes[0].lines) == 0 and len(b_fig.texts) == 0   # left scene: static again
    # the frame is what a full draw of the figure shows (the new artists are drawn on top,
    # so only the few pixels where the line crosses a grid line or spine may differ)
    got = png_pixels(e.image.value)
    a_fig.canvas.draw()
    want = np.asarray(a_fig.canvas.buffer_rgba())[..., :3]
    assert got.shape == want.shape
    assert np.mean(np.abs(got.astype(int) - want).max(axis=-1) > 1) < 0.002
    e.controls["x"].value = 0.9                           # a canvas drawn by others: still right
    assert len(a_fig.axes[0].lines) == 1


def test_blit_explorer_png_is_exact_and_keeps_transparency():
    from gdcourse.widgets._base import encode_png

    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    assert (png_pixels(encode_png(rgba, opaque=False)) == rgba).all()
    rgba[..., 3] = 255
    rgb = png_pixels(encode_png(rgba, opaque=True))
    assert rgb.shape == (7, 5, 3) and (rgb == rgba[..., :3]).all()
