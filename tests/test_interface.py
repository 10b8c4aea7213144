"""scipy conventions, bad input, and nothing silent."""
import numba
import numpy as np
import pytest
from scipy.optimize import OptimizeResult, OptimizeWarning

import fastopt
from fastopt._core import codes
from fastopt.testing.problems import PROBLEMS

rosen_fg = PROBLEMS["rosenbrock"].fg


def rosen_f(x):
    return rosen_fg(x)[0]


def rosen_g(x):
    return rosen_fg(x)[1]


@numba.njit(cache=True)
def rosen_f_jit(x):
    return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2


@numba.njit(cache=True)
def rosen_g_jit(x):
    g = np.empty(2)
    g[0] = -400.0 * x[0] * (x[1] - x[0] ** 2) - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * (x[1] - x[0] ** 2)
    return g


OPTS = {"lr": 0.1, "maxiter": 50_000}


@pytest.mark.parametrize("fun,jac", [
    (rosen_f, rosen_g), (rosen_f, "2-point"), (rosen_f, "3-point"), (rosen_f, None),
    (rosen_f_jit, rosen_g_jit), (rosen_f_jit, "2-point"), (rosen_f_jit, "3-point"),
    (rosen_f_jit, None)])
def test_every_jac_form_converges(fun, jac):
    res = fastopt.minimize(fun, [-1.2, 1.0], jac=jac, method="adam", options=OPTS)
    assert isinstance(res, OptimizeResult)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-4)


@pytest.mark.parametrize("jac", ["2-point", "3-point"])
def test_finite_differences_same_on_both_drivers(jac):
    py = fastopt.minimize(rosen_f, [-1.2, 1.0], jac=jac, method="adam", options=OPTS)
    jit = fastopt.minimize(rosen_f_jit, [-1.2, 1.0], jac=jac, method="adam", options=OPTS)
    np.testing.assert_allclose(jit.x, py.x, rtol=1e-12)
    assert (jit.nit, jit.nfev, jit.njev) == (py.nit, py.nfev, py.njev)
    assert py.nfev == (py.nit + 1) * (1 + (2 if jac == "3-point" else 1) * 2)


def test_line_search_with_separate_gradient_counts_evaluations():
    calls = {"f": 0, "g": 0}

    def f(x):
        calls["f"] += 1
        return rosen_f(x)

    def g(x):
        calls["g"] += 1
        return rosen_g(x)

    res = fastopt.minimize(f, [-1.2, 1.0], jac=g, method="gd", options={"maxiter": 50_000})
    assert res.success
    assert (res.nfev, res.njev) == (calls["f"], calls["g"])
    assert res.njev == res.nit + 1


def test_args_are_passed():
    def f(x, a, b):
        return a * np.sum((x - b) ** 2), 2 * a * (x - b)
    res = fastopt.minimize(f, np.zeros(3), args=(2.0, 3.0), jac=True, method="adam",
                           options={"lr": 0.1})
    np.testing.assert_allclose(res.x, 3.0, atol=1e-5)


def test_callback_new_and_legacy_and_stopiteration():
    seen = []

    def new(intermediate_result):
        seen.append(intermediate_result.fun)
        if len(seen) == 5:
            raise StopIteration

    res = fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, method="adam", callback=new)
    assert res.status == 99 and not res.success and res.nit == 5
    assert "StopIteration" in res.message
    np.testing.assert_allclose(seen[-1], res.fun)

    xs = []
    res = fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, method="adam",
                           callback=lambda xk: xs.append(xk), options={"maxiter": 3})
    assert res.status == 1 and len(xs) == 3
    np.testing.assert_allclose(xs[-1], res.x)


def test_maxiter_is_not_success():
    res = fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, method="adam",
                           options={"maxiter": 10})
    assert res.status == 1 and not res.success and res.nit == 10
    assert "iterations" in res.message


def _blows_up_after(k):
    """f = |x|^2 / 2 until x[0] leaves (k, ...]: then NaN (the user's model breaks)."""
    def fg(x):
        if x[0] > k:
            return np.nan, np.full(x.size, np.nan)
        return 0.5 * x @ x, x.copy()
    return fg


@numba.njit(cache=True)
def _nan_after_half(x):
    if x[0] > 0.5:
        return np.nan, x.copy()
    return -x[0], -np.ones(x.size)


@pytest.mark.parametrize("fg", [_nan_after_half,
                                lambda x: _nan_after_half.py_func(x)], ids=["jitted", "python"])
def test_nan_mid_run_returns_last_finite_iterate(fg):
    # f = -x0 decreases without bound; gd with lr 0.2 steps 0, 0.2, 0.4, 0.6 -> NaN.
    res = fastopt.minimize(fg, [0.0, 0.0], jac=True, method="gd", options={"lr": 0.2})
    assert res.status == codes.NONFINITE == 3 and not res.success  # scipy's BFGS: 3
    assert "NaN" in res.message
    np.testing.assert_allclose(res.x, [0.4, 0.4])
    assert np.isfinite(res.fun) and np.all(np.isfinite(res.jac))
    assert res.nit == 2


def test_nan_in_line_search_shrinks_the_step():
    # NaN beyond x0 = 1.5: trial steps landing there count as failed, so
    # backtracking shrinks them, and the minimum at 1 is still found.
    def fg(x):
        if x[0] > 1.5:
            return np.inf, np.full(1, np.nan)
        return (x[0] - 1.0) ** 2, np.array([2.0 * (x[0] - 1.0)])
    res = fastopt.minimize(fg, [-30.0], jac=True)
    assert res.success
    np.testing.assert_allclose(res.x, [1.0], atol=1e-5)


def test_nan_at_start():
    res = fastopt.minimize(lambda x: (np.nan, x), [1.0], jac=True)
    assert res.status == codes.NONFINITE and not res.success and res.nit == 0
    np.testing.assert_array_equal(res.x, [1.0])


def test_user_exception_propagates_unchanged():
    class Boom(Exception):
        pass

    def f(x):
        raise Boom("from the model")
    with pytest.raises(Boom, match="from the model"):
        fastopt.minimize(f, [1.0])


@pytest.mark.parametrize("x0,exc,match", [
    ([[1.0, 2.0]], ValueError, "'x0' must only have one dimension"),  # scipy's words
    ([], ValueError, "empty"),
    ([1.0, np.nan], ValueError, "finite"),
    ([1.0, np.inf], ValueError, "finite"),
    ([1 + 2j], TypeError, "real"),
    (["a"], TypeError, "x0"),
    (None, TypeError, "x0"),
])
def test_bad_x0(x0, exc, match):
    with pytest.raises(exc, match=match):
        fastopt.minimize(rosen_fg, x0, jac=True)


@pytest.mark.parametrize("method", ["bfgs", "l-bfgs", "newton-cg", "adam"])
def test_maxiter_counts_as_scipy_reads_it(method):
    # scipy's loops run while k < maxiter: a float counts up to its ceiling,
    # a negative limit stops at once with status 1.
    jac = rosen_g if method == "newton-cg" else None
    res = fastopt.minimize(rosen_f, [-1.2, 1.0], jac=jac, method=method,
                           options={"maxiter": 2.5})
    assert res.nit == 3 and res.status == 1
    res = fastopt.minimize(rosen_f, [-1.2, 1.0], jac=jac, method=method,
                           options={"maxiter": -1})
    assert res.nit == 0 and res.status == 1 and not res.success
    np.testing.assert_array_equal(res.x, [-1.2, 1.0])


def test_bad_arguments():
    with pytest.raises(TypeError, match="fun must be callable"):
        fastopt.minimize(3.0, [1.0])
    with pytest.raises(ValueError, match="Unknown method 'sgdx'.*'adam'"):
        fastopt.minimize(rosen_fg, [1.0, 1.0], method="sgdx")
    with pytest.raises(TypeError, match="method"):
        fastopt.minimize(rosen_fg, [1.0, 1.0], method=3)
    with pytest.raises(ValueError, match="jac"):
        fastopt.minimize(rosen_f, [1.0, 1.0], method="adam", jac="cs")
    with pytest.raises(ValueError, match="bounds"):
        fastopt.minimize(rosen_f, [1.0, 1.0], method="adam", bounds=[(0, 1), (0, 1)])
    with pytest.raises(TypeError, match="callback"):
        fastopt.minimize(rosen_f, [1.0, 1.0], callback=3)
    with pytest.raises(TypeError, match="options"):
        fastopt.minimize(rosen_f, [1.0, 1.0], options=[1])
    with pytest.raises(TypeError, match="'maxiter'"):
        fastopt.minimize(rosen_f, [1.0, 1.0], options={"maxiter": "10"})
    with pytest.raises(ValueError, match="'maxiter'"):
        fastopt.minimize(rosen_f, [1.0, 1.0], options={"maxiter": np.nan})
    with pytest.raises(ValueError, match="gtol"):
        fastopt.minimize(rosen_f, [1.0, 1.0], options={"gtol": -1.0})
    with pytest.raises(TypeError, match="tol"):
        fastopt.minimize(rosen_f, [1.0, 1.0], tol="1e-3")
    with pytest.raises(ValueError, match="'lr'"):
        fastopt.minimize(rosen_f, [1.0, 1.0], method="adam", options={"lr": 0.0})
    with pytest.raises(TypeError, match="'lr'"):
        fastopt.minimize(rosen_f, [1.0, 1.0], method="adam", options={"lr": "big"})
    with pytest.raises(ValueError, match="'beta2'"):
        fastopt.minimize(rosen_f, [1.0, 1.0], method="adam", options={"beta2": 1.5})
    with pytest.raises(ValueError, match="needs option 'lr'"):
        fastopt.minimize(rosen_f, [1.0, 1.0], method="momentum", options={"lr": None})


def test_bad_return_values():
    with pytest.raises(ValueError, match="scalar"):
        fastopt.minimize(lambda x: x, [1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        fastopt.minimize(lambda x: (x @ x, np.ones(3)), [1.0, 2.0], jac=True)
    with pytest.raises(ValueError, match="tuple"):
        fastopt.minimize(lambda x: x @ x, [1.0, 2.0], jac=True)
    with pytest.raises(ValueError, match="shape"):
        fastopt.minimize(lambda x: x @ x, [1.0, 2.0], jac=lambda x: np.ones((2, 2)))
    with pytest.raises(TypeError, match="real number"):
        fastopt.minimize(lambda x: "a", [1.0, 2.0])


@numba.njit(cache=True)
def _wrong_length_grad(x):
    return x @ x, np.ones(x.size + 1)


def test_compiled_path_checks_gradient_length():
    with pytest.raises(ValueError, match="wrong length"):
        fastopt.minimize(_wrong_length_grad, [1.0, 2.0], jac=True)


@numba.njit(cache=True)
def _float32_objective(x):
    return np.float32(x @ x), 2.0 * x


def test_compiled_objective_with_other_types_falls_back_loudly():
    with pytest.warns(OptimizeWarning, match="Python driver"):
        res = fastopt.minimize(_float32_objective, [1.0, 2.0], jac=True, method="adam",
                               options={"lr": 0.1})
    assert res.success


def test_unknown_option_warns_like_scipy():
    with pytest.warns(OptimizeWarning, match="Unknown solver options: bogus"):
        fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, options={"bogus": 1, "maxiter": 2})


def test_hessian_not_used_warns_like_scipy():
    with pytest.warns(RuntimeWarning, match="does not use Hessian"):
        fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, hess=lambda x: np.eye(2),
                         options={"maxiter": 2})


def test_tol_sets_gtol():
    loose = fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, tol=1e-2)
    tight = fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, tol=1e-8,
                             options={"maxiter": 100_000})
    assert loose.success and tight.success
    assert np.max(np.abs(loose.jac)) <= 1e-2 and np.max(np.abs(tight.jac)) <= 1e-8
    assert loose.nit < tight.nit


def test_disp_prints_an_iteration_table(capsys):
    res = fastopt.minimize(rosen_fg, [-1.2, 1.0], jac=True, method="adam",
                           options={"lr": 0.1, "disp": True})
    out = capsys.readouterr().out
    assert "iter" in out and "f(x)" in out
    assert f"Iterations: {res.nit}" in out
    assert f"{res.nit:8d}" in out


def test_show_options_lists_every_method(capsys):
    fastopt.show_options()
    out = capsys.readouterr().out
    for name in fastopt.METHODS:
        assert f"{name}:" in out
    with pytest.raises(ValueError, match="Unknown method"):
        fastopt.show_options("nope")


def test_compiled_fun_with_python_jac_says_which_driver_runs():
    with pytest.warns(OptimizeWarning, match="jac is not numba-compiled"):
        res = fastopt.minimize(rosen_f_jit, [-1.2, 1.0], jac=rosen_g, method="adam", options=OPTS)
    assert res.success


@pytest.mark.parametrize("method", ["l-bfgs", "adam"])
@pytest.mark.parametrize("fused", [True, False])
def test_a_gradient_buffer_reused_by_the_caller_is_copied(method, fused):
    # The solver keeps gradients across evaluations; a function that writes
    # every gradient into one buffer must not corrupt them.  Reference: the
    # same function returning fresh arrays.
    buf = np.zeros(2)
    rosen = PROBLEMS["rosenbrock"]

    def fg_reusing(x):
        f, g = rosen.fg(x)
        buf[:] = g
        return f, buf

    def fg_fresh(x):
        f, g = rosen.fg(x)
        return f, np.array(g)

    def split(fg):
        return (fg, True) if fused else (lambda x: fg(x)[0], lambda x: fg(x)[1])

    options = {"maxiter": 200} if method == "l-bfgs" else {"lr": 0.01, "maxiter": 300}
    runs = [fastopt.minimize(fun, rosen.x0, jac=jac, method=method, options=options)
            for fun, jac in (split(fg_reusing), split(fg_fresh))]
    np.testing.assert_array_equal(runs[0].x, runs[1].x)
    assert runs[0].nfev == runs[1].nfev


def test_a_fresh_gradient_array_is_not_copied():
    # Only the solver can hold it, so the O(n) copy is skipped (weak
    # references do not count as holders).
    import weakref

    from fastopt._minimize.objective import Objective
    made = []

    def fg(x):
        g = 2 * x
        made.append(weakref.ref(g))
        return float(x @ x), g

    f, g = Objective(fg, True, (), 3).fg(np.ones(3))
    assert g is made[-1]()


def test_repeated_calls_validate_as_the_first():
    # minimize keeps the plan of a call for the next identical one: it must
    # warn again, and equal values of other types must not reuse it.
    p = PROBLEMS["rosenbrock"]
    for _ in range(2):
        with pytest.warns(OptimizeWarning, match="Unknown solver options: bogus"):
            fastopt.minimize(p.fg_jit, p.x0, jac=True, method="l-bfgs",
                             options={"maxiter": 1, "bogus": 1})
        with pytest.warns(RuntimeWarning, match="does not use Hessian"):
            fastopt.minimize(p.fg_jit, p.x0, jac=True, method="adam", hess=rosen_g,
                             options={"maxiter": 1})
    options = {"maxiter": 1}
    assert fastopt.minimize(p.fg_jit, p.x0, jac=True, options=options).nit == 1
    with pytest.raises(TypeError, match="'maxiter'"):
        fastopt.minimize(p.fg_jit, p.x0, jac=True, options={"maxiter": True})
    with pytest.raises(ValueError, match="jac"):
        fastopt.minimize(p.fg_jit, p.x0, jac=1, options=options)
    options["maxiter"] = 3  # the same dict, changed: a new plan
    assert fastopt.minimize(p.fg_jit, p.x0, jac=True, options=options).nit == 3
