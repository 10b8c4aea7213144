"""Fused update kernels against the textbook NumPy implementation and a STREAM triad.

Every first-order rule of the table (``fastopt._steps.table.RULES``):
one ``step`` of its ``fastopt.optimizers`` class against its NumPy oracle
(``fastopt.testing.oracles``), at n = 1e5, 1e6, 1e7.

Bytes moved per element by a fused step: read x, g and the rule's k state
vectors, write x and the k vectors: (3 + 2k) * 8 (Adam 56, RMSProp 40, GD 24).
The STREAM triad ``a = b + s c`` moves 24.  Dividing each time by its bytes
compares a step with the machine's memory bandwidth
(``python -m benchmarks.scripts.ratios`` prints that comparison).
"""
import numba
import numpy as np

from fastopt import optimizers
from fastopt._steps.table import RULES
from fastopt.testing.oracles import textbook_step

METHODS = list(RULES)
SIZES = [10 ** 5, 10 ** 6, 10 ** 7]
TRIAD_BYTES = 24


def step_bytes(method):
    """Bytes a fused step of ``method`` reads and writes per element."""
    return (3 + 2 * len(RULES[method].state)) * 8


def hyperparameters(method):
    """The rule's defaults by name, ``lr`` first, with lr = 1e-3 where it has no default."""
    return {k: (1e-3 if v is None else v) for k, v in RULES[method].hyper.items()}


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
        self.lr = self.h.pop("lr")
        self.state = {name: np.zeros(n) for name in RULES[method].state}
        cls = getattr(optimizers, RULES[method].optimizer)
        self.opt = cls(self.x.copy(), lr=self.lr, **self.h)
        self.opt.step(self.g)  # compile/load before timing

    def time_fastopt(self, n, method):
        self.opt.step(self.g)

    def time_numpy(self, n, method):
        textbook_step(method, self.x, self.g, self.lr, self.h, self.state, 1)

    def peakmem_fastopt(self, n, method):
        self.opt.step(self.g)

    def peakmem_numpy(self, n, method):
        textbook_step(method, self.x, self.g, self.lr, self.h, self.state, 1)


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
