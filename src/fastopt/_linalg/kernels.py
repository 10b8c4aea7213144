"""Kernels of the Lyapunov solver (``lyapunov.py``).

* ``triangular_sylvester``: ``S Y + Y R^T = C`` for upper quasi-triangular
  ``S`` and ``R`` (diagonal blocks of one real Schur factor ``T``), ``C``
  overwritten by ``Y``: the back substitution of Bartels and Stewart (1972),
  the work of LAPACK's ``dtrsyl``, for the small blocks at the leaves of the
  recursive blocked solver in ``lyapunov.py``;
* ``max_abs``, ``is_symmetric``, ``symmetrize``: the input checks and the
  symmetric bookkeeping, one pass each;
* ``min_pair_sum``: ``min |l_i + l_j|`` over eigenvalue pairs, the distance
  of the Lyapunov operator from singularity in eigenvalue terms;
* ``divide_pairs``: ``C_ij /= l_i + l_j - lr l_i l_j``, the Lyapunov (and
  Stein) equation solved in an eigenbasis.

Layout: everything is row-major (C order).  The leaf solver addresses its
blocks by index ranges into the whole ``T`` and ``F`` so that one compiled
specialisation serves every leaf (numba compiles a new one per array
layout, and views would be non-contiguous).

R. H. Bartels and G. W. Stewart (1972), "Algorithm 432: Solution of the matrix
equation AX + XB = C", Comm. ACM 15(9), 820-826.
"""
import numpy as np

from .._core.jit import REASSOC, kernel


@kernel
def _solve_small(K, b, perm, x, n, smin):
    """Solve the ``n x n`` system ``K x = b`` (``n <= 4``) by Gaussian
    elimination with complete pivoting, as LAPACK's ``dlasy2``; the result
    goes to ``b``.  A pivot below ``smin`` is replaced by ``smin`` (LAPACK's
    perturbation) and reported by returning 1."""
    info = 0
    for k in range(n):
        perm[k] = k
    for k in range(n):
        p = k
        q = k
        big = -1.0
        for i in range(k, n):
            for j in range(k, n):
                v = abs(K[i, j])
                if v > big:
                    big = v
                    p = i
                    q = j
        if p != k:
            for j in range(n):
                t = K[p, j]
                K[p, j] = K[k, j]
                K[k, j] = t
            t = b[p]
            b[p] = b[k]
            b[k] = t
        if q != k:
            for i in range(n):
                t = K[i, q]
                K[i, q] = K[i, k]
                K[i, k] = t
            t2 = perm[q]
            perm[q] = perm[k]
            perm[k] = t2
        if abs(K[k, k]) < smin:
            K[k, k] = smin
            info = 1
        for i in range(k + 1, n):
            f = K[i, k] / K[k, k]
            for j in range(k + 1, n):
                K[i, j] -= f * K[k, j]
            b[i] -= f * b[k]
    for k in range(n - 1, -1, -1):
        s = b[k]
        for j in range(k + 1, n):
            s -= K[k, j] * b[j]
        b[k] = s / K[k, k]
    for k in range(n):
        x[perm[k]] = b[k]
    for k in range(n):
        b[k] = x[k]
    return info


@kernel(fastmath=REASSOC)
def triangular_sylvester(T, F, a0, a1, b0, b1, smin):
    """Solve ``S Y + Y R^T = C`` in place, ``S = T[a0:a1, a0:a1]``,
    ``R = T[b0:b1, b0:b1]``, ``C = F[a0:a1, b0:b1]`` (overwritten by ``Y``).

    ``T`` is in real Schur form (upper quasi-triangular: a nonzero
    ``T[k + 1, k]`` marks a 2 x 2 block for a complex pair) and the ranges do
    not cut a 2 x 2 block.  Block rows of ``Y`` are solved from the bottom up;
    within a block row the columns from the right (each entry, or 2 x 1, 1 x 2
    or 2 x 2 block, a system of at most 4 unknowns), with the coupling to the
    solved columns taken as dot products along rows.  A finished block row is
    then subtracted from the rows above it (row-wise axpys), so every inner
    loop runs along contiguous memory.  Returns 1 if a pivot below ``smin``
    had to be perturbed (the equation is singular to working precision),
    else 0.
    """
    info = 0
    K = np.empty((4, 4))
    rhs = np.empty(4)
    x = np.empty(4)
    perm = np.empty(4, dtype=np.int64)
    i2 = a1
    while i2 > a0:
        i1 = i2 - 1
        if i1 > a0 and T[i1, i1 - 1] != 0.0:
            i1 -= 1
        ma = i2 - i1
        j2 = b1
        while j2 > b0:
            j1 = j2 - 1
            if j1 > b0 and T[j1, j1 - 1] != 0.0:
                j1 -= 1
            pb = j2 - j1
            for r in range(ma):
                for c in range(pb):
                    s = 0.0
                    for l in range(j2, b1):
                        s += F[i1 + r, l] * T[j1 + c, l]
                    rhs[r * pb + c] = F[i1 + r, j1 + c] - s
            if ma == 1 and pb == 1:
                d = T[i1, i1] + T[j1, j1]
                if abs(d) < smin:
                    d = smin
                    info = 1
                F[i1, j1] = rhs[0] / d
            else:
                nk = ma * pb
                for u in range(nk):
                    for v in range(nk):
                        K[u, v] = 0.0
                for r in range(ma):
                    for c in range(pb):
                        u = r * pb + c
                        for s_ in range(ma):
                            K[u, s_ * pb + c] += T[i1 + r, i1 + s_]
                        for t in range(pb):
                            K[u, r * pb + t] += T[j1 + c, j1 + t]
                info |= _solve_small(K, rhs, perm, x, nk, smin)
                for r in range(ma):
                    for c in range(pb):
                        F[i1 + r, j1 + c] = rhs[r * pb + c]
            j2 = j1
        # The rows above lose S[r, i1:i2] @ Y[i1:i2, :].
        for r in range(a0, i1):
            for s_ in range(i1, i2):
                t = T[r, s_]
                if t != 0.0:
                    for l in range(b0, b1):
                        F[r, l] -= t * F[s_, l]
        i2 = i1
    return info


@kernel
def max_abs(A):
    """``max |A_ij|`` of a C-contiguous 2-D array, or -1.0 if an entry is NaN
    or inf (0.0 for an empty array)."""
    flat = A.ravel()
    big = 0.0
    for k in range(flat.size):
        v = abs(flat[k])
        if not v < np.inf:
            return -1.0
        if v > big:
            big = v
    return big


#: Tile of the transposed comparisons: two 64 x 64 tiles of float64 (64 KiB)
#: stay in L2 while one is read by rows and the other by columns.
_TILE = 64


@kernel
def is_symmetric(A, tol):
    """True if ``|A_ij - A_ji| <= tol`` for all ``i, j`` (finite ``A``); stops at
    the first pair that differs by more.  Tiled, so the column-wise reads of
    one tile hit cache."""
    n = A.shape[0]
    for ib in range(0, n, _TILE):
        ie = min(ib + _TILE, n)
        for jb in range(ib, n, _TILE):
            je = min(jb + _TILE, n)
            for i in range(ib, ie):
                for j in range(max(jb, i + 1), je):
                    if abs(A[i, j] - A[j, i]) > tol:
                        return False
    return True


@kernel
def symmetrize(A):
    """``A <- (A + A^T) / 2`` in place (tiled)."""
    n = A.shape[0]
    for ib in range(0, n, _TILE):
        ie = min(ib + _TILE, n)
        for jb in range(ib, n, _TILE):
            je = min(jb + _TILE, n)
            for i in range(ib, ie):
                for j in range(max(jb, i + 1), je):
                    v = 0.5 * (A[i, j] + A[j, i])
                    A[i, j] = v
                    A[j, i] = v


@kernel
def min_pair_sum(wr, wi):
    """``min |w_i + w_j|`` over all pairs ``i <= j`` of ``w = wr + 1j wi``
    (``inf`` when empty).  ``A X + X A^T`` is singular exactly when the sum
    of two eigenvalues of ``A`` (one may be taken twice) is zero.  Computed
    in units of the largest ``|wr|``, ``|wi|`` so the squares neither
    overflow nor underflow for extremely scaled matrices."""
    n = wr.size
    scale = 0.0
    for i in range(n):
        scale = max(scale, abs(wr[i]), abs(wi[i]))
    if n == 0:
        return np.inf
    if scale == 0.0:
        return 0.0
    best = np.inf
    for i in range(n):
        ri = wr[i] / scale
        ii = wi[i] / scale
        for j in range(i, n):
            re = ri + wr[j] / scale
            im = ii + wi[j] / scale
            v = re * re + im * im
            if v < best:
                best = v
    return np.sqrt(best) * scale


@kernel
def divide_pairs(C, l, lr):
    """``C_ij <- C_ij / (l_i + l_j - lr l_i l_j)`` in place.

    With ``lr = 0``, ``C`` becomes the solution of ``L X + X L = C`` for
    ``L = diag(l)``; with ``lr > 0``, ``X / lr`` solves the Stein equation
    ``X = (I - lr L) X (I - lr L) + lr^2 C`` (``1 - (1 - lr l_i)(1 - lr l_j)``
    written without the cancellation of the difference to 1).
    """
    n = l.size
    for i in range(n):
        li = l[i]
        a = 1.0 - lr * li
        for j in range(n):
            C[i, j] /= li + a * l[j]
