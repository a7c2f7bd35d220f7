"""AppTest: the Data quality page explains its numbers (issue #21), on a hand-computed file.

Fixture (5 lines): line 1 (10.00, customer 100) and line 2 (3.00, customer 200) are clean;
line 3 is a C-invoice cancellation of 10 apples (-50.00); line 4 has no customer and no other
problem (5.00); line 5 has no customer and is a cancellation too (-6.00).
Revenue in = 10 + 3 - 50 + 5 - 6 = -38.00; kept = 13.00; set aside = -51.00 net.
The missing-customer rule sets aside lines 4 and 5 (first failed rule), worth -1.00; of them,
line 4 alone has no other problem (5.00); line 5 (-6.00) is also a cancellation.
Fewer than 20 lines: the outlier fences are not computed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace
from tests.app.test_app import app, metrics, upload_and_confirm  # noqa: F401  (the fixture)

APP = str(Path(__file__).resolve().parents[2] / "app.py")

ORDERS = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "1,A,Apple,2,2024-01-01 10:00,5.00,100,United Kingdom\n"
    "2,B,Bread,1,2024-01-02 10:00,3.00,200,France\n"
    "C3,A,Apple,-10,2024-01-03 10:00,5.00,100,United Kingdom\n"
    "4,A,Apple,1,2024-01-04 10:00,5.00,,United Kingdom\n"
    "C5,B,Bread,-2,2024-01-05 10:00,3.00,,United Kingdom\n"
).encode()


def test_quality_page_explains_kept_above_in_and_both_missing_customer_counts(app):  # noqa: F811
    at = upload_and_confirm(app, ORDERS, "orders.csv")
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception
    m = metrics(at)
    assert m["Revenue in"] == "-38.00"
    assert m["Revenue kept"] == "13.00"
    captions = " ".join(c.value for c in at.caption)
    assert "Revenue kept is higher than revenue in" in captions
    assert "-51.00 net" in captions
    rules = at.dataframe[0].value.set_index("rule")
    assert rules.loc["missing_customer", "quarantined"] == 2
    assert abs(rules.loc["missing_customer", "revenue_quarantined"] - (-1.0)) < 1e-9
    infos = " ".join(i.value for i in at.info)
    assert "1 lines worth 5.00 have no other problem" in infos or "1 line worth 5.00" in infos
    assert "counts 2 lines worth -1.00: the other 1 lines without a customer id (worth -6.00)" in infos
    assert "Outliers**: not checked" in infos
    assert "inf" not in infos


POUNDS = ("Order,Date,Customer,Product,Qty,Price\n"
          "1,2024-01-05,c1,A,2,£5.00\n2,2024-01-06,c2,B,1,£3.50\n").encode()


def test_money_carries_the_exports_currency(app):  # noqa: F811
    at = upload_and_confirm(app, POUNDS, "pounds.csv")
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception
    assert metrics(at)["Revenue kept"] == "£13.50"  # 2 x 5.00 + 3.50
    assert any("Money is in **£** (GBP)" in c.value for c in at.caption)


def thousand_lines() -> bytes:
    """1,234 lines: 1,200 sales (one apple at 1.00 each, invoices 1 to 1,200) and 34 cancellations
    (C-invoices of one apple): 1,234 rows in, 1,200 kept, 34 set aside."""
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    for i in range(1, 1201):
        lines.append(f"{i},A,Apple,1,2024-01-{1 + i % 28:02d} 10:00,1.00,{100 + i % 50},United Kingdom")
    for i in range(1, 35):
        lines.append(f"C{i},A,Apple,-1,2024-01-{1 + i % 28:02d} 12:00,1.00,{100 + i % 50},United Kingdom")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("lang, labels", [("en", ("Rows in", "Rows kept", "Rows set aside")),
                                          ("zh", ("输入行数", "保留行数", "隔离行数"))])
def test_row_counts_are_grouped_by_the_locale_formatter(tmp_path, monkeypatch, lang, labels):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    orders_id = pipeline.ingest(thousand_lines(), "orders.csv", kind="orders",
                                workspace=Workspace(tmp_path)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, "lang": lang})
    at.run().switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    assert [tiles[label] for label in labels] == ["1,234", "1,200", "34"]
