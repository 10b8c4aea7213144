"""Held-out problems of Moré, Garbow & Hillstrom (1981): numbers 19 and 23-35.

Twenty-seven entries (the variable-dimension problems at two sizes), objectives
``f = sum_i f_i(x)^2`` as in the paper; see the package docstring for sources
and minima.
"""
import numpy as np

from .record import jit as _jit, problem


# ---------------------------------------------------------------------------
# Moré, Garbow & Hillstrom (1981)
# ---------------------------------------------------------------------------

# MGH #19 Osborne 2 data: y_i, i = 1..65, at t_i = (i - 1) / 10.
_OSBORNE2_Y = np.array([
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725,
    0.746, 0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724,
    0.649, 0.649, 0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495,
    0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429,
    0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632,
    0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
    0.428, 0.292, 0.162, 0.098, 0.054])


@_jit
def _osborne2(x):
    """f = sum_i (y_i - x1 e^(-t_i x5) - sum_k x_k e^(-(t_i - x_(k+7))^2 x_(k+4)))^2, k = 2..4."""
    g = np.zeros(11)
    f = 0.0
    for i in range(65):
        t = 0.1 * i
        e1 = np.exp(-t * x[4])
        d2 = t - x[8]
        d3 = t - x[9]
        d4 = t - x[10]
        e2 = np.exp(-d2 * d2 * x[5])
        e3 = np.exp(-d3 * d3 * x[6])
        e4 = np.exp(-d4 * d4 * x[7])
        r = _OSBORNE2_Y[i] - (x[0] * e1 + x[1] * e2 + x[2] * e3 + x[3] * e4)
        f += r * r
        r2 = 2.0 * r
        g[0] -= r2 * e1
        g[1] -= r2 * e2
        g[2] -= r2 * e3
        g[3] -= r2 * e4
        g[4] += r2 * x[0] * t * e1
        g[5] += r2 * x[1] * d2 * d2 * e2
        g[6] += r2 * x[2] * d3 * d3 * e3
        g[7] += r2 * x[3] * d4 * d4 * e4
        g[8] -= r2 * x[1] * e2 * 2.0 * d2 * x[5]
        g[9] -= r2 * x[2] * e3 * 2.0 * d3 * x[6]
        g[10] -= r2 * x[3] * e4 * 2.0 * d4 * x[7]
    return f, g


@_jit
def _penalty1(x):
    """f = a sum_i (x_i - 1)^2 + (sum_j x_j^2 - 1/4)^2, a = 1e-5."""
    n = x.shape[0]
    a = 1e-5
    s = 0.0
    f = 0.0
    for j in range(n):
        s += x[j] * x[j]
        f += a * (x[j] - 1.0) ** 2
    q = s - 0.25
    f += q * q
    g = np.empty(n)
    for j in range(n):
        g[j] = 2.0 * a * (x[j] - 1.0) + 4.0 * q * x[j]
    return f, g


@_jit
def _penalty2(x):
    """MGH #24: (x_1 - 0.2)^2, exponential pairs weighted by a = 1e-5, and (sum_j (n-j+1)
    x_j^2 - 1)^2."""
    n = x.shape[0]
    a = 1e-5
    g = np.zeros(n)
    e = np.exp(x / 10.0)
    em = np.exp(-0.1)
    r1 = x[0] - 0.2
    f = r1 * r1
    g[0] += 2.0 * r1
    for i in range(1, n):                  # MGH i = 2..n (1-based)
        y = np.exp((i + 1) / 10.0) + np.exp(i / 10.0)
        r = e[i] + e[i - 1] - y
        f += a * r * r
        g[i] += 2.0 * a * r * e[i] / 10.0
        g[i - 1] += 2.0 * a * r * e[i - 1] / 10.0
        q = e[i] - em                      # MGH i = n+1..2n-1 uses x_2..x_n
        f += a * q * q
        g[i] += 2.0 * a * q * e[i] / 10.0
    s = 0.0
    for j in range(n):
        s += (n - j) * x[j] * x[j]
    s -= 1.0
    f += s * s
    for j in range(n):
        g[j] += 4.0 * s * (n - j) * x[j]
    return f, g


@_jit
def _vardim(x):
    """f = sum_j (x_j - 1)^2 + s^2 + s^4, s = sum_j j (x_j - 1)."""
    n = x.shape[0]
    f = 0.0
    s = 0.0
    for j in range(n):
        f += (x[j] - 1.0) ** 2
        s += (j + 1) * (x[j] - 1.0)
    s2 = s * s
    f += s2 + s2 * s2
    c = 2.0 * s + 4.0 * s2 * s
    g = np.empty(n)
    for j in range(n):
        g[j] = 2.0 * (x[j] - 1.0) + c * (j + 1)
    return f, g


@_jit
def _trigonometric(x):
    """f = sum_i (n - sum_j cos x_j + i (1 - cos x_i) - sin x_i)^2."""
    n = x.shape[0]
    c = np.cos(x)
    s = np.sin(x)
    sc = 0.0
    for j in range(n):
        sc += c[j]
    r = np.empty(n)
    f = 0.0
    sr = 0.0
    for i in range(n):
        r[i] = n - sc + (i + 1) * (1.0 - c[i]) - s[i]
        f += r[i] * r[i]
        sr += r[i]
    g = np.empty(n)
    for j in range(n):
        g[j] = 2.0 * (s[j] * sr + r[j] * ((j + 1) * s[j] - c[j]))
    return f, g


@_jit
def _brown_almost_linear(x):
    """f = sum_{i<n} (x_i + sum_j x_j - (n + 1))^2 + (prod_j x_j - 1)^2."""
    n = x.shape[0]
    s = 0.0
    for j in range(n):
        s += x[j]
    # products of all x_k but x_j, without division (x_j may be 0)
    pre = np.empty(n + 1)
    suf = np.empty(n + 1)
    pre[0] = 1.0
    suf[n] = 1.0
    for j in range(n):
        pre[j + 1] = pre[j] * x[j]
        suf[n - 1 - j] = suf[n - j] * x[n - 1 - j]
    rn = pre[n] - 1.0
    f = rn * rn
    r = np.empty(n - 1)
    sr = 0.0
    for i in range(n - 1):
        r[i] = x[i] + s - (n + 1.0)
        f += r[i] * r[i]
        sr += r[i]
    g = np.empty(n)
    for j in range(n):
        gj = sr + rn * pre[j] * suf[j + 1]
        if j < n - 1:
            gj += r[j]
        g[j] = 2.0 * gj
    return f, g


@_jit
def _discrete_boundary_value(x):
    """f = sum_i (2 x_i - x_(i-1) - x_(i+1) + h^2 (x_i + t_i + 1)^3 / 2)^2, x_0 = x_(n+1) = 0."""
    n = x.shape[0]
    h = 1.0 / (n + 1)
    r = np.empty(n)
    d = np.empty(n)
    f = 0.0
    for i in range(n):
        u = x[i] + (i + 1) * h + 1.0
        left = x[i - 1] if i > 0 else 0.0
        right = x[i + 1] if i < n - 1 else 0.0
        r[i] = 2.0 * x[i] - left - right + 0.5 * h * h * u * u * u
        d[i] = 2.0 + 1.5 * h * h * u * u
        f += r[i] * r[i]
    g = np.empty(n)
    for j in range(n):
        gj = r[j] * d[j]
        if j > 0:
            gj -= r[j - 1]
        if j < n - 1:
            gj -= r[j + 1]
        g[j] = 2.0 * gj
    return f, g


@_jit
def _discrete_integral_equation(x):
    """MGH #29: residuals x_i + h/2 [(1 - t_i) sum_{j<=i} t_j u_j^3 + t_i sum_{j>i} (1 - t_j)
    u_j^3]."""
    n = x.shape[0]
    h = 1.0 / (n + 1)
    t = np.empty(n)
    c = np.empty(n)
    dc = np.empty(n)
    for j in range(n):
        t[j] = (j + 1) * h
        u = x[j] + t[j] + 1.0
        c[j] = u * u * u
        dc[j] = 3.0 * u * u
    # a[i] = sum_{j<=i} t_j c_j,  b[i] = sum_{j>i} (1 - t_j) c_j
    a = np.empty(n)
    b = np.empty(n)
    acc = 0.0
    for i in range(n):
        acc += t[i] * c[i]
        a[i] = acc
    acc = 0.0
    for i in range(n - 1, -1, -1):
        b[i] = acc
        acc += (1.0 - t[i]) * c[i]
    r = np.empty(n)
    f = 0.0
    for i in range(n):
        r[i] = x[i] + 0.5 * h * ((1.0 - t[i]) * a[i] + t[i] * b[i])
        f += r[i] * r[i]
    # dr_i/dx_k = [i == k] + h/2 dc_k ((1 - t_i) t_k [k <= i] + t_i (1 - t_k) [k > i])
    p = np.empty(n)                        # p[k] = sum_{i>=k} (1 - t_i) r_i
    q = np.empty(n)                        # q[k] = sum_{i<k} t_i r_i
    acc = 0.0
    for k in range(n - 1, -1, -1):
        acc += (1.0 - t[k]) * r[k]
        p[k] = acc
    acc = 0.0
    for k in range(n):
        q[k] = acc
        acc += t[k] * r[k]
    g = np.empty(n)
    for k in range(n):
        g[k] = 2.0 * (r[k] + 0.5 * h * dc[k] * (t[k] * p[k] + (1.0 - t[k]) * q[k]))
    return f, g


@_jit
def _broyden_tridiagonal(x):
    """f = sum_i ((3 - 2 x_i) x_i - x_(i-1) - 2 x_(i+1) + 1)^2, x_0 = x_(n+1) = 0."""
    n = x.shape[0]
    r = np.empty(n)
    f = 0.0
    for i in range(n):
        left = x[i - 1] if i > 0 else 0.0
        right = x[i + 1] if i < n - 1 else 0.0
        r[i] = (3.0 - 2.0 * x[i]) * x[i] - left - 2.0 * right + 1.0
        f += r[i] * r[i]
    g = np.empty(n)
    for j in range(n):
        gj = (3.0 - 4.0 * x[j]) * r[j]
        if j < n - 1:
            gj -= r[j + 1]
        if j > 0:
            gj -= 2.0 * r[j - 1]
        g[j] = 2.0 * gj
    return f, g


@_jit
def _broyden_banded(x):
    """f = sum_i (x_i (2 + 5 x_i^2) + 1 - sum_{j in J_i} x_j (1 + x_j))^2, J_i = i-5..i+1
    without i."""
    n = x.shape[0]
    ml = 5
    mu = 1
    r = np.empty(n)
    f = 0.0
    for i in range(n):
        ri = x[i] * (2.0 + 5.0 * x[i] * x[i]) + 1.0
        for j in range(max(0, i - ml), min(n - 1, i + mu) + 1):
            if j != i:
                ri -= x[j] * (1.0 + x[j])
        r[i] = ri
        f += ri * ri
    g = np.empty(n)
    for k in range(n):
        # x_k enters r_i (i != k) for i - ml <= k <= i + mu
        acc = 0.0
        for i in range(max(0, k - mu), min(n - 1, k + ml) + 1):
            if i != k:
                acc += r[i]
        g[k] = 2.0 * (r[k] * (2.0 + 15.0 * x[k] * x[k]) - (1.0 + 2.0 * x[k]) * acc)
    return f, g


@_jit
def _linear_full_rank(x):
    """f = sum_{i<=n} (x_i - 2 S/m - 1)^2 + (m - n)(2 S/m + 1)^2, S = sum_j x_j, m = 2n."""
    # m = 2n residuals
    n = x.shape[0]
    m = 2 * n
    s = 0.0
    for j in range(n):
        s += x[j]
    c = -2.0 * s / m - 1.0
    r = np.empty(n)
    f = (m - n) * c * c
    sr = (m - n) * c
    for i in range(n):
        r[i] = x[i] + c
        f += r[i] * r[i]
        sr += r[i]
    g = np.empty(n)
    for j in range(n):
        g[j] = 2.0 * (r[j] - 2.0 * sr / m)
    return f, g


@_jit
def _linear_rank1(x):
    """f = sum_{i=1}^m (i sum_j j x_j - 1)^2, m = 2n."""
    # m = 2n residuals f_i = i sum_j j x_j - 1
    n = x.shape[0]
    m = 2 * n
    s = 0.0
    for j in range(n):
        s += (j + 1) * x[j]
    f = 0.0
    w = 0.0
    for i in range(1, m + 1):
        r = i * s - 1.0
        f += r * r
        w += i * r
    g = np.empty(n)
    for j in range(n):
        g[j] = 2.0 * (j + 1) * w
    return f, g


@_jit
def _linear_rank1_zero(x):
    """f = 2 + sum_{i=2}^{m-1} ((i - 1) sum_{j=2}^{n-1} j x_j - 1)^2, m = 2n."""
    # m = 2n residuals: f_1 = f_m = -1, f_i = (i - 1) sum_{j=2}^{n-1} j x_j - 1
    n = x.shape[0]
    m = 2 * n
    s = 0.0
    for j in range(1, n - 1):
        s += (j + 1) * x[j]
    f = 2.0
    w = 0.0
    for i in range(2, m):
        r = (i - 1) * s - 1.0
        f += r * r
        w += (i - 1) * r
    g = np.zeros(n)
    for j in range(1, n - 1):
        g[j] = 2.0 * (j + 1) * w
    return f, g


@_jit
def _chebyquad(x):
    """f = sum_{i=1}^n (mean_j T_i(2 x_j - 1) - int_0^1 T_i(2 t - 1) dt)^2."""
    # m = n; shifted Chebyshev polynomials T_i(2 x - 1)
    n = x.shape[0]
    m = n
    tv = np.empty((m + 1, n))              # T_i(y_j)
    td = np.empty((m + 1, n))              # dT_i/dy at y_j
    for j in range(n):
        y = 2.0 * x[j] - 1.0
        tv[0, j] = 1.0
        td[0, j] = 0.0
        tv[1, j] = y
        td[1, j] = 1.0
        for i in range(1, m):
            tv[i + 1, j] = 2.0 * y * tv[i, j] - tv[i - 1, j]
            td[i + 1, j] = 2.0 * tv[i, j] + 2.0 * y * td[i, j] - td[i - 1, j]
    f = 0.0
    g = np.zeros(n)
    for i in range(1, m + 1):
        r = 0.0
        for j in range(n):
            r += tv[i, j]
        r /= n
        if i % 2 == 0:
            r += 1.0 / (i * i - 1.0)
        f += r * r
        for j in range(n):
            g[j] += 2.0 * r * td[i, j] * 2.0 / n
    return f, g


def _mgh_grid_start(n):
    """MGH start x0_j = t_j (t_j - 1), t_j = j / (n + 1) (problems 28, 29)."""
    h = 1.0 / (n + 1)
    return tuple((j * h) * (j * h - 1.0) for j in range(1, n + 1))


def problems():
    """The entries of this family, in catalogue order (tuple of Problem)."""
    P = []

    def add(name, x0, fmins, fg, source):
        P.append(problem(name, x0, fmins, fg, source))

    # #19: m = 65, t_i = (i - 1)/10.  MGH: f = 4.01377e-2 (ten digits computed here).
    add("osborne2", (1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5),
        (4.013773629e-2,), _osborne2, "MGH 1981 #19 (Osborne 2)")
    # #23: a = 1e-5, m = n + 1.  MGH: f = 2.24997e-5 (n = 4), 7.08765e-5 (n = 10);
    # ten digits computed here (the PENALTY1 SIF file misprints 2.24997D-4).
    add("penalty1_n4", range(1, 5), (2.249977501e-5,), _penalty1, "MGH 1981 #23 (Penalty I)")
    add("penalty1_n10", range(1, 11), (7.087651467e-5,), _penalty1, "MGH 1981 #23 (Penalty I)")
    # #24: a = 1e-5, m = 2n.  MGH: f = 9.37629e-6 (n = 4), 2.93660e-4 (n = 10);
    # ten digits computed here.
    add("penalty2_n4", [0.5] * 4, (9.376293007e-6,), _penalty2, "MGH 1981 #24 (Penalty II)")
    add("penalty2_n10", [0.5] * 10, (2.936605375e-4,), _penalty2, "MGH 1981 #24 (Penalty II)")
    # #25: m = n + 2; f = 0 at x = 1.
    for n in (10, 50):
        add(f"vardim_n{n}", [1.0 - j / n for j in range(1, n + 1)], (0.0,), _vardim,
            "MGH 1981 #25 (Variably dimensioned)")
    # #26: m = n; MGH: f = 0.  For n = 10 the local minimum f = 2.79506e-5, which
    # the standard start leads to, is documented by gonum (optimize/functions,
    # Trigonometric.Minima); none is documented for n = 50 (5.451715701e-6 is
    # where BFGS and L-BFGS-B stop from the standard start).
    add("trigonometric_n10", [1.0 / 10] * 10, (0.0, 2.795056122e-5), _trigonometric,
        "MGH 1981 #26 (Trigonometric); local minimum: gonum optimize/functions")
    add("trigonometric_n50", [1.0 / 50] * 50, (0.0,), _trigonometric,
        "MGH 1981 #26 (Trigonometric)")
    # #27: m = n; f = 0 at (a, ..., a, a^(1-n)), and f = 1 at (0, ..., 0, n + 1).
    for n in (10, 50):
        add(f"brown_almost_linear_n{n}", [0.5] * n, (0.0, 1.0), _brown_almost_linear,
            "MGH 1981 #27 (Brown almost-linear)")
    # #28, #29: m = n; f = 0.
    for n in (10, 50):
        add(f"discrete_boundary_value_n{n}", _mgh_grid_start(n), (0.0,),
            _discrete_boundary_value, "MGH 1981 #28 (Discrete boundary value)")
    for n in (10, 50):
        add(f"discrete_integral_equation_n{n}", _mgh_grid_start(n), (0.0,),
            _discrete_integral_equation, "MGH 1981 #29 (Discrete integral equation)")
    # #30, #31 (ml = 5, mu = 1): m = n; f = 0.
    for n in (10, 50):
        add(f"broyden_tridiagonal_n{n}", [-1.0] * n, (0.0,), _broyden_tridiagonal,
            "MGH 1981 #30 (Broyden tridiagonal)")
    for n in (10, 50):
        add(f"broyden_banded_n{n}", [-1.0] * n, (0.0,), _broyden_banded,
            "MGH 1981 #31 (Broyden banded)")
    # #32-#34 with m = 2n.  MGH: f = m - n; m(m - 1) / (2(2m + 1));
    # (m^2 + 3m - 6) / (2(2m - 3)).  Exact.
    for n in (10, 50):
        m = 2 * n
        add(f"linear_full_rank_n{n}", [1.0] * n, (m - n,), _linear_full_rank,
            f"MGH 1981 #32 (Linear function - full rank), m = {m}")
    for n in (10, 50):
        m = 2 * n
        add(f"linear_rank1_n{n}", [1.0] * n, (m * (m - 1) / (2.0 * (2 * m + 1)),),
            _linear_rank1, f"MGH 1981 #33 (Linear function - rank 1), m = {m}")
    for n in (10, 50):
        m = 2 * n
        add(f"linear_rank1_zero_n{n}", [1.0] * n,
            ((m * m + 3 * m - 6) / (2.0 * (2 * m - 3)),), _linear_rank1_zero,
            f"MGH 1981 #34 (Linear function - rank 1 with zero columns and rows), m = {m}")
    # #35: m = n.  MGH: f = 3.51687e-3 (n = 8), 6.50395e-3 (n = 10); ten digits
    # computed here.  For n = 10 the MGH value is a local minimum (the one the
    # standard start leads to); the CHEBYQAD SIF file gives the lower
    # SOLTN(10) = 4.772713D-3.
    add("chebyquad_n8", [j / 9.0 for j in range(1, 9)], (3.516873726e-3,), _chebyquad,
        "MGH 1981 #35 (Chebyquad)")
    add("chebyquad_n10", [j / 11.0 for j in range(1, 11)], (4.772713696e-3, 6.503954801e-3),
        _chebyquad, "MGH 1981 #35 (Chebyquad); global minimum: CUTE CHEBYQAD")
    return tuple(P)
