"""What the Python driver adds per iteration: the callback and the ``disp`` table.

The loops call ``objective.report(reporter, nit, x, f, gmax, counts)``; from
Python that is a ``Reporter`` (or None when there is nothing to do), in
compiled code a constant False.
"""
import inspect
import math
import warnings

from scipy.optimize import OptimizeResult, OptimizeWarning

from .._core.status import MESSAGES, SUCCEEDED, Status


def wrap_callback(callback):
    """Return ``report(x, f) -> bool`` (True = stop), or None.

    scipy's rule: a callback whose only parameter is named
    ``intermediate_result`` receives an ``OptimizeResult``; otherwise ``callback(xk)``.
    """
    if callback is None:
        return None
    if not callable(callback):
        raise TypeError("callback must be callable or None")
    try:
        params = list(inspect.signature(callback).parameters)
    except (TypeError, ValueError):
        params = []
    new_style = params == ["intermediate_result"]

    def report(x, f):
        try:
            if new_style:
                callback(intermediate_result=OptimizeResult(x=x.copy(), fun=f))
            else:
                callback(x.copy())
        except StopIteration:
            return True
        return False
    return report


class Table:
    """scipy-like iteration table for ``disp``: every row when disp >= 2,
    else rows at 0-9, 10, 20, ..., 100, 200, ... and the last."""

    def __init__(self, level):
        self.level = int(level)
        self.last = -1
        print(f"{'iter':>8} {'nfev':>8} {'f(x)':>14} {'|g|_inf':>11}")

    def row(self, nit, nfev, f, gmax, force=False):
        scale = 10 ** max(0, int(math.log10(nit)) if nit > 0 else 0)
        if (force and nit != self.last) or self.level >= 2 or nit < 10 or nit % scale == 0:
            self.last = nit
            print(f"{nit:8d} {nfev:8d} {f:14.6e} {gmax:11.3e}")

    def summary(self, status, f, nit, nfev, njev):
        print(MESSAGES[Status(status)])
        print(f"         Current function value: {f:.6g}")
        print(f"         Iterations: {nit}")
        print(f"         Function evaluations: {nfev}")
        print(f"         Gradient evaluations: {njev}")


class Reporter:
    """The per-iteration hook of the Python driver: a table row, the callback,
    and with ``return_all`` every iterate (``allvecs``, from ``x0``, as scipy's)."""

    def __init__(self, callback, disp, return_all=False):
        self.callback = callback
        self.table = Table(disp) if disp else None
        self.allvecs = [] if return_all else None

    @classmethod
    def make(cls, callback, disp, return_all=False):
        """A reporter, or None when there is nothing to do."""
        if callback is None and not disp and not return_all:
            return None
        return cls(callback, disp, return_all)

    def __call__(self, nit, x, f, gmax, counts):
        if self.table:
            self.table.row(nit, int(counts[0]), f, gmax)
        if self.allvecs is not None:
            self.allvecs.append(x.copy())
        return nit > 0 and self.callback is not None and self.callback(x, f)

    def finish(self, result):
        """The last row and the summary, from the loop's result; with ``disp``
        a failure is also an ``OptimizeWarning``, as scipy gives."""
        if self.table:
            if result.status not in SUCCEEDED and result.status != Status.CALLBACK:
                warnings.warn(MESSAGES[Status(int(result.status))], OptimizeWarning, stacklevel=4)
            gmax = float(abs(result.jac).max()) if result.jac.size else 0.0
            self.table.row(result.nit, result.nfev, result.fun, gmax, force=True)
            self.table.summary(result.status, result.fun, result.nit, result.nfev,
                               result.njev)
