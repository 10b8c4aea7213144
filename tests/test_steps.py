"""The first-order update rules: each build of each kernel equals its NumPy oracle.

The table (``fastopt._steps.table.RULES``) drives everything here: a
new rule is covered by adding its row, its kernel and its oracle, and a rule
without an oracle or tuned options fails ``test_every_rule_has_*``.
"""
import inspect

import numba
import numpy as np
import pytest

import fastopt
from fastopt import compiled, optimizers
from fastopt._core.jit import renamed_copy
from fastopt._core.vector import inf_norm
from fastopt._steps.table import RULES, PARALLEL_MIN_SIZE
from fastopt.testing.oracles import ORACLES
from fastopt.testing.problems import TUNED_OPTIONS

METHODS = list(RULES)
# Hyperparameters away from the defaults so that every term matters.
HYPER = {"lr": 0.05, "momentum": 0.8, "beta": 0.7, "beta1": 0.85, "beta2": 0.95,
         "rho": 0.9, "eps": 1e-3}


def assert_close(actual, desired, rtol=1e-12):
    """Relative error in the max norm: elements that are a small difference of
    large terms carry their terms' rounding, not their own."""
    err = np.max(np.abs(actual - desired))
    assert err <= rtol * np.max(np.abs(desired)), (err, np.max(np.abs(desired)))


def _call_inline(x, out, g, lr, h, state, powers):
    RULE(x, out, g, lr, h, state, powers)  # noqa: F821 (bound by renamed_copy)


_INLINE = {name: numba.njit(renamed_copy(_call_inline, "_" + name, RULE=rule.rule))
           for name, rule in RULES.items()}


def _build(name, variant):
    rule = RULES[name]
    return {"serial": rule.serial, "parallel": rule.parallel, "inline": _INLINE[name],
            "select": rule.select(PARALLEL_MIN_SIZE + 17)}[variant]


def _run(name, n, nsteps, variant, seed=0):
    rng = np.random.default_rng(seed)
    rule = RULES[name]
    values = {k: HYPER[k] for k in rule.hyper_names}
    lr, hyper = rule.resolve(values)
    h = hyper._asdict()
    step = _build(name, variant)
    x = rng.standard_normal(n)
    x_ref = x.copy()
    state = rule.new_state(n)
    state_ref = {k: np.zeros(n) for k in rule.state}
    powers = np.ones(2)
    for t in range(1, nsteps + 1):
        # Gradients of varying scale and sign, including exact zeros.
        g = rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 2, n)
        g[rng.random(n) < 0.05] = 0.0
        step(x, x, g, lr, hyper, state, powers)
        x_ref, state_ref = ORACLES[name](x_ref, g, lr, h, state_ref, t)
    return x, x_ref, state, state_ref


def test_every_rule_has_an_oracle_and_tuned_options():
    # What the kernel tests and the convergence tests need, for every row.
    assert set(ORACLES) == set(RULES)
    assert set(TUNED_OPTIONS) == set(RULES)


@pytest.mark.parametrize("variant", ["serial", "parallel", "inline", "select"])
@pytest.mark.parametrize("name", METHODS)
def test_kernel_matches_its_oracle(name, variant):
    n = PARALLEL_MIN_SIZE + 17 if variant == "select" else 1001
    x, x_ref, state, state_ref = _run(name, n, 200 if n < 5000 else 20, variant)
    assert_close(x, x_ref)
    assert set(state._fields) == set(state_ref)
    for field in state._fields:
        assert_close(getattr(state, field), state_ref[field])


@pytest.mark.parametrize("name", METHODS)
def test_serial_threaded_and_inlined_builds_are_identical(name):
    runs = [_run(name, 50_000, 30, variant, seed=3) for variant in ("serial", "parallel", "inline")]
    for x, _, state, _ in runs[1:]:
        assert np.array_equal(x, runs[0][0])
        for a, b in zip(state, runs[0][2]):
            assert np.array_equal(a, b)


def test_out_of_place_leaves_x_unchanged():
    rule = RULES["adam"]
    x = np.arange(5.0)
    out = np.empty(5)
    lr, hyper = rule.resolve({"lr": 0.1})
    rule.serial(x, out, np.ones(5), lr, hyper, rule.new_state(5), np.ones(2))
    assert np.array_equal(x, np.arange(5.0))
    # first Adam step moves every coordinate by lr (m_hat / sqrt(v_hat) = 1)
    np.testing.assert_allclose(out, x - 0.1, rtol=1e-7)


def test_inf_norm_reports_nan_and_inf():
    assert inf_norm(np.array([1.0, -3.0, 2.0])) == 3.0
    assert np.isnan(inf_norm(np.array([1.0, np.nan, 5.0])))
    assert inf_norm(np.array([1.0, -np.inf])) == np.inf


def test_a_rule_with_state_cannot_take_a_line_search():
    from fastopt._steps.table import Step
    with pytest.raises(ValueError, match="stateless"):
        Step("bad", RULES["adam"].rule, {"lr": None}, ("m",), "", "", "Bad")


# --- fastopt.optimizers: one class per rule, generated ------------------------------

def test_one_optimizer_class_per_rule():
    for name, rule in RULES.items():
        cls = getattr(optimizers, rule.optimizer)
        assert issubclass(cls, optimizers.Optimizer) and cls.rule is rule, name


@pytest.mark.parametrize("name", METHODS)
def test_optimizer_and_compiled_defaults_are_the_table_s(name):
    rule = RULES[name]
    params = inspect.signature(getattr(optimizers, rule.optimizer)).parameters
    solver = inspect.signature(getattr(compiled, name).py_func).parameters
    for option, default in rule.hyper.items():
        assert params[option].default == (inspect.Parameter.empty if default is None
                                          else default)
        if default is None:
            assert np.isnan(solver[option].default)
        else:
            assert solver[option].default == default


@pytest.mark.parametrize("name", METHODS)
def test_optimizer_step_in_place_matches_the_oracle(name):
    rule = RULES[name]
    rng = np.random.default_rng(7)
    values = {k: HYPER[k] for k in rule.hyper_names}
    params = rng.standard_normal((3, 4))
    ref = params.ravel().copy()
    state_ref = {k: np.zeros(12) for k in rule.state}
    opt = getattr(optimizers, rule.optimizer)(params, **values)
    h = opt.hyper._asdict()
    before = params
    for t in range(1, 51):
        g = rng.standard_normal((3, 4))
        opt.step(g)
        ref, state_ref = ORACLES[name](ref, g.ravel(), values["lr"], h, state_ref, t)
    assert opt.params is before and opt.t == 50
    assert_close(params.ravel(), ref)


def test_optimizer_bad_input():
    with pytest.raises(TypeError, match="float64"):
        optimizers.Adam(np.zeros(3, dtype=np.float32))
    with pytest.raises(TypeError, match="numpy array"):
        optimizers.Adam([0.0, 1.0])
    with pytest.raises(ValueError, match="C-contiguous"):
        optimizers.Adam(np.zeros((4, 4))[:, 0])
    with pytest.raises(ValueError, match="'lr'"):
        optimizers.Adam(np.zeros(3), lr=-1.0)
    with pytest.raises(ValueError, match="'beta1'"):
        optimizers.Adam(np.zeros(3), beta1=1.0)
    with pytest.raises(TypeError, match="lr"):
        optimizers.GD(np.zeros(3))
    with pytest.raises(TypeError, match="bogus"):
        optimizers.Adam(np.zeros(3), bogus=1.0)
    opt = optimizers.Adam(np.zeros(3))
    with pytest.raises(ValueError, match="shape"):
        opt.step(np.zeros(4))
    assert repr(opt) == "Adam(<3 params>, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"


EPS_RULES = [name for name, rule in RULES.items() if "eps" in rule.hyper]


@pytest.mark.parametrize("eps", [0.0, -1e-8])
@pytest.mark.parametrize("name", EPS_RULES)
def test_eps_must_be_positive(name, eps):
    # Every rule with an eps divides by it: eps = 0 gave 0/0 = NaN at a zero gradient.
    with pytest.raises(ValueError, match="'eps'"):
        getattr(optimizers, RULES[name].optimizer)(np.zeros(3), eps=eps)
    with pytest.raises(ValueError, match="'eps'"):
        fastopt.minimize_stochastic(lambda w, a: (0.0, np.zeros(3)), np.zeros(3),
                                    (np.zeros((4, 1)),), method=name, options={"eps": eps})


@numba.njit
def _textbook_adam(x, g, m, v, b1, b2, step, rbc2, eps):
    # Kingma and Ba's Adam loop, written out: the fused kernel's arithmetic must be it.
    for i in range(x.size):
        mi = b1 * m[i] + (1.0 - b1) * g[i]
        vi = b2 * v[i] + (1.0 - b2) * g[i] * g[i]
        m[i] = mi
        v[i] = vi
        x[i] = x[i] - step * mi / (np.sqrt(vi) * rbc2 + eps)


@pytest.mark.parametrize("variant", ["serial", "parallel", "inline"])
def test_ordinary_gradients_keep_the_textbook_arithmetic(variant):
    rng = np.random.default_rng(4)
    rule = RULES["adam"]
    lr, hyper = rule.resolve({k: HYPER[k] for k in rule.hyper_names})
    x = rng.standard_normal(500)
    x_ref, m, v = x.copy(), np.zeros(500), np.zeros(500)
    state, powers = rule.new_state(500), np.ones(2)
    step = _build("adam", variant)
    for t in range(1, 30):
        g = rng.standard_normal(500) * 10.0 ** rng.uniform(-3, 2, 500)
        p1, p2 = powers
        step(x, x, g, lr, hyper, state, powers)
        _textbook_adam(x_ref, g, m, v, hyper.beta1, hyper.beta2, lr / (1.0 - p1 * hyper.beta1),
                       1.0 / np.sqrt(1.0 - p2 * hyper.beta2), hyper.eps)
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(state.v, v)
