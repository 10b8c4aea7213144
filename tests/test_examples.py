"""The example scripts: their numbers against the theory they illustrate."""
import importlib.util
from pathlib import Path

import numpy as np

from fastopt import sgd_covariance
from fastopt.testing.problems import notes_matrix

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_decaying_learning_rates_tell_the_notes_story():
    example = _example("decaying_learning_rates")
    ks, errors = example.rms_errors(steps=20_000, runs=100, d=10, seed=0, every=100)
    A, noise = notes_matrix(10, seed=0), 1e-2 * np.eye(10)
    constant = errors["constant 0.1"]
    exponential = errors["exponential 0.1 * 0.999^k"]
    algebraic = errors["algebraic 0.1 / (1 + k/100)"]
    # Constant step: a plateau at the stationary covariance's trace.
    floor = np.trace(sgd_covariance(A, noise, lr=0.1))
    np.testing.assert_allclose(np.mean(constant[ks >= 2000] ** 2), floor, rtol=0.1)
    # Exponential decay: frozen (sum of steps finite) above the algebraic end.
    assert abs(exponential[-1] / exponential[ks == 10_000][0] - 1) < 0.02
    assert algebraic[-1] < 0.7 * exponential[-1] < constant[-1]
    # Algebraic 10 / (k + 100): E||theta_k||^2 ~ gamma_k tr V, V from the
    # harmonic Lyapunov equation (c = 10).
    V = sgd_covariance(A, noise, harmonic=10.0)
    gamma = 0.1 / (1 + ks[-1] / 100)
    np.testing.assert_allclose(algebraic[-1] ** 2, gamma * np.trace(V), rtol=0.15)
