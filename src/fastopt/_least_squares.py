"""``fastopt.least_squares``: scipy.optimize.least_squares's interface, MINPACK's method."""
import math
import numbers

import numpy as np
from scipy.optimize import OptimizeResult

from ._kernels import lm

_MESSAGES = {
    lm.NONFINITE: "NaN or inf in the residuals or the Jacobian; x is the last "
                  "point where both were finite.",
    lm.MAXFEV: "The maximum number of function evaluations is exceeded.",
    lm.GTOL: "`gtol` termination condition is satisfied.",
    lm.FTOL: "`ftol` termination condition is satisfied.",
    lm.XTOL: "`xtol` termination condition is satisfied.",
    lm.FTOL_XTOL: "Both `ftol` and `xtol` termination conditions are satisfied.",
}
METHODS = ("lm",)


def _tolerance(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def _scaling(x_scale, n):
    """``x_scale`` -> fixed ``D = 1 / x_scale``, or an empty array for 'jac'."""
    if isinstance(x_scale, str):
        if x_scale != "jac":
            raise ValueError(f"x_scale must be 'jac' or positive numbers, got {x_scale!r}")
        return np.empty(0)
    scale = np.broadcast_to(np.asarray(x_scale, dtype=np.float64), (n,))
    if not (np.isfinite(scale).all() and (scale > 0).all()):
        raise ValueError("x_scale must be 'jac' or positive finite numbers")
    return 1.0 / scale


class _Residuals:
    """The user's ``fun`` as the loop sees it: float64 vectors of one length, counted."""

    def __init__(self, fun, args, kwargs):
        self.fun, self.args, self.kwargs = fun, args, kwargs
        self.m = None

    def __call__(self, x, counts):
        counts[0] += 1
        f = np.atleast_1d(np.asarray(self.fun(x.copy(), *self.args, **self.kwargs),
                                     dtype=np.float64))
        if f.ndim != 1:
            raise ValueError(f"fun must return a 1-D array of residuals, got shape {f.shape}")
        if self.m is None:
            self.m = f.size
        elif f.size != self.m:
            raise ValueError(f"fun returned {f.size} residuals, earlier {self.m}")
        return f


def _user_jacobian(jac, args, kwargs, n):
    def jacobian(x, f, Jt, counts):
        J = np.asarray(jac(x.copy(), *args, **kwargs), dtype=np.float64)
        if J.shape != (f.size, n):
            raise ValueError(f"jac returned shape {J.shape}, expected ({f.size}, {n})")
        Jt[:, :] = J.T
    return jacobian


def least_squares(fun, x0, jac="2-point", method="lm", ftol=1e-8, xtol=1e-8, gtol=1e-8,
                  x_scale="jac", max_nfev=None, args=(), kwargs=None):
    """Solve a nonlinear least-squares problem: minimise ``0.5 * sum(fun(x)**2)``.

    scipy.optimize.least_squares's interface, with More's Levenberg-Marquardt
    method as in MINPACK's ``lmder``/``lmdif`` (More 1978): QR with column
    pivoting, the damping found by a safeguarded secant iteration on
    ``||D p|| = delta``, the trust radius updated from the ratio of actual to
    predicted reduction.  It copes with rank-deficient Jacobians.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args, **kwargs) -> residuals``, a 1-D array of length
        ``m >= n``.
    x0 : array_like, shape (n,)
        Starting point, finite.
    jac : '2-point' or callable, optional
        ``jac(x, *args, **kwargs) -> (m, n)`` array, or forward differences
        with MINPACK's relative step ``sqrt(eps) |x_j|`` (``sqrt(eps)`` when
        ``x_j = 0``); scipy's absolute step for ``|x_j| < 1`` spoils fits
        whose parameters are tiny.
    method : 'lm'
    ftol, xtol, gtol : float, optional
        MINPACK's tests: relative reduction of the sum of squares (actual
        and predicted) below ``ftol``; trust radius below ``xtol ||D x||``;
        largest cosine between ``f`` and a column of ``J`` below ``gtol``.
    x_scale : 'jac' or array_like, optional
        ``'jac'`` (default, MINPACK's mode 1 and what scipy's ``curve_fit``
        uses): ``D`` is the running maximum of the Jacobian's column norms.
        Numbers fix ``D = 1 / x_scale`` (scipy's ``least_squares`` default is
        ``x_scale=1.0``).
    max_nfev : int, optional
        Default ``100 n`` with a ``jac`` function, ``100 n (n + 1)`` with
        finite differences (whose evaluations count).
    args, kwargs : optional
        Extra arguments of ``fun`` and ``jac``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x, cost, fun, jac, grad, optimality, active_mask, nfev, njev,
        status, message, success``, as in scipy.  ``status``: 1 gtol,
        2 ftol, 3 xtol, 4 ftol and xtol (successes); 0 ``max_nfev``;
        -2 NaN or inf met (``x`` is then the last finite point).

    Examples
    --------
    Fit ``y = a exp(-b t)`` to exact data:

    >>> import numpy as np
    >>> import fastopt
    >>> t = np.linspace(0.0, 4.0, 20)
    >>> y = 3.0 * np.exp(-1.5 * t)
    >>> res = fastopt.least_squares(lambda p: p[0] * np.exp(-p[1] * t) - y, [1.0, 1.0])
    >>> res.success, np.allclose(res.x, [3.0, 1.5])
    (True, True)
    """
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if np.iscomplexobj(x0):
        raise TypeError("x0 must be real, got complex values")
    x = np.array(x0, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x0 must be a non-empty 1-D array, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("x0 must be finite (it contains NaN or inf)")
    n = x.size
    if not isinstance(args, tuple):
        args = (args,)
    kwargs = {} if kwargs is None else dict(kwargs)
    params = np.zeros(lm.NPARAMS)
    params[lm.P_FTOL] = _tolerance("ftol", ftol)
    params[lm.P_XTOL] = _tolerance("xtol", xtol)
    params[lm.P_GTOL] = _tolerance("gtol", gtol)
    params[lm.P_FACTOR] = 100.0
    params[lm.P_FD_STEP] = math.sqrt(np.finfo(np.float64).eps)
    if callable(jac):
        jacobian = _user_jacobian(jac, args, kwargs, n)
    elif jac == "2-point":
        jacobian = None
    else:
        raise ValueError(f"jac must be '2-point' or a callable, got {jac!r}")
    if max_nfev is None:
        max_nfev = 100 * n if jacobian is not None else 100 * n * (n + 1)
    if isinstance(max_nfev, bool) or not isinstance(max_nfev, numbers.Integral) or max_nfev < 1:
        raise ValueError(f"max_nfev must be a positive integer, got {max_nfev!r}")
    residuals = _Residuals(fun, args, kwargs)
    f0 = residuals(x, np.zeros(2, dtype=np.int64))
    if f0.size < n:
        raise ValueError(f"method 'lm' needs at least as many residuals as parameters "
                         f"(m >= n), got m = {f0.size}, n = {n}")
    x, f, Jt, status, nit, counts = lm.solve(residuals, jacobian, x, f0, _scaling(x_scale, n),
                                             params, int(max_nfev))
    J = np.ascontiguousarray(Jt.T)
    grad = J.T @ f
    return OptimizeResult(
        x=x, cost=0.5 * float(f @ f), fun=f, jac=J, grad=grad,
        optimality=float(np.abs(grad).max()), active_mask=np.zeros(n, dtype=int),
        nfev=int(counts[0]), njev=int(counts[1]), nit=nit, status=int(status),
        message=_MESSAGES[status], success=status > 0)
