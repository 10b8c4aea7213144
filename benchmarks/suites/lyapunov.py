"""asv suite: fastopt.solve_lyapunov against scipy.linalg.solve_continuous_lyapunov.

Problems (one seed each, both solvers get the same arrays):

* ``spd``: symmetric positive definite ``A`` with eigenvalues log-uniform in
  [0.1, 10] (the Hessians of ``sgd_covariance``), ``Q`` symmetric positive
  semidefinite.  fastopt's eigenbasis path; scipy runs its Schur method
  regardless of symmetry.
* ``general``: ``A = G / sqrt(n) + 2 I`` for a Gaussian ``G`` (eigenvalues
  in a disc of radius ~1 around 2, most in complex pairs), ``Q`` symmetric.
  fastopt's Schur path with the symmetric half-solve.
* ``general_q``: the same ``A`` with an unsymmetric ``Q`` (the full
  triangular solve).

``python -m benchmarks.scripts.lyapunov [n ...]`` prints, per problem and
``n`` (default 200 500 1000), the medians of interleaved repeats (fastopt,
scipy, fastopt, ...), the ratio scipy / fastopt, and both relative residuals
``||A X + X A^T - Q||_F / ||Q||_F``.

Both solvers spend most of their time in LAPACK/BLAS (the eigensolver or the
Schur form, and matrix products), so both use OpenBLAS's threads; on a
shared machine, where a second thread's core may be busy, the times of both
scatter widely (the Schur form of n = 200 from 17 ms to 100 ms).
``OPENBLAS_NUM_THREADS=1`` gives steadier figures.
"""
import numpy as np
import scipy.linalg as sl

import fastopt

KINDS = ("spd", "general", "general_q")


def problem(kind, n, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "spd":
        l = np.exp(rng.uniform(np.log(0.1), np.log(10.0), n))
        U = np.linalg.qr(rng.standard_normal((n, n)))[0]
        A = (U * l) @ U.T
        A = 0.5 * (A + A.T)
    else:
        A = rng.standard_normal((n, n)) / np.sqrt(n) + 2.0 * np.eye(n)
    B = rng.standard_normal((n, n))
    Q = B @ B.T / n if kind != "general_q" else B
    return A, Q


def residual(A, X, Q):
    return np.linalg.norm(A @ X + X @ A.T - Q) / np.linalg.norm(Q)


class SolveLyapunov:
    """One solve of A X + X A^T = Q: fastopt vs scipy."""

    params = (list(KINDS), [200, 500, 1000])
    param_names = ["kind", "n"]
    repeat = (3, 10, 60.0)
    number = 1
    timeout = 600

    def setup(self, kind, n):
        self.A, self.Q = problem(kind, n)
        fastopt.solve_lyapunov(self.A[:4, :4], self.Q[:4, :4])  # load the compiled code

    def time_fastopt(self, kind, n):
        fastopt.solve_lyapunov(self.A, self.Q)

    def time_scipy(self, kind, n):
        sl.solve_continuous_lyapunov(self.A, self.Q)
