"""``show_options``: each method's options, defaults and reference, from the table."""
import scipy.optimize

from . import table


#: What each option of fastopt's methods does.
DESCRIPTIONS = {
    "lr": "step size (learning rate); gd: None for a line search",
    "momentum": "weight of the previous step",
    "beta": "decay of the running mean of g^2",
    "beta1": "decay of the first-moment estimate",
    "beta2": "decay of the second-moment estimate",
    "rho": "decay of the running means",
    "eps": "added to the denominator, against division by zero",
    "c1": "sufficient-decrease constant of the line search (0 < c1 < c2 < 1)",
    "c2": "curvature constant of the line search",
    "maxls": "most function evaluations per line search",
    "maxcor": "number of stored correction pairs",
    "ftol": "stop when the relative reduction of f is below ftol (0: off)",
    "xrtol": "stop when the step |s| <= xrtol (xrtol + |x|) (0: off)",
    "xtol": "stop when the step's sum |s_i| <= n xtol, as scipy's Newton-CG; given "
            "(or by tol), it is the test unless gtol is given too (0: off, gtol decides)",
    "norm": "order of the gradient norm gtol bounds",
    "maxfun": "most function evaluations (checked after each iteration)",
    "maxiter": "most iterations",
    "gtol": "stop when max |g_i| <= gtol",
    "disp": "print an iteration table (2: every row); warn on failure",
}
#: What each of scipy's options that the Python driver takes does
#: (``table.Method.driver_options``); Newton-CG's ``eps`` has its own words.
DRIVER_DESCRIPTIONS = {
    "eps": "absolute step of the gradient's finite differences (None: relative steps)",
    "finite_diff_rel_step": "relative step of the gradient's finite differences, "
                            "h = r sign(x) max(1, |x|) (None: float64's for the scheme)",
    "return_all": "keep every iterate in res.allvecs",
    "workers": "map-like callable (or number of processes) evaluating the points of a "
               "differenced gradient, workers(fun, points) (None: the calling thread)",
    "hess_inv0": "starting inverse Hessian, (n, n) symmetric positive definite "
                 "(None: scaled identity)",
    "iprint": "L-BFGS-B's print level (< 0: none; 99 and above: every row), "
              "as disp",
}
_NEWTON_CG_EPS = "step along p of the differences of the gradient giving H p " \
                 "(None: one that moves no x_i by more than sqrt(eps) max(1, |x_i|))"
#: scipy's solvers, whose options scipy's own ``show_options`` describes.
_SCIPY_SOLVERS = ("minimize_scalar", "root", "root_scalar", "linprog", "quadratic_assignment")


def show_options(solver=None, method=None, disp=True):
    """Describe the options of ``minimize``'s methods: scipy's call.

    Parameters
    ----------
    solver : str, optional
        ``'minimize'`` (fastopt's methods, and scipy's others); scipy's other
        solvers (``'root'``, ``'linprog'``, ...) are described by scipy.  A
        method name here is taken as ``method`` (``show_options('adam')``).
    method : str, optional
        A method name; all of fastopt's methods when None.
    disp : bool
        Print the text (True, returns None) or return it (False).

    Examples
    --------
    >>> import fastopt
    >>> print(fastopt.show_options("minimize", "adam", disp=False))
    adam: Kingma and Ba (2015), ICLR, Algorithm 1
        lr = 0.001
            step size (learning rate); gd: None for a line search
        beta1 = 0.9
            decay of the first-moment estimate
        beta2 = 0.999
            decay of the second-moment estimate
        eps = 1e-08
            added to the denominator, against division by zero
        maxiter = 10000
            most iterations
        gtol = 1e-05
            stop when max |g_i| <= gtol
        disp = False
            print an iteration table (2: every row); warn on failure
    """
    if solver is not None and solver != "minimize":
        if solver in _SCIPY_SOLVERS:
            return _scipy_show_options(solver, method, disp)
        if method is not None or not isinstance(solver, str):
            raise ValueError(f"Unknown solver {solver!r}")
        solver, method = "minimize", solver
    if isinstance(method, str) and method.lower() in table.SCIPY_ONLY:
        return _scipy_show_options("minimize", method, disp)
    specs = table.METHODS.values() if method is None else [table.lookup(method)]
    blocks = []
    for spec in specs:
        lines = [f"{spec.name}: {spec.reference}"]
        shown = [(name, "None (Armijo line search)" if default is None else f"{default:g}")
                 for name, default in spec.options.items()]
        shown += [("maxiter", "200 * n" if spec.maxiter == "200n" else str(spec.maxiter)),
                  ("gtol", _gtol(spec)), ("disp", "False")]
        words = [DESCRIPTIONS[name] for name, _ in shown]
        for name, default in spec.driver_options.items():
            shown.append((name, str(default)))
            words.append(_NEWTON_CG_EPS if name == "eps" and spec.name == "newton-cg"
                         else DRIVER_DESCRIPTIONS[name])
        for (name, value), text in zip(shown, words):
            lines += [f"    {name} = {value}", f"        {text}"]
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks)
    if not disp:
        return text
    print(text)


def _scipy_show_options(solver, method, disp):
    return scipy.optimize.show_options(solver, method, disp)


def _gtol(spec):
    fd = spec.gtol_for(True)
    return f"{spec.gtol:g}" + ("" if fd == spec.gtol else f" ({fd:g} with a differenced gradient)")


def _defaults(spec):
    shown = [f"{k}={'None' if v is None else f'{v:g}'}" for k, v in spec.options.items()]
    shown.append(f"maxiter={'200 n' if spec.maxiter == '200n' else spec.maxiter}")
    shown.append(f"gtol={_gtol(spec)}")
    return "`" + ", ".join(shown) + "`"


def markdown():
    """The README's two tables of methods (curvature, then first-order), from the table.

    ``python -m fastopt --methods`` prints them; a test checks the README has them.
    """
    blocks = []
    for title, names in (("direction", table.CURVATURE), ("update (g = gradient)",
                                                          table.FIRST_ORDER)):
        rows = [f"| method | {title} | defaults | reference |", "| --- | --- | --- | --- |"]
        for name in names:
            spec = table.METHODS[name]
            rows.append(f"| `{name}` | {spec.update} | {_defaults(spec)} | {spec.reference} |")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)
