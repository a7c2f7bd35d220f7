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


def test_a_damaged_gz_upload_is_refused_in_one_sentence():
    import pytest

    from ecom_analytics.errors import InputError

    with pytest.raises(InputError, match="'bad.csv.gz' looks like a .gz file but cannot be decompressed"):
        upload.head_of(b"\x1f\x8b" + bytes(range(200)) * 20, "bad.csv.gz")


def test_the_temporary_file_keeps_a_safe_form_of_the_name():
    assert upload._safe_name("../../etc/orders 2024.csv") == "orders_2024.csv"
    assert upload._safe_name("订单.csv.gz") == "订单.csv.gz"
    assert upload._safe_name("..") == "upload.csv"
    assert upload._safe_name("orders.exe") == "upload.csv"


def test_the_reason_for_the_python_path_is_a_coded_note_worded_in_chinese(tmp_path):
    """A large upload with personal-data columns takes the Python path; the reason is stream.py's coded note,
    so the success box reads it in Chinese, with no English left; the English stays for the CLI."""
    from ecom_analytics.i18n import translate
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.store import Workspace

    text = ("InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice,Email\n" + "".join(
        f"{i},2024-03-{i % 28 + 1:02d} 10:00:00,{100 + i % 7},1,10.00,c{i}@example.com\n" for i in range(1, 200))).encode()
    proposed = upload.prepare_head(text, "orders.csv").mapping
    stream_limit = stream.STREAM_BYTES
    try:
        stream.STREAM_BYTES = 100
        result, note = upload.ingest_upload(text, "orders.csv", Workspace(tmp_path), mapping=proposed,
                                            proposed=proposed)
    finally:
        stream.STREAM_BYTES = stream_limit
    assert result.report["cleaning"]["rows_clean"] == 199 and isinstance(result, pipeline.IngestResult)
    assert note.english() == ("The file is read by the Python path because the file has personal-data columns "
                              "(pseudonymised by the Python path).")
    assert translate(note, "zh") == "该文件改由 Python 路径读取，原因：文件含有个人数据列（由 Python 路径做假名化处理）。"
