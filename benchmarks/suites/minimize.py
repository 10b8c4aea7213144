"""Whole solves on Rosenbrock (n = 2): the compiled driver vs the Python driver.

Both receive the same numba-compiled objective; the Python driver is forced by
passing a callback that does nothing (any callback needs Python per iteration).
"""
import numpy as np

import fastopt
from fastopt.problems import PROBLEMS, TUNED_OPTIONS

P = PROBLEMS["rosenbrock"]


def _noop(intermediate_result):
    pass


class RosenbrockSolve:
    params = (["gd", "adam"],)
    param_names = ["method"]
    repeat = (5, 20, 30.0)

    def setup(self, method):
        self.options = {"maxiter": 50_000, **TUNED_OPTIONS[method]}
        self.x0 = np.array(P.x0)
        self.time_compiled(method)

    def _solve(self, fg, **kw):
        return fastopt.minimize(fg, self.x0, jac=True, method=self.method, options=self.options, **kw)

    def time_compiled(self, method):
        self.method = method
        self._solve(P.fg_jit)

    def time_python_driver(self, method):
        self.method = method
        self._solve(P.fg_jit, callback=_noop)

    def time_python_objective(self, method):
        self.method = method
        self._solve(P.fg)

    def track_nit(self, method):
        self.method = method
        return self._solve(P.fg_jit).nit
