"""The Examples sections of the public docstrings run and give what they show.

Run on the installed package (not the source tree: importing both copies of
the numba kernels in one process would compile them twice under one name).
Every public function and module is found from ``fastopt.__all__``, so a new
one is covered, and must have examples.
"""
import doctest
import importlib
import inspect

import pytest

import fastopt

PUBLIC = [getattr(fastopt, name) for name in fastopt.__all__]
#: Modules holding a public function, and the public modules themselves.
MODULES = sorted({obj.__module__ for obj in PUBLIC if inspect.isfunction(obj)}
                 | {f"fastopt.{name}" for name in fastopt.__all__
                    if inspect.ismodule(getattr(fastopt, name))}
                 | {"fastopt", "fastopt.testing.problems", "fastopt.testing.classic",
                    "fastopt.testing.matrices", "fastopt.datasets.certify"})


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0, f"{name} has no examples"
    assert failed == 0


@pytest.mark.parametrize("fn", [obj for obj in PUBLIC if inspect.isfunction(obj)],
                         ids=lambda fn: fn.__name__)
def test_every_public_function_has_examples(fn):
    assert "Examples\n" in fn.__doc__ and ">>> " in fn.__doc__, fn.__name__
