"""Read numbers and dates out of raw cells, column by column, without losing a cell.

Both parsers return a :class:`Parsed` result: the values, a mask of cells that held something
but could not be read (these become quarantine rows, never silent NaNs), and notes on what
was recognised (decimal comma, date formats, time zones) as :class:`ecom_analytics.runs.Note`
(an English template with ``{name}`` fields and its parameters; ``note.english()`` is the sentence).

Conventions: timestamps come back as naive ``datetime64[ns]`` in UTC when the source
carried a time zone (``+0000``, ``+01:00``, `` UTC``, ``Z``), and as written otherwise;
Unix seconds, milliseconds, microseconds (GA4's ``event_timestamp``) and nanoseconds are UTC
by definition.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.ingest.datecells import MICROSOFT_JSON_NOTE, microsoft_json_dates, strip_slip_numbers
from ecom_analytics.runs import Note


#: codes of the parser's notes that the callers look for
DECIMAL_COMMA = "read with a decimal comma (e.g. 49,90 = 49.90)"
DAY_MONTH_ORDER = "day and month order read as {format}"
CONVERTED_TO_UTC = "times with a time zone were converted to UTC"
BUDDHIST_ERA = "years of the Thai Buddhist era were converted to the Gregorian calendar ({year} = {gregorian})"
SOLAR_HIJRI = ("dates of the Solar Hijri (Iranian) calendar were converted to the Gregorian calendar "
               "(1 Farvardin {year} = {gregorian})")
SOLAR_HIJRI_MIXED = ("dates with Solar Hijri (Iranian) years such as {year} and Gregorian years such as {gregorian} are "
                     "in one column: the Solar Hijri ones were not converted and cannot be read as dates; export "
                     "the column in one calendar")

#: decimal digits of other scripts -> ASCII (Arabic-Indic, Persian, Devanagari, Bengali, Thai, Lao,
#: Myanmar, Khmer, full-width), and the Arabic decimal and group separators
_DIGITS = {start + i: ord("0") + i for start in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x0ED0, 0x1040, 0x17E0,
                                                  0xFF10) for i in range(10)} | {0x066B: ord("."), 0x066C: ord(",")}
_FOREIGN_DIGIT = re.compile("[" + "".join(chr(c) for c in _DIGITS) + "]")


def _ascii_digits(text: pd.Series) -> pd.Series:
    """``text`` with the digits of other scripts written as ASCII digits ("١٢٫٥٠" -> "12.50"),
    unchanged (the same object) when it holds none."""
    if not _FOREIGN_DIGIT.search("\n".join(text.dropna().unique())):
        return text
    return text.str.translate(_DIGITS)


@dataclass
class Parsed:
    """Values read from one column; ``failed`` marks non-empty cells that could not be read."""

    values: pd.Series
    failed: pd.Series
    notes: list[Note] = field(default_factory=list)
    detail: str = ""  # e.g. the date format or decimal separator recognised


def _as_text(raw: pd.Series) -> pd.Series:
    text = raw.astype("string").str.strip()
    return text.mask(text == "")


def _missing(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(raw) or raw.dtype == object:
        return raw.isna() | (raw.astype("string").str.strip() == "").fillna(True)
    return raw.isna()


# ----------------------------------------------------------------------------- numbers

_CURRENCY = re.compile(
    r"(?i)(R\$|US\$|C\$|A\$|HK\$|NZ\$|S\$|NT\$|RMB|CNY|USD|EUR|GBP|JPY|BRL|CHF|AUD|CAD|INR|"
    r"[$€£¥₹₩₽¤円元￥＄￡₱฿₫₺₴₦₪₸]|"
    # more ISO codes, as whole words only (a letter on either side, or a digit after: a word or a code, not money)
    r"(?<![A-Za-z])(?:IDR|MYR|PHP|THB|VND|TRY|PLN|SEK|NOK|DKK|CZK|HUF|RON|MXN|ARS|CLP|COP|PEN|KRW|SGD|TWD|AED|SAR|"
    r"EGP|NGN|KES|UAH|ILS|ZAR|PKR|BDT|LKR|KZT)(?![A-Za-z0-9])|"
    # a currency's local letters before the number (Indonesia's Rp15.000 and Rp.  31.500.000, Rs. 1,250, RM12.50,
    # S/ 25.90) when a dot or a space follows them or the number has groups of thousands or two decimals, so that
    # a code such as RM001 stays a code; or after the number (1.250 zł, 49,90 TL, 250 kr, 1 250 Ft)
    r"^(?:Rp|Rs|RM|S/|Tk|KSh)(?:\.?\s+|\.(?=\d)|(?=\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?$)|(?=\d+[.,]\d{2}$))|"
    r"(?<=\d)\s*(?:zł|Kč|Ft|kr|TL|Lei|Rp|Rs)\.?$)"
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_numbers(raw: pd.Series) -> Parsed:
    """Read amounts, prices and quantities: ``¥1,299.00``, ``£3.75``, ``R$ 49,90``, ``1.299,00 €``, ``(5.00)``.

    The decimal separator is decided per column from the values that show it unambiguously
    (``49,90`` or ``1.299,00`` mean decimal comma; ``3.75`` or ``1,299.00`` decimal point).
    """
    if pd.api.types.is_bool_dtype(raw):
        raw = raw.astype("float64")
    if pd.api.types.is_numeric_dtype(raw):
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        return Parsed(values, pd.Series(False, index=raw.index), detail="numeric")
    missing = _missing(raw)
    text = _as_text(raw)
    fast = pd.to_numeric(text, errors="coerce")
    if not (fast.isna() & ~missing).any():
        return Parsed(fast.astype("float64"), pd.Series(False, index=raw.index), detail="plain")

    s = _ascii_digits(text).str.replace(_CURRENCY, "", regex=True).str.replace(_SPACES, "", regex=True)
    negative = s.str.match(r"^\(.*\)$") | s.str.endswith("-") | s.str.startswith("-")
    s = s.str.replace(r"^[(+\-]+|[)\-]+$", "", regex=True)
    comma_decimal = _decides_comma_decimal(s.dropna())
    # a value whose separators do not follow the column's convention (1.299,00 or 1,5 in a
    # decimal-point column, 3.75 in a decimal-comma one) is marked failed rather than misread
    group, grouped = (".", r"\d{1,3}(\.\d{3})+(,\d*)?") if comma_decimal else (
        ",", r"(\d{1,3}(,\d{3})+|\d{1,2}(,\d{2})*,\d{3})(\.\d*)?")  # 1,299.00 or Indian 1,00,000.00
    contradicts = (s.str.contains(group, regex=False) & ~s.str.fullmatch(grouped)).fillna(False)
    if comma_decimal:
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        detail = "decimal comma"
    else:
        s = s.str.replace(",", "", regex=False)
        detail = "decimal point"
    s = s.mask(contradicts)
    values = pd.to_numeric(s.where(s.str.fullmatch(r"\d*\.?\d+(?:[eE][+-]?\d+)?").fillna(False)), errors="coerce")
    values = values.where(~negative.fillna(False), -values).astype("float64")
    failed = values.isna() & ~missing
    notes = []
    if comma_decimal:
        notes.append(Note(DECIMAL_COMMA))
    return Parsed(values, failed, notes, detail)


def _decides_comma_decimal(s: pd.Series) -> bool:
    sample = s.drop_duplicates().head(5000)
    both = sample[sample.str.contains(",", regex=False) & sample.str.contains(".", regex=False)]
    comma_last = (both.str.rfind(",") > both.str.rfind(".")).sum()
    dot_last = len(both) - comma_last
    only_comma = sample[sample.str.contains(",", regex=False) & ~sample.str.contains(".", regex=False)]
    only_dot = sample[sample.str.contains(".", regex=False) & ~sample.str.contains(",", regex=False)]
    comma_votes = comma_last + only_comma.str.fullmatch(r"\d+,(\d{1,2}|\d{4,})").sum()
    dot_votes = dot_last + only_dot.str.fullmatch(r"\d+\.(\d{1,2}|\d{4,})").sum()
    if comma_votes == dot_votes == 0:
        # only ambiguous values such as 1,299 / 1.299: group separators are the common case
        return bool(only_dot.str.fullmatch(r"\d{1,3}(\.\d{3})+").sum() > only_comma.str.fullmatch(r"\d{1,3}(,\d{3})+").sum())
    return bool(comma_votes > dot_votes)


# ----------------------------------------------------------------------------- dates

DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H",  # an hour alone (Tianchi/Taobao logs: "2014-12-06 02" = 02:00)
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H",
    "%Y/%m/%d",
    "%Y-%m",  # a month alone (monthly series: "1960-01" is January 1960, read as its first day); see MONTH_FORMATS
    "%Y/%m",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%m-%d-%Y %H:%M:%S",  # US dates with dashes (06-24-2021); the values decide against DD-MM-YYYY
    "%m-%d-%Y %H:%M",
    "%m-%d-%Y",
    "%Y. %m. %d. %H:%M:%S",  # Korean (Excel's ko-KR style; 오전/오후 are read as AM/PM first)
    "%Y. %m. %d. %H:%M",
    "%Y. %m. %d.",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
    "%d. %m. %Y %H:%M:%S",  # Czech, Slovak, Hungarian-style spaced dots
    "%d. %m. %Y %H:%M",
    "%d. %m. %Y",
    "%d.%m.%Y. %H:%M:%S",  # Croatian, Serbian, Bosnian, Latvian: a dot after the year too
    "%d.%m.%Y. %H:%M",
    "%d.%m.%Y.",
    "%d. %m. %Y. %H:%M:%S",
    "%d. %m. %Y. %H:%M",
    "%d. %m. %Y.",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d",
    "%Y%m%d%H%M%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%d %b, %Y %H:%M:%S",  # a comma after the month (Zoho: "20 Apr, 2021 07:49:50")
    "%d %b, %Y %H:%M",
    "%d %b, %Y",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %H:%M",
    "%b %d, %Y",
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y",
    "%b-%d-%Y",
    # two-digit years (20YY for 00-68, 19YY for 69-99, as Python's %y), in the families above that write the
    # day or month first; last, so that they never win a tie (a value is read by a %y or a %Y format, not both)
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y",
    "%d-%m-%y %H:%M:%S",
    "%d-%m-%y %H:%M",
    "%d-%m-%y",
    "%m-%d-%y %H:%M:%S",  # month first with dashes (Amazon India's seller reports: 06-24-21)
    "%m-%d-%y %H:%M",
    "%m-%d-%y",
    "%d-%b-%y",  # month names with dashes: 18-Jan-16 (Oracle, SAP), Jan-18-16 (eBay's sales history)
    "%b-%d-%y",
]


#: formats of a month without a day: read only in a column of months (at least MONTH_SHARE of its distinct
#: values), never as one of several formats in a column (a '2021-12' among codes is a code)
MONTH_FORMATS = frozenset({"%Y-%m", "%Y/%m"})
MONTH_SHARE = 0.9


def _date_part(fmt: str) -> str:
    """The date of a format, without its time ("%d/%m/%y %H:%M" -> "%d/%m/%y")."""
    return re.split(r" ?%[HI]", fmt)[0]


#: the date parts of the formats that have a twin with the day and month swapped (DD/MM/YYYY and
#: MM/DD/YYYY, DD-MM-YY and MM-DD-YY): a column is read with the twin that reads more of its values (a
#: first part above 12 proves day first, a second part above 12 month first); a column where neither
#: decides is read with the earlier one in DATE_FORMATS (day first), and the DAY_MONTH_ORDER note says
#: which order was used
_AMBIGUOUS_DATES = ({_date_part(f) for f in DATE_FORMATS}
                    & {_date_part(f).replace("%d", "%D").replace("%m", "%d").replace("%D", "%m") for f in DATE_FORMATS})


#: Korean, Japanese and Chinese morning/afternoon marks written before the time ("오후 8:26:00")
_MERIDIEM = re.compile(r"(?P<mark>오전|오후|午前|午後|上午|下午)\s*(?P<h>\d{1,2})(?P<rest>(?::\d{2}){1,2})")
_AFTERNOON = {"오후", "午後", "下午"}
#: "8時26分30秒", "8点26分", "8시 26분" -> 8:26:30; "2010년 12월 1일" -> 2010年12月1日
_CJK_TIME = re.compile(r"(?P<h>\d{1,2})\s*[時时点시]\s*(?P<m>\d{1,2})\s*[分분](?:\s*(?P<s>\d{1,2})\s*[秒초])?")
_KO_DATE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_CJK_MARK = re.compile(r"[오午上下時时点시년]")
#: a year of four digits (the first in a value)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
#: Buddhist-era years (Gregorian + 543) that a Thai export writes: 2443..2643 = 1900..2100
_BE_YEARS = (2443, 2643)
#: Solar Hijri (Jalali) years an Iranian export writes (1300 = 1921, 1500 = 2121), year first:
#: "1402/09/15", "1402-09-15 14:30"; and the Gregorian years they are told from
_SH_YEARS = (1300, 1500)
_GREGORIAN_YEARS = (1900, 2100)
_JALALI = re.compile(r"(?P<y>\d{4})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?P<rest>(?:[ T].*)?)")
#: the years (Jalali) where the 33-year leap cycles of Borkowski's algorithm break, as in jalaali-js
_JALALI_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394,
                  2456, 3178)


def _east_asian_times(body: pd.Series) -> pd.Series:
    """Korean/Japanese/Chinese time words read as the 24-hour clock the formats know
    ("2010. 12. 1. 오후 8:26:00" -> "2010. 12. 1. 20:26:00", "2010年12月1日 8時26分" -> "2010年12月1日 8:26")."""
    if not body.str.contains(_CJK_MARK).any():
        return body

    def meridiem(m: re.Match) -> str:
        hour = int(m.group("h")) % 12 + (12 if m.group("mark") in _AFTERNOON else 0)
        return f"{hour:02d}{m.group('rest')}"

    def clock(m: re.Match) -> str:
        return f"{m.group('h')}:{int(m.group('m')):02d}" + (f":{int(m.group('s')):02d}" if m.group("s") else "")

    out = body.str.replace(_MERIDIEM, meridiem, regex=True).str.replace(_CJK_TIME, clock, regex=True)
    out = out.str.replace(_KO_DATE, r"\1年\2月\3日", regex=True).str.replace(r"日(?=\d)", "日 ", regex=True)
    return out


def _buddhist_era(body: pd.Series) -> tuple[pd.Series, Note | None]:
    """Thai Buddhist-era years (2553 = 2010) as Gregorian ones, when every value's year is in that
    era (a year above 2400 in some values only is left alone: those values fail as they are)."""
    years = pd.to_numeric(body.str.extract(_YEAR)[0], errors="coerce")
    if body.empty or years.isna().any() or not years.between(*_BE_YEARS).all():
        return body, None
    out = body.str.replace(_YEAR, lambda m: str(int(m.group(1)) - 543), n=1, regex=True)
    year = int(years.min())
    return out, Note(BUDDHIST_ERA, {"year": year, "gregorian": year - 543})


def _jalali_year(jy: int) -> tuple[bool, dt.date]:
    """Whether Solar Hijri year ``jy`` is a leap year (Esfand has 30 days) and the Gregorian date of
    its 1 Farvardin: Kazimierz Borkowski's arithmetic (the algorithm of jalaali-js), exact for years
    -61 to 3177 against the astronomical calendar (Nowruz is the day the March equinox falls before
    noon in Tehran, or the next day)."""
    if not _JALALI_BREAKS[0] <= jy < _JALALI_BREAKS[-1]:
        raise ValueError(f"year {jy} is outside the Solar Hijri years the algorithm covers")
    gy = jy + 621
    leap_j = -14
    jp = _JALALI_BREAKS[0]
    jump = 0
    for jm in _JALALI_BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += jump // 33 * 8 + jump % 33 // 4
        jp = jm
    n = jy - jp
    # leap years since AD 621 to the start of this Solar Hijri year, and in the Gregorian calendar
    leap_j += n // 33 * 8 + (n % 33 + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    leap_g = gy // 4 - (gy // 100 + 1) * 3 // 4 - 150
    march = 20 + leap_j - leap_g  # 1 Farvardin is this day of March
    if jump - n < 6:
        n = n - jump + (jump + 4) // 33 * 33
    leap = int(math.fmod(math.fmod(n + 1, 33) - 1, 4))  # 0: a leap year (remainders truncated, as in the original)
    return leap == 0, dt.date(gy, 3, 1) + dt.timedelta(days=march - 1)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> dt.date:
    """The Gregorian date of Solar Hijri day ``jd`` of month ``jm`` (1 Farvardin .. 12 Esfand) of year
    ``jy``: months 1-6 have 31 days, 7-11 30, Esfand 29 or, in a leap year, 30. ValueError for a day
    the calendar does not have."""
    if not 1 <= jm <= 12:
        raise ValueError(f"month {jm} of a Solar Hijri date")
    leap, nowruz = _jalali_year(jy)
    length = 31 if jm <= 6 else 30 if jm <= 11 else 30 if leap else 29
    if not 1 <= jd <= length:
        raise ValueError(f"day {jd} of Solar Hijri month {jm} of {jy}")
    return nowruz + dt.timedelta(days=(jm - 1) * 31 - (jm // 7) * (jm - 7) + jd - 1)


def _solar_hijri(body: pd.Series) -> tuple[pd.Series, Note | None]:
    """Solar Hijri dates written year first ("1402/09/15", "1402-09-15 14:30", digits already ASCII) as
    the Gregorian dates they are, separator and time kept ("2023/12/06", "2023-12-06 14:30"), when every
    value's four-digit year is one of that calendar's (1300-1500) and some values are such dates (month 1-12,
    day 1-31; the others, "1402/13/01", fail as written). A column that
    also holds Gregorian years (1900-2100) is left as it is, with a warning: its Solar Hijri dates fail.
    A day the calendar does not have (30 Esfand of a common year, 31 Mehr) is left as written and fails."""
    if body.empty:
        return body, None
    parts = body.str.extract("^" + _JALALI.pattern + "$")
    y, m, d = (pd.to_numeric(parts[k], errors="coerce") for k in ("y", "m", "d"))
    jalali = (y.between(*_SH_YEARS) & m.between(1, 12) & d.between(1, 31)).fillna(False).astype(bool)
    if not jalali.any():
        return body, None
    years = pd.to_numeric(body.str.extract(_YEAR)[0], errors="coerce")
    gregorian = years.between(*_GREGORIAN_YEARS)
    if gregorian.any():
        return body, Note(SOLAR_HIJRI_MIXED, {"year": int(y[jalali].min()), "gregorian": int(years[gregorian].min())},
                          "warning")
    if (years.notna() & ~years.between(*_SH_YEARS)).any():  # other years: not a column of this calendar
        return body, None

    # the year's 1 Farvardin and leap flag once per distinct year, then each date's day of the year
    yy, mm, dd = y[jalali].astype(int), m[jalali].astype(int), d[jalali].astype(int)
    years_info = {int(v): _jalali_year(int(v)) for v in yy.unique()}
    nowruz = pd.to_datetime(yy.map(lambda v: years_info[v][1]))
    leap = yy.map(lambda v: years_info[v][0]).astype(bool)
    length = np.where(mm <= 6, 31, np.where(mm <= 11, 30, np.where(leap, 30, 29)))
    valid = dd <= length  # 30 Esfand of a common year, 31 Mehr: left as written, they fail
    greg = nowruz + pd.to_timedelta((mm - 1) * 31 - (mm // 7) * (mm - 7) + dd - 1, unit="D")
    sep, rest = parts.loc[jalali, "sep"], parts.loc[jalali, "rest"].fillna("")
    written = (greg.dt.strftime("%Y") + sep + greg.dt.strftime("%m") + sep + greg.dt.strftime("%d") + rest)
    out = body.copy()
    out[written.index[valid]] = written[valid]
    year = int(yy.min())
    return out, Note(SOLAR_HIJRI, {"year": year, "gregorian": _jalali_year(year)[1].isoformat()})


#: a zone at the end of a value: UTC, GMT or Z, or an offset (+08:00, -0500) written after a time (``pre``: the
#: time's last minutes or seconds, kept); an offset-like ending without a time before it is part of the date
#: ("05-02-2010" ends in "-2010", which is a year, not the offset -20:10)
_TZ = re.compile(r"(?P<pre>:\d{2}(?:\.\d+)?)?\s*(?:(?P<utc>UTC|GMT|Z)|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))$",
                 re.I)


def _strip_zone(match: re.Match) -> str:
    """The value without its zone (see :data:`_TZ`); an offset without a time before it stays."""
    if match.group("sign") and not match.group("pre"):
        return match.group(0)
    return match.group("pre") or ""
_FRACTION = re.compile(r"(\d{2}:\d{2}:\d{2})\.\d+")
#: a comma between a numeric date and its time ("6-3-2026, 13:06:15" of a Dutch form export, "06/03/2026, 13:06"
#: of a browser's toLocaleString): read as the space the formats know, so the day and month rules still decide
_COMMA_BEFORE_TIME = re.compile(r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\.?),\s*(\d{1,2}:\d{2})")

_NS_MIN, _NS_MAX = pd.Timestamp.min.ceil("s"), pd.Timestamp.max.floor("s")

#: Excel's day 0 and the serial days a nanosecond timestamp can hold (1677-09-22 .. 2262-04-11)
_EXCEL_ORIGIN = pd.Timestamp("1899-12-30")
_EXCEL_DAYS = ((_NS_MIN.to_pydatetime() - _EXCEL_ORIGIN.to_pydatetime()).days + 1,
               (_NS_MAX.to_pydatetime() - _EXCEL_ORIGIN.to_pydatetime()).days - 1)

#: Excel serial days of a column of dates: at least _EXCEL_SHARE of its numbers are days of 1954..2119
_EXCEL_SERIALS, _EXCEL_SHARE = (20_000, 80_000), 0.95

# Plausible range for Unix times: 2000-01-01 .. 2040-01-01
_UNIX_S = (946_684_800, 2_208_988_800)


#: the formats are scored on the first SAMPLE_DISTINCT distinct values and on the first SHAPE_SAMPLE distinct values
#: of each shape (digits written as 0; at most SHAPES_SAMPLED such values in all, by first appearance), so that a
#: shape first seen late (files of one layout stacked, the first written ``4/19/2019 08:46`` and the others
#: ``08/31/19 22:21``) is read by its own format instead of set aside; the streaming ingest hands the parser the
#: same values (``stream._NOTE_VALUES``)
SAMPLE_DISTINCT = 2000
SHAPE_SAMPLE = 200
SHAPES_SAMPLED = 10_000


def _scoring_sample(uniq: pd.Series, body: pd.Series) -> pd.Index:
    """The positions of ``uniq`` (distinct values in the order they first appear) whose ``body`` the formats are
    scored on: the first :data:`SAMPLE_DISTINCT` distinct bodies and the first :data:`SHAPE_SAMPLE` values of
    each shape, without repeating a body."""
    head = body.drop_duplicates().head(SAMPLE_DISTINCT).index
    if len(uniq) <= SAMPLE_DISTINCT:
        return head
    shape = uniq.str.replace(r"\d", "0", regex=True)
    per_shape = shape.groupby(shape, sort=False).head(SHAPE_SAMPLE).index.sort_values()[:SHAPES_SAMPLED]
    both = head.union(per_shape)
    return both[~body[both].duplicated().to_numpy()]


def parse_timestamps(raw: pd.Series) -> Parsed:
    """Read dates and times: ISO, ``YYYY/MM/DD HH:MM``, ``DD.MM.YYYY``, ``YYYYMMDD``, US and
    European slashes, Chinese ``2024年3月1日`` (``8時26分``), Korean ``2010. 12. 01. 08:26`` (``오후 8:26:00``),
    Czech ``1. 12. 2010``, Croatian/Serbian/Latvian ``01.12.2010.`` (a dot after the year), digits of other scripts (``٢٠١٠``), Thai Buddhist-era years (``2553`` = 2010,
    when every value's year is in that era), Solar Hijri dates written year first (``1402/09/15`` =
    2023-12-06, ``۱۴۰۲-۰۹-۱۵ ۱۴:۳۰``, when every dated value is one), with or without a zone (``+0000``, `` UTC``),
    Unix seconds, milliseconds, microseconds (16 digits, GA4's ``event_timestamp``) or
    nanoseconds (19 digits), and Excel serial days. A date with an hour alone (``2014-12-06 02``,
    Tianchi/Taobao logs) is that hour (02:00). Two-digit years are read day or month first with dots,
    slashes or dashes (``01.12.10``, ``14/06/21``, ``12/1/10 8:26``, ``06-24-21``, with or without a time)
    as Python's ``%y`` reads them: 00-68 are 2000-2068, 69-99 are 1969-1999 (``01/01/69`` is 1 January 1969).

    The format is chosen per column by how many distinct values it reads; cells the main
    format cannot read are tried with the others, and the formats used are reported. So the
    order of day and month (DD/MM or MM/DD) is decided by the values: a first part above 12 proves
    day first, a second part above 12 month first; when no value decides, day first is read. Where
    a format has a twin with day and month swapped (slashes; dashes with two-digit years), the
    :data:`DAY_MONTH_ORDER` note says which order was read. A value is read with a four-digit or a
    two-digit year, never both (``12/01/2010`` is never 1 December 2020 with ``10`` left over).
    """
    index = raw.index
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        values = raw.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
        return Parsed(values, pd.Series(False, index=index), ["converted to UTC"], "datetime")
    if pd.api.types.is_datetime64_any_dtype(raw):
        return Parsed(raw.astype("datetime64[ns]"), pd.Series(False, index=index), detail="datetime")
    missing = _missing(raw)
    if pd.api.types.is_numeric_dtype(raw):
        return _parse_numeric_time(pd.to_numeric(raw, errors="coerce"), missing)
    if raw.dtype == object:
        # spreadsheets mix datetime objects and text in one column
        is_dt = raw.map(lambda v: hasattr(v, "year") and hasattr(v, "month"))
        if is_dt.any():
            values = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
            values[is_dt] = pd.to_datetime(raw[is_dt].astype(object), errors="coerce", utc=True).dt.tz_localize(None)
            rest = parse_timestamps(raw[~is_dt].astype("string"))
            values[~is_dt] = rest.values
            failed = pd.Series(False, index=index)
            failed[~is_dt] = rest.failed
            return Parsed(values, failed, rest.notes, "datetime + " + rest.detail if rest.detail else "datetime")

    text = _ascii_digits(_as_text(raw))
    present = text.dropna()
    if present.empty:
        return Parsed(pd.Series(pd.NaT, index=index, dtype="datetime64[ns]"), pd.Series(False, index=index))
    ms = microsoft_json_dates(present)
    if ms is not None:
        return _parse_microsoft_json(ms, index, missing)
    if present.str.fullmatch(r"\d{9,13}(\.\d+)?|\d{15,16}|\d{18,19}").mean() > 0.95:
        return _parse_numeric_time(pd.to_numeric(text, errors="coerce"), missing, failed_text=text)
    if present.str.fullmatch(r"\d{5}(\.\d+)?").mean() > 0.95:
        return _parse_numeric_time(pd.to_numeric(text, errors="coerce"), missing, failed_text=text)

    # time zone suffixes -> offset in minutes, then parse the rest
    uniq = pd.Series(present.unique())
    tz = uniq.str.extract(_TZ).astype(object)
    tz.loc[tz["pre"].isna(), ["sign", "hh", "mm"]] = np.nan
    offset = pd.Series(0.0, index=uniq.index)
    has_offset = tz["sign"].notna()
    if has_offset.any():
        sign = np.where(tz["sign"].fillna("+") == "-", -1.0, 1.0)
        mins = pd.to_numeric(tz["hh"]).fillna(0) * 60 + pd.to_numeric(tz["mm"]).fillna(0)
        offset = pd.Series(np.where(has_offset, sign * mins, 0.0), index=uniq.index)
    zoned = has_offset | tz["utc"].notna()
    body = uniq.str.replace(_TZ, _strip_zone, regex=True).str.replace(_FRACTION, r"\1", regex=True)
    body = body.str.replace(_COMMA_BEFORE_TIME, r"\1 \2", regex=True)
    body, slip = strip_slip_numbers(body)
    body = _east_asian_times(body)
    body, era = _buddhist_era(body)
    body, hijri = _solar_hijri(body)

    sample = body[_scoring_sample(uniq, body)]
    scores = []
    for fmt in DATE_FORMATS:
        ok = pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum()
        if fmt in MONTH_FORMATS and ok < MONTH_SHARE * len(sample):
            continue
        if ok:
            scores.append((ok, -DATE_FORMATS.index(fmt), fmt))
    scores.sort(reverse=True)
    parsed = pd.Series(pd.NaT, index=uniq.index, dtype="datetime64[ns]")
    used = []
    for _, _, fmt in scores:
        todo = parsed.isna()
        if not todo.any():
            break
        got = pd.to_datetime(body[todo], format=fmt, errors="coerce")
        # years a nanosecond timestamp cannot hold (e.g. '1511544070' read as 1511-05-04) fail
        got = got.where((got >= _NS_MIN) & (got <= _NS_MAX))
        if got.notna().any():
            parsed[todo] = got
            used.append(fmt)
    parsed = parsed - pd.to_timedelta(offset, unit="m")
    lookup = pd.Series(parsed.to_numpy(), index=uniq.to_numpy())
    values = pd.Series(text.map(lookup).to_numpy(dtype="datetime64[ns]"), index=index)
    failed = values.isna() & ~missing
    notes = [n for n in (slip, era, hijri) if n is not None]
    if len(used) > 1:
        notes.append(Note("mixed date formats in one column: {formats}; each value was read with the format that "
                          "fits it", {"formats": ", ".join(_human_format(f) for f in used)}))
    if zoned.any():
        notes.append(Note(CONVERTED_TO_UTC))
    ambiguous = [f for f in used if _date_part(f) in _AMBIGUOUS_DATES]
    if ambiguous:
        notes.append(Note(DAY_MONTH_ORDER, {"format": _human_format(ambiguous[0])}))
    return Parsed(values, failed, notes, ", ".join(_human_format(f) for f in used))


def _parse_microsoft_json(ms: pd.Series, index: pd.Index, missing: pd.Series) -> Parsed:
    """Timestamps (UTC) of milliseconds since 1970 ``ms`` (the filled cells, by their index) of a column
    of Microsoft JSON dates; a cell that is not one, or whose time a nanosecond timestamp cannot hold, fails."""
    lo, hi = _NS_MIN.value // 10**6, _NS_MAX.value // 10**6
    ok = ms.between(lo, hi).fillna(False).astype(bool)
    values = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if ok.any():
        values[ok[ok].index] = pd.to_datetime(ms[ok].astype("int64"), unit="ms").to_numpy()
    return Parsed(values, values.isna() & ~missing, [Note(MICROSOFT_JSON_NOTE)], "Microsoft JSON dates")


def _parse_numeric_time(num: pd.Series, missing: pd.Series, failed_text: pd.Series | None = None) -> Parsed:
    present = num.dropna()
    index = num.index
    med = present.median() if len(present) else np.nan
    if _UNIX_S[0] <= med < _UNIX_S[1]:
        unit, note = "s", "Unix seconds (UTC)"
    elif _UNIX_S[0] * 1000 <= med < _UNIX_S[1] * 1000:
        unit, note = "ms", "Unix milliseconds (UTC)"
    elif _UNIX_S[0] * 10**6 <= med < _UNIX_S[1] * 10**6:
        unit, note = "us", "Unix microseconds (UTC)"
    elif _UNIX_S[0] * 10**9 <= med < _UNIX_S[1] * 10**9:
        unit, note = "ns", "Unix nanoseconds (UTC)"
    elif 19_000_101 <= med <= 20_991_231:
        values = pd.to_datetime(num.astype("Int64").astype("string"), format="%Y%m%d", errors="coerce")
        return Parsed(values.astype("datetime64[ns]"), values.isna() & ~missing, [], "YYYYMMDD")
    elif 20_000 <= med <= 80_000 and present.between(*_EXCEL_SERIALS).mean() >= _EXCEL_SHARE:
        # a value whose day a nanosecond timestamp cannot hold (1,293,000 days is the year 5440) is not a date,
        # never an overflow; a column whose values mostly lie outside 1954..2119 (a bakery's receipts in KRW,
        # 12,800 to 1,293,000, whose median merely looks like serial days) is no column of dates at all
        plausible = num.between(*_EXCEL_DAYS).fillna(False).astype(bool)
        values = pd.to_datetime(num.where(plausible), unit="D", origin=_EXCEL_ORIGIN, errors="coerce")
        values = pd.Series(values.to_numpy(dtype="datetime64[ns]"), index=index)
        return Parsed(values, values.isna() & ~missing, [Note("Excel serial days")], "Excel serial days")
    else:
        values = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        return Parsed(values, ~missing, [], "not a date")
    scale = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    lo, hi = _UNIX_S[0] * scale, _UNIX_S[1] * scale
    if unit in ("us", "ns") and failed_text is not None:
        # whole numbers from the text itself: 19 digits do not fit a float's 53 bits exactly
        exact = pd.to_numeric(failed_text.where(failed_text.str.fullmatch(r"\d{1,19}", na=False)), errors="coerce")
        num = exact.astype("Int64") if exact.notna().any() else num
    plausible = num.between(lo, hi).fillna(False).astype(bool)
    if unit in ("us", "ns"):
        ints = num.where(plausible).astype("Int64")
        values = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        if plausible.any():
            values[plausible] = pd.to_datetime(ints[plausible].astype("int64") * (1000 if unit == "us" else 1),
                                               unit="ns").to_numpy()
        return Parsed(values, values.isna() & ~missing, [Note(note)], note)
    values = pd.to_datetime(num.where(plausible), unit=unit, errors="coerce").astype("datetime64[ns]")
    return Parsed(values, values.isna() & ~missing, [Note(note)], note)


def _human_format(fmt: str) -> str:
    return (fmt.replace("%Y", "YYYY").replace("%y", "YY").replace("%m", "MM").replace("%d", "DD").replace("%H", "HH")
            .replace("%M", "mm").replace("%S", "ss").replace("%I", "hh").replace("%p", "AM/PM")
            .replace("%b", "Mon"))
