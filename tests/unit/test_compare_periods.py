"""Periods compared (issue #21): the period before, the same dates a year earlier, and the KPI changes."""

import datetime as dt

import pandas as pd

from ecom_analytics.insights.overview import kpi_changes
from ecom_analytics.insights.periods import comparison_period, rows_in


def test_the_period_before_and_a_year_earlier():
    d = dt.date
    assert comparison_period(d(2024, 3, 1), d(2024, 3, 31), "previous") == (d(2024, 1, 30), d(2024, 2, 29))
    assert comparison_period(d(2024, 2, 1), d(2024, 2, 29), "last_year") == (d(2023, 2, 1), d(2023, 2, 28))
    assert comparison_period(d(2024, 2, 1), d(2024, 2, 29), "none") is None


def test_rows_in_includes_the_last_day_whole():
    frame = pd.DataFrame({"timestamp": pd.to_datetime(["2024-01-31 23:59", "2024-02-01 00:00", "2024-01-01 00:00"])})
    assert len(rows_in(frame, dt.date(2024, 1, 2), dt.date(2024, 1, 31))) == 1


def test_kpi_changes_by_hand():
    now = {"revenue": 110.0, "orders": 11, "customers": 5, "aov": 10.0, "repeat_rate": 0.4}
    before = {"revenue": 100.0, "orders": 10, "customers": 4, "aov": 10.0, "repeat_rate": 0.25}
    moved = kpi_changes(now, before)
    assert moved["revenue"] == 0.1 and moved["orders"] == 0.1 and moved["customers"] == 0.25
    assert moved["aov"] == 0.0 and abs(moved["repeat_rate"] - 0.15) < 1e-12
    assert kpi_changes(now, {**before, "revenue": 0.0, "customers": 0})["revenue"] is None
