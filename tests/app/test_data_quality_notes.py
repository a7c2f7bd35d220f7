"""Data quality's reading notes are worded from their codes (issue #18 item 3): in Chinese for a
single file and for joined tables, a warning marked by its severity, and a dataset stored before
notes were coded still shows its sentences."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline, tables
from ecom_analytics.store import Workspace
from tests.fixtures import OLIST

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PROBLEMS = ("order;customer;date;qty;price\n1;A;25/03/2024 10:00;2;49,90\n2;B;26/03/2024 11:30;x;1.299,00\n"
            "3;C;27/03/2024 12:15;1;3,50;extra\n4;D;28/03/2024 09:00;3;12,00\n").encode()


def notes_shown(home: Path, dataset_id: str, lang: str | None = None) -> list[str]:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["orders"] = dataset_id
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return [m.value for m in at.markdown if m.value.startswith("- ")]


def test_single_file_notes_in_english_and_chinese(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    dataset_id = pipeline.ingest(PROBLEMS, "problems.csv", kind="orders", workspace=Workspace(home)).dataset_id
    english = notes_shown(home, dataset_id)
    assert english[:4] == [
        "- :material/warning: 1 line(s) had a different number of fields than the header; they are kept in the "
        "quarantine as 'malformed line'.",
        "- timestamp: day and month order read as DD/MM/YYYY HH:mm",
        "- unit_price: read with a decimal comma (e.g. 49,90 = 49.90)",
        "- amount = quantity x unit_price"]
    assert notes_shown(home, dataset_id, "zh")[:4] == [
        "- :material/warning: 1 行的字段数与表头不一致；这些行已放入隔离区，原因标记为“malformed_line”。",
        "- timestamp：日和月的顺序按 DD/MM/YYYY HH:mm 读取",
        "- unit_price：按小数逗号读取（例如 49,90 = 49.90）",
        "- amount 按 quantity × unit_price 计算"]


def test_a_report_without_coded_notes_shows_its_sentences(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    ws = Workspace(home)
    result = pipeline.process(pipeline.prepare(PROBLEMS, "old.csv", kind="orders"), salt=ws.salt())
    del result.report["coded_notes"]  # as stored before notes were coded
    pipeline.store(result, pipeline.prepare(PROBLEMS, "old.csv", kind="orders"), ws)
    assert notes_shown(home, result.dataset_id, "zh")[1] == "- timestamp：日和月的顺序按 DD/MM/YYYY HH:mm 读取"


def test_joined_tables_notes_in_chinese(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    files = [(text.encode(), name) for name, text in OLIST.items()]
    result = tables.ingest_tables(files, workspace=Workspace(home))
    shown = notes_shown(home, result.dataset_id, "zh")
    coded = result.report["tables"]["notes"]
    assert len(shown) >= len(coded) > 3
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in shown[:len(coded)])  # every line worded
    assert any("\\_" in line for line in shown[:len(coded)])  # from the codes: file names escaped for Markdown
    warnings = [n for n in coded if n["severity"] != "info"]
    assert sum(line.startswith("- :material/warning:") for line in shown[:len(coded)]) == len(warnings)
