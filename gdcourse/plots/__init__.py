"""Figures of the course, one function per figure.

Importing this module applies the course style (:func:`gdcourse.style.use`).
Every function returns the Matplotlib ``Figure`` it drew, with labelled axes
(units included), a title and a legend where there is more than one series.
"""

from .. import style as _style

_style.use()

__all__: list[str] = []

from .exercises import *  # noqa: E402,F401,F403  (notebook 07)
from .intuition import *  # noqa: E402,F401,F403  (notebook 00)
from .graph import *  # noqa: E402,F401,F403  (notebook 01)
from .training import *  # noqa: E402,F401,F403  (notebook 02)
from .timing import *  # noqa: E402,F401,F403  (notebooks 02, 03)
from .salary import *  # noqa: E402,F401,F403  (notebook 04; contour reused by 05, 06)
from .learning_rate import *  # noqa: E402,F401,F403  (notebook 05)
from .convergence import *  # noqa: E402,F401,F403  (notebook 06)
from .optimizers import *  # noqa: E402,F401,F403  (notebook 05)
