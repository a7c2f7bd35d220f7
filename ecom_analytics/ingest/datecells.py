"""Date cells that carry more than a date.

Some ERPs write a slip (voucher, document) number into the date cell: ECOUNT's sales list
(판매현황) has a column '일자-No.' whose cells read ``2026/08/03 -3``, the third slip of 3 August
2026. The date is the part before the number; the whole cell identifies the slip.
:func:`strip_slip_numbers` takes such a number off the cells (the unique texts a date parser is
about to read) and says so in a note; cells of any other shape are returned as they are.

Called by :func:`ecom_analytics.ingest.parsing.parse_timestamps` on the cells' text once their time
zone is taken off, before the calendars (Buddhist era, Solar Hijri) and the formats are tried.
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
