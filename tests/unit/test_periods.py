"""The overlap rule for orders and events, on periods counted by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ecom_analytics.periods import Period, compare_periods, period_of


def p(start: str, end: str) -> Period:
    return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_days_count_both_ends():
    assert p("2011-01-01", "2011-01-01").days == 1
    assert p("2009-12-01", "2010-12-09").days == 374  # 31 (Dec 2009) + 334 (Jan-Nov 2010) + 9
    with pytest.raises(ValueError):
        p("2011-02-01", "2011-01-01")


def test_orders_of_2009_10_and_events_of_2011_share_no_day():
    found = compare_periods(p("2009-12-01", "2010-12-09"), p("2011-11-09", "2011-12-09"))
    assert (found.level, found.shared, found.shared_days, found.share) == ("none", None, 0, 0.0)
    assert not found.combine_by_default and found.severity == "warning"
    code, params, severity = found.note()
    assert (code, severity) == ("periods_disjoint", "warning")
    assert params["first_start"] == "2009-12-01" and params["second_end"] == "2011-12-09"


def test_adjacent_months_do_not_overlap_but_one_shared_day_does():
    assert compare_periods(p("2011-01-01", "2011-01-31"), p("2011-02-01", "2011-02-28")).level == "none"
    touch = compare_periods(p("2011-01-01", "2011-01-31"), p("2011-01-31", "2011-03-01"))
    assert (touch.level, touch.shared_days) == ("partial", 1)
    assert touch.share == pytest.approx(1 / 30)  # the shorter is 31 Jan - 1 Mar: 1 + 28 + 1 = 30 days


def test_the_samples_month_of_events_lies_inside_its_year_of_orders():
    found = compare_periods(p("2010-12-01", "2011-12-09"), p("2011-11-09", "2011-12-09"))
    assert (found.level, found.shared_days, found.share) == ("full", 31, 1.0)  # 22 days of Nov + 9 of Dec
    assert found.note() is None and found.severity == "ok"


def test_a_partial_overlap_names_both_periods_and_the_shared_days():
    # events Oct 2010 - Mar 2011 (31+30+31+31+28+31 = 182 days) against orders of 2010: 92 days shared
    found = compare_periods(p("2010-01-01", "2010-12-31"), p("2010-10-01", "2011-03-31"))
    assert (found.level, found.shared_days) == ("partial", 92)
    assert found.share == pytest.approx(92 / 182)
    code, params, severity = found.note()
    assert (code, severity) == ("periods_partial", "warning")
    assert (params["shared_start"], params["shared_end"], params["shared_days"]) == ("2010-10-01", "2010-12-31", 92)
    assert found.combine_by_default


def test_the_90_percent_line():
    orders = p("2010-01-02", "2010-12-31")
    assert compare_periods(orders, p("2010-01-01", "2010-01-10")).level == "full"  # 9 of 10 days
    assert compare_periods(orders, p("2009-12-31", "2010-01-09")).level == "partial"  # 8 of 10 days
    assert compare_periods(p("2010-01-01", "2010-01-10"), orders).level == "full"  # the order does not matter


def test_period_of_a_timestamp_column():
    stamps = pd.Series(pd.to_datetime(["2011-03-05 23:59", None, "2010-12-01 08:26", "2011-01-01 00:00"]))
    assert period_of(stamps) == p("2010-12-01", "2011-03-05")
    assert period_of(pd.Series(pd.to_datetime([None, None]))) is None
