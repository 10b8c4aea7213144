"""Robustness on the held-out classic problems: fastopt vs scipy.optimize.minimize.

For each of the 44 problems of ``heldout_problems.py`` (never used while
developing the solvers), from the standard start, count how often each solver
reaches a known minimum (``Problem.reached``) and the median number of
function evaluations, with default options and with tight tolerances.  Both
libraries get the same Python objective returning ``(f, g)``.

Run: ``python benchmarks/heldout.py`` (add ``-v`` for one line per problem).
"""
import sys
import warnings

import numpy as np
import scipy.optimize as so

import fastopt

try:
    from benchmarks.heldout_problems import PROBLEMS
except ImportError:  # run as a script from the benchmarks folder
    from heldout_problems import PROBLEMS

TIGHT = {"gtol": 1e-12, "maxiter": 100_000}
#: (label, library, method, options with defaults, options when tight)
SOLVERS = [
    ("fastopt bfgs", "fastopt", "bfgs", {}, TIGHT),
    ("scipy BFGS", "scipy", "BFGS", {}, TIGHT),
    ("fastopt l-bfgs", "fastopt", "l-bfgs", {}, {**TIGHT, "ftol": 1e-15}),
    ("scipy L-BFGS-B", "scipy", "L-BFGS-B", {}, {**TIGHT, "ftol": 1e-15, "maxfun": 100_000}),
]


def run(problem, library, method, options):
    solve = fastopt.minimize if library == "fastopt" else so.minimize
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = solve(problem.fg, np.array(problem.x0), jac=True, method=method, options=options)
    return problem.reached(res.fun), res.nfev


def main(verbose=False):
    rows = []
    for setting in ("defaults", "tight"):
        for label, library, method, default, tight in SOLVERS:
            options = default if setting == "defaults" else tight
            outcomes = [run(p, library, method, options) for p in PROBLEMS]
            if verbose:
                for p, (ok, nfev) in zip(PROBLEMS, outcomes):
                    print(f"  {setting:8s} {label:15s} {p.name:32s} {'ok' if ok else 'MISSED':6s} {nfev}")
            reached = sum(ok for ok, _ in outcomes)
            median = float(np.median([nfev for _, nfev in outcomes]))
            rows.append((setting, label, reached, median))
    print(f"{'setting':9s} {'solver':15s} {'reached':>9s} {'median nfev':>12s}")
    for setting, label, reached, median in rows:
        print(f"{setting:9s} {label:15s} {reached:>6d}/{len(PROBLEMS)} {median:12.1f}")


if __name__ == "__main__":
    main("-v" in sys.argv)
