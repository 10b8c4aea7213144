# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Finite-difference gradients of a Python callable (the Python driver's path).

The loop perturbs one coordinate at a time and calls the objective on a fresh
copy of ``x`` (a user's function may keep a reference to its argument).
"""
import numpy as np


def fd_gradient(value, const double[::1] x, double f0, const double[::1] h,
                bint central, double[::1] out):
    """Fill ``out`` with forward or central differences of ``value`` at ``x``.

    Parameters
    ----------
    value : callable
        ``value(x) -> float`` (already validated by the caller).
    x : float64[::1], shape (n,)
    f0 : float
        ``value(x)``, reused by forward differences.
    h : float64[::1], shape (n,)
        Steps, already rounded so that ``x + h`` is exactly representable.
    central : bool
        Central (``(f(x+h) - f(x-h)) / 2h``) instead of forward differences.
    out : float64[::1], shape (n,)
        Written.

    Returns
    -------
    int
        Number of calls to ``value``.
    """
    cdef Py_ssize_t i, n = x.shape[0]
    cdef double fp, fm
    cdef double[::1] xv
    if h.shape[0] != n or out.shape[0] != n:
        raise ValueError("x, h and out must have the same length")
    for i in range(n):
        xp = np.array(x)
        xv = xp
        xv[i] = x[i] + h[i]
        fp = value(xp)
        if central:
            xm = np.array(x)
            xv = xm
            xv[i] = x[i] - h[i]
            fm = value(xm)
            out[i] = (fp - fm) / (2.0 * h[i])
        else:
            out[i] = (fp - f0) / h[i]
    return (2 if central else 1) * n
