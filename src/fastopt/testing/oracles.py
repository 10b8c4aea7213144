"""Plain NumPy transcriptions of the first-order update rules: the oracles.

Written from the formulas in the lecture notes and the papers, one array
expression per line, deliberately independent of the fused kernels
(``fastopt._steps.kernels``).  The tests check every kernel against its
oracle, on both drivers; the benchmarks time them as the "textbook NumPy"
peer of each fused step.  Every rule of the table needs one here (a test
fails otherwise).

Each oracle is ``oracle(x, g, lr, h, state, t) -> (new_x, new_state)``:
``h`` the other hyperparameters by name, ``state`` the state vectors by
name (as the table names them; not modified), ``t`` the 1-based step
number (bias corrections use ``beta ** t``).
"""
import numpy as np


def gd(x, g, lr, h, state, t):
    return x - lr * g, {}


def momentum(x, g, lr, h, state, t):
    v = h["momentum"] * state["v"] + lr * g
    return x - v, {"v": v}


def nesterov(x, g, lr, h, state, t):
    # The notes: v_t = mu v_{t-1} + lr grad(theta_t - mu v_{t-1}), theta_{t+1} = theta_t - v_t,
    # with x = theta - mu v stored; substituting gives the update below.
    v = h["momentum"] * state["v"] + lr * g
    return x - h["momentum"] * v - lr * g, {"v": v}


def adagrad(x, g, lr, h, state, t):
    s = state["s"] + g ** 2
    return x - lr * g / (np.sqrt(s) + h["eps"]), {"s": s}


def rmsprop(x, g, lr, h, state, t):
    s = h["beta"] * state["s"] + (1 - h["beta"]) * g ** 2
    return x - lr * g / (np.sqrt(s) + h["eps"]), {"s": s}


def adadelta(x, g, lr, h, state, t):
    rho, eps = h["rho"], h["eps"]
    eg = rho * state["eg"] + (1 - rho) * g ** 2
    d = np.sqrt(state["edx"] + eps) / np.sqrt(eg + eps) * g
    edx = rho * state["edx"] + (1 - rho) * d ** 2
    return x - lr * d, {"eg": eg, "edx": edx}


def adam(x, g, lr, h, state, t):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * g ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v}


def adamax(x, g, lr, h, state, t):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * state["m"] + (1 - b1) * g
    u = np.maximum(b2 * state["u"], np.abs(g) + eps)
    return x - lr / (1 - b1 ** t) * m / u, {"m": m, "u": u}


def nadam(x, g, lr, h, state, t):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * g ** 2
    m_hat = b1 * m / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v}


def amsgrad(x, g, lr, h, state, t):
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * g ** 2
    vmax = np.maximum(state["vmax"], v)
    m_hat = m / (1 - b1 ** t)
    return x - lr * m_hat / (np.sqrt(vmax / (1 - b2 ** t)) + eps), {"m": m, "v": v, "vmax": vmax}


#: Oracle of each rule, by method name.
ORACLES = {fn.__name__: fn for fn in
           (gd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamax, nadam, amsgrad)}


def textbook_step(name, x, g, lr, h, state, t):
    """One update of method ``name`` by its oracle."""
    return ORACLES[name](x, g, lr, h, state, t)
