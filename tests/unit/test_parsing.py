"""Number and date parsing (ecom_analytics.ingest.parsing): every format of the issue, and cells that
cannot be read are marked failed, never silently turned into NaN or a wrong value."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest.parsing import DATE_FORMATS, DAY_MONTH_ORDER, parse_numbers, parse_timestamps


def text(values) -> pd.Series:
    return pd.Series(values, dtype="str")


def numbers(values) -> list[float]:
    return parse_numbers(text(values)).values.tolist()


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("raw, expected", [
    ("¥1,299.00", 1299.0),
    ("￥1,299.00", 1299.0),  # the full-width yen sign of Chinese exports
    ("£3.75", 3.75),
    ("$12.00", 12.0),
    ("USD 1,000.00", 1000.0),
    ("RMB 12.5", 12.5),
    ("59元", 59.0),
    ("-3.50", -3.5),
    ("(5.00)", -5.0),
    ("-£3.75", -3.75),
    ("£-3.75", -3.75),
    ("12-", -12.0),
])
def test_currency_symbols_thousands_and_negatives(raw, expected):
    p = parse_numbers(text([raw]))
    assert p.values.tolist() == [pytest.approx(expected)]
    assert not p.failed.any()


@pytest.mark.parametrize("raw, expected", [
    ("R$ 49,90", 49.9),
    ("1.299,00 €", 1299.0),
    ("€1.234.567,89", 1234567.89),
    ("1 299,00 €", 1299.0),
    ("-0,99 €", -0.99),
])
def test_decimal_comma_values(raw, expected):
    p = parse_numbers(text([raw, "49,90"]))
    assert p.values.iloc[0] == pytest.approx(expected)
    assert p.detail == "decimal comma"
    assert any("decimal comma" in n.english() for n in p.notes)


def test_decimal_separator_is_decided_per_column():
    assert numbers(["R$ 49,90", "1.299,00 €", "5,50 €"]) == pytest.approx([49.9, 1299.0, 5.5])
    assert numbers(["¥1,299.00", "£3.75", "12.00"]) == pytest.approx([1299.0, 3.75, 12.0])
    # thousands groups alone: 1,299 is one thousand two hundred and ninety-nine
    assert numbers(["1,299", "12,500"]) == [1299.0, 12500.0]


@pytest.mark.parametrize("values, odd", [
    (["3.75", "1.299,00", "2.50"], 1),    # not 1.299
    (["3.75", "1,5", "2.50"], 1),         # not 15
    (["49,90", "3.75", "5,50 €"], 1),     # not 375
])
def test_value_contradicting_the_column_separator_is_failed_not_misread(values, odd):
    p = parse_numbers(text(values))
    assert math.isnan(p.values.iloc[odd])
    assert p.failed.tolist() == [i == odd for i in range(len(values))]
    assert p.values.drop(index=odd).notna().all()


def test_indian_digit_groups():
    assert numbers(["₹12,34,567.00", "1,00,000", "2.5"]) == [1234567.0, 100000.0, 2.5]


def test_unreadable_numbers_are_marked_failed_and_empty_cells_are_not():
    p = parse_numbers(text(["2.50", "abc", "", None, "12.5%", "1,2,3"]))
    assert p.failed.tolist() == [False, True, False, False, True, True]
    assert p.values.iloc[0] == 2.5
    assert p.values.iloc[1:].isna().all()


def test_numeric_columns_pass_through():
    p = parse_numbers(pd.Series([1, 2, 3]))
    assert p.values.dtype == "float64" and p.values.tolist() == [1.0, 2.0, 3.0]
    assert not p.failed.any()


# ----------------------------------------------------------------------------- dates

def stamps(values) -> list:
    return parse_timestamps(text(values)).values.tolist()


T = pd.Timestamp


@pytest.mark.parametrize("raw, expected, detail", [
    (["2024-03-01 10:15:22", "2024-12-31 23:59:59"], [T("2024-03-01 10:15:22"), T("2024-12-31 23:59:59")], "YYYY-MM-DD HH:mm:ss"),
    (["2024-03-01T10:15:22", "2024-12-31T23:59:59"], [T("2024-03-01 10:15:22"), T("2024-12-31 23:59:59")], "YYYY-MM-DDTHH:mm:ss"),
    (["2024-03-01", "2024-12-31"], [T("2024-03-01"), T("2024-12-31")], "YYYY-MM-DD"),
    (["2024/03/01 10:15", "2024/12/31 23:59"], [T("2024-03-01 10:15"), T("2024-12-31 23:59")], "YYYY/MM/DD HH:mm"),
    (["05.03.2024", "31.12.2024"], [T("2024-03-05"), T("2024-12-31")], "DD.MM.YYYY"),
    (["20240305", "20241231"], [T("2024-03-05"), T("2024-12-31")], "YYYYMMDD"),
    (["12/1/2010 8:26", "12/13/2010 9:02"], [T("2010-12-01 08:26"), T("2010-12-13 09:02")], "MM/DD/YYYY HH:mm"),
    (["2024年3月1日", "2024年12月31日"], [T("2024-03-01"), T("2024-12-31")], "YYYY年MM月DD日"),
])
def test_date_formats(raw, expected, detail):
    p = parse_timestamps(text(raw))
    assert p.values.tolist() == expected
    assert p.detail == detail
    assert not p.failed.any()


def test_day_month_order_is_reported_when_it_had_to_be_chosen():
    p = parse_timestamps(text(["12/1/2010 8:26", "12/13/2010 9:02"]))
    assert any("MM/DD/YYYY" in n.english() for n in p.notes)


@pytest.mark.parametrize("raw, utc", [
    ("2024-03-01 10:15:22 +0000", "2024-03-01 10:15:22"),
    ("2024-03-01 10:15:22 +0100", "2024-03-01 09:15:22"),
    ("2024-03-03 08:30:00 +0800", "2024-03-03 00:30:00"),
    ("2024-03-01 10:15:22 -0500", "2024-03-01 15:15:22"),
    ("2024-03-01T10:15:22+01:00", "2024-03-01 09:15:22"),
    ("2019-10-01 00:00:00 UTC", "2019-10-01 00:00:00"),
    ("2024-03-01T10:15:22Z", "2024-03-01 10:15:22"),
])
def test_time_zones_are_converted_to_utc(raw, utc):
    p = parse_timestamps(text([raw, "2024-03-02 00:00:00 +0000"]))
    assert p.values.iloc[0] == T(utc)
    assert p.values.dtype == "datetime64[ns]"  # naive UTC
    assert any("converted to UTC" in n.english() for n in p.notes)


def test_a_day_first_date_with_dashes_is_not_read_as_a_zone():
    # Walmart's weekly sales table writes 05-02-2010 (5 February): its "-2010" is a year, not the offset -20:10
    p = parse_timestamps(text(["05-02-2010", "12-02-2010", "19-02-2010", "26-11-2010"]))
    assert list(p.values) == [T("2010-02-05"), T("2010-02-12"), T("2010-02-19"), T("2010-11-26")]
    assert not p.failed.any()
    assert not any("converted to UTC" in n.english() for n in p.notes)
    # an offset after a time with fractional seconds is still one
    assert stamps(["2024-03-01T10:15:22.123-05:00"]) == [T("2024-03-01 15:15:22")]


def test_unix_seconds_and_milliseconds_as_text_and_numbers():
    assert stamps(["1511544070", "1511561733"]) == [T("2017-11-24 17:21:10"), T("2017-11-24 22:15:33")]
    assert stamps(["1433221332117"]) == [T("2015-06-02 05:02:12.117")]
    assert parse_timestamps(pd.Series([1511544070, 1511561733])).values.iloc[0] == T("2017-11-24 17:21:10")
    p = parse_timestamps(pd.Series([1433221332117, 1433224214164]))
    assert p.values.iloc[1] == T("2015-06-02 05:50:14.164")
    assert p.detail == "Unix milliseconds (UTC)"


def test_implausible_unix_value_is_failed():
    p = parse_timestamps(text([str(1511544070 + 60 * i) for i in range(30)] + ["42"]))
    assert p.failed.tolist() == [False] * 30 + [True]
    assert p.values.iloc[0] == T("2017-11-24 17:21:10")


def test_digits_that_are_no_plausible_date_fail_instead_of_crashing():
    # '1511544070' fits YYYYMMDDHHMMSS loosely as the year 1511, beyond what a timestamp holds
    p = parse_timestamps(text(["1511544070", "42", "2024-01-01"]))
    assert p.failed.tolist() == [True, True, False]
    assert p.values.iloc[2] == T("2024-01-01")


def test_yyyymmdd_as_integers():
    assert parse_timestamps(pd.Series([20240305, 20241231])).values.tolist() == [T("2024-03-05"), T("2024-12-31")]


def test_datetime_columns_with_a_zone_become_naive_utc():
    aware = pd.Series(pd.to_datetime(["2024-03-01 10:00"]).tz_localize("Europe/Berlin"))
    assert parse_timestamps(aware).values.tolist() == [T("2024-03-01 09:00")]


def test_mixed_date_formats_are_all_read_and_reported():
    p = parse_timestamps(text(["2024-03-01 10:00:00", "15.03.2024", "2024/03/04 12:00", "2024-03-05 08:00:00"]))
    assert p.values.tolist() == [T("2024-03-01 10:00"), T("2024-03-15"), T("2024-03-04 12:00"), T("2024-03-05 08:00")]
    assert not p.failed.any()
    note = next(n.english() for n in p.notes if "mixed date formats" in n.english())
    assert "DD.MM.YYYY" in note and "YYYY/MM/DD HH:mm" in note and "YYYY-MM-DD HH:mm:ss" in note


def test_unreadable_dates_are_failed_and_empty_cells_are_not():
    p = parse_timestamps(text(["2024-03-01 10:00", "not a date", "", None, "2024-13-45 10:00"]))
    assert p.failed.tolist() == [False, True, False, False, True]
    assert p.values.iloc[0] == T("2024-03-01 10:00")
    assert p.values.iloc[1:].isna().all()


def test_spreadsheet_column_mixing_datetimes_and_text():
    raw = pd.Series([pd.Timestamp("2024-03-01 10:00"), "2024-03-02 11:00", "garbage"], dtype=object)
    p = parse_timestamps(raw)
    assert p.values.iloc[:2].tolist() == [T("2024-03-01 10:00"), T("2024-03-02 11:00")]
    assert p.failed.tolist() == [False, False, True]
    assert isinstance(p.values.iloc[2], type(pd.NaT)) or np.isnat(p.values.to_numpy()[2])


def test_mixed_date_formats_through_the_ingest_keep_every_row_and_say_so():
    from ecom_analytics.ingest import pipeline
    from tests import fixtures as F

    r = pipeline.process(pipeline.prepare(F.mixed_dates_csv(), "orders.csv"))
    assert r.report["cleaning"]["rows_clean"] == 4
    assert r.cleaning.clean["timestamp"].tolist()[2] == T("2024-03-15")
    assert any("mixed date formats" in n and "DD.MM.YYYY" in n for n in r.report["notes"])


def test_unix_microseconds_and_nanoseconds_ga4_event_timestamp():
    # GA4's event_timestamp: microseconds since 1970-01-01 UTC. 1,704,067,200 s = 19,723 days
    # (1970..2023: 54 years, 13 of them leap: 54 * 365 + 13 = 19,723) = 2024-01-01 00:00:00.
    p = parse_timestamps(text(["1704067200123456", "1704067261000001", ""]))
    assert p.values.iloc[0] == T("2024-01-01 00:00:00.123456")
    assert p.values.iloc[1] == T("2024-01-01 00:01:01.000001")
    assert pd.isna(p.values.iloc[2]) and not p.failed.any()
    assert p.detail == "Unix microseconds (UTC)"
    # nanoseconds (19 digits) keep every digit: a float would round them
    p = parse_timestamps(text(["1704067200123456789", "1704067200000000001"]))
    assert p.values.tolist() == [T("2024-01-01 00:00:00.123456789"), T("2024-01-01 00:00:00.000000001")]
    assert p.detail == "Unix nanoseconds (UTC)"
    # as numbers too
    assert parse_timestamps(pd.Series([1704067200123456])).values.iloc[0] == T("2024-01-01 00:00:00.123456")


# ----------------------------------------------------------------------------- two-digit years, an hour alone

#: every format of two-digit years and of an hour alone, with values written by hand and the dates they are
#: (each column holds a value that decides the order of day and month: a part above 12)
NEW_FORMATS = [
    ("%d.%m.%y %H:%M:%S", ["01.12.10 08:26:00", "31.12.10 23:59:59"], ["2010-12-01 08:26:00", "2010-12-31 23:59:59"]),
    ("%d.%m.%y %H:%M", ["01.12.10 08:26", "31.12.10 9:05"], ["2010-12-01 08:26", "2010-12-31 09:05"]),
    ("%d.%m.%y", ["01.12.10", "31.12.10"], ["2010-12-01", "2010-12-31"]),
    ("%d/%m/%y %H:%M:%S", ["14/06/21 10:00:05", "02/04/22 23:59:59"], ["2021-06-14 10:00:05", "2022-04-02 23:59:59"]),
    ("%d/%m/%y %H:%M", ["14/06/21 10:00", "02/04/22 9:05"], ["2021-06-14 10:00", "2022-04-02 09:05"]),
    ("%d/%m/%y", ["02/04/22", "14/06/21", "06/04/22"], ["2022-04-02", "2021-06-14", "2022-04-06"]),
    ("%m/%d/%y %H:%M:%S", ["12/1/10 8:26:00", "12/13/10 9:02:30"], ["2010-12-01 08:26:00", "2010-12-13 09:02:30"]),
    ("%m/%d/%y %H:%M", ["12/1/10 8:26", "12/13/10 9:02"], ["2010-12-01 08:26", "2010-12-13 09:02"]),
    ("%m/%d/%y %I:%M %p", ["12/1/10 8:26 PM", "12/13/10 9:02 AM", "1/31/11 12:00 AM"],
     ["2010-12-01 20:26", "2010-12-13 09:02", "2011-01-31 00:00"]),
    ("%m/%d/%y", ["12/1/10", "12/13/10"], ["2010-12-01", "2010-12-13"]),
    ("%d-%m-%y %H:%M:%S", ["24-06-21 10:00:05", "01-07-21 00:00:00"], ["2021-06-24 10:00:05", "2021-07-01 00:00:00"]),
    ("%d-%m-%y %H:%M", ["24-06-21 10:00", "01-07-21 7:30"], ["2021-06-24 10:00", "2021-07-01 07:30"]),
    ("%d-%m-%y", ["24-06-21", "01-07-21"], ["2021-06-24", "2021-07-01"]),
    ("%m-%d-%y %H:%M:%S", ["06-24-21 10:00:05", "07-01-21 00:00:00"], ["2021-06-24 10:00:05", "2021-07-01 00:00:00"]),
    ("%m-%d-%y %H:%M", ["06-24-21 10:00", "07-01-21 7:30"], ["2021-06-24 10:00", "2021-07-01 07:30"]),
    # Amazon India's seller report: 06-05-21 is 5 June, decided by 06-24-21
    ("%m-%d-%y", ["06-05-21", "06-24-21", "07-01-21"], ["2021-06-05", "2021-06-24", "2021-07-01"]),
    # Tianchi/Taobao's mobile behaviour log writes the hour alone
    ("%Y-%m-%d %H", ["2014-12-06 02", "2014-12-09 20", "2014-12-18 0"], ["2014-12-06 02:00", "2014-12-09 20:00",
                                                                          "2014-12-18 00:00"]),
    ("%Y/%m/%d %H", ["2014/12/06 02", "2014/12/09 23"], ["2014-12-06 02:00", "2014-12-09 23:00"]),
    # English month names with dashes and a two-digit year: Oracle/SAP 18-Jan-16, eBay's sales history Jan-18-16
    ("%d-%b-%y", ["18-Jan-16", "03-Feb-16"], ["2016-01-18", "2016-02-03"]),
    ("%b-%d-%y", ["Jan-18-16", "Dec-31-15"], ["2016-01-18", "2015-12-31"]),
]

HUMAN = {"%d.%m.%y %H:%M:%S": "DD.MM.YY HH:mm:ss", "%d.%m.%y %H:%M": "DD.MM.YY HH:mm", "%d.%m.%y": "DD.MM.YY",
         "%d/%m/%y %H:%M:%S": "DD/MM/YY HH:mm:ss", "%d/%m/%y %H:%M": "DD/MM/YY HH:mm", "%d/%m/%y": "DD/MM/YY",
         "%m/%d/%y %H:%M:%S": "MM/DD/YY HH:mm:ss", "%m/%d/%y %H:%M": "MM/DD/YY HH:mm",
         "%m/%d/%y %I:%M %p": "MM/DD/YY hh:mm AM/PM", "%m/%d/%y": "MM/DD/YY",
         "%d-%m-%y %H:%M:%S": "DD-MM-YY HH:mm:ss", "%d-%m-%y %H:%M": "DD-MM-YY HH:mm", "%d-%m-%y": "DD-MM-YY",
         "%m-%d-%y %H:%M:%S": "MM-DD-YY HH:mm:ss", "%m-%d-%y %H:%M": "MM-DD-YY HH:mm", "%m-%d-%y": "MM-DD-YY",
         "%Y-%m-%d %H": "YYYY-MM-DD HH", "%Y/%m/%d %H": "YYYY/MM/DD HH", "%d-%b-%y": "DD-Mon-YY",
         "%b-%d-%y": "Mon-DD-YY"}


@pytest.mark.parametrize("fmt, raw, expected", NEW_FORMATS, ids=[f[0] for f in NEW_FORMATS])
def test_two_digit_years_and_an_hour_alone(fmt, raw, expected):
    p = parse_timestamps(text(raw))
    assert p.values.tolist() == [T(e) for e in expected]
    assert not p.failed.any()
    assert p.detail == HUMAN[fmt]
    order = [n.english() for n in p.notes if n.code == DAY_MONTH_ORDER]
    # the order of day and month is said where a format has a twin with the two swapped (slashes, dashes)
    # (a month name is never ambiguous)
    assert order == ([f"day and month order read as {HUMAN[fmt]}"] if fmt[:2] in ("%d", "%m") and "." not in fmt
                     and "%b" not in fmt else [])


def test_every_two_digit_year_and_hour_alone_format_is_tested():
    new = {f for f in DATE_FORMATS if "%y" in f or f.endswith("%H")}
    assert new == {f[0] for f in NEW_FORMATS} == set(HUMAN)


def test_two_digit_years_are_those_of_pythons_percent_y():
    # 00-68 are 2000-2068 and 69-99 are 1969-1999, on every separator
    raw = ["01/01/69", "31/12/68", "01/01/00", "31/12/99"]
    assert stamps(raw) == [T("1969-01-01"), T("2068-12-31"), T("2000-01-01"), T("1999-12-31")]
    assert stamps([r.replace("/", "-") for r in raw]) == stamps(raw)
    assert stamps([r.replace("/", ".") for r in raw]) == stamps(raw)
    assert [dt.datetime.strptime(r, "%d/%m/%y") for r in raw] == stamps(raw)


@pytest.mark.parametrize("raw, expected, order", [
    # no value decides: day first, as with four-digit years, and said
    (["01/02/21", "03/04/21"], ["2021-02-01", "2021-04-03"], "DD/MM/YY"),
    (["01-02-21", "03-04-21"], ["2021-02-01", "2021-04-03"], "DD-MM-YY"),
    (["12/1/10 8:26", "1/2/11 10:00"], ["2010-01-12 08:26", "2011-02-01 10:00"], "DD/MM/YY HH:mm"),
    # one value decides for the column
    (["01/02/21", "03/04/21", "01/13/21"], ["2021-01-02", "2021-03-04", "2021-01-13"], "MM/DD/YY"),
    (["01-02-21", "03-04-21", "13-01-21"], ["2021-02-01", "2021-04-03", "2021-01-13"], "DD-MM-YY"),
    (["01-02-21", "03-04-21", "01-13-21"], ["2021-01-02", "2021-03-04", "2021-01-13"], "MM-DD-YY"),
])
def test_day_and_month_order_of_two_digit_years_is_decided_by_the_values(raw, expected, order):
    p = parse_timestamps(text(raw))
    assert p.values.tolist() == [T(e) for e in expected]
    assert [n.english() for n in p.notes] == [f"day and month order read as {order}"]


def test_a_four_digit_year_is_never_read_as_two_digits():
    # a two-digit format reading '12/01/2010' would give 2020 with '10' left over: it reads none of these
    four = ["12/01/2010", "12/1/2010 8:26", "01.12.2010", "01.12.2010 08:26:00", "06-24-2021", "05-02-2010 10:00",
            "2010-12-01", "2010/12/01"]
    for fmt in (f for f in DATE_FORMATS if "%y" in f):
        assert pd.to_datetime(text(four), format=fmt, errors="coerce").isna().all(), fmt
    p = parse_timestamps(text(["12/01/2010", "12/02/2010"]))
    assert p.values.tolist() == [T("2010-01-12"), T("2010-02-12")] and p.detail == "DD/MM/YYYY"
    p = parse_timestamps(text(["01.12.2010", "31.12.2010"]))
    assert p.values.tolist() == [T("2010-12-01"), T("2010-12-31")] and p.detail == "DD.MM.YYYY"
    # and a value with an hour alone is not one with minutes
    assert parse_timestamps(text(["2014-12-06 02:30"])).detail == "YYYY-MM-DD HH:mm"


@pytest.mark.parametrize("raw", [
    ["10.5", "12.25", "3.99"],  # amounts
    ["1.299,00", "49,90"],
    ["12-34", "56-78"],  # codes
    ["1/2", "3/4", "1/2/3"],  # fractions, not a two-digit year
    ["536365", "536366", "C536379"],  # order ids
    ["02134", "10001", "02134-1234", "90210-4321"],  # ZIP codes (ZIP+4 too)
    ["1.2.3", "10.0.1"],  # versions
    ["555-12-34", "ABC-12-34", "38-40", "10:30"],
    ["12/2021", "01/2022", "2021-12"],  # months without a day
    ["2014-12-06 24", "2014-12-06 002", "2014-12-06 2pm"],  # no such hour
    ["32/01/21", "01/13/21 25:00", "00-01-21", "31.02.21"],  # no such day, month or hour
])
def test_numbers_and_codes_are_not_read_as_two_digit_years(raw):
    p = parse_timestamps(text(raw))
    assert p.failed.all() and p.values.isna().all()


def test_unix_times_and_excel_serials_read_as_before():
    assert stamps(["1511544070", "1511561733"]) == [T("2017-11-24 17:21:10"), T("2017-11-24 22:15:33")]
    assert stamps(["40513", "40514"]) == [T("2010-12-01"), T("2010-12-02")]  # Excel: 40,513 days after 1899-12-30


ORDERS_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


@pytest.mark.parametrize("when", [lambda i: f"2014-12-{1 + i % 28:02d} {i % 24:02d}",
                                  lambda i: f"{6 + i % 3:02d}-{1 + i % 28:02d}-21"], ids=["hour alone", "MM-DD-YY"])
def test_the_streaming_ingest_leaves_these_shapes_to_the_python_parser(tmp_path, when):
    from ecom_analytics.ingest import stream
    from ecom_analytics.store import Workspace

    lines = [f"{500 + i // 3},P{i % 5},Item {i % 5},{1 + i % 4},{when(i)},2.5,{17000 + i % 50},France"
             for i in range(300)]
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(stream.NotStreamable, match="read differently"):
        stream.ingest_file(path, Workspace(tmp_path / "ws"))
    result, note = stream.ingest_path(path, Workspace(tmp_path / "ws"), threshold=0)
    assert not isinstance(result, stream.StreamResult)
    rules = {r["rule"]: r["quarantined"] for r in result.report["cleaning"]["rules"]}
    assert rules["unreadable_date"] == 0
    assert result.cleaning.clean["timestamp"].min() == T("2014-12-01 00:00" if "2014" in when(0) else "2021-06-01")


def test_us_dates_with_dashes_and_four_digit_years_are_read_month_first_when_the_values_say_so():
    p = parse_timestamps(text(["06-24-2021", "07-01-2021", "12-24-2021 10:00"]))
    assert list(p.values) == [T("2021-06-24"), T("2021-07-01"), T("2021-12-24 10:00")]
    assert any(n.english() == "day and month order read as MM-DD-YYYY" for n in p.notes)
    # and day first where the values prove it (Walmart's weekly table), with the order said
    walmart = parse_timestamps(text(["05-02-2010", "19-02-2010"]))
    assert list(walmart.values) == [T("2010-02-05"), T("2010-02-19")]


def test_dates_with_english_month_names_and_dashes():
    # eBay's sales history writes Jan-18-16; Oracle and SAP exports 18-Jan-16 or 18-Jan-2016 10:11:12
    got = parse_timestamps(pd.Series(["Jan-18-16", "Feb-03-16", "Dec-31-15"]))
    assert got.values.tolist() == [pd.Timestamp("2016-01-18"), pd.Timestamp("2016-02-03"), pd.Timestamp("2015-12-31")]
    got = parse_timestamps(pd.Series(["18-Jan-16", "03-Feb-2016", "18-Jan-2016 10:11:12"]))
    assert got.values.tolist() == [pd.Timestamp("2016-01-18"), pd.Timestamp("2016-02-03"),
                                   pd.Timestamp("2016-01-18 10:11:12")]
    assert not got.failed.any()


def test_a_date_shape_first_seen_after_the_first_2000_values_is_read_by_its_own_format():
    # monthly files of one layout stacked (realE's shape): the first writes 4/19/2019 08:46, the later ones 08/31/19 22:21
    times = pd.Timestamp("2019-04-01") + pd.to_timedelta(pd.Series(range(2600)) * 11, unit="min")
    first = [f"{t.month}/{t.day}/{t.year} {t:%H:%M}" for t in times]  # 2,600 distinct values
    later = [f"{m:02d}/{d:02d}/19 {h:02d}:{d:02d}" for m in (8, 9) for d in range(1, 29) for h in (9, 21)]
    parsed = parse_timestamps(pd.Series(first + later, dtype="string"))
    assert not parsed.failed.any()
    got = parsed.values.iloc[len(first):]
    assert got.iloc[0] == pd.Timestamp("2019-08-01 09:01")
    assert got.iloc[-1] == pd.Timestamp("2019-09-28 21:28")
    assert (got.dt.month >= 8).all()  # never a day read as the month
    assert "MM/DD/YY HH:mm" in parsed.detail


@pytest.mark.parametrize("values, expected", [
    (["Rp 31.500.000", "Rp.  2.750.000", "Rp15.000"], [31_500_000.0, 2_750_000.0, 15_000.0]),  # Indonesia
    (["IDR 31.500.000", "IDR 120.000"], [31_500_000.0, 120_000.0]),
    (["Rs. 1,250", "Rs 480"], [1250.0, 480.0]),  # India, Pakistan
    (["RM12.50", "RM 4.00"], [12.5, 4.0]),  # Malaysia
    (["₱1,250.00", "PHP 480.00"], [1250.0, 480.0]),  # the Philippines
    (["1.250 zł", "49,90 zł"], [1250.0, 49.9]), (["49,90 TL", "1.250,00 TL"], [49.9, 1250.0]),
    (["250 kr", "1 250 kr"], [250.0, 1250.0]), (["S/ 25.90", "S/ 1,250.00"], [25.9, 1250.0]),
])
def test_more_currencies_before_or_after_the_number(values, expected):
    assert parse_numbers(pd.Series(values, dtype="string")).values.tolist() == expected


def test_codes_that_start_with_a_currencys_letters_stay_codes():
    for codes in (["RM001", "RM002", "RM003"], ["TRY1", "TRY2"], ["PEN123", "PEN124"]):
        assert parse_numbers(pd.Series(codes, dtype="string")).failed.all()
