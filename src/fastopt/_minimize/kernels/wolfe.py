"""Strong-Wolfe line search of More and Thuente, in reverse communication.

More and Thuente (1994), "Line search algorithms with guaranteed sufficient
decrease", ACM TOMS 20(3), 286-307: find ``stp > 0`` with

    f(stp) <= f(0) + c1 stp f'(0)        (sufficient decrease)
    |f'(stp)| <= c2 |f'(0)|              (curvature)

for ``f(stp) = fun(x + stp d)``.  The search keeps an interval of uncertainty
``[stx, sty]`` and picks each trial by safeguarded cubic or quadratic
interpolation (``_safeguarded_step``, their section 4); until the interval
brackets a minimizer it works on the auxiliary function
``psi(stp) = f(stp) - f(0) - c1 stp f'(0)`` (their section 3).

The search never calls the objective.  It is a state machine in a small
float64 array ``ws`` (``WS_SIZE`` entries): ``start`` sets it up and returns
the first trial step; the caller evaluates ``f`` and ``f'`` at ``ws[STP]`` and
passes them to ``next_step``, which answers ``EVALUATE`` (evaluate at the new
``ws[STP]``), ``CONVERGED`` or one of the warnings below.  That lets the one
compiled search serve the Python driver and the compiled driver alike.

A NaN or inf value at a trial is not a failure: the step is cut back towards
the best point so far, and no later trial goes beyond the failed one.
"""
import numpy as np

from ..._core.jit import kernel

# Answers of next_step.
EVALUATE = 0
CONVERGED = 1
#: Warnings: the search cannot make progress; ``ws[STP]`` is the last step evaluated.
WARN_ROUNDING = 2   # rounding errors prevent progress (or the decrease asked for
                    # is below the resolution of f)
WARN_XTOL = 3       # the interval of uncertainty is below WIDTH_TOL
WARN_STPMAX = 4     # the step is at its upper bound
WARN_STPMIN = 5     # the step is at its lower bound
WARN_MAXLS = 6      # evaluation limit reached
WARN_NONFINITE = 7  # non-finite values persist however small the step

#: Relative width of the interval of uncertainty below which the search stops
#: (MINPACK-2's value in L-BFGS-B): the trial then goes back to the best point.
WIDTH_TOL = 0.1
#: Machine epsilon: the resolution of f relative to its size.
EPS = np.finfo(np.float64).eps
#: Bounds on the step, which is in units of the direction.  The upper one is
#: the caller's (``start``'s ``stpmax``); STPMAX is scipy's BFGS bound
#: (L-BFGS-B's 1e10 would stall a run whose gradients are 1e-50, whose first
#: step ``1 / |g|`` is 1e50).
STPMIN = 0.0
STPMAX = 1e100
#: Extrapolation range, as multiples of the last step, before bracketing.
XTRAPL = 1.1
XTRAPU = 4.0
#: Cut applied to the step after a non-finite trial, and how many such cuts
#: are allowed before giving up.
NONFINITE_CUT = 0.5
MAX_NONFINITE = 60

# Slots of the work array.
(STP, STX, FX, GX, STY, FY, GY, STMIN, STMAX, FINIT, GINIT, GTEST, WIDTH,
 WIDTH1, BRACKT, STAGE, C2, CAP, NEVAL, MAXLS, NBAD, UPPER, WS_SIZE) = range(23)


@kernel
def start(ws, f0, g0, stp, c1, c2, maxls, stpmax):
    """Begin a search from ``f(0) = f0``, ``f'(0) = g0 < 0`` with trial ``stp``;
    no step goes beyond ``stpmax`` (at most ``STPMAX``).

    Returns the first step to evaluate (``stp`` clipped to the bounds).
    """
    stpmax = min(stpmax, STPMAX)
    ws[UPPER] = stpmax
    stp = min(max(stp, STPMIN), stpmax)
    ws[STP] = stp
    ws[BRACKT] = 0.0
    ws[STAGE] = 1.0
    ws[FINIT] = f0
    ws[GINIT] = g0
    ws[GTEST] = c1 * g0
    ws[C2] = c2
    ws[WIDTH] = stpmax - STPMIN
    ws[WIDTH1] = 2.0 * (stpmax - STPMIN)
    ws[STX] = 0.0
    ws[FX] = f0
    ws[GX] = g0
    ws[STY] = 0.0
    ws[FY] = f0
    ws[GY] = g0
    ws[STMIN] = 0.0
    ws[STMAX] = stp + XTRAPU * stp
    ws[CAP] = STPMAX
    ws[NEVAL] = 0.0
    ws[MAXLS] = maxls
    ws[NBAD] = 0.0
    return stp


@kernel
def next_step(ws, f, g):
    """Take ``f = f(stp)``, ``g = f'(stp)`` at ``stp = ws[STP]``; return the next task."""
    stp = ws[STP]
    ws[NEVAL] += 1.0
    if not (np.isfinite(f) and np.isfinite(g)):
        # Treat the failed trial as an upper limit and cut back towards stx.
        ws[NBAD] += 1.0
        if ws[NBAD] > MAX_NONFINITE:
            return WARN_NONFINITE
        stx = ws[STX]
        ws[CAP] = stp
        ws[STMAX] = min(ws[STMAX], stp)
        ws[STP] = stx + NONFINITE_CUT * (stp - stx)
        return EVALUATE

    finit = ws[FINIT]
    ginit = ws[GINIT]
    gtest = ws[GTEST]
    brackt = ws[BRACKT] != 0.0
    stmin = ws[STMIN]
    stmax = ws[STMAX]
    ftest = finit + stp * gtest
    if ws[STAGE] == 1.0 and f <= ftest and g >= 0.0:
        ws[STAGE] = 2.0

    if f <= ftest and abs(g) <= ws[C2] * (-ginit):
        return CONVERGED
    if brackt and (stp <= stmin or stp >= stmax):
        return WARN_ROUNDING
    if brackt and stmax - stmin <= WIDTH_TOL * stmax:
        return WARN_XTOL
    if stp == ws[UPPER] and f <= ftest and g <= gtest:
        return WARN_STPMAX
    if stp == STPMIN and (f > ftest or g >= gtest):
        return WARN_STPMIN
    if ws[NEVAL] >= ws[MAXLS]:
        return WARN_MAXLS
    if f > ftest and -stp * ginit <= EPS * abs(finit):
        # The decrease asked for is below the resolution of f: shorter steps
        # cannot be told apart by their values.
        return WARN_ROUNDING

    stx = ws[STX]
    sty = ws[STY]
    if ws[STAGE] == 1.0 and f <= ws[FX] and f > ftest:
        # Stage 1 with a lower value than the best point but not yet enough
        # decrease: step on the auxiliary function psi (More-Thuente sec. 3).
        fm = f - stp * gtest
        fxm = ws[FX] - stx * gtest
        fym = ws[FY] - sty * gtest
        gm = g - gtest
        gxm = ws[GX] - gtest
        gym = ws[GY] - gtest
        stx, fxm, gxm, sty, fym, gym, stp, brackt = _safeguarded_step(
            stx, fxm, gxm, sty, fym, gym, stp, fm, gm, brackt, stmin, stmax)
        ws[FX] = fxm + stx * gtest
        ws[FY] = fym + sty * gtest
        ws[GX] = gxm + gtest
        ws[GY] = gym + gtest
    else:
        stx, fx, gx, sty, fy, gy, stp, brackt = _safeguarded_step(
            stx, ws[FX], ws[GX], sty, ws[FY], ws[GY], stp, f, g, brackt, stmin, stmax)
        ws[FX] = fx
        ws[GX] = gx
        ws[FY] = fy
        ws[GY] = gy
    ws[STX] = stx
    ws[STY] = sty

    if brackt:
        # Force a big enough decrease of the interval every two steps (bisection).
        if abs(sty - stx) >= 0.66 * ws[WIDTH1]:
            stp = stx + 0.5 * (sty - stx)
        ws[WIDTH1] = ws[WIDTH]
        ws[WIDTH] = abs(sty - stx)
        stmin = min(stx, sty)
        stmax = max(stx, sty)
    else:
        stmin = stp + XTRAPL * (stp - stx)
        stmax = stp + XTRAPU * (stp - stx)
    cap = ws[CAP]
    stmax = min(stmax, cap)
    stp = min(max(stp, STPMIN), ws[UPPER])
    if stp >= cap:
        stp = stx + NONFINITE_CUT * (cap - stx)
    if brackt and (stp <= stmin or stp >= stmax or stmax - stmin <= WIDTH_TOL * stmax):
        # No progress possible from here: go back to the best point.
        stp = stx
    ws[BRACKT] = 1.0 if brackt else 0.0
    ws[STMIN] = stmin
    ws[STMAX] = stmax
    ws[STP] = stp
    return EVALUATE


@kernel
def _cubic_min(s1, f1, d1, s2, f2, d2, toward):
    """``(theta, gamma)`` of the cubic through (s1, f1, d1) and (s2, f2, d2).

    The cubic's minimizer is found by the caller from these two numbers;
    ``toward`` (+1 or -1) is the sign of ``gamma``, which picks the root of
    the cubic's derivative on the side the caller needs.  The square root is
    taken of scaled quantities so it cannot overflow.
    """
    theta = 3.0 * (f1 - f2) / (s2 - s1) + d1 + d2
    s = max(abs(theta), abs(d1), abs(d2))
    gamma = s * np.sqrt(max(0.0, (theta / s) ** 2 - (d1 / s) * (d2 / s)))
    return theta, gamma * toward


@kernel
def _safeguarded_step(stx, fx, dx, sty, fy, dy, stp, fp, dp, brackt, stpmin, stpmax):
    """One safeguarded trial step (More and Thuente 1994, section 4).

    ``(stx, fx, dx)`` is the best point so far, ``(sty, fy, dy)`` the other
    end of the interval, ``(stp, fp, dp)`` the newest trial.  Returns the
    updated interval, the next trial and whether a minimizer is bracketed.
    """
    sgnd = dp * (dx / abs(dx)) if dx != 0.0 else 0.0
    if fp > fx:
        # Case 1: higher value, the minimizer is bracketed.  Take the cubic
        # step if it is closer to stx than the quadratic one, else their mean.
        theta, gamma = _cubic_min(stx, fx, dx, stp, fp, dp, -1.0 if stp < stx else 1.0)
        p = (gamma - dx) + theta
        q = ((gamma - dx) + gamma) + dp
        stpc = stx + p / q * (stp - stx)
        stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx)
        if abs(stpc - stx) < abs(stpq - stx):
            stpf = stpc
        else:
            stpf = stpc + (stpq - stpc) / 2.0
        brackt = True
    elif sgnd < 0.0:
        # Case 2: the derivatives have opposite signs, bracketed.  Take the
        # step farther from stp (cubic or secant).
        theta, gamma = _cubic_min(stx, fx, dx, stp, fp, dp, 1.0 if stp <= stx else -1.0)
        p = (gamma - dp) + theta
        q = ((gamma - dp) + gamma) + dx
        stpc = stp + p / q * (stx - stp)
        stpq = stp + (dp / (dp - dx)) * (stx - stp)
        stpf = stpc if abs(stpc - stp) > abs(stpq - stp) else stpq
        brackt = True
    elif abs(dp) < abs(dx):
        # Case 3: lower value, same sign, the derivative shrinks.  The cubic
        # is used only if it tends to infinity in the step's direction.
        theta, gamma = _cubic_min(stx, fx, dx, stp, fp, dp, 1.0 if stp <= stx else -1.0)
        p = (gamma - dp) + theta
        q = (gamma + (dx - dp)) + gamma
        r = p / q
        if r < 0.0 and gamma != 0.0:
            stpc = stp + r * (stx - stp)
        elif stp > stx:
            stpc = stpmax
        else:
            stpc = stpmin
        stpq = stp + (dp / (dp - dx)) * (stx - stp)
        if brackt:
            # Closer of the two, kept well inside the interval.
            stpf = stpc if abs(stpc - stp) < abs(stpq - stp) else stpq
            if stp > stx:
                stpf = min(stp + 0.66 * (sty - stp), stpf)
            else:
                stpf = max(stp + 0.66 * (sty - stp), stpf)
        else:
            stpf = stpc if abs(stpc - stp) > abs(stpq - stp) else stpq
            stpf = min(stpmax, max(stpmin, stpf))
    else:
        # Case 4: lower value, same sign, the derivative does not shrink.
        if brackt:
            theta, gamma = _cubic_min(sty, fy, dy, stp, fp, dp, 1.0 if stp <= sty else -1.0)
            p = (gamma - dp) + theta
            q = ((gamma - dp) + gamma) + dy
            stpf = stp + p / q * (sty - stp)
        elif stp > stx:
            stpf = stpmax
        else:
            stpf = stpmin
    # Update the interval.
    if fp > fx:
        sty, fy, dy = stp, fp, dp
    else:
        if sgnd < 0.0:
            sty, fy, dy = stx, fx, dx
        stx, fx, dx = stp, fp, dp
    return stx, fx, dx, sty, fy, dy, stpf, brackt
