"""asv suites: curve_fit_batch against a Python loop over scipy's curve_fit, and one fit.

The bar's problem: Gaussian plus linear background (5 parameters), 32 points
per curve, noisy data, no Jacobian supplied, one shared start.  Both fit the
same curves.

* ``CurveFitBatch``: N = 2000 curves, ``fastopt.curve_fit_batch`` against a
  Python loop over ``scipy.optimize.curve_fit``;
* ``CurveFitSingle``: one fit, ``fastopt.curve_fit`` with a numba-compiled
  model against scipy's ``curve_fit`` given the same compiled model and its
  NumPy original.

``python -m benchmarks.scripts.curve_fit [N]`` prints fits per second of each
(medians of interleaved repeats), the ratio and how far apart the fitted
parameters are; ``--single`` times one fit instead.
"""
import warnings

import numba
import numpy as np
import scipy.optimize as so

import fastopt


@numba.njit
def peak(x, p):
    return p[0] * np.exp(-0.5 * ((x - p[1]) / p[2]) ** 2) + p[3] + p[4] * x


def peak_scipy(x, a, mu, s, c0, c1):
    return a * np.exp(-0.5 * ((x - mu) / s) ** 2) + c0 + c1 * x


def curves(N, seed=0):
    """N noisy curves with random true parameters, and the shared start."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-5.0, 5.0, 32)
    true = np.column_stack([rng.uniform(2, 4, N), rng.uniform(-1, 1, N), rng.uniform(0.7, 1.5, N),
                            rng.uniform(0, 1, N), rng.uniform(-0.1, 0.1, N)])
    y = np.array([peak(x, p) for p in true]) + 0.05 * rng.standard_normal((N, x.size))
    return x, y, np.array([3.0, 0.0, 1.0, 0.5, 0.0])


def scipy_loop(x, y, p0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.array([so.curve_fit(peak_scipy, x, yk, p0)[0] for yk in y])


class CurveFitBatch:
    """Fits per second: curve_fit_batch vs a loop over scipy.optimize.curve_fit."""

    params = ([2000],)
    param_names = ["N"]
    timeout = 600

    def setup(self, N):
        self.x, self.y, self.p0 = curves(N)
        fastopt.curve_fit_batch(peak, self.x, self.y[:2], self.p0)  # load the compiled code

    def time_fastopt_batch(self, N):
        fastopt.curve_fit_batch(peak, self.x, self.y, self.p0)

    def time_scipy_loop(self, N):
        scipy_loop(self.x, self.y, self.p0)


@numba.njit
def peak_args(x, a, mu, s, c0, c1):
    return a * np.exp(-0.5 * ((x - mu) / s) ** 2) + c0 + c1 * x


def single_data():
    """``(x, y, p0)`` of the one-fit problem."""
    x, y, p0 = curves(1, seed=1)
    return x, y[0], p0


def single_fits(x, y, p0):
    """One fit each way, by name: the contenders of ``CurveFitSingle``."""
    return {"fastopt": lambda: fastopt.curve_fit(peak_args, x, y, p0),
            "scipy, compiled model": lambda: so.curve_fit(peak_args, x, y, p0),
            "scipy, NumPy model": lambda: so.curve_fit(peak_scipy, x, y, p0)}


class CurveFitSingle:
    """One small fit, the model numba-compiled: fastopt's curve_fit (compiled
    path) against scipy's, given the same compiled model and its NumPy
    original."""

    def setup(self):
        self.fits = single_fits(*single_data())
        self.fits["fastopt"]()  # compile the bridge

    def time_fastopt(self):
        self.fits["fastopt"]()

    def time_scipy_compiled_model(self):
        self.fits["scipy, compiled model"]()

    def time_scipy_numpy_model(self):
        self.fits["scipy, NumPy model"]()
