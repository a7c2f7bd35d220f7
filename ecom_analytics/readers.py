"""Turn the bytes of an uploaded export into a table of raw cells.

:func:`read_table` recognises the container (plain text, ``.gz``, ``.zip``, ``.xlsx``,
Parquet), the text encoding (UTF-8 with or without BOM, UTF-16, GB18030/GBK, Windows-1252 /
Latin-1), the delimiter (comma, tab, semicolon, pipe, or runs of whitespace, leading spaces
included) and whether the first line is a header. It does not interpret values: cells of text
files stay strings, so that :mod:`ecom_analytics.parsing` can report exactly which cell could
not be read. Lines whose field count differs from the header are not dropped: they are
returned in :attr:`RawTable.bad_lines` and end up in the cleaning quarantine.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError

#: Largest upload accepted, in bytes (override with ECOM_ANALYTICS_MAX_UPLOAD_MB).
MAX_UPLOAD_BYTES = int(float(os.environ.get("ECOM_ANALYTICS_MAX_UPLOAD_MB", "500")) * 1024 * 1024)
#: A compressed file may not expand beyond this many bytes (guards against zip bombs).
MAX_EXPANDED_BYTES = 8 * MAX_UPLOAD_BYTES

DELIMITERS = [",", "\t", ";", "|"]
WHITESPACE = "whitespace"

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"BM": None,  # too short to be sure; checked with NUL bytes below
    b"\xd0\xcf\x11\xe0": "an old-style Excel (.xls) or Office file",
    b"RIFF": "a media file",
    b"\x7fELF": "a program",
    b"MZ": None,
    b"SQLite format 3": "a SQLite database",
}


@dataclass
class RawTable:
    """A table read from a file, before any column is interpreted.

    ``frame`` has one column per source column; text-file cells are strings (missing cells
    are NA), spreadsheet and Parquet cells keep their stored types.
    ``line_numbers`` gives, per frame row, the 1-based line (or sheet row) it came from.
    """

    frame: pd.DataFrame
    source_name: str
    file_format: str
    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool = True
    compression: str | None = None
    bad_lines: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> dict:
        """How the file was read, as plain values (for the report and the CLI)."""
        delim = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
            self.delimiter or "", self.delimiter
        )
        return {
            "source_name": self.source_name,
            "format": self.file_format,
            "compression": self.compression,
            "encoding": self.encoding,
            "delimiter": delim,
            "header": self.has_header,
            "rows": int(len(self.frame)),
            "columns": [str(c) for c in self.frame.columns],
            "malformed_lines": len(self.bad_lines),
            "notes": list(self.notes),
        }


def read_table(data: bytes, filename: str = "upload", *, max_bytes: int | None = MAX_UPLOAD_BYTES) -> RawTable:
    """Read an export's bytes into a :class:`RawTable`.

    Raises :class:`InputError` with an actionable sentence for empty, oversized, binary or
    unreadable files.
    """
    name = os.path.basename(filename) or "upload"
    if data is None or len(data) == 0:
        raise InputError(f"'{name}' is empty. Export the data again and upload the new file.")
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(
            f"'{name}' is {_size(len(data))}, above the {_size(max_bytes)} upload limit. "
            "Compress it as .gz or .zip, split it by date, or raise ECOM_ANALYTICS_MAX_UPLOAD_MB."
        )
    return _read_bytes(data, name, compression=None)


def _size(n: int) -> str:
    """A byte count in words: '2.3 MB', '740 KB', '120 bytes'."""
    if n >= 1e9:
        return f"{n / 1e9:,.1f} GB"
    if n >= 1e6:
        return f"{n / 1e6:,.1f} MB"
    if n >= 1e3:
        return f"{n / 1e3:,.0f} KB"
    return f"{n:,} bytes"


def _read_bytes(data: bytes, name: str, compression: str | None) -> RawTable:
    if data[:2] == b"\x1f\x8b":
        try:
            expanded = _gunzip(data)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise InputError(f"'{name}' looks like a .gz file but cannot be decompressed ({exc}). Upload it again.") from exc
        inner = name[:-3] if name.lower().endswith(".gz") else name
        if not expanded:
            raise InputError(f"'{name}' is an empty .gz archive. Export the data again.")
        return _read_bytes(expanded, inner, compression="gzip")
    if data[:4] == b"PK\x03\x04":
        return _read_zip(data, name)
    if data[:4] == b"PAR1":
        return _read_parquet(data, name, compression)
    kind = _binary_kind(data)
    if kind:
        raise InputError(
            f"'{name}' is {kind}, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet export."
        )
    return _read_text(data, name, compression)


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        out = fh.read(MAX_EXPANDED_BYTES + 1)
    if len(out) > MAX_EXPANDED_BYTES:
        raise InputError("The compressed file expands beyond the size this app accepts. Split it by date.")
    return out


def _read_zip(data: bytes, name: str) -> RawTable:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in zf.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
    except zipfile.BadZipFile as exc:
        raise InputError(f"'{name}' looks like a .zip file but is damaged ({exc}). Upload it again.") from exc
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, name)
    tables = [n for n in names if re.search(r"\.(csv|tsv|txt|dat|parquet|xlsx|gz)$", n, re.I)] or names
    if not tables:
        raise InputError(f"'{name}' is an empty .zip archive. Put the export file inside it and upload again.")
    chosen = max(tables, key=lambda n: zf.getinfo(n).file_size)
    if zf.getinfo(chosen).file_size > MAX_EXPANDED_BYTES:
        raise InputError(f"'{chosen}' inside '{name}' is too large to read here. Split it by date.")
    try:
        inner = zf.read(chosen)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        raise InputError(f"'{chosen}' inside '{name}' is damaged and cannot be decompressed ({exc}). "
                         "Create the .zip again and upload it.") from exc
    table = _read_bytes(inner, os.path.basename(chosen), compression="zip")
    table.source_name = f"{name}:{os.path.basename(chosen)}"
    if len(tables) > 1:
        others = ", ".join(os.path.basename(t) for t in tables if t != chosen)
        table.notes.append(f"The archive holds several files; read the largest, '{chosen}'. Not read: {others}.")
    return table


def _read_xlsx(data: bytes, name: str) -> RawTable:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputError(f"'{name}' could not be opened as an Excel workbook ({type(exc).__name__}). "
                         "Save it again from Excel as .xlsx or export it as CSV.") from exc
    sheets = {k: v.dropna(how="all").dropna(axis=1, how="all") for k, v in sheets.items()}
    filled = {k: v for k, v in sheets.items() if len(v) > 0}
    if not filled:
        raise InputError(f"Every sheet of '{name}' is empty. Put the data on the first sheet and upload again.")
    sheet = max(filled, key=lambda k: filled[k].size)
    grid = filled[sheet]
    line_numbers = grid.index.to_numpy() + 1
    rows = grid.reset_index(drop=True)
    notes = []
    if len(filled) > 1:
        notes.append(f"The workbook has several sheets; read the largest, '{sheet}'.")
    first = ["" if pd.isna(v) else str(v) for v in rows.iloc[0].tolist()]
    sample = [[_cell_text(v) for v in r] for r in rows.head(50).itertuples(index=False)]
    has_header = looks_like_header(sample)
    if has_header:
        cols = _unique_names(first)
        frame = rows.iloc[1:].reset_index(drop=True)
        frame.columns = cols
        line_numbers = line_numbers[1:]
    else:
        frame = rows
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    frame = frame.infer_objects()
    frame.attrs["line_numbers"] = line_numbers
    return RawTable(frame, name, "xlsx", has_header=has_header, notes=notes)


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _read_parquet(data: bytes, name: str, compression: str | None) -> RawTable:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises ArrowInvalid and others
        raise InputError(f"'{name}' could not be read as Parquet ({type(exc).__name__}). Export it again.") from exc
    frame = frame.reset_index(drop=frame.index.name is None)
    frame.columns = _unique_names([str(c) for c in frame.columns])
    frame.attrs["line_numbers"] = pd.RangeIndex(1, len(frame) + 1).to_numpy()
    return RawTable(frame, name, "parquet", compression=compression)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic) and kind:
            return kind
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text
    if b"\x00" in head:
        return "a binary file"
    return None


def detect_encoding(data: bytes) -> str:
    """Name of the text encoding of ``data``: utf-8-sig, utf-8, utf-16, gb18030, cp1252 or latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return "gb18030"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _looks_chinese(text: str) -> bool:
    """Whether GB18030-decoded ``text`` reads as Chinese rather than as Latin-1 bytes paired up.

    GB18030 decodes almost any bytes: 'München' in Latin-1 becomes 'M黱chen'. Such characters
    always have an ASCII second byte, which the common (GB2312) characters never have, so
    besides being CJK most non-ASCII characters must also be GB2312 ones.
    """
    counts = Counter(_NON_ASCII.findall(text))
    total = sum(counts.values())
    if not total:
        return False
    cjk = sum(n for ch, n in counts.items()
              if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    common = sum(n for ch, n in counts.items() if _in_gb2312(ch))
    return cjk / total >= 0.9 and common / total >= 0.5


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _read_text(data: bytes, name: str, compression: str | None) -> RawTable:
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if encoding == "utf-16" and text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    first_lines = [ln for ln in lines[:200] if ln.strip()]
    if not first_lines:
        raise InputError(f"'{name}' has no data, only blank lines. Export the data again.")
    printable = sum(ch.isprintable() or ch in "\t" for ch in "".join(first_lines[:50]))
    if printable < 0.95 * max(1, len("".join(first_lines[:50]))):
        raise InputError(f"'{name}' does not look like text. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet export.")
    delimiter = sniff_delimiter(first_lines)
    if delimiter is None:
        raise InputError(
            f"'{name}' has a single column. The app needs at least a customer (or user) column and a date "
            "column; check that the export uses commas, tabs, semicolons or spaces between values."
        )
    sample_rows = [_split(ln, delimiter) for ln in first_lines[:50]]
    has_header = looks_like_header(sample_rows)
    frame, bad, line_numbers = _parse_lines(text, delimiter, has_header)
    if frame.shape[1] < 2:
        raise InputError(f"'{name}' has a single column; the app needs at least a customer and a date column.")
    if len(frame) == 0:
        raise InputError(f"'{name}' has a header but no data rows. Export the data again with its rows.")
    notes = []
    if bad:
        notes.append(f"{len(bad)} line(s) had a different number of fields than the header; they are kept in the quarantine as 'malformed line'.")
    frame.attrs["line_numbers"] = line_numbers
    fmt = {"\t": "tsv", WHITESPACE: "whitespace"}.get(delimiter, "csv")
    return RawTable(frame, name, fmt, encoding=encoding, delimiter=delimiter, has_header=has_header,
                    compression=compression, bad_lines=bad, notes=notes)


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == WHITESPACE:
        return line.split()
    return next(csv.reader([line], delimiter=delimiter))


def sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits ``lines`` into the same number (>= 2) of fields most consistently."""
    best, best_score = None, (0.0, 0)
    sample = lines[:100]
    for delim in DELIMITERS + [WHITESPACE]:
        try:
            counts = [len(_split(ln, delim)) for ln in sample]
        except csv.Error:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (freq / len(counts), 0 if delim == WHITESPACE else mode)
        # a real delimiter wins over whitespace unless whitespace is clearly more consistent
        if delim == WHITESPACE and best is not None and best_score[0] >= 0.9:
            continue
        if score > best_score:
            best, best_score = delim, score
    return best


_NUMBERISH = re.compile(r"^[\s(+\-]*[$€£¥₹]?\s*\d[\d\s.,:/\-T+]*[)%]?\s*(UTC|Z)?$", re.I)


def _is_valueish(cell: str) -> bool:
    return bool(_NUMBERISH.match(cell.strip())) if cell.strip() else False


def looks_like_header(rows: list[list[str]]) -> bool:
    """Whether the first of ``rows`` names the columns rather than holding data.

    A header has no number- or date-like cells; it is also recognised when a column holds
    numbers below a text first cell, or when its text cells never recur in their columns.
    """
    if not rows:
        return False
    first, rest = rows[0], rows[1:]
    if any(_is_valueish(c) for c in first):
        return False
    if not rest:
        return True
    width = len(first)
    for j in range(width):
        column = [r[j] for r in rest if j < len(r) and r[j].strip()]
        if column and sum(_is_valueish(c) for c in column) / len(column) >= 0.8:
            return True
    repeats = sum(1 for j, c in enumerate(first) if any(j < len(r) and r[j] == c for r in rest))
    return repeats == 0 and len(set(first)) == len(first)


def _unique_names(names: list[str]) -> list[str]:
    out, seen = [], Counter()
    for i, n in enumerate(names):
        n = str(n).strip() or f"column_{i + 1}"
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def _parse_lines(text: str, delimiter: str, has_header: bool):
    """Parse the whole text; returns (frame of strings, bad lines, source line numbers)."""
    if delimiter == WHITESPACE:
        return _parse_whitespace(text, has_header)
    buf = io.StringIO(text)
    kwargs = dict(sep=delimiter, dtype=str, keep_default_na=False, na_values=[""],
                  skip_blank_lines=True, header=0 if has_header else None, quotechar='"')
    bad: list[tuple[int, str]] = []
    try:
        frame = pd.read_csv(buf, engine="c", **kwargs)
    except pd.errors.ParserError:
        buf.seek(0)
        collected: list[list[str]] = []

        def on_bad(fields: list[str]) -> None:
            collected.append(fields)
            return None

        frame = pd.read_csv(buf, engine="python", on_bad_lines=on_bad, **kwargs)
        bad = [(0, delimiter.join(f)) for f in collected]
    if has_header:
        frame.columns = _unique_names([str(c) for c in frame.columns])
    else:
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    # Source line numbers: pandas skips blank lines; recover them only when cheap and exact.
    start = 2 if has_header else 1
    line_numbers = pd.RangeIndex(start, start + len(frame)).to_numpy()
    if bad:
        # the lines pandas dropped: those with more fields than the header
        bad = [(i, ln) for i, ln in _locate_bad_lines(text, delimiter, frame.shape[1], has_header)
               if len(_split(ln, delimiter)) > frame.shape[1]]
    # pandas pads a line with too FEW fields with empty cells (its values then sit under the
    # wrong headers); such lines end with an empty last cell, so only those are checked
    if bad or (frame.iloc[:, -1].isna().any() and not _every_line_full(text, delimiter, frame, has_header)):
        frame, bad, line_numbers = _set_aside_short_lines(text, delimiter, frame, bad, has_header, line_numbers)
    return frame, bad, line_numbers


def _every_line_full(text: str, delimiter: str, frame: pd.DataFrame, has_header: bool) -> bool:
    """Cheap proof that no line is short: without quotes, every line (none is too long, or
    pandas would have complained) holds exactly width - 1 delimiters."""
    if '"' in text:
        return False
    return text.count(delimiter) == (len(frame) + int(has_header)) * (frame.shape[1] - 1)


def _set_aside_short_lines(text: str, delimiter: str, frame: pd.DataFrame, bad: list[tuple[int, str]],
                           has_header: bool, line_numbers):
    """Move rows read from lines with fewer fields than the header to ``bad``; fix line numbers."""
    lines = pd.Series(text.splitlines(), dtype="string")
    numbers = pd.Series(lines.index + 1)[(lines.str.strip() != "").to_numpy()]
    if has_header:
        numbers = numbers.iloc[1:]
    dropped = {i for i, _ in bad}
    numbers = numbers[~numbers.isin(dropped)].to_numpy()
    if len(numbers) != len(frame):
        return frame, bad, line_numbers  # quoted cells spanning lines: rows and lines do not align
    suspect = frame.iloc[:, -1].isna().to_numpy()
    texts = lines.iloc[numbers[suspect] - 1]
    fields = texts.str.replace(r'"(?:[^"]|"")*"', "", regex=True).str.count(re.escape(delimiter)) + 1
    short = np.zeros(len(frame), dtype=bool)
    short[suspect] = (fields < frame.shape[1]).to_numpy()
    # when most lines are short the header has an extra (empty) name: nothing is malformed
    if not short.any() or short.sum() * 2 > len(frame):
        return frame, bad, numbers
    moved = list(zip(numbers[short].tolist(), lines.iloc[numbers[short] - 1].tolist()))
    frame = frame[~short].reset_index(drop=True)
    return frame, sorted(bad + moved), numbers[~short]


def _locate_bad_lines(text: str, delimiter: str, width: int, has_header: bool) -> list[tuple[int, str]]:
    out = []
    for i, fields in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if has_header and i == 1:
            continue
        if fields and len(fields) != width:
            out.append((i, delimiter.join(fields)))
    return out


def _parse_whitespace(text: str, has_header: bool):
    rows, numbers, bad = [], [], []
    header = None
    width = None
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split()
        if header is None and has_header:
            header = fields
            width = len(fields)
            continue
        if width is None:
            width = len(fields)
        if len(fields) != width:
            bad.append((i, line.strip()))
            continue
        rows.append(fields)
        numbers.append(i)
    cols = _unique_names(header) if header else [f"column_{i + 1}" for i in range(width or 0)]
    frame = pd.DataFrame(rows, columns=cols, dtype=str) if rows else pd.DataFrame(columns=cols, dtype=str)
    return frame, bad, pd.Index(numbers).to_numpy()
