"""AppTest: a large upload is shown from its head and cleaned by DuckDB (issue #19: "the app's own upload
still uses the Python reader"). The threshold is lowered so a small hand-made file counts as large:
120 order lines of 10.00 each (1,200.00), of which line 7 has no customer (set aside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import stream
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LINES = "".join(f"{i},P{i % 5},Item {i % 5},1,2024-03-{i % 28 + 1:02d} 10:00:00,10.00,{'' if i == 7 else 100 + i % 9},"
                f"United Kingdom\n" for i in range(1, 121))
ORDERS = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" + LINES).encode()
WITH_EMAIL = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country,Email\n" + "".join(
    line + f",c{i}@example.com\n" for i, line in enumerate(LINES.splitlines(), 1))).encode()


@pytest.fixture()
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    monkeypatch.setattr(stream, "STREAM_BYTES", 2_000)
    monkeypatch.setattr(stream, "HEAD_BYTES", 1_500)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run().switch_page("pages/data.py").run()
    return at


def confirm(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("A large file" in i.value and "come from its first 0 MB" in i.value for i in at.info)
    assert next(m for m in at.metric if m.label.startswith("Rows in the first")).value != "120"  # the head only
    next(b for b in at.button if b.label == "Confirm and clean").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_large_upload_is_cleaned_by_duckdb(page, tmp_path):
    at = confirm(page, "orders.csv", ORDERS)
    flash = next(s.value for s in at.success)
    assert "120 rows in, 119 kept, 1 set aside with a reason. Read by DuckDB, streaming." in flash
    stored = Workspace(tmp_path / "ws").list_datasets()
    assert len(stored) == 1 and int(stored["rows_clean"].iloc[0]) == 119
    assert Workspace(tmp_path / "ws").load_clean(stored["dataset_id"].iloc[0])["amount"].sum() == pytest.approx(1190.0)


def test_a_large_upload_with_personal_data_falls_back_to_python_and_says_why(page, tmp_path):
    at = confirm(page, "orders_email.csv", WITH_EMAIL)
    flash = next(s.value for s in at.success)
    assert "120 rows in, 119 kept" in flash
    assert "The file is read by the Python path because the file has personal-data columns" in flash

