"""AppTest: the Data page's profile of an upload before mapping (issue #21), in English and Chinese."""

from __future__ import annotations

import hashlib

from tests.app.test_app import APP, ORDERS  # the 8-line hand-computed orders file

from streamlit.testing.v1 import AppTest


def upload(lang: str | None, tmp_path, monkeypatch, open_profile: bool = True) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py").run()
    if open_profile:  # the analyst opens the profile (its box is keyed by the file's digest)
        at.session_state[f"profile_{hashlib.sha256(ORDERS).hexdigest()[:12]}"] = True
    at.file_uploader[0].set_value(("orders.csv", ORDERS, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_closed_profile_is_not_computed(tmp_path, monkeypatch):
    at = upload(None, tmp_path, monkeypatch, open_profile=False)
    assert not [d for d in at.dataframe if "alerts" in d.value.columns]
    assert at.dataframe  # the preview is there


def test_profile_table_counts_the_upload(tmp_path, monkeypatch):
    at = upload(None, tmp_path, monkeypatch)
    profile = next(d.value for d in at.dataframe if "alerts" in d.value.columns).set_index("column")
    assert list(profile.index) == ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
                                   "CustomerID", "Country"]
    assert profile.loc["CustomerID", "missing"] == 1 / 8      # line 6 has no customer
    assert profile.loc["Country", "distinct"] == 3
    assert profile.loc["Country", "top"] == "United Kingdom (4) · France (3) · Germany (1)"
    assert profile.loc["InvoiceDate", "type"] == "date" and profile.loc["Quantity", "type"] == "number"
    assert at.get("plotly_chart")  # the chosen column's distribution


def test_profile_in_chinese(tmp_path, monkeypatch):
    at = upload("zh", tmp_path, monkeypatch)
    profile = next(d.value for d in at.dataframe if "alerts" in d.value.columns).set_index("column")
    assert profile.loc["InvoiceDate", "type"] == "日期"
