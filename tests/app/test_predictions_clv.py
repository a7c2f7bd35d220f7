"""AppTest: the Predictions page's lifetime value view (issue #20) on the shipped sample orders.

Every number on the screen is checked against the library (ecom_analytics.predict.clv, tested by hand
in tests/unit/test_clv.py) run on the same stored rows with the page's settings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.predict import clv
from ecom_analytics.i18n import format_money_short, translate
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def expected(sample_orders_home):
    home, orders_id = sample_orders_home
    orders = Workspace(home).load_clean(orders_id)
    value = clv.run_clv(orders, None, "weeks", 6, 0.02)
    check = clv.run_clv(orders, clv.default_calibration_end(orders, 6), "weeks", 6, 0.02)
    return value, check


def open_clv(home, orders_id, monkeypatch, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["orders"] = orders_id
    at.query_params["pr_view"] = "clv"
    at.query_params["pr_clv_months"] = "6"
    at.query_params["pr_clv_rate"] = "2.0"
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_lifetime_value_view(sample_orders_home, expected, monkeypatch):
    home, orders_id = sample_orders_home
    value, check = expected
    at = open_clv(home, orders_id, monkeypatch)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Customers valued"] == f"{len(value.customers):,}"
    assert tiles["Expected spend, next 6 months"] == format_money_short(value.customers["expected_spend"].sum())
    assert tiles["Lifetime value, next 6 months"] == format_money_short(value.customers["clv"].sum())
    n_top = -(-len(value.customers) // 10)  # top 10 %, rounded up
    assert tiles["High-value customers"] == f"{n_top:,}"
    table = at.dataframe[0].value
    assert len(table) == len(value.customers)
    assert list(table.index[:5]) == list(value.customers.index[:5])  # highest CLV first
    assert table["clv"].iloc[0] == pytest.approx(value.customers["clv"].iloc[0])
    assert int(table["in_audience"].sum()) == n_top
    # the check on held-out orders: its reading and its deciles
    e = check.evaluation
    assert "Checked on held-out orders" in [s.value for s in at.subheader]
    reading = clv.evaluation_reading(e)
    assert any(reading in md.value for md in at.markdown)
    deciles = at.dataframe[1].value
    assert list(deciles["decile"]) == list(range(1, 11))
    assert deciles["actual_spend"].sum() == pytest.approx(e["actual_spend"])
    assert len(at.get("plotly_chart")) == 1
    # the audience slider moves the audience
    at.slider(key="pr_clv_share").set_value(20).run()
    assert {m.label: m.value for m in at.metric}["High-value customers"] == f"{-(-len(value.customers) // 5):,}"


def test_lifetime_value_view_in_chinese(sample_orders_home, expected, monkeypatch):
    home, orders_id = sample_orders_home
    value, check = expected
    at = open_clv(home, orders_id, monkeypatch, lang="zh")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["已评估客户"] == f"{len(value.customers):,}"
    assert tiles["未来 6 个月终身价值"] == format_money_short(value.customers["clv"].sum(), "zh")
    assert translate("High-value customers", "zh") in tiles
    assert "用留出的订单检验" in [s.value for s in at.subheader]
    assert any(clv.evaluation_reading(check.evaluation, "zh") in md.value for md in at.markdown)


def test_without_orders_the_view_points_to_the_data_page(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["pr_view"] = "clv"
    at.run()
    at.switch_page("pages/predictions.py").run()
    assert not at.exception
    assert any("No orders loaded yet" in i.value and "Lifetime value is computed from orders" in i.value
               for i in at.info)


def test_the_scores_view_is_the_default_and_unchanged(saved_run_home):
    _, orders_id, _ = saved_run_home
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["orders"] = orders_id
    at.run()
    at.switch_page("pages/predictions.py").run()
    assert not at.exception and not at.error
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Customers scored"] == "200" and tiles["Likely purchasers"] == "20"  # top 10 % of 200
    assert "Customers valued" not in tiles
    at.segmented_control(key="pr_view").set_value("clv").run()  # and the analyst can switch
    assert not at.exception
    assert "Customers valued" in {m.label for m in at.metric}


def test_too_little_history_is_said_in_a_sentence(tmp_path, monkeypatch):
    from ecom_analytics.ingest import pipeline

    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    short = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
             "1,A,Apple,2,2024-01-01 10:00,5.00,100,United Kingdom\n"
             "2,A,Apple,1,2024-01-08 09:00,5.00,100,United Kingdom\n"
             "3,B,Bread,4,2024-01-12 12:00,3.00,200,France\n").encode()
    orders_id = pipeline.ingest(short, "short.csv", kind="orders", workspace=Workspace(home)).dataset_id
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["orders"] = orders_id
    at.query_params["pr_view"] = "clv"
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/predictions.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["在 2024-01-12 之前只有 1 位客户在不止一天下过单；客户终身价值至少需要 10 位。"
                                          "请选择更晚的校准期结束日，或使用更长的历史数据。"]
    assert not at.metric  # nothing half-drawn
