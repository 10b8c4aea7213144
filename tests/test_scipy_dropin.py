"""A switch from scipy is one import line: scipy's call forms, and the calls
fastopt has no implementation of handed to scipy's code (``implementation``
says so), each checked against scipy's own result."""
import numpy as np
import pytest
import scipy.optimize as so

import fastopt


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


X0 = np.array([-1.2, 1.0, -0.5])


def test_scalar_x0_and_size_one_return():
    # scipy takes a scalar x0 as shape (1,) and a size-1 array as a scalar.
    res = fastopt.minimize(lambda x: (x - 2.0) ** 2, 0.5)
    ref = so.minimize(lambda x: (x - 2.0) ** 2, 0.5)
    assert res.implementation == "fastopt" and res.success
    assert res.x.shape == (1,) and isinstance(res.fun, float)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-6)
    ls = fastopt.least_squares(lambda p: np.array([p[0] - 3.0, 2.0 * p[0] - 6.0]), 1.0)
    assert ls.x.shape == (1,) and ls.success
    np.testing.assert_allclose(ls.x, [3.0], rtol=1e-12)


@pytest.mark.parametrize("kwargs, reason", [
    (dict(method="Nelder-Mead"), "method"),
    (dict(method="Powell"), "method"),
    (dict(bounds=[(-2, 2)] * 3), "bounds"),
    (dict(method="L-BFGS-B", bounds=[(0, 0.5), (None, None), (None, 2)]), "bounds"),
    (dict(method="SLSQP", constraints={"type": "ineq", "fun": lambda x: 1 - x[0]}),
     "SLSQP"),
    (dict(constraints=[{"type": "ineq", "fun": lambda x: 1 - x[0]}]), "constraints"),
    (dict(method="Newton-CG", jac=so.rosen_der, hess=so.BFGS()), "hess"),
    (dict(method="BFGS", jac="cs"), "jac"),
    (dict(method=lambda fun, x0, args, **kw: so.OptimizeResult(x=x0, fun=fun(x0), success=True)),
     "callable"),
])
def test_minimize_hands_over_to_scipy(kwargs, reason):
    res = fastopt.minimize(rosen, X0, **kwargs)
    ref = so.minimize(rosen, X0, **kwargs)
    assert res.implementation == "scipy"
    np.testing.assert_array_equal(res.x, ref.x)  # scipy's code, the same call
    assert res.fun == ref.fun
    with pytest.raises(NotImplementedError, match=reason):
        fastopt.minimize(rosen, X0, fallback="error", **kwargs)


def test_minimize_keeps_its_own_calls():
    for method in ("BFGS", "L-BFGS-B", "Newton-CG", "bfgs", None):
        kw = {"jac": lambda x: so.rosen_der(x)} if method == "Newton-CG" else {}
        res = fastopt.minimize(so.rosen, X0, method=method, fallback="error", **kw)
        assert res.implementation == "fastopt", method
        assert res.success, (method, res.message)
        np.testing.assert_allclose(res.x, np.ones(3), atol=1e-4)


def test_minimize_positional_order_is_scipys():
    # (fun, x0, args, method, jac, hess, hessp, bounds, constraints, tol, callback, options)
    res = fastopt.minimize(lambda x, a: float((x - a) @ (x - a)), [0.0, 0.0],
                           (np.array([1.0, 2.0]),), "BFGS", lambda x, a: 2.0 * (x - a), None,
                           None, None, (), 1e-10, None, {"maxiter": 100})
    assert res.implementation == "fastopt" and res.success
    np.testing.assert_allclose(res.x, [1.0, 2.0], atol=1e-6)


def test_fastopt_only_method_with_bounds_is_an_error():
    with pytest.raises(ValueError, match="bounds"):
        fastopt.minimize(rosen, X0, method="adam", bounds=[(-2, 2)] * 3)
    with pytest.raises(ValueError, match="Unknown method 'simplex'.*'nelder-mead'"):
        fastopt.minimize(rosen, X0, method="simplex")
    with pytest.raises(ValueError, match="fallback"):
        fastopt.minimize(rosen, X0, method="Powell", fallback="never")


def _exp_residuals(p, t, y):
    return p[0] * np.exp(-p[1] * t) - y


T = np.linspace(0.0, 4.0, 25)
Y = 2.5 * np.exp(-1.3 * T) + 0.02 * np.cos(7 * T)


@pytest.mark.parametrize("kwargs, reason", [
    (dict(bounds=([0, 0], [2.0, 10])), "bounds"),
    (dict(method="trf"), "trf"),
    (dict(method="dogbox"), "dogbox"),
    (dict(loss="soft_l1", f_scale=0.1), "loss"),
    (dict(method="lm", diff_step=1e-6), "diff_step"),
    (dict(verbose=0, x_scale=[1.0, 2.0], method="trf"), "trf"),
])
def test_least_squares_hands_over_to_scipy(kwargs, reason):
    res = fastopt.least_squares(_exp_residuals, [1.0, 1.0], args=(T, Y), **kwargs)
    ref = so.least_squares(_exp_residuals, [1.0, 1.0], args=(T, Y), **kwargs)
    assert res.implementation == "scipy"
    np.testing.assert_array_equal(res.x, ref.x)
    with pytest.raises(NotImplementedError, match=reason):
        fastopt.least_squares(_exp_residuals, [1.0, 1.0], args=(T, Y), fallback="error",
                              **kwargs)


def test_least_squares_fewer_residuals_than_parameters_runs_trf():
    # scipy's default method handles m < n; fastopt's default (lm) does not.
    def fun(p):
        return np.array([p[0] + p[1] - 1.0])
    res = fastopt.least_squares(fun, [0.0, 0.0])
    ref = so.least_squares(fun, [0.0, 0.0])
    assert res.implementation == "scipy"
    np.testing.assert_array_equal(res.x, ref.x)


def test_least_squares_unbounded_default_is_fastopts():
    res = fastopt.least_squares(_exp_residuals, [1.0, 1.0], args=(T, Y), fallback="error",
                                bounds=so.Bounds(-np.inf, np.inf))
    ref = so.least_squares(_exp_residuals, [1.0, 1.0], args=(T, Y), xtol=1e-15, ftol=1e-15,
                           gtol=1e-15)
    assert res.implementation == "fastopt" and res.success
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-7)


def _decay(t, a, k):
    return a * np.exp(-k * t)


@pytest.mark.parametrize("kwargs", [
    dict(bounds=(0, [2.0, 10.0])),
    dict(method="trf"),
    dict(method="trf", loss="cauchy"),
    dict(epsfcn=1e-10),
])
def test_curve_fit_hands_over_to_scipy(kwargs):
    popt, pcov, info, _, _ = fastopt.curve_fit(_decay, T, Y, full_output=True, **kwargs)
    ref, ref_cov = so.curve_fit(_decay, T, Y, **kwargs)
    assert info["implementation"] == "scipy"
    np.testing.assert_array_equal(popt, ref)
    np.testing.assert_array_equal(pcov, ref_cov)
    with pytest.raises(NotImplementedError):
        fastopt.curve_fit(_decay, T, Y, fallback="error", **kwargs)


def test_curve_fit_keeps_its_own_calls():
    popt, pcov, info, _, _ = fastopt.curve_fit(_decay, T, Y, full_output=True,
                                               bounds=(-np.inf, np.inf), fallback="error")
    ref, ref_cov = so.curve_fit(_decay, T, Y, ftol=1e-14, xtol=1e-14)
    assert info["implementation"] == "fastopt"
    np.testing.assert_allclose(popt, ref, rtol=1e-8)
    np.testing.assert_allclose(pcov, ref_cov, rtol=1e-5)


def test_curve_fit_check_finite_default_follows_nan_policy():
    y = Y.copy()
    y[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fastopt.curve_fit(_decay, T, y)
    popt, _ = fastopt.curve_fit(_decay, T, y, nan_policy="omit")
    ref, _ = so.curve_fit(_decay, T, y, nan_policy="omit")
    np.testing.assert_allclose(popt, ref, rtol=1e-6)


# --- scipy's conventions in fastopt's own code ---------------------------------

def test_a_function_writing_to_its_argument_does_not_steer_the_run():
    # scipy passes each call a copy (gh-13740); so does fastopt.
    def fquad(x):
        x -= np.arange(x.size)
        x *= x
        return np.sum(x)
    for method in ("bfgs", "l-bfgs", "adam"):
        options = {"lr": 0.05, "maxiter": 5000} if method == "adam" else None
        res = fastopt.minimize(fquad, np.full(4, 1.5), method=method, options=options)
        np.testing.assert_allclose(res.x, np.arange(4.0), atol=1e-4)


def test_disp_warns_on_failure_as_scipy_does(capsys):
    with pytest.warns(so.OptimizeWarning, match="Maximum number of iterations"):
        fastopt.minimize(rosen, X0, method="bfgs", options={"disp": True, "maxiter": 3})
    assert "Iterations" in capsys.readouterr().out


def test_newton_cg_takes_a_sparse_hessian():
    from scipy.sparse import csr_matrix

    def fun(x):
        return 0.5 * x @ (A @ x) - x.sum()
    A = np.diag([1.0, 4.0, 9.0])
    dense = fastopt.minimize(fun, np.zeros(3), jac=lambda x: A @ x - 1.0, method="newton-cg",
                             hess=lambda x: A)
    sparse = fastopt.minimize(fun, np.zeros(3), jac=lambda x: A @ x - 1.0, method="newton-cg",
                              hess=lambda x: csr_matrix(A))
    assert sparse.implementation == "fastopt" and sparse.success
    np.testing.assert_array_equal(sparse.x, dense.x)
    np.testing.assert_allclose(sparse.x, 1.0 / np.diag(A), rtol=1e-8)


def test_lbfgs_result_speaks_l_bfgs_b():
    res = fastopt.minimize(rosen, X0, method="L-BFGS-B")
    ref = so.minimize(rosen, X0, method="L-BFGS-B")
    assert (res.status, res.success) == (ref.status, ref.success) == (0, True)
    assert res.message.split(":")[0] == ref.message.split(":")[0] == "CONVERGENCE"
    H = res.hess_inv
    # scipy's attributes: the pairs oldest first, rho = 1 / (y . s)
    assert H.sk.shape == H.yk.shape == (H.n_corrs, 3) and 0 < H.n_corrs <= 10
    np.testing.assert_allclose(H.rho, 1.0 / np.einsum("ij,ij->i", H.sk, H.yk))
    short = fastopt.minimize(rosen, X0, method="L-BFGS-B", options={"maxiter": 4})
    assert short.status == 1 and short.message == "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT"
    np.testing.assert_allclose(short.hess_inv.sk.sum(axis=0), short.x - X0, atol=1e-12)


def test_scipy_names_import_from_fastopt():
    from fastopt import OptimizeResult, OptimizeWarning
    assert OptimizeResult is so.OptimizeResult and OptimizeWarning is so.OptimizeWarning
    assert isinstance(fastopt.minimize(rosen, X0), OptimizeResult)


def test_show_options_takes_scipys_call(capsys):
    text = fastopt.show_options("minimize", "BFGS", disp=False)
    assert text.startswith("bfgs:") and "c1 = 0.0001" in text and "line search" in text
    assert fastopt.show_options(method="adam", disp=False) == fastopt.show_options("adam",
                                                                                   disp=False)
    # scipy's other methods and solvers are described by scipy
    assert fastopt.show_options("minimize", "SLSQP", disp=False) == \
        so.show_options("minimize", "SLSQP", disp=False)
    assert fastopt.show_options("root", "hybr", disp=False) == \
        so.show_options("root", "hybr", disp=False)
    assert fastopt.show_options("minimize", "adam") is None
    assert "beta1 = 0.9" in capsys.readouterr().out
    with pytest.raises(ValueError, match="Unknown solver"):
        fastopt.show_options("nope", "adam")
