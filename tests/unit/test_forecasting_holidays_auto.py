"""Issue #17, second pass: last year's holiday weeks in forecasts without a yearly season, against
hand-computed multipliers; auto's rule (the best model or the mean of the best three, chosen per
series on the earlier windows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.forecasting import run_forecast
from ecom_analytics.forecasting.retail import year_ago_holiday_factors
from ecom_analytics.forecasting.notes import english, words
from ecom_analytics.forecasting.readings import run_notes
from ecom_analytics.forecasting.series import SeriesSet
from ecom_analytics.i18n import translate


def _weekly(y, start="2010-12-06", uid="total"):
    return SeriesSet(pd.DataFrame({"unique_id": pd.Series(uid, index=range(len(y)), dtype="string"),
                                   "ds": pd.date_range(start, periods=len(y), freq="W-MON"), "y": y}),
                     "W", "revenue", "total")


def test_year_ago_factor_by_hand_weekly():
    y = np.full(56, 100.0)
    y[3], y[7], y[5] = 80.0, 120.0, 20.0
    holiday = np.zeros(60, dtype=bool)
    holiday[[5, 57]] = True  # week 57 ahead; 52 weeks before it, week 5, a holiday too
    # neighbours of week 5 within 4 weeks, none a holiday: 1, 2, 3, 4, 6, 7, 8, 9 -> mean (6 x 100 + 80 + 120) / 8 = 100
    assert year_ago_holiday_factors(y, holiday, "W").tolist() == [1.0, pytest.approx(0.2), 1.0, 1.0]
    # a year-ago week without a holiday, or a holiday week with no year-ago week in the history: no change
    other = holiday.copy()
    other[5] = False
    assert year_ago_holiday_factors(y, other, "W").tolist() == [1.0] * 4
    # a neighbour that is a holiday itself is left out: week 6 (100) -> mean of the 7 others (80 + 120 + 5 x 100) / 7
    holiday[6] = True
    y[6] = 0.0
    assert year_ago_holiday_factors(y, holiday, "W")[1] == pytest.approx(20.0 / 100.0)
    y[9] = 800.0  # the mean of 1, 2, 3, 4, 7, 8, 9: (4 x 100 + 80 + 120 + 800) / 7 = 200 -> 0.1
    assert year_ago_holiday_factors(y, holiday, "W")[1] == pytest.approx(0.1)
    assert year_ago_holiday_factors(y, holiday, "M").tolist() == [1.0] * 4  # monthly: the season has it


def test_year_ago_factor_by_hand_daily_same_weekday():
    y = np.full(400, 50.0)
    y[10] = 0.0  # a closed holiday; the same weekday a week and two weeks around it sold 50, 60, 40, 50
    y[3], y[17] = 60.0, 40.0
    holiday = np.zeros(402, dtype=bool)
    holiday[[10, 374]] = True  # 374 - 364 = 10
    out = year_ago_holiday_factors(y[:373], holiday[:375], "D", neighbours=2)
    assert out.tolist() == [1.0, 0.0]
    y[10] = 25.0  # 25 / mean(50 [day -4 is outside], 60, 40, 50) = 25 / 50
    assert year_ago_holiday_factors(y[:373], holiday[:375], "D", neighbours=2)[1] == pytest.approx(0.5)


def test_christmas_weeks_follow_last_year_where_the_history_has_no_season():
    # 52 weeks from 2010-12-06 at 100, Christmas 2010 like Online Retail's: the week of the 25th at 10, the
    # closed week after it at 0, the week of the New Year's (observed) holiday at 50
    y = np.full(52, 100.0)
    y[2], y[3], y[4] = 10.0, 0.0, 50.0
    result = run_forecast(_weekly(y), ["naive", "seasonal_naive", "ets"], 6, 1, country="GB")
    fc = result.forecast.pivot_table(index="ds", columns="model", values="yhat")
    # GB holidays: 2011-12-19 holds Christmas Day (Sun 25), 2011-12-26 Boxing Day and the observed days,
    # 2012-01-02 the New Year's Day (observed); a year earlier 2010-12-20, 2010-12-27 and 2011-01-03, whose
    # neighbours without a holiday within 4 weeks all sold 100: multipliers 0.1, 0 and 0.5
    assert fc["naive"].tolist() == pytest.approx([100, 100, 10, 0, 50, 100])
    # seasonal naive has the year-ago weeks already: unchanged
    assert fc["seasonal_naive"].tolist() == pytest.approx(y[:6].tolist())
    assert fc["ets"].tolist() == pytest.approx([100, 100, 10, 0, 50, 100])  # a constant series: ETS is flat at 100
    note = next(n for n in result.notes if "year earlier" in english(n))
    assert english(note).startswith("'total': 3 holiday weeks ahead follow the same periods a year earlier")
    # on the page the series reads by its shown name in the analyst's language
    shown = [n for n in run_notes(result, {"total": translate("Total", "zh")}) if n.params["note"].code == note.code]
    assert words(shown[0], lambda code, **p: translate(code, "zh", **p)).startswith("说明：“总计”：未来 3 个节假日周按一年前同期")
    # without a calendar nothing is moved
    plain = run_forecast(_weekly(y), ["naive"], 6, 1, country="")
    assert plain.forecast["yhat"].tolist() == [100.0] * 6


def test_auto_chooses_per_series_between_the_best_model_and_the_mean_of_three_by_a_nested_backtest():
    from tests.unit.test_forecasting import _bt
    from ecom_analytics.forecasting.backtest import _auto

    # signed errors per window (y = 10, MASE scale 1):  0   1   2  3
    bt = _bt({"naive": [1.0, 3.0, 3.0, 0.0], "theta": [-2.0, -2.0, -2.0, 0.0], "ets": [2.0, 2.0, 2.0, 0.0]})
    auto, chosen, reason = _auto(bt, sizes=(1, 3), ranking="mean")
    got = auto.set_index("window")
    # window 0: no earlier window: the default, ETS (12). Window 1: one earlier window, nothing to judge the sizes
    # on: the best single model on window 0, naive (error 1 < 2, 2): 13.
    # Window 2: on window 1 (ranked on window 0) naive alone erred 3, the mean of the three |3 - 2 + 2| / 3 = 1:
    # the mean of the three, ranked on windows 0-1 (all tied at 2: ets, naive, theta): 10 + 1 = 11.
    # Window 3: the sizes' record on windows 1 and 2: naive 3 then ETS 2 (ETS first of the ties on 0-1) against
    # 1 and 1: the three again, ranked on 0-2 (ets 2, theta 2, naive 7/3): 10 + 0 = 10.
    assert got["picked"].to_dict() == {0: "ets", 1: "naive", 2: "ets+naive+theta", 3: "ets+theta+naive"}
    assert got["yhat"].tolist() == pytest.approx([12.0, 13.0, 11.0, 10.0])
    assert chosen == {"s": "ets+theta+naive"} and reason == {"s": "best"}
    # only the best single model: the old rule
    single, _, _ = _auto(bt, sizes=(1,))
    assert single.set_index("window")["picked"].to_dict() == {0: "ets", 1: "naive", 2: "ets", 3: "ets"}


def test_relative_ranking_weighs_a_crisis_window_like_a_calm_one():
    from ecom_analytics.forecasting.backtest import _ranked

    # window 0 a crisis (every error large), window 1 calm
    scores = pd.DataFrame({"ets": [30.0, 1.0], "theta": [20.0, 2.0], "naive": [25.0, 1.5]}, index=[0, 1])
    assert list(_ranked(scores, "mean").index) == ["theta", "naive", "ets"]  # means 11, 13.25, 15.5
    # relative to each window's median (25, then 1.5): ets log(1.2) + log(2/3), theta log(0.8) + log(4/3),
    # naive 0 + 0 -> ets -0.223, theta 0.065, naive 0
    assert list(_ranked(scores, "relative").index) == ["ets", "naive", "theta"]


def test_closed_weekdays_are_forecast_at_zero():
    from ecom_analytics.forecasting.backtest import closed_positions

    y = np.full(30, 10.0)
    y[[5, 12, 19, 26]] = 0.0  # closed every 7th day from day 5
    # the periods ahead are days 30..39; day 33 (33 % 7 == 5) is the closed weekday
    assert np.flatnonzero(closed_positions(y, 7, 10)).tolist() == [3]
    y[19] = 1.0  # one sale on that weekday within the last 4 weeks: not closed
    assert not closed_positions(y, 7, 10).any()
    assert not closed_positions(y[:27], 7, 10).any()  # fewer than 4 weeks: never
    from ecom_analytics.forecasting.backtest import closing_day

    y[19] = 0.0
    assert closing_day(y, 7)  # open every other day: a closing day, said "(closed)"
    sparse = np.tile([3.0, 0.0, 0.0, 2.0, 0.0, 0.0, 1.0], 5)  # a product that sells on few days
    sparse[[7, 14]] = 0.0  # its other days empty now and then too (10 of 12 sold)
    assert closed_positions(sparse, 7, 10).any() and not closing_day(sparse, 7)  # 0 ahead, but not "closed"
    assert not closing_day(np.zeros(28), 7)
    days = np.tile([10.0, 12.0, 11.0, 9.0, 14.0, 0.0, 8.0], 8)
    frame = pd.DataFrame({"unique_id": pd.Series("s", index=range(56), dtype="string"),
                          "ds": pd.date_range("2024-01-01", periods=56, freq="D"), "y": days})
    result = run_forecast(SeriesSet(frame, "D", "revenue", "total"), ["seasonal_naive", "theta"], 7, 1, country="")
    fc = result.forecast.pivot_table(index="step", columns="model", values="yhat")
    assert fc.loc[6, "theta"] == 0.0 and fc.loc[6, "seasonal_naive"] == 0.0  # the 6th day ahead is a Saturday
    assert (fc["theta"].drop(6) > 0).all()
    note = next(n for n in result.notes if "forecast at 0" in english(n))
    assert english(note) == ("'s': 1 day ahead is forecast at 0: the same position in the season had nothing in "
                             "each of the last 4 seasons (closed)")  # one day, in the singular
    assert words(note, lambda code, **p: translate(code, "zh", **p)).startswith("“s”：未来 1 个日预测为 0")
