"""``fastopt.minimize_stochastic``: mini-batch training with the fused first-order kernels."""
import math

import numpy as np
from numba.extending import is_jitted
from scipy.optimize import OptimizeResult

from . import _registry, schedules
from ._kernels import epochs as compiled_epochs, shuffle
from ._kernels.steps import KERNEL_IDS, select
from ._least_squares import positive_integer, start_vector

#: ``method`` names: 'sgd' is plain gradient descent on mini-batches.
METHODS = ("sgd",) + tuple(m for m in _registry.FIRST_ORDER if m != "gd")
#: Termination statuses.
DONE, NONFINITE, CALLBACK = 0, 2, 99
_MESSAGES = {
    DONE: "All epochs done.",
    NONFINITE: "NaN or inf in the loss or gradient; x is the last iterate where "
               "both were finite.",
    CALLBACK: "`callback` raised `StopIteration`.",
}


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


def _hyperparameters(spec, options, schedule):
    """The kernel's hyperparameter array and the learning-rate schedule."""
    given = {k: v for k, v in options.items() if k != "progress"}
    unknown = sorted(set(given) - set(spec.hyper_names))
    if unknown:
        raise ValueError(f"unknown options for method {spec.name!r}: {', '.join(unknown)}; "
                         f"valid: {', '.join(spec.hyper_names)}, progress")
    if schedule is not None and "lr" in given:
        raise ValueError("give the learning rate as options['lr'] or as a schedule, not both")
    for name, value in given.items():
        given[name] = _registry.check_hyper(name, value)
    if schedule is None:
        lr = given.get("lr", dict(spec.hyper)["lr"])
        if lr is None:
            raise ValueError("method 'sgd' needs a learning rate: options={'lr': ...} or "
                             "schedule=...")
        schedule = lr
    given["lr"] = 1.0  # placeholder: the schedule sets hyper[0] at every update
    hyper, _ = _registry.resolve_hyper(spec, given)
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


def _python_epoch(fun, x, data, perm, rates, kernel, state, hyper, powers, batch_size):
    """One epoch calling a Python ``fun``: returns (sum of batch losses times
    batch sizes, updates made, status)."""
    total = 0.0
    updates = 0
    for start in range(0, perm.size, batch_size):
        index = perm[start:start + batch_size]
        loss, grad = fun(x.copy(), *(a[index] for a in data))
        loss = float(loss)
        grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != x.shape:
            raise ValueError(f"fun must return (loss, grad) with grad of shape {x.shape}, "
                             f"got {grad.shape}")
        if not (math.isfinite(loss) and np.isfinite(grad).all()):
            return total, updates, NONFINITE
        hyper[0] = rates[updates]
        kernel(x, x, np.ascontiguousarray(grad), state, hyper, powers)
        total += loss * index.size
        updates += 1
    return total, updates, DONE


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
        'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam',
        'adamax', 'nadam', 'amsgrad'.
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
        or gradient stops the run with ``success=False`` (status 2) and ``x``
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
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    method = method.lower()
    spec = _registry.METHODS["gd" if method == "sgd" else method]
    x = start_vector("x0", x0)
    data = _data_tuple(data, "data")
    if validation is not None:
        validation = _data_tuple(validation, "validation")
        if len(validation) != len(data):
            raise ValueError("validation must hold as many arrays as data")
    batch_size = positive_integer("batch_size", batch_size)
    epochs = positive_integer("epochs", epochs)
    options = {} if options is None else dict(options)
    hyper, rate = _hyperparameters(spec, options, schedule)
    if callback is not None and not callable(callback):
        raise TypeError("callback must be callable")
    rng = np.random.default_rng(seed)
    N = data[0].shape[0]
    per_epoch = -(-N // batch_size)
    state = np.zeros((spec.nslots, x.size))
    powers = np.ones(2)
    run_epoch = compiled_epochs.epoch_runner(fun, len(data)) if is_jitted(fun) else None
    kernel = select(KERNEL_IDS[spec.name], x.size)
    losses, validation_losses = [], []
    status, nit, nfev = DONE, 0, 0
    bar = _progress_bar(bool(options.get("progress", False)), epochs)
    try:
        for epoch in range(epochs):
            perm = shuffle.permutation(rng, N)
            rates = rate.values(nit, per_epoch)
            if run_epoch is not None:
                total, updates, status = run_epoch(fun, x, data, perm, rates,
                                                   KERNEL_IDS[spec.name], state, hyper,
                                                   powers, batch_size)
            else:
                total, updates, status = _python_epoch(fun, x, data, perm, rates, kernel,
                                                       state, hyper, powers, batch_size)
            nit += updates
            nfev += updates + (status == NONFINITE)
            if status != DONE:
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
                    callback(OptimizeResult(x=x.copy(), fun=losses[-1], nepoch=epoch + 1))
                except StopIteration:
                    status = CALLBACK
                    break
    finally:
        if bar is not None:
            bar.close()
    result = OptimizeResult(
        x=x, fun=losses[-1] if losses else math.nan, loss_history=np.array(losses), nit=nit,
        nepoch=len(losses), nfev=nfev, status=status, success=status == DONE,
        message=_MESSAGES[status])
    if validation is not None:
        result.validation_history = np.array(validation_losses)
    return result
