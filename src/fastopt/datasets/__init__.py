"""The NIST StRD nonlinear regression datasets, shipped with the package.

The 27 datasets of the NIST Statistical Reference Datasets (StRD) for
nonlinear least squares regression are stored verbatim, as the text files NIST
distributes, in ``fastopt/datasets/nist/*.dat``; they load offline.  Each file
gives the data, the model, two starting points and the certified solution
(parameter values and their standard deviations, residual sum of squares,
residual standard deviation, degrees of freedom), computed by NIST to about
11 significant digits.

Source: NIST Information Technology Laboratory, Statistical Reference
Datasets, Nonlinear Regression,
https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml

The files are parsed when first loaded (and the result cached).  The models
are hand-written transcriptions of the formula in each file's header,
compiled with numba.

Two datasets need care:

* ``Nelson`` has two predictors (``x`` has shape ``(nobs, 2)``) and its
  model predicts ``log(y)``; `NistProblem.residuals` compares with
  ``log(y)``.
* ``Lanczos1``'s certified residual sum of squares, 1.4e-25, is far below
  what the certified parameters, rounded to 11 digits as printed, give
  (about 4e-21): there the residuals (~1e-13) are smaller than the effect of
  that rounding.  Every other dataset reproduces its certified RSS at the
  printed parameters to about 1e-10.

Rat43.dat misprints its degrees of freedom (9 for 11); `load_nist` corrects
this (see `NistProblem`).

Examples
--------
>>> import numpy as np
>>> from fastopt.datasets import load_nist, nist_names
>>> len(nist_names()), nist_names()[:3]
(27, ('Chwirut1', 'Chwirut2', 'DanWood'))
>>> p = load_nist("misra1a")
>>> p.name, p.difficulty, p.nparams, p.x.shape, p.dof
('Misra1a', 'lower', 2, (14,), 12)
>>> p.formula
'y = b1*(1-exp[-b2*x])  +  e'
>>> p.certified
array([2.38942129e+02, 5.50156432e-04])
>>> rss = np.sum(p.residuals(p.certified) ** 2)
>>> bool(np.isclose(rss, p.residual_sum_of_squares, rtol=1e-9))
True
"""
from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from numba import njit

__all__ = ["NistProblem", "load_nist", "nist_names"]

# NIST's order of difficulty (the "Level of Difficulty" line of each file),
# alphabetical within a level.  tests/test_datasets.py checks it against the
# files.
_NAMES = (
    # lower
    "Chwirut1", "Chwirut2", "DanWood", "Gauss1", "Gauss2", "Lanczos3",
    "Misra1a", "Misra1b",
    # average
    "ENSO", "Gauss3", "Hahn1", "Kirby2", "Lanczos1", "Lanczos2", "MGH17",
    "Misra1c", "Misra1d", "Nelson", "Roszman1",
    # higher
    "Bennett5", "BoxBOD", "Eckerle4", "MGH09", "MGH10", "Rat42", "Rat43",
    "Thurber",
)
_BY_LOWER = {n.lower(): n for n in _NAMES}

# The value of pi NIST states for Roszman1 (and uses in ENSO); it rounds to
# the double nearest pi, math.pi.
_PI = 3.141592653589793238462643383279


# ---------------------------------------------------------------------------
# Models: y = f(x, b), each transcribing the formula printed in the file.
# Datasets whose files print the same formula share one function.
# ---------------------------------------------------------------------------

@njit(cache=True)
def _misra1a(x, b):
    # Misra1a, BoxBOD: y = b1*(1-exp[-b2*x])
    return b[0] * (1.0 - np.exp(-b[1] * x))


@njit(cache=True)
def _chwirut(x, b):
    # Chwirut1, Chwirut2: y = exp[-b1*x]/(b2+b3*x)
    return np.exp(-b[0] * x) / (b[1] + b[2] * x)


@njit(cache=True)
def _danwood(x, b):
    # DanWood: y = b1*x**b2
    return b[0] * x ** b[1]


@njit(cache=True)
def _gauss(x, b):
    # Gauss1, Gauss2, Gauss3:
    # y = b1*exp( -b2*x ) + b3*exp( -(x-b4)**2 / b5**2 )
    #                     + b6*exp( -(x-b7)**2 / b8**2 )
    return (b[0] * np.exp(-b[1] * x)
            + b[2] * np.exp(-(x - b[3]) ** 2 / b[4] ** 2)
            + b[5] * np.exp(-(x - b[6]) ** 2 / b[7] ** 2))


@njit(cache=True)
def _lanczos(x, b):
    # Lanczos1, Lanczos2, Lanczos3:
    # y = b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)
    return (b[0] * np.exp(-b[1] * x) + b[2] * np.exp(-b[3] * x)
            + b[4] * np.exp(-b[5] * x))


@njit(cache=True)
def _misra1b(x, b):
    # Misra1b: y = b1 * (1-(1+b2*x/2)**(-2))
    return b[0] * (1.0 - (1.0 + b[1] * x / 2.0) ** (-2.0))


@njit(cache=True)
def _misra1c(x, b):
    # Misra1c: y = b1 * (1-(1+2*b2*x)**(-.5))
    return b[0] * (1.0 - (1.0 + 2.0 * b[1] * x) ** (-0.5))


@njit(cache=True)
def _misra1d(x, b):
    # Misra1d: y = b1*b2*x*((1+b2*x)**(-1))
    return b[0] * b[1] * x * ((1.0 + b[1] * x) ** (-1.0))


@njit(cache=True)
def _enso(x, b):
    # ENSO: y = b1 + b2*cos( 2*pi*x/12 ) + b3*sin( 2*pi*x/12 )
    #              + b5*cos( 2*pi*x/b4 ) + b6*sin( 2*pi*x/b4 )
    #              + b8*cos( 2*pi*x/b7 ) + b9*sin( 2*pi*x/b7 )
    pi = _PI
    return (b[0] + b[1] * np.cos(2.0 * pi * x / 12.0) + b[2] * np.sin(2.0 * pi * x / 12.0)
            + b[4] * np.cos(2.0 * pi * x / b[3]) + b[5] * np.sin(2.0 * pi * x / b[3])
            + b[7] * np.cos(2.0 * pi * x / b[6]) + b[8] * np.sin(2.0 * pi * x / b[6]))


@njit(cache=True)
def _cubic_cubic(x, b):
    # Hahn1, Thurber: y = (b1+b2*x+b3*x**2+b4*x**3) / (1+b5*x+b6*x**2+b7*x**3)
    return ((b[0] + b[1] * x + b[2] * x ** 2 + b[3] * x ** 3)
            / (1.0 + b[4] * x + b[5] * x ** 2 + b[6] * x ** 3))


@njit(cache=True)
def _kirby2(x, b):
    # Kirby2: y = (b1 + b2*x + b3*x**2) / (1 + b4*x + b5*x**2)
    return (b[0] + b[1] * x + b[2] * x ** 2) / (1.0 + b[3] * x + b[4] * x ** 2)


@njit(cache=True)
def _mgh17(x, b):
    # MGH17: y = b1 + b2*exp[-x*b4] + b3*exp[-x*b5]
    return b[0] + b[1] * np.exp(-x * b[3]) + b[2] * np.exp(-x * b[4])


@njit(cache=True)
def _nelson(x, b):
    # Nelson: log[y] = b1 - b2*x1 * exp[-b3*x2]; x[:, 0] is x1, x[:, 1] is x2.
    # Returns the prediction of log(y).
    return b[0] - b[1] * x[:, 0] * np.exp(-b[2] * x[:, 1])


@njit(cache=True)
def _roszman1(x, b):
    # Roszman1: y = b1 - b2*x - arctan[b3/(x-b4)]/pi,
    # pi = 3.141592653589793238462643383279E0
    return b[0] - b[1] * x - np.arctan(b[2] / (x - b[3])) / _PI


@njit(cache=True)
def _bennett5(x, b):
    # Bennett5: y = b1 * (b2+x)**(-1/b3)
    return b[0] * (b[1] + x) ** (-1.0 / b[2])


@njit(cache=True)
def _eckerle4(x, b):
    # Eckerle4: y = (b1/b2) * exp[-0.5*((x-b3)/b2)**2]
    return (b[0] / b[1]) * np.exp(-0.5 * ((x - b[2]) / b[1]) ** 2)


@njit(cache=True)
def _mgh09(x, b):
    # MGH09: y = b1*(x**2+x*b2) / (x**2+x*b3+b4)
    return b[0] * (x ** 2 + x * b[1]) / (x ** 2 + x * b[2] + b[3])


@njit(cache=True)
def _mgh10(x, b):
    # MGH10: y = b1 * exp[b2/(x+b3)]
    return b[0] * np.exp(b[1] / (x + b[2]))


@njit(cache=True)
def _rat42(x, b):
    # Rat42: y = b1 / (1+exp[b2-b3*x])
    return b[0] / (1.0 + np.exp(b[1] - b[2] * x))


@njit(cache=True)
def _rat43(x, b):
    # Rat43: y = b1 / ((1+exp[b2-b3*x])**(1/b4))
    return b[0] / ((1.0 + np.exp(b[1] - b[2] * x)) ** (1.0 / b[3]))


_MODELS = {
    "Chwirut1": _chwirut, "Chwirut2": _chwirut, "DanWood": _danwood,
    "Gauss1": _gauss, "Gauss2": _gauss, "Gauss3": _gauss,
    "Lanczos1": _lanczos, "Lanczos2": _lanczos, "Lanczos3": _lanczos,
    "Misra1a": _misra1a, "Misra1b": _misra1b, "Misra1c": _misra1c,
    "Misra1d": _misra1d, "ENSO": _enso, "Hahn1": _cubic_cubic,
    "Kirby2": _kirby2, "MGH17": _mgh17, "Nelson": _nelson,
    "Roszman1": _roszman1, "Bennett5": _bennett5, "BoxBOD": _misra1a,
    "Eckerle4": _eckerle4, "MGH09": _mgh09, "MGH10": _mgh10,
    "Rat42": _rat42, "Rat43": _rat43, "Thurber": _cubic_cubic,
}

# Datasets whose model predicts log(y) rather than y.
_LOG_RESPONSE = frozenset({"Nelson"})

# Misprints in NIST's files, corrected on loading: {name: (field, printed)}.
# Rat43.dat prints "Degrees of Freedom: 9", but 15 observations and 4
# parameters leave 11, and NIST's own certified residual standard deviation,
# 2.8262414662E+01, is sqrt(8.7864049080E+03 / 11) to all 11 printed digits
# (sqrt(RSS / 9) would be 3.1245275035E+01).
_ERRATA = {"Rat43": ("dof", 9)}


# ---------------------------------------------------------------------------
# The problem object
# ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class NistProblem:
    """One NIST StRD nonlinear regression problem.

    Instances are returned by `load_nist`, which caches them: the arrays are
    read-only and shared between calls.  Equality and hashing are by
    identity.

    Attributes
    ----------
    name : str
        NIST's name of the dataset, e.g. ``'Misra1a'``.
    x : ndarray of float64, shape (nobs,)
        The predictor column.  For ``'Nelson'``, the only dataset with two
        predictors, shape ``(nobs, 2)`` with columns ``x1`` (time) and ``x2``
        (temperature).
    y : ndarray of float64, shape (nobs,)
        The response column as printed in the file.  For ``'Nelson'`` the
        model predicts ``log(y)``, not ``y`` (see `residuals`).
    start1, start2 : ndarray of float64, shape (nparams,)
        NIST's two starting points ("Start 1" is the farther from the
        solution).
    certified : ndarray of float64, shape (nparams,)
        The certified parameter values.
    certified_sd : ndarray of float64, shape (nparams,)
        Their certified standard deviations.
    residual_sum_of_squares : float
        Certified residual sum of squares at `certified`.
    residual_sd : float
        Certified residual standard deviation, ``sqrt(RSS / dof)``.
    dof : int
        Degrees of freedom, ``nobs - nparams``.  (For ``'Rat43'`` this is
        11, not the 9 misprinted in NIST's file; NIST's certified residual
        standard deviation is the one for 11.)
    difficulty : {'lower', 'average', 'higher'}
        NIST's level of difficulty.
    formula : str
        The model as printed in the file's header, e.g.
        ``'y = b1 * (b2+x)**(-1/b3)  +  e'``; a formula printed on several
        lines is joined into one with single spaces.
    model : callable
        ``model(x, b) -> ndarray``, a numba-compiled function
        (``@njit(cache=True)``) of the predictor array `x` and the
        float64 parameter array `b`, returning a new float64 array of shape
        ``(nobs,)``: the model's prediction of `y` (of ``log(y)`` for
        ``'Nelson'``).
    log_response : bool
        True when the model predicts ``log(y)`` (only ``'Nelson'``, whose
        model NIST writes ``log[y] = b1 - b2*x1 * exp[-b3*x2]  +  e``).
    """

    name: str
    x: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    start1: np.ndarray
    start2: np.ndarray
    certified: np.ndarray
    certified_sd: np.ndarray
    residual_sum_of_squares: float
    residual_sd: float
    dof: int
    difficulty: str
    formula: str
    model: Callable = field(repr=False)
    log_response: bool = False

    @property
    def nparams(self) -> int:
        """Number of model parameters."""
        return len(self.certified)

    @property
    def nobs(self) -> int:
        """Number of observations."""
        return len(self.y)

    def residuals(self, b):
        """Residuals of the model at the parameters `b`.

        Parameters
        ----------
        b : array_like of float, shape (nparams,)
            Model parameters.

        Returns
        -------
        ndarray of float64, shape (nobs,)
            ``model(x, b) - y``; for ``'Nelson'`` (``log_response``),
            ``model(x, b) - log(y)``, since NIST fits ``log(y)`` there.
            NIST's residual sum of squares is ``sum(residuals(b)**2)``.
        """
        b = np.ascontiguousarray(b, dtype=np.float64)
        if b.shape != (self.nparams,):
            raise ValueError(f"{self.name} has {self.nparams} parameters, "
                             f"got b of shape {b.shape}")
        target = np.log(self.y) if self.log_response else self.y
        return self.model(self.x, b) - target


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------

_PARAM_LINE = re.compile(r"^\s*b(\d+)\s*=(.*)$")
_DIFFICULTY = re.compile(r"\b(Lower|Average|Higher)\s+Level\s+of\s+Difficulty", re.I)
_NPARAMS = re.compile(r"^\s*(\d+)\s+Parameters\b")
_DATA_LINES = re.compile(r"^\s*Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)")


def _header_value(lines, label):
    for line in lines:
        if line.startswith(label):
            return line[len(label):].strip()
    raise ValueError(f"no line starting with {label!r}")


def _parse(text, name):
    """Parse the text of one StRD nonlinear regression file into a dict."""
    lines = text.splitlines()

    # The last line starting with "Data:" heads the data columns.
    data_heads = [i for i, line in enumerate(lines) if line.startswith("Data:")]
    head_end = data_heads[-1]
    header = lines[:head_end]
    columns = lines[head_end].split()[1:]

    start1, start2, cert, cert_sd = [], [], [], []
    for line in header:
        m = _PARAM_LINE.match(line)
        if m:
            if int(m.group(1)) != len(cert) + 1:
                raise ValueError(f"{name}: parameters out of order at {line!r}")
            values = [float(v) for v in m.group(2).split()]
            if len(values) != 4:
                raise ValueError(f"{name}: expected 4 numbers in {line!r}")
            for lst, v in zip((start1, start2, cert, cert_sd), values):
                lst.append(v)

    nparams_line = [int(m.group(1)) for m in map(_NPARAMS.match, header) if m]
    if nparams_line != [len(cert)]:
        raise ValueError(f"{name}: parameter count {nparams_line} != {len(cert)}")

    difficulty = [m.group(1).lower() for m in map(_DIFFICULTY.search, header) if m]
    if len(difficulty) != 1:
        raise ValueError(f"{name}: no unique level of difficulty")

    # The formula: the lines from the one holding "=" (after the parameter
    # count; Roszman1 first states pi = ...) to the next blank line.
    i = next(i for i, line in enumerate(header) if _NPARAMS.match(line)) + 1
    while not header[i].strip() or header[i].strip().startswith("pi ="):
        i += 1
    formula = []
    while header[i].strip():
        formula.append(header[i].strip())
        i += 1
    formula = " ".join(formula)

    rss = float(_header_value(header, "Residual Sum of Squares:"))
    rsd = float(_header_value(header, "Residual Standard Deviation:"))
    dof = int(_header_value(header, "Degrees of Freedom:"))
    nobs = int(_header_value(header, "Number of Observations:"))

    rows = [line.split() for line in lines[head_end + 1:] if line.strip()]
    data = np.array(rows, dtype=np.float64)
    if data.shape != (nobs, len(columns)):
        raise ValueError(f"{name}: data of shape {data.shape}, expected "
                         f"({nobs}, {len(columns)})")
    # Cross-check with the line numbers the file states for its data.
    span = [m for m in map(_DATA_LINES.match, header) if m]
    if span and int(span[0].group(2)) - int(span[0].group(1)) + 1 != nobs:
        raise ValueError(f"{name}: data line span disagrees with {nobs} observations")

    if dof != nobs - len(cert):
        if _ERRATA.get(name) != ("dof", dof):
            raise ValueError(f"{name}: {dof} degrees of freedom stated, but "
                             f"{nobs} observations and {len(cert)} parameters")
        dof = nobs - len(cert)

    y = data[:, 0]
    x = data[:, 1] if data.shape[1] == 2 else data[:, 1:]
    return dict(
        x=np.ascontiguousarray(x), y=np.ascontiguousarray(y),
        start1=np.array(start1), start2=np.array(start2),
        certified=np.array(cert), certified_sd=np.array(cert_sd),
        residual_sum_of_squares=rss, residual_sd=rsd, dof=dof,
        difficulty=difficulty[0], formula=formula,
    )


@functools.lru_cache(maxsize=None)
def _load(name):
    path = importlib.resources.files(__name__).joinpath("nist", f"{name}.dat")
    fields = _parse(path.read_text(encoding="ascii"), name)
    for value in fields.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return NistProblem(name=name, model=_MODELS[name],
                       log_response=name in _LOG_RESPONSE, **fields)


def nist_names():
    """Names of the 27 NIST StRD nonlinear regression datasets.

    Returns
    -------
    tuple of str
        In NIST's order of difficulty (lower, average, higher), alphabetical
        within a level.

    Examples
    --------
    >>> from fastopt.datasets import nist_names
    >>> nist_names()[-3:]
    ('Rat42', 'Rat43', 'Thurber')
    """
    return _NAMES


def load_nist(name):
    """Load one NIST StRD nonlinear regression dataset.

    Parameters
    ----------
    name : str
        The dataset's name, any case (``'Misra1a'``, ``'misra1a'``...); see
        `nist_names`.

    Returns
    -------
    NistProblem
        Data, model, starting points and certified results.  The same
        (immutable, read-only) object is returned for the same dataset.

    Raises
    ------
    ValueError
        If `name` is not one of `nist_names`.

    Notes
    -----
    For ``'Nelson'`` the model predicts ``log(y)``: `NistProblem.y` is the
    response as printed, and `NistProblem.residuals` compares the model with
    ``log(y)``.  ``'Nelson'``'s `NistProblem.x` has two columns.

    Examples
    --------
    >>> from fastopt.datasets import load_nist
    >>> p = load_nist("Thurber")
    >>> p.nparams, p.nobs, p.difficulty
    (7, 37, 'higher')
    >>> p.model(p.x, p.start1).shape
    (37,)
    """
    key = name.lower() if isinstance(name, str) else None
    if key not in _BY_LOWER:
        raise ValueError(f"unknown NIST dataset {name!r}; valid names are: "
                         + ", ".join(_NAMES))
    return _load(_BY_LOWER[key])
