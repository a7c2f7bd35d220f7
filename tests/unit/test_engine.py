"""The engine interface (ecom_analytics.engine) on DuckDB: what differs between engines is decided
here, with hand-computed values (the same helpers on Spark: tests/unit/test_spark_engine.py)."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from ecom_analytics import engine


def run(build, frame):
    con = engine.connect()
    try:
        return engine.execute(build(engine.table(frame, con)), con)
    finally:
        engine.close(con)


def test_weekday_is_zero_on_monday():
    # 2024-07-01 was a Monday, 2024-06-30 a Sunday, 2024-07-03 a Wednesday
    frame = pd.DataFrame({"ts": pd.to_datetime(["2024-07-01 08:00", "2024-06-30 23:59", "2024-07-03"], format="ISO8601")})
    out = run(lambda t: t.select(d=engine.weekday(t.ts)), frame)
    assert out["d"].tolist() == [0, 6, 2]


def test_seconds_and_days_between_count_whole_seconds():
    # 00:00:01.7 -> next midnight: 86,398.3 s elapsed, but 86,399 whole-second boundaries (as DuckDB's
    # date_diff('second') and Spark's unix_timestamp count them); the fraction is floored, never rounded
    frame = pd.DataFrame({"ts": [pd.Timestamp("2024-01-01 00:00:01.7"), pd.Timestamp("2024-01-01 12:00:00")]})
    end = ibis.literal(pd.Timestamp("2024-01-02"), type="timestamp")
    out = run(lambda t: t.select(s=engine.seconds_between(t.ts, end), d=engine.days_between(t.ts, end)), frame)
    assert out["s"].tolist() == [86399, 43200]
    assert out["d"].tolist() == [86399 / 86400, 0.5]


def test_most_frequent_breaks_ties_to_the_smallest_value():
    frame = pd.DataFrame({"k": ["a", "a", "a", "a", "b", "b", "c"],
                          "v": ["y", "x", "y", "x", "z", None, None]})
    out = run(lambda t: engine.most_frequent(t, "k", "v", "best").order_by("k"), frame)
    # a: x and y twice each -> x; b: z (the missing value does not count); c: only missing -> no row
    assert out.to_dict("records") == [{"k": "a", "best": "x"}, {"k": "b", "best": "z"}]


def test_an_entirely_empty_column_is_text():
    frame = pd.DataFrame({"category": [None, None], "amount": [1.5, None]})
    out = run(lambda t: t.aggregate(n=t.category.nunique(), total=t.amount.sum(), first=t.category.min()), frame)
    assert out.iloc[0]["n"] == 0 and out.iloc[0]["total"] == 1.5 and pd.isna(out.iloc[0]["first"])


def test_an_unknown_engine_is_one_sentence():
    with pytest.raises(ValueError, match=r"^The engine must be one of duckdb, spark, not 'polars'\.$"):
        engine.connect("polars")


def test_sql_still_runs_duckdb_queries():
    frame = pd.DataFrame({"x": [1, 2, 3]})
    assert engine.sql("SELECT sum(x) AS s FROM f WHERE x > ?", [1], f=frame)["s"].tolist() == [5]
