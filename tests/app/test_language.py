"""AppTest: the interface in Simplified Chinese through ``?lang=zh``, the sidebar switch and the share link.

Orders (3 lines, 2024): customer 100 buys on 01-05 (2 x 5.00) and 02-10 (5.00), customer 200 on
01-20 (3.00): revenue 18.00, 3 orders, 2 customers, repeat rate 50%.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60

ORDERS = pd.DataFrame({
    "InvoiceNo": [1, 2, 3], "StockCode": ["A", "B", "A"], "Description": ["Apple", "Bread", "Apple"],
    "Quantity": [2, 1, 1], "InvoiceDate": ["2024-01-05 10:00", "2024-01-20 11:00", "2024-02-10 09:00"],
    "UnitPrice": [5.0, 3.0, 5.0], "CustomerID": [100, 200, 100], "Country": ["United Kingdom", "France", "United Kingdom"],
}).to_csv(index=False).encode()


@pytest.fixture()
def orders_id(tmp_path, monkeypatch) -> str:
    """The orders above, stored in a fresh workspace the app opens."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    workspace = Workspace(tmp_path / "ws")
    return pipeline.ingest(ORDERS, "orders.csv", kind="orders", workspace=workspace).dataset_id


def open_app(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def param(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) and value else value


def share_link(at: AppTest) -> str:
    """The query string of the sidebar's share link (AppTest has no page URL, so the link box is
    empty there; the link is that URL plus exactly these parameters, see widgets.share_link)."""
    from urllib.parse import urlencode

    return urlencode({k: param(at, k) for k in at.query_params})


def test_home_in_chinese_from_the_link(orders_id):
    at = open_app({"lang": "zh"})
    assert at.title[0].value == "Ecom Analytics 电商分析"
    assert [s.value for s in at.subheader] == ["一键试用", "你将得到"]
    assert any(b.label == "加载示例数据" for b in at.button)
    assert at.sidebar.selectbox(key="lang_box").value == "zh"
    assert not at.error


def test_overview_in_chinese_with_chinese_numbers_and_dates(orders_id):
    at = open_app({"lang": "zh", "orders": orders_id})
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "概览"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {"销售额": "18.00", "订单": "3", "客户": "2", "客单价": "6.00", "复购率": "50.0%"}
    assert any("订单时间 2024年1月5日 至 2024年2月10日" in c.value for c in at.caption)
    assert at.toggle(key="ov_anonymous").label == "包含无客户 ID 的销售"
    assert not at.error


def test_switching_the_sidebar_language_changes_the_url_and_the_page(orders_id):
    at = open_app({"orders": orders_id})
    assert at.title[0].value == "Ecom Analytics"
    assert param(at, "lang") is None                   # English is the default: no parameter
    at.sidebar.selectbox(key="lang_box").set_value("zh").run()
    assert not at.exception
    assert param(at, "lang") == "zh"
    assert at.title[0].value == "Ecom Analytics 电商分析"
    assert "lang=zh" in share_link(at) and f"orders={orders_id}" in share_link(at)
    at.sidebar.selectbox(key="lang_box").set_value("en").run()
    assert param(at, "lang") is None
    assert any(b.label == "Load the sample data" for b in at.button)


def test_a_link_made_in_chinese_reopens_the_same_view(orders_id):
    """Streamlit 1.67 writes a URL-bound option's shown label to the URL (the browser does it, so
    AppTest cannot see it): ``ov_freq=月`` in Chinese, ``ov_freq=Month`` in English. The link
    carries ``lang``, so the label is read in the language it was written in."""
    chinese = open_app({"lang": "zh", "orders": orders_id, "ov_freq": "月"})
    chinese.switch_page("pages/overview.py").run()
    assert chinese.title[0].value == "概览"
    assert chinese.segmented_control(key="ov_freq").value == "month"
    english = open_app({"orders": orders_id, "ov_freq": "Month"})
    english.switch_page("pages/overview.py").run()
    assert english.title[0].value == "Overview"
    assert english.segmented_control(key="ov_freq").value == "month"
    # the chosen view survives a language switch within the session
    english.sidebar.selectbox(key="lang_box").set_value("zh").run()
    assert english.title[0].value == "概览"
    assert english.segmented_control(key="ov_freq").value == "month"
    assert not english.exception


def test_an_unknown_language_opens_in_english_without_an_error():
    at = open_app({"lang": "fr"})
    assert at.title[0].value == "Ecom Analytics"
    assert not at.error and not at.warning


def test_data_quality_in_chinese_reconciles_with_chinese_money_words(orders_id):
    at = open_app({"lang": "zh", "orders": orders_id})
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["输入行数"] == "3" and tiles["保留行数"] == "3" and tiles["隔离行数"] == "0"
    assert tiles["输入销售额"] == "18.00"
    assert at.success[0].value.startswith("已对平：输入 3 行 = 保留 3 行 + 隔离 0 行；销售额 18.00 = 保留 18.00")
    rules = at.dataframe[0].value.set_index("rule")
    assert rules.loc["duplicate", "description"] == "与前面某行完全重复"


@pytest.mark.keras
def test_model_evaluation_and_predictions_in_chinese(tmp_path, monkeypatch):
    """A small run trained with ?lang=zh (the synthetic shop of tests/unit/test_training.py, 200
    customers): the leaderboard, the evaluation charts and the audiences read in Chinese."""
    import time

    from tests.fixtures import online_retail_export as online_retail_csv, synthetic_orders

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    data = online_retail_csv(synthetic_orders(n_customers=200))
    orders = pipeline.ingest(data, "shop.csv", kind="orders", workspace=Workspace(tmp_path / "ws")).dataset_id
    at = open_app({"lang": "zh", "orders": orders})
    at.switch_page("pages/model.py").run()
    at.number_input(key="md_epochs").set_value(2)
    at.text_input(key="md_layers").set_value("8")
    at.run()
    at.button(key="md_train").click().run()
    deadline = time.monotonic() + 120
    while "模型排行榜（测试窗口）" not in [s.value for s in at.subheader]:
        assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
        assert time.monotonic() < deadline, "training did not finish within 120 s"
        time.sleep(1)
        at.run()
    assert "神经网络（Keras MLP）" in set(at.dataframe[0].value["label"])
    assert any(s.value.startswith("训练于 ") for s in at.success)

    at.switch_page("pages/evaluation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "模型评估"
    assert any(c.value.startswith("AUC 为 ") for c in at.caption)

    at.switch_page("pages/predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["已打分客户"] == "200" and tiles["高购买意向客户"] == "20"  # top 10 % of 200
    shown = at.dataframe[0].value
    from ecom_analytics.i18n import translate as tr
    from ecom_analytics.insights.segments import SEGMENTS

    assert shown["segment"].notna().any()  # segment names on screen in Chinese
    assert set(shown["segment"].dropna()) <= {tr(s, "zh") for s in SEGMENTS}, set(shown["segment"].dropna())
