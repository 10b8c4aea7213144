"""Classic unconstrained test problems of Moré, Garbow and Hillstrom.

The problems, their numbering, residuals and standard starting points are those
of

    J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained
    optimization software", ACM Transactions on Mathematical Software 7(1),
    17-41 (1981), doi:10.1145/355934.355936.  ("MGH" below.)

Each problem is a sum of squares ``f(x) = sum_i r_i(x)^2`` of the residuals MGH
define; ``fg`` returns ``f`` and its exact gradient ``g = 2 J^T r``, compiled
with numba (``jac=True`` in scipy's interface).  Where MGH leave a size free it
is fixed here: Jennrich-Sampson and Box with m = 10, Gulf with m = 99,
Brown-Dennis with m = 20, Biggs EXP6 with m = 13 (the sizes for which MGH quote
the nonzero minima, and those of the authors' Fortran, ACM TOMS Algorithm 566),
Watson with n = 6 and 9, the extended Rosenbrock and Powell functions with two
sizes each.

``Problem.fmins`` holds the known minimum values: the global one first, then
the other values MGH document (local minima, limits as some variables go to
infinity, one saddle).  MGH print about six digits; the values here carry ten,
computed by a tight least-squares solve started near each minimizer (of the
reduced problem for the limits at infinity) and agreeing with MGH's digits.

>>> p = get("rosenbrock")
>>> f, g = p.fg(np.array(p.x0))
>>> round(f, 10), p.source
(24.2, 'MGH 1981 #1')
>>> p.reached(1e-12), p.reached(1e-3)
(True, False)
"""
import math
from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = ["Problem", "PROBLEMS", "get"]

# error_model="numpy": a division by zero at a wild trial point gives inf/nan,
# which a line search can back away from, instead of raising inside a kernel.
_jit = njit(cache=True, error_model="numpy")


@dataclass(frozen=True)
class Problem:
    """An MGH test problem: objective with gradient, standard start, minima.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"rosenbrock"``, ``"watson_6"``.
    n : int
        Number of variables.
    x0 : tuple of float
        MGH's standard starting point.
    fmins : tuple of float
        Known minimum values: the global minimum first, then the other values
        MGH document (local minima, limits approached as some variables go to
        infinity, and for Biggs EXP6 a saddle value that solvers stop at).
    fg : callable
        Compiled function ``x -> (f, g)`` for a 1-D float64 array ``x`` of
        length ``n``; ``g`` is a new array.
    source : str
        Where the problem comes from, e.g. ``"MGH 1981 #14"``.
    """

    name: str
    n: int
    x0: tuple
    fmins: tuple
    fg: object
    source: str

    def reached(self, f, rtol=1e-6, atol=1e-8):
        """Whether ``f`` is one of the known minimum values.

        Parameters
        ----------
        f : float
            Objective value reached by a solver.
        rtol, atol : float
            Relative and absolute tolerance.

        Returns
        -------
        bool
            True when ``|f - fmin| <= atol + rtol * |fmin|`` for one of the
            known minima ``fmin`` (so also ``f >= fmin - tolerance``).
        """
        return any(abs(f - m) <= atol + rtol * abs(m) for m in self.fmins)


# --------------------------------------------------------------------------
# Objectives.  Each returns (sum of squared residuals, 2 J^T r).

@_jit
def _rosenbrock(x):
    r1 = 10.0 * (x[1] - x[0] * x[0])
    r2 = 1.0 - x[0]
    g = np.empty(2)
    g[0] = 2.0 * (-20.0 * x[0] * r1 - r2)
    g[1] = 20.0 * r1
    return r1 * r1 + r2 * r2, g


@_jit
def _freudenstein_roth(x):
    x1, x2 = x[0], x[1]
    r1 = -13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2
    r2 = -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2
    d1 = (10.0 - 3.0 * x2) * x2 - 2.0
    d2 = (3.0 * x2 + 2.0) * x2 - 14.0
    g = np.empty(2)
    g[0] = 2.0 * (r1 + r2)
    g[1] = 2.0 * (r1 * d1 + r2 * d2)
    return r1 * r1 + r2 * r2, g


@_jit
def _powell_badly_scaled(x):
    x1, x2 = x[0], x[1]
    e1 = math.exp(-x1)
    e2 = math.exp(-x2)
    r1 = 1e4 * x1 * x2 - 1.0
    r2 = e1 + e2 - 1.0001
    g = np.empty(2)
    g[0] = 2.0 * (1e4 * x2 * r1 - e1 * r2)
    g[1] = 2.0 * (1e4 * x1 * r1 - e2 * r2)
    return r1 * r1 + r2 * r2, g


@_jit
def _brown_badly_scaled(x):
    x1, x2 = x[0], x[1]
    r1 = x1 - 1e6
    r2 = x2 - 2e-6
    r3 = x1 * x2 - 2.0
    g = np.empty(2)
    g[0] = 2.0 * (r1 + x2 * r3)
    g[1] = 2.0 * (r2 + x1 * r3)
    return r1 * r1 + r2 * r2 + r3 * r3, g


_BEALE_Y = np.array([1.5, 2.25, 2.625])


@_jit
def _beale(x):
    x1, x2 = x[0], x[1]
    f = 0.0
    g = np.zeros(2)
    p = 1.0                                  # x2^(i-1)
    for i in range(3):
        r = _BEALE_Y[i] - x1 * (1.0 - p * x2)
        f += r * r
        g[0] -= 2.0 * r * (1.0 - p * x2)
        g[1] += 2.0 * r * x1 * (i + 1) * p
        p *= x2
    return f, g


@_jit
def _jennrich_sampson(x):
    f = 0.0
    g = np.zeros(2)
    for i in range(1, 11):
        e1 = math.exp(i * x[0])
        e2 = math.exp(i * x[1])
        r = 2.0 + 2.0 * i - e1 - e2
        f += r * r
        g[0] -= 2.0 * r * i * e1
        g[1] -= 2.0 * r * i * e2
    return f, g


@_jit
def _helical_valley(x):
    x1, x2, x3 = x[0], x[1], x[2]
    tpi = 2.0 * math.pi
    # MGH's theta, not atan2: it jumps by 1 across x1 = 0, x2 < 0.
    if x1 > 0.0:
        theta = math.atan(x2 / x1) / tpi
    elif x1 < 0.0:
        theta = math.atan(x2 / x1) / tpi + 0.5
    else:
        theta = 0.25 if x2 >= 0.0 else -0.25
    rho2 = x1 * x1 + x2 * x2
    rho = math.sqrt(rho2)
    r1 = 10.0 * (x3 - 10.0 * theta)
    r2 = 10.0 * (rho - 1.0)
    r3 = x3
    # d theta / d(x1, x2) = (-x2, x1) / (2 pi rho^2) on every branch
    c = 100.0 / (tpi * rho2)
    g = np.empty(3)
    g[0] = 2.0 * (r1 * c * x2 + r2 * 10.0 * x1 / rho)
    g[1] = 2.0 * (-r1 * c * x1 + r2 * 10.0 * x2 / rho)
    g[2] = 2.0 * (10.0 * r1 + r3)
    return r1 * r1 + r2 * r2 + r3 * r3, g


_BARD_Y = np.array([0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58,
                    0.73, 0.96, 1.34, 2.10, 4.39])


@_jit
def _bard(x):
    f = 0.0
    g = np.zeros(3)
    for i in range(1, 16):
        u = float(i)
        v = 16.0 - u
        w = min(u, v)
        d = v * x[1] + w * x[2]
        r = _BARD_Y[i - 1] - (x[0] + u / d)
        f += r * r
        q = 2.0 * r * u / (d * d)
        g[0] -= 2.0 * r
        g[1] += q * v
        g[2] += q * w
    return f, g


_GAUSSIAN_Y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521,
                        0.3989, 0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044,
                        0.0009])


@_jit
def _gaussian(x):
    x1, x2, x3 = x[0], x[1], x[2]
    f = 0.0
    g = np.zeros(3)
    for i in range(1, 16):
        d = 0.5 * (8 - i) - x3
        e = math.exp(-0.5 * x2 * d * d)
        r = x1 * e - _GAUSSIAN_Y[i - 1]
        f += r * r
        g[0] += 2.0 * r * e
        g[1] -= r * x1 * e * d * d
        g[2] += 2.0 * r * x1 * e * x2 * d
    return f, g


_MEYER_Y = np.array([34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0,
                     11540.0, 9744.0, 8261.0, 7030.0, 6005.0, 5147.0, 4427.0,
                     3820.0, 3307.0, 2872.0])


@_jit
def _meyer(x):
    x1, x2, x3 = x[0], x[1], x[2]
    f = 0.0
    g = np.zeros(3)
    for i in range(1, 17):
        s = 1.0 / (45.0 + 5.0 * i + x3)
        e = math.exp(x2 * s)
        r = x1 * e - _MEYER_Y[i - 1]
        f += r * r
        g[0] += 2.0 * r * e
        g[1] += 2.0 * r * x1 * e * s
        g[2] -= 2.0 * r * x1 * e * x2 * s * s
    return f, g


_GULF_T = np.arange(1, 100) / 100.0
_GULF_Y = 25.0 + (-50.0 * np.log(_GULF_T)) ** (2.0 / 3.0)


@_jit
def _gulf(x):
    # MGH print |y_i "mi" x2|: the "mi" is a garbled minus sign; the authors'
    # Fortran (TOMS 566) uses |y_i - x2|, which gives f = 0 at (50, 25, 1.5).
    x1, x2, x3 = x[0], x[1], x[2]
    f = 0.0
    g = np.zeros(3)
    for i in range(99):
        a = _GULF_Y[i] - x2
        s = abs(a)
        p = s ** x3
        e = math.exp(-p / x1)
        r = e - _GULF_T[i]
        f += r * r
        q = 2.0 * r * e / x1
        g[0] += q * p / x1
        if s > 0.0:
            g[1] += q * x3 * p / a           # = q x3 s^(x3-1) sign(a)
            g[2] -= q * p * math.log(s)
    return f, g


@_jit
def _box_3d(x):
    f = 0.0
    g = np.zeros(3)
    for i in range(1, 11):
        t = 0.1 * i
        e1 = math.exp(-t * x[0])
        e2 = math.exp(-t * x[1])
        c = math.exp(-t) - math.exp(-10.0 * t)
        r = e1 - e2 - x[2] * c
        f += r * r
        g[0] -= 2.0 * r * t * e1
        g[1] += 2.0 * r * t * e2
        g[2] -= 2.0 * r * c
    return f, g


@_jit
def _powell_singular_blocks(x):
    # Residuals (x1 + 10 x2, sqrt5 (x3 - x4), (x2 - 2 x3)^2, sqrt10 (x1 - x4)^2)
    # on each block of four.
    f = 0.0
    g = np.empty(x.size)
    for k in range(0, x.size, 4):
        a = x[k] + 10.0 * x[k + 1]
        b = x[k + 2] - x[k + 3]
        c = x[k + 1] - 2.0 * x[k + 2]
        d = x[k] - x[k + 3]
        c3 = c * c * c
        d3 = d * d * d
        f += a * a + 5.0 * b * b + c3 * c + 10.0 * d3 * d
        g[k] = 2.0 * a + 40.0 * d3
        g[k + 1] = 20.0 * a + 4.0 * c3
        g[k + 2] = 10.0 * b - 8.0 * c3
        g[k + 3] = -10.0 * b - 40.0 * d3
    return f, g


@_jit
def _wood(x):
    x1, x2, x3, x4 = x[0], x[1], x[2], x[3]
    a = x2 - x1 * x1
    b = x4 - x3 * x3
    s = x2 + x4 - 2.0
    d = x2 - x4
    f = (100.0 * a * a + (1.0 - x1) ** 2 + 90.0 * b * b + (1.0 - x3) ** 2
         + 10.0 * s * s + 0.1 * d * d)
    g = np.empty(4)
    g[0] = -400.0 * x1 * a - 2.0 * (1.0 - x1)
    g[1] = 200.0 * a + 20.0 * s + 0.2 * d
    g[2] = -360.0 * x3 * b - 2.0 * (1.0 - x3)
    g[3] = 180.0 * b + 20.0 * s - 0.2 * d
    return f, g


_KOWALIK_Y = np.array([0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456,
                       0.0342, 0.0323, 0.0235, 0.0246])
_KOWALIK_U = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833,
                       0.0714, 0.0625])


@_jit
def _kowalik_osborne(x):
    x1, x2, x3, x4 = x[0], x[1], x[2], x[3]
    f = 0.0
    g = np.zeros(4)
    for i in range(11):
        u = _KOWALIK_U[i]
        num = u * (u + x2)
        den = u * (u + x3) + x4
        r = _KOWALIK_Y[i] - x1 * num / den
        f += r * r
        q = 2.0 * r / den
        g[0] -= q * num
        g[1] -= q * x1 * u
        m = q * x1 * num / den
        g[2] += m * u
        g[3] += m
    return f, g


@_jit
def _brown_dennis(x):
    f = 0.0
    g = np.zeros(4)
    for i in range(1, 21):
        t = i / 5.0
        st = math.sin(t)
        a = x[0] + t * x[1] - math.exp(t)
        b = x[2] + x[3] * st - math.cos(t)
        r = a * a + b * b
        f += r * r
        g[0] += 4.0 * r * a
        g[1] += 4.0 * r * a * t
        g[2] += 4.0 * r * b
        g[3] += 4.0 * r * b * st
    return f, g


_OSBORNE1_Y = np.array([
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
    0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
    0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406])


@_jit
def _osborne_1(x):
    f = 0.0
    g = np.zeros(5)
    for i in range(33):
        t = 10.0 * i
        e4 = math.exp(-t * x[3])
        e5 = math.exp(-t * x[4])
        r = _OSBORNE1_Y[i] - (x[0] + x[1] * e4 + x[2] * e5)
        f += r * r
        g[0] -= 2.0 * r
        g[1] -= 2.0 * r * e4
        g[2] -= 2.0 * r * e5
        g[3] += 2.0 * r * x[1] * t * e4
        g[4] += 2.0 * r * x[2] * t * e5
    return f, g


_BIGGS_T = np.arange(1, 14) / 10.0
_BIGGS_Y = np.exp(-_BIGGS_T) - 5.0 * np.exp(-10.0 * _BIGGS_T) + 3.0 * np.exp(-4.0 * _BIGGS_T)


@_jit
def _biggs_exp6(x):
    f = 0.0
    g = np.zeros(6)
    for i in range(13):
        t = _BIGGS_T[i]
        e1 = math.exp(-t * x[0])
        e2 = math.exp(-t * x[1])
        e5 = math.exp(-t * x[4])
        r = x[2] * e1 - x[3] * e2 + x[5] * e5 - _BIGGS_Y[i]
        f += r * r
        q = 2.0 * r
        g[0] -= q * t * x[2] * e1
        g[1] += q * t * x[3] * e2
        g[2] += q * e1
        g[3] -= q * e2
        g[4] -= q * t * x[5] * e5
        g[5] += q * e5
    return f, g


@_jit
def _watson(x):
    n = x.size
    f = 0.0
    g = np.zeros(n)
    dr = np.empty(n)
    for i in range(1, 30):
        t = i / 29.0
        # s1 = sum_{j>=2} (j-1) x_j t^(j-2), s2 = sum_j x_j t^(j-1)
        s1 = 0.0
        s2 = x[0]
        p = 1.0                              # t^(j-2) for j = 2, 3, ...
        for j in range(1, n):
            s1 += j * x[j] * p
            s2 += x[j] * p * t
            p *= t
        r = s1 - s2 * s2 - 1.0
        f += r * r
        dr[0] = -2.0 * s2
        p = 1.0
        for j in range(1, n):
            dr[j] = j * p - 2.0 * s2 * p * t
            p *= t
        for j in range(n):
            g[j] += 2.0 * r * dr[j]
    r30 = x[0]
    r31 = x[1] - x[0] * x[0] - 1.0
    f += r30 * r30 + r31 * r31
    g[0] += 2.0 * r30 - 4.0 * x[0] * r31
    g[1] += 2.0 * r31
    return f, g


@_jit
def _ext_rosenbrock(x):
    f = 0.0
    g = np.empty(x.size)
    for k in range(0, x.size, 2):
        r1 = 10.0 * (x[k + 1] - x[k] * x[k])
        r2 = 1.0 - x[k]
        f += r1 * r1 + r2 * r2
        g[k] = 2.0 * (-20.0 * x[k] * r1 - r2)
        g[k + 1] = 20.0 * r1
    return f, g


# --------------------------------------------------------------------------
# The collection.  fmins: only the values MGH list (item (d) of each problem
# in their section 3), extended from MGH's six digits to ten by a tight
# least-squares solve started near each minimizer (see the module docstring).

def _p(name, x0, fmins, fg, number):
    return Problem(name, len(x0), tuple(float(v) for v in x0), tuple(fmins), fg,
                   f"MGH 1981 #{number}")


PROBLEMS = (
    _p("rosenbrock", (-1.2, 1.0), (0.0,), _rosenbrock, 1),
    # MGH: 0 at (5, 4); 48.9842... at (11.41..., -0.8968...).
    _p("freudenstein_roth", (0.5, -2.0), (0.0, 48.98425368), _freudenstein_roth, 2),
    _p("powell_badly_scaled", (0.0, 1.0), (0.0,), _powell_badly_scaled, 3),
    _p("brown_badly_scaled", (1.0, 1.0), (0.0,), _brown_badly_scaled, 4),
    _p("beale", (1.0, 1.0), (0.0,), _beale, 5),
    # MGH: 124.362... at x1 = x2 = 0.2578... (m = 10).
    _p("jennrich_sampson", (0.3, 0.4), (124.3621824,), _jennrich_sampson, 6),
    _p("helical_valley", (-1.0, 0.0, 0.0), (0.0,), _helical_valley, 7),
    # MGH: 8.21487...e-3; 17.4286... at (0.8406..., -inf, -inf), a limit: with
    # x2, x3 -> -inf the fit is the constant x1, so the value is
    # sum_i (y_i - mean y)^2 = 163394/9375.
    _p("bard", (1.0, 1.0, 1.0), (8.214877307e-3, 17.42869333), _bard, 8),
    # MGH: 1.12793...e-8.
    _p("gaussian", (0.4, 1.0, 0.0), (1.127932770e-8,), _gaussian, 9),
    # MGH: 87.9458...  Ill-conditioned: tight solves agree to 10-11 digits only.
    _p("meyer", (0.02, 4000.0, 250.0), (87.94585517,), _meyer, 10),
    # MGH: 0 at (50, 25, 1.5).
    _p("gulf", (5.0, 2.5, 0.15), (0.0,), _gulf, 11),
    # MGH: 0 at (1, 10, 1), (10, 1, -1) and wherever x1 = x2, x3 = 0.
    _p("box_3d", (0.0, 10.0, 20.0), (0.0,), _box_3d, 12),
    _p("powell_singular", (3.0, -1.0, 0.0, 1.0), (0.0,), _powell_singular_blocks, 13),
    _p("wood", (-3.0, -1.0, -3.0, -1.0), (0.0,), _wood, 14),
    # MGH: 3.07505...e-4; 1.02734...e-3 at (+inf, -14.07..., -inf, -inf), a
    # limit: with x1 = c x4, x3 = d x4, x4 -> -inf the model tends to
    # c u (u + x2) / (d u + 1), and this is the value of that 3-parameter fit.
    _p("kowalik_osborne", (0.25, 0.39, 0.415, 0.39), (3.075056038e-4, 1.027343049e-3),
       _kowalik_osborne, 15),
    # MGH: 85822.2... (m = 20).  x0 = (25, 5, -5, -1) as in the authors' Fortran
    # (TOMS 566 INITPT); some later transcriptions print x4 = +1.
    _p("brown_dennis", (25.0, 5.0, -5.0, -1.0), (85822.20163,), _brown_dennis, 16),
    # MGH: 5.46489...e-5.
    _p("osborne_1", (0.5, 1.5, -1.0, 0.01, 0.02), (5.464894697e-5,), _osborne_1, 17),
    # MGH: 0 at (1, 10, 1, 5, 4, 3); 5.65565...e-3 (m = 13).  The latter is a
    # saddle point with x1 = x5, x3 = x6 (one negative Hessian eigenvalue); the
    # standard start lies in that subspace, which gradient methods started
    # with a multiple of the identity never leave, so they end there.
    _p("biggs_exp6", (1.0, 2.0, 1.0, 1.0, 1.0, 1.0), (0.0, 5.655649926e-3), _biggs_exp6, 18),
    # MGH: 2.28767...e-3 (n = 6); 1.39976...e-6 (n = 9).
    _p("watson_6", (0.0,) * 6, (2.287670054e-3,), _watson, 20),
    _p("watson_9", (0.0,) * 9, (1.399760138e-6,), _watson, 20),
    _p("ext_rosenbrock_10", (-1.2, 1.0) * 5, (0.0,), _ext_rosenbrock, 21),
    _p("ext_rosenbrock_100", (-1.2, 1.0) * 50, (0.0,), _ext_rosenbrock, 21),
    _p("ext_powell_12", (3.0, -1.0, 0.0, 1.0) * 3, (0.0,), _powell_singular_blocks, 22),
    _p("ext_powell_100", (3.0, -1.0, 0.0, 1.0) * 25, (0.0,), _powell_singular_blocks, 22),
)

_BY_NAME = {p.name: p for p in PROBLEMS}


def get(name):
    """The problem called ``name``.

    Parameters
    ----------
    name : str
        One of the names in ``PROBLEMS``, e.g. ``"wood"`` or ``"watson_9"``.

    Returns
    -------
    Problem

    Raises
    ------
    KeyError
        If there is no problem of that name.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no problem {name!r}; known: {', '.join(_BY_NAME)}") from None
