"""The report in the analyst's language: Chinese headings, KPI names, cleaning summary and table
headers in the HTML and the PDF, and the English report as it was."""

from __future__ import annotations

import re
import string
import warnings

import pandas as pd
import plotly.graph_objects as go
import pytest

from ecom_analytics import i18n
from ecom_analytics.report import pdf as report_pdf
from ecom_analytics.report.html import GENERATED, build_report, heading
from ecom_analytics.report.pdf import build_pdf_report

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def translated_strings(path: str) -> dict[str, int]:
    """The English strings a file words through t/translate/translate_in (their first text argument), by line."""
    import ast

    found = {}
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        position = {"t": 0, "translate": 0, "translate_in": 1}.get(name)
        if position is None or len(node.args) <= position:
            continue
        arg = node.args[position]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            found[arg.value] = node.lineno
    return found

DATASET = {"name": "shop.csv", "kind": "orders", "dataset_id": "0123456789abcdef",
           "report": {"cleaning": {"rows_in": 10, "rows_clean": 8, "rows_quarantined": 2, "revenue_in": 100.0,
                                   "revenue_clean": 90.0, "reconciles": True,
                                   "rules": [{"rule": "duplicate", "quarantined": 2, "matched": 2,
                                              "revenue_quarantined": 10.0,
                                              "description": "an exact copy of an earlier line"}]}}}
KPIS = {"revenue": 1234.5, "orders": 4, "customers": 2, "aov": 22.5, "repeat_rate": 0.5}
ENGLISH_HEADINGS = ["Key figures", "Data cleaning", "Sales", "RFM segments", "Prediction model"]
CHINESE_HEADINGS = ["关键指标", "数据清洗", "销售", "RFM 分群", "预测模型"]


def content(lang: str = "en") -> dict:
    chart = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout=dict(title="chart"))
    segments = pd.DataFrame({"segment": ["Champions"], "customers": [1234], "customer_share": [0.5],
                             "revenue": [70.0], "revenue_share": [0.7], "median_recency_days": [4.0],
                             "median_orders": [5.0]})
    board = pd.DataFrame({"model": ["neural", "logistic"], "label": ["Neural (Keras MLP)", "Logistic regression"],
                          "roc_auc": [0.75, 0.7], "pr_auc": [0.5, 0.4]})
    return dict(title="Report", dataset=DATASET, kpis=KPIS, charts=[chart], segments=segments, leaderboard=board,
                model_charts=[chart], model_note="", sections=[], **({} if lang == "en" else {"lang": lang}))


def headings(html_text: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", html_text)


def visible_text(html_text: str) -> str:
    """The report's text outside the charts (scripts, styles and Plotly's divs dropped)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html_text, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_chinese_report_has_chinese_headings_kpis_and_table_headers():
    html_text = build_report(**content("zh"))
    assert headings(html_text) == CHINESE_HEADINGS
    assert '<html lang="zh-CN">' in html_text
    for kpi in ("销售额", "订单", "客户", "客单价", "复购率"):
        assert f'<div class="kpi">{kpi}<b>' in html_text
    assert "<b>1,234.50</b>" in html_text and "<b>50.0%</b>" in html_text  # numbers as in English
    assert "输入 10 行 = 保留 8 行 + 隔离 2 行" in html_text and "已对平。" in html_text
    assert "年" in re.search(r'<p class="muted">(.*?)</p>', html_text).group(1)  # the date as Chinese writes it
    for header in ("规则", "隔离行数", "命中行数", "说明", "分群", "客户占比", "销售额占比", "模型"):
        assert f"<th>{header}</th>" in html_text
    assert "<td>重要价值客户</td>" in html_text and "<td>1,234</td>" in html_text  # segment name; count unchanged
    assert "<td>神经网络（Keras MLP）</td>" in html_text and "<td>与前面某行完全重复</td>" in html_text
    assert "<td>duplicate</td>" in html_text  # a rule's id is data, as on the Data quality page


def test_chinese_report_leaves_no_english_words_outside_the_data():
    text = visible_text(build_report(**content("zh")))
    for english in ("Key figures", "Data cleaning", "Reconciled", "Generated", "Amounts", "rows in", "Revenue",
                    "Champions", "revenue_share", "segment", "model"):
        assert english not in text
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+", text))
    # the data (file name, rule id, model name), product and metric names
    assert words <= {"Report", "shop", "csv", "abcdef", "Ecom", "Analytics", "UTC", "ID", "RFM", "duplicate", "Keras",
                     "MLP", "ROC", "AUC", "PR"}, words


def test_english_report_reads_as_words():
    html_text = build_report(**content())
    assert html_text.count("Plotly.newPlot") == 2
    assert headings(html_text) == ENGLISH_HEADINGS
    assert re.search(r'<p class="muted">Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC by Ecom Analytics from <b>shop.csv</b> '
                     r"\(orders, dataset id 0123456789abcdef\). Amounts in the export's currency.</p>", html_text)
    assert ("<p>10 rows in = 8 kept + 2 set aside; revenue 100.00 in, 90.00 kept. Reconciled.</p>" in html_text)
    assert '<div class="kpi">Average order value<b>22.50</b></div>' in html_text
    # headers a reader understands, not the code's column names (issue #21)
    for header in ("Rule", "Revenue set aside", "What it catches", "Segment", "Share of customers", "Median orders",
                   "Model", "ROC AUC"):
        assert f"<th>{header}</th>" in html_text
    for code in ("revenue_quarantined", "median_recency_days", "roc_auc", "customer_share"):
        assert f"<th>{code}</th>" not in html_text
    assert "<td>Champions</td>" in html_text and "<td>Neural (Keras MLP)</td>" in html_text
    assert '<html lang="en">' in html_text
    # an unknown language is English, as everywhere in the app
    assert headings(build_report(**content("fr"))) == ENGLISH_HEADINGS
    not_reconciled = {**DATASET, "report": {"cleaning": {**DATASET["report"]["cleaning"], "reconciles": False}}}
    assert "Does NOT reconcile." in build_report(**{**content(), "dataset": not_reconciled})
    assert "无法对平" in build_report(**{**content("zh"), "dataset": not_reconciled})


def test_section_tables_get_chinese_headers():
    table = pd.DataFrame({"model": ["Theta"], "MASE": ["0.95"], "in 80 % band": ["83%"]})
    html_text = build_report(**{**content("zh"), "sections": [("销售额预测", [], table, "一条说明")]})
    assert "<h2>销售额预测</h2>" in html_text and "<p>一条说明</p>" in html_text
    assert "<th>落入 80% 区间</th>" in html_text and "<th>MASE</th>" in html_text


def test_report_texts_have_chinese_translations_with_the_same_placeholders():
    zh = i18n.catalogue("zh")
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    keys = {GENERATED: "GENERATED"}
    for path in ("ecom_analytics/report/html.py", "ecom_analytics/report/pdf.py", "ecom_analytics/report/sections.py",
                 "ecom_analytics/ui/report_sections.py", "pages/report.py"):
        keys.update(translated_strings(path))
    missing = [k for k in keys if not zh.get(k, "").strip()]
    assert not missing
    assert [k for k in keys if fields(zh[k]) != fields(k)] == []
    assert [heading(h, "zh") for h in ENGLISH_HEADINGS] == CHINESE_HEADINGS
    assert [heading(h, "en") for h in ENGLISH_HEADINGS] == ENGLISH_HEADINGS
    assert i18n.translate("Sales", "zh") == "销售表"  # the table kind keeps its own word


def test_chinese_pdf_builds_with_a_cjk_font_when_one_is_installed():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = build_pdf_report(**content("zh"))
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    # summary + sales chart + segments + the leaderboard with the model chart below it, as in English
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 4
    assert not [w for w in caught if "missing from font" in str(w.message)]
    font = report_pdf.cjk_font()
    if font is None:
        pytest.skip("no CJK font on this machine (fonts-noto-cjk): the PDF was built without one")
    assert font.replace(" ", "").encode()[:8] in pdf.replace(b" ", b"")  # the font is embedded


def test_chinese_pdf_still_builds_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(report_pdf, "cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = build_pdf_report(**content("zh"))
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 4
    assert not [w for w in caught if "missing from font" in str(w.message)]  # boxes, without a warning per glyph


def test_pdf_text_helpers_wrap_and_shorten_chinese():
    assert report_pdf._shorten("an exact copy of an earlier line", 20) == "an exact copy [...]"  # as textwrap
    assert report_pdf._shorten("很长的中文商品名称" * 10, 20) == "很长的中文商品名称…"
    wrapped = report_pdf._wrap("用全部数据重新拟合后，它最常推荐：HOT WATER BOTTLE（1,170 位客户）；" * 3, 40)
    lines = wrapped.split("\n")
    assert len(lines) > 3 and all(report_pdf._width(line) <= 41 for line in lines)
    assert not any(line.startswith(("，", "；", "）")) for line in lines)
    assert "HOT WATER BOTTLE" in wrapped.replace("\n", " ")
    assert report_pdf._wrap("plain English text", 150) == "plain English text"


def test_pdf_date_axes_in_chinese_order():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ecom_analytics.charts import insights as charts
    from ecom_analytics.report.pdf import draw_figure

    periods = pd.date_range("2011-01-03", periods=40, freq="W-MON")
    series = pd.DataFrame({"period": periods, "revenue": range(40), "orders": range(40), "customers": range(40)})
    ticks = {}
    for lang in ("zh", "en"):
        fig, ax = plt.subplots(figsize=(8, 3))
        draw_figure(charts.sales_over_time_chart(series, lang=lang), ax, lang)
        fig.canvas.draw()
        ticks[lang] = [t.get_text() for t in ax.get_xticklabels()]
        plt.close(fig)
    assert ticks["zh"][:2] == ["2011年1月", "2011年2月"]
    assert ticks["en"][:2] == ["2011-01", "2011-02"]


def test_the_period_and_the_file_name_say_what_the_report_covers():
    from datetime import datetime

    from ecom_analytics.report.html import report_file_name

    dataset = {**content()["dataset"], "period": (pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2011-12-09 12:50"))}
    html_text = build_report(**{**content(), "dataset": dataset})
    assert "<p><b>Data from 2010-12-01 to 2011-12-09.</b></p>" in html_text
    chinese = build_report(**{**content("zh"), "dataset": dataset})
    assert "数据期间：2010年12月1日 至 2011年12月9日。" in chinese
    assert report_file_name(dataset, datetime(2026, 12, 7), "pdf") == "ecom_analytics_report_shop_2026-12-07.pdf"
