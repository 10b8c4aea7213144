"""Termination statuses (one message each) and the result object."""
import enum

from scipy.optimize import OptimizeResult


class Status(enum.IntEnum):
    """Why a run stopped.  ``success`` is true for ``SUCCESS`` only."""

    SUCCESS = 0
    MAXITER = 1
    NONFINITE = 2
    LINESEARCH = 3
    CALLBACK = 99


MESSAGES = {
    Status.SUCCESS: "Optimization terminated successfully (gradient norm <= gtol).",
    Status.MAXITER: "Maximum number of iterations has been exceeded.",
    Status.NONFINITE: "NaN or inf in the objective or gradient; "
                      "x is the last iterate where both were finite.",
    Status.LINESEARCH: "Line search failed: no step satisfied the Armijo condition.",
    Status.CALLBACK: "`callback` raised `StopIteration`.",
}


def make_result(x, f, g, nit, nfev, njev, status):
    """Build scipy's ``OptimizeResult`` from a driver's raw outputs."""
    status = Status(status)
    return OptimizeResult(x=x, fun=float(f), jac=g, nit=int(nit), nfev=int(nfev),
                          njev=int(njev), status=int(status),
                          success=status == Status.SUCCESS, message=MESSAGES[status])
