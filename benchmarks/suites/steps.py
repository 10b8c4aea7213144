"""Fused update kernels against the textbook NumPy implementation and a STREAM triad.

Bytes moved per element by a fused step: read x, g and the method's k moment
buffers, write x and the k buffers: (3 + 2k) * 8 (Adam 56, RMSProp 40, GD 24).
The STREAM triad ``a = b + s c`` moves 24.  Dividing each time by its bytes
compares a step with the machine's memory bandwidth.
"""
import numba
import numpy as np

from fastopt import _registry, optimizers
from fastopt._textbook import textbook_step

METHODS = list(_registry.FIRST_ORDER)
CLASSES = {cls.method: cls for cls in vars(optimizers).values()
           if isinstance(cls, type) and issubclass(cls, optimizers.Optimizer)
           and cls is not optimizers.Optimizer}
SIZES = [10 ** 5, 10 ** 6, 10 ** 7]
TRIAD_BYTES = 24


def step_bytes(method):
    """Bytes a fused step of ``method`` reads and writes per element."""
    return (3 + 2 * _registry.METHODS[method].nslots) * 8


def hyperparameters(method):
    """The method's defaults, with lr = 1e-3 where it has no default."""
    return {k: (1e-3 if v is None else v) for k, v in _registry.METHODS[method].hyper}


@numba.njit(parallel=True, cache=True, error_model="numpy")
def triad(a, b, c, s):
    """STREAM triad a = b + s c, threaded like the fused kernels."""
    for i in numba.prange(a.size):
        a[i] = b[i] + s * c[i]


class FusedStep:
    """One update of n float64 parameters: fastopt's fused kernel vs textbook NumPy."""

    params = (SIZES, METHODS)
    param_names = ["n", "method"]
    number = 1
    repeat = (5, 20, 30.0)

    def setup(self, n, method):
        rng = np.random.default_rng(0)
        self.x = rng.standard_normal(n)
        self.g = rng.standard_normal(n)
        self.h = hyperparameters(method)
        self.state = [np.zeros(n) for _ in range(_registry.METHODS[method].nslots)]
        self.opt = CLASSES[method](self.x.copy(), **self.h)
        self.opt.step(self.g)  # compile/load before timing

    def time_fastopt(self, n, method):
        self.opt.step(self.g)

    def time_numpy(self, n, method):
        textbook_step(method, self.x, self.g, self.state, self.h, 1)

    def peakmem_fastopt(self, n, method):
        self.opt.step(self.g)

    def peakmem_numpy(self, n, method):
        textbook_step(method, self.x, self.g, self.state, self.h, 1)


class Triad:
    """The memory-bandwidth yardstick for FusedStep (same sizes, same threading)."""

    params = (SIZES,)
    param_names = ["n"]
    number = 1
    repeat = (5, 20, 30.0)

    def setup(self, n):
        self.a = np.empty(n)
        self.b = np.ones(n)
        self.c = np.ones(n)
        triad(self.a, self.b, self.c, 0.5)

    def time_triad(self, n):
        triad(self.a, self.b, self.c, 0.5)
