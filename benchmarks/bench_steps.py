"""Fused update kernels against the textbook NumPy implementation and a STREAM triad.

Bytes moved per element: Adam and AdaDelta 56 (read x, g, two moments; write x,
two moments), RMSProp 40, the triad ``a = b + s c`` 24.  Divide a time by the
bytes to compare against the machine's memory bandwidth (``time_triad``).
"""
import numba
import numpy as np

from fastopt import optimizers

# Per element: arrays read + arrays written, times 8 bytes.
BYTES_PER_ELEMENT = {"adam": 56, "rmsprop": 40, "triad": 24}


def textbook_adam(x, g, m, v, t, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    """The notes' Adam, one NumPy expression per line."""
    m[:] = b1 * m + (1 - b1) * g
    v[:] = b2 * v + (1 - b2) * g ** 2
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    x -= lr * m_hat / (np.sqrt(v_hat) + eps)


def textbook_rmsprop(x, g, s, lr=1e-3, beta=0.9, eps=1e-8):
    """The notes' RMSProp, one NumPy expression per line."""
    s[:] = beta * s + (1 - beta) * g ** 2
    x -= lr * g / (np.sqrt(s) + eps)


@numba.njit(parallel=True, cache=True, error_model="numpy")
def triad(a, b, c, s):
    """STREAM triad a = b + s c, threaded like the fused kernels."""
    for i in numba.prange(a.size):
        a[i] = b[i] + s * c[i]


class FusedStep:
    """One update of n float64 parameters: fastopt's fused kernel vs textbook NumPy."""

    params = ([10 ** 5, 10 ** 6, 10 ** 7], ["adam", "rmsprop"])
    param_names = ["n", "method"]
    number = 1
    repeat = (5, 20, 30.0)

    def setup(self, n, method):
        rng = np.random.default_rng(0)
        self.x = rng.standard_normal(n)
        self.g = rng.standard_normal(n)
        self.m = np.zeros(n)
        self.v = np.zeros(n)
        self.t = 1
        cls = {"adam": optimizers.Adam, "rmsprop": optimizers.RMSProp}[method]
        self.opt = cls(self.x.copy())
        self.opt.step(self.g)  # compile/load before timing
        self.a = np.empty(n)
        triad(self.a, self.x, self.g, 0.5)

    def time_fastopt(self, n, method):
        self.opt.step(self.g)

    def time_numpy(self, n, method):
        if method == "adam":
            textbook_adam(self.x, self.g, self.m, self.v, self.t)
        else:
            textbook_rmsprop(self.x, self.g, self.m)

    def time_triad(self, n, method):
        triad(self.a, self.x, self.g, 0.5)

    def peakmem_fastopt(self, n, method):
        self.opt.step(self.g)

    def peakmem_numpy(self, n, method):
        self.time_numpy(n, method)
