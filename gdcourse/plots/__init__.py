"""Figures of the course, one function per figure.

Importing this module applies the course style (:func:`gdcourse.style.use`).
Every function returns the Matplotlib ``Figure`` it drew, with labelled axes
(units included), a title and a legend where there is more than one series,
and checks its arguments (a bad one gets a ``TypeError``/``ValueError`` that
names it).

``__all__`` is the list of figures the notebooks draw, gathered from the
submodules' ``__all__`` (one submodule per notebook). The drawing they share
with each other and with :mod:`gdcourse.widgets` lives in the private modules
``_shared`` (figure creation, argument checks, axes and labels), ``_contours``
(the (w, b) plane of the linear model), ``_descent_1d``, ``_graph``, ``_rates``
and ``_stopping`` (the layers of the explorers).
"""

from .. import style as _style

_style.use()

from . import (convergence, exercises, graph, intuition, learning_rate,  # noqa: E402
               optimizers, salary, timing, training)
from .convergence import *  # noqa: E402,F401,F403  (notebook 06)
from .exercises import *  # noqa: E402,F401,F403  (notebook 07)
from .graph import *  # noqa: E402,F401,F403  (notebook 01)
from .intuition import *  # noqa: E402,F401,F403  (notebook 00)
from .learning_rate import *  # noqa: E402,F401,F403  (notebook 05)
from .optimizers import *  # noqa: E402,F401,F403  (notebook 05)
from .salary import *  # noqa: E402,F401,F403  (notebook 04; cost_contour also in 05)
from .timing import *  # noqa: E402,F401,F403  (notebooks 02, 03)
from .training import *  # noqa: E402,F401,F403  (notebook 02)

__all__ = [name for module in (intuition, graph, training, timing, salary, learning_rate,
                               optimizers, convergence, exercises)
           for name in module.__all__]
