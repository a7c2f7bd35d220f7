"""The retail models of #17 against hand-computed forecasts: seasonal naive + level, Croston/SBA/TSB,
the exponential smoothing grid, Fourier regression with a holiday regressor, the holiday calendar,
the global gradient boosting never seeing past its cut, auto on intermittent series, sales totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import run_forecast, sales_series
from ecom_analytics.forecasting.calendar import check_country, country_code, regressors
from ecom_analytics.forecasting.global_model import PanelSeries, gbm_forecasts
from ecom_analytics.forecasting.retail import (Croston, FourierRegression, SeasonalNaiveLevel, is_intermittent,
                                               ses_grid)
from ecom_analytics.forecasting.series import SeriesSet, default_horizon, same_period_last_season

TEN = [10, 20, 30, 40, 12, 22, 32, 44, 14, 24]


def test_seasonal_naive_with_level_by_hand():
    # season 4, window 2: the last season is 32, 44, 14, 24; the last two periods average (14 + 24) / 2 = 19,
    # the same two one season earlier (12 + 22) / 2 = 17 -> ratio 19 / 17
    out = SeasonalNaiveLevel(4, window=2).fit(TEN).predict(5)
    assert out == pytest.approx(np.array([32, 44, 14, 24, 32]) * 19 / 17)
    # the difference instead: + 2
    assert SeasonalNaiveLevel(4, window=2, mode="shift").fit(TEN).predict(4).tolist() == [34, 46, 16, 26]
    # exactly one season: plain seasonal naive
    assert SeasonalNaiveLevel(4).fit(TEN[:4]).predict(2).tolist() == [10, 20]
    with pytest.raises(InputError, match="at least one season"):
        SeasonalNaiveLevel(4).fit(TEN[:3])


def test_croston_sba_tsb_by_hand():
    y = [0, 3, 0, 0, 6, 0, 3]
    # sizes 3, 6, 3 and intervals 2, 3, 2 smoothed with alpha 0.5: z = 3 -> 4.5 -> 3.75, p = 2 -> 2.5 -> 2.25
    assert Croston("croston", alpha=0.5).fit(y).predict(3) == pytest.approx([3.75 / 2.25] * 3)
    assert Croston("sba", alpha=0.5).fit(y).predict(1) == pytest.approx([3.75 / 2.25 * 0.75])
    # TSB, alpha = beta = 0.5: probability 0.5 -> 0.25 -> 0.125 -> 0.5625 -> 0.28125 -> 0.640625; size 3 -> 4.5 -> 3.75
    assert Croston("tsb", alpha=0.5, beta=0.5).fit(y).predict(1) == pytest.approx([0.640625 * 3.75])
    assert Croston().fit([0, 0, 0]).predict(2).tolist() == [0.0, 0.0]
    assert is_intermittent(np.array(y)) and not is_intermittent(np.arange(1.0, 8.0))


def test_ses_grid_by_hand():
    # one alpha of 0.5 on 1, 3: the one-step error is 2 (SSE 4), the level moves to 2
    assert ses_grid(np.array([1.0, 3.0]), np.array([0.5])) == (0.5, 2.0, 4.0)


def test_fourier_regression_learns_a_holiday_from_the_regressor():
    n = 150
    t = np.arange(n + 8)
    holiday = (t % 52 == 50).astype(float)[:, None]  # weeks 50 and 102 in the history, 154 in the horizon
    y = 100 + 10 * np.sin(2 * np.pi * t / 52.18) + 40 * holiday[:, 0]
    model = FourierRegression(periods=(52.18,), k=3, ridge=0.01).fit(y[:n], flags=holiday[:n])
    out = model.predict(8, holiday[n:])
    assert np.abs(out - y[n:]).max() < 2
    without = model.predict(8, np.zeros((8, 1)))
    assert (out - without)[4] == pytest.approx(40, abs=2) and np.abs(np.delete(out - without, 4)).max() < 1e-9


def test_holiday_calendar_has_christmas_and_the_weeks_before_it():
    assert country_code("United Kingdom") == "GB" and country_code("usa") == "US" and country_code("") is None
    assert check_country("none") is None
    with pytest.raises(InputError, match="No holiday calendar for 'Atlantis'"):
        check_country("Atlantis")
    weeks = pd.date_range("2021-01-04", "2023-12-25", freq="W-MON")
    cols = regressors(weeks, "W", "GB")
    christmas = [c for c in cols.columns if c.startswith("holiday: Christmas")]
    assert christmas and "before_christmas_1" in cols
    hit = cols.index[cols[christmas[0]] == 1]
    # Christmas Day 2022 is a Sunday: in the week starting Monday 19 December
    assert pd.Timestamp("2022-12-19") in hit
    assert cols.loc[pd.Timestamp("2022-12-12"), "before_christmas_1"] == 1


def test_gbm_never_uses_values_after_its_cut():
    rng = np.random.default_rng(0)
    n, h = 80, 4
    ds = pd.date_range("2020-01-06", periods=n + h, freq="W-MON")
    panel = []
    for i in range(8):
        y = 100 + 10 * np.sin(np.arange(n) / 5 + i) + rng.normal(0, 1, n)
        panel.append(PanelSeries(f"s{i}", y, ds, np.zeros((n + h, 0)), np.zeros((n + h, 1))))
    cuts = {p.uid: 60 for p in panel}
    first, _ = gbm_forecasts(panel, cuts, h, 52)
    for p in panel:  # change everything after the cut: the forecasts must not move
        p.y[60:] = 1e6
    second, _ = gbm_forecasts(panel, cuts, h, 52)
    for uid in first:
        assert first[uid] == pytest.approx(second[uid])


def test_auto_adds_intermittent_models_for_sparse_products(monkeypatch):
    from ecom_analytics.forecasting import backtest as bt_module

    seen = {}
    original = bt_module.choose

    def spying(bt, *args, **kwargs):
        seen[bt["unique_id"].iloc[0]] = set(bt["model"])
        return original(bt, *args, **kwargs)

    monkeypatch.setattr(bt_module, "choose", spying)

    def one(y, uid):
        return pd.DataFrame({"unique_id": pd.Series(uid, index=range(len(y)), dtype="string"),
                             "ds": pd.date_range("2020-01-06", periods=len(y), freq="W-MON"), "y": y})

    sparse = np.zeros(60)
    sparse[::3] = 5.0  # a sale every third week: ADI 3 > 1.32
    result = run_forecast(SeriesSet(one(sparse, "p"), "W", "units", "product"), ["naive", "auto"], 4, 2)
    assert {"croston", "sba", "tsb"} <= seen["p"]  # candidates for auto
    assert set(result.leaderboard["model"]) == {"naive", "auto"}  # shown: only what was asked for
    run_forecast(SeriesSet(one(np.arange(1.0, 61.0), "q"), "W", "units", "product"), ["naive", "auto"], 4, 2)
    assert not {"croston", "sba", "tsb"} & seen["q"]  # a series that sells every week: not intermittent


def test_sales_total_sums_the_series_and_series_all():
    table = pd.DataFrame({"series_id": pd.Series(["a", "a", "b", "b"], dtype="string"),
                          "timestamp": pd.to_datetime(["2024-01-01", "2024-01-08"] * 2),
                          "value": [1.0, 2.0, 10.0, 20.0], "flag": [0.0, 1.0, 0.0, 0.0]})
    total = sales_series(table, level="total")
    assert total.ids == ["total"] and total.frame["y"].tolist() == [11.0, 22.0]
    assert total.frame["flag"].tolist() == [0.0, 1.0]
    assert sales_series(table, top_n=None).ids == ["b", "a"]


def test_last_season_and_default_horizon():
    history = pd.DataFrame({"ds": pd.date_range("2023-01-02", periods=60, freq="W-MON"), "y": np.arange(60.0)})
    future = pd.date_range("2024-03-04", periods=2, freq="W-MON")
    back = same_period_last_season(history, future, "W")
    assert back["y"].tolist() == [9.0, 10.0]  # 52 weeks before 2024-03-04 is 2023-03-06: 9 weeks after 2023-01-02
    assert default_horizon(52, "W") == 8 and default_horizon(8, "W") == 1 and default_horizon(293, "M") == 12


def test_reconciliation_sums_exactly_by_hand():
    from ecom_analytics.forecasting.reconcile import reconcile, shrunk_covariance, summing_matrix

    assert summing_matrix(2).tolist() == [[1, 1], [1, 0], [0, 1]]
    base = np.array([[100.0, 110.0], [60.0, 70.0], [30.0, 30.0]])  # total 100 but the parts say 90
    bu = reconcile(base, "bottom_up")
    assert bu.tolist() == [[90.0, 100.0], [60.0, 70.0], [30.0, 30.0]]
    # OLS (equal variances): the gap of 10 is shared equally by the three nodes: parts +10/3, total -10/3
    ols = reconcile(base, "mint")
    assert ols[:, 0] == pytest.approx([100 - 10 / 3, 60 + 10 / 3, 30 + 10 / 3])
    assert ols[0] == pytest.approx(ols[1] + ols[2])
    # MinT with errors: a node that erred more moves more, and the result still adds up exactly
    rng = np.random.default_rng(1)
    errors = rng.normal(0, [10.0, 1.0, 1.0], size=(40, 3))
    mint = reconcile(base, "mint", errors)
    assert mint[0] == pytest.approx(mint[1] + mint[2])
    assert abs(mint[0, 0] - 100) > abs(mint[1, 0] - 60)  # the noisy total is corrected most
    cov = shrunk_covariance(errors)
    assert np.allclose(cov, cov.T) and np.all(np.linalg.eigvalsh(cov) > 0)


def test_coherent_series_add_up_and_accuracy_per_level():
    from ecom_analytics.forecasting.reconcile import coherent_series, reconciled_accuracy

    rng = np.random.default_rng(2)
    days = pd.date_range("2023-01-02", periods=7 * 40, freq="D")
    rows = pd.DataFrame({"order_id": pd.Series([f"o{i}" for i in range(len(days) * 3)], dtype="string"),
                         "timestamp": np.repeat(days, 3),
                         "product_id": pd.Series(np.tile(["A", "B", "C"], len(days)), dtype="string"),
                         "quantity": np.tile([8.0, 4.0, 1.0], len(days)) + rng.integers(0, 2, len(days) * 3)})
    rows["amount"] = rows["quantity"] * 2.0
    series = coherent_series(rows, "revenue", "product", "W", top_n=2)
    assert series.ids == ["total", "A", "B", "other"]
    wide = series.frame.pivot_table(index="ds", columns="unique_id", values="y")
    assert np.allclose(wide["total"], wide[["A", "B", "other"]].sum(axis=1))
    result = run_forecast(series, ["naive", "theta"], 4, 3)
    acc = reconciled_accuracy(result, "theta")
    assert set(zip(acc["level"], acc["method"])) == {(lv, m) for lv in ("total", "bottom")
                                                      for m in ("base", "bottom_up", "mint")}
    bottom = acc[acc["level"] == "bottom"].set_index("method")
    assert bottom.loc["bottom_up", "mae"] == pytest.approx(bottom.loc["base", "mae"])  # bottom-up keeps the parts
