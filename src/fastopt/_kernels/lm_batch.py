"""Many independent fits at once: ``lm.fit`` compiled, one fit per thread.

``fit_all`` runs the same loop as ``least_squares`` (``lm.fit``: Levenberg-
Marquardt, the saturation retry, the finite-difference refinement) over
``N`` curves in a ``prange`` loop, with the problem of curve ``k`` passed as
the tuple ``(model, xdata[k], ydata[k], weights[k])`` (see ``lm.evaluate``),
and each fit's covariance from an SVD of its column-scaled Jacobian.  A fit
meeting NaN or inf ends with its own status; the others are untouched.

The model arrives as the two addresses of a compiled ``model(x, p) -> y``
with the fixed signature ``MODEL_SIG`` (see ``fnptr.py``), so ``fit_all``
compiles once per installation (cached) and serves every model.  Imported
lazily: loading it reads a large cache entry.
"""
import warnings

import numpy as np
from numba import njit, prange, types
from numba.core.errors import NumbaExperimentalFeatureWarning

from . import lm
from ._jit import KERNEL_OPTIONS
from .covariance import covariance
from .fnptr import function_value

vector = types.Array(types.float64, 1, "C")
matrix = types.Array(types.float64, 2, "C")
#: model(x, p) -> y
MODEL_SIG = vector(vector, vector)
MODEL_TYPE = types.FunctionType(MODEL_SIG)


def _fit_all(model_at, X, Y, W, P0, diag0, params, max_nfev, refine_fd, absolute_sigma,
             rank_tol, popt, pcov, status, nfev, cost, singular):
    """Fit curve ``k`` (``X[k], Y[k]``, weights ``W[k]``) from ``P0[k]`` for every
    ``k``, writing ``popt, pcov, status, nfev, cost, singular``; ``model_at``
    holds the model's (c_addr, jit_addr)."""
    model = function_value(model_at[0], model_at[1], MODEL_TYPE)
    for k in prange(Y.shape[0]):
        problem = (model, X[k], Y[k], W[k])
        start = np.zeros(2, dtype=np.int64)
        f0 = lm.evaluate(problem, P0[k].copy(), start)
        x, f, Jt, st, nit, counts = lm.fit(problem, P0[k].copy(), f0, diag0, params,
                                           max_nfev, refine_fd)
        popt[k] = x
        status[k] = st
        nfev[k] = counts[0]
        c = 0.5 * np.dot(f, f) if np.isfinite(f).all() else np.nan
        cost[k] = c
        if st > 0:
            singular[k] = covariance(Jt.T, c, absolute_sigma,
                                     rank_tol, pcov[k])
        else:
            pcov[k] = np.inf
            singular[k] = True


_SIGNATURE = types.void(types.Array(types.int64, 1, "C"), matrix, matrix, matrix, matrix, vector,
                        vector, types.int64, types.boolean, types.boolean, types.float64,
                        matrix, types.Array(types.float64, 3, "C"),
                        types.Array(types.int64, 1, "C"), types.Array(types.int64, 1, "C"),
                        vector, types.Array(types.boolean, 1, "C"))

with warnings.catch_warnings():
    # Calls through a function value are flagged experimental; the design
    # rests on them (as in curvature_driver.py) and the tests cover them.
    warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
    fit_all = njit(_SIGNATURE, parallel=True, **KERNEL_OPTIONS)(_fit_all)
