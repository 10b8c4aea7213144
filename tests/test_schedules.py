"""fastopt.schedules: values against the plain formulas, the compiled
``learning_rate`` against ``__call__``, the Robbins-Monro flags against the
theory (and partial sums), input errors, user callables."""
import dataclasses
import math

import numba
import numpy as np
import pytest

from fastopt import schedules
from fastopt.schedules import (CALLABLE, Constant, ExponentialDecay, FromCallable, InverseTime,
                               RobbinsMonro, StepDecay, as_schedule, learning_rate)

#: Update indices: the first ones, around the step boundaries below, large.
KS = np.array([0, 1, 2, 3, 7, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 4999, 5000,
               12345, 10**6, 10**6 + 1, 123456789, 10**9, 2**40, 2**53])

#: One example of each built-in kind, with parameters that keep the rate
#: well away from 0 over a long range of k.
BUILT_IN = [Constant(0.05), ExponentialDecay(0.3, 0.9995), ExponentialDecay(2.0, 1.0),
            StepDecay(0.1, 0.5, 1000), StepDecay(0.1, 1.0, 7), InverseTime(0.2, 50.0),
            InverseTime(0.2, 3.5, 0.6), InverseTime(1.0, 1.0, 0.25), RobbinsMonro(0.7)]


def _reference(sched, ks):
    """gamma_k from the textbook formula, evaluated with NumPy on float k."""
    k = np.asarray(ks, dtype=np.float64)
    if isinstance(sched, Constant):
        return np.full(k.shape, sched.lr)
    if isinstance(sched, ExponentialDecay):
        return sched.lr0 * sched.rate ** k
    if isinstance(sched, StepDecay):
        return sched.lr0 * sched.factor ** np.floor(k / sched.every)
    if isinstance(sched, InverseTime):
        return sched.lr0 * (1.0 + k / sched.k0) ** (-sched.alpha)
    if isinstance(sched, RobbinsMonro):
        return sched.lr0 / (k + 1.0)
    raise AssertionError(sched)


@numba.njit
def _compiled_rates(kind, params, ks):
    out = np.empty(ks.size)
    for i in range(ks.size):
        out[i] = learning_rate(kind, params, ks[i])
    return out


# ------------------------------------------------------------------ values

@pytest.mark.parametrize("sched", BUILT_IN, ids=repr)
def test_values_follow_the_formula(sched):
    python = np.array([sched(int(k)) for k in KS])
    np.testing.assert_allclose(python, _reference(sched, KS), rtol=1e-13, atol=0)
    assert python[0] == sched.params[0]  # k = 0 is the first update: gamma_0 = lr0
    assert np.all(python >= 0) and np.all(np.diff(python) <= 0)


def test_first_values_by_hand():
    assert [RobbinsMonro(1.0)(k) for k in range(4)] == [1.0, 0.5, 1 / 3, 0.25]
    assert [ExponentialDecay(1.0, 0.5)(k) for k in range(4)] == [1.0, 0.5, 0.25, 0.125]
    assert [StepDecay(8.0, 0.5, 2)(k) for k in range(7)] == [8, 8, 4, 4, 2, 2, 1]
    assert [InverseTime(1.0, 2.0)(k) for k in (0, 2, 6)] == [1.0, 0.5, 0.25]
    assert InverseTime(1.0, 1.0, 0.5)(3) == 0.5
    assert Constant(0.25)(10**12) == 0.25


def test_step_decay_against_its_recursive_definition():
    sched = StepDecay(0.9, 0.7, 13)
    lr, expected = 0.9, []
    for k in range(400):
        if k > 0 and k % 13 == 0:
            lr *= 0.7
        expected.append(lr)
    np.testing.assert_allclose(sched.values(0, 400), expected, rtol=1e-14)


def test_robbins_monro_is_inverse_time_with_k0_one():
    np.testing.assert_allclose(RobbinsMonro(0.3).values(0, 1000),
                               InverseTime(0.3, 1.0, 1.0).values(0, 1000), rtol=1e-15)
    np.testing.assert_allclose(InverseTime(0.3, 40.0).values(0, 1000),
                               0.3 * 40.0 / (40.0 + np.arange(1000)), rtol=1e-15)


@pytest.mark.parametrize("sched", BUILT_IN, ids=repr)
def test_compiled_learning_rate_matches_python(sched):
    ks = KS.astype(np.int64)
    compiled = _compiled_rates(sched.kind, sched.params, ks)
    python = np.array([sched(int(k)) for k in ks])
    np.testing.assert_allclose(compiled, python, rtol=2 * np.finfo(float).eps, atol=0)
    # values() runs the same kernel over a block of consecutive updates.
    start = 998
    block = sched.values(start, 50)
    np.testing.assert_allclose(block, [sched(k) for k in range(start, start + 50)],
                               rtol=2 * np.finfo(float).eps, atol=0)
    assert block.dtype == np.float64 and sched.values(7, 0).shape == (0,)


def test_learning_rate_is_nan_where_it_cannot_answer():
    params = np.array([0.1])
    assert math.isnan(learning_rate(CALLABLE, np.empty(0), 3))
    assert math.isnan(learning_rate(99, params, 3))
    assert math.isnan(learning_rate(schedules.CONSTANT, params, -1))
    assert learning_rate(schedules.CONSTANT, params, 0) == 0.1


def test_encoding():
    codes = {type(s): s.kind for s in BUILT_IN}
    assert len(set(codes.values())) == 5 and CALLABLE not in codes.values()
    np.testing.assert_array_equal(StepDecay(0.1, 0.5, 20).params, [0.1, 0.5, 20.0])
    np.testing.assert_array_equal(InverseTime(0.1, 5, 0.75).params, [0.1, 5.0, 0.75])
    for sched in BUILT_IN:
        assert sched.params.dtype == np.float64
        assert eval(repr(sched), vars(schedules)) == sched  # frozen, comparable
        with pytest.raises(dataclasses.FrozenInstanceError):
            sched.lr0 = 1.0


# ------------------------------------------------------ Robbins-Monro flags

@pytest.mark.parametrize("sched, expected", [
    (Constant(0.1), False),
    (ExponentialDecay(0.1, 0.99), False),
    (ExponentialDecay(0.1, 1.0), False),
    (StepDecay(0.1, 0.5, 100), False),
    (StepDecay(0.1, 1.0, 100), False),
    (RobbinsMonro(0.1), True),
    (InverseTime(0.1, 10.0, 1.0), True),
    (InverseTime(0.1, 10.0, 0.75), True),
    (InverseTime(0.1, 10.0, 0.5 + 1e-9), True),
    (InverseTime(0.1, 10.0, 0.5), False),
    (InverseTime(0.1, 10.0, 0.1), False),
    (FromCallable(lambda k: 1.0 / (k + 1)), None),
], ids=repr)
def test_robbins_monro_flags(sched, expected):
    assert sched.robbins_monro is expected


N = 10**6
DECADES = (10**4, 10**5, 10**6)


def _partial_sums(sched):
    """(sum gamma_k, sum gamma_k^2) over k < n, for n in DECADES."""
    g = sched.values(0, N)
    s1, s2 = np.cumsum(g), np.cumsum(g * g)
    return [s1[n - 1] for n in DECADES], [s2[n - 1] for n in DECADES]


def test_partial_sums_robbins_monro():
    # 0.5 H_n grows by 0.5 ln 10 a decade; 0.25 sum 1/(k+1)^2 < 0.25 pi^2/6,
    # with a tail after n terms below 0.25 / n.
    s1, s2 = _partial_sums(RobbinsMonro(0.5))
    euler = 0.5772156649015329
    for n, s in zip(DECADES, s1):
        assert s == pytest.approx(0.5 * (math.log(n) + euler + 0.5 / n), rel=1e-10)
    assert s1[2] - s1[1] == pytest.approx(0.5 * math.log(10), rel=1e-5)
    limit = 0.25 * math.pi ** 2 / 6
    assert limit - 0.25 / 10**6 < s2[2] < limit
    assert s2[2] - s2[1] < 0.25 / 10**5


def test_partial_sums_inverse_time():
    # alpha = 0.75, k0 = 10: sum gamma_k >= integral = 40 ((1 + n/10)^0.25 - 1),
    # unbounded; sum gamma_k^2 <= 1 + integral of (1 + t/10)^-1.5 = 21.
    s1, s2 = _partial_sums(InverseTime(1.0, 10.0, 0.75))
    for n, s in zip(DECADES, s1):
        assert 40 * ((1 + n / 10) ** 0.25 - 1) <= s <= 1 + 40 * ((1 + n / 10) ** 0.25 - 1)
    assert s1[2] - s1[1] > 300
    assert s2[2] < 21 and s2[2] - s2[1] < 20 / math.sqrt(1 + 10**4)
    # alpha = 0.5 (not Robbins-Monro): the squares sum to about k0 ln(n / k0),
    # growing by k0 ln 10 = 23 a decade.
    _, s2 = _partial_sums(InverseTime(1.0, 10.0, 0.5))
    assert s2[2] - s2[1] == pytest.approx(10 * math.log(10), rel=1e-3)


def test_partial_sums_constant_and_geometric():
    # Constant: sum gamma_k^2 = lr^2 n, growing without bound.
    _, s2 = _partial_sums(Constant(0.1))
    np.testing.assert_allclose(s2, 0.01 * np.array(DECADES), rtol=1e-9)
    # Exponential: sum gamma_k = (1 - r^n) / (1 - r) -> 1000, bounded.
    s1, _ = _partial_sums(ExponentialDecay(1.0, 0.999))
    assert s1[0] == pytest.approx((1 - 0.999 ** 10**4) / 0.001, rel=1e-10)
    assert s1[2] == pytest.approx(1000.0, rel=1e-10) and s1[2] - s1[1] < 1e-12
    # Step: sum gamma_k = every sum 0.5^j -> 2 * every, bounded.
    s1, _ = _partial_sums(StepDecay(1.0, 0.5, 1000))
    assert s1[2] == pytest.approx(2000.0, rel=1e-12) and s1[2] - s1[1] < 1e-20


# --------------------------------------------------------------- bad inputs

@pytest.mark.parametrize("make, error, match", [
    (lambda: Constant(-0.1), ValueError, "lr must be positive"),
    (lambda: Constant(0.0), ValueError, "lr must be positive"),
    (lambda: Constant(math.nan), ValueError, "lr must be finite"),
    (lambda: Constant(math.inf), ValueError, "lr must be finite"),
    (lambda: Constant("0.1"), TypeError, "lr must be a real number"),
    (lambda: Constant(True), TypeError, "lr must be a real number"),
    (lambda: Constant(0.1 + 0j), TypeError, "lr must be a real number"),
    (lambda: ExponentialDecay(-1.0, 0.9), ValueError, "lr0 must be positive"),
    (lambda: ExponentialDecay(0.1, 0.0), ValueError, r"rate must be in \(0, 1\]"),
    (lambda: ExponentialDecay(0.1, 1.01), ValueError, r"rate must be in \(0, 1\]"),
    (lambda: ExponentialDecay(0.1, -0.5), ValueError, r"rate must be in \(0, 1\]"),
    (lambda: ExponentialDecay(0.1, math.nan), ValueError, "rate must be finite"),
    (lambda: StepDecay(0.1, 0.0, 10), ValueError, r"factor must be in \(0, 1\]"),
    (lambda: StepDecay(0.1, 2.0, 10), ValueError, r"factor must be in \(0, 1\]"),
    (lambda: StepDecay(0.1, 0.5, 0), ValueError, "every must be an integer >= 1"),
    (lambda: StepDecay(0.1, 0.5, -3), ValueError, "every must be an integer >= 1"),
    (lambda: StepDecay(0.1, 0.5, 10.0), TypeError, "every must be an integer"),
    (lambda: StepDecay(math.inf, 0.5, 10), ValueError, "lr0 must be finite"),
    (lambda: InverseTime(0.1, 0.0), ValueError, "k0 must be positive"),
    (lambda: InverseTime(0.1, -5.0), ValueError, "k0 must be positive"),
    (lambda: InverseTime(0.1, math.inf), ValueError, "k0 must be finite"),
    (lambda: InverseTime(0.1, 10.0, 1.5), ValueError, r"alpha must be in \(0, 1\]"),
    (lambda: InverseTime(0.1, 10.0, 0.0), ValueError, "only .0.5, 1. satisfies Robbins"),
    (lambda: InverseTime(0.0, 10.0), ValueError, "lr0 must be positive"),
    (lambda: RobbinsMonro(-0.5), ValueError, "lr0 must be positive"),
    (lambda: RobbinsMonro(None), TypeError, "lr0 must be a real number"),
    (lambda: FromCallable(0.1), TypeError, "fun must be callable"),
    (lambda: as_schedule(None), ValueError, "a learning rate is needed"),
    (lambda: as_schedule(-0.01), ValueError, "lr must be positive"),
    (lambda: as_schedule(np.float64(math.nan)), ValueError, "lr must be finite"),
    (lambda: as_schedule("constant"), TypeError, "must be a number, a schedule or a callable"),
    (lambda: as_schedule(False), TypeError, "must be a number, a schedule or a callable"),
    (lambda: as_schedule(np.array([0.1])), TypeError, "got ndarray"),
    (lambda: as_schedule(lambda k: math.nan), ValueError, r"learning rate >= 0, got nan at k=0"),
    (lambda: as_schedule(lambda k: -0.1), ValueError, "got -0.1 at k=0"),
    (lambda: as_schedule(lambda k: math.inf), ValueError, "got inf at k=0"),
    (lambda: as_schedule(lambda k: None), TypeError, "got NoneType at k=0"),
    (lambda: as_schedule(lambda k: [0.1]), TypeError, "must return a real number"),
    (lambda: RobbinsMonro(0.1)(-1), ValueError, "k must be an integer >= 0"),
    (lambda: RobbinsMonro(0.1)(1.0), TypeError, "k must be an integer"),
    (lambda: RobbinsMonro(0.1).values(-1, 3), ValueError, "start must be an integer >= 0"),
    (lambda: RobbinsMonro(0.1).values(0, -1), ValueError, "count must be an integer >= 0"),
    (lambda: FromCallable(lambda k: 0.1).values(0, 2.5), TypeError, "count must be an integer"),
])
def test_bad_input(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_callable_checked_at_every_k():
    sched = as_schedule(lambda k: 0.1 if k < 5 else math.nan)
    assert sched(4) == 0.1
    with pytest.raises(ValueError, match="at k=5"):
        sched.values(0, 10)
    with pytest.raises(ValueError, match="at k=7"):
        sched(7)


def test_an_exception_in_the_callable_propagates():
    def fail(k):
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        as_schedule(fail)


# --------------------------------------------------------- as_schedule, callables

def test_as_schedule_numbers_and_schedules():
    assert as_schedule(0.1) == Constant(0.1)
    assert as_schedule(1) == Constant(1.0) and isinstance(as_schedule(1).lr, float)
    assert as_schedule(np.float32(0.5)) == Constant(0.5)
    assert as_schedule(None, default=0.01) == Constant(0.01)
    sched = InverseTime(0.1, 100.0, 0.6)
    assert as_schedule(sched) is sched
    assert as_schedule(None, default=sched) is sched
    assert as_schedule(0.2, default=sched) == Constant(0.2)


def test_callable_wrapping():
    calls = []

    def warmup_then_decay(k):
        calls.append(k)
        return 0.1 * min(k / 10, 1.0) / math.sqrt(max(k, 10) / 10)

    sched = as_schedule(warmup_then_decay)
    assert isinstance(sched, FromCallable) and sched.fun is warmup_then_decay
    assert calls == [0]  # checked once, at k = 0 (where it may be 0: a warm-up)
    assert sched.kind == CALLABLE and sched.params.shape == (0,)
    assert sched.robbins_monro is None
    ks = range(3, 3000, 7)
    expected = [0.1 * min(k / 10, 1.0) / math.sqrt(max(k, 10) / 10) for k in ks]
    assert [sched(k) for k in ks] == expected
    np.testing.assert_array_equal(sched.values(20, 30),
                                  [0.1 / math.sqrt(k / 10) for k in range(20, 50)])
    assert sched.values(5, 0).shape == (0,)
    assert as_schedule(sched) is sched
    # NumPy scalars and 0-d arrays are numbers too; the result is a float.
    assert as_schedule(lambda k: np.float32(0.25))(3) == 0.25
    assert type(as_schedule(lambda k: np.array(0.5))(3)) is float
    # A numba function k -> lr is a callable like any other.
    jitted = numba.njit(lambda k: 2.0 / (k + 2.0))
    np.testing.assert_allclose(as_schedule(jitted).values(0, 4), [1.0, 2 / 3, 0.5, 0.4])


def test_a_schedule_is_itself_a_callable_schedule():
    # Any Schedule can also be used as a plain function k -> lr.
    wrapped = FromCallable(InverseTime(0.2, 3.5, 0.6))
    np.testing.assert_allclose(wrapped.values(0, 500),
                               InverseTime(0.2, 3.5, 0.6).values(0, 500), rtol=1e-15)
