"""Interactive explorers for the notebooks (ipywidgets).

Every explorer is an :class:`~gdcourse.widgets._base.Explorer`: named
``controls``, a figure in ``image`` and a text ``readout``, redrawn
synchronously on every change. Each has a static figure in
:mod:`gdcourse.plots` to show beside it, so notebooks read well where widgets
are dead (GitHub, nbviewer).

``ALL`` maps a name to ``(factory, control_name, new_value)``: a zero-argument
factory that builds the explorer, and one change to apply to it. The notebook
benchmark and the tests use it to drive and time every explorer.
"""

from ._base import Explorer, render_png

__all__ = ["Explorer", "render_png", "ALL"]

ALL: dict = {}

from . import quiz as _quiz  # noqa: E402  (notebook 07)

ALL["rate_task"] = (_quiz.rate_task, "learning_rate", 0.9)

from . import descent_1d as _descent_1d  # noqa: E402  (notebook 00)
from . import graph_explorer as _graph_explorer  # noqa: E402  (notebook 01)

ALL["descent_1d"] = (_descent_1d.descent_1d_explorer, "step", 5)
ALL["graph_explorer"] = (_graph_explorer.graph_explorer, "w1", 1.7)

from . import learning_rate as _learning_rate  # noqa: E402  (notebook 05)

ALL["learning_rate_explorer"] = (_learning_rate.learning_rate_explorer, "learning_rate", 0.7)

from . import stopping as _stopping  # noqa: E402  (notebook 06)

ALL["stopping_explorer"] = (_stopping.stopping_explorer, "log10_threshold", -9.0)
