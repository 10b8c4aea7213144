"""Parameter covariance of a least-squares fit: curve_fit, its batch twin, varpro.

``(J^T J)^+`` comes from the singular value decomposition of ``J`` with its
columns scaled to unit norm, as scipy's ``curve_fit`` takes it from an SVD:
here ``J D^-1 P = Q R`` first (the pivoted QR of ``trust_lm``), then the SVD
of the small ``n x n`` factor ``R`` by one-sided Jacobi rotations (Hestenes
1958; Demmel and Veselic 1992 show it finds the singular values of a matrix
with well-scaled columns to high relative accuracy).  For the few
parameters of a curve fit this costs a fraction of a LAPACK call's overhead,
which matters when thousands of fits each need one.
"""
import math

import numpy as np

from ..._core.jit import kernel
from ..._core.vector import all_finite, norm2
from .trust_lm import EPS, qr_pivoted, upper_factor

#: Relative accuracy of a finite-difference Jacobian's columns: singular values
#: of the column-scaled J below it are indistinguishable from zero.
FD_RANK_TOL = np.sqrt(EPS)


def rank_tolerance(m, n, analytic):
    """The rank cutoff ``covariance`` takes for an ``m x n`` Jacobian: rounding
    (``eps max(m, n)``) for one from a ``jac`` function, the error of finite
    differences (``FD_RANK_TOL``) otherwise."""
    return EPS * max(m, n) if analytic else FD_RANK_TOL

#: Sweeps of the Jacobi SVD before giving up (a handful suffice in practice:
#: convergence is quadratic once the columns are nearly orthogonal).
_MAX_SWEEPS = 60


@kernel
def jacobi_svd(B, V):
    """One-sided Jacobi SVD in place: ``B_in = B_out V^T`` with ``B_out``'s
    columns orthogonal and ``V`` orthogonal.  The singular values are the
    column norms of ``B_out``.  Returns False if the sweeps ran out."""
    n = B.shape[1]
    V[:, :] = 0.0
    for j in range(n):
        V[j, j] = 1.0
    for _ in range(_MAX_SWEEPS):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                alpha = beta = gamma = 0.0
                for i in range(B.shape[0]):
                    alpha += B[i, p] * B[i, p]
                    beta += B[i, q] * B[i, q]
                    gamma += B[i, p] * B[i, q]
                if gamma == 0.0 or abs(gamma) <= EPS * math.sqrt(alpha * beta):
                    continue
                rotated = True
                # The rotation that zeroes the (p, q) entry of B^T B.
                zeta = (beta - alpha) / (2.0 * gamma)
                t = math.copysign(1.0, zeta) / (abs(zeta) + math.sqrt(1.0 + zeta * zeta))
                c = 1.0 / math.sqrt(1.0 + t * t)
                s = c * t
                for i in range(B.shape[0]):
                    bp, bq = B[i, p], B[i, q]
                    B[i, p] = c * bp - s * bq
                    B[i, q] = s * bp + c * bq
                for i in range(n):
                    vp, vq = V[i, p], V[i, q]
                    V[i, p] = c * vp - s * vq
                    V[i, q] = s * vp + c * vq
        if not rotated:
            return True
    return False


@kernel
def covariance(J, rnorm, absolute_sigma, rank_tol, out):
    """``out = s^2 (J^T J)^+`` (``(J^T J)^+`` with ``absolute_sigma``), with
    ``s = ||f|| / sqrt(m - n)``, ``rnorm = ||f||``; returns True when it cannot
    be estimated (``out`` then all inf, as in scipy): J not finite, rank below
    n, or (for ``s^2``) no more points than parameters; or when some entry is
    beyond float64's range (``out`` then holds it as inf or 0, and the caller
    warns as scipy does for a non-finite ``pcov``).

    Entry ``(a, b)`` is formed as ``(s / |J_a|) (s / |J_b|) C_ab`` with ``C``
    the pseudo-inverse for the unit columns: data of size 1e160 or 1e-200
    then give a finite, accurate ``pcov`` where ``s^2`` or ``|J_a| |J_b|``
    alone would overflow or underflow.

    The pseudo-inverse comes from the SVD of ``J`` with its columns scaled to
    unit norm, so the rank decision does not depend on the units of the
    parameters; singular values below ``rank_tol`` (relative to the largest)
    count as zero.  ``J`` is ``(m, n)``, in any layout.
    """
    m, n = J.shape
    if m < n or (not absolute_sigma and m == n) or not all_finite(J):
        out[:, :] = np.inf
        return True
    # The scaled Jacobian, stored transposed for qr_pivoted.
    At = np.empty((n, m))
    norms = np.empty(n)
    for j in range(n):
        for i in range(m):
            At[j, i] = J[i, j]
        c = norm2(At[j])
        norms[j] = c if c > 0.0 else 1.0
        for i in range(m):
            At[j, i] /= norms[j]
    perm = np.empty(n, dtype=np.int64)
    rdiag, colnorm, work = np.empty(n), np.empty(n), np.empty(n)
    R = np.empty((n, n))
    qr_pivoted(At, perm, rdiag, colnorm, work)
    upper_factor(At, rdiag, R)
    W = np.empty((n, n))
    converged = jacobi_svd(R, W)
    sv = np.empty(n)
    largest = 0.0
    for k in range(n):
        sv[k] = norm2(R[:, k])
        largest = max(largest, sv[k])
    rank = 0
    for k in range(n):
        if sv[k] > rank_tol * largest:
            rank += 1
    if not converged or rank < n:
        out[:, :] = np.inf
        return True
    s = 1.0 if absolute_sigma else rnorm / math.sqrt(m - n)
    # Column perm[a] of the scaled J is column a of R = U diag(sv) W^T.
    representable = True
    for a in range(n):
        for b in range(n):
            acc = 0.0
            for k in range(n):
                acc += W[a, k] * W[b, k] / (sv[k] * sv[k])
            v = (s / norms[perm[a]]) * (s / norms[perm[b]]) * acc
            out[perm[a], perm[b]] = v
            if not math.isfinite(v) or (v == 0.0 and acc != 0.0 and s != 0.0):
                representable = False
    return not representable
