"""The textbook least-squares methods, for teaching and comparison with ``lm``.

* ``gauss_newton``: the Gauss-Newton step ``J p = -f`` (least squares), then a
  backtracking (Armijo) line search on ``||f||^2 / 2`` (Nocedal and Wright
  2006, Section 10.3 and Algorithm 3.1).
* ``damped``: ``(J^T J + lam D^2) p = -J^T f`` with ``D = I`` (Levenberg
  1944) or ``D^2 = diag(J^T J)`` (Marquardt 1963), ``lam`` divided by 10
  after a step that lowers the sum of squares and multiplied by 10 after one
  that does not (rejected), as in the lecture notes and Marquardt's paper.

Both solve their linear systems from the pivoted QR of ``J`` (``trust_lm``),
the damped one by Givens rotations (``trust_lm.damped_solve``): never the
normal equations, whose condition number is the square of ``J``'s.  They
share ``lm``'s problem interface, call and ``Fit`` and use scipy's
``least_squares`` stopping tests (as its 'trf' method states them): ``ftol``
on the relative decrease of the sum of squares, ``xtol`` on the step,
``||p|| <= xtol (xtol + ||x||)``, ``gtol`` on ``max |J^T f|``.
"""
import math

import numpy as np

from .._core import armijo, codes
from .._core.twin import twin
from .._core.vector import all_finite, norm2
from .kernels import trust_lm
from .lm import Fit
from .problem import evaluate, update_jacobian

GO_ON = codes.RUNNING
#: Marquardt's factor for the damping, and the starting damping (relative to
#: the largest diagonal entry of J^T J for Levenberg; Madsen, Nielsen and
#: Tingleff 2004, Section 3.2, suggest 1e-6 to 1).
LAM_FACTOR = 10.0
LAM_START = 1e-3


@twin
def _gradient_test(Jt, f, gtol):
    """Whether ``max |J^T f| <= gtol``."""
    g = 0.0
    for j in range(Jt.shape[0]):
        g = max(g, abs(np.dot(Jt[j], f)))
    return g <= gtol


@twin
def _half_square(f):
    """``||f||^2 / 2``, inf (not an overflow error or warning) when it overflows."""
    r = norm2(f)
    return 0.5 * r * r


@twin
def _linearise(problem, x, f, Jt, Jf, fd_step, gtol, perm, rdiag, colnorm, qtf, R, work,
               counts):
    """The head of both loops: ``J`` at ``x`` into ``Jt``, then ``LSQ_NONFINITE`` or
    ``LSQ_GTOL`` if it says so, else its pivoted QR (``trust_lm.factor`` on the copy
    ``Jf``) and ``GO_ON``."""
    update_jacobian(problem, x, f, Jt, fd_step, counts)
    if not all_finite(Jt):
        return codes.LSQ_NONFINITE
    if _gradient_test(Jt, f, gtol):
        return codes.LSQ_GTOL
    Jf[:, :] = Jt
    trust_lm.factor(Jf, f, perm, rdiag, colnorm, qtf, R, work)
    return GO_ON


@twin
def _setup(x0, f0, n, m):
    counts = np.zeros(2, dtype=np.int64)
    counts[0] = 1
    return counts, x0.copy(), f0, np.full((n, m), np.nan), np.empty((n, m))


@twin
def gauss_newton(problem, x0, f0, diag0, settings, max_nfev, refine_fd):
    """Gauss-Newton with a backtracking line search; ``lm.fit``'s call and
    returns (``diag0`` and ``refine_fd`` are not used)."""
    ftol, xtol, gtol = settings.ftol, settings.xtol, settings.gtol
    n, m = x0.size, f0.size
    counts, x, f, Jt, Jf = _setup(x0, f0, n, m)
    R = np.empty((n, n))
    perm = np.empty(n, dtype=np.int64)
    rdiag, colnorm, qtf = np.empty(n), np.empty(n), np.empty(n)
    p, w1, w2, w3, sdiag = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    cost = _half_square(f)
    nit = 0
    if not math.isfinite(cost):
        return Fit(x, f, Jt, codes.LSQ_NONFINITE, nit, counts)
    while True:
        status = _linearise(problem, x, f, Jt, Jf, settings.fd_step, gtol, perm, rdiag,
                            colnorm, qtf, R, w1, counts)
        if status != GO_ON:
            return Fit(x, f, Jt, status, nit, counts)
        trust_lm.lm_parameter(R, perm, np.ones(n), qtf, math.inf, 0.0, p, sdiag, w1, w2, w3)
        slope = 0.0  # g . (-p) = -(J p)^T f, negative for a descent direction
        for j in range(n):
            slope -= p[j] * np.dot(Jt[j], f)
        alpha = 1.0
        while True:
            x_new = x - alpha * p
            f_new = evaluate(problem, x_new, counts)
            cost_new = _half_square(f_new)
            if armijo.sufficient_decrease(cost_new, cost, alpha, slope):  # False for NaN
                break
            if counts[0] >= max_nfev:
                return Fit(x, f, Jt, codes.LSQ_MAXFEV, nit, counts)
            alpha *= armijo.SHRINK
            if alpha < armijo.MIN_FRACTION:
                return Fit(x, f, Jt, codes.LSQ_NO_DECREASE, nit, counts)
        nit += 1
        # Only a full step judges convergence (as scipy's trf guards its ftol
        # test by the step's ratio): a backtracked step is small and decreases
        # little by construction, far from any minimum.
        status = _stopping(cost, cost_new, norm2(p), norm2(x), ftol, xtol, counts,
                           max_nfev) if alpha == 1.0 else \
            (codes.LSQ_MAXFEV if counts[0] >= max_nfev else GO_ON)
        x, f, cost = x_new, f_new, cost_new
        if status != GO_ON:
            update_jacobian(problem, x, f, Jt, settings.fd_step, counts)
            return Fit(x, f, Jt, status, nit, counts)


@twin
def _stopping(cost, cost_new, step, xnorm, ftol, xtol, counts, max_nfev):
    """scipy's ftol and xtol tests after an accepted step, then the
    evaluation limit: a status, or ``GO_ON``."""
    small_decrease = cost - cost_new <= ftol * cost
    small_step = step <= xtol * (xtol + xnorm)
    if small_decrease and small_step:
        return codes.LSQ_FTOL_XTOL
    if small_decrease:
        return codes.LSQ_FTOL
    if small_step:
        return codes.LSQ_XTOL
    if counts[0] >= max_nfev:
        return codes.LSQ_MAXFEV
    return GO_ON


@twin
def levenberg(problem, x0, f0, diag0, settings, max_nfev, refine_fd):
    """Levenberg's damping ``lam I``; ``lm.fit``'s call and returns."""
    return damped(problem, x0, f0, settings, max_nfev, False)


@twin
def marquardt(problem, x0, f0, diag0, settings, max_nfev, refine_fd):
    """Marquardt's damping ``lam diag(J^T J)``; ``lm.fit``'s call and returns."""
    return damped(problem, x0, f0, settings, max_nfev, True)


@twin
def damped(problem, x0, f0, settings, max_nfev, marquardt):
    """Levenberg (``marquardt`` False) or Marquardt damping."""
    ftol, xtol, gtol = settings.ftol, settings.xtol, settings.gtol
    n, m = x0.size, f0.size
    counts, x, f, Jt, Jf = _setup(x0, f0, n, m)
    R = np.empty((n, n))
    perm = np.empty(n, dtype=np.int64)
    rdiag, colnorm, qtf = np.empty(n), np.empty(n), np.empty(n)
    p, work, sdiag, shift = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    cost = _half_square(f)
    nit = 0
    lam = -1.0
    if not math.isfinite(cost):
        return Fit(x, f, Jt, codes.LSQ_NONFINITE, nit, counts)
    while True:
        status = _linearise(problem, x, f, Jt, Jf, settings.fd_step, gtol, perm, rdiag,
                            colnorm, qtf, R, work, counts)
        if status != GO_ON:
            return Fit(x, f, Jt, status, nit, counts)
        if lam < 0.0:  # Levenberg: relative to the largest curvature
            lam = LAM_START * (1.0 if marquardt else max(colnorm.max() ** 2, 1e-300))
        while True:
            # (J^T J + lam D^2) p = J^T f, D = I or the column norms of J.
            for j in range(n):
                shift[j] = math.sqrt(lam) * (colnorm[j] if marquardt else 1.0)
            trust_lm.damped_solve(R, perm, shift, qtf, p, sdiag, work)
            x_new = x - p
            f_new = evaluate(problem, x_new, counts)
            cost_new = _half_square(f_new)
            if cost_new < cost:  # False for NaN: rejected like any other step
                lam /= LAM_FACTOR
                break
            lam *= LAM_FACTOR
            if counts[0] >= max_nfev:
                return Fit(x, f, Jt, codes.LSQ_MAXFEV, nit, counts)
            if norm2(p) <= xtol * (xtol + norm2(x)) or not math.isfinite(lam):
                return Fit(x, f, Jt, codes.LSQ_XTOL, nit, counts)  # no decrease left above xtol
        nit += 1
        status = _stopping(cost, cost_new, norm2(p), norm2(x), ftol, xtol, counts, max_nfev)
        x, f, cost = x_new, f_new, cost_new
        if status != GO_ON:
            update_jacobian(problem, x, f, Jt, settings.fd_step, counts)
            return Fit(x, f, Jt, status, nit, counts)
