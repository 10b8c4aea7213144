"""Reference problems: the test surfaces of the lecture notes.

Shared by the tests, the demo (``python -m fastopt``) and the benchmarks.  Each
objective returns ``(f, g)`` (use ``jac=True``) and comes twice: as a plain
Python function and compiled with numba (``fg_jit``), the two giving identical
values.

* quadratic bowl: ``f = sum_i c_i x_i^2 / 2`` with curvatures ``c = (1, 10)``;
  minimum 0 at the origin.
* Rosenbrock (1960): ``f = 100 (y - x^2)^2 + (1 - x)^2``; minimum 0 at (1, 1);
  standard start (-1.2, 1).
* Himmelblau (1972): ``f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2``; four minima
  with value 0, at (3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186) and
  (3.584428, -1.848126).
"""
from dataclasses import dataclass

import numpy as np

from ._kernels._jit import kernel


def _bowl(x):
    c = np.array([1.0, 10.0])
    g = c * x
    return 0.5 * np.dot(g, x), g


def _rosenbrock(x):
    a = x[1] - x[0] * x[0]
    g = np.empty(2)
    g[0] = -400.0 * x[0] * a - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * a
    return 100.0 * a * a + (1.0 - x[0]) ** 2, g


def _himmelblau(x):
    a = x[0] * x[0] + x[1] - 11.0
    b = x[0] + x[1] * x[1] - 7.0
    g = np.empty(2)
    g[0] = 4.0 * a * x[0] + 2.0 * b
    g[1] = 2.0 * a + 4.0 * b * x[1]
    return a * a + b * b, g


@dataclass(frozen=True)
class Problem:
    """A test surface with its start and known minima."""

    name: str
    fg: object
    fg_jit: object
    x0: tuple
    minima: tuple
    fmin: float = 0.0

    def nearest_minimum(self, x):
        """The known minimum closest to ``x``."""
        m = np.array(self.minima)
        return m[np.argmin(np.linalg.norm(m - np.asarray(x), axis=1))]


PROBLEMS = {p.name: p for p in [
    Problem("bowl", _bowl, kernel(_bowl), (1.0, 1.0), ((0.0, 0.0),)),
    Problem("rosenbrock", _rosenbrock, kernel(_rosenbrock), (-1.2, 1.0), ((1.0, 1.0),)),
    Problem("himmelblau", _himmelblau, kernel(_himmelblau), (0.0, 0.0),
            ((3.0, 2.0), (-2.805118086952745, 3.131312518250573),
             (-3.779310253377747, -3.283185991286170),
             (3.584428340330492, -1.848126526964404))),
]}

#: Per-method options that reach gtol = 1e-5 on the surfaces above (found by a
#: sweep over lr and the decay rates; used by the demo, the tests and the
#: benchmarks).  RMSProp needs a long memory (beta = 0.9999): with beta <= 0.999
#: its step g / rms(g) stays of size ~lr and it circles the minimum.  AdaDelta
#: reaches gtol on the bowl and Himmelblau but not on Rosenbrock from (-1.2, 1):
#: over lr in [0.01, 3], rho in [0.9, 0.999], eps in [1e-6, 0.1] it either crawls
#: along the valley or runs off along it.
TUNED_OPTIONS = {
    "gd": {},
    "momentum": {"lr": 1e-3},
    "nesterov": {"lr": 1e-3},
    "adagrad": {"lr": 0.3},
    "rmsprop": {"lr": 1e-3, "beta": 0.9999},
    "adadelta": {"lr": 3.0},
    "adam": {"lr": 0.1},
    "adamax": {"lr": 0.1},
    "nadam": {"lr": 0.03},
    "amsgrad": {"lr": 0.1},
}
