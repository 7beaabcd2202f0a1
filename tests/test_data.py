"""The course's data sets (gdcourse.data)."""

import numpy as np
import pytest

from gdcourse import data


def test_salary_is_the_seed_example():
    x, y = data.salary()
    np.testing.assert_array_equal(x, [1, 2, 4, 6, 8])
    np.testing.assert_array_equal(y, [40_000, 50_000, 70_000, 90_000, 110_000])
    assert x.dtype == y.dtype == np.float64 and x.shape == y.shape == (5,)
    # every pair lies on one line, salary = 10 000 · years + 30 000 (used by the salary tests)
    np.testing.assert_array_equal(y, 10_000 * x + 30_000)
    # fresh arrays each call: a notebook that edits them cannot change the next caller's data
    x[0] = 99.0
    assert data.salary()[0][0] == 1.0


@pytest.mark.parametrize("m", [2, 3, 200, 1001])
def test_two_blobs_layout_and_balance(m):
    X, Y = data.two_blobs(m, seed=1)
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert X.dtype == Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert int(Y.sum()) == m // 2
    assert np.all(np.isfinite(X))


def test_two_blobs_is_reproducible_and_seeded():
    a = data.two_blobs(50, seed=7)
    b = data.two_blobs(50, seed=7)
    c = data.two_blobs(50, seed=8)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("separation", [0.0, 2.0, 5.0])
def test_two_blobs_centres_and_spread(separation):
    X, Y = data.two_blobs(20_000, seed=3, separation=separation)
    ones, zeros = X[:, Y[0] == 1.0], X[:, Y[0] == 0.0]
    # 10 000 points per class: the sample mean is within 4 standard errors (0.04) of its centre
    np.testing.assert_allclose(ones.mean(axis=1), [separation / 2] * 2, atol=0.04)
    np.testing.assert_allclose(zeros.mean(axis=1), [-separation / 2] * 2, atol=0.04)
    np.testing.assert_allclose(ones.std(axis=1), 1.0, atol=0.03)
    np.testing.assert_allclose(zeros.std(axis=1), 1.0, atol=0.03)


def test_breast_cancer_default_columns():
    X, Y, names = data.breast_cancer()
    assert X.shape == (2, 569) and Y.shape == (1, 569)
    assert names == ["mean radius", "mean texture"]
    # UCI's summary of the set: 212 malignant, 357 benign; mean radius from 6.981 to 28.11
    assert int(Y.sum()) == 212 and int((Y == 0).sum()) == 357
    assert X[0].min() == pytest.approx(6.981) and X[0].max() == pytest.approx(28.11)
    assert np.all(np.isfinite(X))
    # malignant masses are larger on average (the classic finding of the data set)
    assert X[0, Y[0] == 1].mean() > X[0, Y[0] == 0].mean()


def test_breast_cancer_column_choice_and_order():
    everything, Y_all, names = data.breast_cancer(None)
    assert everything.shape == (30, 569)
    assert tuple(names) == data.BREAST_CANCER_FEATURES and len(set(names)) == 30
    picked, Y, picked_names = data.breast_cancer(("worst area", "mean radius"))
    assert picked_names == ["worst area", "mean radius"]
    np.testing.assert_array_equal(picked[0], everything[names.index("worst area")])
    np.testing.assert_array_equal(picked[1], everything[names.index("mean radius")])
    np.testing.assert_array_equal(Y, Y_all)
    # writable copies, not views into a shared table
    picked[0, 0] = -1.0
    assert data.breast_cancer(["worst area"])[0][0, 0] != -1.0


def test_salary_standardised_has_mean_0_and_population_std_1():
    x, y = data.salary()
    x_n, y_n = data.salary(standardised=True)
    for raw, z in ((x, x_n), (y, y_n)):
        assert np.mean(z) == pytest.approx(0.0, abs=1e-12)
        assert np.mean(z ** 2) == pytest.approx(1.0, rel=1e-12)          # population std
        assert z == pytest.approx((raw - raw.mean()) / raw.std(), rel=1e-12)
    with pytest.raises(TypeError, match="standardised must be True or False"):
        data.salary(standardised="yes")
