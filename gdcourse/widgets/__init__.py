"""Interactive explorers and self-check questions for the notebooks (ipywidgets).

What the notebooks call, and all that is public here:

- :func:`descent_1d_explorer` (notebook 00), :func:`graph_explorer` (01),
  :func:`learning_rate_explorer` (05), :func:`stopping_explorer` (06) and
  :func:`rate_task` (07): explorers, each with a static figure in
  :mod:`gdcourse.plots` to show beside it, so notebooks read well where widgets
  are dead (GitHub, nbviewer);
- :class:`MultipleChoice` and :class:`NumberQuestion`: the tasks' questions;
- :class:`Explorer`: what every explorer is (named ``controls``, a figure in
  ``image`` and a text ``readout``, redrawn synchronously on every change),
  and the simplest way to write a new one.

Every one checks its arguments and names the one that is wrong.

``ALL`` (not exported) maps a name to ``(factory, control_name, new_value)``:
a zero-argument factory that builds the explorer, and one change to apply to
it. The notebook benchmark and the tests use it to drive and time every explorer.
"""

from ._base import Explorer
from .descent_1d import descent_1d_explorer
from .graph_explorer import graph_explorer
from .learning_rate import learning_rate_explorer
from .quiz import MultipleChoice, NumberQuestion, rate_task
from .stopping import stopping_explorer

__all__ = ["Explorer", "MultipleChoice", "NumberQuestion", "descent_1d_explorer",
           "graph_explorer", "learning_rate_explorer", "rate_task", "stopping_explorer"]

ALL: dict = {
    "rate_task": (rate_task, "learning_rate", 0.9),                           # notebook 07
    "descent_1d": (descent_1d_explorer, "step", 5),                           # notebook 00
    "graph_explorer": (graph_explorer, "w1", 1.7),                            # notebook 01
    "learning_rate_explorer": (learning_rate_explorer, "learning_rate", 0.7),  # notebook 05
    "stopping_explorer": (stopping_explorer, "log10_threshold", -9.0),        # notebook 06
}
