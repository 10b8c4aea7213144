"""Plain NumPy transcriptions of the update rules.

Written from the formulas in the lecture notes and the papers, one array
expression per line, deliberately independent of the fused kernels.  The tests
check every kernel against ``textbook_step``; the benchmarks time it as the
"textbook NumPy" peer of each fused step.
"""
import numpy as np


def textbook_step(name, x, g, state, h, t):
    """One update of method ``name``, written as NumPy expressions.

    Parameters
    ----------
    name : str
        A registry method name.
    x, g : ndarray, shape (n,)
        Parameters and gradient (not modified).
    state : list of ndarray
        The method's moment buffers (not modified).
    h : dict
        Hyperparameters by name.
    t : int
        1-based step number (bias corrections use ``beta ** t``).

    Returns
    -------
    (new_x, new_state)
    """
    lr = h["lr"]
    if name == "gd":
        return x - lr * g, state
    if name == "momentum":
        v = h["momentum"] * state[0] + lr * g
        return x - v, [v]
    if name == "nesterov":
        # The notes: v_t = mu v_{t-1} + lr grad(theta_t - mu v_{t-1}), theta_{t+1} = theta_t - v_t,
        # with x = theta - mu v stored; substituting gives the update below.
        v = h["momentum"] * state[0] + lr * g
        return x - h["momentum"] * v - lr * g, [v]
    if name == "adagrad":
        s = state[0] + g ** 2
        return x - lr * g / (np.sqrt(s) + h["eps"]), [s]
    if name == "rmsprop":
        s = h["beta"] * state[0] + (1 - h["beta"]) * g ** 2
        return x - lr * g / (np.sqrt(s) + h["eps"]), [s]
    if name == "adadelta":
        rho, eps = h["rho"], h["eps"]
        eg = rho * state[0] + (1 - rho) * g ** 2
        d = np.sqrt(state[1] + eps) / np.sqrt(eg + eps) * g
        edx = rho * state[1] + (1 - rho) * d ** 2
        return x - lr * d, [eg, edx]
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    m = b1 * state[0] + (1 - b1) * g
    if name == "adamax":
        u = np.maximum(b2 * state[1], np.abs(g) + eps)
        return x - lr / (1 - b1 ** t) * m / u, [m, u]
    v = b2 * state[1] + (1 - b2) * g ** 2
    v_hat = v / (1 - b2 ** t)
    if name == "adam":
        m_hat = m / (1 - b1 ** t)
        return x - lr * m_hat / (np.sqrt(v_hat) + eps), [m, v]
    if name == "nadam":
        m_hat = b1 * m / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1 ** t)
        return x - lr * m_hat / (np.sqrt(v_hat) + eps), [m, v]
    if name == "amsgrad":
        vmax = np.maximum(state[2], v)
        m_hat = m / (1 - b1 ** t)
        return x - lr * m_hat / (np.sqrt(vmax / (1 - b2 ** t)) + eps), [m, v, vmax]
    raise KeyError(name)
