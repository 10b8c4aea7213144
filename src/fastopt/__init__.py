"""fastopt: compiled optimizers behind scipy.optimize's interface.

>>> import fastopt
>>> sorted(fastopt.METHODS)[:3]
['adadelta', 'adagrad', 'adam']
"""
from scipy.optimize import OptimizeResult, OptimizeWarning  # scipy's: every result is one

from ._core.fdiff import approx_fprime, check_grad
from ._linalg.lyapunov import solve_lyapunov
from ._linalg.sgd_covariance import gradient_covariance, sgd_covariance
from ._lsq.api import least_squares
from ._lsq.batch import curve_fit_batch
from ._lsq.curve_fit import curve_fit
from ._lsq.varpro import varpro
from ._minimize.api import minimize
from ._minimize.show import show_options
from ._minimize.table import METHODS
from ._stochastic.api import minimize_stochastic

__version__ = "0.1.0"

__all__ = ["minimize", "least_squares", "curve_fit", "curve_fit_batch", "varpro",
           "minimize_stochastic", "solve_lyapunov", "sgd_covariance", "gradient_covariance",
           "approx_fprime", "check_grad", "show_options", "METHODS", "OptimizeResult",
           "OptimizeWarning",
           "optimizers", "compiled", "classic", "problems", "datasets", "schedules", "testing"]

_LAZY = ("optimizers", "compiled", "classic", "problems", "datasets", "schedules", "testing")


def __getattr__(name):
    # Imported on first use: most users of minimize never need them, and
    # compiled and classic load compiled code.
    if name in _LAZY:
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'fastopt' has no attribute {name!r}")
