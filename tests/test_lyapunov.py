"""solve_lyapunov and its kernels.

References: scipy.linalg.solve_continuous_lyapunov / solve_discrete_lyapunov,
residuals of the equations, dense Kronecker solves of small triangular
equations.
"""
import numpy as np
import pytest
import scipy.linalg as sl

import fastopt._linalg.lyapunov as lyap
from fastopt import solve_lyapunov
from fastopt._linalg import kernels as kern
from fastopt.testing.matrices import spd as _spd, stable as _stable


def _residual(A, X, Q):
    return np.linalg.norm(A @ X + X @ A.T - Q) / np.linalg.norm(Q)


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
    real = lyap.eigen_solve
    monkeypatch.setattr(lyap, "eigen_solve", lambda *a, **k: calls.append(1) or real(*a, **k))
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
