"""Storage that scales (#19): clean rows partitioned by month, datasets read in place as Ibis
tables, and a Parquet folder registered with a column mapping, without an upload."""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics import store
from ecom_analytics.errors import InputError
from ecom_analytics.ingest import schema
from ecom_analytics.insights import features, overview
from ecom_analytics.store import Workspace


def orders() -> pd.DataFrame:
    rows = [  # customer, order, time, product, amount
        ("A", "a1", "2024-01-05 10:00", "P1", 10.0),
        ("A", "a1", "2024-01-05 10:00", "P2", 5.0),
        ("B", "b1", "2024-01-20 09:00", "P1", 7.5),
        ("A", "a2", "2024-02-11 12:00", "P3", 20.0),
        ("B", "b2", "2024-03-02 08:30", "P2", 2.5),
        ("C", "c1", "2024-03-30 18:00", "P1", 40.0),
    ]
    f = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "product_id", "amount"])
    f["timestamp"] = pd.to_datetime(f["timestamp"], format="ISO8601")
    f["product_name"] = f["product_id"]
    f["category"] = None
    f["quantity"] = 1.0
    f["unit_price"] = f["amount"]
    f["country"] = "UK"
    f["status"] = None
    f = f[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])
    f["source_line"] = range(2, len(f) + 2)
    f["is_outlier"] = False
    return f


def save(ws: Workspace, frame: pd.DataFrame) -> str:
    report = {"cleaning": {"rows_in": len(frame), "rows_clean": len(frame), "rows_quarantined": 0,
                           "revenue_in": float(frame["amount"].sum()), "revenue_clean": float(frame["amount"].sum())}}
    return ws.save_dataset("0123456789abcdef", name="t", kind="orders", source_name="t.csv", size_bytes=1,
                           clean=frame, quarantine=frame.iloc[0:0].assign(reason="", reasons="", detail=""),
                           mapping={}, report=report)


def test_canonical_columns_are_the_schema_s():
    assert store.CANONICAL["orders"] == schema.ORDERS_COLUMNS
    assert store.CANONICAL["events"] == schema.EVENTS_COLUMNS


def test_a_large_dataset_is_stored_by_month_and_reads_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PARTITION_ROWS", 3)
    ws = Workspace(tmp_path)
    frame = orders()
    dataset_id = save(ws, frame)
    folder = tmp_path / "datasets" / dataset_id / "clean"
    months = sorted(p.name for p in folder.iterdir())
    assert months == ["month=2024-01", "month=2024-02", "month=2024-03"]
    assert not (tmp_path / "datasets" / dataset_id / "clean.parquet").exists()
    # the same frame as the one-file layout gives (the stored types of every dataset)
    monkeypatch.setattr(store, "PARTITION_ROWS", 10**9)
    one_file = Workspace(tmp_path / "one")
    pd.testing.assert_frame_equal(ws.load_clean(dataset_id), one_file.load_clean(save(one_file, frame)))
    assert ws.load_clean(dataset_id)["source_line"].tolist() == frame["source_line"].tolist()
    # read in place by the engine: the same features as from the frame
    scanned = ws.scan(dataset_id)
    assert "month" not in scanned.columns
    cutoff = pd.Timestamp("2024-03-15")
    pd.testing.assert_frame_equal(features.build_customer_features(scanned, cutoff),
                                  features.build_customer_features(frame, cutoff))


def test_a_small_dataset_stays_one_file(tmp_path):
    ws = Workspace(tmp_path)
    dataset_id = save(ws, orders())
    assert (tmp_path / "datasets" / dataset_id / "clean.parquet").is_file()
    assert overview.kpis(ws.scan(dataset_id))["revenue"] == 85.0  # 10 + 5 + 7.5 + 20 + 2.5 + 40


def lake(tmp_path):
    """A lake's table: its own column names, hive partitions by day, an extra column."""
    frame = orders()
    raw = pd.DataFrame({"user": frame["customer_id"], "invoice": frame["order_id"], "ts": frame["timestamp"],
                        "sku": frame["product_id"], "revenue": frame["amount"], "qty": 1, "land": "UK",
                        "channel": "web",
                        "day": frame["timestamp"].dt.strftime("%Y-%m-%d")})
    root = tmp_path / "lake" / "orders"
    raw.to_parquet(root, partition_cols=["day"], index=False)
    return root, frame


MAPPING = {"customer_id": "user", "order_id": "invoice", "timestamp": "ts", "product_id": "sku", "amount": "revenue",
           "quantity": "qty", "country": "land"}


def test_a_parquet_folder_is_registered_with_a_mapping(tmp_path):
    root, frame = lake(tmp_path)
    ws = Workspace(tmp_path / "ws")
    dataset_id = ws.register_parquet(root, MAPPING, name="lake orders")
    assert ws.register_parquet(root, MAPPING) == dataset_id  # same folder, files and mapping: same id
    row = ws.list_datasets().iloc[0]
    assert (row["dataset_id"], row["name"], row["kind"], row["rows_in"], row["revenue_in"]) == \
        (dataset_id, "lake orders", "orders", 6, 85.0)
    loaded = ws.load_clean(dataset_id)
    assert list(loaded.columns) == schema.ORDERS_COLUMNS + ["source_line"]
    assert loaded["category"].isna().all() and loaded["amount"].sum() == 85.0
    cutoff = pd.Timestamp("2024-03-15")
    expected = features.build_customer_features(frame, cutoff)
    pd.testing.assert_frame_equal(features.build_customer_features(ws.scan(dataset_id), cutoff), expected)
    # nothing was copied: the dataset's folder holds its catalogue row only
    assert sorted(p.name for p in (tmp_path / "ws" / "datasets" / dataset_id).iterdir()) == ["meta.json"]


def test_registering_says_what_is_wrong_in_one_sentence(tmp_path):
    root, _ = lake(tmp_path)
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(InputError, match=r"^The Parquet files have no column 'amount_eur'; their columns are "):
        ws.register_parquet(root, {**MAPPING, "amount": "amount_eur"})
    with pytest.raises(InputError, match=r"^The mapping needs a column for amount\.$"):
        ws.register_parquet(root, {k: v for k, v in MAPPING.items() if k != "amount"})
    with pytest.raises(InputError, match=r"^revenue is not a column of an orders table"):
        ws.register_parquet(root, {**MAPPING, "revenue": "revenue"})
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"holds no Parquet file"):
        ws.register_parquet(tmp_path / "empty", MAPPING)


def test_a_partitioned_dataset_stored_again_replaces_its_months(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PARTITION_ROWS", 3)
    ws = Workspace(tmp_path)
    frame = orders()
    dataset_id = save(ws, frame)
    assert save(ws, frame) == dataset_id  # the same id published twice: one folder, the same rows
    folder = tmp_path / "datasets" / dataset_id
    assert sorted(p.name for p in folder.iterdir()) == ["clean", "meta.json", "quarantine.parquet"]
    assert ws.load_clean(dataset_id)["source_line"].tolist() == frame["source_line"].tolist()


def save_query(ws: Workspace, frame: pd.DataFrame, months=None) -> str:
    """The streaming ingest's way in: the rows as DuckDB queries on a connection."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("frame", frame)
        quarantine = frame.iloc[0:0].assign(reason="", reasons="", detail="")
        con.register("quarantine", quarantine)
        report = {"cleaning": {"rows_in": len(frame), "rows_clean": len(frame), "rows_quarantined": 0,
                               "revenue_in": 85.0, "revenue_clean": 85.0}}
        return ws.save_dataset_query("fedcba9876543210", con, clean_query="SELECT * FROM frame",
                                     quarantine_query="SELECT * FROM quarantine", rows_clean=len(frame), name="q",
                                     kind="orders", source_name="q.csv", size_bytes=1, mapping={}, report=report,
                                     months=months)
    finally:
        con.close()


@pytest.mark.parametrize("months", [None, ["2024-01", "2024-02", "2024-03"]])
def test_rows_written_by_query_are_stored_month_by_month(tmp_path, monkeypatch, months):
    monkeypatch.setattr(store, "PARTITION_ROWS", 3)
    ws = Workspace(tmp_path)
    frame = orders()
    dataset_id = save_query(ws, frame, months)
    folder = tmp_path / "datasets" / dataset_id / "clean"
    assert sorted(p.name for p in folder.iterdir()) == ["month=2024-01", "month=2024-02", "month=2024-03"]
    assert [len(pd.read_parquet(p)) for p in sorted(folder.glob("*/*.parquet"))] == [3, 1, 2]
    # the same rows and types as the frame's own way in
    monkeypatch.setattr(store, "PARTITION_ROWS", 10**9)
    one_file = Workspace(tmp_path / "one")
    pd.testing.assert_frame_equal(ws.load_clean(dataset_id), one_file.load_clean(save(one_file, frame)))


def test_a_kept_row_outside_the_months_given_is_never_published(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PARTITION_ROWS", 3)
    ws = Workspace(tmp_path)
    with pytest.raises(RuntimeError, match="5 of 6 kept rows"):
        save_query(ws, orders(), ["2024-01", "2024-03"])
    assert ws.list_datasets().empty


def test_a_registered_parquet_file_reads_in_place(tmp_path):
    frame = orders()
    path = tmp_path / "orders.parquet"
    frame.rename(columns={"customer_id": "user"}).to_parquet(path, index=False)
    ws = Workspace(tmp_path / "ws")
    dataset_id = ws.register_parquet(path, {"customer_id": "user", "timestamp": "timestamp", "amount": "amount"})
    assert overview.kpis(ws.scan(dataset_id))["revenue"] == 85.0
    assert ws.dataset(dataset_id)["report"]["customers"] == 3


def test_returns_read_in_place_are_the_loader_s(tmp_path):
    from ecom_analytics.ingest.inputs import returns_expr, returns_of

    frame = orders()
    quarantine = frame.assign(reason=["cancellation", "duplicate", "missing_customer", "cancellation",
                                      "non_positive_price", "duplicate"],
                              reasons=["cancellation", "duplicate; cancellation", "missing_customer; cancellation",
                                       "cancellation", "non_positive_price", "duplicate"], detail=None)
    quarantine.loc[2, "customer_id"] = None  # a cancellation without a customer is not a return
    quarantine["detail"] = quarantine["detail"].astype("string")
    ws = Workspace(tmp_path)
    report = {"cleaning": {"rows_in": 6, "rows_clean": 0, "rows_quarantined": 6, "revenue_in": 85.0,
                           "revenue_clean": 0.0}}
    dataset_id = ws.save_dataset("0123456789abcdef", name="t", kind="orders", source_name="t.csv", size_bytes=1,
                                 clean=frame.iloc[0:0], quarantine=quarantine, mapping={}, report=report)
    expected = returns_of(ws.load_quarantine(dataset_id))
    assert expected["source_line"].tolist() == [2, 3, 5]  # lines 1, 2 and 4: cancellations naming a customer
    in_place = returns_expr(ws.scan(dataset_id, part="quarantine")).execute()
    assert sorted(in_place["source_line"].tolist()) == [2, 3, 5]
