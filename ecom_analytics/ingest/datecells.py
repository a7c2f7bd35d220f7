"""Date cells that carry more than a date.

Some ERPs write a slip (voucher, document) number into the date cell: ECOUNT's sales list
(판매현황) has a column '일자-No.' whose cells read ``2026/08/03 -3``, the third slip of 3 August
2026. The date is the part before the number; the whole cell identifies the slip.
:func:`strip_slip_numbers` takes such a number off the cells (the unique texts a date parser is
about to read) and says so in a note; cells of any other shape are returned as they are.

Called by :func:`ecom_analytics.ingest.parsing.parse_timestamps` on the cells' text once their time
zone is taken off, before the calendars (Buddhist era, Solar Hijri) and the formats are tried.

Microsoft's JSON dates (``/Date(1645829571576)/``, written by .NET's DataContractJsonSerializer and
by APIs such as Unleashed's, SharePoint's or old ASP.NET services) are milliseconds since 1970-01-01
UTC; :func:`microsoft_json_dates` reads a column of them (an offset such as ``+1300`` after the
number only names the writer's zone: the milliseconds are UTC already).
"""

from __future__ import annotations

import re

import pandas as pd

from ecom_analytics.runs import Note

#: the note said when date cells carried a slip number
SLIP_NUMBER_NOTE = ("dates followed by a slip or document number (such as '{example}'): the date was read, "
                    "the number after it left out")

#: A date (year first or last, with slashes or dots; with dashes only year first) and, after a
#: hyphen or '#' with a space before it (or no space when the date has no dashes), a number of at
#: most 9 digits and nothing else: '2026/08/03 -3', '2026/08/03-12', '03.08.2026 #7', '2026-08-03 -3'.
#: '2026-08-03' alone, a time ('2026/08/03 10:00') or a zone ('2026-08-03 10:00 -0300') never match.
_DATE_THEN_NUMBER = re.compile(
    r"\s*(?P<date>\d{4}(?P<s1>[/.])\d{1,2}(?P=s1)\d{1,2}\.?|\d{1,2}(?P<s2>[/.])\d{1,2}(?P=s2)\d{4}\.?)"
    r"\s*[-#]\s*\d{1,9}\s*"
    r"|\s*(?P<dashed>\d{4}-\d{1,2}-\d{1,2})\s+[-#]\s*\d{1,9}\s*"
)


#: the note said when date cells were Microsoft JSON dates
MICROSOFT_JSON_NOTE = "Microsoft JSON dates (/Date(milliseconds)/, UTC)"

#: '/Date(1645829571576)/', '/Date(-62135596800000)/', '/Date(1645829571576+1300)/', with or without the
#: slashes (some writers drop them, some escape them as '\\/')
_MS_JSON = re.compile(r"\s*(?:\\?/)?Date\((?P<ms>-?\d{1,15})(?:[+-]\d{4})?\)(?:\\?/)?\s*")
#: share of the filled cells that must be such dates for the column to be read as them
MS_JSON_SHARE = 0.95


def microsoft_json_dates(present: pd.Series) -> pd.Series | None:
    """Milliseconds since 1970-01-01 UTC of ``present`` (text cells, none missing) when at least
    MS_JSON_SHARE of them are Microsoft JSON dates, as Int64 (NA where a cell is not one); None when
    the column is not of them."""
    if present.empty:
        return None
    ms = present.astype("string").str.extract("^" + _MS_JSON.pattern + "$")["ms"]
    if ms.notna().mean() < MS_JSON_SHARE:
        return None
    return pd.to_numeric(ms, errors="coerce").astype("Int64")


def strip_slip_numbers(cells: pd.Series) -> tuple[pd.Series, Note | None]:
    """``cells`` (text, as a date parser reads them) with a slip number after a date taken off
    ('2026/08/03 -3' -> '2026/08/03'), and the note that says so (None when no cell had one).
    Missing cells and cells of other shapes are returned unchanged."""
    text = cells.astype("string")
    found = text.str.fullmatch(_DATE_THEN_NUMBER).fillna(False).astype(bool)
    if not found.any():
        return cells, None
    parts = text[found].str.extract(_DATE_THEN_NUMBER)
    dates = parts["date"].fillna(parts["dashed"])
    out = cells.astype(object).copy()
    out[found] = dates.to_numpy(dtype=object)
    example = str(text[found].iloc[0]).strip()
    return out.astype(cells.dtype) if cells.dtype == "string" else out, Note(SLIP_NUMBER_NOTE, {"example": example})
