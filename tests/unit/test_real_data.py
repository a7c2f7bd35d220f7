"""The published figures of the real files in ../shared/data, through the whole ingest.

Skipped (with the reason) when ../shared/data is absent. Online Retail's known figures are in
../shared/data/README.md: 541,909 lines, 25,900 invoices, 4,372 customers, 9,288
cancellation lines (invoice starting with C), 135,080 lines without a CustomerID, and
sum(Quantity x UnitPrice) = 9,747,747.93.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def online_retail(shared_data) -> pipeline.IngestResult:
    data = (shared_data / "online_retail.csv.gz").read_bytes()
    return pipeline.process(pipeline.prepare(data, "online_retail.csv.gz"), salt="test")


@pytest.fixture(scope="module")
def every_line(online_retail) -> pd.DataFrame:
    """Kept and quarantined lines together: the file as read, nothing dropped."""
    return pd.concat([online_retail.cleaning.clean, online_retail.cleaning.quarantine], ignore_index=True)


def rule(result, name: str) -> dict:
    return next(r for r in result.report["cleaning"]["rules"] if r["rule"] == name)


def test_online_retail_is_recognised(online_retail):
    assert online_retail.kind == "orders"
    assert online_retail.mapping.as_dict() == {
        "customer_id": "CustomerID", "order_id": "InvoiceNo", "timestamp": "InvoiceDate",
        "product_id": "StockCode", "product_name": "Description", "quantity": "Quantity",
        "unit_price": "UnitPrice", "country": "Country",
    }


def test_online_retail_rows(online_retail, every_line):
    rep = online_retail.report["cleaning"]
    assert rep["rows_in"] == 541_909
    assert len(every_line) == 541_909
    assert rep["rows_in"] == rep["rows_clean"] + rep["rows_quarantined"]
    assert rule(online_retail, "malformed_line")["matched"] == 0
    assert rule(online_retail, "unreadable_date")["matched"] == 0
    assert rule(online_retail, "unreadable_number")["matched"] == 0


def test_online_retail_invoices_customers_cancellations(online_retail, every_line):
    assert every_line["order_id"].nunique() == 25_900
    assert every_line["customer_id"].nunique() == 4_372
    assert every_line["order_id"].str.startswith("C").sum() == 9_288
    assert every_line["country"].nunique() == 38
    assert every_line["product_id"].nunique() == 4_070


def test_online_retail_lines_without_customer(online_retail, every_line):
    assert rule(online_retail, "missing_customer")["matched"] == 135_080
    assert every_line["customer_id"].isna().sum() == 135_080


def test_online_retail_revenue_reconciles(online_retail):
    rep = online_retail.report["cleaning"]
    assert rep["revenue_in"] == pytest.approx(9_747_747.93, abs=0.01)
    assert rep["reconciles"] is True
    assert rep["revenue_in"] == pytest.approx(rep["revenue_clean"] + rep["revenue_quarantined"], abs=0.01)
    assert rep["revenue_quarantined"] == pytest.approx(sum(r["revenue_quarantined"] for r in rep["rules"]), abs=0.01)
    # every C-invoice line is set aside; the 80,995-unit line is kept, flagged
    clean = online_retail.cleaning.clean
    assert not clean["order_id"].str.startswith("C").any()
    assert clean.loc[clean["quantity"] == 80_995, "is_outlier"].tolist() == [True]


def test_online_retail_dates(online_retail, every_line):
    assert every_line["timestamp"].min() == pd.Timestamp("2010-12-01 08:26")
    assert every_line["timestamp"].max() == pd.Timestamp("2011-12-09 12:50")


def test_rees46_head(shared_data):
    data = (shared_data / "rees46_2019oct_head.csv.gz").read_bytes()
    result = pipeline.process(pipeline.prepare(data, "rees46_2019oct_head.csv.gz"))
    rep = result.report["cleaning"]
    assert result.kind == "events"
    assert rep["rows_in"] == 17_434
    assert rep["rows_in"] == rep["rows_clean"] + rep["rows_quarantined"]
    every = pd.concat([result.cleaning.clean, result.cleaning.quarantine])
    assert set(every["event_type"].unique()) <= {"view", "cart", "remove_from_cart", "purchase"}
    assert {"view", "cart", "purchase"} <= set(every["event_type"].unique())
    assert every["timestamp"].min() >= pd.Timestamp("2019-10-01")
    assert every["timestamp"].notna().all()
