"""``fastopt.curve_fit_batch``: thousands of independent fits, compiled and threaded."""
import warnings

import numpy as np
from scipy.optimize import OptimizeResult, OptimizeWarning

from .._core import validate
from .._core.fdiff import FORWARD_STEP
from .api import default_max_nfev, settings
from .kernels.covariance import rank_tolerance
from .models import model_addresses
from .problem import real


def _rows(values, name, N, width):
    """``values`` as a C-contiguous float64 (N, width) array (a shared row repeated)."""
    array = np.asarray(real(np.asarray(values), name), dtype=np.float64)
    if array.shape == (width,):
        return np.repeat(array[None, :], N, axis=0)
    if array.shape != (N, width):
        raise ValueError(f"{name} must have shape ({width},) or ({N}, {width}), "
                         f"got {array.shape}")
    return np.require(array, requirements=["C", "W"])  # numba wants writeable C arrays


def curve_fit_batch(f, xdata, ydata, p0, sigma=None, absolute_sigma=False, *, ftol=1e-8,
                    xtol=1e-8, gtol=1e-8, max_nfev=None, refine=True):
    """Fit the same model to ``N`` independent curves, in compiled threads.

    Each fit is the one ``curve_fit`` makes (Levenberg-Marquardt with
    finite-difference Jacobians and the same safeguards and refinement), run
    for all curves in a ``numba.prange`` loop with no Python per fit.  A
    curve that meets NaN or inf (bad data, divergence) gets its own failure
    status; the other fits are unaffected.

    Parameters
    ----------
    f : numba-compiled function
        ``f(x, p) -> y``: ``x`` a 1-D float64 array of length ``m``, ``p`` a
        1-D float64 parameter array; returns a float64 array of length ``m``.
        (Note the signature: the parameters come as one array.)
    xdata : array_like, shape (m,) or (N, m)
        Shared or per-curve independent variable.
    ydata : array_like, shape (N, m)
    p0 : array_like, shape (n,) or (N, n)
        Shared or per-curve starting parameters.
    sigma : array_like, shape (m,) or (N, m), optional
        Standard deviations of ``ydata`` (residuals are divided by them).
    absolute_sigma : bool, optional
        As in ``curve_fit``.
    ftol, xtol, gtol, max_nfev, refine
        As in ``least_squares``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``popt`` (N, n), ``pcov`` (N, n, n) (all inf where it cannot be
        estimated, with one ``OptimizeWarning`` for the batch), ``status``
        (N,) as ``least_squares``'s (> 0 success; -2 NaN or inf met; 0 the
        evaluation limit), ``success`` (N,) bool, ``nfev`` (N,), ``cost``
        (N,) (half the sum of squared weighted residuals).

    Examples
    --------
    >>> import numba
    >>> import numpy as np
    >>> import fastopt
    >>> @numba.njit
    ... def decay(t, p):
    ...     return p[0] * np.exp(-p[1] * t)
    >>> t = np.linspace(0.0, 4.0, 30)
    >>> rates = np.linspace(0.5, 2.0, 1000)
    >>> curves = 2.0 * np.exp(-np.outer(rates, t))
    >>> fits = fastopt.curve_fit_batch(decay, t, curves, [1.0, 1.0])
    >>> bool(fits.success.all()), np.allclose(fits.popt[:, 1], rates)
    (True, True)
    """
    model_at = model_addresses(f)
    ydata = np.asarray(real(np.asarray(ydata), "ydata"), dtype=np.float64)
    if ydata.ndim != 2 or ydata.size == 0:
        raise ValueError(f"ydata must have shape (N, m), got {ydata.shape}")
    N, m = ydata.shape
    ydata = np.require(ydata, requirements=["C", "W"])
    p0 = np.asarray(real(np.asarray(p0), "p0"), dtype=np.float64)
    n = p0.shape[-1] if p0.ndim in (1, 2) else 0
    if n == 0:
        raise ValueError(f"p0 must have shape (n,) or ({N}, n), got {p0.shape}")
    P0 = _rows(p0, "p0", N, n)
    if not np.isfinite(P0).all():
        raise ValueError("p0 must be finite")
    if m < n:
        raise ValueError(f"each curve needs at least as many points as parameters, "
                         f"got m = {m}, n = {n}")
    X = _rows(xdata, "xdata", N, m)
    W = np.ones((N, m)) if sigma is None else 1.0 / _rows(sigma, "sigma", N, m)
    if not (np.isfinite(W).all() and (W > 0).all()):
        raise ValueError("sigma must be positive and finite")
    # A model of the wrong length is caught here: an exception raised inside
    # the threaded loop reaches Python only as a SystemError.
    y0 = real(np.asarray(f(X[0], P0[0].copy())), "f", "return real values")
    if y0.shape != (m,):
        raise ValueError(f"f(x, p) must return an array of shape ({m},), got {y0.shape}")
    params = settings(ftol, xtol, gtol, FORWARD_STEP)
    max_nfev = validate.integer("max_nfev", default_max_nfev(n, False) if max_nfev is None
                                else max_nfev, 1)
    from .fits import fit_all  # loads (or compiles) on first use
    popt = np.empty((N, n))
    pcov = np.empty((N, n, n))
    status = np.empty(N, dtype=np.int64)
    nfev = np.empty(N, dtype=np.int64)
    cost = np.empty(N)
    singular = np.zeros(N, dtype=np.bool_)
    fit_all(model_at, X, ydata, W, P0, params, max_nfev, bool(refine), bool(absolute_sigma),
            rank_tolerance(m, n, False), popt, pcov, status, nfev, cost, singular)
    success = status > 0
    if (singular & success).any():
        warnings.warn(f"Covariance of the parameters could not be estimated for "
                      f"{int((singular & success).sum())} of {N} fits",
                      OptimizeWarning, stacklevel=2)
    return OptimizeResult(popt=popt, pcov=pcov, status=status, success=success, nfev=nfev,
                          cost=cost)
