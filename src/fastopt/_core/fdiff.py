"""Finite differences: the step rules, and gradients, Jacobians and Hessians.

Two step rules, each the standard for its use:

* gradients of a scalar function (``minimize``'s ``jac='2-point'``/``'3-point'``,
  Newton's differenced Hessians, ``approx_fprime``): ``h_j = r sign(x_j)
  max(1, |x_j|)`` with ``r = sqrt(eps)`` forward and ``eps**(1/3)`` central,
  rounded so that ``x_j + h_j`` is exact (scipy's ``approx_derivative`` rule);
* Jacobians of residuals (``least_squares``, ``varpro``): MINPACK's
  ``fdjac2`` rule ``h_j = r |x_j|`` (``r`` when ``x_j = 0``), relative to
  each parameter, so a fit whose parameters are tiny is not swamped.

The loops are twins (``twin.py``): the function to difference is passed in
(a Python callable, or a compiled function value or boundary function in
compiled code), so one source serves the Python and the compiled drivers.
Every point handed to a user's function is a fresh array (the function may
keep a reference to its argument).
"""
import numpy as np

from .twin import boundary, twin
from .validate import real_scalar, start_vector

EPS = np.finfo(np.float64).eps
#: Relative steps: each balances truncation against rounding for its order.
FORWARD_STEP = EPS ** 0.5
CENTRAL_STEP = EPS ** (1.0 / 3.0)
SCHEMES = ("2-point", "3-point")
#: The gradient tolerance forward differences resolve: scipy's default
#: ``gtol``.  The difference is off by about ``sqrt(eps) max(1, |x_i|)``
#: times the curvature (1e-6 for a curvature of 100 at ``|x_i| <= 1``), so a
#: tighter test is met, if at all, by a point the error has moved.
#: ``minimize`` uses it as the default ``gtol`` with a differenced gradient,
#: and confirms a tighter one with central differences.
FD_GTOL = 1e-5


@twin
def gradient_step(xi, rel):
    """The gradient rule's step at ``xi`` for relative step ``rel``."""
    h = rel * (1.0 if xi >= 0.0 else -1.0) * max(1.0, abs(xi))
    return (xi + h) - xi


@twin
def jacobian_step(xj, rel):
    """MINPACK's step at ``xj`` for relative step ``rel``."""
    h = rel * abs(xj)
    return h if h != 0.0 else rel


@twin
def fd_gradient(value, x, f0, central, out, h):
    """Forward or central differences of the scalar ``value`` at ``x``, into ``out``.

    ``f0 = value(x)`` (reused by forward differences); ``h`` holds the
    steps, rounded so that ``x + h`` is exact, or is empty for the gradient
    rule.  Returns the number of calls of ``value``.
    """
    rel = CENTRAL_STEP if central else FORWARD_STEP
    for i in range(x.size):
        hi = h[i] if h.size else gradient_step(x[i], rel)
        xp = x.copy()
        xp[i] = x[i] + hi
        fp = value(xp)
        if central:
            xm = x.copy()
            xm[i] = x[i] - hi
            out[i] = (fp - value(xm)) / (2.0 * hi)
        else:
            out[i] = (fp - f0) / hi
    return (2 if central else 1) * x.size


def _quotient_compiled(out, a, b, h):
    for i in range(out.size):
        out[i] = (a[i] - b[i]) / h


@boundary(_quotient_compiled)
def quotient(out, a, b, h):
    """``out = (a - b) / h``: one loop compiled, one array expression in Python."""
    np.divide(np.subtract(a, b, out=out), h, out=out)


@twin
def _zero(v):
    for i in range(v.size):
        if v[i] != 0.0:
            return False
    return True


@twin
def fd_jacobian(evaluate, problem, x, f, Jt, step, counts):
    """The transposed Jacobian ``Jt`` (n, m) of the residuals at ``x``.

    ``evaluate(problem, x, counts)`` returns the residuals (``f`` at ``x``).
    Forward when ``step > 0``: ``Jt[j] = (f(x + h_j e_j) - f) / h_j``,
    ``h_j = jacobian_step(x_j, step)``; central when ``step < 0``:
    ``(f(x + h_j e_j) - f(x - h_j e_j)) / (2 h_j)`` with ``|step|``, two
    evaluations per column and an error of order ``h^2`` instead of ``h``.

    One departure from MINPACK: a column that comes out exactly zero with
    ``0 < |x_j| < sqrt(eps)`` is differenced again with the absolute step
    ``|step|``.  A relative step on a parameter far smaller than the terms
    it is added to is lost to rounding entirely, and a zero column would
    stall the fit there.  (Larger ``|x_j|`` move terms of size 1 visibly; a
    column that is zero there is zero, and costs no extra evaluation.)
    """
    central = step < 0.0
    step = abs(step)
    xp = x.copy()
    xm = x.copy()
    for j in range(x.size):
        h = jacobian_step(x[j], step)
        while True:
            xp[j] = x[j] + h
            if central:
                xm[j] = x[j] - h
                fp = evaluate(problem, xp, counts)
                fm = evaluate(problem, xm, counts)
                quotient(Jt[j], fp, fm, xp[j] - xm[j])
            else:
                fp = evaluate(problem, xp, counts)
                quotient(Jt[j], fp, f, xp[j] - x[j])  # the step taken, after rounding
            xp[j] = x[j]
            xm[j] = x[j]
            if h >= step or abs(x[j]) >= FORWARD_STEP or not _zero(Jt[j]):
                break
            h = step


@twin
def fd_hessian(gradient_at, obj, x, g, H, counts):
    """Forward differences of the gradient into ``H`` (n, n), symmetrised.

    ``gradient_at(obj, x, counts)`` returns the gradient; ``g`` is the one at ``x``.
    """
    xp = x.copy()
    for j in range(x.size):
        xp[j] = x[j] + gradient_step(x[j], FORWARD_STEP)
        h = xp[j] - x[j]
        H[:, j] = (gradient_at(obj, xp, counts) - g) / h
        xp[j] = x[j]
    H[:, :] = 0.5 * (H + H.T)


@twin
def fd_hessp(gradient_at, obj, x, g, p, counts, step):
    """``(g(x + h p) - g(x)) / h``, the Hessian at ``x`` times ``p``.

    ``h = step`` if positive (scipy Newton-CG's ``eps``).  Otherwise ``h``
    moves no coordinate by more than ``sqrt(eps) max(1, |x_i|)``, the step
    ``fd_hessian`` takes along each axis: a step scaled by the norms of
    ``x`` and ``p`` alone is far too long for the small coordinates of a
    badly scaled problem (MGH's Meyer).
    """
    h = step
    if not h > 0.0:
        ratio = 0.0
        for i in range(x.size):
            ratio = max(ratio, abs(p[i]) / max(1.0, abs(x[i])))
        h = FORWARD_STEP / ratio
    return (gradient_at(obj, x + h * p, counts) - g) / h


# --- public: approx_fprime, check_grad -----------------------------------------

def fd_columns(value, x, f0, central, h, rel=None):
    """The Jacobian (m, n) of the vector-valued ``value`` at ``x`` (``f0 =
    value(x)``, 1-D), by forward or central differences: steps ``h``, or the
    gradient rule's with relative step ``rel`` (default: float64's for the
    scheme).  Costs n calls of ``value`` forward, 2n central."""
    if rel is None:
        rel = CENTRAL_STEP if central else FORWARD_STEP
    J = np.empty((f0.size, x.size))
    for j in range(x.size):
        hj = h[j] if h.size else gradient_step(x[j], rel)
        xp = x.copy()
        xp[j] = x[j] + hj
        if central:
            xm = x.copy()
            xm[j] = x[j] - hj
            J[:, j] = (value(xp) - value(xm)) / (2.0 * hj)
        else:
            J[:, j] = (value(xp) - f0) / hj
    return J


_NO_STEPS = np.empty(0)


def approx_fprime(xk, f, epsilon=None, *args, method="2-point"):
    """Finite-difference approximation of the gradient of a scalar function,
    or of the Jacobian of a vector-valued one.

    Parameters
    ----------
    xk : array_like, shape (n,)
        Point at which to differentiate.
    f : callable
        ``f(x, *args)``: a number, or an array of m numbers.
    epsilon : float or array_like, optional
        Absolute step(s), as in ``scipy.optimize.approx_fprime``.  The default
        (None) uses relative steps ``r * max(1, |x_j|)`` (see module notes),
        which stay accurate for parameters of any magnitude.
    *args
        Extra arguments passed to ``f``.
    method : {'2-point', '3-point'}
        Forward or central differences (keyword only).

    Returns
    -------
    ndarray, shape (n,) for a scalar ``f``, (m, n) for a vector-valued one

    Examples
    --------
    >>> import numpy as np
    >>> from fastopt import approx_fprime
    >>> g = approx_fprime(np.array([1.0, 2.0]), lambda x: x[0] ** 2 + 3 * x[1])
    >>> np.allclose(g, [2.0, 3.0], rtol=1e-6)
    True
    >>> J = approx_fprime(np.array([1.0, 2.0]), lambda x: np.array([x[0] * x[1], x[1]]))
    >>> np.allclose(J, [[2.0, 1.0], [0.0, 1.0]], rtol=1e-6)
    True
    """
    if not callable(f):
        raise TypeError("f must be callable")
    if method not in SCHEMES:
        raise ValueError(f"method must be '2-point' or '3-point', got {method!r}")
    x = start_vector("xk", xk)
    if epsilon is None:
        h = _NO_STEPS  # the gradient rule
    else:
        h = np.broadcast_to(np.asarray(epsilon, dtype=np.float64), x.shape).copy()
        if np.any(h == 0) or not np.all(np.isfinite(h)):
            raise ValueError("epsilon must be finite and non-zero")
        h = (x + h) - x  # the step actually taken, so the quotient uses it
        if np.any(h == 0):
            raise ValueError("epsilon is too small to change x")
    f0 = f(x.copy(), *args)
    if np.ndim(f0) != 0:
        if np.iscomplexobj(f0):
            raise TypeError("f must return real values")
        def vector(point):
            return np.asarray(f(point, *args), dtype=np.float64).ravel()
        return fd_columns(vector, x, np.asarray(f0, dtype=np.float64).ravel(),
                          method == "3-point", h)

    def value(point):
        return real_scalar(f(point, *args), "f")
    out = np.empty_like(x)
    fd_gradient(value, x, real_scalar(f0, "f"), method == "3-point", out, h)
    return out


def check_grad(func, grad, x0, *args, epsilon=None, direction="all", rng=None,
               method="3-point"):
    """Euclidean norm of the difference between ``grad`` and finite differences.

    scipy's ``check_grad`` call, with central differences and relative steps
    by default, so the result is near ``1e-10 * |grad|`` for a correct
    gradient instead of ``1e-7``.

    Parameters
    ----------
    func : callable
        ``func(x, *args) -> float``.
    grad : callable
        ``grad(x, *args) -> array of shape (n,)``.
    x0 : array_like, shape (n,)
    *args
        Extra arguments for both.
    epsilon : float, optional
        Absolute step; default relative steps.
    direction : {'all', 'random'}
        ``'all'``: every component of the gradient; ``'random'``: the
        derivative along one random direction ``v`` (standard normal),
        against ``grad . v`` -- one difference instead of n.
    rng : numpy.random.Generator or int, optional
        The generator (or its seed) drawing ``v``.
    method : {'3-point', '2-point'}

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from fastopt import check_grad
    >>> f = lambda x: np.sum(np.sin(x))
    >>> check_grad(f, np.cos, np.array([0.5, 1.5])) < 1e-8
    True
    >>> check_grad(f, np.cos, np.array([0.5, 1.5]), direction="random", rng=0) < 1e-8
    True
    """
    if not callable(grad):
        raise TypeError("grad must be callable")
    x = start_vector("x0", x0)
    g = np.asarray(grad(x.copy(), *args), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"grad returned shape {g.shape}, expected {x.shape}")
    if direction == "all":
        return float(np.linalg.norm(g - approx_fprime(x, func, epsilon, *args, method=method)))
    if direction != "random":
        raise ValueError(f"direction must be 'all' or 'random', got {direction!r}")
    v = np.random.default_rng(rng).standard_normal(x.size)

    def along(w):
        return func(x + w[0] * v, *args)
    slope = approx_fprime(np.zeros(1), along, epsilon, method=method)[0]
    return float(abs(g @ v - slope))
