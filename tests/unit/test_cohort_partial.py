"""Next-month retention on the Cohorts page: cohorts whose next month is partial (or not in the data)
are left out; a cohort where nobody came back counts with 0."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.insights.cohorts import next_month_retention


def table() -> pd.DataFrame:
    # cohort 2011-09: 10 customers, 4 back in October; 2011-10: 5 customers, nobody back in November (no row);
    # 2011-11: 20 customers, 1 back in December (a partial month); 2011-12: 3 customers
    rows = [("2011-09-01", 0, 10, 10), ("2011-09-01", 1, 4, 10), ("2011-10-01", 0, 5, 5), ("2011-11-01", 0, 20, 20),
            ("2011-11-01", 1, 1, 20), ("2011-12-01", 0, 3, 3)]
    return pd.DataFrame(rows, columns=["cohort", "months_since", "customers", "cohort_size"]).assign(
        cohort=lambda f: pd.to_datetime(f["cohort"]))


def test_partial_and_unseen_next_months_are_left_out_and_no_return_counts_zero():
    # eligible: 2011-09 (October) and 2011-10 (November); 2011-11's December is partial, 2011-12's January unseen
    assert next_month_retention(table(), "2011-12-09", ["2011-12-01"]) == 4 / 15
    # with December taken as complete, 2011-11 joins: (4 + 0 + 1) / (10 + 5 + 20)
    assert next_month_retention(table(), "2011-12-31") == 5 / 35


def test_no_cohort_with_a_next_month():
    assert next_month_retention(table(), "2011-09-30") is None
    assert next_month_retention(table().iloc[:0], "2011-12-31") is None
