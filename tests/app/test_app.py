"""AppTest: the pages as an analyst uses them, on a small hand-computed orders file.

Fixture (8 lines): lines 1-4 are clean (revenue 10 + 3 + 5 + 12 = 30, orders 1, 2, 3,
customers 100 and 200, customer 100 ordered twice); line 5 is a C-invoice cancellation (-5),
line 6 has no customer (5), line 7 repeats line 4 exactly (12), line 8 has a zero price (0).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

ORDERS = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "1,A,Apple,2,2024-01-01 10:00,5.00,100,United Kingdom\n"
    "1,B,Bread,1,2024-01-01 10:00,3.00,100,United Kingdom\n"
    "2,A,Apple,1,2024-01-08 09:00,5.00,100,United Kingdom\n"
    "3,B,Bread,4,2024-01-09 12:00,3.00,200,France\n"
    "C4,A,Apple,-1,2024-01-10 12:00,5.00,200,France\n"
    "5,A,Apple,1,2024-01-11 12:00,5.00,,United Kingdom\n"
    "3,B,Bread,4,2024-01-09 12:00,3.00,200,France\n"
    "6,B,Bread,1,2024-01-12 12:00,0,300,Germany\n"
).encode()

TIMEOUT = 60


@pytest.fixture()
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def upload_and_confirm(at: AppTest, data: bytes, name: str) -> AppTest:
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    confirm = next(b for b in at.button if b.label == "Confirm and clean")
    confirm.click().run()
    assert not at.exception
    return at


def test_home_explains_and_offers_sample(app):
    assert app.title[0].value == "Ecom Analytics"
    assert any(b.label == "Load the sample data" for b in app.button)
    assert not app.error


def test_upload_confirm_then_quality_and_overview_show_hand_computed_figures(app):
    at = upload_and_confirm(app, ORDERS, "orders.csv")
    assert any("8 rows in, 4 kept, 4 set aside" in s.value for s in at.success)
    dataset_id = at.session_state["orders_id"]
    assert len(dataset_id) == 16
    assert at.query_params["orders"] == [dataset_id] or at.query_params["orders"] == dataset_id

    at.switch_page("pages/data_quality.py").run()
    assert not at.exception
    m = metrics(at)
    assert m["Rows in"] == "8"
    assert m["Rows kept"] == "4"
    assert m["Rows set aside"] == "4"
    assert m["Revenue in"] == "42.00"
    assert m["Revenue kept"] == "30.00"
    assert any("Reconciled" in s.value for s in at.success)
    rules = at.dataframe[0].value.set_index("rule")
    assert rules.loc["duplicate", "quarantined"] == 1
    assert rules.loc["missing_customer", "quarantined"] == 1
    assert rules.loc["cancellation", "quarantined"] == 1
    assert rules.loc["non_positive_price", "quarantined"] == 1
    quarantine = at.dataframe[1].value
    assert sorted(quarantine["source_line"]) == [6, 7, 8, 9]

    at.switch_page("pages/overview.py").run()
    assert not at.exception
    m = metrics(at)
    assert m["Revenue"] == "30.00"
    assert m["Orders"] == "3"
    assert m["Customers"] == "2"
    assert m["Average order value"] == "10.00"
    assert m["Repeat customers"] == "50.0%"

    at.toggle(key="ov_anonymous").set_value(True).run()
    m = metrics(at)
    assert m["Revenue"] == "35.00"
    assert m["Orders"] == "4"
    assert m["Customers"] == "2"


def test_mapping_override_changes_the_dataset(app):
    at = app.switch_page("pages/data.py").run()
    at.file_uploader[0].set_value(("orders.csv", ORDERS, "text/csv")).run()
    country = next(s for s in at.selectbox if s.label == "country")
    assert country.value == "Country"
    country.set_value("(not in this file)").run()
    next(b for b in at.button if b.label == "Confirm and clean").click().run()
    assert not at.exception
    at.switch_page("pages/overview.py").run()
    countries = at.dataframe[1].value
    assert list(countries["country"]) == ["Unknown"]


@pytest.mark.parametrize("name,data,words", [
    ("empty.csv", b"", "empty"),
    ("picture.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    ("two.csv", b"colour,size\nred,1\nblue,2\n", "No column was recognised"),
])
def test_bad_files_get_a_sentence_and_keep_loaded_data(app, name, data, words):
    at = upload_and_confirm(app, ORDERS, "orders.csv")
    loaded = at.session_state["orders_id"]
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    confirm = [b for b in at.button if b.label == "Confirm and clean"]
    if confirm and not confirm[0].disabled:
        confirm[0].click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert words in messages
    assert at.session_state["orders_id"] == loaded


def test_link_with_unknown_or_malformed_id_is_refused_kindly(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    for bad in ["../../etc/passwd", "' OR 1=1 --", "0123456789abcdef", "x" * 10_000]:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["orders"] = bad
        at.run()
        assert not at.exception
        assert any("not in this workspace" in w.value for w in at.warning)
        assert "orders_id" not in at.session_state or at.session_state["orders_id"] is None


def test_overview_reopens_from_link_in_a_new_session(app):
    at = upload_and_confirm(app, ORDERS, "orders.csv")
    dataset_id = at.session_state["orders_id"]
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    fresh.query_params["orders"] = dataset_id
    fresh.run()
    fresh.switch_page("pages/overview.py").run()
    assert not fresh.exception
    assert metrics(fresh)["Revenue"] == "30.00"
