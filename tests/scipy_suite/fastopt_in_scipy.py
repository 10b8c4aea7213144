"""A pytest plugin that runs scipy's own optimize tests on fastopt.

Loaded into a separate pytest run over scipy's installed test modules
(``tests/test_scipy_suite.py`` starts it; nothing of scipy's is copied):
``scipy.optimize.minimize``, ``least_squares`` and ``curve_fit`` become
fastopt's before the test modules are imported, and each test's outcome is
written, one JSON line per test, to the file ``FASTOPT_SCIPY_SUITE_OUT``
names, with whether it reached fastopt's own code -- a test whose calls all
went to scipy's implementation (``res.implementation == 'scipy'``, through
``fastopt._core.delegate``) tests scipy, not fastopt.
"""
import json
import os

import scipy.optimize

import fastopt
from fastopt._core import delegate

#: Calls of the public functions, and how many of them scipy's code ran, in this test.
_CALLS = {"all": 0, "scipy": 0}
_OUT = None


def _counting(fn, key):
    def wrapper(*args, **kwargs):
        _CALLS[key] += 1
        return fn(*args, **kwargs)
    wrapper.__wrapped__ = fn
    wrapper.__doc__ = fn.__doc__
    return wrapper


def pytest_configure(config):
    global _OUT
    _OUT = open(os.environ["FASTOPT_SCIPY_SUITE_OUT"], "w")  # noqa: SIM115 - the run's
    delegate.run = _counting(delegate.run, "scipy")
    for name in ("minimize", "least_squares", "curve_fit"):
        setattr(scipy.optimize, name, _counting(getattr(fastopt, name), "all"))
    # scipy's tests reach curve_fit also through its module.
    scipy.optimize._minpack_py.curve_fit = scipy.optimize.curve_fit


def pytest_unconfigure(config):
    if _OUT is not None:
        _OUT.close()


def pytest_runtest_setup(item):
    _CALLS["all"] = _CALLS["scipy"] = 0


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        name = os.path.basename(report.location[0]) + "::" + report.nodeid.split("::", 1)[-1]
        line = {"test": name, "outcome": outcome,
                "reached": _CALLS["all"] > _CALLS["scipy"]}
        if report.failed:
            line["error"] = str(report.longrepr).strip().splitlines()[-1][:300]
        _OUT.write(json.dumps(line) + "\n")
        _OUT.flush()
