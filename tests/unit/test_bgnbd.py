"""BG/NBD (ecom_analytics.bgnbd) against the published CDNOW fit.

Fader, Hardie & Lee (2005) fit the model to the CDNOW sample (2,357 customers, weeks) and report
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 with log-likelihood -9582.4. The summary file is
the one that ships with the ``lifetimes`` package, in ``../shared/data`` next to the repository.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.bgnbd import BGNBD

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
