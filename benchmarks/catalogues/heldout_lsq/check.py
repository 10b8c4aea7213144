"""Verification of the held-out least-squares catalogue (see the package docstring).

    python -m benchmarks.catalogues.heldout_lsq.check

asserts every check listed under "Verification" and prints a summary.
"""
import numpy as np

from . import mgh
from .mgh import PROBLEMS

BY_NAME = {p.name: p for p in PROBLEMS}

# ||r(x0)|| printed by the MINPACK-1 drivers [566] (lmdif; hybrd for #3 and
# #26-#31, whose starts and residuals are MGH's), to seven digits.
_NORM0 = {
    "linear_full_rank_n5_m10": 5.000000, "linear_full_rank_n5_m50": 8.062258,
    "linear_rank1_n5_m10": 291.5219, "linear_rank1_zero_n5_m10": 126.0397,
    "rosenbrock": 4.919350, "helical_valley": 50.00000, "powell_singular": 14.66288,
    "freudenstein_roth": 20.01250, "bard": 6.456136, "kowalik_osborne": 0.07289151,
    "meyer": 41153.47, "watson_n6": 5.477226, "watson_n9": 5.477226, "watson_n12": 5.477226,
    "box_3d": 32.11158, "jennrich_sampson": 64.58565, "brown_dennis": 2815.438,
    "chebyquad_n8": 0.1965139, "chebyquad_n9": 0.1699499, "chebyquad_n10": 0.1837478,
    "brown_almost_linear_n10": 16.53022, "brown_almost_linear_n30": 83.47604,
    "brown_almost_linear_n40": 128.0264, "osborne1": 0.9375640, "osborne2": 1.446865,
    "powell_badly_scaled": 1.065487, "discrete_boundary_value_n10": 0.02808058,
    "discrete_integral_equation_n10": 0.2518270, "trigonometric_n10": 0.08411753,
    "broyden_tridiagonal_n10": 4.582576, "broyden_banded_n10": 18.97367,
}

# f at standard starts (and a few other points) asserted by gonum's tests
# ([GON], optimize/functions/functions_test.go), to about 15 digits.  Its
# variable-dimension tests use other sizes, checked at those sizes.
_F_GON = [
    (mgh._beale, (1.0, 1.0), 14.203125),
    (mgh._biggs_exp6, (1.0, 2.0, 1.0, 1.0, 1.0, 1.0), 0.77907007565597),
    (mgh._box_3d, (0.0, 10.0, 20.0), 1031.1538106093985),
    (mgh._brown_badly_scaled, (1.0, 1.0), 999998000003.0),
    (mgh._brown_dennis, (25.0, 5.0, -5.0, -1.0), 7926693.33699744),
    (mgh._gaussian, (0.4, 1.0, 0.0), 3.88810699116688e-06),
    (mgh._gulf, (5.0, 2.5, 0.15), 12.11070582556949),
    (mgh._helical_valley, (-1.0, 0.0, 0.0), 2500.0),
    (mgh._penalty1, (1.0, 2.0, 3.0, 4.0), 885.06264),
    (mgh._penalty1, tuple(range(1, 11)), 148032.56535),
    (mgh._penalty2, (0.5,) * 4, 2.34000880546302),
    (mgh._penalty2, (0.5,) * 10, 162.65277656596712),
    (mgh._powell_badly_scaled, (0.0, 1.0), 1.13526171734838),
    (mgh._trigonometric, (0.1,) * 10, 0.00707575946622261),
    (mgh._trigonometric, (0.2,) * 5, 0.0116573789904718),
    (mgh._variably_dimensioned, (0.75, 0.5, 0.25, 0.0), 3222.1875),
    (mgh._watson, (0.0,) * 6, 30.0),
    (mgh._wood, (-3.0, -1.0, -3.0, -1.0), 19192.0),
    (mgh._powell_singular, (3.0, -1.0, 0.0, 3.0, 3.0, -1.0, 0.0, 3.0), 190.0),
]

# Minimizers MGH give in closed form, f = 0 there.
_ZEROS = [
    ("rosenbrock", (1.0, 1.0)), ("freudenstein_roth", (5.0, 4.0)),
    ("brown_badly_scaled", (1e6, 2e-6)), ("beale", (3.0, 0.5)),
    ("helical_valley", (1.0, 0.0, 0.0)), ("gulf", (50.0, 25.0, 1.5)),
    ("box_3d", (1.0, 10.0, 1.0)), ("box_3d", (10.0, 1.0, -1.0)), ("box_3d", (2.0, 2.0, 0.0)),
    ("powell_singular", (0.0,) * 4), ("wood", (1.0,) * 4),
    ("biggs_exp6", (1.0, 10.0, 1.0, 5.0, 4.0, 3.0)), ("ext_rosenbrock_n10", (1.0,) * 10),
    ("ext_powell_n12", (0.0,) * 12), ("variably_dimensioned_n10", (1.0,) * 10),
    ("trigonometric_n10", (0.0,) * 10), ("brown_almost_linear_n10", (1.0,) * 10),
]


def check():
    """Assert the checks listed under "Verification" in the module docstring."""
    assert len(PROBLEMS) == 44 and len(BY_NAME) == 44
    assert sorted({p.number for p in PROBLEMS}) == list(range(1, 36))
    for p in PROBLEMS:
        r = p.residuals(np.array(p.x0))
        assert r.shape == (p.m,) and r.dtype == np.float64, p.name
    for name, norm in _NORM0.items():
        p = BY_NAME[name]
        got = np.sqrt(p.f(p.x0))
        assert abs(got - norm) <= 5e-7 * norm, (name, got, norm)
    for fun, x, f in _F_GON:
        r = fun(np.array(x, dtype=np.float64))
        assert abs(r @ r - f) <= 1e-12 * f, (fun.__name__, r @ r, f)
    for name, x in _ZEROS:
        assert BY_NAME[name].f(x) < 1e-20, (name, BY_NAME[name].f(x))
    # Brown almost-linear: f = 1 at (0, ..., 0, n + 1); f = 0 at
    # (a, ..., a, a^(1-n)) for the root a != 1 of n a^n - (n+1) a^(n-1) + 1.
    for n in (10, 30, 40):
        p = BY_NAME[f"brown_almost_linear_n{n}"]
        assert p.f([0.0] * (n - 1) + [n + 1.0]) == 1.0
        c = np.zeros(n + 1)
        c[0], c[1], c[-1] = n, -(n + 1), 1.0
        a = max(z.real for z in np.roots(c) if abs(z.imag) < 1e-12 and abs(z.real - 1) > 1e-6)
        assert p.f([a] * (n - 1) + [a ** (1 - n)]) < 1e-20, n
    # #32-#34 are linear: their least-squares minimum is the closed form.
    for p in PROBLEMS:
        if p.number in (32, 33, 34):
            b = -p.residuals(np.zeros(p.n))
            A = np.column_stack([p.residuals(e) + b for e in np.eye(p.n)])
            x = np.linalg.lstsq(A, b, rcond=None)[0]
            assert abs(p.f(x) - p.fmins[0]) < 1e-12 * p.fmins[0], p.name
            assert np.allclose(p.residuals(np.array(p.x0)), A @ np.array(p.x0) - b)
    # The objectives written for minimize: sum r^2 must agree at random points.
    from fastopt.testing import classic

    from ..heldout import PROBLEMS as HELD
    twins = {"osborne1": "osborne_1", "watson_n6": "watson_6", "watson_n9": "watson_9",
             "ext_rosenbrock_n10": "ext_rosenbrock_10", "ext_powell_n12": "ext_powell_12",
             "variably_dimensioned_n10": "vardim_n10"}
    theirs = {q.name: q for q in classic.PROBLEMS + HELD}
    for p in PROBLEMS:
        if p.name not in twins and p.name in theirs:
            twins[p.name] = p.name
    rng = np.random.default_rng(1)
    for ours, name in twins.items():
        p, q = BY_NAME[ours], theirs[name]
        assert np.allclose(q.x0, p.x0, rtol=1e-14, atol=0.0), ours  # j/(n+1) vs j*h rounding
        for x in [np.array(p.x0)] + [np.array(p.x0) + rng.uniform(-0.5, 0.5, p.n) for _ in range(5)]:
            f, _ = q.fg(x)
            assert abs(p.f(x) - f) <= 1e-12 * abs(f), (ours, p.f(x), f)
        # Same minima (Bard's limit is written here as the exact fraction).
        assert np.allclose(sorted(p.fmins), sorted(q.fmins), rtol=1e-9, atol=0.0), ours
    print(f"{len(PROBLEMS)} problems: all checks passed "
          f"({len(_NORM0)} initial norms [566], {len(_F_GON)} values [GON], "
          f"{len(twins)} agree with fastopt.testing.classic / catalogues.heldout)")


if __name__ == "__main__":
    check()
