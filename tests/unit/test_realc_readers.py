"""Reader fixes from the third held-out round (realC): each shape written by hand here, not the real file.

* A small Japanese Shift-JIS (cp932) export was read as Korean (cp949): Shift-JIS kanji and kana
  (lead bytes 0x81-0x9F) read in cp949 as the rare Hangul syllables of its extension, which were
  weighed as common ones.
"""

from __future__ import annotations

import pytest

from ecom_analytics.ingest import readers

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
