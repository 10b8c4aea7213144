"""``fastopt.minimize``: scipy.optimize.minimize's interface on compiled kernels.

A call is validated and resolved into a plan (the method's row, its
options, the driver, the compiled objective's addresses), then the plan is
run on ``x0``.  Plans are kept for calls that repeat (same function, method
and options; ``_PLANS``): a small compiled solve costs a few microseconds,
and validating its arguments again would be most of them.  Warnings a plan
was built with are given on every call.
"""
import numbers
import textwrap
import warnings

import numpy as np
from scipy.optimize import OptimizeResult, OptimizeWarning
from scipy.sparse import issparse

from .._core import codes, delegate, validate
from .._core.jit import entry_point
from .._core.status import MINIMIZE, MINIMIZE_LBFGSB, REPORTED
from . import curvature, directions, driver_options, first_order, table
from .hess_inv import LbfgsInverseHessian
from .objective import Objective, compiled_objective, normalize_jac
from .report import Reporter, wrap_callback

#: Plans of recent calls, by ``_key``; cleared when full.
_PLANS = {}
_MAX_PLANS = 256
#: Largest ``Memory.buffer`` (in elements, 1 MB) whose head ``res.jac`` may be a view of.
_SHARED_BUFFER = 1 << 17


def _result(x, f, g, nit, nfev, njev, status, outcomes=MINIMIZE, **extra):
    """scipy's ``OptimizeResult`` from a loop's outputs (plus ``extra`` fields):
    Python numbers (the compiled entries return them), not NumPy scalars.
    ``outcomes``: the method's words for each status (``status.py``)."""
    success, message = outcomes[status]
    return OptimizeResult(x=x, fun=f, jac=g, nit=nit, nfev=nfev, njev=njev,
                          status=REPORTED.get(status, status),
                          success=success, message=message, implementation=delegate.FASTOPT,
                          **extra)


def _key(fun, method, jac, hess, hessp, callback, tol, options, n):
    """What a plan depends on (maybe unhashable: the caller's lookup says).

    Values are tagged with their types: equal values of different types
    (1, 1.0, True) must not share a plan, validation treats them differently.
    """
    items = () if not options or type(options) is not dict else \
        tuple([(name, type(value), value) for name, value in options.items()])
    return (fun, method, type(jac), jac, hess, hessp, callback, type(tol), tol, items, n,
            options is None or type(options) is dict)


def minimize(fun, x0, args=(), method=None, jac=None, hess=None, hessp=None, bounds=None,
             constraints=(), tol=None, callback=None, options=None, *, fallback="scipy"):
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
    method : str or callable, optional
        fastopt's compiled methods:
        {methods}
        (case-insensitive; ``'lbfgs'`` and ``'L-BFGS-B'`` name l-bfgs).
        Default ``'bfgs'``, as in scipy (with ``bounds``: scipy's
        L-BFGS-B; with ``constraints``: scipy's SLSQP).
        ``fastopt.show_options()`` lists each method's options and defaults.
        scipy's other methods run scipy's implementation:
        {scipy_methods}, and a callable; so do calls needing what the
        compiled methods lack (bounds, constraints, ``jac='cs'``, a
        ``HessianUpdateStrategy``, the scipy options a method's row lists).
        ``res.implementation`` says which code ran.
    jac : callable, True, '2-point' or '3-point', optional
        Gradient: a function ``jac(x, *args)``, ``True`` if ``fun`` returns
        ``(f, g)``, or finite differences (default ``'2-point'``, with
        relative steps).
    hess, hessp : callable, optional
        ``hess(x, *args)`` -> (n, n) array and ``hessp(x, p, *args)`` -> H p,
        for ``'newton'`` (``hess``; finite differences of the gradient when
        absent) and ``'newton-cg'`` (either).  Other methods ignore them with
        a ``RuntimeWarning``, as in scipy.
    bounds, constraints : optional
        As scipy's: no compiled method takes them yet, so a call with
        either runs scipy's method (fastopt-only methods raise
        ``ValueError``).
    callback : callable, optional
        ``callback(intermediate_result)`` (an ``OptimizeResult`` with ``x``
        and ``fun``) or the legacy ``callback(xk)``, after every iteration.
        Raising ``StopIteration`` ends the run with status 99.
    tol : float, optional
        Sets ``gtol`` when the options do not (l-bfgs: ``ftol`` too, as
        scipy's L-BFGS-B).
    options : dict, optional
        ``maxiter``, ``gtol`` (stop when max |g_i| <= gtol), ``disp`` (print
        an iteration table; 2 for every row), and the method's own options
        (``lr``, ``beta1``, ``maxcor``, ``c1``, ...); ``show_options()``
        lists them with their defaults.
    fallback : {'scipy', 'error'}, optional
        What to do with a call fastopt has no implementation of: run
        scipy's (default) or raise ``NotImplementedError`` saying what is
        missing.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x, fun, jac, nit, nfev, njev, status, success, message``, plus
        ``hess_inv`` (bfgs: an array; l-bfgs: a ``LinearOperator``) and
        ``nhev`` (newton methods).  Statuses as scipy's BFGS numbers them:
        0 success (for l-bfgs also a relative reduction of f below
        ``ftol``, as L-BFGS-B, whose messages l-bfgs uses); 1 iteration
        limit; 2 line search failure (scipy's "precision loss"); 3 a NaN/inf
        objective or gradient (``x`` is then the last iterate where both
        were finite); 99 ``StopIteration`` from the callback.
        ``implementation``: ``'fastopt'``, or ``'scipy'`` for a call scipy's
        code ran (its result then is scipy's).

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
    x = validate.start_vector("x0", x0)
    if type(args) is not tuple:
        args = tuple(args) if isinstance(args, tuple) else (args,)
    key = plan = None
    if fallback != "scipy":
        delegate.check_fallback(fallback)
    if not args and bounds is None and type(constraints) is tuple and not constraints:
        key = _key(fun, method, jac, hess, hessp, callback, tol, options, x.size)
        try:
            plan = _PLANS.get(key)
        except TypeError:  # an unhashable part: no plan kept
            key = None
    if plan is None:
        plan = _plan(fun, method, args, jac, hess, hessp, bounds, constraints, callback, tol,
                     options, x.size)
        if key is not None:
            if len(_PLANS) >= _MAX_PLANS:
                _PLANS.clear()
            _PLANS[key] = plan
    run, notes = plan
    if type(run) is str:  # what fastopt lacks: scipy's minimize runs
        res = delegate.run("minimize", run, fallback, fun, x0, args, _scipy_method(method),
                           jac, hess, hessp, bounds, constraints, tol, callback, options)
        res.implementation = delegate.SCIPY
        return res
    for message, category in notes:
        warnings.warn(message, category, stacklevel=2)
    return run(x)


def _fill(names):
    return textwrap.fill(", ".join(repr(m) for m in names), 70, subsequent_indent=" " * 8,
                         break_on_hyphens=False).lstrip()


minimize.__doc__ = minimize.__doc__.replace("{methods}", _fill(
    table.CURVATURE + table.FIRST_ORDER)).replace("{scipy_methods}", _fill(table.SCIPY_ONLY))


def _plan(fun, method, args, jac, hess, hessp, bounds, constraints, callback, tol, options, n):
    """``(run, notes)``: ``run(x)`` solves from ``x`` (a float64 copy of x0)
    and returns the result; ``notes`` are the warnings the call earns.  When
    fastopt lacks what the call needs, ``run`` is a string saying what."""
    reason = _scipy_reason(method, jac, hess, bounds, constraints)
    if reason is not None:
        return reason, ()
    spec = table.lookup(method)
    jac = normalize_jac(jac)
    notes = []
    if not spec.uses_hessian:
        notes += [(f"Method {spec.name} does not use Hessian information ({name}).",
                   RuntimeWarning) for name, given in (("hess", hess), ("hessp", hessp))
                  if given is not None]
    if tol is not None and (isinstance(tol, bool) or not isinstance(tol, numbers.Real)):
        raise TypeError(f"tol must be a number or None, got {type(tol).__name__}")
    report = wrap_callback(callback)
    given, maxiter, gtol, gtol_rounding, disp = _solver_options(spec, options, tol, n, notes,
                                                                isinstance(jac, str))
    search = given.pop("line_search", "armijo")
    if search not in ("armijo", "wolfe"):
        raise ValueError(f"option 'line_search' must be 'armijo' or 'wolfe', got {search!r}")
    if spec.direction is not None or search == "wolfe":
        if "lr" in given:
            raise ValueError("option 'line_search' applies only when no 'lr' is given")
        extra = driver_options.read(spec, options, n)
        if extra.disp is not None and not disp:
            disp = extra.disp
        run = _curvature_plan(spec, fun, args, jac, hess, hessp, report, given, maxiter,
                              (gtol, gtol_rounding), disp, n, notes, extra)
    else:
        run = _first_order_plan(spec, fun, args, jac, report, given, maxiter, gtol, disp, n,
                                notes)
    return run, tuple(notes)


def _scipy_method(method):
    """The ``method`` to give scipy: fastopt's own spelling of a scipy method
    (``'l-bfgs'``) as scipy's."""
    if isinstance(method, str):
        spec = table.find(method)
        if spec is not None and spec.scipy_name is not None:
            return spec.scipy_name
    return method


def _scipy_reason(method, jac, hess, bounds, constraints):
    """What fastopt's methods lack for this call (a phrase), or None.

    The call is fastopt's if its method is in ``table.METHODS`` (None:
    bfgs) and it needs nothing the row does not implement: no bounds, no
    constraints, no ``jac`` or ``hess`` form the loops cannot evaluate.  A fastopt-only
    method with bounds or constraints is an error (scipy has no such method).
    """
    has_constraints = not (isinstance(constraints, (tuple, list)) and not constraints)
    if callable(method):
        return "a callable method"
    if method is None:
        if has_constraints:
            return "constraints (scipy's default for them is SLSQP)"
        if bounds is not None:
            return "bounds (scipy's default for them is L-BFGS-B)"
        method = table.DEFAULT_METHOD
    if not isinstance(method, str):
        raise TypeError(f"method must be a string, a callable or None, "
                        f"got {type(method).__name__}")
    spec = table.find(method)
    if spec is None:
        if method.lower() in table.SCIPY_ONLY:
            return f"method {method!r}"
        table.lookup(method)  # raises, naming the valid methods
    reason = None
    if bounds is not None:
        reason = "bounds"
    elif has_constraints:
        reason = "constraints"
    elif isinstance(jac, str) and jac not in ("2-point", "3-point"):
        reason = f"jac={jac!r}"
    elif hess is not None and spec.uses_hessian and not (
            callable(hess) or (isinstance(hess, str) and hess in ("2-point", "3-point"))):
        reason = f"hess={hess!r}" if isinstance(hess, str) else f"hess as {type(hess).__name__}"
    if reason is not None and spec.scipy_name is None:
        raise ValueError(f"method {spec.name!r} cannot handle {reason}")
    return reason


def _solver_options(spec, options, tol, n, notes, differenced):
    """Split ``options`` into (method options, maxiter, gtol, gtol_rounding,
    disp), noting unknown keys; ``differenced``: the gradient is finite
    differences.  ``gtol_rounding`` (``curvature.Options``) is scipy's gtol
    when ``gtol`` is a default tighter than it, else 0."""
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise TypeError(f"options must be a dict or None, got {type(options).__name__}")
    given = {}
    unknown = []
    for name, value in options.items():
        if name in spec.options or name == "line_search":
            given[name] = value
        elif name not in spec.option_names:
            unknown.append(str(name))
    if unknown:
        notes.append(("Unknown solver options: " + ", ".join(sorted(unknown)), OptimizeWarning))
    if tol is not None and spec.direction == codes.LBFGS:
        given.setdefault("ftol", tol)  # as scipy's L-BFGS-B
    maxiter = options.get("maxiter")
    maxiter = spec.maxiter_for(n) if maxiter is None else \
        validate.count("option 'maxiter'", maxiter)
    default = spec.gtol_for(differenced)
    if spec.direction == codes.NEWTON_CG:
        # scipy's Newton-CG stops on its step alone, xtol (which tol sets):
        # asked for, it is the test, unless gtol is given too.
        if tol is not None:
            given.setdefault("xtol", tol)
            tol = None
        if given.get("xtol"):
            default = 0.0
    gtol = options.get("gtol", default if tol is None else tol)
    gtol_rounding = max(table.SCIPY_GTOL, gtol) if gtol is default else 0.0
    if gtol is not default:
        gtol = validate.tolerance("gtol (or tol)", gtol)
    disp = options.get("disp", False)
    if type(disp) is not bool and not isinstance(disp, numbers.Integral):
        raise TypeError(f"option 'disp' must be a bool or int, got {type(disp).__name__}")
    return given, maxiter, gtol, gtol_rounding, int(disp)


def _compiled(fun, jac, report, disp, args, notes, hess=None, hessp=None, direction=None):
    """The compiled objective's addresses and modes, or None for the Python driver."""
    if report is not None or disp or args:
        return None
    compiled = compiled_objective(fun, jac, hess, hessp, direction)
    if type(compiled) is str:
        notes.append((f"running the Python driver: {compiled}", OptimizeWarning))
        return None
    return compiled


def _first_order_plan(spec, fun, args, jac, report, given, maxiter, gtol, disp, n, notes):
    """The fused first-order methods: ``first_order.solve``, compiled or Python."""
    rule = spec.rule
    lr, hyper = rule.resolve(given)
    line_search = lr is None
    if line_search and not rule.line_search:
        raise ValueError(f"method {spec.name!r} needs option 'lr'")
    lr = 0.0 if line_search else lr
    compiled = _compiled(fun, jac, report, disp, args, notes)
    if compiled is not None:
        addresses, mode, _ = compiled
        entry = first_order.entries(rule).run_at

        def run(x):
            g = np.empty(n)
            f, nit, nfev, njev, status = entry(addresses, mode, x, lr, hyper, rule.new_state(n),
                                               maxiter, gtol, line_search, x, g)
            return _result(x, f, g, nit, nfev, njev, status)
        return run
    example = np.empty(n)
    step = entry_point(rule.select(n), example, example, example, lr, hyper, rule.new_state(n),
                       np.ones(2))

    def run(x):
        obj = Objective(fun, jac, args, n)
        reporter = Reporter.make(report, disp)
        res = first_order.solve(obj, step, lr, hyper, rule.new_state(n), x, maxiter, gtol,
                                line_search, reporter)
        if reporter is not None:
            reporter.finish(res)
        return _result(res.x, float(res.fun), res.jac, res.nit, int(res.nfev), int(res.njev),
                       int(res.status))
    return run


def _curvature_plan(spec, fun, args, jac, hess, hessp, report, given, maxiter, gtols, disp, n,
                    notes, extra):
    """bfgs, l-bfgs, newton, newton-cg and gd with a Wolfe search: ``curvature.solve``;
    ``gtols``: ``(gtol, gtol_rounding)``; ``extra``: the ``DriverOptions``."""
    direction = codes.STEEPEST if spec.direction is None else spec.direction
    options = _curvature_options(direction, given, gtols, maxiter, extra)
    newton_like = direction in (codes.NEWTON, codes.NEWTON_CG)
    if newton_like:
        hess, hessp = _second_derivatives(spec, direction, jac, hess, hessp)

    def result(x, f, g, nit, nfev, njev, nhev, status, buffer, head, count, gamma):
        if direction == codes.BFGS:
            return _result(x, f, g, nit, nfev, njev, status, hess_inv=buffer[n:].reshape(n, n))
        if direction == codes.LBFGS:
            return _result(x, f, g, nit, nfev, njev, status, MINIMIZE_LBFGSB,
                           hess_inv=LbfgsInverseHessian(buffer, n, options.maxcor, head,
                                                        count, gamma))
        if newton_like:
            return _result(x, f, g, nit, nfev, njev, status, nhev=nhev)
        return _result(x, f, g, nit, nfev, njev, status)

    compiled = None if extra.python_only else _compiled(
        fun, jac, report, disp, args, notes, hess=hess, hessp=hessp, direction=direction)
    if compiled is not None:
        addresses, mode, hess_mode = compiled
        entry = curvature.entries()[1]
        # Called through its entry point: numba's dispatch would type the
        # options tuple on every call.
        entry = entry.overloads[entry.signatures[0]].entry_point

        def run(x):
            (buffer, f, nit, nfev, njev, nhev, status, head, count,
             gamma) = entry(addresses, mode, hess_mode, direction, x, options, x)
            # The gradient is the buffer's head: a view, unless it would keep a
            # large curvature memory alive for a caller holding only res.jac.
            g = buffer[:n] if buffer.size <= _SHARED_BUFFER else buffer[:n].copy()
            return result(x, f, g, nit, nfev, njev, nhev, status, buffer, head, count, gamma)
        return run
    if direction == codes.NEWTON_CG and hessp is None and hess is not None:
        hessp = _product_from_hess(hess)

    def run(x):
        reporter = Reporter.make(report, disp, extra.return_all)
        mem = directions.new_memory(direction, n, options.maxcor)
        if extra.hess_inv0 is not None:
            mem.H[:] = extra.hess_inv0
        with driver_options.mapper(extra.workers) as workers:
            obj = Objective(fun, jac, args, n, hess if direction == codes.NEWTON else None,
                            hessp if direction == codes.NEWTON_CG else None, extra.abs_step,
                            extra.rel_step, workers)
            res = curvature.solve(obj, direction, x, options, mem, reporter)
        if reporter is not None:
            reporter.finish(res)
        out = result(res.x, float(res.fun), res.jac, res.nit, int(res.nfev), int(res.njev),
                     int(res.nhev), int(res.status), mem.buffer, int(mem.ring[0]),
                     int(mem.ring[1]), float(mem.gamma[0]))
        if extra.return_all:
            out.allvecs = reporter.allvecs
        return out
    return run


def _curvature_options(direction, given, gtols, maxiter, extra=driver_options.NONE):
    """The loop's ``Options``: the method's options (defaults, or ``given``
    checked), ``gtols = (gtol, gtol_rounding)``, ``maxiter`` and what
    ``extra`` (``DriverOptions``) sets."""
    gtol, gtol_rounding = gtols
    values = dict(table.CURVATURE_DEFAULTS)
    values.update((name, validate.option(name, value)) for name, value in given.items())
    if not values["c1"] < values["c2"]:
        raise ValueError(f"options must satisfy 0 < c1 < c2 < 1, got c1={values['c1']}, "
                         f"c2={values['c2']}")
    lbfgs = direction == codes.LBFGS
    xtol = values["xrtol"] if direction == codes.BFGS else \
        values["xtol"] if direction == codes.NEWTON_CG else 0.0
    return curvature.Options(gtol, values["ftol"] if lbfgs else 0.0, values["c1"],
                             values["c2"], int(values["maxls"]), maxiter,
                             int(values["maxcor"]), xtol,
                             values["norm"] if direction == codes.BFGS else np.inf,
                             int(values["maxfun"]) if lbfgs else -1,
                             extra.hess_inv0 is not None, extra.hstep, gtol_rounding)


def _second_derivatives(spec, direction, jac, hess, hessp):
    """``hess`` and ``hessp`` checked for the newton methods."""
    if not (jac is True or callable(jac)):
        raise ValueError(f"method {spec.name!r} needs the gradient: pass jac=True or a function")
    if isinstance(hess, str):
        if hess not in ("2-point", "3-point"):
            raise ValueError(f"hess must be a callable, '2-point' or '3-point', got {hess!r}")
        hess = None  # finite differences of the gradient, the default
    for name, given_fn in (("hess", hess), ("hessp", hessp)):
        if given_fn is not None and not callable(given_fn):
            raise TypeError(f"{name} must be callable, got {type(given_fn).__name__}")
    if direction == codes.NEWTON and hess is None and hessp is not None:
        raise ValueError("method 'newton' factors the Hessian: pass hess, "
                         "or use method='newton-cg' with hessp")
    return hess, hessp


def _product_from_hess(hess):
    def hessp(x, p, *args):
        H = hess(x, *args)
        return H @ p if issparse(H) else np.asarray(H, dtype=np.float64) @ p
    return hessp
