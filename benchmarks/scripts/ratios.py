"""Print every speed claim of the foundation as ratios measured in one run.

    python -m benchmarks.scripts.ratios [--quick]

Fused steps against textbook NumPy and the STREAM triad, first-order solves
on the compiled and the Python driver, start-up in a fresh process.  Medians
over repeated runs; each ratio compares two figures from this run.  Uses the
asv suites' own setup and bodies (``suites.steps``, ``suites.minimize``,
``suites.startup``), so the two always measure the same thing.
"""
import argparse

from benchmarks.scripts.timing import fresh_process, median_time
from benchmarks.suites import minimize, startup, steps


def fused_steps(rep):
    print("Fused steps (median per step; per-byte ratio > 1: more bytes per second than the triad)")
    bench = steps.FusedStep()
    triad = steps.Triad()
    for n in steps.SIZES:
        triad.setup(n)
        t_tr = median_time(lambda: triad.time_triad(n), rep)
        print(f"  n={n:>9}  triad {t_tr * 1e3:8.3f} ms")
        for method in steps.METHODS:
            bench.setup(n, method)
            t_f = median_time(lambda: bench.time_fastopt(n, method), rep)
            t_np = median_time(lambda: bench.time_numpy(n, method), rep)
            per_byte = (t_tr / steps.TRIAD_BYTES) / (t_f / steps.step_bytes(method))
            print(f"    {method:<9} fastopt {t_f * 1e3:8.3f} ms  numpy {t_np * 1e3:8.3f} ms"
                  f"   numpy/fastopt {t_np / t_f:5.1f}x   per-byte vs triad {per_byte:4.2f}")


def rosenbrock_solves(rep):
    print("\nRosenbrock n=2, whole solve, same numba objective")
    rb = minimize.RosenbrockSolve()
    for method in rb.params[0]:
        rb.setup(method)
        t_c = median_time(lambda: rb.time_compiled(method), rep * 3)
        t_p = median_time(lambda: rb.time_python_driver(method), rep)
        t_o = median_time(lambda: rb.time_python_objective(method), rep)
        print(f"  {method:<9} nit {rb.track_nit(method):6d}  compiled {t_c * 1e6:9.1f} us"
              f"  python driver {t_p * 1e3:8.3f} ms ({t_p / t_c:5.1f}x)"
              f"  python objective {t_o * 1e3:8.3f} ms ({t_o / t_c:5.1f}x)")


def start_up(rep):
    print("\nStart-up in a fresh process (numba caches warm)")
    startup.write_user_module()
    s = startup.Startup()
    t_imp = fresh_process(s.timeraw_import_fastopt(), rep)
    t_base = fresh_process(s.timeraw_import_numba_scipy(), rep)
    t_solve = fresh_process(s.timeraw_first_compiled_solve(), rep)
    t_floor = fresh_process(s.timeraw_floor_cached_jit_call(), rep)
    print(f"  import fastopt {t_imp:.3f} s vs import numba, scipy.optimize {t_base:.3f} s:"
          f" +{t_imp - t_base:.3f} s")
    print(f"  first compiled solve {t_solve:.3f} s vs cached jitted call {t_floor:.3f} s:"
          f" +{t_solve - t_floor:.3f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 repeats instead of 15")
    args = parser.parse_args()
    rep = 5 if args.quick else 15
    fused_steps(rep)
    rosenbrock_solves(rep)
    start_up(rep)


if __name__ == "__main__":
    main()
