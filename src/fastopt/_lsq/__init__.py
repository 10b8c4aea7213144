"""Least squares: ``least_squares``, ``curve_fit``, ``curve_fit_batch``, ``varpro``.

* ``api``: ``least_squares``: validate, look the method up, build the result;
* ``table``: the one table of methods;
* ``lm``: the Levenberg-Marquardt loop (with refinement), one twin source;
* ``textbook``: gauss-newton, levenberg, marquardt;
* ``problem``: the residuals as each driver sees them;
* ``curve_fit``, ``batch``, ``varpro``: the interfaces built on the loops;
* ``models``, ``fits``: compiled models and the compiled (threaded) fitters;
* ``kernels/``: the LM step (pivoted QR, damping) and the covariance.
"""
