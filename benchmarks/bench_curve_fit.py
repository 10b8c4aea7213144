"""asv suite and script: curve_fit_batch against a Python loop over scipy's curve_fit.

The bar's problem: Gaussian plus linear background (5 parameters), 32 points
per curve, noisy data, no Jacobian supplied, one shared start.  Both fit the
same curves; the script also reports how far apart the fitted parameters are.

    python benchmarks/bench_curve_fit.py [N]

prints fits per second of each (medians of interleaved repeats) and the ratio.
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
    main()
