"""Learning-rate schedules ``k -> gamma_k`` for stochastic gradient methods.

The index ``k`` counts updates (mini-batch steps) over the whole run,
starting at ``k = 0`` for the first update; it does not restart at each
epoch.  With ``N`` samples and batches of ``b``, one epoch is
``ceil(N / b)`` updates.

========================================  ==================================  ==============
schedule                                  ``gamma_k``                         Robbins-Monro
========================================  ==================================  ==============
``Constant(lr)``                          ``lr``                              no
``ExponentialDecay(lr0, rate)``           ``lr0 * rate**k``                   no
``StepDecay(lr0, factor, every)``         ``lr0 * factor**(k // every)``      no
``InverseTime(lr0, k0, alpha)``           ``lr0 * (1 + k/k0)**(-alpha)``      iff alpha > 1/2
``RobbinsMonro(lr0)``                     ``lr0 / (k + 1)``                   yes
``FromCallable(fun)``                     ``fun(k)``                          unknown (None)
========================================  ==================================  ==============

**The Robbins-Monro conditions** (Robbins and Monro 1951) on non-negative
step sizes are

    sum_k gamma_k = inf    and    sum_k gamma_k**2 < inf.

The first lets the iterates travel any distance, so they can reach the
minimiser from any start; the second makes the accumulated gradient noise,
whose variance is ``sum gamma_k**2 Var(g)``, finite, so the iterates settle
instead of wandering.  Together (with a strictly/strongly convex objective
and gradients of bounded variance) they give convergence of SGD to the
minimiser; for non-convex objectives they give ``E ||grad F(x_k)|| -> 0``
along a subsequence (Bottou, Curtis and Nocedal 2018, Section 4: Theorems 4.7
and 4.10).  Each schedule's ``robbins_monro`` attribute says whether it
satisfies them, and its docstring says why:

* ``Constant``: ``sum gamma_k**2 = inf``.  SGD with a fixed step converges
  fast (linearly, on a strongly convex objective) but only to a neighbourhood
  of the minimiser whose size is proportional to ``lr`` (Bottou, Curtis and
  Nocedal 2018, Theorem 4.6).
* ``ExponentialDecay`` and ``StepDecay`` with a factor below 1:
  ``sum gamma_k`` is finite (a geometric series), so the iterates move at
  most a bounded distance and may stop short of the minimiser.  Common in
  practice all the same.
* ``InverseTime``, the algebraic decay ``gamma_k ~ k**(-alpha)``: the sum
  diverges for ``alpha <= 1`` and the sum of squares converges for
  ``alpha > 1/2``, so it satisfies the conditions exactly for
  ``alpha in (1/2, 1]``.  With ``alpha in (1/2, 1)`` and averaged iterates,
  SGD attains the optimal asymptotic covariance (Polyak and Juditsky 1992).
* ``RobbinsMonro``: Robbins and Monro's own ``gamma_k proportional to
  1/k``, here ``lr0 / (k + 1)`` so that the first update uses ``lr0``.

**Compiled use.**  Every built-in schedule is also a pair
``(schedule.kind, schedule.params)``: an integer code and a float64 array,
evaluated by the numba function ``learning_rate(kind, params, k)``, so a
compiled training loop needs no Python call per update.  A user callable
has kind ``CALLABLE``: it can only be evaluated in Python, and
``schedule.values(start, count)`` precomputes a block of rates (e.g. one
epoch's) for a compiled loop to read.

References
----------
H. Robbins and S. Monro, "A stochastic approximation method", Ann. Math.
Statist. 22 (1951) 400-407.

B. T. Polyak and A. B. Juditsky, "Acceleration of stochastic approximation
by averaging", SIAM J. Control Optim. 30 (1992) 838-855.

L. Bottou, F. E. Curtis and J. Nocedal, "Optimization methods for
large-scale machine learning", SIAM Review 60 (2018) 223-311.

Examples
--------
>>> from fastopt import schedules
>>> sched = schedules.InverseTime(0.1, k0=100, alpha=0.75)
>>> sched(0), sched(1500)
(0.1, 0.0125)
>>> sched.robbins_monro
True
>>> schedules.as_schedule(0.01)
Constant(lr=0.01)
>>> schedules.StepDecay(1.0, factor=0.5, every=2).values(0, 6)
array([1.  , 1.  , 0.5 , 0.5 , 0.25, 0.25])
"""
import math
import numbers
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._core.jit import kernel
from .._core.validate import in_interval, integer, positive

__all__ = ["Schedule", "Constant", "ExponentialDecay", "StepDecay", "InverseTime",
           "RobbinsMonro", "FromCallable", "as_schedule", "learning_rate",
           "fill_learning_rates", "CONSTANT", "EXPONENTIAL", "STEP", "INVERSE_TIME",
           "ROBBINS_MONRO", "CALLABLE"]

#: ``kind`` codes of ``learning_rate``; ``CALLABLE``: a Python callable, which
#: compiled code cannot evaluate (``learning_rate`` returns NaN for it).
CONSTANT, EXPONENTIAL, STEP, INVERSE_TIME, ROBBINS_MONRO = 0, 1, 2, 3, 4
CALLABLE = -1


@kernel
def learning_rate(kind, params, k):
    """``gamma_k`` of the built-in schedule ``(kind, params)`` (numba).

    ``params`` is the schedule's ``params`` array, ``k >= 0`` the update
    index.  Returns NaN for ``k < 0``, for ``CALLABLE`` and for an unknown
    ``kind``, so that a compiled loop's finiteness checks catch a misuse.
    The formulas are those of the classes' ``__call__``, operation for
    operation (``math.pow`` rather than ``**``, which numba evaluates by
    repeated squaring for an integer exponent), so both agree to rounding:
    bit for bit where numba and CPython call the same C ``pow``.
    """
    if k < 0:
        return math.nan
    if kind == CONSTANT:
        return params[0]
    if kind == EXPONENTIAL:
        return params[0] * math.pow(params[1], float(k))
    if kind == STEP:
        return params[0] * math.pow(params[1], float(k // np.int64(params[2])))
    if kind == INVERSE_TIME:
        return params[0] * math.pow(1.0 + k / params[1], -params[2])
    if kind == ROBBINS_MONRO:
        return params[0] / (k + 1.0)
    return math.nan


@kernel
def fill_learning_rates(kind, params, start, out):
    """``out[i] = learning_rate(kind, params, start + i)`` (numba)."""
    for i in range(out.size):
        out[i] = learning_rate(kind, params, start + i)


# ------------------------------------------------------------------- schedules

class Schedule:
    """Base class of the schedules: ``gamma_k`` for update ``k = 0, 1, ...``.

    Attributes
    ----------
    kind : int
        Code for ``learning_rate`` (``CALLABLE`` for a Python callable).
    params : numpy.ndarray
        float64 parameters for ``learning_rate`` (a new array at each access).
    robbins_monro : bool or None
        Whether ``sum gamma_k = inf`` and ``sum gamma_k**2 < inf`` (None:
        unknown).
    """

    kind: ClassVar[int]

    @property
    def params(self):
        return np.array(self._param_tuple(), dtype=np.float64)

    def __call__(self, k):
        """``gamma_k``, the learning rate of update ``k`` (``k = 0`` first)."""
        return self._rate(integer("k", k, 0))

    def values(self, start, count):
        """``gamma_k`` for ``k = start, ..., start + count - 1`` (float64 array).

        Built-in schedules are evaluated by the compiled ``learning_rate``,
        so these are exactly the rates a compiled loop computes.
        """
        start = integer("start", start, 0)
        out = np.empty(integer("count", count, 0))
        fill_learning_rates(self.kind, self.params, start, out)
        return out


@dataclass(frozen=True)
class Constant(Schedule):
    """``gamma_k = lr`` for every update.

    ``robbins_monro`` is False: ``sum gamma_k**2 = inf``, so the gradient
    noise never averages out; SGD with a fixed step reaches only a
    neighbourhood of the minimiser whose size is proportional to ``lr``
    (Bottou, Curtis and Nocedal 2018, Theorem 4.6).

    Parameters
    ----------
    lr : float
        Positive and finite.

    Examples
    --------
    >>> from fastopt.schedules import Constant
    >>> Constant(0.1)(0), Constant(0.1)(10**6)
    (0.1, 0.1)
    """

    lr: float
    kind: ClassVar[int] = CONSTANT
    robbins_monro: ClassVar[bool] = False

    def __post_init__(self):
        object.__setattr__(self, "lr", positive("lr", self.lr))

    def _param_tuple(self):
        return (self.lr,)

    def _rate(self, k):
        return self.lr


@dataclass(frozen=True)
class ExponentialDecay(Schedule):
    """``gamma_k = lr0 * rate**k``.

    ``robbins_monro`` is False: for ``rate < 1``, ``sum gamma_k =
    lr0 / (1 - rate)`` is finite, so the iterates travel at most that times
    the largest gradient norm and may stop short of the minimiser; for
    ``rate = 1`` (a constant) ``sum gamma_k**2 = inf``.  Choose ``rate``
    from the number ``K`` of updates over which the rate should fall by a
    factor ``q``: ``rate = q**(1/K)``.

    Parameters
    ----------
    lr0 : float
        Rate of the first update, positive and finite.
    rate : float
        Decay factor per update, in ``(0, 1]``.

    Examples
    --------
    >>> from fastopt.schedules import ExponentialDecay
    >>> sched = ExponentialDecay(1.0, rate=0.5)
    >>> [sched(k) for k in range(4)]
    [1.0, 0.5, 0.25, 0.125]
    """

    lr0: float
    rate: float
    kind: ClassVar[int] = EXPONENTIAL
    robbins_monro: ClassVar[bool] = False

    def __post_init__(self):
        object.__setattr__(self, "lr0", positive("lr0", self.lr0))
        object.__setattr__(self, "rate", in_interval("rate", self.rate, 0, 1.0, high_in=True))

    def _param_tuple(self):
        return (self.lr0, self.rate)

    def _rate(self, k):
        return self.lr0 * math.pow(self.rate, float(k))


@dataclass(frozen=True)
class StepDecay(Schedule):
    """``gamma_k = lr0 * factor**(k // every)``: multiplied by ``factor``
    after every ``every`` updates.

    ``every`` counts updates, not epochs: to decay every ``E`` epochs of
    ``N`` samples in batches of ``b``, take ``every = E * ceil(N / b)``.

    ``robbins_monro`` is False: for ``factor < 1``, ``sum gamma_k =
    every * lr0 / (1 - factor)`` is finite (as for ``ExponentialDecay``);
    for ``factor = 1`` (a constant) ``sum gamma_k**2 = inf``.

    Parameters
    ----------
    lr0 : float
        Rate of the first ``every`` updates, positive and finite.
    factor : float
        In ``(0, 1]``.
    every : int
        Updates between decays, ``>= 1``.

    Examples
    --------
    >>> from fastopt.schedules import StepDecay
    >>> sched = StepDecay(0.1, factor=0.1, every=1000)
    >>> sched(999), round(sched(1000), 12), round(sched(2000), 12)
    (0.1, 0.01, 0.001)
    """

    lr0: float
    factor: float
    every: int
    kind: ClassVar[int] = STEP
    robbins_monro: ClassVar[bool] = False

    def __post_init__(self):
        object.__setattr__(self, "lr0", positive("lr0", self.lr0))
        object.__setattr__(self, "factor",
                           in_interval("factor", self.factor, 0, 1.0, high_in=True))
        object.__setattr__(self, "every", integer("every", self.every, 1))

    def _param_tuple(self):
        return (self.lr0, self.factor, float(self.every))

    def _rate(self, k):
        return self.lr0 * math.pow(self.factor, float(k // self.every))


@dataclass(frozen=True)
class InverseTime(Schedule):
    """Algebraic decay ``gamma_k = lr0 * (1 + k / k0)**(-alpha)``.

    ``gamma_0 = lr0``; the rate stays near ``lr0`` for the first ``k0``
    updates, then falls like ``k**(-alpha)``.  With ``alpha = 1`` it is
    ``lr0 k0 / (k0 + k)``, the ``beta / (gamma + k)`` of Bottou, Curtis and
    Nocedal (2018, Theorem 4.7), which gives ``E[F(x_k)] - F* = O(1/k)`` on
    a strongly convex objective when ``lr0 k0`` is large enough compared
    with the inverse of the strong convexity constant.

    ``robbins_monro`` is ``alpha > 1/2``: ``sum (1 + k/k0)**(-alpha)``
    diverges for ``alpha <= 1`` and ``sum (1 + k/k0)**(-2 alpha)`` converges
    iff ``2 alpha > 1`` (integral test).  ``alpha in (1/2, 1)`` with averaged
    iterates is Polyak and Juditsky's (1992) choice, which attains the
    optimal asymptotic covariance.  ``alpha in (0, 1/2]`` is allowed (with
    ``robbins_monro`` False) because ``k**(-1/2)`` steps with iterate
    averaging are the standard choice for non-smooth convex problems, where
    the sum of squares need not be finite; ``alpha > 1`` is refused: then
    ``sum gamma_k < inf`` and the iterates may stop short of the minimiser.

    Parameters
    ----------
    lr0 : float
        Rate of the first update, positive and finite.
    k0 : float
        Time scale of the decay (in updates), positive and finite.
    alpha : float, optional
        Exponent in ``(0, 1]``; default 1.

    Examples
    --------
    >>> from fastopt.schedules import InverseTime
    >>> sched = InverseTime(1.0, k0=10)
    >>> sched(0), sched(10), sched(90)
    (1.0, 0.5, 0.1)
    >>> sched.robbins_monro, InverseTime(1.0, k0=10, alpha=0.5).robbins_monro
    (True, False)
    """

    lr0: float
    k0: float
    alpha: float = 1.0
    kind: ClassVar[int] = INVERSE_TIME

    def __post_init__(self):
        object.__setattr__(self, "lr0", positive("lr0", self.lr0))
        object.__setattr__(self, "k0", positive("k0", self.k0))
        object.__setattr__(self, "alpha", in_interval(
            "alpha", self.alpha, 0, 1.0, high_in=True,
            why=" (only (0.5, 1] satisfies Robbins-Monro)"))

    @property
    def robbins_monro(self):
        return self.alpha > 0.5

    def _param_tuple(self):
        return (self.lr0, self.k0, self.alpha)

    def _rate(self, k):
        return self.lr0 * math.pow(1.0 + k / self.k0, -self.alpha)


@dataclass(frozen=True)
class RobbinsMonro(Schedule):
    """``gamma_k = lr0 / (k + 1)``, with ``k = 0`` for the first update.

    Robbins and Monro's (1951) ``a_n = c / n`` for ``n = 1, 2, ...``, indexed
    from 0; ``InverseTime(lr0, k0=1, alpha=1)`` gives the same values (up to
    rounding).

    ``robbins_monro`` is True: ``sum 1/(k+1)`` (the harmonic series)
    diverges and ``sum 1/(k+1)**2 = pi**2/6``.  The fast ``O(1/k)`` rate
    needs ``lr0`` at least of order one over the strong convexity constant;
    a smaller ``lr0`` can make progress very slow (Bottou, Curtis and Nocedal
    2018, Theorem 4.7): ``InverseTime`` with a larger ``k0`` starts slower.

    Parameters
    ----------
    lr0 : float
        Rate of the first update, positive and finite.

    Examples
    --------
    >>> from fastopt.schedules import RobbinsMonro
    >>> sched = RobbinsMonro(1.0)
    >>> sched(0), sched(1), sched(3)
    (1.0, 0.5, 0.25)
    """

    lr0: float
    kind: ClassVar[int] = ROBBINS_MONRO
    robbins_monro: ClassVar[bool] = True

    def __post_init__(self):
        object.__setattr__(self, "lr0", positive("lr0", self.lr0))

    def _param_tuple(self):
        return (self.lr0,)

    def _rate(self, k):
        return self.lr0 / (k + 1.0)


@dataclass(frozen=True)
class FromCallable(Schedule):
    """A user function ``fun(k) -> lr`` as a schedule (kind ``CALLABLE``).

    ``fun`` is called once with ``k = 0`` here, to check it, and its value
    at every ``k`` must be a finite real number ``>= 0`` (zero allowed, e.g.
    for a warm-up starting at 0).  Compiled code cannot call it:
    ``values(start, count)`` evaluates a block of rates in Python for a
    compiled loop to read.

    ``robbins_monro`` is None: whether ``fun`` satisfies the conditions is
    not known.

    Parameters
    ----------
    fun : callable
        ``fun(k)`` for integer ``k >= 0``.

    Examples
    --------
    Linear warm-up over 100 updates, then ``1/sqrt(k)`` decay:

    >>> import math
    >>> from fastopt.schedules import FromCallable
    >>> sched = FromCallable(lambda k: 0.1 * min((k + 1) / 100, math.sqrt(100 / (k + 1))))
    >>> round(sched(0), 6), round(sched(99), 6), round(sched(399), 6)
    (0.001, 0.1, 0.05)
    """

    fun: Any
    kind: ClassVar[int] = CALLABLE
    robbins_monro: ClassVar[None] = None

    def __post_init__(self):
        if not callable(self.fun):
            raise TypeError(f"fun must be callable, got {type(self.fun).__name__}")
        self._rate(0)

    def _param_tuple(self):
        return ()

    def _rate(self, k):
        value = self.fun(k)
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"the schedule callable must return a real number, got "
                            f"{type(value).__name__} at k={k}")
        value = float(value)
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"the schedule callable must return a finite learning rate "
                             f">= 0, got {value!r} at k={k}")
        return value

    def values(self, start, count):
        """``fun(k)`` for ``k = start, ..., start + count - 1``, each checked."""
        start = integer("start", start, 0)
        count = integer("count", count, 0)
        return np.array([self._rate(k) for k in range(start, start + count)],
                        dtype=np.float64).reshape(count)


def as_schedule(value, default=None):
    """Normalise a learning-rate specification into a ``Schedule``.

    Parameters
    ----------
    value : None, float, Schedule or callable
        A real number: ``Constant(value)`` (positive and finite).  A
        ``Schedule``: returned as it is.  Any other callable ``k -> lr``:
        ``FromCallable(value)``, which calls it once at ``k = 0`` to check
        it.  None: ``default`` instead.
    default : float, Schedule or callable, optional
        Used when ``value`` is None; if it is None too, ValueError.

    Returns
    -------
    Schedule

    Raises
    ------
    TypeError
        ``value`` is none of the above (a bool, a string, a complex number,
        an array), or the callable returns no real number.
    ValueError
        A non-positive or non-finite number, a callable returning a negative
        or non-finite value at ``k = 0``, or None with no default.

    Examples
    --------
    >>> from fastopt.schedules import as_schedule, RobbinsMonro
    >>> as_schedule(0.05)
    Constant(lr=0.05)
    >>> as_schedule(None, default=0.1)
    Constant(lr=0.1)
    >>> as_schedule(RobbinsMonro(0.5))
    RobbinsMonro(lr0=0.5)
    >>> as_schedule(lambda k: 1.0 / (k + 10)).kind
    -1
    """
    if value is None:
        if default is None:
            raise ValueError("a learning rate is needed: a number, a schedule or a "
                             "callable k -> lr")
        return as_schedule(default)
    if isinstance(value, Schedule):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return Constant(value)
    if callable(value):
        return FromCallable(value)
    raise TypeError(f"a learning rate must be a number, a schedule or a callable "
                    f"k -> lr, got {type(value).__name__}")
