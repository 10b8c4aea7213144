"""asv suite and script: one epoch of minimize_stochastic, compiled loss vs Python loss.

The bar's problem: linear least squares, 1e5 samples, 20 features, batch 32,
Adam.  The same loss written once with NumPy and once compiled with
``numba.njit``: the compiled one runs the whole epoch as one compiled loop.

    python benchmarks/bench_stochastic.py

prints the median time per epoch of each (interleaved repeats) and the ratio,
and, for scale, the time the compiled loss alone takes on the same batches
read in order (no sampling, no gather, no update): no epoch of this problem
can be faster than that.
"""
import time

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


def main():
    X, y = data()
    one_epoch(loss_compiled, X[:64], y[:64])
    a, b = one_epoch(loss_compiled, X, y), one_epoch(loss, X, y)
    assert np.allclose(a.x, b.x, rtol=1e-10)
    w = np.zeros(X.shape[1])
    loss_alone(X, y, w, 32)
    ours, theirs, alone = [], [], []
    for _ in range(15):
        t0 = time.perf_counter()
        one_epoch(loss_compiled, X, y)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        one_epoch(loss, X, y)
        theirs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        loss_alone(X, y, w, 32)
        alone.append(time.perf_counter() - t0)
    ours, theirs, alone = np.median(ours), np.median(theirs), np.median(alone)
    print(f"one epoch (1e5 x 20, batch 32, Adam): compiled loss {ours * 1e3:.2f} ms, "
          f"Python loss {theirs * 1e3:.1f} ms, ratio {theirs / ours:.1f}x")
    print(f"the compiled loss alone on the batches in order: {alone * 1e3:.2f} ms "
          f"(Python epoch / this = {theirs / alone:.1f}x)")


if __name__ == "__main__":
    main()
