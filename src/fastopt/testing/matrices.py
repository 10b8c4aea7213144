"""Random test matrices with known spectra, for the linear-algebra tests and benchmarks.

Examples
--------
>>> import numpy as np
>>> A, l = spd(4, np.random.default_rng(0))
>>> bool(np.allclose(np.linalg.eigvalsh(A), np.sort(l)))
True
"""
import numpy as np
import scipy.linalg as sl

__all__ = ["spd", "stable"]


def spd(n, rng, lo=0.1, hi=10.0):
    """Symmetric positive definite ``(A, eigenvalues)``, eigenvalues
    log-uniform in ``[lo, hi]``, random eigenvectors."""
    lam = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    U = np.linalg.qr(rng.standard_normal((n, n)))[0]
    A = (U * lam) @ U.T
    return 0.5 * (A + A.T), lam


def stable(n, rng, complex_pairs=False):
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
