"""Recognise numba-compiled objectives and hand them to the compiled drivers.

A user's ``@numba.njit`` function reaches a cached driver as two machine
addresses (its C wrapper and its numba entry point), looked up once per
function and signature and passed as an int64 array; the driver rebuilds the
function value with ``_kernels.fnptr.function_value``.  Passing numba function
objects instead would cost microseconds per argument on every call.
"""
import weakref

import numpy as np
from numba.extending import is_jitted

_cache = weakref.WeakKeyDictionary()


def _addresses(dispatcher, sig):
    """``(c_addr, jit_addr)`` of ``dispatcher`` compiled for ``sig``, or None if
    its return type differs from ``sig``'s.  Cached; the cache also keeps the
    dispatcher (and so its machine code) alive while it is in use."""
    per_function = _cache.setdefault(dispatcher, {})
    if sig not in per_function:
        if sig.args not in dispatcher.overloads:
            dispatcher.compile(sig.args)
        cres = dispatcher.overloads[sig.args]
        if cres.signature.return_type != sig.return_type:
            per_function[sig] = None
        else:
            library = cres.library
            per_function[sig] = (library.get_pointer_to_function(cres.fndesc.llvm_cfunc_wrapper_name),
                                 library.get_pointer_to_function(cres.fndesc.llvm_func_name))
    return per_function[sig]


def compiled_objective(fun, jac):
    """``(addresses, mode)`` for the compiled drivers, or a reason they can't run.

    Parameters
    ----------
    fun : callable
    jac : True, callable, '2-point' or '3-point' (normalised)

    Returns
    -------
    tuple, str or None
        ``addresses`` is an int64 array ``[fg_c, fg_jit, f_c, f_jit, g_c,
        g_jit]`` (placeholders for the parts ``mode`` does not use), ``mode``
        one of ``driver.MODE_*``; None when ``fun`` is a plain Python
        function; a message saying why a compiled ``fun`` cannot use the
        compiled driver.  Cached per function: this runs on every ``minimize``
        call, where microseconds count.
    """
    if not is_jitted(fun):
        return None
    per_function = _cache.setdefault(fun, {})
    key = ("driver args", jac)
    if key not in per_function:
        per_function[key] = _driver_args(fun, jac)
    return per_function[key]


def _driver_args(fun, jac):
    from ._kernels import driver as d

    parts = [_addresses(d.unused_fg, d.FG_SIG), _addresses(d.unused_f, d.F_SIG),
             _addresses(d.unused_g, d.G_SIG)]
    if jac is True:
        parts[0] = _addresses(fun, d.FG_SIG)
        if parts[0] is None:
            return "fun must return (float64, 1-D C-contiguous float64 array) when jac=True"
        return np.array(parts, dtype=np.int64).ravel(), d.MODE_FG
    parts[1] = _addresses(fun, d.F_SIG)
    if parts[1] is None:
        return "fun must return a float64 scalar"
    if callable(jac):
        if not is_jitted(jac):
            return "jac is not numba-compiled"
        parts[2] = _addresses(jac, d.G_SIG)
        if parts[2] is None:
            return "jac must return a 1-D C-contiguous float64 array"
        return np.array(parts, dtype=np.int64).ravel(), d.MODE_F_G
    mode = d.MODE_FD3 if jac == "3-point" else d.MODE_FD2
    return np.array(parts, dtype=np.int64).ravel(), mode


_NO_SECOND_DERIVATIVES = []


def compiled_second_derivatives(hess, hessp, kind):
    """``(addresses, hess_mode)`` for the compiled curvature driver, or a reason it can't run.

    ``addresses`` is an int64 array ``[hess_c, hess_jit, hessp_c, hessp_jit]``,
    with placeholders for what is not given; a Python ``hess``/``hessp`` is
    the reason.
    """
    if hess is None and hessp is None:
        # The common case, answered without hashing numba signatures (~30 us).
        if not _NO_SECOND_DERIVATIVES:
            _NO_SECOND_DERIVATIVES.append(_second_derivatives(None, None, kind))
        return _NO_SECOND_DERIVATIVES[0]
    owner = hess if hess is not None else hessp
    per_function = _cache.setdefault(owner, {}) if is_jitted(owner) else {}
    key = ("second derivatives", hess, hessp, kind)
    if key not in per_function:
        per_function[key] = _second_derivatives(hess, hessp, kind)
    return per_function[key]


def _second_derivatives(hess, hessp, kind):
    from ._kernels import curvature_driver as cd
    from ._kernels.codes import HESS_DENSE, HESS_FD, HESS_PRODUCT, NEWTON

    parts = [_addresses(cd.unused_hess, cd.HESS_SIG), _addresses(cd.unused_hessp, cd.HESSP_SIG)]
    mode = HESS_FD
    if kind == NEWTON and hess is not None:
        if not is_jitted(hess):
            return "hess is not numba-compiled"
        parts[0] = _addresses(hess, cd.HESS_SIG)
        if parts[0] is None:
            return "hess must return a 2-D C-contiguous float64 array"
        mode = HESS_DENSE
    elif kind != NEWTON and hessp is not None:
        if not is_jitted(hessp):
            return "hessp is not numba-compiled"
        parts[1] = _addresses(hessp, cd.HESSP_SIG)
        if parts[1] is None:
            return "hessp must return a 1-D C-contiguous float64 array"
        mode = HESS_PRODUCT
    elif kind != NEWTON and hess is not None:
        return "newton-cg on the compiled path takes hessp, not hess"
    return np.array(parts, dtype=np.int64).ravel(), mode
