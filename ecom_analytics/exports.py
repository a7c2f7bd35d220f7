"""The one writer of every CSV and Excel file the app and the command line hand out.

Every table an analyst downloads (a page's download button) or the CLI writes (``--out``,
``--predictions``, the sample files) goes through this module, so one rule protects them all
against CSV / formula injection (OWASP, "CSV Injection"): a customer id or product name such as
``=HYPERLINK("http://x.example","y")`` must reach the spreadsheet as text, never as a formula.

The rule, cell by cell (text cells of the body, the index and the column headers):

- a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe (``'=1+1``), which makes Excel, LibreOffice and Google Sheets show it as text;
- so does a text cell whose first character after leading white space (spaces, no-break spaces,
  line feeds, ideographic spaces) is one of those, because some programs trim white space on
  import (`` =1+1`` -> ``' =1+1``);
- so does a cell beginning with the full-width forms ``＝ ＋ － ＠`` (U+FF1D, U+FF0B, U+FF0D,
  U+FF20), which East Asian input methods type and some spreadsheet versions read as formula
  signs; a product name that really starts with one only gains an apostrophe;
- a text cell that is a plain real number (``-12.5``, ``+3``, ``1e5``, ``-.5``) is left as it is:
  a spreadsheet reads it as that number, not as a formula;
- numeric, boolean and date columns are never changed; missing values stay missing.

CSV files quote every text cell (``csv.QUOTE_NONNUMERIC``; numbers stay unquoted), so a cell
such as ``Mug;=1+1`` stays one cell when a spreadsheet in a locale whose list separator is ``;``
opens the file, and the ``=`` never starts a cell of its own. Files use UTF-8 and ``\\n`` line
ends. Excel files (.xlsx) hold the same escaped text as the CSV.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import os
import re
from pathlib import Path

import pandas as pd

from ecom_analytics.errors import InputError

#: Characters that make a spreadsheet read a cell as a formula (OWASP), and their full-width forms.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FULLWIDTH_FORMULA_START = ("\uff1d", "\uff0b", "\uff0d", "\uff20")  # ＝ ＋ － ＠

_RISKY = re.compile(r"[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_REAL_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# characters an .xlsx cannot hold (openpyxl refuses them): control characters but tab, LF, CR
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")

CSV_MIME = "text/csv"
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    """``value`` made safe for a spreadsheet: a text value that could start a formula with an
    apostrophe in front (see the module docstring); any other value (numbers, dates, missing
    values, text that cannot start a formula or is a plain real number) unchanged."""
    if isinstance(value, str) and _RISKY.match(value) and not _REAL_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _escape_series(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    elif not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return values  # numbers, booleans, dates: a spreadsheet cannot read them as a formula
    return values.map(escape_cell, na_action="ignore").astype(values.dtype)


def _escape_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [_escape_index(index.get_level_values(i)) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=[escape_cell(n) for n in index.names])
    name = escape_cell(index.name)
    if isinstance(index.dtype, pd.CategoricalDtype) or index.dtype == object \
            or pd.api.types.is_string_dtype(index.dtype):
        values = _escape_series(pd.Series(index))
        return pd.Index(values.to_numpy(), dtype=values.dtype, name=name)
    return index.rename(name)


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which no text cell, index value or column header can start a
    spreadsheet formula (rule in the module docstring); numeric columns are untouched."""
    out = frame.copy()
    for i in range(out.shape[1]):
        out.isetitem(i, _escape_series(out.iloc[:, i]))
    out.columns = _escape_index(out.columns)
    out.index = _escape_index(out.index)
    return out


def csv_text(frame: pd.DataFrame, *, index: bool = True, date_format: str | None = None,
             quote_text: bool = True) -> str:
    """``frame`` as spreadsheet-safe CSV text (``\\n`` line ends). ``quote_text`` quotes every
    text cell (the default for what people open in a spreadsheet); ``False`` quotes only where
    the CSV format needs it (used for the shipped sample files, whose bytes must not change)."""
    return spreadsheet_safe(frame).to_csv(index=index, date_format=date_format, lineterminator="\n",
                                          quoting=csv.QUOTE_NONNUMERIC if quote_text else csv.QUOTE_MINIMAL)


def csv_bytes(frame: pd.DataFrame, *, index: bool = True, date_format: str | None = None,
              quote_text: bool = True) -> bytes:
    """``frame`` as a spreadsheet-safe CSV file (UTF-8 bytes), e.g. for ``st.download_button``."""
    return csv_text(frame, index=index, date_format=date_format, quote_text=quote_text).encode("utf-8")


def _excel_ready(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)  # Excel has no time zones
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        return values.map(lambda v: _XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v, na_action="ignore")
    return values


def excel_bytes(frame: pd.DataFrame, *, sheet: str = "data", index: bool = True) -> bytes:
    """``frame`` as a spreadsheet-safe Excel workbook (.xlsx bytes) with one sheet named
    ``sheet`` (cut to Excel's 31 characters). Control characters an .xlsx cannot hold are
    dropped from text cells; time zones are dropped from dates (Excel has none)."""
    safe = spreadsheet_safe(frame)
    for i in range(safe.shape[1]):
        safe.isetitem(i, _excel_ready(safe.iloc[:, i]))
    name = _SHEET_ILLEGAL.sub(" ", sheet).strip()[:31] or "data"
    buf = io.BytesIO()
    safe.to_excel(buf, sheet_name=name, index=index, engine="openpyxl")
    return buf.getvalue()


def write_table(frame: pd.DataFrame, path: str | os.PathLike, *, index: bool = True,
                date_format: str | None = None, quote_text: bool = True) -> Path:
    """Write ``frame`` to ``path`` through the same rule: an Excel workbook when the name ends
    in ``.xlsx``, gzip-compressed CSV when it ends in ``.gz`` (fixed header time, so the same
    table gives the same bytes), CSV otherwise. The file appears whole or not at all (written
    next to it, then renamed). Returns the path; raises :class:`InputError` with a sentence when
    the file cannot be written."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".xlsx"):
        data = excel_bytes(frame, sheet=path.name[: -len(".xlsx")], index=index)
    else:
        data = csv_bytes(frame, index=index, date_format=date_format, quote_text=quote_text)
        if name.endswith(".gz"):
            data = gzip.compress(data, compresslevel=9, mtime=0)
    return write_bytes(data, path)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write a file made for a user (a report) to ``path``: whole or not at all (written next to
    it, then renamed). Returns the path; raises :class:`InputError` with a sentence when it cannot
    be written."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise InputError("Cannot write {path} ({reason}). Check that its folder exists and is writable.", path=path,
                         reason=exc.strerror or exc) from exc
    return path
