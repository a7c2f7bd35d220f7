"""Date cells with a slip number after the date (ECOUNT ERP's '일자-No.': '2026/08/03 -3'), hand-written."""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics.ingest.datecells import SLIP_NUMBER_NOTE, strip_slip_numbers
from ecom_analytics.ingest.parsing import parse_timestamps


@pytest.mark.parametrize("cell, date", [
    ("2026/08/03 -3", "2026/08/03"),
    ("2026/07/27 -12", "2026/07/27"),
    ("2026/8/3-1", "2026/8/3"),
    ("2026.08.03 - 4", "2026.08.03"),
    ("03.08.2026 #7", "03.08.2026"),
    ("2026-08-03 -3", "2026-08-03"),
    (" 2026/08/03 -3 ", "2026/08/03"),
])
def test_the_number_after_a_date_is_taken_off(cell, date):
    out, note = strip_slip_numbers(pd.Series([cell], dtype="string"))
    assert out.tolist() == [date]
    assert note is not None and note.code == SLIP_NUMBER_NOTE and note.params == {"example": cell.strip()}


@pytest.mark.parametrize("cell", ["2026-08-03", "2026-08-03-3", "2026/08/03 10:00", "2026-08-03 10:00 -0300",
                                  "05-02-2010", "A-2026/08/03 -3", "2026/08/03 -3 x", "INV-2026-3", "12345"])
def test_other_cells_stay_as_they_are(cell):
    out, note = strip_slip_numbers(pd.Series([cell], dtype="string"))
    assert out.tolist() == [cell] and note is None


def test_missing_cells_and_the_dtype_are_kept():
    cells = pd.Series(["2026/08/03 -3", None, "2026/08/04"], dtype="string")
    out, _ = strip_slip_numbers(cells)
    assert out.dtype == "string" and out.isna().tolist() == [False, True, False]
    assert out.tolist()[::2] == ["2026/08/03", "2026/08/04"]
    plain, _ = strip_slip_numbers(pd.Series(["2026/08/03 -3", "x"], dtype=object))
    assert plain.tolist() == ["2026/08/03", "x"]


def test_the_stripped_cells_read_as_the_dates_they_start_with():
    # what parse_timestamps gives once it calls strip_slip_numbers on the cells (ECOUNT's column, by hand)
    cells = pd.Series(["2026/08/03 -3", "2026/08/03 -3", "2026/07/27 -1", "2026/01/19 -2"], dtype="string")
    out, _ = strip_slip_numbers(cells)
    parsed = parse_timestamps(out)
    assert parsed.values.dt.strftime("%Y-%m-%d").tolist() == ["2026-08-03", "2026-08-03", "2026-07-27", "2026-01-19"]
    assert not parsed.failed.any()
