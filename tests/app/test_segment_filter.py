"""AppTest: a segment saved on the Segment builder restricts Overview and Products to its customers
(issue #21), kept in the link by its saved name. Hand-built: three customers, one line each,
c1 5.00 (P1), c2 10.00 (P2), c3 20.00 (P1); the segment "Big spenders" (revenue_total >= 10) holds c2 and
c3: revenue 30.00 in 2 orders from 2 customers; on Products P1 20.00 and P2 10.00 (c1's 5.00 left out)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.insights.segment_builder import save_segment
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SHOP = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "1,P1,Blue mug,1,2024-03-04 10:00,5.00,c1,France\n"
        "2,P2,Red lamp,1,2024-03-05 10:00,10.00,c2,France\n"
        "3,P1,Blue mug,1,2024-03-06 10:00,20.00,c3,France\n").encode()


def open_page(home, page: str, **params) -> AppTest:
    orders_id = pipeline.ingest(SHOP, "shop.csv", kind="orders", workspace=Workspace(home)).dataset_id
    save_segment(home, "Big spenders", "revenue_total >= 10", orders_id, 2)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, **params})
    at.run().switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_of_a_saved_segment_counts_its_customers_only(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "pages/overview.py")
    assert {m.label: m.value for m in at.metric}["Revenue"] == "35.00"  # all three customers
    box = next(s for s in at.selectbox if s.key == "ov_segment")
    box.set_value("Big spenders").run()
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Revenue"], tiles["Orders"], tiles["Customers"]) == ("30.00", "2", "2")
    assert any("Big spenders" in c.value and "2 customers" in c.value for c in at.caption)
    assert at.query_params["ov_segment"] in ("Big spenders", ["Big spenders"])  # kept in the link


def test_products_of_a_segment_from_a_link(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "pages/products.py", pr_segment="Big spenders")
    table = at.dataframe[0].value
    assert dict(zip(table["product_id"], table["revenue"])) == {"P1": 20.0, "P2": 10.0}
    assert dict(zip(table["product_id"], table["customers"])) == {"P1": 1, "P2": 1}
