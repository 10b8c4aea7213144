"""Fused first-order update rules: the source of every build.

Every rule has the same signature::

    rule(x, out, g, lr, h, state, powers)

x : float64[::1], shape (n,)
    Current parameters (read).
out : float64[::1], shape (n,)
    Where the new parameters are written; may be ``x`` itself (in place).
g : float64[::1], shape (n,)
    Gradient at ``x`` (read).
lr : float
    The step size of this update (fixed, from a schedule or a line search).
h : NamedTuple of floats
    The other hyperparameters, by name (the table's ``hyper`` less ``lr``).
state : NamedTuple of float64[::1] arrays of shape (n,)
    The method's state vectors, by name (the table's ``state``), updated in
    place; they start at zero.
powers : float64[::1], shape (2,)
    Running products ``(beta1^t, beta2^t)`` for the bias corrections, starting
    at ``(1, 1)``; the Adam family advances them by one step per call (cheaper
    than calling pow, which at small ``n`` cost a third of a step), the other
    rules leave them alone.

Each update is ONE pass over memory: every element is loaded once, updated in
registers and stored once; no temporaries are allocated.  The loops use
``prange``.  ``table.py`` compiles each source three ways: serially, threaded
(``parallel=True``; every element is computed independently by the same
instructions, so both give bit-identical results) and inlined into the
compiled loops that call it.

Where ``eps`` sits follows each method's paper (and torch/optax): outside the
square root, ``g / (sqrt(s) + eps)``, for AdaGrad, RMSProp, Adam, Nadam and
AMSGrad; inside, ``sqrt(s + eps)``, for AdaDelta (Zeiler 2012); added to
``|g|`` in AdaMax's infinity norm, where it only guards 0/0 at a zero gradient.
"""
import numpy as np
from numba import prange

from .._core.twin import twin


@twin(inline=True)
def _advance(powers, b1, b2):
    """One step of the running products: return the new (beta1^t, beta2^t)."""
    p1 = powers[0] * b1
    p2 = powers[1] * b2
    powers[0] = p1
    powers[1] = p2
    return p1, p2


def gd(x, out, g, lr, h, state, powers):
    """Gradient descent: ``out = x - lr g``."""
    for i in prange(x.size):
        out[i] = x[i] - lr * g[i]


def momentum(x, out, g, lr, h, state, powers):
    """Heavy-ball momentum (Polyak 1964; the notes' form).

    ``v = momentum v + lr g;  out = x - v``.
    """
    mu = h.momentum
    v = state.v
    for i in prange(x.size):
        vi = mu * v[i] + lr * g[i]
        v[i] = vi
        out[i] = x[i] - vi


def nesterov(x, out, g, lr, h, state, powers):
    """Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013).

    The notes' update evaluates the gradient at the look-ahead point
    ``theta - momentum v``.  Storing that look-ahead point as the parameters
    turns it into an update that needs only the gradient at the stored point:
    ``v = momentum v + lr g;  out = x - (momentum v + lr g)``.
    """
    mu = h.momentum
    v = state.v
    for i in prange(x.size):
        step = lr * g[i]
        vi = mu * v[i] + step
        v[i] = vi
        out[i] = x[i] - (mu * vi + step)


def adagrad(x, out, g, lr, h, state, powers):
    """AdaGrad (Duchi, Hazan and Singer 2011).

    ``s = s + g^2;  out = x - lr g / (sqrt(s) + eps)``.
    """
    eps = h.eps
    acc = state.s
    for i in prange(x.size):
        gi = g[i]
        si = acc[i] + gi * gi
        acc[i] = si
        out[i] = x[i] - lr * gi / (np.sqrt(si) + eps)


def rmsprop(x, out, g, lr, h, state, powers):
    """RMSProp (Tieleman and Hinton 2012, lecture 6.5).

    ``s = beta s + (1 - beta) g^2;  out = x - lr g / (sqrt(s) + eps)``.
    """
    beta = h.beta
    eps = h.eps
    acc = state.s
    for i in prange(x.size):
        gi = g[i]
        si = beta * acc[i] + (1.0 - beta) * gi * gi
        acc[i] = si
        out[i] = x[i] - lr * gi / (np.sqrt(si) + eps)


def adadelta(x, out, g, lr, h, state, powers):
    """AdaDelta (Zeiler 2012, Algorithm 1), scaled by ``lr`` as torch does.

    ``Eg = rho Eg + (1 - rho) g^2;  d = sqrt(Edx + eps) / sqrt(Eg + eps) g;``
    ``Edx = rho Edx + (1 - rho) d^2;  out = x - lr d``.
    """
    rho = h.rho
    eps = h.eps
    eg = state.eg
    edx = state.edx
    for i in prange(x.size):
        gi = g[i]
        egi = rho * eg[i] + (1.0 - rho) * gi * gi
        d = np.sqrt(edx[i] + eps) / np.sqrt(egi + eps) * gi
        eg[i] = egi
        edx[i] = rho * edx[i] + (1.0 - rho) * d * d
        out[i] = x[i] - lr * d


def adam(x, out, g, lr, h, state, powers):
    """Adam with bias correction (Kingma and Ba 2015, Algorithm 1).

    ``m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;``
    ``out = x - lr m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1^t)``,
    ``v_hat = v / (1 - b2^t)``.
    """
    b1 = h.beta1
    b2 = h.beta2
    eps = h.eps
    p1, p2 = _advance(powers, b1, b2)
    step = lr / (1.0 - p1)
    rbc2 = 1.0 / np.sqrt(1.0 - p2)
    m = state.m
    v = state.v
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        vi = b2 * v[i] + (1.0 - b2) * gi * gi
        m[i] = mi
        v[i] = vi
        out[i] = x[i] - step * mi / (np.sqrt(vi) * rbc2 + eps)


def adamax(x, out, g, lr, h, state, powers):
    """AdaMax (Kingma and Ba 2015, Algorithm 2).

    ``m = b1 m + (1 - b1) g;  u = max(b2 u, |g| + eps);``
    ``out = x - lr / (1 - b1^t) m / u``.
    """
    b1 = h.beta1
    b2 = h.beta2
    eps = h.eps
    p1, _ = _advance(powers, b1, b2)
    step = lr / (1.0 - p1)
    m = state.m
    u = state.u
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        ui = max(b2 * u[i], abs(gi) + eps)
        m[i] = mi
        u[i] = ui
        out[i] = x[i] - step * mi / ui


def nadam(x, out, g, lr, h, state, powers):
    """Nadam: Adam with a Nesterov look-ahead on the first moment (Dozat 2016).

    ``m_hat = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)``, then as Adam.
    Constant ``beta1`` (no momentum schedule), as in Keras and optax.
    """
    b1 = h.beta1
    b2 = h.beta2
    eps = h.eps
    p1, p2 = _advance(powers, b1, b2)
    cm = b1 / (1.0 - p1 * b1)
    cg = (1.0 - b1) / (1.0 - p1)
    rbc2 = 1.0 / np.sqrt(1.0 - p2)
    m = state.m
    v = state.v
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        vi = b2 * v[i] + (1.0 - b2) * gi * gi
        m[i] = mi
        v[i] = vi
        out[i] = x[i] - lr * (cm * mi + cg * gi) / (np.sqrt(vi) * rbc2 + eps)


def amsgrad(x, out, g, lr, h, state, powers):
    """AMSGrad (Reddi, Kale and Kumar 2018) with Adam's bias correction.

    As Adam, but the denominator uses ``v_max = max(v_max, v)``.
    """
    b1 = h.beta1
    b2 = h.beta2
    eps = h.eps
    p1, p2 = _advance(powers, b1, b2)
    step = lr / (1.0 - p1)
    rbc2 = 1.0 / np.sqrt(1.0 - p2)
    m = state.m
    v = state.v
    vmax = state.vmax
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        vi = b2 * v[i] + (1.0 - b2) * gi * gi
        vm = max(vmax[i], vi)
        m[i] = mi
        v[i] = vi
        vmax[i] = vm
        out[i] = x[i] - step * mi / (np.sqrt(vm) * rbc2 + eps)
