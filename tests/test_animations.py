"""The course's GIFs (gdcourse.media, gdcourse.animations): committed, small, and showing the run.

For every GIF of the registry: the committed file exists, is at most 1.5 MB, decodes with
Pillow, loops, has one frame per recorded step of the run and no transparency; a few of its
frames equal freshly rendered ones (mapped through the GIF's own palette; a few pixels may
differ where another CPU rounds an antialiased edge differently); and in a few decoded frames
the current iterate's marker sits where the run's k-th iterate falls under the axes' data
transform. The runs here are computed again from the package, with the notebooks' numbers,
not taken from the animation.
"""

from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image, ImageSequence

from gdcourse import animations, data, linear, logistic, media, stochastic, synthetic
from gdcourse.alt_text import MAX_LENGTH, alt_of
from gdcourse.descent import History

from figure_checks import annotations_outside_axes, labels_longer_than_axes

MEDIA = Path(__file__).resolve().parents[1] / "notebooks" / "media"
NOTEBOOKS = MEDIA.parent


# -- the runs, computed here with the notebooks' numbers ----------------------------------
def run_00():
    """Notebook 00, cell 7: 30 steps from (-2, 3) at α = 2 on the standardised mean texture."""
    X_raw, Y, _ = data.breast_cancer(("mean texture",))
    x = linear.Standardizer.fit(X_raw[0]).transform(X_raw[0]).reshape(1, -1)
    path = logistic.descent_path(np.array([[-2.0]]), 3.0, x, Y, learning_rate=2.0, steps=30)
    return {"path": (path[:, 0], path[:, 1])}


def run_05():
    """Notebook 05, section 3: η = 0.9 and 1.05 on the standardised salaries; (w, J) per update."""
    x, y = data.salary()
    x_n = (x - x.mean()) / x.std()
    y_n = (y - y.mean()) / y.std()
    out = {}
    for eta in (0.9, 1.05):
        h = linear.train(x_n, y_n, eta, max_epochs=20)
        out[f"η = {eta:g}"] = (h.param("w"), np.array(h.costs))
    return out


def run_06():
    """Notebook 06, section 4: seed 0 of each variant at η = 0.05, the first 30 updates."""
    x_raw, y_raw = synthetic.noisy_line(2000, seed=0)
    x = (x_raw - x_raw.mean()) / x_raw.std()
    y = (y_raw - y_raw.mean()) / y_raw.std()
    out = {}
    for label, k, epochs in (("batch GD (2,000 samples)", 2000, 30), ("mini-batch (32)", 32, 1),
                             ("SGD (1 sample)", 1, 1)):
        h = stochastic.minibatch_gd(x, y, 0.05, batch_size=k, max_epochs=epochs, seed=0,
                                    per_update=True)
        out[label] = (np.array(h.update_w[:31]), np.array(h.update_b[:31]))
    return out


#: file name -> (the run's markers: name -> (x, y) per frame, the frames the run implies)
RUNS = {"00_descent_on_contours.gif": (run_00, 31), "05_stability_limit.gif": (run_05, 21),
        "06_batch_sgd_minibatch.gif": (run_06, 31)}


def test_every_gif_of_the_registry_is_tested_and_committed():
    assert set(media.GIFS) == set(RUNS)
    assert sorted(p.name for p in MEDIA.glob("*.gif")) == sorted(media.GIFS)


def test_the_notebooks_show_every_gif_from_markdown_with_alt_text():
    import nbformat

    for name in media.GIFS:
        nb = nbformat.read(NOTEBOOKS / next(NOTEBOOKS.glob(f"{name[:2]}_*.ipynb")), as_version=4)
        cells = [c for c in nb.cells if f"](media/{name})" in c.source]
        assert len(cells) == 1 and cells[0].cell_type == "markdown", name
        alt = cells[0].source.split(f"](media/{name})")[0].rsplit("![", 1)[1]
        assert len(alt) > 40, f"{name}: the alt text is too short to describe the animation"


@pytest.fixture(scope="module", params=sorted(RUNS))
def gif(request):
    """(name, the animation from the registry, the committed file opened, the run computed here)."""
    name = request.param
    make_run, frames = RUNS[name]
    with Image.open(MEDIA / name) as im:
        yield name, media.GIFS[name](), im, make_run(), frames


def test_committed_gif_is_small_decodes_loops_and_has_no_transparency(gif):
    name, anim, im, run, frames = gif
    assert (MEDIA / name).stat().st_size <= animations.MAX_BYTES == 1_500_000
    assert im.format == "GIF" and im.info.get("loop") == 0
    durations = []
    for frame in ImageSequence.Iterator(im):
        assert "transparency" not in frame.info, f"{name}: frame {frame.tell()} has a " \
                                                 "transparency index"
        durations.append(frame.info["duration"])
        frame.load()                                             # decodes
    assert im.n_frames == frames == anim.n_frames
    assert all(len(xs) == frames and len(ys) == frames for xs, ys in run.values())
    assert durations[-1] > max(durations[:-1])                   # the last frame is held
    assert im.size == anim.frame(0).shape[1::-1]


def _decoded(im, k):
    im.seek(k)
    return np.asarray(im.convert("RGB"))


def _nearest(frame, palette):
    """Each pixel of ``frame`` as the nearest colour (Euclidean RGB) of ``palette`` (p, 3)."""
    flat = frame.reshape(-1, 3).astype(np.int64)
    keys, inverse = np.unique(flat @ [65536, 256, 1], return_inverse=True)
    colors = np.stack([keys // 65536, keys // 256 % 256, keys % 256], axis=1)
    index = ((colors[:, None, :] - palette[None].astype(int)) ** 2).sum(axis=-1).argmin(axis=1)
    return palette[index][inverse].reshape(frame.shape)


def test_frames_equal_fresh_renders_through_the_gifs_palette(gif):
    name, anim, im, run, frames = gif
    im.seek(0)
    palette = np.reshape(im.getpalette(), (-1, 3))           # the GIF's own colours
    for k in (0, frames // 2, frames - 1):
        fresh = _nearest(anim.frame(k), palette)
        stored = _decoded(im, k)
        differ = np.any(np.abs(fresh.astype(int) - stored) > 24, axis=-1)
        assert differ.mean() < 0.002, f"{name}, frame {k}: {differ.mean():.2%} of pixels differ"


def _marker_centre(frame, box, color):
    """Mean (column, row) of the pixels of ``frame`` inside ``box`` within 40 of ``color``."""
    x0, y0, x1, y1 = box
    part = frame[y0:y1, x0:x1].astype(int)
    near = np.sqrt(((part - np.array(color)) ** 2).sum(axis=-1)) < 40
    rows, cols = np.nonzero(near)
    if rows.size < 20:
        return None
    return x0 + cols.mean(), y0 + rows.mean()


def test_the_marker_of_each_run_sits_on_its_kth_iterate(gif):
    name, anim, im, run, frames = gif
    fig = anim.figure()
    height = fig.canvas.get_width_height()[1]
    checked = 0
    for k in (1, frames // 3, frames // 2, frames - 1):
        stored = _decoded(im, k)
        expected = {}
        for label, (xs, ys) in run.items():
            ax = anim.axes(label)
            px, py = ax.transData.transform((xs[k], ys[k]))
            box = ax.get_window_extent()
            inside = box.x0 + 6 < px < box.x1 - 6 and box.y0 + 6 < py < box.y1 - 6
            expected[label] = (px, height - py, ax, inside)
        for label, (col, row, ax, inside) in expected.items():
            crowded = any(np.hypot(col - c, row - r) < 20 for other, (c, r, a, _) in
                          expected.items() if other != label and a is ax)
            if not inside or crowded:            # off the view, or on top of another marker
                continue
            b = ax.get_window_extent()
            box = (int(b.x0), int(height - b.y1), int(b.x1), int(height - b.y0))
            color = [round(255 * c) for c in to_rgb(anim.markers[label])]
            found = _marker_centre(stored, box, color)
            assert found is not None, f"{name}, frame {k}: no marker of {label!r} in its panel"
            assert np.hypot(found[0] - col, found[1] - row) < 3, \
                f"{name}, frame {k}, {label!r}: marker at {found}, the run at {(col, row)}"
            checked += 1
    assert checked >= 4


def test_the_05_run_that_leaves_the_view_is_marked_at_the_edge(gif):
    name, anim, im, run, frames = gif
    if not name.startswith("05"):
        pytest.skip("only notebook 05's animation has a run that leaves the view")
    w = run["η = 1.05"][0]
    out = int(np.argmax((w < -2) | (w > 4)))         # the view is -2 <= w <= 4
    assert out > 0
    texts = [t.get_text() for t in anim.figure(frames - 1).axes[1].texts if t.get_visible()]
    assert any(f"left the view after update {out}" in t for t in texts)
    texts = [t.get_text() for t in anim.figure(out - 1).axes[1].texts if t.get_visible()]
    assert not any("left the view" in t for t in texts)


def test_still_is_the_last_frame_described_and_nothing_is_clipped(gif):
    name, anim, im, run, frames = gif
    still = anim.still()
    assert isinstance(still, Figure)
    text = alt_of(still)
    assert text and text.startswith("Animation, last frame:") and len(text) <= MAX_LENGTH
    assert annotations_outside_axes(still) == []
    assert labels_longer_than_axes(still) == []
    assert still.get_facecolor()[3] == 1.0                       # opaque, for the dark theme


# -- the GIF writer on a small animation ----------------------------------------------------
@pytest.fixture(scope="module")
def small():
    x = np.array([-1.0, 0.0, 1.0])
    y = np.array([-1.2, 0.1, 1.1])             # both of mean 0: b stays at b* = 0
    runs = {f"η = {eta:g}": linear.train(x, y, eta, max_epochs=3) for eta in (0.5, 1.2)}
    anim = animations.StabilityBounce(x, y, runs, updates=3, frame_ms=100, last_frame_ms=700)
    anim.figsize = (6.0, 2.4)                  # small frames: quick to render
    return anim


def test_gif_bytes_are_the_same_on_a_second_build(small, tmp_path):
    path = small.save(tmp_path / "small.gif")
    again = animations.StabilityBounce(small.x, small.y, {
        f"η = {eta:g}": linear.train(small.x, small.y, eta, max_epochs=3) for eta in (0.5, 1.2)},
        updates=3, frame_ms=100, last_frame_ms=700)
    again.figsize = small.figsize
    assert again.gif_bytes() == path.read_bytes()
    with Image.open(path) as im:
        assert im.n_frames == 4
        assert [f.info["duration"] for f in ImageSequence.Iterator(im)] == [100, 100, 100, 700]


def test_lighter_mixes_with_white():
    assert animations.lighter("#000000", 0.5) == (0.5, 0.5, 0.5)
    assert animations.lighter("#D55E00", 0.0) == pytest.approx(to_rgb("#D55E00"))
    assert animations.lighter("#D55E00", 1.0) == (1.0, 1.0, 1.0)


# -- bad arguments ---------------------------------------------------------------------------
def _bowl(w, b):
    return w * w + b * b


def _history_without_updates():
    h = History(learning_rate=0.1)
    h.record(0, {"w": 0.0, "b": 0.0}, 1.0, {"w": 0.0, "b": 0.0})
    return h


@pytest.mark.parametrize("call, error, words", [
    (lambda: animations.DescentOnContours(3, [[0, 0], [1, 1]], (-1, 1), (-1, 1), minimum=(0, 0),
                                          learning_rate=0.1), TypeError, "J"),
    (lambda: animations.DescentOnContours(_bowl, [0, 1, 2], (-1, 1), (-1, 1), minimum=(0, 0),
                                          learning_rate=0.1), ValueError,
     r"path must be a finite array of shape \(k \+ 1, 2\).*got shape \(3,\)"),
    (lambda: animations.DescentOnContours(_bowl, [[0, 0]], (-1, 1), (-1, 1), minimum=(0, 0),
                                          learning_rate=0.1), ValueError, r"k >= 1.*\(1, 2\)"),
    (lambda: animations.DescentOnContours(_bowl, [[0, 0], [1, 1]], (1, -1), (-1, 1),
                                          minimum=(0, 0), learning_rate=0.1), ValueError,
     "w_range"),
    (lambda: animations.DescentOnContours(_bowl, [[0, 0], [1, 1]], (-1, 1), (-1, 1),
                                          minimum=None, learning_rate=0.1), TypeError,
     r"minimum must be a pair \(w, b\), got None"),
    (lambda: animations.StabilityBounce([1.0, 2.0], [1.0, 2.0], [1, 2]), TypeError,
     "runs must be a non-empty dict"),
    (lambda: animations.StabilityBounce(np.array([-1.0, 1.0]), np.array([-1.0, 1.0]),
                                        {"a": _history_without_updates()}, updates=2),
     ValueError, r"runs\['a'\] must hold at least 2 updates, got 0"),
    (lambda: animations.PathsOnContours(np.array([-1.0, 1.0]), np.array([-1.0, 1.0]),
                                        {"a": _history_without_updates()}), TypeError,
     r"runs\['a'\] must be a MinibatchHistory, got History"),
    (lambda: animations.PathsOnContours(
        np.array([-1.0, 1.0]), np.array([-1.0, 1.0]),
        {"a": stochastic.minibatch_gd([-1.0, 1.0], [-1.0, 1.0], 0.1, batch_size=1,
                                      max_epochs=1)}), ValueError,
     r"at least 30 updates \(minibatch_gd\(\.\.\., per_update=True\)\), got 0"),
    (lambda: animations.lighter("#000000", 2), ValueError, "amount must be between 0 and 1"),
    (lambda: media.batch_sgd_minibatch(updates=0), ValueError, "updates"),
    (lambda: media.write_all(folder=3), TypeError, "folder must be a str or pathlib.Path"),
])
def test_bad_arguments_are_refused_with_their_name(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_frame_number_and_save_path_are_checked(small, tmp_path):
    with pytest.raises(ValueError, match="k must be a frame number from 0 to 3, got 4"):
        small.frame(4)
    with pytest.raises(TypeError, match="k must be"):
        small.frame(1.5)
    with pytest.raises(ValueError, match=r"path must end in \.gif, got '.*small\.png'"):
        small.save(tmp_path / "small.png")
    with pytest.raises(TypeError, match="path must be a str or pathlib.Path, got int"):
        small.save(3)
    with pytest.raises(ValueError, match="name must be one of"):
        small.axes("nothing")
