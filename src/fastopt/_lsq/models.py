"""Compiled models for the compiled fitters: their machine addresses.

The compiled fitters (``fits.py``) take the model ``model(x, p) -> y`` as
the two addresses of a numba function with the fixed signature
``MODEL_SIG`` (``_core/fnptr.py``), so they compile once per installation
and serve every model.  ``curve_fit``'s models take their parameters one
by one, ``f(x, p0, p1, ...)``: ``star_model_addresses`` bridges them.
"""
import numpy as np
from numba import njit, types
from numba.core.errors import NumbaError
from numba.extending import is_jitted
from numba.np.unsafe.ndarray import to_fixed_tuple

from .._core.fnptr import VECTOR, addresses, memo

#: model(x, p) -> y
MODEL_SIG = VECTOR(VECTOR, VECTOR)
MODEL_TYPE = types.FunctionType(MODEL_SIG)


def model_addresses(f):
    """The compiled model's addresses for ``MODEL_SIG`` (an int64 array), or TypeError."""
    found = addresses(f, MODEL_SIG) if is_jitted(f) else None
    if found is None:
        raise TypeError("f must be a numba-compiled function f(x, p) -> y taking and "
                        "returning 1-D float64 arrays (decorate it with @numba.njit)")
    return np.array(found, dtype=np.int64)


def _bridge(f, n):
    def star(x, p):
        return f(x, *to_fixed_tuple(p, n))
    star = njit(star)
    try:
        found = addresses(star, MODEL_SIG)
    except NumbaError:
        found = None
    # The bridge is kept with its addresses: its machine code must live as
    # long as they may be called.
    return star, None if found is None else np.array(found, dtype=np.int64)


def star_model_addresses(f, n):
    """Addresses (as ``model_addresses``) of ``g(x, p) = f(x, p[0], ..., p[n-1])``
    compiled for ``MODEL_SIG``, or None when ``f`` does not compile so (it
    takes other types, or returns something other than a 1-D float64 array).

    Compiled once per function and ``n`` (about 0.1 s), then kept.
    """
    return memo(f, ("star model", n), lambda: _bridge(f, n))[1]
