"""The one table of ``least_squares`` methods.

A row names its loop (all take ``lm.fit``'s arguments and return a
``lm.Fit``), its paper and what it honours; ``least_squares`` dispatches on
it, its docstring and the tests' parametrisation read it, and the statuses
and messages are ``_core/status.py``'s.  A new method is its loop and its row.
"""
from dataclasses import dataclass

from . import lm, textbook


@dataclass(frozen=True)
class LsqMethod:
    """One row.

    Attributes
    ----------
    name : str
        The ``method=`` string.
    fit : function
        ``fit(problem, x0, f0, diag0, settings, max_nfev, refine) -> lm.Fit``.
    reference : str
    summary : str
        One line for the docs.
    needs_m_ge_n : bool
        Whether it refuses fewer residuals than parameters (MINPACK's rule).
    scaled : bool
        Whether ``x_scale`` and ``refine`` apply.
    """

    name: str
    fit: object
    reference: str
    summary: str
    needs_m_ge_n: bool = False
    scaled: bool = False


METHODS = {m.name: m for m in [
    LsqMethod("lm", lm.fit, "More (1978); MINPACK lmder/lmdif (More, Garbow and Hillstrom 1980)",
              "trust-region Levenberg-Marquardt, pivoted QR, safeguarded damping",
              needs_m_ge_n=True, scaled=True),
    LsqMethod("gauss-newton", textbook.gauss_newton,
              "Nocedal and Wright (2006), Section 10.3 and Algorithm 3.1",
              "the Gauss-Newton step with a backtracking Armijo line search"),
    LsqMethod("levenberg", textbook.levenberg, "Levenberg (1944)",
              "`(J^T J + lam I) p = -J^T f`, `lam` divided or multiplied by 10"),
    LsqMethod("marquardt", textbook.marquardt, "Marquardt (1963)",
              "`(J^T J + lam diag(J^T J)) p = -J^T f`, `lam` divided or multiplied by 10"),
]}
