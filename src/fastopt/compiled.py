"""Solvers to call from inside numba-compiled code.

Every ``minimize`` method is here as a function a ``@numba.njit`` function can
call, running the same compiled loop as ``fastopt.minimize`` (same iterates,
same defaults).  The functions are generated from the table of methods:
``fg``, then ``hess`` (newton) or ``hessp`` (newton-cg), then ``x0``, then
the method's options as keyword arguments with the table's defaults
(``fastopt.show_options``), then ``maxiter`` (``-1``: ``200 * len(x0)``
where that is the default) and ``gtol``.  The objective is a numba-compiled
``fg(x) -> (f, g)``: value and gradient, ``x`` and ``g`` 1-D float64 arrays.
``x0`` is a 1-D array of float64, float32 or integers, copied to float64
(never modified), and ``f`` and ``g`` of other real dtypes are converted to
float64, as ``minimize`` does; another ``x0``, or an ``fg`` not returning
a real scalar and a 1-D array, is a ``numba.errors.TypingError`` naming
the argument when the caller is compiled.
Each solver returns a ``Result`` named tuple ``(x, fun, jac, nit, nfev,
njev, status)``; the run succeeded when ``status`` is ``SUCCESS``,
``FTOL``, ``XTOL`` or ``ROUNDING`` (see ``succeeded``; ``ROUNDING``: with
``gtol`` at its default, f's rounding stopped the run where the gradient
meets scipy's gtol, as in ``minimize``).

The loops behind these functions are compiled once and cached on disk, and
loaded when a caller is compiled.  numba cannot cache a function that passes
a compiled function on as a value (it stores the callee's address), so a
``cache=True`` function calling these solvers is compiled again in each
process, with a ``NumbaWarning`` saying so.  They allocate their own work
arrays and touch no global state, so they can run concurrently, e.g. one
solve per iteration of a ``numba.prange`` loop.

Examples
--------
Fit 1,000 shifted Rosenbrock problems in parallel:

>>> import numpy as np
>>> import numba
>>> from fastopt import compiled
>>> @numba.njit
... def rosen(x):
...     a = x[1] - x[0] ** 2
...     g = np.array([-400.0 * x[0] * a - 2.0 * (1.0 - x[0]), 200.0 * a])
...     return 100.0 * a * a + (1.0 - x[0]) ** 2, g
>>> @numba.njit(parallel=True)
... def solve_all(starts):
...     out = np.empty_like(starts)
...     ok = np.empty(starts.shape[0], dtype=np.bool_)
...     for i in numba.prange(starts.shape[0]):
...         res = compiled.lbfgs(rosen, starts[i].copy())
...         out[i] = res.x
...         ok[i] = compiled.succeeded(res.status)
...     return out, ok
>>> starts = np.random.default_rng(0).uniform(-2, 2, size=(1000, 2))
>>> x, ok = solve_all(starts)
>>> bool(ok.all()), bool(np.allclose(x, 1.0, atol=1e-3))
(True, True)
"""

import numpy as np
import numba
from numba.core import errors, types
from numba.core.registry import cpu_target
from numba.extending import overload

from ._core import codes
from ._core.jit import UNCACHED, generated
from ._core.status import SUCCEEDED
from ._minimize import curvature, first_order
from ._minimize.directions import new_memory
from ._minimize.objective import unused_f, unused_g, unused_hess, unused_hessp
from ._minimize.table import METHODS, SCIPY_GTOL

#: What every solver here returns: ``(x, fun, jac, nit, nfev, njev, status)``.
Result = first_order.Result

SUCCESS, MAXITER, NONFINITE, LINESEARCH, FTOL, UNBOUNDED, XTOL, MAXFUN, ROUNDING = (
    codes.SUCCESS, codes.MAXITER, codes.NONFINITE, codes.LINESEARCH, codes.FTOL,
    codes.UNBOUNDED, codes.XTOL, codes.MAXFUN, codes.ROUNDING)


#: ``status.SUCCEEDED`` as a tuple numba can hold.
_SUCCEEDED = tuple(sorted(int(s) for s in SUCCEEDED))


@numba.njit(**UNCACHED)
def succeeded(status):
    """True for the statuses ``fastopt.minimize`` reports as success."""
    return status in _SUCCEEDED


# --- the cached loops, resolved when a caller is compiled ------------------------
# Looking the entries up at the caller's compile time (not at import) keeps
# ``import fastopt.compiled`` from loading every method's loop.

def _first_order(name, fg, x0, lr, hyper, state, maxiter, gtol, line_search):
    raise TypeError("fastopt.compiled solvers are called from numba-compiled code")


def _start(x0):
    raise TypeError("fastopt.compiled solvers are called from numba-compiled code")


def _objective(fg):
    raise TypeError("fastopt.compiled solvers are called from numba-compiled code")


# The typing-stage checks below: without them a wrong x0 or fg fails deep in
# the loops, with numba's error about fastopt's internals.

@overload(_start, jit_options=UNCACHED)
def _start_compiled(x0):
    if not (isinstance(x0, types.Array) and x0.ndim == 1
            and isinstance(x0.dtype, (types.Float, types.Integer))):
        raise errors.TypingError(
            f"fastopt.compiled: x0 must be a 1-D numpy array of real numbers (float64; "
            f"float32 or integers are copied to float64), got {x0}")
    if x0.dtype == types.float64:
        return lambda x0: np.ascontiguousarray(x0)  # the loops work on their own copy
    return lambda x0: x0.astype(np.float64)


@overload(_objective, jit_options=UNCACHED)
def _objective_compiled(fg):
    """``fg`` itself, or ``fg`` with its value and gradient cast to float64."""
    if not isinstance(fg, types.Dispatcher):
        return lambda fg: fg  # a first-class function type: numba checks it at the call
    ret = fg.get_call_type(cpu_target.typing_context, (types.float64[::1],), {}).return_type
    real = (types.Float, types.Integer)
    if not (isinstance(ret, types.BaseTuple) and len(ret) == 2 and isinstance(ret[0], real)
            and isinstance(ret[1], types.Array) and ret[1].ndim == 1
            and isinstance(ret[1].dtype, real)):
        raise errors.TypingError(
            f"fastopt.compiled: the objective fg must return (f, g), f a real scalar and g "
            f"a 1-D array of x's length, got {ret}")
    if ret[0] == types.float64 and ret[1].dtype == types.float64:
        return lambda fg: fg
    user = fg.dispatcher

    @numba.njit(**UNCACHED)
    def fg64(x):  # as the Python API: other real dtypes are converted
        f, g = user(x)
        return float(f), g.astype(np.float64)
    return lambda fg: fg64


@overload(_first_order, jit_options=UNCACHED, prefer_literal=True)
def _first_order_compiled(name, fg, x0, lr, hyper, state, maxiter, gtol, line_search):
    if not isinstance(name, types.StringLiteral):
        return None  # numba's retry without literals, after a failure inside
    run = first_order.entries(METHODS[name.literal_value].rule).run

    def call(name, fg, x0, lr, hyper, state, maxiter, gtol, line_search):
        return run(fg, unused_f, unused_g, codes.MODE_FG, x0, lr, hyper, state, maxiter, gtol,
                   line_search)
    return call


def _curvature(fg, hess, hessp, hess_mode, direction, x0, options):
    raise TypeError("fastopt.compiled solvers are called from numba-compiled code")


@overload(_curvature, jit_options=UNCACHED)
def _curvature_compiled(fg, hess, hessp, hess_mode, direction, x0, options):
    run = curvature.entries()[0]

    def call(fg, hess, hessp, hess_mode, direction, x0, options):
        mem = new_memory(direction, x0.size, options.maxcor)
        r = run(fg, unused_f, unused_g, hess, hessp, codes.MODE_FG, hess_mode, direction, x0,
                options, mem)
        return Result(r.x, r.fun, r.jac, r.nit, r.nfev, r.njev, r.status)
    return call


# --- one solver per method, generated from the table -----------------------------

#: Second-derivative arguments of the newton methods: name, placeholders, mode.
_SECOND = {codes.NEWTON: ("hess", "hess, unused_hessp", codes.HESS_DENSE),
           codes.NEWTON_CG: ("hessp", "unused_hess, hessp", codes.HESS_PRODUCT)}


def _public_name(method):
    return method.replace("l-bfgs", "lbfgs").replace("-", "_")


def _signature(spec):
    """The keyword parameters: the method's options (``lr=None`` is NaN:
    gd's line search), then ``maxiter`` (``-1``: 200 per parameter) and ``gtol``."""
    options = ", ".join(f"{k}={'np.nan' if v is None else 'np.inf' if v == np.inf else repr(v)}"
                        for k, v in spec.options.items())
    maxiter = -1 if spec.maxiter == "200n" else spec.maxiter
    return options, f"maxiter={maxiter}, gtol={spec.gtol!r}"


def _solver(spec):
    options, limits = _signature(spec)
    namespace = {"np": np, "_start": _start, "_objective": _objective,
                 "_first_order": _first_order,
                 "_curvature": _curvature,
                 "unused_hess": unused_hess, "unused_hessp": unused_hessp,
                 "Options": curvature.Options}
    head = "    x = _start(x0)\n    objective = _objective(fg)\n"
    if spec.maxiter == "200n":
        head += "    if maxiter < 0:\n        maxiter = 200 * x.size\n"
    if spec.rule is not None:
        rule = spec.rule
        namespace.update(Hyper=rule.Hyper, State=rule.State)
        hyper = ", ".join(rule.hyper_names[1:])
        state = ", ".join("np.zeros(x.size)" for _ in rule.state)
        body = head + (
            f"    line_search = lr != lr  # lr = nan: gd's Armijo search\n"
            f"    return _first_order({spec.name!r}, objective, x, 0.0 if line_search else lr, "
            f"Hyper({hyper}), State({state}{',' if len(rule.state) == 1 else ''}), maxiter, "
            f"gtol, line_search)\n")
        params = f"fg, x0, {options}, {limits}"
        doc = f"{spec.name}: {spec.update.replace('`', '``')} ({spec.reference})."
    else:
        second, placeholders, hess_mode = _SECOND.get(
            spec.direction, (None, "unused_hess, unused_hessp", codes.HESS_FD))
        o = dict(spec.options)
        body = head + (
            f"    options = Options(float(gtol), {'float(ftol)' if 'ftol' in o else '0.0'}, "
            f"float(c1), float(c2), int(maxls), int(maxiter), "
            f"{'int(maxcor)' if 'maxcor' in o else '1'}, "
            f"{'float(xrtol)' if 'xrtol' in o else 'float(xtol)' if 'xtol' in o else '0.0'}, "
            f"{'float(norm)' if 'norm' in o else 'np.inf'}, "
            f"{'int(maxfun)' if 'maxfun' in o else '-1'}, False, 0.0, "
            f"max({SCIPY_GTOL!r}, gtol) if gtol == {spec.gtol!r} else 0.0)\n"
            f"    return _curvature(objective, {placeholders}, {hess_mode}, {spec.direction}, x, "
            f"options)\n")
        params = f"fg, {second + ', ' if second else ''}x0, {options}, {limits}"
        doc = (f"{spec.name} (``minimize(method={spec.name!r})``): {spec.update.replace('`', '``')}"
               f" ({spec.reference}).")
    name = _public_name(spec.name)
    fn = generated(name, params, body, namespace, doc)
    fn.__module__ = __name__
    return numba.njit(**UNCACHED)(fn)


for _spec in METHODS.values():
    globals()[_public_name(_spec.name)] = _solver(_spec)

__all__ = ["Result", "succeeded", "SUCCESS", "MAXITER", "NONFINITE", "LINESEARCH", "FTOL",
           "UNBOUNDED", "XTOL", "MAXFUN", "ROUNDING",
           *(_public_name(m) for m in METHODS)]
