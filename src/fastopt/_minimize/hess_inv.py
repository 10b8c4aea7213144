"""``hess_inv`` of an l-bfgs result: the L-BFGS matrix as a linear operator."""
import numpy as np
from scipy.sparse.linalg import LinearOperator

from .kernels import lbfgs

_FLOAT64 = np.dtype(np.float64)


class LbfgsInverseHessian(LinearOperator):
    """The inverse-Hessian approximation an l-bfgs run ended with.

    ``H @ v`` runs the same two-loop recursion as the solver (with its
    ``H0 = gamma I``) in O(m n); ``todense()`` builds the (n, n) matrix.

    Parameters
    ----------
    buffer : ndarray
        The run's ``directions.Memory.buffer``: ``[jac | S | Y | rho]`` with
        the stored pairs ``S, Y`` (m, n) in the solver's circular layout and
        ``rho`` (m,).
    n, m : int
        Parameters and pairs the buffer has room for.
    head, count : int
        Position of the oldest pair and number of pairs.
    gamma : float
        Scale of the initial matrix.

    Attributes
    ----------
    S, Y : ndarray
        Views of ``buffer``, in its circular layout.
    sk, yk, rho, n_corrs
        scipy's ``LbfgsInvHessProduct`` attributes: the stored pairs oldest
        first (copies, (n_corrs, n)), ``rho = 1 / (y . s)`` in that order,
        and their number.  (scipy's matrix starts the recursion from ``I``;
        this one from ``gamma I``, as the solver did.)
    """

    def __new__(cls, *args, **kwargs):
        # LinearOperator.__new__ checks the subclass on every call; this one
        # is known good, and this runs on every l-bfgs result.
        return object.__new__(cls)

    def __init__(self, buffer, n, m, head, count, gamma):
        # Set directly rather than through LinearOperator.__init__, whose
        # checks cost more than a small solve.
        self.dtype = _FLOAT64
        self.shape = (n, n)
        self._buffer, self._m = buffer, m
        self._ring = (head, count, gamma)

    @property
    def S(self):
        m, n = self._m, self.shape[0]
        return self._buffer[n:n + m * n].reshape(m, n)

    @property
    def Y(self):
        m, n = self._m, self.shape[0]
        return self._buffer[n + m * n:n + 2 * m * n].reshape(m, n)

    def _ring_rho(self):
        m, n = self._m, self.shape[0]
        return self._buffer[n + 2 * m * n:n + 2 * m * n + m]

    def _chronological(self, rows):
        head, count, _ = self._ring
        return rows[(head + np.arange(count)) % max(self._m, 1)]

    @property
    def n_corrs(self):
        return self._ring[1]

    @property
    def sk(self):
        return self._chronological(self.S)

    @property
    def yk(self):
        return self._chronological(self.Y)

    @property
    def rho(self):
        return self._chronological(self._ring_rho())

    def _matvec(self, v):
        v = np.ascontiguousarray(np.ravel(v), dtype=np.float64)
        out = np.empty_like(v)
        head, count, gamma = self._ring
        lbfgs.direction(v, self.S, self.Y, self._ring_rho(), np.empty(max(self._m, 1)), head,
                        count, gamma, out)
        return -out  # the kernel returns -H v

    def _adjoint(self):
        return self  # symmetric

    def todense(self):
        """The matrix as a dense (n, n) array."""
        return self @ np.eye(self.shape[0])
