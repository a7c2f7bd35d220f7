"""Number and date parsing (ecom_analytics.ingest.parsing): every format of the issue, and cells that
cannot be read are marked failed, never silently turned into NaN or a wrong value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps


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
