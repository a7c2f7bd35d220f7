"""Reader fixes from the third held-out round (realC): each shape written by hand here, not the real file.

* A small Japanese Shift-JIS (cp932) export was read as Korean (cp949): Shift-JIS kanji and kana
  (lead bytes 0x81-0x9F) read in cp949 as the rare Hangul syllables of its extension, which were
  weighed as common ones.
* A near tie between CJK readings of a very short file ('날짜,금액' reads as '朝楼,陛咀' in GB18030,
  every character common) goes to the reading whose first lines hold header words.
* A Korean tax-invoice list (Hometax) starts with a title line padded with commas to the table's
  width; it was taken as the header. Lines that fill one or a few cells above a full header are skipped.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest import readers
from tests.fixtures import sheet_bytes

#: a daily sales table by branch and department, as a Japanese till or spreadsheet saves it (CRLF)
JP_SALES = ("日付,支店,部門,売上金額,メモ\r\n"
            "2025-11-03,渋谷店,文具,45200,\r\n"
            "2025-11-03,横浜店,雑貨,38100,値引\r\n"
            "2025-11-04,渋谷店,雑貨,51000,\r\n"
            "2025-11-04,通販,文具,22900,送料込\r\n")


def test_small_shift_jis_sales_file_is_read_as_cp932():
    raw = readers.read_table(JP_SALES.encode("cp932"), "uriage.csv")
    assert raw.encoding == "cp932"
    assert list(raw.frame.columns) == ["日付", "支店", "部門", "売上金額", "メモ"]
    assert raw.frame["支店"].tolist() == ["渋谷店", "横浜店", "渋谷店", "通販"]
    assert raw.encoding_confidence == 1.0


@pytest.mark.parametrize("text", ["日付,店舗,売上\r\n2025-11-03,新宿店,1000\r\n",
                                  "注文番号,顧客,金額\n1,山田,100\n"])
def test_two_line_shift_jis_file_is_japanese(text):
    assert readers.guess_encoding(text.encode("cp932")).encoding == "cp932"


def test_shift_jis_bytes_read_as_cp949_are_rare_hangul():
    data = JP_SALES.encode("cp932")
    as_korean = data.decode("cp949")  # decodes without error: '볷븊,...'
    assert readers._plausibility(as_korean, "cp949") < readers._plausibility(data.decode("cp932"), "cp932") - 0.3
    # each of those syllables lies outside KS X 1001 (cp949's extension): weighed as rare
    assert readers._char_weight("볷", "cp949", {}) < 1.0
    assert readers._char_weight("매", "cp949", {}) == 1.0  # a KS X 1001 syllable stays common


@pytest.mark.parametrize("text", ["일자,거래처명,합계\n2026-01-01,서울상사,100\n",
                                  "작성일자,승인번호,합계금액\n2026-01-01,1,100\n"])
def test_korean_files_stay_korean(text):
    assert readers.guess_encoding(text.encode("cp949")).encoding == "cp949"


@pytest.mark.parametrize("text, encoding", [
    ("날짜,매장,매출\n2026-01-01,강남점,100\n", "cp949"),
    ("주문번호,고객,금액\n1,김철수,100\n", "cp949"),
    ("품목명,수량\n녹차,3\n", "cp949"),
    ("날짜,금액\n1,2\n", "cp949"),
    ("日期,金额\n1,2\n", "gb18030"),
    ("订单号,客户,金额\n1,张三,100\n", "gb18030"),
    ("日付,売上\n2026-04-01,100\n", "cp932"),
])
def test_a_short_cjk_file_goes_to_the_reading_with_header_words(text, encoding):
    guess = readers.guess_encoding(text.encode(encoding))
    assert guess.encoding == encoding
    assert guess.confidence >= readers.LOW_CONFIDENCE  # no warning: the words decided


def test_header_words_break_only_near_ties_between_cjk_readings():
    texts = {"cp949": "날짜,금액", "gb18030": "朝楼,陛咀", "cp1252": "x"}
    assert readers._cjk_by_header_words([(1.05, "gb18030"), (1.0, "cp949")], texts) == "cp949"
    assert readers._cjk_by_header_words([(1.05, "gb18030"), (0.8, "cp949")], texts) is None  # not a near tie
    assert readers._cjk_by_header_words([(1.05, "cp1252"), (1.0, "cp949")], texts) is None  # best is not CJK
    assert readers._cjk_by_header_words([(1.0, "gb18030"), (1.0, "cp949")],
                                        {"cp949": "머그컵,2", "gb18030": "概厘,2"}) is None  # no header words


#: a sales invoice list under its report title; the title row also names a group of columns
#: ('품목 정보' over the item columns), as a two-level header does; amounts quoted with thousands separators
TITLED = ("세금계산서 발행 목록,,,,,품목 정보,,\n"
          "작성일자,승인번호,거래처,합계금액,세액,품목명,품목수량,품목단가\n"
          '2025-09-30,20250930-001,가나상사,"1,100,000","100,000",시약 A,2,"500,000"\n'
          '2025-09-28,20250928-002,다라병원,"330,000","30,000",시약 B,1,"300,000"\n'
          '2025-09-15,20250915-003,가나상사,"55,000","5,000",튜브,10,"5,000"\n')


def test_title_line_above_the_header_is_skipped():
    raw = readers.read_table(TITLED.encode("utf-8-sig"), "invoices.csv")
    assert list(raw.frame.columns) == ["작성일자", "승인번호", "거래처", "합계금액", "세액", "품목명", "품목수량",
                                       "품목단가"]
    assert raw.frame["합계금액"].tolist() == ["1,100,000", "330,000", "55,000"]
    assert raw.frame.attrs["line_numbers"].tolist() == [3, 4, 5]
    assert raw.skipped_lines == 1
    assert [n.params for n in raw.notes if n.code == readers.PREAMBLE_NOTE] == [{"header": 2}]
    assert "header was read from line 2" in raw.describe()["notes"][0]


def test_several_title_lines_unpadded_with_a_blank_line():
    text = ("Sales report\n"
            "Period:,2025-09-01 to 2025-09-30\n"
            "\n"
            "Order,Date,Customer,Product,Qty,Amount\n"
            "A-1,2025-09-02,c1,Mug,2,20.00\n"
            "A-2,2025-09-03,c2,Tray,1,35.50\n"
            "A-3,2025-09-03,c1,Vase,1,12.00\n"
            "A-4,2025-09-04,c3,Mug,3,30.00,extra\n"
            "A-5,2025-09-05,c2,Towel,2,9.00\n")
    raw = readers.read_table(text.encode(), "report.csv")
    assert list(raw.frame.columns) == ["Order", "Date", "Customer", "Product", "Qty", "Amount"]
    assert raw.frame["Order"].tolist() == ["A-1", "A-2", "A-3", "A-5"]
    assert raw.frame.attrs["line_numbers"].tolist() == [5, 6, 7, 9]
    assert raw.bad_lines == [(8, "A-4,2025-09-04,c3,Mug,3,30.00,extra")]  # its line in the file
    assert raw.skipped_lines == 3
    assert [n.params for n in raw.notes if n.code == readers.PREAMBLE_NOTE] == [{"header": 4}]
    good = readers.read_table(text.replace(",extra", "").encode(), "report.csv")
    assert good.frame.attrs["line_numbers"].tolist() == [5, 6, 7, 8, 9]


def test_title_in_a_legacy_encoding_is_cut_from_the_bytes():
    raw = readers.read_table(TITLED.encode("cp949"), "invoices.csv")
    assert raw.encoding == "cp949"
    assert list(raw.frame.columns)[:4] == ["작성일자", "승인번호", "거래처", "합계금액"]
    assert raw.frame["거래처"].tolist() == ["가나상사", "다라병원", "가나상사"]


@pytest.mark.parametrize("text", [
    # a header that leaves some names blank is still the first line
    "order,date,,amount\nA1,2025-01-01,x,10\nA2,2025-01-02,y,20\nA3,2025-01-02,z,30\n",
    # no header: a sparse first row of data is data (the row under it holds dates and numbers)
    "A1,,,\nA2,2025-01-02,y,20\nA3,2025-01-02,z,30\nA4,2025-01-03,z,40\n",
    # a full first line over sparse rows
    "id,name,note,code\n1,a,,\n2,b,,\n3,c,,\n",
])
def test_first_line_stays_when_it_is_not_a_title(text):
    raw = readers.read_table(text.encode(), "t.csv")
    assert raw.skipped_lines == 0
    assert not [n for n in raw.notes if n.code == readers.PREAMBLE_NOTE]
    assert len(raw.frame) + int(raw.has_header) == 4


def test_no_header_option_keeps_every_line():
    raw = readers.read_table(TITLED.encode(), "invoices.csv", has_header=False)
    assert raw.skipped_lines == 0 and len(raw.frame) == 5


def test_preamble_rows_counts_the_title_rows():
    full = ["date", "order", "customer", "amount", "qty"]
    data = [["2025-01-01", "A1", "c1", "10", "1"], ["2025-01-02", "A2", "c2", "20", "2"]]
    assert readers.preamble_rows([full] + data) == 0
    assert readers.preamble_rows([["Report", "", "", "", ""], full] + data) == 1
    assert readers.preamble_rows([["Report"], ["Shop:", "Mugs & Co"], full] + data) == 2
    # two cells of five is a title, three is part of the table
    assert readers.preamble_rows([["Report", "", "", "x", ""], full] + data) == 1
    assert readers.preamble_rows([["Report", "a", "", "x", ""], full] + data) == 0
    # the row under the title must be a header, not data
    assert readers.preamble_rows([["Report"], data[0], data[1], data[0]]) == 0





def test_title_row_of_a_workbook_is_skipped():
    grid = pd.DataFrame([["매출 목록", None, None, None], [None, None, None, None],
                         ["일자", "거래처명", "수량", "합계"],
                         ["2025-09-01", "가나상사", 2, 22000], ["2025-09-02", "다라병원", 1, 11000]])
    raw = readers.read_table(sheet_bytes(grid), "sales.xlsx")
    assert list(raw.frame.columns) == ["일자", "거래처명", "수량", "합계"]
    assert raw.frame["합계"].tolist() == [22000, 11000]
    assert raw.frame.attrs["line_numbers"].tolist() == [4, 5]
    assert [n.params for n in raw.notes if n.code == readers.PREAMBLE_NOTE] == [{"header": 3}]


def test_a_titled_file_takes_the_python_path_not_the_sql_one(tmp_path):
    from ecom_analytics.ingest import stream
    from ecom_analytics.store import Workspace

    path = tmp_path / "orders.csv"
    header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    path.write_text("Orders export,,,,,,,\n" + header + "1,P,Item,1,2024-01-01 10:00:00,2.5,17000,France\n" * 200,
                    encoding="utf-8")
    with pytest.raises(stream.NotStreamable, match="title above the header"):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))


def test_excels_sep_line_above_the_header_is_skipped():
    raw = readers.read_table(b"sep=;\nOrder;Date;Customer;Amount\nA1;2025-01-01;c1;10,5\nA2;2025-01-02;c2;3,0\n",
                             "excel.csv")
    assert raw.delimiter == ";" and list(raw.frame.columns) == ["Order", "Date", "Customer", "Amount"]
    assert raw.frame.attrs["line_numbers"].tolist() == [3, 4]


#: an ERP's sales list with its totals row under the slips (the label in the date column)
WITH_TOTALS = ("일자-No.,거래처명,품목코드,수량,공급가액,합계\n"
               "2025/09/03 -1,가나상사,A-1,2,1000,1100\n"
               "2025/09/03 -2,다라병원,B-2,1,500,550\n"
               "2025/09/04 -1,가나상사,A-1,3,1500,1650\n"
               "총합계,,,6,3000,3300\n")


def test_the_totals_line_at_the_end_is_left_out():
    raw = readers.read_table(WITH_TOTALS.encode(), "sales.csv")
    assert raw.frame["일자-No."].tolist() == ["2025/09/03 -1", "2025/09/03 -2", "2025/09/04 -1"]
    assert raw.frame.attrs["line_numbers"].tolist() == [2, 3, 4]
    assert [n.params for n in raw.notes if n.code == readers.TOTALS_NOTE] == [{"lines": "5", "label": "총합계"}]


def test_subtotal_and_total_lines_of_a_workbook_are_left_out():
    grid = pd.DataFrame([["Date", "Customer", "Product", "Amount"],
                         ["2025-09-01", "c1", "Mug", 10.0], ["2025-09-02", "c2", "Tray", 20.0],
                         ["2025-09-02", "c1", "Vase", 5.0], ["Subtotal:", None, None, 35.0], ["Total", None, None, 35.0]])
    raw = readers.read_table(sheet_bytes(grid), "sales.xlsx")
    assert raw.frame["Amount"].tolist() == [10.0, 20.0, 5.0]
    assert [n.params for n in raw.notes if n.code == readers.TOTALS_NOTE] == [{"lines": "5, 6", "label": "Subtotal:"}]


@pytest.mark.parametrize("text", [
    # a product called 'Total' on a full line is data
    "Customer,Product,Qty,Amount\nc1,Mug,1,10\nc2,Tray,1,20\nc3,Vase,1,5\nTotal,Total,1,35\n",
    # a totals line far from the end is not looked at
    "Customer,Product,Qty,Amount\nc1,Mug,1,10\nTotal,,,10\nc2,Tray,1,20\nc3,Vase,1,5\nc4,Mug,1,10\nc5,Mug,1,10\n",
    # nothing that every other line fills is empty on it
    "Customer,Note,Qty,Amount\nc1,,1,10\nc2,x,1,20\nc3,,1,5\nTotal,,1,35\n",
])
def test_lines_that_are_not_totals_stay(text):
    raw = readers.read_table(text.encode(), "t.csv")
    assert len(raw.frame) == text.count("\n") - 1
    assert not [n for n in raw.notes if n.code == readers.TOTALS_NOTE]


def test_a_title_whose_bytes_do_not_round_trip_is_cut_from_the_text():
    # b'\x87\x9a' is NEC's copy of '∵' in cp932: it decodes, but encodes back as b'\x81\xe6'
    title = "売上一覧".encode("cp932") + b"\x87\x9a" + b",,,\r\n"
    body = "日付,店舗,商品,売上\r\n2025-11-03,渋谷店,文具,45200\r\n2025-11-04,横浜店,雑貨,38100\r\n".encode("cp932")
    text, cut, lines = readers._cut_lines((title + body).decode("cp932"), title + body, "cp932", 1)
    assert cut is None and lines == 1 and text.startswith("日付,")
    raw = readers.read_table(title + body, "uriage.csv")
    assert raw.encoding == "cp932" and list(raw.frame.columns) == ["日付", "店舗", "商品", "売上"]
    assert raw.frame["売上"].tolist() == ["45200", "38100"] and raw.frame.attrs["line_numbers"].tolist() == [3, 4]


def test_totals_are_found_whatever_marks_a_missing_cell():
    frame = pd.DataFrame({"customer": ["c1", "c2", "c3", "合计"],
                          "date": pd.array(["2025-01-01", "2025-01-02", "2025-01-03", pd.NA], dtype="string"),
                          "amount": [1.0, 2.0, 3.0, 6.0]})
    notes = []
    kept, lines = readers._leave_out_totals(frame, np.array([2, 3, 4, 5]), notes)
    assert kept["customer"].tolist() == ["c1", "c2", "c3"] and lines.tolist() == [2, 3, 4]
    assert notes[0].params == {"lines": "5", "label": "合计"}
