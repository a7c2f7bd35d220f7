"""The one input loader: returns are the quarantined cancellations that name a customer, the end of
the data is the day after the last order, and the CLI reads files or stored datasets alike."""

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.ingest.inputs import Inputs, day_after, day_after_last, read_inputs, returns_of
from ecom_analytics.store import Workspace

CSV = """InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,A,Apple,2,2011-01-03 10:00,1.50,17850,United Kingdom
536366,B,Bread,1,2011-01-05 23:59,2.00,17850,United Kingdom
C536367,A,Apple,-1,2011-01-06 09:00,1.50,13047,United Kingdom
C536368,A,Apple,-1,2011-01-06 09:30,1.50,,United Kingdom
536369,B,Bread,3,2011-01-07 08:00,2.00,13047,France
"""


def test_returns_are_the_named_cancellations():
    quarantine = pd.DataFrame({"reasons": ["cancellation", "cancellation", "missing_customer", None],
                               "customer_id": ["c1", None, None, "c2"]})
    assert returns_of(quarantine).index.tolist() == [0]


def test_the_end_of_the_data_is_the_day_after_the_last_order():
    orders = pd.DataFrame({"timestamp": pd.to_datetime(["2011-01-03 10:00", "2011-01-05 23:59"])})
    assert day_after_last(orders) == pd.Timestamp("2011-01-06")
    assert day_after_last(orders.iloc[0:0]) is None
    events = pd.DataFrame({"timestamp": pd.to_datetime(["2011-02-01 01:00"])})
    assert Inputs(events=events).end_of_data == pd.Timestamp("2011-02-02")
    assert Inputs(orders=orders, events=events).end_of_data == pd.Timestamp("2011-01-06")


def test_the_cli_reads_a_file_or_a_stored_dataset_the_same_way(tmp_path):
    from ecom_analytics.ingest.pipeline import ingest

    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    from_file = read_inputs({"orders": str(path)})
    # 3 sales in, the cancellation of a known customer is a return, the anonymous one is not
    assert len(from_file.orders) == 3 and len(from_file.returns) == 1
    assert from_file.end_of_data == pd.Timestamp("2011-01-08")

    ws = Workspace(tmp_path / "ws")
    dataset_id = ingest(path.read_bytes(), "orders.csv", kind="orders", workspace=ws).dataset_id
    stored = read_inputs({"orders": dataset_id}, workspace=ws)
    assert stored.datasets["orders"] == dataset_id
    assert len(stored.orders) == 3 and len(stored.returns) == 1
    assert stored.end_of_data == from_file.end_of_data
    with pytest.raises(InputError, match="neither a file nor a dataset"):
        read_inputs({"orders": "0123456789abcdef"}, workspace=ws)
    # what a report names each input by: the catalogue entry, or the file's own reading
    assert stored.entries["orders"]["dataset_id"] == dataset_id and stored.entries["orders"]["name"] == "orders.csv"
    assert from_file.entries["orders"]["kind"] == "orders" and from_file.entries["orders"]["name"] == "orders.csv"
    assert from_file.entries["orders"]["report"]["cleaning"]["rows_in"] == 5
    assert stored.entries["orders"]["report"]["cleaning"]["rows_in"] == 5
    # an id of the wrong kind is named, not read as orders
    with pytest.raises(InputError, match=f"Dataset {dataset_id} holds orders, not events."):
        read_inputs({"events": dataset_id}, workspace=ws)


def test_day_after_is_midnight_after_the_moment():
    # a time late on the last day and a time at midnight both end the data at the next midnight
    assert day_after("2011-12-09 12:50:00") == pd.Timestamp("2011-12-10")
    assert day_after(pd.Timestamp("2011-12-09")) == pd.Timestamp("2011-12-10")
