"""Readers (ecom_analytics.ingest.readers): containers, encodings, delimiters, headers, malformed
lines, and the clear refusal of files that are not tables."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.readers import read_table
from tests import fixtures as F


def test_plain_csv_is_read_as_strings_with_header_and_line_numbers():
    t = read_table(F.online_retail_csv(), "online_retail.csv")
    d = t.describe()
    assert (d["format"], d["encoding"], d["delimiter"], d["header"], d["compression"]) == (
        "csv", "utf-8", "comma", True, None)
    assert list(t.frame.columns) == F.ONLINE_RETAIL_HEADER
    assert len(t.frame) == 10
    # cells are kept as written: text, missing as NA, no value interpreted
    assert t.frame.loc[0, "InvoiceDate"] == "12/1/2010 8:26"
    assert t.frame.loc[0, "CustomerID"] == "17850"
    assert pd.isna(t.frame.loc[5, "CustomerID"])
    assert list(t.frame.attrs["line_numbers"]) == list(range(2, 12))
    assert t.bad_lines == []


def test_tsv_reads_the_same_table_as_the_csv():
    tsv = read_table(F.online_retail_tsv(), "online_retail.tsv")
    csv_ = read_table(F.online_retail_csv(), "online_retail.csv")
    assert tsv.describe()["format"] == "tsv" and tsv.describe()["delimiter"] == "tab"
    pd.testing.assert_frame_equal(tsv.frame, csv_.frame)


def test_whitespace_separated_text_with_leading_spaces():
    t = read_table(F.whitespace_orders_txt(), "dump.txt")
    assert t.file_format == "whitespace"
    assert list(t.frame.columns) == ["CustomerID", "InvoiceNo", "InvoiceDate", "StockCode", "Quantity", "UnitPrice"]
    assert len(t.frame) == 5
    assert t.frame.iloc[0].tolist() == ["10001", "900001", "20240301", "A100", "2", "3.00"]


@pytest.mark.parametrize("name, wrap, compression, source", [
    ("online_retail.csv.gz", F.gzip_bytes, "gzip", "online_retail.csv"),
    ("online_retail.zip", lambda b: F.zip_bytes(b, "export/online_retail.csv"), "zip", "online_retail.zip:online_retail.csv"),
])
def test_compressed_csv_reads_like_the_plain_file(name, wrap, compression, source):
    t = read_table(wrap(F.online_retail_csv()), name)
    assert t.compression == compression
    assert t.source_name == source
    pd.testing.assert_frame_equal(t.frame, read_table(F.online_retail_csv(), "x.csv").frame)


def test_zip_with_several_files_reads_the_largest_and_says_so():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "exported by the shop\n")
        zf.writestr("orders.csv", F.online_retail_csv())
    t = read_table(buf.getvalue(), "export.zip")
    assert len(t.frame) == 10
    assert any("orders.csv" in n.english() and "readme.txt" in n.english() for n in t.notes)


def test_xlsx_keeps_excel_types():
    t = read_table(F.online_retail_ii_xlsx(), "online_retail_II.xlsx")
    assert t.file_format == "xlsx" and t.has_header
    assert list(t.frame.columns) == F.ONLINE_RETAIL_II_HEADER
    assert len(t.frame) == 5
    assert pd.api.types.is_datetime64_any_dtype(t.frame["InvoiceDate"])
    assert t.frame["Price"].tolist() == [6.95, 6.75, 2.55, 2.95, 5.45]
    assert list(t.frame.attrs["line_numbers"]) == [2, 3, 4, 5, 6]


def test_parquet_keeps_column_types():
    t = read_table(F.orders_parquet(), "orders.parquet")
    assert t.file_format == "parquet"
    assert list(t.frame.columns) == F.ONLINE_RETAIL_HEADER
    assert pd.api.types.is_datetime64_any_dtype(t.frame["InvoiceDate"])
    assert t.frame["Quantity"].sum() == 6 + 6 + 24 + 1 - 1 + 1 + 3 + 12 + 24 + 10


@pytest.mark.parametrize("data, encoding", [
    (F.chinese_orders_gbk_csv(), "gb18030"),
    (F.chinese_orders_utf8_bom_csv(), "utf-8-sig"),
])
def test_chinese_headers_in_gbk_and_utf8_with_bom(data, encoding):
    t = read_table(data, "订单.csv")
    assert t.encoding == encoding
    # no byte-order mark glued to the first header, no mojibake
    assert list(t.frame.columns) == F.CHINESE_HEADER
    assert t.frame["商品名称"].tolist() == ["保温杯", "茶叶礼盒", "数据线", "保温杯"]
    assert t.frame.loc[1, "单价"] == "￥1,299.00"  # the comma inside a value does not split it


def test_latin1_file_with_pound_prices():
    t = read_table(F.latin1_orders_csv(), "orders.csv")
    assert t.encoding in ("cp1252", "latin-1")
    assert t.frame["Country"].tolist() == ["United Kingdom", "Côte d'Ivoire", "United Kingdom"]
    assert t.frame["UnitPrice"].tolist() == ["£3.75", "£3.75", "£3.00"]


@pytest.mark.parametrize("city", ["München", "Zürich", "Straße", "Crème brûlée", "Besançon"])
def test_latin1_words_are_not_mistaken_for_chinese(city):
    # GB18030 decodes these bytes too ('München' -> 'M黱chen'): the text must not be garbled
    data = f"CustomerID;InvoiceDate;City;Amount\n1;2024-01-01;{city};3,50\n2;2024-01-02;{city};4,00\n".encode("latin-1")
    t = read_table(data, "kunden.csv")
    assert t.encoding in ("cp1252", "latin-1")
    assert t.frame["City"].tolist() == [city, city]


def test_semicolon_file_with_decimal_commas_is_split_on_semicolons():
    t = read_table(F.european_orders_csv(), "bestellungen.csv")
    assert t.delimiter == ";"
    assert t.frame.shape == (4, 7)
    assert t.frame["Price"].tolist() == ["R$ 49,90", "1.299,00 €", "5,50 €", "0,99 €"]


def test_utf16_text_is_decoded():
    data = "CustomerID,InvoiceDate,Quantity,UnitPrice\n1,2024-01-01,1,2.50\n".encode("utf-16")
    t = read_table(data, "export.csv")
    assert t.encoding == "utf-16"
    assert list(t.frame.columns) == ["CustomerID", "InvoiceDate", "Quantity", "UnitPrice"]


def test_file_without_header_keeps_its_first_line_as_data():
    t = read_table(F.tianchi_userbehavior_csv(), "UserBehavior.csv")
    assert t.has_header is False
    assert list(t.frame.columns) == [f"column_{i}" for i in range(1, 6)]
    assert len(t.frame) == 12
    assert t.frame.iloc[0].tolist() == ["1", "2268318", "2520377", "pv", "1511544070"]
    assert list(t.frame.attrs["line_numbers"])[:2] == [1, 2]


# ----------------------------------------------------------------------------- malformed lines

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
GOOD = '536365,85123A,"HEART, WHITE",6,2010-12-01 08:26,2.55,17850,United Kingdom\n'


def test_line_with_an_extra_field_is_set_aside_not_lost():
    extra = "536367,22633,HAND WARMER,6,2010-12-01 08:28,1.85,17850,United Kingdom,EXTRA\n"
    t = read_table((HEADER + GOOD + extra + GOOD).encode(), "x.csv")
    assert len(t.frame) == 2
    assert t.bad_lines == [(3, extra.strip())]
    assert list(t.frame.attrs["line_numbers"]) == [2, 4]
    assert any("different number of fields" in n.english() for n in t.notes)


def test_line_with_a_missing_field_is_set_aside_not_read_under_the_wrong_headers():
    # the customer id is missing without its comma: 'United Kingdom' would become the customer
    short = "536366,85123A,HEART,6,2010-12-01 08:26,2.55,United Kingdom\n"
    empty_last = "536368,85123A,HEART,6,2010-12-01 08:26,2.55,17850,\n"  # 8 fields, last one empty: fine
    t = read_table((HEADER + GOOD + short + GOOD + empty_last).encode(), "x.csv")
    assert t.bad_lines == [(3, short.strip())]
    assert t.frame["CustomerID"].tolist() == ["17850"] * 3
    assert "United Kingdom" not in t.frame["CustomerID"].tolist()
    assert list(t.frame.attrs["line_numbers"]) == [2, 4, 5]


def test_short_line_in_a_file_without_quotes_and_empty_last_cells():
    # RetailRocket-like: the last column is empty on most lines; one line lost a field
    data = F.retailrocket_events_csv().replace(b"1433221999827,111016,view,", b"1433221999827,111016view,")
    t = read_table(data, "events.csv")
    assert t.bad_lines == [(4, "1433221999827,111016view,318965,")]
    assert len(t.frame) == 7
    assert read_table(F.retailrocket_events_csv(), "events.csv").bad_lines == []


def test_long_and_short_lines_together_are_each_counted_once():
    short = "536366,85123A,HEART,6,2010-12-01 08:26,2.55,United Kingdom\n"
    extra = "536367,22633,HAND WARMER,6,2010-12-01 08:28,1.85,17850,United Kingdom,EXTRA\n"
    t = read_table((HEADER + GOOD + short + "\n" + extra + GOOD).encode(), "x.csv")
    assert [n for n, _ in t.bad_lines] == [3, 5]
    assert len(t.frame) == 2
    assert list(t.frame.attrs["line_numbers"]) == [2, 6]


def test_header_with_a_trailing_separator_does_not_make_every_line_malformed():
    t = read_table((HEADER.replace("\n", ",\n") + GOOD + GOOD).encode(), "x.csv")
    assert t.bad_lines == []
    assert len(t.frame) == 2


# ----------------------------------------------------------------------------- bad input

def _refusal(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read_table(data, name, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_empty_file():
    message = _refusal(b"", "orders.csv")
    assert "'orders.csv' is empty" in message


def test_file_of_blank_lines():
    assert "only blank lines" in _refusal(b"\n \n\t\n", "orders.csv")


def test_binary_file():
    message = _refusal(F.binary_bytes(), "orders.csv")
    assert "binary" in message and "not a table" in message


@pytest.mark.parametrize("data, what", [
    (F.png_bytes(), "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "JPEG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
])
def test_image_or_document_renamed_csv(data, what):
    message = _refusal(data, "photo.csv")
    assert what in message and "CSV" in message


def test_single_column_file():
    message = _refusal(b"email\na@x.com\nb@y.com\n", "list.csv")
    assert "single column" in message


def test_header_without_rows():
    assert "no data rows" in _refusal(HEADER.encode(), "orders.csv")


def test_file_above_the_upload_limit_names_both_sizes():
    data = F.online_retail_csv()
    message = _refusal(data, "orders.csv", max_bytes=100)
    assert "above the 100 bytes upload limit" in message
    assert f"{len(data):,} bytes" in message
    assert "ECOM_ANALYTICS_MAX_UPLOAD_MB" in message


def test_upload_limit_in_megabytes_is_not_rounded_to_zero():
    # MB of 1024 * 1024 bytes, as Streamlit's uploader counts them: 2,600,000 bytes are 2.5 MB
    message = _refusal(b"x" * 2_600_000, "orders.csv", max_bytes=1024 * 1024)
    assert "2.5 MB" in message and "the 1 MB upload limit" in message


def test_truncated_gz():
    data = F.gzip_bytes(F.online_retail_csv() * 5)
    assert "cannot be decompressed" in _refusal(data[: len(data) // 2], "orders.csv.gz")


@pytest.mark.parametrize("where", [0.1, 0.5])
def test_corrupted_gz(where):
    data = bytearray(F.gzip_bytes(F.online_retail_csv() * 20))
    start = int(len(data) * where)
    data[start:start + 8] = bytes(b ^ 0xFF for b in data[start:start + 8])
    assert "cannot be decompressed" in _refusal(bytes(data), "orders.csv.gz")


def test_damaged_zip():
    data = F.zip_bytes(F.online_retail_csv() * 20)
    assert "damaged" in _refusal(data[:30], "orders.zip")
    corrupted = bytearray(data)
    corrupted[60:68] = bytes(b ^ 0xFF for b in corrupted[60:68])
    assert "damaged" in _refusal(bytes(corrupted), "orders.zip")


def test_damaged_xlsx():
    message = _refusal(F.zip_bytes(b"not a workbook", "xl/workbook.xml"), "orders.xlsx")
    assert "Excel workbook" in message


def test_two_column_file_that_is_not_orders_is_refused_with_what_is_missing():
    prepared = pipeline.prepare(F.two_column_csv(), "weather.csv")
    assert prepared.mapping.as_dict() == {}  # neither column is guessed to be a customer id
    with pytest.raises(InputError) as info:
        pipeline.process(prepared)
    message = str(info.value)
    assert "customer_id" in message and "timestamp" in message and "right file" in message


def test_file_without_customer_column_is_refused():
    prepared = pipeline.prepare(F.no_customer_csv(), "lines.csv")
    with pytest.raises(InputError) as info:
        pipeline.process(prepared)
    # every line has its own time: the refusal offers it as the key of each sale (a till's export)
    assert "no customer column and no order number" in str(info.value)
    assert "--map customer_id=InvoiceDate" in str(info.value)


def test_file_without_date_column_is_refused():
    data = b"CustomerID,InvoiceNo,Quantity,UnitPrice\n1,A1,2,3.00\n2,A2,1,5.00\n3,A3,4,2.50\n"
    with pytest.raises(InputError) as info:
        pipeline.process(pipeline.prepare(data, "no_dates.csv"))
    assert "No column was recognised for timestamp" in str(info.value)


def test_date_column_that_never_reads_as_a_date_is_refused():
    data = b"CustomerID,InvoiceDate,Quantity,UnitPrice\n1,soon,2,3.00\n2,later,1,5.00\n"
    prepared = pipeline.prepare(data, "orders.csv")
    with pytest.raises(InputError) as info:
        pipeline.process(prepared, prepared.mapping.override(timestamp="InvoiceDate"))
    assert "could be read as a date" in str(info.value)
