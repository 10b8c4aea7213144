"""The held-out least-squares problems: Moré, Garbow & Hillstrom (1981), 1-35, residual form.

Residuals, data tables and the collection (``PROBLEMS``, ``get``); see the
package docstring for the sources, sizes and minima, ``check.py`` for the
verification.
"""
import numpy as np

from .problem import LsqProblem

__all__ = ["PROBLEMS", "get"]


# ---------------------------------------------------------------------------
# Data tables (MGH section 3; the same in [566])
# ---------------------------------------------------------------------------

# #8 Bard, i = 1..15.
_BARD_Y = np.array([0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58,
                    0.73, 0.96, 1.34, 2.10, 4.39])
# #9 Gaussian, i = 1..15 (symmetric about i = 8).
_GAUSS_Y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                     0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009])
# #10 Meyer, i = 1..16.
_MEYER_Y = np.array([34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0,
                     9744.0, 8261.0, 7030.0, 6005.0, 5147.0, 4427.0, 3820.0, 3307.0,
                     2872.0])
# #15 Kowalik-Osborne, i = 1..11.
_KOWALIK_Y = np.array([0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342,
                       0.0323, 0.0235, 0.0246])
_KOWALIK_U = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714,
                       0.0625])
# #17 Osborne 1, i = 1..33.
_OSBORNE1_Y = np.array([
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
    0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
    0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406])
# #19 Osborne 2, i = 1..65.
_OSBORNE2_Y = np.array([
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746,
    0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649,
    0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395,
    0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653,
    0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739,
    0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054])


# ---------------------------------------------------------------------------
# Residuals.  Fixed-size problems are plain functions; variable-dimension ones
# read n (and m) from the argument or from a closure.  Indices in comments
# are MGH's (1-based).
# ---------------------------------------------------------------------------

def _rosenbrock(x):
    """#1: (10 (x2 - x1^2), 1 - x1)."""
    return np.array([10.0 * (x[1] - x[0] * x[0]), 1.0 - x[0]])


def _freudenstein_roth(x):
    """#2: -13 + x1 + ((5 - x2) x2 - 2) x2, -29 + x1 + ((x2 + 1) x2 - 14) x2."""
    x1, x2 = x[0], x[1]
    return np.array([-13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2,
                     -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2])


def _powell_badly_scaled(x):
    """#3: 1e4 x1 x2 - 1, exp(-x1) + exp(-x2) - 1.0001."""
    return np.array([1e4 * x[0] * x[1] - 1.0, np.exp(-x[0]) + np.exp(-x[1]) - 1.0001])


def _brown_badly_scaled(x):
    """#4: x1 - 1e6, x2 - 2e-6, x1 x2 - 2."""
    return np.array([x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2.0])


def _beale(x):
    """#5: y_i - x1 (1 - x2^i), y = (1.5, 2.25, 2.625)."""
    i = np.arange(1, 4)
    return np.array([1.5, 2.25, 2.625]) - x[0] * (1.0 - x[1] ** i)


_JS_I = np.arange(1.0, 11.0)


def _jennrich_sampson(x):
    """#6, m = 10: 2 + 2i - (exp(i x1) + exp(i x2))."""
    return 2.0 + 2.0 * _JS_I - (np.exp(_JS_I * x[0]) + np.exp(_JS_I * x[1]))


def _helical_valley(x):
    """#7: 10 (x3 - 10 theta), 10 (sqrt(x1^2 + x2^2) - 1), x3."""
    x1, x2, x3 = x[0], x[1], x[2]
    # MGH's theta (not atan2): it jumps by 1 across x1 = 0, x2 < 0.  At x1 = 0
    # [566] takes sign(0.25, x2), +0.25 for x2 = 0.
    if x1 > 0.0:
        theta = np.arctan(x2 / x1) / (2.0 * np.pi)
    elif x1 < 0.0:
        theta = np.arctan(x2 / x1) / (2.0 * np.pi) + 0.5
    else:
        theta = -0.25 if x2 < 0.0 else 0.25
    return np.array([10.0 * (x3 - 10.0 * theta), 10.0 * (np.hypot(x1, x2) - 1.0), x3])


_BARD_U = np.arange(1.0, 16.0)
_BARD_V = 16.0 - _BARD_U
_BARD_W = np.minimum(_BARD_U, _BARD_V)


def _bard(x):
    """#8, m = 15: y_i - (x1 + u_i / (v_i x2 + w_i x3)), u = i, v = 16 - i, w = min(u, v)."""
    return _BARD_Y - (x[0] + _BARD_U / (_BARD_V * x[1] + _BARD_W * x[2]))


_GAUSS_T = (8.0 - np.arange(1.0, 16.0)) / 2.0


def _gaussian(x):
    """#9, m = 15: x1 exp(-x2 (t_i - x3)^2 / 2) - y_i, t_i = (8 - i) / 2."""
    d = _GAUSS_T - x[2]
    return x[0] * np.exp(-0.5 * x[1] * d * d) - _GAUSS_Y


_MEYER_T = 45.0 + 5.0 * np.arange(1.0, 17.0)


def _meyer(x):
    """#10, m = 16: x1 exp(x2 / (t_i + x3)) - y_i, t_i = 45 + 5 i (unscaled, as MGH)."""
    return x[0] * np.exp(x[1] / (_MEYER_T + x[2])) - _MEYER_Y


_GULF_T = np.arange(1.0, 100.0) / 100.0
_GULF_Y = 25.0 + (-50.0 * np.log(_GULF_T)) ** (2.0 / 3.0)


def _gulf(x):
    """#11, m = 99: exp(-|y_i - x2|^x3 / x1) - t_i, t_i = i/100, y_i = 25 + (-50 ln t_i)^(2/3).

    MGH print ``|y_i mi x2|``: the "mi" is a garbled minus sign ([566] has
    ``|y_i - x2|``, and it gives f = 0 at MGH's (50, 25, 1.5)).  m = 99 as in
    [566] (MGH: n <= m <= 100; m = 100 would put y_i - x2 = 0 at the solution).
    """
    return np.exp(-np.abs(_GULF_Y - x[1]) ** x[2] / x[0]) - _GULF_T


_BOX_T = 0.1 * np.arange(1.0, 11.0)
_BOX_C = np.exp(-_BOX_T) - np.exp(-10.0 * _BOX_T)


def _box_3d(x):
    """#12, m = 10: exp(-t_i x1) - exp(-t_i x2) - x3 (exp(-t_i) - exp(-10 t_i)), t_i = i/10."""
    return np.exp(-_BOX_T * x[0]) - np.exp(-_BOX_T * x[1]) - x[2] * _BOX_C


_SQRT5 = np.sqrt(5.0)
_SQRT10 = np.sqrt(10.0)


def _powell_singular(x):
    """#13 and, blockwise, #22: x1 + 10 x2, 5^(1/2) (x3 - x4), (x2 - 2 x3)^2, 10^(1/2) (x1 - x4)^2."""
    a, b, c, d = x[0::4], x[1::4], x[2::4], x[3::4]
    r = np.empty(x.shape[0])
    r[0::4] = a + 10.0 * b
    r[1::4] = _SQRT5 * (c - d)
    r[2::4] = (b - 2.0 * c) ** 2
    r[3::4] = _SQRT10 * (a - d) ** 2
    return r


def _wood(x):
    """#14, m = 6."""
    x1, x2, x3, x4 = x[0], x[1], x[2], x[3]
    return np.array([10.0 * (x2 - x1 * x1), 1.0 - x1, np.sqrt(90.0) * (x4 - x3 * x3),
                     1.0 - x3, _SQRT10 * (x2 + x4 - 2.0), (x2 - x4) / _SQRT10])


def _kowalik_osborne(x):
    """#15, m = 11: y_i - x1 (u_i^2 + u_i x2) / (u_i^2 + u_i x3 + x4)."""
    u = _KOWALIK_U
    return _KOWALIK_Y - x[0] * (u * (u + x[1])) / (u * (u + x[2]) + x[3])


_BD_T = np.arange(1.0, 21.0) / 5.0


def _brown_dennis(x):
    """#16, m = 20: (x1 + t_i x2 - exp t_i)^2 + (x3 + x4 sin t_i - cos t_i)^2, t_i = i/5."""
    a = x[0] + _BD_T * x[1] - np.exp(_BD_T)
    b = x[2] + x[3] * np.sin(_BD_T) - np.cos(_BD_T)
    return a * a + b * b


_OSB1_T = 10.0 * np.arange(33.0)


def _osborne1(x):
    """#17, m = 33: y_i - (x1 + x2 exp(-t_i x4) + x3 exp(-t_i x5)), t_i = 10 (i - 1)."""
    return _OSBORNE1_Y - (x[0] + x[1] * np.exp(-_OSB1_T * x[3]) + x[2] * np.exp(-_OSB1_T * x[4]))


_BIGGS_T = 0.1 * np.arange(1.0, 14.0)
_BIGGS_Y = np.exp(-_BIGGS_T) - 5.0 * np.exp(-10.0 * _BIGGS_T) + 3.0 * np.exp(-4.0 * _BIGGS_T)


def _biggs_exp6(x):
    """#18, m = 13: x3 exp(-t_i x1) - x4 exp(-t_i x2) + x6 exp(-t_i x5) - y_i, t_i = i/10."""
    t = _BIGGS_T
    return (x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) + x[5] * np.exp(-t * x[4])
            - _BIGGS_Y)


_OSB2_T = 0.1 * np.arange(65.0)


def _osborne2(x):
    """#19, m = 65: y_i - (x1 exp(-t_i x5) + sum_k x_k exp(-(t_i - x_{k+7})^2 x_{k+4})), k = 2..4."""
    t = _OSB2_T
    model = (x[0] * np.exp(-t * x[4])
             + x[1] * np.exp(-(t - x[8]) ** 2 * x[5])
             + x[2] * np.exp(-(t - x[9]) ** 2 * x[6])
             + x[3] * np.exp(-(t - x[10]) ** 2 * x[7]))
    return _OSBORNE2_Y - model


_WATSON_T = np.arange(1.0, 30.0) / 29.0


def _watson(x):
    """#20, m = 31: for i <= 29, sum_{j>=2} (j-1) x_j t^(j-2) - (sum_j x_j t^(j-1))^2 - 1,
    t = i/29; r30 = x1, r31 = x2 - x1^2 - 1."""
    n = x.shape[0]
    p = _WATSON_T[:, None] ** np.arange(n)          # p[i, k] = t_i^k
    s1 = p[:, : n - 1] @ (np.arange(1.0, n) * x[1:])
    s2 = p @ x
    r = np.empty(31)
    r[:29] = s1 - s2 * s2 - 1.0
    r[29] = x[0]
    r[30] = x[1] - x[0] * x[0] - 1.0
    return r


def _ext_rosenbrock(x):
    """#21, m = n: pairs (10 (x_{2k} - x_{2k-1}^2), 1 - x_{2k-1})."""
    r = np.empty(x.shape[0])
    r[0::2] = 10.0 * (x[1::2] - x[0::2] ** 2)
    r[1::2] = 1.0 - x[0::2]
    return r


_SQRT_A = np.sqrt(1e-5)


def _penalty1(x):
    """#23, m = n + 1: a^(1/2) (x_i - 1), then sum_j x_j^2 - 1/4; a = 1e-5."""
    r = np.empty(x.shape[0] + 1)
    r[:-1] = _SQRT_A * (x - 1.0)
    r[-1] = x @ x - 0.25
    return r


def _penalty2(x):
    """#24, m = 2n: x1 - 0.2; a^(1/2) (exp(x_i/10) + exp(x_{i-1}/10) - y_i), 2 <= i <= n,
    y_i = exp(i/10) + exp((i-1)/10); a^(1/2) (exp(x_{i-n+1}/10) - exp(-1/10)), n < i < 2n;
    sum_j (n - j + 1) x_j^2 - 1.  a = 1e-5."""
    n = x.shape[0]
    e = np.exp(x / 10.0)
    i = np.arange(2.0, n + 1.0)
    r = np.empty(2 * n)
    r[0] = x[0] - 0.2
    r[1:n] = _SQRT_A * (e[1:] + e[:-1] - (np.exp(i / 10.0) + np.exp((i - 1.0) / 10.0)))
    r[n:2 * n - 1] = _SQRT_A * (e[1:] - np.exp(-0.1))
    r[2 * n - 1] = np.arange(n, 0.0, -1.0) @ (x * x) - 1.0
    return r


def _variably_dimensioned(x):
    """#25, m = n + 2: x_j - 1; s = sum_j j (x_j - 1); s^2."""
    n = x.shape[0]
    r = np.empty(n + 2)
    r[:n] = x - 1.0
    s = np.arange(1.0, n + 1.0) @ (x - 1.0)
    r[n] = s
    r[n + 1] = s * s
    return r


def _trigonometric(x):
    """#26, m = n: n - sum_j cos x_j + i (1 - cos x_i) - sin x_i."""
    n = x.shape[0]
    c = np.cos(x)
    return n - c.sum() + np.arange(1.0, n + 1.0) * (1.0 - c) - np.sin(x)


def _brown_almost_linear(x):
    """#27, m = n: x_i + sum_j x_j - (n + 1) for i < n; prod_j x_j - 1."""
    n = x.shape[0]
    r = np.empty(n)
    r[:-1] = x[:-1] + x.sum() - (n + 1.0)
    r[-1] = np.prod(x) - 1.0
    return r


def _discrete_boundary_value(x):
    """#28, m = n: 2 x_i - x_{i-1} - x_{i+1} + h^2 (x_i + t_i + 1)^3 / 2, h = 1/(n+1),
    t_i = i h, x_0 = x_{n+1} = 0."""
    n = x.shape[0]
    h = 1.0 / (n + 1)
    t = h * np.arange(1.0, n + 1.0)
    xp = np.concatenate(([0.0], x, [0.0]))
    return 2.0 * x - xp[:-2] - xp[2:] + 0.5 * h * h * (x + t + 1.0) ** 3


def _discrete_integral_equation(x):
    """#29, m = n: x_i + h [(1 - t_i) sum_{j<=i} t_j (x_j + t_j + 1)^3
    + t_i sum_{j>i} (1 - t_j) (x_j + t_j + 1)^3] / 2."""
    n = x.shape[0]
    h = 1.0 / (n + 1)
    t = h * np.arange(1.0, n + 1.0)
    c = (x + t + 1.0) ** 3
    lower = np.cumsum(t * c)                          # sum over j <= i
    upper = np.concatenate((np.cumsum(((1.0 - t) * c)[::-1])[::-1][1:], [0.0]))  # j > i
    return x + 0.5 * h * ((1.0 - t) * lower + t * upper)


def _broyden_tridiagonal(x):
    """#30, m = n: (3 - 2 x_i) x_i - x_{i-1} - 2 x_{i+1} + 1, x_0 = x_{n+1} = 0."""
    xp = np.concatenate(([0.0], x, [0.0]))
    return (3.0 - 2.0 * x) * x - xp[:-2] - 2.0 * xp[2:] + 1.0


def _broyden_banded(x):
    """#31, m = n: x_i (2 + 5 x_i^2) + 1 - sum_{j in J_i} x_j (1 + x_j),
    J_i = {j != i : max(1, i - 5) <= j <= min(n, i + 1)}."""
    n = x.shape[0]
    q = x * (1.0 + x)
    r = x * (2.0 + 5.0 * x * x) + 1.0
    for i in range(n):
        lo, hi = max(0, i - 5), min(n - 1, i + 1)
        r[i] -= q[lo:hi + 1].sum() - q[i]
    return r


def _linear_full_rank(m):
    def residuals(x):
        """#32: x_i - 2/m sum_j x_j - 1 (i <= n); -2/m sum_j x_j - 1 (i > n)."""
        n = x.shape[0]
        r = np.full(m, -2.0 / m * x.sum() - 1.0)
        r[:n] += x
        return r
    return residuals


def _linear_rank1(m):
    def residuals(x):
        """#33: i sum_j j x_j - 1."""
        s = np.arange(1.0, x.shape[0] + 1.0) @ x
        return np.arange(1.0, m + 1.0) * s - 1.0
    return residuals


def _linear_rank1_zero(m):
    def residuals(x):
        """#34: -1; (i - 1) sum_{j=2}^{n-1} j x_j - 1 for 2 <= i <= m - 1; -1."""
        n = x.shape[0]
        s = np.arange(2.0, n) @ x[1:n - 1]
        r = np.arange(0.0, m) * s - 1.0
        r[-1] = -1.0
        return r
    return residuals


def _chebyquad(m):
    def residuals(x):
        """#35: (1/n) sum_j T_i(x_j) - int_0^1 T_i, T_i the Chebyshev polynomial
        shifted to [0, 1]; the integral is 0 for odd i, -1/(i^2 - 1) for even i."""
        n = x.shape[0]
        y = 2.0 * x - 1.0
        r = np.empty(m)
        tm, t = np.ones(n), y                          # T_0, T_1 at y
        for i in range(1, m + 1):
            r[i - 1] = t.mean() + (1.0 / (i * i - 1.0) if i % 2 == 0 else 0.0)
            tm, t = t, 2.0 * y * t - tm
        return r
    return residuals


# ---------------------------------------------------------------------------
# The collection
# ---------------------------------------------------------------------------

def _grid_start(n):
    """MGH start x_j = t_j (t_j - 1), t_j = j / (n + 1) (problems 28, 29)."""
    t = np.arange(1.0, n + 1.0) / (n + 1)
    return t * (t - 1.0)


def _build():
    P = []

    def add(name, number, m, x0, fmins, residuals, note=""):
        x0 = tuple(float(v) for v in x0)
        src = f"MGH 1981 #{number}" + (f"; {note}" if note else "")
        P.append(LsqProblem(name, number, m, len(x0), x0, residuals,
                            tuple(float(v) for v in fmins), src))

    add("rosenbrock", 1, 2, (-1.2, 1.0), (0.0,), _rosenbrock)
    # MGH: 0 at (5, 4); 48.9842... at (11.41..., -0.8968...).
    add("freudenstein_roth", 2, 2, (0.5, -2.0), (0.0, 48.98425368), _freudenstein_roth)
    add("powell_badly_scaled", 3, 2, (0.0, 1.0), (0.0,), _powell_badly_scaled)
    add("brown_badly_scaled", 4, 3, (1.0, 1.0), (0.0,), _brown_badly_scaled)
    add("beale", 5, 3, (1.0, 1.0), (0.0,), _beale)
    # MGH: 124.362 at x1 = x2 = 0.2578 (m = 10).
    add("jennrich_sampson", 6, 10, (0.3, 0.4), (124.3621824,), _jennrich_sampson, "m = 10 [566]")
    add("helical_valley", 7, 3, (-1.0, 0.0, 0.0), (0.0,), _helical_valley)
    # MGH: 8.21487e-3; 17.4286 at (0.8406, -inf, -inf) = 163394/9375 exactly.
    add("bard", 8, 15, (1.0, 1.0, 1.0), (8.214877307e-3, 163394.0 / 9375.0), _bard)
    # MGH: 1.12793e-8.
    add("gaussian", 9, 15, (0.4, 1.0, 0.0), (1.127932770e-8,), _gaussian)
    # MGH: 87.9458.
    add("meyer", 10, 16, (0.02, 4000.0, 250.0), (87.94585517,), _meyer)
    add("gulf", 11, 99, (5.0, 2.5, 0.15), (0.0,), _gulf, "m = 99 [566]")
    add("box_3d", 12, 10, (0.0, 10.0, 20.0), (0.0,), _box_3d, "m = 10 [566]")
    add("powell_singular", 13, 4, (3.0, -1.0, 0.0, 1.0), (0.0,), _powell_singular)
    add("wood", 14, 6, (-3.0, -1.0, -3.0, -1.0), (0.0,), _wood)
    # MGH: 3.07505e-4; 1.02734e-3 at (+inf, -14.07, -inf, -inf).
    add("kowalik_osborne", 15, 11, (0.25, 0.39, 0.415, 0.39), (3.075056038e-4, 1.027343049e-3),
        _kowalik_osborne)
    # MGH: 85822.2 (m = 20).  x0 = (25, 5, -5, -1) as MGH and [566] (whose
    # ||r(x0)|| = 2815.438 confirms x4 = -1; some restatements print +1).
    add("brown_dennis", 16, 20, (25.0, 5.0, -5.0, -1.0), (85822.20163,), _brown_dennis,
        "m = 20 [566]")
    # MGH: 5.46489e-5.
    add("osborne1", 17, 33, (0.5, 1.5, -1.0, 0.01, 0.02), (5.464894697e-5,), _osborne1)
    # MGH: 0 at (1, 10, 1, 5, 4, 3); 5.65565e-3 if m = 13 (see module docstring).
    add("biggs_exp6", 18, 13, (1.0, 2.0, 1.0, 1.0, 1.0, 1.0), (0.0, 5.655649926e-3), _biggs_exp6,
        "m = 13 [566]")
    # MGH: 4.01377e-2.
    add("osborne2", 19, 65, (1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5),
        (4.013773629e-2,), _osborne2)
    # MGH: 2.28767e-3 (n = 6), 1.39976e-6 (n = 9), 4.72238e-10 (n = 12).
    add("watson_n6", 20, 31, [0.0] * 6, (2.287670054e-3,), _watson)
    add("ext_rosenbrock_n10", 21, 10, [-1.2, 1.0] * 5, (0.0,), _ext_rosenbrock)
    add("ext_powell_n12", 22, 12, [3.0, -1.0, 0.0, 1.0] * 3, (0.0,), _powell_singular)
    # MGH: 2.24997e-5 (n = 4), 7.08765e-5 (n = 10).
    add("penalty1_n4", 23, 5, range(1, 5), (2.249977501e-5,), _penalty1)
    # MGH: 9.37629e-6 (n = 4), 2.93660e-4 (n = 10).
    add("penalty2_n4", 24, 8, [0.5] * 4, (9.376293007e-6,), _penalty2)
    add("variably_dimensioned_n10", 25, 12, [1.0 - j / 10 for j in range(1, 11)], (0.0,),
        _variably_dimensioned)
    # MGH: 0.  The local minimum the start leads to: [GON].
    add("trigonometric_n10", 26, 10, [0.1] * 10, (0.0, 2.795056122e-5), _trigonometric,
        "local minimum [GON]")
    # MGH: 0 at (a, ..., a, a^(1-n)), n a^n - (n+1) a^(n-1) + 1 = 0 (e.g. a = 1);
    # 1 at (0, ..., 0, n + 1).
    add("brown_almost_linear_n10", 27, 10, [0.5] * 10, (0.0, 1.0), _brown_almost_linear)
    add("discrete_boundary_value_n10", 28, 10, _grid_start(10), (0.0,), _discrete_boundary_value)
    add("discrete_integral_equation_n10", 29, 10, _grid_start(10), (0.0,),
        _discrete_integral_equation)
    add("broyden_tridiagonal_n10", 30, 10, [-1.0] * 10, (0.0,), _broyden_tridiagonal)
    add("broyden_banded_n10", 31, 10, [-1.0] * 10, (0.0,), _broyden_banded, "ml = 5, mu = 1")
    # #32-#34: MGH f = m - n; m (m - 1) / (2 (2m + 1)); (m^2 + 3m - 6) / (2 (2m - 3)).
    add("linear_full_rank_n5_m10", 32, 10, [1.0] * 5, (10 - 5,), _linear_full_rank(10))
    add("linear_rank1_n5_m10", 33, 10, [1.0] * 5, (10 * 9 / (2.0 * 21),), _linear_rank1(10))
    add("linear_rank1_zero_n5_m10", 34, 10, [1.0] * 5, ((100 + 30 - 6) / (2.0 * 17),),
        _linear_rank1_zero(10))
    # MGH: 3.51687e-3 (n = m = 8).
    add("chebyquad_n8", 35, 8, [j / 9 for j in range(1, 9)], (3.516873726e-3,), _chebyquad(8))

    # --- additional sizes of the variable-dimension problems --------------
    add("watson_n9", 20, 31, [0.0] * 9, (1.399760138e-6,), _watson)
    add("watson_n12", 20, 31, [0.0] * 12, (4.722381106e-10,), _watson)
    add("penalty1_n10", 23, 11, range(1, 11), (7.087651467e-5,), _penalty1)
    add("penalty2_n10", 24, 20, [0.5] * 10, (2.936605375e-4,), _penalty2)
    for n in (30, 40):
        add(f"brown_almost_linear_n{n}", 27, n, [0.5] * n, (0.0, 1.0), _brown_almost_linear)
    # MGH: 0 (n = m = 9); 6.50395e-3 (n = m = 10), a local minimum; the global
    # one is [CUTE]'s 4.772713e-3.
    add("chebyquad_n9", 35, 9, [j / 10 for j in range(1, 10)], (0.0,), _chebyquad(9))
    add("chebyquad_n10", 35, 10, [j / 11 for j in range(1, 11)],
        (4.772713696e-3, 6.503954801e-3), _chebyquad(10), "global minimum [CUTE]")
    add("linear_full_rank_n5_m50", 32, 50, [1.0] * 5, (50 - 5,), _linear_full_rank(50))
    return tuple(P)


PROBLEMS = _build()
"""tuple of LsqProblem: the 44 held-out problems, MGH 1-35 first, then the extra sizes."""

_BY_NAME = {p.name: p for p in PROBLEMS}


def get(name):
    """The problem called ``name``.

    Parameters
    ----------
    name : str
        One of the names in ``PROBLEMS``.

    Returns
    -------
    LsqProblem

    Raises
    ------
    KeyError
        If there is no problem of that name.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no problem {name!r}; known: {', '.join(_BY_NAME)}") from None
