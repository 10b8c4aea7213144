"""``fastopt.least_squares``: scipy.optimize.least_squares's interface, MINPACK's method."""
import numbers

import numpy as np
from scipy.optimize import OptimizeResult

from ._kernels import lm, lsq_textbook

MESSAGES = {
    lm.NONFINITE: "NaN or inf in the residuals or the Jacobian; x is the last "
                  "point where both were finite.",
    lm.MAXFEV: "The maximum number of function evaluations is exceeded.",
    lm.GTOL: "`gtol` termination condition is satisfied.",
    lm.FTOL: "`ftol` termination condition is satisfied.",
    lm.XTOL: "`xtol` termination condition is satisfied.",
    lm.FTOL_XTOL: "Both `ftol` and `xtol` termination conditions are satisfied.",
    lsq_textbook.NO_DECREASE: "The line search found no decrease of the sum of squares "
                              "along the Gauss-Newton direction.",
}
METHODS = ("lm", "gauss-newton", "levenberg", "marquardt")
#: ``jac`` strings -> ``fd_step`` (negative: central differences).
_FD_STEPS = {"2-point": lm.FORWARD_STEP, "3-point": -lm.CENTRAL_STEP}


def _tolerance(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def start_vector(name, value):
    """A float64 copy of the starting point ``value``: real, 1-D, non-empty, finite."""
    if np.iscomplexobj(value):
        raise TypeError(f"{name} must be real, got complex values")
    x = np.array(value, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite (it contains NaN or inf)")
    return x


def solver_params(ftol, xtol, gtol, fd_step):
    """The LM loop's parameter array (``lm.P_*``), tolerances checked."""
    params = np.zeros(lm.NPARAMS)
    params[lm.P_FTOL] = _tolerance("ftol", ftol)
    params[lm.P_XTOL] = _tolerance("xtol", xtol)
    params[lm.P_GTOL] = _tolerance("gtol", gtol)
    params[lm.P_FACTOR] = 100.0  # MINPACK's initial radius factor
    params[lm.P_FD_STEP] = fd_step
    return params


def positive_integer(name, value):
    """``value`` as an int, or ValueError naming ``name`` (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


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


class _Problem:
    """The user's ``fun`` (float64 vectors of one length, counted) and ``jac``
    as the LM loop sees them (``lm.evaluate``, ``lm.jacobian``)."""

    def __init__(self, fun, jacobian, args, kwargs):
        self.fun, self.jacobian, self.args, self.kwargs = fun, jacobian, args, kwargs
        self.m = None

    def residuals(self, x, counts):
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
                  x_scale="jac", max_nfev=None, args=(), kwargs=None, *, refine=True):
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
    jac : '2-point', '3-point' or callable, optional
        ``jac(x, *args, **kwargs) -> (m, n)`` array, or finite differences
        with steps relative to each parameter: forward with MINPACK's
        ``sqrt(eps) |x_j|`` (``sqrt(eps)`` when ``x_j = 0``), or central with
        ``eps**(1/3) |x_j|``.  scipy's absolute step for ``|x_j| < 1`` spoils
        fits whose parameters are tiny.
    method : {'lm', 'gauss-newton', 'levenberg', 'marquardt'}
        ``'lm'`` (default): the trust-region method above, the one to use.
        The others are the textbook methods, for teaching and comparison
        (``_kernels/lsq_textbook.py``): Gauss-Newton with a backtracking line
        search; Levenberg's ``(J^T J + lam I) p = -J^T f`` and Marquardt's
        ``(J^T J + lam diag(J^T J)) p = -J^T f``, ``lam`` divided by 10 after
        a step that lowers the sum of squares, multiplied by 10 (and the step
        refused) otherwise.  They stop on scipy's 'trf' tests: ``ftol`` on
        the relative decrease of the sum of squares, ``xtol`` on the step
        (``||p|| <= xtol (xtol + ||x||)``), ``gtol`` on ``max |J^T f|``;
        ``x_scale`` and ``refine`` apply to ``'lm'`` only.
    ftol, xtol, gtol : float, optional
        MINPACK's tests: relative reduction of the sum of squares (actual
        and predicted) below ``ftol``; trust radius below ``xtol ||D x||``;
        largest cosine between ``f`` and a column of ``J`` below ``gtol``.
    x_scale : 'jac' or array_like, optional
        ``'jac'`` (default, MINPACK's mode 1 and what scipy's ``curve_fit``
        uses): ``D`` is the running maximum of the Jacobian's column norms.
        Numbers fix ``D = 1 / x_scale`` (scipy's ``least_squares`` default is
        ``x_scale=1.0``).  With ``'jac'``, a fit that stops with a column of
        ``J`` at zero (a parameter no longer moving the model, as when an
        early long step lands where the model saturates) is retried from
        ``x0`` with ``D = 1``, and the better fit returned.
    max_nfev : int, optional
        Default ``500 n`` with a ``jac`` function, ``500 n (n + 1)`` with
        finite differences (whose evaluations count); scipy's ``100`` stops
        slow but steady fits such as NIST's Bennett5 short of the answer.
    args, kwargs : optional
        Extra arguments of ``fun`` and ``jac``.
    refine : bool, optional
        With a finite-difference ``jac``, after the tolerances are met, run
        the same iteration on with central differences and tolerances at
        machine precision (at most ``30 (2 n + 1)`` more evaluations), then
        Gauss-Newton steps while they contract (at most three).  The error
        of a forward-difference Jacobian and the loose default tolerances
        otherwise leave a fit digits short of the least-squares solution on
        hard problems (NIST StRD; scipy's MINPACK with tight tolerances
        stops ~1e-9 short even with an exact Jacobian on a plain
        exponential).  The status and message are those of the first stage.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x, cost, fun, jac, grad, optimality, active_mask, nfev, njev,
        status, message, success``, as in scipy.  ``status``: 1 gtol,
        2 ftol, 3 xtol, 4 ftol and xtol (successes); 0 ``max_nfev``;
        -2 NaN or inf met (``x`` is then the last finite point); -3 no
        decrease along the Gauss-Newton direction (``'gauss-newton'``).

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
    x = start_vector("x0", x0)
    n = x.size
    if not isinstance(args, tuple):
        args = (args,)
    kwargs = {} if kwargs is None else dict(kwargs)
    if callable(jac):
        jacobian, fd_step = _user_jacobian(jac, args, kwargs, n), 0.0  # no differences
    elif isinstance(jac, str) and jac in _FD_STEPS:
        jacobian, fd_step = None, _FD_STEPS[jac]
    else:
        raise ValueError(f"jac must be '2-point', '3-point' or a callable, got {jac!r}")
    params = solver_params(ftol, xtol, gtol, fd_step)
    if max_nfev is None:
        max_nfev = 500 * n if jacobian is not None else 500 * n * (n + 1)
    max_nfev = positive_integer("max_nfev", max_nfev)
    problem = _Problem(fun, jacobian, args, kwargs)
    f0 = problem.residuals(x, np.zeros(2, dtype=np.int64))
    if f0.size < n and method == "lm":
        raise ValueError(f"method 'lm' needs at least as many residuals as parameters "
                         f"(m >= n), got m = {f0.size}, n = {n}")
    if method == "lm":
        x, f, Jt, status, nit, counts = lm.fit(problem, x, f0, _scaling(x_scale, n), params,
                                               max_nfev, refine)
    elif method == "gauss-newton":
        x, f, Jt, status, nit, counts = lsq_textbook.gauss_newton(problem, x, f0, params,
                                                                  max_nfev)
    else:
        x, f, Jt, status, nit, counts = lsq_textbook.damped(problem, x, f0, params, max_nfev,
                                                            method == "marquardt")
    J = np.ascontiguousarray(Jt.T)
    with np.errstate(over="ignore", invalid="ignore"):  # a failed fit may hold huge values
        grad = J.T @ f
        cost = 0.5 * float(f @ f)
    return OptimizeResult(
        x=x, cost=cost, fun=f, jac=J, grad=grad,
        optimality=float(np.abs(grad).max()), active_mask=np.zeros(n, dtype=int),
        nfev=int(counts[0]), njev=int(counts[1]), nit=nit, status=int(status),
        message=MESSAGES[status], success=status > 0)
