"""AppTest: the Features, Segments, Cohorts & funnel and Products pages on a small hand-computed shop.

Orders (6 lines, revenue 47): customer 100 buys Apple (A) on 01-05 (10), 02-10 (5) and 03-20 10:00
(15); customer 200 buys Bread (B) on 01-20 (3) and 03-01 15:00 (6); customer 300 buys Cake (C) on
02-15 12:00 (8), all in 2024.

Events (8): user 100 views and carts A on 03-10, views, carts and buys A on 03-20; user 400 (no order)
views B and C on 03-12; user 500 views D (Toys) on 03-25 20:00, the last data point.

The datasets are ingested into the test's workspace and opened through a link (?orders=..&events=..),
as a shared link would open them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60

ORDERS = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "1,A,Apple,2,2024-01-05 10:00,5.00,100,United Kingdom\n"
    "2,B,Bread,1,2024-01-20 11:00,3.00,200,France\n"
    "3,A,Apple,1,2024-02-10 09:00,5.00,100,United Kingdom\n"
    "4,C,Cake,2,2024-02-15 12:00,4.00,300,Germany\n"
    "5,B,Bread,2,2024-03-01 15:00,3.00,200,France\n"
    "6,A,Apple,3,2024-03-20 10:00,5.00,100,United Kingdom\n"
).encode()

EVENTS = (
    "user_id,timestamp,event_type,product_id,category,brand,price,session_id\n"
    "100,2024-03-10 10:00,view,A,Fruit,,5.00,s1\n"
    "100,2024-03-10 10:01,cart,A,Fruit,,5.00,s1\n"
    "100,2024-03-20 09:55,view,A,Fruit,,5.00,s2\n"
    "100,2024-03-20 09:58,cart,A,Fruit,,5.00,s2\n"
    "100,2024-03-20 10:00,purchase,A,Fruit,,5.00,s2\n"
    "400,2024-03-12 08:00,view,B,Bakery,,3.00,s3\n"
    "400,2024-03-12 08:02,view,C,Cakes,,4.00,s3\n"
    "500,2024-03-25 20:00,view,D,Toys,,9.00,s4\n"
).encode()


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(path))
    return path


@pytest.fixture()
def ids(home) -> dict[str, str]:
    ws = Workspace(home)
    return {
        "orders": pipeline.ingest(ORDERS, "orders.csv", kind="orders", workspace=ws).dataset_id,
        "events": pipeline.ingest(EVENTS, "events.csv", kind="events", workspace=ws).dataset_id,
    }


def open_page(page: str, datasets: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for kind, dataset_id in datasets.items():
        at.query_params[kind] = dataset_id
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_fixture_ingests_cleanly(home, ids):
    ws = Workspace(home)
    assert len(ws.load_clean(ids["orders"])) == 6
    assert len(ws.load_clean(ids["events"])) == 8


def test_features_page_counts_customers_before_the_cutoff(ids):
    at = open_page("pages/features.py", ids)
    # default cutoff: the day after the last data (03-26) minus the 7-day window = 2024-03-19
    assert str(at.date_input(key="ft_cutoff").value) == "2024-03-19"
    m = metrics(at)
    assert m["Customers"] == "4"            # 100, 200, 300 (orders) and 400 (events); 500 acts after the cutoff
    assert m["Labelled customers"] == "3"   # customers with an order before the cutoff
    assert m["Purchase rate"] == "33.3%"    # only 100 buys in [03-19, 03-26)
    table = at.dataframe[0].value
    assert sorted(table.index) == ["100", "200", "300", "400"]
    assert table.loc["100", "orders"] == 2 and table.loc["400", "orders"] == 0
    assert table.loc["200", "revenue_total"] == 9.0
    assert at.dataframe[0].proto.placeholder == "—"  # empty cells (400 has no order: no recency) read —, not None

    # a cutoff before the second order changes what the customers look like
    at.date_input(key="ft_cutoff").set_value("2024-02-01").run()
    assert not at.exception
    m = metrics(at)
    assert m["Customers"] == "2"            # only 100 and 200 had ordered by then
    assert m["Purchase rate"] == "0.0%"     # nobody orders in [02-01, 02-08)


def test_segments_page_table(ids):
    at = open_page("pages/segments.py", {"orders": ids["orders"]})
    # as of 2024-03-21: 100 (R4 F4) Loyal, 200 (R2 F2) Hibernating, 300 (R1 F1) Lost
    summary = at.dataframe[0].value
    assert summary["segment"].tolist() == ["Loyal", "Hibernating", "Lost"]
    assert summary["customers"].tolist() == [1, 1, 1]
    assert summary["revenue"].tolist() == [30.0, 9.0, 8.0]
    assert sum(summary["customer_share"]) == pytest.approx(1.0)
    assert any("2024-03-21" in md.value and "3 customers" in md.value for md in at.markdown)
    # the customer list follows the chosen segment
    at.selectbox(key="seg_segment").set_value("Hibernating").run()
    assert not at.exception
    assert list(at.dataframe[1].value.index) == ["200"]


def test_cohorts_and_funnel_page(ids):
    at = open_page("pages/cohorts_funnel.py", ids)
    # cohort 2024-01 (100, 200): 100 orders again in February -> 1 of 2 in month 1
    assert any("50% ordered again in the month after their first" in c.value for c in at.caption)
    funnel = at.dataframe[0].value
    assert funnel["step"].tolist() == ["view", "cart", "purchase"]
    assert funnel["users"].tolist() == [3, 1, 1]     # viewers 100, 400, 500; only 100 carted and bought
    assert funnel["events"].tolist() == [5, 2, 1]
    by_category = at.dataframe[1].value              # four categories: the by-category table is shown
    assert by_category.loc[by_category["step"] == "view", "group"].tolist() == ["Bakery", "Cakes", "Fruit", "Toys"]


def test_cohorts_page_with_orders_only_explains_the_funnel(ids):
    at = open_page("pages/cohorts_funnel.py", {"orders": ids["orders"]})
    assert any("Load behaviour events" in i.value for i in at.info)
    assert any("50%" in c.value for c in at.caption)


def test_products_page_table(ids):
    at = open_page("pages/products.py", ids)
    report = at.dataframe[0].value
    assert report["product_id"].tolist() == ["A", "B", "C", "D"]     # revenue 30, 9, 8, 0
    assert report["revenue"].tolist() == [30.0, 9.0, 8.0, 0.0]
    assert report["views"].tolist() == [2, 1, 1, 1]
    assert report["conversion"].tolist() == [0.5, 0.0, 0.0, 0.0]     # A: 1 purchase / 2 views
    assert report.loc[report["product_id"] == "D", "category"].tolist() == ["Toys"]   # only in events
    assert any("4 of 4 products" in c.value for c in at.caption)
    at.text_input(key="pr_search").set_value("bread").run()
    assert not at.exception
    assert at.dataframe[0].value["product_id"].tolist() == ["B"]
    assert any("1 of 4 products" in c.value for c in at.caption)
    # the sort choices carry the table's labels
    at.text_input(key="pr_search").set_value("").run()
    sort = at.selectbox(key="pr_sort")
    assert sort.options[:3] == ["Revenue", "Units", "Orders"] and "Carts" in sort.options
    sort.set_value("units").run()
    assert not at.exception and at.selectbox(key="pr_sort").value == "units"
    assert at.dataframe[0].value["units"].is_monotonic_decreasing
    # a link holding the option itself rather than its label opens with that choice
    assert open_page("pages/products.py", {**ids, "pr_sort": "carts"}).selectbox(key="pr_sort").value == "carts"


@pytest.mark.parametrize("page", ["pages/features.py", "pages/segments.py", "pages/cohorts_funnel.py",
                                  "pages/products.py"])
def test_pages_without_data_show_an_info_message(home, page):
    at = open_page(page, {})
    assert at.info, "expected an info message pointing to the Data page"
    assert any("No orders loaded yet" in i.value for i in at.info)
    assert not at.dataframe


def test_partial_months_are_marked_on_overview_and_cohorts(ids):
    """The orders run from Friday 2024-01-05 to Wednesday 2024-03-20: January has 27 of its 31 days in the
    data (5th to 31st), March 20 of 31; February is whole."""
    at = open_page("pages/overview.py", {"orders": ids["orders"], "ov_freq": "Month"})
    notes = [c.value for c in at.caption if "days in the data" in c.value]
    assert notes == ["January 2024 has 27 of 31 days in the data: drawn dashed and lighter, as it counts only those "
                     "days.", "March 2024 has 20 of 31 days in the data: drawn dashed and lighter, as it counts only "
                     "those days."]
    # by day nothing is partial
    assert not any("days in the data" in c.value
                   for c in open_page("pages/overview.py", {"orders": ids["orders"], "ov_freq": "Day"}).caption)
    cohorts = open_page("pages/cohorts_funnel.py", {"orders": ids["orders"]})
    captions = [c.value for c in cohorts.caption]
    assert "March 2024 has 20 of 31 days in the data: its cells are lighter and marked *, as they count only those " \
           "days." in captions
    # 2024-02's next month (March) is partial: only cohort 2024-01 counts (100 came back in February, 200 did not: 1 of 2)
    assert any("50% ordered again" in c and "Cohorts whose next month is partial are left out" in c for c in captions)


def test_partial_month_note_in_chinese(ids):
    at = open_page("pages/cohorts_funnel.py", {"orders": ids["orders"], "lang": "zh"})
    assert any(c.value.startswith("2024年3月的数据只覆盖 31 天中的 20 天") for c in at.caption)
