"""Solvers to call from inside numba-compiled code.

Every ``minimize`` method is here as a function a ``@numba.njit`` function can
call, running the same compiled driver as ``fastopt.minimize`` (same iterates,
same defaults).  The objective is a numba-compiled ``fg(x) -> (f, g)``: value
and gradient, ``x`` and ``g`` 1-D float64 arrays.  Each solver returns a
``Result`` named tuple ``(x, fun, jac, nit, nfev, njev, status)``; the run
succeeded when ``status`` is ``SUCCESS`` or ``FTOL`` (see ``succeeded``).

The drivers behind these functions are compiled once and cached on disk; a
user function that calls them compiles only a thin wrapper around them, in
well under a second.  numba cannot cache a function that passes a compiled
function on as a value (it stores the callee's address), so a
``cache=True`` function calling these solvers is compiled again in each
process, with a ``NumbaWarning`` saying so.  They allocate their own work
arrays and touch no global state, so they can run concurrently, e.g. one
solve per iteration of a ``numba.prange`` loop.

Examples
--------
Fit 1,000 shifted Rosenbrock problems in parallel:

>>> import numpy as np
>>> import numba
>>> from fastopt import compiled
>>> @numba.njit
... def rosen(x):
...     a = x[1] - x[0] ** 2
...     g = np.array([-400.0 * x[0] * a - 2.0 * (1.0 - x[0]), 200.0 * a])
...     return 100.0 * a * a + (1.0 - x[0]) ** 2, g
>>> @numba.njit(parallel=True)
... def solve_all(starts):
...     out = np.empty_like(starts)
...     ok = np.empty(starts.shape[0], dtype=np.bool_)
...     for i in numba.prange(starts.shape[0]):
...         res = compiled.lbfgs(rosen, starts[i].copy())
...         out[i] = res.x
...         ok[i] = compiled.succeeded(res.status)
...     return out, ok
>>> starts = np.random.default_rng(0).uniform(-2, 2, size=(1000, 2))
>>> x, ok = solve_all(starts)
>>> bool(ok.all()), bool(np.allclose(x, 1.0, atol=1e-3))
(True, True)
"""
from collections import namedtuple

import numpy as np
from numba import njit

from ._kernels import steps
from ._kernels._jit import KERNEL_OPTIONS
from ._kernels.codes import BFGS, HESS_DENSE, HESS_FD, HESS_PRODUCT, LBFGS, NEWTON, NEWTON_CG
from ._kernels.curvature_driver import run as _run_curvature
from ._kernels.curvature_driver import unused_hess, unused_hessp
from ._kernels.driver import MODE_FG, run_compiled as _run_first_order
from ._kernels.driver import unused_f, unused_g
from ._result import Status

__all__ = ["Result", "succeeded", "SUCCESS", "MAXITER", "NONFINITE", "LINESEARCH", "FTOL",
           "bfgs", "lbfgs", "newton", "newton_cg", "gd", "momentum", "nesterov", "adagrad",
           "rmsprop", "adadelta", "adam", "adamax", "nadam", "amsgrad"]

#: What every solver here returns.
Result = namedtuple("Result", ["x", "fun", "jac", "nit", "nfev", "njev", "status"])

SUCCESS = int(Status.SUCCESS)
MAXITER = int(Status.MAXITER)
NONFINITE = int(Status.NONFINITE)
LINESEARCH = int(Status.LINESEARCH)
FTOL = int(Status.FTOL)
_FTOL_DEFAULT = 1e7 * np.finfo(np.float64).eps
# Not cached: each solver is specialised for the user's objective, whose
# address numba embeds as a constant, which its cache cannot store.
_OPTIONS = {k: v for k, v in KERNEL_OPTIONS.items() if k != "cache"}


@njit(**_OPTIONS)
def succeeded(status):
    """True for the statuses ``fastopt.minimize`` reports as success."""
    return status == SUCCESS or status == FTOL


@njit(**_OPTIONS)
def _curvature(fg, hess, hessp, hess_mode, kind, x0, gtol, ftol, c1, c2, maxls,
               maxiter, maxcor):
    if maxiter < 0:
        maxiter = 200 * x0.size
    params = np.array([gtol, ftol, c1, c2, float(maxls)])
    out = _run_curvature(fg, unused_f, unused_g, hess, hessp, MODE_FG, hess_mode,
                         kind, np.ascontiguousarray(x0), params, maxiter, maxcor)
    counts = out[4]
    return Result(out[0], out[1], out[2], out[3], counts[0], counts[1], out[5])


@njit(**_OPTIONS)
def bfgs(fg, x0, gtol=1e-7, maxiter=-1, c1=1e-4, c2=0.9, maxls=20):
    """BFGS with a strong-Wolfe line search (``minimize(method='bfgs')``).

    ``maxiter=-1`` means ``200 * len(x0)``.
    """
    return _curvature(fg, unused_hess, unused_hessp, HESS_FD, BFGS, x0, gtol, 0.0,
                      c1, c2, maxls, maxiter, 1)


@njit(**_OPTIONS)
def lbfgs(fg, x0, maxcor=10, gtol=1e-5, ftol=_FTOL_DEFAULT, maxiter=15000, c1=1e-4,
          c2=0.9, maxls=20):
    """L-BFGS with a strong-Wolfe line search (``minimize(method='l-bfgs')``)."""
    return _curvature(fg, unused_hess, unused_hessp, HESS_FD, LBFGS, x0, gtol, ftol,
                      c1, c2, maxls, maxiter, maxcor)


@njit(**_OPTIONS)
def newton(fg, hess, x0, gtol=1e-5, maxiter=-1, c1=1e-4, c2=0.9, maxls=20):
    """Damped Newton (``minimize(method='newton')``); ``hess(x)`` returns the (n, n) Hessian."""
    return _curvature(fg, hess, unused_hessp, HESS_DENSE, NEWTON, x0, gtol, 0.0,
                      c1, c2, maxls, maxiter, 1)


@njit(**_OPTIONS)
def newton_cg(fg, hessp, x0, gtol=1e-5, maxiter=-1, c1=1e-4, c2=0.9, maxls=20):
    """Newton-CG (``minimize(method='newton-cg')``); ``hessp(x, p)`` returns ``H(x) p``."""
    return _curvature(fg, unused_hess, hessp, HESS_PRODUCT, NEWTON_CG, x0, gtol, 0.0,
                      c1, c2, maxls, maxiter, 1)


@njit(**_OPTIONS)
def _first_order(fg, x0, kid, nslots, hyper, maxiter, gtol):
    line_search = hyper[0] != hyper[0]  # lr = NaN: gd's Armijo search
    out = _run_first_order(fg, unused_f, unused_g, MODE_FG, kid, np.ascontiguousarray(x0),
                           nslots, hyper, line_search, maxiter, gtol)
    return Result(*out)


# Kernel ids as plain module constants (numba freezes them; it cannot read a dict).
_GD = steps.KERNEL_IDS["gd"]
_MOMENTUM = steps.KERNEL_IDS["momentum"]
_NESTEROV = steps.KERNEL_IDS["nesterov"]
_ADAGRAD = steps.KERNEL_IDS["adagrad"]
_RMSPROP = steps.KERNEL_IDS["rmsprop"]
_ADADELTA = steps.KERNEL_IDS["adadelta"]
_ADAM = steps.KERNEL_IDS["adam"]
_ADAMAX = steps.KERNEL_IDS["adamax"]
_NADAM = steps.KERNEL_IDS["nadam"]
_AMSGRAD = steps.KERNEL_IDS["amsgrad"]


@njit(**_OPTIONS)
def gd(fg, x0, lr=np.nan, maxiter=10000, gtol=1e-5):
    """Gradient descent; ``lr=nan`` (default) takes an Armijo line search."""
    return _first_order(fg, x0, _GD, 0, np.array([lr]), maxiter, gtol)


@njit(**_OPTIONS)
def momentum(fg, x0, lr=1e-2, momentum=0.9, maxiter=10000, gtol=1e-5):
    """Heavy-ball momentum (Polyak 1964)."""
    return _first_order(fg, x0, _MOMENTUM, 1, np.array([lr, momentum]), maxiter, gtol)


@njit(**_OPTIONS)
def nesterov(fg, x0, lr=1e-2, momentum=0.9, maxiter=10000, gtol=1e-5):
    """Nesterov accelerated gradient (Sutskever et al. 2013 form)."""
    return _first_order(fg, x0, _NESTEROV, 1, np.array([lr, momentum]), maxiter, gtol)


@njit(**_OPTIONS)
def adagrad(fg, x0, lr=1e-1, eps=1e-8, maxiter=10000, gtol=1e-5):
    """AdaGrad (Duchi, Hazan and Singer 2011)."""
    return _first_order(fg, x0, _ADAGRAD, 1, np.array([lr, eps]), maxiter, gtol)


@njit(**_OPTIONS)
def rmsprop(fg, x0, lr=1e-3, beta=0.9, eps=1e-8, maxiter=10000, gtol=1e-5):
    """RMSProp (Tieleman and Hinton 2012)."""
    return _first_order(fg, x0, _RMSPROP, 1, np.array([lr, beta, eps]), maxiter, gtol)


@njit(**_OPTIONS)
def adadelta(fg, x0, lr=1.0, rho=0.95, eps=1e-6, maxiter=10000, gtol=1e-5):
    """AdaDelta (Zeiler 2012)."""
    return _first_order(fg, x0, _ADADELTA, 2, np.array([lr, rho, eps]), maxiter, gtol)


@njit(**_OPTIONS)
def adam(fg, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, maxiter=10000, gtol=1e-5):
    """Adam (Kingma and Ba 2015, Algorithm 1)."""
    hyper = np.array([lr, beta1, beta2, eps])
    return _first_order(fg, x0, _ADAM, 2, hyper, maxiter, gtol)


@njit(**_OPTIONS)
def adamax(fg, x0, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, maxiter=10000, gtol=1e-5):
    """AdaMax (Kingma and Ba 2015, Algorithm 2)."""
    hyper = np.array([lr, beta1, beta2, eps])
    return _first_order(fg, x0, _ADAMAX, 2, hyper, maxiter, gtol)


@njit(**_OPTIONS)
def nadam(fg, x0, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, maxiter=10000, gtol=1e-5):
    """Nadam (Dozat 2016)."""
    hyper = np.array([lr, beta1, beta2, eps])
    return _first_order(fg, x0, _NADAM, 2, hyper, maxiter, gtol)


@njit(**_OPTIONS)
def amsgrad(fg, x0, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, maxiter=10000, gtol=1e-5):
    """AMSGrad (Reddi, Kale and Kumar 2018)."""
    hyper = np.array([lr, beta1, beta2, eps])
    return _first_order(fg, x0, _AMSGRAD, 3, hyper, maxiter, gtol)
