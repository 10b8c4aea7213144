"""Memory hints for compiled loops.

``prefetch(a, index)`` asks the CPU to start loading the cache line that holds
``a[index]`` while the loop goes on with other work.  Loops that read rows of
a large array in random order (the mini-batches of ``minimize_stochastic``)
otherwise wait one memory latency per row; prefetching rows a few iterations
ahead keeps several loads in flight (Intel 64 and IA-32 Architectures
Optimization Reference Manual, "Software prefetching").  A prefetch is a hint:
it never faults and never changes a result.
"""
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

#: Bytes per cache line on the x86-64 and arm64 machines fastopt targets.
CACHE_LINE = 64


@intrinsic
def prefetch(typingctx, array, index):
    """Prefetch the cache line of ``array[index]`` for reading.

    ``index`` is a tuple with one integer per dimension.  No bounds check is
    made or needed: the address is only a hint to the memory system.
    """
    if not isinstance(array, types.Array) or not isinstance(index, types.BaseTuple) \
            or len(index) != array.ndim \
            or not all(isinstance(t, types.Integer) for t in index):
        return None

    def codegen(context, builder, signature, args):
        array_type, index_type = signature.args
        array_value, index_value = args
        view = context.make_array(array_type)(context, builder, array_value)
        indices = [context.cast(builder, builder.extract_value(index_value, k), t, types.intp)
                   for k, t in enumerate(index_type)]
        pointer = cgutils.get_item_pointer2(
            context, builder, data=view.data, shape=cgutils.unpack_tuple(builder, view.shape),
            strides=cgutils.unpack_tuple(builder, view.strides), layout=array_type.layout,
            inds=indices, wraparound=False, boundscheck=False)
        byte_pointer = ir.IntType(8).as_pointer()
        int32 = ir.IntType(32)
        hint = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer, int32, int32, int32]),
            "llvm.prefetch.p0")
        # read (0), keep in all cache levels (3), data cache (1)
        builder.call(hint, [builder.bitcast(pointer, byte_pointer), ir.Constant(int32, 0),
                            ir.Constant(int32, 3), ir.Constant(int32, 1)])
        return context.get_dummy_value()

    return types.void(array, index), codegen
