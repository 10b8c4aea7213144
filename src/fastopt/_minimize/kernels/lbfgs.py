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
needs, and the sign flip, the ``gamma`` scaling and the slope ``g . d`` the
line search needs ride along with passes that run anyway.  The passes are
compiled with ``fastmath=REASSOC`` (see ``_jit``): a strict left-to-right sum
is one chain of dependent additions that cannot use SIMD, and ran the passes
2-3x slower on data in cache.

The solvers use one serial build at every size (``curvature.py`` says why);
``benchmarks/suites/twoloop.py`` builds the measured alternatives from the
same sources (threaded passes) and against the textbook recursion over BLAS.
"""
import numpy as np
from numba import prange

from ..._core.jit import REASSOC, kernel

#: Pairs with ``s.y <= CURVATURE_EPS |s| |y|`` are skipped: they carry no
#: usable curvature and would make ``rho`` huge or negative.
CURVATURE_EPS = np.finfo(np.float64).eps


def _copy_dot(d, g, b):
    """``d = g``, returning ``b . g``, in one pass."""
    acc = 0.0
    for i in prange(d.size):
        v = g[i]
        d[i] = v
        acc += b[i] * v
    return acc


def _axpy_dot(d, c, a, scale, b):
    """``d = scale (d + c a)`` in place, returning ``b . d``, in one pass.

    In place rather than from a separate source: LLVM vectorises the loop only
    when the array it stores to is the one it reads (else it must allow for
    partial overlap), which at n = 100 halved the recursion's time.
    """
    acc = 0.0
    for i in prange(d.size):
        v = scale * (d[i] + c * a[i])
        d[i] = v
        acc += b[i] * v
    return acc


def _direction(g, S, Y, rho, alpha, head, count, gamma, d):
    """Write ``d = -H g`` for the L-BFGS matrix ``H`` of the stored pairs.

    ``alpha`` is scratch of length ``m``; ``d`` must not alias ``g``.  With
    no pairs stored, ``d = -gamma g``.  Returns the slope ``g . d``.
    """
    m = S.shape[0]
    if count == 0:
        copy_dot(d, g, g)
        return axpy_dot(d, 0.0, g, -gamma, g)
    # First loop, newest pair to oldest, on q (kept in d): q = g; then
    # alpha_j = rho_j s_j.q and q -= alpha_j y_j, each axpy fused with the
    # next dot product; the last one also scales by gamma and takes the
    # second loop's first dot product.
    dot_ = copy_dot(d, g, S[(head + count - 1) % m])
    for k in range(count - 1, -1, -1):
        j = (head + k) % m
        a = rho[j] * dot_
        alpha[k] = a
        if k > 0:
            dot_ = axpy_dot(d, -a, Y[j], 1.0, S[(head + k - 1) % m])
        else:
            dot_ = axpy_dot(d, -a, Y[j], gamma, Y[head])
    # Second loop, oldest to newest, on r (kept in d): beta = rho_j y_j.r;
    # r += (alpha_j - beta) s_j.  The last pass flips the sign, d = -r, and
    # returns g . d.
    for k in range(count):
        j = (head + k) % m
        c = alpha[k] - rho[j] * dot_
        if k < count - 1:
            dot_ = axpy_dot(d, c, S[j], 1.0, Y[(head + k + 1) % m])
        else:
            dot_ = axpy_dot(d, c, S[j], -1.0, g)
    return dot_


# The passes are inlined into the recursion: at n = 100 a call per pass (21
# for m = 10), with reference counting on five array arguments, cost as much
# as the arithmetic.  (The benchmark's threaded variant rebinds them.)
copy_dot = kernel(_copy_dot, inline="always", fastmath=REASSOC)
axpy_dot = kernel(_axpy_dot, inline="always", fastmath=REASSOC)
direction = kernel(_direction, fastmath=REASSOC)


def _curvature_pair(x_new, x_old, g_new, g_old, s, y):
    """Write ``s = x_new - x_old``, ``y = g_new - g_old`` in one pass.

    Returns ``(s.y, y.y, usable)``, ``usable`` by the curvature test
    ``s.y > CURVATURE_EPS |s| |y|``.
    """
    ss = 0.0
    yy = 0.0
    sy = 0.0
    for i in range(x_new.size):
        a = x_new[i] - x_old[i]
        b = g_new[i] - g_old[i]
        s[i] = a
        y[i] = b
        ss += a * a
        yy += b * b
        sy += a * b
    return sy, yy, sy > CURVATURE_EPS * np.sqrt(ss * yy)


curvature_pair = kernel(_curvature_pair, fastmath=REASSOC)


def _push_pair(S, Y, rho, head, count, x_new, x_old, g_new, g_old):
    """Store ``s = x_new - x_old``, ``y = g_new - g_old`` as the newest pair.

    The pair is written straight into its slot.  A pair failing the curvature
    test is not kept; when the buffer was full its slot held the oldest pair,
    which is then dropped too (rare, and harmless: the oldest pair carries the
    least information).

    Returns
    -------
    head, count : int
        The new buffer position.
    gamma : float
        ``s.y / y.y`` of the stored pair, or NaN if it was skipped.
    """
    m = S.shape[0]
    j = (head + count) % m
    sy, yy, usable = curvature_pair(x_new, x_old, g_new, g_old, S[j], Y[j])
    if count == m:
        head = (head + 1) % m
        count -= 1
    if not usable:
        return head, count, np.nan
    rho[j] = 1.0 / sy
    return head, count + 1, sy / yy


push_pair = kernel(_push_pair)

