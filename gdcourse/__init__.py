"""gdcourse: the reference code of the gradient-descent course.

Modules, one job each:

- :mod:`gdcourse.logistic`: logistic regression (sigmoid, one-example graph,
  loop and vectorized gradients, optimize, predict), ``X`` of shape ``(n_x, m)``.
- :mod:`gdcourse.linear`: one-feature linear regression with MSE, standardisation,
  closed form and the stability limit of the learning rate.
- :mod:`gdcourse.descent`: the one gradient-descent loop and its ``History``
  (the trace table).
- :mod:`gdcourse.data`: the salary example, a seeded synthetic set, a real set.
- :mod:`gdcourse.stochastic`: mini-batch and stochastic gradient descent.
- :mod:`gdcourse.losses`: MSE, MAE, Huber and hinge losses and their (sub)gradients.
- :mod:`gdcourse.synthetic`: seeded noisy-line data, train/validation split,
  a cost with two minima.
- :mod:`gdcourse.style`, :mod:`gdcourse.plots`, :mod:`gdcourse.widgets`: figures
  and explorers used by the notebooks (imported on demand; they need Matplotlib
  and ipywidgets).
- :mod:`gdcourse.animations`, :mod:`gdcourse.media`: animations of computed runs written
  as GIFs with Pillow, and the course's GIFs (``notebooks/media/``), one function each.
- :mod:`gdcourse.checks`, :mod:`gdcourse.grader`: exercise feedback and grading.
"""

from . import data, descent, linear, logistic
from .descent import History, gradient_descent

__version__ = "0.1.0"

__all__ = ["data", "descent", "linear", "logistic", "History", "gradient_descent", "__version__"]
