"""Reference problems and NumPy oracles, shared by the tests, the demo and the benchmarks.

* ``problems``: the lecture notes' test surfaces and the noisy linear SGD
  problem (also ``fastopt.problems``);
* ``classic``: 24 More-Garbow-Hillstrom problems (also ``fastopt.classic``);
* ``oracles``: plain NumPy transcriptions of every first-order update rule;
* ``matrices``: random matrices with known spectra.

Examples
--------
>>> import numpy as np
>>> from fastopt.testing import oracles
>>> x, state = oracles.momentum(np.ones(2), np.ones(2), 0.1, {"momentum": 0.9},
...                             {"v": np.zeros(2)}, 1)
>>> x, state["v"]
(array([0.9, 0.9]), array([0.1, 0.1]))
"""
