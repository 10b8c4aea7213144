"""The L-BFGS direction in two passes over memory, from inner products.

The two-loop recursion (``lbfgs.direction``) makes ``2 m + 1`` passes over
the history, each reading two length-n vectors and updating ``d``: 672 bytes
per element for m = 10, which at n = 1e6 is the whole cost of an iteration.
Its scalars only ever need inner products, though: written out,

    alpha_k = rho_k (s_k.g - sum_{l>k} alpha_l s_k.y_l)
    beta_k  = rho_k (gamma (y_k.g - sum_l alpha_l y_k.y_l)
                     + sum_{l<k} (alpha_l - beta_l) s_l.y_k)
    d       = -gamma g + sum_l gamma alpha_l y_l - sum_l (alpha_l - beta_l) s_l

(Nocedal and Wright 2006, Alg. 7.4, unrolled; the same matrix as the compact
form of Byrd, Nocedal and Schnabel 1994, which L-BFGS-B uses).  So one pass
computes ``S g`` and ``Y g``, O(m^2) scalar work gives the coefficients, and
one pass forms ``d``: about 340 bytes per element.  The small matrices
``SY[i, j] = s_i.y_j`` and ``YY[i, j] = y_i.y_j`` are kept up to date without
any further pass: for a new pair (s, y) = (stp d, g+ - g) and a stored pair i,

    s_i.y = s_i.g+ - s_i.g   (this and the previous first pass)
    y_i.y = y_i.g+ - y_i.g
    s.y_i = stp d.y_i        (accumulated by the second pass while it writes d)

State, all indexed by buffer slot (see ``lbfgs`` for S, Y, rho, head, count):
``gram`` has ``2 m + GRAM_ROWS`` rows of length m, named by the ``*_ROW``
constants below.  ``pending`` is the slot whose ``s_i.y`` / ``y_i.y`` column
still waits for the next first pass, or -1.

Both passes work block by block so that a block of ``g`` or ``d`` stays in L1
while all 2m history rows stream past it, and split ``n`` into one chunk per
thread (``nchunks``; 1 for the serial build).
"""
import numba
import numpy as np
from numba import prange

from ._jit import kernel, renamed_copy
from .lbfgs import curvature_pair, curvature_pair_parallel

#: Elements per block: a block of g (8 KB) stays in L1 across the 2m rows.
BLOCK = 1024
# Rows of ``gram`` after SY (rows 0..m-1) and YY (rows m..2m-1), offset by 2m.
SG, YG, SG_PREV, YG_PREV, DY, ALPHA, BETA, CS, CY, GRAM_ROWS = range(10)


@kernel
def new_gram(m):
    """Zeroed state for a buffer of ``m`` pairs."""
    return np.zeros((2 * m + GRAM_ROWS, m))


@kernel
def _block_dot(u, v, lo, hi):
    """``u[lo:hi] . v[lo:hi]`` with four partial sums."""
    s0 = s1 = s2 = s3 = 0.0
    i = lo
    while i + 4 <= hi:
        s0 += u[i] * v[i]
        s1 += u[i + 1] * v[i + 1]
        s2 += u[i + 2] * v[i + 2]
        s3 += u[i + 3] * v[i + 3]
        i += 4
    while i < hi:
        s0 += u[i] * v[i]
        i += 1
    return (s0 + s1) + (s2 + s3)


def _first_pass(g, S, Y, head, count, partial):
    """``partial[c, k] = s_k.g`` and ``partial[c, count + k] = y_k.g`` over chunk c."""
    m = S.shape[0]
    n = g.size
    nchunks = partial.shape[0]
    size = (n + nchunks - 1) // nchunks
    for c in prange(nchunks):
        for k in range(2 * count):
            partial[c, k] = 0.0
        lo_chunk = c * size
        hi_chunk = min(n, lo_chunk + size)
        for lo in range(lo_chunk, hi_chunk, BLOCK):
            hi = min(hi_chunk, lo + BLOCK)
            for k in range(count):
                j = (head + k) % m
                partial[c, k] += _block_dot(S[j], g, lo, hi)
                partial[c, count + k] += _block_dot(Y[j], g, lo, hi)


def _second_pass(g, S, Y, head, count, cg, cs, cy, d, partial):
    """``d = cg g + sum_k cs_k s_k + cy_k y_k``; ``partial[c, k] = d.y_k`` over chunk c."""
    m = S.shape[0]
    n = g.size
    nchunks = partial.shape[0]
    size = (n + nchunks - 1) // nchunks
    for c in prange(nchunks):
        for k in range(count):
            partial[c, k] = 0.0
        lo_chunk = c * size
        hi_chunk = min(n, lo_chunk + size)
        for lo in range(lo_chunk, hi_chunk, BLOCK):
            hi = min(hi_chunk, lo + BLOCK)
            for i in range(lo, hi):
                d[i] = cg * g[i]
            for k in range(count):
                j = (head + k) % m
                a = cs[j]
                b = cy[j]
                s = S[j]
                y = Y[j]
                for i in range(lo, hi):
                    d[i] += a * s[i] + b * y[i]
            for k in range(count):
                partial[c, k] += _block_dot(Y[(head + k) % m], d, lo, hi)


first_pass = kernel(_first_pass)
second_pass = kernel(_second_pass)
first_pass_parallel = kernel(renamed_copy(_first_pass, "_parallel"), parallel=True)
second_pass_parallel = kernel(renamed_copy(_second_pass, "_parallel"), parallel=True)


def _direction(g, S, Y, rho, head, count, gamma, gram, pending, partial, d):
    """Write ``d = -H g`` (the L-BFGS matrix of the stored pairs, ``H0 = gamma I``).

    Completes the Gram column of slot ``pending`` (if >= 0) first.  ``partial``
    is (nchunks, 2m) scratch.  Same result as ``lbfgs.direction`` up to rounding.
    """
    m = S.shape[0]
    SY = gram[:m]
    YY = gram[m:2 * m]
    row = gram[2 * m:]
    sg, yg = row[SG], row[YG]
    alpha, beta, cs, cy = row[ALPHA], row[BETA], row[CS], row[CY]
    if count > 0:
        first_pass(g, S, Y, head, count, partial)
    for k in range(count):
        j = (head + k) % m
        sg[j] = 0.0
        yg[j] = 0.0
        for c in range(partial.shape[0]):
            sg[j] += partial[c, k]
            yg[j] += partial[c, count + k]
    if pending >= 0:
        for k in range(count):
            i = (head + k) % m
            if i != pending:
                SY[i, pending] = sg[i] - row[SG_PREV, i]
                v = yg[i] - row[YG_PREV, i]
                YY[i, pending] = v
                YY[pending, i] = v
    for k in range(count - 1, -1, -1):
        i = (head + k) % m
        acc = sg[i]
        for l in range(k + 1, count):
            acc -= alpha[l] * SY[i, (head + l) % m]
        alpha[k] = rho[i] * acc
    for k in range(count):
        i = (head + k) % m
        acc = yg[i]
        for l in range(count):
            acc -= alpha[l] * YY[i, (head + l) % m]
        acc *= gamma
        for l in range(k):
            acc += (alpha[l] - beta[l]) * SY[(head + l) % m, i]
        beta[k] = rho[i] * acc
    for k in range(count):
        i = (head + k) % m
        cy[i] = gamma * alpha[k]
        cs[i] = beta[k] - alpha[k]
    second_pass(g, S, Y, head, count, -gamma, cs, cy, d, partial)
    for k in range(count):
        j = (head + k) % m
        acc = 0.0
        for c in range(partial.shape[0]):
            acc += partial[c, k]
        row[DY, j] = acc
    for j in range(m):
        row[SG_PREV, j] = sg[j]
        row[YG_PREV, j] = yg[j]


direction = kernel(_direction)
direction_parallel = kernel(renamed_copy(_direction, "_parallel", first_pass=first_pass_parallel,
                                         second_pass=second_pass_parallel))


def _push_pair(S, Y, rho, head, count, gram, stp, x_new, x_old, g_new, g_old):
    """Store the newest pair and the Gram entries known now.

    Like ``lbfgs.push_pair``, plus: ``s.s`` and ``y.y`` of the new pair, and
    ``s.y_i = stp d.y_i`` for the pairs kept.  Returns ``(head, count, gamma,
    pending)`` with ``pending`` the new pair's slot (-1 if it was skipped).
    """
    m = S.shape[0]
    j = (head + count) % m
    sy, yy, usable = curvature_pair(x_new, x_old, g_new, g_old, S[j], Y[j])
    if count == m:
        head = (head + 1) % m
        count -= 1
    if not usable:
        return head, count, np.nan, -1
    rho[j] = 1.0 / sy
    SY = gram[:m]
    YY = gram[m:2 * m]
    for k in range(count):
        i = (head + k) % m
        SY[j, i] = stp * gram[2 * m + DY, i]
    SY[j, j] = sy
    YY[j, j] = yy
    return head, count + 1, sy / yy, j


push_pair = kernel(_push_pair)
push_pair_parallel = kernel(renamed_copy(_push_pair, "_parallel",
                                         curvature_pair=curvature_pair_parallel))


def nchunks(parallel):
    """Chunks for the first and second passes: one per thread when threaded."""
    return numba.get_num_threads() if parallel else 1
