"""The More-Garbow-Hillstrom problems, under their first name: ``fastopt.testing.classic``.

>>> import fastopt.classic, fastopt.testing.classic
>>> fastopt.classic.get("rosenbrock") is fastopt.testing.classic.get("rosenbrock")
True
"""
from .testing.classic import *  # noqa: F401,F403
from .testing.classic import __all__  # noqa: F401
