"""Held-out CUTE problems (SIF definitions; Andrei 2008 restates most of them).

Seventeen entries; see the package docstring for sources and minima.
"""
import numpy as np

from .record import jit as _jit, problem


# ---------------------------------------------------------------------------
# CUTE problems (SIF definitions)
# ---------------------------------------------------------------------------

@_jit
def _arwhead(x):
    """f = sum_{i<n} ((x_i^2 + x_n^2)^2 - 4 x_i + 3)."""
    n = x.shape[0]
    xn2 = x[n - 1] * x[n - 1]
    f = 0.0
    g = np.zeros(n)
    for i in range(n - 1):
        u = x[i] * x[i] + xn2
        f += u * u - 4.0 * x[i] + 3.0
        g[i] = 4.0 * u * x[i] - 4.0
        g[n - 1] += 4.0 * u * x[n - 1]
    return f, g


@_jit
def _bdqrtic(x):
    """f = sum_{i<=n-4} ((3 - 4 x_i)^2 + (x_i^2 + 2 x_(i+1)^2 + 3 x_(i+2)^2 + 4 x_(i+3)^2 + 5
    x_n^2)^2)."""
    n = x.shape[0]
    f = 0.0
    g = np.zeros(n)
    xn = x[n - 1]
    for i in range(n - 4):
        r = 3.0 - 4.0 * x[i]
        q = (x[i] * x[i] + 2.0 * x[i + 1] * x[i + 1] + 3.0 * x[i + 2] * x[i + 2]
             + 4.0 * x[i + 3] * x[i + 3] + 5.0 * xn * xn)
        f += r * r + q * q
        g[i] += -8.0 * r + 4.0 * q * x[i]
        g[i + 1] += 8.0 * q * x[i + 1]
        g[i + 2] += 12.0 * q * x[i + 2]
        g[i + 3] += 16.0 * q * x[i + 3]
        g[n - 1] += 20.0 * q * xn
    return f, g


@_jit
def _dixmaan(x, alpha, beta, gamma, delta, k1, k2, k3, k4):
    """Dixon-Maany family, n = 3m, with weights (i/n)^k."""
    n = x.shape[0]
    m = n // 3
    f = 1.0
    g = np.zeros(n)
    for i in range(n):
        w = alpha * ((i + 1.0) / n) ** k1
        f += w * x[i] * x[i]
        g[i] += 2.0 * w * x[i]
    if beta != 0.0:
        for i in range(n - 1):
            w = beta * ((i + 1.0) / n) ** k2
            u = x[i + 1] + x[i + 1] * x[i + 1]
            f += w * x[i] * x[i] * u * u
            g[i] += 2.0 * w * x[i] * u * u
            g[i + 1] += 2.0 * w * x[i] * x[i] * u * (1.0 + 2.0 * x[i + 1])
    for i in range(2 * m):
        w = gamma * ((i + 1.0) / n) ** k3
        v = x[i + m]
        v2 = v * v
        f += w * x[i] * x[i] * v2 * v2
        g[i] += 2.0 * w * x[i] * v2 * v2
        g[i + m] += 4.0 * w * x[i] * x[i] * v2 * v
    for i in range(m):
        w = delta * ((i + 1.0) / n) ** k4
        f += w * x[i] * x[i + 2 * m]
        g[i] += w * x[i + 2 * m]
        g[i + 2 * m] += w * x[i]
    return f, g


@_jit
def _dixmaana(x):
    """DIXMAANA: alpha = 1, beta = 0, gamma = delta = 1/8, k = (0, 0, 0, 0)."""
    return _dixmaan(x, 1.0, 0.0, 0.125, 0.125, 0, 0, 0, 0)


@_jit
def _dixmaane(x):
    """DIXMAANE: alpha = 1, beta = 0, gamma = delta = 1/8, k = (1, 0, 0, 1)."""
    return _dixmaan(x, 1.0, 0.0, 0.125, 0.125, 1, 0, 0, 1)


@_jit
def _dqdrtic(x):
    """f = sum_{i<=n-2} (x_i^2 + 100 x_(i+1)^2 + 100 x_(i+2)^2)."""
    n = x.shape[0]
    f = 0.0
    g = np.zeros(n)
    for i in range(n - 2):
        f += x[i] * x[i] + 100.0 * (x[i + 1] * x[i + 1] + x[i + 2] * x[i + 2])
        g[i] += 2.0 * x[i]
        g[i + 1] += 200.0 * x[i + 1]
        g[i + 2] += 200.0 * x[i + 2]
    return f, g


@_jit
def _edensch(x):
    """f = 16 + sum_{i<n} ((x_i - 2)^4 + (x_i x_(i+1) - 2 x_(i+1))^2 + (x_(i+1) + 1)^2)."""
    n = x.shape[0]
    f = 16.0
    g = np.zeros(n)
    for i in range(n - 1):
        a = x[i] - 2.0
        b = (x[i] - 2.0) * x[i + 1]
        c = x[i + 1] + 1.0
        f += a * a * a * a + b * b + c * c
        g[i] += 4.0 * a * a * a + 2.0 * b * x[i + 1]
        g[i + 1] += 2.0 * b * (x[i] - 2.0) + 2.0 * c
    return f, g


@_jit
def _engval1(x):
    """f = sum_{i<n} ((x_i^2 + x_(i+1)^2)^2 - 4 x_i + 3)."""
    n = x.shape[0]
    f = 0.0
    g = np.zeros(n)
    for i in range(n - 1):
        u = x[i] * x[i] + x[i + 1] * x[i + 1]
        f += u * u - 4.0 * x[i] + 3.0
        g[i] += 4.0 * u * x[i] - 4.0
        g[i + 1] += 4.0 * u * x[i + 1]
    return f, g


@_jit
def _cragglvy(x):
    """f = sum_i ((e^(x_(2i-1)) - x_(2i))^4 + 100 (x_(2i) - x_(2i+1))^6 + (u + tan u)^4 +
    x_(2i-1)^8 + (x_(2i+2) - 1)^2), u = x_(2i+1) - x_(2i+2)."""
    # n = 2m + 2; group set i uses x_{2i-1}, ..., x_{2i+2} (1-based)
    n = x.shape[0]
    m = (n - 2) // 2
    f = 0.0
    g = np.zeros(n)
    for i in range(m):
        p = 2 * i
        ex = np.exp(x[p])
        a = ex - x[p + 1]
        b = x[p + 1] - x[p + 2]
        u = x[p + 2] - x[p + 3]
        cu = np.cos(u)
        c = u + np.tan(u)
        e = x[p + 3] - 1.0
        a3 = a * a * a
        b2 = b * b
        b5 = b2 * b2 * b
        c3 = c * c * c
        d2 = x[p] * x[p]
        d4 = d2 * d2
        f += a3 * a + 100.0 * b5 * b + c3 * c + d4 * d4 + e * e
        g[p] += 4.0 * a3 * ex + 8.0 * d4 * d2 * x[p]
        g[p + 1] += -4.0 * a3 + 600.0 * b5
        gc = 4.0 * c3 * (1.0 + 1.0 / (cu * cu))
        g[p + 2] += -600.0 * b5 + gc
        g[p + 3] += -gc + 2.0 * e
    return f, g


@_jit
def _nondia(x):
    """f = (x_1 - 1)^2 + sum_{i=2}^n 100 (x_1 - x_(i-1)^2)^2."""
    n = x.shape[0]
    g = np.zeros(n)
    r = x[0] - 1.0
    f = r * r
    g[0] = 2.0 * r
    for i in range(1, n):                  # SIF: 100 (x_1 - x_{i-1}^2)^2, i = 2..n
        r = x[0] - x[i - 1] * x[i - 1]
        f += 100.0 * r * r
        g[0] += 200.0 * r
        g[i - 1] -= 400.0 * r * x[i - 1]
    return f, g


@_jit
def _nondquar(x):
    """f = (x_1 - x_2)^2 + sum_{i<=n-2} (x_i + x_(i+1) + x_n)^4 + (x_(n-1) - x_n)^2."""
    n = x.shape[0]
    g = np.zeros(n)
    a = x[0] - x[1]
    b = x[n - 2] - x[n - 1]
    f = a * a + b * b
    g[0] += 2.0 * a
    g[1] -= 2.0 * a
    g[n - 2] += 2.0 * b
    g[n - 1] -= 2.0 * b
    for i in range(n - 2):
        u = x[i] + x[i + 1] + x[n - 1]
        u3 = u * u * u
        f += u3 * u
        g[i] += 4.0 * u3
        g[i + 1] += 4.0 * u3
        g[n - 1] += 4.0 * u3
    return f, g


@_jit
def _quartc(x):
    """f = sum_i (x_i - i)^4."""
    n = x.shape[0]
    f = 0.0
    g = np.empty(n)
    for i in range(n):
        u = x[i] - (i + 1.0)
        u3 = u * u * u
        f += u3 * u
        g[i] = 4.0 * u3
    return f, g


@_jit
def _tridia(x):
    """f = (x_1 - 1)^2 + sum_{i=2}^n i (2 x_i - x_(i-1))^2."""
    # alpha = 2, beta = 1, gamma = 1, delta = 1
    n = x.shape[0]
    g = np.zeros(n)
    r = x[0] - 1.0
    f = r * r
    g[0] = 2.0 * r
    for i in range(1, n):
        r = 2.0 * x[i] - x[i - 1]
        f += (i + 1) * r * r
        g[i] += 4.0 * (i + 1) * r
        g[i - 1] -= 2.0 * (i + 1) * r
    return f, g


@_jit
def _liarwhd(x):
    """f = sum_i (4 (x_i^2 - x_1)^2 + (x_i - 1)^2)."""
    n = x.shape[0]
    f = 0.0
    g = np.zeros(n)
    for i in range(n):
        a = x[i] * x[i] - x[0]
        b = x[i] - 1.0
        f += 4.0 * a * a + b * b
        g[i] += 16.0 * a * x[i] + 2.0 * b
        g[0] -= 8.0 * a
    return f, g


@_jit
def _tointgss(x):
    """f = sum_{i<=n-2} (10/(n-2) + x_(i+2)^2) (2 - exp(-(x_i - x_(i+1))^2 / (0.1 +
    x_(i+2)^2)))."""
    n = x.shape[0]
    ap = 10.0 / (n - 2)
    f = 0.0
    g = np.zeros(n)
    for i in range(n - 2):
        d = x[i] - x[i + 1]
        z = x[i + 2]
        a = ap + z * z
        t = 0.1 + z * z
        e = np.exp(-d * d / t)
        f += a * (2.0 - e)
        gd = 2.0 * a * e * d / t
        g[i] += gd
        g[i + 1] -= gd
        g[i + 2] += 2.0 * z * (2.0 - e) - 2.0 * a * e * d * d * z / (t * t)
    return f, g


@_jit
def _cube(x):
    """f = (x_1 - 1)^2 + sum_{i=2}^n 100 (x_i - x_(i-1)^3)^2."""
    n = x.shape[0]
    g = np.zeros(n)
    r = x[0] - 1.0
    f = r * r
    g[0] = 2.0 * r
    for i in range(1, n):
        r = x[i] - x[i - 1] ** 3
        f += 100.0 * r * r
        g[i] += 200.0 * r
        g[i - 1] -= 600.0 * r * x[i - 1] * x[i - 1]
    return f, g


@_jit
def _denschnf(x):
    """f = (2 (x1 + x2)^2 + (x1 - x2)^2 - 8)^2 + (5 x1^2 + (x2 - 3)^2 - 9)^2."""
    s = x[0] + x[1]
    d = x[0] - x[1]
    r1 = 2.0 * s * s + d * d - 8.0
    r2 = 5.0 * x[0] * x[0] + (x[1] - 3.0) ** 2 - 9.0
    g = np.empty(2)
    g[0] = 2.0 * r1 * (4.0 * s + 2.0 * d) + 2.0 * r2 * 10.0 * x[0]
    g[1] = 2.0 * r1 * (4.0 * s - 2.0 * d) + 2.0 * r2 * 2.0 * (x[1] - 3.0)
    return r1 * r1 + r2 * r2, g


@_jit
def _engval2(x):
    """Five squared residuals in three variables (Buckley #15)."""
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    r1 = x1 * x1 + x2 * x2 + x3 * x3 - 1.0
    r2 = x1 * x1 + x2 * x2 + (x3 - 2.0) ** 2 - 1.0
    r3 = x1 + x2 + x3 - 1.0
    r4 = x1 + x2 - x3 + 1.0
    w = 5.0 * x3 - x1 + 1.0
    r5 = x1 * x1 * x1 + 3.0 * x2 * x2 + w * w - 36.0
    f = r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5
    g = np.empty(3)
    g[0] = 2.0 * (2.0 * x1 * (r1 + r2) + r3 + r4 + r5 * (3.0 * x1 * x1 - 2.0 * w))
    g[1] = 2.0 * (2.0 * x2 * (r1 + r2) + r3 + r4 + 6.0 * x2 * r5)
    g[2] = 2.0 * (2.0 * x3 * r1 + 2.0 * (x3 - 2.0) * r2 + r3 - r4 + 10.0 * w * r5)
    return f, g


def problems():
    """The entries of this family, in catalogue order (tuple of Problem)."""
    P = []

    def add(name, x0, fmins, fg, source):
        P.append(problem(name, x0, fmins, fg, source))

    # f = 0 at x = (1, ..., 1, 0).
    add("arwhead_n100", [1.0] * 100, (0.0,), _arwhead,
        "CUTE ARWHEAD (Conn, Gould, Lescrenier & Toint 1988, #55); A08")
    # SIF: SOLTN(100) = 3.78769D+02; ten digits computed here.
    add("bdqrtic_n100", [1.0] * 100, (3.787691918e2,), _bdqrtic,
        "CUTE BDQRTIC (Conn, Gould, Lescrenier & Toint 1988, #61); A08")
    # m = 30.  f = 1 at x = 0 (the quadratic part is positive definite).
    add("dixmaana_n90", [2.0] * 90, (1.0,), _dixmaana,
        "CUTE DIXMAANA (Dixon & Maany 1988); A08")
    add("dixmaane_n90", [2.0] * 90, (1.0,), _dixmaane,
        "CUTE DIXMAANE (Dixon & Maany 1988); A08")
    add("dqdrtic_n100", [3.0] * 100, (0.0,), _dqdrtic, "CUTE DQDRTIC; A08")
    # SIF start 8 (A08 starts at 0).  SIF: SOLTN(36) = 219.28; ten digits computed here.
    add("edensch_n36", [8.0] * 36, (2.192845920e2,), _edensch,
        "CUTE EDENSCH (Li 1990); SIF start (A08 uses x0 = 0)")
    # No documented value for n = 50: established here (every method, every
    # multistart found this value and no lower one).
    add("engval1_n50", [2.0] * 50, (5.358221489e1,), _engval1,
        "CUTE ENGVAL1 (Toint 1983, #31); A08")
    # SIF form (u + tan u)^4 in the third group, as in A08; n = 2m + 2 with m = 4.
    # SIF: SOLTN(4) = 1.886566; ten digits computed here.
    add("cragglvy_n10", [1.0] + [2.0] * 9, (1.886565897,), _cragglvy,
        "CUTE CRAGGLVY (extended Cragg & Levy; Toint 1983, #32); A08")
    # SIF form 100 (x_1 - x_{i-1}^2)^2, as in A08: x_n does not enter f.
    add("nondia_n100", [-1.0] * 100, (0.0,), _nondia,
        "CUTE NONDIA (Shanno 1978); A08")
    # SIF form, last group (x_{n-1} - x_n)^2.  Singular minimizer x = 0.
    add("nondquar_n100", [1.0, -1.0] * 50, (0.0,), _nondquar,
        "CUTE NONDQUAR (Conn, Gould, Lescrenier & Toint 1988, #57); A08")
    # sum (x_i - i)^4; singular minimizer x_i = i.
    add("quartc_n100", [2.0] * 100, (0.0,), _quartc,
        "CUTE QUARTC (Buckley 1989, #157)")
    add("tridia_n100", [1.0] * 100, (0.0,), _tridia,
        "CUTE TRIDIA (Toint 1983, #8); A08")
    add("liarwhd_n100", [4.0] * 100, (0.0,), _liarwhd, "CUTE LIARWHD (Li 1990); A08")
    # SIF parameter 10/(n - 2) (some restatements use 10/(n + 2)): every term is
    # at least 10/(n - 2), with equality at x = 0, so f = 10 exactly.
    add("tointgss_n50", [3.0] * 50, (10.0,), _tointgss, "CUTE TOINTGSS (Toint 1983, #21)")
    add("cube", (-1.2, 1.0), (0.0,), _cube, "CUTE CUBE (Buckley 1989, #5)")
    add("denschnf", (2.0, 0.0), (0.0,), _denschnf,
        "CUTE DENSCHNF (Dennis & Schnabel 1983, p. 107); A08")
    add("engval2", (1.0, 2.0, 0.0), (0.0,), _engval2, "CUTE ENGVAL2 (Buckley 1989, #15)")
    return tuple(P)
