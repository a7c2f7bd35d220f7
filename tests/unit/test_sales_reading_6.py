"""Sales tables read right (realT): small hand-written files with the shape of real public exports (a bakery's
receipts with money in the thousands, receipts/orders per store per day, demand with trailing spaces, order lines
read as sales, year + week periods, dates with a comma before the time)."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.ingest import parsing


def test_numbers_beyond_the_timestamp_range_are_not_dates_not_a_crash():
    # money whose median looks like Excel serial days (29,300 KRW) with one receipt of 1,293,000 (the year 5440)
    raw = pd.Series([29300.0, 23800.0, 1293000.0, 40000.0, None, -9.9e7])
    got = parsing.parse_timestamps(raw)
    assert got.values.dtype == "datetime64[ns]"
    assert got.values.iloc[0] == pd.Timestamp("1980-03-20") and got.values.iloc[3] == pd.Timestamp("2009-07-06")
    assert got.values.iloc[[2, 4, 5]].isna().all()
    assert got.failed.tolist() == [False, False, True, False, False, True]
