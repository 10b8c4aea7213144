"""Damped Newton kernels: Cholesky with an added multiple of the identity.

Nocedal and Wright (2006), Numerical Optimization, Algorithm 3.3: factor
``H + tau I``, starting from ``tau = 0`` when the diagonal is positive and
doubling ``tau`` until the factorization succeeds.  The lecture notes' damping
``H + eps I`` with ``eps`` chosen automatically; the result is a descent
direction whatever the sign of ``H``'s eigenvalues.
"""
import numpy as np

from ._jit import kernel

#: Smallest shift tried, relative to the Hessian's scale (N&W's beta).
SHIFT_FLOOR = 1e-3
#: Give up after this many doublings (tau would exceed 2^60 times the floor).
MAX_SHIFTS = 60


@kernel
def cholesky(A, tau, L):
    """Lower Cholesky factor of ``A + tau I`` into ``L``; False if not positive definite."""
    n = A.shape[0]
    for j in range(n):
        acc = A[j, j] + tau
        for k in range(j):
            acc -= L[j, k] * L[j, k]
        if not acc > 0.0:
            return False
        ljj = np.sqrt(acc)
        L[j, j] = ljj
        for i in range(j + 1, n):
            acc = A[i, j]
            for k in range(j):
                acc -= L[i, k] * L[j, k]
            L[i, j] = acc / ljj
        for i in range(j):
            L[i, j] = 0.0
    return True


@kernel
def damped_newton_direction(H, g, L, d):
    """Solve ``(H + tau I) d = -g`` with the smallest ``tau`` of N&W Alg. 3.3.

    Returns ``tau``, or -1 if no shift up to the limit gives a positive
    definite matrix (only possible with non-finite entries).
    """
    n = g.size
    scale = 0.0
    min_diag = np.inf
    for i in range(n):
        for j in range(n):
            scale += H[i, j] * H[i, j]
        min_diag = min(min_diag, H[i, i])
    # Symmetrise on the fly: use the lower triangle only (cholesky reads it).
    floor = SHIFT_FLOOR * max(np.sqrt(scale / n), np.finfo(np.float64).tiny)
    tau = 0.0 if min_diag > 0.0 else floor - min_diag
    for _ in range(MAX_SHIFTS):
        if cholesky(H, tau, L):
            # Forward then back substitution.
            for i in range(n):
                acc = -g[i]
                for k in range(i):
                    acc -= L[i, k] * d[k]
                d[i] = acc / L[i, i]
            for i in range(n - 1, -1, -1):
                acc = d[i]
                for k in range(i + 1, n):
                    acc -= L[k, i] * d[k]
                d[i] = acc / L[i, i]
            return tau
        tau = max(2.0 * tau, floor)
    return -1.0
