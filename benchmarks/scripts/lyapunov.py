"""fastopt.solve_lyapunov against scipy.linalg.solve_continuous_lyapunov, one run.

    python -m benchmarks.scripts.lyapunov [n ...]

Per problem of ``suites.lyapunov`` (spd, general, general_q) and ``n``
(default 200 500 1000): the medians of interleaved repeats (fastopt, scipy,
fastopt, ...), the ratio scipy / fastopt, and both relative residuals
``||A X + X A^T - Q||_F / ||Q||_F``.  ``OPENBLAS_NUM_THREADS=1`` gives
steadier figures on a shared machine (see the suite's docstring).
"""
import argparse

import scipy.linalg as sl

import fastopt
from benchmarks.scripts.timing import interleaved, medians
from benchmarks.suites import lyapunov as L


def compare(kind, n, repeat):
    A, Q = L.problem(kind, n)
    X = fastopt.solve_lyapunov(A, Q)
    Xs = sl.solve_continuous_lyapunov(A, Q)
    t = medians(interleaved({"ours": lambda: fastopt.solve_lyapunov(A, Q),
                             "theirs": lambda: sl.solve_continuous_lyapunov(A, Q)}, repeat))
    return t["ours"], t["theirs"], L.residual(A, X, Q), L.residual(A, Xs, Q)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="n (default 200 500 1000)")
    sizes = parser.parse_args().sizes or [200, 500, 1000]
    fastopt.solve_lyapunov(*L.problem("general", 60))  # compile / load outside the timings
    fastopt.solve_lyapunov(*L.problem("spd", 4))
    print(f"{'problem':10s} {'n':>5s} {'fastopt ms':>11s} {'scipy ms':>10s} {'ratio':>7s} "
          f"{'residual fastopt':>17s} {'residual scipy':>15s}")
    for kind in L.KINDS:
        for n in sizes:
            repeat = 41 if n <= 200 else 11 if n <= 500 else 5
            ours, theirs, r_ours, r_theirs = compare(kind, n, repeat)
            print(f"{kind:10s} {n:5d} {ours * 1e3:11.1f} {theirs * 1e3:10.1f} {theirs / ours:6.2f}x "
                  f"{r_ours:17.1e} {r_theirs:15.1e}")


if __name__ == "__main__":
    main()
