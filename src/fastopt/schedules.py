"""Learning-rate schedules: ``fastopt._stochastic.schedules``, the public face."""
from ._stochastic.schedules import *  # noqa: F401,F403
from ._stochastic.schedules import __all__, __doc__  # noqa: F401
