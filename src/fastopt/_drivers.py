"""The Python driver: the iteration loop for objectives that are Python callables.

Its twin for numba-compiled objectives is ``_kernels/driver.py``; both take the
same steps in the same order through the same compiled kernels, so their
iterates agree (tested to 1e-12).  This loop adds what only Python can do:
callbacks, ``disp`` output, and validation of what the objective returns.
"""
import inspect
import math

import numpy as np
from scipy.optimize import OptimizeResult

from ._kernels import linesearch as ls
from ._kernels.steps import inf_norm, select, sq_norm
from ._result import MESSAGES, Status


def wrap_callback(callback):
    """Return ``report(x, f) -> bool`` (True = stop), or None.

    scipy's rule: a callback whose only parameter is named
    ``intermediate_result`` receives an ``OptimizeResult``; otherwise ``callback(xk)``.
    """
    if callback is None:
        return None
    if not callable(callback):
        raise TypeError("callback must be callable or None")
    try:
        params = list(inspect.signature(callback).parameters)
    except (TypeError, ValueError):
        params = []
    new_style = params == ["intermediate_result"]

    def report(x, f):
        try:
            if new_style:
                callback(intermediate_result=OptimizeResult(x=x.copy(), fun=f))
            else:
                callback(x.copy())
        except StopIteration:
            return True
        return False
    return report


class _Table:
    """scipy-like iteration table for ``disp``: every row when disp >= 2,
    else rows at 0-9, 10, 20, ..., 100, 200, ... and the last."""

    def __init__(self, level):
        self.level = int(level)
        self.last = -1
        print(f"{'iter':>8} {'nfev':>8} {'f(x)':>14} {'|g|_inf':>11}")

    def row(self, nit, nfev, f, gmax, force=False):
        scale = 10 ** max(0, int(math.log10(nit)) if nit > 0 else 0)
        if (force and nit != self.last) or self.level >= 2 or nit < 10 or nit % scale == 0:
            self.last = nit
            print(f"{nit:8d} {nfev:8d} {f:14.6e} {gmax:11.3e}")

    def summary(self, status, f, nit, nfev, njev):
        print(MESSAGES[Status(status)])
        print(f"         Current function value: {f:.6g}")
        print(f"         Iterations: {nit}")
        print(f"         Function evaluations: {nfev}")
        print(f"         Gradient evaluations: {njev}")


def run_python(obj, kid, nslots, x0, hyper, line_search, maxiter, gtol,
               report=None, disp=0):
    """Iterate one first-order method on a Python objective.

    Parameters
    ----------
    obj : Objective
    kid : int
        Kernel id of the method (``steps.KERNEL_IDS``).
    nslots : int
        Number of state buffers.
    x0 : ndarray, float64, shape (n,)
    hyper : ndarray, float64
        Hyperparameters; ``hyper[0]`` (lr) is overwritten by the line search.
    line_search : bool
    maxiter : int
    gtol : float
        Stop when ``max |g_i| <= gtol``.
    report : callable or None
        From ``wrap_callback``.
    disp : int

    Returns
    -------
    x, f, g, nit, status
    """
    n = x0.size
    x = x0.copy()
    trial = np.empty(n)
    state = np.zeros((nslots, n))
    powers = np.ones(2)  # running beta1^t, beta2^t (see steps.py)
    hyper = hyper.copy()
    step = select(kid, n)  # the same arithmetic as the compiled driver's apply_step
    table = _Table(disp) if disp else None
    f, g = obj.value_and_grad(x)
    gmax = inf_norm(g)
    nit = 0
    alpha = 0.0
    status = None
    if not (math.isfinite(f) and math.isfinite(gmax)):
        status = Status.NONFINITE
    while status is None:
        if table:
            table.row(nit, obj.nfev, f, gmax)
        if gmax <= gtol:
            status = Status.SUCCESS
            break
        if nit >= maxiter:
            status = Status.MAXITER
            break
        if line_search:
            gg = sq_norm(g)
            alpha = ls.first_trial_step(nit, alpha, gg)
            for _ in range(ls.MAX_BACKTRACKS):
                hyper[0] = alpha
                step(x, trial, g, state, hyper, powers)
                if obj.fused:
                    f_new, g_new = obj.value_and_grad(trial)
                else:
                    f_new, g_new = obj.value(trial), None
                if ls.armijo_ok(f_new, f, alpha, gg):
                    break
                alpha *= ls.SHRINK
            else:
                status = Status.LINESEARCH
                break
            if g_new is None:
                g_new = obj.grad(trial, f_new)
        else:
            step(x, trial, g, state, hyper, powers)
            f_new, g_new = obj.value_and_grad(trial)
        gmax_new = inf_norm(g_new)
        if not (math.isfinite(f_new) and math.isfinite(gmax_new)):
            status = Status.NONFINITE
            break
        x, trial = trial, x
        f, g, gmax = f_new, g_new, gmax_new
        nit += 1
        if report is not None and report(x, f):
            status = Status.CALLBACK
    if table:
        table.row(nit, obj.nfev, f, gmax, force=True)
        table.summary(status, f, nit, obj.nfev, obj.njev)
    return x, f, g, nit, status
