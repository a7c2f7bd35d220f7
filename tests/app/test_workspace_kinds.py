"""The Workspace page lists every kind of dataset: a sales table and a saved campaign."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.campaign.data import save_campaign
from ecom_analytics.sample import sample_file
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_workspace_lists_orders_sales_and_campaign_datasets(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    ws = Workspace(home)
    sales = "ds,y\n" + "".join(f"2020-{m:02d}-01,{100 + m}\n" for m in range(1, 13))
    sales_id = pipeline.ensure_dataset(sales.encode(), "sales.csv", ws, kind="sales", name="Monthly sales")
    campaign_id = save_campaign(ws, sample_file("campaign_sample.csv.gz").read_bytes(), "campaign_sample.csv.gz")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/workspace.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert set(table["kind"]) >= {"sales", "campaign"}
    assert "Monthly sales" in set(table["name"]) and sales_id != campaign_id
    sales_row = table[table["kind"] == "sales"].iloc[0]
    assert sales_row["rows_in"] == 12 and sales_row["rows_clean"] == 12
