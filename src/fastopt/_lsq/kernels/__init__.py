"""Kernels of the least-squares fits: the LM step (pivoted QR, damping) and the covariance."""
