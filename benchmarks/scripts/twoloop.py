"""L-BFGS two-loop recursion: numba serial / threaded against Cython over BLAS, one run.

    python -m benchmarks.scripts.twoloop [--quick] [n ...]

One ``direction()`` call per sample, m = 10, full wrapped history
(``suites.twoloop``), at n = 1e3 ... 1e7 (or the sizes given); after checking
that the threaded build and the Cython kernel agree with the serial kernel to
rounding, prints the medians of interleaved blocks, the ratios and ns per
element, and the thread settings.  'blas1' is the Cython kernel with
OpenBLAS held to one thread, 'blasN' with its default.

Before each block the process sleeps 0.3 s and makes one untimed call: the
worker threads of OpenBLAS and of numba's OpenMP pool spin for a while after
their last job, and a call made while the other library's threads still spin
loses cores to them (on a 2-core VM at n = 1e5: 4 ms instead of 1-1.3 ms,
both ways round).  The figures are steady state, back-to-back calls: a
threaded call after an idle pause also pays for waking its pool.

``--quick``: fewer rounds and samples.
"""
import argparse
import os

import numba

from benchmarks.scripts.timing import fmt, interleaved, medians
from benchmarks.suites import twoloop as T
from fastopt._minimize.kernels import lbfgs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and samples")
    parser.add_argument("sizes", nargs="*", type=int, help=f"n (default {T.SIZES})")
    args = parser.parse_args()
    cython = T.twoloop_direction()
    blas = T.BlasThreads()
    default_threads = blas.get()
    T.direction_parallel(*T.history(16))  # numba picks its threading layer on first use
    print(f"numba {numba.__version__}: {numba.config.NUMBA_NUM_THREADS} threads"
          f" ({numba.threading_layer()} layer);"
          f" OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')};"
          f" {blas.describe() if blas.available else 'BLAS threads unknown'}")
    print(f"one direction() call, m={T.M} full wrapped history; medians of interleaved blocks;"
          " 'blas1' = OpenBLAS held to 1 thread, 'blasN' = its default"
          f" ({default_threads} threads)")
    head = (f"{'n':>9} | {'numba ser':>10} {'numba par':>10} {'cy blas1':>10} {'cy blasN':>10}"
            f" | {'blas1/ser':>9} {'blasN/par':>9} {'blasN/ser':>9}"
            f" | ns/elt: {'ser':>6} {'par':>6} {'blas1':>6} {'blasN':>6}")
    print(head)
    print("-" * len(head))
    for n in args.sizes or T.SIZES:
        a = T.history(n)
        T.check_agreement(a, {"numba parallel": T.direction_parallel, "cython+blas": cython})
        rounds, per_round = (2, 3) if args.quick else ((3, 3) if n >= 10 ** 7 else (4, 5))

        contenders = {"ser": lambda: lbfgs.direction(*a),
                      "par": lambda: T.direction_parallel(*a),
                      "blasN": lambda: cython(*a)}
        if blas.available:
            contenders["blas1"] = (lambda: cython(*a), lambda: blas.set(1),
                                   lambda: blas.set(default_threads))
        t = medians(interleaved(contenders, rounds, per_round=per_round, min_time=0.02,
                                settle=0.3, warm=True))
        t.setdefault("blas1", float("nan"))
        a = contenders = None  # free the history (1.6 GB at n = 1e7) before the next size

        print(f"{n:>9} | {fmt(t['ser']):>10} {fmt(t['par']):>10} {fmt(t['blas1']):>10}"
              f" {fmt(t['blasN']):>10}"
              f" | {t['blas1'] / t['ser']:9.2f} {t['blasN'] / t['par']:9.2f}"
              f" {t['blasN'] / t['ser']:9.2f} | ns/elt:"
              + "".join(f" {t[k] / n * 1e9:6.2f}" for k in ("ser", "par", "blas1", "blasN")))
    print("ratios > 1: the Cython+BLAS kernel is slower than the numba kernel it is divided by")
    print("(threaded numba and Cython+BLAS checked against lbfgs.direction to 1e-10 at every n)")


if __name__ == "__main__":
    main()
