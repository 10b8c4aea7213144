"""The Levenberg-Marquardt loop: More's trust-region method as in MINPACK ``lmder``.

Each iteration factors the Jacobian once (``J P = Q R``) and then tries steps
``p(par)`` with ``||D p|| ~ delta`` (``trust_lm.lm_parameter``) until one
reduces ``||f||`` (ratio of actual to predicted reduction >= 1e-4), updating
the radius ``delta`` from that ratio.  ``D`` is the running maximum of the
Jacobian's column norms (``x_scale='jac'``) or fixed (``1 / x_scale``).

References: J. J. More (1978), "The Levenberg-Marquardt algorithm:
implementation and theory", Lecture Notes in Mathematics 630; More, Garbow and
Hillstrom (1980), User Guide for MINPACK-1, ANL-80-74 (``lmder``, ``lmdif``,
``fdjac2``: the tests and constants below).
"""
import math
from typing import NamedTuple

import numpy as np

from .._core import codes
from .._core.fdiff import CENTRAL_STEP, FORWARD_STEP
from .._core.twin import twin
from .._core.vector import all_finite, norm2
from .kernels import trust_lm
from .kernels.trust_lm import EPS
from .problem import evaluate, has_jacobian, update_jacobian


class Settings(NamedTuple):
    """The loop's tolerances (MINPACK's tests), its first trust radius as a
    multiple of ``||D x0||`` (``factor``, MINPACK's 100) and the
    finite-difference step (``fd_step < 0``: central differences; unused
    with a ``jac``)."""

    ftol: float
    xtol: float
    gtol: float
    factor: float
    fd_step: float


class Fit(NamedTuple):
    """What the least-squares loops return: the last point ``x``, its
    residuals ``f``, the transposed Jacobian ``Jt`` (n, m), the status
    (``codes.LSQ_*``), iterations, and ``counts`` (nfev, njev)."""

    x: np.ndarray
    f: np.ndarray
    Jt: np.ndarray
    status: int
    nit: int
    counts: np.ndarray


#: Margin of ``converged_after_nan`` over the tolerances: a true stop leaves
#: a Gauss-Newton step about as small as its last step, not orders larger.
NAN_MARGIN = 10.0
#: A NaN trial tells against an ftol or xtol stop for this many accepted
#: steps: a fit whose wild first step from a rank-deficient start met NaN
#: (scipy's gh-4555, p0 = ones making two columns of J equal) and that then
#: converged elsewhere has converged.
NAN_RECENT = 2


@twin
def converged_after_nan(R, perm, qtf, diag, fnorm, ftol, step_bound):
    """Whether a point where an ftol or xtol test fired after NaN or inf
    trials really is converged, from ``J``'s pivoted QR there (``R``,
    ``perm``, ``qtf = Q^T f``, ``||f|| = fnorm``).

    Steps refused for NaN shrink the trust region (or raise the damping)
    like any others, so a fit walking into a region where the residuals
    are undefined stops on its tolerances at the region's edge.  There the
    undamped Gauss-Newton step still points across the edge: it is long
    (``||D p|| > step_bound``, the xtol test with ``NAN_MARGIN``) and its
    predicted relative reduction of ``||f||^2``, ``||R P^T p||^2 / ||f||^2``
    (More 1978, Section 4), is large (``> NAN_MARGIN ftol``).  At a true
    minimum one of the two is small (the step at a zero-residual solution,
    the reduction at any other)."""
    n = R.shape[0]
    p, sdiag, w1, w2, w3 = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    trust_lm.lm_parameter(R, perm, np.ones(n), qtf, math.inf, 0.0, p, sdiag, w1, w2, w3)
    for j in range(n):
        w2[j] = diag[j] * p[j]
        w3[j] = 0.0
    if norm2(w2) <= step_bound:
        return True
    for j in range(n):
        t = p[perm[j]]
        for i in range(j + 1):
            w3[i] += R[i, j] * t
    reduction = norm2(w3) / fnorm
    return reduction * reduction <= NAN_MARGIN * max(ftol, EPS)


@twin
def solve(problem, x0, f0, diag0, settings, max_nfev, final_jac=True):
    """Minimise ``||f(x)||^2 / 2`` from ``x0``.

    Parameters
    ----------
    problem
        Residuals and Jacobian, through ``evaluate`` and ``update_jacobian``.
    x0, f0 : float64[::1]
        The start and its residuals (one evaluation, counted).
    diag0 : float64[::1]
        Fixed scaling ``D``, or empty for MINPACK's mode 1 (column norms).
    settings : Settings
    max_nfev : int
        Limit on evaluations of ``f`` (finite-difference ones included).
    final_jac : bool
        Whether ``Jt`` must hold the Jacobian at the returned ``x``.  Without
        it, ``Jt`` is that Jacobian only if the loop ended on the gradient
        test (where it was just computed), else scratch: a caller that goes
        on to refine the fit computes its own.

    Returns
    -------
    Fit
        ``Jt`` is the (transposed) Jacobian at ``x`` (see ``final_jac``).
    """
    ftol, xtol, gtol = settings.ftol, settings.xtol, settings.gtol
    factor, fd_step = settings.factor, settings.fd_step
    n = x0.size
    counts = np.zeros(2, dtype=np.int64)
    counts[0] = 1
    x = x0.copy()
    f = f0
    m = f.size
    Jt = np.full((n, m), np.nan)
    J_at_x = np.empty((n, m))  # Jt before factoring, while x has not moved
    jac_current = False
    R = np.empty((n, n))
    perm = np.empty(n, dtype=np.int64)
    rdiag, colnorm, qtf = np.empty(n), np.empty(n), np.empty(n)
    p, sdiag, w1, w2, w3 = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    x_trial = np.empty(n)
    scale_by_jac = diag0.size == 0
    diag = np.ones(n) if scale_by_jac else diag0.copy()
    fnorm = norm2(f)
    nit = 0
    par = 0.0
    delta = xnorm = 0.0
    status = codes.RUNNING
    nan_at = -NAN_RECENT - 1  # nit when a trial step last met NaN or inf (refused)
    nan_stop = False  # ... and the tolerances then stopped the fit short
    if not math.isfinite(fnorm):
        return Fit(x, f, Jt, codes.LSQ_NONFINITE, nit, counts)
    while status == codes.RUNNING:
        update_jacobian(problem, x, f, Jt, fd_step, counts)
        if not all_finite(Jt):
            status = codes.LSQ_NONFINITE
            break
        J_at_x[:, :] = Jt
        jac_current = True
        trust_lm.factor(Jt, f, perm, rdiag, colnorm, qtf, R, w1)
        if nit == 0:
            if scale_by_jac:
                for j in range(n):
                    diag[j] = colnorm[j] if colnorm[j] != 0.0 else 1.0
            for j in range(n):
                w2[j] = diag[j] * x[j]
            xnorm = norm2(w2)
            delta = factor * xnorm if xnorm != 0.0 else factor
        fnorm_at_factor = fnorm
        # Scaled gradient test: the largest cosine between f and a column of J.
        gnorm = 0.0
        if fnorm != 0.0:
            for j in range(n):
                c = colnorm[perm[j]]
                if c != 0.0:
                    s = 0.0
                    for i in range(j + 1):
                        s += R[i, j] * (qtf[i] / fnorm)
                    gnorm = max(gnorm, abs(s / c))
        if gnorm <= gtol:
            status = codes.LSQ_GTOL
            break
        if scale_by_jac:
            for j in range(n):
                diag[j] = max(diag[j], colnorm[j])
        # Inner loop: shrink the region until a step reduces ||f||.
        while True:
            par = trust_lm.lm_parameter(R, perm, diag, qtf, delta, par, p, sdiag, w1, w2, w3)
            for j in range(n):
                p[j] = -p[j]
                x_trial[j] = x[j] + p[j]
                w2[j] = diag[j] * p[j]
            pnorm = norm2(w2)
            if nit == 0:
                delta = min(delta, pnorm)
            f_trial = evaluate(problem, x_trial, counts)
            fnorm1 = norm2(f_trial)
            undefined = not math.isfinite(fnorm1)
            if undefined:
                fnorm1 = math.inf  # a failed evaluation: reject, shrink the region
                nan_at = nit
            actred = 1.0 - (fnorm1 / fnorm) ** 2 if 0.1 * fnorm1 < fnorm else -1.0
            # Predicted reduction from the linear model, and the directional derivative.
            for j in range(n):
                w3[j] = 0.0
            for j in range(n):
                t = p[perm[j]]
                for i in range(j + 1):
                    w3[i] += R[i, j] * t
            t1 = norm2(w3) / fnorm
            t2 = math.sqrt(par) * pnorm / fnorm
            prered = t1 * t1 + t2 * t2 / 0.5
            dirder = -(t1 * t1 + t2 * t2)
            ratio = actred / prered if prered != 0.0 else 0.0
            if ratio <= 0.25:
                t = 0.5 if actred >= 0.0 else 0.5 * dirder / (dirder + 0.5 * actred)
                # (Not to a tenth for an undefined trial, which says nothing of
                # how far off the model is: MINPACK's NaN arithmetic keeps the
                # model's factor, and a fit from a rank-deficient start, whose
                # first step is wild, keeps the direction it found.)
                if (0.1 * fnorm1 >= fnorm and not undefined) or t < 0.1:
                    t = 0.1
                delta = t * min(delta, pnorm / 0.1)
                par /= t
            elif par == 0.0 or ratio >= 0.75:
                delta = pnorm / 0.5
                par *= 0.5
            if ratio >= 1e-4:
                x, x_trial = x_trial, x
                f = f_trial
                for j in range(n):
                    w2[j] = diag[j] * x[j]
                xnorm = norm2(w2)
                fnorm = fnorm1
                nit += 1
                jac_current = False
            if abs(actred) <= ftol and prered <= ftol and 0.5 * ratio <= 1.0:
                status = codes.LSQ_FTOL
            if delta <= xtol * xnorm:
                status = codes.LSQ_FTOL_XTOL if status == codes.LSQ_FTOL else codes.LSQ_XTOL
            if status != codes.RUNNING:
                break
            if counts[0] >= max_nfev:
                status = codes.LSQ_MAXFEV
            elif abs(actred) <= EPS and prered <= EPS and 0.5 * ratio <= 1.0:
                status = codes.LSQ_FTOL  # no further reduction possible at machine precision
            elif delta <= EPS * xnorm:
                status = codes.LSQ_XTOL
            elif gnorm <= EPS:
                status = codes.LSQ_GTOL
            if status != codes.RUNNING or ratio >= 1e-4:
                break
        if nit - nan_at <= NAN_RECENT and codes.LSQ_FTOL <= status <= codes.LSQ_FTOL_XTOL and not \
                converged_after_nan(R, perm, qtf, diag, fnorm_at_factor, ftol,
                                    NAN_MARGIN * max(xtol, EPS) * xnorm):
            status = codes.LSQ_NONFINITE  # stopped at the edge of the NaN region
            nan_stop = True
    # Return the Jacobian at the final x (the loop factored Jt in place).
    if jac_current:
        Jt[:, :] = J_at_x
    elif (status != codes.LSQ_NONFINITE or nan_stop) and \
            (final_jac or status == codes.LSQ_GTOL):
        # (GTOL: fit's dead-column test reads the Jacobian at x.)
        update_jacobian(problem, x, f, Jt, fd_step, counts)
    return Fit(x, f, Jt, status, nit, counts)


@twin
def _gauss_newton_step(Jf, R, perm, f, qtf, p, w1, w2, w3, sdiag):
    """``p`` with ``J p ~ f`` in the least-squares sense (the step is ``-p``),
    from ``J``'s pivoted QR (``trust_lm.factor``: ``Jf``, ``R``, ``perm``);
    returns ``||p||``.  A singular ``R`` gets a zeroed tail, as in ``lmpar``."""
    trust_lm.qt_times(Jf, f, qtf)
    trust_lm.lm_parameter(R, perm, np.ones(p.size), qtf, math.inf, 0.0, p, sdiag, w1, w2, w3)
    return norm2(p)


#: A fit counts as refined when the Gauss-Newton step from a fresh central-
#: difference Jacobian is below this relative to x, both scaled by the
#: Jacobian's column norms (``||D p|| <= REFINED ||D x||``, MINPACK's xtol
#: test with an accurate Jacobian and the exact Gauss-Newton step).
REFINED = 1e-10


@twin
def polish(problem, x, f, Jt, fd_step, max_rounds, counts):
    """Gauss-Newton steps from a converged ``x`` while they contract.

    Near a solution the sum of squares is flat to within the rounding of
    ``f`` well before the gradient ``J^T f`` vanishes, so comparing sums of
    squares (the trust region's test) no longer tells good steps from bad.
    Steps are judged by contraction instead (Dennis and Schnabel 1983,
    Theorem 10.2.1): the iteration converges to a zero of ``J^T f`` when
    each step is less than half as long as the one before.

    Each round differences a Jacobian (with ``fd_step``) and takes chord
    steps with it held fixed, one evaluation a step, each kept while the
    next is less than half as long and ``||f||`` grows by no more than
    1e-4 relative (rounding, at a flat bottom).  Chord steps converge to
    where the *held* Jacobian is orthogonal to ``f``, so the round is judged
    again from the next round's fresh Jacobian: its Gauss-Newton step must
    be less than half the one the round started with, else the round is
    undone and the polish stops (with large residuals the held Jacobian
    can lead away from the solution).  That fresh step estimates the
    distance left: when ``||D p|| <= REFINED ||D x||`` (MINPACK's xtol
    test, ``D`` the column norms) the fit is *converged*, that round's
    chord steps are the last, and ``Jt`` stays at the round's start (within
    ``REFINED`` of the returned ``x``).  From the second round on, the ratio
    of successive fresh steps (the linear rate of Gauss-Newton) predicts
    what a round leaves; when that is below ``REFINED`` the round is the
    last, ``Jt`` again at its start.  Otherwise ``Jt`` is at ``x``.

    Returns ``(x, f, steps, converged)``.
    """
    n, m = Jt.shape
    update_jacobian(problem, x, f, Jt, fd_step, counts)
    if not all_finite(Jt):
        return x, f, 0, False
    Jf = np.empty((n, m))
    J_start = Jt.copy()  # the Jacobian at x_start, the point an undo returns to
    R = np.empty((n, n))
    perm = np.empty(n, dtype=np.int64)
    rdiag, colnorm, qtf = np.empty(n), np.empty(n), np.empty(n)
    w1, w2, w3, sdiag = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    p, p_new, dpv, dxv = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    fnorm = norm2(f)
    x_start, f_start = x, f
    steps = taken = 0
    previous = math.inf
    for rounds in range(max_rounds + 1):
        Jf[:, :] = Jt
        trust_lm.factor(Jf, f, perm, rdiag, colnorm, qtf, R, w1)
        size = _gauss_newton_step(Jf, R, perm, f, qtf, p, w1, w2, w3, sdiag)
        for j in range(n):  # (norm2: column norms of 1e160 overflow when squared)
            dpv[j] = colnorm[j] * p[j]
            dxv[j] = colnorm[j] * x[j]
        dp, dx = norm2(dpv), norm2(dxv)
        if not dp < 0.5 * previous:  # the last round led away: undo it
            x, f = x_start, f_start
            Jt[:, :] = J_start
            return x, f, steps - taken, False
        converged = dp <= REFINED * dx
        if rounds == max_rounds:
            return x, f, steps, converged
        # Rounds converge linearly (Gauss-Newton's rate): once two fresh steps
        # show the rate, this round's chord steps are predicted to leave
        # dp * rate, and the Jacobian that would only confirm it is skipped.
        predicted = rounds > 0 and dp * (dp / previous) <= REFINED * dx
        previous = dp
        x_start, f_start = x, f
        J_start[:, :] = Jt
        taken = 0
        while size > EPS * norm2(x):
            x_new = x - p
            f_new = evaluate(problem, x_new, counts)
            fnorm_new = norm2(f_new)
            if not fnorm_new <= fnorm * (1.0 + 1e-4):
                break
            size_new = _gauss_newton_step(Jf, R, perm, f_new, qtf, p_new, w1, w2, w3, sdiag)
            if not size_new < 0.5 * size:
                break
            x, f, fnorm, size = x_new, f_new, fnorm_new, size_new
            p[:] = p_new
            taken += 1
        steps += taken
        if converged or taken == 0:
            return x, f, steps, converged
        if predicted:
            return x, f, steps, True
        update_jacobian(problem, x, f, Jt, fd_step, counts)
        if not all_finite(Jt):
            Jt[:, :] = J_start
            return x_start, f_start, steps - taken, False
    return x, f, steps, False


@twin
def dead_column(Jt):
    """True if some column of ``J`` is zero against the largest (to rounding)."""
    largest = 0.0
    smallest = np.inf
    for j in range(Jt.shape[0]):
        c = norm2(Jt[j])
        largest = max(largest, c)
        smallest = min(smallest, c)
    return smallest <= EPS * largest


@twin
def refine(problem, x, f, Jt, diag, settings, counts):
    """Carry a converged finite-difference fit to the solution's last digits.

    First Gauss-Newton steps with central differences while they contract
    (``polish``, at most three rounds).  Most fits end there.  If the step still
    left is not below ``REFINED`` (the fit stopped far out, in a slow valley
    or where Gauss-Newton does not converge), the LM iteration is continued
    with central differences and tolerances at machine precision
    (``30 (2 n + 1)`` evaluations at most), then polished again.  A NaN or
    inf met on the way keeps the best fit found before it.  ``Jt`` on entry
    is not used; returns ``(x, f, Jt, extra iterations)`` with ``Jt`` a
    central-difference Jacobian at ``x`` or within ``REFINED`` of it (see
    ``polish``), or a forward-difference one at ``x`` when central
    differences met NaN or inf; ``counts`` is updated.
    """
    x, f, steps, converged = polish(problem, x, f, Jt, -CENTRAL_STEP, 3, counts)
    if not all_finite(Jt):  # central differences stepped off the domain
        update_jacobian(problem, x, f, Jt, settings.fd_step, counts)
        return x, f, Jt, steps
    if converged:
        return x, f, Jt, steps
    tight = Settings(EPS, EPS, 0.0, settings.factor, -CENTRAL_STEP)
    x2, f2, Jt2, status, nit, more = solve(problem, x, f, diag, tight, 30 * (2 * x.size + 1),
                                           False)
    counts[0] += more[0] - 1  # f(x) was passed in, not evaluated again
    counts[1] += more[1]
    if status == codes.LSQ_NONFINITE:
        return x, f, Jt, steps
    x2, f2, steps2, _ = polish(problem, x2, f2, Jt2, -CENTRAL_STEP, 3, counts)
    if not all_finite(Jt2) or not norm2(f2) <= norm2(f) * (1.0 + REFINED):
        return x, f, Jt, steps  # keep the polished first stage
    return x2, f2, Jt2, steps + nit + steps2


@twin
def fit(problem, x0, f0, diag0, settings, max_nfev, refine_fd):
    """``solve``, then the two safeguards of ``least_squares``.

    * With Jacobian scaling (``diag0`` empty), a fit ending on the gradient
      test with a dead Jacobian column (a parameter no longer moving the
      model: an early long step into a region where the model saturates,
      as on NIST's BoxBOD) is retried from ``x0`` with ``D = 1``; the better
      fit is kept.
    * With finite differences and ``refine_fd``, a converged fit is refined
      (``refine``).

    Returns a ``Fit``, as ``solve`` does.
    """
    refining = refine_fd and not has_jacobian(problem)
    x, f, Jt, status, nit, counts = solve(problem, x0, f0, diag0, settings, max_nfev,
                                          not refining)
    if diag0.size == 0 and status == codes.LSQ_GTOL and dead_column(Jt):
        x2, f2, Jt2, status2, nit2, counts2 = solve(problem, x0, f0, np.ones(x0.size),
                                                    settings, max_nfev, not refining)
        counts[0] += counts2[0] - 1  # f0 is shared
        counts[1] += counts2[1]
        if status2 > 0 and norm2(f2) < norm2(f):
            x, f, Jt, status, nit = x2, f2, Jt2, status2, nit2
    # The error a forward-difference Jacobian leaves in the fit scales with
    # ||f||: a fit matching its data to that accuracy needs no refinement.
    if refining and status > 0 and norm2(f) > FORWARD_STEP * norm2(f0):
        x2, f2, Jt2, more = refine(problem, x, f, Jt, diag0, settings, counts)
        if norm2(f2) <= norm2(f) * (1.0 + REFINED):  # never worse, beyond rounding
            x, f, Jt = x2, f2, Jt2
            nit += more
        else:
            update_jacobian(problem, x, f, Jt, settings.fd_step, counts)
    elif refining and status != codes.LSQ_NONFINITE:
        update_jacobian(problem, x, f, Jt, settings.fd_step, counts)  # skipped by solve
    return Fit(x, f, Jt, status, nit, counts)
