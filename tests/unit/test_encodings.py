"""The reader's encodings and reading gaps of issue #15, with hand-written expectations: the
GB18030 export with ¥/£ prices, GBK with “” and an accented letter, UTF-16 without a byte-order
mark, a 200,000-character field, and the encoding / delimiter / header overrides."""

from __future__ import annotations

import pytest

from ecom_analytics.ingest import pipeline, readers
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import propose_mapping
from ecom_analytics.ingest.readers import read_table

ISSUE_HEADER = ["订单号", "商品编码", "数量", "下单时间", "单价", "客户ID", "国家"]
ISSUE_ROWS = [
    ["100231", "A-1001", "2", "2024-03-01 10:15:00", "¥128.00", "C0091", "中国"],
    ["100232", "A-1002", "1", "2024-03-01 11:40:00", "£12.50", "C0107", "英国"],
    ["100233", "A-1001", "3", "2024-03-02 09:05:00", "¥128.00", "C0091", "中国"],
    ["100234", "B-2001", "1", "2024-03-02 18:30:00", "£7.99", "C0212", "英国"],
]


def _csv(header, rows, sep=",") -> str:
    return "\n".join(sep.join(r) for r in [header] + rows) + "\n"


def test_the_issue_gb18030_export_with_yen_and_pound_prices():
    data = _csv(ISSUE_HEADER, ISSUE_ROWS).encode("gb18030")
    assert "£".encode("gb18030") == b"\x81\x30\x84\x35"  # the four-byte sequence the issue names
    t = read_table(data, "订单.csv")
    assert t.encoding == "gb18030"
    assert list(t.frame.columns) == ["订单号", "商品编码", "数量", "下单时间", "单价", "客户ID", "国家"]
    assert t.frame["单价"].tolist() == ["¥128.00", "£12.50", "¥128.00", "£7.99"]
    assert t.frame["国家"].tolist() == ["中国", "英国", "中国", "英国"]
    assert t.encoding_confidence >= readers.LOW_CONFIDENCE
    assert not any("confidence" in n for n in t.notes)
    # more than the date is mapped now
    mapping = propose_mapping(t.frame).as_dict()
    assert mapping["customer_id"] == "客户ID" and mapping["quantity"] == "数量" and mapping["timestamp"] == "下单时间"


def test_gbk_names_with_curly_quotes_and_an_accented_letter():
    header = ["订单号", "商品名称", "数量", "下单时间", "单价", "客户ID"]
    rows = [["1", "“保温杯” 500ml", "2", "2024-03-01", "￥59.00", "C1"],
            ["2", "Café 咖啡杯", "1", "2024-03-02", "￥35.50", "C2"],
            ["3", "茶叶礼盒", "1", "2024-03-03", "￥199.00", "C1"]]
    t = read_table(_csv(header, rows).encode("gbk"), "orders.csv")
    assert t.encoding == "gb18030"  # GBK's superset, which decodes it the same way
    assert list(t.frame.columns) == ["订单号", "商品名称", "数量", "下单时间", "单价", "客户ID"]
    assert t.frame["商品名称"].tolist() == ["“保温杯” 500ml", "Café 咖啡杯", "茶叶礼盒"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_text(encoding):
    data = "CustomerID,InvoiceDate,Quantity,UnitPrice,城市\n1,2024-01-01,1,2.50,上海\n2,2024-01-02,3,4.00,München\n" \
        .encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    t = read_table(data, "export.csv")
    assert t.encoding == encoding
    assert list(t.frame.columns) == ["CustomerID", "InvoiceDate", "Quantity", "UnitPrice", "城市"]
    assert t.frame["城市"].tolist() == ["上海", "München"]


def test_a_binary_file_with_nul_bytes_is_still_refused():
    with pytest.raises(InputError, match="a binary file"):
        read_table(b"\x00\x01\x02\x03garbage\x00\x00\x17" * 50, "x.csv")


def test_a_200000_character_field_in_the_first_lines_does_not_hide_the_comma():
    long = "x" * 200_000
    text = "order_id,customer_id,date,note\n1,C1,2024-01-01,\"" + long + "\"\n2,C2,2024-01-02,short\n"
    t = read_table(text.encode(), "orders.csv")
    assert t.delimiter == ","
    assert list(t.frame.columns) == ["order_id", "customer_id", "date", "note"]
    assert len(t.frame.loc[0, "note"]) == 200_000 and t.frame.loc[1, "note"] == "short"


def test_legacy_single_byte_encodings():
    ru = _csv(["Номер заказа", "Клиент", "Дата", "Сумма"], [["1", "Иванов", "01.03.2024", "12,50"]], ";")
    pl = _csv(["Numer zamówienia", "Klient", "Data", "Wartość"], [["1", "Łódź", "01.03.2024", "12,50"]], ";")
    tr = _csv(["Sipariş No", "Müşteri", "Tarih", "Tutar"], [["1", "İstanbul", "01.03.2024", "12,50"]], ";")
    assert list(read_table(ru.encode("cp1251"), "x.csv").frame.columns) == ["Номер заказа", "Клиент", "Дата", "Сумма"]
    assert read_table(pl.encode("cp1250"), "x.csv").frame["Klient"].tolist() == ["Łódź"]
    assert read_table(tr.encode("cp1254"), "x.csv").frame["Müşteri"].tolist() == ["İstanbul"]


def test_cjk_legacy_encodings():
    cases = [("big5", ["訂單編號", "商品名稱", "數量"], "cp950"), ("shift_jis", ["注文番号", "商品名", "数量"], "cp932"),
             ("euc_kr", ["주문번호", "상품명", "수량"], "cp949")]
    for encoding, header, expected in cases:
        t = read_table(_csv(header, [["1", header[1], "2"], ["2", header[1] + "2", "1"]]).encode(encoding), "x.csv")
        assert (t.encoding, list(t.frame.columns)) == (expected, header)


# ----------------------------------------------------------------------------------- overrides

def test_an_encoding_given_is_used_as_is():
    data = _csv(["Kunde", "Stadt"], [["1", "Kraków"], ["2", "Łódź"]], ";").encode("cp1250")
    t = read_table(data, "x.csv", encoding="cp1252")  # wrong but decodable: the analyst's choice stands
    assert t.encoding == "cp1252" and t.encoding_confidence == 1.0
    assert t.frame["Stadt"].tolist() == ["Kraków", "£ódŸ"]


def test_an_encoding_that_cannot_decode_the_file_is_a_sentence():
    data = _csv(ISSUE_HEADER, ISSUE_ROWS).encode("gb18030")
    with pytest.raises(InputError) as err:
        read_table(data, "订单.csv", encoding="utf-8")
    assert str(err.value) == ("'订单.csv' cannot be read as utf-8: the bytes at position 0 are not valid in it. "
                              "Choose another encoding (the file looks like gb18030), or leave the encoding to be detected.")
    with pytest.raises(InputError, match="'klingon' is not a text encoding this app knows"):
        read_table(data, "x.csv", encoding="klingon")


@pytest.mark.parametrize("given, expected", [(",", ","), ("comma", ","), ("\t", "\t"), ("tab", "\t"), (";", ";"),
                                             ("Semicolon", ";"), ("|", "|"), ("pipe", "|"),
                                             ("whitespace", "whitespace"), ("space", "whitespace")])
def test_delimiter_names(given, expected):
    sep = {"whitespace": " "}.get(expected, expected)
    t = read_table(_csv(["a", "b"], [["1", "2"], ["3", "4"]], sep).encode(), "x.txt", delimiter=given)
    assert t.delimiter == expected and t.frame.shape == (2, 2)


def test_an_unknown_delimiter_and_the_header_override():
    data = b"a;b\n1;2\n"
    with pytest.raises(InputError, match="'colon' is not a delimiter this app reads"):
        read_table(data, "x.csv", delimiter="colon")
    t = read_table(data, "x.csv", has_header=False)
    assert list(t.frame.columns) == ["column_1", "column_2"] and t.frame.iloc[0].tolist() == ["a", "b"]


def test_prepare_passes_the_overrides_on():
    data = _csv(["Kunde", "Stadt"], [["1", "Kraków"], ["2", "Łódź"]], ";").encode("cp1250")
    p = pipeline.prepare(data, "x.csv", encoding="cp1250", delimiter="semicolon", has_header=False)
    assert (p.raw.encoding, p.raw.delimiter, p.raw.has_header) == ("cp1250", ";", False)
    assert p.raw.frame.iloc[2].tolist() == ["2", "Łódź"]


# ------------------------------------------------------------------------- confidence, fallback

def test_a_low_confidence_guess_says_so(monkeypatch):
    monkeypatch.setattr(readers, "guess_encoding", lambda data: readers.EncodingGuess("cp1252", 0.4, "cp1250"))
    t = read_table("a;b\n1;Kraków\n".encode("cp1252"), "x.csv")
    assert t.encoding_confidence == 0.4
    assert [n.english() for n in t.notes] == ["The text encoding was guessed as cp1252 with low confidence (40%). If "
                                              "names or letters look garbled, choose the encoding by hand."]
    assert (t.notes[0].code, t.notes[0].severity) == (readers.LOW_CONFIDENCE_NOTE, "warning")
    assert t.describe()["encoding_confidence"] == 0.4


def test_a_guess_from_the_sample_that_fails_later_falls_back_with_a_note(monkeypatch):
    monkeypatch.setattr(readers, "ENCODING_HEAD_BYTES", 200)
    monkeypatch.setattr(readers, "ENCODING_MIDDLE_BYTES", 50)
    lines = ["id,name"] + [f"{i},plain" for i in range(380)] + [f"{i},Café Crème" for i in range(380, 400)]
    data = ("\n".join(lines) + "\n").encode("cp1252")
    t = read_table(data, "x.csv")
    assert t.encoding == "cp1252"
    assert t.frame["name"].iloc[-1] == "Café Crème"
    assert len(t.notes) == 1 and "The start of the file reads as utf-8" in t.notes[0].english()


def test_detection_reads_a_sample_of_a_large_file():
    body = "".join(f"{i},Zürich,Straße {i}\n" for i in range(200_000)).encode("cp1252")
    sample = readers._encoding_sample(b"id,city,street\n" + body)
    assert len(sample) <= readers.ENCODING_HEAD_BYTES + readers.ENCODING_MIDDLE_BYTES
    assert sample.endswith(b"\n")
    assert readers.detect_encoding(b"id,city,street\n" + body) == "cp1252"
