"""Explorers of notebooks 05 and 06: readouts equal values computed independently."""

import re

import numpy as np
import pytest

from gdcourse import data, linear, widgets
from gdcourse.widgets.learning_rate import learning_rate_explorer

PNG = b"\x89PNG\r\n\x1a\n"


def numbers(html, key):
    """The number printed after ``key`` in a readout (e.g. 'J = 0.1234')."""
    m = re.search(re.escape(key) + r"\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", html)
    assert m, f"{key!r} not in readout: {html}"
    return float(m.group(1))


def salary_n():
    x, y = data.salary()
    return linear.Standardizer.fit(x).transform(x), linear.Standardizer.fit(y).transform(y)


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
    assert html.startswith(f"<b>{regime}</b>")
    eta_seen = lr_explorer.controls["learning_rate"].value          # what the slider holds
    # limit from the eigenvalues of H written out by hand
    lam_max = max(np.linalg.eigvalsh(np.array([[2 * np.mean(x * x), 2 * np.mean(x)],
                                               [2 * np.mean(x), 2.0]])))
    assert numbers(html, "2/λ_max =") == pytest.approx(2 / lam_max, rel=1e-3)
    assert numbers(html, "1 − η·λ_max =") == pytest.approx(1 - eta_seen * lam_max, rel=1e-3,
                                                          abs=1e-9)
    if regime != "diverges":
        w, b, J = plain_gd(x, y, eta_seen, 30)
        assert numbers(html, "J =") == pytest.approx(J, rel=1e-3, abs=1e-12)
        assert numbers(html, "minimum =") == pytest.approx(np.hypot(w - 1.0, b), rel=1e-3,
                                                           abs=1e-12)
    else:
        assert "(diverged)" in html or "(max_epochs)" in html
    assert bytes(lr_explorer.image.value).startswith(PNG)


def test_learning_rate_image_changes(lr_explorer):
    lr_explorer.controls["learning_rate"].value = 0.1
    a = bytes(lr_explorer.image.value)
    lr_explorer.controls["learning_rate"].value = 0.9
    assert bytes(lr_explorer.image.value) != a


def test_learning_rate_explorer_on_raw_years():
    x, y = data.salary()
    e = learning_rate_explorer(x, y / 1000, learning_rate=0.02, w_range=(0, 20), b_range=(0, 60))
    assert numbers(e.readout.value, "2/λ_max =") == pytest.approx(
        linear.max_stable_learning_rate(x), rel=1e-3)


@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(learning_rate=0), ValueError, "learning_rate must be > 0"),
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
