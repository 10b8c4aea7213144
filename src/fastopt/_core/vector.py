"""The O(n) reductions and updates every loop uses, compiled once.

All take float64 arrays and allocate nothing.  Sums that only feed tests or
step lengths are reassociated into SIMD lanes (``REASSOC``, see ``jit``);
``sq_norm`` keeps a fixed left-to-right order because both drivers of the
first-order methods must agree on it bit for bit.
"""
import math

import numpy as np

from .jit import REASSOC, kernel

_EPS = np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny
#: Below this a sum of squares may have lost entries to underflow.
_SAFE_SUM = _TINY / _EPS
_HUGE = np.finfo(np.float64).max


@kernel
def inf_norm(g):
    """max |g_i|, or NaN if any entry is NaN (inf propagates as inf)."""
    m = 0.0
    for i in range(g.size):
        a = abs(g[i])
        if a != a:
            return np.nan
        if a > m:
            m = a
    return m


@kernel
def sq_norm(g):
    """sum g_i^2, serial (a fixed summation order keeps both drivers identical)."""
    s = 0.0
    for i in range(g.size):
        s += g[i] * g[i]
    return s


@kernel(fastmath=REASSOC)
def dot(u, v):
    """``u . v``."""
    acc = 0.0
    for i in range(u.size):
        acc += u[i] * v[i]
    return acc


@kernel(fastmath=REASSOC)
def norm2(v):
    """Euclidean norm, safe from overflow and underflow; NaN if any entry is.

    The plain sum of squares (reassociated into SIMD lanes) is exact enough
    whenever it lands in ``[tiny / eps, max]``: an entry whose square
    underflowed then weighed less than ``eps`` of the sum, and none
    overflowed.  Otherwise (and for NaN) the sum is redone scaled by the
    largest entry, as MINPACK's ``enorm`` guards it.
    """
    acc = 0.0
    for i in range(v.size):
        acc += v[i] * v[i]
    if _SAFE_SUM <= acc <= _HUGE:
        return math.sqrt(acc)
    scale = inf_norm(v)
    if scale == 0.0 or not math.isfinite(scale):
        return scale
    acc = 0.0
    for i in range(v.size):
        t = v[i] / scale
        acc += t * t
    return scale * math.sqrt(acc)


@kernel
def all_finite(A):
    """Whether every entry of the 2-D array ``A`` is finite (no temporary,
    unlike ``np.isfinite(A).all()``; any layout)."""
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            if not math.isfinite(A[i, j]):
                return False
    return True


@kernel
def axpy_to(out, x, a, d):
    """``out = x + a d``."""
    for i in range(x.size):
        out[i] = x[i] + a * d[i]


@kernel(fastmath=REASSOC)
def slope_and_inf_norm(g, d):
    """``(g . d, max |g_i|)`` in one pass; the norm is NaN if any ``g_i`` is."""
    slope = 0.0
    gmax = 0.0
    nans = 0
    for i in range(g.size):
        slope += g[i] * d[i]
        a = abs(g[i])
        gmax = max(gmax, a)
        nans += a != a
    return slope, (np.nan if nans else gmax)


@kernel
def vector_norm(g, order):
    """``(sum |g_i|^order)^(1/order)``, scipy's ``vecnorm`` (``order = inf``:
    max |g_i|, ``-inf``: min |g_i|); scaled by max |g_i| against overflow."""
    if order == np.inf:
        return inf_norm(g)
    if order == -np.inf:
        m = np.inf
        for i in range(g.size):
            m = min(m, abs(g[i]))
        return m
    top = inf_norm(g)
    if top == 0.0 or not math.isfinite(top):
        return top
    s = 0.0
    for i in range(g.size):
        s += (abs(g[i]) / top) ** order
    return top * s ** (1.0 / order)
