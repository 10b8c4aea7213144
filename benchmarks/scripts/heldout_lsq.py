"""Robustness on held-out least-squares problems: fastopt vs scipy, ``method='lm'``.

The 44 problems of ``benchmarks.catalogues.heldout_lsq`` from the standard
start, default options and ``ftol = xtol = gtol = 1e-15``, default
finite-difference Jacobians: how many reach a known minimum, strictly and
within ``reached``'s absolute slack, and the median residual evaluations
(counted by a wrapper, over all problems and over those both reached) and
library ``nfev``; then every problem on which the two libraries disagree, and
the solves that pass only by the slack.  ``benchmarks.suites.heldout`` says
exactly what is counted; its asv class ``HeldoutLeastSquares`` tracks the same
counts from the same runs.

    python -m benchmarks.scripts.heldout_lsq [-v]

(``-v``: one line per problem and solver.)
"""
import argparse

from benchmarks.suites import heldout as H

PROBLEMS = H.LSQ_PROBLEMS


def main(verbose=False):
    outcomes = H.run_all_lsq()
    if verbose:
        for (setting, library), out in outcomes.items():
            for p, o in zip(PROBLEMS, out):
                verdict = "ok" if o.reached else "MISSED"
                print(f"  {setting:8s} {library:7s} {p.name:31s} {verdict:6s} "
                      f"f={o.f:<13.6e} evals={o.evaluations:<6d} nfev={o.nfev:<6d} "
                      f"status={o.status}" + ("" if o.reached else f"  {o.message}"))
    print(f"{len(PROBLEMS)} held-out problems (MGH 1981, residual form), method='lm', "
          f"finite-difference Jacobians; evals = calls of the residual function")
    print(f"{'setting':9s} {'library':8s} {'reached':>8s} {'strict':>7s} {'median evals':>13s} "
          f"{'median evals, both reached':>27s} {'median nfev':>12s}")
    rows = H.summary_lsq(outcomes)
    for setting, library, reached, strict, med_all, med_both, n_both, med_nfev in rows:
        print(f"{setting:9s} {library:8s} {reached:>5d}/{len(PROBLEMS)} {strict:>7d} {med_all:13.1f} "
              f"{med_both:20.1f} ({n_both:2d}) {med_nfev:12.1f}")
    print("(strict: nonzero minima matched to 1e-6 relative, without reached's 1e-8 absolute slack)")
    print("Problems where the two disagree (reached: f, evals, status):")
    any_ = False
    for setting in H.SETTINGS_LSQ:
        for k, p in enumerate(PROBLEMS):
            o = {lib: outcomes[setting, lib][k] for lib in H.LIBRARIES}
            if len({x.reached for x in o.values()}) > 1:
                any_ = True
                print(f"  {setting:8s} {p.name:31s} " + "; ".join(
                    f"{lib} {'ok' if x.reached else 'MISSED'} f={x.f:.6e} evals={x.evaluations} "
                    f"status={x.status}" + ("" if x.reached else f" ({x.message})")
                    for lib, x in o.items()))
    if not any_:
        print("  none")
    loose = [f"{setting} {library} {p.name} (f = {o.f:.6e})"
             for (setting, library), out in outcomes.items() for p, o in zip(PROBLEMS, out)
             if o.reached and not H.strictly_reached(p, o.f)]
    if loose:
        print("Reached only through the absolute tolerance: " + "; ".join(loose))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="one line per problem and solver")
    main(parser.parse_args().verbose)
