"""Reading rules found on held-out real files (realE, realS), each checked on a hand-written file of
that shape (never the held-out files themselves):

1. '#' comment lines above the header (GA4's exports) are skipped with a note;
2. lines inside the data repeating the header (monthly files joined with their headers) are left
   out with a note naming their lines, not quarantined as unreadable dates;
3. a workbook's header under a blank row and with dates as its names (a wide sheet), and one between
   a merged group-header row and a row of formula letters (a marketplace's settlement workbook);
4. a header whose names include numbers (PLU codes '4046', years) is read as a header;
5. Microsoft JSON dates ``/Date(ms)/``, ``20 Apr, 2021 07:49:50`` and year-month ``1960-01``.
"""

from __future__ import annotations


import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline
from tests.fixtures import sheet_bytes
from ecom_analytics.ingest.parsing import parse_timestamps
from ecom_analytics.ingest.readers import (COMMENT_NOTE, LEGEND_NOTE, REPEATED_HEADER_NOTE, comment_lines,
                                           looks_like_header, read_table)


def T(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def codes(table) -> list[str]:
    return [n.code for n in table.notes]





# ----------------------------------------------------------------------------- 1. '#' comment lines

GA4_LIKE = ("# ----------------------------------------\n"
            "# Shop - GA4\n"
            "# Exploration 1\n"
            "# 20240101-20240107\n"
            "# ----------------------------------------\n"
            "\n"
            "Client ID,Order date,Revenue\n"
            "c1,2024-01-02,10.50\n"
            "c2,2024-01-03,20.00\n"
            "c1,2024-01-05,5.25\n").encode()


def test_comment_lines_above_the_header_are_skipped_with_a_note():
    t = read_table(GA4_LIKE, "download.csv")
    assert t.has_header and t.delimiter == ","
    assert list(t.frame.columns) == ["Client ID", "Order date", "Revenue"]
    assert t.frame["Client ID"].tolist() == ["c1", "c2", "c1"]
    # 5 comment lines and a blank one: the header is line 7, the data lines 8 to 10
    assert t.frame.attrs["line_numbers"].tolist() == [8, 9, 10]
    assert t.skipped_lines == 6
    note = next(n for n in t.notes if n.code == COMMENT_NOTE)
    assert note.params == {"n": 5, "header": 7}


def test_comment_lines_then_a_title_line_are_both_skipped():
    data = ("# exported 2024-01-08\n"
            "Sales report\n"
            "Client ID,Order date,Revenue\n"
            "c1,2024-01-02,10.50\n"
            "c2,2024-01-03,20.00\n"
            "c3,2024-01-04,1.00\n").encode()
    t = read_table(data, "r.csv")
    assert list(t.frame.columns) == ["Client ID", "Order date", "Revenue"]
    assert t.frame.attrs["line_numbers"].tolist() == [4, 5, 6]
    assert COMMENT_NOTE in codes(t)


def test_a_header_whose_first_name_is_a_hash_is_not_a_comment():
    assert comment_lines(["#,Order,Date", "1,A1,2024-01-01"]) == 0
    assert comment_lines(["#;Order;Date", "1;A1;2024-01-01"]) == 0
    assert comment_lines(["# note", "#", "a,b", "1,2"]) == 2
    assert comment_lines(["# only comments", "# here"]) == 0  # nothing else: not a table with comments
    # a header written as a comment: as many fields as the lines under it
    assert comment_lines(["# exported by tool", "#user_id,item_id,rating", "1,10,5", "2,11,3"]) == 1
    t = read_table(b"#user_id,item_id,rating\n1,10,5\n2,11,3\n3,12,4\n", "ratings.csv")
    assert list(t.frame.columns) == ["#user_id", "item_id", "rating"] and len(t.frame) == 3
    t = read_table(b"#,Customer,Date,Amount\n1,c1,2024-01-01,3.5\n2,c2,2024-01-02,4.0\n", "n.csv")
    assert list(t.frame.columns) == ["#", "Customer", "Date", "Amount"] and len(t.frame) == 2
    assert COMMENT_NOTE not in codes(t)


def test_a_first_data_line_longer_than_the_header_is_a_malformed_line_not_an_index():
    # GA4's user explorer: a 'Grand total' line with one field more than the header under it; pandas would take
    # the first column as an index and move every name one column
    data = GA4_LIKE.replace(b"Revenue\n", b"Revenue\n,,35.75,Grand total\n")
    t = read_table(data, "download.csv")
    assert list(t.frame.columns) == ["Client ID", "Order date", "Revenue"]
    assert t.frame["Client ID"].tolist() == ["c1", "c2", "c1"]
    assert t.frame["Revenue"].tolist() == ["10.50", "20.00", "5.25"]
    assert t.bad_lines == [(8, ",,35.75,Grand total")]
    assert t.frame.attrs["line_numbers"].tolist() == [9, 10, 11]


# ----------------------------------------------------------------------------- 2. repeated header lines

HEADER = "Order ID,Product,Quantity Ordered,Price Each,Order Date,Customer"


def months_joined() -> bytes:
    """Three monthly files put one after another, each with its header (lines 1, 4, 7), and a line of
    separators only (line 9)."""
    lines = [HEADER,
             "1001,Cable,2,11.95,01/19/2024 08:46,c1",
             "1002,Phone,1,99.99,01/07/2024 22:30,c2",
             HEADER,
             "1003,Cable,1,11.95,02/02/2024 10:00,c3",
             "1004,Monitor,1,149.99,02/13/2024 11:15,c1",
             HEADER,
             "1005,Cable,3,11.95,03/20/2024 09:05,c2",
             ",,,,,",
             "1006,Phone,1,99.99,03/21/2024 12:00,c4"]
    return ("\n".join(lines) + "\n").encode()


def test_repeated_header_lines_are_left_out_with_their_line_numbers():
    t = read_table(months_joined(), "sales_2024.csv")
    assert t.frame["Order ID"].tolist() == ["1001", "1002", "1003", "1004", "1005", "1006"]
    assert t.frame.attrs["line_numbers"].tolist() == [2, 3, 5, 6, 8, 10]
    note = next(n for n in t.notes if n.code == REPEATED_HEADER_NOTE)
    assert note.params == {"n": 2, "lines": "4, 7"}
    assert t.bad_lines == []


def test_repeated_header_lines_are_not_quarantined_as_unreadable_dates():
    r = pipeline.process(pipeline.prepare(months_joined(), "sales_2024.csv"))
    cleaning = r.report["cleaning"]
    rules = {x["rule"]: x["quarantined"] for x in cleaning["rules"]}
    assert rules.get("unreadable_date", 0) == 0 and rules.get("unreadable_number", 0) == 0
    assert cleaning["rows_in"] == 6 and cleaning["rows_clean"] == 6
    # revenue: 2 x 11.95 + 99.99 + 11.95 + 149.99 + 3 x 11.95 + 99.99 = 23.90 + 99.99 + 11.95 + 149.99 + 35.85 + 99.99
    assert round(cleaning["revenue_clean"], 2) == 421.67
    assert any("repeat the header" in n for n in r.report["notes"])


def test_a_product_named_like_a_column_is_not_a_repeated_header():
    data = ("Customer,Product,Amount\n"
            "c1,Product,10\n"   # one cell equal to its column's name: data
            "c2,Cable,5\n").encode()
    t = read_table(data, "p.csv")
    assert len(t.frame) == 2 and REPEATED_HEADER_NOTE not in codes(t)


def test_repeated_header_rows_in_a_workbook_are_left_out():
    rows = [["Customer", "Date", "Amount"], ["c1", "2024-01-02", 3.5], ["Customer", "Date", "Amount"],
            ["c2", "2024-02-03", 4.5]]
    t = read_table(sheet_bytes(rows), "book.xlsx")
    assert t.frame["Customer"].tolist() == ["c1", "c2"]
    assert next(n for n in t.notes if n.code == REPEATED_HEADER_NOTE).params == {"n": 1, "lines": "3"}


# ----------------------------------------------------------------------------- 3. workbook headers

def test_a_wide_sheet_with_a_blank_first_row_and_dates_as_names_has_its_header_found():
    dates = [pd.Timestamp("2021-10-29"), pd.Timestamp("2021-10-31"), pd.Timestamp("2021-11-04")]
    rows = [[None, None, None, None],
            ["FLAVOURS", *dates],
            ["VANILLA", 13.955, 11.865, 11.44],
            ["LEMON", 3.32, 3.315, 3.1],
            ["MINT", 5.185, 4.62, 4.235]]
    t = read_table(sheet_bytes(rows), "sales.xlsx")
    assert t.has_header
    assert list(t.frame.columns)[0] == "FLAVOURS" and len(t.frame.columns) == 4
    assert str(t.frame.columns[1]).startswith("2021-10-29")
    assert t.frame["FLAVOURS"].tolist() == ["VANILLA", "LEMON", "MINT"]
    assert t.frame.attrs["line_numbers"].tolist() == [3, 4, 5]


def test_a_group_header_row_above_and_a_formula_legend_row_under_the_header():
    rows = [["Order Related Details", None, None, None, "Payment Details", None],
            ["Sub Order No", "Order Date", "Quantity", "Sale Amount", "Transaction ID", "Final Settlement"],
            [None, None, None, "A", None, "(A + B - C)"],
            ["S1_1", "2025-08-13 13:20:27", 1, 499.0, "TX1", 410.5],
            ["S2_1", "2025-08-14 10:00:00", 2, 998.0, "TX1", 820.0],
            ["S3_1", "2025-08-15 09:30:00", 1, 299.0, "TX2", 240.0]]
    t = read_table(sheet_bytes(rows, "Order Payments"), "payments.xlsx")
    assert list(t.frame.columns) == rows[1]
    assert t.frame["Sub Order No"].tolist() == ["S1_1", "S2_1", "S3_1"]
    assert t.frame.attrs["line_numbers"].tolist() == [4, 5, 6]
    note = next(n for n in t.notes if n.code == LEGEND_NOTE)
    assert note.params == {"line": 3, "example": "(A + B - C)"}


def test_letters_that_are_the_tables_values_are_not_a_legend():
    data = ("Customer,Grade,Size,Amount\n"
            ",A,M,\n"
            "c2,B,L,4\n"
            "c3,A,S,5\n"
            "c4,C,XL,6\n").encode()
    t = read_table(data, "g.csv")
    assert len(t.frame) == 4 and LEGEND_NOTE not in codes(t)


# ----------------------------------------------------------------------------- 4. numbers among the names

def test_a_header_with_numbers_among_its_names_is_a_header():
    data = (",Date,AveragePrice,Total Volume,4046,4225,4770,Total Bags,type,year,region\n"
            "0,12/27/2015,1.33,64236.62,1036.74,54454.85,48.16,8696.87,conventional,2015,Albany\n"
            "1,12/20/2015,1.35,54876.98,674.28,44638.81,58.33,9505.56,conventional,2015,Albany\n"
            "2,12/13/2015,0.93,118220.22,794.7,109149.67,130.5,8145.35,conventional,2015,Albany\n"
            "3,12/06/2015,1.08,78992.15,1132,71976.41,72.58,5811.16,organic,2015,Boston\n").encode()
    t = read_table(data, "avocado.csv")
    assert t.has_header
    assert list(t.frame.columns)[1:7] == ["Date", "AveragePrice", "Total Volume", "4046", "4225", "4770"]
    assert len(t.frame) == 4 and t.frame["Date"].iloc[0] == "12/27/2015"


def test_years_as_column_names_are_a_header():
    rows = [["Product", "2019", "2020", "2021"], ["Cable", "10.5", "12.25", "13.0"], ["Phone", "99.9", "101.5", "98.0"]]
    assert looks_like_header(rows)


def test_data_rows_with_numbers_are_still_not_a_header():
    # a first row of the same kinds as the rows below it is data, whatever its numbers
    assert not looks_like_header([["c1", "2024-01-02", "10.50", "3"], ["c2", "2024-01-03", "20.00", "1"],
                                  ["c3", "2024-01-04", "5.25", "2"]])
    # one odd cell (a missing-value mark over numbers) does not make a header
    assert not looks_like_header([["c1", "n/a", "10.50", "3"], ["c2", "2024-01-03", "20.00", "1"],
                                  ["c3", "2024-01-04", "5.25", "2"]])
    # a year in a column of years is data
    assert not looks_like_header([["A", "2019", "12.5"], ["B", "2020", "13.5"], ["C", "2021", "1.25"]])
    t = read_table(b"c1,2024-01-02,10.50\nc2,2024-01-03,20.00\nc3,2024-01-04,5.25\n", "h.csv")
    assert not t.has_header


# ----------------------------------------------------------------------------- 5. dates

def test_microsoft_json_dates_are_milliseconds_since_1970_utc():
    # 1,645,829,571,576 ms = 19,048 days (1970..2022: 52 years, 13 leap: 52 * 365 + 13 = 18,993; + 55 days to
    # 25 February) + 82,371.576 s (22:52:51.576)
    p = parse_timestamps(pd.Series(["/Date(1645829571576)/", "/Date(1645743171576+1300)/", "", None], dtype=object))
    assert p.values.tolist()[:2] == [T("2022-02-25 22:52:51.576"), T("2022-02-24 22:52:51.576")]
    assert pd.isna(p.values.iloc[2]) and pd.isna(p.values.iloc[3])
    assert not p.failed.any()
    assert p.detail == "Microsoft JSON dates"
    assert [n.english() for n in p.notes] == ["Microsoft JSON dates (/Date(milliseconds)/, UTC)"]
    # before 1970, and a cell that is not one, which fails
    p = parse_timestamps(pd.Series(["/Date(-86400000)/"] * 20 + ["soon"]))
    assert p.values.iloc[0] == T("1969-12-31") and p.failed.tolist() == [False] * 20 + [True]


def test_day_month_name_comma_year_with_a_time():
    p = parse_timestamps(pd.Series(["20 Apr, 2021 07:49:50", "3 May, 2021 17:01:02", "01 Jan, 2022 00:00:00"]))
    assert p.values.tolist() == [T("2021-04-20 07:49:50"), T("2021-05-03 17:01:02"), T("2022-01-01")]
    assert not p.failed.any() and p.detail == "DD Mon, YYYY HH:mm:ss"
    assert parse_timestamps(pd.Series(["Apr 20, 2021 07:49:50"])).values.iloc[0] == T("2021-04-20 07:49:50")


def test_year_month_values_are_their_months_first_days():
    p = parse_timestamps(pd.Series(["1960-01", "1960-02", "1968-12"]))
    assert p.values.tolist() == [T("1960-01-01"), T("1960-02-01"), T("1968-12-01")] and p.detail == "YYYY-MM"
    assert parse_timestamps(pd.Series(["2021/11", "2021/12"])).values.tolist() == [T("2021-11-01"), T("2021-12-01")]
    # no month 13; a year index ('1-01') is not a year
    assert parse_timestamps(pd.Series(["1960-13", "1960-14"])).failed.all()
    assert parse_timestamps(pd.Series(["1-01", "1-02", "2-01"])).failed.all()


@pytest.mark.parametrize("raw", [["2021-05-03", "2021-05-04", "2021-05"], ["2021-05", "AB-12", "X-1", "Y-2"]])
def test_a_month_among_other_values_is_not_read_as_a_month(raw):
    p = parse_timestamps(pd.Series(raw))
    assert pd.isna(p.values.iloc[raw.index("2021-05")])


def test_dates_of_each_new_shape_through_the_ingest():
    data = ("Invoice,Account Id,Created Time,Grand Total\n"
            '1,403,"20 Apr, 2021 07:49:50","$22,247.63"\n'
            '2,610,"21 Apr, 2021 06:47:33","$28,521.83"\n'
            '3,403,"22 May, 2021 10:10:25","$1,000.00"\n').encode()
    prepared = pipeline.prepare(data, "invoices.csv", kind="orders")
    r = pipeline.process(prepared, prepared.mapping.override(customer_id="Account Id", timestamp="Created Time",
                                                             amount="Grand Total"))
    assert r.report["cleaning"]["rows_clean"] == 3
    assert r.cleaning.clean["timestamp"].tolist()[0] == T("2021-04-20 07:49:50")


def test_a_monthly_series_of_year_months_is_read_as_a_sales_table():
    data = ('"Month","Sales"\n' + "".join(f'"1960-{m:02d}",{6000 + 100 * m}\n' for m in range(1, 13))).encode()
    prepared = pipeline.prepare(data, "monthly-sales.csv", kind="sales")
    r = pipeline.process(prepared)
    assert r.report["cleaning"]["rows_clean"] == 12
    stamps = sorted(r.cleaning.clean["timestamp"].tolist())
    assert stamps[0] == T("1960-01-01") and stamps[-1] == T("1960-12-01")


def test_the_new_notes_have_chinese():
    from ecom_analytics.i18n import translate_message, untranslated_parts
    from ecom_analytics.ingest.datecells import MICROSOFT_JSON_NOTE
    from ecom_analytics.runs import Note

    notes = [Note(COMMENT_NOTE, {"n": 5, "header": 7}), Note(REPEATED_HEADER_NOTE, {"n": 35, "lines": "520, 1150"}),
             Note(LEGEND_NOTE, {"line": 3, "example": "(A + B)"}), Note(MICROSOFT_JSON_NOTE),
             Note("{column}: " + MICROSOFT_JSON_NOTE, {"column": "timestamp"})]
    for note in notes:
        assert untranslated_parts(note, "zh") == []
    assert translate_message(notes[0], "zh") == "前 5 行是注释（以“#”开头），不属于表格；已跳过，表头从第 7 行读取。"
