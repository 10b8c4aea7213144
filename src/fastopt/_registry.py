"""The one table of ``minimize`` methods.

Dispatch, option checking, ``show_options``-style help, error messages, the
stateful optimizers and test parametrisation all read ``METHODS``; nothing else
lists the methods.
"""
from dataclasses import dataclass, field

import numpy as np

from ._kernels import codes

# (low, high, low_inclusive, high_inclusive) per hyperparameter name.
_RANGES = {
    "lr": (0.0, np.inf, False, False),
    "momentum": (0.0, 1.0, True, False),
    "beta": (0.0, 1.0, True, False),
    "beta1": (0.0, 1.0, True, False),
    "beta2": (0.0, 1.0, True, False),
    "rho": (0.0, 1.0, True, False),
    "eps": (0.0, np.inf, True, False),
    "c1": (0.0, 1.0, False, False),
    "c2": (0.0, 1.0, False, False),
    "ftol": (0.0, np.inf, True, False),
}
#: Options that are counts, with their least allowed value.
_INTEGER_OPTIONS = {"maxcor": 1, "maxls": 1}


@dataclass(frozen=True)
class Method:
    """One row of the registry.

    Attributes
    ----------
    name : str
        The ``method=`` string (lower case).
    hyper : tuple of (str, float or None)
        Hyperparameter names and defaults, in the order the kernel reads them.
        ``lr=None`` is allowed only where ``line_search`` is true.
    nslots : int
        Number of length-n state buffers the kernel keeps.
    reference : str
        The paper the kernel follows.
    line_search : bool
        With no ``lr``, steps come from an Armijo backtracking line search
        (first-order methods; ``options['line_search'] = 'wolfe'`` takes the
        strong-Wolfe search of the curvature methods instead).
    supports_bounds : bool
        Whether ``bounds`` are honoured (no first-order method does).
    uses_hessian : bool
        Whether ``hess``/``hessp`` are used (otherwise passing them warns).
    defaults : dict
        Default ``maxiter`` (an int, or ``"200n"``: 200 per parameter) and ``gtol``.
    kind : int or None
        For the curvature methods (``_kernels/curvature.py``), the direction
        rule; None for the fused first-order methods (``_kernels/steps.py``).
    """

    name: str
    hyper: tuple
    nslots: int
    reference: str
    line_search: bool = False
    supports_bounds: bool = False
    uses_hessian: bool = False
    defaults: dict = field(default_factory=lambda: {"maxiter": 10000, "gtol": 1e-5})
    kind: int = None

    def maxiter(self, n):
        """Default iteration limit for ``n`` parameters."""
        value = self.defaults["maxiter"]
        return 200 * n if value == "200n" else value

    @property
    def kernel_id(self):
        from ._kernels.steps import KERNEL_IDS
        return KERNEL_IDS[self.name]

    def __post_init__(self):
        if self.line_search and self.nslots:
            # The search retries the step kernel at shrinking lr: a kernel with
            # state would update its moments once per retry.
            raise ValueError(f"{self.name}: only a stateless method can take a line search")
        # Derived once: these are read on every minimize call.
        names = tuple(name for name, _ in self.hyper)
        extra = ("line_search",) if self.line_search else ()
        object.__setattr__(self, "hyper_names", names)
        object.__setattr__(self, "option_names",
                           frozenset(names + extra + ("maxiter", "gtol", "disp")))


#: Line-search options of the curvature methods (scipy's c1, c2 and L-BFGS-B's maxls).
_WOLFE = (("c1", 1e-4), ("c2", 0.9), ("maxls", 20))
#: L-BFGS-B's default factr * eps.
_FTOL = 1e7 * np.finfo(np.float64).eps

_ADAM_LIKE = (("lr", None), ("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8))


def _adam_like(lr):
    return (("lr", lr),) + _ADAM_LIKE[1:]


METHODS = {m.name: m for m in [
    Method("gd", (("lr", None),), 0,
           "Nocedal and Wright (2006), Numerical Optimization, Alg. 3.1 "
           "(backtracking Armijo line search)", line_search=True),
    Method("momentum", (("lr", 1e-2), ("momentum", 0.9)), 1,
           "Polyak (1964), heavy-ball method; Goodfellow et al. (2016) sec. 8.3.2"),
    Method("nesterov", (("lr", 1e-2), ("momentum", 0.9)), 1,
           "Nesterov (1983); Sutskever et al. (2013), ICML"),
    Method("adagrad", (("lr", 1e-1), ("eps", 1e-8)), 1,
           "Duchi, Hazan and Singer (2011), JMLR 12"),
    Method("rmsprop", (("lr", 1e-3), ("beta", 0.9), ("eps", 1e-8)), 1,
           "Tieleman and Hinton (2012), Coursera lecture 6.5"),
    Method("adadelta", (("lr", 1.0), ("rho", 0.95), ("eps", 1e-6)), 2,
           "Zeiler (2012), arXiv:1212.5701"),
    Method("adam", _adam_like(1e-3), 2, "Kingma and Ba (2015), ICLR, Algorithm 1"),
    Method("adamax", _adam_like(2e-3), 2, "Kingma and Ba (2015), ICLR, Algorithm 2"),
    Method("nadam", _adam_like(2e-3), 2, "Dozat (2016), ICLR workshop"),
    Method("amsgrad", _adam_like(1e-3), 3, "Reddi, Kale and Kumar (2018), ICLR"),
    # Curvature methods: strong-Wolfe line search (More and Thuente 1994).
    # gtol 1e-7 where scipy has 1e-5: on the development set of classic
    # problems (fastopt.classic) it takes bfgs from 22 to all 24 known minima
    # for 8% more evaluations -- the project's "more accurate by default".
    Method("bfgs", _WOLFE, 0,
           "Nocedal and Wright (2006), Numerical Optimization, Alg. 6.1 and eq. (6.20)",
           defaults={"maxiter": "200n", "gtol": 1e-7}, kind=codes.BFGS),
    Method("l-bfgs", (("maxcor", 10), ("ftol", _FTOL)) + _WOLFE, 0,
           "Nocedal and Wright (2006), Numerical Optimization, Alg. 7.4-7.5; "
           "Liu and Nocedal (1989), Math. Programming 45",
           defaults={"maxiter": 15000, "gtol": 1e-5}, kind=codes.LBFGS),
    Method("newton", _WOLFE, 0,
           "Nocedal and Wright (2006), Numerical Optimization, Alg. 3.3 "
           "(Cholesky with added multiple of the identity)",
           uses_hessian=True, defaults={"maxiter": "200n", "gtol": 1e-5},
           kind=codes.NEWTON),
    Method("newton-cg", _WOLFE, 0,
           "Nocedal and Wright (2006), Numerical Optimization, Alg. 7.1 "
           "(line-search Newton-CG)",
           uses_hessian=True, defaults={"maxiter": "200n", "gtol": 1e-5},
           kind=codes.NEWTON_CG),
]}

#: The fused first-order methods (``_kernels/steps.py``), in registry order.
FIRST_ORDER = tuple(name for name, m in METHODS.items() if m.kind is None)
#: The curvature methods (``_kernels/curvature.py``).
CURVATURE = tuple(name for name, m in METHODS.items() if m.kind is not None)

#: Other names accepted for a method (scipy's spellings).
ALIASES = {"lbfgs": "l-bfgs", "l-bfgs-b": "l-bfgs"}

#: Used when ``method=None``: scipy's default for unconstrained problems.
DEFAULT_METHOD = "bfgs"


def lookup(method):
    """Return the registry row for ``method`` (case-insensitive)."""
    if method is None:
        method = DEFAULT_METHOD
    if not isinstance(method, str):
        raise TypeError(f"method must be a string or None, got {type(method).__name__}")
    key = method.lower()
    key = ALIASES.get(key, key)
    if key not in METHODS:
        raise ValueError(f"Unknown method {method!r}; valid methods are: "
                         + ", ".join(repr(m) for m in METHODS))
    return METHODS[key]


def check_hyper(name, value):
    """Validate one hyperparameter value; return it as a Python float."""
    if name in _INTEGER_OPTIONS:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"option {name!r} must be an integer, got {type(value).__name__}")
        if value < _INTEGER_OPTIONS[name]:
            raise ValueError(f"option {name!r} must be >= {_INTEGER_OPTIONS[name]}, got {value}")
        return float(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"option {name!r} must be a real number, got {type(value).__name__}")
    value = float(value)
    low, high, low_in, high_in = _RANGES[name]
    ok = (value > low or (low_in and value == low)) and (value < high or (high_in and value == high))
    if not ok or not np.isfinite(value):
        lo = "[" if low_in else "("
        hi = "]" if high_in else ")"
        raise ValueError(f"option {name!r} must lie in {lo}{low}, {high}{hi}, got {value!r}")
    return value


def resolve_hyper(spec, given):
    """Hyperparameters of ``spec`` as a float64 array, defaults filled in.

    Returns ``(hyper, line_search)``; ``line_search`` is true when the method
    takes its steps from a line search because no ``lr`` was given.
    """
    values = []
    line_search = False
    for name, default in spec.hyper:
        value = given.get(name, default)
        if value is None:
            if not spec.line_search:
                raise ValueError(f"method {spec.name!r} needs option {name!r}")
            line_search = True
            value = np.nan
        else:
            value = check_hyper(name, value)
        values.append(value)
    return np.array(values, dtype=np.float64), line_search
