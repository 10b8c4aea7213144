"""The covariance of SGD's iterates near a minimum, and its gradient-noise input.

``sgd_covariance`` solves the Lyapunov (decaying or ``1/k`` steps) or Stein
(constant step) equation of the linearised SGD recursion with the solvers
of ``lyapunov.py``; ``gradient_covariance`` estimates the equation's
right-hand side from per-sample gradients.  The references are in each
function's docstring.
"""
import numpy as np

from .._core.validate import integer, positive, real_array
from . import kernels as _k
from .lyapunov import (COV_SYM_RTOL, EPS, SINGULAR_RTOL, eigen_solve, finite_result, frobenius,
                       matrix_argument, schur_solve, symmetric)


def _covariance_argument(grad_cov, n):
    S, big = matrix_argument("grad_cov", grad_cov)
    if S.shape != (n, n):
        raise ValueError(f"grad_cov must have H's shape {(n, n)}, got {S.shape}")
    if not _k.is_symmetric(S, COV_SYM_RTOL * big):
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
    in ``tests/test_sgd_covariance.py`` confirms the square root.)

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
    H, hbig = matrix_argument("H", H)
    n = H.shape[0]
    S = _covariance_argument(grad_cov, n)
    if lr is not None and harmonic is not None:
        raise ValueError("give lr (a constant step) or harmonic (steps c/k), not both")
    if lr is not None:
        lr = positive("lr", lr)
    shift = 0.0
    if harmonic is not None:
        shift = 0.5 / positive("harmonic", harmonic)
    if n == 0:
        return np.empty((0, 0))
    # Eigenvalues this close to the stability boundary count as on it.
    tol = SINGULAR_RTOL * max(frobenius(H), shift * np.sqrt(n))

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

        if symmetric(H, hbig):
            return finite_result(eigen_solve(H, S, True, shift=shift, check=settles))
        Hs = H - shift * np.eye(n) if shift else H
        return finite_result(schur_solve(Hs, S, True, lambda wr, wi: settles(wr)))

    def unstable(worst):
        return ValueError(f"the constant step lr = {lr:g} is unstable: |1 - lr l| = {worst:.6g} "
                          f">= 1 for an eigenvalue l of H (SGD's iterates do not settle; "
                          f"the stationary covariance needs every |1 - lr l| < 1)")

    if symmetric(H, hbig):
        def stable(l):
            if l[0] <= tol / 2 or lr * l[-1] >= 2.0 - 2 * EPS:
                raise unstable(max(abs(1.0 - lr * l[0]), abs(1.0 - lr * l[-1])))

        V = eigen_solve(H, S, True, lr=lr, check=stable)
        V *= lr
        return finite_result(V)

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
        if (wr <= SINGULAR_RTOL * frobenius(B)).any():
            mu = wr + 1j * wi
            lam = 2.0 * mu / (lr * (1.0 + mu))
            raise unstable(np.abs(1.0 - lr * lam).max())

    return finite_result(schur_solve(B, C, True, stable_b))


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
        Computed on columns scaled by powers of two, so that entries that are
        representable come out finite however large or small the gradients
        (entries beyond the float64 range are inf, with NumPy's overflow warning).

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
    G = real_array("per_sample_grads", G)
    if G.ndim != 2 or G.shape[1] == 0:
        raise ValueError(f"per_sample_grads must be a 2-D array (samples, parameters), "
                         f"got shape {G.shape}")
    ddof = integer("ddof", ddof, 0)
    batch_size = integer("batch_size", batch_size, 1)
    N = G.shape[0]
    if N - ddof < 1:
        raise ValueError(f"per_sample_grads needs more than ddof = {ddof} rows, got {N}")
    G = np.asarray(G, dtype=np.float64)
    if not np.isfinite(G).all():
        raise ValueError("per_sample_grads must be finite (it contains NaN or inf)")
    # Each column scaled by a power of two to a maximum in [0.5, 1) and the
    # scales put back at the end by one ldexp: squares of gradients beyond
    # 1e154 (or below 1e-154) would overflow (underflow) even where Sigma is
    # representable, and power-of-two scaling rounds nothing otherwise.
    _, e = np.frexp(np.abs(G).max(axis=0))
    G = np.ldexp(G, -e)
    Gc = G - G.mean(axis=0)
    Sigma = Gc.T @ Gc  # BLAS dsyrk: exactly symmetric
    Sigma /= (N - ddof) * int(batch_size)
    return np.ldexp(Sigma, e[:, None] + e[None, :])
