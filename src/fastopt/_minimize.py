"""``fastopt.minimize``: scipy.optimize.minimize's interface on compiled kernels."""
import math
import numbers
import warnings

import numpy as np
from scipy.optimize import OptimizeWarning

from . import _registry
from ._drivers import _Table, run_python, wrap_callback
from ._hess_inv import LbfgsInverseHessian
from ._jitted import compiled_objective, compiled_second_derivatives
from ._kernels.codes import BFGS, LBFGS, NEWTON, NEWTON_CG, STEEPEST
from ._objective import Objective, normalize_jac
from ._result import make_result


def _check_x0(x0):
    if type(x0) is np.ndarray and x0.dtype == np.float64 and x0.ndim == 1 and x0.size:
        # The common case, checked in a fraction of the general path's time: a
        # finite sum means finite entries (the full test runs only otherwise).
        if math.isfinite(x0.sum()) or np.isfinite(x0).all():
            return x0.copy()
        raise ValueError("x0 must be finite (it contains NaN or inf)")
    if np.iscomplexobj(x0):
        raise TypeError("x0 must be real, got complex values")
    try:
        x = np.array(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"x0 must be an array of real numbers, got {type(x0).__name__}") from None
    if x.ndim != 1:
        raise ValueError(f"x0 must be one-dimensional, got shape {x.shape}")
    if x.size == 0:
        raise ValueError("x0 must not be empty")
    if not np.isfinite(x).all():
        raise ValueError("x0 must be finite (it contains NaN or inf)")
    return x


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"option {name!r} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"option {name!r} must be >= {low}, got {value}")
    return int(value)


def _solver_options(spec, options, tol, n):
    """Split ``options`` into (hyper dict, maxiter, gtol, disp), warning on unknown keys."""
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise TypeError(f"options must be a dict or None, got {type(options).__name__}")
    unknown = sorted(map(str, set(options) - spec.option_names))
    if unknown:
        warnings.warn("Unknown solver options: " + ", ".join(unknown),
                      OptimizeWarning, stacklevel=3)
    maxiter = _check_int("maxiter", options.get("maxiter", spec.maxiter(n)), 0)
    gtol = options.get("gtol", spec.defaults["gtol"] if tol is None else tol)
    if isinstance(gtol, bool) or not isinstance(gtol, numbers.Real) or not gtol >= 0:
        raise ValueError(f"gtol (or tol) must be a non-negative number, got {gtol!r}")
    disp = options.get("disp", False)
    if not isinstance(disp, (bool, numbers.Integral)):
        raise TypeError(f"option 'disp' must be a bool or int, got {type(disp).__name__}")
    hyper = {k: v for k, v in options.items() if k in spec.hyper_names or k == "line_search"}
    return hyper, maxiter, float(gtol), int(disp)


def minimize(fun, x0, args=(), method=None, jac=None, hess=None, hessp=None,
             bounds=None, callback=None, tol=None, options=None):
    """Minimize a scalar function of one or more variables.

    The interface of ``scipy.optimize.minimize``.  Each step is one fused,
    compiled pass over memory (threaded for large ``n``).  When ``fun`` (and
    ``jac``, if given as a function) are compiled with ``numba.njit`` and there
    are no ``args``, ``callback`` or ``disp``, the whole loop runs compiled with
    no Python per iteration; the iterates are the same either way.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float``; with ``jac=True``, ``-> (float, ndarray)``.
    x0 : array_like, shape (n,)
        Initial guess, finite.
    args : tuple, optional
        Extra arguments passed to ``fun`` and ``jac``.
    method : str, optional
        One of ``'bfgs', 'l-bfgs', 'newton', 'newton-cg', 'gd', 'momentum',
        'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamax',
        'nadam', 'amsgrad'`` (case-insensitive; ``'lbfgs'`` and ``'L-BFGS-B'``
        name l-bfgs).  Default ``'bfgs'``, as in scipy.
        ``fastopt.show_options()`` lists each method's options and defaults.
    jac : callable, True, '2-point' or '3-point', optional
        Gradient: a function ``jac(x, *args)``, ``True`` if ``fun`` returns
        ``(f, g)``, or finite differences (default ``'2-point'``, with
        relative steps).
    hess, hessp : callable, optional
        ``hess(x, *args)`` -> (n, n) array and ``hessp(x, p, *args)`` -> H p,
        for ``'newton'`` (``hess``; finite differences of the gradient when
        absent) and ``'newton-cg'`` (either).  Other methods ignore them with
        a ``RuntimeWarning``, as in scipy.
    bounds : optional
        No method here honours bounds: passing any raises ``ValueError``.
    callback : callable, optional
        ``callback(intermediate_result)`` (an ``OptimizeResult`` with ``x``
        and ``fun``) or the legacy ``callback(xk)``, after every iteration.
        Raising ``StopIteration`` ends the run with status 99.
    tol : float, optional
        Sets ``gtol`` when the options do not.
    options : dict, optional
        ``maxiter``, ``gtol`` (stop when max |g_i| <= gtol), ``disp`` (print
        an iteration table; 2 for every row), and the method's own options
        (``lr``, ``beta1``, ``maxcor``, ``c1``, ...); ``show_options()``
        lists them with their defaults.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x, fun, jac, nit, nfev, njev, status, success, message``, plus
        ``hess_inv`` (bfgs: an array; l-bfgs: a ``LinearOperator``) and
        ``nhev`` (newton methods).  Status 0 is success; 1 iteration limit;
        2 a NaN/inf objective or gradient (``x`` is then the last iterate
        where both were finite); 3 line search failure; 4 (l-bfgs, success)
        relative reduction of f below ``ftol``; 99 ``StopIteration`` from
        the callback.

    Examples
    --------
    >>> import numpy as np
    >>> import fastopt
    >>> def rosen(x):
    ...     f = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
    ...     g = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]),
    ...                   200 * (x[1] - x[0] ** 2)])
    ...     return f, g
    >>> res = fastopt.minimize(rosen, [-1.2, 1.0], jac=True, method="adam",
    ...                        options={"lr": 0.01, "maxiter": 20000, "gtol": 1e-6})
    >>> res.success, np.allclose(res.x, [1.0, 1.0], atol=1e-5)
    (True, True)
    """
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    spec = _registry.lookup(method)
    x = _check_x0(x0)
    if not isinstance(args, tuple):
        args = (args,)
    jac = normalize_jac(jac)
    if bounds is not None and not spec.supports_bounds:
        raise ValueError(f"method {spec.name!r} cannot handle bounds")
    for name, given in (("hess", hess), ("hessp", hessp)):
        if given is not None and not spec.uses_hessian:
            warnings.warn(f"Method {spec.name} does not use Hessian information ({name}).",
                          RuntimeWarning, stacklevel=2)
    if tol is not None and (isinstance(tol, bool) or not isinstance(tol, numbers.Real)):
        raise TypeError(f"tol must be a number or None, got {type(tol).__name__}")
    report = wrap_callback(callback)
    given, maxiter, gtol, disp = _solver_options(spec, options, tol, x.size)
    search = given.pop("line_search", "armijo")
    if search not in ("armijo", "wolfe"):
        raise ValueError(f"option 'line_search' must be 'armijo' or 'wolfe', got {search!r}")
    if spec.kind is not None or search == "wolfe":
        if "lr" in given:
            raise ValueError("option 'line_search' applies only when no 'lr' is given")
        return _minimize_curvature(spec, fun, x, args, jac, hess, hessp, report,
                                   given, maxiter, gtol, disp)
    hyper, line_search = _registry.resolve_hyper(spec, given)

    compiled = None
    if report is None and not disp and not args:
        compiled = compiled_objective(fun, jac)
        if isinstance(compiled, str):
            warnings.warn(f"running the Python driver: {compiled}", OptimizeWarning,
                          stacklevel=2)
            compiled = None
    if compiled is not None:
        from ._kernels.driver import run_compiled_at
        addresses, mode = compiled
        x, f, g, nit, nfev, njev, status = run_compiled_at(
            addresses, mode, spec.kernel_id, x, spec.nslots, hyper, line_search, maxiter, gtol)
        return make_result(x, f, g, nit, nfev, njev, status)
    obj = Objective(fun, jac, args, x.size)
    x, f, g, nit, status = run_python(obj, spec.kernel_id, spec.nslots, x, hyper,
                                      line_search, maxiter, gtol, report, disp)
    return make_result(x, f, g, nit, obj.nfev, obj.njev, status)


def _minimize_curvature(spec, fun, x, args, jac, hess, hessp, report, given, maxiter, gtol, disp):
    """bfgs, l-bfgs, newton, newton-cg and gd with a Wolfe search: ``curvature.solve``."""
    kind = STEEPEST if spec.kind is None else spec.kind
    values = dict(_CURVATURE_DEFAULTS)
    values.update((name, _registry.check_hyper(name, value)) for name, value in given.items())
    if not values["c1"] < values["c2"]:
        raise ValueError(f"options must satisfy 0 < c1 < c2 < 1, got c1={values['c1']}, "
                         f"c2={values['c2']}")
    ftol = values["ftol"] if kind == LBFGS else 0.0
    params = np.array([gtol, ftol, values["c1"], values["c2"], values["maxls"]])
    maxcor = int(values["maxcor"])
    newton_like = kind in (NEWTON, NEWTON_CG)
    if newton_like and not (jac is True or callable(jac)):
        raise ValueError(f"method {spec.name!r} needs the gradient: pass jac=True or a function")
    if isinstance(hess, str):
        if hess not in ("2-point", "3-point"):
            raise ValueError(f"hess must be a callable, '2-point' or '3-point', got {hess!r}")
        hess = None  # finite differences of the gradient, the default
    for name, given_fn in (("hess", hess), ("hessp", hessp)):
        if given_fn is not None and not callable(given_fn):
            raise TypeError(f"{name} must be callable, got {type(given_fn).__name__}")
    if kind == NEWTON and hess is None and hessp is not None:
        raise ValueError("method 'newton' factors the Hessian: pass hess, "
                         "or use method='newton-cg' with hessp")

    compiled = None
    if report is None and not disp and not args:
        compiled = compiled_objective(fun, jac)
        if compiled is not None and not isinstance(compiled, str):
            second = compiled_second_derivatives(hess, hessp, kind)
            compiled = second if isinstance(second, str) else (
                compiled[0], second[0], compiled[1], second[1])
        if isinstance(compiled, str):
            warnings.warn(f"running the Python driver: {compiled}", OptimizeWarning, stacklevel=3)
            compiled = None
    if compiled is not None:
        out = _compiled_curvature_driver()(*compiled, kind, x, params, maxiter, maxcor)
    else:
        if kind == NEWTON_CG and hessp is None and hess is not None:
            hessp = _product_from_hess(hess)
        obj = Objective(fun, jac, args, x.size, hess if kind == NEWTON else None,
                        hessp if kind == NEWTON_CG else None)
        table = _Table(disp) if disp else None
        from ._kernels.curvature import solve
        out = solve(obj, kind, x, params, maxiter, maxcor, _reporter(report, table))
        if table:
            table.row(out[3], out[4][0], out[1], np.abs(out[2]).max(), force=True)
            table.summary(out[5], out[1], out[3], out[4][0], out[4][1])
    x, f, g, nit, counts, status, S, Y, rho, head, count, gamma, H = out
    extra = {}
    if kind == BFGS:
        extra["hess_inv"] = H
    elif kind == LBFGS:
        extra["hess_inv"] = LbfgsInverseHessian(S, Y, rho, head, count, gamma)
    elif newton_like:
        extra["nhev"] = int(counts[2])
    return make_result(x, f, g, nit, counts[0], counts[1], status, **extra)


#: Options of the curvature methods with their defaults (the l-bfgs row has them all).
_CURVATURE_DEFAULTS = {name: float(default) for name, default in _registry.METHODS["l-bfgs"].hyper}


def _compiled_curvature_driver():
    """``curvature_driver.run_at``, imported on first use (loading it reads a
    large cache entry) and then kept: an import statement per call costs
    microseconds that a small solve notices."""
    global _RUN_AT
    if _RUN_AT is None:
        from ._kernels.curvature_driver import run_at
        _RUN_AT = run_at
    return _RUN_AT


_RUN_AT = None


def _product_from_hess(hess):
    def hessp(x, p, *args):
        return np.asarray(hess(x, *args), dtype=np.float64) @ p
    return hessp


def _reporter(report, table):
    """The Python driver's per-iteration hook: a ``disp`` row and the callback."""
    if report is None and table is None:
        return None

    def reporter(nit, x, f, gmax, counts):
        if table:
            table.row(nit, counts[0], f, gmax)
        return report is not None and report(x, f)
    return reporter
