"""curve_fit_batch against a Python loop over scipy's curve_fit: medians and ratios from one run.

    python -m benchmarks.scripts.curve_fit [N]
    python -m benchmarks.scripts.curve_fit --single

The problems are ``suites.curve_fit``'s.  By default N = 2000 curves: fits per
second of each (medians of interleaved repeats), the ratio, how many
converged and how far apart the fitted parameters are.  ``--single`` times
one fit instead: ``curve_fit`` with a numba-compiled model against scipy's
``curve_fit`` given the same model and its NumPy original.
"""
import argparse

import numba
import numpy as np

import fastopt
from benchmarks.scripts.timing import interleaved, medians
from benchmarks.suites import curve_fit as C


def single():
    """Medians of interleaved timings of one fit, and the ratios."""
    runs = C.single_fits(*C.single_data())
    for run in runs.values():
        run()
    t = medians(interleaved(runs, rounds=15, number=100))
    ours = t["fastopt"]
    print("one fit (32 points, 5 parameters): fastopt %.1f us; " % (ours * 1e6) + "; ".join(
        f"{name} {s * 1e6:.1f} us ({s / ours:.1f}x)" for name, s in t.items() if name != "fastopt"))


def batch(N):
    x, y, p0 = C.curves(N)
    fits = fastopt.curve_fit_batch(C.peak, x, y, p0)
    ref = C.scipy_loop(x, y, p0)
    t = medians(interleaved({"ours": lambda: fastopt.curve_fit_batch(C.peak, x, y, p0),
                             "theirs": lambda: C.scipy_loop(x, y, p0)}, rounds=5))
    ours, theirs = t["ours"], t["theirs"]
    diff = np.abs(fits.popt - ref) / np.maximum(np.abs(ref), 1e-3)
    print(f"N = {N}, {numba.config.NUMBA_NUM_THREADS} threads: fastopt {N / ours:9.0f} fits/s, "
          f"scipy loop {N / theirs:7.0f} fits/s, ratio {theirs / ours:5.1f}x; "
          f"{fits.success.sum()}/{N} converged; median / max relative parameter "
          f"difference {np.median(diff):.1e} / {diff.max():.1e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("N", nargs="?", type=int, default=C.CurveFitBatch.params[0][0],
                        help="number of curves (default %(default)s)")
    parser.add_argument("--single", action="store_true", help="time one fit instead")
    args = parser.parse_args()
    if args.single:
        single()
    else:
        batch(args.N)


if __name__ == "__main__":
    main()
