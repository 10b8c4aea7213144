"""Start-up costs in a fresh process (asv ``timeraw_``): import and first compiled solve.

Each fastopt figure has its floor beside it: ``import numba, scipy.optimize``,
and a process that imports those and calls one cached jitted function.
The user's objective lives in a file (numba caches only functions with a file)
written by ``write_user_module``.
"""
import os
import tempfile

USER_DIR = os.path.join(tempfile.gettempdir(), "fastopt_bench_user")

_USER = '''
import numba
import numpy as np


@numba.njit(cache=True)
def rosen(x):
    a = x[1] - x[0] * x[0]
    g = np.empty(2)
    g[0] = -400.0 * x[0] * a - 2.0 * (1.0 - x[0])
    g[1] = 200.0 * a
    return 100.0 * a * a + (1.0 - x[0]) ** 2, g
'''

_PRELUDE = f"import sys\nsys.path.insert(0, {USER_DIR!r})\n"

FIRST_COMPILED_SOLVE = _PRELUDE + (
    "import numpy as np, fastopt\nfrom fastopt_user import rosen\n"
    "res = fastopt.minimize(rosen, np.array([-1.2, 1.0]), jac=True, options={'maxiter': 50000})\n"
    "assert res.success\n")
FLOOR_CACHED_JIT_CALL = _PRELUDE + (
    "import numpy as np, numba, scipy.optimize\nfrom fastopt_user import rosen\n"
    "rosen(np.array([-1.2, 1.0]))\n")


def write_user_module():
    """Write the objective's module and warm the numba caches of both scripts."""
    import subprocess
    import sys
    os.makedirs(USER_DIR, exist_ok=True)
    with open(os.path.join(USER_DIR, "fastopt_user.py"), "w") as fh:
        fh.write(_USER)
    for code in (FIRST_COMPILED_SOLVE, FLOOR_CACHED_JIT_CALL):
        subprocess.run([sys.executable, "-c", code], check=True)


class Startup:
    repeat = (5, 10, 60.0)

    def setup_cache(self):
        write_user_module()

    def timeraw_import_fastopt(self):
        return "import fastopt"

    def timeraw_import_numba_scipy(self):
        return "import numba, scipy.optimize"

    def timeraw_first_compiled_solve(self):
        return FIRST_COMPILED_SOLVE

    def timeraw_floor_cached_jit_call(self):
        return FLOOR_CACHED_JIT_CALL
