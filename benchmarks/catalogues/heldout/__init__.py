"""Held-out unconstrained test problems for benchmarking the quasi-Newton solvers.

Forty-four classic problems with standard starting points and known minimum
values, used only by the benchmarks that compare fastopt's quasi-Newton solvers
with ``scipy.optimize.minimize`` (BFGS, L-BFGS-B).  They are *held out*: none is
in the development set (Moré, Garbow & Hillstrom problems 1-18, 20, 21, 22), so
solver settings tuned on that set can be judged here.

Sources
-------
[MGH]  J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained
       optimization software", ACM Trans. Math. Software 7(1):17-41, 1981.
       Problems 19 and 23-35 (27 entries; the variable-dimension ones at two
       sizes).  Objectives are ``f = sum_i f_i(x)^2`` exactly as in the paper
       (no factor 1/2).  Where a CUTE SIF version of an MGH problem differs
       (OSBORNEB shifts t_i, ARGTRIG weights sin x_i by i, BROYDNBD starts at
       +1), the paper is followed.
[CUTE] I. Bongartz, A. R. Conn, N. I. M. Gould and Ph. L. Toint, "CUTE:
       Constrained and unconstrained testing environment", ACM Trans. Math.
       Software 21(1):123-160, 1995, and its SIF files (CUTEst), which give
       each problem's definition, its standard start and, where known, its
       solution value (``SOLTN``).  Seventeen entries.
[A08]  N. Andrei, "An unconstrained optimization test functions collection",
       Advanced Modeling and Optimization 10(1):147-161, 2008, which restates
       most of the CUTE problems used here.  Where it differs from the SIF file
       the SIF file is followed and the difference is noted on the problem.

The original sources of the CUTE problems are named in each ``source`` field:
Conn, Gould, Lescrenier & Toint (Report 88/4, FUNDP Namur, 1988); Toint (Report
83/4, FUNDP Namur, 1983); Buckley (TR 1989CS-3, Dalhousie, 1989); Dixon & Maany
(TR 206, Hatfield Polytechnic, 1988); Li (1990); Shanno (1978); Dennis &
Schnabel (1983).

Minimum values
--------------
``fmins`` lists the known minimum values, the global one first; a second value
is given only where a source documents a local minimum: Brown almost-linear
(f = 1, MGH), Chebyquad n = 10 (MGH's 6.50395e-3, with CUTE's lower 4.772713e-3
as the global minimum) and Trigonometric n = 10 (2.79506e-5, documented by the
gonum library's ``optimize/functions``).  Zero minima, and the other values
noted as exact on the problem, are exact.  The sources print nonzero minima to
four to seven significant digits; those are recorded here to ten, computed for
this module (scipy BFGS, L-BFGS-B, trust-exact and Newton-CG with
finite-difference Hessians, from the standard start and from multistarts, all
agreeing to thirteen digits at the best point found, no lower value found), and
each agrees with the printed value to the digits printed.  ENGVAL1 (n = 50)
has no printed value; its minimum was established the same way.

Use
---
Each ``Problem.fg`` is a ``numba.njit(cache=True)`` function taking a 1-D
float64 C-contiguous array and returning ``(f, g)``, ``g`` a new array holding
the exact analytic gradient (pass ``jac=True``).  The dimension is read from the
argument, so ``fg`` must be called with arrays of length ``Problem.n``.
Compilation happens on first call.  ``Problem.reached(f)`` tells whether a final
objective value is one of the known minima.
"""

from .cute import problems as _cute
from .mgh import problems as _mgh
from .record import Problem

__all__ = ["Problem", "PROBLEMS"]

PROBLEMS = _mgh() + _cute()
"""tuple of Problem: the 44 held-out problems, MGH first (``mgh.py``), then CUTE (``cute.py``)."""
