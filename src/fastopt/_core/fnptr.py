"""Function values built from raw addresses, so Python can pass objectives cheaply.

Handing numba a first-class function from Python costs several microseconds
per argument on every call (numba looks the addresses up again through Python,
unpickling the signature each time): with five function arguments a solve of
Rosenbrock spent 30 us in the call alone, more than the solve.  Instead, the
Python side looks the two addresses of each compiled function up once (``addresses``)
and passes them as integers; ``function_value`` rebuilds
the function value inside compiled code for free.

The value carries both entry points numba knows: the C-ABI wrapper and the
function in numba's own calling convention, which is the one called, so an
exception raised by the user's function propagates as usual.
"""
import weakref

from numba.core import cgutils, types
from numba.extending import intrinsic

#: The array types of fixed signatures: float64, C-contiguous.
VECTOR = types.Array(types.float64, 1, "C")
MATRIX = types.Array(types.float64, 2, "C")
#: An int64 array of (c_addr, jit_addr) pairs, as cached entries take them.
ADDRESSES = types.Array(types.int64, 1, "C")

_cache = weakref.WeakKeyDictionary()


def addresses(dispatcher, sig):
    """``(c_addr, jit_addr)`` of ``dispatcher`` compiled for ``sig``, or None if
    its return type differs from ``sig``'s.

    Cached per dispatcher; the cache also keeps the dispatcher (and so its
    machine code) alive while it is in use.  ``sig`` is a numba signature
    such as ``types.float64(VECTOR)``.
    """
    per_function = _cache.setdefault(dispatcher, {})
    if sig not in per_function:
        if sig.args not in dispatcher.overloads:
            dispatcher.compile(sig.args)
        cres = dispatcher.overloads[sig.args]
        if cres.signature.return_type != sig.return_type:
            per_function[sig] = None
        else:
            library = cres.library
            per_function[sig] = (
                library.get_pointer_to_function(cres.fndesc.llvm_cfunc_wrapper_name),
                library.get_pointer_to_function(cres.fndesc.llvm_func_name))
    return per_function[sig]


#: What ``cached`` returns for nothing stored.
MISSING = object()


def cached(owner, key):
    """What ``memo`` stored for (``owner``, ``key``), or ``MISSING`` (also for
    an ``owner`` that cannot be weakly referenced: not a numba function)."""
    try:
        per_function = _cache.get(owner)
    except TypeError:
        return MISSING
    return MISSING if per_function is None else per_function.get(key, MISSING)


def memo(owner, key, build):
    """``build()``, computed once per (``owner``, ``key``) while ``owner``
    (a user's compiled function) lives: what the Python entries look up on
    every call, where microseconds count."""
    found = cached(owner, key)
    if found is MISSING:
        found = _cache.setdefault(owner, {})[key] = build()
    return found


@intrinsic
def function_value(typingctx, c_addr, jit_addr, fntype):
    """A value of ``fntype`` (a ``types.FunctionType``) from the two addresses.

    The caller guarantees that the addresses belong to a live compiled
    function with exactly that signature.
    """
    target = fntype.instance_type

    def codegen(context, builder, sig, args):
        voidptr = context.get_value_type(types.voidptr)
        value = cgutils.create_struct_proxy(target)(context, builder)
        value.c_addr = builder.inttoptr(args[0], voidptr)
        value.py_addr = cgutils.get_null_value(voidptr)
        value.jit_addr = builder.inttoptr(args[1], voidptr)
        return value._getvalue()
    return target(types.int64, types.int64, fntype), codegen
