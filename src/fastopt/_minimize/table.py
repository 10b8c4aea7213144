"""The one table of ``minimize`` methods.

The first-order rows come from the table of update rules
(``_steps/table.py``), the curvature rows are written here.  Dispatch,
option checking, ``show_options``, error messages, the docstring's method
list, ``fastopt.compiled``, the demo and the tests' parametrisation all read
``METHODS``.
"""
from dataclasses import dataclass, field

import numpy as np

from .._core import codes, delegate, fdiff
from .._steps.table import RULES

#: Line-search options of the curvature methods (scipy's c1, c2 and L-BFGS-B's maxls).
_WOLFE = {"c1": 1e-4, "c2": 0.9, "maxls": 20}
#: The default ``gtol`` of every method when the gradient is differenced
#: (``jac`` None, '2-point', '3-point'), ``fdiff.FD_GTOL`` says why: on the
#: held-out problems bfgs's own 1e-7 took 2.6x scipy's median evaluations
#: for 38 successes of 44; this, 0.83x for all 44.
FD_GTOL = fdiff.FD_GTOL
#: scipy's default gtol (BFGS's, L-BFGS-B's pgtol).  Where fastopt's default
#: is tighter, a run that meets this one but cannot decrease f further (its
#: rounding) ends as a success (status ROUNDING, reported as 0).
SCIPY_GTOL = 1e-5
#: L-BFGS-B's default factr * eps.
LBFGS_FTOL = 1e7 * np.finfo(np.float64).eps
#: scipy's differencing steps (None: fastopt's relative rule, ``fdiff.py``) and
#: its ``workers``, which evaluate the differenced gradient's points.
_STEPS = {"eps": None, "finite_diff_rel_step": None, "workers": None}


@dataclass(frozen=True)
class Method:
    """One row of the table.

    Attributes
    ----------
    name : str
        The ``method=`` string (lower case).
    reference : str
        The paper or book the method follows.
    update : str
        The update or search direction, as the docs show it.
    options : dict
        The method's own options with their defaults (hyperparameters, or the
        line search's ``c1, c2, maxls`` and l-bfgs's ``maxcor, ftol``).
    maxiter : int or "200n"
        Default iteration limit (``"200n"``: 200 per parameter).
    gtol : float
        Default gradient tolerance.
    rule : _steps.table.Step or None
        For a first-order method, its update rule.
    direction : int or None
        For a curvature method, its direction rule (``codes.BFGS``, ...).
    uses_hessian : bool
        Whether ``hess``/``hessp`` are used (otherwise passing them warns).
    scipy_name : str or None
        scipy's name of the method, if scipy has it.
    driver_options : dict
        Options of scipy's method that only the Python driver takes (so a
        call passing one runs it, with a numba objective too), with their
        defaults: the differencing steps ``eps`` and ``finite_diff_rel_step``,
        ``return_all``, ``hess_inv0``, ``iprint``, ``workers``.
    """

    name: str
    reference: str
    update: str
    options: dict
    maxiter: object = 10000
    gtol: float = 1e-5
    rule: object = None
    direction: int = None
    uses_hessian: bool = False
    scipy_name: str = None
    driver_options: dict = field(default_factory=dict)
    option_names: frozenset = field(init=False, repr=False)

    def __post_init__(self):
        extra = ("line_search",) if self.line_search else ()
        object.__setattr__(self, "option_names", frozenset(
            (*self.options, *self.driver_options, *extra, "maxiter", "gtol", "disp")))

    @property
    def line_search(self):
        """Whether the steps may come from a line search when no ``lr`` is given."""
        return self.rule is not None and self.rule.line_search

    def gtol_for(self, differenced):
        """Default ``gtol``: the row's, or ``FD_GTOL`` if looser and the
        gradient is differenced."""
        return max(self.gtol, FD_GTOL) if differenced else self.gtol

    def maxiter_for(self, n):
        """Default iteration limit for ``n`` parameters."""
        return 200 * n if self.maxiter == "200n" else self.maxiter


METHODS = {m.name: m for m in [
    *(Method(r.name, r.reference, r.update, r.hyper, rule=r) for r in RULES.values()),
    # Curvature methods: strong-Wolfe line search (More and Thuente 1994).
    # gtol 1e-7 where scipy has 1e-5: on the development set of classic
    # problems (fastopt.classic) it takes bfgs from 22 to all 24 known minima
    # for 8% more evaluations -- the project's "more accurate by default".
    # newton-cg likewise (scipy's stops on its step alone): on the held-out
    # problems 42 known minima of 44 instead of 36, for 22% more evaluations.
    Method("bfgs", "Nocedal and Wright (2006), Numerical Optimization, Alg. 6.1 and eq. (6.20)",
           "`-H g`, dense inverse-Hessian update in place; `H0` scaled by `s.y / y.y` "
           "before the first update", {**_WOLFE, "xrtol": 0.0, "norm": np.inf},
           maxiter="200n", gtol=1e-7, direction=codes.BFGS, scipy_name="BFGS",
           driver_options={**_STEPS, "return_all": False, "hess_inv0": None}),
    Method("l-bfgs", "Nocedal and Wright (2006), Numerical Optimization, Alg. 7.4-7.5; "
           "Liu and Nocedal (1989), Math. Programming 45",
           "two-loop recursion over the last `maxcor` pairs, `H0 = (s.y / y.y) I`; pairs "
           "with `s.y <= eps abs(s) abs(y)` skipped",
           {"maxcor": 10, "ftol": LBFGS_FTOL, **_WOLFE, "maxfun": 15000}, maxiter=15000,
           direction=codes.LBFGS, scipy_name="L-BFGS-B",
           driver_options={**_STEPS, "iprint": None}),
    Method("newton", "Nocedal and Wright (2006), Numerical Optimization, Alg. 3.3 "
           "(Cholesky with added multiple of the identity)",
           "solve `(H + tau D) d = -g` by Cholesky, `tau` raised from 0 until positive "
           "definite (`D` = the Hessian's diagonal magnitudes); `hess`, or forward "
           "differences of the gradient", _WOLFE, maxiter="200n",
           direction=codes.NEWTON, uses_hessian=True),
    Method("newton-cg", "Nocedal and Wright (2006), Numerical Optimization, Alg. 7.1 "
           "(line-search Newton-CG)",
           "truncated CG on `H d = -g`, stopped at residual `min(0.5, sqrt(abs(g))) abs(g)` "
           "or negative curvature; `hessp`, `hess`, or differences of the gradient",
           {**_WOLFE, "xtol": 0.0}, maxiter="200n", gtol=1e-7, direction=codes.NEWTON_CG,
           uses_hessian=True, scipy_name="Newton-CG",
           driver_options={"eps": None, "return_all": False, "workers": None}),
]}

#: The first-order methods, in table order.
FIRST_ORDER = tuple(name for name, m in METHODS.items() if m.rule is not None)
#: The curvature methods.
CURVATURE = tuple(name for name, m in METHODS.items() if m.direction is not None)

#: Other names accepted for a method (scipy's spellings).
ALIASES = {"lbfgs": "l-bfgs", "l-bfgs-b": "l-bfgs"}

#: Used when ``method=None``: scipy's default for unconstrained problems.
DEFAULT_METHOD = "bfgs"

#: Every option of the curvature loop with its default (a row has some of them).
CURVATURE_DEFAULTS = {name: float(value) for method in CURVATURE
                      for name, value in METHODS[method].options.items()}


#: scipy's methods fastopt has no compiled implementation of (they run scipy's).
SCIPY_ONLY = tuple(m for m in delegate.SCIPY_METHODS if ALIASES.get(m, m) not in METHODS)


def find(method):
    """The row for the string ``method`` (case-insensitive, aliases allowed), or None."""
    key = method.lower()
    return METHODS.get(ALIASES.get(key, key))


def lookup(method):
    """Return the row for ``method`` (None: the default), or raise naming the valid ones."""
    if method is None:
        method = DEFAULT_METHOD
    if not isinstance(method, str):
        raise TypeError(f"method must be a string or None, got {type(method).__name__}")
    spec = find(method)
    if spec is None:
        raise ValueError(f"Unknown method {method!r}; valid methods are: "
                         + ", ".join(repr(m) for m in (*METHODS, *SCIPY_ONLY)))
    return spec
