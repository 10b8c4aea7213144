"""fastopt's benchmarks: asv suites, runnable scripts, held-out problem catalogues.

Layout::

    suites/      asv suites only (time_/track_/peakmem_/timeraw_), one module per topic:
                 steps (fused update kernels vs textbook NumPy and a STREAM triad),
                 minimize (first-order solves on both drivers; the loop's floor against a
                 hand-written njit Adam; the fixed cost of a compiled call), quasi_newton
                 (bfgs / l-bfgs vs scipy; fixed-length l-bfgs runs), twoloop (the two-loop
                 recursion, numba serial / threaded vs Cython over BLAS), curve_fit, nist
                 (certification counts), stochastic (one epoch), lyapunov, startup (fresh
                 processes), heldout (robustness counts of minimize and least_squares)
    scripts/     python -m benchmarks.scripts.<name>: medians and ratios measured in one run,
                 the contenders interleaved (timing.py: the shared helpers); each reuses its
                 suite's setup and bodies: ratios, floor, quasi_newton, twoloop, curve_fit,
                 stochastic, lyapunov, heldout, heldout_lsq
    catalogues/  the held-out problem sets: heldout (for minimize), heldout_lsq (residual form)
    cython/      twoloop_blas.pyx, the two-loop over BLAS, and its on-demand pyximport build

asv, from the repository root (``asv.conf.json``; ``pip install ".[bench]"``)::

    asv check --python=same                          # every suite imports and is well formed
    asv run --python=same --quick                    # every suite, one sample each
    asv run --python=same --quick --bench minimize   # the suites matching a pattern

Scripts, from the repository root (``--quick`` where offered; each script's
docstring says what it prints)::

    python -m benchmarks.scripts.ratios [--quick]    # fused steps, first-order solves, start-up
    python -m benchmarks.scripts.floor [--quick]     # the loop's floor, the fixed cost
    python -m benchmarks.scripts.quasi_newton [--quick] [n ...]
    python -m benchmarks.scripts.twoloop [--quick] [n ...]
    python -m benchmarks.scripts.curve_fit [N] | --single
    python -m benchmarks.scripts.stochastic
    python -m benchmarks.scripts.lyapunov [n ...]
    python -m benchmarks.scripts.heldout [-v]
    python -m benchmarks.scripts.heldout_lsq [-v]
    python -m benchmarks.catalogues.heldout_lsq.check    # verifies the least-squares catalogue

asv imports every module under this folder when it discovers benchmarks, so
no module does work at import time beyond definitions (the Cython kernel is
built on first use, in ``setup``), and the scripts import suite *modules*,
never suite classes (asv would discover a class twice).  Set
``NUMBA_CACHE_DIR`` to keep the numba caches of a benchmark run apart.
"""
