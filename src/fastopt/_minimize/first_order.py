"""The loop of the first-order methods, written once for both drivers.

``solve`` is a twin (``_core/twin.py``): called from Python with an
``objective.Objective`` and a compiled step build it is the Python driver,
with callbacks and ``disp``; compiled (the per-method entries below, and
``fastopt.compiled``) it is the compiled driver, with the method's update
rule inlined into the loop and no Python per iteration.  Both take the same
steps through the same arithmetic, so their iterates agree.

Each iteration applies the fused update (``_steps/kernels.py``) with the
fixed ``lr``, or, for gd with no ``lr``, with the step of a backtracking
Armijo search along ``-g`` (``_core/armijo.py``).  The iterate stays the last
point where the objective and gradient were finite.

The compiled entries are built per method from the table, on first use:
``run`` takes the objective as numba function values (what compiled
callers pass), ``run_at`` as machine addresses (what Python passes: cheaper
than function values from Python, see ``_core/fnptr.py``).  Each is its own
cached copy of one source, with the method's rule bound in (``renamed_copy``).
"""
import math
import warnings
from typing import NamedTuple

import numpy as np
import numba
from numba import types
from numba.core.errors import NumbaExperimentalFeatureWarning

from .._core import armijo, codes
from .._core.fnptr import ADDRESSES, VECTOR, function_value
from .._core.jit import KERNEL_OPTIONS, renamed_copy
from .._core.twin import twin
from .._core.vector import inf_norm, sq_norm
from .objective import (F_TYPE, FG_TYPE, G_TYPE, Compiled, evaluate, finite,
                        gradient, sharpen, start, too_coarse, value)


class Result(NamedTuple):
    """What the loop returns (and ``fastopt.compiled``'s solvers)."""

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    njev: int
    status: int


@twin
def armijo_step(obj, rule, x, trial, g, f, hyper, state, powers, nit, alpha, counts):
    """gd's step from ``x`` into ``trial`` by the backtracking Armijo search
    along ``-g`` (``_core/armijo.py``), ``alpha`` the last accepted step.

    Returns ``(f, g, alpha, accepted)`` at the accepted trial, or at ``x``
    with ``accepted`` False when no trial of the budget decreased ``f``
    enough.  Apart from the loop: inlined there, its code (never run by the
    other methods) cost every first-order step 85 ns on a small problem.
    """
    gg = sq_norm(g)
    alpha = armijo.first_trial_step(nit, alpha, gg)
    for _ in range(armijo.MAX_BACKTRACKS):
        rule(x, trial, g, alpha, hyper, state, powers)
        f_new, g_new, have_g = value(obj, trial, counts)
        if armijo.sufficient_decrease(f_new, f, alpha, -gg):
            if not have_g:
                g_new = gradient(obj, trial, f_new, counts)
            return f_new, g_new, alpha, True
        alpha *= armijo.SHRINK
    return f, g, alpha, False


@twin
def solve(obj, rule, lr, hyper, state, x0, maxiter, gtol, line_search, reporter):
    """Iterate one first-order method from ``x0``.

    Parameters
    ----------
    obj
        The objective (``objective.Objective`` or ``objective.Compiled``).
    rule
        The update: a compiled build of a rule (Python) or its source,
        inlined (compiled); see ``_steps/kernels.py`` for its arguments.
    lr : float
        The step size; ignored when ``line_search``.
    hyper, state
        The rule's other hyperparameters and its state vectors (updated).
    x0 : float64[::1], shape (n,)
    maxiter : int
    gtol : float
        Stop when ``max |g_i| <= gtol``.
    line_search : bool
        Steps from a backtracking Armijo search along ``-g`` (a stateless rule).
    reporter
        From ``report.Reporter.make`` (Python), or None.

    Returns
    -------
    Result
    """
    n = x0.size
    x = x0.copy()
    trial = np.empty(n)
    powers = np.ones(2)  # running beta1^t, beta2^t (see _steps/kernels.py)
    counts = np.zeros(3, dtype=np.int64)
    f, g, gmax, status = start(obj, x, counts, reporter)
    nit = 0
    alpha = 0.0
    while status == codes.RUNNING:
        if too_coarse(obj, gmax, gtol):
            obj, g, gmax, sharper = sharpen(obj, x, f, g, gmax, counts)
        if gmax <= gtol:
            status = codes.SUCCESS
            break
        if nit >= maxiter:
            status = codes.MAXITER
            break
        if line_search:
            f_new, g_new, alpha, accepted = armijo_step(obj, rule, x, trial, g, f, hyper, state,
                                                        powers, nit, alpha, counts)
            if not accepted:
                if obj.mode == codes.MODE_FD2:
                    # Forward differences too coarse here: go on with central ones.
                    obj, g, gmax, sharper = sharpen(obj, x, f, g, gmax, counts)
                    if sharper:
                        continue
                status = codes.LINESEARCH
                break
        else:
            rule(x, trial, g, lr, hyper, state, powers)
            if obj.mode == codes.MODE_FG:
                # jac=True, the common case, called here rather than through
                # evaluate: the call would cost a small compiled solve a
                # third of its time (objective.py)
                counts[0] += 1
                counts[1] += 1
                f_new, g_new = obj.fg(trial)
                if g_new.size != n:
                    raise ValueError("the gradient returned by the objective has the wrong length")
            else:
                f_new, g_new = evaluate(obj, trial, counts)
        gmax_new = inf_norm(g_new)
        status = finite(f_new, gmax_new)
        if status == codes.NONFINITE:
            break
        x, trial = trial, x
        f = f_new
        g = g_new
        gmax = gmax_new
        nit += 1
        if status == codes.UNBOUNDED:
            break
        if reporter is not None and reporter(nit, x, f, gmax, counts):
            status = codes.CALLBACK
    return Result(x, f, g, nit, counts[0], counts[1], status)


# --- compiled entries, one pair per method ---------------------------------------

#: Bound per method in each copy of ``_run`` and ``_run_at`` (``entries``).
RULE = RUN = None

RESULT = types.NamedTuple((VECTOR, types.float64, VECTOR, types.int64, types.int64,
                           types.int64, types.int64), Result)


def _run(fg, fun, jac, mode, x0, lr, hyper, state, maxiter, gtol, line_search):
    obj = Compiled(fg, fun, jac, None, None, mode, codes.HESS_FD)
    return solve(obj, RULE, lr, hyper, state, x0, maxiter, gtol, line_search, None)


def _run_at(addresses, mode, x0, lr, hyper, state, maxiter, gtol, line_search, x_out, g_out):
    fg = function_value(addresses[0], addresses[1], FG_TYPE)
    fun = function_value(addresses[2], addresses[3], F_TYPE)
    jac = function_value(addresses[4], addresses[5], G_TYPE)
    r = RUN(fg, fun, jac, mode, x0, lr, hyper, state, maxiter, gtol, line_search)
    # The arrays go to the caller's buffers and only scalars come back:
    # boxing an array for Python costs half a microsecond.
    x_out[:] = r.x
    g_out[:] = r.jac
    return r.fun, r.nit, r.nfev, r.njev, r.status


class Entries(NamedTuple):
    """A method's compiled entries: ``run`` (function values; returns a
    ``Result``) and ``run_at`` (addresses and output buffers; returns
    ``(fun, nit, nfev, njev, status)``), the latter as its compiled entry
    point, which skips numba's typing of the tuples on every call."""

    run: object
    run_at: object


SCALARS = types.Tuple((types.float64, types.int64, types.int64, types.int64, types.int64))
_ENTRIES = {}


def entries(rule):
    """The compiled entries of the update rule ``rule`` (a ``_steps.table.Step``),
    built on first use and cached on disk."""
    if rule.name not in _ENTRIES:
        hyper = numba.typeof(rule.Hyper(*(0.0 for _ in rule.Hyper._fields)))
        state = numba.typeof(rule.new_state(1))
        tail = (VECTOR, types.float64, hyper, state, types.int64, types.float64, types.boolean)
        suffix = "_" + rule.name.replace("-", "_")
        with warnings.catch_warnings():
            # Calls through function values are flagged experimental; the
            # design rests on them (``_core/fnptr.py``) and the tests cover them.
            warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
            run = numba.njit(RESULT(FG_TYPE, F_TYPE, G_TYPE, types.int64, *tail),
                             **KERNEL_OPTIONS)(renamed_copy(_run, suffix, RULE=rule.rule))
            run_at = numba.njit(SCALARS(ADDRESSES, types.int64, *tail, VECTOR, VECTOR),
                                **KERNEL_OPTIONS)(renamed_copy(_run_at, suffix, RUN=run))
        _ENTRIES[rule.name] = Entries(run, run_at.overloads[run_at.signatures[0]].entry_point)
    return _ENTRIES[rule.name]
