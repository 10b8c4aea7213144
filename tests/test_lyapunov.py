"""solve_lyapunov, sgd_covariance, gradient_covariance.

References: scipy.linalg.solve_continuous_lyapunov / solve_discrete_lyapunov,
residuals of the equations, dense Kronecker solves of small triangular
equations, the exact covariance recursion of the linear model, and Monte
Carlo simulations of SGD on the lecture notes' noisy linear problem
``theta_{k+1} = theta_k - gamma_k (A theta_k + eps_k)``.
"""
import numpy as np
import pytest
import scipy.linalg as sl

import fastopt._lyapunov as lyap
from fastopt._kernels import lyapunov as kern
from fastopt._lyapunov import gradient_covariance, sgd_covariance, solve_lyapunov


def _residual(A, X, Q):
    return np.linalg.norm(A @ X + X @ A.T - Q) / np.linalg.norm(Q)


def _spd(n, rng, lo=0.1, hi=10.0):
    """Symmetric positive definite, eigenvalues log-uniform in [lo, hi]."""
    l = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    U = np.linalg.qr(rng.standard_normal((n, n)))[0]
    A = (U * l) @ U.T
    return 0.5 * (A + A.T), l


def _stable(n, rng, complex_pairs=False):
    """Unsymmetric with eigenvalues in the right half plane, well away from
    the imaginary axis: ``U (D + N) U^T`` with ``U`` orthogonal, ``D`` real
    eigenvalues in [1, 3] or (``complex_pairs``) 2 x 2 blocks ``a +- i b``,
    ``N`` a strictly upper triangular coupling."""
    if complex_pairs:
        blocks = [np.array([[a, b], [-b, a]]) for a, b in
                  zip(rng.uniform(1.0, 3.0, n // 2), rng.uniform(0.5, 5.0, n // 2))]
        if n % 2:
            blocks.append(np.array([[1.0]]))
        D = sl.block_diag(*blocks)
    else:
        D = np.diag(rng.uniform(1.0, 3.0, n))
    N = np.triu(rng.standard_normal((n, n)), 2 if complex_pairs else 1) / np.sqrt(n)
    U = np.linalg.qr(rng.standard_normal((n, n)))[0]
    return U @ (D + N) @ U.T


# --------------------------------------------------------------- kernels

def _quasi_triangular(n, rng):
    """A real Schur form with 1 x 1 and 2 x 2 blocks (complex pairs), the
    eigenvalues' real parts in [0.5, 2] (a well-conditioned equation)."""
    T = np.triu(rng.standard_normal((n, n))) * 0.3
    k = 0
    while k < n:
        if k + 1 < n and rng.random() < 0.5:
            a, b, c = rng.uniform(0.5, 2.0), rng.uniform(0.3, 2.0), rng.uniform(0.3, 2.0)
            T[k:k + 2, k:k + 2] = [[a, b], [-c, a]]
            k += 2
        else:
            T[k, k] = rng.uniform(0.5, 2.0)
            k += 1
    return T


@pytest.mark.parametrize("seed", range(4))
def test_triangular_sylvester_matches_a_dense_kronecker_solve(seed):
    rng = np.random.default_rng(seed)
    n = 23
    T = _quasi_triangular(n, rng)
    # Two diagonal blocks that do not cut a 2 x 2 block, and one full solve.
    cuts = [k for k in range(1, n) if T[k, k - 1] == 0.0]
    a1, b0 = cuts[len(cuts) // 3], cuts[2 * len(cuts) // 3]
    for (a0, a1_, b0_, b1) in [(0, a1, b0, n), (b0, n, 0, a1), (0, n, 0, n)]:
        S, R = T[a0:a1_, a0:a1_], T[b0_:b1, b0_:b1]
        C = rng.standard_normal((a1_ - a0, b1 - b0_))
        F = np.zeros((n, n))
        F[a0:a1_, b0_:b1] = C
        info = kern.triangular_sylvester(T, F, a0, a1_, b0_, b1, 1e-300)
        assert info == 0
        # vec(S Y + Y R^T) = (kron(S, I) + kron(I, R)) vec(Y) for row-major vec.
        m, p = S.shape[0], R.shape[0]
        K = np.kron(S, np.eye(p)) + np.kron(np.eye(m), R)
        expected = np.linalg.solve(K, C.ravel()).reshape(m, p)
        assert np.linalg.norm(F[a0:a1_, b0_:b1] - expected) <= 1e-13 * np.linalg.norm(expected)
        assert not F[:a0].any() and not F[a1_:].any()  # nothing written outside the block
        assert not F[:, :b0_].any() and not F[:, b1:].any()


def test_triangular_sylvester_flags_a_vanishing_pivot():
    T = np.array([[1.0, 2.0], [0.0, -1.0]])  # l_0 + l_1 = 0
    F = np.ones((2, 2))
    assert kern.triangular_sylvester(T, F, 0, 2, 0, 2, 1e-12) == 1
    assert np.isfinite(F).all()


def test_min_pair_sum_is_the_brute_force_minimum():
    rng = np.random.default_rng(5)
    wr, wi = rng.standard_normal(40), rng.standard_normal(40)
    w = wr + 1j * wi
    assert kern.min_pair_sum(wr, wi) == pytest.approx(np.abs(w[:, None] + w[None, :]).min())


@pytest.mark.parametrize("i, j", [(0, 1), (3, 70), (64, 65), (100, 129), (63, 64)])
def test_is_symmetric_finds_one_asymmetric_pair_in_any_tile(i, j):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((130, 130))
    A = A + A.T
    assert kern.is_symmetric(A, 0.0)
    A[i, j] += 1e-9
    assert not kern.is_symmetric(A, 0.0)
    assert kern.is_symmetric(A, 2e-9)


def test_max_abs_and_non_finite_entries():
    A = np.array([[1.0, -3.0], [2.0, 0.5]])
    assert kern.max_abs(A) == 3.0
    for bad in (np.nan, np.inf, -np.inf):
        B = A.copy()
        B[1, 0] = bad
        assert kern.max_abs(B) == -1.0


# -------------------------------------------------------- solve_lyapunov

# 48 is the leaf size: the larger sizes go through the recursive blocks.
SIZES = [1, 2, 3, 7, 48, 49, 97, 120]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("kind", ["real", "complex_pairs"])
@pytest.mark.parametrize("q_symmetric", [True, False])
def test_general_path_matches_scipy(n, kind, q_symmetric):
    rng = np.random.default_rng(n)
    A = _stable(n, rng, complex_pairs=kind == "complex_pairs")
    Q = rng.standard_normal((n, n))
    if q_symmetric:
        Q = Q + Q.T
    X = solve_lyapunov(A, Q)
    ref = sl.solve_continuous_lyapunov(A, Q)
    assert X.dtype == np.float64 and X.shape == (n, n)
    assert np.linalg.norm(X - ref) <= 1e-10 * np.linalg.norm(ref)
    assert _residual(A, X, Q) <= 1e-12
    if q_symmetric:
        assert np.array_equal(X, X.T)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("q_symmetric", [True, False])
def test_symmetric_path_matches_scipy(n, q_symmetric):
    rng = np.random.default_rng(100 + n)
    A, _ = _spd(n, rng)
    Q = rng.standard_normal((n, n))
    if q_symmetric:
        Q = Q @ Q.T
    X = solve_lyapunov(A, Q)
    ref = sl.solve_continuous_lyapunov(A, Q)
    assert np.linalg.norm(X - ref) <= 1e-11 * np.linalg.norm(ref)
    assert _residual(A, X, Q) <= 1e-12
    if q_symmetric:
        assert np.array_equal(X, X.T)
        assert np.linalg.eigvalsh(X).min() > 0  # Q > 0 and A > 0 give X > 0


def test_symmetric_indefinite_a():
    """Eigenvalues of both signs are fine as long as no two sum to zero."""
    rng = np.random.default_rng(3)
    n = 60
    l = np.concatenate([rng.uniform(1.0, 3.0, n // 2), -rng.uniform(4.0, 6.0, n // 2)])
    U = np.linalg.qr(rng.standard_normal((n, n)))[0]
    A = (U * l) @ U.T
    A = 0.5 * (A + A.T)
    Q = rng.standard_normal((n, n))
    X = solve_lyapunov(A, Q)
    assert _residual(A, X, Q) <= 1e-12
    ref = sl.solve_continuous_lyapunov(A, Q)
    assert np.linalg.norm(X - ref) <= 1e-10 * np.linalg.norm(ref)


def test_the_symmetric_path_is_taken_for_rounding_level_asymmetry(monkeypatch):
    rng = np.random.default_rng(4)
    A, _ = _spd(30, rng)
    Q = rng.standard_normal((30, 30))
    calls = []
    real = lyap._eigen_solve
    monkeypatch.setattr(lyap, "_eigen_solve", lambda *a, **k: calls.append(1) or real(*a, **k))
    B = A.copy()
    B[2, 7] = np.nextafter(B[2, 7], np.inf)  # one ulp: symmetric to rounding
    X = solve_lyapunov(B, Q)
    assert calls and _residual(B, X, Q) <= 1e-12
    C = A.copy()
    C[2, 7] += 1e-6 * np.abs(A).max()  # a real asymmetry: the Schur path
    X = solve_lyapunov(C, Q)
    assert len(calls) == 1 and _residual(C, X, Q) <= 1e-12


def test_recursive_splits_move_off_2x2_blocks(monkeypatch):
    """A 1 x 1 block first, then complex pairs: halving 101 rows lands inside
    a 2 x 2 block, and the split must move past it."""
    n = 101
    blocks = [np.array([[2.0]])] + [np.array([[1.0 + k / n, 3.0], [-1.0, 1.0 + k / n]])
                                    for k in range(n // 2)]
    rng = np.random.default_rng(12)
    A = sl.block_diag(*blocks) + np.triu(rng.standard_normal((n, n)), 2) / n
    moved = []
    real = lyap._split

    def split(T, a0, a1):
        h = real(T, a0, a1)
        moved.append(h != (a0 + a1) // 2)
        assert T[h, h - 1] == 0.0
        return h

    monkeypatch.setattr(lyap, "_split", split)
    for Q in (np.eye(n), rng.standard_normal((n, n))):
        X = solve_lyapunov(A, Q)
        assert _residual(A, X, Q) <= 1e-12
        np.testing.assert_allclose(X, sl.solve_continuous_lyapunov(A, Q), rtol=1e-9, atol=1e-12)
    assert any(moved)


def test_no_worse_than_scipy_on_an_ill_conditioned_equation():
    """A similarity by a badly conditioned matrix: residuals grow for both."""
    rng = np.random.default_rng(9)
    n = 97
    S = rng.standard_normal((n, n)) / np.sqrt(n) + np.eye(n)
    A = S @ _stable(n, rng, complex_pairs=True) @ np.linalg.inv(S)
    Q = rng.standard_normal((n, n))
    X = solve_lyapunov(A, Q)
    ref = sl.solve_continuous_lyapunov(A, Q)
    assert _residual(A, X, Q) <= 3 * _residual(A, ref, Q)
    assert np.linalg.norm(X - ref) <= 1e-8 * np.linalg.norm(ref)


def test_triangular_and_block_diagonal_input():
    """Input already in Schur form, 2 x 2 blocks at the recursive splits."""
    n = 100
    blocks = [np.array([[1.0 + k / n, 2.0], [-0.5, 1.0 + k / n]]) for k in range(n // 2)]
    A = sl.block_diag(*blocks) + np.triu(np.full((n, n), 0.01), 2)
    Q = np.eye(n)
    X = solve_lyapunov(A, Q)
    assert _residual(A, X, Q) <= 1e-12
    np.testing.assert_allclose(X, sl.solve_continuous_lyapunov(A, Q), rtol=1e-10, atol=1e-12)


def test_larger_unsymmetric_and_symmetric_residuals():
    rng = np.random.default_rng(6)
    n = 200
    A = _stable(n, rng)
    Q = rng.standard_normal((n, n))
    Q = Q @ Q.T
    assert _residual(A, solve_lyapunov(A, Q), Q) <= 1e-12
    S, _ = _spd(n, rng)
    assert _residual(S, solve_lyapunov(S, Q), Q) <= 1e-12


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_extreme_scaling(scale):
    """(c A) (X / c) + (X / c) (c A)^T = Q: no false singularity or overflow."""
    rng = np.random.default_rng(13)
    for A in (_spd(60, rng)[0], _stable(60, rng, complex_pairs=True)):
        Q = rng.standard_normal((60, 60))
        X = solve_lyapunov(A, Q)
        Xs = solve_lyapunov(scale * A, Q)
        assert np.linalg.norm(Xs * scale - X) <= 1e-12 * np.linalg.norm(X)


def test_accepts_integers_and_lists_and_leaves_input_alone():
    A = np.array([[3, 1], [0, 2]])
    Q = [[1, 0], [0, 1]]
    A0 = A.copy()
    X = solve_lyapunov(A, Q)
    np.testing.assert_allclose(X, sl.solve_continuous_lyapunov(A.astype(float), np.eye(2)))
    assert np.array_equal(A, A0)
    F = np.asfortranarray(_stable(5, np.random.default_rng(0)))
    assert _residual(F, solve_lyapunov(F, np.eye(5)), np.eye(5)) <= 1e-13
    assert solve_lyapunov(np.empty((0, 0)), np.empty((0, 0))).shape == (0, 0)


@pytest.mark.parametrize("A, Q, match", [
    (np.ones((2, 3)), np.ones((2, 3)), "A must be a square 2-D array"),
    (np.ones(3), np.ones(3), "A must be a square 2-D array"),
    (np.eye(2), np.ones((2, 2, 1)), "Q must be a square 2-D array"),
    (np.eye(2), np.eye(3), "same shape"),
    (np.array([[1.0, np.nan], [0.0, 1.0]]), np.eye(2), "A must be finite"),
    (np.eye(2), np.array([[np.inf, 0.0], [0.0, 1.0]]), "Q must be finite"),
])
def test_bad_shapes_and_values(A, Q, match):
    with pytest.raises(ValueError, match=match):
        solve_lyapunov(A, Q)


def test_complex_and_non_numeric_input_are_type_errors():
    with pytest.raises(TypeError, match="A must be real"):
        solve_lyapunov(np.eye(2) * (1 + 1j), np.eye(2))
    with pytest.raises(TypeError, match="Q must be real"):
        solve_lyapunov(np.eye(2), np.eye(2, dtype=complex))
    with pytest.raises(TypeError, match="Q must be an array of real numbers"):
        solve_lyapunov(np.eye(2), [["a", "b"], ["c", "d"]])


@pytest.mark.parametrize("A", [
    [[0.0, 1.0], [-1.0, 0.0]],                # purely imaginary pair
    [[1.0, 0.0], [0.0, 0.0]],                 # a zero eigenvalue (symmetric path)
    [[1.0, 0.0], [0.0, -1.0]],                # l and -l (symmetric path)
    [[1.0, 5.0], [0.0, -1.0]],                # l and -l (Schur path)
    [[2.0, 1.0, 0.0], [0.0, 1e-17, 3.0], [0.0, 0.0, 4.0]],  # zero within rounding
])
def test_singular_equations_raise(A):
    with pytest.raises(ValueError, match="singular"):
        solve_lyapunov(A, np.eye(len(A)))


def test_skew_symmetric_is_singular_within_rounding():
    rng = np.random.default_rng(8)
    M = rng.standard_normal((100, 100))
    with pytest.raises(ValueError, match="singular"):
        solve_lyapunov(M - M.T, np.eye(100))


def test_nearly_singular_but_solvable_is_solved():
    """Well above the rounding threshold the solve goes through, accurately."""
    A = np.diag([1.0, -1.0 + 1e-8, 2.0])
    Q = np.ones((3, 3))
    X = solve_lyapunov(A, Q)
    np.testing.assert_allclose(X, Q / (np.diag(A)[:, None] + np.diag(A)[None, :]), rtol=1e-7)


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
    (dict(lr=0.0), "lr must be a positive"),
    (dict(lr=-0.1), "lr must be a positive"),
    (dict(lr=np.nan), "lr must be a positive"),
    (dict(lr=True), "lr must be a positive"),
    (dict(lr="0.1"), "lr must be a positive"),
    (dict(harmonic=0.0), "harmonic must be a positive"),
    (dict(lr=0.1, harmonic=1.0), "not both"),
])
def test_sgd_covariance_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
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


@pytest.mark.parametrize("G, kwargs, error, match", [
    (np.ones(5), {}, ValueError, "2-D"),
    (np.ones((1, 3)), dict(ddof=1), ValueError, "more than ddof"),
    (np.ones((4, 3)), dict(ddof=-1), ValueError, "ddof must be"),
    (np.ones((4, 3)), dict(batch_size=0), ValueError, "batch_size must be"),
    (np.ones((4, 3)), dict(batch_size=True), ValueError, "batch_size must be"),
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
