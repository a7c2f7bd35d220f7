"""AppTest: the Forecast, Recommendations and Campaigns pages in Simplified Chinese (``?lang=zh``)
on the sample data, kept fast as their own AppTests are.

Bound widgets write their translated labels to the URL, so a Chinese link names the fast model
subsets in Chinese: the URL values below are the catalogue's translations of the English labels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.i18n import translate

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120


def zh(text: str) -> str:
    return translate(text, "zh")


def open_page(page: str, params: dict, monkeypatch, home: Path) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"lang": "zh", **params})
    at.run().switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_forecast_page_in_chinese(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    at = open_page("pages/forecast.py", {"orders": orders_id, "fc_models": [zh("Naive"), zh("Theta")], "fc_h": "4",
                                         "fc_windows": "2"}, monkeypatch, home)
    assert at.title[0].value == "销量预测"
    assert {s.value for s in at.subheader} >= {"销量预测", "回测", "库存"}
    assert {m.label for m in at.metric} >= {"提前期内需求", "安全库存", "再订货点"}
    readings = [c.value for c in at.caption if c.value.startswith("解读：")]
    assert len(readings) >= 4 and not any("Reading" in r for r in readings)
    assert set(at.dataframe[0].value["label"]) == {"朴素预测（最近一期值）", "Theta"}
    assert at.multiselect(key="fc_models").value == ["naive", "theta"]  # values stay language-independent


def test_recommendations_page_in_chinese(sample_orders_home, monkeypatch):
    home, orders_id = sample_orders_home
    models = [zh(m) for m in ("Popularity (recent)", "Item-item cosine", "EASE (linear item-item)")]
    at = open_page("pages/recommendations.py", {"orders": orders_id, "rec_models": models, "rec_k": "5"},
                   monkeypatch, home)
    assert at.title[0].value == "推荐"
    assert {s.value for s in at.subheader} >= {"排行榜", "按客户", "按商品", "全部客户"}
    assert any(c.value.startswith("解读：") and "NDCG@5" in c.value for c in at.caption)
    assert set(at.dataframe[0].value["label"]) == set(models)
    reasons = at.dataframe[2].value["reason"]  # leaderboard, the customer's history, their top 5
    assert len(reasons) == 5 and not reasons.str.contains("bought|similar|popular").any()


def test_campaigns_page_in_chinese(tmp_path, monkeypatch):
    at = open_page("pages/campaigns.py", {"cp_models": [zh("T-learner (gradient boosting)")]}, monkeypatch, tmp_path)
    assert at.title[0].value == "营销活动"
    assert [tab.label for tab in at.tabs] == ["效果", "检查", "分群", "增益与定向", "谁会响应"]
    readings = [c.value for c in at.caption if c.value.startswith("解读：")]
    assert any("提升了" in r and "95% 置信区间" in r for r in readings)
    assert any("Qini AUC" in r for r in readings)
    assert "对照组（No E-Mail）" in {m.label for m in at.metric}
    assert at.selectbox(key="cp_uplift_model").value == "t_learner"


def test_a_chinese_link_with_english_labels_keeps_its_choices(sample_orders_home, monkeypatch):
    """A link whose view settings hold English labels (made in English, then given ?lang=zh)
    opens with the same choices: the router relabels them before the widgets are drawn."""
    home, orders_id = sample_orders_home
    at = open_page("pages/forecast.py", {"orders": orders_id, "fc_models": ["Naive", "Theta"], "fc_h": "4",
                                         "fc_windows": "2", "fc_freq": "month"}, monkeypatch, home)
    assert at.multiselect(key="fc_models").value == ["naive", "theta"]
    assert at.segmented_control(key="fc_freq").value == "M"


def test_an_english_session_reads_a_link_with_chinese_labels(sample_orders_home, monkeypatch):
    """The other way round, on labels whose Chinese is shared by several English strings
    (月: Month, month, months; 神经网络: Neural network, Neural): each widget maps its own labels."""
    home, orders_id = sample_orders_home
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"orders": orders_id, "fc_models": [zh("Naive"), "Theta"], "fc_h": "4", "fc_windows": "2",
                            "fc_freq": zh("month")})
    at.run().switch_page("pages/forecast.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Forecast"
    assert at.multiselect(key="fc_models").value == ["naive", "theta"]
    assert at.segmented_control(key="fc_freq").value == "M"


def _raise_in_friendly_errors():
    import streamlit as st

    from ecom_analytics.errors import InputError
    from ecom_analytics.ui import widgets

    st.session_state["lang"] = st.query_params.get("lang", "en")
    with widgets.friendly_errors("Reading"):
        raise InputError("'report.pdf' is a PDF document, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or "
                         "Parquet export.")


@pytest.mark.parametrize("lang, expected", [
    ("zh", "“report.pdf”是一份 PDF 文档，不是数据表。请上传 CSV、TSV、文本、Excel（.xlsx）或 Parquet 格式的导出文件。"),
    ("en", "'report.pdf' is a PDF document, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet export."),
])
def test_a_library_message_is_shown_in_the_sessions_language(lang, expected):
    """The library raises its InputError in English; the page shows it in the session's language."""
    at = AppTest.from_function(_raise_in_friendly_errors, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [expected]
