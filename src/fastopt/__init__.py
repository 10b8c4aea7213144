"""fastopt: compiled optimizers behind scipy.optimize's interface.

>>> import fastopt
>>> sorted(fastopt.METHODS)[:3]
['adadelta', 'adagrad', 'adam']
"""
from ._fdiff import approx_fprime, check_grad
from ._minimize import minimize
from ._registry import METHODS
from ._show import show_options

__version__ = "0.1.0"

__all__ = ["minimize", "approx_fprime", "check_grad", "show_options", "METHODS", "optimizers",
           "compiled", "classic"]

_LAZY = ("optimizers", "compiled", "classic")


def __getattr__(name):
    # Imported on first use: most users of minimize never need them, and
    # compiled and classic load compiled code.
    if name in _LAZY:
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'fastopt' has no attribute {name!r}")
