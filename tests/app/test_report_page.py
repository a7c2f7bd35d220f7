"""AppTest of the Report page: the HTML has the sections and charts, and no customer ids."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.pipeline import ingest
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


def loaded_customers(home, orders_id: str) -> list[str]:
    return list(Workspace(home).load_clean(orders_id)["customer_id"].dropna().astype(str).unique())


def test_report_includes_forecast_and_recommendations_without_customer_ids(tmp_path, monkeypatch):
    from ecom_analytics import pipeline
    from ecom_analytics.sample import SAMPLE_ORDERS

    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    orders_id = pipeline.ensure_dataset(SAMPLE_ORDERS.read_bytes(), SAMPLE_ORDERS.name, Workspace(home), kind="orders",
                                        name="Sample orders")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["orders"] = orders_id
    at.run()
    at.switch_page("pages/report.py").run()
    next(b for b in at.button if b.label == "Build the report").click().run()
    assert not at.exception and not at.error
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
