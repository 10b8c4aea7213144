"""BFGS kernels: the dense inverse-Hessian update, in place.

Nocedal and Wright (2006), Numerical Optimization, eq. (6.17)::

    H+ = (I - rho s y^T) H (I - rho y s^T) + rho s s^T,    rho = 1 / (y.s)

expanded to a rank-two correction of ``H`` so it is applied in one pass over
the matrix.  The product ``H y`` costs nothing extra: ``y = g+ - g`` and the
caller's direction is ``d = -H g``, so ``H y = H g+ + d``; the one matrix-vector
product ``H g+`` gives both ``H y`` and, after the update, the next direction
``d+ = -H+ g+`` in closed form.  Each iteration thus reads ``H`` once and
updates it once.
"""
from numba import prange

from ..._core.jit import kernel, serial_and_parallel


def _matvec(H, v, out):
    """``out = H v``."""
    n = v.size
    for i in prange(n):
        row = H[i]
        acc = 0.0
        for j in range(n):
            acc += row[j] * v[j]
        out[i] = acc


def _rank_two(H, s, u, a, b):
    """``H += a s s^T - b (u s^T + s u^T)``."""
    n = s.size
    for i in prange(n):
        row = H[i]
        asi = a * s[i]
        bsi = b * s[i]
        bui = b * u[i]
        for j in range(n):
            row[j] += asi * s[j] - bui * s[j] - bsi * u[j]


matvec, matvec_parallel = serial_and_parallel(_matvec)
rank_two, rank_two_parallel = serial_and_parallel(_rank_two)


@kernel
def set_identity(H, scale):
    """``H = scale I``."""
    n = H.shape[0]
    for i in range(n):
        row = H[i]
        for j in range(n):
            row[j] = 0.0
        row[i] = scale


@kernel
def finish_update(s, y, g_new, Hg, d, sy):
    """After ``Hg = H g+`` (old ``H``) and ``d = -H g``: turn ``Hg`` into ``H y``
    and ``d`` into ``-H+ g+``.  Returns the coefficients ``(a, b)`` of the
    rank-two correction ``H+ = H + a s s^T - b (Hy s^T + s Hy^T)``."""
    n = s.size
    rho = 1.0 / sy
    y_hy = 0.0
    s_g = 0.0
    hy_g = 0.0
    for i in range(n):
        hy = Hg[i] + d[i]
        y_hy += y[i] * hy
        s_g += s[i] * g_new[i]
        hy_g += hy * g_new[i]
    a = rho + rho * rho * y_hy
    b = rho
    for i in range(n):
        hy = Hg[i] + d[i]
        d[i] = -(Hg[i] + a * s_g * s[i] - b * (s_g * hy + hy_g * s[i]))
        Hg[i] = hy
    return a, b
