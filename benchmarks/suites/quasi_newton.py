"""asv suites: bfgs and l-bfgs against scipy.optimize.minimize, in the same class.

* ``CompiledSolve``: a whole warm ``minimize`` on a numba-compiled objective
  (Rosenbrock n = 2 and extended Rosenbrock n = 100), fastopt's compiled path
  against scipy's BFGS / L-BFGS-B calling the same compiled function.
* ``LbfgsOwnCost``: l-bfgs's own cost per iteration, objective excluded, on a
  cheap separable quadratic with n = 1e6 and 1e7 and m = 10, against scipy's
  L-BFGS-B.  Both get the same NumPy objective and run a fixed number of
  iterations (no tolerance stops either); the steady-state cost is the
  difference of a 40- and a 10-iteration run less the objective's own time,
  measured alone.  ``track_*`` report nanoseconds per element per iteration.

Run as a script (``python benchmarks/bench_quasi_newton.py``) for medians and
ratios measured in one run, interleaving the peers.
"""
import time
import timeit

import numpy as np
import scipy.optimize as so

import fastopt
from fastopt import classic
from fastopt.problems import PROBLEMS

#: fastopt method -> scipy method.
PEER = {"l-bfgs": "L-BFGS-B", "bfgs": "BFGS"}


def _problem(name):
    if name == "rosenbrock_2":
        return PROBLEMS["rosenbrock"].fg_jit, np.array(PROBLEMS["rosenbrock"].x0)
    p = classic.get("ext_rosenbrock_100")
    return p.fg, np.array(p.x0)


class CompiledSolve:
    """Warm solves on a compiled objective: fastopt's compiled path vs scipy."""

    params = (["rosenbrock_2", "ext_rosenbrock_100"], ["l-bfgs", "bfgs"])
    param_names = ["problem", "method"]

    def setup(self, problem, method):
        self.fg, self.x0 = _problem(problem)
        self.method = method
        self.time_fastopt(problem, method)  # warm: compile and cache lookups
        self.time_scipy(problem, method)

    def time_fastopt(self, problem, method):
        fastopt.minimize(self.fg, self.x0, jac=True, method=self.method)

    def time_scipy(self, problem, method):
        so.minimize(self.fg, self.x0, jac=True, method=PEER[self.method])


def quadratic(n):
    """``f = sum c_i x_i^2 / 2``, curvatures c log-spaced in [1, 1e4]: cheap,
    separable, and ill-conditioned enough that 40 iterations do not solve it."""
    c = np.logspace(0.0, 4.0, n)

    def fg(x):
        g = c * x
        return 0.5 * float(np.dot(g, x)), g
    return fg


#: The two run lengths whose difference is timed: the first SHORT iterations
#: (which also allocate and first touch the history buffers) cancel out.
SHORT, LONG = 10, 40


def _run(library, fg, x0, iterations):
    options = {"maxiter": iterations, "gtol": 0.0, "ftol": 0.0, "maxcor": 10}
    if library == "fastopt":
        solve, method = fastopt.minimize, "l-bfgs"
    else:
        solve, method = so.minimize, "L-BFGS-B"
        options["maxfun"] = 10 * iterations
    t0 = time.perf_counter()
    res = solve(fg, x0, jac=True, method=method, options=options)
    return time.perf_counter() - t0, res


def own_cost(library, n, repeat=3):
    """Median ns per element per iteration spent outside the objective, in the
    steady state: (time of LONG iterations - time of SHORT iterations - the
    objective's time for the extra evaluations) / (extra iterations * n)."""
    fg = quadratic(n)
    x0 = np.ones(n)
    objective = min(timeit.repeat(lambda: fg(x0), number=1, repeat=5))
    costs = []
    for _ in range(repeat):
        t_short, short = _run(library, fg, x0, SHORT)
        t_long, long = _run(library, fg, x0, LONG)
        assert long.nit == LONG and short.nit == SHORT, (long.message, short.message)
        extra = t_long - t_short - objective * (long.nfev - short.nfev)
        costs.append(extra / ((LONG - SHORT) * n) * 1e9)
    return float(np.median(costs))


class LbfgsOwnCost:
    """l-bfgs's per-iteration cost beside the objective, vs scipy L-BFGS-B."""

    params = ([10 ** 6, 10 ** 7],)
    param_names = ["n"]
    timeout = 600
    number = 1
    repeat = 1

    def track_fastopt_ns_per_element(self, n):
        return own_cost("fastopt", n)

    def track_scipy_ns_per_element(self, n):
        return own_cost("scipy", n)

    track_fastopt_ns_per_element.unit = "ns"
    track_scipy_ns_per_element.unit = "ns"


def _median_pair(a, b, number, repeat):
    """Medians of two callables timed alternately (shared, noisy machines)."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(timeit.timeit(a, number=number) / number)
        tb.append(timeit.timeit(b, number=number) / number)
    return float(np.median(ta)), float(np.median(tb))


def main():
    print("Whole warm solve on a numba-compiled objective (medians, interleaved):")
    for problem in CompiledSolve.params[0]:
        fg, x0 = _problem(problem)
        for method, peer in PEER.items():
            ours = fastopt.minimize(fg, x0, jac=True, method=method)
            theirs = so.minimize(fg, x0, jac=True, method=peer)
            t_ours, t_theirs = _median_pair(
                lambda: fastopt.minimize(fg, x0, jac=True, method=method),
                lambda: so.minimize(fg, x0, jac=True, method=peer), number=20, repeat=15)
            print(f"  {problem:20s} {method:7s} {t_ours * 1e6:9.1f} us ({ours.nfev} nfev)   "
                  f"scipy {peer:9s} {t_theirs * 1e6:9.1f} us ({theirs.nfev} nfev)   "
                  f"ratio {t_theirs / t_ours:6.1f}x")
    print("l-bfgs own cost per iteration, objective excluded (median ns per element):")
    for n in LbfgsOwnCost.params[0]:
        ours = own_cost("fastopt", n, repeat=5)
        theirs = own_cost("scipy", n, repeat=5)
        print(f"  n = {n:.0e}: fastopt {ours:6.1f}   scipy L-BFGS-B {theirs:6.1f}   "
              f"fastopt / scipy = {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
