"""The user's objective as both loops of ``minimize`` see it.

* From Python: an ``Objective`` (validated, counted calls of ``fun``,
  ``jac``, ``hess``, ``hessp``).
* Compiled: a ``Compiled`` named tuple of numba function values, rebuilt
  inside the cached entries from machine addresses (``compiled_objective``
  looks them up once per function; ``_core/fnptr.py`` says why).

The boundary functions below (``evaluate``, ``value``, ``gradient``,
``hessian``, ``hessp``, ``hess_mode``, ``report``) have a Python body for
the one and a compiled body for the other: they are the only places where
the two lives of a loop differ (``_core/twin.py``).
"""
import copy
import math
import sys
from typing import NamedTuple

import numpy as np
from numba import njit, types
from numba.extending import is_jitted
from scipy.sparse import issparse

from .._core import codes
from .._core.fdiff import FD_GTOL, FORWARD_STEP, SCHEMES, fd_gradient
from .._core.fnptr import MATRIX, MISSING, VECTOR, addresses, cached, memo
from .._core.jit import KERNEL_OPTIONS
from .._core.twin import boundary, twin
from .._core.validate import real_scalar
from .._core.vector import inf_norm

#: fun(x) -> (f, g), used with ``jac=True``.
FG_SIG = types.Tuple((types.float64, VECTOR))(VECTOR)
#: fun(x) -> f
F_SIG = types.float64(VECTOR)
#: jac(x) -> g
G_SIG = VECTOR(VECTOR)
#: hess(x) -> H, shape (n, n)
HESS_SIG = MATRIX(VECTOR)
#: hessp(x, p) -> H p
HESSP_SIG = VECTOR(VECTOR, VECTOR)
FG_TYPE, F_TYPE, G_TYPE, HESS_TYPE, HESSP_TYPE = (
    types.FunctionType(s) for s in (FG_SIG, F_SIG, G_SIG, HESS_SIG, HESSP_SIG))


class Compiled(NamedTuple):
    """The objective inside compiled code: function values (placeholders for
    the parts ``mode`` and ``hess_mode`` never call) and the two modes
    (``codes.MODE_*``, ``codes.HESS_*``)."""

    fg: object
    fun: object
    jac: object
    hess: object
    hessp: object
    mode: int
    hess_mode: int


# Compiled on first use (for the signatures above), not at import.

@njit(**KERNEL_OPTIONS)
def unused_f(x):
    """Placeholder for a function argument the chosen mode never calls."""
    return np.nan


@njit(**KERNEL_OPTIONS)
def unused_g(x):
    """Placeholder for a function argument the chosen mode never calls."""
    return x


@njit(**KERNEL_OPTIONS)
def unused_fg(x):
    """Placeholder for a function argument the chosen mode never calls."""
    return np.nan, x


@njit(**KERNEL_OPTIONS)
def unused_hess(x):
    """Placeholder for a ``hess`` the chosen method never calls."""
    return np.empty((0, 0))


@njit(**KERNEL_OPTIONS)
def unused_hessp(x, p):
    """Placeholder for a ``hessp`` the chosen method never calls."""
    return p


# --- the Python objective ------------------------------------------------------

def _refcount_in_callee(array):
    return sys.getrefcount(array)


def _private_refs():
    """``sys.getrefcount`` of an array that only a caller's local holds, seen
    from inside a function it was passed to: ``Objective._vector``'s situation.
    Measured, not assumed: interpreters differ in which references they
    borrow, and guessing too high would skip a copy the caller needs."""
    array = np.empty(1)
    return _refcount_in_callee(array)


_PRIVATE_REFS = _private_refs()
_NO_STEPS = np.empty(0)


def normalize_jac(jac):
    """Map scipy's ``jac`` argument to True, a callable, or an FD scheme name."""
    if jac is None or jac is False:
        return "2-point"
    if jac is True or callable(jac):
        return jac
    if isinstance(jac, str) and jac in SCHEMES:
        return jac
    raise ValueError(f"jac must be a callable, True, '2-point' or '3-point', got {jac!r}")


class _FdValue:
    """``fun(x, *args)`` checked as a real number: what ``workers`` map over
    (a plain object, so that a process pool can pickle it)."""

    def __init__(self, fun, args):
        self.fun = fun
        self.args = args

    def __call__(self, x):
        return real_scalar(self.fun(x, *self.args), "fun")


class Objective:
    """Calls ``fun`` (and ``jac``, ``hess``, ``hessp``) with ``args``, checks
    what comes back, and counts the calls in the loop's ``counts`` array
    (nfev, njev, nhev).

    Parameters
    ----------
    fun, jac, args
        As given to ``minimize`` (``jac`` already normalised).
    n : int
        Number of parameters.
    hess, hessp : callable, optional
        Second derivatives for the newton methods.
    abs_step, rel_step : float or ndarray, optional
        The differencing steps asked for (scipy's ``eps`` and
        ``finite_diff_rel_step``): ``h_i = abs_step``, or ``h_i = rel_step
        sign(x_i) max(1, |x_i|)``; ``abs_step`` first.  Neither: fdiff's rule.

    Attributes
    ----------
    mode, hess_mode : int
        How the gradient and the second derivatives come (``codes.MODE_*``,
        ``codes.HESS_*``), as in ``Compiled``.
    """

    def __init__(self, fun, jac, args, n, hess=None, hessp=None, abs_step=None,
                 rel_step=None, workers=None):
        self.fun = fun
        self.abs_step = abs_step
        self.rel_step = rel_step
        self.workers = workers
        self._fd_value = _FdValue(fun, args)
        self.jac = jac
        self.args = args
        self.n = n
        if jac is True:
            self.mode = codes.MODE_FG
        elif callable(jac):
            self.mode = codes.MODE_F_G
        else:
            self.mode = codes.MODE_FD3 if jac == "3-point" else codes.MODE_FD2
        self._hess = hess
        self._hessp = hessp
        if hessp is not None:
            self.hess_mode = codes.HESS_PRODUCT
        elif hess is not None:
            self.hess_mode = codes.HESS_DENSE
        else:
            self.hess_mode = codes.HESS_FD

    def _vector(self, g):
        # A copy, since the caller may reuse its buffer -- unless nobody else can
        # hold the array: a float64 array owning its data, referenced only by
        # the calling method's local and this frame (``_PRIVATE_REFS``, as
        # measured).  That skips an O(n) copy per evaluation for large n.
        if not (type(g) is np.ndarray and g.dtype == np.float64 and g.flags.owndata
                and g.flags.writeable and sys.getrefcount(g) <= _PRIVATE_REFS):
            g = np.array(g, dtype=np.float64)
        if g.shape == () and self.n == 1:  # scipy takes a scalar's derivative as a number
            g = g.reshape(1)
        if g.shape != (self.n,):
            raise ValueError(f"the gradient has shape {g.shape}, expected ({self.n},)")
        return g

    def fg(self, x):
        """``(f(x), g(x))`` from a ``jac=True`` function (the caller counts)."""
        out = self.fun(x.copy(), *self.args)  # the user's function may write to it
        if not isinstance(out, tuple) or len(out) != 2:
            raise ValueError("with jac=True, fun must return a tuple (f, g)")
        f, g = out
        del out  # the tuple's reference to g would count as another holder
        return real_scalar(f, "fun"), self._vector(g)

    def value(self, x, counts):
        """f(x), for a ``fun`` without its gradient."""
        counts[0] += 1
        return real_scalar(self.fun(x.copy(), *self.args), "fun")

    def grad(self, x, f, counts):
        """g(x), given ``f = f(x)`` (reused by forward differences)."""
        counts[1] += 1
        if callable(self.jac):
            g = self.jac(x.copy(), *self.args)  # a local, as _private_refs measures
            return self._vector(g)
        out = np.empty(self.n)
        central, steps = self.mode == codes.MODE_FD3, self._steps(x)
        value = self._fd_value
        if self.workers is not None:
            # The rule's points, recorded by a first pass and evaluated by the
            # workers; a second pass replays their values: the same quotients
            # as a serial run, bit for bit.
            points = []
            fd_gradient(lambda xp: points.append(xp) or f, x, f, central, out, steps)
            values = iter(list(self.workers(self._fd_value, points)))
            value = lambda xp: next(values)  # noqa: E731
        counts[0] += fd_gradient(value, x, f, central, out, steps)
        return out

    def _steps(self, x):
        """The steps asked for at ``x``, rounded so that ``x + h`` is exact
        (where ``x + h == x``, the rule's); empty for the rule's own."""
        if self.abs_step is None and self.rel_step is None:
            return _NO_STEPS
        scale = np.where(x >= 0.0, 1.0, -1.0) * np.maximum(1.0, np.abs(x))  # fdiff's rule
        if self.abs_step is not None:
            h = np.broadcast_to(np.asarray(self.abs_step, dtype=np.float64), x.shape)
        else:
            h = self.rel_step * scale
        h = (x + h) - x
        return np.where(h == 0.0, (x + FORWARD_STEP * scale) - x, h)

    def central(self):
        """A copy that differences the gradient centrally."""
        obj = copy.copy(self)
        obj.mode = codes.MODE_FD3
        return obj

    def hess(self, x, counts):
        """The Hessian at ``x`` as an (n, n) float64 array."""
        counts[2] += 1
        H = self._hess(x.copy(), *self.args)
        H = H.toarray() if issparse(H) else np.array(H, dtype=np.float64)
        if H.shape != (self.n, self.n):
            raise ValueError(f"hess returned shape {H.shape}, expected ({self.n}, {self.n})")
        return H

    def hessp(self, x, p, counts):
        """The Hessian at ``x`` times ``p``."""
        counts[2] += 1
        out = np.array(self._hessp(x.copy(), p.copy(), *self.args), dtype=np.float64)
        if out.shape != (self.n,):
            raise ValueError(f"hessp returned shape {out.shape}, expected ({self.n},)")
        return out


# --- boundary functions: Python bodies, and compiled bodies beside them ---------
# The loops call ``obj.fg`` themselves for ``jac=True`` (counting it), the
# common case: a boundary call there would cost a compiled loop a third of
# its time on a small problem.

@twin
def _checked(g, n):
    if g.size != n:
        raise ValueError("the gradient returned by the objective has the wrong length")
    return g


def _value_compiled(obj, x, counts):
    counts[0] += 1
    if obj.mode == codes.MODE_FG:
        counts[1] += 1
        f, g = obj.fg(x)
        return f, _checked(g, x.size), True
    return obj.fun(x), x, False


@boundary(_value_compiled)
def value(obj, x, counts):
    """``(f(x), g, have_g)``: the gradient too when it comes with the value
    (``jac=True``), else a placeholder and False."""
    if obj.mode == codes.MODE_FG:
        counts[0] += 1
        counts[1] += 1
        f, g = obj.fg(x)
        return f, g, True
    return obj.value(x, counts), None, False


def _gradient_compiled(obj, x, f, counts):
    counts[1] += 1
    if obj.mode == codes.MODE_F_G:
        return _checked(obj.jac(x), x.size)
    g = np.empty(x.size)
    counts[0] += fd_gradient(obj.fun, x, f, obj.mode == codes.MODE_FD3, g, np.empty(0))
    return g


@boundary(_gradient_compiled)
def gradient(obj, x, f, counts):
    """``g(x)`` given ``f = f(x)``, when ``value`` did not give it."""
    return obj.grad(x, f, counts)


@twin
def evaluate(obj, x, counts):
    """``(f(x), g(x))``; ``counts`` = (nfev, njev, nhev) kept up to date."""
    f, g, have_g = value(obj, x, counts)
    if not have_g:
        g = gradient(obj, x, f, counts)
    return f, g


@twin
def gradient_at(obj, x, counts):
    """``g(x)`` alone, for differencing the gradient (Newton's Hessians): a
    separate ``jac`` is called without ``fun``, as scipy's Newton-CG does."""
    if obj.mode == codes.MODE_F_G:
        return gradient(obj, x, 0.0, counts)
    return evaluate(obj, x, counts)[1]


@twin
def start(obj, x, counts, reporter):
    """The loops' first evaluation, at ``x``: ``(f, g, max |g_i|, status)``
    with status ``RUNNING``, ``NONFINITE``, or ``CALLBACK`` when the reporter
    (the Python driver's, or None) asks to stop at once."""
    f, g = evaluate(obj, x, counts)
    gmax = inf_norm(g)
    status = finite(f, gmax)
    if status == codes.RUNNING and reporter is not None and reporter(0, x, f, gmax, counts):
        status = codes.CALLBACK
    return f, g, gmax, status


@twin
def finite(f, gmax):
    """``RUNNING`` when ``f`` and ``max |g_i|`` are finite; ``UNBOUNDED`` for
    ``f = -inf``, the lowest value there is (the loops stop at that point,
    as scipy's do); else ``NONFINITE``."""
    if f == -math.inf:
        return codes.UNBOUNDED
    if math.isfinite(f) and math.isfinite(gmax):
        return codes.RUNNING
    return codes.NONFINITE


def _central_compiled(obj):
    return Compiled(obj.fg, obj.fun, obj.jac, obj.hess, obj.hessp, codes.MODE_FD3,
                    obj.hess_mode)


@boundary(_central_compiled)
def central(obj):
    """``obj`` (unchanged) as an objective whose gradient is central differences."""
    return obj.central()


@twin
def sharpen(obj, x, f, g, gmax, counts):
    """Central differences from now on, for a loop at ``x`` (value ``f``,
    forward-difference gradient ``g``, ``gmax = max |g_i|``) whose line search
    failed there, or whose gradient is ``too_coarse``.

    Returns ``(obj, g, gmax, ok)``: the objective differencing centrally and
    its gradient at ``x``; or, ``ok`` False, the arguments as they came when
    that gradient is not finite (``x`` at the edge of ``f``'s domain).

    A forward difference is off by about half its step times the curvature,
    ``sqrt(eps)`` relative: near a minimum as large as the gradient itself,
    when its direction is no longer downhill and the search fails.  Central
    differences cost two calls per component instead of one and are off by
    about ``eps**(2/3)`` relative (Nocedal and Wright 2006, Section 8.1).
    """
    sharp = central(obj)
    g_sharp = gradient(sharp, x, f, counts)
    gmax_sharp = inf_norm(g_sharp)
    if not math.isfinite(gmax_sharp):
        return obj, g, gmax, False
    return sharp, g_sharp, gmax_sharp, True


@twin
def too_coarse(obj, gmax, gtol):
    """Whether a forward-difference gradient has come down to its own
    accuracy (``max |g_i| <= FD_GTOL``) short of a tighter ``gtol``: below
    there its error steers the run, which goes on with central differences
    (``sharpen``)."""
    return obj.mode == codes.MODE_FD2 and gtol < FD_GTOL and gmax <= FD_GTOL


def _hess_mode_compiled(obj):
    return obj.hess_mode


@boundary(_hess_mode_compiled)
def hess_mode(obj):
    """``HESS_FD``, ``HESS_DENSE`` (a ``hess`` function) or ``HESS_PRODUCT`` (``hessp``)."""
    return obj.hess_mode


def _hessian_compiled(obj, x, H, counts):
    counts[2] += 1
    out = obj.hess(x)
    if out.shape[0] != x.size or out.shape[1] != x.size:
        raise ValueError("hess returned an array of the wrong shape")
    H[:, :] = out


@boundary(_hessian_compiled)
def hessian(obj, x, H, counts):
    """``H = hess(x)``."""
    H[:, :] = obj.hess(x, counts)


def _hessp_compiled(obj, x, p, counts):
    counts[2] += 1
    out = obj.hessp(x, p)
    if out.size != x.size:
        raise ValueError("hessp returned a vector of the wrong length")
    return out


@boundary(_hessp_compiled)
def hessp(obj, x, p, counts):
    """``hessp(x, p)``."""
    return obj.hessp(x, p, counts)


# --- compiled objectives: addresses for the cached entries ------------------------

def _placeholders():
    return [addresses(unused_fg, FG_SIG), addresses(unused_f, F_SIG),
            addresses(unused_g, G_SIG), addresses(unused_hess, HESS_SIG),
            addresses(unused_hessp, HESSP_SIG)]


def compiled_objective(fun, jac, hess=None, hessp=None, direction=None):
    """``(addresses, mode, hess_mode)`` for the compiled entries, None for a
    Python ``fun``, or a message saying why a compiled ``fun`` cannot run
    compiled.

    ``addresses`` is an int64 array of the (c_addr, jit_addr) pairs of
    ``fg, fun, jac, hess, hessp`` (placeholders for the parts not used).
    ``hess``/``hessp`` matter only for ``direction`` NEWTON and NEWTON_CG.
    Cached per function: this runs on every ``minimize`` call.
    """
    if direction not in (codes.NEWTON, codes.NEWTON_CG):
        hess = hessp = direction = None  # not called: not looked up
    key = (jac, hess, hessp, direction)
    found = cached(fun, key)
    if found is not MISSING:
        return found
    if not is_jitted(fun):
        return None
    return memo(fun, key, lambda: _lookup(fun, jac, hess, hessp, direction))


def _lookup(fun, jac, hess, hessp, direction):
    parts = _placeholders()
    if jac is True:
        parts[0] = addresses(fun, FG_SIG)
        if parts[0] is None:
            return "fun must return (float64, 1-D C-contiguous float64 array) when jac=True"
        mode = codes.MODE_FG
    else:
        parts[1] = addresses(fun, F_SIG)
        if parts[1] is None:
            return "fun must return a float64 scalar"
        if callable(jac):
            if not is_jitted(jac):
                return "jac is not numba-compiled"
            parts[2] = addresses(jac, G_SIG)
            if parts[2] is None:
                return "jac must return a 1-D C-contiguous float64 array"
            mode = codes.MODE_F_G
        else:
            mode = codes.MODE_FD3 if jac == "3-point" else codes.MODE_FD2
    hess_mode = codes.HESS_FD
    if direction == codes.NEWTON and hess is not None:
        if not is_jitted(hess):
            return "hess is not numba-compiled"
        parts[3] = addresses(hess, HESS_SIG)
        if parts[3] is None:
            return "hess must return a 2-D C-contiguous float64 array"
        hess_mode = codes.HESS_DENSE
    elif direction == codes.NEWTON_CG and hessp is not None:
        if not is_jitted(hessp):
            return "hessp is not numba-compiled"
        parts[4] = addresses(hessp, HESSP_SIG)
        if parts[4] is None:
            return "hessp must return a 1-D C-contiguous float64 array"
        hess_mode = codes.HESS_PRODUCT
    elif direction == codes.NEWTON_CG and hess is not None:
        return "newton-cg on the compiled path takes hessp, not hess"
    return np.array(parts, dtype=np.int64).ravel(), mode, hess_mode
