"""fastopt.compiled: every method callable from numba code, same results as minimize."""
import inspect

import numba
import numpy as np
import pytest

import fastopt
from fastopt._core import codes
from fastopt._core.jit import generated
from fastopt import compiled
from fastopt._minimize.table import METHODS
from fastopt.testing.problems import PROBLEMS, TUNED_OPTIONS

ROSEN = PROBLEMS["rosenbrock"]
rosen = ROSEN.fg_jit

#: compiled function name -> method.
NAMES = {name.replace("l-bfgs", "lbfgs").replace("-", "_"): name for name in METHODS}


def test_every_method_is_exposed_with_the_table_s_defaults():
    assert sorted(NAMES) == sorted(set(compiled.__all__) - {
        "Result", "succeeded", "SUCCESS", "MAXITER", "NONFINITE", "LINESEARCH", "FTOL"})
    for fname, method in NAMES.items():
        params = inspect.signature(getattr(compiled, fname).py_func).parameters
        spec = METHODS[method]
        for option, default in spec.options.items():
            if default is None:
                assert np.isnan(params[option].default), (fname, option)
            else:
                assert params[option].default == default, (fname, option)
        assert params["gtol"].default == spec.gtol, fname
        assert params["maxiter"].default == (-1 if spec.maxiter == "200n" else spec.maxiter)


def _call_all():
    @numba.njit
    def run(x0):
        return (compiled.gd(rosen, x0, maxiter=50_000), compiled.bfgs(rosen, x0),
                compiled.lbfgs(rosen, x0), compiled.adam(rosen, x0, lr=0.01, maxiter=50_000),
                compiled.momentum(rosen, x0, lr=1e-3, maxiter=50_000))
    return run(np.array(ROSEN.x0))


def test_same_result_as_minimize():
    results = _call_all()
    runs = [("gd", {"maxiter": 50_000}), ("bfgs", {}), ("l-bfgs", {}),
            ("adam", {"lr": 0.01, "maxiter": 50_000}),
            ("momentum", {"lr": 1e-3, "maxiter": 50_000})]
    for res, (method, options) in zip(results, runs):
        ref = fastopt.minimize(rosen, ROSEN.x0, jac=True, method=method, options=options)
        # compiled solvers return the loop's own code, minimize scipy's status
        # (a converged ftol test is L-BFGS-B's 0)
        status = codes.SUCCESS if res.status == compiled.FTOL else res.status
        assert (res.nit, res.nfev, res.njev, status) == (ref.nit, ref.nfev, ref.njev,
                                                          ref.status), method
        np.testing.assert_array_equal(res.x, ref.x)
        assert compiled.succeeded(res.status) == ref.success


def test_newton_methods_take_compiled_second_derivatives():
    @numba.njit
    def hess(x):
        return np.array([[1200.0 * x[0] ** 2 - 400.0 * x[1] + 2.0, -400.0 * x[0]],
                         [-400.0 * x[0], 200.0]])

    @numba.njit
    def hessp(x, p):
        return hess(x) @ p

    @numba.njit
    def run(x0):
        return compiled.newton(rosen, hess, x0), compiled.newton_cg(rosen, hessp, x0)
    for res in run(np.array(ROSEN.x0)):
        assert compiled.succeeded(res.status)
        np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-6)


@numba.njit
def _shifted_rosen(x, a):
    # Rosenbrock with its minimum moved to (a, a^2).
    u = x[1] - x[0] ** 2
    g = np.array([-400.0 * x[0] * u - 2.0 * (a - x[0]), 200.0 * u])
    return 100.0 * u * u + (a - x[0]) ** 2, g


def test_ten_thousand_problems_in_a_prange_loop():
    # The README's example: one small fit per iteration of a threaded loop.
    @numba.njit
    def fg(x):
        return _shifted_rosen(x, 1.0)

    @numba.njit(parallel=True)
    def solve_all(starts):
        k = starts.shape[0]
        x = np.empty_like(starts)
        status = np.empty(k, dtype=np.int64)
        nfev = np.empty(k, dtype=np.int64)
        for i in numba.prange(k):
            res = compiled.lbfgs(fg, starts[i].copy(), ftol=0.0)
            x[i] = res.x
            status[i] = res.status
            nfev[i] = res.nfev
        return x, status, nfev

    starts = np.random.default_rng(0).uniform(-2.0, 2.0, size=(10_000, 2))
    x, status, nfev = solve_all(starts)
    assert (status == compiled.SUCCESS).all()
    np.testing.assert_allclose(x, 1.0, atol=1e-4)
    for i in (0, 17, 9_999):  # the same runs as minimize, one by one
        ref = fastopt.minimize(fg, starts[i], jac=True, method="l-bfgs", options={"ftol": 0.0})
        np.testing.assert_array_equal(x[i], ref.x)
        assert nfev[i] == ref.nfev


@pytest.mark.parametrize("method", [m for m in METHODS if METHODS[m].rule is not None])
def test_every_first_order_solver_takes_minimize_s_steps(method):
    spec = METHODS[method]
    options = dict(TUNED_OPTIONS[method], maxiter=50_000)
    values = tuple(float("nan") if options.get(k, v) is None else float(options.get(k, v))
                   for k, v in spec.options.items())
    # The options positionally, in the table's order (a star-call would pack
    # the objective into a tuple, which numba warns about).
    args = ", ".join(f"values[{i}]" for i in range(len(values)))
    run = numba.njit(generated("run", "x0, values, maxiter",
                               f"return solver(rosen, x0, {args}, maxiter)",
                               {"solver": getattr(compiled, method), "rosen": rosen}))
    res = run(np.array(ROSEN.x0), values, 50_000)
    ref = fastopt.minimize(rosen, ROSEN.x0, jac=True, method=method, options=options)
    assert (res.nit, res.nfev, res.njev, res.status) == (ref.nit, ref.nfev, ref.njev, ref.status)
    np.testing.assert_array_equal(res.x, ref.x)
