"""The lecture notes' test surfaces, under their first name: ``fastopt.testing.problems``.

>>> import fastopt.problems, fastopt.testing.problems
>>> fastopt.problems.PROBLEMS is fastopt.testing.problems.PROBLEMS
True
"""
from .testing.problems import *  # noqa: F401,F403
from .testing.problems import __all__  # noqa: F401
