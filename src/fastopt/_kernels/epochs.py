"""One epoch of mini-batch updates, compiled, for a numba-compiled loss.

``minimize_stochastic`` calls ``epoch_runner(fun, arity)(...)`` once per
epoch: the batches are sliced, ``fun`` is called and the fused step kernel
applied (``steps.apply_step``, the serial build) with no Python in between.
The loop is generated for the number of data arrays (numba slices each array
of the tuple by name) and compiled once per arity; numba specialises it for
each ``fun``.
"""
import math

import numba
import numpy as np
from numba.extending import overload

from ._jit import KERNEL_OPTIONS
from .steps import apply_step

#: Status of a batch whose gradient has the wrong size (raised in Python).
BAD_GRADIENT = -1


def take_rows(a, index):
    """``a[index]`` (rows of ``a`` along axis 0), a copy."""
    return a[index]


@overload(take_rows, jit_options={k: v for k, v in KERNEL_OPTIONS.items() if k != "cache"})
def _take_rows(a, index):
    # numba's general fancy indexing walks an index iterator per element;
    # plain loops over the rows are several times faster for mini-batches.
    if a.ndim == 1:
        def rows_1d(a, index):
            out = np.empty(index.size, a.dtype)
            for i in range(index.size):
                out[i] = a[index[i]]
            return out
        return rows_1d
    if a.ndim == 2:
        def rows_2d(a, index):
            out = np.empty((index.size, a.shape[1]), a.dtype)
            for i in range(index.size):
                row = index[i]
                for j in range(a.shape[1]):  # element loop: 2.5x faster than row slices
                    out[i, j] = a[row, j]
            return out
        return rows_2d
    return lambda a, index: a[index]

_TEMPLATE = '''
def epoch(fun, x, perm, rates, kid, state, hyper, powers, batch_size, {arrays}):
    total = 0.0
    updates = 0
    for start in range(0, perm.size, batch_size):
        index = perm[start:start + batch_size]
        loss, g = fun(x.copy(), {batch})  # as the Python path: fun may not keep x
        if g.ndim != 1 or g.size != x.size:
            return total, updates, BAD_GRADIENT
        if not math.isfinite(loss):
            return total, updates, NONFINITE
        for i in range(g.size):
            if not math.isfinite(g[i]):
                return total, updates, NONFINITE
        hyper[0] = rates[updates]
        apply_step(kid, x, x, g, state, hyper, powers)
        total += loss * index.size
        updates += 1
    return total, updates, 0
'''

_compiled = {}


def epoch_runner(fun, arity):
    """``run(fun, x, data, perm, rates, kid, state, hyper, powers, batch_size)
    -> (sum of batch losses times sizes, updates, status)``, status 0 (done)
    or 2 (NaN or inf met; ``x`` is the last finite iterate)."""
    if arity not in _compiled:
        names = [f"d{i}" for i in range(arity)]
        namespace = {"math": math, "apply_step": apply_step, "take_rows": take_rows,
                     "BAD_GRADIENT": BAD_GRADIENT, "NONFINITE": 2}
        exec(_TEMPLATE.format(arrays=", ".join(names),
                              batch=", ".join(f"take_rows({d}, index)" for d in names)),
             namespace)
        options = {k: v for k, v in KERNEL_OPTIONS.items() if k != "cache"}  # generated source
        _compiled[arity] = numba.njit(**options)(namespace["epoch"])
    epoch = _compiled[arity]

    def run(fun, x, data, perm, rates, kid, state, hyper, powers, batch_size):
        total, updates, status = epoch(fun, x, perm, rates, kid, state, hyper, powers,
                                       batch_size, *data)
        if status == BAD_GRADIENT:
            raise ValueError(f"fun must return (loss, grad) with grad of shape {x.shape}")
        return total, updates, status
    return run

