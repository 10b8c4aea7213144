"""curve_fit_batch: each fit is curve_fit's; bad curves fail alone."""
import numba
import numpy as np
import pytest
from scipy.optimize import OptimizeWarning

import fastopt


@numba.njit
def peak(x, p):
    return p[0] * np.exp(-0.5 * ((x - p[1]) / p[2]) ** 2) + p[3]


def peak_args(x, a, mu, s, c):
    return peak(x, np.array([a, mu, s, c]))


def _curves(N, seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(-4.0, 4.0, 25)
    true = np.column_stack([rng.uniform(1, 3, N), rng.uniform(-1, 1, N),
                            rng.uniform(0.6, 1.4, N), rng.uniform(0, 1, N)])
    y = np.array([peak(x, p) for p in true]) + 0.03 * rng.standard_normal((N, x.size))
    return x, y, true


@pytest.mark.parametrize("refine", [True, False])
def test_each_fit_is_curve_fits(refine):
    x, y, _ = _curves(40)
    p0 = np.array([2.0, 0.0, 1.0, 0.5])
    sigma = np.linspace(0.02, 0.05, x.size)
    fits = fastopt.curve_fit_batch(peak, x, y, p0, sigma=sigma, refine=refine)
    assert fits.success.all()
    for k in range(len(y)):
        popt, pcov = fastopt.curve_fit(peak_args, x, y[k], p0, sigma=sigma, refine=refine)
        np.testing.assert_allclose(fits.popt[k], popt, rtol=1e-8)
        np.testing.assert_allclose(fits.pcov[k], pcov, rtol=1e-6,
                                   atol=1e-8 * np.abs(pcov).max())
        np.testing.assert_allclose(fits.cost[k], 0.5 * np.sum(((peak(x, popt) - y[k]) / sigma) ** 2),
                                   rtol=1e-9)


def test_per_curve_x_and_start_and_a_bad_curve_fails_alone():
    x, y, true = _curves(30, seed=1)
    X = x + np.linspace(0, 0.1, 30)[:, None]           # a different grid per curve
    Y = np.array([peak(X[k], true[k]) for k in range(30)])
    Y[7, 3] = np.nan                                    # bad data
    P0 = true * 1.1
    fits = fastopt.curve_fit_batch(peak, X, Y, P0)
    assert fits.status[7] == -2 and not fits.success[7]
    assert np.isinf(fits.pcov[7]).all()
    good = np.arange(30) != 7
    assert fits.success[good].all()
    np.testing.assert_allclose(fits.popt[good], true[good], rtol=1e-8)


def test_singular_covariance_warns_once():
    @numba.njit
    def tied(x, p):
        return (p[0] + p[1]) * x
    x = np.linspace(0, 1, 10)
    with pytest.warns(OptimizeWarning, match="3 of 3"):
        fits = fastopt.curve_fit_batch(tied, x, np.outer([1.0, 2.0, 3.0], x), [1.0, 1.0])
    assert np.isinf(fits.pcov).all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(f=peak_args), TypeError, "numba"),
    (dict(ydata=np.ones(25)), ValueError, "ydata"),
    (dict(p0=np.ones((3, 4))), ValueError, "p0"),
    (dict(xdata=np.ones(7)), ValueError, "xdata"),
    (dict(sigma=-np.ones(25)), ValueError, "sigma"),
    (dict(max_nfev=0), ValueError, "max_nfev"),
])
def test_bad_input(kwargs, error, match):
    x, y, _ = _curves(5)
    args = dict(f=peak, xdata=x, ydata=y, p0=np.ones(4))
    args.update(kwargs)
    with pytest.raises(error, match=match):
        fastopt.curve_fit_batch(**args)


def test_a_single_curve_with_shared_rows():
    # N = 1: broadcasting a shared row gives a read-only view; the fit must not mind.
    x = np.linspace(-4.0, 4.0, 25)
    p = np.array([2.0, 0.1, 0.9, 0.3])
    fits = fastopt.curve_fit_batch(peak, x, peak(x, p)[None, :], [1.5, 0.0, 1.0, 0.0],
                                   sigma=np.full(25, 0.1))
    assert fits.success[0]
    np.testing.assert_allclose(fits.popt[0], p, rtol=1e-8)
    y = np.broadcast_to(peak(x, p), (3, 25))            # read-only input
    assert fastopt.curve_fit_batch(peak, x, y, np.broadcast_to([1.5, 0.0, 1.0, 0.0], (3, 4))
                                   ).success.all()


def test_a_model_of_the_wrong_length_is_an_error():
    @numba.njit
    def short(x, p):
        return p[0] * x[:-1]
    with pytest.raises(ValueError, match="shape"):
        fastopt.curve_fit_batch(short, np.linspace(0, 1, 10), np.ones((3, 10)), [1.0])
    # The single-curve compiled path raises from inside the loop.
    @numba.njit
    def short_args(x, a):
        return a * x[:-1]
    with pytest.raises(ValueError, match="length"):
        fastopt.curve_fit(short_args, np.linspace(0, 1, 10), np.ones(10), [1.0])


@numba.njit
def _decay_undefined_above(t, p):
    if p[0] > 1.2:
        return np.full(t.size, np.nan)
    return np.exp(-p[0] * t)


def test_nan_region_fails_only_its_own_fit():
    # Curve 0 (k = 1.5) lies past the model's NaN edge 1.2: a failure, not xtol
    # success at the edge; curve 1 (k = 1) is fitted exactly.
    t = np.linspace(0.0, 3.0, 30)
    fits = fastopt.curve_fit_batch(_decay_undefined_above, t,
                                   np.vstack([np.exp(-1.5 * t), np.exp(-t)]), [0.5])
    assert list(fits.success) == [False, True] and fits.status[0] == -2
    np.testing.assert_allclose(fits.popt[1], [1.0], rtol=1e-10)


def test_complex_batch_inputs_raise():
    t = np.linspace(0.0, 3.0, 30)
    y = np.vstack([np.exp(-t)])
    with pytest.raises(ValueError, match="ydata"):
        fastopt.curve_fit_batch(_decay_undefined_above, t, y + 0j, [0.5])
    with pytest.raises(ValueError, match="p0"):
        fastopt.curve_fit_batch(_decay_undefined_above, t, y, [0.5 + 1j])
