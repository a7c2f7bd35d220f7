"""AppTest: the Products page leaves postage and fees out of the ranking by default, says which,
and puts them back with its switch (issue #21).

Orders (4 lines): Apple (A) 10.00 and 5.00, POSTAGE (POST) 18.00, Bread (B) 3.00. With the fees
left out the ranking is A (15), B (3); with them, POST (18) leads.
"""

from __future__ import annotations

from tests.app.test_insight_pages import home, open_page  # noqa: F401  (fixture)

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

ORDERS = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "1,A,Apple,2,2024-01-05 10:00,5.00,100,United Kingdom\n"
    "1,POST,POSTAGE,1,2024-01-05 10:00,18.00,100,United Kingdom\n"
    "2,A,Apple,1,2024-02-10 09:00,5.00,100,United Kingdom\n"
    "3,B,Bread,1,2024-02-20 11:00,3.00,200,France\n"
).encode()


def test_postage_is_left_out_of_the_ranking_until_the_switch_puts_it_back(home):  # noqa: F811
    orders_id = pipeline.ingest(ORDERS, "orders.csv", kind="orders", workspace=Workspace(home)).dataset_id
    at = open_page("pages/products.py", {"orders": orders_id})
    assert at.toggle(key="pr_merch").value is True
    report = at.dataframe[0].value
    assert report["product_id"].tolist() == ["A", "B"] and report["revenue"].tolist() == [15.0, 3.0]
    assert any(c.value.replace("\\", "") == "Left out: POSTAGE (POST)." for c in at.caption)  # markdown-escaped
    at.toggle(key="pr_merch").set_value(False).run()
    assert not at.exception
    assert at.dataframe[0].value["product_id"].tolist() == ["POST", "A", "B"]
