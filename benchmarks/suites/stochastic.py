"""asv suite: one epoch of minimize_stochastic, compiled loss vs Python loss.

The bar's problem: linear least squares, 1e5 samples, 20 features, batch 32,
Adam.  The same loss written once with NumPy and once compiled with
``numba.njit``: the compiled one runs the whole epoch as one compiled loop.

``python -m benchmarks.scripts.stochastic`` prints the median time per epoch
of each (interleaved repeats) and the ratio, and, for scale, the time the
compiled loss alone takes on the same batches read in order (``loss_alone``:
no sampling, no gather, no update): no epoch of this problem can be faster
than that.
"""
import numba
import numpy as np

import fastopt


def loss(w, Xb, yb):
    r = Xb @ w - yb
    return 0.5 * np.mean(r ** 2), Xb.T @ r / yb.size


@numba.njit
def loss_compiled(w, Xb, yb):
    r = Xb @ w - yb
    return 0.5 * np.mean(r ** 2), Xb.T @ r / yb.size


def data(N=100_000, n=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, n))
    return X, X @ rng.standard_normal(n) + 0.1 * rng.standard_normal(N)


@numba.njit
def loss_alone(X, y, w, batch_size):
    """The compiled loss on every batch of rows in order, nothing else."""
    total = 0.0
    for start in range(0, y.size, batch_size):
        loss, g = loss_compiled(w, X[start:start + batch_size], y[start:start + batch_size])
        total += loss + g[0]
    return total


def one_epoch(fun, X, y):
    return fastopt.minimize_stochastic(fun, np.zeros(X.shape[1]), (X, y), method="adam",
                                       batch_size=32, epochs=1, seed=0,
                                       options={"lr": 1e-3})


class StochasticEpoch:
    """Seconds per epoch, Adam, batch 32, 1e5 x 20 linear least squares."""

    timeout = 300

    def setup(self):
        self.X, self.y = data()
        one_epoch(loss_compiled, self.X[:64], self.y[:64])  # compile

    def time_compiled_loss(self):
        one_epoch(loss_compiled, self.X, self.y)

    def time_python_loss(self):
        one_epoch(loss, self.X, self.y)
