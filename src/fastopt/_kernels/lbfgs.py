"""L-BFGS kernels: the two-loop recursion over a circular history buffer.

Nocedal and Wright (2006), Numerical Optimization, Algorithm 7.4 (two-loop
recursion) and eq. (7.20) (initial scaling ``H0 = gamma I`` with
``gamma = s.y / y.y`` of the newest pair).

History layout, shared by every kernel here and by the drivers::

    S, Y  : float64[:, ::1], shape (m, n)   pairs s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k
    rho   : float64[::1], shape (m,)        1 / (y_k . s_k)
    head  : index of the oldest stored pair
    count : number of stored pairs (0 .. m); pair j (0 = oldest) is row (head + j) % m

The recursion is written as ``2 count + 1`` passes over memory instead of the
textbook's ``4 count``: each axpy is fused with the dot product the next step
needs, and the sign flip and the ``gamma`` scaling ride along with a pass that
runs anyway.  The same source builds serially and with ``parallel=True``
(``_jit.serial_and_parallel``); threaded dot products sum in a different order,
so the two builds agree to rounding, not bit for bit.
"""
import numpy as np
from numba import prange

from ._jit import kernel, serial_and_parallel

#: Pairs with ``s.y <= CURVATURE_EPS |s| |y|`` are skipped: they carry no
#: usable curvature and would make ``rho`` huge or negative.
CURVATURE_EPS = np.finfo(np.float64).eps


def _direction(g, S, Y, rho, alpha, head, count, gamma, d):
    """Write ``d = -H g`` for the L-BFGS matrix ``H`` of the stored pairs.

    ``alpha`` is scratch of length ``m``; ``d`` must not alias ``g``.  With
    no pairs stored, ``d = -gamma g``.
    """
    m = S.shape[0]
    n = g.size
    if count == 0:
        for i in prange(n):
            d[i] = -gamma * g[i]
        return
    # First loop, newest pair to oldest, on q (kept in d): q = g; then
    # alpha_j = rho_j s_j.q and q -= alpha_j y_j.  The copy g -> d is fused
    # with the first dot product, each axpy with the next dot product.
    j = (head + count - 1) % m
    s = S[j]
    dot = 0.0
    for i in prange(n):
        d[i] = g[i]
        dot += s[i] * g[i]
    for k in range(count - 1, -1, -1):
        j = (head + k) % m
        a = rho[j] * dot
        alpha[k] = a
        y = Y[j]
        if k > 0:
            s = S[(head + k - 1) % m]
            dot = 0.0
            for i in prange(n):
                q = d[i] - a * y[i]
                d[i] = q
                dot += s[i] * q
        else:
            # Last axpy: scale by gamma and take the second loop's first dot.
            y0 = Y[head]
            dot = 0.0
            for i in prange(n):
                r = gamma * (d[i] - a * y[i])
                d[i] = r
                dot += y0[i] * r
    # Second loop, oldest to newest, on r (kept in d): beta = rho_j y_j.r;
    # r += (alpha_j - beta) s_j.  The last pass flips the sign: d = -r.
    for k in range(count):
        j = (head + k) % m
        c = alpha[k] - rho[j] * dot
        s = S[j]
        if k < count - 1:
            y = Y[(head + k + 1) % m]
            dot = 0.0
            for i in prange(n):
                r = d[i] + c * s[i]
                d[i] = r
                dot += y[i] * r
        else:
            for i in prange(n):
                d[i] = -(d[i] + c * s[i])


direction, direction_parallel = serial_and_parallel(_direction)


def _push_pair(S, Y, rho, head, count, x_new, x_old, g_new, g_old):
    """Store ``s = x_new - x_old``, ``y = g_new - g_old`` as the newest pair.

    One pass: the pair is written into its slot while ``s.y``, ``s.s`` and
    ``y.y`` are summed.  A pair failing the curvature test is not kept; when
    the buffer was full its slot held the oldest pair, which is then dropped
    too (rare, and harmless: the oldest pair carries the least information).

    Returns
    -------
    head, count : int
        The new buffer position.
    gamma : float
        ``s.y / y.y`` of the stored pair, or NaN if it was skipped.
    """
    m = S.shape[0]
    n = x_new.size
    j = (head + count) % m
    s = S[j]
    y = Y[j]
    ss = 0.0
    yy = 0.0
    sy = 0.0
    for i in prange(n):
        a = x_new[i] - x_old[i]
        b = g_new[i] - g_old[i]
        s[i] = a
        y[i] = b
        ss += a * a
        yy += b * b
        sy += a * b
    if count == m:
        head = (head + 1) % m
        count -= 1
    if not sy > CURVATURE_EPS * np.sqrt(ss * yy):
        return head, count, np.nan
    rho[j] = 1.0 / sy
    return head, count + 1, sy / yy


push_pair, push_pair_parallel = serial_and_parallel(_push_pair)
