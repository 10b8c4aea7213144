"""Finite-difference gradients on the held-out problems, fastopt vs scipy
(``benchmarks.suites.heldout_fd`` says what is run and counted).

    python -m benchmarks.scripts.heldout_fd [-v]

(``-v``: one line per problem.)
"""
import argparse

from benchmarks.suites import heldout_fd


def main(verbose=False):
    outcomes = heldout_fd.run_all()
    if verbose:
        for (method, library), out in outcomes.items():
            scipy = outcomes[method, "scipy"]
            for p, o, s in zip(heldout_fd.PROBLEMS, out, scipy):
                verdict = "ok" if o.reached else "MISSED"
                print(f"  {method:7s} {library:8s} {p.name:32s} {verdict:6s} "
                      f"success={o.success!s:5s} status={o.status!s:8s} calls={o.calls:8d} "
                      f"({o.calls / s.calls:5.2f}x scipy)")
    n = len(heldout_fd.PROBLEMS)
    print(f"{'method':8s} {'library':8s} {'reached':>8s} {'success':>8s} {'median calls':>13s} "
          f"{'calls/scipy: median':>20s} {'worst':>7s}")
    for method, library, reached, success, median, ratio, worst in heldout_fd.summary(outcomes):
        print(f"{method:8s} {library:8s} {reached:>5d}/{n} {success:>5d}/{n} {median:13.1f} "
              f"{ratio:19.2f}x {worst:6.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per problem")
    main(parser.parse_args().verbose)
