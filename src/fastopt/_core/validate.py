"""Input checks at the public boundary: one home for every family.

Each check returns the value in the form the loops take (a float64 copy, a
Python ``int`` or ``float``) or raises naming the argument: ``TypeError``
for a value of the wrong kind, ``ValueError`` for one of the right kind out
of range.  Nothing here modifies its input.
"""
import math
import numbers

import numpy as np
from scipy.optimize import Bounds

#: Ranges of the methods' real hyperparameters and options, by name:
#: (low, high, low_inclusive, high_inclusive).
OPTION_RANGES = {
    "lr": (0.0, math.inf, False, False),
    "momentum": (0.0, 1.0, True, False),
    "beta": (0.0, 1.0, True, False),
    "beta1": (0.0, 1.0, True, False),
    "beta2": (0.0, 1.0, True, False),
    "rho": (0.0, 1.0, True, False),
    "eps": (0.0, math.inf, False, False),  # every rule divides by it (0/0 at g = 0)
    "c1": (0.0, 1.0, False, False),
    "c2": (0.0, 1.0, False, False),
    "ftol": (0.0, math.inf, True, False),
    "xtol": (0.0, math.inf, True, False),
    "xrtol": (0.0, math.inf, True, False),
}
#: Options that are counts, with their least allowed value.
INTEGER_OPTIONS = {"maxcor": 1, "maxls": 1, "maxfun": 0}


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


def real(name, value):
    """A finite real number, as a Python float."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(name, value):
    """A finite real number > 0."""
    value = real(name, value)
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def in_interval(name, value, low, high, low_in=False, high_in=False, why=""):
    """A finite real number in the interval from ``low`` to ``high`` (each
    end open unless ``low_in``/``high_in``); ``why`` ends the message."""
    value = real(name, value)
    ok = ((value > low or (low_in and value == low))
          and (value < high or (high_in and value == high)))
    if not ok:
        lo, hi = "[" if low_in else "(", "]" if high_in else ")"
        raise ValueError(f"{name} must be in {lo}{low:g}, {high:g}{hi}{why}, got {value!r}")
    return value


def tolerance(name, value):
    """A non-negative number (inf allowed: a test switched off)."""
    if _is_bool(value) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def integer(name, value, low):
    """An integer >= ``low``, as a Python int (bools refused)."""
    if type(value) is int and value >= low:  # the common case, quickly
        return value
    if _is_bool(value) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def count(name, value):
    """An iteration or evaluation limit as scipy's loops read one (``k < limit``):
    a float counts up to its ceiling, a negative limit is 0 (the run stops
    at once); a Python int (bools and non-numbers refused)."""
    if type(value) is int:
        return max(value, 0)
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if value != value:
        raise ValueError(f"{name} must be a number, got nan")
    return max(math.ceil(value), 0) if math.isfinite(value) else (0 if value < 0 else 2**62)


def option(name, value):
    """A method's option or hyperparameter, checked against ``OPTION_RANGES``
    (``INTEGER_OPTIONS`` for counts); returned as a float."""
    label = f"option {name!r}"
    if name in INTEGER_OPTIONS:
        return float(integer(label, value, INTEGER_OPTIONS[name]))
    if name == "norm":  # the order of a vector norm, as numpy takes it
        if _is_bool(value) or not isinstance(value, numbers.Real) or value != value \
                or value == 0:
            raise ValueError(f"{label} must be a non-zero number or +-inf, got {value!r}")
        return float(value)
    return in_interval(label, value, *OPTION_RANGES[name])


def start_vector(name, value):
    """A float64 copy of the starting point ``value``: real, 1-D (a scalar is
    taken as shape (1,), as scipy does), non-empty, finite."""
    if type(value) is np.ndarray and value.dtype == np.float64 and value.ndim == 1 \
            and value.size:
        # The common case, checked in a fraction of the general path's time
        # (a small solve's whole budget is microseconds): a few entries one by
        # one, more by one sum of squares, finite only if they all are (the
        # full test runs only otherwise, as when squares overflow).
        if (all(map(math.isfinite, value.tolist())) if value.size <= 8 else
                math.isfinite(value.dot(value)) or np.isfinite(value).all()):
            return value.copy()
        raise ValueError(f"{name} must be finite (it contains NaN or inf)")
    if np.iscomplexobj(value):
        raise TypeError(f"{name} must be real, got complex values")
    try:
        if value is None:
            raise TypeError
        x = np.array(value, dtype=np.float64, ndmin=1)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of real numbers, "
                        f"got {type(value).__name__}") from None
    if x.ndim != 1:  # scipy's words
        raise ValueError(f"'{name}' must only have one dimension, got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} must be a non-empty array")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite (it contains NaN or inf)")
    return x


def real_scalar(value, who):
    """What a user's function returned, as a Python float, or an error naming ``who``."""
    if type(value) is float:
        return value
    if np.ndim(value) != 0:
        if np.size(value) != 1:  # size-1 arrays are scipy's scalars too
            raise ValueError(f"The user-provided objective function must return a scalar "
                             f"value: {who} returned an array of shape {np.shape(value)}")
        value = np.asarray(value).item()
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{who} must return a real number, got {type(value).__name__}") from None


def function(name, value):
    """A callable."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def real_array(name, a):
    """``a`` (an ndarray, not complex) as numbers: booleans, integers and
    floats pass, an object array is converted, strings are refused."""
    if a.dtype.kind in "biuf":
        return a
    if a.dtype.kind == "O":
        try:
            return a.astype(np.float64)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be an array of real numbers, got dtype {a.dtype}")


def unbounded(bounds):
    """Whether ``bounds`` in least_squares' forms (a ``(lb, ub)`` pair of
    scalars or arrays, or a ``Bounds``) leave every variable free.  Malformed
    bounds count as bounded: the solver that takes them says what is wrong."""
    if isinstance(bounds, Bounds):
        bounds = (bounds.lb, bounds.ub)
    try:
        lb, ub = bounds
        return bool(np.all(np.asarray(lb, dtype=float) == -np.inf)
                    and np.all(np.asarray(ub, dtype=float) == np.inf))
    except (TypeError, ValueError):
        return False
