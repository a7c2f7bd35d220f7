"""The overlap rule for orders and events, on periods counted by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ecom_analytics.insights.periods import Period, compare_periods, period_of


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


# --- partial first and last periods (Overview, Cohorts) --------------------------------------------

from ecom_analytics.insights.periods import describe_partial, partial_periods  # noqa: E402


def test_the_samples_december_has_9_of_31_days():
    # the sample runs Wednesday 2010-12-01 to Friday 2011-12-09: December 2010 is whole, December 2011 is not
    found = partial_periods(p("2010-12-01", "2011-12-09"), "month")
    assert [(x.edge, x.start, x.covered, x.days) for x in found] == [("last", dt.date(2011, 12, 1), 9, 31)]
    assert describe_partial(found[0]) == "December 2011 has 9 of 31 days in the data"
    assert describe_partial(found[0], "zh") == "2011年12月的数据只覆盖 31 天中的 9 天"
    assert found[0].note() == ("partial_period", {"edge": "last", "grain": "month", "start": "2011-12-01",
                                                  "days": 31, "covered": 9}, "info")


def test_weeks_start_on_monday_and_both_edges_can_be_partial():
    # Wednesday 2010-12-01 is in the week of Monday 11-29 (covered Wed-Sun: 5 days); Friday 2011-12-09 in the
    # week of Monday 12-05 (Mon-Fri: 5 days)
    first, last = partial_periods(p("2010-12-01", "2011-12-09"), "W")
    assert (first.edge, first.start, first.covered, first.days) == ("first", dt.date(2010, 11, 29), 5, 7)
    assert (last.edge, last.start, last.covered, last.days) == ("last", dt.date(2011, 12, 5), 5, 7)
    assert describe_partial(last) == "The week of 2011-12-05 has 5 of 7 days in the data"
    assert describe_partial(last, first_word=False) == "the week of 2011-12-05 has 5 of 7 days in the data"
    assert describe_partial(last, "zh") == "2011年12月5日这一周的数据只覆盖 7 天中的 5 天"


def test_complete_edges_are_not_marked():
    assert partial_periods(p("2011-01-01", "2011-12-31"), "month") == []  # whole months
    assert partial_periods(p("2024-01-01", "2024-02-29"), "month") == []  # a leap February ends on the 29th
    assert partial_periods(p("2011-11-28", "2011-12-11"), "week") == []   # Monday to Sunday
    last = partial_periods(p("2024-01-01", "2024-02-28"), "month")        # one day short of the leap day
    assert [(x.start, x.covered, x.days) for x in last] == [(dt.date(2024, 2, 1), 28, 29)]
    first = partial_periods(p("2011-01-02", "2011-03-31"), "month")       # January from the 2nd: 30 of 31
    assert [(x.edge, x.covered, x.days) for x in first] == [("first", 30, 31)]


def test_days_are_never_partial_and_a_dataset_inside_one_period_is_marked_once():
    assert partial_periods(p("2011-12-01", "2011-12-09"), "day") == []
    assert partial_periods(None, "month") == []
    inside = partial_periods(p("2011-12-03", "2011-12-09"), "month")
    assert [(x.edge, x.covered, x.days) for x in inside] == [("last", 7, 31)]
    assert partial_periods(p("2011-12-01", "2011-12-31"), "month") == []
