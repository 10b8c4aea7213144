"""minimize_stochastic: mini-batches against NumPy transcriptions, both paths, errors."""
import itertools

import numba
import numpy as np
import pytest

import fastopt
from fastopt._core import codes
from fastopt._stochastic.epochs import take_rows
from fastopt._stochastic.shuffle import _shuffle, permutation
from fastopt._stochastic.table import METHODS
from fastopt.testing.oracles import ORACLES
from fastopt.schedules import InverseTime, RobbinsMonro


def _problem(N=200, n=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, n))
    w = rng.standard_normal(n)
    return X, X @ w + 0.1 * rng.standard_normal(N)


def _loss(w, Xb, yb):
    r = Xb @ w - yb
    return 0.5 * np.mean(r ** 2), Xb.T @ r / yb.size


_loss_jit = numba.njit(_loss)


def _transcription(method, X, y, batch_size, epochs, seed, hyper):
    """The same run in plain NumPy: permutations from the same generator,
    the oracles' updates (fastopt.testing.oracles), losses averaged per epoch."""
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    rule = METHODS[method]
    lr, h = rule.resolve(hyper)  # the table's defaults for what hyper leaves out
    h = h._asdict()
    state = {k: np.zeros_like(w) for k in rule.state}
    history, t = [], 0
    for _ in range(epochs):
        perm = permutation(rng, y.size)
        total = 0.0
        for start in range(0, y.size, batch_size):
            idx = perm[start:start + batch_size]
            loss, g = _loss(w, X[idx], y[idx])
            t += 1
            w, state = ORACLES[rule.name](w, g, lr, h, state, t)
            total += loss * idx.size
        history.append(total / y.size)
    return w, np.array(history)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("batch_size", [1, 7, 32, 200])
def test_matches_the_numpy_transcription(method, batch_size):
    hyper = {"lr": 0.05 if method == "sgd" else 0.01}
    X, y = _problem()
    res = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), method=method,
                                      batch_size=batch_size, epochs=3, seed=5, options=hyper)
    w, history = _transcription(method, X, y, batch_size, 3, 5, hyper)
    assert res.success and res.nepoch == 3 and res.nit == 3 * -(-200 // batch_size)
    np.testing.assert_allclose(res.x, w, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res.loss_history, history, rtol=1e-12)


def test_full_batch_is_gradient_descent():
    X, y = _problem()
    res = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), batch_size=200, epochs=25,
                                      seed=1, options={"lr": 0.3})
    w = np.zeros(4)
    for _ in range(25):
        w = w - 0.3 * _loss(w, X, y)[1]
    np.testing.assert_allclose(res.x, w, rtol=1e-12)


@pytest.mark.parametrize("method", list(METHODS))
def test_compiled_loss_gives_the_python_result(method):
    X, y = _problem()
    options = {"lr": 0.01}
    a = fastopt.minimize_stochastic(_loss_jit, np.zeros(4), (X, y), method=method,
                                    epochs=4, seed=2, options=options, validation=(X, y))
    b = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), method=method,
                                    epochs=4, seed=2, options=options, validation=(X, y))
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12)
    np.testing.assert_allclose(a.loss_history, b.loss_history, rtol=1e-12)
    np.testing.assert_allclose(a.validation_history, b.validation_history, rtol=1e-12)
    assert a.nit == b.nit and a.nfev == b.nfev


def test_seeds_and_convergence():
    X, y = _problem(N=2000)
    # Adam with an algebraically decaying rate settles near the least-squares
    # solution (1.9e-3 away when written; a constant rate keeps fluctuating).
    kwargs = dict(method="adam", epochs=30, schedule=InverseTime(0.02, 100, 0.75))
    a = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), seed=3, **kwargs)
    b = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), seed=3, **kwargs)
    c = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), seed=4, **kwargs)
    assert np.array_equal(a.x, b.x) and not np.array_equal(a.x, c.x)
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(a.x, best, atol=3e-3)
    assert a.loss_history[-1] < 0.1 * a.loss_history[0]


def test_validation_history_and_callback():
    X, y = _problem()
    seen = []

    def callback(intermediate_result):
        seen.append(intermediate_result.nepoch)
        if intermediate_result.nepoch == 3:
            raise StopIteration
    res = fastopt.minimize_stochastic(_loss, np.zeros(4), (X[:150], y[:150]), epochs=10,
                                      options={"lr": 0.05}, validation=(X[150:], y[150:]),
                                      callback=callback)
    assert seen == [1, 2, 3] and res.status == 99 and not res.success
    assert res.validation_history.shape == (3,)
    np.testing.assert_allclose(res.validation_history[-1], _loss(res.x, X[150:], y[150:])[0])


@pytest.mark.parametrize("fun", [_loss, _loss_jit])
def test_non_finite_stops_with_the_last_finite_iterate(fun):
    X, y = _problem()
    y = y.copy()
    y[17] = np.nan
    res = fastopt.minimize_stochastic(fun, np.zeros(4), (X, y), batch_size=10, epochs=2,
                                      seed=0, options={"lr": 0.05})
    assert not res.success and res.status == codes.NONFINITE and np.isfinite(res.x).all()
    assert res.nit < 20 and res.nepoch == 0


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(data=np.zeros((5, 2))), TypeError, "data"),
    (dict(data=(np.zeros((5, 2)), np.zeros(4))), ValueError, "length"),
    (dict(batch_size=0), ValueError, "batch_size"),
    (dict(epochs=1.5), TypeError, "epochs"),
    (dict(method="bfgs"), ValueError, "method"),
    (dict(options={}), ValueError, "learning rate"),
    (dict(options={"lr": 0.1, "beta": 0.9}), ValueError, "beta"),
    (dict(options={"lr": -0.1}), ValueError, "lr"),
    (dict(options={"lr": 0.1}, schedule=0.1), ValueError, "not both"),
    (dict(x0=[np.nan, 0.0]), ValueError, "x0"),
    (dict(fun=lambda w, a, b: (0.0, np.zeros(3))), ValueError, "grad"),
    (dict(validation=(np.zeros((3, 2)),)), ValueError, "validation"),
])
def test_bad_input(kwargs, error, match):
    args = dict(fun=lambda w, a, b: (0.0, np.zeros(2)), x0=np.zeros(2),
                data=(np.zeros((5, 2)), np.zeros(5)), options={"lr": 0.1})
    args.update(kwargs)
    with pytest.raises(error, match=match):
        fastopt.minimize_stochastic(**args)


@numba.njit
def _grad_2d(w, a, b):
    return 0.0, np.zeros((w.size, 1))


@numba.njit
def _loss_array(w, a, b):
    return np.zeros(1), np.zeros(w.size)


@numba.njit
def _grad_scalar(w, a, b):
    return 0.0, 0.0


@numba.njit
def _loss_only(w, a, b):
    return 0.0


@pytest.mark.parametrize("fun, error, match", [
    (_grad_2d, ValueError, r"grad of shape \(2,\), got a 2-D array"),
    (_loss_array, TypeError, "scalar loss"),
    (_grad_scalar, ValueError, r"grad of shape \(2,\)"),
    (_loss_only, TypeError, r"tuple \(loss, grad\)"),
])
def test_compiled_loss_returning_the_wrong_kind_is_a_clear_error(fun, error, match):
    # Was numba's TypingError from inside fastopt's compiled epoch loop; the
    # Python twin of each loss fails with the same kind of error.
    args = dict(x0=np.zeros(2), data=(np.zeros((5, 2)), np.zeros(5)), options={"lr": 0.1})
    with pytest.raises(error, match=match):
        fastopt.minimize_stochastic(fun, **args)
    with pytest.raises(error if fun is not _loss_only else TypeError):
        fastopt.minimize_stochastic(fun.py_func, **args)


def test_compiled_loss_errors_propagate():
    @numba.njit
    def failing(w, a, b):
        if a[0, 0] == 0.0:
            raise ZeroDivisionError("user's own error")
        return 0.0, np.zeros(w.size)

    with pytest.raises(ZeroDivisionError, match="user's own"):
        fastopt.minimize_stochastic(failing, np.zeros(2), (np.zeros((5, 2)), np.zeros(5)),
                                    options={"lr": 0.1})


def test_progress_bar(capsys):
    # tqdm is in the test extra (the feature's optional dependency).
    X, y = _problem()
    res = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), epochs=2,
                                      options={"lr": 0.05, "progress": True})
    assert res.success and "2/2" in capsys.readouterr().err


@pytest.mark.parametrize("fun", [_loss, _loss_jit])
def test_schedules_set_the_rate_of_every_update(fun):
    # sgd with batch_size = N: x_{k+1} = x_k - gamma_k grad, gamma_k from the
    # schedule with k counted over the run (k = 0 first), or a callable.
    X, y = _problem()
    for schedule in (RobbinsMonro(0.5), lambda k: 0.3 / (1.0 + 0.1 * k)):
        res = fastopt.minimize_stochastic(fun, np.zeros(4), (X, y), batch_size=200, epochs=6,
                                          schedule=schedule)
        w = np.zeros(4)
        for k in range(6):
            w = w - schedule(k) * _loss(w, X, y)[1]
        np.testing.assert_allclose(res.x, w, rtol=1e-12)


def test_fun_cannot_change_the_iterate():
    # Both paths hand fun a copy of x: a fun that writes into it changes nothing.
    X, y = _problem()

    def meddling(w, Xb, yb):
        r = Xb @ w - yb
        w[0] = 100.0
        return 0.5 * np.mean(r ** 2), Xb.T @ r / yb.size
    kwargs = dict(epochs=2, seed=0, options={"lr": 0.05})
    ref = fastopt.minimize_stochastic(_loss, np.zeros(4), (X, y), **kwargs)
    for fun in (meddling, numba.njit(meddling)):
        res = fastopt.minimize_stochastic(fun, np.zeros(4), (X, y), **kwargs)
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-12)


def test_permutations_are_uniform():
    rng = np.random.default_rng(1)
    counts = {}
    for _ in range(24_000):
        p = tuple(permutation(rng, 4))
        counts[p] = counts.get(p, 0) + 1
    assert sorted(counts) == sorted(itertools.permutations(range(4)))
    # chi-square with 23 degrees of freedom; its 0.999 quantile is 49.7
    expected = 24_000 / 24
    assert sum((c - expected) ** 2 / expected for c in counts.values()) < 49.7
    for n in (0, 1, 2, 100_001):
        assert np.array_equal(np.sort(permutation(rng, n)), np.arange(n))


def test_shuffle_rejects_biased_words_and_resumes_when_words_run_out():
    # For a draw in [0, 3), Lemire's rule rejects the word 0 (low bits of
    # 0 * 3 fall under (2**32 - 3) % 3 = 1) and takes the next one.
    perm = np.arange(3)
    words = np.array([0, 2 ** 31, 0, 0], dtype=np.uint32)
    top, used = _shuffle(words, perm, 2, 0)
    # 2**31 * 3 >> 32 = 1: swap positions 2 and 1; then 0 * 2 >> 32 = 0 at top 1
    assert (top, used) == (0, 3) and perm.tolist() == [2, 0, 1]
    perm = np.arange(3)
    assert _shuffle(np.zeros(1, np.uint32), perm, 2, 0) == (2, 0)  # redo with fresh words
    assert perm.tolist() == [0, 1, 2]


@pytest.mark.parametrize("array", [
    np.arange(60.0).reshape(20, 3), np.arange(20, dtype=np.int32), np.arange(20) % 3 == 0,
    np.arange(20 * 17, dtype=np.float32).reshape(20, 17), np.zeros((20, 0)),
    np.arange(120.0).reshape(20, 3, 2)])
def test_compiled_row_gather_is_fancy_indexing(array):
    gather = numba.njit(lambda a, perm, start, stop: take_rows(a, perm, start, stop))
    perm = np.random.default_rng(0).permutation(20)
    for start, stop in ((0, 7), (7, 14), (14, 20), (19, 20)):
        np.testing.assert_array_equal(gather(array, perm, start, stop), array[perm[start:stop]])
