"""The shared plumbing every family builds on, and nothing family-specific.

* ``jit``: the house decorator and the ways one source becomes several
  compiled builds (serial, threaded, specialised per method);
* ``twin``: one source that runs as Python and compiles with numba;
* ``fnptr``: compiled functions passed to cached code as machine addresses;
* ``codes`` (plain ints for kernels) and ``status`` (the enums, messages and
  success rules built on them);
* ``validate``: every input check at the public boundary;
* ``fdiff``: finite-difference step rules, gradients, Jacobians, Hessians;
* ``vector``: the O(n) reductions every loop uses (norms, dots, finiteness);
* ``armijo``: the one backtracking rule (gd's search, Gauss-Newton's);
* ``memory``: prefetch hints for gathers.

Nothing here imports a family (``_steps``, ``_minimize``, ``_lsq``,
``_stochastic``, ``_linalg``); the families import from here, never from
each other's private modules.
"""
