"""Whole solves on Rosenbrock (n = 2): the compiled driver, its floor, its fixed cost.

* ``RosenbrockSolve``: every first-order method of the table, tuned options
  (``fastopt.testing.problems.TUNED_OPTIONS``), the same numba-compiled
  objective on the compiled driver and on the Python driver (forced by a
  callback that does nothing: any callback needs Python per iteration), and
  the plain Python objective.
* ``FirstOrderFloor``: Adam, exactly 3000 iterations, through
  ``fastopt.minimize`` against a hand-written ``@numba.njit`` Adam loop
  calling the same compiled objective 3001 times with the same arithmetic
  (the final x is identical, checked in ``setup``): what the compiled loop
  costs beyond the loop anyone would write.
* ``FixedCost``: a call that does no iteration (``l-bfgs``, ``maxiter=0``)
  against one plain call of the compiled objective from Python (the floor of
  any call) and scipy's L-BFGS-B given ``maxiter=0`` (which still takes one
  iteration: see ``scipy_fixed_cost``); fastopt's ``maxiter=1`` beside it.

``python -m benchmarks.scripts.floor`` prints the last two as ns per
iteration and microseconds per call, with ratios, from one run.  The
objective lives in this file because numba caches only functions that have one.
"""
import numba
import numpy as np
import scipy.optimize as so

import fastopt
from fastopt._minimize.table import FIRST_ORDER, METHODS
from fastopt.testing.problems import PROBLEMS, TUNED_OPTIONS

P = PROBLEMS["rosenbrock"]


def _noop(intermediate_result):
    pass


class RosenbrockSolve:
    """Seconds per solve of Rosenbrock from the standard start, per first-order method."""

    params = (list(FIRST_ORDER),)
    param_names = ["method"]
    repeat = (5, 20, 30.0)
    timeout = 300

    def setup(self, method):
        self.options = {"maxiter": 50_000, **TUNED_OPTIONS[method]}
        self.x0 = np.array(P.x0)
        self.time_compiled(method)

    def _solve(self, method, fg, **kw):
        return fastopt.minimize(fg, self.x0, jac=True, method=method, options=self.options, **kw)

    def time_compiled(self, method):
        self._solve(method, P.fg_jit)

    def time_python_driver(self, method):
        self._solve(method, P.fg_jit, callback=_noop)

    def time_python_objective(self, method):
        self._solve(method, P.fg)

    def track_nit(self, method):
        return self._solve(method, P.fg_jit).nit


# --- the floor of a first-order loop -------------------------------------------

@numba.njit(cache=True)
def rosen(x):
    a = x[1] - x[0] * x[0]
    g = np.empty(2)
    g[0] = -400.0 * x[0] * a - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * a
    return 100.0 * a * a + (1.0 - x[0]) ** 2, g


@numba.njit(cache=True)
def hand_adam(x0, lr, b1, b2, eps, iters):
    n = x0.size
    x = x0.copy()
    m = np.zeros(n)
    v = np.zeros(n)
    p1 = 1.0
    p2 = 1.0
    f, g = rosen(x)
    for t in range(iters):
        p1 *= b1
        p2 *= b2
        step = lr / (1.0 - p1)
        rbc2 = 1.0 / np.sqrt(1.0 - p2)
        for i in range(n):
            gi = g[i]
            mi = b1 * m[i] + (1.0 - b1) * gi
            vi = b2 * v[i] + (1.0 - b2) * gi * gi
            m[i] = mi
            v[i] = vi
            x[i] = x[i] - step * mi / (np.sqrt(vi) * rbc2 + eps)
        f, g = rosen(x)
    return x


X0 = (-1.2, 1.0)
ITERATIONS = 3000
LR = 1e-3
#: fastopt's Adam defaults (the hand-written loop gets the same numbers).
ADAM = METHODS["adam"].options


def adam_fastopt(x0):
    """``ITERATIONS`` Adam steps through ``fastopt.minimize`` (no tolerance stop)."""
    return fastopt.minimize(rosen, x0, jac=True, method="adam",
                            options={"lr": LR, "maxiter": ITERATIONS, "gtol": 0.0})


def adam_hand(x0):
    """The same steps by the hand-written compiled loop; returns x."""
    return hand_adam(x0, LR, ADAM["beta1"], ADAM["beta2"], ADAM["eps"], ITERATIONS)


def check_same_iterates(x0):
    """Assert that both loops end at the identical x (and that fastopt ran them all)."""
    res = adam_fastopt(x0)
    x = adam_hand(x0)
    assert res.nit == ITERATIONS and res.nfev == ITERATIONS + 1, (res.nit, res.nfev, res.message)
    assert np.array_equal(res.x, x), (res.x, x)
    return res


class FirstOrderFloor:
    """Adam, 3000 iterations on a compiled Rosenbrock: fastopt.minimize vs a hand-written njit loop."""

    repeat = (5, 20, 30.0)

    def setup(self):
        self.x0 = np.array(X0)
        check_same_iterates(self.x0)  # also compiles / loads both

    def time_fastopt(self):
        adam_fastopt(self.x0)

    def time_hand_written(self):
        adam_hand(self.x0)


# --- the fixed cost of a compiled solve ------------------------------------------

def fixed_cost_fastopt(x0, maxiter=0):
    return fastopt.minimize(rosen, x0, jac=True, method="l-bfgs", options={"maxiter": maxiter})


def scipy_fixed_cost(x0):
    """scipy's L-BFGS-B call for the comparison, and the ``maxiter`` it takes.

    ``maxiter=0`` is asked for; if scipy rejects it, ``maxiter=1``.  (scipy
    1.17 accepts 0 but checks the limit only after its first iteration, so it
    still takes one: ``nit=1``, 3 evaluations.)  Returns ``(call, maxiter, result)``.
    """
    for maxiter in (0, 1):
        options = {"maxiter": maxiter}
        try:
            res = so.minimize(rosen, x0, jac=True, method="L-BFGS-B", options=options)
        except Exception:  # noqa: BLE001 - any refusal: try the next limit
            continue
        return (lambda: so.minimize(rosen, x0, jac=True, method="L-BFGS-B", options=options),
                maxiter, res)
    raise RuntimeError("scipy's L-BFGS-B accepts neither maxiter=0 nor maxiter=1")


class FixedCost:
    """Seconds per call that does no iteration: fastopt l-bfgs maxiter=0, the objective, scipy."""

    repeat = (10, 30, 30.0)

    def setup(self):
        self.x0 = np.array(X0)
        rosen(self.x0)
        fixed_cost_fastopt(self.x0)  # compile / load
        fixed_cost_fastopt(self.x0, 1)
        self.scipy_call, self.scipy_maxiter, _ = scipy_fixed_cost(self.x0)

    def time_fastopt_maxiter0(self):
        fixed_cost_fastopt(self.x0)

    def time_fastopt_maxiter1(self):
        fixed_cost_fastopt(self.x0, 1)

    def time_objective_call(self):
        rosen(self.x0)

    def time_scipy_maxiter0(self):
        self.scipy_call()
