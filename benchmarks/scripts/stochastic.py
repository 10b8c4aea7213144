"""One epoch of minimize_stochastic, compiled loss vs Python loss: medians and ratio.

    python -m benchmarks.scripts.stochastic

``suites.stochastic``'s problem (linear least squares, 1e5 x 20, batch 32,
Adam): the median time per epoch of each (interleaved repeats) and the ratio,
after checking that both give the same x; and, for scale, the time the
compiled loss alone takes on the same batches read in order (no sampling, no
gather, no update): no epoch of this problem can be faster than that.
"""
import argparse

import numpy as np

from benchmarks.scripts.timing import interleaved, medians
from benchmarks.suites import stochastic as S


def main():
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    X, y = S.data()
    S.one_epoch(S.loss_compiled, X[:64], y[:64])
    a, b = S.one_epoch(S.loss_compiled, X, y), S.one_epoch(S.loss, X, y)
    assert np.allclose(a.x, b.x, rtol=1e-10)
    w = np.zeros(X.shape[1])
    S.loss_alone(X, y, w, 32)
    t = medians(interleaved({"ours": lambda: S.one_epoch(S.loss_compiled, X, y),
                             "theirs": lambda: S.one_epoch(S.loss, X, y),
                             "alone": lambda: S.loss_alone(X, y, w, 32)}, rounds=15))
    ours, theirs, alone = t["ours"], t["theirs"], t["alone"]
    print(f"one epoch (1e5 x 20, batch 32, Adam): compiled loss {ours * 1e3:.2f} ms, "
          f"Python loss {theirs * 1e3:.1f} ms, ratio {theirs / ours:.1f}x")
    print(f"the compiled loss alone on the batches in order: {alone * 1e3:.2f} ms "
          f"(Python epoch / this = {theirs / alone:.1f}x)")


if __name__ == "__main__":
    main()
