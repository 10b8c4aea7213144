"""L-BFGS two-loop recursion: fused numba kernels against the textbook over BLAS.

One call of ``direction`` (``d = -H g``) with a full, wrapped history of m = 10
pairs (S, Y of shape (10, n): 160 n bytes, 1.6 GB at n = 1e7):

* ``numba_serial``, ``numba_parallel``: ``fastopt._kernels.lbfgs.direction``
  and ``direction_parallel`` (``2 m + 1`` fused passes over memory, numba's
  threads in the parallel build);
* ``cython_blas``: ``fastopt._kernels._twoloop.direction``, Nocedal and
  Wright's Algorithm 7.4 as ``4 m + 2`` calls into scipy's BLAS (OpenBLAS),
  with OpenBLAS's own thread count (by default one per core);
* ``TwoLoopBlasOneThread``: the same Cython kernel with OpenBLAS held to one
  thread, the like-for-like opponent of ``numba_serial``.

Bytes per element per pair and loop: fused 32 (read s, y, d; write d),
textbook 40 (``ddot`` reads 16, ``daxpy`` reads 16 and writes 8); in all, about
670 against 830 bytes per element for m = 10.  The largest size needs about
1.8 GB (S, Y, g, d), per asv process.

    python benchmarks/bench_twoloop.py [--quick]

prints the medians, the ratios and ns per element, and the thread settings.
OpenBLAS is controlled through ``threadpoolctl`` when it is installed, else
through the ``*openblas*set_num_threads`` symbol of the library scipy
loaded; the environment variable ``OPENBLAS_NUM_THREADS``, when set before
the start, fixes the default thread count.
"""
import ctypes
import os
import sys
import time
import timeit

import numpy as np

from fastopt._kernels import lbfgs
from fastopt._kernels._twoloop import direction as cython_direction

M = 10
SIZES = [10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6, 10 ** 7]
HEAD = 3  # full buffer, wrapped: the oldest pair is not in row 0


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
        self.args = history(n)
        # compile / load the numba caches before timing
        lbfgs.direction(*self.args)
        lbfgs.direction_parallel(*self.args)

    def time_numba_serial(self, n):
        lbfgs.direction(*self.args)

    def time_numba_parallel(self, n):
        lbfgs.direction_parallel(*self.args)

    def time_cython_blas(self, n):
        cython_direction(*self.args)


class TwoLoopBlasOneThread:
    """The Cython+BLAS two-loop call with OpenBLAS held to one thread (vs numba serial)."""

    params = (SIZES,)
    param_names = ["n"]
    repeat = (5, 20, 30.0)
    timeout = 300.0

    def setup(self, n):
        self.blas = BlasThreads()
        if not self.blas.available:
            raise NotImplementedError("cannot control the BLAS thread count")
        self.saved = self.blas.get()
        self.blas.set(1)
        self.args = history(n)

    def teardown(self, n):
        if getattr(self, "saved", None) is not None:
            self.blas.set(self.saved)

    def time_cython_blas(self, n):
        cython_direction(*self.args)


# --- script mode ---------------------------------------------------------------

def _number(fn, min_time):
    """Calls per sample so that one sample lasts at least ``min_time`` seconds."""
    number = 1
    while timeit.timeit(fn, number=number) < min_time and number < 1 << 20:
        number *= 2
    return number


def interleaved_medians(contenders, rounds, per_round, min_time=0.02, settle=0.3):
    """Median seconds per call of each contender, sampled in interleaved blocks.

    ``contenders`` maps a name to ``(fn, enter, leave)``: ``enter()`` and
    ``leave()`` (or None) run around each block, untimed.  Each of ``rounds``
    rounds takes a block of ``per_round`` samples from every contender in
    turn, so that load from other processes and clock drift fall on all of
    them.  Before each block the process sleeps ``settle`` seconds and makes
    one untimed call: the worker threads of OpenBLAS and of numba's OpenMP
    pool spin for a while after their last job, and a call made while the
    other library's threads still spin loses cores to them (on a 2-core VM at
    n = 1e5: 4 ms instead of 1-1.3 ms, both ways round).  The figures are
    steady state, back-to-back calls: a threaded call after an idle pause
    also pays for waking its pool.
    """
    numbers = {}
    for k, (fn, enter, leave) in contenders.items():
        if enter:
            enter()
        numbers[k] = _number(fn, min_time)
        if leave:
            leave()
    times = {k: [] for k in contenders}
    for _ in range(rounds):
        for k, (fn, enter, leave) in contenders.items():
            time.sleep(settle)
            if enter:
                enter()
            try:
                fn()
                times[k] += [t / numbers[k] for t in
                             timeit.repeat(fn, number=numbers[k], repeat=per_round)]
            finally:
                if leave:
                    leave()
    return {k: float(np.median(t)) for k, t in times.items()}


def main():
    import numba

    quick = "--quick" in sys.argv
    blas = BlasThreads()
    default_threads = blas.get()
    lbfgs.direction_parallel(*history(16))  # numba picks its threading layer on first use
    print(f"numba {numba.__version__}: {numba.config.NUMBA_NUM_THREADS} threads"
          f" ({numba.threading_layer()} layer);"
          f" OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')};"
          f" {blas.describe() if blas.available else 'BLAS threads unknown'}")
    print(f"one direction() call, m={M} full wrapped history; medians of interleaved blocks;"
          " 'blas1' = OpenBLAS held to 1 thread, 'blasN' = its default"
          f" ({default_threads} threads)")
    head = (f"{'n':>9} | {'numba ser':>10} {'numba par':>10} {'cy blas1':>10} {'cy blasN':>10}"
            f" | {'blas1/ser':>9} {'blasN/par':>9} {'blasN/ser':>9}"
            f" | ns/elt: {'ser':>6} {'par':>6} {'blas1':>6} {'blasN':>6}")
    print(head)
    print("-" * len(head))
    for n in SIZES:
        args = history(n)
        lbfgs.direction(*args)
        lbfgs.direction_parallel(*args)
        rounds, per_round = (2, 3) if quick else ((3, 3) if n >= 10 ** 7 else (4, 5))

        contenders = {"ser": (lambda: lbfgs.direction(*args), None, None),
                      "par": (lambda: lbfgs.direction_parallel(*args), None, None),
                      "blasN": (lambda: cython_direction(*args), None, None)}
        if blas.available:
            contenders["blas1"] = (lambda: cython_direction(*args), lambda: blas.set(1),
                                   lambda: blas.set(default_threads))
        t = interleaved_medians(contenders, rounds, per_round)
        t.setdefault("blas1", float("nan"))
        del args

        def fmt(x):
            return f"{x * 1e3:8.3f}ms" if x >= 1e-3 else f"{x * 1e6:8.1f}us"

        print(f"{n:>9} | {fmt(t['ser']):>10} {fmt(t['par']):>10} {fmt(t['blas1']):>10}"
              f" {fmt(t['blasN']):>10}"
              f" | {t['blas1'] / t['ser']:9.2f} {t['blasN'] / t['par']:9.2f}"
              f" {t['blasN'] / t['ser']:9.2f} | ns/elt:"
              + "".join(f" {t[k] / n * 1e9:6.2f}" for k in ("ser", "par", "blas1", "blasN")))
    print("ratios > 1: the Cython+BLAS kernel is slower than the numba kernel it is divided by")


if __name__ == "__main__":
    main()
