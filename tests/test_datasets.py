"""fastopt.datasets: the NIST StRD nonlinear regression datasets and models.

The checks here are independent of the loader where they can be: header
counts are read from the files with their own regular expressions, and the
numba models are compared with NumPy transcriptions written here.
"""
import importlib.resources
import re

import numpy as np
import pytest

from fastopt.datasets import NistProblem, load_nist, nist_names

NAMES = nist_names()
EPS = np.finfo(np.float64).eps


def _text(name):
    return importlib.resources.files("fastopt.datasets").joinpath(
        "nist", f"{name}.dat").read_text()


def _stated(name, label):
    """The number after `label` in the file's header."""
    m = re.search(r"^" + re.escape(label) + r"\s*(\S+)", _text(name), re.M)
    return float(m.group(1))


def _half_units(name):
    """Half a unit in the last printed digit of each certified value.

    NIST prints the certified parameters rounded to 11 significant digits,
    e.g. 9.5100000027E-02; the exact solution lies within these of them.
    """
    out = []
    for m in re.finditer(r"^\s*b\d+\s*=\s*\S+\s+\S+\s+(\S+)", _text(name), re.M):
        mantissa, exponent = m.group(1).upper().split("E")
        decimals = len(mantissa.split(".")[1])
        out.append(0.5 * 10.0 ** (int(exponent) - decimals))
    return np.array(out)


def test_names():
    assert len(NAMES) == 27 == len(set(NAMES))
    shipped = {p.name[:-4] for p in importlib.resources.files(
        "fastopt.datasets").joinpath("nist").iterdir() if p.name.endswith(".dat")}
    assert shipped == set(NAMES)
    # NIST's order of difficulty, alphabetical within a level, as the files say.
    level = {}
    for name in NAMES:
        m = re.search(r"(Lower|Average|Higher) Level of Difficulty", _text(name))
        level[name] = m.group(1)
    rank = {"Lower": 0, "Average": 1, "Higher": 2}
    assert list(NAMES) == sorted(NAMES, key=lambda n: (rank[level[n]], n))
    assert [n for n in NAMES if level[n] == "Lower"] == [
        "Chwirut1", "Chwirut2", "DanWood", "Gauss1", "Gauss2", "Lanczos3",
        "Misra1a", "Misra1b"]
    assert all(load_nist(n).difficulty == level[n].lower() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_shapes(name):
    p = load_nist(name)
    assert isinstance(p, NistProblem) and p.name == name
    nobs = int(_stated(name, "Number of Observations:"))
    nparams = int(re.search(r"(\d+) Parameters", _text(name)).group(1))
    assert p.x.dtype == p.y.dtype == np.float64
    assert len(p.x) == len(p.y) == p.nobs == nobs
    assert p.y.shape == (nobs,)
    assert p.x.shape == ((nobs, 2) if name == "Nelson" else (nobs,))
    assert p.nparams == nparams
    for b in (p.start1, p.start2, p.certified, p.certified_sd):
        assert b.dtype == np.float64 and b.shape == (nparams,)
    assert np.all(p.certified_sd > 0)
    assert isinstance(p.dof, int) and p.dof == nobs - nparams
    assert p.residual_sum_of_squares == _stated(name, "Residual Sum of Squares:")
    assert p.residual_sd == _stated(name, "Residual Standard Deviation:")
    assert p.difficulty in ("lower", "average", "higher")
    assert p.formula.startswith("log[y] =" if name == "Nelson" else "y")
    assert p.formula.endswith("e") and "b1" in p.formula
    out = p.model(p.x, p.start1)
    assert out.dtype == np.float64 and out.shape == (nobs,)
    # Shared, cached and immutable.
    assert load_nist(name.upper()) is p
    assert not p.x.flags.writeable and not p.certified.flags.writeable


def test_certified_sd_consistent_with_rss():
    """NIST's two certified numbers agree: RSD = sqrt(RSS / dof).

    Both are printed to 11 digits.  This is what shows Rat43.dat's
    "Degrees of Freedom: 9" to be a misprint (15 observations - 4 parameters
    = 11, and only 11 reproduces the certified RSD); the loader gives 11.
    """
    # Each printed value is rounded to 11 digits (5e-11 relative at most;
    # the square root halves the RSS's), so they agree to 7.5e-11.
    for name in NAMES:
        p = load_nist(name)
        rsd = np.sqrt(p.residual_sum_of_squares / p.dof)
        assert rsd == pytest.approx(p.residual_sd, rel=1e-10), name
    assert _stated("Rat43", "Degrees of Freedom:") == 9
    assert load_nist("Rat43").dof == 11


# Lanczos1 is excluded from the 1e-6 check below (see the tests after it).
WELL_RESOLVED = [n for n in NAMES if n != "Lanczos1"]


@pytest.mark.parametrize("name", WELL_RESOLVED)
def test_certified_rss(name):
    # At the certified parameters (11 digits) these reproduce NIST's RSS to
    # about 1e-10 relative, the precision of the printed values; 1e-6 is the
    # required agreement.
    p = load_nist(name)
    r = p.residuals(p.certified)
    rss = float(r @ r)
    assert rss == pytest.approx(p.residual_sum_of_squares, rel=1e-6)
    assert np.sqrt(rss / p.dof) == pytest.approx(p.residual_sd, rel=1e-6)


# Lanczos1: data generated from an exact model and printed to 13 digits, so
# NIST's certified RSS is 1.43e-25 (residuals ~1e-13).  Two limits apply, and
# each test below uses the tolerance derived from its limit:
#
# * At the certified parameters, rounded to 11 digits, the model moves by up to
#   ||J|.|delta|| ~ 1e-10 per point, far more than the residuals; the RSS there
#   is ~4e-21, 2.8e4 times the certified value, and only the rounding bound
#   can be checked (test_lanczos1_rss_at_certified).
# * At the least-squares solution consistent with the printed certificate (a
#   Gauss-Newton refinement that stays within half a unit of every printed
#   digit), the RSS is limited by float64 evaluation of residuals of ~1e-13
#   from terms of ~1: the worst-case bound below allows 5e-2 relative; we get
#   1.0e-3
#   (test_lanczos1_rss_at_solution).

def _lanczos_terms(x, b):
    return np.stack([b[0] * np.exp(-b[1] * x), b[2] * np.exp(-b[3] * x),
                     b[4] * np.exp(-b[5] * x)])


def _lanczos_jacobian(x, b):
    J = np.empty((len(x), 6))
    for k in range(3):
        e = np.exp(-b[2 * k + 1] * x)
        J[:, 2 * k] = e
        J[:, 2 * k + 1] = -b[2 * k] * x * e
    return J


def _lanczos_eval_error(p, b):
    """Bound on the float64 error of each residual model(x, b) - y.

    Each term b_i*exp(-b_j*x) carries <= 1 ulp from exp, 1 from the product
    and an argument error of 1 ulp of |b_j*x| (amplified by exp to that
    relative error); the sums and the subtraction of y add 3 more roundings.
    Counting every rounding as a full eps (twice the unit roundoff):
    eps*((3 + |b_j x|)*|term| summed, + 3*(|sum of terms| + |y|)).
    """
    terms = _lanczos_terms(p.x, b)
    rates = np.abs(np.stack([b[1] * p.x, b[3] * p.x, b[5] * p.x]))
    per_term = ((3 + rates) * np.abs(terms)).sum(axis=0)
    return EPS * (per_term + 3 * (np.abs(terms.sum(axis=0)) + np.abs(p.y)))


def test_lanczos1_rss_at_certified():
    p = load_nist("Lanczos1")
    b = p.certified
    rss = float(p.residuals(b) @ p.residuals(b))
    # ||r(b_cert)|| <= ||r(b*)|| + || |J| |delta| || + evaluation error, to
    # first order in the rounding delta (second order is ~1e-20 relative).
    shift = np.linalg.norm(np.abs(_lanczos_jacobian(p.x, b)) @ _half_units("Lanczos1"))
    err = np.linalg.norm(_lanczos_eval_error(p, b))
    root = np.sqrt(p.residual_sum_of_squares)
    assert rss <= (root + shift + err) ** 2
    # And the certified RSS is the minimum, so not (much) above this RSS.
    assert rss >= (root - err) ** 2
    # Where the rounding leaves the RSS: over 1e3 times the certified value.
    assert rss > 1e3 * p.residual_sum_of_squares


def test_lanczos1_rss_at_solution():
    p = load_nist("Lanczos1")
    b = p.certified.copy()
    for _ in range(3):
        b = b + np.linalg.lstsq(_lanczos_jacobian(p.x, b), -p.residuals(b), rcond=None)[0]
    # The refined solution agrees with NIST's to all the printed digits.
    assert np.all(np.abs(b - p.certified) <= _half_units("Lanczos1"))
    r = p.residuals(b)
    rss = float(r @ r)
    # | ||r~|| - ||r|| | <= ||err||, so the relative RSS tolerance is
    # (1 + ||err|| / ||r||)^2 - 1 (4.9e-2).
    rel = (1 + np.linalg.norm(_lanczos_eval_error(p, b))
           / np.sqrt(p.residual_sum_of_squares)) ** 2 - 1
    assert rel < 0.1
    assert rss == pytest.approx(p.residual_sum_of_squares, rel=rel)
    assert np.sqrt(rss / p.dof) == pytest.approx(p.residual_sd, rel=np.sqrt(1 + rel) - 1)


# Plain NumPy transcriptions of the formulas in the files' headers.
REFERENCE = {
    # y = b1*(1-exp[-b2*x])
    "Misra1a": lambda x, b: b[0] * (1 - np.exp(-b[1] * x)),
    # y = (b1 + b2*x + b3*x**2 + b4*x**3) / (1 + b5*x + b6*x**2 + b7*x**3)
    "Thurber": lambda x, b: ((b[0] + b[1] * x + b[2] * x**2 + b[3] * x**3)
                             / (1 + b[4] * x + b[5] * x**2 + b[6] * x**3)),
    # y = (b1/b2) * exp[-0.5*((x-b3)/b2)**2]
    "Eckerle4": lambda x, b: (b[0] / b[1]) * np.exp(-0.5 * ((x - b[2]) / b[1])**2),
    # y = b1*(x**2+x*b2) / (x**2+x*b3+b4)
    "MGH09": lambda x, b: b[0] * (x**2 + x * b[1]) / (x**2 + x * b[2] + b[3]),
    # y = b1 + b2*cos( 2*pi*x/12 ) + b3*sin( 2*pi*x/12 )
    #   + b5*cos( 2*pi*x/b4 ) + b6*sin( 2*pi*x/b4 )
    #   + b8*cos( 2*pi*x/b7 ) + b9*sin( 2*pi*x/b7 )
    "ENSO": lambda x, b: (b[0] + b[1] * np.cos(2 * np.pi * x / 12) + b[2] * np.sin(2 * np.pi * x / 12)
                          + b[4] * np.cos(2 * np.pi * x / b[3]) + b[5] * np.sin(2 * np.pi * x / b[3])
                          + b[7] * np.cos(2 * np.pi * x / b[6]) + b[8] * np.sin(2 * np.pi * x / b[6])),
    # log[y] = b1 - b2*x1 * exp[-b3*x2]
    "Nelson": lambda x, b: b[0] - b[1] * x[:, 0] * np.exp(-b[2] * x[:, 1]),
    # y = b1 - b2*x - arctan[b3/(x-b4)]/pi
    "Roszman1": lambda x, b: b[0] - b[1] * x - np.arctan(b[2] / (x - b[3])) / np.pi,
    # y = b1 / ((1+exp[b2-b3*x])**(1/b4))
    "Rat43": lambda x, b: b[0] / ((1 + np.exp(b[1] - b[2] * x))**(1 / b[3])),
    # y = b1 * (b2+x)**(-1/b3)
    "Bennett5": lambda x, b: b[0] * (b[1] + x)**(-1 / b[2]),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_model_matches_numpy(name):
    p = load_nist(name)
    for b in (p.start1, p.certified):
        np.testing.assert_allclose(p.model(p.x, b), REFERENCE[name](p.x, b), rtol=1e-14)
    # Writable, non-read-only inputs give the same.
    np.testing.assert_array_equal(p.model(p.x.copy(), p.start1.copy()),
                                  p.model(p.x, p.start1))


def test_nelson_fits_log_y():
    p = load_nist("nelson")
    b = p.certified
    assert p.log_response
    assert p.y[0] == 15.0  # the raw column, as printed
    np.testing.assert_array_equal(p.residuals(b), p.model(p.x, b) - np.log(p.y))
    q = load_nist("Misra1a")
    assert not q.log_response
    np.testing.assert_array_equal(q.residuals(q.start2), q.model(q.x, q.start2) - q.y)


def test_residuals_accept_lists_and_check_length():
    p = load_nist("Misra1a")
    np.testing.assert_array_equal(p.residuals(list(p.start1)), p.residuals(p.start1))
    with pytest.raises(ValueError, match="2 parameters"):
        p.residuals([1.0, 2.0, 3.0])


@pytest.mark.parametrize("bad", ["Misra1e", "", "nist", None, 3])
def test_bad_name(bad):
    with pytest.raises(ValueError, match="Misra1a.*Thurber"):
        load_nist(bad)

