"""Plain integer codes for compiled code: statuses, direction rules, modes.

A module with no imports, so that kernels (numba freezes module globals as
constants) and the tables can name them without loading anything.
``status.py`` builds the enums, messages and success rules on these values.
"""
#: Not a status: the loop goes on.  No family uses this value.
RUNNING = -100

# --- minimize and minimize_stochastic (scipy.optimize.minimize: 0 is success)
# scipy's BFGS numbers 1-3 so; FTOL, XTOL and ROUNDING are reported as status 0,
# as scipy does (scipy's gtol is met at ROUNDING), UNBOUNDED as 3, MAXFUN as 1.
SUCCESS = 0        # gradient norm <= gtol (minimize); all epochs done (stochastic)
MAXITER = 1
LINESEARCH = 2     # no acceptable step (scipy: "precision loss")
NONFINITE = 3      # NaN or inf met; x is the last finite iterate
FTOL = 4           # relative reduction of f <= ftol (l-bfgs): a success
UNBOUNDED = 5      # f = -inf met: x is that point (reported as NONFINITE)
XTOL = 6           # the step was below xtol (bfgs's xrtol, newton-cg's xtol): a success
MAXFUN = 7         # evaluation limit (l-bfgs's maxfun; reported as MAXITER)
ROUNDING = 8       # f's rounding stops the line search where the gradient meets
                   # scipy's gtol, short of a tighter default one: a success
CALLBACK = 99      # the callback raised StopIteration

# --- least_squares (scipy.optimize.least_squares: > 0 is success) ------------
LSQ_MAXFEV = 0
LSQ_GTOL = 1
LSQ_FTOL = 2
LSQ_XTOL = 3
LSQ_FTOL_XTOL = 4
LSQ_NONFINITE = -2
LSQ_NO_DECREASE = -3   # gauss-newton's line search found no decrease

# --- how minimize's compiled loops see the objective --------------------------
#: ``jac=True``; a separate ``jac``; forward or central differences of ``fun``.
MODE_FG, MODE_F_G, MODE_FD2, MODE_FD3 = 0, 1, 2, 3
#: Where Newton's second derivatives come from: finite differences of the
#: gradient, a ``hess`` function, a ``hessp`` function.
HESS_FD, HESS_DENSE, HESS_PRODUCT = 0, 1, 2

# --- direction rules of the curvature loop (a row's ``direction``) -------------
STEEPEST, BFGS, LBFGS, NEWTON, NEWTON_CG = 0, 1, 2, 3, 4
