"""``python -m fastopt``: race the methods on the lecture notes' test surfaces.

``python -m fastopt --nist`` prints instead the NIST StRD certification
table: fastopt's curve_fit and scipy's, defaults, on all 54 fits;
``python -m fastopt --methods`` the README's tables of methods, made from
the table of methods.

For each surface and method the table gives the status, iterations, function
evaluations, distance to the nearest known minimum, and the median wall time of
a solve on both drivers: a plain Python objective, and the same objective
compiled with numba (whole loop compiled).
"""
import argparse
import time

import numpy as np

import fastopt
from fastopt._core.status import Status
from fastopt._minimize.table import CURVATURE, FIRST_ORDER
from fastopt.testing.problems import PROBLEMS, TUNED_OPTIONS

#: Every method of the table with its options: the curvature methods need none.
RACE = {**{method: {} for method in CURVATURE},
        **{method: TUNED_OPTIONS[method] for method in FIRST_ORDER}}


def _median_time(solve, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        solve()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def _fmt_time(seconds):
    return f"{seconds * 1e3:9.3f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:9.1f} us"


def race(repeats=3, maxiter=50_000):
    """Print the race table; return the rows (method, problem, result, t_py, t_jit)."""
    rows = []
    print(f"{'surface':<11} {'method':<10} {'status':<8} {'nit':>6} {'nfev':>6} "
          f"{'|x - x*|':>9} {'python':>12} {'compiled':>12} {'speed-up':>8}")
    for pname, p in PROBLEMS.items():
        for method, options in RACE.items():
            opts = {"maxiter": maxiter, **options}

            def solve(fg):
                return fastopt.minimize(fg, p.x0, jac=True, method=method, options=opts)

            res = solve(p.fg_jit)  # also warms the compiled path
            t_py = _median_time(lambda: solve(p.fg), repeats)
            t_jit = _median_time(lambda: solve(p.fg_jit), max(repeats, 5))
            dist = np.linalg.norm(res.x - p.nearest_minimum(res.x))
            status = "ok" if res.success else Status(res.status).name.lower()
            print(f"{pname:<11} {method:<10} {status:<8} {res.nit:6d} {res.nfev:6d} "
                  f"{dist:9.1e} {_fmt_time(t_py)} {_fmt_time(t_jit)} {t_py / t_jit:7.0f}x")
            rows.append((method, pname, res, t_py, t_jit))
        print()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m fastopt", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per cell (median)")
    parser.add_argument("--nist", action="store_true",
                        help="print the NIST StRD certification table instead")
    parser.add_argument("--methods", action="store_true",
                        help="print the tables of methods (markdown) instead")
    args = parser.parse_args(argv)
    if args.methods:
        from fastopt._minimize.show import markdown
        print(markdown())
        return
    if args.nist:
        from fastopt.datasets.certify import table
        print(f"fastopt {fastopt.__version__}: NIST StRD nonlinear regression, curve_fit "
              f"with defaults and no Jacobian, from both starts\n")
        table()
        return
    print(f"fastopt {fastopt.__version__}: every method on the notes' test surfaces "
          f"(first-order options: fastopt.testing.problems.TUNED_OPTIONS)\n")
    race(repeats=args.repeats)


if __name__ == "__main__":
    main()
