"""Solar Hijri (Jalali, Iranian) dates: converted exactly to the Gregorian calendar when a column's
dates are all in that calendar, with a note; Gregorian columns untouched; a column mixing the two
not converted, with a warning.

The pairs are checked against a second source, the Nowruz dates: 1 Farvardin is the day of the March
equinox when it falls before noon in Tehran (about 08:30 UTC, the 52.5 degree E meridian), else the
next day. The equinoxes (UTC): 2016-03-20 04:30, 2017-03-20 10:29, 2018-03-20 16:15, 2019-03-20 21:58,
2020-03-20 03:50, 2021-03-20 09:37, 2022-03-20 15:33, 2023-03-20 21:24, 2024-03-20 03:06,
2025-03-20 09:01, 2026-03-20 14:46. And Yalda, the last night of Azar, is the night of 21 December, so
1 Dey is 22 December (1402: 2023-12-22).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ecom_analytics.ingest import readers
from ecom_analytics.ingest.mapping import apply_mapping, propose_mapping
from ecom_analytics.ingest.parsing import SOLAR_HIJRI, SOLAR_HIJRI_MIXED, jalali_to_gregorian, parse_timestamps
from ecom_analytics.ingest.pipeline import prepare, process
from tests.unit.test_languages_third import LAYOUTS

#: 1 Farvardin of 1395..1405 from the equinox times above
NOWRUZ = {1395: "2016-03-20", 1396: "2017-03-21", 1397: "2018-03-21", 1398: "2019-03-21", 1399: "2020-03-20",
          1400: "2021-03-21", 1401: "2022-03-21", 1402: "2023-03-21", 1403: "2024-03-20", 1404: "2025-03-21",
          1405: "2026-03-21"}


def read(values):
    return parse_timestamps(pd.Series(values, dtype="string"))


@pytest.mark.parametrize("jalali, gregorian", [
    ((1403, 1, 1), "2024-03-20"),  # Nowruz 1403
    ((1402, 1, 1), "2023-03-21"),  # Nowruz 1402
    ((1403, 12, 30), "2025-03-20"),  # 1403 is a leap year: Esfand has a 30th, the eve of Nowruz 1404
    ((1402, 10, 1), "2023-12-22"),  # 1 Dey, the day after Yalda night
    ((1402, 9, 15), "2023-12-06"),  # 1 Azar is 22 November: the 15th is 6 December
    ((1402, 12, 29), "2024-03-19"),  # the last day of a common year, the eve of Nowruz 1403
    ((1402, 7, 1), "2023-09-23"),  # Mehr begins after the six 31-day months: 21 March + 186 days
])
def test_hand_checked_pairs(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == dt.date.fromisoformat(gregorian)


def test_nowruz_dates_and_leap_years_agree_with_the_equinoxes():
    for year, nowruz in NOWRUZ.items():
        assert jalali_to_gregorian(year, 1, 1) == dt.date.fromisoformat(nowruz), year
    for year in range(1395, 1405):
        # a year is a leap year when the next Nowruz is 366 days later
        length = (dt.date.fromisoformat(NOWRUZ[year + 1]) - dt.date.fromisoformat(NOWRUZ[year])).days
        has_30th = True
        try:
            jalali_to_gregorian(year, 12, 30)
        except ValueError:
            has_30th = False
        assert has_30th == (length == 366), year


def test_the_calendar_has_no_gap_or_overlap_from_1300_to_1500():
    day = jalali_to_gregorian(1300, 1, 1)
    assert day == dt.date(1921, 3, 21)
    for year in range(1300, 1501):
        for month in range(1, 13):
            for d in range(1, 32):
                try:
                    got = jalali_to_gregorian(year, month, d)
                except ValueError:
                    assert d >= 30, (year, month, d)  # only the ends of months are missing
                    continue
                assert got == day, (year, month, d)
                day += dt.timedelta(days=1)


def test_days_the_calendar_does_not_have():
    with pytest.raises(ValueError):
        jalali_to_gregorian(1402, 12, 30)  # 1402 is a common year
    with pytest.raises(ValueError):
        jalali_to_gregorian(1402, 7, 31)  # Mehr has 30 days
    with pytest.raises(ValueError):
        jalali_to_gregorian(1402, 13, 1)


def test_a_column_of_solar_hijri_dates_is_converted_with_a_note():
    p = read(["1402/09/15", "1402/10/01", "1403/01/01", "1403/12/30"])
    assert p.values.tolist() == [pd.Timestamp(x) for x in ("2023-12-06", "2023-12-22", "2024-03-20", "2025-03-20")]
    assert not p.failed.any()
    notes = [n for n in p.notes if n.code == SOLAR_HIJRI]
    assert notes and notes[0].params == {"year": 1402, "gregorian": "2023-03-21"}
    assert "(1 Farvardin 1402 = 2023-03-21)" in notes[0].english()
    assert p.detail == "YYYY/MM/DD"


def test_persian_digits_dashes_times_and_empty_cells():
    p = read(["۱۴۰۲/۰۹/۱۵ ۱۴:۳۰", "1402-09-15 14:30", "۱۴۰۳-۱۲-۳۰ ۲۳:۵۹:۰۵", None, ""])
    assert p.values.tolist()[:3] == [pd.Timestamp("2023-12-06 14:30"), pd.Timestamp("2023-12-06 14:30"),
                                     pd.Timestamp("2025-03-20 23:59:05")]
    assert p.values.iloc[3:].isna().all()
    assert not p.failed.any()


def test_a_day_the_calendar_lacks_fails_instead_of_moving():
    p = read(["1402/12/30", "1402/12/29"])
    assert p.failed.tolist() == [True, False]
    assert p.values.iloc[1] == pd.Timestamp("2024-03-19")


def test_values_that_are_no_date_fail_alone_and_the_others_are_converted():
    p = read(["1402/09/15", "n/a", "1402/13/01", "۱۴۰۳/۰۱/۰۱ ۱۰:۰۰"])
    assert p.failed.tolist() == [False, True, True, False]
    assert p.values.iloc[[0, 3]].tolist() == [pd.Timestamp("2023-12-06"), pd.Timestamp("2024-03-20 10:00")]


@pytest.mark.parametrize("values", [
    ["2023-12-06", "1999-01-01 08:00", "2100/12/31", "1900-01-01"],
    ["06.12.2023", "01/02/2024 10:00"],
    ["2023/03/21", "2024/03/20"],
])
def test_gregorian_years_are_never_converted(values):
    p = read(values)
    assert not [n for n in p.notes if n.code in (SOLAR_HIJRI, SOLAR_HIJRI_MIXED)]
    assert p.values.dt.year.between(1900, 2100).all()


def test_a_column_mixing_both_calendars_is_not_converted_and_says_so():
    p = read(["1402/09/15", "2023/12/06", "1403/01/01"])
    assert p.failed.tolist() == [True, False, True]  # not silently read as 2023-12-06
    assert p.values.iloc[1] == pd.Timestamp("2023-12-06")
    mixed = [n for n in p.notes if n.code == SOLAR_HIJRI_MIXED]
    assert mixed and mixed[0].severity == "warning" and mixed[0].params == {"year": 1402, "gregorian": 2023}
    assert not [n for n in p.notes if n.code == SOLAR_HIJRI]


def test_four_digit_times_are_not_taken_for_years():
    p = read(["1430", "1305"])
    assert not [n for n in p.notes if n.code in (SOLAR_HIJRI, SOLAR_HIJRI_MIXED)]


def test_the_vectorised_conversion_equals_the_function_for_every_day_of_1400_to_1404():
    days = [(y, m, d) for y in range(1400, 1405) for m in range(1, 13) for d in range(1, 32)]
    valid = []
    for y, m, d in days:
        try:
            valid.append(((y, m, d), jalali_to_gregorian(y, m, d)))
        except ValueError:
            pass
    p = read([f"{y}/{m:02d}/{d:02d}" for (y, m, d), _ in valid])
    assert not p.failed.any()
    assert p.values.dt.date.tolist() == [g for _, g in valid]


# a Persian shop's orders: headers as the vocabulary reads them, Solar Hijri dates and prices in
# Persian digits with the Arabic decimal separator; by hand: 2 x 12.50 + 1 x 34.90 + 3 x 12.50 +
# 4 x 7.25 + 2 x 34.90 = 25.00 + 34.90 + 37.50 + 29.00 + 69.80 = 196.20
PERSIAN_LINES = [("۱۰۰۱", "P1", "لیوان سرامیکی", "۲", "۱۴۰۲/۰۹/۱۵ ۱۴:۳۰", "۱۲٫۵۰", "C1", "ایران"),
                 ("۱۰۰۱", "P2", "گلدان شیشه‌ای", "۱", "۱۴۰۲/۰۹/۱۵ ۱۴:۳۰", "۳۴٫۹۰", "C1", "ایران"),
                 ("۱۰۰۲", "P1", "لیوان سرامیکی", "۳", "۱۴۰۲/۱۰/۰۱ ۰۹:۰۵", "۱۲٫۵۰", "C2", "ایران"),
                 ("۱۰۰۳", "P3", "حوله نخی", "۴", "۱۴۰۳/۰۱/۰۱ ۱۰:۰۰", "۷٫۲۵", "C3", "ایران"),
                 ("۱۰۰۴", "P2", "گلدان شیشه‌ای", "۲", "۱۴۰۳/۱۲/۳۰ ۲۳:۵۹", "۳۴٫۹۰", "C2", "ایران")]
PERSIAN_REVENUE = 196.20
PERSIAN_DATES = [pd.Timestamp(x) for x in ("2023-12-06 14:30", "2023-12-06 14:30", "2023-12-22 09:05",
                                           "2024-03-20 10:00", "2025-03-20 23:59")]


def persian_export() -> bytes:
    headers = LAYOUTS["fa"][0]
    frame = pd.DataFrame(PERSIAN_LINES, columns=headers)
    # a raw input the reader gets, as a shop writes it (not a file for a person): so not the export writer
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def test_a_persian_orders_export_end_to_end():
    raw = readers.read_table(persian_export(), "orders_fa.csv")
    mapping = propose_mapping(raw.frame)
    assert mapping.kind == "orders"
    assert mapping.as_dict()["timestamp"] == "تاریخ سفارش"
    applied = apply_mapping(raw.frame, mapping)
    table = applied.table
    assert table["timestamp"].tolist() == PERSIAN_DATES
    assert table["quantity"].tolist() == [2, 1, 3, 4, 2]
    assert table["amount"].sum() == pytest.approx(PERSIAN_REVENUE, abs=1e-9)
    assert table["order_id"].nunique() == 4  # ids are kept as written ("۱۰۰۱")

    result = process(prepare(persian_export(), "orders_fa.csv"))
    summary = result.summary()
    assert summary["rows_in"] == summary["rows_clean"] == 5
    assert summary["revenue_clean"] == PERSIAN_REVENUE
    codes = [n["code"] if isinstance(n, dict) else str(n) for n in result.report["notes"]]
    assert any("Solar Hijri" in c for c in codes), codes

