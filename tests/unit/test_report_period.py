"""The report of a period (issue #21: the sidebar's period followed by the Report page and the
``report`` command): key figures, sales and segments of the chosen days, the header naming both the
days and the data's own period, the file name carrying the days. Hand-built shop of
tests/app/test_period_pages.py: February and March hold a 20 + b 30 + b 40 + c 50 + d 7 + e 9 = 156.00
in 6 orders of 5 customers."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.ingest import pipeline
from ecom_analytics.report.html import build_report, period_line, report_file_name
from ecom_analytics.report.sections import report_content
from ecom_analytics.store import Workspace
from tests.app.test_period_pages import ORDERS

FEB_MAR = (dt.date(2024, 2, 1), dt.date(2024, 3, 31))


@pytest.fixture()
def shop(tmp_path):
    ws = Workspace(tmp_path)
    dataset_id = pipeline.ingest(ORDERS, "orders.csv", kind="orders", workspace=ws).dataset_id
    return ws.dataset(dataset_id), ws.load_clean(dataset_id)


def test_the_key_figures_and_segments_of_a_period(shop):
    info, orders = shop
    whole = report_content(title="R", dataset=info, orders=orders).arguments
    assert whole["kpis"]["revenue"] == pytest.approx(171.0) and whole["kpis"]["orders"] == 8
    feb = report_content(title="R", dataset=info, orders=orders, period=FEB_MAR).arguments
    assert feb["kpis"]["revenue"] == pytest.approx(156.0)
    assert feb["kpis"]["orders"] == 6 and feb["kpis"]["customers"] == 5
    assert feb["segments"]["customers"].sum() == 5
    assert feb["dataset"]["period"][0] == pd.Timestamp("2024-01-05")  # the data's own first day stays


def test_the_header_and_file_name_name_the_days(shop):
    info, orders = shop
    feb = report_content(title="R", dataset=info, orders=orders, period=FEB_MAR).arguments
    line = ("Sales and segments from 2024-02-01 to 2024-03-31; the data runs from 2024-01-05 to 2024-03-31, and "
            "the model, forecast, recommendations and lifetime value use all of it.")
    assert period_line(feb["dataset"], "en") == line
    assert line in build_report(**feb)
    assert "2024年2月1日 至 2024年3月31日" in period_line(feb["dataset"], "zh")
    assert report_file_name(feb["dataset"], datetime(2026, 12, 7), "pdf") == \
        "ecom_analytics_report_orders_2024-02-01_to_2024-03-31_2026-12-07.pdf"


def test_a_period_without_orders_is_refused_in_one_sentence(shop):
    info, orders = shop
    with pytest.raises(InputError, match="No orders from 2024-04-02 to 2024-04-30"):
        report_content(title="R", dataset=info, orders=orders, period=(dt.date(2024, 4, 2), dt.date(2024, 4, 30)))


def test_the_report_command_takes_the_same_days(tmp_path, capsys):
    from ecom_analytics.cli import main

    source = tmp_path / "orders.csv"
    source.write_bytes(ORDERS)
    out = tmp_path / "r.html"
    assert main(["report", "--orders", str(source), "--from", "2024-02-01", "--to", "2024-03-31", "--without",
                 "forecast,recommend,clv", "--home", str(tmp_path / "ws"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Sales and segments from 2024-02-01 to 2024-03-31; the data runs from 2024-01-05 to 2024-03-31" in text
    assert "156.00" in text
    assert main(["report", "--orders", str(source), "--to", "2024-01-31", "--without", "forecast,recommend,clv",
                 "--home", str(tmp_path / "ws"), "--out", str(out)]) == 0  # from the first order's day
    assert "Sales and segments from 2024-01-05 to 2024-01-31" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "--orders", str(source), "--from", "2024-03-01", "--to", "2024-02-01",
                 "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == \
        "error: --from 2024-03-01 is after --to 2024-02-01; give the first day first."
    assert main(["report", "--orders", str(source), "--from", "2024-06-01", "--without", "forecast,recommend,clv",
                 "--home", str(tmp_path / "ws"), "--out", str(out)]) == 2
    assert "No orders from 2024-06-01 to 2024-03-31" in capsys.readouterr().err
