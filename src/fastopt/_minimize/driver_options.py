"""scipy's options that only the Python driver takes: checked, in one tuple.

A method's row lists them (``table.Method.driver_options``): the
differencing steps ``eps`` and ``finite_diff_rel_step``, the ``workers``
that evaluate the differenced gradient's points, ``return_all``, BFGS's
``hess_inv0``, L-BFGS-B's ``iprint``.  A call that sets one runs the Python
driver (with a numba objective too): the steps and workers live in the
``Objective``, the iterates in the ``Reporter``, ``H0`` in the memory.
"""
import contextlib
import multiprocessing
import numbers
import os
from typing import NamedTuple

import numpy as np

from .._core import codes, validate


class DriverOptions(NamedTuple):
    """What the Python driver does beyond the loop's ``Options``.

    ``abs_step``, ``rel_step``: the gradient's differencing steps (float or
    (n,) array; None: fastopt's rule); ``hstep``: Newton-CG's step for
    ``H p`` (0: the rule's); ``return_all``: keep every iterate
    (``res.allvecs``); ``hess_inv0``: BFGS's starting inverse Hessian (n, n)
    or None; ``disp``: an iteration table level from ``iprint`` (None: the
    ``disp`` option's); ``workers``: a map-like callable, a number of
    processes (> 1), or None (the calling thread), as scipy takes it.
    """

    abs_step: object = None
    rel_step: object = None
    hstep: float = 0.0
    return_all: bool = False
    hess_inv0: object = None
    disp: object = None
    workers: object = None

    @property
    def python_only(self):
        """Whether the call needs the Python driver."""
        return (self.abs_step is not None or self.rel_step is not None or self.return_all
                or self.hess_inv0 is not None or bool(self.disp) or self.workers is not None)


@contextlib.contextmanager
def mapper(workers):
    """The map-like callable ``workers`` stands for, for one solve: itself,
    or the ``map`` of a process pool closed after it (None: None)."""
    if workers is None or callable(workers):
        yield workers
        return
    with multiprocessing.Pool(os.cpu_count() if workers == -1 else workers) as pool:
        yield pool.map


def _workers(value):
    """scipy's ``workers``: a map-like callable, or an int (1: serial, -1: every CPU)."""
    if callable(value):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"option 'workers' must be a map-like callable or an int, "
                        f"got {type(value).__name__}")
    count = validate.integer("option 'workers'", value, -1)
    if count == 0:
        raise ValueError("option 'workers' must be a map-like callable, -1 or a positive "
                         "int, got 0")
    return None if count == 1 else count


NONE = DriverOptions()


def _steps(name, value, n):
    """A positive step, or (n,) positive steps, as float64."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return validate.in_interval(f"option {name!r}", value, 0.0, np.inf)
    steps = np.array(value, dtype=np.float64)
    if steps.shape != (n,) or not (np.isfinite(steps).all() and (steps > 0).all()):
        raise ValueError(f"option {name!r} must be a positive number or {n} positive "
                         f"numbers, got {value!r}")
    return steps


def _hess_inv0(value, n):
    """A symmetric positive definite (n, n) float64 copy, as scipy checks it."""
    H = np.array(value, dtype=np.float64)
    if H.shape != (n, n):
        raise ValueError(f"option 'hess_inv0' must have shape ({n}, {n}), got {H.shape}")
    if not np.isfinite(H).all() or not np.array_equal(H, H.T):
        raise ValueError("'hess_inv0' matrix isn't positive definite.")
    try:
        np.linalg.cholesky(H)
    except np.linalg.LinAlgError:
        raise ValueError("'hess_inv0' matrix isn't positive definite.") from None
    return H


def read(spec, options, n):
    """The row's driver options found in ``options`` (a dict or None), checked."""
    if not options or not spec.driver_options:
        return NONE
    given = {name: options[name] for name in spec.driver_options
             if options.get(name) is not None}
    if not given:
        return NONE
    eps = given.get("eps")
    rel = given.get("finite_diff_rel_step")
    newton_cg = spec.direction == codes.NEWTON_CG
    out = {}
    if eps is not None:
        if newton_cg:  # scipy's Newton-CG differences the gradient along p with it
            out["hstep"] = validate.in_interval("option 'eps'", eps, 0.0, np.inf)
        else:
            out["abs_step"] = _steps("eps", eps, n)
    if rel is not None:
        out["rel_step"] = _steps("finite_diff_rel_step", rel, n)
    if "return_all" in given:
        out["return_all"] = bool(given["return_all"])
    if "hess_inv0" in given:
        out["hess_inv0"] = _hess_inv0(given["hess_inv0"], n)
    if "workers" in given:
        out["workers"] = _workers(given["workers"])
    if "iprint" in given:
        # L-BFGS-B's levels: < 0 silent, 0..98 a summary and some rows, >= 99 every row.
        level = validate.integer("option 'iprint'", given["iprint"], -(2**62))
        out["disp"] = 0 if level < 0 else (2 if level >= 99 else 1)
    return DriverOptions(**out)
