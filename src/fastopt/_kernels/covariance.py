"""Parameter covariance of a least-squares fit, for curve_fit and its batch twin."""
import numpy as np
from numba import njit

from ._jit import KERNEL_OPTIONS
from .trust_lm import norm2


@njit(**KERNEL_OPTIONS)
def covariance(J, cost, absolute_sigma, rank_tol, out):
    """``out = s^2 (J^T J)^+`` (``(J^T J)^+`` with ``absolute_sigma``), with
    ``s^2 = 2 cost / (m - n)``; returns True when it cannot be estimated
    (``out`` then all inf, as in scipy): J not finite, rank below n, or (for
    ``s^2``) no more points than parameters.

    The pseudo-inverse comes from an SVD of ``J`` with its columns scaled to
    unit norm, so the rank decision does not depend on the units of the
    parameters; singular values below ``rank_tol`` (relative to the largest)
    count as zero.
    """
    m, n = J.shape
    norms = np.empty(n)
    for j in range(n):
        c = norm2(J[:, j])
        norms[j] = c if c > 0.0 else 1.0
    if not np.isfinite(J).all():
        out[:, :] = np.inf
        return True
    _, sv, VT = np.linalg.svd(J / norms, full_matrices=False)
    rank = 0
    for i in range(sv.size):
        if sv[i] > rank_tol * sv[0]:
            rank += 1
    if rank < n or (not absolute_sigma and m <= n):
        out[:, :] = np.inf
        return True
    scale = 1.0 if absolute_sigma else 2.0 * cost / (m - n)
    for a in range(n):
        for b in range(n):
            acc = 0.0
            for i in range(n):
                acc += VT[i, a] * VT[i, b] / (sv[i] * sv[i])
            out[a, b] = scale * acc / (norms[a] * norms[b])
    return False
