"""Stateful optimizers for a user's own training loop.

Each optimizer holds a float64 parameter array and updates it in place::

    params = np.zeros(10)
    opt = fastopt.optimizers.Adam(params, lr=1e-3)
    for batch in data:
        opt.step(grad(params, batch))      # params changes in place

``step`` is one fused compiled pass over memory (threaded above
``fastopt._kernels.steps.PARALLEL_MIN_SIZE`` elements, same result either way).
Defaults and formulas are those of the ``minimize`` methods of the same name
(``fastopt.show_options``).
"""
import numpy as np

from . import _registry
from ._kernels.steps import select

__all__ = ["Optimizer", "GD", "Momentum", "Nesterov", "AdaGrad", "RMSProp",
           "AdaDelta", "Adam", "AdaMax", "NAdam", "AMSGrad"]


class Optimizer:
    """Base class: in-place fused updates of one float64 array.

    Parameters
    ----------
    params : ndarray of float64
        C-contiguous and writeable, any shape; updated in place by ``step``.
    **hyper
        The method's hyperparameters (see the subclass).

    Attributes
    ----------
    params : ndarray
        The array given (not a copy).
    state : ndarray, shape (nslots, params.size)
        The moment buffers.
    t : int
        Number of steps taken.
    """

    method = None

    def __init__(self, params, **hyper):
        if not isinstance(params, np.ndarray):
            raise TypeError(f"params must be a numpy array, got {type(params).__name__}")
        if params.dtype != np.float64:
            raise TypeError(f"params must have dtype float64, got {params.dtype}")
        if not (params.flags.c_contiguous and params.flags.writeable):
            raise ValueError("params must be C-contiguous and writeable (it is updated in place)")
        spec = _registry.METHODS[self.method]
        for name, value in hyper.items():
            if value is None:
                raise ValueError(f"{type(self).__name__} needs a value for {name!r}")
        self.params = params
        self._flat = params.reshape(-1)
        self._kernel = select(spec.kernel_id, params.size)
        self.hyper, _ = _registry.resolve_hyper(spec, hyper)
        self.state = np.zeros((spec.nslots, params.size))
        self._powers = np.ones(2)  # running beta1^t, beta2^t (see _kernels/steps.py)
        self.t = 0

    def step(self, grad):
        """Apply one update with gradient ``grad`` (same shape as ``params``)."""
        if not isinstance(grad, np.ndarray) or grad.dtype != np.float64:
            grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != self.params.shape:
            raise ValueError(f"grad has shape {grad.shape}, params has {self.params.shape}")
        self.t += 1
        self._kernel(self._flat, self._flat, np.ascontiguousarray(grad).reshape(-1),
                   self.state, self.hyper, self._powers)

    def __repr__(self):
        names = _registry.METHODS[self.method].hyper_names
        args = ", ".join(f"{k}={v:g}" for k, v in zip(names, self.hyper))
        return f"{type(self).__name__}(<{self.params.size} params>, {args})"


class GD(Optimizer):
    """Plain gradient descent, ``x -= lr g``."""
    method = "gd"

    def __init__(self, params, lr):
        super().__init__(params, lr=lr)


class Momentum(Optimizer):
    """Heavy-ball momentum (Polyak 1964): ``v = momentum v + lr g; x -= v``."""
    method = "momentum"

    def __init__(self, params, lr=1e-2, momentum=0.9):
        super().__init__(params, lr=lr, momentum=momentum)


class Nesterov(Optimizer):
    """Nesterov accelerated gradient (Sutskever et al. 2013 form)."""
    method = "nesterov"

    def __init__(self, params, lr=1e-2, momentum=0.9):
        super().__init__(params, lr=lr, momentum=momentum)


class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al. 2011), ``eps`` outside the square root."""
    method = "adagrad"

    def __init__(self, params, lr=1e-1, eps=1e-8):
        super().__init__(params, lr=lr, eps=eps)


class RMSProp(Optimizer):
    """RMSProp (Tieleman and Hinton 2012), ``eps`` outside the square root."""
    method = "rmsprop"

    def __init__(self, params, lr=1e-3, beta=0.9, eps=1e-8):
        super().__init__(params, lr=lr, beta=beta, eps=eps)


class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012), ``eps`` inside the square roots."""
    method = "adadelta"

    def __init__(self, params, lr=1.0, rho=0.95, eps=1e-6):
        super().__init__(params, lr=lr, rho=rho, eps=eps)


class Adam(Optimizer):
    """Adam with bias correction (Kingma and Ba 2015), ``eps`` outside the root.

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
    """
    method = "adam"

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


class AdaMax(Optimizer):
    """AdaMax (Kingma and Ba 2015, Algorithm 2)."""
    method = "adamax"

    def __init__(self, params, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


class NAdam(Optimizer):
    """Nadam (Dozat 2016), constant ``beta1``."""
    method = "nadam"

    def __init__(self, params, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


class AMSGrad(Optimizer):
    """AMSGrad (Reddi et al. 2018) with Adam's bias correction."""
    method = "amsgrad"

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
