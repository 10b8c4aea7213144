"""The Examples sections of the public docstrings run and give what they show.

Run on the installed package (not the source tree: importing both copies of
the numba kernels in one process would compile them twice under one name).
"""
import doctest
import importlib

import pytest

MODULES = ["fastopt", "fastopt._minimize", "fastopt._fdiff", "fastopt._show",
           "fastopt.optimizers", "fastopt.classic", "fastopt.compiled",
           "fastopt._least_squares", "fastopt._curve_fit", "fastopt._batch", "fastopt._varpro", "fastopt._stochastic", "fastopt.schedules",
           "fastopt._lyapunov", "fastopt.problems",
           "fastopt.datasets", "fastopt.datasets.certify"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0, f"{name} has no examples"
    assert failed == 0
