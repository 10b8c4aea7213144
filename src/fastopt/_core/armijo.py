"""The backtracking Armijo rule, shared by gd's line search and Gauss-Newton's.

Nocedal and Wright (2006), Numerical Optimization, Algorithm 3.1: along a
descent direction with slope ``s = grad f . d < 0``, accept the step
``alpha`` once ``f(x + alpha d) <= f(x) + C1 alpha s``, else try
``alpha * SHRINK``.  A trial whose value is NaN or inf fails the test and so
shrinks the step.

The two callers start from different scales, so they give up differently:

* gd (``d = -g``) starts each search from ``GROW`` times the previous
  accepted step (the first from ``1 / max(1, |g|)``), so the step can grow
  back after a hard stretch; having grown, it may need many halvings:
  ``MAX_BACKTRACKS`` trials.
* Gauss-Newton starts from the full Gauss-Newton step, its natural scale,
  and gives up below ``MIN_FRACTION`` of it: shorter steps only find
  decreases at the rounding level of the sum of squares.
"""
import numpy as np

from .jit import kernel

C1 = 1e-4
SHRINK = 0.5
GROW = 2.0
#: Trials of one gd search before it fails.
MAX_BACKTRACKS = 60
#: The smallest fraction of the Gauss-Newton step tried.
MIN_FRACTION = 1e-10


@kernel
def first_trial_step(nit, previous, gg):
    """gd's initial ``alpha`` at iteration ``nit`` (``gg = |g|^2``)."""
    if nit == 0:
        return 1.0 / max(1.0, np.sqrt(gg))
    return previous * GROW


@kernel
def sufficient_decrease(f_trial, f, alpha, slope):
    """Armijo's test for the step ``alpha`` along a direction of slope
    ``slope < 0``; False for a NaN trial value."""
    return f_trial <= f + C1 * alpha * slope
