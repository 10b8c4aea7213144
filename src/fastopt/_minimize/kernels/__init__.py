"""Kernels of the curvature methods: L-BFGS, BFGS, damped Newton, the Wolfe search."""
