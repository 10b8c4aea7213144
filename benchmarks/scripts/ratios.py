"""Print every speed claim of the foundation as ratios measured in one run.

    python benchmarks/ratios.py [--quick]

Medians over repeated runs; each ratio compares two figures from this run.
Uses the asv suites' own setup and bodies, so the two always measure the same thing.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import bench_minimize, bench_startup, bench_steps  # noqa: E402


def median_time(fn, repeat, number=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def fresh_process(code, repeat):
    return median_time(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rep = 5 if args.quick else 15

    print("Fused steps (median per step; per-byte ratio > 1: more bytes per second than the triad)")
    bench = bench_steps.FusedStep()
    triad = bench_steps.Triad()
    for n in bench_steps.SIZES:
        triad.setup(n)
        t_tr = median_time(lambda: triad.time_triad(n), rep)
        print(f"  n={n:>9}  triad {t_tr * 1e3:8.3f} ms")
        for method in bench_steps.METHODS:
            bench.setup(n, method)
            t_f = median_time(lambda: bench.time_fastopt(n, method), rep)
            t_np = median_time(lambda: bench.time_numpy(n, method), rep)
            per_byte = (t_tr / bench_steps.TRIAD_BYTES) / (t_f / bench_steps.step_bytes(method))
            print(f"    {method:<9} fastopt {t_f * 1e3:8.3f} ms  numpy {t_np * 1e3:8.3f} ms"
                  f"   numpy/fastopt {t_np / t_f:5.1f}x   per-byte vs triad {per_byte:4.2f}")

    print("\nRosenbrock n=2, whole solve, same numba objective")
    rb = bench_minimize.RosenbrockSolve()
    for method in rb.params[0]:
        rb.setup(method)
        t_c = median_time(lambda: rb.time_compiled(method), rep * 3)
        t_p = median_time(lambda: rb.time_python_driver(method), rep)
        t_o = median_time(lambda: rb.time_python_objective(method), rep)
        print(f"  {method:<5} nit {rb.track_nit(method):6d}  compiled {t_c * 1e6:9.1f} us"
              f"  python driver {t_p * 1e3:8.3f} ms ({t_p / t_c:5.1f}x)"
              f"  python objective {t_o * 1e3:8.3f} ms ({t_o / t_c:5.1f}x)")

    print("\nStart-up in a fresh process (numba caches warm)")
    bench_startup.write_user_module()
    s = bench_startup.Startup()
    t_imp = fresh_process(s.timeraw_import_fastopt(), rep)
    t_base = fresh_process(s.timeraw_import_numba_scipy(), rep)
    t_solve = fresh_process(s.timeraw_first_compiled_solve(), rep)
    t_floor = fresh_process(s.timeraw_floor_cached_jit_call(), rep)
    print(f"  import fastopt {t_imp:.3f} s vs import numba, scipy.optimize {t_base:.3f} s:"
          f" +{t_imp - t_base:.3f} s")
    print(f"  first compiled solve {t_solve:.3f} s vs cached jitted call {t_floor:.3f} s:"
          f" +{t_solve - t_floor:.3f} s")


if __name__ == "__main__":
    main()
