"""The compiled solve at the floor: a first-order loop, and a call that does no iteration.

    python -m benchmarks.scripts.floor [--quick]

Both from ``suites.minimize`` (asv: ``FirstOrderFloor``, ``FixedCost``), the
contenders interleaved, medians (and minima) of samples of many calls each,
all from this run:

* Adam on a numba-compiled Rosenbrock, n = 2, exactly 3000 iterations:
  ``fastopt.minimize(rosen, x0, jac=True, method='adam', options={'lr': 1e-3,
  'maxiter': 3000, 'gtol': 0.0})`` against a hand-written ``@numba.njit``
  Adam loop calling the same objective 3001 times with the same arithmetic
  (the final x is identical, asserted first): ns per iteration of each and
  the ratio fastopt / hand-written.
* The fixed cost of a compiled solve: ``l-bfgs`` with ``maxiter=0`` (and 1),
  in microseconds per call, beside the floor of any call, one plain call of
  the compiled objective from Python, and scipy's L-BFGS-B given the same
  objective and ``maxiter=0`` (scipy checks the limit only after its first
  iteration, so that call still takes one: the line printed says what it did).

``--quick``: fewer samples.
"""
import argparse

import numpy as np

from benchmarks.scripts.timing import interleaved
from benchmarks.suites import minimize as M


def _stats(samples):
    return float(np.median(samples)), float(np.min(samples))


def first_order_floor(rounds):
    x0 = np.array(M.X0)
    res = M.check_same_iterates(x0)
    samples = interleaved({"fastopt": lambda: M.adam_fastopt(x0),
                           "hand": lambda: M.adam_hand(x0)}, rounds, min_time=0.05)
    (ours, ours_min), (hand, hand_min) = _stats(samples["fastopt"]), _stats(samples["hand"])
    per = 1e9 / M.ITERATIONS
    print(f"Adam, {M.ITERATIONS} iterations on a compiled Rosenbrock (n = 2), lr = {M.LR:g};"
          f" final x identical ({res.x[0]:.12g}, {res.x[1]:.12g}), {res.nfev} evaluations each")
    print(f"  fastopt.minimize       {ours * per:7.1f} ns/iteration (min {ours_min * per:7.1f})"
          f"   {ours * 1e6:8.1f} us per solve")
    print(f"  hand-written njit loop {hand * per:7.1f} ns/iteration (min {hand_min * per:7.1f})"
          f"   {hand * 1e6:8.1f} us per solve")
    print(f"  fastopt / hand-written = {ours / hand:.2f}x (medians), {ours_min / hand_min:.2f}x"
          f" (minima); fastopt's excess {(ours - hand) * per:.1f} ns/iteration")


def fixed_cost(rounds):
    x0 = np.array(M.X0)
    M.rosen(x0)
    r0, r1 = M.fixed_cost_fastopt(x0), M.fixed_cost_fastopt(x0, 1)
    scipy_call, scipy_maxiter, rs = M.scipy_fixed_cost(x0)
    contenders = {"fastopt l-bfgs maxiter=0": lambda: M.fixed_cost_fastopt(x0),
                  "fastopt l-bfgs maxiter=1": lambda: M.fixed_cost_fastopt(x0, 1),
                  "objective call rosen(x0)": lambda: M.rosen(x0),
                  f"scipy L-BFGS-B maxiter={scipy_maxiter}": scipy_call}
    what = {"fastopt l-bfgs maxiter=0": f"nit={r0.nit}, nfev={r0.nfev}",
            "fastopt l-bfgs maxiter=1": f"nit={r1.nit}, nfev={r1.nfev}",
            "objective call rosen(x0)": "the floor of any call from Python",
            f"scipy L-BFGS-B maxiter={scipy_maxiter}": f"nit={rs.nit}, nfev={rs.nfev}"}
    samples = interleaved(contenders, rounds, min_time=0.05)
    stats = {k: _stats(v) for k, v in samples.items()}
    print("\nFixed cost of a call (compiled Rosenbrock, n = 2; us per call, median of samples"
          " of many calls, min)")
    for name, (med, low) in stats.items():
        print(f"  {name:26s} {med * 1e6:8.2f} us (min {low * 1e6:8.2f})   {what[name]}")
    zero = stats["fastopt l-bfgs maxiter=0"][0]
    one = stats["fastopt l-bfgs maxiter=1"][0]
    floor = stats["objective call rosen(x0)"][0]
    scipy = stats[f"scipy L-BFGS-B maxiter={scipy_maxiter}"][0]
    print(f"  fastopt maxiter=0 / objective call = {zero / floor:.1f}x"
          f" (+{(zero - floor) * 1e6:.2f} us beyond the call itself)")
    print(f"  scipy maxiter={scipy_maxiter} / fastopt maxiter=0 = {scipy / zero:.1f}x;"
          f" scipy / fastopt maxiter=1 (one iteration each) = {scipy / one:.1f}x")
    if scipy_maxiter != 0:
        print("  (scipy's L-BFGS-B refused maxiter=0: it was given maxiter=1)")
    elif rs.nit > 0:
        print(f"  (scipy's L-BFGS-B accepts maxiter=0 but still iterates: nit={rs.nit},"
              f" {rs.nfev} evaluations; fastopt's maxiter=1 is the like-for-like call)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    rounds = 5 if parser.parse_args().quick else 21
    first_order_floor(rounds)
    fixed_cost(rounds)


if __name__ == "__main__":
    main()
