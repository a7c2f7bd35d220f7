"""BG/NBD (ecom_analytics.predict.bgnbd) against the published CDNOW fit.

Fader, Hardie & Lee (2005) fit the model to the CDNOW sample (2,357 customers, weeks) and report
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 with log-likelihood -9582.4. The summary file is
the one that ships with the ``lifetimes`` package, in ``../shared/data`` next to the repository.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.predict.bgnbd import BGNBD

CDNOW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cdnow_customers_summary.csv"
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    if not CDNOW.is_file():
        pytest.skip(f"CDNOW summary not found at {CDNOW} (the shared data folder next to the repository is absent)")
    return pd.read_csv(CDNOW)


@pytest.fixture(scope="module")
def fitted(cdnow) -> BGNBD:
    return BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_cdnow_file_is_the_published_sample(cdnow):
    assert len(cdnow) == 2357
    assert {"frequency", "recency", "T"} <= set(cdnow.columns)


def test_recovers_the_published_parameters(fitted):
    for name, value in PUBLISHED.items():
        assert fitted.params_[name] == pytest.approx(value, rel=1e-2), name


def test_recovers_the_published_log_likelihood(fitted):
    assert fitted.log_likelihood_ == pytest.approx(-9582.4, abs=0.5)


def test_probability_alive_is_a_probability_and_falls_with_time_since_last_purchase(fitted, cdnow):
    p = fitted.probability_alive(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert p.shape == (len(cdnow),)
    assert np.all((p >= 0) & (p <= 1))
    # never bought again: alive by assumption of the model (no chance to drop out yet)
    assert np.all(p[cdnow["frequency"].to_numpy() == 0] == 1.0)
    # same frequency and age, an older last purchase: less likely to be alive
    recent, stale = fitted.probability_alive([5, 5], [35.0, 10.0], [38.0, 38.0])
    assert recent > stale


def test_expected_purchases_grow_with_the_window(fitted):
    t = np.array([0.0, 1.0, 4.0, 13.0, 26.0, 39.0, 52.0, 104.0])
    for x, t_x, age in ((0, 0.0, 38.0), (2, 30.43, 38.86), (10, 37.0, 38.0), (3, 5.0, 38.0)):
        e = np.array([float(fitted.expected_purchases(w, x, t_x, age)) for w in t])
        assert e[0] == pytest.approx(0.0, abs=1e-12)
        assert np.all(np.diff(e) > 0), (x, t_x, age, e)
    # a frequent, recent buyer is expected to buy more than a one-off buyer
    assert float(fitted.expected_purchases(39.0, 10, 37.0, 38.0)) > float(fitted.expected_purchases(39.0, 0, 0.0, 38.0))


def test_probability_of_purchase_is_a_probability(fitted, cdnow):
    p = fitted.probability_of_purchase(4.0, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert np.all((p >= 0) & (p <= 1))


def test_predicting_before_fit_raises_a_clear_error():
    model = BGNBD()
    for call in (lambda: model.probability_alive([1], [1.0], [2.0]),
                 lambda: model.expected_purchases(1.0, [1], [1.0], [2.0]),
                 lambda: model.params_):
        with pytest.raises(RuntimeError, match="not fitted yet; call fit"):
            call()


def test_bad_summaries_are_refused():
    with pytest.raises(ValueError, match="at least one customer"):
        BGNBD().fit([], [], [])
    with pytest.raises(ValueError, match="recency must not exceed age"):
        BGNBD().fit([1], [5.0], [3.0])


# ---- the conditional distribution of purchases in a window (issue #20) ----------------------------

#: the published fit to full precision (Fader, Hardie & Lee 2005, their spreadsheet)
EXACT = {"r": 0.2425945, "alpha": 4.4135908, "a": 0.7929306, "b": 2.4258928}


def _published() -> BGNBD:
    model = BGNBD()
    model.r_, model.alpha_, model.a_, model.b_ = EXACT.values()
    return model


def test_published_conditional_expectation_for_customer_1():
    # "Counting Your Customers the Easy Way", section 4: x = 2, t_x = 30.43, T = 38.86 weeks,
    # expected purchases in the next 39 weeks = 1.226
    assert float(_published().expected_purchases(39.0, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=5e-4)


def test_probability_alive_by_hand():
    # 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)) for customer 1
    r, alpha, a, b = EXACT.values()
    by_hand = 1 / (1 + a / (b + 1) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2))  # 0.7266
    assert float(_published().probability_alive(2, 30.43, 38.86)) == pytest.approx(by_hand, rel=1e-12)


def test_probability_of_no_purchase_by_hand():
    # P(0 in (T, T+t]) = (1 - P(alive)) + P(alive) * ((alpha + T) / (alpha + T + t)) ** (r + x)
    r, alpha, a, b = EXACT.values()
    alive = 1 / (1 + a / (b + 1) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2))
    none = (1 - alive) + alive * ((alpha + 38.86) / (alpha + 38.86 + 39.0)) ** (r + 2)
    model = _published()
    assert float(model.probability_of_n_purchases(0, 39.0, 2, 30.43, 38.86)) == pytest.approx(none, rel=1e-12)
    assert float(model.probability_of_purchase(39.0, 2, 30.43, 38.86)) == pytest.approx(1 - none, rel=1e-12)  # 0.5546


def test_probability_of_one_purchase_by_hand():
    # n = 1: B(a, b+x+1)/B(a, b+x) * (r+x) * s * z  +  B(a+1, b+x)/B(a, b+x) * (1 - s), times P(alive),
    # with s = ((alpha+T)/(alpha+T+t))^(r+x), z = t/(alpha+T+t); x = 0 so P(alive) = 1
    from scipy.special import beta

    r, alpha, a, b = EXACT.values()
    T, t = 38.0, 13.0
    s, z = ((alpha + T) / (alpha + T + t)) ** r, t / (alpha + T + t)
    one = beta(a, b + 1) / beta(a, b) * r * s * z + beta(a + 1, b) / beta(a, b) * (1 - s)
    assert float(_published().probability_of_n_purchases(1, t, 0, 0.0, T)) == pytest.approx(one, rel=1e-10)


@pytest.mark.parametrize("x,t_x,age", [(0, 0.0, 38.0), (2, 30.43, 38.86), (10, 37.0, 38.0), (3, 5.0, 38.0),
                                       (1, 1.71, 38.86)])
def test_window_distribution_sums_to_one_and_its_mean_is_the_expected_purchases(x, t_x, age):
    model = _published()
    for t in (1.0, 13.0, 39.0, 78.0):
        probs = np.array([float(model.probability_of_n_purchases(n, t, x, t_x, age)) for n in range(400)])
        assert np.all(probs >= -1e-15)
        assert probs.sum() == pytest.approx(1.0, abs=1e-9)
        assert (probs * np.arange(400)).sum() == pytest.approx(float(model.expected_purchases(t, x, t_x, age)),
                                                               rel=1e-7)


def test_window_distribution_matches_a_simulation():
    # draw customers alive or not from the posterior, then simulate the BG/NBD process in the window
    model = _published()
    r, alpha, a, b = EXACT.values()
    x, t_x, T, t = 2, 30.43, 38.86, 39.0
    rng = np.random.default_rng(0)
    n_sim = 200_000
    alive = rng.random(n_sim) < float(model.probability_alive(x, t_x, T))
    lam = rng.gamma(r + x, 1 / (alpha + T), n_sim)
    p = rng.beta(a, b + x, n_sim)
    counts = np.zeros(n_sim, dtype=int)
    clock = np.zeros(n_sim)
    active = alive.copy()
    while active.any():
        clock[active] += rng.exponential(1 / lam[active])
        bought = active & (clock <= t)
        counts[bought] += 1
        active = bought & (rng.random(n_sim) >= p)
    for n in range(4):
        assert np.mean(counts == n) == pytest.approx(float(model.probability_of_n_purchases(n, t, x, t_x, T)),
                                                     abs=0.004), n


def test_a_window_of_zero_length_holds_no_purchase():
    model = _published()
    assert float(model.probability_of_n_purchases(0, 0.0, 3, 20.0, 38.0)) == pytest.approx(1.0)
    assert float(model.probability_of_purchase(0.0, 3, 20.0, 38.0)) == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError, match="whole number"):
        model.probability_of_n_purchases(-1, 1.0, 3, 20.0, 38.0)
