"""One source, two lives: functions that run as Python and compile with numba.

fastopt's loops (first-order, curvature, Levenberg-Marquardt, the
stochastic epoch) are each written once.  Called from Python a loop runs as
ordinary Python, calling compiled kernels, the user's Python function and
callback; compiled with ``numba.njit`` it is the compiled driver, with no
Python per iteration.  The only places where the two differ are a handful
of *boundary* functions (evaluate the objective, report an iteration, pick
a threaded kernel): each has a Python body, and a numba overload that
replaces it when the caller is being compiled.

``twin`` marks a plain helper (or a whole loop) whose own source numba
compiles when compiled code calls it; ``twin(fn, inline=True)`` inlines it
into the caller's IR, which is how a fused step kernel passed to a loop as
an argument costs no call.  ``boundary`` attaches a separate numba body to
a Python one.
"""
from numba.extending import overload

from .jit import UNCACHED


def twin(fn=None, *, inline=False):
    """Let compiled code call ``fn``, compiling the same source.

    Usable bare (``@twin``) or as ``twin(fn, inline=True)``.  Also makes
    ``fn`` a value compiled code can pass to another twin: numba types it by
    the function, not as a runtime object, so passing it costs nothing and
    keeps the caller cacheable.
    """
    def attach(f):
        if not getattr(f, "_twin", False):  # once: a second overload would be ambiguous
            overload(f, jit_options=UNCACHED, strict=False,
                     inline="always" if inline else "never")(lambda *args: f)
            f._twin = True
        return f
    return attach if fn is None else attach(fn)


def boundary(compiled_body, *, inline=False):
    """Decorate a Python function; ``compiled_body`` replaces it in compiled code
    (inlined into the caller's IR with ``inline=True``)."""
    def attach(fn):
        overload(fn, jit_options=UNCACHED, strict=False,
                 inline="always" if inline else "never")(lambda *args: compiled_body)
        return fn
    return attach
