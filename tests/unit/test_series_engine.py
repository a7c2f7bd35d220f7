"""Forecast series summed where the orders lie (issue #19: "series building ... on the engine"): an
Ibis table gives the same SeriesSet as the pandas frame, on a hand-built shop whose weekly sums are
computed by hand."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import build_series


def shop() -> pd.DataFrame:
    """Mon 1 Jan 2024 to Sun 28 Jan: four whole weeks. Product A sells 10.00 in weeks 1, 2 and 4 (none in
    week 3: filled with 0), B 5.00 twice in week 2 within one order and once in week 4; a line without
    an order id counts as its own order; a line without a date is left out; GB is the main country."""
    rows = [("o1", "2024-01-01 09:00", "A", "Apple", 1, 10.0, "United Kingdom"),
            ("o2", "2024-01-08 10:00", "A", "Apple", 1, 10.0, "United Kingdom"),
            ("o3", "2024-01-09 11:00", "B", "Bread", 1, 5.0, "France"),
            ("o3", "2024-01-09 11:00", "B", "Bread roll", 1, 5.0, "France"),
            ("o4", "2024-01-22 12:00", "A", "Apple", 2, 10.0, "United Kingdom"),
            (None, "2024-01-28 23:00", "B", "Bread", 1, 5.0, "United Kingdom"),
            ("o6", None, "A", "Apple", 1, 99.0, "France")]
    return pd.DataFrame({"order_id": [r[0] for r in rows], "timestamp": pd.to_datetime([r[1] for r in rows]),
                         "product_id": [r[2] for r in rows], "product_name": [r[3] for r in rows],
                         "quantity": [float(r[4]) for r in rows], "amount": [r[5] for r in rows],
                         "country": [r[6] for r in rows]})


@pytest.mark.parametrize("measure, expected", [
    ("revenue", {"A": [10.0, 10.0, 0.0, 10.0], "B": [10.0, 0.0, 5.0]}),
    ("units", {"A": [1.0, 1.0, 0.0, 2.0], "B": [2.0, 0.0, 1.0]}),
    ("orders", {"A": [1.0, 1.0, 0.0, 1.0], "B": [1.0, 0.0, 1.0]}),
])
def test_weekly_series_by_product_are_the_same_on_the_engine(measure, expected):
    frame = shop()
    on_pandas = build_series(frame, measure, "product", "W", None)
    on_engine = build_series(ibis.memtable(frame), measure, "product", "W", None)
    pd.testing.assert_frame_equal(on_pandas.frame, on_engine.frame)
    got = {k: g["y"].tolist() for k, g in on_engine.frame.groupby("unique_id")}
    assert got == expected  # B starts in its own first week (8 Jan)
    assert on_engine.labels == on_pandas.labels == {"A": "A · Apple", "B": "B · Bread"}
    assert on_engine.country == on_pandas.country == "GB"
    assert on_engine.zero_filled == on_pandas.zero_filled == {"A": 1, "B": 1}


def test_the_total_and_a_top_series_with_equal_totals():
    """A and B both bring 30.00 over the weeks: equal totals keep the smaller id (A) on both paths."""
    frame = shop()
    frame.loc[frame["product_id"] == "B", "amount"] = [10.0, 10.0, 10.0]
    for level, top in (("total", 10), ("product", 1)):
        on_pandas = build_series(frame, "revenue", level, "W", top)
        on_engine = build_series(ibis.memtable(frame), "revenue", level, "W", top)
        pd.testing.assert_frame_equal(on_pandas.frame, on_engine.frame)
        assert on_engine.notes == on_pandas.notes
    assert on_engine.ids == ["A"]
    assert build_series(ibis.memtable(frame), "revenue", "total", "W").frame["y"].tolist() == [10.0, 30.0, 0.0, 20.0]


def test_the_same_refusals_on_the_engine():
    frame = shop()
    for data in (frame, ibis.memtable(frame)):
        with pytest.raises(InputError, match="no column 'brand'"):
            build_series(data, "revenue", "brand", "W")
    empty = frame.assign(category=pd.Series([None] * len(frame), dtype="string"))
    for data in (empty, ibis.memtable(empty)):
        with pytest.raises(InputError, match="No order line has a category"):
            build_series(data, "revenue", "category", "W")
    undated = frame.assign(timestamp=pd.NaT)
    for data in (undated, ibis.memtable(undated)):
        with pytest.raises(InputError, match="no order lines with a date"):
            build_series(data, "revenue", "total", "W")
