"""AppTest: the Overview says what changed in the last complete week (issue #21), on the shop of
tests/unit/test_changes.py: country A stops selling in the 21st week, so that week's revenue
(70.00) falls below its backtested interval around 140.00 and A is named with the whole move."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace
from tests.unit.test_changes import shop

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def shop_csv(**kwargs) -> bytes:
    frame = shop(**kwargs)
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    for r in frame.itertuples():
        lines.append(f"{r.order_id},{r.product_id},{r.product_name},1,{r.timestamp:%Y-%m-%d %H:%M},10.00,"
                     f"{r.customer_id},{r.country}")
    return ("\n".join(lines) + "\n").encode()


def open_overview(home, data: bytes) -> AppTest:
    orders_id = pipeline.ingest(data, "shop.csv", kind="orders", workspace=Workspace(home)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["orders"] = orders_id
    at.run().switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_fall_is_flagged_with_its_driver(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_overview(tmp_path, shop_csv())
    warning = next(w.value for w in at.warning if "What changed" in w.value)
    assert "In the week of 2024-05-20, revenue was 70.00, below the expected 140.00 – 140.00" in warning
    assert "A (country): 0.00 against 70.00 on average over the 4 weeks before (−70.00, 100% of the move)" in warning


def test_a_steady_week_says_nothing_unusual(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_overview(tmp_path, shop_csv(drop_a_last_week=False))
    assert any("What changed" in c.value and "nothing unusual" in c.value for c in at.caption)
    assert not [w for w in at.warning if "What changed" in w.value]


def test_a_chosen_period_against_the_one_before(tmp_path, monkeypatch):
    """From 2024-05-13 to 2024-05-26 (weeks 20 and 21): revenue 140.00 + 70.00 = 210.00 in 21 orders;
    the two weeks before hold 280.00 in 28 orders: -25.0 % both; 10 customers in each: +0.0 %."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    orders_id = pipeline.ingest(shop_csv(), "shop.csv", kind="orders", workspace=Workspace(tmp_path)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, "from": "2024-05-13", "to": "2024-05-26", "vs": "previous"})
    at.run().switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Revenue"] == ("210.00", "-25.0%")
    assert tiles["Orders"] == ("21", "-25.0%")
    assert tiles["Customers"] == ("10", "+0.0%")
    assert any("Changes against 2024-04-29 – 2024-05-12 (the period before)" in c.value for c in at.caption)
    assert at.query_params["from"] in ("2024-05-13", ["2024-05-13"])  # the period stays in the link


def test_a_link_with_its_period_ends_swapped_opens_the_same_period(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    orders_id = pipeline.ingest(shop_csv(), "shop.csv", kind="orders", workspace=Workspace(tmp_path)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, "from": "2024-05-26", "to": "2024-05-13"})
    at.run().switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Revenue"] == "210.00"  # weeks 20 and 21, as in order


def test_the_changes_read_the_same_in_chinese(tmp_path, monkeypatch):
    """The period above in Chinese: the tiles' numbers and signed changes come from the locale formatters
    (Chinese groups and signs as English does): 21 orders, -25.0 %; 10 customers, +0.0 %."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    orders_id = pipeline.ingest(shop_csv(), "shop.csv", kind="orders", workspace=Workspace(tmp_path)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"orders": orders_id, "from": "2024-05-13", "to": "2024-05-26", "vs": "previous",
                            "lang": "zh"})
    at.run().switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["订单"] == ("21", "-25.0%")
    assert tiles["客户"] == ("10", "+0.0%")
    assert tiles["销售额"][1] == "-25.0%"
