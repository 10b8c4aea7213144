"""scipy's own options of BFGS, L-BFGS-B and Newton-CG, run by fastopt's code:
each checked against what the option means (the rule recomputed with NumPy
from the iterates, the points the objective was called at) or scipy's run."""
import numba
import numpy as np
import pytest
import scipy.optimize as so
from scipy.optimize import rosen, rosen_der

import fastopt
from fastopt import compiled

X0 = np.array([-1.2, 1.0])


def _run(method, options, **kw):
    res = fastopt.minimize(rosen, X0, method=method, options=options, fallback="error", **kw)
    assert res.implementation == "fastopt"
    return res


def test_return_all_lists_every_iterate_from_x0():
    seen = []
    for method, kw in (("BFGS", {}), ("Newton-CG", {"jac": rosen_der})):
        seen.clear()
        res = _run(method, {"return_all": True}, callback=lambda xk: seen.append(xk.copy()),
                   **kw)
        assert len(res.allvecs) == res.nit + 1
        np.testing.assert_array_equal(res.allvecs[0], X0)
        np.testing.assert_array_equal(np.array(res.allvecs[1:]), np.array(seen))
        np.testing.assert_array_equal(res.allvecs[-1], res.x)


def _squares(x):  # a module-level function: a process pool pickles it
    return float(np.sum((x - np.arange(x.size)) ** 2) + np.sum(x ** 4))


def test_workers_evaluate_the_differenced_points_and_change_nothing():
    calls = []

    def mapper(fun, points):
        calls.append(len(points))
        return map(fun, points)

    x0 = np.array([0.5, -1.0, 2.0])
    for method in ("BFGS", "L-BFGS-B"):
        ref = fastopt.minimize(_squares, x0, method=method)
        calls.clear()
        res = fastopt.minimize(_squares, x0, method=method, options={"workers": mapper},
                               fallback="error")
        pooled = fastopt.minimize(_squares, x0, method=method, options={"workers": 2})
        np.testing.assert_array_equal(res.x, ref.x)
        np.testing.assert_array_equal(pooled.x, ref.x)
        assert res.nfev == ref.nfev == pooled.nfev and res.implementation == "fastopt"
        # one map per differenced gradient, over its n forward points (central: 2n)
        assert calls and set(calls) <= {3, 6} and sum(calls) + res.njev == res.nfev
    for bad, error in ((0, ValueError), ("two", TypeError), (2.0, TypeError)):
        with pytest.raises(error, match="workers"):
            fastopt.minimize(_squares, x0, options={"workers": bad})


def test_a_scalar_derivative_of_a_one_variable_function_is_taken():
    res = fastopt.minimize(lambda x: (x[0] - 2.0) ** 2, [0.0], jac=lambda x: 2.0 * (x[0] - 2.0),
                           method="BFGS", fallback="error")
    ref = so.minimize(lambda x: (x[0] - 2.0) ** 2, [0.0], jac=lambda x: 2.0 * (x[0] - 2.0),
                      method="BFGS")
    assert res.success
    np.testing.assert_allclose(res.x, ref.x, atol=1e-12)


def test_bfgs_xrtol_stops_on_the_first_small_step():
    xrtol = 1e-2
    res = _run("BFGS", {"xrtol": xrtol, "return_all": True}, jac=rosen_der)
    assert res.success and res.status == 0 and "step" in res.message
    steps = [np.linalg.norm(b - a) <= xrtol * (xrtol + np.linalg.norm(b))
             for a, b in zip(res.allvecs, res.allvecs[1:])]
    assert steps[-1] and not any(steps[:-1])
    assert np.abs(rosen_der(res.x)).max() > 1e-7  # stopped before gtol


@pytest.mark.parametrize("order", [1.0, 2.0, -np.inf])
def test_bfgs_norm_is_the_norm_gtol_bounds(order):
    gtol = 1e-6
    res = _run("BFGS", {"norm": order, "gtol": gtol, "return_all": True}, jac=rosen_der)
    assert res.success
    norms = [np.linalg.norm(rosen_der(x), ord=order) for x in res.allvecs]
    assert norms[-1] <= gtol and all(v > gtol for v in norms[:-1])


def test_bfgs_hess_inv0_is_the_first_inverse_hessian():
    # On a quadratic, the exact inverse Hessian as H0 gives the Newton step:
    # the minimum in one iteration, where the identity takes several.
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    fun = lambda x: 0.5 * x @ A @ x - b @ x  # noqa: E731
    jac = lambda x: A @ x - b  # noqa: E731
    res = fastopt.minimize(fun, X0, jac=jac, options={"hess_inv0": np.linalg.inv(A)})
    assert res.success and res.nit == 1
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-12)
    assert fastopt.minimize(fun, X0, jac=jac).nit > 1
    for bad in (np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([[1.0, 0.5], [0.0, 1.0]])):
        with pytest.raises(ValueError, match="hess_inv0"):
            fastopt.minimize(fun, X0, jac=jac, options={"hess_inv0": bad})
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        fastopt.minimize(fun, X0, jac=jac, options={"hess_inv0": np.eye(3)})


def _recorded(f):
    points = []

    def fun(x):
        points.append(x.copy())
        return f(x)
    return fun, points


@pytest.mark.parametrize("method", ["BFGS", "L-BFGS-B"])
def test_eps_and_finite_diff_rel_step_are_the_differencing_steps(method):
    x0 = np.array([-120.0, 0.5])
    for options, expected in (({"eps": 1e-6}, np.array([1e-6, 1e-6])),
                              ({"finite_diff_rel_step": 1e-6}, np.array([1.2e-4, 1e-6]))):
        fun, points = _recorded(rosen)
        fastopt.minimize(fun, x0, method=method, options={**options, "maxiter": 1},
                         fallback="error")
        # The first call is at x0, the next n move one coordinate each (by
        # the step rounded so that x0 + h is a float).
        offsets = np.array([p - x0 for p in points[1:3]])
        np.testing.assert_allclose(np.abs(np.diag(offsets)), expected, rtol=0,
                                   atol=np.spacing(np.abs(x0)).max())
        assert np.count_nonzero(offsets) == 2


def test_lbfgsb_maxfun_stops_as_scipy_does():
    res = _run("L-BFGS-B", {"maxfun": 50})
    ref = so.minimize(rosen, X0, method="L-BFGS-B", options={"maxfun": 50})
    assert (res.status, res.message, res.success) == (ref.status, ref.message, False)
    assert res.nfev > 50
    assert _run("L-BFGS-B", {"maxfun": res.nfev}).nit > res.nit


def test_lbfgsb_iprint_prints_the_table(capsys):
    _run("L-BFGS-B", {"iprint": -1})
    assert capsys.readouterr().out == ""
    _run("L-BFGS-B", {"iprint": 1})
    assert "iter" in capsys.readouterr().out


def test_newton_cg_xtol_and_tol_stop_on_the_average_step():
    for kw in ({"options": {"xtol": 1e-4, "return_all": True}},
               {"tol": 1e-4, "options": {"return_all": True}}):
        res = fastopt.minimize(rosen, X0, jac=rosen_der, method="Newton-CG", fallback="error",
                               **kw)
        assert res.success
        small = [np.abs(b - a).sum() <= X0.size * 1e-4
                 for a, b in zip(res.allvecs, res.allvecs[1:])]
        assert small[-1] and not any(small[:-1])
    # scipy's test alone, as scipy: the same minimum to its accuracy.
    ref = so.minimize(rosen, X0, jac=rosen_der, method="Newton-CG", tol=1e-10)
    res = fastopt.minimize(rosen, X0, jac=rosen_der, method="Newton-CG", tol=1e-10)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)


def test_newton_cg_differences_the_gradient_alone_with_its_eps():
    grads = []

    def jac(x):
        grads.append(x.copy())
        return rosen_der(x)
    fun, points = _recorded(rosen)
    res = fastopt.minimize(fun, X0, jac=jac, method="Newton-CG", options={"eps": 1e-4})
    assert res.success and res.nfev == len(points) and res.njev == len(grads)
    # H p comes from jac alone (as scipy's): jac runs more often than fun.
    # CG's first direction is p = -g, so its first product differences the
    # gradient at x0 - eps g(x0).
    assert res.njev > res.nfev
    np.testing.assert_allclose(grads[1], X0 - 1e-4 * rosen_der(X0), rtol=1e-15)


@numba.njit
def _rosen_fg(x):
    f = 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2
    g = np.empty(2)
    g[0] = -400.0 * x[0] * (x[1] - x[0] ** 2) - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * (x[1] - x[0] ** 2)
    return f, g


def test_compiled_solvers_take_the_new_options():
    pairs = [("bfgs", {"xrtol": 1e-2}, compiled.bfgs, {}),
             ("bfgs", {"norm": 2.0, "gtol": 1e-9}, compiled.bfgs, {}),
             ("l-bfgs", {"maxfun": 30}, compiled.lbfgs, {})]
    for method, options, solver, _ in pairs:
        res = fastopt.minimize(_rosen_fg, X0, jac=True, method=method, options=options)
        out = solver(_rosen_fg, X0, **options)
        np.testing.assert_array_equal(out.x, res.x)
        assert out.nfev == res.nfev
    assert compiled.lbfgs(_rosen_fg, X0, maxfun=30).status == compiled.MAXFUN


def _minus_exp(x):
    return -np.exp(-x[0])


@numba.njit
def _minus_exp_fg(x):
    f = -np.exp(-x[0])
    return f, np.array([-f])


@pytest.mark.parametrize("method", ["bfgs", "l-bfgs", "newton-cg", "gd"])
def test_f_minus_inf_stops_at_that_point(method):
    # -exp(-x) has no minimum: the run ends where f = -inf, as scipy's does,
    # with status 3 saying so; both drivers.
    with np.errstate(over="ignore"):
        res = fastopt.minimize(_minus_exp, [0.0], jac=lambda x: np.exp(-x), method=method)
        fast = fastopt.minimize(_minus_exp_fg, np.zeros(1), jac=True, method=method)
    for r in (res, fast):
        assert r.status == 3 and not r.success and "unbounded" in r.message
        assert r.fun == -np.inf and _minus_exp(r.x) == -np.inf
    np.testing.assert_array_equal(res.x, fast.x)
