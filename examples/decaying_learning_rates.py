"""The notes' comparison of learning-rate regimes on the noisy linear problem.

``theta_{k+1} = theta_k - gamma_k (A theta_k + eps_k)`` with ``A``'s
eigenvalues log-uniform in [0.1, 10] and gradient noise of variance 1e-2
(``fastopt.problems.noisy_linear_sgd``), under three schedules:

* constant ``gamma = 0.1``: fast at first, then the error stalls at the noise
  floor, whose size ``fastopt.sgd_covariance(A, 1e-2 * np.eye(d), lr=0.1)``
  predicts;
* exponential decay ``gamma_k = 0.1 * 0.999^k``: the steps vanish so fast that
  the error freezes wherever it was when they did (``sum gamma_k`` is finite);
* algebraic decay ``gamma_k = 0.1 / (1 + k / 100)``: the error keeps falling,
  as ``sqrt(gamma_k)`` (Robbins-Monro: ``sum gamma_k = inf``,
  ``sum gamma_k^2 < inf``).

Run ``python examples/decaying_learning_rates.py [out.png]`` (needs matplotlib:
``pip install 'fastopt[plot]'``); it prints the root-mean-square error of each
regime at a few step counts and writes the plot.
"""
import sys

import numpy as np

from fastopt.problems import noisy_linear_sgd, notes_matrix
from fastopt.schedules import Constant, ExponentialDecay, InverseTime

REGIMES = {
    "constant 0.1": Constant(0.1),
    "exponential 0.1 * 0.999^k": ExponentialDecay(0.1, 0.999),
    "algebraic 0.1 / (1 + k/100)": InverseTime(0.1, 100.0, 1.0),
}


def rms_errors(steps=20_000, runs=200, d=10, seed=0, every=50):
    """``ks`` and, per regime, the root-mean-square ``||theta_k||`` over runs."""
    A = notes_matrix(d, seed=seed)
    errors = {}
    for name, schedule in REGIMES.items():
        ks, thetas = noisy_linear_sgd(A, schedule, steps, runs=runs, noise=1e-2, seed=seed + 1,
                                      every=every)
        errors[name] = np.sqrt(np.mean(np.sum(thetas ** 2, axis=2), axis=1))
    return ks, errors


def main(path="decaying_learning_rates.png"):
    ks, errors = rms_errors()
    for name, e in errors.items():
        picks = ", ".join(f"k={k}: {e[i]:.2e}" for i, k in enumerate(ks) if k in (1000, 5000, 20000))
        print(f"{name:30s} {picks}")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("the plot needs matplotlib: pip install 'fastopt[plot]'")
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, e in errors.items():
        ax.loglog(ks[1:], e[1:], label=name)
    ax.set_xlabel("update k")
    ax.set_ylabel("rms error ||theta_k - theta*||")
    ax.set_title("SGD on the noisy linear problem (200 runs)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"wrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
