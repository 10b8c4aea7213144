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
from .memory import CACHE_LINE, prefetch
from .steps import apply_step

#: Status of a batch whose gradient has the wrong size (raised in Python).
BAD_GRADIENT = -1


#: How many rows ahead of the copy the gather prefetches: enough loads in
#: flight to cover a memory latency.  Gathering 1e5 random rows of 20 float64
#: (16 MB) took 2.3 ms without prefetching, 1.7 ms at 8 rows ahead and
#: 1.2-1.4 ms at 16 to 32 (benchmarks/bench_stochastic.py's problem).
PREFETCH_ROWS = 16


def take_rows(a, perm, start, stop):
    """``a[perm[start:stop]]`` (rows of ``a`` along axis 0), a copy."""
    return a[perm[start:stop]]


@overload(take_rows, jit_options={k: v for k, v in KERNEL_OPTIONS.items() if k != "cache"})
def _take_rows(a, perm, start, stop):
    # numba's general fancy indexing walks an index iterator per element;
    # plain loops over the rows are several times faster for mini-batches,
    # and prefetching the rows the next copies will read hides most of the
    # memory latency of rows drawn in random order.
    if a.ndim == 1:
        def rows_1d(a, perm, start, stop):
            out = np.empty(stop - start, a.dtype)
            for k in range(start, stop):
                if k + PREFETCH_ROWS < perm.size:
                    prefetch(a, (perm[k + PREFETCH_ROWS],))
                out[k - start] = a[perm[k]]
            return out
        return rows_1d
    if a.ndim == 2:
        per_line = max(CACHE_LINE * 8 // getattr(a.dtype, "bitwidth", 8), 1)  # elements

        def rows_2d(a, perm, start, stop):
            width = a.shape[1]
            out = np.empty((stop - start, width), a.dtype)
            for k in range(start, stop):
                if k + PREFETCH_ROWS < perm.size and width > 0:
                    upcoming = perm[k + PREFETCH_ROWS]
                    for j in range(0, width, per_line):
                        prefetch(a, (upcoming, j))
                    prefetch(a, (upcoming, width - 1))  # a row may straddle one more line
                row = perm[k]
                for j in range(width):  # element loop: 2.5x faster than row slices
                    out[k - start, j] = a[row, j]
            return out
        return rows_2d
    return lambda a, perm, start, stop: a[perm[start:stop]]


_TEMPLATE = '''
def epoch(fun, x, perm, rates, kid, state, hyper, powers, batch_size, {arrays}):
    total = 0.0
    updates = 0
    for start in range(0, perm.size, batch_size):
        stop = min(start + batch_size, perm.size)
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
        total += loss * (stop - start)
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
                              batch=", ".join(f"take_rows({d}, perm, start, stop)" for d in names)),
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

