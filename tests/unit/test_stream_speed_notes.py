"""The streaming ingest gives the timestamp parser only the distinct values its notes depend on
(stream._NOTE_VALUES): the notes, and whether some value is unreadable, must be those of the
whole column; a shape first seen after the parser's first 2,000 values is scored on its own first
values (parsing._scoring_sample) and read on both paths."""

from __future__ import annotations

import duckdb
import pandas as pd

from ecom_analytics.ingest import stream
from ecom_analytics.ingest.parsing import parse_timestamps
from ecom_analytics.store import Workspace


def _both_ways(values: list[str | None]) -> tuple[tuple, tuple, int]:
    """(notes, some value unreadable) of the parser on every distinct value as first seen and on the
    reduced set; the reduced set's size."""
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE ts_values (v VARCHAR, first BIGINT)")
        con.executemany("INSERT INTO ts_values VALUES (?, ?)", [(v, i) for i, v in enumerate(values)])
        reduced = con.execute(stream._NOTE_VALUES).df()["v"].astype("string")
    finally:
        con.close()
    full = pd.Series([v for v in values if v is not None], dtype="string")

    def read(series: pd.Series) -> tuple:
        parsed = parse_timestamps(series)
        return [n.english() for n in parsed.notes], bool(parsed.failed.any())

    return read(full), read(reduced), len(reduced)


def _iso(i: int, shape: str) -> str:
    t = pd.Timestamp("2011-01-01 00:00:00") + pd.Timedelta(minutes=37 * i)
    return {"seconds": f"{t:%Y-%m-%d %H:%M:%S}", "minutes": f"{t:%Y-%m-%d %H:%M}", "T": f"{t:%Y-%m-%dT%H:%M:%S}",
            "fraction": f"{t:%Y-%m-%d %H:%M:%S}.{i % 1000:03d}"}[shape]


def test_shapes_first_seen_after_the_sample_are_read_on_both():
    # 5,000 values with seconds (the first 2,000 hold only that shape), then two other shapes
    values = [_iso(i, "seconds") for i in range(5000)] + [None]
    values += [_iso(i, "minutes") for i in range(5000, 5300)] + [_iso(i, "T") for i in range(5300, 5400)]
    full, reduced, n = _both_ways(values)
    assert reduced == full
    notes, unreadable = full
    assert not unreadable
    assert len(notes) == 1 and notes[0].startswith("mixed date formats in one column")
    assert n == 2000 + 200 + 100  # the sample and the first 200 values of each later shape, not 5,400


def test_many_late_shapes_are_sampled_up_to_the_cap():
    # 60 shapes of 300 values each after a head of one shape: the first 200 of each shape, 10,000 in all
    values = [_iso(i, "seconds") for i in range(2500)]
    values += [f"{i:04d}-{'x' * k}" for k in range(1, 61) for i in range(300)]
    full, reduced, n = _both_ways(values)
    assert reduced == full
    assert n == 2000 + 10_000 - 200  # the head shape's own first 200 count towards the 10,000


def test_mixed_formats_in_the_sample_give_the_same_note():
    values = [_iso(i, "minutes" if i % 7 else "seconds") for i in range(3000)] + [_iso(i, "T") for i in range(10)]
    full, reduced, n = _both_ways(values)
    assert reduced == full
    notes, unreadable = full
    assert not unreadable  # the 'T' values, a shape after the first 2,000, are scored on their own
    assert len(notes) == 1 and notes[0].startswith("mixed date formats in one column")
    assert notes[0].count(",") == 2  # three formats
    assert n < 3010


def test_fractions_of_a_second_count_once_in_the_sample():
    # three raw values per second: the first 2,000 values without fractions come from 6,000 raw values
    values = [f"{_iso(i // 3, 'seconds')}.{i % 3}" for i in range(9000)] + [_iso(9000, "seconds")]
    full, reduced, n = _both_ways(values)
    assert reduced == full == ([], False)
    assert n == 5998 + 1  # up to the first value of the 2,000th second, and the later shape without a fraction


HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def test_a_date_first_written_another_way_late_in_the_file_streams_and_reads_as_the_python_path(tmp_path):
    lines = [f"{500 + i // 3},P{i % 5},Item {i % 5},{1 + i % 4},{_iso(i, 'seconds')},2.5,{17000 + i % 50},France"
             for i in range(2100)]
    lines.append(f"9000,P1,Item 1,1,{_iso(3000, 'minutes')},2.5,17001,France")  # a shape after the first 2,000
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    streamed = stream.ingest_file(path, Workspace(tmp_path / "ws"))
    python, _ = stream.ingest_path(path, Workspace(tmp_path / "ws2"), threshold=10**12)
    assert isinstance(streamed, stream.StreamResult) and not isinstance(python, stream.StreamResult)
    for result in (streamed, python):
        rules = {r["rule"]: r["quarantined"] for r in result.report["cleaning"]["rules"]}
        assert rules["unreadable_date"] == 0
        assert result.report["cleaning"]["rows_clean"] == 2101
