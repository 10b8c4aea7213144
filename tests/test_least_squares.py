"""least_squares(method='lm'): kernels against NumPy, solves against scipy and known minima."""
import numpy as np
import pytest
import scipy.optimize as so

import fastopt
from fastopt._lsq.kernels import trust_lm


def _factor(J):
    m, n = J.shape
    Jt = np.ascontiguousarray(J.T)
    perm = np.empty(n, dtype=np.int64)
    rdiag, colnorm, work = np.empty(n), np.empty(n), np.empty(n)
    trust_lm.qr_pivoted(Jt, perm, rdiag, colnorm, work)
    R = np.empty((n, n))
    trust_lm.upper_factor(Jt, rdiag, R)
    return Jt, perm, R, colnorm


@pytest.mark.parametrize("shape", [(7, 3), (30, 5), (5, 5)])
def test_pivoted_qr_reproduces_the_matrix(shape):
    rng = np.random.default_rng(sum(shape))
    J = rng.standard_normal(shape) * np.logspace(0, 3, shape[1])
    f = rng.standard_normal(shape[0])
    Jt, perm, R, colnorm = _factor(J)
    np.testing.assert_allclose(colnorm, np.linalg.norm(J, axis=0), rtol=1e-14)
    # R^T R = (J P)^T (J P), and |diag R| does not increase (pivoting).
    JP = J[:, perm]
    np.testing.assert_allclose(R.T @ R, JP.T @ JP, rtol=1e-10, atol=1e-10 * np.abs(J).max() ** 2)
    assert np.all(np.diff(np.abs(np.diag(R))) <= 1e-12)
    # Q^T f agrees with R^{-T} (J P)^T f.
    qtf = np.empty(shape[1])
    trust_lm.qt_times(Jt, f, qtf)
    np.testing.assert_allclose(R.T @ qtf, JP.T @ f, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("seed", range(4))
def test_damped_solve_matches_the_normal_equations(seed):
    rng = np.random.default_rng(seed)
    m, n = 12, 4
    J = rng.standard_normal((m, n))
    f = rng.standard_normal(m)
    D = rng.uniform(0.5, 2.0, n)
    Jt, perm, R, _ = _factor(J)
    qtf = np.empty(n)
    trust_lm.qt_times(Jt, f, qtf)
    p, sdiag, work = np.empty(n), np.empty(n), np.empty(n)
    trust_lm.damped_solve(R, perm, D, qtf, p, sdiag, work)
    expected = np.linalg.solve(J.T @ J + np.diag(D ** 2), J.T @ f)
    np.testing.assert_allclose(p, expected, rtol=1e-10)


@pytest.mark.parametrize("delta", [1e-3, 0.1, 1.0, 100.0])
def test_lm_parameter_finds_the_trust_region_step(delta):
    rng = np.random.default_rng(3)
    m, n = 15, 4
    J = rng.standard_normal((m, n))
    f = 10 * rng.standard_normal(m)
    diag = rng.uniform(0.5, 2.0, n)
    Jt, perm, R, _ = _factor(J)
    qtf = np.empty(n)
    trust_lm.qt_times(Jt, f, qtf)
    p = np.empty(n)
    scratch = [np.empty(n) for _ in range(4)]
    par = trust_lm.lm_parameter(R, perm, diag, qtf, delta, 0.0, p, *scratch)
    gauss_newton = np.linalg.lstsq(J, f, rcond=None)[0]
    if par == 0.0:
        assert np.linalg.norm(diag * gauss_newton) <= 1.1 * delta
        np.testing.assert_allclose(p, gauss_newton, rtol=1e-10)
    else:
        assert abs(np.linalg.norm(diag * p) - delta) <= 0.1 * delta
        expected = np.linalg.solve(J.T @ J + par * np.diag(diag ** 2), J.T @ f)
        np.testing.assert_allclose(p, expected, rtol=1e-9)


def _exp_problem():
    t = np.linspace(0.0, 4.0, 20)
    y = 3.0 * np.exp(-1.5 * t) + 0.01 * np.cos(7 * t)
    return t, y, lambda p: p[0] * np.exp(-p[1] * t) - y


def test_takes_scipys_minpack_steps():
    # Same algorithm and finite-difference step as scipy's MINPACK: the same
    # points, call by call, until rounding (norms summed differently) flips a
    # discrete choice of the damping iteration; the same answer.
    t, y, fun = _exp_problem()
    ours, theirs = [], []
    res = fastopt.least_squares(lambda p: (ours.append(p.copy()), fun(p))[1], [1.0, 1.0],
                                refine=False)
    ref = so.least_squares(lambda p: (theirs.append(p.copy()), fun(p))[1], [1.0, 1.0],
                           method="lm")
    assert res.success and ref.success
    np.testing.assert_allclose(np.array(ours[:6]), np.array(theirs[:6]), rtol=1e-14)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-10)
    np.testing.assert_allclose(res.jac, ref.jac, rtol=1e-6)
    assert res.nfev == len(ours) and abs(len(ours) - len(theirs)) <= 3


def _exp_jac(t):
    def jac(p):
        e = np.exp(-p[1] * t)
        return np.column_stack([e, -p[0] * t * e])
    return jac


@pytest.mark.parametrize("jac", ["2-point", "3-point"])
def test_refinement_reaches_the_least_squares_solution(jac):
    # Reference: Gauss-Newton on the analytic Jacobian, iterated to its fixed
    # point J^T f = 0 from scipy's answer (which itself stops ~5e-10 short).
    t, y, fun = _exp_problem()
    jacobian = _exp_jac(t)
    exact = so.least_squares(fun, [1.0, 1.0], jac=jacobian, method="lm").x
    for _ in range(5):
        exact = exact - np.linalg.lstsq(jacobian(exact), fun(exact), rcond=None)[0]
    assert np.abs(jacobian(exact).T @ fun(exact)).max() < 1e-15
    res = fastopt.least_squares(fun, [1.0, 1.0], jac=jac)
    plain = fastopt.least_squares(fun, [1.0, 1.0], jac=jac, refine=False)
    assert res.success and plain.success and res.status == plain.status
    np.testing.assert_allclose(res.x, exact, rtol=1e-13)
    # The gradient J^T f is what improves; the sum of squares is flat to rounding.
    assert res.optimality < 1e-3 * plain.optimality
    assert res.nfev > plain.nfev and res.cost <= plain.cost * (1 + 1e-12)
    # Without refinement, the default tolerances stop short.
    assert np.abs(plain.x / exact - 1).max() > 1e-10


def test_result_fields_with_an_analytic_jacobian():
    t, y, fun = _exp_problem()
    jac = _exp_jac(t)
    res = fastopt.least_squares(fun, [1.0, 1.0], jac=jac, xtol=1e-12, ftol=1e-12)
    ref = so.least_squares(fun, [1.0, 1.0], jac=jac, method="lm", xtol=1e-12, ftol=1e-12)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-10)
    np.testing.assert_allclose(res.cost, 0.5 * np.sum(fun(res.x) ** 2), rtol=1e-14)
    np.testing.assert_allclose(res.fun, fun(res.x), rtol=1e-14)
    np.testing.assert_allclose(res.jac, jac(res.x), rtol=1e-14)
    np.testing.assert_allclose(res.grad, jac(res.x).T @ fun(res.x), rtol=1e-12, atol=1e-14)
    assert res.optimality == np.abs(res.grad).max()
    assert res.success and res.status in (1, 2, 3, 4)


def test_rank_deficient_jacobian():
    # Only p0 + p1 is determined: any point on the line is a minimum.
    def fun(p):
        s = p[0] + p[1]
        return np.array([s - 1.0, 2.0 * s - 2.0, s - 1.0])
    res = fastopt.least_squares(fun, [3.0, 5.0])
    assert res.success and res.cost < 1e-20
    assert abs(res.x.sum() - 1.0) < 1e-10


def test_tiny_parameters_keep_a_relative_step():
    # y = a exp(-t / b) with a ~ 1e-9: scipy's absolute step for |x| < 1 would
    # be larger than a itself; MINPACK's relative step is not.
    t = np.linspace(0.0, 5.0, 30)
    y = 2e-9 * np.exp(-t / 1.3)
    res = fastopt.least_squares(lambda p: p[0] * np.exp(-t / p[1]) - y, [1e-9, 1.0],
                                ftol=1e-15, xtol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(res.x, [2e-9, 1.3], rtol=1e-8)


def test_rosenbrock_known_minimum():
    res = fastopt.least_squares(lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]]),
                                [-1.2, 1.0], xtol=1e-15)
    np.testing.assert_allclose(res.x, [1.0, 1.0], rtol=1e-12)


def test_non_finite_residuals():
    # NaN from the start: reported, not raised.
    res = fastopt.least_squares(lambda x: np.array([np.nan, x[0]]), [1.0])
    assert not res.success and res.status == -2
    # NaN beyond x = 2 met by a trial step: the step is rejected and shrunk.
    res = fastopt.least_squares(
        lambda x: np.array([x[0] - 3.0 if x[0] < 2.0 else np.nan, 0.0]), [0.0])
    assert np.isfinite(res.x).all() and res.x[0] < 2.0


def test_max_nfev_is_not_success():
    t, y, fun = _exp_problem()
    res = fastopt.least_squares(fun, [1.0, 1.0], max_nfev=5)
    assert res.status == 0 and not res.success


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(x0=[np.nan]), ValueError, "x0"),
    (dict(x0=[[1.0]]), ValueError, "x0"),
    (dict(method="simplex"), ValueError, "method"),
    (dict(ftol=-1.0), ValueError, "ftol"),
    (dict(jac=["2-point"]), ValueError, "jac"),
    (dict(x_scale=0.0), ValueError, "x_scale"),
    (dict(max_nfev=0), ValueError, "max_nfev"),
    (dict(x0=[1.0, 2.0, 3.0, 4.0], method="lm"), ValueError, "m >= n"),
])
def test_bad_input(kwargs, error, match):
    args = dict(fun=lambda x: np.array([x[0] - 1.0, x[-1] + 1.0, 0.5]), x0=[0.0])
    args.update(kwargs)
    with pytest.raises(error, match=match):
        fastopt.least_squares(**args)


def _brown_dennis(x):
    # MGH 1981 problem 16 in residual form (m = 20): large residuals at the minimum.
    t = np.arange(1, 21) / 5.0
    return (x[0] + t * x[1] - np.exp(t)) ** 2 + (x[2] + x[3] * np.sin(t) - np.cos(t)) ** 2


def test_refinement_never_leaves_a_large_residual_minimum():
    # With large residuals, chord steps (the Jacobian held fixed) converge to
    # where the held Jacobian is orthogonal to f, not to the minimum: the
    # refinement must notice from a fresh Jacobian and undo them.  Known
    # minimum f = 85822.2016 (MGH; sum of squares, no factor 1/2).
    # The slow valley is not run to its end within the refinement's budget
    # at default tolerances (f 2.5e-8 above the minimum, from 7.4e-8), but
    # the fit must only improve; tight tolerances reach the minimum.
    x0 = [25.0, 5.0, -5.0, -1.0]
    fmin = 85822.20163  # to the ten digits of fastopt.classic
    plain = fastopt.least_squares(_brown_dennis, x0, refine=False)
    res = fastopt.least_squares(_brown_dennis, x0)
    assert res.success and plain.success
    assert fmin * (1 - 1e-10) <= 2 * res.cost <= 2 * plain.cost
    tight = fastopt.least_squares(_brown_dennis, x0, ftol=1e-15, xtol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(2 * tight.cost, fmin, rtol=1e-10)


def test_a_relative_step_lost_to_rounding_is_retried_absolute():
    # x_0 = 1e-24 added to terms of size 1: the relative step 1.5e-32 is lost,
    # the column would come out zero and the fit stall.  The column is
    # differenced again with the absolute step sqrt(eps).
    from fastopt._core.fdiff import CENTRAL_STEP, FORWARD_STEP, fd_jacobian
    from fastopt._lsq.problem import Residuals, evaluate
    fun = lambda x: np.array([1.0 + x[0] - x[1], 2.0 + 3.0 * x[0], x[1] - 1.0])
    problem = Residuals(fun, None, (), {}, 2)
    x = np.array([1e-24, 0.5])
    f = problem.residuals(x)
    for step in (FORWARD_STEP, -CENTRAL_STEP):
        Jt = np.empty((2, 3))
        fd_jacobian(evaluate, problem, x, f, Jt, step, np.zeros(2, dtype=np.int64))
        np.testing.assert_allclose(Jt, [[1.0, 3.0, 0.0], [-1.0, 0.0, 1.0]], rtol=1e-6)


# --- scipy's interface: the forms of the arguments scipy's least_squares takes ----

def _trivial(x, a=0.0):
    return (x - a) ** 2 + 5.0


def _trivial_jac(x, a=0.0):
    return 2.0 * (x - a)  # shape (1,) for m = n = 1: taken as (1, 1), as scipy does


@pytest.mark.parametrize("jac", ["2-point", "3-point", _trivial_jac])
def test_args_kwargs_and_a_one_dimensional_jacobian(jac):
    ref = so.least_squares(_trivial, 2.0, jac, args=(3.0,), method="lm")
    for extra in (dict(args=(3.0,)), dict(kwargs={"a": 3.0})):
        res = fastopt.least_squares(_trivial, 2.0, jac, method="lm", fallback="error", **extra)
        assert res.implementation == "fastopt" and res.success
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-4)
        assert res.jac.shape == (1, 1)
    # scipy's 'lm' reports no Jacobian evaluations when it differences.
    assert (res.njev is None) == (ref.njev is None) == (not callable(jac))


@pytest.mark.parametrize("x_scale", ["auto", -1.0, 0.0, 1.0 + 2.0j, [1.0, 2.0], np.inf])
def test_bad_x_scale_is_a_value_error_as_in_scipy(x_scale):
    with pytest.raises(ValueError, match="x_scale"):
        so.least_squares(_trivial, 2.0, x_scale=x_scale, method="lm")
    with pytest.raises(ValueError, match="x_scale"):
        fastopt.least_squares(_trivial, 2.0, x_scale=x_scale, method="lm")


@pytest.mark.parametrize("x_scale", [1.0, np.array([0.5]), "jac", None])
def test_x_scale_forms_reach_the_minimum(x_scale):
    res = fastopt.least_squares(_trivial, 2.0, x_scale=x_scale, fallback="error")
    assert res.success and abs(res.x[0]) < 1e-12


@pytest.mark.parametrize("x0", [2.0 + 0.0j, [1.0, 2.0 + 0.0j]])
def test_complex_x0_is_a_value_error_as_in_scipy(x0):
    with pytest.raises(ValueError, match="x0"):
        so.least_squares(_trivial, x0, method="lm")
    with pytest.raises(ValueError, match="x0"):
        fastopt.least_squares(_trivial, x0, method="lm")


def test_workers_give_the_serial_fit():
    serial = fastopt.least_squares(_trivial, 2.0)
    for workers in (None, 2, map):
        res = fastopt.least_squares(_trivial, 2.0, workers=workers, fallback="error")
        assert res.implementation == "fastopt"
        np.testing.assert_array_equal(res.x, serial.x)
        assert (res.nfev, res.njev) == (serial.nfev, serial.njev)
    with pytest.raises(TypeError, match="workers"):
        fastopt.least_squares(_trivial, 2.0, workers="four")


def _product_fun(p):
    return np.array([p[0] - 1.0, p[1] - 2.0, p[0] * p[1] - 2.5])


def _product_jac(p):
    return np.array([[1.0, 0.0], [0.0, 1.0], [p[1], p[0]]])


@pytest.mark.parametrize("wrap", ["sparse", "operator"])
def test_sparse_or_operator_jacobian(wrap):
    from scipy.sparse import csr_array
    from scipy.sparse.linalg import aslinearoperator
    jac = (lambda p: csr_array(_product_jac(p))) if wrap == "sparse" else \
        (lambda p: aslinearoperator(_product_jac(p)))
    # 'lm' factors dense Jacobians: scipy's error type.
    with pytest.raises(ValueError, match="dense"):
        so.least_squares(_product_fun, [0.5, 0.5], jac, method="lm")
    with pytest.raises(ValueError, match="dense"):
        fastopt.least_squares(_product_fun, [0.5, 0.5], jac, method="lm")
    # The default method: scipy's trf, which takes them, as scipy's default does.
    res = fastopt.least_squares(_product_fun, [0.5, 0.5], jac)
    ref = so.least_squares(_product_fun, [0.5, 0.5], jac)
    assert res.implementation == "scipy"
    np.testing.assert_array_equal(res.x, ref.x)
    with pytest.raises(NotImplementedError, match="sparse"):
        fastopt.least_squares(_product_fun, [0.5, 0.5], jac, fallback="error")


def test_float32_residuals_are_differenced_at_their_precision():
    # float64 steps would difference float32 rounding: the Jacobian comes out
    # zero or noise and the fit stops at x0 (scipy's gh-12991).
    rng = np.random.default_rng(1978)
    t = np.linspace(0, 1, 100, dtype=np.float32)
    y = rng.random(size=100, dtype=np.float32)

    def err(p):
        return ((p[0] + p[1] * t).astype(np.float32) - y).astype(np.float32)

    exact = np.polynomial.polynomial.polyfit(t.astype(float), y.astype(float), 1)
    ref = so.least_squares(err, [-1.0, -1.0], method="lm")
    res = fastopt.least_squares(err, [-1.0, -1.0], fallback="error")
    assert res.success and res.nfev > 2 and res.x.dtype == np.float64
    # As close as scipy's 'lm' (whose steps follow the same rule); relative
    # steps would leave it 9e-5 away.
    assert np.abs(res.x - exact).max() <= 1.5 * np.abs(ref.x - exact).max() < 3e-5
    res = fastopt.least_squares(err, [-1.0, -1.0], jac="3-point", fallback="error")
    np.testing.assert_allclose(res.x, exact, atol=1e-6)


# --- hostile input: NaN regions, complex values, in-place changes ----------------

_T = np.linspace(0.0, 3.0, 30)


def _undefined_above(limit, y):
    """exp(-k t) - y, NaN for k > limit (a model undefined past an edge)."""
    def fun(p):
        return np.full(_T.size, np.nan) if p[-1] > limit else p[0] * np.exp(-p[-1] * _T) - y
    return fun


@pytest.mark.parametrize("method", ["lm", "levenberg", "marquardt", "gauss-newton"])
@pytest.mark.parametrize("jac", ["2-point", "3-point", "analytic"])
def test_nan_region_ending_the_fit_short_is_a_failure(method, jac):
    # Data from k = 1.5, model NaN for k > 1.2: the least-squares minimum is
    # out of reach, so the fit stopping at the edge k = 1.2 is no solution
    # (it used to report xtol success).
    y = np.exp(-1.5 * _T)
    fun = _undefined_above(1.2, y)
    fun1 = lambda p: fun([1.0, p[0]])  # noqa: E731
    jacobian = (lambda p: (-_T * np.exp(-p[0] * _T))[:, None]) if jac == "analytic" else jac
    res = fastopt.least_squares(fun1, [0.5], jac=jacobian, method=method)
    assert not res.success and res.status < 0
    assert np.isfinite(res.x).all() and res.x[0] <= 1.2


@pytest.mark.parametrize("method", ["lm", "levenberg", "marquardt", "gauss-newton"])
def test_nan_trials_then_true_convergence_succeed(method):
    # NaN for k <= 0 is met by early long steps; the minimum (k ~ 0.05) is
    # inside the finite region and every method still finds it (scipy's as reference).
    y = 2.0 * np.exp(-0.05 * _T) + 0.01 * np.sin(7 * _T)
    def fun(p):
        return np.full(_T.size, np.nan) if p[1] <= 0 else p[0] * np.exp(-p[1] * _T) - y
    ref = so.least_squares(fun, [1.0, 3.0], method="lm", xtol=1e-14, ftol=1e-14)
    res = fastopt.least_squares(fun, [1.0, 3.0], method=method)
    assert res.success
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-6)


@pytest.mark.parametrize("method", ["lm", "levenberg", "marquardt"])
def test_nan_met_only_by_a_wild_first_step_is_no_failure(method):
    # scipy's gh-4555: from p0 = ones two pairs of Jacobian columns are equal,
    # so the first step is mostly rounding noise and meets log(<0).  The fit
    # then converges hundreds of evaluations later; it used to be reported as
    # stopped at a NaN edge.  Reference: the best fit with a = c, b = d (the
    # set LM cannot leave once the noise is damped), by scipy, tightly.
    rng = np.random.default_rng(408113519974467917)
    t = np.arange(100.0)
    y = np.linspace(2, 7, 100) + rng.random(100)

    def fun(p):
        a, b, c, d, e = p
        return a * np.log(t + 1 + b) + c * np.log(t + 1 + d) + e - y

    symmetric = so.least_squares(lambda q: fun([q[0], q[1], q[0], q[1], q[2]]),
                                 [12.9, 450.0, -156.0], method="lm", xtol=1e-15,
                                 ftol=1e-15, gtol=1e-15)
    with np.errstate(invalid="ignore"):
        res = fastopt.least_squares(fun, np.ones(5), method=method, max_nfev=100000)
    assert res.success and res.status > 0
    assert res.cost <= symmetric.cost * (1 + 1e-5)  # ftol 1e-8 in a flat valley


@pytest.mark.parametrize("method", ["lm", "levenberg", "marquardt", "gauss-newton"])
def test_complex_residuals_and_jacobian_raise(method):
    with pytest.raises(ValueError, match="fun"):
        fastopt.least_squares(lambda p: (p - 1.0) * (1 + 1j), [0.5, 0.5], method=method)
    with pytest.raises(ValueError, match="jac"):
        fastopt.least_squares(lambda p: p - 1.0, [0.5, 0.5], method=method,
                              jac=lambda p: np.eye(2) * (1 + 1j))


def test_inputs_unchanged_and_user_exceptions_propagate():
    x0 = np.array([0.5, 0.5])
    fastopt.least_squares(lambda p: np.array([p[0] - 1, p[1] - 2, p[0] * p[1]]), x0)
    np.testing.assert_array_equal(x0, [0.5, 0.5])

    class Boom(Exception):
        pass

    def fun(p):
        if p[0] > 0.7:
            raise Boom
        return p - 1.0
    with pytest.raises(Boom):
        fastopt.least_squares(fun, [0.5, 0.5])
