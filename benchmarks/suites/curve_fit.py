"""asv suite and script: curve_fit_batch against a Python loop over scipy's curve_fit.

The bar's problem: Gaussian plus linear background (5 parameters), 32 points
per curve, noisy data, no Jacobian supplied, one shared start.  Both fit the
same curves; the script also reports how far apart the fitted parameters are.

    python benchmarks/bench_curve_fit.py [N]

prints fits per second of each (medians of interleaved repeats) and the ratio;
``--single`` times one fit instead: ``curve_fit`` with a numba-compiled model
against scipy's ``curve_fit`` given the same model and its NumPy original.
"""
import sys
import time
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


class CurveFitSingle:
    """One small fit, the model numba-compiled: fastopt's curve_fit (compiled
    path) against scipy's, given the same compiled model and its NumPy
    original."""

    def setup(self):
        self.x, y, self.p0 = curves(1, seed=1)
        self.y = y[0]
        fastopt.curve_fit(peak_args, self.x, self.y, self.p0)  # compile the bridge

    def time_fastopt(self):
        fastopt.curve_fit(peak_args, self.x, self.y, self.p0)

    def time_scipy_compiled_model(self):
        so.curve_fit(peak_args, self.x, self.y, self.p0)

    def time_scipy_numpy_model(self):
        so.curve_fit(peak_scipy, self.x, self.y, self.p0)


def single():
    """Medians of interleaved timings of one fit, and the ratios."""
    x, y, p0 = curves(1, seed=1)
    y = y[0]
    runs = {"fastopt": lambda: fastopt.curve_fit(peak_args, x, y, p0),
            "scipy, compiled model": lambda: so.curve_fit(peak_args, x, y, p0),
            "scipy, NumPy model": lambda: so.curve_fit(peak_scipy, x, y, p0)}
    times = {name: [] for name in runs}
    for run in runs.values():
        run()
    for _ in range(15):
        for name, run in runs.items():
            t0 = time.perf_counter()
            for _ in range(100):
                run()
            times[name].append((time.perf_counter() - t0) / 100)
    ours = np.median(times["fastopt"])
    print("one fit (32 points, 5 parameters): fastopt %.1f us; " % (ours * 1e6) + "; ".join(
        f"{name} {np.median(t) * 1e6:.1f} us ({np.median(t) / ours:.1f}x)"
        for name, t in times.items() if name != "fastopt"))


def main():
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    x, y, p0 = curves(N)
    fits = fastopt.curve_fit_batch(peak, x, y, p0)
    ref = scipy_loop(x, y, p0)
    ours, theirs = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        fastopt.curve_fit_batch(peak, x, y, p0)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scipy_loop(x, y, p0)
        theirs.append(time.perf_counter() - t0)
    ours, theirs = np.median(ours), np.median(theirs)
    diff = np.abs(fits.popt - ref) / np.maximum(np.abs(ref), 1e-3)
    print(f"N = {N}, {numba.config.NUMBA_NUM_THREADS} threads: fastopt {N / ours:9.0f} fits/s, "
          f"scipy loop {N / theirs:7.0f} fits/s, ratio {theirs / ours:5.1f}x; "
          f"{fits.success.sum()}/{N} converged; median / max relative parameter "
          f"difference {np.median(diff):.1e} / {diff.max():.1e}")


if __name__ == "__main__":
    if "--single" in sys.argv:
        single()
    else:
        main()
