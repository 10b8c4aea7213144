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
runs anyway.  Each pass keeps four partial sums: a single chain of dependent
additions runs at one add per 4 cycles and cannot use SIMD (without
``fastmath``, LLVM may not reorder it), which made the recursion 3-4x slower
on data in cache.  The passes build serially and with ``parallel=True``
(``_jit.serial_and_parallel``), and so does the recursion over them; threaded
dot products sum in a different order, so the two builds agree to rounding,
not bit for bit.
"""
import numpy as np
from numba import prange

from ._jit import kernel, renamed_copy, serial_and_parallel

#: Pairs with ``s.y <= CURVATURE_EPS |s| |y|`` are skipped: they carry no
#: usable curvature and would make ``rho`` huge or negative.
CURVATURE_EPS = np.finfo(np.float64).eps


def _dot(u, v):
    """``u . v`` with four partial sums (one chain of adds cannot use SIMD)."""
    n = u.size
    s0 = s1 = s2 = s3 = 0.0
    for k in prange(n >> 2):
        i = k << 2
        s0 += u[i] * v[i]
        s1 += u[i + 1] * v[i + 1]
        s2 += u[i + 2] * v[i + 2]
        s3 += u[i + 3] * v[i + 3]
    for i in range(n & ~3, n):
        s0 += u[i] * v[i]
    return (s0 + s1) + (s2 + s3)


def _axpy_dot(out, src, c, a, scale, b):
    """``out = scale (src + c a)``, returning ``b . out``: one pass, four partial sums."""
    n = out.size
    s0 = s1 = s2 = s3 = 0.0
    for k in prange(n >> 2):
        i = k << 2
        v0 = scale * (src[i] + c * a[i])
        v1 = scale * (src[i + 1] + c * a[i + 1])
        v2 = scale * (src[i + 2] + c * a[i + 2])
        v3 = scale * (src[i + 3] + c * a[i + 3])
        out[i] = v0
        out[i + 1] = v1
        out[i + 2] = v2
        out[i + 3] = v3
        s0 += b[i] * v0
        s1 += b[i + 1] * v1
        s2 += b[i + 2] * v2
        s3 += b[i + 3] * v3
    for i in range(n & ~3, n):
        v = scale * (src[i] + c * a[i])
        out[i] = v
        s0 += b[i] * v
    return (s0 + s1) + (s2 + s3)


dot, dot_parallel = serial_and_parallel(_dot)
axpy_dot, axpy_dot_parallel = serial_and_parallel(_axpy_dot)


def _direction(g, S, Y, rho, alpha, head, count, gamma, d):
    """Write ``d = -H g`` for the L-BFGS matrix ``H`` of the stored pairs.

    ``alpha`` is scratch of length ``m``; ``d`` must not alias ``g``.  With
    no pairs stored, ``d = -gamma g``.
    """
    m = S.shape[0]
    if count == 0:
        for i in prange(g.size):
            d[i] = -gamma * g[i]
        return
    # First loop, newest pair to oldest, on q (kept in d): q = g; then
    # alpha_j = rho_j s_j.q and q -= alpha_j y_j, each axpy fused with the
    # next dot product; the last one also scales by gamma and takes the
    # second loop's first dot product.
    dot_ = dot(S[(head + count - 1) % m], g)
    src = g
    for k in range(count - 1, -1, -1):
        j = (head + k) % m
        a = rho[j] * dot_
        alpha[k] = a
        if k > 0:
            dot_ = axpy_dot(d, src, -a, Y[j], 1.0, S[(head + k - 1) % m])
        else:
            dot_ = axpy_dot(d, src, -a, Y[j], gamma, Y[head])
        src = d
    # Second loop, oldest to newest, on r (kept in d): beta = rho_j y_j.r;
    # r += (alpha_j - beta) s_j.  The last pass flips the sign: d = -r.
    for k in range(count):
        j = (head + k) % m
        c = alpha[k] - rho[j] * dot_
        if k < count - 1:
            dot_ = axpy_dot(d, d, c, S[j], 1.0, Y[(head + k + 1) % m])
        else:
            axpy_dot(d, d, c, S[j], -1.0, S[j])


# The serial build inlines its passes: at n = 100 a call per pass (21 for
# m = 10), with reference counting on five array arguments, cost as much as
# the arithmetic.
direction = kernel(renamed_copy(
    _direction, "_serial",
    dot=kernel(renamed_copy(_dot, "_inline"), inline="always"),
    axpy_dot=kernel(renamed_copy(_axpy_dot, "_inline"), inline="always")))
# The threaded build: the same loop over the threaded passes.
direction_parallel = kernel(renamed_copy(_direction, "_parallel", dot=dot_parallel,
                                         axpy_dot=axpy_dot_parallel))



def _curvature_pair(x_new, x_old, g_new, g_old, s, y):
    """Write ``s = x_new - x_old``, ``y = g_new - g_old`` in one pass.

    Returns ``(s.y, y.y, usable)``, ``usable`` by the curvature test
    ``s.y > CURVATURE_EPS |s| |y|``.
    """
    ss = 0.0
    yy = 0.0
    sy = 0.0
    for i in prange(x_new.size):
        a = x_new[i] - x_old[i]
        b = g_new[i] - g_old[i]
        s[i] = a
        y[i] = b
        ss += a * a
        yy += b * b
        sy += a * b
    return sy, yy, sy > CURVATURE_EPS * np.sqrt(ss * yy)


curvature_pair, curvature_pair_parallel = serial_and_parallel(_curvature_pair)


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
push_pair_parallel = kernel(renamed_copy(_push_pair, "_parallel",
                                         curvature_pair=curvature_pair_parallel))

