"""One source, two lives: functions that run as Python and compile with numba.

The curvature solvers (bfgs, l-bfgs, newton, gd with a Wolfe search) have a
single iteration loop, ``curvature.solve``.  Called from Python it runs as
ordinary Python, calling the compiled kernels, a Python objective and the
user's callback; compiled with ``numba.njit`` it is the compiled driver, with
no Python per iteration.  The only places where the two differ are a handful
of *boundary* functions (evaluate the objective, report an iteration, pick a
threaded kernel): each has a Python body, and a numba overload that replaces
it when the caller is being compiled.

``twin`` marks a plain helper that calls boundary functions, so numba compiles
its body in place of the Python one; ``boundary`` attaches the numba body to a
Python one.
"""
from numba.extending import overload

from ._jit import KERNEL_OPTIONS

_JIT_OPTIONS = {k: v for k, v in KERNEL_OPTIONS.items() if k != "cache"}


def twin(fn):
    """Let compiled code call ``fn``, compiling the same source."""
    overload(fn, jit_options=_JIT_OPTIONS, strict=False)(lambda *args: fn)
    return fn


def boundary(compiled_body):
    """Decorate a Python function; ``compiled_body`` replaces it in compiled code."""
    def attach(fn):
        overload(fn, jit_options=_JIT_OPTIONS, strict=False)(lambda *args: compiled_body)
        return fn
    return attach
