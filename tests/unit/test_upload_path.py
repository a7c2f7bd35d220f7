"""ecom_analytics.ingest.upload: which uploads are large, their head, and the temporary file's name."""

from __future__ import annotations

import gzip

from ecom_analytics.ingest import stream, upload


def test_large_text_uploads_only(monkeypatch):
    monkeypatch.setattr(stream, "STREAM_BYTES", 10)
    assert upload.is_large(b"x" * 11, "orders.csv") and upload.is_large(b"x" * 11, "ORDERS.TSV.GZ")
    assert not upload.is_large(b"x" * 10, "orders.csv")  # at the threshold: small
    assert not upload.is_large(b"x" * 11, "orders.xlsx") and not upload.is_large(b"x" * 11, "orders.zip")


def test_the_head_ends_after_a_whole_line_plain_or_gzipped():
    text = b"a,b\n1,2\n3,4\n5,6\n"
    assert upload.head_of(text, "f.csv", size=10) == b"a,b\n1,2\n"
    assert upload.head_of(gzip.compress(text), "f.csv.gz", size=10) == b"a,b\n1,2\n"
    assert upload.head_of(text, "f.csv", size=100) == text


def test_the_temporary_file_keeps_a_safe_form_of_the_name():
    assert upload._safe_name("../../etc/orders 2024.csv") == "orders_2024.csv"
    assert upload._safe_name("订单.csv.gz") == "订单.csv.gz"
    assert upload._safe_name("..") == "upload.csv"
    assert upload._safe_name("orders.exe") == "upload.csv"
