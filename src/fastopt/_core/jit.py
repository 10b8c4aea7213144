"""The house decorator, and the ways one source becomes several compiled builds.

Every numba kernel in fastopt is compiled through ``kernel`` so that the
options are the same everywhere:

* ``cache=True`` so a new process loads machine code instead of compiling;
* ``error_model="numpy"``: with numba's default ("python") error model each
  division carries a zero check that blocks SIMD vectorisation (a serial fused
  Adam step measured 3-4x slower);
* ``nogil=True`` so kernels can run in user threads;
* never ``fastmath`` flags that assume no NaN/inf: they silently break the
  ``isnan`` checks the loops rely on.  Reductions (dot products) take
  ``fastmath=REASSOC`` alone: LLVM may then reorder the sum into SIMD lanes,
  which it must not do for a strict left-to-right sum (2-3x slower on data in
  cache); only the rounding of the sum changes, and NaN/inf still propagate.

One source, several builds (the only code-generation tools of the package):

* ``serial_and_parallel``: a ``prange`` loop compiled serially and threaded;
* ``renamed_copy``: a copy of a function under a new name with some globals
  rebound, so that one loop compiles once per method with that method's
  kernel inlined (numba caches per qualified name: each copy gets its own
  cache entry);
* ``twin`` (``twin.py``): a plain Python function that numba compiles in
  place of itself when compiled code calls it;
* ``generated``: a function whose *signature* comes from a table (the
  keyword defaults of ``fastopt.compiled``), written as source text.

``entry_point`` gives Python callers the compiled function without numba's
per-call dispatch.
"""
import textwrap
import types

import numba

KERNEL_OPTIONS = dict(cache=True, error_model="numpy", nogil=True)
#: Options of code compiled inside a cached caller, or specialised for a
#: user's function (whose address numba embeds and cannot cache).
UNCACHED = {k: v for k, v in KERNEL_OPTIONS.items() if k != "cache"}
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
    source need two names.  Rebinding globals lets one source call one
    method's kernel in one build and another's in the next.
    """
    namespace = dict(fn.__globals__, **new_globals) if new_globals else fn.__globals__
    copy = types.FunctionType(fn.__code__, namespace, fn.__name__ + suffix,
                              fn.__defaults__, fn.__closure__)
    copy.__qualname__ = fn.__qualname__ + suffix
    copy.__module__ = fn.__module__
    copy.__doc__ = fn.__doc__
    return copy


def generated(name, params, body, namespace, doc=None):
    """``def name(params): body``, defined from source text in ``namespace``.

    For functions whose parameter list is data (a table's hyperparameter
    names and defaults): numba reads a function's parameters from its code,
    so they must be spelled out.  ``namespace`` holds the names ``body`` uses.
    """
    source = f"def {name}({params}):\n{textwrap.indent(body, '    ')}\n"
    exec(compile(source, f"<fastopt: {name}>", "exec"), namespace)
    fn = namespace[name]
    fn.__doc__ = doc
    return fn


def entry_point(dispatcher, *args):
    """The compiled entry of ``dispatcher`` for the types of ``args``.

    Calling a numba dispatcher types every argument on every call: a few
    microseconds with tuple arguments, which a small solve notices.  The
    entry point skips that, so the caller must pass arguments of exactly
    these types (same dtypes, dimensions, layouts and tuple classes) on
    every later call; it is compiled (or loaded from the cache) here.
    """
    signature = tuple(numba.typeof(a) for a in args)
    compiled = dispatcher.overloads.get(signature)
    if compiled is None:
        dispatcher.compile(signature)
        compiled = dispatcher.overloads[signature]
    return compiled.entry_point
