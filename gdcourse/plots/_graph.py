"""The computation graph of logistic regression for one example with two features.

Drawn with Matplotlib only (no graphviz). Inputs ``x1, w1, x2, w2, b`` on the
left feed ``z = w1·x1 + w2·x2 + b``, then ``a = σ(z)``, then the loss
``L(a, y)``. The forward values are written in the nodes; the backward
derivatives (``da, dz, dw1, dw2, db``) are written beside red arrows that run
from right to left. All numbers come from
:func:`gdcourse.logistic.forward_backward_one`.

This module draws the scene (boxes, arrows, formulas) and the numbers
separately, so the explorer in :mod:`gdcourse.widgets.graph_explorer` can
redraw only the numbers; :func:`gdcourse.plots.computation_graph` draws both.
Private to :mod:`gdcourse.plots` and :mod:`gdcourse.widgets`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .._validate import as_float
from ..logistic import forward_backward_one
from ..style import COLORS

STAGES = ("forward", "backward", "both")

# Node name -> (centre x, centre y, width, height, heading) in axes data units (0..14 x 0..7).
_NODES = {
    "x1": (0.9, 6.2, 1.45, 0.85, "x₁"),
    "w1": (0.9, 4.95, 1.45, 0.85, "w₁"),
    "x2": (0.9, 3.7, 1.45, 0.85, "x₂"),
    "w2": (0.9, 2.45, 1.45, 0.85, "w₂"),
    "b": (0.9, 1.2, 1.45, 0.85, "b"),
    "z": (5.3, 3.7, 2.9, 1.05, "z = w₁x₁ + w₂x₂ + b"),
    "a": (9.0, 3.7, 1.6, 1.05, "a = σ(z)"),
    "L": (12.8, 3.7, 1.8, 1.05, "L(a, y)"),
    "y": (12.8, 1.2, 1.6, 0.85, "y (label)"),
}
# Where the forward edge of each input meets z's left side (fanned out).
_ENTRY = {"x1": 0.36, "w1": 0.18, "x2": 0.0, "w2": -0.18, "b": -0.36}
_BACK_OFFSET = 0.17     # red backward arrows run this far below the grey forward ones
_PARAMS = ("w1", "w2", "b")
_FWD = COLORS["blue"]
_BWD = COLORS["vermillion"]


def graph_values(x1, x2, y, w1, w2, b) -> dict:
    """Every number the graph shows, from :func:`~gdcourse.logistic.forward_backward_one`.

    Returns
    -------
    dict
        ``x1, x2, y, w1, w2, b`` (inputs), ``z, a, L`` (forward), ``da, dadz, dz,
        dw1, dw2, db`` (backward; ``dadz = a(1 - a)``), all Python floats.
    """
    vals = {"x1": as_float(x1, "x1"), "x2": as_float(x2, "x2"), "y": as_float(y, "y"),
            "w1": as_float(w1, "w1"), "w2": as_float(w2, "w2"), "b": as_float(b, "b")}
    out = forward_backward_one(np.array([[vals["x1"]], [vals["x2"]]]), vals["y"],
                               np.array([[vals["w1"]], [vals["w2"]]]), vals["b"])
    vals.update(z=out["z"], a=out["a"], L=out["L"], da=out["da"], dz=out["dz"],
                dadz=out["a"] * (1.0 - out["a"]), dw1=float(out["dw"][0, 0]),
                dw2=float(out["dw"][1, 0]), db=float(out["db"]))
    return vals


def _fmt(v: float) -> str:
    if abs(v) >= 1e5:           # e.g. da when a rounds to within 1e-16 of 0 or 1
        return f"{v:.4e}"
    text = f"{v:.4f}"
    return "0.0000" if text == "-0.0000" else text


def _edge(ax, start, end, color, *, lw=1.6, dy0=0.0, dy1=0.0, style="-|>", zorder=1):
    (x0, y0, w0, _, _), (x1, y1, w1, _, _) = _NODES[start], _NODES[end]
    arrow = FancyArrowPatch((x0 + w0 / 2 * np.sign(x1 - x0 or 1), y0 + dy0),
                            (x1 - w1 / 2 * np.sign(x1 - x0 or 1), y1 + dy1),
                            arrowstyle=style, mutation_scale=14, color=color, lw=lw,
                            shrinkA=2, shrinkB=2, zorder=zorder)
    ax.add_patch(arrow)
    return arrow


def _arrow(ax, start, end, color, lw):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=color,
                                 lw=lw, shrinkA=1, shrinkB=1))


def _on_backward_edge(src: str, t: float = 0.5):
    """A point a fraction ``t`` of the way from input ``src`` to z, on its red arrow."""
    cx, cy, w, _, _ = _NODES[src]
    zx, zy, zw, _, _ = _NODES["z"]
    x0, y0 = cx + w / 2, cy - _BACK_OFFSET
    x1, y1 = zx - zw / 2, zy + _ENTRY[src] - _BACK_OFFSET
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


def graph_scene(ax, *, backward: bool = True, title: str | None = None) -> None:
    """Draw the static part of the graph on ``ax``: boxes, headings, arrows, formulas.

    Parameters
    ----------
    ax : matplotlib Axes
        Cleared axes; limits are fixed to (0, 14) x (0.6, 7.25) and the frame is hidden.
    backward : bool
        Also draw the red backward arrows and their formulas.
    title : str, optional
    """
    ax.set_xlim(0, 14)
    ax.set_ylim(0.6, 7.25)
    ax.axis("off")
    for name, (cx, cy, w, h, heading) in _NODES.items():
        is_param = name in _PARAMS
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - h / 2), w, h,
                                    boxstyle="round,pad=0.05,rounding_size=0.15",
                                    fc="#EAF3FA" if is_param else "white", ec="0.25", lw=1.3))
        ax.text(cx, cy + h / 2 - 0.08, heading, ha="center", va="top", fontsize=10.5,
                fontweight="bold" if name in ("z", "a", "L") else "normal")
    zx, zy, zw, _, _ = _NODES["z"]
    for src, dy in _ENTRY.items():
        cx, cy, w, _, _ = _NODES[src]
        _arrow(ax, (cx + w / 2, cy), (zx - zw / 2, zy + dy), "0.45", 1.2)
    _edge(ax, "z", "a", "0.45", lw=1.2)
    _edge(ax, "a", "L", "0.45", lw=1.2)
    lx, ly, _, lh, _ = _NODES["L"]
    yx, yy, _, yh, _ = _NODES["y"]
    _arrow(ax, (yx, yy + yh / 2), (lx, ly - lh / 2), "0.45", 1.2)
    ax.text(0.05, 7.2, "forward: values in the nodes (blue); shaded = parameters",
            color=_FWD, fontsize=10.5, va="top")
    if backward:
        ax.text(6.3, 7.2, "backward: derivatives of L on the red arrows, by the chain rule",
                color=_BWD, fontsize=10.5, va="top")
        o = _BACK_OFFSET
        ax_, a_w = _NODES["a"][0], _NODES["a"][2]
        _arrow(ax, (lx - _NODES["L"][2] / 2, ly - o), (ax_ + a_w / 2, ly - o), _BWD, 1.8)
        _arrow(ax, (ax_ - a_w / 2, ly - o), (zx + zw / 2, zy - o), _BWD, 1.8)
        for src in _PARAMS:
            cx, cy, w, _, _ = _NODES[src]
            _arrow(ax, (zx - zw / 2, zy + _ENTRY[src] - o), (cx + w / 2, cy - o), _BWD, 1.6)
    if title:
        ax.set_title(title)


# Where each number goes: key -> (x, y, template, colour, ha).
def _placements(backward: bool):
    out = {}
    for name in ("x1", "w1", "x2", "w2", "b", "y"):
        cx, cy, _, _, _ = _NODES[name]
        out[name] = (cx, cy - 0.22, "= {}", _FWD, "center")
    for name in ("z", "a", "L"):
        cx, cy, _, _, _ = _NODES[name]
        out[name] = (cx, cy - 0.2, "= {}", _FWD, "center")
    if backward:
        lx, ly, lw_, _, _ = _NODES["L"]
        ax_, ay, aw, _, _ = _NODES["a"]
        zx, _, zw, _, _ = _NODES["z"]
        below = ly - _BACK_OFFSET - 0.85
        out["da"] = ((lx - lw_ / 2 + ax_ + aw / 2) / 2, below,
                     "da = ∂L/∂a\n= −y/a + (1−y)/(1−a)\n= {}", _BWD, "center")
        out["dz"] = ((ax_ - aw / 2 + zx + zw / 2) / 2, below - 0.15,
                     "dz = ∂L/∂z = da · a(1−a)\n= {da} × {dadz}\n= a − y = {}", _BWD,
                     "center")
        for key, src, formula in (("dw1", "w1", "dw₁ = x₁·dz"), ("dw2", "w2", "dw₂ = x₂·dz"),
                                  ("db", "b", "db = dz")):
            x, y = _on_backward_edge(src)
            out[key] = (x, y, formula + " = {}", _BWD, "center")
    return out


def graph_numbers(ax, values: dict, *, backward: bool = True) -> list:
    """Write the numbers of :func:`graph_values` on a :func:`graph_scene`; return the texts."""
    texts = []
    for key, (x, y, template, color, ha) in _placements(backward).items():
        number = f"{values[key]:.0f}" if key == "y" else _fmt(values[key])
        label = template.format(number, da=_fmt(values["da"]),
                                dadz=_fmt(values["dadz"]))
        texts.append(ax.text(x, y, label, ha=ha, va="center", color=color, fontsize=10,
                             family="DejaVu Sans Mono" if key in _PLAIN else None,
                             bbox=None if key in _PLAIN else dict(boxstyle="round,pad=0.25",
                                                                   fc="white", ec=color,
                                                                   lw=0.8, alpha=0.95)))
    return texts


_PLAIN = ("x1", "w1", "x2", "w2", "b", "y", "z", "a", "L")
