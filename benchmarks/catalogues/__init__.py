"""Held-out problem sets: problems never used while developing the solvers.

* ``heldout``: 44 unconstrained problems (Moré, Garbow & Hillstrom 19 and
  23-35, CUTE) as compiled objectives ``fg(x) -> (f, g)``, for ``minimize``
  (``mgh.py``, ``cute.py``; the record in ``record.py``);
* ``heldout_lsq``: 44 least-squares problems (Moré, Garbow & Hillstrom 1-35 at
  several sizes) in residual form, for ``least_squares``
  (``python -m benchmarks.catalogues.heldout_lsq.check`` verifies them).

Each package exposes ``PROBLEMS``; ``Problem.reached(f)`` and
``LsqProblem.reached(f)`` tell whether a final objective is a known minimum.
"""
