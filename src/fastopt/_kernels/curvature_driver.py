"""The compiled build of ``curvature.solve``: cached, one build for every objective.

``run(fg, fun, jac, hess, hessp, mode, hess_mode, kind, x0, params, maxiter,
maxcor)`` takes the objective's parts (see ``driver.py`` for the first three
and ``mode``) and returns what ``curvature.solve`` returns.

As in ``driver.py``, the objective arrives as numba function values with fixed
signatures, so this compiles once per installation and any user function of
the right signature runs it without compiling the solver again.  Imported
lazily: loading it costs a cache read that plain ``import fastopt`` skips.
"""
import warnings

import numpy as np
from numba import njit, types
from numba.core.errors import NumbaExperimentalFeatureWarning

from ._jit import KERNEL_OPTIONS
from .curvature import solve
from .driver import ADDRESSES, F_TYPE, FG_SIG, FG_TYPE, F_SIG, G_SIG, G_TYPE, vector
from .fnptr import function_value

matrix = types.Array(types.float64, 2, "C")
#: hess(x) -> H, shape (n, n)
HESS_SIG = matrix(vector)
#: hessp(x, p) -> H p
HESSP_SIG = vector(vector, vector)
HESS_TYPE = types.FunctionType(HESS_SIG)
HESSP_TYPE = types.FunctionType(HESSP_SIG)

#: Types of the objective's parts: fg, fun, jac, hess, hessp, mode, hess_mode.
OBJECTIVE = (types.FunctionType(FG_SIG), types.FunctionType(F_SIG),
             types.FunctionType(G_SIG), types.FunctionType(HESS_SIG),
             types.FunctionType(HESSP_SIG), types.int64, types.int64)
RESULT = types.Tuple((vector, types.float64, vector, types.int64,
                      types.Array(types.int64, 1, "C"), types.int64, matrix, matrix,
                      vector, types.int64, types.int64, types.float64, matrix))
SIGNATURE = RESULT(*OBJECTIVE, types.int64, vector, vector, types.int64, types.int64)


def _run(fg, fun, jac, hess, hessp, mode, hess_mode, kind, x0, params, maxiter, maxcor):
    # The objective is packed here rather than by the caller: typing a tuple
    # of function values on every call from Python would cost (and warn).
    obj = (fg, fun, jac, hess, hessp, mode, hess_mode)
    return solve(obj, kind, x0, params, maxiter, maxcor, None)


with warnings.catch_warnings():
    # numba flags every call through a function value as experimental; the
    # feature is what the design rests on, and the tests cover it.
    warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
    run = njit(SIGNATURE, **KERNEL_OPTIONS)(_run)


@njit(HESS_SIG, **KERNEL_OPTIONS)
def unused_hess(x):
    """Placeholder for a ``hess`` the chosen method never calls."""
    return np.empty((0, 0))


@njit(HESSP_SIG, **KERNEL_OPTIONS)
def unused_hessp(x, p):
    """Placeholder for a ``hessp`` the chosen method never calls."""
    return p



@njit(RESULT(ADDRESSES, ADDRESSES, types.int64, types.int64, types.int64, vector, vector,
             types.int64, types.int64), **KERNEL_OPTIONS)
def run_at(addresses, second, mode, hess_mode, kind, x0, params, maxiter, maxcor):
    """``run`` with the objective given by addresses: the entry for Python callers.

    ``addresses`` as for ``driver.run_compiled_at``; ``second`` holds the
    (c_addr, jit_addr) pairs of hess and hessp.
    """
    fg = function_value(addresses[0], addresses[1], FG_TYPE)
    fun = function_value(addresses[2], addresses[3], F_TYPE)
    jac = function_value(addresses[4], addresses[5], G_TYPE)
    hess = function_value(second[0], second[1], HESS_TYPE)
    hessp = function_value(second[2], second[3], HESSP_TYPE)
    return run(fg, fun, jac, hess, hessp, mode, hess_mode, kind, x0, params, maxiter, maxcor)
