"""Damped Newton kernels: Cholesky with an added multiple of the identity.

Nocedal and Wright (2006), Numerical Optimization, Algorithm 3.3: factor
``H + tau D``, starting from ``tau = 0`` when the diagonal is positive and
raising ``tau`` until the factorization succeeds; the result is a descent
direction whatever the sign of ``H``'s eigenvalues.  The lecture notes'
damping ``H + eps I`` with ``eps`` chosen automatically, with one change:
the shift is ``tau D`` with ``D`` the Hessian's own diagonal magnitudes
rather than ``I`` (the scaling More 1978 uses for Levenberg-Marquardt), so
the damping is invariant to the units of the variables.  With ``D = I`` the
shift needed by the largest curvature swamps the small ones on badly scaled
problems (MGH's Osborne 1 and Meyer then crawl for 1e5 iterations).
"""
import numpy as np

from ..._core.jit import kernel

#: Smallest shift tried, relative to the Hessian's diagonal (N&W's beta), and
#: the factor it grows by after each failed factorization.  N&W suggest 1e-3
#: and doubling; a smaller start with faster growth finds a shift close to
#: the most negative eigenvalue, which matters in flat, curved valleys
#: (a shift far above it shrinks the step along the valley to a crawl).
SHIFT_FLOOR = 1e-8
SHIFT_GROWTH = 10.0
#: Give up after this many increases (only non-finite entries get that far).
MAX_SHIFTS = 40


@kernel
def cholesky(A, shift, L):
    """Lower Cholesky factor of ``A + diag(shift)`` into ``L``; False if not positive definite."""
    n = A.shape[0]
    for j in range(n):
        acc = A[j, j] + shift[j]
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
    """Solve ``(H + tau D) d = -g`` with the smallest ``tau`` of N&W Alg. 3.3,
    ``D`` the Hessian's diagonal magnitudes (floored; the module says why).

    Returns ``tau``, or -1 if no shift up to the limit gives a positive
    definite matrix (only possible with non-finite entries).
    """
    n = g.size
    # The shift is tau * D with D the Hessian's diagonal magnitudes (floored):
    # invariant to rescaling the variables, where tau * I would be swamped on
    # badly scaled problems by the largest curvature.
    scale = np.empty(n)
    biggest = 0.0
    for i in range(n):
        scale[i] = abs(H[i, i])
        biggest = max(biggest, scale[i])
    floor = max(biggest * np.finfo(np.float64).eps, np.finfo(np.float64).tiny)
    positive = True
    for i in range(n):
        scale[i] = max(scale[i], floor)
        positive = positive and H[i, i] > 0.0
    tau = 0.0 if positive else SHIFT_FLOOR
    shift = np.empty(n)
    for _ in range(MAX_SHIFTS):
        for i in range(n):
            shift[i] = tau * scale[i]
        if cholesky(H, shift, L):
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
        tau = max(SHIFT_GROWTH * tau, SHIFT_FLOOR)
    return -1.0
