"""The NIST StRD certification table: fastopt's curve_fit beside scipy's.

Each of the 27 problems is fitted from both starts with default settings and
no Jacobian.  A fit passes with LRE >= 6 on every parameter and LRE >= 4 on
every standard deviation from ``pcov`` (Lanczos1's standard deviations are
exempt: its residuals are at float64 rounding, so ``s^2`` is noise), where
LRE = -log10(|b - b_cert| / |b_cert|) (McCullough 1999), capped at 15.

>>> from fastopt.datasets.certify import lre
>>> float(lre(1.0000001, 1.0)) > 6.9
True
"""
import warnings

import numpy as np

#: Digits required of every parameter and every standard deviation.
PARAMETER_DIGITS, SD_DIGITS = 6.0, 4.0


def lre(value, certified):
    """Log relative error, NIST's count of agreeing digits (15 when exact)."""
    value, certified = np.asarray(value, dtype=np.float64), np.asarray(certified)
    with np.errstate(divide="ignore", invalid="ignore"):
        digits = -np.log10(np.abs(value - certified) / np.abs(certified))
    digits = np.where(value == certified, 15.0, digits)
    return np.minimum(np.nan_to_num(digits, nan=0.0), 15.0)  # NaN: no digit agrees


def _fit(curve_fit, problem, start):
    """(min LRE of the parameters, min LRE of the SDs), or None if the fit failed."""
    y = np.log(problem.y) if problem.log_response else problem.y
    x = np.ascontiguousarray(problem.x)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            popt, pcov = curve_fit(lambda x, *b: problem.model(x, np.array(b)), x, y, start)
    except RuntimeError:
        return None
    sd = np.sqrt(np.abs(np.diag(pcov)))
    return float(lre(popt, problem.certified).min()), float(lre(sd, problem.certified_sd).min())


def table(with_scipy=True, out=print):
    """Fit all 54 cases, print one row each and the totals; return the rows.

    Each row is ``(name, start, fastopt, scipy)`` with ``(lre_params,
    lre_sd)`` or None (failed) for each library (scipy's None when
    ``with_scipy`` is False).
    """
    import scipy.optimize as so

    from .. import curve_fit
    from . import load_nist, nist_names

    def passes(name, result):
        return result is not None and result[0] >= PARAMETER_DIGITS and (
            name == "Lanczos1" or result[1] >= SD_DIGITS)

    def cell(name, result):
        if result is None:
            return f"{'failed':>15}"
        return f"{result[0]:6.1f} {result[1]:6.1f} {'ok' if passes(name, result) else '--':>2}"

    out(f"{'dataset':<10} {'start':>5} | {'fastopt: LRE b   sd':>21} | {'scipy: LRE b   sd':>19}")
    rows = []
    for name in nist_names():
        problem = load_nist(name)
        for start, x0 in ((1, problem.start1), (2, problem.start2)):
            ours = _fit(curve_fit, problem, x0)
            theirs = _fit(so.curve_fit, problem, x0) if with_scipy else None
            rows.append((name, start, ours, theirs))
            out(f"{name:<10} {start:>5} | {cell(name, ours):>21} | "
                f"{cell(name, theirs) if with_scipy else '':>19}")
    total = sum(passes(r[0], r[2]) for r in rows)
    line = f"certified (LRE >= {PARAMETER_DIGITS:g} on b, >= {SD_DIGITS:g} on sd): fastopt {total}/54"
    if with_scipy:
        line += f", scipy curve_fit {sum(passes(r[0], r[3]) for r in rows)}/54"
    out(line)
    return rows
