"""What every family of the held-out catalogue shares: the decorator and the record."""
import numba

from fastopt.testing.classic import Problem

__all__ = ["Problem", "jit", "problem"]

#: Every objective is compiled and cached (numba caches functions that live in a file).
jit = numba.njit(cache=True)


def problem(name, x0, fmins, fg, source):
    """A ``Problem`` record, the start and minima normalised to tuples of floats.

    The record type is the package's own (fields, ``reached``), so the
    held-out set and ``fastopt.testing.classic`` are read the same way.
    """
    x0 = tuple(float(v) for v in x0)
    return Problem(name, len(x0), x0, tuple(float(v) for v in fmins), fg, source)
