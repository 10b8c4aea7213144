"""Every termination status of fastopt: one enum per family, one message each.

The values are ``codes``' plain integers (what the compiled loops return);
each family's enum, its messages and its success rule live here and nowhere
else.  The conventions are scipy's: ``minimize`` reports 0 as success,
``least_squares`` every positive status.
"""
import enum

from . import codes


class Status(enum.IntEnum):
    """Why a ``minimize`` run stopped; ``success`` for ``SUCCESS``, ``FTOL``,
    ``XTOL`` and ``ROUNDING``."""

    SUCCESS = codes.SUCCESS
    MAXITER = codes.MAXITER
    NONFINITE = codes.NONFINITE
    LINESEARCH = codes.LINESEARCH
    FTOL = codes.FTOL
    UNBOUNDED = codes.UNBOUNDED
    XTOL = codes.XTOL
    MAXFUN = codes.MAXFUN
    ROUNDING = codes.ROUNDING
    CALLBACK = codes.CALLBACK


class LsqStatus(enum.IntEnum):
    """Why a ``least_squares`` fit stopped (scipy's codes, plus NaN/inf and
    Gauss-Newton's failed line search); ``success`` when positive."""

    MAXFEV = codes.LSQ_MAXFEV
    GTOL = codes.LSQ_GTOL
    FTOL = codes.LSQ_FTOL
    XTOL = codes.LSQ_XTOL
    FTOL_XTOL = codes.LSQ_FTOL_XTOL
    NONFINITE = codes.LSQ_NONFINITE
    NO_DECREASE = codes.LSQ_NO_DECREASE


class StochasticStatus(enum.IntEnum):
    """Why a ``minimize_stochastic`` run stopped; ``success`` for ``DONE``."""

    DONE = codes.SUCCESS
    NONFINITE = codes.NONFINITE
    CALLBACK = codes.CALLBACK


# One message per status.  Separate tables per family: members of different
# IntEnums with equal values are equal keys.
MESSAGES = {
    Status.SUCCESS: "Optimization terminated successfully (gradient norm <= gtol).",
    Status.MAXITER: "Maximum number of iterations has been exceeded.",
    Status.NONFINITE: "NaN or inf in the objective or gradient; "
                      "x is the last iterate where both were finite.",
    Status.LINESEARCH: "Desired error not necessarily achieved due to precision loss: the "
                       "line search found no acceptable step along the search direction.",
    Status.FTOL: "Optimization terminated successfully (relative reduction of f <= ftol).",
    Status.UNBOUNDED: "f = -inf at x: the objective is unbounded below.",
    Status.XTOL: "Optimization terminated successfully (step size <= xtol).",
    Status.MAXFUN: "Maximum number of function evaluations has been exceeded.",
    Status.ROUNDING: "Optimization terminated successfully (gradient norm <= scipy's "
                     "default gtol; the rounding of f allows no further decrease towards "
                     "fastopt's tighter default).",
    Status.CALLBACK: "`callback` raised `StopIteration`.",
}
LSQ_MESSAGES = {
    LsqStatus.MAXFEV: "The maximum number of function evaluations is exceeded.",
    LsqStatus.GTOL: "`gtol` termination condition is satisfied.",
    LsqStatus.FTOL: "`ftol` termination condition is satisfied.",
    LsqStatus.XTOL: "`xtol` termination condition is satisfied.",
    LsqStatus.FTOL_XTOL: "Both `ftol` and `xtol` termination conditions are satisfied.",
    LsqStatus.NONFINITE: "NaN or inf in the residuals or the Jacobian; x is the last "
                         "point where both were finite.",
    LsqStatus.NO_DECREASE: "The line search found no decrease of the sum of squares "
                           "along the Gauss-Newton direction.",
}
STOCHASTIC_MESSAGES = {
    StochasticStatus.DONE: "All epochs done.",
    StochasticStatus.NONFINITE: "NaN or inf in the loss or gradient; x is the last "
                                "iterate where both were finite.",
    StochasticStatus.CALLBACK: "`callback` raised `StopIteration`.",
}


#: scipy's L-BFGS-B words its outcomes its own way (the Fortran code's task
#: strings), and users match on them: l-bfgs, its twin, says the same.
LBFGSB_MESSAGES = {
    **MESSAGES,
    Status.SUCCESS: "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL",
    Status.FTOL: "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH",
    Status.MAXITER: "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT",
    Status.LINESEARCH: "ABNORMAL: the line search found no acceptable step",
    Status.MAXFUN: "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT",
}
#: The status a result reports for a loop's code, where they differ: scipy
#: reports a converged relative reduction of f (L-BFGS-B) or step (BFGS's
#: xrtol, Newton-CG) as 0, and its own gtol met (ROUNDING) too; f = -inf as
#: BFGS's 3 (a non-finite value), the evaluation limit as L-BFGS-B's 1.
REPORTED = {int(Status.FTOL): int(Status.SUCCESS), int(Status.XTOL): int(Status.SUCCESS),
            int(Status.ROUNDING): int(Status.SUCCESS),
            int(Status.UNBOUNDED): int(Status.NONFINITE), int(Status.MAXFUN): int(Status.MAXITER)}
#: The statuses ``minimize`` calls a success.
SUCCEEDED = frozenset({Status.SUCCESS, Status.FTOL, Status.XTOL, Status.ROUNDING})


def _outcomes(messages, succeeded):
    # Keyed by plain int: building a result runs on every call, where
    # microseconds count.
    return {int(s): (succeeded(s), m) for s, m in messages.items()}


#: status code -> (success, message), per family (and for minimize's l-bfgs).
MINIMIZE = _outcomes(MESSAGES, lambda s: s in SUCCEEDED)
MINIMIZE_LBFGSB = _outcomes(LBFGSB_MESSAGES, lambda s: s in SUCCEEDED)
LEAST_SQUARES = _outcomes(LSQ_MESSAGES, lambda s: s > 0)
STOCHASTIC = _outcomes(STOCHASTIC_MESSAGES, lambda s: s == StochasticStatus.DONE)
