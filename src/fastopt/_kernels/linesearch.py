"""Backtracking Armijo line search constants and the shared trial-step rule.

Nocedal and Wright (2006), Numerical Optimization, Algorithm 3.1: accept
``alpha`` once ``f(x - alpha g) <= f(x) - C1 alpha |g|^2``, else ``alpha *= SHRINK``.
A trial whose value is NaN or inf fails the test and so shrinks the step.
Each search starts from twice the previous accepted step, so the step can grow
back after a hard stretch; the first starts from ``1 / max(1, |g|)``.
"""
import numpy as np

from ._jit import kernel

C1 = 1e-4
SHRINK = 0.5
GROW = 2.0
MAX_BACKTRACKS = 60


@kernel
def first_trial_step(nit, previous, gg):
    """Initial ``alpha`` of the search at iteration ``nit`` (``gg = |g|^2``)."""
    if nit == 0:
        return 1.0 / max(1.0, np.sqrt(gg))
    return previous * GROW


@kernel
def armijo_ok(f_trial, f, alpha, gg):
    """Sufficient decrease along ``-g``; False for a NaN trial value."""
    return f_trial <= f - C1 * alpha * gg
