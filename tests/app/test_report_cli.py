"""The ``report`` command builds the Report page's report: the same sections, tables, notes and
charts for the same stored dataset (issue #18: report sections live in the library, so the CLI can
build a report)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.cli import main
from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def shop_csv(customers: int = 90, weeks: int = 52, seed: int = 7) -> bytes:
    """A year of orders of a small shop: repeat customers, 12 products, three countries."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-02")
    rows, invoice = [], 500000
    for c in range(customers):
        first = int(rng.integers(0, weeks * 7 - 60))
        for _ in range(1 + int(rng.poisson(4))):
            day = first + int(rng.integers(0, weeks * 7 - first))
            invoice += 1
            when = start + pd.Timedelta(days=day, hours=int(rng.integers(8, 20)))
            for _ in range(1 + int(rng.integers(0, 3))):
                p = int(rng.integers(0, 12))
                rows.append((invoice, f"P{p:02d}", f"PRODUCT {p}", int(rng.integers(1, 6)), f"{when:%Y-%m-%d %H:%M}",
                             f"{2.5 + p:.2f}", 12000 + c, ("United Kingdom", "France", "Germany")[c % 3]))
    frame = pd.DataFrame(rows, columns=["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                                        "UnitPrice", "CustomerID", "Country"])
    return frame.to_csv(index=False).encode()


def parts(html_text: str) -> dict:
    """What a report shows, without the time it was made: headings, notes, tables, chart count."""
    return {"headings": re.findall(r"<h2>(.*?)</h2>", html_text),
            "paragraphs": [p for p in re.findall(r"<p>(.*?)</p>", html_text, flags=re.S)],
            "tables": re.findall(r"<table.*?</table>", html_text, flags=re.S),
            "charts": html_text.count("Plotly.newPlot"),
            "title": re.findall(r"<h1>(.*?)</h1>", html_text)}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_report_has_the_pages_sections_tables_and_charts(tmp_path, monkeypatch, lang):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    orders_id = pipeline.ensure_dataset(shop_csv(), "shop.csv", Workspace(home), kind="orders", name="Shop")

    out = tmp_path / "report.html"
    assert main(["report", "--orders", orders_id, "--home", str(home), "--lang", lang, "--out", str(out)]) == 0
    cli = parts(out.read_text(encoding="utf-8"))

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["orders"] = orders_id
    if lang == "zh":
        at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/report.py").run()
    next(b for b in at.button if b.key == "rp_build").click().run()
    assert not at.exception and not at.error
    page = parts(at.session_state["rp_html"])

    expected = {"en": ["Key figures", "Data cleaning", "Sales", "RFM segments", "Sales forecast",
                       "Product recommendations", "Customer lifetime value"],
                "zh": ["关键指标", "数据清洗", "销售", "RFM 分群", "销售额预测", "商品推荐", "客户终身价值"]}[lang]
    assert cli["headings"] == page["headings"] == expected
    assert cli["title"] == page["title"]
    assert cli["charts"] == page["charts"] == 4 + 3  # sales, products, countries, RFM + forecast, recs, CLV check
    assert len(cli["tables"]) == 5 and cli["tables"] == page["tables"]  # every figure of every table, as shown
    # the period, the cleaning line and the sections' notes (the line saying when it was made is <p class=...>)
    assert len(cli["paragraphs"]) == 5 and cli["paragraphs"] == page["paragraphs"]


def test_the_cli_report_from_a_file_and_as_pdf(tmp_path, capsys):
    """A file is read and cleaned as the app does (not stored); --format follows the name; a history
    too short to forecast leaves that section out with a note, the rest of the report is written."""
    from tests.fixtures import online_retail_csv

    source = tmp_path / "orders.csv"
    source.write_bytes(online_retail_csv())
    out = tmp_path / "r.pdf"
    assert main(["report", "--orders", str(source), "--home", str(tmp_path / "ws"), "--without", "recommend,clv",
                 "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    said = capsys.readouterr()
    assert "note: the forecast section is left out" in said.err
    assert "PDF report of orders.csv" in said.out
    assert Workspace(tmp_path / "ws").list_datasets().empty  # a file is reported on, not stored

    html_out = tmp_path / "r.html"
    assert main(["report", "--orders", str(source), "--home", str(tmp_path / "ws"), "--without", "forecast,recommend,clv",
                 "--lang", "zh", "--title", "月报", "--out", str(html_out)]) == 0
    text = html_out.read_text(encoding="utf-8")
    assert parts(text)["headings"] == ["关键指标", "数据清洗", "销售", "RFM 分群"]
    assert "<h1>月报</h1>" in text and '<html lang="zh-CN">' in text


def test_the_cli_report_refuses_bad_input_in_one_sentence(tmp_path, capsys):
    assert main(["report", "--orders", "0123456789abcdef", "--home", str(tmp_path), "--out",
                 str(tmp_path / "r.html")]) == 2
    assert "is neither a file nor a dataset of the workspace" in capsys.readouterr().err
    source = tmp_path / "o.csv"
    source.write_text("customer,date,amount\nA,2024-01-01,5\n")
    assert main(["report", "--orders", str(source), "--without", "charts", "--out", str(tmp_path / "r.html")]) == 2
    assert "--without takes forecast, recommend, clv (got charts)." in capsys.readouterr().err
    assert main(["report", "--orders", str(source), "--out", str(tmp_path / "missing" / "r.html")]) == 2
    assert "the folder" in capsys.readouterr().err
