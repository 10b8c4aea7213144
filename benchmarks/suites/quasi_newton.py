"""asv suites: bfgs and l-bfgs against scipy.optimize.minimize, in the same class.

* ``CompiledSolve``: a whole warm ``minimize`` on a numba-compiled objective
  (Rosenbrock n = 2 and extended Rosenbrock n = 100), fastopt's compiled path
  against scipy's BFGS / L-BFGS-B calling the same compiled function.  The
  methods are the table's curvature methods that scipy has a peer for.
* ``LbfgsFixedIterations``: l-bfgs on a cheap separable quadratic with
  n = 1e6 and 1e7 and m = 10, against scipy's L-BFGS-B, both given the same
  NumPy objective and a fixed number of iterations (no tolerance stops
  either): a run of ``SHORT`` and one of ``LONG`` iterations of each library,
  and one evaluation of the objective alone (``setup_cache`` checks that
  every run does exactly its iterations).  l-bfgs's own cost per element
  per iteration, objective excluded, is derived from these:
  (LONG run - SHORT run - objective time x extra evaluations) /
  ((LONG - SHORT) n).  ``python -m benchmarks.scripts.quasi_newton`` prints it.
"""
import numpy as np
import scipy.optimize as so

import fastopt
from fastopt._minimize.table import CURVATURE
from fastopt.testing import classic
from fastopt.testing.problems import PROBLEMS

#: fastopt method -> its scipy peer, for the curvature methods that have one.
SCIPY_PEER = {"bfgs": "BFGS", "l-bfgs": "L-BFGS-B"}
assert set(SCIPY_PEER) <= set(CURVATURE)
#: The compared methods, in table order.
PEER = {m: SCIPY_PEER[m] for m in CURVATURE if m in SCIPY_PEER}

PROBLEM_NAMES = ["rosenbrock_2", "ext_rosenbrock_100"]


def problem(name):
    """``(fg, x0)`` of one of ``PROBLEM_NAMES``, ``fg`` numba-compiled."""
    if name == "rosenbrock_2":
        return PROBLEMS["rosenbrock"].fg_jit, np.array(PROBLEMS["rosenbrock"].x0)
    p = classic.get("ext_rosenbrock_100")
    return p.fg, np.array(p.x0)


class CompiledSolve:
    """Warm solves on a compiled objective: fastopt's compiled path vs scipy."""

    params = (PROBLEM_NAMES, list(PEER))
    param_names = ["problem", "method"]

    def setup(self, problem_name, method):
        self.fg, self.x0 = problem(problem_name)
        self.time_fastopt(problem_name, method)  # warm: compile and cache lookups
        self.time_scipy(problem_name, method)

    def time_fastopt(self, problem_name, method):
        fastopt.minimize(self.fg, self.x0, jac=True, method=method)

    def time_scipy(self, problem_name, method):
        so.minimize(self.fg, self.x0, jac=True, method=PEER[method])


def quadratic(n):
    """``f = sum c_i x_i^2 / 2``, curvatures c log-spaced in [1, 1e4]: cheap,
    separable, and ill-conditioned enough that 40 iterations do not solve it."""
    c = np.logspace(0.0, 4.0, n)

    def fg(x):
        g = c * x
        return 0.5 * float(np.dot(g, x)), g
    return fg


#: The two run lengths whose difference is the steady state: the first SHORT
#: iterations (which also allocate and first touch the history buffers) cancel out.
SHORT, LONG = 10, 40
LIBRARIES = ("fastopt", "scipy")


def run(library, fg, x0, iterations):
    """``iterations`` l-bfgs (m = 10) iterations of ``library``, no tolerance stop."""
    options = {"maxiter": iterations, "gtol": 0.0, "ftol": 0.0, "maxcor": 10}
    if library == "fastopt":
        return fastopt.minimize(fg, x0, jac=True, method="l-bfgs", options=options)
    options["maxfun"] = 10 * iterations
    return so.minimize(fg, x0, jac=True, method="L-BFGS-B", options=options)


def check_iterations(library, fg, x0):
    """Run both lengths once; assert each ran exactly its iterations.

    Returns the extra evaluations of the long run, ``nfev(LONG) - nfev(SHORT)``.
    """
    short = run(library, fg, x0, SHORT)
    long = run(library, fg, x0, LONG)
    assert long.nit == LONG and short.nit == SHORT, (library, long.message, short.message)
    return long.nfev - short.nfev


class LbfgsFixedIterations:
    """Seconds per fixed-length l-bfgs run (SHORT, LONG iterations) and per objective call."""

    params = ([10 ** 6, 10 ** 7],)
    param_names = ["n"]
    timeout = 900
    number = 1
    # scipy's 40 iterations at n = 1e7 take about a minute on a 2-core machine
    repeat = (2, 5, 120.0)

    def setup_cache(self):
        # Once per class, not per benchmark: every run length of each library
        # at each n does exactly its iterations (what makes the difference honest).
        return {(library, n): check_iterations(library, quadratic(n), np.ones(n))
                for n in self.params[0] for library in LIBRARIES}

    def setup(self, extra_evaluations, n):
        self.fg = quadratic(n)
        self.x0 = np.ones(n)
        run("fastopt", quadratic(16), np.ones(16), SHORT)  # compile / load (the same code at any n)

    def time_objective(self, extra_evaluations, n):
        self.fg(self.x0)

    def time_fastopt_short(self, extra_evaluations, n):
        run("fastopt", self.fg, self.x0, SHORT)

    def time_fastopt_long(self, extra_evaluations, n):
        run("fastopt", self.fg, self.x0, LONG)

    def time_scipy_short(self, extra_evaluations, n):
        run("scipy", self.fg, self.x0, SHORT)

    def time_scipy_long(self, extra_evaluations, n):
        run("scipy", self.fg, self.x0, LONG)
