"""Kernels of the Levenberg-Marquardt trust-region step (More 1978).

J. J. More (1978), "The Levenberg-Marquardt algorithm: implementation and
theory", in Numerical Analysis, Lecture Notes in Mathematics 630, pp. 105-116;
the same design as MINPACK's ``lmder`` (More, Garbow and Hillstrom, 1980):

* ``qr_pivoted``: Householder QR with column pivoting, ``J P = Q R``;
* ``qt_times``: ``Q^T f`` from the stored Householder vectors;
* ``factor``: both, and ``R`` copied out (``upper_factor``), as one LM
  iteration uses them;
* ``damped_solve``: the least-squares solution of ``[J; sqrt(par) D] p = [f; 0]``
  from ``R`` by Givens rotations, without refactoring ``J``;
* ``lm_parameter``: the damping ``par`` for which ``||D p|| = delta`` (within
  10%), by More's safeguarded Newton iteration on ``1/||D p(par)||``.

Layout: the Jacobian is stored transposed, ``Jt`` of shape ``(n, m)``, so that
a column of ``J`` is a contiguous row of ``Jt``; after ``qr_pivoted`` row ``j``
of ``Jt`` holds the ``j``-th Householder vector below (and ``R``'s column ``j``
above) the diagonal.  ``R`` is then copied to an ``(n, n)`` array whose upper
triangle is ``R``; ``damped_solve`` keeps the strict lower triangle for its
rotated factor, as MINPACK does.  ``perm[j]`` is the original index of
pivoted column ``j``.
"""
import math

import numpy as np

from ..._core.jit import REASSOC, kernel
from ..._core.vector import norm2

EPS = np.finfo(np.float64).eps
#: Smallest positive normal float64 (MINPACK's ``dwarf``).
TINY = np.finfo(np.float64).tiny


@kernel(fastmath=REASSOC)
def qr_pivoted(Jt, perm, rdiag, colnorm, work):
    """Householder QR with column pivoting of ``J = Jt.T``, in place.

    Writes ``perm``, ``rdiag`` (the diagonal of ``R``) and ``colnorm`` (the
    norms of ``J``'s columns before pivoting, by original index).  Pivoting
    picks the column of largest remaining norm, so ``|rdiag|`` decreases and
    a rank-deficient ``J`` shows up as trailing (near) zeros.
    """
    n, m = Jt.shape
    for j in range(n):
        colnorm[j] = norm2(Jt[j])
        rdiag[j] = colnorm[j]
        work[j] = colnorm[j]
        perm[j] = j
    for j in range(min(m, n)):
        kmax = j
        for k in range(j + 1, n):
            if rdiag[k] > rdiag[kmax]:
                kmax = k
        if kmax != j:
            for i in range(m):
                t = Jt[j, i]
                Jt[j, i] = Jt[kmax, i]
                Jt[kmax, i] = t
            rdiag[kmax] = rdiag[j]
            work[kmax] = work[j]
            t_ = perm[j]
            perm[j] = perm[kmax]
            perm[kmax] = t_
        v = Jt[j, j:]
        vnorm = norm2(v)
        if vnorm != 0.0:
            if v[0] < 0.0:
                vnorm = -vnorm
            for i in range(v.size):
                v[i] /= vnorm
            v[0] += 1.0
            # Apply the reflection to the remaining columns; downdate their norms.
            for k in range(j + 1, n):
                u = Jt[k, j:]
                s = 0.0
                for i in range(v.size):
                    s += v[i] * u[i]
                t = s / v[0]
                for i in range(v.size):
                    u[i] -= t * v[i]
                if rdiag[k] != 0.0:
                    t = u[0] / rdiag[k]
                    rdiag[k] *= math.sqrt(max(0.0, 1.0 - t * t))
                    if 0.05 * (rdiag[k] / work[k]) ** 2 <= EPS:
                        # Cancellation: recompute the norm instead of downdating.
                        rdiag[k] = norm2(Jt[k, j + 1:])
                        work[k] = rdiag[k]
        rdiag[j] = -vnorm


@kernel(fastmath=REASSOC)
def qt_times(Jt, f, out):
    """``out = (Q^T f)[:n]`` for the factorization stored in ``Jt``."""
    n, m = Jt.shape
    w = f.copy()
    for j in range(min(m, n)):
        v = Jt[j, j:]
        if v[0] != 0.0:
            s = 0.0
            for i in range(v.size):
                s += v[i] * w[j + i]
            t = -s / v[0]
            for i in range(v.size):
                w[j + i] += t * v[i]
        out[j] = w[j]
    for j in range(min(m, n), n):
        out[j] = 0.0


@kernel
def upper_factor(Jt, rdiag, R):
    """Copy ``R`` (strict upper part from ``Jt``, diagonal ``rdiag``) into ``R``."""
    n, m = Jt.shape
    R[:, :] = 0.0
    for j in range(n):
        for i in range(min(j, m)):
            R[i, j] = Jt[j, i]
        R[j, j] = rdiag[j] if j < m else 0.0


@kernel
def factor(Jt, f, perm, rdiag, colnorm, qtf, R, work):
    """``J P = Q R`` in place in ``Jt`` (``qr_pivoted``), ``qtf = (Q^T f)[:n]``
    and ``R`` copied out: what one LM iteration needs of its Jacobian."""
    qr_pivoted(Jt, perm, rdiag, colnorm, work)
    qt_times(Jt, f, qtf)
    upper_factor(Jt, rdiag, R)


@kernel
def damped_solve(R, perm, diag_scaled, qtf, p, sdiag, work):
    """Least-squares solution ``p`` of ``[J; S] p = [f; 0]``, ``S = diag(diag_scaled)``.

    Uses ``J P = Q R`` and ``qtf = Q^T f``: the rows of ``S P`` are rotated
    into ``R`` one at a time (Givens), giving the lower triangular factor
    ``L`` with ``P^T (J^T J + S^2) P = L L^T``.  ``L``'s strict lower part is
    left in ``R``'s strict lower triangle and its diagonal in ``sdiag``;
    ``R``'s upper triangle and diagonal are unchanged.  Sign convention: ``p``
    solves the system for ``+f`` (the step is ``-p``).
    """
    n = R.shape[0]
    for j in range(n):
        for i in range(j, n):
            R[i, j] = R[j, i]
        p[j] = R[j, j]  # the diagonal, restored below
        work[j] = qtf[j]
    for j in range(n):
        d = diag_scaled[perm[j]]
        if d != 0.0:
            for k in range(j, n):
                sdiag[k] = 0.0
            sdiag[j] = d
            qtbpj = 0.0
            for k in range(j, n):
                if sdiag[k] == 0.0:
                    continue
                if abs(R[k, k]) < abs(sdiag[k]):
                    cot = R[k, k] / sdiag[k]
                    sin = 0.5 / math.sqrt(0.25 + 0.25 * cot * cot)
                    cos = sin * cot
                else:
                    tan = sdiag[k] / R[k, k]
                    cos = 0.5 / math.sqrt(0.25 + 0.25 * tan * tan)
                    sin = cos * tan
                R[k, k] = cos * R[k, k] + sin * sdiag[k]
                t = cos * work[k] + sin * qtbpj
                qtbpj = -sin * work[k] + cos * qtbpj
                work[k] = t
                for i in range(k + 1, n):
                    t = cos * R[i, k] + sin * sdiag[i]
                    sdiag[i] = -sin * R[i, k] + cos * sdiag[i]
                    R[i, k] = t
        sdiag[j] = R[j, j]
        R[j, j] = p[j]
    # Solve L^T z = work (upper triangular), zeroing a singular tail.
    nsing = n
    for j in range(n):
        if sdiag[j] == 0.0 and nsing == n:
            nsing = j
        if nsing < n:
            work[j] = 0.0
    for j in range(nsing - 1, -1, -1):
        s = 0.0
        for i in range(j + 1, nsing):
            s += R[i, j] * work[i]
        work[j] = (work[j] - s) / sdiag[j]
    for j in range(n):
        p[perm[j]] = work[j]


@kernel
def lm_parameter(R, perm, diag, qtf, delta, par, p, sdiag, w1, w2, w3):
    """Damping ``par >= 0`` with ``||D p|| ~ delta`` and the step ``p`` it gives.

    ``p`` minimises ``||J p - f||`` subject to ``||D p|| <= delta`` (sign as in
    ``damped_solve``).  Either ``par = 0`` and ``||D p|| <= 1.1 delta`` (the
    Gauss-Newton step fits), or ``| ||D p|| - delta | <= 0.1 delta``, or ten
    iterations were spent.  ``par`` on entry is the starting guess.  More
    (1978), Section 5: Newton's method on ``1/||D p(par)||``, kept inside the
    bounds ``[parl, paru]`` that it also tightens.  Returns the new ``par``.
    """
    n = R.shape[0]
    # Gauss-Newton step (minimum-norm-ish on a singular R: the tail is zeroed).
    nsing = n
    for j in range(n):
        w1[j] = qtf[j]
        if R[j, j] == 0.0 and nsing == n:
            nsing = j
        if nsing < n:
            w1[j] = 0.0
    for j in range(nsing - 1, -1, -1):
        w1[j] /= R[j, j]
        t = w1[j]
        for i in range(j):
            w1[i] -= R[i, j] * t
    for j in range(n):
        p[perm[j]] = w1[j]
    for j in range(n):
        w2[j] = diag[j] * p[j]
    dxnorm = norm2(w2)
    fp = dxnorm - delta
    if fp <= 0.1 * delta:
        return 0.0
    # Lower bound from the Newton step at par = 0 (only for full rank).
    parl = 0.0
    if nsing >= n:
        for j in range(n):
            w1[j] = diag[perm[j]] * (w2[perm[j]] / dxnorm)
        for j in range(n):
            s = 0.0
            for i in range(j):
                s += R[i, j] * w1[i]
            w1[j] = (w1[j] - s) / R[j, j]
        t = norm2(w1)
        parl = ((fp / delta) / t) / t
    # Upper bound: ||D^-1 J^T f|| / delta.
    for j in range(n):
        s = 0.0
        for i in range(j + 1):
            s += R[i, j] * qtf[i]
        w1[j] = s / diag[perm[j]]
    gnorm = norm2(w1)
    paru = gnorm / delta
    if paru == 0.0:
        paru = TINY / min(delta, 0.1)
    par = min(max(par, parl), paru)
    if par == 0.0:
        par = gnorm / dxnorm
    for it in range(10):
        if par == 0.0:
            par = max(TINY, 0.001 * paru)
        sq = math.sqrt(par)
        for j in range(n):
            w3[j] = sq * diag[j]
        damped_solve(R, perm, w3, qtf, p, sdiag, w1)
        for j in range(n):
            w2[j] = diag[j] * p[j]
        dxnorm = norm2(w2)
        previous = fp
        fp = dxnorm - delta
        if abs(fp) <= 0.1 * delta or (parl == 0.0 and fp <= previous and previous < 0.0) \
                or it == 9:
            break
        # Newton correction on phi(par) = ||D p(par)|| - delta.
        for j in range(n):
            w1[j] = diag[perm[j]] * (w2[perm[j]] / dxnorm)
        for j in range(n):
            w1[j] /= sdiag[j]
            t = w1[j]
            for i in range(j + 1, n):
                w1[i] -= R[i, j] * t
        t = norm2(w1)
        parc = ((fp / delta) / t) / t
        if fp > 0.0:
            parl = max(parl, par)
        elif fp < 0.0:
            paru = min(paru, par)
        par = max(parl, par + parc)
    return par
