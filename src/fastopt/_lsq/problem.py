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

from scipy.sparse import issparse
from scipy.sparse.linalg import LinearOperator

from .._core.fdiff import fd_columns, fd_jacobian
from .._core.twin import boundary


_NO_STEPS = np.empty(0)


def real(values, name, what="be real"):
    """``values`` unchanged, or ``ValueError`` if complex: float64 would keep
    only the real part, a different problem (scipy's error for complex x0)."""
    if np.iscomplexobj(values):
        raise ValueError(f"{name} must {what}, got complex values")
    return values


class NotDenseJacobian(ValueError):
    """``jac`` returned a sparse matrix or a ``LinearOperator``: fastopt's
    loops factor dense Jacobians (``least_squares`` hands a default-method
    call to scipy's 'trf', which takes them)."""


class Curve(NamedTuple):
    """One curve fit in compiled code: ``model(x, p) -> y`` (a numba function
    value), the data ``x, y`` and the weights ``w`` (``1 / sigma``)."""

    model: object
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray


class Residuals:
    """The user's ``fun(x, *args, **kwargs)`` and optional ``jac``, checked.

    ``eps`` is the machine epsilon of the residuals as ``fun`` returned them
    at the first call (float64's, or float32's for float32 residuals, which
    are carried on as float64 but need longer difference steps)."""

    def __init__(self, fun, jac, args, kwargs, n):
        self.fun, self.jac, self.args, self.kwargs, self.n = fun, jac, args, kwargs, n
        self.m = None
        self.eps = np.finfo(np.float64).eps

    def residuals(self, x):
        raw = real(np.asarray(self.fun(x.copy(), *self.args, **self.kwargs)), "fun",
                   "return real residuals")
        if self.m is None and raw.dtype.kind == "f" and raw.dtype.itemsize < 8:
            self.eps = max(self.eps, float(np.finfo(raw.dtype).eps))
        f = np.atleast_1d(raw.astype(np.float64, copy=False))
        if f.ndim != 1:
            raise ValueError(f"fun must return a 1-D array of residuals, got shape {f.shape}")
        if self.m is None:
            self.m = f.size
        elif f.size != self.m:
            raise ValueError(f"fun returned {f.size} residuals, earlier {self.m}")
        return f

    def jacobian(self, x, f, Jt):
        J = self.jac(x.copy(), *self.args, **self.kwargs)
        if issparse(J) or isinstance(J, LinearOperator):
            raise NotDenseJacobian(f"method='lm' works only with dense Jacobian matrices, "
                                   f"jac returned a {type(J).__name__}")
        J = np.atleast_2d(np.asarray(real(np.asarray(J), "jac", "return a real array"),
                                     dtype=np.float64))  # (n,) for m = 1, as scipy
        if J.shape != (f.size, self.n):
            raise ValueError(f"jac returned shape {J.shape}, expected ({f.size}, {self.n})")
        Jt[:, :] = J.T


class DifferencedResiduals(Residuals):
    """Low-precision (float32) residuals with their Jacobian differenced here.

    Steps ``r sign(x_j) max(1, |x_j|)`` with ``r`` from the residuals' own
    epsilon (``sqrt``, or the cube root for central differences), scipy's
    rule: MINPACK's relative step ``r |x_j|`` on a parameter well below 1 is
    so short that float32 rounding swamps the difference, and the fit then
    settles where the *erroneous* Jacobian is orthogonal to the residuals.
    ``calls`` counts the evaluations (``least_squares`` adds them to nfev).
    """

    def __init__(self, plain, central):
        super().__init__(plain.fun, None, plain.args, plain.kwargs, plain.n)
        self.m, self.eps, self.central = plain.m, plain.eps, central
        self.rel = plain.eps ** (1.0 / 3.0 if central else 0.5)
        self.calls = 0
        self.jac = self.jacobian  # for has_jacobian: no fd_jacobian on top

    def jacobian(self, x, f, Jt):
        Jt[:, :] = fd_columns(self.residuals, x, f, self.central, _NO_STEPS, self.rel).T
        self.calls += (2 if self.central else 1) * self.n


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
