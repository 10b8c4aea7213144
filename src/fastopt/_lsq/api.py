"""``fastopt.least_squares``: scipy.optimize.least_squares's interface, MINPACK's method."""
import numbers

import numpy as np
from scipy.optimize import OptimizeResult

from .._core import delegate, validate
from .._core.fdiff import CENTRAL_STEP, EPS, FORWARD_STEP
from .._core.status import LEAST_SQUARES
from .lm import Settings
from .problem import DifferencedResiduals, NotDenseJacobian, Residuals
from .table import METHODS

#: ``jac`` strings -> ``fd_step`` (negative: central differences).
FD_STEPS = {"2-point": FORWARD_STEP, "3-point": -CENTRAL_STEP}
#: MINPACK's initial trust radius, as a multiple of ``||D x0||``.
FACTOR = 100.0


def settings(ftol, xtol, gtol, fd_step):
    """The loops' ``Settings``, tolerances checked."""
    return Settings(validate.tolerance("ftol", ftol), validate.tolerance("xtol", xtol),
                    validate.tolerance("gtol", gtol), FACTOR, fd_step)


def default_max_nfev(n, analytic):
    """``500 n`` with a ``jac`` function, ``500 n (n + 1)`` with finite differences."""
    return 500 * n if analytic else 500 * n * (n + 1)


def _scaling(x_scale, n):
    """``x_scale`` -> fixed ``D = 1 / x_scale``, or an empty array for 'jac'.
    Numbers: one for all parameters or one each (scipy's rule)."""
    if isinstance(x_scale, str):
        if x_scale != "jac":
            raise ValueError(f"x_scale must be 'jac' or positive numbers, got {x_scale!r}")
        return np.empty(0)
    try:
        if np.iscomplexobj(x_scale):
            raise TypeError
        scale = np.asarray(x_scale, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x_scale must be 'jac' or positive real numbers, "
                         f"got {x_scale!r}") from None
    if scale.ndim == 0:
        scale = np.full(n, float(scale))
    if scale.shape != (n,):
        raise ValueError(f"x_scale must be a number or have the shape of x0 ({n},), "
                         f"got shape {scale.shape}")
    if not (np.isfinite(scale).all() and (scale > 0).all()):
        raise ValueError("x_scale must be 'jac' or positive finite numbers")
    return 1.0 / scale


def _check_workers(workers):
    """``workers``: None, a count or a map-like callable (scipy's forms).
    fastopt's loops evaluate in the calling thread, so the result is the
    serial one; a call scipy's code runs uses the workers."""
    if workers is None or callable(workers):
        return
    if isinstance(workers, (bool, np.bool_)) or not isinstance(workers, numbers.Integral):
        raise TypeError(f"workers must be an int or a map-like callable, "
                        f"got {type(workers).__name__}")


def _scipy_reason(method, jac, bounds, loss, diff_step, tr_solver, tr_options, jac_sparsity,
                  verbose, callback):
    """What fastopt's methods lack for this call (a phrase), or None; a
    fastopt-only method asked for it is an error."""
    if method in ("trf", "dogbox"):
        reason = f"method {method!r}"
    elif not validate.unbounded(bounds):
        reason = "bounds"
    elif callable(loss) or loss != "linear":
        reason = "robust losses"
    elif isinstance(jac, str) and jac not in FD_STEPS:
        reason = f"jac={jac!r}"
    else:
        given = [name for name, value in (
            ("diff_step", diff_step), ("tr_solver", tr_solver), ("tr_options", tr_options),
            ("jac_sparsity", jac_sparsity), ("callback", callback))
            if value is not None] + (["verbose"] if verbose else [])
        reason = ", ".join(given) if given else None
    if reason is not None and method not in (None, "lm", "trf", "dogbox"):
        raise ValueError(f"method {method!r} cannot handle {reason}")
    return reason


def least_squares(fun, x0, jac="2-point", bounds=(-np.inf, np.inf), method=None, ftol=1e-8,
                  xtol=1e-8, gtol=1e-8, x_scale=None, loss="linear", f_scale=1.0,
                  diff_step=None, tr_solver=None, tr_options=None, jac_sparsity=None,
                  max_nfev=None, verbose=0, args=(), kwargs=None, callback=None, workers=None,
                  *, refine=True, fallback="scipy"):
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
        fits whose parameters are tiny.  ``'cs'`` runs scipy's code.  A
        ``jac`` result of shape ``(n,)`` is taken as ``(1, n)``, as scipy does;
        a sparse matrix or ``LinearOperator`` runs scipy's ``'trf'`` with the
        default method and is a ``ValueError`` with ``'lm'`` (as in scipy).
        float32 residuals are differenced with scipy's steps
        ``r max(1, |x_j|)``, ``r`` from float32's epsilon (float64's steps
        would difference rounding), and not refined.
    bounds : 2-tuple of array_like or ``scipy.optimize.Bounds``, optional
        As scipy's.  fastopt's methods take no bounds yet: finite bounds run
        scipy's method (default ``'trf'``).
    method : {methods}, optional
        ``None`` (default): ``'lm'``, unless the call needs what only scipy's
        trust-region reflective method has here (bounds, a robust loss,
        fewer residuals than parameters), which then runs.  ``'trf'`` and
        ``'dogbox'`` run scipy's.
        ``'lm'``: the trust-region method above, the one to use.
        The others are the textbook methods, for teaching and comparison
        (``_lsq/textbook.py``): Gauss-Newton with a backtracking line
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
        ``x0`` with ``D = 1``, and the better fit returned.  ``None``
        (default): ``'jac'``, as scipy's default for ``'lm'``.  One number
        for all parameters, or one each.
    loss, f_scale, diff_step, tr_solver, tr_options, jac_sparsity, verbose, callback
        As scipy's.  A call giving one (a loss other than ``'linear'``)
        runs scipy's implementation, until fastopt has its own.
    workers : int or map-like callable, optional
        Accepted as scipy takes it; fastopt's loops evaluate in the calling
        thread (the serial fit), a hand-over to scipy uses the workers.
    max_nfev : int, optional
        Default ``500 n`` with a ``jac`` function, ``500 n (n + 1)`` with
        finite differences (whose evaluations count); scipy's ``100`` stops
        slow but steady fits such as NIST's Bennett5 short of the answer.
    args, kwargs : optional
        Extra arguments of ``fun`` and ``jac``.
    fallback : {'scipy', 'error'}, optional
        What to do with a call fastopt has no implementation of: run
        scipy's (default) or raise ``NotImplementedError``.
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
        status, message, success``, as in scipy (``njev`` None for
        ``'lm'`` with finite differences, as scipy's).  ``status``: 1 gtol,
        2 ftol, 3 xtol, 4 ftol and xtol (successes); 0 ``max_nfev``;
        -2 NaN or inf met (``x`` is then the last finite point), also when
        steps refused for NaN shrank the fit to an ftol or xtol stop short of
        a minimum (``lm.converged_after_nan``); -3 no
        decrease along the Gauss-Newton direction (``'gauss-newton'``).
        ``implementation``: ``'fastopt'``, or ``'scipy'`` when scipy's code
        ran (the result is then scipy's).

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
    validate.function("fun", fun)
    _check_workers(workers)
    reason = _scipy_reason(method, jac, bounds, loss, diff_step, tr_solver, tr_options,
                           jac_sparsity, verbose, callback)
    if reason is None and method is not None and method not in METHODS:
        raise ValueError(f"method must be one of {('trf', 'dogbox', *METHODS)}, "
                         f"got {method!r}")
    # The call as scipy's least_squares takes it, for a hand-over.
    scipy_call = dict(fun=fun, x0=x0, jac=jac, bounds=bounds,
                      method="trf" if method is None else method, ftol=ftol, xtol=xtol,
                      gtol=gtol, x_scale=x_scale, loss=loss, f_scale=f_scale,
                      diff_step=diff_step, tr_solver=tr_solver, tr_options=tr_options,
                      jac_sparsity=jac_sparsity, max_nfev=max_nfev, verbose=verbose, args=args,
                      kwargs=kwargs, callback=callback, workers=workers)
    if reason is not None:
        return _delegated(reason, fallback, scipy_call)
    delegate.check_fallback(fallback)
    spec = METHODS["lm" if method is None else method]
    if np.iscomplexobj(x0):  # scipy's error type (start_vector's is TypeError)
        raise ValueError("x0 must be real, got complex values")
    x = validate.start_vector("x0", x0)
    n = x.size
    if not isinstance(args, tuple):
        args = (args,)
    kwargs = {} if kwargs is None else dict(kwargs)
    if callable(jac):
        fd_step = 0.0  # no differences
    elif isinstance(jac, str) and jac in FD_STEPS:
        fd_step, jac = FD_STEPS[jac], None
    else:
        raise ValueError(f"jac must be '2-point', '3-point' or a callable, got {jac!r}")
    params = settings(ftol, xtol, gtol, fd_step)
    if max_nfev is None:
        max_nfev = default_max_nfev(n, jac is not None)
    max_nfev = validate.integer("max_nfev", max_nfev, 1)
    diag = _scaling("jac" if x_scale is None else x_scale, n)
    problem = Residuals(fun, jac, args, kwargs, n)
    f0 = problem.residuals(x)
    if f0.size < n and spec.needs_m_ge_n:
        if method is None:  # scipy's default, trf, solves it
            return _delegated("fewer residuals than parameters", fallback, scipy_call)
        raise ValueError(f"method {method!r} needs at least as many residuals as parameters "
                         f"(m >= n), got m = {f0.size}, n = {n}")
    if problem.eps > EPS and jac is None:
        # float32 residuals: steps for their rounding, not float64's (and no
        # refinement: float64's last digits are not in them).
        problem = DifferencedResiduals(problem, central=fd_step < 0)
    try:
        fit = spec.fit(problem, x, f0, diag, params, max_nfev, bool(refine))
    except NotDenseJacobian:
        if method is None:  # scipy's default, trf, takes sparse and operator Jacobians
            return _delegated("a sparse or LinearOperator jac", fallback, scipy_call)
        raise
    J = np.ascontiguousarray(fit.Jt.T)
    f = fit.f
    with np.errstate(over="ignore", invalid="ignore"):  # a failed fit may hold huge values
        grad = J.T @ f
        cost = 0.5 * float(f @ f)
    status = int(fit.status)
    success, message = LEAST_SQUARES[status]
    # scipy's 'lm' reports no Jacobian evaluations when it differences.
    njev = None if jac is None and spec.name == "lm" else int(fit.counts[1])
    return OptimizeResult(
        x=fit.x, cost=cost, fun=f, jac=J, grad=grad,
        optimality=float(np.abs(grad).max()), active_mask=np.zeros(n, dtype=int),
        nfev=int(fit.counts[0]) + getattr(problem, "calls", 0), njev=njev, nit=int(fit.nit),
        status=status,
        message=message, success=success, implementation=delegate.FASTOPT)


def _delegated(reason, fallback, scipy_call):
    """scipy's least_squares on the call (keywords: its wrapper takes ``workers`` so)."""
    res = delegate.run("least_squares", reason, fallback, **scipy_call)
    res.implementation = delegate.SCIPY
    return res


least_squares.__doc__ = least_squares.__doc__.replace(
    "{methods}", "{" + ", ".join(repr(m) for m in METHODS) + "}")
