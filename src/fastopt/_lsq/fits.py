"""Compiled fits: ``lm.fit`` compiled, one fit per thread.

``fit_curve`` runs the same loop as ``least_squares`` (``lm.fit``: Levenberg-
Marquardt, the saturation retry, the finite-difference refinement) on one
curve, the problem a ``problem.Curve``, and adds the fit's covariance.
``fit_all`` runs it over ``N`` curves in a ``prange`` loop
(``curve_fit_batch``); ``fit_one`` on one curve with no thread start-up
(``curve_fit`` with a compiled model).  A fit meeting NaN or inf ends with
its own status; the others are untouched.

The model arrives as the two addresses of a compiled ``model(x, p) -> y``
(``models.py``), so these compile once per installation (cached) and serve
every model.  Imported lazily: loading it reads a large cache entry.
"""
import warnings

import numpy as np
from numba import njit, prange, types
from numba.core.errors import NumbaExperimentalFeatureWarning

from .._core.fnptr import ADDRESSES, MATRIX, VECTOR, function_value
from .._core.jit import KERNEL_OPTIONS
from .._core.vector import norm2
from . import lm
from .kernels.covariance import covariance
from .models import MODEL_TYPE
from .problem import Curve, evaluate


def _fit_curve(model, x, y, w, p0, settings, max_nfev, refine_fd, absolute_sigma, rank_tol,
               popt, pcov):
    """Fit one curve (``x, y``, weights ``w``) from ``p0``: ``lm.fit`` with
    Jacobian scaling, then the covariance.  Writes ``popt`` and ``pcov``;
    returns ``(status, nfev, cost, singular)``."""
    problem = Curve(model, x, y, w)
    start = np.zeros(2, dtype=np.int64)
    f0 = evaluate(problem, p0.copy(), start)
    fit = lm.fit(problem, p0.copy(), f0, np.empty(0), settings, max_nfev, refine_fd)
    popt[:] = fit.x
    f = fit.f
    cost = 0.5 * np.dot(f, f) if np.isfinite(f).all() else np.nan
    if fit.status > 0:
        singular = covariance(fit.Jt.T, norm2(f), absolute_sigma, rank_tol, pcov)
    else:
        pcov[:, :] = np.inf
        singular = True
    return fit.status, fit.counts[0], cost, singular


def _fit_all(model_at, X, Y, W, P0, settings, max_nfev, refine_fd, absolute_sigma, rank_tol,
             popt, pcov, status, nfev, cost, singular):
    """Fit curve ``k`` (``X[k], Y[k]``, weights ``W[k]``) from ``P0[k]`` for every
    ``k`` in threads, writing ``popt, pcov, status, nfev, cost, singular``;
    ``model_at`` holds the model's (c_addr, jit_addr)."""
    model = function_value(model_at[0], model_at[1], MODEL_TYPE)
    for k in prange(Y.shape[0]):
        status[k], nfev[k], cost[k], singular[k] = fit_curve(
            model, X[k], Y[k], W[k], P0[k], settings, max_nfev, refine_fd, absolute_sigma,
            rank_tol, popt[k], pcov[k])


def _fit_one(model_at, x, y, w, p0, settings, max_nfev, refine_fd, absolute_sigma, rank_tol,
             popt, pcov):
    """``fit_curve`` for a single curve, called from Python (``curve_fit``)."""
    model = function_value(model_at[0], model_at[1], MODEL_TYPE)
    return fit_curve(model, x, y, w, p0, settings, max_nfev, refine_fd, absolute_sigma,
                     rank_tol, popt, pcov)


_SETTINGS = types.NamedUniTuple(types.float64, len(lm.Settings._fields), lm.Settings)
_INT_VECTOR = types.Array(types.int64, 1, "C")
_ARGS = (VECTOR, VECTOR, VECTOR, VECTOR, _SETTINGS, types.int64, types.boolean, types.boolean,
         types.float64, VECTOR, MATRIX)
_OUTCOME = types.Tuple((types.int64, types.int64, types.float64, types.boolean))

with warnings.catch_warnings():
    # Calls through a function value are flagged experimental; the design
    # rests on them (``_core/fnptr.py``) and the tests cover them.
    warnings.simplefilter("ignore", NumbaExperimentalFeatureWarning)
    fit_curve = njit(_OUTCOME(MODEL_TYPE, *_ARGS), **KERNEL_OPTIONS)(_fit_curve)
    fit_all = njit(types.void(ADDRESSES, MATRIX, MATRIX, MATRIX, MATRIX, _SETTINGS, types.int64,
                              types.boolean, types.boolean, types.float64, MATRIX,
                              types.Array(types.float64, 3, "C"), _INT_VECTOR, _INT_VECTOR,
                              VECTOR, types.Array(types.boolean, 1, "C")),
                   parallel=True, **KERNEL_OPTIONS)(_fit_all)
    fit_one = njit(_OUTCOME(ADDRESSES, *_ARGS), **KERNEL_OPTIONS)(_fit_one)
