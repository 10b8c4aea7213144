"""Termination statuses (one message each) and the result object."""
import enum

from scipy.optimize import OptimizeResult


class Status(enum.IntEnum):
    """Why a run stopped.  ``success`` is true for ``SUCCESS`` and ``FTOL``."""

    SUCCESS = 0
    MAXITER = 1
    NONFINITE = 2
    LINESEARCH = 3
    FTOL = 4
    CALLBACK = 99


MESSAGES = {
    Status.SUCCESS: "Optimization terminated successfully (gradient norm <= gtol).",
    Status.MAXITER: "Maximum number of iterations has been exceeded.",
    Status.NONFINITE: "NaN or inf in the objective or gradient; "
                      "x is the last iterate where both were finite.",
    Status.LINESEARCH: "Line search failed: no acceptable step along the search direction.",
    Status.FTOL: "Optimization terminated successfully (relative reduction of f <= ftol).",
    Status.CALLBACK: "`callback` raised `StopIteration`.",
}


#: status code -> (success, message), plain ints: ``make_result`` runs on every call.
_OUTCOME = {int(code): (code in (Status.SUCCESS, Status.FTOL), message)
            for code, message in MESSAGES.items()}


def make_result(x, f, g, nit, nfev, njev, status, **extra):
    """Build scipy's ``OptimizeResult`` from a driver's raw outputs (plus ``extra`` fields)."""
    status = int(status)
    success, message = _OUTCOME[status]
    return OptimizeResult(x=x, fun=float(f), jac=g, nit=int(nit), nfev=int(nfev),
                          njev=int(njev), status=status, success=success,
                          message=message, **extra)
