"""Recognise numba-compiled objectives and hand them to the compiled driver.

A user's ``@numba.njit`` function is passed to the cached driver as a
first-class function value.  Building that value goes through the Wrapper
Address Protocol with the address looked up once per function and signature
(numba would otherwise redo the lookup on every call).
"""
import weakref

from numba.core import types
from numba.core.types import WrapperAddressProtocol
from numba.extending import is_jitted, typeof_impl

_cache = weakref.WeakKeyDictionary()


class _Address(WrapperAddressProtocol):
    """A compiled function's C-callable entry point, with its signature."""

    def __init__(self, dispatcher, sig):
        self.dispatcher = dispatcher  # keeps the machine code alive
        self.sig = sig
        self.numba_type = types.FunctionType(sig)
        cres = dispatcher.overloads[sig.args]
        self.address = cres.library.get_pointer_to_function(cres.fndesc.llvm_cfunc_wrapper_name)

    def __wrapper_address__(self):
        return self.address

    def signature(self):
        return self.sig


@typeof_impl.register(_Address)
def _typeof_address(value, context):
    # numba's generic rule rebuilds FunctionType(signature) on every call.
    return value.numba_type


def _address(dispatcher, sig):
    """The ``_Address`` of ``dispatcher`` at ``sig``, or None if its return type differs."""
    per_function = _cache.setdefault(dispatcher, {})
    if sig not in per_function:
        if sig.args not in dispatcher.overloads:
            dispatcher.compile(sig.args)
        returned = dispatcher.overloads[sig.args].signature.return_type
        per_function[sig] = _Address(dispatcher, sig) if returned == sig.return_type else None
    return per_function[sig]


def compiled_objective(fun, jac):
    """``(fg, fun, jac, mode)`` for the compiled driver, or a reason it can't run.

    Parameters
    ----------
    fun : callable
    jac : True, callable, '2-point' or '3-point' (normalised)

    Returns
    -------
    tuple, str or None
        The four driver arguments; or None when ``fun`` is a plain Python
        function; or a message saying why a compiled ``fun`` cannot use the
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

    # The placeholders go through _address too: a bare dispatcher argument
    # costs numba a compile-result lookup on every call (~40 us each).
    unused_fg = _address(d.unused_fg, d.FG_SIG)
    unused_f = _address(d.unused_f, d.F_SIG)
    unused_g = _address(d.unused_g, d.G_SIG)
    if jac is True:
        fg = _address(fun, d.FG_SIG)
        if fg is None:
            return "fun must return (float64, 1-D C-contiguous float64 array) when jac=True"
        return fg, unused_f, unused_g, d.MODE_FG
    f = _address(fun, d.F_SIG)
    if f is None:
        return "fun must return a float64 scalar"
    if callable(jac):
        if not is_jitted(jac):
            return "jac is not numba-compiled"
        g = _address(jac, d.G_SIG)
        if g is None:
            return "jac must return a 1-D C-contiguous float64 array"
        return unused_fg, f, g, d.MODE_F_G
    mode = d.MODE_FD3 if jac == "3-point" else d.MODE_FD2
    return unused_fg, f, unused_g, mode


def compiled_second_derivatives(hess, hessp, kind):
    """``(hess, hessp, hess_mode)`` for the compiled curvature driver, or a reason it can't run.

    Placeholders stand in for what is not given; a Python ``hess``/``hessp``
    is the reason.
    """
    from ._kernels import curvature_driver as cd
    from ._kernels.codes import HESS_DENSE, HESS_FD, HESS_PRODUCT, NEWTON

    parts = [_address(cd.unused_hess, cd.HESS_SIG), _address(cd.unused_hessp, cd.HESSP_SIG)]
    mode = HESS_FD
    if kind == NEWTON and hess is not None:
        if not is_jitted(hess):
            return "hess is not numba-compiled"
        parts[0] = _address(hess, cd.HESS_SIG)
        if parts[0] is None:
            return "hess must return a 2-D C-contiguous float64 array"
        mode = HESS_DENSE
    elif kind != NEWTON and hessp is not None:
        if not is_jitted(hessp):
            return "hessp is not numba-compiled"
        parts[1] = _address(hessp, cd.HESSP_SIG)
        if parts[1] is None:
            return "hessp must return a 1-D C-contiguous float64 array"
        mode = HESS_PRODUCT
    elif kind != NEWTON and hess is not None:
        return "newton-cg on the compiled path takes hessp, not hess"
    return parts[0], parts[1], mode
