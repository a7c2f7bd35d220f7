"""Dates and numbers as the exports of the languages added second write them (Korean Excel style,
morning/afternoon words, CJK clock words, digits of other scripts, the Thai Buddhist era, Czech
spaced dots), each checked against the value written by hand."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.ingest.parsing import BUDDHIST_ERA, parse_numbers, parse_timestamps


def read(values: list[str]):
    return parse_timestamps(pd.Series(values, dtype="str"))


def stamps(values: list[str]) -> list[pd.Timestamp]:
    p = read(values)
    assert not p.failed.any(), p.values.tolist()
    return p.values.tolist()


def test_korean_excel_dates_with_dots_and_spaces():
    assert stamps(["2010. 12. 01. 08:26", "2010. 12. 9. 17:05:30", "2011. 1. 2."]) == [
        pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-09 17:05:30"), pd.Timestamp("2011-01-02")]


def test_korean_morning_and_afternoon_words():
    # 오전 = a.m., 오후 = p.m.; 12 in the morning is 00h, 12 in the afternoon is noon
    assert stamps(["2010. 12. 1. 오전 8:26:00", "2010. 12. 1. 오후 8:26:00", "2010. 12. 1. 오전 12:05:00",
                   "2010. 12. 1. 오후 12:05:00"]) == [
        pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-01 20:26"), pd.Timestamp("2010-12-01 00:05"),
        pd.Timestamp("2010-12-01 12:05")]


def test_chinese_and_japanese_afternoon_marks():
    assert stamps(["2010/12/01 下午 3:04:05", "2010/12/01 午前 9:00"]) == [
        pd.Timestamp("2010-12-01 15:04:05"), pd.Timestamp("2010-12-01 09:00")]


def test_cjk_clock_words():
    assert stamps(["2010年12月1日 8時26分", "2010年12月1日 20时5分30秒", "2010年12月2日 9点07分"]) == [
        pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-01 20:05:30"), pd.Timestamp("2010-12-02 09:07")]


def test_korean_year_month_day_words():
    assert stamps(["2010년 12월 1일 8시 26분", "2010년 12월 3일"]) == [
        pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-03")]


def test_arabic_indic_and_persian_digits_in_dates():
    assert stamps(["٢٠١٠-١٢-٠١ ٠٨:٢٦", "۲۰۱۰-۱۲-۰۲ ۱۷:۰۵", "०१/१२/२०१० ०८:२६"]) == [
        pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-02 17:05"), pd.Timestamp("2010-12-01 08:26")]


def test_arabic_indic_digits_and_separators_in_numbers():
    # ٫ is the Arabic decimal separator, ٬ its group separator
    p = parse_numbers(pd.Series(["١٢٫٥٠", "١٬٢٣٤٫٥", "۳٫۷۵", "๑๒"], dtype="str"))
    assert p.values.tolist() == [12.5, 1234.5, 3.75, 12.0] and not p.failed.any()


def test_thai_buddhist_era_years_when_every_year_is_in_that_era():
    p = read(["01/12/2553 08:26", "15/01/2554 09:00"])
    assert p.values.tolist() == [pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2011-01-15 09:00")]
    era = [n for n in p.notes if n.code == BUDDHIST_ERA]
    assert era and era[0].params == {"year": 2553, "gregorian": 2010}
    assert "2553 = 2010" in era[0].english()


def test_a_buddhist_year_among_gregorian_ones_is_not_converted():
    # one Gregorian year in the column: the era is not the file's, the year 2553 fails as written
    p = read(["2553-12-01 08:26", "2010-12-01 08:26"])
    assert p.failed.tolist() == [True, False]
    assert p.values.iloc[1] == pd.Timestamp("2010-12-01 08:26")
    assert not [n for n in p.notes if n.code == BUDDHIST_ERA]


def test_gregorian_years_are_left_alone():
    p = read(["2010-12-01 08:26", "2011-01-15 09:00"])
    assert p.values.tolist() == [pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2011-01-15 09:00")]
    assert not p.notes


def test_czech_and_slovak_day_first_dates():
    assert stamps(["1.12.2010 8:26", "21.12.2010 18:05"]) == [
        pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-21 18:05")]
    assert stamps(["1. 12. 2010 8:26", "2. 1. 2011"]) == [pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2011-01-02")]
