"""The streaming ingest's file scan (SHA-256 and line count) starts before the plan and stops
when the file is not streamable, so a file the Python path reads is not read to its end twice."""

from __future__ import annotations

import hashlib
import threading

import pytest

from ecom_analytics.ingest import stream
from ecom_analytics.store import Workspace

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def _scans_alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ingest-file-scan" and t.is_alive()]


def test_the_scan_hashes_and_counts_the_whole_file(tmp_path):
    path = tmp_path / "orders.csv"
    data = (HEADER + "1,P,Item,1,2024-01-01 10:00:00,2.5,17000,France\n" * 5000).encode()
    path.write_bytes(data)
    scan = stream._FileScan(path)
    scan.start()
    done = scan.result()
    assert (done.sha256, done.newlines, done.ends_with_newline) == (hashlib.sha256(data).hexdigest(), 5001, True)


def test_a_cancelled_scan_stops_before_the_end(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x,y\n" * (40 * 1024 * 1024 // 4))  # 40 MB: five blocks of 8 MB
    scan = stream._FileScan(path)
    scan._cancelled.set()  # cancelled before its first block
    scan.start()
    scan.join()
    assert scan.newlines == 0 and scan.sha256 == ""
    with pytest.raises(RuntimeError, match="cancelled"):
        scan.result()


@pytest.mark.parametrize("head, reason", [(b"\xef\xbb\xbf" + HEADER.encode(), "byte-order mark"),
                                          (b"just,a,table\n1,2,3\n", "well-formed lines")])
def test_a_file_the_plan_rejects_leaves_no_scan_running(tmp_path, head, reason):
    path = tmp_path / "orders.csv"
    path.write_bytes(head + b"1,P,Item,1,2024-01-01 10:00:00,2.5,17000,France\n" * 2000)
    with pytest.raises(stream.NotStreamable, match=reason):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))
    assert not _scans_alive()


def test_a_file_rejected_after_the_read_leaves_no_scan_running(tmp_path):
    path = tmp_path / "orders.csv"
    lines = ["1,P,Item,1,2024-01-01 10:00:00,2.5,17000,France"] * 50 + ["2,P,Item,1,12/01/2024 10:00,2.5,17000,France"]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(stream.NotStreamable, match="read differently"):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))
    assert not _scans_alive()


def test_lines_of_only_separators_take_the_python_path_which_skips_them(tmp_path):
    path = tmp_path / "orders.csv"
    lines = ["1,P,Item,1,2024-01-01 10:00:00,2.5,17000,France"] * 50 + [",,,,,,,"]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(stream.NotStreamable, match="only separators"):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))
    assert not _scans_alive()
