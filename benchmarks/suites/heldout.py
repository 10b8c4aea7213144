"""Robustness on the held-out problem sets: known minima reached, evaluations spent.

The problems are ``benchmarks.catalogues`` (never used while developing the
solvers); nothing here is timed, the classes ``track_`` counts.

``HeldoutMinimize``
    Each of the 44 problems of ``catalogues.heldout``, from the standard
    start, with default options and with tight tolerances, by each curvature
    method that has a scipy peer (``quasi_newton.PEER``: bfgs, l-bfgs) and by
    that peer (BFGS, L-BFGS-B): how many reach a known minimum
    (``Problem.reached``) and the median number of function evaluations.
    Both libraries get the same compiled objective returning ``(f, g)``.
    ``python -m benchmarks.scripts.heldout`` prints the table (``-v``: one
    line per problem).

``HeldoutLeastSquares``
    The least-squares set, ``fastopt.least_squares`` against scipy's, both with
    ``method='lm'``:

    For each of the 44 problems of ``catalogues.heldout_lsq`` (the Moré, Garbow &
    Hillstrom problems in residual form, never used while developing fastopt's
    Levenberg-Marquardt), from the standard start, with default options and with
    ``ftol = xtol = gtol = 1e-15``, run ``fastopt.least_squares`` and
    ``scipy.optimize.least_squares`` with ``method='lm'`` and their default
    finite-difference Jacobians, and report how many reach a known minimum
    (``LsqProblem.reached`` of ``f = sum r^2`` of the *returned* residuals) and the
    median number of residual evaluations.  Evaluations are counted by a wrapper
    around the residual function, so finite-difference calls (and scipy's extra
    call to size the problem) count the same way for both; the libraries' own
    ``nfev`` is shown beside it (scipy's ``'lm'`` leaves the finite-difference
    calls out of its ``nfev``; fastopt counts them).  A solver that raises counts
    as a miss.  Medians are over all 44 problems and over those both libraries
    reached.  A "strict" count is shown beside ``reached``: ``reached`` allows
    1e-8 absolute, which on minima below ~1e-8 (Gaussian, Watson n = 9, 12) lets
    any small enough ``f`` through; the script lists the solves that pass only by
    that slack, and every problem on which the two libraries disagree.

    ``python -m benchmarks.scripts.heldout_lsq`` prints the table (``-v``: one
    line per problem and solver).
"""
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.optimize as so

import fastopt
from fastopt._minimize.table import METHODS

from ..catalogues import heldout, heldout_lsq
from .quasi_newton import PEER

# --- minimize ------------------------------------------------------------------

SETTINGS_MINIMIZE = ("defaults", "tight")
TIGHT = {"gtol": 1e-12, "maxiter": 100_000}
#: Options scipy needs besides its fastopt twin's to be as tight (its evaluation cap).
SCIPY_TIGHT = {"L-BFGS-B": {"maxfun": 100_000}}


def _tight(method):
    """Tight options of a fastopt method: ``TIGHT``, and ``ftol`` where it has one."""
    return {**TIGHT, **({"ftol": 1e-15} if "ftol" in METHODS[method].options else {})}


#: (label, library, method, options with defaults, options when tight): each
#: curvature method with a scipy peer, then that peer.
SOLVERS = [row for method, peer in PEER.items() for row in (
    (f"fastopt {method}", "fastopt", method, {}, _tight(method)),
    (f"scipy {peer}", "scipy", peer, {}, {**_tight(method), **SCIPY_TIGHT.get(peer, {})}))]


def run_minimize(problem, library, method, options):
    """``(reached, nfev)`` of one solve from the problem's standard start."""
    solve = fastopt.minimize if library == "fastopt" else so.minimize
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = solve(problem.fg, np.array(problem.x0), jac=True, method=method, options=options)
    return problem.reached(res.fun), res.nfev


def run_all_minimize():
    """Outcomes ``[(reached, nfev), ...]`` in catalogue order, keyed by (setting, label)."""
    out = {}
    for setting in SETTINGS_MINIMIZE:
        for label, library, method, default, tight in SOLVERS:
            options = default if setting == "defaults" else tight
            out[setting, label] = [run_minimize(p, library, method, options)
                                   for p in heldout.PROBLEMS]
    return out


def summary_minimize(outcomes):
    """Rows (setting, label, reached, median nfev) of ``run_all_minimize``'s outcomes."""
    return [(setting, label, sum(ok for ok, _ in outcomes[setting, label]),
             float(np.median([nfev for _, nfev in outcomes[setting, label]])))
            for setting in SETTINGS_MINIMIZE for label, *_ in SOLVERS]


class HeldoutMinimize:
    """asv: known minima reached and median evaluations, bfgs and l-bfgs beside scipy's."""

    params = ([row[0] for row in SOLVERS], list(SETTINGS_MINIMIZE))
    param_names = ["solver", "setting"]
    timeout = 900

    def setup_cache(self):
        return run_all_minimize()

    def track_reached(self, outcomes, solver, setting):
        return sum(ok for ok, _ in outcomes[setting, solver])

    track_reached.unit = "problems"

    def track_median_nfev(self, outcomes, solver, setting):
        return float(np.median([nfev for _, nfev in outcomes[setting, solver]]))

    track_median_nfev.unit = "evaluations"


# --- least squares ---------------------------------------------------------------

LSQ_PROBLEMS = heldout_lsq.PROBLEMS
SETTINGS_LSQ = {"defaults": {}, "tight": {"ftol": 1e-15, "xtol": 1e-15, "gtol": 1e-15}}
LIBRARIES = {"fastopt": fastopt.least_squares, "scipy": so.least_squares}


class Counted:
    """A residual function that counts its calls."""

    def __init__(self, fun):
        self.fun = fun
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        return self.fun(x)


@dataclass
class Outcome:
    """One solve: whether it reached a known minimum, and what it cost."""

    reached: bool
    f: float          # sum of squares of the returned residuals (nan if it raised)
    evaluations: int  # calls of the residual function, counted here
    nfev: int         # the library's own count (-1 if it raised)
    status: object
    message: str


def run_lsq(problem, library, options):
    """Solve ``problem`` from its standard start with ``library``'s ``'lm'``.

    Parameters
    ----------
    problem : LsqProblem
    library : {'fastopt', 'scipy'}
    options : dict
        Extra keyword arguments of ``least_squares`` (tolerances).

    Returns
    -------
    Outcome
    """
    fun = Counted(problem.residuals)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            try:
                res = LIBRARIES[library](fun, np.array(problem.x0), method="lm", **options)
            except Exception as exc:  # noqa: BLE001 - any failure is a miss
                return Outcome(False, np.nan, fun.calls, -1, "raised", f"{type(exc).__name__}: {exc}")
    r = np.asarray(res.fun, dtype=np.float64)
    f = float(r @ r)
    message = str(res.message)
    # The verdict is on the returned residuals; say so if they are not those of
    # the returned x (not counted as an evaluation).
    with np.errstate(all="ignore"):
        fx = problem.f(res.x)
    if not abs(fx - f) <= 1e-9 * max(abs(f), 1e-300) and not (np.isnan(f) and np.isnan(fx)):
        message += f" [fun is not fun(x): sum r(x)^2 = {fx:.6e}]"
    return Outcome(bool(problem.reached(f)), f, fun.calls, int(res.nfev), res.status, message)


def strictly_reached(problem, f):
    """``reached`` without its absolute tolerance for nonzero minima.

    ``LsqProblem.reached`` accepts ``|f - fmin| <= 1e-8 + 1e-6 |fmin|``, so a
    minimum below ~1e-8 (Gaussian, Watson n = 9 and 12) is met by any small
    enough ``f``.  Here a nonzero minimum must be matched to 1e-6 relative; a
    zero one still to 1e-8 absolute.
    """
    return any(f <= 1e-8 if m == 0.0 else abs(f - m) <= 1e-6 * abs(m) for m in problem.fmins)


def run_all_lsq():
    """Outcomes of every problem, keyed by (setting, library)."""
    return {(setting, library): [run_lsq(p, library, options) for p in LSQ_PROBLEMS]
            for setting, options in SETTINGS_LSQ.items() for library in LIBRARIES}


def _median(values):
    return float(np.median(values)) if len(values) else float("nan")


def summary_lsq(outcomes):
    """Rows (setting, library, reached, strictly reached, median evaluations
    over all problems, over the problems both libraries reached, how many
    those are, median library nfev)."""
    rows = []
    for setting in SETTINGS_LSQ:
        both = [all(outcomes[setting, lib][k].reached for lib in LIBRARIES)
                for k in range(len(LSQ_PROBLEMS))]
        for library in LIBRARIES:
            out = outcomes[setting, library]
            rows.append((setting, library, sum(o.reached for o in out),
                         sum(strictly_reached(p, o.f) for p, o in zip(LSQ_PROBLEMS, out)),
                         _median([o.evaluations for o in out]),
                         _median([o.evaluations for o, b in zip(out, both) if b]),
                         sum(both),
                         _median([o.nfev for o in out if o.nfev >= 0])))
    return rows


class HeldoutLeastSquares:
    """asv: known minima reached and median residual evaluations on the held-out set."""

    params = (list(LIBRARIES), list(SETTINGS_LSQ))
    param_names = ["library", "setting"]
    timeout = 600

    def setup_cache(self):
        return run_all_lsq()

    def track_reached(self, outcomes, library, setting):
        return sum(o.reached for o in outcomes[setting, library])

    track_reached.unit = "problems"

    def track_median_evaluations(self, outcomes, library, setting):
        return _median([o.evaluations for o in outcomes[setting, library]])

    track_median_evaluations.unit = "evaluations"
