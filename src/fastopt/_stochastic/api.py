"""``fastopt.minimize_stochastic``: mini-batch training with the fused first-order kernels."""
import math
import textwrap

import numpy as np
from numba import types, typeof
from numba.extending import is_jitted
from scipy.optimize import OptimizeResult

from .._core import codes, validate
from .._core.jit import entry_point
from .._core.status import STOCHASTIC
from . import schedules, shuffle
from .epochs import compiled_epoch, epoch
from .table import METHODS


def _data_tuple(data, name):
    """``data`` as a tuple of arrays of one length ``N`` along axis 0."""
    if isinstance(data, np.ndarray) or not isinstance(data, (tuple, list)):
        raise TypeError(f"{name} must be a tuple of arrays (sliced together along axis 0), "
                        f"got {type(data).__name__}")
    if len(data) == 0:
        raise ValueError(f"{name} must hold at least one array")
    arrays = tuple(np.ascontiguousarray(a) for a in data)
    if any(a.ndim == 0 for a in arrays):
        raise ValueError(f"every array of {name} needs an axis 0 to slice")
    sizes = {a.shape[0] for a in arrays}
    if len(sizes) != 1 or 0 in sizes:
        raise ValueError(f"the arrays of {name} must have one non-zero length along axis 0, "
                         f"got {sorted(sizes)}")
    return arrays


def _check_compiled_loss(fun, x, data):
    """Type a numba-compiled loss's return for ``x`` and a batch of ``data``.

    Done before the compiled epoch loop is compiled around it: a return of
    the wrong kind would otherwise surface as numba's TypingError from
    inside that loop, instead of the Python path's ValueError.  Errors in
    typing ``fun`` itself are the user's and propagate as numba raises them.
    """
    if not getattr(fun, "_can_compile", False):
        return  # fixed signatures: numba's own dispatch decides
    args = (typeof(x), *(types.Array(typeof(a).dtype, a.ndim, "C") for a in data))
    fun.compile(args)  # the batches are C-contiguous copies (epochs.take_batch)
    ret = fun.overloads[args].signature.return_type
    if not isinstance(ret, types.BaseTuple) or len(ret) != 2:
        raise TypeError(f"fun must return a tuple (loss, grad), got {ret}")
    loss, grad = ret
    if not isinstance(loss, (types.Float, types.Integer)):
        raise TypeError(f"fun must return a real scalar loss, got {loss}")
    if not isinstance(grad, types.Array):
        raise ValueError(f"fun must return (loss, grad) with grad of shape {x.shape}, "
                         f"got {grad}")
    if grad.ndim != 1:
        raise ValueError(f"fun must return (loss, grad) with grad of shape {x.shape}, "
                         f"got a {grad.ndim}-D array")
    if not isinstance(grad.dtype, (types.Float, types.Integer)):
        raise TypeError(f"fun must return a real gradient, got dtype {grad.dtype}")


def _hyperparameters(rule, options, schedule):
    """The rule's other hyperparameters and the learning-rate schedule."""
    given = {k: v for k, v in options.items() if k != "progress"}
    unknown = sorted(set(given) - set(rule.hyper_names))
    if unknown:
        raise ValueError(f"unknown options for method {rule.name!r}: {', '.join(unknown)}; "
                         f"valid: {', '.join(rule.hyper_names)}, progress")
    if schedule is not None and "lr" in given:
        raise ValueError("give the learning rate as options['lr'] or as a schedule, not both")
    lr, hyper = rule.resolve(given)
    if schedule is None:
        if lr is None:
            raise ValueError("method 'sgd' needs a learning rate: options={'lr': ...} or "
                             "schedule=...")
        schedule = lr
    return hyper, schedules.as_schedule(schedule)


def _progress_bar(enabled, total):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        raise ImportError("options={'progress': True} needs tqdm: "
                          "pip install 'fastopt[progress]'") from None
    return tqdm(total=total, unit="epoch")


def minimize_stochastic(fun, x0, data, method="sgd", batch_size=32, epochs=10, schedule=None,
                        seed=None, callback=None, options=None, validation=None):
    """Minimise an average loss over data by mini-batch stochastic gradients.

    Each epoch draws a fresh permutation of the ``N`` samples from a
    generator seeded with ``seed`` and updates ``x`` once per mini-batch of
    ``batch_size`` consecutive samples of it (the last batch may be
    smaller), so every sample is used once per epoch: sampling without
    replacement (Bottou, Curtis and Nocedal 2018, Section 4).  ``batch_size=1``
    is SGD, ``batch_size=N`` batch gradient descent.  The updates are the
    fused kernels of ``minimize`` (``fastopt.show_options``).

    Parameters
    ----------
    fun : callable
        ``fun(x, *batch) -> (loss, grad)``: the mean loss over the batch and
        its gradient (shape of ``x``).  ``batch`` holds the rows of each array
        of ``data`` in the batch.  A numba-compiled ``fun`` (``@numba.njit``)
        runs each epoch as one compiled loop, with no Python per batch.
    x0 : array_like, shape (n,)
    data : tuple of arrays
        Sliced together along axis 0 (e.g. ``(X, y)``).
    method : str, optional
        ``'sgd'`` (``x -= lr g``) or a first-order method of ``minimize``:
        {methods}.
    batch_size, epochs : int, optional
    schedule : float, schedule or callable, optional
        The learning rate of update ``k`` (counted from 0 over the whole
        run): a number (constant), one of ``fastopt.schedules`` or a callable
        ``k -> lr``.  Default: ``options['lr']``, else the method's default
        (``'sgd'`` has none: give one).
    seed : int or numpy.random.Generator, optional
        Same seed, same result.
    callback : callable, optional
        ``callback(intermediate_result)`` after each epoch, with ``x``,
        ``fun`` (the epoch's mean loss) and ``nepoch``; raising
        ``StopIteration`` ends the run (status 99).
    options : dict, optional
        The method's hyperparameters (``lr``, ``beta1``, ...) and
        ``'progress': True`` for a progress bar (needs tqdm:
        ``pip install 'fastopt[progress]'``).
    validation : tuple of arrays, optional
        Held-out data, as ``data``: its mean loss is recorded after each
        epoch (``fun`` called on all of it at once).

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x``, ``fun`` (the last epoch's mean loss), ``loss_history`` (mean
        training loss of each epoch: the batch losses seen during it,
        weighted by batch size), ``validation_history`` (with
        ``validation``), ``nit`` (updates), ``nepoch``, ``nfev`` (calls of
        ``fun``), ``status``, ``success``, ``message``.  NaN or inf in a loss
        or gradient stops the run with ``success=False`` (status 3) and ``x``
        the last finite iterate.

    Examples
    --------
    Linear least squares from 1,000 noisy samples:

    >>> import numpy as np
    >>> import fastopt
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 3))
    >>> y = X @ np.array([1.0, -2.0, 0.5]) + 0.01 * rng.standard_normal(1000)
    >>> def loss(w, Xb, yb):
    ...     r = Xb @ w - yb
    ...     return 0.5 * np.mean(r ** 2), Xb.T @ r / yb.size
    >>> res = fastopt.minimize_stochastic(loss, np.zeros(3), (X, y), method="adam",
    ...                                   epochs=20, seed=1, options={"lr": 0.05})
    >>> res.success, np.allclose(res.x, [1.0, -2.0, 0.5], atol=0.02)
    (True, True)
    """
    validate.function("fun", fun)
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ValueError(f"method must be one of {tuple(METHODS)}, got {method!r}")
    method = method.lower()
    rule = METHODS[method]
    x = validate.start_vector("x0", x0)
    data = _data_tuple(data, "data")
    if validation is not None:
        validation = _data_tuple(validation, "validation")
        if len(validation) != len(data):
            raise ValueError("validation must hold as many arrays as data")
    batch_size = validate.integer("batch_size", batch_size, 1)
    epochs = validate.integer("epochs", epochs, 1)
    options = {} if options is None else dict(options)
    hyper, rate = _hyperparameters(rule, options, schedule)
    if callback is not None and not callable(callback):
        raise TypeError("callback must be callable")
    rng = np.random.default_rng(seed)
    N = data[0].shape[0]
    per_epoch = -(-N // batch_size)
    state = rule.new_state(x.size)
    powers = np.ones(2)
    if is_jitted(fun):
        _check_compiled_loss(fun, x, data)
        run, step = compiled_epoch, rule.serial
    else:
        run, step = epoch, entry_point(rule.select(x.size), x, x, x, 0.0, hyper, state, powers)
    losses, validation_losses = [], []
    status, nit, nfev = codes.SUCCESS, 0, 0
    bar = _progress_bar(bool(options.get("progress", False)), epochs)
    try:
        for k in range(epochs):
            perm = shuffle.permutation(rng, N)
            rates = rate.values(nit, per_epoch)
            total, updates, status = run(fun, step, x, data, perm, rates, hyper, state, powers,
                                         batch_size)
            nit += updates
            nfev += updates + (status == codes.NONFINITE)
            if status != codes.SUCCESS:
                break
            losses.append(total / N)
            if validation is not None:
                validation_losses.append(float(fun(x.copy(), *validation)[0]))
                nfev += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=losses[-1])
            if callback is not None:
                try:
                    callback(OptimizeResult(x=x.copy(), fun=losses[-1], nepoch=k + 1))
                except StopIteration:
                    status = codes.CALLBACK
                    break
    finally:
        if bar is not None:
            bar.close()
    success, message = STOCHASTIC[int(status)]
    result = OptimizeResult(
        x=x, fun=losses[-1] if losses else math.nan, loss_history=np.array(losses), nit=nit,
        nepoch=len(losses), nfev=nfev, status=int(status), success=success, message=message)
    if validation is not None:
        result.validation_history = np.array(validation_losses)
    return result


minimize_stochastic.__doc__ = minimize_stochastic.__doc__.replace("{methods}", textwrap.fill(
    ", ".join(repr(m) for m in METHODS if m != "sgd"), 70, subsequent_indent=" " * 8).lstrip())
