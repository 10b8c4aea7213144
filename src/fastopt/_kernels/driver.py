"""The compiled driver: the whole first-order iteration loop in nopython mode.

The objective arrives as numba first-class function values
(``numba.types.FunctionType``) with fixed signatures, so this module compiles
once, is cached on disk, and is reused by every later process and every user
function: a new objective costs no compilation of the solver.

The loop mirrors ``fastopt._drivers.run_python`` statement for statement (same
kernels, same order, same arithmetic), so both give the same iterates.
"""
import numpy as np
from numba import njit, types

from ._jit import KERNEL_OPTIONS
from . import linesearch as ls
from .fnptr import function_value
from .steps import apply_step, inf_norm, sq_norm

vector = types.Array(types.float64, 1, "C")
#: fun(x) -> (f, g), used with ``jac=True``.
FG_SIG = types.Tuple((types.float64, vector))(vector)
#: fun(x) -> f
F_SIG = types.float64(vector)
#: jac(x) -> g
G_SIG = vector(vector)

#: How the objective is given: ``jac=True``; separate ``jac``; forward or
#: central finite differences of ``fun``.
MODE_FG, MODE_F_G, MODE_FD2, MODE_FD3 = 0, 1, 2, 3

# Status codes, equal to fastopt._result.Status (kept numeric here: numba).
SUCCESS, MAXITER, NONFINITE, LINESEARCH = 0, 1, 2, 3
_EPS = np.finfo(np.float64).eps
_REL2 = _EPS ** 0.5
_REL3 = _EPS ** (1.0 / 3.0)


@njit(F_SIG, **KERNEL_OPTIONS)
def unused_f(x):
    """Placeholder for a function argument the chosen mode never calls."""
    return np.nan


@njit(G_SIG, **KERNEL_OPTIONS)
def unused_g(x):
    """Placeholder for a function argument the chosen mode never calls."""
    return x


@njit(FG_SIG, **KERNEL_OPTIONS)
def unused_fg(x):
    """Placeholder for a function argument the chosen mode never calls."""
    return np.nan, x


@njit(**KERNEL_OPTIONS)
def _fd_gradient(fun, x, f0, central, out):
    """Finite differences of ``fun`` at ``x``; the same steps as ``_fdiff.fd_steps``."""
    rel = _REL3 if central else _REL2
    for i in range(x.size):
        sign = 1.0 if x[i] >= 0 else -1.0
        h = rel * sign * max(1.0, abs(x[i]))
        h = (x[i] + h) - x[i]
        xp = x.copy()
        xp[i] = x[i] + h
        fp = fun(xp)
        if central:
            xm = x.copy()
            xm[i] = x[i] - h
            out[i] = (fp - fun(xm)) / (2.0 * h)
        else:
            out[i] = (fp - f0) / h
    return (2 if central else 1) * x.size


@njit(**KERNEL_OPTIONS)
def _checked(g, n):
    if g.size != n:
        raise ValueError("the gradient returned by the objective has the wrong length")
    return g


@njit(**KERNEL_OPTIONS)
def _value(fg, fun, mode, x, counts):
    """f(x), plus g(x) when it comes for free (mode MODE_FG); counts[0] += calls."""
    counts[0] += 1
    if mode == MODE_FG:
        counts[1] += 1
        f, g = fg(x)
        return f, _checked(g, x.size), True
    return fun(x), x, False


@njit(**KERNEL_OPTIONS)
def _grad(fun, jac, mode, x, f, counts):
    """g(x) given f = f(x), for the modes where ``_value`` did not give it."""
    counts[1] += 1
    if mode == MODE_F_G:
        return _checked(jac(x), x.size)
    g = np.empty(x.size)
    counts[0] += _fd_gradient(fun, x, f, mode == MODE_FD3, g)
    return g


@njit(**KERNEL_OPTIONS)
def _value_and_grad(fg, fun, jac, mode, x, counts):
    f, g, have_g = _value(fg, fun, mode, x, counts)
    if not have_g:
        g = _grad(fun, jac, mode, x, f, counts)
    return f, g


RESULT = types.Tuple((vector, types.float64, vector, types.int64, types.int64,
                      types.int64, types.int64))
SIGNATURE = RESULT(types.FunctionType(FG_SIG), types.FunctionType(F_SIG),
                   types.FunctionType(G_SIG), types.int64, types.int64, vector,
                   types.int64, vector, types.boolean, types.int64, types.float64)


@njit(SIGNATURE, **KERNEL_OPTIONS)
def run_compiled(fg, fun, jac, mode, kid, x0, nslots, hyper, line_search, maxiter, gtol):
    """Iterate one first-order method on a compiled objective.

    Parameters are those of ``fastopt._drivers.run_python`` with the objective
    given as (fg, fun, jac, mode) instead of an ``Objective``.

    Returns
    -------
    (x, f, g, nit, nfev, njev, status)
    """
    n = x0.size
    x = x0.copy()
    trial = np.empty(n)
    state = np.zeros((nslots, n))
    powers = np.ones(2)  # running beta1^t, beta2^t (see steps.py)
    hyper = hyper.copy()
    counts = np.zeros(2, dtype=np.int64)
    f, g = _value_and_grad(fg, fun, jac, mode, x, counts)
    gmax = inf_norm(g)
    nit = 0
    alpha = 0.0
    status = -1
    if not (np.isfinite(f) and np.isfinite(gmax)):
        status = NONFINITE
    while status < 0:
        if gmax <= gtol:
            status = SUCCESS
            break
        if nit >= maxiter:
            status = MAXITER
            break
        if line_search:
            gg = sq_norm(g)
            alpha = ls.first_trial_step(nit, alpha, gg)
            accepted = False
            for _ in range(ls.MAX_BACKTRACKS):
                hyper[0] = alpha
                apply_step(kid, x, trial, g, state, hyper, powers)
                f_new, g_new, have_g = _value(fg, fun, mode, trial, counts)
                if ls.armijo_ok(f_new, f, alpha, gg):
                    accepted = True
                    break
                alpha *= ls.SHRINK
            if not accepted:
                status = LINESEARCH
                break
            if not have_g:
                g_new = _grad(fun, jac, mode, trial, f_new, counts)
        else:
            apply_step(kid, x, trial, g, state, hyper, powers)
            f_new, g_new = _value_and_grad(fg, fun, jac, mode, trial, counts)
        gmax_new = inf_norm(g_new)
        if not (np.isfinite(f_new) and np.isfinite(gmax_new)):
            status = NONFINITE
            break
        x, trial = trial, x
        f = f_new
        g = g_new
        gmax = gmax_new
        nit += 1
    return x, f, g, nit, counts[0], counts[1], status


FG_TYPE = types.FunctionType(FG_SIG)
F_TYPE = types.FunctionType(F_SIG)
G_TYPE = types.FunctionType(G_SIG)
#: int64 array of (c_addr, jit_addr) pairs: fg, fun, jac (see ``fastopt._jitted``).
ADDRESSES = types.Array(types.int64, 1, "C")


@njit(RESULT(ADDRESSES, types.int64, types.int64, vector, types.int64, vector, types.boolean,
             types.int64, types.float64), **KERNEL_OPTIONS)
def run_compiled_at(addresses, mode, kid, x0, nslots, hyper, line_search, maxiter, gtol):
    """``run_compiled`` with the objective given by addresses: the entry for Python callers."""
    fg = function_value(addresses[0], addresses[1], FG_TYPE)
    fun = function_value(addresses[2], addresses[3], F_TYPE)
    jac = function_value(addresses[4], addresses[5], G_TYPE)
    return run_compiled(fg, fun, jac, mode, kid, x0, nslots, hyper, line_search, maxiter, gtol)
