"""Lyapunov equations and the covariance of SGD's iterates.

``solve_lyapunov`` solves ``A X + X A^T = Q`` (scipy.linalg.
solve_continuous_lyapunov's convention).  ``sgd_covariance`` uses it for the
asymptotic covariance of stochastic gradient descent near a minimum, and
``gradient_covariance`` estimates that equation's right-hand side from
per-sample gradients.

Two paths, chosen by a cheap test of ``A``'s symmetry:

* symmetric ``A``: one eigendecomposition ``A = U diag(l) U^T`` (LAPACK
  ``dsyevd``), then ``X = U (Q~ / (l_i + l_j)) U^T`` with ``Q~ = U^T Q U``:
  four matrix products besides the eigensolver, all level-3 BLAS;
* any other ``A``: Bartels and Stewart (1972): the real Schur form
  ``A = U T U^T`` (LAPACK ``dgees``, as scipy), the triangular equation
  ``T Y + Y T^T = U^T Q U``, ``X = U Y U^T``.  The triangular equation is
  solved by recursive halving (Jonsson and Kagstrom 2002): the off-diagonal
  couplings become matrix products (BLAS ``dgemm``), and only blocks of at
  most ``_LEAF`` rows and columns go to the compiled back substitution
  (``kernels.triangular_sylvester``).  scipy calls LAPACK's
  ``dtrsyl``, which does all the work as that back substitution, one row
  at a time; at ``n = 1000`` it takes twice as long as the Schur form.
  When ``Q`` is symmetric so is ``Y``, and only its upper half is solved.

References
----------
R. H. Bartels and G. W. Stewart (1972), "Algorithm 432: Solution of the matrix
equation AX + XB = C", Comm. ACM 15(9), 820-826.

G. H. Golub, S. Nash and C. Van Loan (1979), "A Hessenberg-Schur method for
the problem AX + XB = C", IEEE Trans. Automat. Control 24(6), 909-913.  (Its
saving, a Hessenberg instead of a Schur form for one of the two matrices,
does not apply here: both sides of a Lyapunov equation need ``A``'s Schur
form.)

I. Jonsson and B. Kagstrom (2002), "Recursive blocked algorithms for solving
triangular systems -- Part I: one-sided and coupled Sylvester-type matrix
equations", ACM Trans. Math. Software 28(4), 392-415.
"""
import numpy as np
from scipy.linalg import blas, lapack

from .._core.validate import real_array
from . import kernels as _k

EPS = np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny
#: Largest block the compiled back substitution solves; larger ones are split.
_LEAF = 48
#: A matrix counts as symmetric when ``|a_ij - a_ji| <= _SYM_RTOL max|a|``.
#: Replacing it by its symmetric part then moves it by at most
#: ``_SYM_RTOL n max|a| / 2 <= 2 n eps ||A||_2``, the size of the backward
#: error the Schur method commits anyway (Golub and Van Loan, Matrix
#: Computations, on the QR algorithm's backward stability).  The test stops
#: at the first pair that differs by more: most unsymmetric matrices cost a
#: few comparisons.
_SYM_RTOL = 4.0 * EPS
#: The equation is singular within rounding when two eigenvalues of ``A``
#: sum to less than ``SINGULAR_RTOL ||A||_F``: the computed eigenvalues are
#: exact for a matrix within a modest multiple of ``eps ||A||`` of ``A``.
SINGULAR_RTOL = 8.0 * EPS
#: ``grad_cov`` may be asymmetric by this much relative to its largest entry
#: (rounding of an estimate); it is then symmetrised.
COV_SYM_RTOL = np.sqrt(EPS)


def matrix_argument(name, M):
    """``M`` as a C-contiguous float64 square matrix, and ``max |M_ij|``."""
    a = np.asarray(M)
    if np.iscomplexobj(a):
        raise TypeError(f"{name} must be real (complex input is not supported), "
                        f"got dtype {a.dtype}")
    a = real_array(name, a)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square 2-D array, got shape {a.shape}")
    a = np.ascontiguousarray(a, dtype=np.float64)
    big = _k.max_abs(a)
    if big < 0:
        raise ValueError(f"{name} must be finite (it contains NaN or inf)")
    return a, big


def frobenius(a):
    """Frobenius norm of a C-contiguous array by BLAS ``dnrm2`` (which scales
    as it goes: no overflow for entries near 1e200, unlike ``np.linalg.norm``)."""
    return float(blas.dnrm2(a.ravel())) if a.size else 0.0


def symmetric(a, big):
    return _k.is_symmetric(a, _SYM_RTOL * big)


def _singular_error(name, gap, scale):
    return ValueError(
        f"the Lyapunov equation is singular to working precision: two eigenvalues "
        f"of {name} sum to {gap:.3g}, at most {SINGULAR_RTOL:.2g} ||{name}||_F = {scale:.3g} "
        f"(A X + X A^T = Q has no unique solution when l_i + l_j = 0)")


def eigen_solve(A, Q, sym, lr=0.0, shift=0.0, check=None):
    """``X`` with ``(A - shift I) X + X (A - shift I) - lr (..) X (..) = Q`` for
    symmetric ``A``, in ``A``'s eigenbasis; ``check(l)`` may reject the
    shifted eigenvalues ``l`` before the solve."""
    l, U = np.linalg.eigh(A)  # LAPACK dsyevd on the lower triangle
    if shift:
        l = l - shift
    if check is not None:
        check(l)
    C = (U.T @ Q) @ U
    _k.divide_pairs(C, l, lr)
    X = (U @ C) @ U.T
    if sym:
        _k.symmetrize(X)
    return X


def _no_select(wr, wi=None):
    return None


def _split(T, a0, a1):
    """Middle index of ``[a0, a1)`` that does not cut a 2 x 2 block of ``T``."""
    h = (a0 + a1) // 2
    if T[h, h - 1] != 0.0:
        h += 1
    return h


def _sylvester(T, F, a0, a1, b0, b1, smin):
    """``T11 Y + Y T22^T = F[a0:a1, b0:b1]`` in place, ``T11 = T[a0:a1, a0:a1]``,
    ``T22 = T[b0:b1, b0:b1]``: halve the larger side, solve the lower (right)
    half, subtract its coupling (one ``dgemm``), solve the other half."""
    m, p = a1 - a0, b1 - b0
    if m <= _LEAF and p <= _LEAF:
        return _k.triangular_sylvester(T, F, a0, a1, b0, b1, smin)
    if m >= p:
        h = _split(T, a0, a1)
        info = _sylvester(T, F, h, a1, b0, b1, smin)
        F[a0:h, b0:b1] -= T[a0:h, h:a1] @ F[h:a1, b0:b1]
        return info | _sylvester(T, F, a0, h, b0, b1, smin)
    h = _split(T, b0, b1)
    info = _sylvester(T, F, a0, a1, h, b1, smin)
    F[a0:a1, b0:h] -= F[a0:a1, h:b1] @ T[b0:h, h:b1].T
    return info | _sylvester(T, F, a0, a1, b0, h, smin)


def _lyapunov(T, F, a0, a1, sym, smin):
    """``T11 Y + Y T11^T = F[a0:a1, a0:a1]`` in place, ``T11 = T[a0:a1, a0:a1]``.

    With ``T11 = [[S, R], [0, P]]`` and ``Y``, ``F`` split alike:
    ``P Y22 + Y22 P^T = F22``; ``S Y12 + Y12 P^T = F12 - R Y22``;
    ``P Y21 + Y21 S^T = F21 - Y22 R^T``;
    ``S Y11 + Y11 S^T = F11 - R Y21 - Y12 R^T``.  With ``sym`` (symmetric
    ``F``, so ``Y``), ``Y21 = Y12^T`` is copied rather than solved for, and
    the last update is ``W + W^T`` with ``W = R Y21``.
    """
    if a1 - a0 <= _LEAF:
        return _k.triangular_sylvester(T, F, a0, a1, a0, a1, smin)
    h = _split(T, a0, a1)
    info = _lyapunov(T, F, h, a1, sym, smin)
    R = T[a0:h, h:a1]
    F[a0:h, h:a1] -= R @ F[h:a1, h:a1]
    info |= _sylvester(T, F, a0, h, h, a1, smin)
    if sym:
        F[h:a1, a0:h] = F[a0:h, h:a1].T
        W = R @ F[h:a1, a0:h]
        F[a0:h, a0:h] -= W
        F[a0:h, a0:h] -= W.T
    else:
        F[h:a1, a0:h] -= F[h:a1, h:a1] @ R.T
        info |= _sylvester(T, F, h, a1, a0, h, smin)
        F[a0:h, a0:h] -= R @ F[h:a1, a0:h]
        F[a0:h, a0:h] -= F[a0:h, h:a1] @ R.T
    return info | _lyapunov(T, F, a0, h, sym, smin)


def schur_solve(A, Q, sym, check):
    """``X`` with ``A X + X A^T = Q`` by Bartels-Stewart; ``check(wr, wi)``
    sees the eigenvalues of ``A`` before the solve and may raise."""
    n = A.shape[0]
    a = np.array(A, order="F")
    lwork = int(lapack.dgees(_no_select, a, lwork=-1)[-2][0])
    T, _, wr, wi, U, _, info = lapack.dgees(_no_select, a, lwork=max(lwork, 3 * n),
                                            overwrite_a=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"the Schur decomposition (LAPACK dgees) did not "
                                    f"converge (info = {info})")
    check(wr, wi)
    T = np.ascontiguousarray(T)
    F = np.ascontiguousarray((U.T @ Q) @ U)
    if sym:
        _k.symmetrize(F)
    smin = max(EPS * _k.max_abs(T), _TINY)
    if _lyapunov(T, F, 0, n, sym, smin):
        raise ValueError("the Lyapunov equation is singular to working precision "
                         "(a pivot of the triangular solve vanished: two eigenvalues "
                         "sum to about zero)")
    X = (U @ F) @ U.T
    if sym:
        _k.symmetrize(X)
    return X


def finite_result(X):
    if _k.max_abs(X) < 0:
        raise ValueError("the solution overflowed: the Lyapunov equation is too close "
                         "to singular (two eigenvalues nearly sum to zero)")
    return X


def solve_lyapunov(A, Q):
    """Solve the continuous Lyapunov equation ``A X + X A^T = Q``.

    The convention of scipy.linalg.solve_continuous_lyapunov.  For symmetric
    ``A`` the equation is diagonal in ``A``'s eigenbasis: with
    ``A = U diag(l) U^T`` and ``Q~ = U^T Q U``, ``X = U X~ U^T`` where
    ``X~_ij = Q~_ij / (l_i + l_j)``; one symmetric eigendecomposition and
    four matrix products, several times faster than a Schur method.  For
    any other ``A``, the method of Bartels and Stewart (1972) on the real
    Schur form of ``A``, its triangular equation solved by recursive blocks
    (Jonsson and Kagstrom 2002) whose couplings are matrix products.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Real, finite.  It takes the symmetric path when
        ``|A_ij - A_ji| <= 4 eps max|A|`` for all ``i, j`` (exactly symmetric
        up to a few roundings; then only its lower triangle is read).
    Q : array_like, shape (n, n)
        Real, finite; need not be symmetric.  When it is (to the same
        tolerance), ``X`` is returned exactly symmetric.

    Returns
    -------
    X : ndarray, shape (n, n)
        float64.

    Raises
    ------
    TypeError
        Complex or non-numeric ``A`` or ``Q``: only real float64 equations are
        solved (a complex equation is a real one of twice the size; scipy's
        solver takes complex input).
    ValueError
        Non-square or mismatched shapes; NaN or inf entries; a singular
        equation, i.e. two eigenvalues ``l_i``, ``l_j`` of ``A`` (possibly
        ``i = j``) with ``|l_i + l_j| <= 8 eps ||A||_F`` (a zero or purely
        imaginary eigenvalue, or a pair ``l``, ``-l``), for which the
        solution is not unique or does not exist.

    Notes
    -----
    The unique solution exists when no two eigenvalues of ``A`` sum to zero;
    when all eigenvalues have positive real parts (``-A`` stable) and ``Q``
    is positive semidefinite, so is ``X``, and
    ``X = int_0^inf exp(-A t) Q exp(-A^T t) dt``.  Both paths leave a
    residual ``||A X + X A^T - Q||_F`` of a modest multiple of
    ``eps ||A||_F ||X||_F``, as Bartels-Stewart does (Higham 2002, ch. 16);
    the error of ``X`` itself can be larger by the condition number of the
    equation (for symmetric ``A``, about ``max|l| / min|l_i + l_j|``).

    References: R. H. Bartels and G. W. Stewart (1972), Comm. ACM 15(9),
    820-826; I. Jonsson and B. Kagstrom (2002), ACM Trans. Math. Software
    28(4), 392-415; N. J. Higham (2002), Accuracy and Stability of Numerical
    Algorithms, 2nd ed., SIAM.

    Examples
    --------
    >>> import numpy as np
    >>> import fastopt
    >>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> Q = np.eye(2)
    >>> X = fastopt.solve_lyapunov(A, Q)
    >>> np.allclose(A @ X + X @ A.T, Q)
    True

    An unsymmetric ``A`` takes the Schur path; the answer is scipy's:

    >>> import scipy.linalg
    >>> B = np.array([[1.0, 2.0, 0.0], [-2.0, 1.0, 1.0], [0.0, 0.0, 3.0]])
    >>> C = np.arange(9.0).reshape(3, 3)
    >>> np.allclose(fastopt.solve_lyapunov(B, C),
    ...             scipy.linalg.solve_continuous_lyapunov(B, C))
    True
    """
    A, abig = matrix_argument("A", A)
    Q, qbig = matrix_argument("Q", Q)
    if A.shape != Q.shape:
        raise ValueError(f"A and Q must have the same shape, got {A.shape} and {Q.shape}")
    n = A.shape[0]
    if n == 0:
        return np.empty((0, 0))
    sym = symmetric(Q, qbig)
    scale = SINGULAR_RTOL * frobenius(A)

    def check_sym(l):
        gap = _k.min_pair_sum(l, np.zeros_like(l))
        if gap <= scale:
            raise _singular_error("A", gap, scale)

    def check(wr, wi):
        gap = _k.min_pair_sum(wr, wi)
        if gap <= scale:
            raise _singular_error("A", gap, scale)

    if symmetric(A, abig):
        return finite_result(eigen_solve(A, Q, sym, check=check_sym))
    return finite_result(schur_solve(A, Q, sym, check))
