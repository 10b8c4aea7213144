"""``fastopt.curve_fit``: scipy.optimize.curve_fit's interface on ``least_squares``."""
import inspect
import warnings

import numpy as np
from scipy.linalg import cholesky, qr, solve_triangular
from scipy.optimize import OptimizeWarning

from numba.extending import is_jitted

from .._core import delegate, validate
from .._core.fdiff import FORWARD_STEP
from .._core.status import LEAST_SQUARES
from .._core.vector import norm2
from .api import default_max_nfev, least_squares, settings
from .kernels.covariance import covariance, rank_tolerance
from .models import star_model_addresses
from .problem import real

#: Options of ``least_squares`` that ``curve_fit`` passes on (``maxfev`` is
#: scipy's leastsq name for ``max_nfev``).
_SOLVER_OPTIONS = {"ftol", "xtol", "gtol", "x_scale", "max_nfev", "refine"}


def _data(values, name, check_finite):
    array = np.asarray(real(np.asarray(values), name), dtype=np.float64)
    if check_finite and not np.isfinite(array).all():
        raise ValueError(f"{name} must not contain NaN or inf (check_finite=True)")
    return array


def _parameter_count(f, p0):
    if p0 is not None:
        p0 = np.atleast_1d(np.asarray(real(np.asarray(p0), "p0"), dtype=np.float64))
        if p0.ndim != 1:
            raise ValueError(f"p0 must be 1-D, got shape {p0.shape}")
        return p0
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        raise ValueError("p0 is needed: the number of parameters of f cannot be "
                         "read from its signature") from None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters) \
            or len(parameters) < 2:
        raise ValueError("p0 is needed: f takes *args, or has no parameter after x")
    return np.ones(len(parameters) - 1)


def _weighting(sigma, m):
    """``w(r)``: residuals divided by ``sigma`` (a number, or one per point)
    or whitened by the Cholesky factor of the covariance ``sigma`` (2-D).
    A single number is a standard deviation whatever its shape, as in scipy."""
    if sigma is None:
        return lambda r: r
    sigma = np.asarray(real(np.asarray(sigma), "sigma"), dtype=np.float64)
    if sigma.size == 1 and (sigma.ndim <= 1 or m == 1):
        if not sigma.item() > 0:
            raise ValueError("sigma must be positive")
        inverse = 1.0 / sigma.item()
        return lambda r: r * inverse
    if sigma.shape == (m,):
        if not (sigma > 0).all():
            raise ValueError("sigma must be positive")
        inverse = 1.0 / sigma
        return lambda r: r * inverse if r.ndim == 1 else r * inverse[:, None]
    if sigma.shape == (m, m):
        try:
            factor = cholesky(sigma, lower=True)
        except np.linalg.LinAlgError:
            raise ValueError("sigma, as a covariance matrix, must be positive definite") from None
        return lambda r: solve_triangular(factor, r, lower=True, check_finite=False)
    raise ValueError(f"sigma must be a number or have shape ({m},) or ({m}, {m}), "
                     f"got {sigma.shape}")


def _nan_policy(nan_policy):
    """``nan_policy`` checked, with scipy's wording (its tests match on it)."""
    if nan_policy == "propagate":
        raise ValueError("`nan_policy='propagate'` is not supported by this function "
                         "(use None, 'raise' or 'omit')")
    if nan_policy not in (None, "raise", "omit"):
        raise ValueError(f"nan_policy must be one of {{None, 'raise', 'omit'}}, "
                         f"got {nan_policy!r}")
    return nan_policy


def _omit_nan(xdata, ydata, sigma, data_like, nan_policy):
    """``(xdata, ydata, sigma)`` with the points holding a NaN dropped
    (``'omit'``), or ``ValueError`` (``'raise'``).  A point is the last axis
    of ``xdata`` (k predictors: shape (k, m), or more axes) and ``ydata``'s
    entry; a scalar ``sigma`` stays."""
    bad = np.isnan(ydata)
    xnan = np.isnan(xdata) if data_like else np.zeros((), dtype=bool)
    if not (bad.any() or xnan.any()):
        return xdata, ydata, sigma
    if nan_policy == "raise":
        raise ValueError("The input contains nan values: NaN in xdata or ydata "
                         "(nan_policy='raise')")
    if xnan.ndim:
        xnan = xnan.any(axis=tuple(range(xnan.ndim - 1)))
    try:
        keep = ~(bad | xnan)
    except ValueError:
        raise ValueError(f"nan_policy='omit' needs xdata's last axis to have ydata's "
                         f"length {ydata.size}, got shape {np.shape(xdata)}") from None
    if keep.ndim == 0:
        raise ValueError("nan_policy='omit' cannot drop a point from scalar data")
    if data_like and xdata.ndim:
        xdata = xdata[..., keep]
    ydata = ydata[keep] if ydata.ndim else ydata
    if sigma is not None:
        sigma = np.asarray(sigma, dtype=np.float64)
        if sigma.ndim == 1 and sigma.size == keep.size and keep.size > 1:
            sigma = sigma[keep]
        elif sigma.ndim == 2:
            sigma = sigma[np.ix_(keep, keep)]
    return xdata, ydata, sigma


#: leastsq's ``ier`` (what scipy's curve_fit returns for 'lm') for each
#: ``least_squares`` success status, and what it means.
_IER = {2: (1, ("The actual and the predicted relative reductions of the sum of squares "
                "are both at most ftol={ftol:g}.")),
        3: (2, "The relative change between the last two iterates is at most xtol={xtol:g}."),
        4: (3, ("The actual and the predicted relative reductions of the sum of squares "
                "are both at most ftol={ftol:g}, and the relative change between the "
                "last two iterates is at most xtol={xtol:g}.")),
        1: (4, ("The cosine of the angle between the residuals and every column of the "
                "Jacobian is at most gtol={gtol:g} in absolute value."))}


def _minpack_info(J, f):
    """leastsq's ``fjac``, ``ipvt`` and ``qtf`` for the Jacobian ``J`` (m, n)
    and residuals ``f`` at the solution: ``J P = Q R`` by Householder QR with
    column pivoting, ``fjac`` (n, m) holding ``R`` in the upper triangle of
    ``fjac.T`` and the reflectors below it, ``ipvt`` the column order
    (0-based, as scipy's leastsq returns it), ``qtf`` the first n entries of
    ``Q^T f``."""
    (packed, tau), _, perm = qr(J, mode="raw", pivoting=True)
    qtf = f.copy()
    for k in range(tau.size):  # apply H_k = I - tau_k v_k v_k^T, v_k = (1, packed[k+1:, k])
        v = np.concatenate(([1.0], packed[k + 1:, k]))
        qtf[k:] -= tau[k] * v * (v @ qtf[k:])
    return np.ascontiguousarray(packed.T), perm.astype(np.int32), qtf[:J.shape[1]]


_fit_one = None
#: The solver's settings at the default tolerances.
_DEFAULT_SETTINGS = settings(1e-8, 1e-8, 1e-8, FORWARD_STEP)


def _loop_vector(a):
    """``a`` as the compiled loop takes vectors: float64, C-contiguous,
    writeable (a copy only when it is not already)."""
    flags = a.flags
    if a.dtype == np.float64 and flags.c_contiguous and flags.writeable:
        return a
    return np.array(a, dtype=np.float64, order="C")


def _compilable(f, xdata, sigma, m, kwargs):
    """Whether the fit can run compiled: a numba model of 1-D float64 ``xdata``,
    no ``sigma`` or a number or 1-D one, and no ``x_scale``."""
    return (is_jitted(f) and isinstance(xdata, np.ndarray) and xdata.ndim == 1
            and (sigma is None or np.ndim(sigma) <= 1) and "x_scale" not in kwargs)


def _fit_compiled(f, xdata, ydata, p0, sigma, absolute_sigma, kwargs):
    """``curve_fit`` for a numba-compiled ``f``: the same fit as the Python
    path (``lm.fit``, one source), in one compiled call.  None if ``f`` does
    not compile for 1-D float64 arrays and float parameters."""
    global _fit_one
    if _fit_one is None:  # loading the compiled loop reads a large cache entry
        from .fits import fit_one as _fit_one
    n, m = p0.size, ydata.size
    model_at = star_model_addresses(f, n)
    if model_at is None:
        return None
    p0 = validate.start_vector("p0", p0)  # the checks least_squares makes on the Python path
    weights = np.ones(m) if sigma is None else \
        _weighting(sigma, m)(np.ones(m))  # sigma checked as on the Python path
    max_nfev = kwargs.get("max_nfev")
    max_nfev = validate.integer("max_nfev", default_max_nfev(n, False) if max_nfev is None
                                else max_nfev, 1)
    tolerances = (kwargs.get("ftol", 1e-8), kwargs.get("xtol", 1e-8), kwargs.get("gtol", 1e-8))
    params = _DEFAULT_SETTINGS if tolerances == (1e-8, 1e-8, 1e-8) else \
        settings(*tolerances, FORWARD_STEP)
    popt, pcov = np.empty(n), np.empty((n, n))
    status, _, _, singular = _fit_one(model_at, _loop_vector(xdata), _loop_vector(ydata),
                                      _loop_vector(weights), p0, params, max_nfev,
                                      bool(kwargs.get("refine", True)),
                                      bool(absolute_sigma), rank_tolerance(m, n, False),
                                      popt, pcov)
    if status <= 0:
        raise RuntimeError("Optimal parameters not found: " + LEAST_SQUARES[status][1])
    if singular:
        warnings.warn("Covariance of the parameters could not be estimated",
                      OptimizeWarning, stacklevel=3)
    return popt, pcov


def _scipy_reason(bounds, method, kwargs):
    """What fastopt's curve_fit lacks for this call (a phrase), or None."""
    if not validate.unbounded(bounds):
        return "bounds"
    if method not in (None, "lm"):
        return f"method {method!r}"
    lacking = sorted(set(kwargs) - _SOLVER_OPTIONS - {"maxfev"})
    return "option " + ", ".join(repr(k) for k in lacking) if lacking else None


def curve_fit(f, xdata, ydata, p0=None, sigma=None, absolute_sigma=False, check_finite=None,
              bounds=(-np.inf, np.inf), method=None, jac=None, *, full_output=False,
              nan_policy=None, fallback="scipy", **kwargs):
    """Fit ``f(x, *p)`` to data by nonlinear least squares.

    scipy.optimize.curve_fit's signature and returns, on
    ``fastopt.least_squares`` (MINPACK's Levenberg-Marquardt, with a finite-
    difference fit refined to the least-squares solution's last digits).

    A numba-compiled ``f`` (``@numba.njit``) with 1-D ``xdata`` runs the
    whole fit as one compiled call, with no Python per evaluation: the same
    fit (one source), several times faster.  It takes this path unless
    ``jac``, a 2-D ``sigma``, ``x_scale`` or ``full_output`` is given, or
    ``f`` does not return a float64 array for float parameters.

    Parameters
    ----------
    f : callable
        ``f(xdata, *params) -> model values``, shape of ``ydata``.
    xdata : array_like or object
        The independent variable, passed to ``f`` unchanged (as a float64
        array when it is a list, tuple or array).
    ydata : array_like, shape (m,), or a number
        The data; a number is broadcast against the model's values.
    p0 : array_like, optional
        Starting parameters; default all ones, as many as ``f`` takes after x.
    sigma : number or array_like, shape (m,) or (m, m), optional
        Standard deviations of ``ydata`` (residuals divided by them; one
        number for every point), or their covariance matrix (residuals
        whitened by its Cholesky factor).
    absolute_sigma : bool, optional
        True: ``pcov`` from ``sigma`` as given.  False (default): scaled by
        the reduced chi-square ``sum(r^2) / (m - n)``.
    check_finite : bool, optional
        Raise ``ValueError`` on NaN or inf in the data; default True unless
        ``nan_policy`` is given.
    bounds : 2-tuple or Bounds, optional
        Finite bounds run scipy's curve_fit (trust-region reflective).
    method : {'lm', 'trf', 'dogbox'}, optional
        Default ``'lm'`` (with bounds: ``'trf'``).  ``'trf'`` and
        ``'dogbox'`` run scipy's curve_fit.
    jac : callable, '2-point' or '3-point', optional
        ``jac(xdata, *params) -> (m, n)``; default finite differences.
    full_output : bool, optional
        Also return ``infodict``, ``mesg``, ``ier`` as scipy's ``'lm'``
        (leastsq) does: ``nfev``, ``fvec`` (weighted residuals), and the
        pivoted QR ``J P = Q R`` of the final Jacobian: ``fjac`` (n, m) with
        ``R`` in the upper triangle of ``fjac.T``, ``ipvt`` (0-based column
        order), ``qtf`` (``Q^T fvec``, first n).
    nan_policy : None, 'raise' or 'omit', optional
        ``'omit'`` drops the points where ``xdata`` (any entry along its
        last axis's index, for k predictors) or ``ydata`` is NaN;
        ``'raise'`` raises on them; None follows ``check_finite``.
    fallback : {'scipy', 'error'}, optional
        For a call fastopt has no implementation of (bounds, trf or dogbox,
        scipy keywords such as ``loss`` or ``epsfcn``): run scipy's
        curve_fit (default) or raise ``NotImplementedError``.
    **kwargs
        ``ftol, xtol, gtol, x_scale, max_nfev`` (or ``maxfev``), ``refine``:
        passed to ``least_squares``; other keywords run scipy's curve_fit,
        which passes them to its solver.

    Returns
    -------
    popt : ndarray, shape (n,)
    pcov : ndarray, shape (n, n)
        ``s^2 (J^T J)^+`` (SVD-based pseudo-inverse of the column-scaled
        Jacobian).  All inf, with an ``OptimizeWarning``, when the Jacobian
        is rank-deficient (singular values below ``sqrt(eps)`` of the largest
        for a finite-difference Jacobian, ``eps max(m, n)`` for a ``jac``
        function) or when there are no more points than parameters.
    infodict, mesg, ier
        With ``full_output=True``; ``infodict['implementation']`` is
        ``'fastopt'``, or ``'scipy'`` when scipy's code ran.  ``ier`` is
        leastsq's: 1 ftol, 2 xtol, 3 both, 4 gtol.

    Raises
    ------
    RuntimeError
        If the fit does not converge (as scipy's does).
    TypeError
        More parameters than data points (scipy's error for ``'lm'``).

    Examples
    --------
    >>> import numpy as np
    >>> import fastopt
    >>> def decay(t, a, k):
    ...     return a * np.exp(-k * t)
    >>> t = np.linspace(0.0, 4.0, 30)
    >>> y = decay(t, 2.5, 1.3) + 0.01 * np.sin(5 * t)
    >>> popt, pcov = fastopt.curve_fit(decay, t, y)
    >>> np.allclose(popt, [2.5, 1.3], atol=0.02), pcov.shape
    (True, (2, 2))
    """
    validate.function("f", f)
    reason = _scipy_reason(bounds, method, kwargs)
    if reason is not None:
        kwargs.pop("refine", None)  # fastopt's own
        out = delegate.run("curve_fit", reason, fallback, f, xdata, ydata, p0, sigma,
                           absolute_sigma, check_finite, bounds, method, jac,
                           full_output=full_output, nan_policy=nan_policy, **kwargs)
        if full_output:
            out[2]["implementation"] = delegate.SCIPY
        return out
    delegate.check_fallback(fallback)
    _nan_policy(nan_policy)
    if check_finite is None:
        check_finite = nan_policy is None
    if "maxfev" in kwargs:
        kwargs["max_nfev"] = kwargs.pop("maxfev")
    p0 = _parameter_count(f, p0)
    n = p0.size
    data_like = isinstance(xdata, (list, tuple, np.ndarray))
    ydata = _data(ydata, "ydata", check_finite)
    if data_like:
        xdata = _data(xdata, "xdata", check_finite)
    # A single number is broadcast against the model's values, as in scipy.
    if ydata.ndim > 1 or ydata.size == 0:
        raise ValueError(f"ydata must be a non-empty 1-D array or a number, "
                         f"got shape {ydata.shape}")
    if nan_policy is not None:
        xdata, ydata, sigma = _omit_nan(xdata, ydata, sigma, data_like, nan_policy)
    m = ydata.size
    if m == 0:
        raise ValueError("no data left after omitting the points with NaN")
    if 1 < m < n:  # scipy's check for 'lm' (and its error type)
        raise TypeError(f"The number of func parameters={n} must not exceed the number "
                        f"of data points={m}")
    if jac is None and not full_output and ydata.ndim == 1 and m > 1 \
            and _compilable(f, xdata, sigma, m, kwargs):
        fit = _fit_compiled(f, xdata, ydata, p0, sigma, absolute_sigma, kwargs)
        if fit is not None:
            return fit
    weigh = _weighting(sigma, m)

    def residuals(p):
        y = real(np.asarray(f(xdata, *p)), "f", "return real values")
        return weigh(np.asarray(y, dtype=np.float64) - ydata)

    if callable(jac):
        def jacobian(p):
            J = real(np.asarray(jac(xdata, *p)), "jac", "return a real array")
            return weigh(np.asarray(J, dtype=np.float64))
    elif jac is None:
        jacobian = "2-point"
    else:
        jacobian = jac
    res = least_squares(residuals, p0, jac=jacobian, **kwargs)
    if not res.success:
        raise RuntimeError("Optimal parameters not found: " + res.message)
    # Rank to the accuracy of J: rounding for a jac function, the error of
    # finite differences otherwise.
    pcov = np.empty((n, n))
    singular = covariance(res.jac, norm2(res.fun), bool(absolute_sigma),
                          rank_tolerance(res.fun.size, n, callable(jac)), pcov)
    if singular:
        warnings.warn("Covariance of the parameters could not be estimated",
                      OptimizeWarning, stacklevel=2)
    if full_output:
        fjac, ipvt, qtf = _minpack_info(res.jac, res.fun)
        infodict = {"nfev": res.nfev, "fvec": res.fun, "fjac": fjac, "ipvt": ipvt, "qtf": qtf,
                    "implementation": delegate.FASTOPT}
        ier, mesg = _IER[res.status]
        tolerances = {t: kwargs.get(t, 1e-8) for t in ("ftol", "xtol", "gtol")}
        return res.x, pcov, infodict, mesg.format(**tolerances), ier
    return res.x, pcov
