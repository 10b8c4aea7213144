"""fastopt.minimize: convergence on the notes' surfaces, both drivers, same iterates."""
import numpy as np
import pytest

import fastopt
from fastopt._minimize.table import FIRST_ORDER
from fastopt.testing.problems import PROBLEMS, TUNED_OPTIONS

#: The one pair that does not converge: AdaDelta on Rosenbrock from the
#: standard start (see fastopt.testing.problems.TUNED_OPTIONS); it does on the
#: other surfaces.
DOES_NOT_CONVERGE = {("adadelta", "rosenbrock")}
# Every first-order method of the table on every surface, with its tuned
# options (a method without them fails here).  The curvature methods'
# convergence is tested on the MGH problems (test_curvature.py).
CASES = [(m, TUNED_OPTIONS[m], p) for m in FIRST_ORDER for p in PROBLEMS
         if (m, p) not in DOES_NOT_CONVERGE]


def _solve(method, options, problem, compiled, **kw):
    p = PROBLEMS[problem]
    fg = p.fg_jit if compiled else p.fg
    opts = {"maxiter": 50_000, **options}
    return fastopt.minimize(fg, p.x0, jac=True, method=method, options=opts, **kw)


@pytest.mark.parametrize("compiled", [False, True], ids=["python", "jitted"])
@pytest.mark.parametrize("method,options,problem", CASES)
def test_converges(method, options, problem, compiled):
    res = _solve(method, options, problem, compiled)
    p = PROBLEMS[problem]
    assert res.success, res.message
    assert res.status == 0
    assert np.max(np.abs(res.jac)) <= 1e-5
    np.testing.assert_allclose(res.x, p.nearest_minimum(res.x), atol=1e-4)
    assert res.fun <= 1e-8
    assert res.nfev >= res.nit + 1 and res.njev >= res.nit + 1


@pytest.mark.parametrize("problem", ["rosenbrock", "himmelblau"])
def test_rmsprop_hovers_within_lr_of_the_minimum(problem):
    # With a short memory (beta = 0.99) RMSProp's step g / rms(g) stays of size
    # ~lr near the minimum, so it circles the minimum at a distance ~lr instead
    # of reaching gtol: reported as MAXITER, never success.
    res = _solve("rmsprop", {"lr": 1e-4, "beta": 0.99}, problem, compiled=True)
    p = PROBLEMS[problem]
    assert res.status == 1 and not res.success
    np.testing.assert_allclose(res.x, p.nearest_minimum(res.x), atol=1e-4)


ALL_METHODS = list(fastopt.METHODS)


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("method", ALL_METHODS)
def test_both_drivers_take_the_same_iterates(method, problem):
    p = PROBLEMS[problem]
    takes_lr = method in FIRST_ORDER and method != "gd"
    options = {"lr": 1e-3} if takes_lr else {}
    trajectory = []
    py = fastopt.minimize(p.fg, p.x0, jac=True, method=method,
                          options={"maxiter": 60, **options},
                          callback=lambda intermediate_result: trajectory.append(intermediate_result.x))
    assert py.nit == len(trajectory)
    for k in sorted({k for k in (1, 2, 3, 10, 30) if k < py.nit} | {py.nit}):
        jit = fastopt.minimize(p.fg_jit, p.x0, jac=True, method=method,
                               options={"maxiter": k, **options})
        assert jit.nit == k
        np.testing.assert_allclose(jit.x, trajectory[k - 1], rtol=1e-12, atol=1e-300)
    full = fastopt.minimize(p.fg_jit, p.x0, jac=True, method=method,
                            options={"maxiter": 60, **options})
    assert (full.nit, full.nfev, full.njev, full.status) == (py.nit, py.nfev, py.njev, py.status)
    np.testing.assert_allclose(full.fun, py.fun, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(full.jac, py.jac, rtol=1e-12, atol=1e-300)


def test_method_names_are_case_insensitive():
    p = PROBLEMS["bowl"]
    a = fastopt.minimize(p.fg, p.x0, jac=True, method="ADAM", options={"lr": 0.1})
    b = fastopt.minimize(p.fg, p.x0, jac=True, method="adam", options={"lr": 0.1})
    assert np.array_equal(a.x, b.x)


def test_default_method_is_bfgs_as_in_scipy():
    res = fastopt.minimize(PROBLEMS["rosenbrock"].fg, [-1.2, 1.0], jac=True)
    ref = fastopt.minimize(PROBLEMS["rosenbrock"].fg, [-1.2, 1.0], jac=True, method="bfgs")
    assert res.success and res.nfev == ref.nfev and "hess_inv" in res
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-4)
