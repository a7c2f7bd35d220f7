"""AppTest: an export in several tables uploaded together on the Data page (issue #16).

The four files are the hand-written Olist-shaped set of tests/unit/test_multitable.py without the
product catalogue. Counted by hand:

* orders o1..o6; line items of o1, o2 (2), o3 (2), o4, o5 and o9 (8 lines): 5 orders with items,
  o6 without items, o9's item without an order;
* payments of o1, o2 (2), o3, o4, o6 and o8: 5 orders with a payment, o5 without one, o8's payment
  names no order;
* customers c1, c2, c3, c5, c6, c7 (c4 missing): 5 orders with a known customer, o4's customer
  unknown, c7 without orders; customer_unique_id names 4 people (c1 and c3 are both u1);
* rows in = 8 line items + o6 = 9; kept o1, o2 x2, o3 x2 = 5; set aside: o9 (item without order),
  o6 (order without items), o4 (unknown customer), o5 (cancelled) = 4;
* payments against items and freight: o1 38.71, o2 282.92 and o3 199.12 match, o4 60.00 != 55.00:
  3 of 4 orders (75.0 %); items only: none (0.0 %).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.store import Workspace
from tests.fixtures import OLIST

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 90
ORDERS, ITEMS, CUSTOMERS, PAYMENTS, PRODUCTS = list(OLIST)
FOUR = [(name, OLIST[name].encode(), "text/csv") for name in (ORDERS, ITEMS, CUSTOMERS, PAYMENTS)]


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    return tmp_path / "ws"


def upload(files=FOUR, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def roles(at: AppTest) -> dict[str, str]:
    return {sb.label.removeprefix("Role of "): sb.value for sb in at.selectbox if sb.label.startswith("Role of ")}


def relations(at: AppTest) -> dict[str, str]:
    """Relation name -> its counts as shown."""
    frame = next(tb.value for tb in at.table if tb.value.index.name == "Relation")
    return dict(zip(frame.index, frame["Counts"]))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_four_files_show_their_roles_the_relation_counts_and_the_person_key(home):
    at = upload()
    assert roles(at) == {ORDERS: "orders", ITEMS: "items", CUSTOMERS: "customers", PAYMENTS: "payments"}
    counts = relations(at)
    assert counts["Line items → order header"] == ("orders with items: 5 · ⚠ orders without items: 1 · "
                                                   "⚠ items without an order: 1")
    assert counts["Payments → order header"] == ("orders with a payment: 5 · ⚠ orders without a payment: 1 · "
                                                 "⚠ payments without an order: 1")
    assert counts["Order header → customers"] == ("orders with a known customer: 5 · ⚠ orders with an unknown "
                                                  "customer: 1 · customers without orders: 1")
    assert "Line items → products" not in counts  # no product catalogue uploaded
    person = at.selectbox(key=next(sb.key for sb in at.selectbox if sb.label.startswith("Person key")))
    assert person.value == "customer_unique_id"
    assert any("Customers are identified by 'customer_unique_id'" in i.value and "belong to 4 people" in i.value
               for i in at.info)
    assert metrics(at)["People who ordered more than once"] == "25.0%"
    m = metrics(at)
    assert (m["Rows in"], m["Rows kept"], m["Rows set aside"]) == ("9", "5", "4")
    revenue = at.radio(key="tables_revenue")
    assert revenue.value == "items" and revenue.options == ["Item prices only", "Item prices and freight"]
    assert any("on the 4 orders that have both; 1 orders have no payment" in c.value for c in at.caption)
    assert any("have no payment in" in m.value for m in at.markdown)  # a note, in words


def test_confirm_stores_the_joined_dataset_and_makes_it_current(home):
    at = upload()
    next(b for b in at.button if b.label == "Confirm and join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("9 rows in, 5 kept, 4 set aside" in s.value for s in at.success)
    dataset_id = at.session_state["orders_id"]
    assert len(dataset_id) == 16
    ws = Workspace(home)
    kept = ws.load_clean(dataset_id)
    assert len(kept) == 5 and sorted(kept["customer_id"].unique()) == ["u1", "u2"]
    assert sorted(ws.load_quarantine(dataset_id)["reason"]) == ["cancellation", "item_without_order",
                                                                "order_without_items", "unknown_customer"]

    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Tables joined" in [s.value for s in at.subheader]
    m = metrics(at)
    assert (m["Rows in"], m["Rows kept"], m["Rows set aside"]) == ("9", "5", "4")
    assert m["Match with freight"] == "75.0%" and m["Match, items only"] == "0.0%"
    assert m["Orders with items and a payment"] == "4" and m["Orders without a payment"] == "1"
    files = next(tb.value for tb in at.table if tb.value.index.name == "File")
    assert dict(zip(files.index, files["Role"])) == {ORDERS: "Order header", ITEMS: "Line items",
                                                       CUSTOMERS: "Customers", PAYMENTS: "Payments"}
    assert relations(at)["Line items → order header"].endswith("items without an order: 1")
    assert any("Customers are identified by 'customer_unique_id'" in i.value for i in at.info)
    rules = next(df.value for df in at.dataframe if "rule" in df.value.columns).set_index("rule")
    assert rules.loc[["duplicate_order", "order_without_items", "item_without_order", "unknown_customer"],
                     "quarantined"].tolist() == [0, 1, 1, 1]
    assert rules.loc["item_without_order", "description"] == "a line item whose order id is not in the order header"
    assert any("Revenue counts item prices only; freight ('freight_value') is left out" in i.value for i in at.info)

    # the link carries only the id and reopens the joined dataset in a new session
    assert at.query_params["orders"] in ([dataset_id], dataset_id)
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    fresh.query_params["orders"] = dataset_id
    fresh.run()
    fresh.switch_page("pages/data_quality.py").run()
    assert not fresh.exception
    assert "Tables joined" in [s.value for s in fresh.subheader]
    assert metrics(fresh)["Match with freight"] == "75.0%"


def test_correcting_a_role_a_key_pair_and_the_person_key_changes_the_proposal(home):
    at = upload()
    # the customer table read as 'not used': no relation to it, and nothing can name the person
    at.selectbox(key=next(sb.key for sb in at.selectbox if sb.label == f"Role of {CUSTOMERS}")).set_value("unknown").run()
    assert not at.exception
    assert roles(at)[CUSTOMERS] == "unknown"
    assert "Order header → customers" not in relations(at)
    assert any("repeat behaviour cannot be measured" in w.value and "Add a customer table" in w.value
               for w in at.warning)
    next(b for b in at.button if b.label == "Start again from the proposal").click().run()
    assert roles(at)[CUSTOMERS] == "customers" and "Order header → customers" in relations(at)

    # a wrong key pair chosen by hand: every line item is without an order
    child = next(sb for sb in at.selectbox if sb.label == f"Column of {ITEMS}")
    child.set_value("seller_id").run()
    assert not at.exception
    assert "items without an order: 8" in relations(at)["Line items → order header"]
    assert metrics(at)["Rows kept"] == "0"
    next(b for b in at.button if b.label == "Start again from the proposal").click().run()

    # the per-order id as the person key: a warning naming the column that would fix it
    at.selectbox(key=next(sb.key for sb in at.selectbox if sb.label.startswith("Person key"))).set_value(
        "(the per-order id)").run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "repeat behaviour cannot be measured" in w.value)
    assert "'customer_unique_id' in 'olist_customers_dataset.csv' would identify people" in warning


def test_the_revenue_choice_counts_freight(home):
    at = upload()
    at.radio(key="tables_revenue").set_value("items_and_freight").run()
    assert not at.exception
    next(b for b in at.button if b.label == "Confirm and join").click().run()
    rep = Workspace(home).dataset(at.session_state["orders_id"])["report"]
    assert rep["tables"]["revenue"] == "items_and_freight"
    assert rep["cleaning"]["revenue_clean"] == pytest.approx(447.29 + 8.72 + 2 * 22.76 + 19.22)


def test_the_tables_in_chinese(home):
    at = upload(lang="zh")
    assert "一起上传的多张表" in [s.value for s in at.subheader]
    assert roles_zh(at) == {ORDERS: "orders", ITEMS: "items", CUSTOMERS: "customers", PAYMENTS: "payments"}
    assert any("客户按" in i.value for i in at.info)  # the person-key note in Chinese
    frame = next(tb.value for tb in at.table if tb.value.index.name == "关联")
    assert "订单明细 → 订单主表" in set(frame.index)
    next(b for b in at.button if b.label == "确认并合并").click().run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception
    assert "已合并的表" in [s.value for s in at.subheader]
    assert {m.label: m.value for m in at.metric}["与支付相符（含运费）"] == "75.0%"


def roles_zh(at: AppTest) -> dict[str, str]:
    return {sb.label.removesuffix(" 的角色"): sb.value for sb in at.selectbox if sb.label.endswith(" 的角色")}


def test_one_file_is_still_the_single_file_flow(home):
    single = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
              "1,A,2,2024-01-01 10:00,1.5,17850,United Kingdom\n").encode()
    at = upload([("retail.csv", single, "text/csv")])
    assert "Column mapping" in [s.value for s in at.subheader]
    assert "Tables uploaded together" not in [s.value for s in at.subheader]
