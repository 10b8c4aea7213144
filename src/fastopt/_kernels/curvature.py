"""The iteration loop of the curvature methods: bfgs, l-bfgs, newton, and gd
with a strong-Wolfe line search.

Each iteration takes a search direction ``d`` (``-g``, ``-H g`` from the BFGS
or L-BFGS matrix, or a damped or truncated Newton step), runs the More-Thuente
line search along it (``wolfe.py``) and updates the curvature information.

``solve`` is written once and lives twice (see ``twin.py``): called from
Python with a ``fastopt._objective.Objective`` it is the Python driver, with
callbacks and ``disp``; compiled (``curvature_driver.run``) with the objective
as numba function values it is the compiled driver, and the solver exposed by
``fastopt.compiled``.  Both take the same steps through the same kernels.

References: Nocedal and Wright (2006), Numerical Optimization: Alg. 6.1 (BFGS),
Alg. 7.4-7.5 (L-BFGS), Alg. 3.3 (Cholesky with added multiple of the
identity), Alg. 7.1 (line-search Newton-CG), eq. (3.60) (initial step of
steepest descent); More and Thuente (1994) for the line search.
"""
import math

import numpy as np

from . import bfgs, lbfgs, newton, wolfe
from ._jit import REASSOC, kernel
from .codes import BFGS, HESS_DENSE, HESS_PRODUCT, LBFGS, NEWTON, NEWTON_CG, STEEPEST
from .driver import _value_and_grad
from .steps import PARALLEL_MIN_SIZE, inf_norm
from .twin import boundary, twin

# Status codes, equal to fastopt._result.Status (kept numeric here: numba).
SUCCESS, MAXITER, NONFINITE, LINESEARCH, FTOL = 0, 1, 2, 3, 4
CALLBACK = 99
#: Slots of the float parameter array ``params``.
GTOL, FTOL_, C1, C2, MAXLS, NPARAMS = 0, 1, 2, 3, 4, 5

_SQRT_EPS = math.sqrt(np.finfo(np.float64).eps)


# --- vector kernels ------------------------------------------------------------
# The O(n) passes of the loop (and the L-BFGS recursion) run serially on both
# drivers, at every size.  They are bound by memory bandwidth: numba's threads
# bought at most 1.7x on an idle machine, and lost 2x when the objective called
# a threaded BLAS just before, whose spinning workers then share the cores
# (``benchmarks/bench_quasi_newton.py``, n = 1e6: 45-53 ns per element per
# iteration threaded, 20-23 serial).  Only the O(n^2) bfgs kernels thread.

@kernel
def axpy_to(out, x, a, d):
    """``out = x + a d``."""
    for i in range(x.size):
        out[i] = x[i] + a * d[i]


@kernel(fastmath=REASSOC)
def slope_and_inf_norm(g, d):
    """``(g . d, max |g_i|)`` in one pass; the norm is NaN if any ``g_i`` is."""
    slope = 0.0
    gmax = 0.0
    nans = 0
    for i in range(g.size):
        slope += g[i] * d[i]
        a = abs(g[i])
        gmax = max(gmax, a)
        nans += a != a
    return slope, (np.nan if nans else gmax)


dot = lbfgs.dot
two_loop = lbfgs.direction
push_pair = lbfgs.push_pair


# --- boundary functions: Python bodies here, compiled bodies beside them ------
# From Python, the bfgs kernels take their threaded build for large n;
# compiled code always takes the serial one (see steps.select for why).

def _matvec_compiled(H, v, out):
    bfgs.matvec(H, v, out)


@boundary(_matvec_compiled)
def matvec(H, v, out):
    """``out = H v``."""
    (bfgs.matvec_parallel if H.size >= PARALLEL_MIN_SIZE else bfgs.matvec)(H, v, out)


def _rank_two_compiled(H, s, u, a, b):
    bfgs.rank_two(H, s, u, a, b)


@boundary(_rank_two_compiled)
def rank_two(H, s, u, a, b):
    """``H += a s s^T - b (u s^T + s u^T)``."""
    (bfgs.rank_two_parallel if H.size >= PARALLEL_MIN_SIZE else bfgs.rank_two)(H, s, u, a, b)


def _evaluate_compiled(obj, x, counts):
    fg, fun, jac, hess, hessp, mode, hess_mode = obj
    return _value_and_grad(fg, fun, jac, mode, x, counts)


@boundary(_evaluate_compiled)
def evaluate(obj, x, counts):
    """``(f(x), g(x))``; ``counts`` = (nfev, njev, nhev) kept up to date."""
    f, g = obj.value_and_grad(x)
    counts[0] = obj.nfev
    counts[1] = obj.njev
    return f, g


def _hess_mode_compiled(obj):
    return obj[6]


@boundary(_hess_mode_compiled)
def hess_mode(obj):
    """``HESS_FD``, ``HESS_DENSE`` (a ``hess`` function) or ``HESS_PRODUCT`` (``hessp``)."""
    return obj.hess_mode


def _hessian_compiled(obj, x, H, counts):
    counts[2] += 1
    out = obj[3](x)
    if out.shape[0] != x.size or out.shape[1] != x.size:
        raise ValueError("hess returned an array of the wrong shape")
    H[:, :] = out


@boundary(_hessian_compiled)
def hessian(obj, x, H, counts):
    """``H = hess(x)``."""
    H[:, :] = obj.hess(x)
    counts[2] = obj.nhev


def _hessp_compiled(obj, x, p, counts):
    counts[2] += 1
    out = obj[4](x, p)
    if out.size != x.size:
        raise ValueError("hessp returned a vector of the wrong length")
    return out


@boundary(_hessp_compiled)
def hessp(obj, x, p, counts):
    """``hessp(x, p)``."""
    out = obj.hessp(x, p)
    counts[2] = obj.nhev
    return out


def _report_compiled(reporter, nit, x, f, gmax, counts):
    return False


@boundary(_report_compiled)
def report(reporter, nit, x, f, gmax, counts):
    """Callback and ``disp`` row after iteration ``nit``; True asks to stop."""
    return reporter is not None and reporter(nit, x, f, gmax, counts)


# --- second derivatives for newton --------------------------------------------

@twin
def fd_hessian(obj, x, g, H, counts):
    """Forward differences of the gradient, symmetrised (``g = g(x)``)."""
    xp = x.copy()
    for j in range(x.size):
        h = _SQRT_EPS * max(1.0, abs(x[j]))
        if x[j] < 0.0:
            h = -h
        xp[j] = x[j] + h
        h = xp[j] - x[j]
        _, gp = evaluate(obj, xp, counts)
        H[:, j] = (gp - g) / h
        xp[j] = x[j]
    H[:, :] = 0.5 * (H + H.T)


@twin
def fd_hessp(obj, x, g, p, counts):
    """``(g(x + h p) - g(x)) / h``.

    ``h`` moves no coordinate by more than ``sqrt(eps) max(1, |x_i|)``, the
    step ``fd_hessian`` takes along each axis: a step scaled by the norms of
    ``x`` and ``p`` alone is far too long for the small coordinates of a
    badly scaled problem (MGH's Meyer).
    """
    ratio = 0.0
    for i in range(x.size):
        ratio = max(ratio, abs(p[i]) / max(1.0, abs(x[i])))
    h = _SQRT_EPS / ratio
    _, gp = evaluate(obj, x + h * p, counts)
    return (gp - g) / h


@twin
def newton_cg_direction(obj, x, g, d, counts):
    """Truncated conjugate gradients on ``H d = -g`` (N&W Algorithm 7.1).

    Stops at the residual ``min(0.5, sqrt|g|) |g|`` or at the first direction
    of non-positive curvature; ``d = -g`` if that is the very first one.
    """
    n = x.size
    gnorm = math.sqrt(dot(g, g))
    tol = min(0.5, math.sqrt(gnorm)) * gnorm
    d[:] = 0.0
    r = g.copy()
    p = -g
    rr = dot(r, r)
    use_hessp = hess_mode(obj) == HESS_PRODUCT
    for j in range(20 * n):
        if use_hessp:
            Bp = hessp(obj, x, p, counts)
        else:
            Bp = fd_hessp(obj, x, g, p, counts)
        curvature = dot(p, Bp)
        if not curvature > 0.0:
            if j == 0:
                d[:] = -g
            return
        a = rr / curvature
        d += a * p
        r += a * Bp
        rr_new = dot(r, r)
        if math.sqrt(rr_new) <= tol:
            return
        p = (rr_new / rr) * p - r
        rr = rr_new


# --- the loop -----------------------------------------------------------------

@twin
def solve(obj, kind, x0, params, maxiter, maxcor, reporter):
    """Minimize from ``x0`` with direction rule ``kind``.

    Parameters
    ----------
    obj
        The objective: an ``Objective`` (Python) or the tuple
        ``(fg, fun, jac, hess, hessp, mode, hess_mode)`` (compiled).
    kind : int
        ``STEEPEST``, ``BFGS``, ``LBFGS``, ``NEWTON`` or ``NEWTON_CG``.
    x0 : float64[::1]
    params : float64[::1]
        ``(gtol, ftol, c1, c2, maxls)``; ``ftol = 0`` turns off the test on
        the relative reduction of ``f``.
    maxiter, maxcor : int
    reporter
        Callback object of the Python driver (``None`` when compiled).

    Returns
    -------
    x, f, g, nit, counts, status, S, Y, rho, head, count, gamma, H
        ``counts`` is (nfev, njev, nhev); the rest is the curvature
        information (L-BFGS history, BFGS inverse Hessian) for ``hess_inv``.
    """
    gtol = params[GTOL]
    ftol = params[FTOL_]
    c1 = params[C1]
    c2 = params[C2]
    maxls = params[MAXLS]
    n = x0.size
    m = maxcor if kind == LBFGS else 0
    nh = n if kind == BFGS or kind == NEWTON else 0
    nl = n if kind == NEWTON else 0
    nv = n if kind == BFGS else 0
    S = np.zeros((m, n))
    Y = np.zeros((m, n))
    rho = np.zeros(m)
    alpha = np.zeros(m)
    H = np.zeros((nh, nh))
    L = np.zeros((nl, nl))
    s = np.zeros(nv)
    y = np.zeros(nv)
    Hg = np.zeros(nv)
    ws = np.zeros(wolfe.WS_SIZE)
    counts = np.zeros(3, dtype=np.int64)
    x = x0.copy()
    trial = np.empty(n)
    d = np.zeros(n)
    f, g = evaluate(obj, x, counts)
    gmax = inf_norm(g)
    head = 0
    count = 0
    gamma = 1.0
    nit = 0
    f_prev = f
    status = -1
    fresh = True  # no curvature information yet: at the start and after a restart
    restart = False  # the last line search failed: take one steepest-descent step
    if not (math.isfinite(f) and math.isfinite(gmax)):
        status = NONFINITE
    while status < 0:
        if gmax <= gtol:
            status = SUCCESS
            break
        if nit >= maxiter:
            status = MAXITER
            break

        if kind == BFGS and fresh:
            bfgs.set_identity(H, 1.0)
        if restart or kind == STEEPEST or (kind == BFGS and fresh):
            d[:] = -g
            dg = -dot(g, g)
        elif kind == LBFGS:
            dg = two_loop(g, S, Y, rho, alpha, head, count, gamma, d)
        else:
            if kind == NEWTON:
                if hess_mode(obj) == HESS_DENSE:
                    hessian(obj, x, H, counts)
                else:
                    fd_hessian(obj, x, g, H, counts)
                if newton.damped_newton_direction(H, g, L, d) < 0.0:
                    status = NONFINITE
                    break
            elif kind == NEWTON_CG:
                newton_cg_direction(obj, x, g, d, counts)
            # bfgs: d = -H g was left by the last update
            dg = dot(g, d)
        if not dg < 0.0:
            # Rounding has spoiled the curvature information: start afresh
            # from steepest descent.
            d[:] = -g
            dg = -dot(g, g)
            fresh = True
            count = 0
            gamma = 1.0
            if kind == BFGS:
                bfgs.set_identity(H, 1.0)

        if restart or (fresh and kind != NEWTON and kind != NEWTON_CG):
            stp = 1.0 / math.sqrt(-dg if kind == STEEPEST else dot(d, d))
        elif kind == STEEPEST:
            stp = 2.0 * (f - f_prev) / dg  # N&W (3.60)
        else:
            stp = 1.0  # the quasi-Newton and Newton steps are scaled

        stp = wolfe.start(ws, f, dg, stp, c1, c2, maxls)
        while True:
            axpy_to(trial, x, stp, d)
            f_new, g_new = evaluate(obj, trial, counts)
            slope, gmax_new = slope_and_inf_norm(g_new, d)
            task = wolfe.next_step(ws, f_new, slope)
            if task != wolfe.EVALUATE:
                break
            stp = ws[wolfe.STP]
        accepted = task == wolfe.CONVERGED or (
            task != wolfe.WARN_NONFINITE and f_new < f and f_new <= f + c1 * stp * dg)
        if not (accepted and math.isfinite(gmax_new)):
            if restart or kind == STEEPEST:
                status = LINESEARCH
                break
            # Forget the curvature information and retry along -g.
            fresh = True
            restart = True
            count = 0
            gamma = 1.0
            continue

        if kind == LBFGS:
            head, count, new_gamma = push_pair(S, Y, rho, head, count, trial, x, g_new, g)
            if new_gamma == new_gamma:
                gamma = new_gamma
        elif kind == BFGS:
            sy, yy, usable = lbfgs.curvature_pair(trial, x, g_new, g, s, y)
            if fresh and usable:
                # Scale H0 before the first update (N&W eq. 6.20); d = -H0 g stays true.
                bfgs.set_identity(H, sy / yy)
                d *= sy / yy
            matvec(H, g_new, Hg)
            if usable:
                a, b = bfgs.finish_update(s, y, g_new, Hg, d, sy)
                rank_two(H, s, Hg, a, b)
            else:
                d[:] = -Hg
        f_prev = f
        x, trial = trial, x
        f = f_new
        g = g_new
        gmax = gmax_new
        nit += 1
        fresh = False
        restart = False
        if gmax > gtol and ftol > 0.0 and f_prev - f <= ftol * max(abs(f_prev), abs(f), 1.0):
            status = FTOL
        if report(reporter, nit, x, f, gmax, counts):
            status = CALLBACK
    return x, f, g, nit, counts, status, S, Y, rho, head, count, gamma, H
