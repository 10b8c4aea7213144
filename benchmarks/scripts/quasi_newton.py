"""bfgs and l-bfgs against scipy.optimize.minimize: medians and ratios from one run.

    python -m benchmarks.scripts.quasi_newton [--quick] [n ...]

* Whole warm solves on a numba-compiled objective (``suites.quasi_newton.
  CompiledSolve``'s problems and methods), fastopt and scipy interleaved.
* l-bfgs's own cost per iteration, objective excluded, on the cheap separable
  quadratic of ``LbfgsFixedIterations`` at n = 1e6 and 1e7 (or the sizes
  given), m = 10, against scipy's L-BFGS-B: per repeat, a run of SHORT and one
  of LONG iterations; the steady-state cost is (LONG - SHORT - the objective's
  own time, measured alone, for the extra evaluations) / ((LONG - SHORT) n),
  in ns per element; the median over the repeats.

``--quick``: fewer repeats.
"""
import argparse
import statistics

import numpy as np
import scipy.optimize as so

import fastopt
from benchmarks.scripts.timing import interleaved, medians, timed
from benchmarks.suites import quasi_newton as Q


def compiled_solves(repeat):
    print("Whole warm solve on a numba-compiled objective (medians, interleaved):")
    for name in Q.PROBLEM_NAMES:
        fg, x0 = Q.problem(name)
        for method, peer in Q.PEER.items():
            ours = fastopt.minimize(fg, x0, jac=True, method=method)
            theirs = so.minimize(fg, x0, jac=True, method=peer)
            t = medians(interleaved({
                "ours": lambda: fastopt.minimize(fg, x0, jac=True, method=method),
                "theirs": lambda: so.minimize(fg, x0, jac=True, method=peer)},
                rounds=repeat, number=20))
            print(f"  {name:20s} {method:7s} {t['ours'] * 1e6:9.1f} us ({ours.nfev} nfev)   "
                  f"scipy {peer:9s} {t['theirs'] * 1e6:9.1f} us ({theirs.nfev} nfev)   "
                  f"ratio {t['theirs'] / t['ours']:6.1f}x")


def own_cost(library, n, repeat):
    """Median ns per element per iteration spent outside the objective, in the
    steady state: (time of LONG iterations - time of SHORT iterations - the
    objective's time for the extra evaluations) / (extra iterations * n)."""
    fg = Q.quadratic(n)
    x0 = np.ones(n)
    extra_evaluations = Q.check_iterations(library, fg, x0)  # also compiles / loads
    objective = min(timed(lambda: fg(x0))[0] for _ in range(5))
    costs = []
    for _ in range(repeat):
        t_short, _ = timed(lambda: Q.run(library, fg, x0, Q.SHORT))
        t_long, _ = timed(lambda: Q.run(library, fg, x0, Q.LONG))
        extra = t_long - t_short - objective * extra_evaluations
        costs.append(extra / ((Q.LONG - Q.SHORT) * n) * 1e9)
    return statistics.median(costs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("sizes", nargs="*", type=int,
                        help="n of the own-cost runs (default: LbfgsFixedIterations.params)")
    args = parser.parse_args()
    compiled_solves(5 if args.quick else 15)
    print("l-bfgs own cost per iteration, objective excluded (median ns per element):")
    for n in args.sizes or Q.LbfgsFixedIterations.params[0]:
        repeat = 2 if args.quick else 5
        ours = own_cost("fastopt", n, repeat)
        theirs = own_cost("scipy", n, repeat)
        print(f"  n = {n:.0e}: fastopt {ours:6.1f}   scipy L-BFGS-B {theirs:6.1f}   "
              f"fastopt / scipy = {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
