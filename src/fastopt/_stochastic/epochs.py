"""One epoch of mini-batch updates, written once for both drivers.

``minimize_stochastic`` calls ``epoch`` once per epoch: the batches are
gathered in the order of the epoch's permutation, the loss is evaluated and
the fused step of the method applied.  ``epoch`` is a twin
(``_core/twin.py``): with a Python loss it runs as Python, calling the
compiled step build; with a numba-compiled loss ``compiled_epoch`` runs it
compiled, specialised for that loss (numba inlines it), with no Python
between batches.  The boundary is ``evaluate`` (call the loss, check what it
returned) and the gather, ``take_batch``.
"""
import math

import numpy as np
from numba import njit
from numba.extending import overload

from .._core import codes
from .._core.jit import UNCACHED
from .._core.memory import CACHE_LINE, prefetch
from .._core.twin import boundary, twin


#: How many rows ahead of the copy the gather prefetches: enough loads in
#: flight to cover a memory latency.  Gathering 1e5 random rows of 20 float64
#: (16 MB) took 2.3 ms without prefetching, 1.7 ms at 8 rows ahead and
#: 1.2-1.4 ms at 16 to 32 (benchmarks/suites/stochastic.py's problem).
PREFETCH_ROWS = 16


def take_rows(a, perm, start, stop):
    """``a[perm[start:stop]]`` (rows of ``a`` along axis 0), a copy."""
    return a[perm[start:stop]]


@overload(take_rows, jit_options=UNCACHED)
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


def take_batch(data, perm, start, stop):
    """The rows ``perm[start:stop]`` of every array of ``data``, as a tuple."""
    index = perm[start:stop]
    return tuple(a[index] for a in data)


@overload(take_batch, jit_options=UNCACHED)
def _take_batch(data, perm, start, stop):
    # One gather per array of the tuple: the tuple is cut down one array at
    # a time (numba resolves the call anew for each shorter tuple type).
    if len(data) == 0:
        return lambda data, perm, start, stop: ()
    return lambda data, perm, start, stop: (
        (take_rows(data[0], perm, start, stop),) + take_batch(data[1:], perm, start, stop))


def _evaluate_compiled(fun, x, batch):
    loss, g = fun(x.copy(), *batch)  # as the Python path: fun may not keep x
    if g.ndim != 1 or g.size != x.size:
        raise ValueError("fun must return (loss, grad) with grad of the shape of x")
    ok = math.isfinite(loss)
    for i in range(g.size):
        ok = ok and math.isfinite(g[i])
    return loss, np.ascontiguousarray(g), ok


@boundary(_evaluate_compiled)
def evaluate(fun, x, batch):
    """``(loss, grad, finite)`` of the batch at ``x`` (``fun`` gets a copy of ``x``)."""
    loss, grad = fun(x.copy(), *batch)
    loss = float(loss)
    grad = np.ascontiguousarray(grad, dtype=np.float64)
    if grad.shape != x.shape:
        raise ValueError(f"fun must return (loss, grad) with grad of shape {x.shape}, "
                         f"got {grad.shape}")
    return loss, grad, bool(math.isfinite(loss) and np.isfinite(grad).all())


@twin
def epoch(fun, rule, x, data, perm, rates, hyper, state, powers, batch_size):
    """One pass over ``data`` in the order ``perm``, updating ``x`` in place.

    Batch ``k`` is rows ``perm[k b:(k + 1) b]`` of every array of ``data``;
    its update uses ``lr = rates[k]``, ``rule`` (a compiled build of an
    update rule, ``_steps/kernels.py``'s arguments), ``hyper``, ``state``
    and ``powers``.  Returns ``(sum of batch losses times batch sizes,
    updates made, status)``: ``codes.SUCCESS``, or ``codes.NONFINITE`` at a
    non-finite loss or gradient (``x`` is then the last finite iterate).
    """
    total = 0.0
    updates = 0
    for start in range(0, perm.size, batch_size):
        stop = min(start + batch_size, perm.size)
        loss, g, finite = evaluate(fun, x, take_batch(data, perm, start, stop))
        if not finite:
            return total, updates, codes.NONFINITE
        rule(x, x, g, rates[updates], hyper, state, powers)
        total += loss * (stop - start)
        updates += 1
    return total, updates, codes.SUCCESS


@njit(**UNCACHED)
def compiled_epoch(fun, rule, x, data, perm, rates, hyper, state, powers, batch_size):
    """``epoch`` compiled, specialised for the loss ``fun`` and the rule (a
    ``_steps.table.Step.serial`` build); not cached, since the loss is the
    user's."""
    return epoch(fun, rule, x, data, perm, rates, hyper, state, powers, batch_size)
