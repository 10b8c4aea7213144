"""curve_fit: scipy's conventions (popt, pcov, sigma, absolute_sigma, warnings, NaN policy)."""
import warnings

import numba
import numpy as np
import pytest
import scipy.optimize as so
from scipy.optimize import OptimizeWarning

import fastopt


def gauss(x, a, mu, s, c):
    return a * np.exp(-0.5 * ((x - mu) / s) ** 2) + c


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = np.linspace(-3.0, 3.0, 40)
    y = gauss(x, 2.0, 0.3, 0.8, 0.5) + 0.05 * rng.standard_normal(x.size)
    return x, y, np.array([1.5, 0.0, 1.0, 0.0])


@pytest.mark.parametrize("weights", ["none", "1-D", "2-D"])
@pytest.mark.parametrize("absolute_sigma", [False, True])
def test_agrees_with_scipy(data, weights, absolute_sigma):
    x, y, p0 = data
    sigma = {"none": None, "1-D": np.linspace(0.03, 0.08, x.size),
             "2-D": np.diag(np.linspace(0.03, 0.08, x.size) ** 2)
             + 1e-4 * np.exp(-np.abs(np.subtract.outer(x, x)))}[weights]
    popt, pcov = fastopt.curve_fit(gauss, x, y, p0, sigma=sigma, absolute_sigma=absolute_sigma)
    ref, ref_cov = so.curve_fit(gauss, x, y, p0, sigma=sigma, absolute_sigma=absolute_sigma,
                                xtol=1e-15, ftol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(popt, ref, rtol=1e-7)
    # Entries relative to the matrix's scale (sd_i sd_j): near-zero
    # correlations carry scipy's forward-difference error in relative terms.
    scale = np.sqrt(np.outer(np.diag(ref_cov), np.diag(ref_cov)))
    np.testing.assert_allclose(pcov / scale, ref_cov / scale, rtol=1e-5, atol=1e-6)


def test_pcov_is_s2_times_the_inverse_normal_matrix(data):
    # Independent reference: the analytic Jacobian at popt.
    x, y, p0 = data
    popt, pcov = fastopt.curve_fit(gauss, x, y, p0)
    a, mu, s, c = popt
    e = np.exp(-0.5 * ((x - mu) / s) ** 2)
    J = np.column_stack([e, a * e * (x - mu) / s ** 2, a * e * (x - mu) ** 2 / s ** 3,
                         np.ones_like(x)])
    r = gauss(x, *popt) - y
    expected = np.linalg.inv(J.T @ J) * (r @ r) / (x.size - 4)
    np.testing.assert_allclose(pcov, expected, rtol=1e-6)


def test_analytic_jacobian_and_full_output(data):
    x, y, p0 = data

    def jac(x, a, mu, s, c):
        e = np.exp(-0.5 * ((x - mu) / s) ** 2)
        return np.column_stack([e, a * e * (x - mu) / s ** 2, a * e * (x - mu) ** 2 / s ** 3,
                                np.ones_like(x)])
    popt, pcov, info, mesg, ier = fastopt.curve_fit(gauss, x, y, p0, jac=jac, full_output=True)
    ref, _ = fastopt.curve_fit(gauss, x, y, p0)
    np.testing.assert_allclose(popt, ref, rtol=1e-7)
    assert ier in (1, 2, 3, 4) and isinstance(mesg, str)
    np.testing.assert_allclose(info["fvec"], gauss(x, *popt) - y)
    assert info["nfev"] > 0 and info["fjac"].shape == (4, x.size)


def test_full_output_fields_are_leastsqs(data):
    # fjac, ipvt, qtf as scipy's curve_fit ('lm', through leastsq) gives them:
    # R in the upper triangle of fjac.T, J[:, ipvt] = Q R, qtf = (Q^T fvec)[:n].
    x, y, p0 = data
    popt, _, info, mesg, ier = fastopt.curve_fit(gauss, x, y, p0, full_output=True)
    _, _, ref, _, ref_ier = so.curve_fit(gauss, x, y, p0, full_output=True)
    assert ier == ref_ier and isinstance(mesg, str)
    np.testing.assert_array_equal(info["ipvt"], ref["ipvt"])
    R, ref_R = np.triu(info["fjac"].T[:4]), np.triu(ref["fjac"].T[:4])
    np.testing.assert_allclose(R, ref_R, rtol=1e-5, atol=1e-5 * np.abs(ref_R).max())
    e = np.exp(-0.5 * ((x - popt[1]) / popt[2]) ** 2)
    J = np.column_stack([e, popt[0] * e * (x - popt[1]) / popt[2] ** 2,
                         popt[0] * e * (x - popt[1]) ** 2 / popt[2] ** 3, np.ones_like(x)])
    JP = J[:, info["ipvt"]]
    np.testing.assert_allclose(R.T @ R, JP.T @ JP, rtol=1e-6, atol=1e-9 * np.abs(J).max() ** 2)
    # R^T qtf = (J P)^T f: the gradient, zero at the least-squares solution.
    np.testing.assert_allclose(R.T @ info["qtf"], JP.T @ info["fvec"], atol=1e-9)
    assert np.abs(info["qtf"]).max() < np.abs(ref["qtf"]).max()


def test_p0_defaults_to_ones_from_the_signature():
    x = np.linspace(0, 1, 10)
    popt, _ = fastopt.curve_fit(lambda x, a, b: a * x + b, x, 2 * x + 1)
    np.testing.assert_allclose(popt, [2.0, 1.0], rtol=1e-10)
    with pytest.raises(ValueError, match="p0"):
        fastopt.curve_fit(lambda x, *p: p[0] * x, x, x)


def test_pcov_inf_with_a_warning_when_it_cannot_be_estimated():
    x = np.linspace(0, 1, 10)
    with pytest.warns(OptimizeWarning, match="Covariance"):
        _, pcov = fastopt.curve_fit(lambda x, a, b: (a + b) * x, x, 3 * x, [1.0, 1.0])
    assert np.isinf(pcov).all()
    with pytest.warns(OptimizeWarning, match="Covariance"):
        _, pcov = fastopt.curve_fit(lambda x, a, b: a * x + b, x[:2], [1.0, 2.0])
    assert np.isinf(pcov).all()
    with warnings.catch_warnings():  # absolute_sigma needs no degrees of freedom
        warnings.simplefilter("error")
        _, pcov = fastopt.curve_fit(lambda x, a, b: a * x + b, x[:2], [1.0, 2.0],
                                    absolute_sigma=True)
    assert np.isfinite(pcov).all()


def test_nan_policy():
    x = np.linspace(0, 1, 12)
    y = 2 * x + 1
    y[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fastopt.curve_fit(lambda x, a, b: a * x + b, x, y)
    with pytest.raises(ValueError, match="NaN"):
        fastopt.curve_fit(lambda x, a, b: a * x + b, x, y, nan_policy="raise")
    popt, _ = fastopt.curve_fit(lambda x, a, b: a * x + b, x, y, nan_policy="omit")
    np.testing.assert_allclose(popt, [2.0, 1.0], rtol=1e-10)


def test_non_convergence_raises_like_scipy(data):
    x, y, p0 = data
    with pytest.raises(RuntimeError, match="Optimal parameters not found"):
        fastopt.curve_fit(gauss, x, y, p0, maxfev=3)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(method="simplex"), ValueError, "method"),
    (dict(sigma=np.ones(3)), ValueError, "sigma"),
    (dict(sigma=-np.ones(40)), ValueError, "sigma"),
    (dict(nan_policy="propagate"), ValueError, "nan_policy"),
    (dict(bogus=1), TypeError, "bogus"),
])
def test_bad_input(data, kwargs, error, match):
    x, y, p0 = data
    with pytest.raises(error, match=match):
        fastopt.curve_fit(gauss, x, y, p0, **kwargs)


# --- a numba-compiled model: the same fit, run in one compiled call -----------

@numba.njit
def _peak(x, a, mu, s, c0, c1):
    return a * np.exp(-0.5 * ((x - mu) / s) ** 2) + c0 + c1 * x


def _peak_data(seed=3):
    rng = np.random.default_rng(seed)
    x = np.linspace(-5.0, 5.0, 32)
    y = _peak(x, 3.0, 0.3, 1.2, 0.5, 0.05) + 0.05 * rng.standard_normal(32)
    return x, y, np.full(32, 0.05) * (1 + rng.uniform(0, 1, 32))


@pytest.mark.parametrize("weighted, absolute_sigma", [(False, False), (True, False),
                                                      (True, True)])
def test_compiled_model_gives_the_python_fit(weighted, absolute_sigma):
    # One source (lm.fit) compiled and run as Python: the same fit, up to the
    # rounding of the model's exp in numba and in NumPy.
    x, y, sigma = _peak_data()
    sigma = sigma if weighted else None
    p0 = [3.0, 0.0, 1.0, 0.5, 0.0]
    popt, pcov = fastopt.curve_fit(_peak, x, y, p0, sigma=sigma, absolute_sigma=absolute_sigma)
    ref, ref_cov = fastopt.curve_fit(_peak.py_func, x, y, p0, sigma=sigma,
                                     absolute_sigma=absolute_sigma)
    np.testing.assert_allclose(popt, ref, rtol=1e-9)
    np.testing.assert_allclose(pcov, ref_cov, rtol=1e-6)
    theirs, their_cov = so.curve_fit(_peak.py_func, x, y, p0, sigma=sigma,
                                     absolute_sigma=absolute_sigma)
    np.testing.assert_allclose(popt, theirs, rtol=1e-6)
    np.testing.assert_allclose(pcov, their_cov, rtol=1e-4)


def test_compiled_model_failures_and_fallbacks():
    x, y, _ = _peak_data()
    with pytest.raises(RuntimeError, match="Optimal parameters not found"):
        fastopt.curve_fit(_peak, x, y, [3.0, 0.0, 1.0, 0.5, 0.0], max_nfev=3)
    with pytest.raises(TypeError, match="parameters=5 must not exceed .* points=4"):  # scipy's
        fastopt.curve_fit(_peak, x[:4], y[:4], [3.0, 0.0, 1.0, 0.5, 0.0])
    # A model not returning a float64 vector takes the Python path.
    @numba.njit
    def line_f32(x, a, b):
        return (a + b * x).astype(np.float32)
    popt, _ = fastopt.curve_fit(line_f32, x, 1.0 + 2.0 * x, [0.0, 0.0])
    np.testing.assert_allclose(popt, [1.0, 2.0], rtol=1e-6)


def test_compiled_model_takes_any_array_layout():
    # Column slices, read-only arrays and strided p0 reach the compiled loop
    # as copies it accepts; the answer is the Python path's.
    x, y, _ = _peak_data()
    table = np.column_stack([x, y])
    y_ro = y.copy()
    y_ro.setflags(write=False)
    p0 = np.array([3.0, 9.0, 0.0, 9.0, 1.0, 9.0, 0.5, 9.0, 0.0])[::2]
    ref, _ = fastopt.curve_fit(_peak.py_func, x, y, p0)
    for xs, ys in ((table[:, 0], table[:, 1]), (x, y_ro)):
        popt, _ = fastopt.curve_fit(_peak, xs, ys, p0)
        np.testing.assert_allclose(popt, ref, rtol=1e-9)
    with pytest.raises(ValueError, match="p0"):
        fastopt.curve_fit(_peak, x, y, [np.nan, 0.0, 1.0, 0.5, 0.0])
    with pytest.raises(ValueError, match="sigma"):
        fastopt.curve_fit(_peak, x, y, p0, sigma=-np.ones(x.size))


# --- scipy's forms of the data: NaN policy on N-D data, scalar sigma, broadcast ydata ----

def _plane(x, a, b):
    return a * x[..., 0, :].squeeze() + b + x[..., 1, :].squeeze()


_X_NAN = np.array([[2, 3, np.nan, 4, 4, np.nan, 5, 6], [2, 3, np.nan, np.nan, 4, np.nan, 7, 6]])
_Y_NAN = np.array([1, 2, 5, 3, np.nan, 7, 10, 9.5])


@pytest.mark.parametrize("policy, match", [
    ("propagate", "`nan_policy='propagate'` is not supported"),
    ("hi", r"nan_policy must be one of \{None, 'raise', 'omit'\}"),
    ("raise", "The input contains nan"),
])
def test_nan_policy_errors_are_scipys(policy, match):
    for fit in (so.curve_fit, fastopt.curve_fit):
        with pytest.raises(ValueError, match=match):
            fit(_plane, _X_NAN, _Y_NAN, check_finite=False, nan_policy=policy)


@pytest.mark.parametrize("extra_axis", [False, True])
def test_nan_policy_omit_drops_points_of_multidimensional_xdata(extra_axis):
    x = _X_NAN[None] if extra_axis else _X_NAN.copy()
    popt, pcov = fastopt.curve_fit(_plane, x, _Y_NAN, nan_policy="omit")
    np.testing.assert_array_equal(x.reshape(_X_NAN.shape), _X_NAN)  # inputs unchanged
    ref, ref_cov = so.curve_fit(_plane, x, _Y_NAN, nan_policy="omit")
    keep = [0, 1, 6, 7]  # the points with no NaN in either row nor in y
    clean, _ = fastopt.curve_fit(_plane, x[..., keep], _Y_NAN[keep])
    np.testing.assert_allclose(popt, ref, rtol=1e-7)
    np.testing.assert_allclose(pcov, ref_cov, rtol=1e-6)
    np.testing.assert_array_equal(popt, clean)


@pytest.mark.parametrize("absolute_sigma", [False, True])
def test_scalar_sigma_is_every_points_sigma(data, absolute_sigma):
    x, y, p0 = data
    popt, pcov = fastopt.curve_fit(gauss, x, y, p0, sigma=0.05, absolute_sigma=absolute_sigma)
    full, full_cov = fastopt.curve_fit(gauss, x, y, p0, sigma=np.full(x.size, 0.05),
                                       absolute_sigma=absolute_sigma)
    np.testing.assert_array_equal(popt, full)
    np.testing.assert_array_equal(pcov, full_cov)
    _, ref_cov = so.curve_fit(gauss, x, y, p0, sigma=0.05, absolute_sigma=absolute_sigma)
    np.testing.assert_allclose(pcov, ref_cov, rtol=1e-4)


def test_nan_policy_omit_with_scalar_sigma(data):
    x, y, p0 = data
    x, y = x.copy(), y.copy()
    x[5], y[20] = np.nan, np.nan
    popt, _ = fastopt.curve_fit(gauss, x, y, p0, sigma=0.05, nan_policy="omit")
    ref, _ = so.curve_fit(gauss, x, y, p0, sigma=0.05, nan_policy="omit", xtol=1e-15,
                          ftol=1e-15, gtol=1e-15)
    np.testing.assert_allclose(popt, ref, rtol=1e-7)


def test_scalar_ydata_is_broadcast_against_the_model():
    x = np.arange(10.0)
    target = 4.7 * x ** 2 + 3.5 * x + np.sin(x)

    def model(x, a, b):
        return a * x ** 2 + b * x - target

    popt0, pcov0 = fastopt.curve_fit(model, x, np.zeros_like(x))
    popt1, pcov1 = fastopt.curve_fit(model, x, 0)
    _, ref_cov = so.curve_fit(model, x, 0)
    np.testing.assert_array_equal(popt1, popt0)
    np.testing.assert_array_equal(pcov1, pcov0)
    np.testing.assert_allclose(pcov1, ref_cov, rtol=1e-6)


def test_more_parameters_than_points_is_scipys_type_error():
    def model(x, a, b, c, d, e):
        return a * np.exp(-b * x) + c + d + e
    for fit in (so.curve_fit, fastopt.curve_fit):
        with pytest.raises(TypeError, match="parameters=5 must not exceed .* points=4"):
            fit(model, [1, 2, 3, 4], [5, 9, 13, 17])


# --- hostile input ----------------------------------------------------------------

_T = np.linspace(0.0, 3.0, 30)


@numba.njit
def _decay_undefined_above(t, k):
    if k > 1.2:
        return np.full(t.size, np.nan)
    return np.exp(-k * t)


def _decay_undefined_above_py(t, k):
    return np.where(k > 1.2, np.nan, np.exp(-k * t))


@pytest.mark.parametrize("model", [_decay_undefined_above, _decay_undefined_above_py])
def test_nan_region_ending_the_fit_raises(model):
    # Data from k = 1.5 and a model NaN past 1.2: no fit, scipy's RuntimeError.
    with pytest.raises(RuntimeError, match="Optimal parameters not found"):
        fastopt.curve_fit(model, _T, np.exp(-1.5 * _T), p0=[0.5])


def test_complex_inputs_and_models_raise():
    y = np.exp(-1.5 * _T)
    decay = lambda t, k: np.exp(-k * t)  # noqa: E731
    with pytest.raises(ValueError, match="p0"):
        fastopt.curve_fit(decay, _T, y, p0=[0.5 + 1j])
    with pytest.raises(ValueError, match="ydata"):
        fastopt.curve_fit(decay, _T, y + 0j, p0=[0.5])
    with pytest.raises(ValueError, match="sigma"):
        fastopt.curve_fit(decay, _T, y, p0=[0.5], sigma=np.ones(_T.size) + 1j)
    with pytest.raises(ValueError, match="f must return real"):
        fastopt.curve_fit(lambda t, k: np.exp(-k * t) + 0j, _T, y, p0=[0.5])
    with pytest.raises(ValueError, match="jac"):
        fastopt.curve_fit(decay, _T, y, p0=[0.5],
                          jac=lambda t, k: (-t * np.exp(-k * t) + 0j)[:, None])


@pytest.mark.parametrize("scale", [1e160, 1e-200])
@pytest.mark.parametrize("compiled", [False, True])
def test_pcov_finite_and_correct_for_extreme_data(scale, compiled):
    # A linear model scaled by 1e160 or 1e-200: pcov is the analytic
    # s^2 (A^T A)^-1 of the unscaled problem, with no warning (was NaN).
    x = np.linspace(0.0, 1.0, 20)
    y = scale * (2.0 + 3.0 * x + 0.01 * np.sin(13 * x))
    A = np.stack([np.ones_like(x), x], axis=1)
    coef, *_ = np.linalg.lstsq(A, y / scale, rcond=None)
    r = A @ coef - y / scale
    expected = (r @ r / (x.size - 2)) * np.linalg.inv(A.T @ A)
    line = (numba.njit(lambda x, a, b: a * scale + b * scale * x) if compiled
            else (lambda x, a, b: a * scale + b * scale * x))
    with warnings.catch_warnings():
        warnings.simplefilter("error", OptimizeWarning)
        popt, pcov = fastopt.curve_fit(line, x, y, p0=[1.0, 1.0])
    np.testing.assert_allclose(popt, coef, rtol=1e-8)
    np.testing.assert_allclose(pcov, expected, rtol=1e-6)


def test_curve_fit_leaves_its_inputs_alone():
    y = np.exp(-1.5 * _T)
    p0, x, ys = np.array([0.5]), _T.copy(), y.copy()
    fastopt.curve_fit(lambda t, k: np.exp(-k * t), x, ys, p0=p0)
    np.testing.assert_array_equal(p0, [0.5])
    np.testing.assert_array_equal(x, _T)
    np.testing.assert_array_equal(ys, y)
