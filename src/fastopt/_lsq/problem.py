"""The residuals and Jacobian as the least-squares loops see them.

* From Python: a ``Residuals`` object (the user's ``fun`` and ``jac``,
  float64 vectors of one length, counted).
* Compiled (``curve_fit_batch``, ``curve_fit`` with a numba model): a
  ``Curve`` named tuple, residuals ``w (model(x, p) - y)``, Jacobian by
  finite differences.

``evaluate``, ``has_jacobian`` and ``update_jacobian`` are the boundary
functions: a Python body for the one, a compiled body for the other.
"""
from typing import NamedTuple

import numpy as np

from .._core.fdiff import fd_jacobian
from .._core.twin import boundary


class Curve(NamedTuple):
    """One curve fit in compiled code: ``model(x, p) -> y`` (a numba function
    value), the data ``x, y`` and the weights ``w`` (``1 / sigma``)."""

    model: object
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray


class Residuals:
    """The user's ``fun(x, *args, **kwargs)`` and optional ``jac``, checked."""

    def __init__(self, fun, jac, args, kwargs, n):
        self.fun, self.jac, self.args, self.kwargs, self.n = fun, jac, args, kwargs, n
        self.m = None

    def residuals(self, x):
        f = np.atleast_1d(np.asarray(self.fun(x.copy(), *self.args, **self.kwargs),
                                     dtype=np.float64))
        if f.ndim != 1:
            raise ValueError(f"fun must return a 1-D array of residuals, got shape {f.shape}")
        if self.m is None:
            self.m = f.size
        elif f.size != self.m:
            raise ValueError(f"fun returned {f.size} residuals, earlier {self.m}")
        return f

    def jacobian(self, x, f, Jt):
        J = np.asarray(self.jac(x.copy(), *self.args, **self.kwargs), dtype=np.float64)
        if J.shape != (f.size, self.n):
            raise ValueError(f"jac returned shape {J.shape}, expected ({f.size}, {self.n})")
        Jt[:, :] = J.T


def _evaluate_compiled(problem, x, counts):
    counts[0] += 1
    y = problem.model(problem.x, x)
    if y.size != problem.y.size:
        raise ValueError("the model returned an array of another length than ydata")
    r = np.empty(problem.y.size)  # one pass, one array (not two temporaries)
    for i in range(problem.y.size):
        r[i] = (y[i] - problem.y[i]) * problem.w[i]
    return r


@boundary(_evaluate_compiled)
def evaluate(problem, x, counts):
    """The residuals at ``x``; ``counts[0]`` (nfev) kept up to date."""
    counts[0] += 1
    return problem.residuals(x)


def _has_jacobian_compiled(problem):
    return False


@boundary(_has_jacobian_compiled)
def has_jacobian(problem):
    """Whether the problem supplies its Jacobian (else finite differences)."""
    return problem.jac is not None


def _update_jacobian_compiled(problem, x, f, Jt, fd_step, counts):
    fd_jacobian(evaluate, problem, x, f, Jt, fd_step, counts)
    counts[1] += 1


@boundary(_update_jacobian_compiled)
def update_jacobian(problem, x, f, Jt, fd_step, counts):
    """``Jt`` (the transposed Jacobian, (n, m)) at ``x``: the problem's own,
    or finite differences with ``fd_step`` (``fdiff.fd_jacobian``);
    ``counts[1]`` (njev) counts it."""
    if problem.jac is not None:
        problem.jacobian(x, f, Jt)
    else:
        fd_jacobian(evaluate, problem, x, f, Jt, fd_step, counts)
    counts[1] += 1
