"""``minimize_stochastic``: mini-batch epochs on the fused first-order rules.

* ``api``: ``minimize_stochastic``; ``table``: its methods;
* ``epochs``: one epoch, one twin source (Python and compiled);
* ``shuffle``: the per-epoch permutation; ``schedules``: learning rates.
"""
