"""Calls fastopt has no implementation of, run on scipy.optimize's.

``minimize``, ``least_squares`` and ``curve_fit`` each decide whether a call
is theirs (a method, bound, constraint or option they implement; their
``_scipy_reason`` says what is not) and hand every other call to ``run``,
which calls scipy's function with the caller's own arguments.  Each result
says which code ran: ``res.implementation`` is ``'fastopt'`` or ``'scipy'``
(``curve_fit``: ``infodict['implementation']``, with ``full_output=True``).
The keyword ``fallback='error'`` turns the hand-over into a
``NotImplementedError`` naming what fastopt lacks.
"""
import scipy.optimize

FASTOPT = "fastopt"
SCIPY = "scipy"
#: The values of the keyword ``fallback``.
FALLBACKS = ("scipy", "error")

#: scipy's functions, taken when fastopt is imported, so that code replacing
#: ``scipy.optimize.minimize`` by fastopt's (as the scipy-suite runner does)
#: never makes a hand-over call fastopt again.
_SCIPY_FUNCTIONS = {"minimize": scipy.optimize.minimize,
                    "least_squares": scipy.optimize.least_squares,
                    "curve_fit": scipy.optimize.curve_fit}

#: scipy's ``minimize`` methods (lower case), in its documentation's order.
SCIPY_METHODS = ("nelder-mead", "powell", "cg", "bfgs", "newton-cg", "l-bfgs-b", "tnc",
                 "cobyla", "cobyqa", "slsqp", "trust-constr", "dogleg", "trust-ncg",
                 "trust-exact", "trust-krylov")


def check_fallback(fallback):
    """``fallback`` checked: one of ``FALLBACKS``."""
    if fallback not in FALLBACKS:
        raise ValueError(f"fallback must be 'scipy' or 'error', got {fallback!r}")
    return fallback


def run(name, reason, fallback, *args, **kwargs):
    """scipy.optimize's ``name`` called with ``args`` and ``kwargs`` (its own
    errors and warnings reach the caller), or ``NotImplementedError`` when
    ``fallback == 'error'``; ``reason`` says what fastopt lacks."""
    if check_fallback(fallback) == "error":
        raise NotImplementedError(f"fastopt's {name} has no implementation of {reason} "
                                  f"(fallback='scipy' runs scipy.optimize.{name})")
    return _SCIPY_FUNCTIONS[name](*args, **kwargs)
