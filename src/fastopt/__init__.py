"""fastopt: compiled optimizers behind scipy.optimize's interface.

>>> import fastopt
>>> sorted(fastopt.METHODS)[:3]
['adadelta', 'adagrad', 'adam']
"""
from ._batch import curve_fit_batch
from ._curve_fit import curve_fit
from ._fdiff import approx_fprime, check_grad
from ._least_squares import least_squares
from ._lyapunov import gradient_covariance, sgd_covariance, solve_lyapunov
from ._minimize import minimize
from ._registry import METHODS
from ._stochastic import minimize_stochastic
from ._varpro import varpro
from ._show import show_options

__version__ = "0.1.0"

__all__ = ["minimize", "least_squares", "curve_fit", "curve_fit_batch", "varpro", "minimize_stochastic", "solve_lyapunov", "sgd_covariance", "gradient_covariance", "approx_fprime", "check_grad", "show_options",
           "METHODS", "optimizers", "compiled", "classic", "datasets", "schedules"]

_LAZY = ("optimizers", "compiled", "classic", "datasets", "schedules")


def __getattr__(name):
    # Imported on first use: most users of minimize never need them, and
    # compiled and classic load compiled code.
    if name in _LAZY:
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'fastopt' has no attribute {name!r}")
