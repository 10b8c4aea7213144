"""The Python driver's view of the user's objective: validated, counted calls."""
import sys

import numpy as np

from ._fdiff import as_real_scalar, fd_steps
from ._kernels._fdiff import fd_gradient
from ._kernels.codes import HESS_DENSE, HESS_FD, HESS_PRODUCT

FD_SCHEMES = ("2-point", "3-point")


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


def normalize_jac(jac):
    """Map scipy's ``jac`` argument to True, a callable, or an FD scheme name."""
    if jac is None or jac is False:
        return "2-point"
    if jac is True or callable(jac):
        return jac
    if isinstance(jac, str) and jac in FD_SCHEMES:
        return jac
    raise ValueError(f"jac must be a callable, True, '2-point' or '3-point', got {jac!r}")


class Objective:
    """Calls ``fun`` (and ``jac``) with ``args``, checks what comes back, counts.

    Parameters
    ----------
    fun, jac, args
        As given to ``minimize`` (``jac`` already normalised).
    n : int
        Number of parameters.

    hess, hessp : callable, optional
        Second derivatives for the newton methods.
    """

    def __init__(self, fun, jac, args, n, hess=None, hessp=None):
        self.fun = fun
        self.jac = jac
        self.args = args
        self.n = n
        self.fused = jac is True
        self.nfev = 0
        self.njev = 0
        self.nhev = 0
        self._hess = hess
        self._hessp = hessp
        if hessp is not None:
            self.hess_mode = HESS_PRODUCT
        elif hess is not None:
            self.hess_mode = HESS_DENSE
        else:
            self.hess_mode = HESS_FD

    def _vector(self, g):
        # A copy, since the caller may reuse its buffer -- unless nobody else can
        # hold the array: a float64 array owning its data, referenced only by
        # the calling method's local and this frame (``_PRIVATE_REFS``, as
        # measured).  That skips an O(n) copy per evaluation for large n.
        if not (type(g) is np.ndarray and g.dtype == np.float64 and g.flags.owndata
                and g.flags.writeable and sys.getrefcount(g) <= _PRIVATE_REFS):
            g = np.array(g, dtype=np.float64)
        if g.shape != (self.n,):
            raise ValueError(f"the gradient has shape {g.shape}, expected ({self.n},)")
        return g

    def value(self, x):
        """f(x).  With ``jac=True`` use ``value_and_grad`` instead."""
        self.nfev += 1
        return as_real_scalar(self.fun(x, *self.args), "fun")

    def grad(self, x, f):
        """g(x), given ``f = f(x)`` (reused by forward differences)."""
        self.njev += 1
        if callable(self.jac):
            g = self.jac(x, *self.args)  # a local, the situation _private_refs measures
            return self._vector(g)
        out = np.empty(self.n)
        self.nfev += fd_gradient(self._fd_value, x, f, fd_steps(x, self.jac),
                                 self.jac == "3-point", out)
        return out

    def _fd_value(self, x):
        return as_real_scalar(self.fun(x, *self.args), "fun")

    def hess(self, x):
        """The Hessian at ``x`` as an (n, n) float64 array."""
        self.nhev += 1
        H = np.array(self._hess(x, *self.args), dtype=np.float64)
        if H.shape != (self.n, self.n):
            raise ValueError(f"hess returned shape {H.shape}, expected ({self.n}, {self.n})")
        return H

    def hessp(self, x, p):
        """The Hessian at ``x`` times ``p``."""
        self.nhev += 1
        out = np.array(self._hessp(x, p, *self.args), dtype=np.float64)
        if out.shape != (self.n,):
            raise ValueError(f"hessp returned shape {out.shape}, expected ({self.n},)")
        return out

    def value_and_grad(self, x):
        """(f(x), g(x))."""
        if self.fused:
            self.nfev += 1
            self.njev += 1
            out = self.fun(x, *self.args)
            if not isinstance(out, tuple) or len(out) != 2:
                raise ValueError("with jac=True, fun must return a tuple (f, g)")
            f, g = out
            del out  # the tuple's reference to g would count as another holder
            return as_real_scalar(f, "fun"), self._vector(g)
        f = self.value(x)
        return f, self.grad(x, f)
