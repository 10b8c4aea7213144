"""Held-out nonlinear least-squares problems for benchmarking ``least_squares``.

Forty-four classic problems in *residual* form, with standard starting points
and known minimum values, used only by the held-out benchmarks to compare
``fastopt.least_squares(method='lm')`` with scipy's.  They are held out:
fastopt's Levenberg-Marquardt was developed on NIST StRD, and none of these is
in that set.  (``fastopt.testing.classic`` and ``catalogues.heldout`` hold the same
functions as objectives ``f = sum r_i^2`` with gradients, for ``minimize``;
this module is an independent residual-form implementation, and its sums of
squares were checked against both; see "Verification" below.)

Sources
-------
[MGH]  J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained
       optimization software", ACM Trans. Math. Software 7(1):17-41, 1981,
       section 3: every problem's residuals, m, n, standard start and known
       minima, in the paper's numbering (1-35).  Residuals exactly as there
       (``f = sum r_i^2``, no factor 1/2).
[566]  The same authors' Fortran, ACM TOMS Algorithm 566 and the MINPACK-1
       test drivers (netlib minpack/ex; reference outputs as distributed with
       cminpack, ``examples/ref/lmfdrv.ref`` and ``hybdrv.ref``).  Used to fix
       the sizes MGH leave free, to resolve the paper's typography (Gulf's
       garbled minus sign, Brown-Dennis's x0), and for the initial residual
       norms ``||r(x0)||`` the drivers print.
[CUTE] CUTEst CHEBYQAD.SIF, SOLTN(10) = 4.772713D-3: the global minimum of
       Chebyquad n = 10 (MGH's 6.50395e-3 is the local one the start leads to).
[GON]  gonum, ``optimize/functions``: ``Trigonometric.Minima`` gives the
       local minimum f = 2.79506e-5 of Trigonometric n = 10 that the standard
       start leads to; ``functions_test.go`` asserts f at the standard starts
       of the MGH problems not in the MINPACK-1 drivers, to ~15 digits.
[GSL]  GNU Scientific Library, ``multifit_nlinear/test_*.c``: MGH minima to
       16 digits (used only as a cross-check of the values below).

Sizes
-----
Where MGH leave m free it is fixed as in [566]: Jennrich-Sampson m = 10, Gulf
m = 99, Box 3-D m = 10, Brown-Dennis m = 20, Biggs EXP6 m = 13 (the sizes for
which MGH quote the nonzero minima).  The thirty-five problems at their base
sizes (#20 Watson n = 6; #21 n = 10; #22 n = 12; #23, #24 n = 4; #25-#31 n = 10;
#32-#34 n = 5, m = 10; #35 n = m = 8) give 35 entries; nine more are
variable-dimension problems at sizes whose minimum MGH give, the sizes of the
MINPACK-1 ``lmdif`` test driver where it has them: Watson n = 9 and 12,
Penalty I and II n = 10, Brown almost-linear n = 30 and 40, Chebyquad
n = m = 9 and 10, Linear full rank n = 5 with m = 50.

Minimum values
--------------
``fmins`` lists the known minimum values of ``f = sum r_i^2``, the global one
first, then the other values the sources document: a local minimum
(Freudenstein-Roth, Chebyquad n = 10, Trigonometric n = 10), a limit
approached as variables go to infinity (Bard, Kowalik-Osborne, Brown
almost-linear's f = 1 at (0, ..., 0, n + 1)), and Biggs EXP6's 5.65565e-3,
which MGH list for m = 13: a saddle point of f in the subspace x1 = x5,
x3 = x6 that the standard start lies in and exact Gauss-Newton steps keep (a
forward-difference Jacobian breaks the symmetry, and scipy's ``'lm'`` then
reaches f = 0).  Zeros and the closed forms of #32-#34 are exact; Bard's
17.4286... is exactly 163394/9375 = sum_i (y_i - mean y)^2.  MGH print the
others to six digits; they are recorded here to ten, computed for this module
by scipy's ``least_squares`` (``'lm'``, ``'trf'``, ``'dogbox'``, tolerances 1e-15)
from the standard start and from near the minimizer MGH describe (the limits
and the saddle as fits of the reduced models: Kowalik-Osborne
c u (u + x2) / (d u + 1), Biggs a e^(-t b) - c e^(-t d)), all agreeing to at
least eleven digits.  Watson n = 9 and 12 are too ill-conditioned for that
(the methods differ from the sixth to the ninth digit), so their values come from
Gauss-Newton in 60-digit arithmetic (mpmath) from scipy's point, converged to
forty digits.  Chebyquad n = 10's global value was confirmed by 300 random
starts (none lower).  Every value agrees with MGH's printed digits, with
``fastopt.testing.classic`` / ``catalogues.heldout`` where they hold it (to 1e-9), and
with [GSL] where it has it (to eleven digits or better).

Verification
------------
``check.py`` (``python -m benchmarks.catalogues.heldout_lsq.check``) asserts,
for every entry:
``len(residuals(x0)) == m``; ``f(x0)`` against ``||r(x0)||^2`` printed by
[566] (seven digits, 31 entries) and the values asserted by [GON] (1e-12,
nineteen points, eleven problems);
``f = 0`` at the minimizers MGH give in closed form; the closed-form minima
of #32-#34 and Brown almost-linear's two values; and ``sum r^2`` equal to
the objectives of ``fastopt.testing.classic`` / ``catalogues.heldout`` (written
separately, from the same paper) at random points, where they have the
problem at that size.

Use
---
``PROBLEMS`` is a tuple of ``LsqProblem``; ``p.residuals(x)`` takes a 1-D
float64 array of length ``p.n`` and returns a new float64 array of length
``p.m``.  Plain NumPy: the finite-difference Jacobians of both solvers call it
in Python.  ``p.reached(f)`` tells whether a final ``sum r^2`` is one of the
known minima (the rule of ``catalogues.heldout``).

Layout: ``problem.py`` (the record), ``mgh.py`` (data tables, residuals and
the collection), ``check.py`` (the verification).
"""
from .mgh import PROBLEMS, get
from .problem import LsqProblem

__all__ = ["LsqProblem", "PROBLEMS", "get"]
