"""``register``: a lake's Parquet table (folder with hive partitions, file or glob) registered with a
column mapping, without an upload, then used by id by the other commands; a bad mapping is one
sentence and exit status 2."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from ecom_analytics.cli import main
from ecom_analytics.store import Workspace

# customer, invoice, time, sku, revenue: 6 lines, 3 customers, 2024-01-05 .. 2024-03-30, revenue 85.0
LINES = [
    ("A", "a1", "2024-01-05 10:00", "P1", 10.0),
    ("A", "a1", "2024-01-05 10:00", "P2", 5.0),
    ("B", "b1", "2024-01-20 09:00", "P1", 7.5),
    ("A", "a2", "2024-02-11 12:00", "P3", 20.0),
    ("B", "b2", "2024-03-02 08:30", "P2", 2.5),
    ("C", "c1", "2024-03-30 18:00", "P1", 40.0),
]
MAP = "customer_id=cust,order_id=invoice,timestamp=ts,product_id=sku,amount=revenue"


@pytest.fixture()
def lake(tmp_path):
    """A lake's table: its own column names, hive partitions by month, a numeric and a text column
    that are not dates, and an extra column."""
    frame = pd.DataFrame(LINES, columns=["cust", "invoice", "ts", "sku", "revenue"])
    frame["ts"] = pd.to_datetime(frame["ts"], format="ISO8601")
    frame["qty"] = 1
    frame["note"] = ["x", "y", "z", "x", "y", "z"]
    frame["month"] = frame["ts"].dt.strftime("%Y-%m")
    root = tmp_path / "lake" / "orders"
    frame.to_parquet(root, partition_cols=["month"], index=False)
    return root


def register(tmp_path, *args) -> int:
    return main(["register", *args, "--home", str(tmp_path / "ws")])


def test_a_parquet_folder_is_registered_and_summarised(lake, tmp_path, capsys):
    out = tmp_path / "summary.json"
    assert register(tmp_path, "--parquet", str(lake), "--map", MAP, "--name", "lake orders", "--json", str(out)) == 0
    summary = json.loads(out.read_text())
    assert (summary["rows"], summary["customers"], summary["revenue"], summary["files"]) == (6, 3, 85.0, 3)
    assert (summary["first"][:10], summary["last"][:10]) == ("2024-01-05", "2024-03-30")
    line = capsys.readouterr().out.strip()
    assert line == (f"orders dataset {summary['dataset_id']} registered from {lake}: 6 rows, 3 customers, "
                    "2024-01-05 to 2024-03-30")
    row = Workspace(tmp_path / "ws").list_datasets().iloc[0]
    assert (row["dataset_id"], row["name"], row["rows_in"]) == (summary["dataset_id"], "lake orders", 6)
    # the --map may also be repeated; the same folder, files and mapping are the same dataset
    out2 = tmp_path / "again.json"
    assert register(tmp_path, "--parquet", str(lake), "--map", "customer_id=cust,order_id=invoice",
                    "--map", "timestamp=ts,product_id=sku", "--map", "amount=revenue", "--json", str(out2)) == 0
    assert json.loads(out2.read_text())["dataset_id"] == summary["dataset_id"]


def test_other_commands_take_the_registered_id(lake, tmp_path, capsys):
    out = tmp_path / "summary.json"
    assert register(tmp_path, "--parquet", str(lake), "--map", MAP, "--json", str(out)) == 0
    dataset_id = json.loads(out.read_text())["dataset_id"]
    features = tmp_path / "features.csv"
    assert main(["features", "--orders", dataset_id, "--cutoff", "2024-03-15", "--home", str(tmp_path / "ws"),
                 "--out", str(features)]) == 0
    table = pd.read_csv(features, index_col=0)
    # before 2024-03-15: A has orders a1 (15.0) and a2 (20.0), B has b1 (7.5) and b2 (2.5); C comes later
    assert sorted(table.index.astype(str)) == ["A", "B"]
    segments = tmp_path / "segments.csv"
    assert main(["segments", "--orders", dataset_id, "--home", str(tmp_path / "ws"), "--out", str(segments)]) == 0
    assert len(pd.read_csv(segments)) == 3


def test_a_glob_registers_the_files_it_matches(lake, tmp_path, capsys):
    out = tmp_path / "summary.json"
    assert register(tmp_path, "--parquet", str(lake / "month=2024-0[12]" / "*.parquet"), "--map", MAP,
                    "--json", str(out)) == 0
    summary = json.loads(out.read_text())
    # January and February: a1 (two lines), b1, a2
    assert (summary["rows"], summary["customers"], summary["revenue"], summary["files"]) == (4, 2, 42.5, 2)
    assert summary["last"][:10] == "2024-02-11"


@pytest.mark.parametrize("mapping, message", [
    (MAP + ",revenue=revenue", r"^error: revenue is not a column of an orders table; use customer_id, "),
    (MAP.replace("amount=revenue", "amount=amount_eur"),
     r"^error: The Parquet files have no column 'amount_eur'; their columns are "),
    ("customer_id=cust,timestamp=ts", r"^error: The mapping needs a column for amount\.$"),
    (MAP.replace("timestamp=ts", "timestamp=qty"),
     r"^error: The column 'qty' \(timestamp\) holds BIGINT values, not dates or times; map a column of dates or "
     r"times to timestamp\.$"),
    (MAP.replace("amount=revenue", "amount=note"),
     r"^error: The column 'note' \(amount\) is text with 6 values that are not numbers; map a column of numbers "
     r"to amount\.$"),
    ("customer_id", r"^error: --map 'customer_id' is not canonical=source; write e\.g\. "),
])
def test_a_bad_mapping_is_one_sentence_and_exit_2(lake, tmp_path, capsys, mapping, message):
    assert register(tmp_path, "--parquet", str(lake), "--map", mapping) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert re.search(message, err), err
    assert not (tmp_path / "ws" / "datasets").exists() or not any(
        p.name[0] != "." for p in (tmp_path / "ws" / "datasets").iterdir())


def test_a_path_without_parquet_is_one_sentence(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert register(tmp_path, "--parquet", str(tmp_path / "empty"), "--map", MAP) == 2
    assert "holds no Parquet file" in capsys.readouterr().err
