"""Timing helpers shared by the scripts: medians of repeats, interleaved medians.

Every figure a script prints is a median over repeated samples taken in the
same run; a ratio divides two such figures.  Where contenders are compared,
their samples are interleaved (one sample of each in turn, round after round),
so that load from other processes and clock drift fall on all of them.
Samples are taken with ``timeit`` (the garbage collector off while timing).
"""
import statistics
import subprocess
import sys
import time
import timeit

__all__ = ["calls_for", "median_time", "interleaved", "medians", "fresh_process", "timed", "fmt"]


def calls_for(fn, min_time):
    """Calls per sample so that one sample of ``fn`` lasts at least ``min_time`` seconds."""
    number = 1
    while timeit.timeit(fn, number=number) < min_time and number < 1 << 20:
        number *= 2
    return number


def median_time(fn, repeat, number=1):
    """Median seconds per call of ``fn`` over ``repeat`` samples of ``number`` calls."""
    return statistics.median(t / number for t in timeit.repeat(fn, number=number, repeat=repeat))


def interleaved(contenders, rounds, number=1, per_round=1, min_time=None, settle=0.0,
                warm=False):
    """Seconds per call of each contender, sampled in interleaved rounds.

    Parameters
    ----------
    contenders : dict
        Name -> ``fn``, or name -> ``(fn, enter, leave)``: ``enter()`` and
        ``leave()`` (each may be None) run around each block of samples,
        untimed (e.g. to set a thread count).
    rounds : int
        Each round takes a block of ``per_round`` samples from every
        contender in turn.
    number : int or dict
        Calls per sample (one for all, or by name); ignored when ``min_time``
        is given.
    min_time : float, optional
        Calibrate the calls per sample of each contender (inside its
        ``enter``/``leave``) so that a sample lasts at least this long.
    settle : float
        Seconds to sleep before each block: threads of OpenBLAS and of numba's
        pool spin for a while after their last job and would take cores from
        the next contender.
    warm : bool
        Make one untimed call before each block.

    Returns
    -------
    dict
        Name -> list of seconds per call, one entry per sample.
    """
    parts = {k: (c if isinstance(c, tuple) else (c, None, None)) for k, c in contenders.items()}
    if min_time is not None:
        numbers = {}
        for k, (fn, enter, leave) in parts.items():
            if enter:
                enter()
            try:
                numbers[k] = calls_for(fn, min_time)
            finally:
                if leave:
                    leave()
    elif isinstance(number, dict):
        numbers = dict(number)
    else:
        numbers = dict.fromkeys(parts, number)
    times = {k: [] for k in parts}
    for _ in range(rounds):
        for k, (fn, enter, leave) in parts.items():
            if settle:
                time.sleep(settle)
            if enter:
                enter()
            try:
                if warm:
                    fn()
                times[k] += [t / numbers[k] for t in
                             timeit.repeat(fn, number=numbers[k], repeat=per_round)]
            finally:
                if leave:
                    leave()
    return times


def medians(samples):
    """Name -> median of its samples (the output of ``interleaved``)."""
    return {k: statistics.median(v) for k, v in samples.items()}


def timed(fn):
    """``(seconds, result)`` of one call of ``fn``."""
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def fresh_process(code, repeat):
    """Median seconds of ``python -c code`` in a new interpreter (this one's)."""
    return median_time(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat)


def fmt(seconds):
    """A duration in ms or us, eight characters wide plus the unit."""
    return f"{seconds * 1e3:8.3f}ms" if seconds >= 1e-3 else f"{seconds * 1e6:8.1f}us"
