"""``fastopt.varpro``: separable nonlinear least squares by variable projection."""
import warnings

import numpy as np
from scipy.optimize import OptimizeResult, OptimizeWarning

from .._core import codes
from .._core.fdiff import CENTRAL_STEP, FORWARD_STEP, fd_jacobian
from .._core.status import LEAST_SQUARES
from .._core.validate import start_vector
from .._core.vector import norm2
from .api import least_squares
from .kernels.covariance import covariance, rank_tolerance
from .problem import real

EPS = np.finfo(np.float64).eps
JACOBIANS = ("golub-pereyra", "kaufman")


def _flat_basis(projection, alpha, counts):
    """The weighted basis at ``alpha``, flattened: ``fd_jacobian``'s residuals."""
    return projection.basis(alpha).ravel()


class _Projection:
    """The weighted basis ``Phi_w = W Phi(alpha)`` and its projection, one
    ``alpha`` at a time: the SVD made for the residuals at ``alpha`` is kept
    for the Jacobian the LM loop asks for at the same point."""

    def __init__(self, phi, dphi, xdata, y, weights, args, jac):
        self.phi, self.dphi, self.xdata, self.args = phi, dphi, xdata, args
        self.y, self.w, self.golub_pereyra = y, weights, jac == "golub-pereyra"
        self.shape = None  # (m, k), fixed by the first evaluation
        self.nphi = 0  # evaluations of phi, finite differences included
        self.alpha = None  # the point the cached state belongs to

    def basis(self, alpha):
        self.nphi += 1
        Phi = real(np.asarray(self.phi(self.xdata, alpha.copy(), *self.args)), "phi",
                   "return a real array")
        Phi = np.asarray(Phi, dtype=np.float64)
        if Phi.ndim == 1:
            Phi = Phi[:, None]
        if self.shape is None:
            if Phi.ndim != 2 or Phi.shape[0] != self.y.size or Phi.shape[1] == 0:
                raise ValueError(f"phi must return an (m, k) array with m = ydata.size = "
                                 f"{self.y.size} and k >= 1, got shape {Phi.shape}")
            self.shape = Phi.shape
        elif Phi.shape != self.shape:
            raise ValueError(f"phi returned shape {Phi.shape}, earlier {self.shape}")
        return Phi * self.w[:, None]

    def at(self, alpha):
        """Fill ``Phi, U, s, Vt`` (SVD truncated to the numerical rank, the
        cutoff of ``np.linalg.lstsq``), ``c`` and ``r = Phi_w c - y_w``."""
        if self.alpha is not None and np.array_equal(alpha, self.alpha):
            return
        self.alpha = alpha.copy()
        self.Phi = Phi = self.basis(alpha)
        m, k = Phi.shape
        try:
            if not np.isfinite(Phi).all():
                raise np.linalg.LinAlgError
            U, s, Vt = np.linalg.svd(Phi, full_matrices=False)
        except np.linalg.LinAlgError:  # NaN/inf in phi, or no SVD: a failed evaluation
            self.U, self.s, self.Vt = np.empty((m, 0)), np.empty(0), np.empty((0, k))
            self.c, self.r = np.full(k, np.nan), np.full(m, np.nan)
            return
        rank = int(np.count_nonzero(s > EPS * max(m, k) * s[0]))
        self.U, self.s, self.Vt = U[:, :rank], s[:rank], Vt[:rank]
        with np.errstate(all="ignore"):  # overflow shows as inf: a failed evaluation
            Uty = self.U.T @ self.y
            self.c = self.Vt.T @ (Uty / self.s)
            self.r = self.U @ Uty - self.y  # -(I - U U^T) y, orthogonal to range(Phi)

    def residuals(self, alpha):
        self.at(alpha)
        return self.r

    def derivatives(self, alpha, central=False):
        """``W dPhi/dalpha``, shape (m, k, q): ``dphi``, or differences of
        ``phi`` with MINPACK's relative steps (forward ``sqrt(eps) |alpha_j|``,
        central ``eps^(1/3) |alpha_j|``; ``fdiff.fd_jacobian``)."""
        m, k = self.shape
        q = alpha.size
        if self.dphi is not None:
            D = real(np.asarray(self.dphi(self.xdata, alpha.copy(), *self.args)), "dphi",
                     "return a real array")
            D = np.asarray(D, dtype=np.float64)
            if D.shape == (m, k * q) and k == 1:
                D = D[:, None, :]
            if D.shape != (m, k, q):
                raise ValueError(f"dphi must return shape (m, k, q) = {(m, k, q)}, "
                                 f"got {D.shape}")
            return D * self.w[:, None, None]
        # The basis as m k residuals, differenced as least_squares differences
        # its residuals (self.Phi is at alpha: jacobian calls at() first).
        Dt = np.empty((q, m * k))
        fd_jacobian(_flat_basis, self, alpha, self.Phi.ravel(),
                    Dt, -CENTRAL_STEP if central else FORWARD_STEP, np.zeros(2, np.int64))
        return Dt.T.reshape(m, k, q)

    def jacobian(self, alpha):
        """Jacobian of ``r(alpha)``: Kaufman's ``P D_j c``, or Golub and
        Pereyra's ``P D_j c - (Phi^+)^T D_j^T r`` (``P = I - U U^T``)."""
        self.at(alpha)
        m, k = self.shape
        if not np.isfinite(self.c).all():
            return np.full((m, alpha.size), np.nan)
        D = self.derivatives(alpha)
        with np.errstate(all="ignore"):  # NaN/inf in D: least_squares stops with status -2
            Dc = np.einsum("ikj,k->ij", D, self.c)
            J = Dc - self.U @ (self.U.T @ Dc)
            if self.golub_pereyra:
                DTr = np.einsum("ikj,i->kj", D, self.r)
                J -= self.U @ ((self.Vt @ DTr) / self.s[:, None])
        return J


def _checked(phi, dphi, alpha0, ydata, sigma, jac, args):
    if not callable(phi):
        raise TypeError(f"phi must be callable, got {type(phi).__name__}")
    if dphi is not None and not callable(dphi):
        raise TypeError(f"dphi must be callable or None, got {type(dphi).__name__}")
    if not (isinstance(jac, str) and jac in JACOBIANS):
        raise ValueError(f"jac must be one of {JACOBIANS}, got {jac!r}")
    alpha0 = start_vector("alpha0", alpha0)  # TypeError if complex, as validate has it
    if np.iscomplexobj(ydata):  # TypeError, as alpha0's (validate.start_vector)
        raise TypeError("ydata must be real, got complex values")
    y = np.asarray(ydata, dtype=np.float64)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"ydata must be a non-empty 1-D array, got shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("ydata must not contain NaN or inf")
    if sigma is None:
        weights = np.ones(y.size)
    else:
        sigma = np.asarray(real(np.asarray(sigma), "sigma"), dtype=np.float64)
        if sigma.shape != y.shape:
            raise ValueError(f"sigma must have the shape of ydata {y.shape}, got {sigma.shape}")
        if not (np.isfinite(sigma).all() and (sigma > 0).all()):
            raise ValueError("sigma must be positive and finite")
        weights = 1.0 / sigma
    return alpha0, y, weights, args if isinstance(args, tuple) else (args,)


def varpro(phi, alpha0, xdata, ydata, *, dphi=None, sigma=None, absolute_sigma=False,
           jac="golub-pereyra", ftol=1e-8, xtol=1e-8, gtol=1e-8, max_nfev=None, args=(),
           refine=True):
    r"""Fit ``y ~ Phi(x; alpha) c``, linear in ``c``, by variable projection.

    For each ``alpha`` the coefficients are eliminated exactly,
    ``c(alpha) = Phi_w^+ y_w`` (``Phi_w = W Phi``, ``y_w = W y``,
    ``W = diag(1 / sigma)``), and ``fastopt.least_squares`` (MINPACK's
    Levenberg-Marquardt) minimises the projected residual
    ``r(alpha) = Phi_w c(alpha) - y_w = -(I - Phi_w Phi_w^+) y_w`` over
    ``alpha`` alone (Golub and Pereyra 1973).  Only the nonlinear parameters
    need a start, and the fit converges from many starts where LM on
    ``(alpha, c)`` does not: in the tests, a sum of two exponentials of
    opposite signs from 21 of 28 starts of a grid of decay rates, against 0
    for LM with ``c`` started at ones and 18 with ``c`` started at its
    least-squares value; three exponentials, 45 of 56 against 12 and 32.

    ``Phi_w`` is factored by an SVD truncated at ``np.linalg.lstsq``'s rank
    cutoff (``eps max(m, k)`` times the largest singular value), so ``c`` is
    the minimum-norm solution when the basis is numerically rank-deficient;
    the normal equations are never formed.  The SVD is computed once per
    ``alpha`` and shared by the residuals and the Jacobian.  With
    ``D_j = dPhi_w/dalpha_j``, ``P = I - U U^T`` (``U`` the left singular
    vectors), the Jacobian of ``r`` is Golub and Pereyra's

        ``J_j = P D_j c - (Phi_w^+)^T D_j^T r``

    (formulas as in O'Leary and Rust 2013), or Kaufman's (1975) ``P D_j c``,
    which drops the second term.  The dropped term vanishes at a
    zero-residual fit and does not change the gradient ``J^T r`` (``r`` is
    orthogonal to the columns of ``Phi_w``), so both give the same
    stationarity test and the same fast local convergence on small
    residuals; far from the solution, where residuals are large, the full
    Jacobian's Gauss-Newton model converged from more starts in our tests
    (e.g. 48 against 32 of 63 starts on a sum of two Gaussians), at the cost
    of two small matrix products.

    Parameters
    ----------
    phi : callable
        ``phi(xdata, alpha, *args) -> (m, k)`` array, the basis functions
        (columns) at the data; a 1-D result is one column.
    alpha0 : array_like, shape (q,)
        Start for the nonlinear parameters, finite.
    xdata : array_like or object
        Passed to ``phi`` unchanged (as a float64 array when it is a list,
        tuple or array).
    ydata : array_like, shape (m,)
        The data, finite; ``m >= q + k``.
    dphi : callable, optional
        ``dphi(xdata, alpha, *args) -> (m, k, q)`` array,
        ``dphi[i, l, j] = d phi[i, l] / d alpha_j``.  Default: forward
        differences of ``phi`` with MINPACK's step ``sqrt(eps) |alpha_j|``
        (``sqrt(eps)`` when ``alpha_j = 0``) during the fit, central
        differences (``eps^(1/3) |alpha_j|``) for ``pcov``.
    sigma : array_like, shape (m,), optional
        Standard deviations of ``ydata``; residuals are divided by them.
    absolute_sigma : bool, optional
        As in ``curve_fit``: ``pcov`` from ``sigma`` as given, not scaled by
        the reduced chi-square.
    jac : 'golub-pereyra' or 'kaufman', optional
        The exact Jacobian of ``r`` (default) or Kaufman's approximation.
    ftol, xtol, gtol, max_nfev : optional
        Passed to ``fastopt.least_squares`` (on ``alpha``; ``max_nfev``
        limits evaluations of the projected residual ``r``, default
        ``500 q``).
    args : tuple, optional
        Extra arguments of ``phi`` and ``dphi``.
    refine : bool, optional
        After a successful fit, run the iteration on with tolerances at
        machine precision (at most ``30 (2 q + 1)`` more evaluations), as
        ``least_squares`` refines its finite-difference fits: ``ftol``'s test
        otherwise stops where the sum of squares is flat to ``ftol`` but
        the parameters are still ~``sqrt(ftol)`` of their standard error
        from the minimum.  ``status`` and ``message`` are the first stage's.

    Returns
    -------
    scipy.optimize.OptimizeResult
        alpha, c : the fitted parameters; ``x = [alpha, c]``.
        cost, fun : ``0.5 sum(fun^2)``; the weighted residuals, model minus
        data.
        jac : the Jacobian of ``r`` at ``alpha``, shape (m, q).
        rank : the numerical rank of ``Phi_w`` at ``alpha``.
        pcov : the covariance of ``x``, ``s^2 (J^T J)^+`` with ``J`` the
        Jacobian of the full model ``W Phi(alpha) c`` with respect to
        ``(alpha, c)`` and ``s^2 = 2 cost / (m - q - k)``, from the SVD of
        ``J`` with unit columns, as in ``curve_fit``.  All inf, with an
        ``OptimizeWarning``, when it cannot be estimated (rank-deficient
        ``J``, ``m <= q + k``, no finite fit).
        nfev, njev, nit : evaluations of ``phi`` (finite differences
        included), of the Jacobian of ``r``, and iterations.
        status, success, message : as in ``least_squares``; -2 when ``phi``
        or ``dphi`` gave NaN or inf at the start or the Jacobian, 0 when
        ``max_nfev`` ran out; ``success`` is ``status > 0``.

    References
    ----------
    G. H. Golub and V. Pereyra (1973), "The differentiation of pseudo-inverses
    and nonlinear least squares problems whose variables separate", SIAM J.
    Numer. Anal. 10(2):413-432.

    L. Kaufman (1975), "A variable projection method for solving separable
    nonlinear least squares problems", BIT 15:49-57.

    D. P. O'Leary and B. W. Rust (2013), "Variable projection for nonlinear
    least squares problems", Comput. Optim. Appl. 54(3):579-593.

    Examples
    --------
    Two decaying exponentials, ``y = 2 exp(-0.5 t) + 3 exp(-4 t)``: only the
    two rates need a start.

    >>> import numpy as np
    >>> import fastopt
    >>> t = np.linspace(0.0, 5.0, 60)
    >>> y = 2.0 * np.exp(-0.5 * t) + 3.0 * np.exp(-4.0 * t)
    >>> def phi(t, rates):
    ...     return np.exp(-np.outer(t, rates))
    >>> res = fastopt.varpro(phi, [1.0, 2.0], t, y)
    >>> res.success, np.round(res.alpha, 8), np.round(res.c, 8)
    (True, array([0.5, 4. ]), array([2., 3.]))
    >>> res.pcov.shape
    (4, 4)
    """
    alpha0, y, weights, args = _checked(phi, dphi, alpha0, ydata, sigma, jac, args)
    if isinstance(xdata, (list, tuple, np.ndarray)):
        xdata = np.asarray(xdata, dtype=np.float64)
    if not isinstance(absolute_sigma, (bool, np.bool_)):
        raise TypeError(f"absolute_sigma must be a bool, got {absolute_sigma!r}")
    problem = _Projection(phi, dphi, xdata, y * weights, weights, args, jac)
    problem.at(alpha0)  # checks phi's shape; least_squares's first call finds it cached
    m, k = problem.shape
    q = alpha0.size
    if m < q + k:
        raise ValueError(f"varpro needs at least as many data as parameters, got "
                         f"m = {m} < q + k = {q} + {k}")
    res = least_squares(problem.residuals, alpha0, jac=problem.jacobian, ftol=ftol,
                        xtol=xtol, gtol=gtol, max_nfev=max_nfev)
    njev, nit = res.njev, res.nit
    if refine and res.success:
        more = least_squares(problem.residuals, res.x, jac=problem.jacobian, ftol=EPS,
                             xtol=EPS, gtol=0.0, max_nfev=30 * (2 * q + 1))
        njev, nit = njev + more.njev, nit + more.nit
        if more.status != codes.LSQ_NONFINITE and more.cost <= res.cost:
            res.x, res.fun, res.jac, res.cost = more.x, more.fun, more.jac, more.cost
    alpha = res.x
    problem.at(alpha)
    c, n = problem.c.copy(), q + k
    status, success, message = res.status, res.success, res.message
    if success and not np.isfinite(c).all():  # coefficients overflowed: no solution found
        status = codes.LSQ_NONFINITE
        success, message = LEAST_SQUARES[status]
    pcov = np.full((n, n), np.inf)
    singular = True
    if np.isfinite(c).all():
        D = problem.derivatives(alpha, central=dphi is None)
        J = np.hstack([np.einsum("ikj,k->ij", D, c), problem.Phi])
        singular = covariance(J, norm2(res.fun), bool(absolute_sigma),
                              rank_tolerance(m, n, dphi is not None), pcov)
    if singular:
        warnings.warn("Covariance of the parameters could not be estimated",
                      OptimizeWarning, stacklevel=2)
    return OptimizeResult(
        alpha=alpha, c=c, x=np.concatenate([alpha, c]), cost=res.cost, fun=res.fun,
        jac=res.jac, rank=problem.s.size, pcov=pcov, nfev=problem.nphi, njev=njev,
        nit=nit, status=status, success=success, message=message)
