"""least_squares' textbook methods: gauss-newton, levenberg, marquardt.

Each first step is checked against a NumPy transcription of its formula
(normal equations solved directly, fine for these well-conditioned cases),
and each method against the known solution of test problems.
"""
import numpy as np
import pytest

import fastopt
from fastopt._lsq.table import METHODS

#: The textbook methods of the table: every method but 'lm'.
TEXTBOOK = [m for m in METHODS if m != "lm"]

T = np.linspace(0.0, 4.0, 25)
Y = 3.0 * np.exp(-1.3 * T) + 0.4


def _exp_fun(p):
    return p[0] * np.exp(-p[1] * T) + p[2] - Y


def _exp_jac(p):
    e = np.exp(-p[1] * T)
    return np.column_stack([e, -p[0] * T * e, np.ones_like(T)])


def _recording(fun):
    points = []

    def recorded(p):
        points.append(p.copy())
        return fun(p)
    return recorded, points


@pytest.mark.parametrize("method", ["levenberg", "marquardt"])
def test_first_damped_step_is_the_formula(method):
    x0 = np.array([1.0, 0.5, 0.0])
    fun, points = _recording(_exp_fun)
    fastopt.least_squares(fun, x0, jac=_exp_jac, method=method, max_nfev=2)
    J, f = _exp_jac(x0), _exp_fun(x0)
    A = J.T @ J
    if method == "levenberg":
        D2, lam = np.eye(3), 1e-3 * np.diag(A).max()
    else:
        D2, lam = np.diag(np.diag(A)), 1e-3
    step = np.linalg.solve(A + lam * D2, J.T @ f)
    np.testing.assert_allclose(points[1], x0 - step, rtol=1e-10)


def test_first_gauss_newton_step_is_the_least_squares_step():
    x0 = np.array([2.5, 1.0, 0.3])
    fun, points = _recording(_exp_fun)
    fastopt.least_squares(fun, x0, jac=_exp_jac, method="gauss-newton", max_nfev=2)
    step = np.linalg.lstsq(_exp_jac(x0), _exp_fun(x0), rcond=None)[0]
    np.testing.assert_allclose(points[1], x0 - step, rtol=1e-10)


@pytest.mark.parametrize("method", TEXTBOOK)
@pytest.mark.parametrize("jac", ["2-point", _exp_jac])
def test_reaches_the_exact_fit(method, jac):
    res = fastopt.least_squares(_exp_fun, [1.0, 0.5, 0.0], jac=jac, method=method,
                                ftol=1e-12, xtol=1e-12)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [3.0, 1.3, 0.4], rtol=1e-7)
    assert res.nfev >= res.njev and res.nit > 0


@pytest.mark.parametrize("method", TEXTBOOK)
def test_rosenbrock_from_the_standard_start(method):
    def fun(x):
        return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])
    res = fastopt.least_squares(fun, [-1.2, 1.0], method=method, xtol=1e-12, max_nfev=10_000)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [1.0, 1.0], rtol=1e-6)


def test_damping_copes_with_a_noisy_fit_like_lm():
    rng = np.random.default_rng(0)
    y = Y + 0.02 * rng.standard_normal(T.size)

    def fun(p):
        return p[0] * np.exp(-p[1] * T) + p[2] - y
    ref = fastopt.least_squares(fun, [1.0, 0.5, 0.0], jac=_exp_jac, ftol=1e-14, xtol=1e-14)
    for method in TEXTBOOK:
        res = fastopt.least_squares(fun, [1.0, 0.5, 0.0], jac=_exp_jac, method=method,
                                    ftol=1e-14, xtol=1e-14)
        assert res.success
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-6)


@pytest.mark.parametrize("method", TEXTBOOK)
def test_failures_are_reported(method):
    res = fastopt.least_squares(lambda x: np.array([np.nan, x[0]]), [1.0], method=method)
    assert not res.success and res.status == -2
    res = fastopt.least_squares(_exp_fun, [1.0, 0.5, 0.0], method=method, max_nfev=6)
    assert not res.success and res.status == 0


def test_gauss_newton_without_descent_stops_unsuccessfully():
    # A wrong (negated) Jacobian: the "Gauss-Newton" direction climbs.
    res = fastopt.least_squares(_exp_fun, [1.0, 0.5, 0.0], jac=lambda p: -_exp_jac(p),
                                method="gauss-newton")
    assert not res.success and res.status == -3 and "line search" in res.message


def test_unknown_method():
    with pytest.raises(ValueError, match="method"):
        fastopt.least_squares(_exp_fun, [1.0, 0.5, 0.0], method="dogleg")


def test_gauss_newton_does_not_call_a_backtracked_step_convergence():
    # Freudenstein-Roth from (0.5, -2): Gauss-Newton's line search crawls
    # (tiny backtracked steps, tiny decreases) far from the minimum; that
    # must not pass the ftol/xtol tests as success.
    def fun(x):
        return np.array([-13 + x[0] + ((5 - x[1]) * x[1] - 2) * x[1],
                         -29 + x[0] + ((x[1] + 1) * x[1] - 14) * x[1]])
    res = fastopt.least_squares(fun, [0.5, -2.0], method="gauss-newton")
    # Its line search ends finding no decrease, far from any stationary point.
    assert res.status == -3 and not res.success and res.optimality > 1.0
    for method in ("levenberg", "marquardt"):
        res = fastopt.least_squares(fun, [0.5, -2.0], method=method)
        assert res.success and abs(2 * res.cost - 48.98425367924) < 1e-6  # MGH #2, local min


@pytest.mark.parametrize("method", TEXTBOOK)
def test_a_non_finite_start_returns_no_stale_jacobian(method):
    res = fastopt.least_squares(lambda x: np.array([np.inf, x[0]]), [1.0], method=method)
    assert res.status == -2 and np.isnan(res.jac).all()


@pytest.mark.parametrize("method", list(METHODS))
def test_huge_residuals_never_raise(method):
    # Squares of 1e200 overflow.  pytest turns warnings into errors here, so
    # neither an exception nor a warning may escape: every method works with
    # scaled norms, never the overflowing sum of squares itself.
    res = fastopt.least_squares(lambda x: np.array([1e200 * x[0], 1.0]), [1.0], method=method)
    if method == "lm":
        # MINPACK's scaled trust region goes all the way to the minimum x = 0.
        assert res.status == 2 and abs(res.x[0]) < 1e-200 and res.cost == 0.5
    else:
        # scipy's xtol test (step below xtol (xtol + |x|)) stops the textbook
        # methods 25 orders of magnitude closer, where the cost still
        # overflows: reported, not raised.
        assert res.status == 3 and abs(res.x[0]) < 1e-24 and res.cost == np.inf
