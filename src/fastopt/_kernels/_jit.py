"""The house decorators for compiled kernels.

Every numba kernel in fastopt is compiled through these helpers so that the
options are the same everywhere:

* ``cache=True`` so a new process loads machine code instead of compiling;
* ``error_model="numpy"``: with numba's default ("python") error model each
  division carries a zero check that blocks SIMD vectorisation (a serial fused
  Adam step measured 3-4x slower);
* ``nogil=True`` so kernels can run in user threads;
* never ``fastmath`` flags that assume no NaN/inf: they silently break the
  ``isnan`` checks the drivers rely on.  Reductions (dot products) take
  ``fastmath=REASSOC`` alone: LLVM may then reorder the sum into SIMD lanes,
  which it must not do for a strict left-to-right sum (2-3x slower on data in
  cache); only the rounding of the sum changes, and NaN/inf still propagate.
"""
import types

import numba

KERNEL_OPTIONS = dict(cache=True, error_model="numpy", nogil=True)
#: The one ``fastmath`` flag kernels may use: reassociation, for sums.
REASSOC = {"reassoc"}


def kernel(fn=None, **extra):
    """Compile ``fn`` with the house options (usable bare or with options)."""
    if fn is None:
        return lambda f: numba.njit(**KERNEL_OPTIONS, **extra)(f)
    return numba.njit(**KERNEL_OPTIONS, **extra)(fn)


def serial_and_parallel(fn, **extra):
    """Compile one loop body twice: serially and with ``parallel=True``.

    ``fn`` loops with ``numba.prange``; the serial build treats it as ``range``.
    The parallel copy gets its own ``__qualname__`` because numba names its
    cache files after the qualified name and line: two builds of one function
    would otherwise overwrite each other's cache entries.  ``extra`` options
    (e.g. ``fastmath=REASSOC``) go to both builds.
    """
    serial = numba.njit(**KERNEL_OPTIONS, **extra)(fn)
    parallel = numba.njit(parallel=True, **KERNEL_OPTIONS, **extra)(
        renamed_copy(fn, "_parallel"))
    return serial, parallel


def renamed_copy(fn, suffix, **new_globals):
    """A copy of ``fn`` named ``name + suffix``, with some globals rebound.

    numba names cache entries after the qualified name: two builds of one
    source need two names.  Rebinding globals lets one source call the serial
    kernels in one build and the threaded ones in the other.
    """
    namespace = dict(fn.__globals__, **new_globals) if new_globals else fn.__globals__
    copy = types.FunctionType(fn.__code__, namespace, fn.__name__ + suffix,
                              fn.__defaults__, fn.__closure__)
    copy.__qualname__ = fn.__qualname__ + suffix
    copy.__module__ = fn.__module__
    copy.__doc__ = fn.__doc__
    return copy
