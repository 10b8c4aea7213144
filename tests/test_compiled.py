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
        "Result", "succeeded", "SUCCESS", "MAXITER", "NONFINITE", "LINESEARCH", "FTOL",
        "UNBOUNDED", "XTOL", "MAXFUN", "ROUNDING"})
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


@numba.njit
def _rosen32(x):
    f, g = rosen(x)
    return np.float32(f), g.astype(np.float32)


@numba.njit
def _rosen_rounded(x):  # the reference: the same rounding, returned as float64
    f, g = rosen(x)
    return float(np.float32(f)), g.astype(np.float32).astype(np.float64)


@numba.njit
def _rosen_2d(x):
    f, g = rosen(x)
    return f, g.reshape((1, 2))


@numba.njit
def _nan_beyond(x):
    # NaN once x[0] passes -1 on its way from -3 to the minimum at 0.
    if x[0] > -1.0:
        return np.nan, np.full(1, np.nan)
    return x[0] * x[0], 2.0 * x


@numba.njit
def _raising(x):
    if x[0] > -1.0:
        raise ZeroDivisionError("the user's own error")
    return x[0] * x[0], 2.0 * x


def _solvers(fg):
    # One solver of each loop: the curvature loop (lbfgs) and the first-order one (adam).
    @numba.njit
    def run(x0):
        return compiled.lbfgs(fg, x0), compiled.adam(fg, x0, lr=0.1)
    return run


_ROSEN_SOLVERS = _solvers(rosen)


@pytest.mark.parametrize("x0", [np.array([-1, 2]), np.array([-1.0, 2.0], dtype=np.float32),
                                np.array([-1.0, 9.0, 2.0])[::2]])
def test_x0_of_another_real_dtype_or_layout_is_copied_to_float64(x0):
    # Was numba's TypingError from fastopt's loops (int64, float32 x0).
    before = x0.copy()
    got = _ROSEN_SOLVERS(x0)
    ref = _ROSEN_SOLVERS(np.array([-1.0, 2.0]))
    for r, e in zip(got, ref):
        assert r.x.dtype == np.float64 and r.status == e.status and r.nit == e.nit
        np.testing.assert_array_equal(r.x, e.x)
    np.testing.assert_array_equal(x0, before)
    assert x0.dtype == before.dtype
    np.testing.assert_allclose(got[0].x, fastopt.minimize(rosen, [-1.0, 2.0], jac=True,
                                                          method="l-bfgs").x)


@pytest.mark.parametrize("x0", [np.zeros((1, 2)), [0.0, 1.0], np.zeros(2, np.complex128),
                                np.zeros(2, np.bool_)])
def test_x0_that_is_not_a_real_vector_is_a_typing_error_naming_it(x0):
    # Was numba's TypingError about fastopt's internals, or an UnboundLocalError (a list).
    with pytest.raises(numba.errors.TypingError, match="x0 must be a 1-D numpy array"):
        _ROSEN_SOLVERS(x0)


def test_an_objective_returning_float32_is_converted():
    got = _solvers(_rosen32)(np.array([-1.0, 2.0]))
    ref = _solvers(_rosen_rounded)(np.array([-1.0, 2.0]))
    for r, e in zip(got, ref):
        assert (r.nit, r.nfev, r.status) == (e.nit, e.nfev, e.status)
        np.testing.assert_array_equal(r.x, e.x)


def test_an_objective_returning_a_2d_gradient_is_a_typing_error_naming_it():
    with pytest.raises(numba.errors.TypingError, match="objective fg must return"):
        _solvers(_rosen_2d)(np.array([-1.0, 2.0]))


def test_nan_mid_run_stops_with_the_last_finite_iterate_and_user_errors_propagate():
    @numba.njit
    def run(fg, x0):
        return compiled.adam(fg, x0, lr=0.5), compiled.gd(fg, x0, lr=0.3)

    for res in run(_nan_beyond, np.array([-3.0])):
        assert res.status == compiled.NONFINITE and not compiled.succeeded(res.status)
        assert np.isfinite(res.x).all() and res.x[0] <= -1.0
    with pytest.raises(ZeroDivisionError, match="user's own"):
        run(_raising, np.array([-3.0]))
