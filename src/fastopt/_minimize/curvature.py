"""The loop of the curvature methods: bfgs, l-bfgs, newton, newton-cg, and gd
with a strong-Wolfe line search (steepest descent).

Each iteration takes a search direction ``d`` from the method's rule
(``directions.py``), runs the More-Thuente line search along it
(``kernels/wolfe.py``) and lets the rule learn from the accepted step.

``solve`` is written once and lives twice (``_core/twin.py``): called from
Python with an ``objective.Objective`` it is the Python driver, with
callbacks and ``disp``; compiled (``run``, ``run_at``) with the objective as
numba function values it is the compiled driver, and the solver behind
``fastopt.compiled``.  Both take the same steps through the same kernels.

References: Nocedal and Wright (2006), Numerical Optimization, Chapters 3,
6 and 7; More and Thuente (1994) for the line search.
"""
import math
import warnings
from typing import NamedTuple

import numpy as np
import numba
from numba import types
from numba.core.errors import NumbaExperimentalFeatureWarning

from .._core import codes
from .._core.fnptr import ADDRESSES, VECTOR, function_value
from .._core.jit import KERNEL_OPTIONS
from .._core.twin import twin
from .._core.vector import axpy_to, dot, slope_and_inf_norm, vector_norm
from . import directions
from .directions import Memory
from .kernels import wolfe
from .objective import (F_TYPE, FG_TYPE, G_TYPE, HESS_TYPE, HESSP_TYPE, Compiled, evaluate,
                        sharpen, start, too_coarse)


class Options(NamedTuple):
    """The loop's settings.  ``ftol = 0`` turns off the test on the relative
    reduction of ``f``; ``maxcor`` is l-bfgs's number of stored pairs;
    ``xtol > 0`` stops on a small step (``directions.small_step``); ``norm``
    is the order of the gradient norm ``gtol`` bounds (scipy BFGS's);
    ``maxfun >= 0`` limits the evaluations (checked after each iteration, as
    L-BFGS-B does); ``h0``: the memory holds a given inverse Hessian (BFGS's
    ``hess_inv0``), used as it is from the first step; ``hstep > 0``: the
    step along ``p`` differencing the gradient for Newton-CG's ``H p``
    (scipy's ``eps``; 0: ``fdiff.fd_hessp``'s own); ``gtol_rounding``: when
    no step decreases ``f`` any more, a gradient norm at most this ends the
    run as a success (``ROUNDING``; 0: never), so that a default ``gtol``
    tighter than scipy's never fails where scipy's succeeds."""

    gtol: float
    ftol: float
    c1: float
    c2: float
    maxls: int
    maxiter: int
    maxcor: int
    xtol: float
    norm: float
    maxfun: int
    h0: bool
    hstep: float
    gtol_rounding: float


class Result(NamedTuple):
    """What the loop returns: the last iterate, and the counts (the curvature
    information is in the ``Memory`` the caller passed)."""

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    njev: int
    nhev: int
    status: int


@twin
def solve(obj, direction, x0, options, mem, reporter):
    """Minimize from ``x0`` with the direction rule ``direction`` (``codes.*``).

    ``obj`` is an ``Objective`` (Python) or a ``Compiled`` objective;
    ``options`` an ``Options``; ``mem`` a fresh ``directions.Memory``
    (``new_memory``), filled with what the run learns; ``reporter`` the
    Python driver's ``report.Reporter`` (None when compiled).  Returns a
    ``Result``.
    """
    gtol = options.gtol
    ftol = options.ftol
    c1 = options.c1
    n = x0.size
    work = directions.new_work(direction, n, options.maxcor)
    ws = np.zeros(wolfe.WS_SIZE)
    counts = np.zeros(3, dtype=np.int64)
    x = x0.copy()
    trial = np.empty(n)
    d = np.zeros(n)
    f, g, gmax, status = start(obj, x, counts, reporter)
    if options.h0:
        directions.redirect(direction, mem, work, g, d, False)  # d = -H0 g
    nit = 0
    f_prev = f
    # No curvature information yet (at the start, unless given, and after a restart).
    fresh = not options.h0
    restart = False  # the last line search failed: take one steepest-descent step
    while status == codes.RUNNING:
        if too_coarse(obj, gmax, gtol):
            obj, g, gmax, sharper = sharpen(obj, x, f, g, gmax, counts)
            if sharper:
                directions.redirect(direction, mem, work, g, d, fresh)
        gnorm = gmax if options.norm == math.inf else vector_norm(g, options.norm)
        if gnorm <= gtol:
            status = codes.SUCCESS
            break
        if nit >= options.maxiter:
            status = codes.MAXITER
            break
        dg, ok = directions.search_direction(direction, obj, mem, work, x, g, d, fresh,
                                             restart, counts, options.hstep)
        if not ok:
            status = codes.NONFINITE
            break
        if not dg < 0.0:
            # Rounding has spoiled the curvature information: start afresh
            # from steepest descent.
            d[:] = -g
            dg = -dot(g, g)
            fresh = True
            directions.forget(direction, mem)

        stp = directions.first_step(direction, fresh, restart, f, f_prev, dg, d)
        stp = wolfe.start(ws, f, dg, stp, c1, options.c2, options.maxls,
                          directions.max_step(direction))
        while True:
            axpy_to(trial, x, stp, d)
            if obj.mode == codes.MODE_FG:  # jac=True, called here (first_order.py says why)
                counts[0] += 1
                counts[1] += 1
                f_new, g_new = obj.fg(trial)
                if g_new.size != n:
                    raise ValueError("the gradient returned by the objective has the wrong length")
            else:
                f_new, g_new = evaluate(obj, trial, counts)
            slope, gmax_new = slope_and_inf_norm(g_new, d)
            if f_new == -math.inf:
                break
            task = wolfe.next_step(ws, f_new, slope)
            if task != wolfe.EVALUATE:
                break
            stp = ws[wolfe.STP]
        if f_new == -math.inf:
            x, f, g, gmax = trial, f_new, g_new, gmax_new
            nit += 1
            status = codes.UNBOUNDED
            break
        accepted = task == wolfe.CONVERGED or (
            task != wolfe.WARN_NONFINITE and f_new < f and f_new <= f + c1 * stp * dg)
        if not (accepted and math.isfinite(gmax_new)):
            if obj.mode == codes.MODE_FD2:
                # The forward differences are too coarse here: go on with
                # central ones, from the same point and memory.
                obj, g, gmax, sharper = sharpen(obj, x, f, g, gmax, counts)
                if sharper:
                    directions.redirect(direction, mem, work, g, d, fresh)
                    restart = False
                    continue
            if restart or direction == codes.STEEPEST:
                status = codes.ROUNDING if gnorm <= options.gtol_rounding else \
                    codes.LINESEARCH
                break
            # Retry along -g.  The curvature information is dropped only once
            # that step is taken: a run that ends here returns what it built.
            restart = True
            continue

        if restart:
            directions.forget(direction, mem)
            fresh = True
        directions.update(direction, mem, work, trial, x, g_new, g, d, fresh)
        small = options.xtol > 0.0 and directions.small_step(direction, trial, x, options.xtol)
        f_prev = f
        x, trial = trial, x
        f = f_new
        g = g_new
        gmax = gmax_new
        nit += 1
        fresh = False
        restart = False
        if gmax > gtol and ftol > 0.0 and f_prev - f <= ftol * max(abs(f_prev), abs(f), 1.0):
            status = codes.FTOL
        elif gmax > gtol and small:
            status = codes.XTOL
        elif options.maxfun >= 0 and counts[0] > options.maxfun:
            status = codes.MAXFUN
        if reporter is not None and reporter(nit, x, f, gmax, counts):
            status = codes.CALLBACK
    return Result(x, f, g, nit, counts[0], counts[1], counts[2], status)


# --- compiled entries --------------------------------------------------------------

def _run(fg, fun, jac, hess, hessp, mode, hess_mode, direction, x0, options, mem):
    # The objective is packed here rather than by the caller: typing a tuple
    # of function values on every call from Python would cost (and warn).
    return solve(Compiled(fg, fun, jac, hess, hessp, mode, hess_mode), direction, x0,
                 options, mem, None)


def _run_at(addresses, mode, hess_mode, direction, x0, options, x_out):
    fg = function_value(addresses[0], addresses[1], FG_TYPE)
    fun = function_value(addresses[2], addresses[3], F_TYPE)
    jac = function_value(addresses[4], addresses[5], G_TYPE)
    hess = function_value(addresses[6], addresses[7], HESS_TYPE)
    hessp = function_value(addresses[8], addresses[9], HESSP_TYPE)
    mem = directions.new_memory(direction, x0.size, options.maxcor)
    r = RUN(fg, fun, jac, hess, hessp, mode, hess_mode, direction, x0, options, mem)
    # One array and scalars: boxing an array for Python costs half a
    # microsecond, a small solve's whole budget is ten.  x goes to x_out.
    x_out[:] = r.x
    mem.jac[:] = r.jac
    return (mem.buffer, r.fun, r.nit, r.nfev, r.njev, r.nhev, r.status, mem.ring[0],
            mem.ring[1], mem.gamma[0])


_f64, _i64 = types.float64, types.int64
_vector = VECTOR
_matrix = types.Array(types.float64, 2, "C")
OPTIONS = types.NamedTuple((_f64, _f64, _f64, _f64, _i64, _i64, _i64, _f64, _f64, _i64,
                            types.boolean, _f64, _f64), Options)
MEMORY = types.NamedTuple((_vector, _vector, _matrix, _matrix, _vector,
                           types.Array(_i64, 1, "C"), _vector, _matrix), Memory)
RESULT = types.NamedTuple((_vector, _f64, _vector, _i64, _i64, _i64, _i64, _i64), Result)
#: What ``run_at`` returns to Python: ``Memory.buffer`` (the gradient first),
#: fun, nit, nfev, njev, nhev, status, and the L-BFGS ring's head, count, gamma.
FLAT = types.Tuple((_vector, _f64, _i64, _i64, _i64, _i64, _i64, _i64, _i64, _f64))
RUN = RUN_AT = None


def entries():
    """``(run, run_at)``: the compiled loop taking the objective as function
    values (compiled callers) or addresses (Python), compiled or loaded from
    the cache on first use (loading reads a large cache entry, which plain
    ``import fastopt`` skips)."""
    global RUN, RUN_AT
    if RUN is None:
        with warnings.catch_warnings():
            # numba flags every call through a function value as experimental;
            # the feature is what the design rests on, and the tests cover it.
            warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
            RUN = numba.njit(RESULT(FG_TYPE, F_TYPE, G_TYPE, HESS_TYPE, HESSP_TYPE, _i64, _i64,
                                    _i64, _vector, OPTIONS, MEMORY), **KERNEL_OPTIONS)(_run)
            RUN_AT = numba.njit(FLAT(ADDRESSES, _i64, _i64, _i64, _vector, OPTIONS, _vector),
                                **KERNEL_OPTIONS)(_run_at)
    return RUN, RUN_AT
