"""asv suite and script: one epoch of minimize_stochastic, compiled loss vs Python loss.

The bar's problem: linear least squares, 1e5 samples, 20 features, batch 32,
Adam.  The same loss written once with NumPy and once compiled with
``numba.njit``: the compiled one runs the whole epoch as one compiled loop.

    python benchmarks/bench_stochastic.py

prints the median time per epoch of each (interleaved repeats) and the ratio.
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
    ours, theirs = [], []
    for _ in range(7):
        t0 = time.perf_counter()
        one_epoch(loss_compiled, X, y)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        one_epoch(loss, X, y)
        theirs.append(time.perf_counter() - t0)
    ours, theirs = np.median(ours), np.median(theirs)
    print(f"one epoch (1e5 x 20, batch 32, Adam): compiled loss {ours * 1e3:.1f} ms, "
          f"Python loss {theirs * 1e3:.1f} ms, ratio {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
