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
from .lm import NAN_MARGIN, NAN_RECENT, Fit, converged_after_nan
from .problem import evaluate, update_jacobian

GO_ON = codes.RUNNING
#: Marquardt's factor for the damping, and the starting damping (relative to
#: the largest diagonal entry of J^T J for Levenberg; Madsen, Nielsen and
#: Tingleff 2004, Section 3.2, suggest 1e-6 to 1).
LAM_FACTOR = 10.0
LAM_START = 1e-3
#: The same, for ``sqrt(lam)``, the form the loop keeps.
ROOT_FACTOR = LAM_FACTOR ** 0.5
ROOT_START = LAM_START ** 0.5


@twin
def _gradient_test(Jt, f, fnorm, gtol):
    """Whether ``max |J^T f| <= gtol``, from ``J^T (f / ||f||)``: the product
    itself may overflow where the test's answer is plain."""
    g = 0.0
    for j in range(Jt.shape[0]):
        g = max(g, abs(np.dot(Jt[j], f / fnorm)))
    return g <= gtol / fnorm




@twin
def _linearise(problem, x, f, fnorm, Jt, Jf, fd_step, gtol, perm, rdiag, colnorm, qtf, R,
               work, counts):
    """The head of both loops: ``J`` at ``x`` into ``Jt``, then ``LSQ_NONFINITE`` or
    ``LSQ_GTOL`` if it says so, else its pivoted QR (``trust_lm.factor`` on the copy
    ``Jf``) and ``GO_ON``."""
    update_jacobian(problem, x, f, Jt, fd_step, counts)
    if not all_finite(Jt):
        return codes.LSQ_NONFINITE
    if fnorm == 0.0 or _gradient_test(Jt, f, fnorm, gtol):
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
    fnorm = norm2(f)
    nit = 0
    if not math.isfinite(fnorm):
        return Fit(x, f, Jt, codes.LSQ_NONFINITE, nit, counts)
    while True:
        status = _linearise(problem, x, f, fnorm, Jt, Jf, settings.fd_step, gtol, perm,
                            rdiag, colnorm, qtf, R, w1, counts)
        if status != GO_ON:
            return Fit(x, f, Jt, status, nit, counts)
        trust_lm.lm_parameter(R, perm, np.ones(n), qtf, math.inf, 0.0, p, sdiag, w1, w2, w3)
        # The sum of squares and its slope along -p, both divided by ||f||^2:
        # the test is then free of overflow for any size of residuals.
        slope = 0.0  # g . (-p) / ||f||^2 = -(J p)^T f / ||f||^2 < 0 for descent
        for j in range(n):
            slope -= (p[j] / fnorm) * np.dot(Jt[j], f / fnorm)
        alpha = 1.0
        while True:
            x_new = x - alpha * p
            f_new = evaluate(problem, x_new, counts)
            fnorm_new = norm2(f_new)
            ratio = fnorm_new / fnorm
            if armijo.sufficient_decrease(0.5 * ratio * ratio, 0.5, alpha, slope):  # not NaN
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
        status = _stopping(ratio, norm2(p), norm2(x), ftol, xtol, counts,
                           max_nfev) if alpha == 1.0 else \
            (codes.LSQ_MAXFEV if counts[0] >= max_nfev else GO_ON)
        x, f, fnorm = x_new, f_new, fnorm_new
        if status != GO_ON:
            update_jacobian(problem, x, f, Jt, settings.fd_step, counts)
            return Fit(x, f, Jt, status, nit, counts)


@twin
def _stopping(ratio, step, xnorm, ftol, xtol, counts, max_nfev):
    """scipy's ftol and xtol tests after an accepted step that took ``||f||``
    to ``ratio ||f||``, then the evaluation limit: a status, or ``GO_ON``."""
    small_decrease = 1.0 - ratio * ratio <= ftol  # (cost - cost_new) / cost
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
def _nan_checked(status, nan_met, R, perm, qtf, fnorm, ftol, xtol, x):
    """``status``, or ``LSQ_NONFINITE`` for an ftol or xtol stop after NaN
    trials at a point that is no minimum (``lm.converged_after_nan``, from
    ``J``'s pivoted QR at ``x``): the damping NaN steps raised made the
    steps small, not the solution's nearness."""
    if nan_met and codes.LSQ_FTOL <= status <= codes.LSQ_FTOL_XTOL and not \
            converged_after_nan(R, perm, qtf, np.ones(x.size), fnorm, ftol,
                                NAN_MARGIN * max(xtol, 1e-16) * (xtol + norm2(x))):
        return codes.LSQ_NONFINITE
    return status


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
    fnorm = norm2(f)
    nit = 0
    root = -1.0  # sqrt(lam), which cannot overflow where lam would (J ~ 1e200)
    nan_at = -NAN_RECENT - 1  # nit when a trial step last met NaN or inf (damping raised)
    if not math.isfinite(fnorm):
        return Fit(x, f, Jt, codes.LSQ_NONFINITE, nit, counts)
    while True:
        status = _linearise(problem, x, f, fnorm, Jt, Jf, settings.fd_step, gtol, perm,
                            rdiag, colnorm, qtf, R, work, counts)
        if status != GO_ON:
            return Fit(x, f, Jt, status, nit, counts)
        if root < 0.0:  # Levenberg: relative to the largest curvature
            root = ROOT_START * (1.0 if marquardt else max(colnorm.max(), 1e-150))
        while True:
            # (J^T J + lam D^2) p = J^T f, D = I or the column norms of J.
            for j in range(n):
                shift[j] = root * (colnorm[j] if marquardt else 1.0)
            trust_lm.damped_solve(R, perm, shift, qtf, p, sdiag, work)
            x_new = x - p
            f_new = evaluate(problem, x_new, counts)
            fnorm_new = norm2(f_new)
            ratio = fnorm_new / fnorm
            if ratio < 1.0:  # False for NaN: rejected like any other step
                root /= ROOT_FACTOR
                break
            if not math.isfinite(fnorm_new):
                nan_at = nit
            root *= ROOT_FACTOR
            if counts[0] >= max_nfev:
                return Fit(x, f, Jt, codes.LSQ_MAXFEV, nit, counts)
            if norm2(p) <= xtol * (xtol + norm2(x)) or not math.isfinite(root):
                # No decrease left above xtol, unless NaN steps raised the damping.
                status = _nan_checked(codes.LSQ_XTOL, nit - nan_at <= NAN_RECENT, R, perm,
                                      qtf, fnorm, ftol, xtol, x)
                return Fit(x, f, Jt, status, nit, counts)
        nit += 1
        status = _nan_checked(_stopping(ratio, norm2(p), norm2(x), ftol, xtol, counts,
                                        max_nfev), nit - nan_at <= NAN_RECENT, R, perm, qtf,
                             fnorm, ftol, xtol, x)
        x, f, fnorm = x_new, f_new, fnorm_new
        if status != GO_ON:
            update_jacobian(problem, x, f, Jt, settings.fd_step, counts)
            return Fit(x, f, Jt, status, nit, counts)
