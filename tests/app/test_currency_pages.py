"""AppTest: money carries the dataset's currency on the pages of issue #21 (Products, Segments, Cohorts),
on a hand-built export whose prices are written in euros ("€2.50"): two customers, three lines.

  c1: 2 x €2.50 of P1 (5.00) and 1 x €10.00 of P2 (10.00)  -> P2 10.00, P1 5.00 + 4.00 = 9.00
  c2: 1 x €4.00 of P1 (4.00)
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace
from ecom_analytics.ui.currency_view import money_format

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EUROS = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
         "1,P1,Blue mug,2,2024-03-04 10:00,€2.50,c1,France\n"
         "1,P2,Red lamp,1,2024-03-04 10:00,€10.00,c1,France\n"
         "2,P1,Blue mug,1,2024-03-06 11:00,€4.00,c2,France\n").encode()
MIXED = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
         "1,P1,Blue mug,1,2024-03-04 10:00,€2.50,c1,France\n"
         "2,P2,Red lamp,1,2024-03-05 10:00,£10.00,c2,United Kingdom\n").encode()


def open_page(home, data: bytes, page: str, **params) -> AppTest:
    orders_id = pipeline.ingest(data, "shop.csv", kind="orders", workspace=Workspace(home)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, **params})
    at.run().switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def formats(table) -> dict[str, str]:
    """Each column's number format in a drawn table."""
    config = json.loads(table.proto.columns)
    return {name: spec.get("type_config", {}).get("format") for name, spec in config.items()}


def test_money_format():
    assert money_format("€") == "€%,.2f" and money_format("") == "%,.2f" and money_format("CHF ", 0) == "CHF %,.0f"


def test_products_show_revenue_in_euros(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, EUROS, "pages/products.py")
    table = at.dataframe[0]
    assert dict(zip(table.value["product_id"], table.value["revenue"])) == {"P2": 10.0, "P1": 9.0}
    assert formats(table)["revenue"] == "€%,.2f"


def test_segments_show_revenue_in_euros(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, EUROS, "pages/segments.py")
    summary = at.dataframe[0]
    assert float(summary.value["revenue"].sum()) == 19.0  # 15.00 of c1 and 4.00 of c2, rounded to whole euros
    assert formats(summary)["revenue"] == "€%,.0f" and formats(summary)["median_revenue"] == "€%,.0f"


def test_overview_names_the_currency(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, EUROS, "pages/overview.py")
    assert {m.label: m.value for m in at.metric}["Revenue"] == "€19.00"
    assert any(c.value == "Orders from 2024-03-04 to 2024-03-06 · 4 units · amounts in €" for c in at.caption)


def test_a_mixed_currency_export_warns_where_money_is_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, MIXED, "pages/products.py")
    assert any("more than one currency" in w.value for w in at.warning)
    assert formats(at.dataframe[0])["revenue"] == "%,.2f"  # no symbol for amounts in two currencies
