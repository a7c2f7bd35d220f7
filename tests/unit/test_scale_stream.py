"""Streaming ingest (ingest/stream.py): on the same file, the SQL path and the Python path give the
same cleaning report (rows in, kept, quarantined and matched per rule, revenue reconciliation, the
outlier flag) and the same clean and quarantined rows; files the SQL path cannot read alike go to
the Python path, with the reason."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline, stream
from ecom_analytics.ingest.readers import read_file_bytes
from ecom_analytics.store import Workspace

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "online_retail.csv.gz"

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def fixture_lines() -> list[str]:
    lines = []
    # 30 ordinary lines over three months: enough positive values for the outlier fences (20+)
    for i in range(30):
        day = 1 + i % 28
        month = 1 + i % 3
        lines.append(f"{500 + i // 2},P{i % 7},Item {i % 7},{1 + i % 4},2024-{month:02d}-{day:02d} 10:{i:02d}:00,"
                     f"{1.25 + i % 5},{17000 + i % 6}.0,United Kingdom")
    lines += [
        "500,P0,Item 0,1,2024-01-01 10:00:00,1.25,17000.0,United Kingdom",       # duplicate of the first line
        "600,P1, Item 1 ,2,2024-02-03 09:00:00,2.5,,France",                     # order 600: customer on line 2
        "600,P2,Item 2,1,2024-02-03 09:00:00,4,17100,France",
        "601,P3,Item 3,3,2024-02-04 11:00,2,,",                                  # no customer in the order
        "C602,P1,Item 1,-2,2024-02-05 12:00:00,2.5,17001,United Kingdom",        # cancellation (C invoice)
        "603,P1,Item 1,-1,2024-02-06 12:00:00,2.5,17001,United Kingdom",         # negative quantity
        "604,P4,Item 4,5,2024-02-07 12:00:00,0,17002,United Kingdom",            # zero price
        "605,P5,Item 5,1,,3,17003,Germany",                                     # no date, and no order line with one
        "606,P5,Item 5,1,,3,17003,Germany",                                     # no date on this line ...
        "606,P6,Item 6,2,2024-03-09 08:00:00,3,17003,Germany",                  # ... the order's other line has one
        "607,P6,Item 6,80995,2024-03-10 09:00:00,2.08,17004,United Kingdom",    # an extreme quantity
        "608,P7,Item 7,1,2024-03-11T09:30:00,12.5,17005,",                      # T separator, empty country
    ]
    return lines


def write(path: Path, lines: list[str]) -> Path:
    text = HEADER + "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def same_report(sql: dict, python: dict) -> None:
    """Equal, floats to 1e-9 relative (sums of doubles in another order), everything else exactly."""
    assert type(sql) is type(python) or (isinstance(sql, float) and isinstance(python, float))
    if isinstance(python, dict):
        assert sql.keys() == python.keys()
        for key in python:
            same_report(sql[key], python[key])
    elif isinstance(python, list):
        assert len(sql) == len(python)
        for a, b in zip(sql, python):
            same_report(a, b)
    elif isinstance(python, float):
        assert math.isclose(sql, python, rel_tol=1e-9, abs_tol=1e-9) or (math.isinf(sql) and sql == python)
    else:
        assert sql == python


def both_paths(path: Path, tmp_path: Path, policy: str = "flag"):
    sql_ws, py_ws = Workspace(tmp_path / "sql"), Workspace(tmp_path / "py")
    sql = stream.ingest_file(path, sql_ws, outlier_policy=policy)
    py = pipeline.ingest(read_file_bytes(path, max_bytes=None), path.name, workspace=py_ws, outlier_policy=policy,
                         max_bytes=None)
    return sql, py, sql_ws, py_ws


@pytest.mark.parametrize("policy", ["flag", "quarantine"])
@pytest.mark.parametrize("name", ["orders.csv", "orders.csv.gz"])
def test_sql_and_python_paths_clean_alike(tmp_path, policy, name):
    path = write(tmp_path / name, fixture_lines())
    sql, py, sql_ws, py_ws = both_paths(path, tmp_path, policy)
    assert sql.dataset_id == py.dataset_id  # same file, same choices: the same dataset
    report = py.report["cleaning"]
    per_rule = {r["rule"]: r["quarantined"] for r in report["rules"]}
    # hand count: 1 duplicate, 1 undated line (605; 606's undated line takes its order's date),
    # order 601 without customer, C602 and the negative line 603, the zero price of 604, and the
    # extreme line 607 (quarantined only under that policy)
    assert per_rule == {"malformed_line": 0, "unreadable_date": 1, "unreadable_number": 0, "duplicate": 1,
                        "missing_customer": 1, "cancellation": 2, "non_positive_price": 1,
                        "outlier": 1 if policy == "quarantine" else 0}
    assert report["reconciles"] and report["rows_in"] == 42
    same_report(sql.report["cleaning"], report)
    pd.testing.assert_frame_equal(sql_ws.load_clean(sql.dataset_id), py_ws.load_clean(py.dataset_id))
    quarantine = py_ws.load_quarantine(py.dataset_id)
    pd.testing.assert_frame_equal(sql_ws.load_quarantine(sql.dataset_id)[quarantine.columns], quarantine)
    clean = sql_ws.load_clean(sql.dataset_id)
    # order 600's second-line customer was copied to its first line; " Item 1 " was trimmed; 17000.0 -> 17000
    first_600 = clean[clean["order_id"] == "600"].iloc[0]
    assert (first_600["customer_id"], first_600["product_name"]) == ("17100", "Item 1")
    assert "17000" in set(clean["customer_id"])


@pytest.mark.parametrize("line, reason", [
    ("700,P1,Item 1,1,12/01/2024 10:00,2.5,17000,United Kingdom", "dates, numbers or white space"),
    ("701,P1,Item 1,\"1,000\",2024-02-01 10:00:00,2.5,17000,United Kingdom", "dates, numbers or white space"),
    ("702,P1,\"Item\nwith a line break\",1,2024-02-01 10:00:00,2.5,17000,United Kingdom", "spans lines"),
    ("703,P1,Item 1\u00a0,1,2024-02-01 10:00:00,2.5,17000,United Kingdom", "dates, numbers or white space"),
    ("704,P1,Item 1,1,2024-02-30 10:00:00,2.5,17000,United Kingdom", "do not exist in the calendar"),
])
def test_files_read_differently_take_the_python_path(tmp_path, line, reason):
    path = write(tmp_path / "orders.csv", fixture_lines() + [line])
    with pytest.raises(stream.NotStreamable, match=reason):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))
    result, note = stream.ingest_path(path, Workspace(tmp_path / "ws"), threshold=0)
    assert not isinstance(result, stream.StreamResult)  # the Python path
    assert note.code == "The file is read by the Python path because {reason}." and reason in note.params["reason"].english()


def test_small_files_take_the_python_path_and_large_ones_the_sql_path(tmp_path):
    path = write(tmp_path / "orders.csv", fixture_lines())
    small, note = stream.ingest_path(path, Workspace(tmp_path / "a"))
    assert not isinstance(small, stream.StreamResult) and note is None
    large, note = stream.ingest_path(path, Workspace(tmp_path / "b"), threshold=0)
    assert isinstance(large, stream.StreamResult) and note is None and large.dataset_id == small.dataset_id


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/online_retail.csv.gz is not here")
def test_online_retail_cleans_alike_on_both_paths(tmp_path):
    sql, py, sql_ws, py_ws = both_paths(SHARED, tmp_path)
    assert py.report["cleaning"]["rows_in"] == 541909
    same_report(sql.report["cleaning"], py.report["cleaning"])
    pd.testing.assert_frame_equal(sql_ws.load_clean(sql.dataset_id), py_ws.load_clean(py.dataset_id))


@pytest.mark.parametrize("line, reason", [
    ("705,P1,Item 1,1,2024-02-01 24:00:00,2.5,17000,United Kingdom", "dates, numbers or white space"),  # DuckDB: next day
    ("706,P1,Item 1,1,2024-02-01T10:00,2.5,17000,United Kingdom", "dates, numbers or white space"),  # no Python format
    ("707,P1,Item 1,1,1500-02-01 10:00:00,2.5,17000,United Kingdom", "outside the years"),  # not a pandas timestamp
])
def test_dates_the_python_parsers_read_otherwise_take_the_python_path(tmp_path, line, reason):
    path = write(tmp_path / "orders.csv", fixture_lines() + [line])
    with pytest.raises(stream.NotStreamable, match=reason):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))


def rule_cases() -> list[str]:
    """Lines that test how each rule reads its fields, beside the fixture's."""
    return fixture_lines() + [
        "609,P1, Item 1,1,2024-03-12 09:00:00,2.5,17006,United Kingdom",     # differs from the next line in white
        "609,P1,Item 1,1,2024-03-12 09:00:00,2.5,17006,United Kingdom",      # space only: not a duplicate
        "609,P1,Item 1,1,2024-03-12 09:00:00,2.5,17006,United Kingdom",      # an exact copy of the line above
        "610,P2,Item 2,1,2024-03-13 10:00:00.75,3,17007,Germany",            # fractional seconds (Python drops them)
        "611,P1,Item 1,1,2024-03-14 10:00:00,2.5,17008.0,",                  # no country on the order's first line
        "611,P2,Item 2,1,2024-03-14 10:00:00,2.5,17008,France",
        "c612,P2,Item 2,1,2024-03-15 10:00:00,2.5,17009,France",             # a lower-case cancellation invoice
        "C,P2,Item 2,1,2024-03-15 11:00:00,2.5,17009,France",                # 'C' alone is not one
        "613,P3,Item 3,2,2024-03-16 10:00:00,-1.5,17010,France",             # negative price
        "614,P3,Item 3,  3 ,2024-03-16 10:00:00,1.5,17010,France",           # spaces around a number
    ]


@pytest.mark.parametrize("policy", ["flag", "quarantine"])
def test_each_rule_reads_its_fields_alike_on_both_paths(tmp_path, policy):
    path = write(tmp_path / "orders.csv", rule_cases())
    sql, py, sql_ws, py_ws = both_paths(path, tmp_path, policy)
    same_report(sql.report["cleaning"], py.report["cleaning"])
    assert sql.report["notes"] == py.report["notes"]
    pd.testing.assert_frame_equal(sql_ws.load_clean(sql.dataset_id), py_ws.load_clean(py.dataset_id))
    quarantine = py_ws.load_quarantine(py.dataset_id)
    pd.testing.assert_frame_equal(sql_ws.load_quarantine(sql.dataset_id)[quarantine.columns], quarantine)
    per_rule = {r["rule"]: r["quarantined"] for r in sql.report["cleaning"]["rules"]}
    # the fixture's duplicate + 609's exact copy; its 2 cancellations + c612; its zero price + 613
    assert (per_rule["duplicate"], per_rule["cancellation"], per_rule["non_positive_price"]) == (2, 3, 2)
    clean = sql_ws.load_clean(sql.dataset_id)
    assert pd.Timestamp("2024-03-13 10:00:00") in set(clean["timestamp"])  # the fraction dropped
    assert clean.loc[clean["order_id"] == "611", "country"].tolist() == ["France", "France"]


def test_the_outlier_fence_from_counts_is_numpy_s(tmp_path):
    import numpy as np

    from ecom_analytics.ingest.cleaning import outlier_thresholds

    rng = np.random.default_rng(7)
    for n in (20, 21, 57, 1000, 4099):
        values = np.round(rng.lognormal(1.0, 1.2, n), 1)  # many ties, as quantities and prices have
        counted = pd.Series(values).value_counts()
        fence = stream._fence(list(zip(counted.index.tolist(), counted.tolist())))
        assert fence == pytest.approx(outlier_thresholds(pd.Series(values)), rel=1e-12)
    assert stream._fence([(1.0, 19)]) == float("inf")  # under 20 values: no fence


def test_dates_of_merged_cells_take_the_python_path(tmp_path):
    # the date written on a day's first line only (a spreadsheet's merged cells): the Python path copies it down
    lines = [f"{800 + i},P{i % 3},Item {i % 3},1,{f'2024-03-{1 + i // 3:02d} 10:00:00' if i % 3 == 0 else ''},2.5,"
             f"{17000 + i % 4},United Kingdom" for i in range(30)]
    path = write(tmp_path / "orders.csv", lines)
    with pytest.raises(stream.NotStreamable, match="merged cells"):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))
    result, _ = stream.ingest_path(path, Workspace(tmp_path / "ws"), threshold=0)
    assert not isinstance(result, stream.StreamResult) and result.report["cleaning"]["rows_clean"] == 30
