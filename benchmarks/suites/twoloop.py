"""L-BFGS two-loop recursion: fused numba kernels against the textbook over BLAS.

One call of ``direction`` (``d = -H g``) with a full, wrapped history of m = 10
pairs (S, Y of shape (10, n): 160 n bytes, 1.6 GB at n = 1e7):

* ``numba_serial``: ``fastopt._minimize.kernels.lbfgs.direction``, what the
  solvers call (``2 m + 1`` fused passes over memory);
* ``numba_parallel``: the same source with threaded passes, built here
  (``direction_parallel``: the passes compiled with ``parallel=True`` and
  rebound into a renamed copy of the recursion);
* ``cython_blas``: ``benchmarks/cython/twoloop_blas.pyx``, Nocedal and
  Wright's Algorithm 7.4 as ``4 m + 2`` calls into scipy's BLAS (OpenBLAS),
  with OpenBLAS's own thread count (by default one per core), built on demand
  by ``benchmarks.cython``;
* ``TwoLoopBlasOneThread``: the same Cython kernel with OpenBLAS held to one
  thread, the like-for-like opponent of ``numba_serial``.

``setup`` checks that the threaded build and the Cython kernel give the
serial kernel's ``d`` to rounding (``check_agreement``) before timing.

Bytes per element per pair and loop: fused 32 (read s, y, d; write d),
textbook 40 (``ddot`` reads 16, ``daxpy`` reads 16 and writes 8); in all, about
670 against 830 bytes per element for m = 10.  The largest size needs about
1.8 GB (S, Y, g, d), per asv process.

``python -m benchmarks.scripts.twoloop`` prints the medians, the ratios and ns
per element, and the thread settings.  OpenBLAS is controlled through
``threadpoolctl`` when it is installed, else through the
``*openblas*set_num_threads`` symbol of the library scipy loaded; the
environment variable ``OPENBLAS_NUM_THREADS``, when set before the start,
fixes the default thread count.
"""
import ctypes
import os

import numpy as np

from fastopt._core.jit import REASSOC, kernel, renamed_copy, serial_and_parallel
from fastopt._minimize.kernels import lbfgs

from ..cython import twoloop_direction

M = 10
SIZES = [10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6, 10 ** 7]
HEAD = 3  # full buffer, wrapped: the oldest pair is not in row 0

# The threaded variant: the package's passes compiled with parallel=True,
# rebound into a copy of the recursion (compiled lazily, on first call).
_, _copy_dot_parallel = serial_and_parallel(lbfgs._copy_dot, fastmath=REASSOC)
_, _axpy_dot_parallel = serial_and_parallel(lbfgs._axpy_dot, fastmath=REASSOC)
direction_parallel = kernel(renamed_copy(lbfgs._direction, "_parallel",
                                         copy_dot=_copy_dot_parallel,
                                         axpy_dot=_axpy_dot_parallel))


def history(n, m=M, seed=0):
    """A full, wrapped history of ``m`` pairs with ``s.y > 0``; returns the call's arguments."""
    rng = np.random.default_rng(seed)
    S = rng.standard_normal((m, n))
    Y = rng.standard_normal((m, n))
    Y *= 0.5
    Y += S
    rho = 1.0 / np.einsum("ij,ij->i", S, Y)
    g = rng.standard_normal(n)
    newest = (HEAD + m - 1) % m
    gamma = float(1.0 / (rho[newest] * np.dot(Y[newest], Y[newest])))  # s.y / y.y
    return g, S, Y, rho, np.empty(m), HEAD, m, gamma, np.empty(n)


def cython_direction():
    """The Cython kernel, or NotImplementedError (asv: skipped) if it cannot be built."""
    try:
        return twoloop_direction()
    except ImportError as exc:
        raise NotImplementedError(str(exc)) from exc


def check_agreement(args, kernels, rtol=1e-10):
    """Assert that each of ``kernels`` (name -> direction) writes the ``d`` of
    ``lbfgs.direction`` to rounding: ``|d - d_ref| <= rtol |d_ref|``
    elementwise, with an absolute floor of ``rtol * max |d_ref|`` for the
    elements that cancel to near zero."""
    g, S, Y, rho, alpha, head, count, gamma, d = args
    ref = np.empty_like(d)
    lbfgs.direction(g, S, Y, rho, np.empty_like(alpha), head, count, gamma, ref)
    scale = float(np.max(np.abs(ref)))
    for name, direction in kernels.items():
        out = np.full_like(d, np.nan)
        direction(g, S, Y, rho, np.empty_like(alpha), head, count, gamma, out)
        err = np.abs(out - ref)
        bad = ~(err <= rtol * np.abs(ref) + rtol * scale)
        assert not bad.any(), (f"{name} differs from lbfgs.direction at n = {d.size}: "
                               f"max |d - d_ref| = {np.max(err):.3e}, max |d_ref| = {scale:.3e}")


# --- OpenBLAS thread control -------------------------------------------------

def _openblas_library():
    """The OpenBLAS shared library scipy has loaded (ctypes handle), or None."""
    import scipy.linalg.cython_blas  # noqa: F401  (makes sure scipy's BLAS is loaded)
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower()}
    except OSError:
        return None
    # numpy wheels load an OpenBLAS of their own (numpy.libs/libscipy_openblas64_*):
    # prefer the one in scipy's wheel (scipy.libs/), then any not from numpy.
    for path in sorted(paths, key=lambda p: (os.path.basename(os.path.dirname(p)) != "scipy.libs",
                                             "numpy" in p, p)):
        if os.path.exists(path):
            return ctypes.CDLL(path)
    return None


def _symbol(lib, suffix):
    for prefix in ("scipy_openblas_", "openblas_"):
        try:
            return getattr(lib, prefix + suffix)
        except AttributeError:
            pass
    return None


class BlasThreads:
    """Read and set the thread count of scipy's OpenBLAS (threadpoolctl if present)."""

    def __init__(self):
        self.controller = None
        try:
            from threadpoolctl import ThreadpoolController
            self.controller = ThreadpoolController().select(user_api="blas")
        except ImportError:
            lib = _openblas_library()
            self._path = lib._name if lib is not None else None
            self._get = lib and _symbol(lib, "get_num_threads")
            self._set = lib and _symbol(lib, "set_num_threads")
            if self._set is not None:
                self._set.argtypes = [ctypes.c_int]
                self._set.restype = None

    @property
    def available(self):
        return self.controller is not None or (self._get is not None and self._set is not None)

    def get(self):
        if self.controller is not None:
            return max(p["num_threads"] for p in self.controller.info())
        return self._get() if self._get is not None else None

    def set(self, k):
        if self.controller is not None:
            self.controller.limit(limits=k)
        else:
            self._set(k)

    def describe(self):
        if self.controller is not None:
            return "; ".join(f"{p['internal_api']} {p.get('version')} {p['filepath']}:"
                             f" {p['num_threads']} threads ({p.get('threading_layer')})"
                             for p in self.controller.info())
        return f"OpenBLAS via ctypes ({os.path.basename(self._path)}): {self.get()} threads"


# --- asv suites ----------------------------------------------------------------

class TwoLoop:
    """One two-loop call, m = 10 full wrapped history: numba serial/parallel vs Cython+BLAS."""

    params = (SIZES,)
    param_names = ["n"]
    repeat = (5, 20, 30.0)
    timeout = 300.0

    def setup(self, n):
        self.cython = cython_direction()
        self.args = history(n)
        # compiles / loads the numba caches, and checks before timing
        check_agreement(self.args, {"numba parallel": direction_parallel,
                                    "cython+blas": self.cython})

    def time_numba_serial(self, n):
        lbfgs.direction(*self.args)

    def time_numba_parallel(self, n):
        direction_parallel(*self.args)

    def time_cython_blas(self, n):
        self.cython(*self.args)


class TwoLoopBlasOneThread:
    """The Cython+BLAS two-loop call with OpenBLAS held to one thread (vs numba serial)."""

    params = (SIZES,)
    param_names = ["n"]
    repeat = (5, 20, 30.0)
    timeout = 300.0

    def setup(self, n):
        self.cython = cython_direction()
        self.blas = BlasThreads()
        if not self.blas.available:
            raise NotImplementedError("cannot control the BLAS thread count")
        self.saved = self.blas.get()
        self.blas.set(1)
        self.args = history(n)
        check_agreement(self.args, {"cython+blas, one thread": self.cython})

    def teardown(self, n):
        if getattr(self, "saved", None) is not None:
            self.blas.set(self.saved)

    def time_cython_blas(self, n):
        self.cython(*self.args)
