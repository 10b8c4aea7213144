# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""L-BFGS two-loop recursion over BLAS level 1 (the textbook form).

The comparison point for the fused numba kernels in ``lbfgs.py``: the same
recursion, Nocedal and Wright (2006) Algorithm 7.4, written as one BLAS call
per vector operation (``dcopy``, ``ddot``, ``daxpy``, ``dscal`` from
``scipy.linalg.cython_blas``, i.e. scipy's own BLAS, usually OpenBLAS).  That
is ``4 count + 2`` passes over memory against the fused kernels' ``2 count + 1``;
in exchange each pass is a vendor-tuned (and possibly threaded) routine.

The history layout is the one documented in ``lbfgs.py``: ``S``, ``Y`` of
shape ``(m, n)``, pair ``j`` (0 = oldest) in row ``(head + j) % m``.

The BLAS routines are taken from ``scipy.linalg.cython_blas`` at import time,
through the function-pointer capsules in its ``__pyx_capi__`` -- the mechanism
a ``cimport`` compiles to -- rather than by ``cimport``: a ``cimport`` needs
scipy's ``.pxd`` files when the extension is *built*, and the isolated build
environment of ``pip install`` has only setuptools and Cython.  Each
capsule's signature is checked against the declaration below.
"""
from cpython.pycapsule cimport PyCapsule_GetName, PyCapsule_GetPointer
from libc.limits cimport INT_MAX

from scipy.linalg import cython_blas as _cython_blas

# The Fortran BLAS interface: every argument by pointer.
ctypedef double (*ddot_t)(int *, double *, int *, double *, int *) noexcept nogil
ctypedef void (*daxpy_t)(int *, double *, double *, int *, double *, int *) noexcept nogil
ctypedef void (*dcopy_t)(int *, double *, int *, double *, int *) noexcept nogil
ctypedef void (*dscal_t)(int *, double *, double *, int *) noexcept nogil


cdef void *_blas(str name, str signature) except NULL:
    """Function pointer ``name`` from scipy's cython_blas, checked against ``signature``."""
    capsule = _cython_blas.__pyx_capi__[name]
    cdef const char *cname = PyCapsule_GetName(capsule)
    if cname == NULL:
        raise ImportError(f"scipy.linalg.cython_blas.{name}: capsule without a signature")
    # scipy declares ``ctypedef double d``; Cython mangles the typedef's name.
    found = (<bytes>cname).decode().replace("__pyx_t_5scipy_6linalg_11cython_blas_d", "double")
    if found != signature:
        raise ImportError(f"scipy.linalg.cython_blas.{name} has signature {found!r}, "
                          f"expected {signature!r}")
    return PyCapsule_GetPointer(capsule, cname)


cdef ddot_t ddot = <ddot_t>_blas("ddot", "double (int *, double *, int *, double *, int *)")
cdef daxpy_t daxpy = <daxpy_t>_blas("daxpy",
                                    "void (int *, double *, double *, int *, double *, int *)")
cdef dcopy_t dcopy = <dcopy_t>_blas("dcopy", "void (int *, double *, int *, double *, int *)")
cdef dscal_t dscal = <dscal_t>_blas("dscal", "void (int *, double *, double *, int *)")

# BLAS takes 32-bit lengths: longer vectors go in chunks of this many.
cdef Py_ssize_t CHUNK = INT_MAX


cdef inline double _dot(Py_ssize_t n, double *x, double *y) noexcept nogil:
    """``x . y``."""
    cdef int one = 1, k
    cdef double acc = 0.0
    while n > 0:
        k = <int>(n if n < CHUNK else CHUNK)
        acc += ddot(&k, x, &one, y, &one)
        x += k
        y += k
        n -= k
    return acc


cdef inline void _axpy(Py_ssize_t n, double a, double *x, double *y) noexcept nogil:
    """``y += a x``."""
    cdef int one = 1, k
    while n > 0:
        k = <int>(n if n < CHUNK else CHUNK)
        daxpy(&k, &a, x, &one, y, &one)
        x += k
        y += k
        n -= k


cdef inline void _copy(Py_ssize_t n, double *x, double *y) noexcept nogil:
    """``y = x``."""
    cdef int one = 1, k
    while n > 0:
        k = <int>(n if n < CHUNK else CHUNK)
        dcopy(&k, x, &one, y, &one)
        x += k
        y += k
        n -= k


cdef inline void _scal(Py_ssize_t n, double a, double *x) noexcept nogil:
    """``x *= a``."""
    cdef int one = 1, k
    while n > 0:
        k = <int>(n if n < CHUNK else CHUNK)
        dscal(&k, &a, x, &one)
        x += k
        n -= k


def direction(const double[::1] g, const double[:, ::1] S, const double[:, ::1] Y,
              const double[::1] rho, double[::1] alpha, int head, int count,
              double gamma, double[::1] d):
    """Write ``d = -H g`` for the L-BFGS matrix ``H`` of the stored pairs.

    Same contract as ``lbfgs.direction``: ``H0 = gamma I``; ``alpha`` is
    scratch (on return ``alpha[k]`` holds the first loop's coefficient of
    pair ``k``, 0 = oldest); ``d`` must not alias ``g``.  With no pairs
    stored, ``d = -gamma g``.  Runs without the GIL.

    Parameters
    ----------
    g : float64[::1], shape (n,)
    S, Y : float64[:, ::1], shape (m, n)
    rho : float64[::1], shape (m,)
        ``1 / (y_k . s_k)`` per row.
    alpha : float64[::1], length >= count
        Scratch, written.
    head, count : int
        Oldest pair's row and number of stored pairs (``0 <= count <= m``).
    gamma : float
    d : float64[::1], shape (n,)
        Written.

    Raises
    ------
    ValueError
        On inconsistent shapes or ``count`` out of range (checked, since the
        loops themselves run without bounds checks).
    """
    cdef Py_ssize_t n = g.shape[0], m = S.shape[0], k, j
    cdef double a, c
    cdef double *pg
    cdef double *pd
    if d.shape[0] != n or S.shape[1] != n or Y.shape[0] != m or Y.shape[1] != n:
        raise ValueError("g, d must have length n and S, Y shape (m, n)")
    if count < 0 or count > m:
        raise ValueError("count must be in [0, m]")
    if rho.shape[0] < m or alpha.shape[0] < count:
        raise ValueError("rho must have length m and alpha at least count")
    if count > 0:
        head = head % m  # C remainder (cdivision): make it non-negative, as numba's
        if head < 0:
            head += m
    if n == 0:
        for k in range(count):
            alpha[k] = rho[(head + k) % m] * 0.0
        return
    pg = <double *>&g[0]
    pd = &d[0]
    with nogil:
        _copy(n, pg, pd)
        # First loop, newest to oldest, on q (kept in d):
        # alpha_k = rho_k s_k.q; q -= alpha_k y_k.
        for k in range(count - 1, -1, -1):
            j = (head + k) % m
            a = rho[j] * _dot(n, <double *>&S[j, 0], pd)
            alpha[k] = a
            _axpy(n, -a, <double *>&Y[j, 0], pd)
        # r = H0 q, with the final sign folded in: d holds -r from here on
        # (negation is exact, so this is bit for bit the textbook's d = -r).
        _scal(n, -gamma, pd)
        # Second loop, oldest to newest: beta = rho_k y_k.r;
        # r += (alpha_k - beta) s_k, i.e. d -= (alpha_k + rho_k y_k.d) s_k.
        for k in range(count):
            j = (head + k) % m
            c = alpha[k] + rho[j] * _dot(n, <double *>&Y[j, 0], pd)
            _axpy(n, -c, <double *>&S[j, 0], pd)
