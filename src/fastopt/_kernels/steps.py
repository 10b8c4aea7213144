"""Fused first-order update kernels.

Every kernel has the same signature::

    kernel(x, out, g, state, hyper, powers)

x : float64[::1], shape (n,)
    Current parameters (read).
out : float64[::1], shape (n,)
    Where the new parameters are written; may be ``x`` itself (in place).
g : float64[::1], shape (n,)
    Gradient at ``x`` (read).
state : float64[:, ::1], shape (nslots, n)
    The method's moment buffers, updated in place (rows named in each docstring).
hyper : float64[::1]
    Hyperparameters in the order given in each docstring (the registry's order).
powers : float64[::1], shape (2,)
    Running products ``(beta1^t, beta2^t)`` for the bias corrections, starting
    at ``(1, 1)``; the Adam family advances them by one step per call (cheaper
    than calling pow, which at small ``n`` cost a third of a step), the other
    methods leave them alone.

Each update is ONE pass over memory: every element is loaded once, updated in
registers and stored once; no temporaries are allocated.  The loops use
``prange``: the same source is compiled serially and with ``parallel=True``
(see ``_jit.serial_and_parallel``), and since every element is computed
independently by the same instructions, both builds give bit-identical results.
``select`` picks the threaded build for ``n >= PARALLEL_MIN_SIZE``.

Where ``eps`` sits follows each method's paper (and torch/optax): outside the
square root, ``g / (sqrt(s) + eps)``, for AdaGrad, RMSProp, Adam, Nadam and
AMSGrad; inside, ``sqrt(s + eps)``, for AdaDelta (Zeiler 2012); added to
``|g|`` in AdaMax's infinity norm, where it only guards 0/0 at a zero gradient.
"""
import numpy as np
from numba import prange

from ._jit import kernel, serial_and_parallel

#: Below this size the threaded build costs more in start-up than it saves.
PARALLEL_MIN_SIZE = 1 << 16


@kernel
def _advance(powers, b1, b2):
    """One step of the running products: return the new (beta1^t, beta2^t)."""
    p1 = powers[0] * b1
    p2 = powers[1] * b2
    powers[0] = p1
    powers[1] = p2
    return p1, p2


def _gd(x, out, g, state, hyper, powers):
    """Gradient descent: ``out = x - lr g``.  hyper = (lr,)."""
    lr = hyper[0]
    for i in prange(x.size):
        out[i] = x[i] - lr * g[i]


def _momentum(x, out, g, state, hyper, powers):
    """Heavy-ball momentum (Polyak 1964; the notes' form).

    ``v = momentum v + lr g;  out = x - v``.  state = (v,); hyper = (lr, momentum).
    """
    lr = hyper[0]
    mu = hyper[1]
    v = state[0]
    for i in prange(x.size):
        vi = mu * v[i] + lr * g[i]
        v[i] = vi
        out[i] = x[i] - vi


def _nesterov(x, out, g, state, hyper, powers):
    """Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013).

    The notes' update evaluates the gradient at the look-ahead point
    ``theta - momentum v``.  Storing that look-ahead point as the parameters
    turns it into an update that needs only the gradient at the stored point:
    ``v = momentum v + lr g;  out = x - (momentum v + lr g)``.
    state = (v,); hyper = (lr, momentum).
    """
    lr = hyper[0]
    mu = hyper[1]
    v = state[0]
    for i in prange(x.size):
        step = lr * g[i]
        vi = mu * v[i] + step
        v[i] = vi
        out[i] = x[i] - (mu * vi + step)


def _adagrad(x, out, g, state, hyper, powers):
    """AdaGrad (Duchi, Hazan and Singer 2011).

    ``s = s + g^2;  out = x - lr g / (sqrt(s) + eps)``.
    state = (s,); hyper = (lr, eps).
    """
    lr = hyper[0]
    eps = hyper[1]
    s = state[0]
    for i in prange(x.size):
        gi = g[i]
        si = s[i] + gi * gi
        s[i] = si
        out[i] = x[i] - lr * gi / (np.sqrt(si) + eps)


def _rmsprop(x, out, g, state, hyper, powers):
    """RMSProp (Tieleman and Hinton 2012, lecture 6.5).

    ``s = beta s + (1 - beta) g^2;  out = x - lr g / (sqrt(s) + eps)``.
    state = (s,); hyper = (lr, beta, eps).
    """
    lr = hyper[0]
    beta = hyper[1]
    eps = hyper[2]
    s = state[0]
    for i in prange(x.size):
        gi = g[i]
        si = beta * s[i] + (1.0 - beta) * gi * gi
        s[i] = si
        out[i] = x[i] - lr * gi / (np.sqrt(si) + eps)


def _adadelta(x, out, g, state, hyper, powers):
    """AdaDelta (Zeiler 2012, Algorithm 1), scaled by ``lr`` as torch does.

    ``Eg = rho Eg + (1 - rho) g^2;  d = sqrt(Edx + eps) / sqrt(Eg + eps) g;``
    ``Edx = rho Edx + (1 - rho) d^2;  out = x - lr d``.
    state = (Eg, Edx); hyper = (lr, rho, eps).
    """
    lr = hyper[0]
    rho = hyper[1]
    eps = hyper[2]
    eg = state[0]
    edx = state[1]
    for i in prange(x.size):
        gi = g[i]
        egi = rho * eg[i] + (1.0 - rho) * gi * gi
        d = np.sqrt(edx[i] + eps) / np.sqrt(egi + eps) * gi
        eg[i] = egi
        edx[i] = rho * edx[i] + (1.0 - rho) * d * d
        out[i] = x[i] - lr * d


def _adam(x, out, g, state, hyper, powers):
    """Adam with bias correction (Kingma and Ba 2015, Algorithm 1).

    ``m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;``
    ``out = x - lr m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1^t)``,
    ``v_hat = v / (1 - b2^t)``.  state = (m, v); hyper = (lr, beta1, beta2, eps).
    """
    lr = hyper[0]
    b1 = hyper[1]
    b2 = hyper[2]
    eps = hyper[3]
    p1, p2 = _advance(powers, b1, b2)
    step = lr / (1.0 - p1)
    rbc2 = 1.0 / np.sqrt(1.0 - p2)
    m = state[0]
    v = state[1]
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        vi = b2 * v[i] + (1.0 - b2) * gi * gi
        m[i] = mi
        v[i] = vi
        out[i] = x[i] - step * mi / (np.sqrt(vi) * rbc2 + eps)


def _adamax(x, out, g, state, hyper, powers):
    """AdaMax (Kingma and Ba 2015, Algorithm 2).

    ``m = b1 m + (1 - b1) g;  u = max(b2 u, |g| + eps);``
    ``out = x - lr / (1 - b1^t) m / u``.  state = (m, u); hyper = (lr, beta1, beta2, eps).
    """
    lr = hyper[0]
    b1 = hyper[1]
    b2 = hyper[2]
    eps = hyper[3]
    p1, _ = _advance(powers, b1, b2)
    step = lr / (1.0 - p1)
    m = state[0]
    u = state[1]
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        ui = max(b2 * u[i], abs(gi) + eps)
        m[i] = mi
        u[i] = ui
        out[i] = x[i] - step * mi / ui


def _nadam(x, out, g, state, hyper, powers):
    """Nadam: Adam with a Nesterov look-ahead on the first moment (Dozat 2016).

    ``m_hat = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)``, then as Adam.
    Constant ``beta1`` (no momentum schedule), as in Keras and optax.
    state = (m, v); hyper = (lr, beta1, beta2, eps).
    """
    lr = hyper[0]
    b1 = hyper[1]
    b2 = hyper[2]
    eps = hyper[3]
    p1, p2 = _advance(powers, b1, b2)
    cm = b1 / (1.0 - p1 * b1)
    cg = (1.0 - b1) / (1.0 - p1)
    rbc2 = 1.0 / np.sqrt(1.0 - p2)
    m = state[0]
    v = state[1]
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        vi = b2 * v[i] + (1.0 - b2) * gi * gi
        m[i] = mi
        v[i] = vi
        out[i] = x[i] - lr * (cm * mi + cg * gi) / (np.sqrt(vi) * rbc2 + eps)


def _amsgrad(x, out, g, state, hyper, powers):
    """AMSGrad (Reddi, Kale and Kumar 2018) with Adam's bias correction.

    As Adam, but the denominator uses ``v_max = max(v_max, v)``.
    state = (m, v, v_max); hyper = (lr, beta1, beta2, eps).
    """
    lr = hyper[0]
    b1 = hyper[1]
    b2 = hyper[2]
    eps = hyper[3]
    p1, p2 = _advance(powers, b1, b2)
    step = lr / (1.0 - p1)
    rbc2 = 1.0 / np.sqrt(1.0 - p2)
    m = state[0]
    v = state[1]
    vmax = state[2]
    for i in prange(x.size):
        gi = g[i]
        mi = b1 * m[i] + (1.0 - b1) * gi
        vi = b2 * v[i] + (1.0 - b2) * gi * gi
        vm = max(vmax[i], vi)
        m[i] = mi
        v[i] = vi
        vmax[i] = vm
        out[i] = x[i] - step * mi / (np.sqrt(vm) * rbc2 + eps)


gd, gd_parallel = serial_and_parallel(_gd)
momentum, momentum_parallel = serial_and_parallel(_momentum)
nesterov, nesterov_parallel = serial_and_parallel(_nesterov)
adagrad, adagrad_parallel = serial_and_parallel(_adagrad)
rmsprop, rmsprop_parallel = serial_and_parallel(_rmsprop)
adadelta, adadelta_parallel = serial_and_parallel(_adadelta)
adam, adam_parallel = serial_and_parallel(_adam)
adamax, adamax_parallel = serial_and_parallel(_adamax)
nadam, nadam_parallel = serial_and_parallel(_nadam)
amsgrad, amsgrad_parallel = serial_and_parallel(_amsgrad)

#: Kernel ids, in the order ``apply_step`` tests them; the registry maps names here.
KERNEL_IDS = {name: i for i, name in enumerate(
    ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta",
     "adam", "adamax", "nadam", "amsgrad"])}


#: Serial and threaded builds, indexed by kernel id.
SERIAL = (gd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamax, nadam, amsgrad)
PARALLEL = (gd_parallel, momentum_parallel, nesterov_parallel, adagrad_parallel,
            rmsprop_parallel, adadelta_parallel, adam_parallel, adamax_parallel,
            nadam_parallel, amsgrad_parallel)


def select(kid, n):
    """The build of kernel ``kid`` to call from Python for ``n`` parameters.

    Threaded builds are only ever called from Python: caching a compiled
    function that embeds a ``parallel=True`` one has open bugs upstream
    (mismatched gufunc symbols, aborts on load: numba issues 4807, 10128).
    Compiled callers use ``apply_step``, which is serial.
    """
    return (PARALLEL if n >= PARALLEL_MIN_SIZE else SERIAL)[kid]


@kernel
def apply_step(kid, x, out, g, state, hyper, powers):
    """Run the serial build of kernel ``kid`` (for compiled callers).

    numba has no table of functions, so the dispatch on the id is a chain of
    comparisons; it is taken once per step, outside the element loop.
    """
    if kid == 0:
        gd(x, out, g, state, hyper, powers)
    elif kid == 1:
        momentum(x, out, g, state, hyper, powers)
    elif kid == 2:
        nesterov(x, out, g, state, hyper, powers)
    elif kid == 3:
        adagrad(x, out, g, state, hyper, powers)
    elif kid == 4:
        rmsprop(x, out, g, state, hyper, powers)
    elif kid == 5:
        adadelta(x, out, g, state, hyper, powers)
    elif kid == 6:
        adam(x, out, g, state, hyper, powers)
    elif kid == 7:
        adamax(x, out, g, state, hyper, powers)
    elif kid == 8:
        nadam(x, out, g, state, hyper, powers)
    elif kid == 9:
        amsgrad(x, out, g, state, hyper, powers)


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
