"""Uniform random permutations, drawn fast from a NumPy generator's raw bits.

``Generator.permutation`` spends about 10 ns per element on bounded integers;
a compiled Fisher-Yates shuffle (Knuth, TAOCP vol. 2, Algorithm 3.4.2 P) fed
with 32-bit words of ``bit_generator.random_raw`` and Lemire's
multiply-shift bound with rejection (Lemire 2019, "Fast random integer
generation in an interval", ACM TOMACS 29(1)) draws each position exactly
uniformly in about a third of the time.  Each epoch of ``minimize_stochastic``
draws one permutation, so this is a visible part of a compiled epoch.
"""
import numpy as np

from .._core.jit import kernel

#: Largest length the 32-bit bound handles; longer inputs use NumPy's own.
MAX_LENGTH = 2 ** 32


@kernel
def _shuffle(words, perm, top, used):
    """Continue a Fisher-Yates shuffle of ``perm`` from position ``top``
    down, reading ``words`` from index ``used``.  Returns ``(top, used)``:
    ``top == 0`` when done, else the words ran out (draw more, call again)."""
    two32 = np.uint64(1) << np.uint64(32)
    low_mask = two32 - np.uint64(1)
    while top > 0:
        bound = np.uint64(top + 1)
        if used >= words.size:
            return top, used
        product = np.uint64(words[used]) * bound
        used += 1
        low = product & low_mask
        if low < bound:
            threshold = (two32 - bound) % bound
            while low < threshold:  # reject the few words that would bias the draw
                if used >= words.size:
                    return top, used - 1  # redo this position with fresh words
                product = np.uint64(words[used]) * bound
                used += 1
                low = product & low_mask
        j = np.int64(product >> np.uint64(32))
        held = perm[top]
        perm[top] = perm[j]
        perm[j] = held
        top -= 1
    return top, used


def permutation(rng, n):
    """A uniformly random permutation of ``range(n)`` (int64) from ``rng``
    (a ``numpy.random.Generator``), advancing its bit generator."""
    if n > MAX_LENGTH:
        return rng.permutation(n)
    perm = np.arange(n, dtype=np.int64)
    top = n - 1
    while top > 0:
        # n - 1 draws, plus slack for the rare rejections (probability < n / 2**32 each)
        words = rng.bit_generator.random_raw(top // 2 + 16).view(np.uint32)
        top, _ = _shuffle(words, perm, top, 0)
    return perm
