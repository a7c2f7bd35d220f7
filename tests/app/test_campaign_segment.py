"""AppTest: a saved segment narrows the Campaigns page's targeting list (issue #21). The sample campaign's
customers are C000001...; the current orders give C000001 5.00, C000002 10.00 and C000003 20.00, and the
saved segment "Big spenders" (revenue_total >= 10) holds C000002 and C000003: the list keeps only those."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.insights.segment_builder import save_segment
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SHOP = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "1,P1,Blue mug,1,2024-02-04 10:00,5.00,C000001,France\n"
        "2,P2,Red lamp,1,2024-02-05 10:00,10.00,C000002,France\n"
        "3,P1,Blue mug,1,2024-02-06 10:00,20.00,C000003,France\n").encode()


def test_the_targeting_list_of_a_saved_segment(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    orders_id = pipeline.ingest(SHOP, "shop.csv", kind="orders", workspace=Workspace(tmp_path)).dataset_id
    save_segment(tmp_path, "Big spenders", "revenue_total >= 10", orders_id, 2)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"orders": orders_id, "cp_models": ["T-learner (gradient boosting)"],
                            "cp_audience_segment": "Big spenders"})
    at.run().switch_page("pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    listed = next(d.value for d in at.dataframe if "predicted_uplift" in d.value.columns)
    assert sorted(listed["customer_id"]) == ["C000002", "C000003"]
    said = next(c.value for c in at.caption if "customers of the targeting list are in Big spenders" in c.value)
    assert said.startswith("2 of the ")
