"""First-order update rules: the fused step kernels and their table.

Shared by ``minimize`` (``_minimize/first_order.py``), ``minimize_stochastic``
and ``fastopt.optimizers``, so it is a layer of its own below them.
"""
