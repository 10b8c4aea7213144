"""The benchmarks' Cython peer, built on demand: the L-BFGS two-loop over BLAS.

``twoloop_blas.pyx`` is the textbook two-loop recursion as one BLAS level-1
call per vector operation (scipy's BLAS).  The package does not build it (it is
only the benchmark's opponent); ``twoloop_direction()`` compiles it with
``pyximport`` on first use, into a cache directory outside the source tree
(``$FASTOPT_BENCH_BUILD``, else ``$XDG_CACHE_HOME/fastopt-bench/pyxbld``, else
``~/.cache/fastopt-bench/pyxbld``), and returns its ``direction`` function.
Later calls, and later processes, reuse the build; pyximport rebuilds when the
``.pyx`` changes.  Needs Cython (``pip install ".[bench]"``) and a C compiler.
"""
import importlib
import os

__all__ = ["build_dir", "twoloop_direction"]

_MODULE = __name__ + ".twoloop_blas"


def build_dir():
    """Where pyximport puts the generated C and the extension module."""
    root = os.environ.get("FASTOPT_BENCH_BUILD")
    if root:
        return root
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "fastopt-bench", "pyxbld")


def twoloop_direction():
    """The Cython two-loop ``direction(g, S, Y, rho, alpha, head, count, gamma, d)``.

    Same contract as ``fastopt._minimize.kernels.lbfgs.direction`` (it returns
    None instead of the slope).  Built on the first call.

    Raises
    ------
    ImportError
        If Cython is not installed or the build fails.
    """
    try:
        return importlib.import_module(_MODULE).direction
    except ImportError:
        pass
    try:
        import pyximport
    except ImportError as exc:
        raise ImportError("the two-loop over BLAS needs Cython: pip install cython "
                          "(it is in fastopt's 'bench' extra)") from exc
    import scipy

    # The .pyx reaches scipy's BLAS through the function-pointer capsules of
    # scipy.linalg.cython_blas rather than by cimport, so it needs no .pxd;
    # scipy's directory is on the include path all the same, for a cimport.
    scipy_root = os.path.dirname(os.path.dirname(scipy.__file__))
    importers = pyximport.install(build_dir=build_dir(), language_level=3, inplace=False,
                                  setup_args={"include_dirs": [scipy_root]})
    try:
        return importlib.import_module(_MODULE).direction
    finally:
        pyximport.uninstall(*importers)
