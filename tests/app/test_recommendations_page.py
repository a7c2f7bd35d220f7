"""AppTest: the Recommendations page on the sample orders (real Online Retail subset, 2010-12 to 2011-12).

To keep the runs fast the URL asks for three quick models (popularity, item-item cosine, EASE).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120
FAST = {"rec_models": ["Popularity (recent)", "Item-item cosine", "EASE (linear item-item)"], "rec_k": "5"}


@pytest.fixture
def open_page(sample_orders_home, monkeypatch):
    """Open the Recommendations page through app.py with the sample orders and extra URL parameters."""
    home, orders_id = sample_orders_home
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))

    def run(**params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params.update({"orders": orders_id, **FAST, **params})
        at.run().switch_page("pages/recommendations.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def test_the_horizon_link_key_and_the_old_one(open_page):
    """One name per concept: the horizon's link key is rec_horizon; an old link (rec_h) opens with its
    horizon once and the old key leaves the link."""
    at = open_page(rec_h="20")
    assert at.number_input(key="rec_horizon").value == 20 and "rec_h" not in at.query_params
    assert at.query_params.get("rec_horizon") in ("20", ["20"])  # a share link made now keeps it
    assert any("in the 20 days after" in c.value for c in at.caption)


def test_leaderboard_customer_and_product_views(open_page):
    at = open_page()
    assert not at.error, [e.value for e in at.error]
    board = at.dataframe[0].value
    assert set(board["label"]) == {"Popularity (recent)", "Item-item cosine", "EASE (linear item-item)"}
    assert board["ndcg"].is_monotonic_decreasing and board["hit_rate"].between(0, 1).all()
    assert any(c.value.startswith("Reading:") for c in at.caption)
    top = at.dataframe[2].value  # history, then the customer's top K
    assert len(top) == 5 and top["reason"].str.len().gt(0).all()
    history = at.dataframe[1].value
    assert not set(top["product_id"]) & set(history.loc[history["purchases"] > 0, "product_id"])
    assert len(at.dataframe) >= 5  # bought together and similar products
    assert at.get("download_button")


def test_unknown_customer_and_product_get_a_message_and_popular_products(open_page):
    at = open_page(rec_customer="NO-SUCH-CUSTOMER", rec_product="NO-SUCH-PRODUCT")
    warnings = [w.value for w in at.warning]
    assert any("Customer NO-SUCH-CUSTOMER is not in the data" in w for w in warnings), warnings
    assert any("Product NO-SUCH-PRODUCT is not in the data" in w for w in warnings), warnings
    top = at.dataframe[2].value
    assert len(top) == 5 and (top["reason"] == "popular this month").all()
    popular = at.dataframe[3].value  # instead of bought-together and similar products
    assert popular["product_id"].tolist() == top["product_id"].tolist()


def test_empty_state_links_to_data(monkeypatch, tmp_path):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/recommendations.py").run()
    assert not at.exception
    assert any("No orders loaded" in i.value for i in at.info), [i.value for i in at.info]
