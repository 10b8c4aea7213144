"""Finite-difference gradients on the held-out problems: fastopt vs scipy.

``minimize(f, x0)`` with no gradient is the most common call there is.  For
each of the 44 problems of ``catalogues.heldout``, from the standard start,
with default options, each curvature method with a scipy peer
(``quasi_newton.PEER``: bfgs, l-bfgs) and that peer (BFGS, L-BFGS-B) are
given the same plain Python ``f`` (the problem's value only) and left to
difference it.  Counted: how often each reaches a known minimum
(``Problem.reached``), how often it reports ``success``, the median number of
calls of ``f`` (counted by a wrapper, so both libraries are counted alike),
and fastopt's calls as a multiple of scipy's on each problem.  A run that
makes more than ``CAP`` times scipy's calls on a problem is stopped there
and counted as a runaway (a miss).

``python -m benchmarks.scripts.heldout_fd`` prints the table (``-v``: one
line per problem).  Nothing is timed; asv ``track_`` counts.
"""
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.optimize as so

import fastopt

from ..catalogues import heldout
from .quasi_newton import PEER

PROBLEMS = heldout.PROBLEMS
#: A fastopt run stops (a runaway, counted as a miss) past this multiple of scipy's calls.
CAP = 50
_LIBRARIES = {"fastopt": fastopt.minimize, "scipy": so.minimize}


class _Runaway(Exception):
    pass


class Value:
    """The problem's value alone, as a user's plain ``f``; counts its calls
    and raises ``_Runaway`` past ``cap`` of them."""

    def __init__(self, fg, cap=None):
        self.fg = fg
        self.calls = 0
        self.cap = cap

    def __call__(self, x):
        self.calls += 1
        if self.cap is not None and self.calls > self.cap:
            raise _Runaway
        return self.fg(x)[0]


@dataclass
class Outcome:
    """One solve from the standard start."""

    reached: bool
    success: bool
    calls: int      # calls of f
    status: object  # the result's status, or "runaway"


def run(problem, library, method, cap=None):
    """Solve ``problem`` with ``library``'s ``method`` and a differenced gradient."""
    f = Value(problem.fg, cap)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            res = _LIBRARIES[library](f, np.array(problem.x0), method=method)
        except _Runaway:
            return Outcome(False, False, f.calls, "runaway")
    return Outcome(bool(problem.reached(float(res.fun))), bool(res.success), f.calls,
                   res.status)


def run_all():
    """Outcomes in catalogue order, keyed by (fastopt method, library)."""
    out = {}
    for method, peer in PEER.items():
        scipy = [run(p, "scipy", peer) for p in PROBLEMS]
        out[method, "scipy"] = scipy
        out[method, "fastopt"] = [run(p, "fastopt", method, CAP * max(s.calls, 100))
                                  for p, s in zip(PROBLEMS, scipy)]
    return out


def summary(outcomes):
    """Rows (method, library, reached, success, median calls, median and worst
    of the per-problem ratios of calls to scipy's)."""
    rows = []
    for method in PEER:
        scipy = outcomes[method, "scipy"]
        for library in _LIBRARIES:
            out = outcomes[method, library]
            ratios = [o.calls / s.calls for o, s in zip(out, scipy)]
            rows.append((method, library, sum(o.reached for o in out),
                         sum(o.success for o in out), float(np.median([o.calls for o in out])),
                         float(np.median(ratios)), max(ratios)))
    return rows


class HeldoutFiniteDifferences:
    """asv: known minima reached, successes and median calls of ``f`` with
    differenced gradients, bfgs and l-bfgs beside scipy's peers."""

    params = (list(PEER), list(_LIBRARIES))
    param_names = ["method", "library"]
    timeout = 900

    def setup_cache(self):
        return run_all()

    def track_reached(self, outcomes, method, library):
        return sum(o.reached for o in outcomes[method, library])

    track_reached.unit = "problems"

    def track_success(self, outcomes, method, library):
        return sum(o.success for o in outcomes[method, library])

    track_success.unit = "problems"

    def track_median_calls(self, outcomes, method, library):
        return float(np.median([o.calls for o in outcomes[method, library]]))

    track_median_calls.unit = "evaluations"
