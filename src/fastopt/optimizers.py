"""Stateful optimizers for a user's own training loop.

Each optimizer holds a float64 parameter array and updates it in place::

    params = np.zeros(10)
    opt = fastopt.optimizers.Adam(params, lr=1e-3)
    for batch in data:
        opt.step(grad(params, batch))      # params changes in place

``step`` is one fused compiled pass over memory (threaded from
``PARALLEL_MIN_SIZE`` elements on, same result either way).  The classes
are generated from the table of update rules: defaults and formulas are
those of the ``minimize`` methods of the same name (``fastopt.show_options``).

Examples
--------
>>> import numpy as np
>>> from fastopt.optimizers import Adam
>>> params = np.array([3.0, -2.0])
>>> opt = Adam(params, lr=0.1)
>>> for _ in range(500):
...     opt.step(2 * params)          # gradient of |params|^2
>>> bool(np.all(np.abs(params) < 1e-3))
True
>>> opt.t, opt.state.m.shape
(500, (2,))
"""
import inspect

import numpy as np

from ._core.jit import entry_point
from ._steps.table import RULES, PARALLEL_MIN_SIZE


class Optimizer:
    """Base class: in-place fused updates of one float64 array.

    Parameters
    ----------
    params : ndarray of float64
        C-contiguous and writeable, any shape; updated in place by ``step``.
    *hyper, **hyper
        The rule's hyperparameters (see the subclass), ``lr`` first.

    Attributes
    ----------
    params : ndarray
        The array given (not a copy).
    lr : float
    hyper : NamedTuple
        The other hyperparameters, by name.
    state : NamedTuple of ndarray
        The rule's state vectors, by name, each of ``params.size`` elements.
    t : int
        Number of steps taken.
    """

    rule = None

    def __init__(self, params, *args, **kwargs):
        bound = type(self).__signature__.bind(params, *args, **kwargs)
        bound.apply_defaults()
        given = dict(bound.arguments)
        del given["params"]
        if not isinstance(params, np.ndarray):
            raise TypeError(f"params must be a numpy array, got {type(params).__name__}")
        if params.dtype != np.float64:
            raise TypeError(f"params must have dtype float64, got {params.dtype}")
        if not (params.flags.c_contiguous and params.flags.writeable):
            raise ValueError("params must be C-contiguous and writeable (it is updated in place)")
        for name, value in given.items():
            if value is None:
                raise ValueError(f"{type(self).__name__} needs a value for {name!r}")
        self.params = params
        self._flat = params.reshape(-1)
        self.lr, self.hyper = self.rule.resolve(given)
        self.state = self.rule.new_state(params.size)
        self._powers = np.ones(2)  # running beta1^t, beta2^t (see _steps/kernels.py)
        # The compiled step without numba's per-call typing of the tuples.
        self._step = entry_point(self.rule.select(params.size), self._flat, self._flat,
                                 self._flat, self.lr, self.hyper, self.state, self._powers)
        self.t = 0

    def step(self, grad):
        """Apply one update with gradient ``grad`` (same shape as ``params``)."""
        if not isinstance(grad, np.ndarray) or grad.dtype != np.float64:
            grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != self.params.shape:
            raise ValueError(f"grad has shape {grad.shape}, params has {self.params.shape}")
        self.t += 1
        self._step(self._flat, self._flat, np.ascontiguousarray(grad).reshape(-1), self.lr,
                   self.hyper, self.state, self._powers)

    def __repr__(self):
        values = {"lr": self.lr, **self.hyper._asdict()}
        args = ", ".join(f"{k}={v:g}" for k, v in values.items())
        return f"{type(self).__name__}(<{self.params.size} params>, {args})"


def _optimizer(rule):
    """The ``Optimizer`` subclass of one rule of the table."""
    parameters = [inspect.Parameter("params", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    parameters += [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                     **({} if default is None else {"default": default}))
                   for name, default in rule.hyper.items()]
    doc = (f"{rule.name}: {rule.update.replace('`', '``')}.\n\n    {rule.reference}.  "
           f"State vectors: {', '.join(rule.state) or 'none'}.")
    cls = type(rule.optimizer, (Optimizer,), {"rule": rule, "__doc__": doc,
                                              "__module__": __name__})
    cls.__signature__ = inspect.Signature(parameters)
    return cls


for _rule in RULES.values():
    globals()[_rule.optimizer] = _optimizer(_rule)

__all__ = ["Optimizer", "PARALLEL_MIN_SIZE", *(r.optimizer for r in RULES.values())]
