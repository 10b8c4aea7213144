"""Function values built from raw addresses, so Python can pass objectives cheaply.

Handing numba a first-class function from Python costs several microseconds
per argument on every call (numba looks the addresses up again through Python,
unpickling the signature each time): with five function arguments a solve of
Rosenbrock spent 30 us in the call alone, more than the solve.  Instead, the
Python side looks the two addresses of each compiled function up once (see
``fastopt._jitted``) and passes them as integers; ``function_value`` rebuilds
the function value inside compiled code for free.

The value carries both entry points numba knows: the C-ABI wrapper and the
function in numba's own calling convention, which is the one called, so an
exception raised by the user's function propagates as usual.
"""
from numba.core import cgutils, types
from numba.extending import intrinsic


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
