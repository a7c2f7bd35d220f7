"""``ingest`` of a large plain orders file takes the SQL path (ingest/stream.py) and prints the
same summary as the Python path; a file the SQL path does not read alike, or a request it does not
serve (a mapping, a time zone), goes to the Python path with the reason."""

from __future__ import annotations

import json

import pytest

from ecom_analytics.cli import main
from ecom_analytics.ingest import stream

from .test_scale_stream import HEADER, fixture_lines


@pytest.fixture()
def orders(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join(fixture_lines()) + "\n")
    return path


def ingest(path, home, out, *extra):
    assert main(["ingest", str(path), "--home", str(home), "--json", str(out), *extra]) == 0
    return json.loads(out.read_text())


def test_a_large_plain_file_takes_the_sql_path_with_the_python_paths_summary(orders, tmp_path, monkeypatch):
    python = ingest(orders, tmp_path / "py", tmp_path / "py.json")
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)  # every file is "large"
    sql = ingest(orders, tmp_path / "sql", tmp_path / "sql.json")
    assert sql["notes"][0].startswith("Read by the SQL path")
    same = {k: v for k, v in python.items() if k not in ("notes", "reader")}
    assert {k: sql[k] for k in same} == same
    assert sql["notes"][1:] == python["notes"]


def test_a_request_the_sql_path_does_not_serve_goes_to_the_python_path(orders, tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    mapped = ingest(orders, tmp_path / "a", tmp_path / "a.json", "--timezone", "Asia/Shanghai")
    assert not any("SQL path" in n for n in mapped["notes"])
    events = tmp_path / "events.csv"
    events.write_text("user_id,item_id,behavior_type,timestamp\n1,10,pv,2024-01-01 10:00:00\n2,11,buy,2024-01-02 11:00:00\n")
    summary = ingest(events, tmp_path / "b", tmp_path / "b.json")
    assert summary["kind"] == "events"
    assert any(n.startswith("The file is read by the Python path (") for n in summary["notes"])
