"""Issue #17, third pass: auto ranks on forecasts from more origins (every half horizon, one horizon further
back), never on an origin whose actuals come after the decision, and falls back to seasonal naive when its
choices were not clearly better on that evidence; the page says why, in English and Chinese."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.forecasting import run_forecast
from ecom_analytics.forecasting.notes import words
from ecom_analytics.forecasting.readings import auto_reading
from ecom_analytics.forecasting.selection import AUTO_MARGIN, AutoSettings, choose, evidence_cuts
from ecom_analytics.forecasting.series import SeriesSet
from ecom_analytics.i18n import translate

MODELS = ["naive", "seasonal_naive", "snaive_level", "theta", "fourier", "auto"]  # ETS (statsmodels) is slow


def _monthly(y, uid="s") -> SeriesSet:
    return SeriesSet(pd.DataFrame({"unique_id": pd.Series(uid, index=range(len(y)), dtype="string"),
                                   "ds": pd.date_range("2015-01-01", periods=len(y), freq="MS"), "y": y}),
                     "M", "units", "total")


def test_evidence_origins_one_horizon_further_back_or_denser():
    # 52 weeks, h = 4, 6 backtest windows cut at 28, 32, ..., 48: by default one more window, cut at 24 (28 - 4)
    assert evidence_cuts(28, 48, 4, [28, 32, 36, 40, 44, 48], 4) == [24]
    # every half horizon: every 2 weeks from 46 down to 24, without the windows' own cuts
    assert evidence_cuts(28, 48, 4, [28, 32, 36, 40, 44, 48], 4, step=0.5, back=1) == [24, 26, 30, 34, 38, 42, 46]
    # never shorter than the minimum training part; a horizon of 1 has no half: every period, the cuts left out
    assert evidence_cuts(5, 9, 1, [5, 6, 7, 8, 9], 5, step=0.5, back=1) == []
    assert evidence_cuts(6, 10, 3, [6, 10], 3, step=1 / 3, back=1) == [3, 4, 5, 7, 8, 9]


def _units(errors: dict[str, list[float]], weeks: list[int], uid: str = "s") -> pd.DataFrame:
    """Backtest rows, one step per window: window k cut at week ``weeks[k]`` (its actual the week after),
    y = 10, yhat = 10 + error, MASE scale 1."""
    start = pd.Timestamp("2020-01-06")
    rows = []
    for model, errs in errors.items():
        for k, err in enumerate(errs):
            rows.append({"unique_id": uid, "model": model, "window": k, "step": 1,
                         "cutoff": start + pd.Timedelta(weeks=weeks[k]), "ds": start + pd.Timedelta(weeks=weeks[k] + 1),
                         "y": 10.0, "yhat": 10.0 + err, "scale": 1.0})
    return pd.DataFrame(rows)


def test_an_origin_whose_actual_comes_after_the_cut_is_not_evidence():
    start = pd.Timestamp("2020-01-06")
    # windows cut at weeks 10 and 20; ETS and theta are tied on window 0, seasonal naive far off
    bt = _units({"ets": [1.0, 0.0], "theta": [1.0, 0.0], "seasonal_naive": [20.0, 20.0]}, [10, 20])
    # two extra origins: week 14 (actual week 15, known at the cut of week 20): theta exact, ETS off by 3;
    # week 20 (actual week 21, after that cut): ETS exact, theta off by 9 (must not count for window 1)
    extra = {"s": {"cut": np.array([start + pd.Timedelta(weeks=14), start + pd.Timedelta(weeks=20)],
                                   dtype="datetime64[ns]"),
                   "ds": np.array([[start + pd.Timedelta(weeks=15)], [start + pd.Timedelta(weeks=21)]],
                                  dtype="datetime64[ns]"),
                   "y": np.array([[10.0], [10.0]]), "scale": np.array([1.0, 1.0]),
                   "yhat": {"ets": np.array([[13.0], [10.0]]), "theta": np.array([[10.0], [19.0]]),
                            "seasonal_naive": np.array([[30.0], [30.0]])}}}
    got = choose(bt, extra, AutoSettings(sizes=(1,), margin=0.0))
    picked = got.rows.set_index("window")["picked"].to_dict()
    # window 1 (cut at week 20) ranks on window 0 (ETS 1, theta 1) and the week-14 origin (ETS 3, theta 0): theta
    assert picked[1] == "theta"
    # the future sees everything: ETS (1 + 3 + 0 + 0) / 4 = 1 against theta (1 + 0 + 9 + 0) / 4 = 2.5
    assert got.chosen == {"s": "ets"} and got.reason == {"s": "best"}


def test_the_guard_falls_back_and_the_page_says_why_in_english_and_chinese():
    # the models take turns: the rule chases the one that did well last and errs 8 where seasonal naive errs 3
    bt = _units({"naive": [0.0, 8.0, 0.0, 8.0, 0.0], "seasonal_naive": [3.0] * 5,
                 "theta": [8.0, 0.0, 8.0, 0.0, 8.0]}, [10, 11, 12, 13, 14])
    got = choose(bt, None, AutoSettings(sizes=(1,)))
    assert got.chosen == {"s": "seasonal_naive"} and got.reason == {"s": "guard"}
    # the rule chose something else than seasonal naive on windows 1 (naive, 8) and 3 (naive: mean 8/3 on windows
    # 0-2 against seasonal naive's 3, erring 8); on windows 2 and 4 it chose seasonal naive itself: not judged
    facts = got.per_series["s"]
    assert facts["origins"] == 2 and facts["ratio"] == pytest.approx(8 / 3) and facts["baseline"] == "seasonal_naive"
    result = SimpleNamespace(chosen=got.chosen, chosen_reason=got.reason, auto=got)
    note = auto_reading(result, "s")
    below = f"{np.exp(-AUTO_MARGIN):.0%}"
    assert words(note) == (
        "Auto uses **Seasonal naive** for this series: on the table's earlier forecasts (2 of them, each made with the "
        f"models ranked best on the forecasts before it only), its choices erred 267% as much as Seasonal naive; it "
        f"keeps them only below {below}, so it falls back to Seasonal naive. In the backtest windows, each decided on "
        "the forecasts before it, auto used Seasonal naive in 3 of 5, Theta in 1 of 5, Naive in 1 of 5; its errors in "
        "the table are those.")
    # window 0 had no evidence (Theta: the first default among the models given), window 1 the rule's naive (no
    # judged origin yet), windows 2-4 seasonal naive (the rule's own choice on 2 and 4, the guard's on 3)
    assert list(got.rows.drop_duplicates("window")["picked"]) == ["theta", "naive", "seasonal_naive", "seasonal_naive",
                                                                   "seasonal_naive"]
    zh = words(note, lambda code, **p: translate(code, "zh", **p))
    assert "因此退回到 季节性朴素" in zh and "267%" in zh and "共 2 次" in zh


def test_auto_is_never_worse_than_seasonal_naive_where_seasonal_naive_is_right():
    rng = np.random.default_rng(3)
    season = np.array([80, 70, 90, 100, 110, 120, 100, 95, 105, 130, 160, 220], dtype=float)
    y = np.tile(season, 7) + rng.normal(0, 0.5, 84)  # a pure repeating year plus tiny noise
    result = run_forecast(_monthly(y), MODELS, 6, 4, country="")
    board = result.leaderboard.set_index("model")
    assert board.loc["auto", "mase"] <= board.loc["seasonal_naive", "mase"] + 1e-9
    assert board.loc["auto", "smape"] <= board.loc["seasonal_naive", "smape"] + 1e-9
    # it ranked on the 6 backtest windows (2 selection windows, cut at 48 and 54, and the 4 scored ones) and one
    # more origin a horizon before them (cut at 42)
    assert result.auto.per_series["s"]["evidence"] == 7


def test_auto_follows_a_clear_trend_that_seasonal_naive_misses():
    rng = np.random.default_rng(4)
    t = np.arange(84, dtype=float)
    y = 100 + 5 * t + 6 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1.0, 84)  # seasonal naive lags 60 behind
    result = run_forecast(_monthly(y), MODELS, 6, 4, country="")
    board = result.leaderboard.set_index("model")
    assert result.chosen_reason["s"] == "best"
    assert "seasonal_naive" not in result.chosen["s"].split("+") and "naive" not in result.chosen["s"].split("+")
    assert board.loc["auto", "mase"] < 0.5 * board.loc["seasonal_naive", "mase"]
    why = words(auto_reading(result, "s"))
    assert why.startswith("Auto ") and "so auto keeps them" in why
