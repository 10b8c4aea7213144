"""Each fused kernel equals the NumPy transcription of its formula, serial and threaded."""
import numpy as np
import pytest

from fastopt import _registry
from fastopt._kernels import steps
from fastopt.optimizers import Optimizer
import fastopt.optimizers as optimizers
from fastopt._textbook import textbook_step


def assert_close(actual, desired, rtol=1e-12):
    """Relative error in the max norm: elements that are a small difference of
    large terms carry their terms' rounding, not their own."""
    err = np.max(np.abs(actual - desired))
    assert err <= rtol * np.max(np.abs(desired)), (err, np.max(np.abs(desired)))

METHODS = list(_registry.FIRST_ORDER)
# Hyperparameters away from the defaults so that every term matters.
HYPER = {"lr": 0.05, "momentum": 0.8, "beta": 0.7, "beta1": 0.85, "beta2": 0.95,
         "rho": 0.9, "eps": 1e-3}


def _run(name, n, nsteps, variant, seed=0):
    rng = np.random.default_rng(seed)
    spec = _registry.METHODS[name]
    h = {k: HYPER[k] for k in spec.hyper_names}
    hyper = np.array([h[k] for k in spec.hyper_names])
    kernel = getattr(steps, name + ("_parallel" if variant == "parallel" else ""))
    x = rng.standard_normal(n)
    x_ref = x.copy()
    state = np.zeros((spec.nslots, n))
    state_ref = [np.zeros(n) for _ in range(spec.nslots)]
    powers = np.ones(2)
    for t in range(1, nsteps + 1):
        # Gradients of varying scale and sign, including exact zeros.
        g = rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 2, n)
        g[rng.random(n) < 0.05] = 0.0
        if variant == "apply_step":
            steps.apply_step(spec.kernel_id, x, x, g, state, hyper, powers)
        elif variant == "select":
            steps.select(spec.kernel_id, n)(x, x, g, state, hyper, powers)
        else:
            kernel(x, x, g, state, hyper, powers)
        x_ref, state_ref = textbook_step(name, x_ref, g, state_ref, h, t)
    return x, x_ref, state, state_ref


@pytest.mark.parametrize("variant", ["serial", "parallel", "apply_step", "select"])
@pytest.mark.parametrize("name", METHODS)
def test_kernel_matches_textbook(name, variant):
    n = steps.PARALLEL_MIN_SIZE + 17 if variant in ("apply_step", "select") else 1001
    x, x_ref, state, state_ref = _run(name, n, 200 if n < 5000 else 20, variant)
    assert_close(x, x_ref)
    for row, ref in zip(state, state_ref):
        assert_close(row, ref)


@pytest.mark.parametrize("name", METHODS)
def test_serial_and_threaded_are_identical(name):
    a = _run(name, 50_000, 30, "serial", seed=3)
    b = _run(name, 50_000, 30, "parallel", seed=3)
    assert np.array_equal(a[0], b[0])
    assert np.array_equal(a[2], b[2])


def test_out_of_place_leaves_x_unchanged():
    x = np.arange(5.0)
    out = np.empty(5)
    g = np.ones(5)
    steps.adam(x, out, g, np.zeros((2, 5)), np.array([0.1, 0.9, 0.999, 1e-8]), np.ones(2))
    assert np.array_equal(x, np.arange(5.0))
    # first Adam step moves every coordinate by lr (m_hat / sqrt(v_hat) = 1)
    np.testing.assert_allclose(out, x - 0.1, rtol=1e-7)


def test_inf_norm_reports_nan_and_inf():
    assert steps.inf_norm(np.array([1.0, -3.0, 2.0])) == 3.0
    assert np.isnan(steps.inf_norm(np.array([1.0, np.nan, 5.0])))
    assert steps.inf_norm(np.array([1.0, -np.inf])) == np.inf


OPTIMIZER_CLASSES = [c for c in vars(optimizers).values()
                     if isinstance(c, type) and issubclass(c, Optimizer) and c is not Optimizer]


def test_one_optimizer_class_per_method():
    assert sorted(c.method for c in OPTIMIZER_CLASSES) == sorted(METHODS)


@pytest.mark.parametrize("cls", OPTIMIZER_CLASSES, ids=lambda c: c.__name__)
def test_optimizer_class_defaults_match_registry(cls):
    import inspect
    params = inspect.signature(cls.__init__).parameters
    for name, default in _registry.METHODS[cls.method].hyper:
        expected = inspect.Parameter.empty if default is None else default
        assert params[name].default == expected


@pytest.mark.parametrize("cls", OPTIMIZER_CLASSES, ids=lambda c: c.__name__)
def test_optimizer_step_in_place_matches_textbook(cls):
    rng = np.random.default_rng(7)
    spec = _registry.METHODS[cls.method]
    h = {k: HYPER[k] for k in spec.hyper_names}
    params = rng.standard_normal((3, 4))
    ref = params.ravel().copy()
    state_ref = [np.zeros(12) for _ in range(spec.nslots)]
    opt = cls(params, **h)
    before = params
    for t in range(1, 51):
        g = rng.standard_normal((3, 4))
        opt.step(g)
        ref, state_ref = textbook_step(cls.method, ref, g.ravel(), state_ref, h, t)
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
    opt = optimizers.Adam(np.zeros(3))
    with pytest.raises(ValueError, match="shape"):
        opt.step(np.zeros(4))
