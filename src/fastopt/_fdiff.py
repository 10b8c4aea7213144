"""Finite-difference gradients and gradient checking.

The notes recommend checking an analytic gradient against finite differences.
Steps are relative, as in MINPACK: ``h_j = r * max(1, |x_j|)`` with
``r = sqrt(eps)`` for forward and ``eps**(1/3)`` for central differences, each
rounded so that ``x_j + h_j`` is exact (scipy's ``approx_derivative`` rule).
"""
import numpy as np

from ._kernels._fdiff import fd_gradient

EPS = np.finfo(np.float64).eps
REL_STEP = {"2-point": EPS ** 0.5, "3-point": EPS ** (1.0 / 3.0)}


def fd_steps(x, scheme):
    """Relative steps for ``scheme`` at ``x`` (float64 array, same shape)."""
    sign = np.where(x >= 0, 1.0, -1.0)
    h = REL_STEP[scheme] * sign * np.maximum(1.0, np.abs(x))
    return (x + h) - x


def _as_point(xk, name="xk"):
    x = np.array(xk, dtype=np.float64, copy=True)
    if x.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be finite")
    return x


def as_real_scalar(value, who):
    """``value`` as a Python float, or a clear error naming ``who`` returned it."""
    if np.ndim(value) != 0:
        raise ValueError(f"{who} must return a scalar, got an array of shape {np.shape(value)}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{who} must return a real number, got {type(value).__name__}") from None


def _scalar_fun(f, args):
    def value(x):
        return as_real_scalar(f(x, *args), "f")
    return value


def approx_fprime(xk, f, epsilon=None, *args, method="2-point"):
    """Finite-difference approximation of the gradient of a scalar function.

    Parameters
    ----------
    xk : array_like, shape (n,)
        Point at which to differentiate.
    f : callable
        ``f(x, *args) -> float``.
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
    ndarray, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> from fastopt import approx_fprime
    >>> g = approx_fprime(np.array([1.0, 2.0]), lambda x: x[0] ** 2 + 3 * x[1])
    >>> np.allclose(g, [2.0, 3.0], rtol=1e-6)
    True
    """
    if not callable(f):
        raise TypeError("f must be callable")
    if method not in REL_STEP:
        raise ValueError(f"method must be '2-point' or '3-point', got {method!r}")
    x = _as_point(xk)
    if epsilon is None:
        h = fd_steps(x, method)
    else:
        h = np.broadcast_to(np.asarray(epsilon, dtype=np.float64), x.shape).copy()
        if np.any(h == 0) or not np.all(np.isfinite(h)):
            raise ValueError("epsilon must be finite and non-zero")
        h = (x + h) - x  # the step actually taken, so the quotient uses it
        if np.any(h == 0):
            raise ValueError("epsilon is too small to change x")
    value = _scalar_fun(f, args)
    out = np.empty_like(x)
    fd_gradient(value, x, value(x), h, method == "3-point", out)
    return out


def check_grad(func, grad, x0, *args, epsilon=None, method="3-point"):
    """Euclidean norm of the difference between ``grad`` and finite differences.

    Same call as ``scipy.optimize.check_grad``, but central differences with
    relative steps by default, so the result is near ``1e-10 * |grad|`` for a
    correct gradient instead of ``1e-7``.

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
    """
    if not callable(grad):
        raise TypeError("grad must be callable")
    x = _as_point(x0, "x0")
    g = np.asarray(grad(x, *args), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"grad returned shape {g.shape}, expected {x.shape}")
    return float(np.linalg.norm(g - approx_fprime(x, func, epsilon, *args, method=method)))
