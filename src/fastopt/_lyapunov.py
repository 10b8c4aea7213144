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
  (``_kernels.lyapunov.triangular_sylvester``).  scipy calls LAPACK's
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
import numbers

import numpy as np
from scipy.linalg import blas, lapack

from ._kernels import lyapunov as _k

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
#: sum to less than ``_SINGULAR_RTOL ||A||_F``: the computed eigenvalues are
#: exact for a matrix within a modest multiple of ``eps ||A||`` of ``A``.
_SINGULAR_RTOL = 8.0 * EPS
#: ``grad_cov`` may be asymmetric by this much relative to its largest entry
#: (rounding of an estimate); it is then symmetrised.
_COV_SYM_RTOL = np.sqrt(EPS)


def _real_array(name, a):
    """``a`` (not complex) as numbers: booleans, integers and floats pass, an
    object array is converted, strings are refused."""
    if a.dtype.kind in "biuf":
        return a
    if a.dtype.kind == "O":
        try:
            return a.astype(np.float64)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be an array of real numbers, got dtype {a.dtype}")


def _matrix(name, M):
    """``M`` as a C-contiguous float64 square matrix, and ``max |M_ij|``."""
    a = np.asarray(M)
    if np.iscomplexobj(a):
        raise TypeError(f"{name} must be real (complex input is not supported), "
                        f"got dtype {a.dtype}")
    a = _real_array(name, a)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square 2-D array, got shape {a.shape}")
    a = np.ascontiguousarray(a, dtype=np.float64)
    big = _k.max_abs(a)
    if big < 0:
        raise ValueError(f"{name} must be finite (it contains NaN or inf)")
    return a, big


def _fro(a):
    """Frobenius norm of a C-contiguous array by BLAS ``dnrm2`` (which scales
    as it goes: no overflow for entries near 1e200, unlike ``np.linalg.norm``)."""
    return float(blas.dnrm2(a.ravel())) if a.size else 0.0


def _symmetric(a, big):
    return _k.is_symmetric(a, _SYM_RTOL * big)


def _singular_error(name, gap, scale):
    return ValueError(
        f"the Lyapunov equation is singular to working precision: two eigenvalues "
        f"of {name} sum to {gap:.3g}, at most {_SINGULAR_RTOL:.2g} ||{name}||_F = {scale:.3g} "
        f"(A X + X A^T = Q has no unique solution when l_i + l_j = 0)")


def _eigen_solve(A, Q, sym, lr=0.0, shift=0.0, check=None):
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


def _schur_solve(A, Q, sym, check):
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


def _finite(X):
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
    A, abig = _matrix("A", A)
    Q, qbig = _matrix("Q", Q)
    if A.shape != Q.shape:
        raise ValueError(f"A and Q must have the same shape, got {A.shape} and {Q.shape}")
    n = A.shape[0]
    if n == 0:
        return np.empty((0, 0))
    sym = _symmetric(Q, qbig)
    scale = _SINGULAR_RTOL * _fro(A)

    def check_sym(l):
        gap = _k.min_pair_sum(l, np.zeros_like(l))
        if gap <= scale:
            raise _singular_error("A", gap, scale)

    def check(wr, wi):
        gap = _k.min_pair_sum(wr, wi)
        if gap <= scale:
            raise _singular_error("A", gap, scale)

    if _symmetric(A, abig):
        return _finite(_eigen_solve(A, Q, sym, check=check_sym))
    return _finite(_schur_solve(A, Q, sym, check))


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _covariance_argument(grad_cov, n):
    S, big = _matrix("grad_cov", grad_cov)
    if S.shape != (n, n):
        raise ValueError(f"grad_cov must have H's shape {(n, n)}, got {S.shape}")
    if not _k.is_symmetric(S, _COV_SYM_RTOL * big):
        raise ValueError("grad_cov must be symmetric (a covariance matrix); it differs from "
                         "its transpose by more than sqrt(eps) max|grad_cov|")
    if (np.diagonal(S) < 0).any():
        raise ValueError("grad_cov must be a covariance matrix: its diagonal (the "
                         "variances) has a negative entry")
    S = S.copy()
    _k.symmetrize(S)
    return S


def sgd_covariance(H, grad_cov, lr=None, *, harmonic=None):
    """Covariance of SGD's iterates around a minimum, from a Lyapunov equation.

    Near a minimum ``theta*`` with Hessian ``H``, SGD
    ``theta_{k+1} = theta_k - gamma_k g_k`` with stochastic gradients of
    covariance ``grad_cov`` (``Sigma``) behaves like the linear recursion
    ``theta_{k+1} - theta* = (I - gamma_k H)(theta_k - theta*) - gamma_k eps_k``,
    ``Cov(eps_k) = Sigma`` (the notes' noisy linear problem), for which
    the results below are exact (``lr`` given) or the limit ``k -> inf``.

    * ``lr=None`` (default): steps decaying more slowly than ``1/k``:
      ``gamma_k -> 0`` with ``k gamma_k -> inf`` and
      ``gamma_k / gamma_{k+1} -> 1``, e.g. ``gamma_k = gamma_0 (1 + k/k0)^(-alpha)``
      with ``0 < alpha < 1`` (Robbins-Monro's ``1/2 < alpha < 1``
      included).  Then ``(theta_k - theta*) / sqrt(gamma_k) -> N(0, V)`` in
      distribution, with ``H V + V H^T = Sigma`` (Kushner and Yin 2003,
      ch. 10; Polyak and Juditsky 1992).
    * ``harmonic=c``: steps ``gamma_k ~ c / k`` (``alpha = 1``, e.g.
      ``gamma_k = c / (k + k0)``).  The decay of the step is then as fast as
      the contraction and adds a term:
      ``(H - I/(2c)) V + V (H - I/(2c))^T = Sigma``, again for
      ``(theta_k - theta*) / sqrt(gamma_k)``, i.e.
      ``sqrt(k) (theta_k - theta*) -> N(0, c V)`` (Fabian 1968).  It needs
      every eigenvalue of ``H`` to have real part above ``1 / (2c)``;
      otherwise the error decays more slowly than ``1/sqrt(k)``.
    * ``lr=gamma`` (a constant step): the exact stationary covariance ``V``
      of ``theta_k - theta*`` (no scaling) for the linear recursion,
      ``V = (I - gamma H) V (I - gamma H)^T + gamma^2 Sigma``.  It exists when
      the recursion is stable, ``|1 - gamma l| < 1`` for every eigenvalue
      ``l`` of ``H``; as ``gamma -> 0``, ``V / gamma`` tends to the
      ``lr=None`` answer.

    The scaling is ``sqrt(gamma_k)``: ``Cov(theta_k - theta*)`` is about
    ``gamma_k V``.  (The lecture notes print ``(theta_k - theta*) / gamma_k``,
    whose covariance grows like ``V / gamma_k`` instead; the Monte Carlo test
    in ``tests/test_lyapunov.py`` confirms the square root.)

    Parameters
    ----------
    H : array_like, shape (n, n)
        Hessian at the minimum (or, for a linear recursion, its matrix);
        real and finite.  Symmetric ``H`` (to rounding, as in
        ``solve_lyapunov``) must be positive definite and is solved in its
        eigenbasis; any other ``H`` by the Schur method, and must have
        eigenvalues with positive real parts.
    grad_cov : array_like, shape (n, n)
        ``Sigma``, the covariance of the stochastic gradient used in one step
        at ``theta*`` (of a mini-batch's mean gradient, see
        ``gradient_covariance``).  Symmetric to ``sqrt(eps)`` relative
        accuracy (then symmetrised); non-negative diagonal.  Positive
        semi-definiteness is not checked (it would cost an eigensolve).
    lr : float, optional
        A constant step size; omit for a decaying one.
    harmonic : float, optional
        ``c`` of steps ``gamma_k ~ c / k``; exclusive with ``lr``.

    Returns
    -------
    V : ndarray, shape (n, n)
        Symmetric.  ``gamma_k V`` approximates ``Cov(theta_k)`` for decaying
        steps; ``V`` is ``Cov(theta_k)`` in the stationary state for a
        constant step.

    Raises
    ------
    ValueError
        Bad shapes or entries; ``lr`` or ``harmonic`` not a positive number,
        or both given; an ``H`` for which the iteration does not settle:
        not positive definite (``lr=None``), ``c min Re l <= 1/2``
        (``harmonic``), ``|1 - lr l| >= 1`` (``lr``).
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    Where the limits come from: ``P_k = Cov(theta_k - theta*)`` obeys
    ``P_{k+1} = (I - gamma_k H) P_k (I - gamma_k H)^T + gamma_k^2 Sigma``.
    Put ``P_k = gamma_k V`` and expand to second order in ``gamma_k``:
    ``(gamma_{k+1} - gamma_k) V = -gamma_k^2 (H V + V H^T - Sigma)``.  The left
    side is ``o(gamma_k^2)`` when ``k gamma_k -> inf``, and ``-gamma_k^2 V / c``
    when ``gamma_k ~ c/k``, giving the two equations.  The constant-step
    equation is solved in ``H``'s eigenbasis,
    ``V~_ij = gamma Sigma~_ij / (l_i + l_j - gamma l_i l_j)``, or for
    unsymmetric ``H`` by the bilinear (Cayley) map to a continuous equation:
    with ``N = 2I - gamma H``, ``B V + V B^T = 2 gamma^2 N^-1 Sigma N^-T`` for
    ``B = gamma N^-1 H``, whose eigenvalues
    ``gamma l / (2 - gamma l)`` have positive real parts exactly when
    ``|1 - gamma l| < 1``.

    The averaged iterate ``mean(theta_1..theta_k)`` of a decaying schedule
    (Polyak and Juditsky 1992) has covariance about
    ``H^-1 Sigma H^-T / k``, which needs no Lyapunov equation.

    References: V. Fabian (1968), "On asymptotic normality in stochastic
    approximation", Ann. Math. Statist. 39(4), 1327-1332.  B. T. Polyak and
    A. B. Juditsky (1992), "Acceleration of stochastic approximation by
    averaging", SIAM J. Control Optim. 30(4), 838-855.  H. J. Kushner and
    G. G. Yin (2003), Stochastic Approximation and Recursive Algorithms and
    Applications, 2nd ed., Springer, ch. 10.  Z. Gajic and M. T. J. Qureshi
    (1995), Lyapunov Matrix Equation in System Stability and Control,
    Academic Press (the bilinear map).

    Examples
    --------
    One dimension: ``V = sigma^2 / (2 h)`` for decaying steps, and
    ``gamma sigma^2 / (2 h - gamma h^2)`` (the stationary variance of an AR(1)
    process) for a constant one:

    >>> import numpy as np
    >>> import fastopt
    >>> fastopt.sgd_covariance([[2.0]], [[0.5]])
    array([[0.125]])
    >>> fastopt.sgd_covariance([[2.0]], [[0.5]], lr=0.1)
    array([[0.01388889]])
    >>> fastopt.sgd_covariance([[2.0]], [[0.5]], harmonic=1.0)  # 0.5 / (2 (2 - 1/2))
    array([[0.16666667]])

    Two coordinates with correlated noise; ``V`` solves ``H V + V H = Sigma``:

    >>> H = np.diag([1.0, 4.0])
    >>> Sigma = np.array([[1.0, 0.5], [0.5, 1.0]])
    >>> V = fastopt.sgd_covariance(H, Sigma)
    >>> V
    array([[0.5  , 0.1  ],
           [0.1  , 0.125]])
    >>> np.allclose(H @ V + V @ H, Sigma)
    True
    """
    H, hbig = _matrix("H", H)
    n = H.shape[0]
    S = _covariance_argument(grad_cov, n)
    if lr is not None and harmonic is not None:
        raise ValueError("give lr (a constant step) or harmonic (steps c/k), not both")
    if lr is not None:
        lr = _positive("lr", lr)
    shift = 0.0
    if harmonic is not None:
        shift = 0.5 / _positive("harmonic", harmonic)
    if n == 0:
        return np.empty((0, 0))
    # Eigenvalues this close to the stability boundary count as on it.
    tol = _SINGULAR_RTOL * max(_fro(H), shift * np.sqrt(n))

    if lr is None:
        def settles(re):
            bad = re <= tol / 2
            if bad.any():
                least = re.min() + shift
                if harmonic is None:
                    raise ValueError(f"H must be positive definite (eigenvalues with positive "
                                     f"real parts) for SGD to settle; its least real part is "
                                     f"{least:.3g}")
                raise ValueError(f"harmonic steps c/k need c Re(l) > 1/2 for every eigenvalue "
                                 f"l of H; c = {harmonic:g} and min Re(l) = {least:.3g} give "
                                 f"{harmonic * least:.3g}")

        if _symmetric(H, hbig):
            return _finite(_eigen_solve(H, S, True, shift=shift, check=settles))
        Hs = H - shift * np.eye(n) if shift else H
        return _finite(_schur_solve(Hs, S, True, lambda wr, wi: settles(wr)))

    def unstable(worst):
        return ValueError(f"the constant step lr = {lr:g} is unstable: |1 - lr l| = {worst:.6g} "
                          f">= 1 for an eigenvalue l of H (SGD's iterates do not settle; "
                          f"the stationary covariance needs every |1 - lr l| < 1)")

    if _symmetric(H, hbig):
        def stable(l):
            if l[0] <= tol / 2 or lr * l[-1] >= 2.0 - 2 * EPS:
                raise unstable(max(abs(1.0 - lr * l[0]), abs(1.0 - lr * l[-1])))

        V = _eigen_solve(H, S, True, lr=lr, check=stable)
        V *= lr
        return _finite(V)

    # The bilinear map to B V + V B^T = C (see Notes).
    N = 2.0 * np.eye(n) - lr * H
    try:
        Z = np.linalg.solve(N, np.hstack([H, S]))
        C = np.linalg.solve(N, np.ascontiguousarray(Z[:, n:].T))
    except np.linalg.LinAlgError:
        raise unstable(1.0) from None  # lr l = 2 for a real eigenvalue l
    B = lr * Z[:, :n]
    C *= 2.0 * lr * lr

    def stable_b(wr, wi):
        if (wr <= _SINGULAR_RTOL * _fro(B)).any():
            mu = wr + 1j * wi
            lam = 2.0 * mu / (lr * (1.0 + mu))
            raise unstable(np.abs(1.0 - lr * lam).max())

    return _finite(_schur_solve(B, C, True, stable_b))


def gradient_covariance(per_sample_grads, *, ddof=0, batch_size=1):
    """Covariance of per-sample gradients: ``Sigma`` for ``sgd_covariance``.

    Parameters
    ----------
    per_sample_grads : array_like, shape (N, d)
        Row ``j`` is the gradient of the ``j``-th sample's loss, at (or near)
        the minimum.  Real, finite.
    ddof : int, optional
        The divisor is ``N - ddof``.  The default ``0`` divides by ``N``:
        SGD on a finite data set draws one of the ``N`` samples uniformly,
        so the covariance of its gradient is exactly that of the uniform
        distribution on the ``N`` rows, with divisor ``N`` (and at the
        minimiser of the average loss their mean is zero).  ``ddof=1``
        (divisor ``N - 1``) is the unbiased estimate of the population
        covariance when the rows are a sample from an unlimited stream of
        data (a Monte Carlo or quadrature loss).
    batch_size : int, optional
        The returned covariance is divided by it: the mean of ``B``
        independent draws (with replacement, or from an unlimited
        stream).  For mini-batches drawn without replacement from the
        ``N`` rows, multiply the result further by ``(N - B) / (N - 1)``.

    Returns
    -------
    Sigma : ndarray, shape (d, d)
        ``Gc^T Gc / ((N - ddof) B)`` for the centred gradients ``Gc``
        (two passes: the mean first, so no cancellation); exactly symmetric.

    Examples
    --------
    >>> import numpy as np
    >>> import fastopt
    >>> G = np.array([[1.0, 0.0], [-1.0, 2.0], [0.0, -2.0]])
    >>> fastopt.gradient_covariance(G)
    array([[ 0.66666667, -0.66666667],
           [-0.66666667,  2.66666667]])
    >>> fastopt.gradient_covariance(G, ddof=1, batch_size=2)
    array([[ 0.5, -0.5],
           [-0.5,  2. ]])
    """
    G = np.asarray(per_sample_grads)
    if np.iscomplexobj(G):
        raise TypeError(f"per_sample_grads must be real (complex input is not supported), "
                        f"got dtype {G.dtype}")
    G = _real_array("per_sample_grads", G)
    if G.ndim != 2 or G.shape[1] == 0:
        raise ValueError(f"per_sample_grads must be a 2-D array (samples, parameters), "
                         f"got shape {G.shape}")
    for name, value, least in (("ddof", ddof, 0), ("batch_size", batch_size, 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
            raise ValueError(f"{name} must be an integer >= {least}, got {value!r}")
    N = G.shape[0]
    if N - ddof < 1:
        raise ValueError(f"per_sample_grads needs more than ddof = {ddof} rows, got {N}")
    G = np.asarray(G, dtype=np.float64)
    if not np.isfinite(G).all():
        raise ValueError("per_sample_grads must be finite (it contains NaN or inf)")
    Gc = G - G.mean(axis=0)
    Sigma = Gc.T @ Gc  # BLAS dsyrk: exactly symmetric
    Sigma /= (N - ddof) * int(batch_size)
    return Sigma
