"""Integer codes shared by the curvature solver and the layers above it.

Plain integers in a module with no imports, so the registry can name them
without loading (and compiling) any kernel.
"""
#: Direction rules of ``curvature.solve`` (``Method.kind`` in the registry).
STEEPEST, BFGS, LBFGS, NEWTON, NEWTON_CG = 0, 1, 2, 3, 4
#: Where Newton's second derivatives come from: finite differences of the
#: gradient, a ``hess`` function, a ``hessp`` function.
HESS_FD, HESS_DENSE, HESS_PRODUCT = 0, 1, 2
