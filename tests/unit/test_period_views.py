"""The sidebar's period on Segments and Cohorts & funnel (issue #21): cohorts, the funnel and the RFM
segments of a period, and the comparison with an earlier one, on hand-built data with hand-computed
figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ecom_analytics.engine import on_days
from ecom_analytics.insights.cohorts import cohorts, funnel, funnel_changes
from ecom_analytics.insights.segments import SEGMENT_ADVICE, segment_changes

D = dt.date


def orders() -> pd.DataFrame:
    """a: 5 Jan (10), 3 Feb (20); b: 10 Feb (30), 15 Mar (40); c: 1 Mar (50); d: 20 Jan (5), 2 Mar (7)."""
    rows = [("a", "2024-01-05", 10.0), ("a", "2024-02-03", 20.0), ("b", "2024-02-10", 30.0),
            ("b", "2024-03-15", 40.0), ("c", "2024-03-01", 50.0), ("d", "2024-01-20", 5.0), ("d", "2024-03-02", 7.0)]
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "timestamp": pd.to_datetime([r[1] for r in rows]),
                         "amount": [r[2] for r in rows]})


def events() -> pd.DataFrame:
    """u1 views, carts and buys on 1 Feb; u2 views on 10 Jan and carts on 5 Feb; u3 views on 6 Feb,
    late in the evening (23:59, still that day)."""
    rows = [("u1", "2024-02-01 10:00", "view"), ("u1", "2024-02-01 10:05", "cart"),
            ("u1", "2024-02-01 10:09", "purchase"), ("u2", "2024-01-10 09:00", "view"),
            ("u2", "2024-02-05 12:00", "cart"), ("u3", "2024-02-29 23:59", "view")]
    return pd.DataFrame({"user_id": [r[0] for r in rows], "timestamp": pd.to_datetime([r[1] for r in rows]),
                         "event_type": [r[2] for r in rows]})


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [(c.strftime("%Y-%m"), m, n, size, round(ret, 4), rev) for c, m, n, size, ret, rev in
            frame[["cohort", "months_since", "customers", "cohort_size", "retention", "revenue"]].itertuples(index=False)]


def test_cohorts_of_a_period_are_the_customers_acquired_in_it_up_to_its_end():
    """February to March: b (first order 10 Feb) and c (1 Mar); a and d bought first in January,
    so d's March order is not a new customer's. Up to 31 March: b 30 + 40, c 50."""
    out = cohorts(orders(), start=D(2024, 2, 1), end=D(2024, 3, 31))
    assert rows(out) == [("2024-02", 0, 1, 1, 1.0, 30.0), ("2024-02", 1, 1, 1, 1.0, 40.0),
                         ("2024-03", 0, 1, 1, 1.0, 50.0)]


def test_cohorts_up_to_a_day_leave_out_later_orders():
    """Up to 29 February: January's a and d (10 + 5), a again in February (20, half the cohort),
    February's b (30); nothing of March."""
    out = cohorts(orders(), end=D(2024, 2, 29))
    assert rows(out) == [("2024-01", 0, 2, 2, 1.0, 15.0), ("2024-01", 1, 1, 2, 0.5, 20.0),
                         ("2024-02", 0, 1, 1, 1.0, 30.0)]
    assert rows(cohorts(orders())) == rows(cohorts(orders(), start=None, end=None))


def test_the_funnel_of_a_period_counts_its_days_events_only():
    """February: u1 views, carts, buys; u2 only carts (its view was in January, so it never reaches
    the cart step); u3 views at 23:59 on the period's last day. 2 viewers, 1 carts, 1 buys."""
    feb = funnel(events(), start=D(2024, 2, 1), end=D(2024, 2, 29)).set_index("step")
    assert feb["users"].tolist() == [2, 1, 1]
    assert feb["events"].tolist() == [2, 2, 1]
    assert feb.loc["purchase", "overall"] == 0.5
    whole = funnel(events()).set_index("step")
    assert whole["users"].tolist() == [3, 2, 1]
    assert funnel(events(), start=D(2024, 3, 1)).empty


def test_funnel_changes_in_points():
    """February against the whole data: 1 of 2 viewers bought against 1 of 3: +16.67 points."""
    out = funnel_changes(funnel(events(), start=D(2024, 2, 1), end=D(2024, 2, 29)), funnel(events()))
    last = out.set_index("step").loc["purchase"]
    assert last["users_before"] == 1 and last["overall_before"] == pytest.approx(1 / 3)
    assert last["overall_change"] == pytest.approx(100 * (0.5 - 1 / 3))
    assert out.set_index("step").loc["cart", "overall_change"] == pytest.approx(100 * (0.5 - 2 / 3))


def test_segment_changes_keep_segments_empty_in_either_period():
    """Now: Champions 3 customers (100), Loyal 2 (50); before: Champions 1 (40), At risk 2 (30)."""
    now = pd.DataFrame({"segment": ["Champions", "Loyal"], "customers": [3, 2], "revenue": [100.0, 50.0],
                        "customer_share": [0.6, 0.4], "revenue_share": [2 / 3, 1 / 3],
                        "median_recency_days": [5.0, 20.0], "median_orders": [3.0, 2.0],
                        "median_revenue": [30.0, 25.0], "advice": ["x", "y"]})
    before = now.iloc[:1].assign(customers=[1], revenue=[40.0])
    before = pd.concat([before, before.assign(segment=["At risk"], customers=[2], revenue=[30.0])])
    out = segment_changes(now, before).set_index("segment")
    assert out.loc["Champions", ["customers", "customers_before", "customers_change"]].tolist() == [3, 1, 2]
    assert out.loc["Loyal", ["customers", "customers_before", "customers_change"]].tolist() == [2, 0, 2]
    assert out.loc["At risk", ["customers", "customers_before", "customers_change"]].tolist() == [0, 2, -2]
    assert out.loc["At risk", "revenue"] == 0 and out.loc["At risk", "revenue_before"] == 30.0
    assert out.loc["At risk", "advice"] == SEGMENT_ADVICE["At risk"]
    assert list(out.index) == ["Champions", "Loyal", "At risk"]


def test_on_days_includes_the_whole_last_day():
    import ibis

    t = ibis.memtable(events())
    assert on_days(t, D(2024, 2, 29), D(2024, 2, 29)).count().execute() == 1
    assert on_days(t, None, D(2024, 1, 31)).count().execute() == 1
    assert on_days(t).count().execute() == 6
