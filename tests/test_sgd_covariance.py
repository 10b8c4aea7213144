"""sgd_covariance and gradient_covariance.

References: scipy.linalg.solve_continuous_lyapunov / solve_discrete_lyapunov,
the exact covariance recursion of the linear model, and Monte Carlo
simulations of SGD on the lecture notes' noisy linear problem
``theta_{k+1} = theta_k - gamma_k (A theta_k + eps_k)``.
"""
import numpy as np
import pytest
import scipy.linalg as sl

from fastopt import gradient_covariance, sgd_covariance
from fastopt.testing.matrices import spd as _spd, stable as _stable


# -------------------------------------------------------- sgd_covariance

def _noise(d, rng, scale=1e-2):
    M = rng.standard_normal((d, d))
    return scale * (M @ M.T / d + 0.2 * np.eye(d))


def _unsymmetric_h(d, rng):
    """Eigenvalues with real parts in [0.6, 1.6], most in complex pairs."""
    return _stable(d, rng, complex_pairs=True) * 0.5 + 0.1 * np.eye(d)


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("d", [1, 6, 70])
def test_sgd_covariance_matches_scipy(symmetric, d):
    rng = np.random.default_rng(d)
    H = _spd(d, rng)[0] if symmetric else _unsymmetric_h(d, rng)
    S = _noise(d, rng)
    I = np.eye(d)
    V = sgd_covariance(H, S)
    np.testing.assert_allclose(V, sl.solve_continuous_lyapunov(H, S), rtol=1e-9,
                               atol=1e-12 * np.abs(V).max())
    c = 10.0
    Vh = sgd_covariance(H, S, harmonic=c)
    np.testing.assert_allclose(Vh, sl.solve_continuous_lyapunov(H - I / (2 * c), S),
                               rtol=1e-9, atol=1e-12 * np.abs(Vh).max())
    for lr in (1e-3, 0.1):
        Vc = sgd_covariance(H, S, lr=lr)
        M = I - lr * H
        ref = sl.solve_discrete_lyapunov(M, lr * lr * S)
        np.testing.assert_allclose(Vc, ref, rtol=1e-8, atol=1e-12 * np.abs(Vc).max())
        stein = M @ Vc @ M.T + lr * lr * S - Vc
        assert np.linalg.norm(stein) <= 1e-12 * np.linalg.norm(Vc)
        assert np.array_equal(Vc, Vc.T)
    # A vanishing constant step tends to the decaying-step answer.
    assert _rel(sgd_covariance(H, S, lr=1e-7) / 1e-7, V) < 1e-5


def test_sgd_covariance_small_cases_in_closed_form():
    assert sgd_covariance([[2.0]], [[0.5]])[0, 0] == pytest.approx(0.5 / 4)
    assert sgd_covariance([[2.0]], [[0.5]], lr=0.3)[0, 0] == pytest.approx(
        0.3 * 0.5 / (4 - 0.3 * 4))  # AR(1): gamma s / (2h - gamma h^2)
    assert sgd_covariance([[2.0]], [[0.5]], harmonic=1.0)[0, 0] == pytest.approx(0.5 / 3)
    H = np.diag([0.5, 2.0])
    S = np.array([[1.0, 0.2], [0.2, 3.0]])
    np.testing.assert_allclose(sgd_covariance(H, S),
                               S / (np.diag(H)[:, None] + np.diag(H)[None, :]), rtol=1e-14)


def _exact_covariance(H, S, gammas):
    """Cov(theta_K) of the linear recursion from theta_0 = theta*, by iterating
    P <- (I - g H) P (I - g H)^T + g^2 S: no Lyapunov solver involved."""
    I = np.eye(H.shape[0])
    P = np.zeros_like(S)
    for g in gammas:
        M = I - g * H
        P = M @ P @ M.T + g * g * S
    return P


@pytest.mark.parametrize("symmetric", [True, False])
def test_sgd_covariance_is_the_limit_of_the_exact_recursion(symmetric):
    """The transpose convention (H V + V H^T) and the 1/k term, checked on the
    recursion itself, also for unsymmetric H."""
    rng = np.random.default_rng(21)
    d = 6
    H = _spd(d, rng, 0.5, 3.0)[0] if symmetric else _unsymmetric_h(d, rng)
    S = _noise(d, rng)
    K = 20000
    k = np.arange(K + 1)
    gam = 0.2 * (1 + k / 100) ** -0.6
    V = sgd_covariance(H, S)
    assert np.linalg.norm(_exact_covariance(H, S, gam[:K]) / gam[K] - V) <= 0.03 * np.linalg.norm(V)
    c = 2.0  # c Re(l) >= 1.2
    gam = c / (k + 100)
    Vh = sgd_covariance(H, S, harmonic=c)
    P = _exact_covariance(H, S, gam[:K])
    assert np.linalg.norm(P / gam[K] - Vh) <= 0.03 * np.linalg.norm(Vh)
    assert np.linalg.norm(P / gam[K] - V) > 0.1 * np.linalg.norm(V)  # the term matters
    lr = 0.3
    P = _exact_covariance(H, S, np.full(3000, lr))
    np.testing.assert_allclose(P, sgd_covariance(H, S, lr=lr), rtol=1e-9,
                               atol=1e-12 * np.abs(P).max())


def test_sgd_covariance_rejects_unsettled_iterations():
    H = np.diag([1.0, 4.0])
    S = np.eye(2)
    with pytest.raises(ValueError, match="unstable"):
        sgd_covariance(H, S, lr=0.5)       # |1 - 0.5 * 4| = 1
    with pytest.raises(ValueError, match="unstable"):
        sgd_covariance(H, S, lr=0.6)
    with pytest.raises(ValueError, match="positive definite"):
        sgd_covariance(np.diag([1.0, -0.1]), S)
    with pytest.raises(ValueError, match="positive definite"):
        sgd_covariance(np.diag([1.0, 0.0]), S)
    with pytest.raises(ValueError, match="unstable"):
        sgd_covariance(np.diag([1.0, -0.1]), S, lr=0.1)
    with pytest.raises(ValueError, match="c Re"):
        sgd_covariance(H, S, harmonic=0.5)  # c l_min = 1/2
    # Unsymmetric H: a complex pair 1 +- 2i has |1 - lr l| >= 1 once lr >= 2/5.
    R = np.array([[1.0, 2.0], [-2.0, 1.0]])
    assert np.isfinite(sgd_covariance(R, S, lr=0.39)).all()
    with pytest.raises(ValueError, match="unstable"):
        sgd_covariance(R, S, lr=0.41)
    with pytest.raises(ValueError, match="unstable"):
        sgd_covariance(np.array([[2.0, 1.0], [0.0, 1.0]]), S, lr=1.0)  # lr l = 2
    with pytest.raises(ValueError, match="positive definite"):
        sgd_covariance(np.array([[-1.0, 3.0], [0.0, 2.0]]), S)
    with pytest.raises(ValueError, match="c Re"):
        sgd_covariance(R, S, harmonic=0.4)


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=0.0), "lr must be positive"),
    (dict(lr=-0.1), "lr must be positive"),
    (dict(lr=np.nan), "lr must be finite"),
    (dict(harmonic=0.0), "harmonic must be positive"),
    (dict(lr=0.1, harmonic=1.0), "not both"),
])
def test_sgd_covariance_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sgd_covariance(np.eye(2), np.eye(2), **kwargs)


@pytest.mark.parametrize("kwargs", [dict(lr=True), dict(lr="0.1"), dict(harmonic=None, lr=[0.1])])
def test_sgd_covariance_parameters_of_the_wrong_kind(kwargs):
    with pytest.raises(TypeError, match="lr must be a real number"):
        sgd_covariance(np.eye(2), np.eye(2), **kwargs)


def test_sgd_covariance_bad_matrices():
    with pytest.raises(ValueError, match="grad_cov must have H's shape"):
        sgd_covariance(np.eye(2), np.eye(3))
    with pytest.raises(ValueError, match="grad_cov must be symmetric"):
        sgd_covariance(np.eye(2), [[1.0, 0.5], [0.0, 1.0]])
    with pytest.raises(ValueError, match="negative"):
        sgd_covariance(np.eye(2), [[1.0, 0.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="H must be a square"):
        sgd_covariance(np.ones((2, 3)), np.eye(2))
    with pytest.raises(ValueError, match="grad_cov must be finite"):
        sgd_covariance(np.eye(2), [[np.nan, 0.0], [0.0, 1.0]])
    with pytest.raises(TypeError, match="H must be real"):
        sgd_covariance(np.eye(2) + 0j, np.eye(2))
    # Rounding-level asymmetry of an estimated covariance is accepted.
    S = np.array([[1.0, 0.3], [0.3 * (1 + 1e-12), 1.0]])
    V = sgd_covariance(np.eye(2), S)
    assert np.array_equal(V, V.T)


# --------------------------------------------------- gradient_covariance

def test_gradient_covariance_matches_numpy():
    rng = np.random.default_rng(0)
    G = rng.standard_normal((500, 7)) @ rng.standard_normal((7, 7)) + 3.0
    np.testing.assert_allclose(gradient_covariance(G), np.cov(G.T, bias=True), rtol=1e-12)
    np.testing.assert_allclose(gradient_covariance(G, ddof=1), np.cov(G.T), rtol=1e-12)
    np.testing.assert_allclose(gradient_covariance(G, batch_size=8), np.cov(G.T, bias=True) / 8,
                               rtol=1e-12)
    S = gradient_covariance(G)
    assert np.array_equal(S, S.T)


def test_gradient_covariance_is_the_noise_of_uniform_sampling():
    """Divisor N: enumerate every equally likely mini-batch (two rows drawn
    with replacement) and take the exact covariance of its mean gradient."""
    rng = np.random.default_rng(1)
    G = rng.standard_normal((9, 3))
    means = 0.5 * (G[:, None, :] + G[None, :, :]).reshape(-1, 3)
    centred = means - means.mean(axis=0)
    exact = centred.T @ centred / len(means)
    np.testing.assert_allclose(gradient_covariance(G, batch_size=2), exact, rtol=1e-12)


def test_gradient_covariance_of_huge_gradients_is_finite_and_right():
    # Sums of squares of gradients near 1e154 overflow although the covariance
    # is representable: the reference is NumPy on the columns scaled by hand,
    # the scales put back entry by entry.
    rng = np.random.default_rng(2)
    scale = np.array([5e153, 1.0, 1e-165])
    G = rng.standard_normal((100, 3)) * scale + 3.0 * scale
    with np.errstate(over="ignore"):
        naive = (G - G.mean(axis=0)).T @ (G - G.mean(axis=0)) / 100
    assert np.isinf(naive[0, 0])  # what the plain formula gives
    ref = np.cov((G / scale).T, bias=True) * (100 / 99 / 3) * scale[:, None] * scale[None, :]
    S = gradient_covariance(G, ddof=1, batch_size=3)
    assert np.isfinite(S).all() and np.array_equal(S, S.T)
    np.testing.assert_allclose(S, ref, rtol=1e-12)


def test_gradient_covariance_scaling_changes_no_bit_of_ordinary_input():
    rng = np.random.default_rng(3)
    G = rng.standard_normal((300, 5)) * [1e-3, 1.0, 7.0, 1e5, 3e-200]
    Gc = G - G.mean(axis=0)
    np.testing.assert_array_equal(gradient_covariance(G)[:4, :4], (Gc.T @ Gc / 300)[:4, :4])


def test_gradient_covariance_beyond_float64_is_inf():
    G = np.array([[1e300, 1.0], [-1e300, 2.0]])
    with pytest.warns(RuntimeWarning, match="overflow"):
        S = gradient_covariance(G)
    assert S[0, 0] == np.inf and S[1, 1] == 0.25 and S[0, 1] == -5e299


@pytest.mark.parametrize("G, kwargs, error, match", [
    (np.ones(5), {}, ValueError, "2-D"),
    (np.ones((1, 3)), dict(ddof=1), ValueError, "more than ddof"),
    (np.ones((4, 3)), dict(ddof=-1), ValueError, "ddof must be"),
    (np.ones((4, 3)), dict(batch_size=0), ValueError, "batch_size must be"),
    (np.ones((4, 3)), dict(batch_size=True), TypeError, "batch_size must be an integer"),
    (np.array([[1.0, np.nan]]), {}, ValueError, "finite"),
    (np.ones((4, 3)) * 1j, {}, TypeError, "must be real"),
])
def test_gradient_covariance_bad_input(G, kwargs, error, match):
    with pytest.raises(error, match=match):
        gradient_covariance(G, **kwargs)


# ----------------------------------------------------------- Monte Carlo

def _simulate(A, noise_chol, gammas, windows, runs, seed, theta0=1.0, chunk=400):
    """``runs`` independent copies of the notes' noisy linear problem
    ``theta_{k+1} = theta_k - gamma_k (A theta_k + eps_k)``, ``theta* = 0``,
    ``eps_k ~ N(0, L L^T)``, vectorised across runs, from ``theta_0`` (every
    coordinate).

    For each ``(first, last, scale)`` in ``windows``, the mean over runs and
    over the iterates ``theta_k``, ``first <= k <= last``, of
    ``theta_k theta_k^T / scale(k)``.
    """
    rng = np.random.default_rng(seed)
    d = A.shape[0]
    At = np.ascontiguousarray(A.T)
    theta = np.full((runs, d), theta0)
    sums = [np.zeros((d, d)) for _ in windows]
    K = len(gammas)
    for c0 in range(0, K, chunk):
        eps = rng.standard_normal((min(chunk, K - c0), runs, d)) @ noise_chol.T
        for i in range(eps.shape[0]):
            k = c0 + i
            theta -= gammas[k] * (theta @ At + eps[i])
            # theta is now theta_{k+1}
            for (first, last, scale), acc in zip(windows, sums):
                if first <= k + 1 <= last:
                    acc += (theta.T @ theta) / scale(k + 1)
    return [acc / ((last - first + 1) * runs) for (first, last, _), acc in zip(windows, sums)]


def _rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def _algebraic_check(d, seed, noise, g0, k0, alpha, K=20000, runs=1000):
    """Decaying steps gamma_k = g0 (1 + k/k0)^-alpha on a random problem.

    Returns ``V = sgd_covariance(A, Sigma)``; the Monte Carlo covariance of
    ``theta_k / sqrt(gamma_k)`` averaged over a window around ``k = K/4`` and
    over the last quarter of the run; the relative error of the exact
    covariance recursion at ``K`` (the finite-k bias, no sampling error);
    and ``gamma_{K/4} / gamma_K``."""
    rng = np.random.default_rng(seed)
    A, _ = _spd(d, rng)
    Sigma = noise(d, rng)
    V = sgd_covariance(A, Sigma)
    k = np.arange(K + 1)
    gam = g0 * (1 + k / k0) ** -alpha
    early = (K // 4 - K // 16, K // 4 + K // 16, lambda j: gam[j])
    last = (K - K // 4, K, lambda j: gam[j])
    mid, end = _simulate(A, np.linalg.cholesky(Sigma), gam[:K], [early, last], runs, seed)
    bias = _rel(_exact_covariance(A, Sigma, gam[:K]) / gam[K], V)
    return V, mid, end, bias, gam[K // 4] / gam[K]


def test_monte_carlo_decaying_steps_the_notes_problem():
    """The notes' problem: d = 8, A SPD with eigenvalues log-uniform in
    [0.1, 10], Cov(eps) = 1e-2 I, 1000 runs of 20000 steps with
    gamma_k = 0.1 (1 + k/400)^-0.6 (the step falls tenfold).

    The regime is asymptotic when ``k gamma_k l_min >> alpha``: here
    ``K gamma_K l_min ~ 20``, and the exact covariance recursion is within
    1.5% of ``gamma_K V`` (asserted < 3%: no finite-k correction is needed).
    The Monte Carlo error of the window average (5000 steps, about 5
    correlation times of the slowest mode, times 1000 runs) is 1-3%.
    """
    V, mid, end, bias, ratio = _algebraic_check(
        8, 0, lambda d, rng: 1e-2 * np.eye(d), g0=0.1, k0=400, alpha=0.6)
    assert bias < 0.03
    assert _rel(end, V) < 0.10
    assert _rel(mid, V) < 0.10
    # The scaling is sqrt(gamma_k): Cov(theta_k) / gamma_k is the same V in
    # both windows (around k = K/4 and in the last quarter) although gamma
    # falls by 2.2 in between; with the notes' printed scaling,
    # Cov(theta_k / gamma_k) = Cov(theta_k) / gamma_k^2 would grow by that.
    assert ratio > 2
    assert _rel(mid, end) < 0.10
    assert abs(np.linalg.norm(end) / np.linalg.norm(mid) - 1.0) < 0.1


def test_monte_carlo_decaying_steps_held_out():
    """Held out: d = 10, another seed (so another spectrum in [0.1, 10]), a
    general SPD noise covariance, alpha = 0.75, gamma_k = 0.1 (1 + k/1000)^-0.75."""
    V, mid, end, bias, _ = _algebraic_check(10, 1, _noise, g0=0.1, k0=1000, alpha=0.75)
    assert bias < 0.03
    assert _rel(end, V) < 0.10


def _constant_check(d, seed, noise, lr, runs=1000, burn=3000, window=3000):
    """Stationary covariance of theta_k for a constant step: 1000 runs, a
    burn-in of ``burn`` steps (the slowest mode contracts by
    ``(1 - lr l_min)^burn``), then ``window`` steps averaged."""
    rng = np.random.default_rng(seed)
    A, l = _spd(d, rng)
    assert lr * l.max() < 2
    Sigma = noise(d, rng)
    V = sgd_covariance(A, Sigma, lr=lr)
    (C,) = _simulate(A, np.linalg.cholesky(Sigma), np.full(burn + window, lr),
                     [(burn + 1, burn + window, lambda j: 1.0)], runs, seed)
    assert (1 - lr * l.min()) ** burn < 1e-10
    return V, C, A, Sigma


def test_monte_carlo_constant_step_the_notes_problem():
    V, C, _, _ = _constant_check(8, 0, lambda d, rng: 1e-2 * np.eye(d), lr=0.1)
    assert _rel(C, V) < 0.05


def test_monte_carlo_constant_step_held_out():
    """d = 5, a general noise covariance and a step near the stability limit
    for the stiffest mode (lr l_max up to 1.5), where V differs from
    lr times the small-step answer."""
    V, C, A, Sigma = _constant_check(5, 3, _noise, lr=0.15)
    assert _rel(C, V) < 0.05
    assert _rel(0.15 * sgd_covariance(A, Sigma), V) > 0.01


def test_monte_carlo_harmonic_steps():
    """gamma_k = c / (k + k0), c = 10 (c l_min > 1/2 for l_min >= 0.1): the
    covariance of theta_k / sqrt(gamma_k) is the solution with the 1/(2c) shift,
    not the plain one.  2000 runs, 5000 steps, a window over the last 10%.

    The runs start at theta* here: with c/k steps a start elsewhere is
    forgotten only polynomially, like ``(k0/k)^(c l_min)`` (about 2% after 5000
    steps), which squared is still comparable to ``gamma_k V ~ 1/k``."""
    rng = np.random.default_rng(7)
    d = 6
    A, l = _spd(d, rng)
    Sigma = 1e-2 * np.eye(d)
    c, k0, K = 10.0, 100, 5000
    gam = c / (np.arange(K + 1) + k0)
    V = sgd_covariance(A, Sigma, harmonic=c)
    (C,) = _simulate(A, np.linalg.cholesky(Sigma), gam[:K],
                     [(K - K // 10, K, lambda j: gam[j])], 2000, 7, theta0=0.0)
    assert _rel(C, V) < 0.10
    assert _rel(C, sgd_covariance(A, Sigma)) > 0.15  # the 1/(2c) term: ~20% here
