"""The one table of ``minimize_stochastic`` methods, derived from the update rules.

``'sgd'`` is plain gradient descent on mini-batches (the ``gd`` rule); every
other first-order rule of ``_steps/table.py`` keeps its name.
"""
from .._steps.table import RULES

METHODS = {"sgd": RULES["gd"],
           **{name: rule for name, rule in RULES.items() if name != "gd"}}
