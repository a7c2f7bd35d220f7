"""The streaming ingest trims text with a plain trim() (no test of the ends around it): the kept and
quarantined rows must stay those of the Python path for values with ASCII white space at either end,
empty once trimmed, or none, in columns the rules read and in columns only the output reads."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.ingest import pipeline, stream
from ecom_analytics.ingest.readers import read_file_bytes
from ecom_analytics.store import Workspace

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
PADS = ["", " ", "\t", "\x0b", "\x0c", "  \t "]


def _lines(n: int) -> list[str]:
    out = []
    for i in range(n):
        a, b = PADS[i % len(PADS)], PADS[(i // len(PADS)) % len(PADS)]
        customer = f"{a}{17000 + i % 40}{b}" if i % 97 else f"{a}{b}"  # some lines white space only: missing
        country = f"{b}United Kingdom{a}" if i % 5 else f"{a}France"
        stock = f"{a}P{i % 13}{b}"
        name = f"{b}Item {i % 13}{a}" if i % 11 else f"{a}{b}"  # some names empty once trimmed
        out.append(f"{600 + i // 4},{stock},{name},{1 + i % 3},2024-03-{1 + i % 28:02d} 10:{i % 60:02d}:00,"
                   f"{2.5 + i % 7},{customer},{country}")
    return out


def test_white_space_at_the_ends_is_read_alike_on_both_paths(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join(_lines(3000)) + "\n", encoding="utf-8")
    sql_ws, py_ws = Workspace(tmp_path / "sql"), Workspace(tmp_path / "py")
    sql = stream.ingest_file(path, sql_ws)
    py = pipeline.ingest(read_file_bytes(path, max_bytes=None), path.name, workspace=py_ws, max_bytes=None)
    assert sql.report["cleaning"]["rules"] == py.report["cleaning"]["rules"]
    clean = sql_ws.load_clean(sql.dataset_id)
    pd.testing.assert_frame_equal(clean, py_ws.load_clean(py.dataset_id))
    quarantine = py_ws.load_quarantine(py.dataset_id)
    pd.testing.assert_frame_equal(sql_ws.load_quarantine(sql.dataset_id)[quarantine.columns], quarantine)
    # trimmed as Python's str.strip() would: no white space left at the ends, empty names missing
    for column in ("customer_id", "country", "product_id", "product_name"):
        values = clean[column].dropna()
        assert (values == values.str.strip()).all() and (values != "").all()
    assert clean["product_name"].isna().any() and set(clean["country"]) == {"United Kingdom", "France"}
