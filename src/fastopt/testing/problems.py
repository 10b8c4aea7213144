"""Reference problems: the test surfaces of the lecture notes.

Shared by the tests, the demo (``python -m fastopt``) and the benchmarks.  Each
objective returns ``(f, g)`` (use ``jac=True``) and comes twice: as a plain
Python function and compiled with numba (``fg_jit``), the two giving identical
values.

* quadratic bowl: ``f = sum_i c_i x_i^2 / 2`` with curvatures ``c = (1, 10)``;
  minimum 0 at the origin.
* Rosenbrock (1960): ``f = 100 (y - x^2)^2 + (1 - x)^2``; minimum 0 at (1, 1);
  standard start (-1.2, 1).
* Himmelblau (1972): ``f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2``; four minima
  with value 0, at (3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186) and
  (3.584428, -1.848126).
* the noisy linear problem of the notes' SGD chapter (``notes_matrix``,
  ``noisy_linear_sgd``): ``theta_{k+1} = theta_k - gamma_k (A theta_k +
  eps_k)``, ``theta* = 0``.
"""
from dataclasses import dataclass

import numpy as np

from .._core.jit import kernel

__all__ = ["Problem", "PROBLEMS", "TUNED_OPTIONS", "notes_matrix", "noisy_linear_sgd"]


def _bowl(x):
    c = np.array([1.0, 10.0])
    g = c * x
    return 0.5 * np.dot(g, x), g


def _rosenbrock(x):
    a = x[1] - x[0] * x[0]
    g = np.empty(2)
    g[0] = -400.0 * x[0] * a - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * a
    return 100.0 * a * a + (1.0 - x[0]) ** 2, g


def _himmelblau(x):
    a = x[0] * x[0] + x[1] - 11.0
    b = x[0] + x[1] * x[1] - 7.0
    g = np.empty(2)
    g[0] = 4.0 * a * x[0] + 2.0 * b
    g[1] = 2.0 * a + 4.0 * b * x[1]
    return a * a + b * b, g


@dataclass(frozen=True)
class Problem:
    """A test surface with its start and known minima."""

    name: str
    fg: object
    fg_jit: object
    x0: tuple
    minima: tuple
    fmin: float = 0.0

    def nearest_minimum(self, x):
        """The known minimum closest to ``x``."""
        m = np.array(self.minima)
        return m[np.argmin(np.linalg.norm(m - np.asarray(x), axis=1))]


PROBLEMS = {p.name: p for p in [
    Problem("bowl", _bowl, kernel(_bowl), (1.0, 1.0), ((0.0, 0.0),)),
    Problem("rosenbrock", _rosenbrock, kernel(_rosenbrock), (-1.2, 1.0), ((1.0, 1.0),)),
    Problem("himmelblau", _himmelblau, kernel(_himmelblau), (0.0, 0.0),
            ((3.0, 2.0), (-2.805118086952745, 3.131312518250573),
             (-3.779310253377747, -3.283185991286170),
             (3.584428340330492, -1.848126526964404))),
]}

#: Per-method options that reach gtol = 1e-5 on the surfaces above (found by a
#: sweep over lr and the decay rates; used by the demo, the tests and the
#: benchmarks).  RMSProp needs a long memory (beta = 0.9999): with beta <= 0.999
#: its step g / rms(g) stays of size ~lr and it circles the minimum.  AdaDelta
#: reaches gtol on the bowl and Himmelblau but not on Rosenbrock from (-1.2, 1):
#: over lr in [0.01, 3], rho in [0.9, 0.999], eps in [1e-6, 0.1] it either crawls
#: along the valley or runs off along it.
TUNED_OPTIONS = {
    "gd": {},
    "momentum": {"lr": 1e-3},
    "nesterov": {"lr": 1e-3},
    "adagrad": {"lr": 0.3},
    "rmsprop": {"lr": 1e-3, "beta": 0.9999},
    "adadelta": {"lr": 3.0},
    "adam": {"lr": 0.1},
    "adamax": {"lr": 0.1},
    "nadam": {"lr": 0.03},
    "amsgrad": {"lr": 0.1},
}


def notes_matrix(d, seed=None, low=0.1, high=10.0):
    """A symmetric positive definite ``A`` with eigenvalues log-uniform in
    ``[low, high]`` and random eigenvectors (the notes' noisy linear problem).

    Examples
    --------
    >>> import numpy as np
    >>> A = notes_matrix(5, seed=0)
    >>> l = np.linalg.eigvalsh(A)
    >>> bool(np.allclose(A, A.T) and l.min() >= 0.1 and l.max() <= 10.0)
    True
    """
    rng = np.random.default_rng(seed)
    eigenvalues = np.exp(rng.uniform(np.log(low), np.log(high), d))
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    A = (Q * eigenvalues) @ Q.T
    return 0.5 * (A + A.T)


def noisy_linear_sgd(A, schedule, steps, runs=1, noise=1e-2, theta0=1.0, seed=None,
                     every=1):
    """Simulate SGD on the notes' noisy linear problem, many runs at once.

    ``theta_{k+1} = theta_k - gamma_k (A theta_k + eps_k)``, ``eps_k`` normal
    with mean 0 and covariance ``noise * I`` (or the matrix ``noise``), so
    ``theta* = 0``; ``gamma_k`` from ``schedule`` (anything
    ``fastopt.schedules.as_schedule`` takes), ``k = 0`` first.

    Parameters
    ----------
    A : ndarray, shape (d, d)
    schedule : float, schedule or callable
    steps : int
        Updates per run.
    runs : int, optional
        Independent runs, simulated together.
    noise : float or ndarray (d, d), optional
        Covariance of the gradient noise (the notes: variance 1e-2).
    theta0 : float or ndarray, optional
        Start of every run (a number fills all components).
    seed : int, optional
    every : int, optional
        Record the iterates every ``every`` steps.

    Returns
    -------
    ks : ndarray, shape (steps // every + 1,)
        The recorded step numbers (0 and every ``every``-th).
    thetas : ndarray, shape (len(ks), runs, d)
        ``theta_k`` of each run at those steps.

    Examples
    --------
    With no noise and a constant step below ``2 / lambda_max`` the error
    falls exponentially:

    >>> import numpy as np
    >>> A = np.diag([0.5, 2.0])
    >>> ks, th = noisy_linear_sgd(A, 0.4, 200, noise=0.0, every=200)
    >>> bool(np.abs(th[-1]).max() < 1e-15)
    True
    """
    from ..schedules import as_schedule
    A = np.asarray(A, dtype=np.float64)
    d = A.shape[0]
    rng = np.random.default_rng(seed)
    rates = as_schedule(schedule).values(0, steps)
    cov = np.asarray(noise, dtype=np.float64)
    factor = np.sqrt(cov) * np.eye(d) if cov.ndim == 0 else np.linalg.cholesky(cov)
    theta = np.broadcast_to(np.asarray(theta0, dtype=np.float64), (runs, d)).copy()
    record = [theta.copy()]
    for k in range(steps):
        eps = rng.standard_normal((runs, d)) @ factor.T
        theta -= rates[k] * (theta @ A.T + eps)
        if (k + 1) % every == 0:
            record.append(theta.copy())
    return np.arange(len(record)) * every, np.array(record)
