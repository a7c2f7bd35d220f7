"""Sales tables read right (realT): small hand-written files with the shape of real public exports (a bakery's
receipts with money in the thousands, receipts/orders per store per day, demand with trailing spaces, order lines
read as sales, year + week periods, dates with a comma before the time)."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.ingest import parsing


def test_numbers_beyond_the_timestamp_range_are_not_dates_not_a_crash():
    # serial days of 2009-2024 with one stray 1,293,000 (the year 5440, beyond a nanosecond timestamp)
    serials = pd.Series([40000.0 + 200 * i for i in range(30)] + [1293000.0, None])
    got = parsing.parse_timestamps(serials)
    assert got.values.dtype == "datetime64[ns]"
    assert got.values.iloc[0] == pd.Timestamp("2009-07-06") and got.values.iloc[1] == pd.Timestamp("2010-01-22")
    assert got.values.iloc[30:].isna().all() and got.failed.tolist() == [False] * 30 + [True, False]
    # a bakery's receipts in KRW (12,800 .. 1,293,000) whose median merely looks like serial days: no dates at all
    money = pd.Series([12800.0, 15800.0, 18500.0, 23800.0, 29300.0, 1293000.0, 17000.0, 41000.0, 9900.0])
    got = parsing.parse_timestamps(money)
    assert got.values.isna().all() and got.failed.all() and got.detail == "not a date"
    assert parsing.parse_timestamps(money.map("{:.1f}".format)).failed.all()  # as text ("23800.0")
