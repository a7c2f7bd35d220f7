"""AppTest of the Report page: the HTML has the sections and charts, and no customer ids."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest.pipeline import ingest
from ecom_analytics.store import Workspace
from tests.fixtures import online_retail_csv

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_report_has_sections_charts_and_no_customer_ids(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    result = ingest(online_retail_csv(), "orders.csv", workspace=Workspace(home))
    customers = set(result.cleaning.clean["customer_id"].dropna())
    assert customers

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["orders"] = result.dataset_id
    at.run()
    at.switch_page("pages/report.py").run()
    next(b for b in at.button if b.label == "Build the report").click().run()
    assert not at.exception
    html_text = at.session_state["rp_html"]
    # three weeks of orders are too short for an 8-week forecast: said, and the rest of the report still goes out
    assert any("not shorter than the history" in e.value for e in at.error)
    assert "<h2>Sales forecast</h2>" not in at.session_state["rp_html"]
    for section in ("<h2>Key figures</h2>", "<h2>Data cleaning</h2>", "<h2>Sales</h2>", "<h2>RFM segments</h2>",
                    "Reconciled."):
        assert section in html_text
    assert html_text.count("Plotly.newPlot") >= 4  # interactive charts
    assert "<script src=" not in html_text and len(html_text) > 1_000_000  # plotly.js embedded: opens offline
    for customer in customers:
        assert f">{customer}<" not in html_text and f'"{customer}"' not in html_text

    pdf = at.session_state["rp_pdf"]
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert [b.label for b in at.get("download_button")] == ["Download the report (HTML)", "Download the report (PDF)"]


def in_chart_json(text: str, html_text: str) -> bool:
    """A chart's text is in the page's chart scripts: Plotly's JSON writes it raw (with orjson installed)
    or as \\u escapes (standard json)."""
    import json
    import re

    scripts = "".join(re.findall(r"<script[^>]*>(.*?)</script>", html_text, flags=re.S))
    return text in scripts or json.dumps(text)[1:-1] in scripts


def loaded_customers(home, orders_id: str) -> list[str]:
    return list(Workspace(home).load_clean(orders_id)["customer_id"].dropna().astype(str).unique())


def build_sample_report(tmp_path, monkeypatch, lang: str | None = None,
                        off: tuple[str, ...] = ()) -> tuple[AppTest, Path, str]:
    """The Report page on the sample orders (in ``lang`` when given) after "Build the report", with
    the toggles named in ``off`` (e.g. "rp_forecast") switched off first."""
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.sample import SAMPLE_ORDERS

    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    orders_id = pipeline.ensure_dataset(SAMPLE_ORDERS.read_bytes(), SAMPLE_ORDERS.name, Workspace(home), kind="orders",
                                        name="Sample orders")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["orders"] = orders_id
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/report.py").run()
    for key in off:
        at.toggle(key=key).set_value(False)
    next(b for b in at.button if b.key == "rp_build").click().run()
    assert not at.exception and not at.error
    return at, home, orders_id


def test_report_includes_forecast_and_recommendations_without_customer_ids(tmp_path, monkeypatch):
    at, home, orders_id = build_sample_report(tmp_path, monkeypatch)
    html_text = at.session_state["rp_html"]
    assert "<h2>Sales forecast</h2>" in html_text and "in 80 % band" in html_text and "It expects" in html_text
    assert html_text.index("<h2>Sales forecast</h2>") < html_text.index("<h2>Product recommendations</h2>")
    assert "NDCG@10" in html_text and "it recommends most often" in html_text
    assert html_text.count("Plotly.newPlot") >= 6
    customers = set(loaded_customers(home, orders_id))
    assert len(customers) > 1000
    assert not [c for c in customers if f">{c}<" in html_text or f'"{c}"' in html_text or f" {c} " in html_text]
    pdf = at.session_state["rp_pdf"]
    assert pdf.startswith(b"%PDF")


def test_report_in_chinese_when_the_session_is_in_chinese(tmp_path, monkeypatch):
    """?lang=zh: the report's headings, notes, table headers and charts are in Chinese."""
    import re

    at, _, _ = build_sample_report(tmp_path, monkeypatch, lang="zh")
    html_text = at.session_state["rp_html"]
    assert '<html lang="zh-CN">' in html_text
    assert re.findall(r"<h2>(.*?)</h2>", html_text) == ["关键指标", "数据清洗", "销售", "RFM 分群", "销售额预测", "商品推荐",
                                                        "客户终身价值"]
    assert "<th>占终身价值比例</th>" in html_text and "预测价值最高的 10% 客户带来了实际消费的" in html_text
    assert in_chart_json("校准期结束后", html_text)
    assert "<th>落入 80% 区间</th>" in html_text and "<th>命中率@10</th>" in html_text and "它预计未来 8 周" in html_text
    assert "位客户）" in html_text and "用全部数据重新拟合后" in html_text
    for english in ("Key figures", "Reconciled.", "It expects", "in 80 % band", "hit rate@", "customers)"):
        assert english not in html_text
    # the charts were made in Chinese: their titles
    for title in ("每周销售额", "销售额最高的商品", "每周销售额：", "各模型 NDCG"):
        assert in_chart_json(title, html_text)
    pdf = at.session_state["rp_pdf"]
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


def test_chinese_report_with_a_trained_model(saved_run_home):
    """The model section in Chinese: heading, the page's note, leaderboard headers and model names, gain chart."""
    _, orders_id, _ = saved_run_home
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["orders"] = orders_id
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/report.py").run()
    assert at.toggle(key="rp_model").value  # a run exists: the model is in by default
    at.toggle(key="rp_forecast").set_value(False)
    at.toggle(key="rp_recs").set_value(False)
    next(b for b in at.button if b.key == "rp_build").click().run()
    assert not at.exception and not at.error
    html_text = at.session_state["rp_html"]
    assert "<h2>预测模型</h2>" in html_text and "Prediction model" not in html_text
    assert "<p>任务：购买（未来 30 天）；测试窗口始于 " in html_text and "最佳模型：" in html_text
    assert "<th>模型</th>" in html_text and "<td>逻辑回归</td>" in html_text
    assert "<td>Logistic regression</td>" not in html_text
    assert in_chart_json("随机投放", html_text)  # the gain chart's random line, in Chinese
    assert at.session_state["rp_pdf"].startswith(b"%PDF")


def test_report_has_the_customer_lifetime_value_without_customer_ids(tmp_path, monkeypatch):
    """The CLV section: the value by decile and the check on held-out orders, as the library computes
    them on the same rows with the Predictions page's defaults (12 months, 1 % a month); aggregates only."""
    from ecom_analytics.predict import clv
    from ecom_analytics.i18n import format_number

    at, home, orders_id = build_sample_report(tmp_path, monkeypatch, off=("rp_forecast", "rp_recs"))
    assert at.toggle(key="rp_clv").value  # in by default
    html_text = at.session_state["rp_html"]
    assert "<h2>Customer lifetime value</h2>" in html_text and "<h2>Sales forecast</h2>" not in html_text
    orders = Workspace(home).load_clean(orders_id)
    value = clv.run_clv(orders, None, "weeks", 12, 0.01)
    check = clv.run_clv(orders, clv.default_calibration_end(orders, 12), "weeks", 12, 0.01)
    total = format_number(value.customers["clv"].sum(), "en", 2)
    assert f"discounted at 1.0% a month: {total} from {len(value.customers):,} customers" in html_text
    assert clv.evaluation_reading(check.evaluation).replace("'", "&#x27;") in html_text
    assert "<th>Share of lifetime value</th>" in html_text
    deciles = clv.value_deciles(value.customers)
    assert f"<td>{format_number(deciles['clv'].iloc[0], 'en', 2)}</td>" in html_text
    assert in_chart_json("Predicted and actual spend over the", html_text)
    customers = set(loaded_customers(home, orders_id))
    assert not [c for c in customers if f">{c}<" in html_text or f'"{c}"' in html_text or f" {c} " in html_text]
    pdf = at.session_state["rp_pdf"]
    assert pdf.startswith(b"%PDF")
