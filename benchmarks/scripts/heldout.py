"""Robustness on the held-out classic problems: fastopt vs scipy.optimize.minimize.

For each of the 44 problems of ``benchmarks.catalogues.heldout`` (never used
while developing the solvers), from the standard start, count how often each
solver reaches a known minimum (``Problem.reached``) and the median number of
function evaluations, with default options and with tight tolerances; the
solvers are the curvature methods with a scipy peer (bfgs, l-bfgs) and those
peers.  Both libraries get the same compiled objective returning ``(f, g)``.
The runs are ``benchmarks.suites.heldout``'s (asv: ``HeldoutMinimize``).

    python -m benchmarks.scripts.heldout [-v]

(``-v``: one line per problem.)
"""
import argparse

from benchmarks.catalogues import heldout as catalogue
from benchmarks.suites import heldout


def main(verbose=False):
    outcomes = heldout.run_all_minimize()
    if verbose:
        for (setting, label), out in outcomes.items():
            for p, (ok, nfev) in zip(catalogue.PROBLEMS, out):
                verdict = "ok" if ok else "MISSED"
                print(f"  {setting:8s} {label:15s} {p.name:32s} {verdict:6s} {nfev}")
    print(f"{'setting':9s} {'solver':15s} {'reached':>9s} {'median nfev':>12s}")
    for setting, label, reached, median in heldout.summary_minimize(outcomes):
        print(f"{setting:9s} {label:15s} {reached:>6d}/{len(catalogue.PROBLEMS)} {median:12.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per problem")
    main(parser.parse_args().verbose)
