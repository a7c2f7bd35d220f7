"""AppTest: the sidebar's period is followed by Segments and Cohorts & funnel, and the pages that use all
the data say so (issue #21: "a global date range in the sidebar that every page and link follows").

Hand-built shop: a buys 5 Jan and 3 Feb; b 10 Feb and 15 Mar; c 1 Mar; d 20 Jan and 2 Mar; e 31 Mar.
Events: u1 views, carts and buys on 1 Feb; u2 views on 10 Jan, carts on 5 Feb; u3 views on 29 Feb."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ORDERS = b"""order_id,customer_id,date,product_id,quantity,unit_price
1,a,2024-01-05,P1,1,10.00
2,a,2024-02-03,P1,2,10.00
3,b,2024-02-10,P2,1,30.00
4,b,2024-03-15,P2,1,40.00
5,c,2024-03-01,P3,1,50.00
6,d,2024-01-20,P1,1,5.00
7,d,2024-03-02,P3,1,7.00
8,e,2024-03-31,P2,1,9.00
"""
EVENTS = b"""user_id,timestamp,event_type,product_id
u1,2024-02-01 10:00,view,P1
u1,2024-02-01 10:05,cart,P1
u1,2024-02-01 10:09,purchase,P1
u2,2024-01-10 09:00,view,P2
u2,2024-02-05 12:00,cart,P2
u3,2024-02-29 23:59,view,P3
"""


def open_page(home, page: str, **params) -> AppTest:
    ws = Workspace(home)
    ids = {"orders": pipeline.ingest(ORDERS, "orders.csv", kind="orders", workspace=ws).dataset_id,
           "events": pipeline.ingest(EVENTS, "events.csv", kind="events", workspace=ws).dataset_id}
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({**ids, **params})
    at.run().switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_segments_score_the_period_and_compare_it_with_the_one_before(tmp_path, monkeypatch):
    """February and March (60 days): a, b, c, d and e ordered: 5 customers, scored as of 1 April.
    The 60 days before (3 Dec - 31 Jan): a and d, 2 customers."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "segments", **{"from": "2024-02-01", "to": "2024-03-31", "vs": "previous"})
    assert any("Orders from **2024-02-01** to **2024-03-31**, scored as of **2024-04-01** (the day after the period)"
               " · 5 customers" in m.value for m in at.markdown)
    assert any("on 2023-12-03 to 2024-01-31 (2 customers)" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert table["customers"].sum() == 5 and table["customers_before"].sum() == 2
    assert (table["customers_change"] == table["customers"] - table["customers_before"]).all()


def test_segments_of_the_whole_data_have_no_comparison_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "segments")
    assert any("As of **2024-04-01** (the day after the last order) · 5 customers" in m.value for m in at.markdown)
    assert "customers_before" not in at.dataframe[0].value.columns


def test_cohorts_and_funnel_follow_the_period(tmp_path, monkeypatch):
    """February and March: b's cohort (February) came back in March: 100 %; the period before holds no
    cohort with a following month inside it. The funnel of February: u1 views and buys, u3 views:
    1 of 2 viewers bought; in the 29 days before (3 - 31 Jan) u2 only viewed: 0 of 1."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "cohorts_funnel", **{"from": "2024-02-01", "to": "2024-03-31", "vs": "previous"})
    captions = [c.value for c in at.caption]
    assert any("From 2024-02-01 to 2024-03-31 (the sidebar's period)" in c for c in captions)
    assert any("100% ordered again in the month after their first" in c for c in captions)
    assert any("No cohort from 2023-12-03 to 2024-01-31, the period compared with" in c for c in captions)

    at = open_page(tmp_path / "feb", "cohorts_funnel", **{"from": "2024-02-01", "to": "2024-02-29", "vs": "previous"})
    funnel = at.dataframe[0].value.set_index("step")
    assert funnel["users"].tolist() == [2, 1, 1]
    assert funnel["users_before"].tolist() == [1, 0, 0]
    assert any("0.0% of viewers purchased then, 50.0% now (+50.0 points)" in c.value for c in at.caption)


def test_a_period_with_no_new_customer_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "cohorts_funnel", **{"from": "2024-03-10", "to": "2024-03-20"})
    assert any("No customer placed a first order from 2024-03-10 to 2024-03-20" in i.value for i in at.info)
    assert any("No behaviour events from 2024-03-10 to 2024-03-20: choose another period in the sidebar. The events "
               "run from 2024-01-10 to 2024-02-29." in i.value for i in at.info)


def test_pages_using_all_the_data_say_so_when_a_period_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "forecast", **{"from": "2024-02-01", "to": "2024-03-31", "lang": "zh"})
    assert any("时间段 2024年2月1日 至 2024年3月31日" in c.value and "本页使用全部数据" in c.value
               for c in at.sidebar.caption)
    at = open_page(tmp_path / "b", "forecast")
    assert not any("本页使用全部数据" in c.value or "uses all the data" in c.value for c in at.sidebar.caption)


def test_the_report_covers_the_period(tmp_path, monkeypatch):
    """February and March: the HTML's header names the days; its key figures are the period's 156.00."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "report", **{"from": "2024-02-01", "to": "2024-03-31"})
    assert any("cover 2024-02-01 to 2024-03-31 (the sidebar's period)" in c.value for c in at.caption)
    for key in ("rp_forecast", "rp_recs", "rp_clv"):
        at.toggle(key=key).set_value(False)
    at.button(key="rp_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    html_text = at.session_state["rp_html"]
    assert "Sales and segments from 2024-02-01 to 2024-03-31; the data runs from 2024-01-05 to 2024-03-31" in html_text
    assert "156.00" in html_text
    assert at.session_state["rp_names"][0].startswith("ecom_analytics_report_orders_2024-02-01_to_2024-03-31_")


def test_a_link_period_outside_the_data_shows_all_of_it_and_says_so(tmp_path, monkeypatch):
    """A link made on other data (2011) opened on this shop (January to March 2024): not a one-day period at
    the data's edge, but all its days, with a warning naming both periods."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_page(tmp_path, "segments", **{"from": "2011-01-01", "to": "2011-01-31", "vs": "previous"})
    assert any("The link's period, 2011-01-01 to 2011-01-31, has no day in these data (2024-01-05 to 2024-03-31)"
               in w.value for w in at.sidebar.warning)
    assert any("As of **2024-04-01** (the day after the last order) · 5 customers" in m.value for m in at.markdown)
