"""The direction rules of the curvature loop, apart from the loop itself.

Each rule (``codes.STEEPEST``, ``BFGS``, ``LBFGS``, ``NEWTON``,
``NEWTON_CG``) answers three questions the loop (``curvature.solve``) asks
every iteration:

* ``search_direction``: which ``d``, with slope ``g . d``;
* ``first_step``: which step along it the line search tries first;
* ``update``: what the accepted step teaches (the BFGS matrix, the L-BFGS
  pairs; nothing for Newton, which asks for the Hessian afresh).

``forget`` drops what was learnt (after rounding spoiled it, or a failed
search).  All are twins, so the Python and the compiled loop share them.

References: Nocedal and Wright (2006), Numerical Optimization: Alg. 6.1 and
eq. (6.20) (BFGS and its first scaling), Alg. 7.4-7.5 (L-BFGS), Alg. 3.3
(Cholesky with added multiple of the identity), Alg. 7.1 (line-search
Newton-CG), eq. (3.60) (initial step of steepest descent).
"""
import math
from typing import NamedTuple

import numpy as np

from .._core import codes
from .._core.fdiff import fd_hessian, fd_hessp
from .._core.twin import boundary, twin
from .._core.vector import dot
from .._steps.table import PARALLEL_MIN_SIZE
from .kernels import bfgs, lbfgs, newton, wolfe
from .objective import gradient_at, hess_mode, hessian, hessp


class Memory(NamedTuple):
    """The curvature information a run builds, what ``hess_inv`` is made
    from: views of one ``buffer`` (so that Python receives one array), of
    size 0 where a rule keeps none.

    ``buffer`` is ``[jac | S | Y | rho | H]``.  ``jac`` (n,): room for the
    gradient at the returned point (the compiled entry for Python puts it
    there).  ``S, Y`` (m, n), ``rho`` (m,): L-BFGS pairs in a circular buffer whose
    oldest pair is row ``ring[0]``, ``ring[1]`` pairs stored
    (``kernels/lbfgs.py``); ``gamma[0]``: the scale of ``H0``.  ``H`` (n, n):
    BFGS's inverse Hessian, or Newton's Hessian.
    """

    buffer: np.ndarray
    jac: np.ndarray
    S: np.ndarray
    Y: np.ndarray
    rho: np.ndarray
    ring: np.ndarray
    gamma: np.ndarray
    H: np.ndarray


class Work(NamedTuple):
    """The rules' scratch: ``alpha`` (m,) for the two-loop recursion, ``L``
    (n, n) for Newton's Cholesky factor, ``s, y, Hg`` (n,) for BFGS's update."""

    alpha: np.ndarray
    L: np.ndarray
    s: np.ndarray
    y: np.ndarray
    Hg: np.ndarray


@twin
def layout(direction, n, maxcor):
    """``(m, nh)``: the pairs and the matrix order ``Memory`` holds for a rule."""
    m = maxcor if direction == codes.LBFGS else 0
    nh = n if direction == codes.BFGS or direction == codes.NEWTON else 0
    return m, nh


@twin
def new_memory(direction, n, maxcor):
    """Empty curvature information for ``n`` parameters."""
    m, nh = layout(direction, n, maxcor)
    s, y, r = n, n + m * n, n + 2 * m * n  # offsets of S, Y, rho
    buffer = np.zeros(r + m + nh * nh)
    return Memory(buffer, buffer[:n], buffer[s:y].reshape((m, n)),
                  buffer[y:r].reshape((m, n)), buffer[r:r + m],
                  np.zeros(2, dtype=np.int64), np.ones(1), buffer[r + m:].reshape((nh, nh)))


@twin
def new_work(direction, n, maxcor):
    """Scratch for ``n`` parameters."""
    m = maxcor if direction == codes.LBFGS else 0
    nl = n if direction == codes.NEWTON else 0
    nv = n if direction == codes.BFGS else 0
    return Work(np.zeros(m), np.zeros((nl, nl)), np.zeros(nv), np.zeros(nv), np.zeros(nv))


@twin
def forget(direction, mem):
    """Drop the curvature information: no pairs, ``H0 = I``."""
    mem.ring[1] = 0
    mem.gamma[0] = 1.0
    if direction == codes.BFGS:
        bfgs.set_identity(mem.H, 1.0)


@twin
def redirect(direction, mem, work, g, d, fresh):
    """The gradient at the current point was computed again (``g``): for BFGS
    past its first update, rewrite ``d = -H g`` (the other rules compute
    their direction from ``g`` each iteration)."""
    if direction == codes.BFGS and not fresh:
        matvec(mem.H, g, work.Hg)
        d[:] = -work.Hg


# --- boundary functions: from Python the bfgs kernels take their threaded
# build for large n; compiled code always takes the serial one (see
# _steps/table.py, Step.select, for why).

def _matvec_compiled(H, v, out):
    bfgs.matvec(H, v, out)


@boundary(_matvec_compiled)
def matvec(H, v, out):
    """``out = H v``."""
    (bfgs.matvec_parallel if H.size >= PARALLEL_MIN_SIZE else bfgs.matvec)(H, v, out)


def _rank_two_compiled(H, s, u, a, b):
    bfgs.rank_two(H, s, u, a, b)


@boundary(_rank_two_compiled)
def rank_two(H, s, u, a, b):
    """``H += a s s^T - b (u s^T + s u^T)``."""
    (bfgs.rank_two_parallel if H.size >= PARALLEL_MIN_SIZE else bfgs.rank_two)(H, s, u, a, b)


# --- the three questions ---------------------------------------------------------

@twin
def newton_cg_direction(obj, x, g, d, counts, hstep):
    """Truncated conjugate gradients on ``H d = -g`` (N&W Algorithm 7.1).

    Stops at the residual ``min(0.5, sqrt|g|) |g|`` or at the first direction
    of non-positive curvature.  If that is the very first one, ``d`` is
    steepest descent scaled by the curvature met, ``-(g'g / |g'Hg|) g`` as
    scipy's Newton-CG takes it (``-g`` when ``g'Hg`` is 0 or not finite).
    """
    n = x.size
    gnorm = math.sqrt(dot(g, g))
    tol = min(0.5, math.sqrt(gnorm)) * gnorm
    d[:] = 0.0
    r = g.copy()
    p = -g
    rr = dot(r, r)
    use_hessp = hess_mode(obj) == codes.HESS_PRODUCT
    for j in range(20 * n):
        if use_hessp:
            Bp = hessp(obj, x, p, counts)
        else:
            Bp = fd_hessp(gradient_at, obj, x, g, p, counts, hstep)
        curvature = dot(p, Bp)
        if not curvature > 0.0:
            if j == 0:
                scale = rr / -curvature if curvature < 0.0 and math.isfinite(curvature) else 1.0
                d[:] = -scale * g
            return
        a = rr / curvature
        d += a * p
        r += a * Bp
        rr_new = dot(r, r)
        if math.sqrt(rr_new) <= tol:
            return
        p = (rr_new / rr) * p - r
        rr = rr_new


@twin
def search_direction(direction, obj, mem, work, x, g, d, fresh, restart, counts, hstep):
    """Write the search direction into ``d``; return ``(g . d, ok)``, ``ok``
    False when Newton's Hessian has no usable factorization (non-finite).
    ``hstep``: Newton-CG's differencing step (``fdiff.fd_hessp``).

    Steepest descent after a restart, for ``STEEPEST``, and for BFGS before
    its first update; otherwise the rule's own.  (BFGS's ``d = -H g`` was
    left by the last ``update``.)
    """
    if direction == codes.BFGS and fresh:
        bfgs.set_identity(mem.H, 1.0)
    if restart or direction == codes.STEEPEST or (direction == codes.BFGS and fresh):
        d[:] = -g
        return -dot(g, g), True
    if direction == codes.LBFGS:
        return lbfgs.direction(g, mem.S, mem.Y, mem.rho, work.alpha, mem.ring[0], mem.ring[1],
                               mem.gamma[0], d), True
    if direction == codes.NEWTON:
        if hess_mode(obj) == codes.HESS_DENSE:
            hessian(obj, x, mem.H, counts)
        else:
            fd_hessian(gradient_at, obj, x, g, mem.H, counts)
        if newton.damped_newton_direction(mem.H, g, work.L, d) < 0.0:
            return np.nan, False
    elif direction == codes.NEWTON_CG:
        newton_cg_direction(obj, x, g, d, counts, hstep)
    return dot(g, d), True


@twin
def first_step(direction, fresh, restart, f, f_prev, dg, d):
    """The line search's first trial step along ``d`` (slope ``dg``)."""
    if restart or (fresh and direction != codes.NEWTON and direction != codes.NEWTON_CG):
        return 1.0 / math.sqrt(-dg if direction == codes.STEEPEST else dot(d, d))
    if direction == codes.STEEPEST:
        return 2.0 * (f - f_prev) / dg  # N&W (3.60)
    return 1.0  # the quasi-Newton and Newton steps are scaled


#: Newton-CG's longest step along its direction: scipy's (its line search's
#: default ``amax``).  A step of 50 Newton steps is already far from where the
#: quadratic model was made; past it the search takes the bound itself.
NEWTON_CG_MAX_STEP = 50.0


@twin
def max_step(direction):
    """The line search's bound on the step along the rule's ``d``."""
    return NEWTON_CG_MAX_STEP if direction == codes.NEWTON_CG else wolfe.STPMAX


@twin
def small_step(direction, x_new, x, xtol):
    """Whether the step ``x -> x_new`` is below ``xtol``, as scipy measures
    it: Newton-CG's ``sum |s_i| <= n xtol`` (an average step), otherwise
    BFGS's ``|s| <= xtol (xtol + |x_new|)`` (its ``xrtol``; Frandsen,
    Jonasson, Nielsen and Tingleff 1999, Unconstrained Optimization, Ch. 5)."""
    if direction == codes.NEWTON_CG:
        total = 0.0
        for i in range(x.size):
            total += abs(x_new[i] - x[i])
        return total <= x.size * xtol
    ss = 0.0
    xx = 0.0
    for i in range(x.size):
        ss += (x_new[i] - x[i]) ** 2
        xx += x_new[i] ** 2
    return math.sqrt(ss) <= xtol * (xtol + math.sqrt(xx))


@twin
def update(direction, mem, work, x_new, x, g_new, g, d, fresh):
    """Learn from the accepted step ``x -> x_new``; for BFGS also write the
    next direction ``-H g_new`` into ``d``."""
    if direction == codes.LBFGS:
        head, count, gamma = lbfgs.push_pair(mem.S, mem.Y, mem.rho, mem.ring[0], mem.ring[1],
                                             x_new, x, g_new, g)
        mem.ring[0] = head
        mem.ring[1] = count
        if gamma == gamma:
            mem.gamma[0] = gamma
    elif direction == codes.BFGS:
        sy, yy, usable = lbfgs.curvature_pair(x_new, x, g_new, g, work.s, work.y)
        if fresh and usable:
            # Scale H0 before the first update (N&W eq. 6.20); d = -H0 g stays true.
            bfgs.set_identity(mem.H, sy / yy)
            d *= sy / yy
        matvec(mem.H, g_new, work.Hg)
        if usable:
            a, b = bfgs.finish_update(work.s, work.y, g_new, work.Hg, d, sy)
            rank_two(mem.H, work.s, work.Hg, a, b)
        else:
            d[:] = -work.Hg
