"""The record of a held-out least-squares problem: residuals, start, minima."""
from dataclasses import dataclass

import numpy as np

__all__ = ["LsqProblem"]


@dataclass(frozen=True)
class LsqProblem:
    """A held-out nonlinear least-squares problem: residuals, start, minima.

    Attributes
    ----------
    name : str
        Short unique name, e.g. ``"rosenbrock"``, ``"watson_n9"``.
    number : int
        The problem's number in MGH (1-35).
    m, n : int
        Number of residuals and of variables.
    x0 : tuple of float
        MGH's standard starting point.
    residuals : callable
        ``x -> r``, ``x`` a float64 array of shape ``(n,)``, ``r`` a new
        float64 array of shape ``(m,)``.
    fmins : tuple of float
        Known minimum values of ``f = sum r_i^2``: the global one first,
        then other documented values (local minima, limits, see module
        docstring).
    source : str
        Where the definition and the minima come from.
    """

    name: str
    number: int
    m: int
    n: int
    x0: tuple
    residuals: object
    fmins: tuple
    source: str

    def f(self, x):
        """Sum of squared residuals at ``x``."""
        r = self.residuals(np.asarray(x, dtype=np.float64))
        return float(r @ r)

    def reached(self, f, rtol=1e-6, atol=1e-8):
        """Whether ``f`` is one of the known minimum values.

        Parameters
        ----------
        f : float
            Sum of squared residuals reached by a solver.
        rtol, atol : float
            Relative and absolute tolerance.

        Returns
        -------
        bool
            True when ``|f - fmin| <= atol + rtol * |fmin|`` for one of the
            known minima ``fmin``.  A NaN ``f`` is never reached.
        """
        return any(abs(f - m) <= atol + rtol * abs(m) for m in self.fmins)
