"""Linear algebra for SGD's statistics: ``solve_lyapunov``, ``sgd_covariance``.

* ``lyapunov``: ``A X + X A^T = Q`` (eigenbasis or Bartels-Stewart);
* ``sgd_covariance``: the covariance of SGD's iterates, the gradient noise;
* ``kernels``: the compiled back substitution and bookkeeping passes.
"""
