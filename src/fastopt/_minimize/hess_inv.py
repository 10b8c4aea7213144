"""``hess_inv`` of an l-bfgs result: the L-BFGS matrix as a linear operator."""
import numpy as np
from scipy.sparse.linalg import LinearOperator

from .kernels import lbfgs


class LbfgsInverseHessian(LinearOperator):
    """The inverse-Hessian approximation an l-bfgs run ended with.

    ``H @ v`` runs the same two-loop recursion as the solver (with its
    ``H0 = gamma I``) in O(m n); ``todense()`` builds the (n, n) matrix.

    Parameters
    ----------
    S, Y : ndarray, shape (m, n)
        Stored pairs in the solver's circular layout.
    rho : ndarray, shape (m,)
    head, count : int
        Position of the oldest pair and number of pairs.
    gamma : float
        Scale of the initial matrix.
    """

    def __init__(self, S, Y, rho, head, count, gamma):
        n = S.shape[1]
        # Set directly rather than through LinearOperator.__init__, whose
        # checks cost more than a small solve (this runs on every l-bfgs result).
        self.dtype = np.dtype(np.float64)
        self.shape = (n, n)
        self._args = (S, Y, rho, np.empty(max(S.shape[0], 1)), int(head), int(count), float(gamma))

    def _matvec(self, v):
        v = np.ascontiguousarray(np.ravel(v), dtype=np.float64)
        out = np.empty_like(v)
        S, Y, rho, alpha, head, count, gamma = self._args
        lbfgs.direction(v, S, Y, rho, alpha, head, count, gamma, out)
        return -out  # the kernel returns -H v

    def _adjoint(self):
        return self  # symmetric

    def todense(self):
        """The matrix as a dense (n, n) array."""
        return self @ np.eye(self.shape[0])
