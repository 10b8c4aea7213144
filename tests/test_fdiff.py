"""approx_fprime and check_grad against known gradients."""
import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given, settings, strategies as st

import fastopt


def f(x):
    return np.sum(np.sin(x) * np.exp(0.1 * x)) + x[0] * x[-1]


def grad(x):
    g = np.cos(x) * np.exp(0.1 * x) + 0.1 * np.sin(x) * np.exp(0.1 * x)
    g[0] += x[-1]
    g[-1] += x[0]
    return g


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-10, 10), min_size=1, max_size=8))
def test_approx_fprime_matches_known_gradient(values):
    x = np.array(values)
    g = grad(x)
    # On [-10, 10]: |f''| <= 6, |f'''| <= 6, |f| <= 125.  Forward error
    # <= h |f''| / 2 + 2 eps |f| / h ~ 1e-6; central <= h^2 |f'''| / 6 + eps |f| / h ~ 1e-8.
    np.testing.assert_allclose(fastopt.approx_fprime(x, f), g, rtol=0, atol=1e-5)
    np.testing.assert_allclose(fastopt.approx_fprime(x, f, None, method="3-point"), g,
                               rtol=0, atol=1e-7)


def test_relative_steps_handle_tiny_parameters():
    # f = (x / 1e-8)^2: an absolute step of 1.5e-8 is useless, a relative one is exact-ish
    x = np.array([3e-9])
    fun = lambda x: (x[0] / 1e-8) ** 2
    exact = 2 * x[0] / 1e-16
    assert abs(fastopt.approx_fprime(x, fun, None, method="3-point")[0] - exact) < 1e-6 * exact


def test_absolute_epsilon_like_scipy():
    from scipy.optimize import approx_fprime as scipy_fprime
    x = np.array([1.0, 2.0, 3.0])
    ours = fastopt.approx_fprime(x, f, 1e-6)
    np.testing.assert_allclose(ours, scipy_fprime(x, f, 1e-6), rtol=1e-12)


def test_args_passed():
    g = fastopt.approx_fprime(np.array([2.0]), lambda x, a: a * x[0] ** 2, None, 3.0)
    np.testing.assert_allclose(g, [12.0], rtol=1e-6)


def test_check_grad_detects_a_wrong_gradient():
    x = np.linspace(-2, 2, 6)
    assert fastopt.check_grad(f, grad, x) < 1e-8
    wrong = lambda x: grad(x) * np.array([1, 1, 1, 1.001, 1, 1])
    assert fastopt.check_grad(f, wrong, x) > 1e-4


def test_fd_bad_input():
    with pytest.raises(TypeError, match="f must be callable"):
        fastopt.approx_fprime(np.ones(2), None)
    with pytest.raises(ValueError, match="method"):
        fastopt.approx_fprime(np.ones(2), f, method="5-point")
    with pytest.raises(ValueError, match="epsilon"):
        fastopt.approx_fprime(np.ones(2), f, 0.0)
    with pytest.raises(ValueError, match="one dimension"):
        fastopt.approx_fprime(np.ones((2, 2)), f)
    with pytest.raises(ValueError, match="shape"):
        fastopt.check_grad(f, lambda x: np.ones(5), np.ones(2))


@pytest.mark.parametrize("method", ["2-point", "3-point"])
def test_approx_fprime_of_a_vector_function_is_its_jacobian(method):
    def F(x):
        return np.array([x[0] * x[1], np.sin(x[1]), x[0] ** 3])
    x = np.array([0.7, -1.3])
    exact = np.array([[x[1], x[0]], [0.0, np.cos(x[1])], [3 * x[0] ** 2, 0.0]])
    J = fastopt.approx_fprime(x, F, method=method)
    assert J.shape == (3, 2)
    np.testing.assert_allclose(J, exact, atol=1e-6 if method == "2-point" else 1e-9)
    ref = so.approx_fprime(x, F)  # scipy's (absolute steps)
    np.testing.assert_allclose(J, ref, atol=1e-6)


def test_check_grad_along_a_random_direction():
    x = np.linspace(0.1, 1.0, 6)
    good = fastopt.check_grad(f, grad, x, direction="random", rng=1)
    wrong = fastopt.check_grad(f, lambda x: grad(x) + 1e-3, x, direction="random", rng=1)
    assert good < 1e-8 and wrong > 1e-4
    assert good == fastopt.check_grad(f, grad, x, direction="random", rng=1)  # seeded
    with pytest.raises(ValueError, match="direction"):
        fastopt.check_grad(f, grad, x, direction="some")
