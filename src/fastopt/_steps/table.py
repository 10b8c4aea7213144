"""The one table of first-order update rules, and everything built from it.

``RULES`` lists each rule once: its kernel source (``kernels.py``),
its hyperparameters with their defaults, its state vectors, its formula and
paper, and the name of its ``fastopt.optimizers`` class.  From a row come:
the named-tuple types of its hyperparameters and state, its serial and
threaded builds, its inlined build for the compiled loops, the
``minimize`` methods (``_minimize/table.py``), the ``fastopt.compiled``
solvers, the ``fastopt.optimizers`` classes, ``minimize_stochastic``'s
methods, ``show_options`` and the parametrisation of the tests and
benchmarks.  Adding a rule is its kernel, its row here, and its NumPy
oracle in ``fastopt.testing.oracles``.
"""
from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np

from .._core import validate
from .._core.jit import serial_and_parallel
from .._core.twin import twin
from . import kernels

#: Below this size a threaded build costs more in start-up than it saves.
PARALLEL_MIN_SIZE = 1 << 16


def _module_type(cls):
    # numba's cache pickles named-tuple types by module and name: make the
    # generated classes importable from here.
    cls.__module__ = __name__
    globals()[cls.__name__] = cls
    return cls


@dataclass(frozen=True)
class Step:
    """One first-order update rule.

    Attributes
    ----------
    name : str
        The ``method=`` string.
    rule : function
        The kernel source in ``kernels.py`` (``rule(x, out, g, lr, h, state, powers)``).
    hyper : dict
        Hyperparameter names and defaults, ``lr`` first; ``lr=None`` means
        the caller must give one (or, for gd in ``minimize``, a line search
        chooses it).
    state : tuple of str
        Names of the length-n state vectors, all starting at zero.
    update : str
        The formula, as the docs show it.
    reference : str
        The paper the kernel follows.
    optimizer : str
        The class name in ``fastopt.optimizers``.

    Derived: ``Hyper`` and ``State`` (named-tuple classes: the hyperparameters
    other than ``lr``, and the state vectors), ``serial`` and ``parallel``
    (compiled builds, bit-identical), ``hyper_names``.
    """

    name: str
    rule: object
    hyper: dict
    state: tuple
    update: str
    reference: str
    optimizer: str
    Hyper: type = field(init=False, repr=False)
    State: type = field(init=False, repr=False)
    serial: object = field(init=False, repr=False)
    parallel: object = field(init=False, repr=False)
    hyper_names: tuple = field(init=False, repr=False)

    def __post_init__(self):
        names = tuple(self.hyper)
        if names[0] != "lr":
            raise ValueError(f"{self.name}: the first hyperparameter must be lr")
        if self.hyper["lr"] is None and self.state:
            # A line search retries the step at shrinking lr: a rule with
            # state would update its moments once per retry.
            raise ValueError(f"{self.name}: only a stateless rule may leave lr to a line search")
        twin(self.rule, inline=True)  # compiled loops inline the rule
        serial, parallel = serial_and_parallel(self.rule)
        setter = object.__setattr__
        setter(self, "hyper_names", names)
        setter(self, "Hyper", _module_type(namedtuple(self.optimizer + "Hyper", names[1:])))
        setter(self, "State", _module_type(namedtuple(self.optimizer + "State", self.state)))
        setter(self, "serial", serial)
        setter(self, "parallel", parallel)

    @property
    def line_search(self):
        """Whether, with no ``lr``, ``minimize`` may choose the steps by a line search."""
        return self.hyper["lr"] is None

    def select(self, n):
        """The build to call from Python for ``n`` parameters.

        Threaded builds are only ever called from Python: caching a compiled
        function that embeds a ``parallel=True`` one has open bugs upstream
        (mismatched gufunc symbols, aborts on load: numba issues 4807, 10128).
        Compiled loops inline the rule's source instead.
        """
        return self.parallel if n >= PARALLEL_MIN_SIZE else self.serial

    def new_state(self, n):
        """Zero state vectors for ``n`` parameters."""
        return self.State(*(np.zeros(n) for _ in self.state))

    def resolve(self, given):
        """``(lr, Hyper)`` from the options ``given`` (a dict), defaults filled
        in and each value checked; ``lr`` is None when neither the options
        nor the defaults give one."""
        values = {}
        for name, default in self.hyper.items():
            value = given.get(name, default)
            values[name] = None if value is None else validate.option(name, value)
        lr = values.pop("lr")
        return lr, self.Hyper(**values)


_ADAM = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

RULES = {s.name: s for s in [
    Step("gd", kernels.gd, {"lr": None}, (),
         "`x -= lr g`; with no `lr`, an Armijo backtracking line search "
         "(`line_search='wolfe'`: the strong-Wolfe search)",
         "Nocedal and Wright (2006), Numerical Optimization, Alg. 3.1 "
         "(backtracking Armijo line search)", "GD"),
    Step("momentum", kernels.momentum, {"lr": 1e-2, "momentum": 0.9}, ("v",),
         "`v = momentum v + lr g; x -= v`",
         "Polyak (1964), heavy-ball method; Goodfellow et al. (2016) sec. 8.3.2", "Momentum"),
    Step("nesterov", kernels.nesterov, {"lr": 1e-2, "momentum": 0.9}, ("v",),
         "`v = momentum v + lr g; x -= momentum v + lr g`",
         "Nesterov (1983); Sutskever et al. (2013), ICML", "Nesterov"),
    Step("adagrad", kernels.adagrad, {"lr": 1e-1, "eps": 1e-8}, ("s",),
         "`s += g^2; x -= lr g / (sqrt(s) + eps)`",
         "Duchi, Hazan and Singer (2011), JMLR 12", "AdaGrad"),
    Step("rmsprop", kernels.rmsprop, {"lr": 1e-3, "beta": 0.9, "eps": 1e-8}, ("s",),
         "`s = beta s + (1-beta) g^2; x -= lr g / (sqrt(s) + eps)`",
         "Tieleman and Hinton (2012), Coursera lecture 6.5", "RMSProp"),
    Step("adadelta", kernels.adadelta, {"lr": 1.0, "rho": 0.95, "eps": 1e-6}, ("eg", "edx"),
         "Zeiler's rule, `sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps)`, scaled by `lr`",
         "Zeiler (2012), arXiv:1212.5701", "AdaDelta"),
    Step("adam", kernels.adam, _ADAM, ("m", "v"),
         "bias-corrected moments, `x -= lr m_hat / (sqrt(v_hat) + eps)`",
         "Kingma and Ba (2015), ICLR, Algorithm 1", "Adam"),
    Step("adamax", kernels.adamax, dict(_ADAM, lr=2e-3), ("m", "u"),
         "`u = max(beta2 u, abs(g) + eps); x -= lr / (1-beta1^t) m / u`",
         "Kingma and Ba (2015), ICLR, Algorithm 2", "AdaMax"),
    Step("nadam", kernels.nadam, dict(_ADAM, lr=2e-3), ("m", "v"),
         "Adam with a Nesterov look-ahead on `m`",
         "Dozat (2016), ICLR workshop", "NAdam"),
    Step("amsgrad", kernels.amsgrad, _ADAM, ("m", "v", "vmax"),
         "Adam with `v_max = max(v_max, v)` in the denominator",
         "Reddi, Kale and Kumar (2018), ICLR", "AMSGrad"),
]}
