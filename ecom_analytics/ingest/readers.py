"""Turn the bytes of an uploaded export into a table of raw cells.

:func:`read_table` recognises the container (plain text, ``.gz``, ``.zip``, ``.xlsx``,
Parquet), the text encoding (UTF-8 with or without BOM, UTF-16, GB18030/GBK, Big5, Shift-JIS,
EUC-KR, Windows-1250/1251/1252/1254/1257 (Baltic) / Latin-1, and Thai cp874, Arabic cp1256, Hebrew cp1255), the delimiter (comma, tab, semicolon, pipe, or runs of whitespace, leading spaces
included) and whether the first line is a header. It does not interpret values: cells of text
files stay strings, so that :mod:`ecom_analytics.ingest.parsing` can report exactly which cell could
not be read. Lines whose field count differs from the header are not dropped: they are
returned in :attr:`RawTable.bad_lines` and end up in the cleaning quarantine.

Every upload is read within a memory budget (:func:`memory_budget_bytes`): ``.gz`` files and
``.zip`` members are decompressed as a stream, CHUNK_BYTES at a time, and refused as soon as
their text passes :func:`text_limit_bytes`, expands more than MAX_EXPANSION_RATIO times, or
begins like a binary file; plain text, Parquet and workbooks are measured before parsing.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.runs import Note

#: Megabyte as Streamlit's ``server.maxUploadSize`` counts it; every size the app states uses it.
MB = 1024 * 1024
#: Largest upload accepted, in bytes (override with ECOM_ANALYTICS_MAX_UPLOAD_MB, in MB of 1024 * 1024 bytes).
MAX_UPLOAD_BYTES = int(float(os.environ.get("ECOM_ANALYTICS_MAX_UPLOAD_MB", "500")) * MB)

#: Share of the container's (cgroup) or machine's memory one upload may use when
#: ECOM_ANALYTICS_MEMORY_MB is not set: the other half is left to the app, its caches and other users.
MEMORY_SHARE = 0.5
#: Memory assumed when neither the cgroup nor the operating system says (8 GB).
FALLBACK_MEMORY_BYTES = 8 * 1024 * MB
#: Peak memory of a whole ingest (read, map, clean, store) per byte of CSV text, above the memory
#: the process held before it. Measured with
#:     python benchmarks/hostile_uploads.py --measure-factor
#: (each case in a fresh process, peak RSS from getrusage minus the RSS after the imports; 2 cores):
#: online_retail.csv (45 MB of text, 541,909 lines) 13.7 bytes per byte; the same three times over
#: (135 MB) 13.6; one line repeated to 101 MB 13.1. Reading alone is about 4.6 of it (the text, the
#: frame of strings); mapping and cleaning add about 6, storing about 2. The limit divides by 15.
PEAK_BYTES_PER_TEXT_BYTE = 15
#: A compressed upload that expands more than this many times once past RATIO_FLOOR_BYTES is
#: refused: real exports compress 4 to 15 times (online_retail.csv.gz 6.2, the rees46 events 3.9),
#: a line repeated or a run of zeros hundreds of times (deflate's most is about 1,030).
MAX_EXPANSION_RATIO = 100
#: Decompressed bytes below which the expansion ratio is not checked (a tiny archive of a small
#: file may compress very well).
RATIO_FLOOR_BYTES = 64 * MB
#: A workbook's sheet XML (xl/worksheets, shared strings) may be this many times the text limit:
#: a whole ingest of 100,000 Online Retail lines saved by pandas as .xlsx (48 MB of sheet XML)
#: peaked 4.6 bytes per byte of XML above the imports, a third of a byte of CSV text; 2 leaves room
#: for workbooks whose shared strings make the XML denser.
XLSX_XML_PER_TEXT_BYTE = 2
#: Archives inside archives (a .gz in a .zip) are read this many levels deep, no further.
MAX_NESTING = 2
#: Bytes decompressed per step: the limits are checked after each step.
CHUNK_BYTES = MB
#: How many bytes at the start of a (decompressed) file are looked at to recognise a binary file.
BINARY_PROBE_BYTES = 8192

DELIMITERS = [",", "\t", ";", "|"]
WHITESPACE = "whitespace"

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_PARQUET_MAGIC = b"PAR1"

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
    notes: list[Note] = field(default_factory=list)  # coded: note.english() is the sentence
    #: How sure the encoding is, 0 to 1 (1 for a byte-order mark, plain ASCII or an encoding given
    #: by the analyst); None for workbooks and Parquet. Below LOW_CONFIDENCE a note says so.
    encoding_confidence: float | None = None
    #: Lines (sheet rows) above the header that were skipped as a title or notes (0: none).
    skipped_lines: int = 0

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
            "encoding_confidence": self.encoding_confidence,
            "delimiter": delim,
            "header": self.has_header,
            "rows": int(len(self.frame)),
            "columns": [str(c) for c in self.frame.columns],
            "malformed_lines": len(self.bad_lines),
            "notes": [note.english() for note in self.notes],
        }


def memory_budget_bytes() -> int:
    """Bytes one upload may use from reading to storing: ECOM_ANALYTICS_MEMORY_MB (MB of
    1024 * 1024 bytes) when set, else MEMORY_SHARE of the memory the container's cgroup or,
    without a cgroup limit, the machine allows."""
    configured = os.environ.get("ECOM_ANALYTICS_MEMORY_MB", "").strip()
    if configured:
        try:
            megabytes = float(configured)
        except ValueError:
            megabytes = -1.0
        if not megabytes > 0:
            raise InputError("ECOM_ANALYTICS_MEMORY_MB is '{value}', not a number of MB. Set it to the memory one "
                             "upload may use (for example 4000) or unset it.",
                             value=configured)
        return int(megabytes * MB)
    return int(machine_memory_bytes() * MEMORY_SHARE)


def machine_memory_bytes() -> int:
    """Memory this process may use, in bytes: the cgroup limit (v2 ``memory.max`` or v1
    ``memory.limit_in_bytes``) when it is below the physical memory, else the physical memory."""
    found = []
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as fh:
                text = fh.read().strip()
        except OSError:
            continue
        if text.isdigit():  # "max" means no limit
            found.append(int(text))
    try:
        found.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        pass
    found = [n for n in found if n > 0]
    return min(found) if found else FALLBACK_MEMORY_BYTES


def text_limit_bytes(budget: int | None = None) -> int:
    """Most bytes of text (after decompression) one upload may hold: the memory budget
    (:func:`memory_budget_bytes` when None) divided by PEAK_BYTES_PER_TEXT_BYTE."""
    budget = memory_budget_bytes() if budget is None else budget
    return int(budget // PEAK_BYTES_PER_TEXT_BYTE)


@dataclass
class ReadLimits:
    """The bounds one upload is read within (bytes): text after decompression, the memory
    budget it comes from (for the message), and the size of the upload as received (for
    the expansion ratio)."""

    text_bytes: int
    budget_bytes: int
    upload_bytes: int
    depth: int = 0

    @classmethod
    def for_upload(cls, upload_bytes: int, text_bytes: int | None = None) -> "ReadLimits":
        """The limits of an upload of ``upload_bytes`` on this machine (``text_bytes`` overrides
        the text limit; the budget stated is then the one it implies)."""
        if text_bytes is None:
            budget = memory_budget_bytes()
            text_bytes = text_limit_bytes(budget)
        else:
            budget = text_bytes * PEAK_BYTES_PER_TEXT_BYTE
        return cls(int(text_bytes), int(budget), int(upload_bytes))

    def deeper(self) -> "ReadLimits":
        return ReadLimits(self.text_bytes, self.budget_bytes, self.upload_bytes, self.depth + 1)


#: Delimiter names (and characters) an override may give, and the delimiter each means.
DELIMITER_NAMES = {",": ",", "comma": ",", "\t": "\t", "\\t": "\t", "tab": "\t", ";": ";", "semicolon": ";",
                   "|": "|", "pipe": "|", "whitespace": WHITESPACE, "space": WHITESPACE, "spaces": WHITESPACE,
                   " ": WHITESPACE}


@dataclass(frozen=True)
class ReadOptions:
    """What the analyst chose instead of detection (None: detect): a Python codec name, a
    delimiter (one of DELIMITERS or WHITESPACE) and whether the first line is a header."""

    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool | None = None

    @classmethod
    def checked(cls, encoding: str | None = None, delimiter: str | None = None,
                has_header: bool | None = None) -> "ReadOptions":
        """Options with the encoding and delimiter validated; raises :class:`InputError` naming
        the choices when one is unknown."""
        if encoding is not None and str(encoding).strip():
            encoding = str(encoding).strip()
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise InputError("'{encoding}' is not a text encoding this app knows. Give a name such as utf-8, gb18030, "
                                 "big5, shift_jis, euc-kr, cp1252, cp1250, cp1251 or utf-16, or leave the encoding to be "
                                 "detected.",
                                 encoding=encoding) from None
        else:
            encoding = None
        if delimiter is not None and str(delimiter) != "":
            key = str(delimiter) if str(delimiter).strip() == "" else str(delimiter).strip().lower()
            if key not in DELIMITER_NAMES:
                raise InputError("'{delimiter}' is not a delimiter this app reads. Choose comma, tab, semicolon, pipe or "
                                 "whitespace, or leave the delimiter to be detected.",
                                 delimiter=delimiter)
            delimiter = DELIMITER_NAMES[key]
        else:
            delimiter = None
        return cls(encoding, delimiter, None if has_header is None else bool(has_header))


def read_table(data: bytes, filename: str = "upload", *, max_bytes: int | None = MAX_UPLOAD_BYTES,
               max_text_bytes: int | None = None, encoding: str | None = None, delimiter: str | None = None,
               has_header: bool | None = None) -> RawTable:
    """Read an export's bytes into a :class:`RawTable`.

    ``max_bytes`` bounds the upload as received; the text it holds (decompressed as a stream)
    is bounded by ``max_text_bytes`` (default :func:`text_limit_bytes`, from the memory budget)
    and by the expansion ratio, so memory stays within the budget. Raises :class:`InputError`
    with an actionable sentence for empty, oversized, binary or unreadable files.

    ``encoding``, ``delimiter`` and ``has_header`` override what is detected (None: detect).
    A given encoding is used as is (a Python codec name such as 'gb18030', 'cp1252', 'utf-16-le');
    ``delimiter`` is ',', '\\t', ';', '|', 'whitespace' or a name ('comma', 'tab', 'semicolon', 'pipe',
    'space'); ``has_header=False`` reads the first line as data. Encoding and delimiter apply to
    text files only; the header choice also to workbooks.
    """
    options = ReadOptions.checked(encoding, delimiter, has_header)
    name = os.path.basename(filename) or "upload"
    if data is None or len(data) == 0:
        raise InputError("'{name}' is empty. Export the data again and upload the new file.",
                         name=name)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(
            "'{name}' is {size}, above the {limit} upload limit. Compress it as .gz or .zip, split "
            "it by date, or raise ECOM_ANALYTICS_MAX_UPLOAD_MB.",
            name=name, size=size_text(len(data)), limit=size_text(max_bytes)
        )
    return _read_bytes(data, name, None, ReadLimits.for_upload(len(data), max_text_bytes), options)


def read_file_bytes(path: "str | os.PathLike", *, max_bytes: int | None = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of the file at ``path`` for :func:`read_table`, refused by its size *before* it is
    read (a file above the upload limit never reaches memory)."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise InputError("No file at {path}. Check the path.",
                         path=path)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(
                "'{name}' is {size}, above the {limit} upload limit. Compress it as .gz or .zip, split "
                "it by date, or raise ECOM_ANALYTICS_MAX_UPLOAD_MB.",
                name=path.name, size=size_text(size), limit=size_text(max_bytes)
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError("Cannot read {path} ({error}).",
                         path=path, error=exc.strerror or exc) from exc


def size_text(n: int) -> str:
    """A byte count in the unit of the upload limit, MB of 1024 * 1024 bytes as Streamlit's
    ``server.maxUploadSize`` and ECOM_ANALYTICS_MEMORY_MB count them (never GB, so a limit reads
    as the number configured): '500 MB', '2.5 MB', '4,000 MB', '740 KB', '120 bytes'."""
    if n >= MB:
        text = f"{n / MB:,.1f}"
        return f"{text[:-2] if text.endswith('.0') else text} MB"
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n:,} bytes"


def _read_bytes(data: bytes, name: str, compression: str | None, limits: ReadLimits,
                options: ReadOptions = ReadOptions()) -> RawTable:
    if data[:2] == _GZIP_MAGIC:
        _check_nesting(name, limits)
        try:
            expanded = _gunzip(data, name, limits)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError("'{name}' looks like a .gz file but cannot be decompressed ({error}). Upload it again.",
                             name=name, error=exc) from exc
        inner = name[:-3] if name.lower().endswith(".gz") else name
        if not expanded:
            raise InputError("'{name}' is an empty .gz archive. Export the data again.",
                             name=name)
        return _read_bytes(expanded, inner, "gzip", limits.deeper(), options)
    if data[:4] == _ZIP_MAGIC:
        _check_nesting(name, limits)
        return _read_zip(data, name, limits, options)
    if data[:4] == _PARQUET_MAGIC:
        return _read_parquet(data, name, compression, limits)
    kind = _binary_kind(data)
    if kind:
        raise InputError(
            "'{name}' is {kind}, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet "
            "export.",
            name=name, kind=Note(kind)
        )
    if len(data) > limits.text_bytes:
        raise InputError(
            "'{name}' holds {size} of text, more than the {limit} this server can read at once "
            "within its memory budget of {budget} per upload. Split the export by date into smaller "
            "files, or raise ECOM_ANALYTICS_MEMORY_MB if the server has more memory to give.",
            name=name, size=size_text(len(data)), limit=size_text(limits.text_bytes), budget=size_text(limits.budget_bytes)
        )
    return _read_text(data, name, compression, options)


def _check_nesting(name: str, limits: ReadLimits) -> None:
    if limits.depth >= MAX_NESTING:
        raise InputError("'{name}' is an archive inside an archive inside an archive. Put the export file itself "
                         "in one .zip or .gz and upload again.",
                         name=name)


def _check_expansion(out_bytes: int, name: str, limits: ReadLimits) -> None:
    """Refuse a file whose decompressed bytes so far pass the text limit or the expansion ratio."""
    if out_bytes > limits.text_bytes:
        raise InputError(
            "'{name}' expands to more than {limit} of text, more than this server can read at once "
            "within its memory budget of {budget} per upload. Split the export by date into smaller "
            "files, or raise ECOM_ANALYTICS_MEMORY_MB if the server has more memory to give.",
            name=name, limit=size_text(limits.text_bytes), budget=size_text(limits.budget_bytes)
        )
    if out_bytes > RATIO_FLOOR_BYTES and out_bytes > MAX_EXPANSION_RATIO * limits.upload_bytes:
        raise InputError(
            "'{name}' expands more than {ratio} times (the {size} upload had become {out} when "
            "reading stopped), far more than an export compresses. Check that it is the right file; "
            "if it is, split it by date, or upload it uncompressed.",
            name=name, ratio=MAX_EXPANSION_RATIO, size=size_text(limits.upload_bytes), out=size_text(out_bytes)
        )


def _check_first_bytes(head: bytes, name: str) -> None:
    """Refuse at once a decompressed file whose first bytes are not text (a run of zeros, an
    image): no need to decompress the rest. Archives and Parquet inside are read further."""
    if head[:2] == _GZIP_MAGIC or head[:4] in (_ZIP_MAGIC, _PARQUET_MAGIC):
        return
    kind = _binary_kind(head)
    if kind:
        raise InputError(
            "'{name}' is {kind}, not a table. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet "
            "export.",
            name=name, kind=Note(kind)
        )


class _Inflated:
    """Decompressed bytes gathered step by step, with the limits checked after each step."""

    def __init__(self, name: str, limits: ReadLimits) -> None:
        self.name, self.limits = name, limits
        self.out = bytearray()
        self.probed = False

    def add(self, piece: bytes) -> None:
        self.out += piece
        if not self.probed and len(self.out) >= BINARY_PROBE_BYTES:
            self.probed = True
            _check_first_bytes(bytes(self.out[:BINARY_PROBE_BYTES]), self.name)
        _check_expansion(len(self.out), self.name, self.limits)


_NOT_ZERO = re.compile(rb"[^\x00]")


def _gunzip(data: bytes, name: str, limits: ReadLimits) -> bytes:
    """The decompressed bytes of a (multi-member) gzip file, decompressed CHUNK_BYTES at a time
    and refused as soon as they pass ``limits`` or start like a binary file."""
    inner = name[:-3] if name.lower().endswith(".gz") else name
    result = _Inflated(inner, limits)
    view = memoryview(data)
    start = 0
    while True:  # one gzip member per turn
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pos = start
        pending = view[pos:pos + CHUNK_BYTES]
        pos += len(pending)
        while True:
            piece = inflater.decompress(pending, CHUNK_BYTES)
            if piece:
                result.add(piece)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
            if not pending:
                if pos >= len(data):
                    raise EOFError("Compressed file ended before the end-of-stream marker was reached")
                pending = view[pos:pos + CHUNK_BYTES]
                pos += len(pending)
        # like gzip.GzipFile: zero padding after a member is allowed, another member is read
        after = _NOT_ZERO.search(data, pos - len(inflater.unused_data))
        if after is None:
            return bytes(result.out)  # a copy now, while nothing else is held, saves one later
        start = after.start()
        if data[start:start + 2] != _GZIP_MAGIC:
            raise OSError(f"Not a gzipped file ({bytes(data[start:start + 2])!r})")


def _read_zip(data: bytes, name: str, limits: ReadLimits, options: ReadOptions = ReadOptions()) -> RawTable:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in zf.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
    except zipfile.BadZipFile as exc:
        raise InputError("'{name}' looks like a .zip file but is damaged ({error}). Upload it again.",
                         name=name, error=exc) from exc
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, name, zf, limits, options)
    tables = [n for n in names if re.search(r"\.(csv|tsv|txt|dat|parquet|xlsx|gz)$", n, re.I)] or names
    if not tables:
        raise InputError("'{name}' is an empty .zip archive. Put the export file inside it and upload again.",
                         name=name)
    chosen = max(tables, key=lambda n: zf.getinfo(n).file_size)
    member = os.path.basename(chosen)
    # the header's size is a first check only: the bytes are counted as they are decompressed
    if zf.getinfo(chosen).file_size > limits.text_bytes:
        raise InputError(
            "'{member}' inside '{name}' holds {size} of text, more than the {limit} this server can "
            "read at once within its memory budget of {budget} per upload. Split the export by date "
            "into smaller files, or raise ECOM_ANALYTICS_MEMORY_MB if the server has more memory to "
            "give.",
            member=member, name=name, size=size_text(zf.getinfo(chosen).file_size), limit=size_text(limits.text_bytes), budget=size_text(limits.budget_bytes)
        )
    try:
        inner = _unzip_member(zf, chosen, limits)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError) as exc:
        raise InputError("'{inner}' inside '{name}' is damaged and cannot be decompressed ({error}). Create the "
                         ".zip again and upload it.",
                         inner=chosen, name=name, error=exc) from exc
    table = _read_bytes(inner, member, "zip", limits.deeper(), options)
    table.source_name = f"{name}:{member}"
    if len(tables) > 1:
        others = ", ".join(os.path.basename(t) for t in tables if t != chosen)
        table.notes.append(Note("The archive holds several files; read the largest, '{chosen}'. Not read: {others}.",
                                {"chosen": chosen, "others": others}))
    return table


def _unzip_member(zf: zipfile.ZipFile, member: str, limits: ReadLimits) -> bytes:
    """The decompressed bytes of one member, read CHUNK_BYTES at a time within ``limits``."""
    result = _Inflated(os.path.basename(member), limits)
    with zf.open(member) as fh:
        while True:
            piece = fh.read(CHUNK_BYTES)
            if not piece:
                break
            result.add(piece)
    if not result.probed:
        _check_first_bytes(bytes(result.out[:BINARY_PROBE_BYTES]), result.name)
    return bytes(result.out)


def _read_xlsx(data: bytes, name: str, zf: zipfile.ZipFile, limits: ReadLimits,
               options: ReadOptions = ReadOptions()) -> RawTable:
    # openpyxl inflates the sheets' XML itself: bound it by the sizes the archive states (Python's
    # zipfile never returns more than a member's stated size; a member that holds more fails its CRC)
    xml = sum(i.file_size for i in zf.infolist()
              if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
    if xml > limits.text_bytes * XLSX_XML_PER_TEXT_BYTE:
        raise InputError(
            "The workbook '{name}' holds {size} of sheet data, more than this server can read at "
            "once within its memory budget of {budget} per upload. Export the data as CSV (or split "
            "it by date), or raise ECOM_ANALYTICS_MEMORY_MB if the server has more memory to give.",
            name=name, size=size_text(xml), budget=size_text(limits.budget_bytes)
        )
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise InputError("'{name}' could not be opened as an Excel workbook ({error}). Save it again from Excel "
                         "as .xlsx or export it as CSV.",
                         name=name, error=type(exc).__name__) from exc
    sheets = {k: v.dropna(how="all").dropna(axis=1, how="all") for k, v in sheets.items()}
    filled = {k: v for k, v in sheets.items() if len(v) > 0}
    if not filled:
        raise InputError("Every sheet of '{name}' is empty. Put the data on the first sheet and upload again.",
                         name=name)
    sheet = max(filled, key=lambda k: filled[k].size)
    grid = filled[sheet]
    line_numbers = grid.index.to_numpy() + 1
    rows = grid.reset_index(drop=True)
    notes = []
    if len(filled) > 1:
        notes.append(Note("The workbook has several sheets; read the largest, '{sheet}'.", {"sheet": str(sheet)}))
    sample = [[_cell_text(v) for v in r] for r in rows.head(PREAMBLE_SAMPLE_LINES).itertuples(index=False)]
    title = preamble_rows(sample) if options.has_header is not False else 0
    if title:
        notes.append(_preamble_note(int(line_numbers[title]) - 1))
        rows = rows.iloc[title:].reset_index(drop=True)
        line_numbers = line_numbers[title:]
        sample = sample[title:]
    skipped = int(line_numbers[0]) - 1 if title else 0
    first = ["" if pd.isna(v) else str(v) for v in rows.iloc[0].tolist()]
    sample = sample[:50]
    has_header = looks_like_header(sample) if options.has_header is None else options.has_header
    if has_header:
        cols = _unique_names(first)
        frame = rows.iloc[1:].reset_index(drop=True)
        frame.columns = cols
        line_numbers = line_numbers[1:]
    else:
        frame = rows
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    if has_header:
        frame, line_numbers = _leave_out_header_rows(frame, line_numbers, notes)
    frame = frame.infer_objects()
    frame, line_numbers = _leave_out_totals(frame, line_numbers, notes)
    frame.attrs["line_numbers"] = line_numbers
    return RawTable(frame, name, "xlsx", has_header=has_header, notes=notes, skipped_lines=skipped)


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp) or hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _read_parquet(data: bytes, name: str, compression: str | None, limits: ReadLimits) -> RawTable:
    try:
        import pyarrow.parquet as pq

        stored = pq.ParquetFile(io.BytesIO(data)).metadata
        columns = sum(stored.row_group(i).total_byte_size for i in range(stored.num_row_groups))
    except Exception:  # unreadable metadata: pandas below says so in a sentence
        columns = 0
    if columns > limits.text_bytes:
        raise InputError(
            "'{name}' holds {size} of data once decompressed, more than the {limit} this server can "
            "read at once within its memory budget of {budget} per upload. Split the export by date "
            "into smaller files, or raise ECOM_ANALYTICS_MEMORY_MB if the server has more memory to "
            "give.",
            name=name, size=size_text(columns), limit=size_text(limits.text_bytes), budget=size_text(limits.budget_bytes)
        )
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises ArrowInvalid and others
        raise InputError("'{name}' could not be read as Parquet ({error}). Export it again.",
                         name=name, error=type(exc).__name__) from exc
    frame = frame.reset_index(drop=frame.index.name is None)
    frame.columns = _unique_names([str(c) for c in frame.columns])
    frame.attrs["line_numbers"] = pd.RangeIndex(1, len(frame) + 1).to_numpy()
    return RawTable(frame, name, "parquet", compression=compression)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic) and kind:
            return kind
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None  # UTF-16 or UTF-32 text
    if b"\x00" in head:
        # UTF-16/32 without a byte-order mark has NUL bytes too, in a regular pattern
        return None if _wide_without_bom(head) else "a binary file"
    return None


#: Below this confidence the encoding guess is stated in a note, with the override that fixes it.
LOW_CONFIDENCE = 0.6
#: the note said when the encoding was guessed below LOW_CONFIDENCE (the Data page shows it with the option that fixes it)
LOW_CONFIDENCE_NOTE = ("The text encoding was guessed as {encoding} with low confidence ({confidence:.0%}). If names or "
                       "letters look garbled, choose the encoding by hand.")
#: Bytes looked at to guess the encoding: the start of the file and a slice from its middle (whole
#: lines), so that guessing stays fast on large files; the whole file is then decoded strictly.
ENCODING_HEAD_BYTES = 2 * MB
ENCODING_MIDDLE_BYTES = 512 * 1024

#: Legacy encodings weighed when the bytes are not UTF-8 (Python codec names). The CJK ones are the
#: Windows supersets of the national standards: gb18030 (GB2312, GBK), cp950 (Big5), cp932
#: (Shift-JIS), cp949 (EUC-KR); they decode every file their standard does, the same way.
CANDIDATES = ["gb18030", "cp950", "cp932", "cp949", "cp1252", "cp1250", "cp1251", "cp1254", "cp1257", "cp874",
              "cp1256", "cp1255", "latin-1"]
#: charset-normalizer's names of the candidates.
_CN_NAMES = {"gb18030": "gb18030", "cp950": "cp950", "cp932": "cp932", "cp949": "cp949", "cp1252": "cp1252",
             "cp1250": "cp1250", "cp1251": "cp1251", "cp1254": "cp1254", "cp1257": "cp1257", "cp874": "cp874",
             "cp1256": "cp1256", "cp1255": "cp1255", "latin-1": "latin_1"}
#: Encodings that decode the same text the same way: the detector reports the first one tried.
EQUIVALENT = {"gbk": "gb18030", "gb2312": "gb18030", "big5": "cp950", "shift_jis": "cp932", "sjis": "cp932",
              "euc_kr": "cp949", "euc-kr": "cp949", "iso-8859-1": "latin-1", "latin1": "latin-1"}

#: Letters (besides ASCII) of the languages each single-byte encoding serves, as (frequent, rarer).
#: A text decoded in the right one is covered by the frequent letters of one or two of its
#: languages; decoded in the wrong one, its letters scatter over languages (Czech read as cp1252
#: shows è, ì, ø, ù together; Polish shows œ, æ, Ÿ) or are not letters.
_LANGUAGES = {
    "western": {"fr": ("éèàçê", "ëâîïôûùüœæÿ"), "de": ("äöüß", "é"), "es": ("áéíóúñ", "ü"),
                "pt": ("áãàéêíóõúçâ", "ôü"), "it": ("àèéìòù", "íóúî"), "nl": ("éë", "ïöüèáóú"),
                "sv": ("åäö", "é"), "da": ("æøå", "é"), "fi": ("äö", "åšž"), "is": ("áéíóöð", "úýþæ"),
                "ca": ("àèéíòóúç", "ïü"), "ga": ("áéíóú", ""), "et": ("äõöü", "šž")},
    "central": {"pl": ("ąćęłńóśźż", ""), "cs": ("áčéěíňóřšúůýž", "ďť"), "sk": ("áčéíóšúýž", "äďĺľňôŕť"),
                "hu": ("áéíóöőúüű", ""), "hr": ("čćšž", "đ"), "ro": ("ăâîşţ", ""), "de": ("äöüß", "é")},
    "turkish": {"tr": ("çğıöşüİ", "âîû")},
    # Windows-1257: Lithuanian, Latvian, Estonian, and the Polish and Slovene/Croatian letters it also holds
    # (a Baltic file read as cp1252 shows à è æ ë ð ø û þ, as cp1250 ŕ ć ë đ ř ű ţ: letters of several languages)
    "baltic": {"lt": ("ąčęėįšųūž", ""), "lv": ("āčēģīķļņšūž", ""), "et": ("äõöü", "šž"), "pl": ("ąćęłńóśźż", ""),
               "sl": ("čćšž", "")},
}
SECOND_LANGUAGE_WEIGHT = 0.6
_ENCODING_LANGUAGES = {"cp1252": "western", "latin-1": "western", "cp1250": "central", "cp1254": "turkish",
                       "cp1257": "baltic"}
_CJK = ("gb18030", "cp950", "cp932", "cp949")
#: the letters (and marks) of the single-script encodings: Thai (cp874), Arabic (cp1256), Hebrew (cp1255)
_SCRIPT_RANGES = {"cp874": (0x0e01, 0x0e5b), "cp1256": (0x0600, 0x06ff), "cp1255": (0x05b0, 0x05f4)}
_CYRILLIC_CASE_FLIP = re.compile(r"(?<=[а-яёђ-џ])[А-ЯЁЂ-Џ]")
#: A small head start for the encodings most exports come in, so that near ties go their way.
_PRIOR = {"gb18030": 0.05, "cp1252": 0.05}
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_WORD = re.compile(r"[^\W\d_]+")
#: Most bytes of non-ASCII lines the candidates are scored on (ASCII lines read the same in all).
SCORED_BYTES = 128 * 1024
#: A symbol that is not a letter glued between two letters ('Wartoœæ' is fine, '£ódŸ', 'W³adys³aw'
#: is Polish read as cp1252), the mark of text decoded in the wrong single-byte encoding.
#: A non-ASCII capital right after a small letter ('ŁódŸ' is 'Łódź' read as cp1252).
_CASE_FLIP = re.compile(r"[\u00c0-\u00de\u0152\u0160\u0178\u017d](?<=[a-z\u00df-\u00ff].)")
#: One CJK character (or syllable) between two ASCII letters.
_LONE_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3\uff66-\uff9f](?<=[A-Za-z].)(?=[A-Za-z])")
#: Symbols that exports use (currency, quotes, dashes, CJK punctuation): a text full of others
#: (¶, ¦, ¤, ³, ...) is more likely bytes read in the wrong encoding.
_COMMON_SYMBOLS = set("£€¥¢°§©®™“”‘’„‚–—…•·×«»¿¡½№￥￡　、。〈〉《》「」『』【】〔〕・（）！？：；，．～－＋／％＃＆＊＠")
#: A non-ASCII letter right next to a digit ('Ł3' is '£3' read as cp1250): rare in any language.
_LETTER_BY_DIGIT = re.compile(r"[^\x00-\x7fºª](?<=[^\W\d_])(?:(?<=\d.)|(?=\d))")
_GLUED = re.compile(r"[^\x00-\x7f’](?<=[^\W\d_].)(?=[^\W\d_])")  # then: not a letter itself


@dataclass(frozen=True)
class EncodingGuess:
    """The encoding a file's bytes most likely are in (a Python codec name), how sure (0 to 1)
    and, when another encoding came close, its name."""

    encoding: str
    confidence: float
    runner_up: str | None = None


def detect_encoding(data: bytes) -> str:
    """Name of the text encoding of ``data`` (a Python codec name): utf-8-sig, utf-8, utf-16,
    utf-32, utf-16-le/-be or utf-32-le/-be without a byte-order mark, gb18030, cp950 (Big5),
    cp932 (Shift-JIS), cp949 (EUC-KR), cp1250, cp1251, cp1252, cp1254, cp1257 (Baltic), cp874 (Thai),
    cp1256 (Arabic), cp1255 (Hebrew) or latin-1."""
    return guess_encoding(data).encoding


def guess_encoding(data: bytes) -> EncodingGuess:
    """The encoding of ``data`` with a confidence from 0 to 1.

    In order: a byte-order mark (UTF-8, UTF-16, UTF-32; certain); UTF-16/32 without one, from
    where the NUL bytes fall; strict UTF-8 (valid UTF-8 with non-ASCII letters is almost never
    anything else); else each of CANDIDATES that decodes a sample strictly is scored by how
    plausible its text is (:func:`_plausibility`) with charset-normalizer's best guess as a small
    bonus, and the best wins; the confidence is its plausibility, lowered when the runner-up
    comes close.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return EncodingGuess("utf-32", 1.0)
    if data.startswith(b"\xef\xbb\xbf"):
        return EncodingGuess("utf-8-sig", 1.0)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return EncodingGuess("utf-16", 1.0)
    wide = _wide_without_bom(data)
    if wide:
        return EncodingGuess(wide, 0.95)
    sample = _encoding_sample(data)
    if sample.isascii():
        return EncodingGuess("utf-8", 1.0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) == len(data))  # a sample may end inside a character
        return EncodingGuess("utf-8", 0.99)
    except UnicodeDecodeError:
        pass
    return _weigh_candidates(sample, CANDIDATES)


def _non_ascii_lines(sample: bytes) -> bytes:
    """The lines of ``sample`` holding non-ASCII bytes, at most SCORED_BYTES of them: where the
    candidates differ (lines are cut at b'\\n', which no multi-byte character of the candidates holds)."""
    kept, size = [], 0
    for line in sample.split(b"\n"):
        if not line.isascii():
            kept.append(line)
            size += len(line) + 1
            if size >= SCORED_BYTES:
                break
    return b"\n".join(kept)


def _weigh_candidates(sample: bytes, candidates: list[str]) -> EncodingGuess:
    sample = _non_ascii_lines(sample) or sample
    scored: list[tuple[float, str, str]] = []
    texts: dict[str, str] = {}
    for enc in candidates:
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if text in texts.values():  # same text as an earlier candidate: that one stands for both
            continue
        texts[enc] = text
        scored.append((_plausibility(text, enc), enc, text))
    if not scored:
        return EncodingGuess("latin-1", 0.1)
    favourite = _charset_normalizer_guess(sample, list(texts))
    ranked = sorted(((score + (0.04 if enc == favourite else 0.0) + _PRIOR.get(enc, 0.0), enc)
                     for score, enc, _ in scored), reverse=True)
    best = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else None
    # sureness from the plausibilities alone: a win by the head start or the bonus is a near tie
    raw = {enc: score for score, enc, _ in scored}
    margin = raw[best] - max((v for k, v in raw.items() if k != best), default=0.0)
    confidence = max(0.0, min(1.0, raw[best])) * max(0.0, min(1.0, 0.55 + 2.5 * margin))
    worded = _cjk_by_header_words(ranked, texts)
    if worded is not None:
        # a near tie between CJK readings (a short file: '날짜,금액' reads as '朝楼,陛咀' in GB18030,
        # every character of it common) goes to the one whose first lines hold header words
        if worded != best:
            second, best = best, worded
        confidence = max(confidence, max(0.0, min(1.0, raw[best])) * CJK_WORDS_CONFIDENCE)
    return EncodingGuess(best, round(confidence, 3), second)


#: CJK readings whose scores (plausibility, bonus and head start) are this close to the best's are a near tie
CJK_NEAR_TIE = 0.15
#: How sure a CJK near tie decided by header words is (times the winner's plausibility).
CJK_WORDS_CONFIDENCE = 0.85


def _cjk_by_header_words(ranked: list[tuple[float, str]], texts: dict[str, str]) -> str | None:
    """Among the CJK readings in a near tie with the best (within CJK_NEAR_TIE), the one whose first
    non-ASCII lines hold the most cells that are header words of the vocabulary ('날짜', '金额',
    '売上'), when it holds more than every other and at least two; None otherwise. Shift-JIS,
    EUC-KR and GBK bytes read in another of them give real but unrelated characters, never words."""
    top = ranked[0][0]
    tied = [enc for score, enc in ranked if enc in _CJK and top - score <= CJK_NEAR_TIE]
    if len(tied) < 2 or ranked[0][1] not in _CJK:
        return None
    from ecom_analytics.ingest.vocabulary import concepts

    hits = {}
    for enc in tied:
        lines = [ln for ln in texts[enc].split("\n") if ln.strip()][:2]
        cells = [c.strip() for ln in lines for c in re.split(r"[,\t;|]", ln)]
        hits[enc] = sum(1 for c in cells if c and not c.isascii() and len(c) <= 40 and concepts(c))
    best = max(hits, key=hits.get)
    if hits[best] < 2 or sum(1 for v in hits.values() if v == hits[best]) > 1:
        return None
    return best


def _charset_normalizer_guess(sample: bytes, candidates: list[str]) -> str | None:
    """charset-normalizer's best guess among ``candidates`` (None when it has none)."""
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with Streamlit
        return None
    names = {_CN_NAMES[c]: c for c in candidates if c in _CN_NAMES}
    try:
        best = from_bytes(sample[:64 * 1024], cp_isolation=list(names), preemptive_behaviour=False).best()
    except Exception:  # its heuristics must never stop a file from being read
        return None
    if best is None:
        return None
    return names.get(best.encoding) or names.get(codecs.lookup(best.encoding).name.replace("-", "_"))


def _plausibility(text: str, encoding: str) -> float:
    """How plausible ``text`` is as ``encoding``'s reading of a file, 0 to 1: the weighted share of
    its non-ASCII characters that the encoding's languages use (common CJK characters for the CJK
    encodings, the letters of one or two languages for the single-byte ones, Cyrillic for cp1251),
    less penalties for control characters, symbols glued inside words, words that mix scripts
    and, for single-byte encodings, runs of 3+ non-ASCII characters (CJK bytes read one by one)."""
    counts = Counter("".join(_NON_ASCII_RUN.findall(text)))
    total = sum(counts.values())
    if not total:
        return 1.0
    weights, judged, bad = 0.0, 0, 0
    letters = _language_letters(counts, encoding)
    for ch, n in counts.items():
        w = _char_weight(ch, encoding, letters)
        if w is None:  # punctuation, currency, spaces: said nothing about the encoding
            continue
        if w < 0:
            bad += n
            continue
        weights += w * n
        judged += n
    share = weights / judged if judged else 0.8
    penalty = 3.0 * bad / total
    if encoding in _ENCODING_LANGUAGES:
        runs = _NON_ASCII_RUN.findall(text)
        # CJK bytes read one by one: long runs, or runs with symbols in them ('¶©µ¥ºÅ')
        mangled = sum(len(r) for r in runs if len(r) >= 4 or (len(r) >= 3 and not r.isalpha()))
        penalty += mangled / total
    if encoding == "cp1251":
        # a capital right after a small letter ('СЮг ЗбЪгнб' is Arabic read as cp1251): rare in Cyrillic words
        penalty += 2.0 * len(_CYRILLIC_CASE_FLIP.findall(text)) / total
    if encoding not in _CJK:
        penalty += 2.0 * sum(not ch.isalpha() and unicodedata.category(ch)[0] != "M"  # Thai vowel signs are marks
                             for ch in _GLUED.findall(text)) / total
        penalty += 2.0 * sum(ch.isalpha() for ch in _LETTER_BY_DIGIT.findall(text)) / total
        penalty += 2.0 * len(_CASE_FLIP.findall(text)) / total
    if encoding in _CJK:
        # one CJK character between Latin letters ('u篡tkownika'): a Latin letter's byte paired up
        penalty += 2.0 * len(_LONE_CJK.findall(text)) / total
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if words:
        mixed = sum(1 for w in words if _mixes_scripts(w))
        penalty += mixed / len(words)
    if encoding == "gb18030":
        penalty += _korean_in_gb_penalty(counts)
    return share - penalty


@functools.lru_cache(maxsize=None)
def _letter_weights(family: str) -> dict[str, dict[str, float]]:
    """language -> letter -> weight (1 frequent, 0.75 rarer), capitals included."""
    langs = {}
    for k, (frequent, rarer) in _LANGUAGES[family].items():
        weights = {ch: 0.75 for ch in rarer + rarer.upper()}
        weights.update({ch: 1.0 for ch in frequent + frequent.upper()})
        langs[k] = weights
    return langs


def _language_letters(counts: Counter, encoding: str) -> dict[str, float]:
    """Weights (1 frequent, 0.75 rarer; times SECOND_LANGUAGE_WEIGHT for the second) of the letters of the one or two languages of ``encoding``
    that cover the text's non-ASCII letters best (by occurrences)."""
    family = _ENCODING_LANGUAGES.get(encoding)
    if family is None:
        return {}
    langs = _letter_weights(family)
    letters = {ch: n for ch, n in counts.items() if ch.isalpha()}
    best, best_cover = {}, -1.0
    names = list(langs)
    for a in names:
        for b in names:
            # a second language counts for less: one language explains a text better than two
            union = {ch: w * (1.0 if a == b else SECOND_LANGUAGE_WEIGHT) for ch, w in langs[b].items()}
            union.update({ch: max(w, union.get(ch, 0.0)) for ch, w in langs[a].items()})
            cover = sum(n * union.get(ch, 0.0) for ch, n in letters.items())
            if cover > best_cover:
                best, best_cover = union, cover
    return best


def _char_weight(ch: str, encoding: str, letters: set[str]) -> float | None:
    """How typical one non-ASCII character is of text in ``encoding``: 1 typical, 0 foreign,
    negative a control or private-use character, None for punctuation and symbols."""
    o = ord(ch)
    if 0x80 <= o <= 0x9f or 0xe000 <= o <= 0xf8ff or o == 0xfffd:
        return -1.0
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cn", "Co", "Cs"):
        return -1.0
    if (cat[0] in "PSZN" or ch in "ºª") and not (0xff66 <= o <= 0xff9f):
        if cat[0] == "Z":
            return None  # spaces say nothing
        if ch in _COMMON_SYMBOLS or 0xff01 <= o <= 0xff5e or 0x3000 <= o <= 0x303f or 0x2010 <= o <= 0x2027:
            return 0.9
        return 0.4
    if encoding in _ENCODING_LANGUAGES:
        if ch in letters:
            return letters[ch]
        return 0.3 if 0xc0 <= o <= 0x24f else 0.0
    if encoding == "cp1251":
        if 0x410 <= o <= 0x44f or o in (0x401, 0x451):
            return 1.0
        return 0.8 if 0x400 <= o <= 0x45f else 0.0
    if encoding in _SCRIPT_RANGES:  # Thai, Arabic, Hebrew: their letters and marks; Latin letters count little
        lo, hi = _SCRIPT_RANGES[encoding]
        return 1.0 if lo <= o <= hi else 0.3 if 0xc0 <= o <= 0x24f else 0.0
    if encoding == "gb18030":
        return _cjk_rank(ch, "gb2312", 0xb0, 0xd7, 0xf7, han_weight_outside=0.1, kana=0.1, latin=0.7)
    if encoding == "cp950":
        if 0x3100 <= o <= 0x312f:  # bopomofo
            return 0.6
        try:
            code = ch.encode("big5")
        except UnicodeEncodeError:
            return 0.1
        if len(code) == 2 and _is_han(o):
            return 1.0 if 0xa440 <= int.from_bytes(code, "big") <= 0xc67e else 0.5
        return 0.3
    if encoding == "cp932":
        if 0x3041 <= o <= 0x30ff:  # hiragana, katakana and the long vowel mark
            return 1.0
        if 0xff66 <= o <= 0xff9f:  # half-width katakana: older systems
            return 0.8
        return _cjk_rank(ch, "shift_jis", 0x88, 0x98, 0xea, han_weight_outside=0.2, kana=1.0, latin=0.0)
    if encoding == "cp949":
        if 0xac00 <= o <= 0xd7a3:
            # the 2,350 syllables of KS X 1001 (EUC-KR's two bytes) are the ones Korean text uses;
            # the other 8,822 (cp949's extension, lead bytes 0x81-0xC6) are rare, yet they are what
            # Shift-JIS kana and kanji (lead bytes 0x81-0x9F) read as in cp949. Python's euc_kr
            # codec writes those as 8-byte jamo sequences instead of failing: count the bytes.
            return 1.0 if len(ch.encode("euc_kr")) == 2 else 0.4
        if 0x3131 <= o <= 0x318e:  # compatibility jamo
            return 0.6
        return 0.2 if _is_han(o) else 0.0
    return 0.0


def _is_han(o: int) -> bool:
    return 0x4e00 <= o <= 0x9fff or 0x3400 <= o <= 0x4dbf or 0xf900 <= o <= 0xfaff


def _cjk_rank(ch: str, standard: str, common_from: int, common_to: int, rare_to: int, *,
              han_weight_outside: float, kana: float, latin: float) -> float:
    """Weight of a character read as Chinese (GB2312 ranks) or Japanese (JIS X 0208 ranks): the
    frequent level 1 (lead bytes ``common_from`` to ``common_to``) 1, level 2 0.5, outside the
    standard ``han_weight_outside``."""
    o = ord(ch)
    if _is_han(o):
        try:
            code = ch.encode(standard)
        except UnicodeEncodeError:
            return han_weight_outside
        if len(code) != 2:
            return han_weight_outside
        return 1.0 if common_from <= code[0] <= common_to else (0.5 if code[0] <= rare_to else han_weight_outside)
    if 0x3040 <= o <= 0x30ff:
        return kana
    if 0xc0 <= o <= 0x24f:
        return latin
    if 0xac00 <= o <= 0xd7a3:
        return 0.0
    return 0.2


def _korean_in_gb_penalty(counts: Counter) -> float:
    """EUC-KR's syllables (lead bytes 0xB0-0xC8) read as GB2312 are all frequent Chinese
    characters; Chinese text, though, also uses characters whose lead byte is 0xC9-0xD7 (是, 中,
    在, 我, 有, 这 ...). A text with many characters and none of those is Korean."""
    leads = []
    for ch, n in counts.items():
        if _is_han(ord(ch)):
            try:
                code = ch.encode("gb2312")
            except UnicodeEncodeError:
                continue
            leads += [code[0]] * n
    if len(leads) < 12:
        return 0.0
    high = sum(1 for b in leads if b >= 0xc9)
    return 0.5 if high / len(leads) < 0.05 else 0.0


def _mixes_scripts(word: str) -> bool:
    """Whether ``word`` holds letters of two scripts (Latin with Cyrillic, Greek, CJK ...): the
    mark of a wrong decoding ('Grцяe' is 'Größe' read as cp1251)."""
    scripts = set()
    for ch in word:
        o = ord(ch)
        if o < 0x250:
            scripts.add("latin")
        elif 0x370 <= o <= 0x3ff:
            scripts.add("greek")
        elif 0x400 <= o <= 0x52f:
            scripts.add("cyrillic")
        elif 0x590 <= o <= 0x5ff:
            scripts.add("hebrew")
        elif 0x600 <= o <= 0x6ff:
            scripts.add("arabic")
        elif 0xe00 <= o <= 0xe7f:
            scripts.add("thai")
        elif 0xac00 <= o <= 0xd7a3 or 0x1100 <= o <= 0x11ff or 0x3130 <= o <= 0x318f:
            scripts.add("hangul")
        elif _is_han(o) or 0x3040 <= o <= 0x30ff or 0xff66 <= o <= 0xff9f:
            scripts.add("cjk")
        if len(scripts) > 1:
            # Latin letters or digits next to CJK are common ('客户ID', 'iPhone手机壳')
            return not (scripts <= {"latin", "cjk"} or scripts <= {"latin", "hangul"})
    return False


def _encoding_sample(data: bytes) -> bytes:
    """The bytes the encoding is guessed from: all of a small file; of a large one, the first
    ENCODING_HEAD_BYTES and ENCODING_MIDDLE_BYTES from the middle, each cut at line ends so that
    no character is split."""
    if len(data) <= ENCODING_HEAD_BYTES + ENCODING_MIDDLE_BYTES:
        return data
    head = data[:ENCODING_HEAD_BYTES]
    cut = head.rfind(b"\n")
    head = head[:cut + 1] if cut > 0 else head
    middle_start = len(data) // 2
    nl = data.find(b"\n", middle_start, middle_start + ENCODING_MIDDLE_BYTES)
    if nl < 0:
        return head
    middle = data[nl + 1:nl + 1 + ENCODING_MIDDLE_BYTES]
    cut = middle.rfind(b"\n")
    return head + (middle[:cut + 1] if cut > 0 else b"")


def _wide_without_bom(data: bytes) -> str | None:
    """'utf-16-le', 'utf-16-be', 'utf-32-le' or 'utf-32-be' when ``data`` is text in one of them
    without a byte-order mark, told by where its NUL bytes fall (ASCII characters have a NUL
    high byte: every other byte in UTF-16, three of four in UTF-32); None otherwise."""
    head = data[:BINARY_PROBE_BYTES]
    head = head[:len(head) - len(head) % 4]
    if len(head) < 8 or b"\x00" not in head:
        return None
    quarters = [head[i::4].count(0) / (len(head) // 4) for i in range(4)]
    if quarters[2] > 0.9 and quarters[3] > 0.9 and quarters[1] > 0.9 and quarters[0] < 0.1:
        candidates = ["utf-32-le"]
    elif quarters[0] > 0.9 and quarters[1] > 0.9 and quarters[2] > 0.9 and quarters[3] < 0.1:
        candidates = ["utf-32-be"]
    else:
        even, odd = (quarters[0] + quarters[2]) / 2, (quarters[1] + quarters[3]) / 2
        if odd > 0.3 and even < 0.05:
            candidates = ["utf-16-le"]
        elif even > 0.3 and odd < 0.05:
            candidates = ["utf-16-be"]
        else:
            return None
    for enc in candidates:
        try:
            text = codecs.getincrementaldecoder(enc)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        shown = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
        if text and shown >= 0.95 * len(text):
            return enc
    return None


def _decode_detected(data: bytes, name: str, guess: EncodingGuess, notes: list[Note]) -> tuple[str, str]:
    """(text, encoding) of ``data`` decoded strictly in the guessed encoding. When the whole file
    does not decode in it (the guess came from a sample), the encodings are weighed again on the
    bytes around the failure and the best that decodes everything is used, with a note; cp1252
    and then latin-1 (which decodes any bytes) are the last resort, also with a note."""
    try:
        text = data.decode(guess.encoding)
    except UnicodeDecodeError as exc:
        around = data[max(0, exc.start - 4096):exc.start + 4096]
        sample = _encoding_sample(data)
        retry = _weigh_candidates(sample + b"\n" + around, [c for c in CANDIDATES if c != guess.encoding])
        order = [retry.encoding] + [c for c in ("gb18030", "cp1252", "latin-1") if c != retry.encoding]
        for enc in order:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            notes.append(Note("The start of the file reads as {encoding}, but the bytes at position {position:,} are "
                              "not valid in it; the file was read as {other}. If names or letters look garbled, "
                              "choose the encoding by hand.",
                              {"encoding": guess.encoding, "position": int(exc.start), "other": enc}, "warning"))
            return text, enc
        raise  # latin-1 decodes any bytes: never reached
    if guess.confidence < LOW_CONFIDENCE:
        notes.append(Note(LOW_CONFIDENCE_NOTE, {"encoding": guess.encoding, "confidence": float(guess.confidence)},
                          "warning"))
    return text, guess.encoding


def _read_text(data: bytes, name: str, compression: str | None, options: ReadOptions = ReadOptions()) -> RawTable:
    notes: list[Note] = []
    if options.encoding is not None:
        encoding, confidence = options.encoding, 1.0
        text = _decode_as_given(data, name, encoding)
    else:
        guess = guess_encoding(data)
        encoding, confidence = guess.encoding, guess.confidence
        text, encoding = _decode_detected(data, name, guess, notes)
    if text.startswith("\ufeff"):
        text = text[1:]
    _allow_long_fields(len(text))
    first_lines = [ln for ln in _first_lines(text, 200) if ln.strip()]
    if not first_lines:
        raise InputError("'{name}' has no data, only blank lines. Export the data again.",
                         name=name)
    printable = sum(ch.isprintable() or ch in "\t" for ch in "".join(first_lines[:50]))
    if printable < 0.95 * max(1, len("".join(first_lines[:50]))):
        raise InputError("'{name}' does not look like text. Upload a CSV, TSV, text, Excel (.xlsx) or Parquet "
                         "export.",
                         name=name)
    skipped = 0
    comments = comment_lines(first_lines)
    if comments:
        # '#' lines above the header (GA4's report name, property and period): not part of the table, and
        # left in they would hide the delimiter from the sniffer (each is a single field)
        text, data, skipped = _cut_lines(text, data, encoding, comments)
        first_lines = first_lines[comments:]
        notes.append(Note(COMMENT_NOTE, {"n": comments, "header": skipped + 1}))
    delimiter = options.delimiter or sniff_delimiter(first_lines)
    if delimiter is None:
        raise InputError(
            "'{name}' has a single column. The app needs at least a customer (or user) column and a "
            "date column; check that the export uses commas, tabs, semicolons or spaces between "
            "values.",
            name=name
        )
    if options.has_header is not False:
        title = preamble_rows([_split(ln, delimiter) for ln in first_lines[:PREAMBLE_SAMPLE_LINES]])
        if title:
            text, data, cut = _cut_lines(text, data, encoding, title)
            skipped += cut
            first_lines = first_lines[title:]
            notes.append(_preamble_note(skipped))
    if options.has_header is None:
        has_header = looks_like_header(sample_rows(first_lines[:50], delimiter)[:50])
    else:
        has_header = options.has_header
    # the C parser reads the bytes themselves (a StringIO of the text would hold 4 bytes a character)
    source = (data, encoding) if data is not None and _bytes_parseable(encoding) else None
    frame, bad, line_numbers = _parse_lines(text, delimiter, has_header, source)
    if skipped:
        line_numbers = line_numbers + skipped
        bad = [(i + skipped if i else i, ln) for i, ln in bad]
    if frame.shape[1] < 2:
        raise InputError("'{name}' has a single column; the app needs at least a customer and a date column.",
                         name=name)
    if len(frame) == 0:
        raise InputError("'{name}' has a header but no data rows. Export the data again with its rows.",
                         name=name)
    if bad:
        notes.append(Note("{n} line(s) had a different number of fields than the header; they are kept in the "
                          "quarantine as 'malformed line'.", {"n": len(bad)}, "warning"))
    empty = frame.isna().all(axis=1).to_numpy()
    if empty.any() and not empty.all():
        # ",,,,," (a spreadsheet's trailing rows saved as CSV): no value to keep or to set aside, like a blank line
        notes.append(Note(SEPARATORS_ONLY, {"n": int(empty.sum()), "lines": _lines_text(line_numbers[empty])}))
        frame, line_numbers = frame.loc[~empty].reset_index(drop=True), line_numbers[~empty]
    if has_header:
        frame, line_numbers = _leave_out_header_rows(frame, line_numbers, notes)
    frame, line_numbers = _leave_out_totals(frame, line_numbers, notes)
    frame.attrs["line_numbers"] = line_numbers
    fmt = {"\t": "tsv", WHITESPACE: "whitespace"}.get(delimiter, "csv")
    return RawTable(frame, name, fmt, encoding=encoding, delimiter=delimiter, has_header=has_header,
                    compression=compression, bad_lines=bad, notes=notes, encoding_confidence=confidence,
                    skipped_lines=skipped)


#: Most lines above a header that can be read as a title or notes (a report name, the period, the shop).
MAX_PREAMBLE_LINES = 10
#: Lines of the head the title is looked for in (the rows below the header set what a full row is).
PREAMBLE_SAMPLE_LINES = 60
#: A line above the header is a title when at most this share of a row's usual filled cells are filled.
PREAMBLE_FILL_SHARE = 0.4
#: the note said when lines above the header were skipped
PREAMBLE_NOTE = ("The line(s) above line {header} look like a title or notes, not the table's header; they were "
                 "skipped, and the header was read from line {header}.")


def preamble_rows(rows: list[list[str]]) -> int:
    """How many of the first ``rows`` (fields of the non-blank lines or sheet rows at the top of a
    file) are a title or notes above the header, 0 when the first row already is the header.

    A report saved as CSV or a workbook often starts with its name ('매출 전자(수정) 세금계산서
    목록조회', 'Sales report') or a few 'Period: ...' lines. Such lines fill one or a few cells,
    where the rows of the table fill many: rows 0 to k-1 are skipped when each fills at most
    PREAMBLE_FILL_SHARE of the cells that the rows below the header usually fill (and at least one
    fewer), and row k is a header (filled like the rows below it, no number or date in it, and
    :func:`looks_like_header` of the rows from it on). Nothing is skipped in a table of one column.
    """
    filled = [sum(1 for c in r if str(c).strip()) for r in rows]
    for k in range(1, min(MAX_PREAMBLE_LINES, len(rows) - 2) + 1):
        body = sorted(filled[k + 1:])
        usual = body[len(body) // 2]  # the median row below the header candidate
        limit = min(usual - 1, max(1, int(PREAMBLE_FILL_SHARE * usual)))
        if usual < 2 or filled[k - 1] > limit:
            return 0  # a row this full is part of the table: the lines above (if any) are not titles
        header = [c for c in rows[k] if str(c).strip()]
        if len(header) >= max(2, 0.8 * usual) and looks_like_header(rows[k:k + 50]):
            return k
    return 0


def _cut_lines(text: str, data: bytes | None, encoding: str, rows: int) -> tuple[str, bytes | None, int]:
    """``text`` and ``data`` without their first ``rows`` non-blank lines (and the blank lines
    among and after them), and how many physical lines that is. The bytes are None when the cut cannot be
    found in them exactly (the text is then parsed instead)."""
    pos = lines = seen = 0
    for m in _LINE_BREAK.finditer(text):
        line = text[pos:m.start()]
        if line.strip():
            if seen == rows:
                break  # the header: blank lines after the title went with it
            seen += 1
        pos, lines = m.end(), lines + 1
    head, rest = text[:pos], text[pos:]
    cut = None
    try:
        if data is None:
            raise LookupError("no bytes to cut")
        prefix = head.encode(encoding)
        if data.startswith(prefix):
            cut = data[len(prefix):]
        elif data.startswith(b"\xef\xbb\xbf" + prefix):  # a BOM the decoding dropped
            cut = data[3 + len(prefix):]
    except (UnicodeEncodeError, LookupError):
        pass
    return rest, cut, lines


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _preamble_note(lines: int) -> Note:
    """The note of ``lines`` physical lines (sheet rows) skipped above the header."""
    return Note(PREAMBLE_NOTE, {"header": lines + 1})


#: the note said when '#' comment lines above the header were skipped
COMMENT_NOTE = ("The first {n:,} line(s) are comments (they start with '#'), not the table; they were skipped, and the "
                "header was read from line {header}.")
_COMMENT = re.compile(r"\s*#(?![,\t;|])")


def comment_lines(lines: list[str]) -> int:
    """How many of the first non-blank ``lines`` are comments above the header: lines starting with
    '#' (GA4's exports open with '# Account: ...', '# Start date: ...'), 0 when the file has no other
    line. A header whose first name is '#' ('#,Order,Date': a row number column) is not a comment:
    a delimiter follows its '#'; nor is the last '#' line when it has as many fields as the lines
    under it ('#user_id,item_id,rating': a header written as a comment)."""
    n = 0
    while n < len(lines) and _COMMENT.match(lines[n]):
        n += 1
    if n == 0 or n >= len(lines):
        return 0
    # a '#' line that splits like the lines under it is their header ('#user_id,item_id,rating'), not a comment
    rest = lines[n:n + 50]
    delimiter = sniff_delimiter(rest)
    if delimiter is not None:
        width = _consistency(sample_rows(rest, delimiter))[1]
        if width >= 2 and len(_split(lines[n - 1], delimiter)) == width:
            n -= 1
    return n


#: the note said when lines inside the data repeating the header were left out
REPEATED_HEADER_NOTE = ("{n:,} line(s) inside the data repeat the header ({lines}), as where exports were put one after "
                        "another with their headers: they are not data and were left out.")
#: the note said when a row of formula letters under the header (a legend of how columns are computed) was left out
LEGEND_NOTE = ("Line {line}, under the header, labels the columns with letters and formulas ('{example}'), not data; "
               "it was left out.")
#: a cell of a formula legend: letters of one or two capitals ('A', 'AD'), numbers, operators and brackets,
#: '% of' ('(B + C + G)', 'G = - (B + C) * F', 'Q = - 1% of (B + C) / (1 + A)')
_LEGEND_CELL = re.compile(r"^(?=.*\b[A-Z]{1,2}\b)(?:\s|\b[A-Z]{1,2}\b|\d+(?:\.\d+)?|%|\bof\b|[-+*/=×()\[\]])+$")


def _leave_out_header_rows(frame: pd.DataFrame, line_numbers, notes: list[Note]):
    """``frame`` and ``line_numbers`` without the rows that belong to the header, each left out with a note:
    lines repeating the header inside the data (monthly files joined with each one's header; they would
    otherwise be quarantined as unreadable dates and numbers), and a row of formula letters right under
    the header (Meesho's payment workbook: 'A', 'B', '(A + B)' naming how columns are computed)."""
    if frame.empty or frame.shape[1] < 2:
        return frame, line_numbers
    lines = np.asarray(line_numbers)
    repeated = _repeated_header_rows(frame)
    if repeated is not None and repeated.any() and len(lines) == len(frame):
        notes.append(Note(REPEATED_HEADER_NOTE, {"n": int(repeated.sum()), "lines": _lines_text(lines[repeated])}))
        frame, lines = frame.loc[~repeated].reset_index(drop=True), lines[~repeated]
    if len(frame) >= 2 and len(lines) == len(frame):
        cells = [str(v).strip() for v in frame.iloc[0].tolist() if not _blank(v)]
        if len(cells) >= 2 and all(_LEGEND_CELL.match(c) for c in cells) and not _legend_below(frame):
            notes.append(Note(LEGEND_NOTE, {"line": int(lines[0]), "example": max(cells, key=len)[:60]}))
            frame, lines = frame.iloc[1:].reset_index(drop=True), lines[1:]
    return frame, lines


def _legend_below(frame: pd.DataFrame) -> bool:
    """Whether the rows under the first (up to 50) hold such letter cells too, in most of the columns the first
    row fills: then the letters are the table's values (grades, sizes), not a legend."""
    head = frame.iloc[1:51]
    filled = [j for j, v in enumerate(frame.iloc[0].tolist()) if not _blank(v)]
    alike = 0
    for j in filled:
        values = [str(v).strip() for v in head.iloc[:, j].tolist() if not _blank(v)]
        if values and sum(bool(_LEGEND_CELL.match(v)) for v in values) * 2 >= len(values):
            alike += 1
    return alike * 2 > len(filled)


def _repeated_header_rows(frame: pd.DataFrame) -> np.ndarray | None:
    """Which rows repeat the header: at least two cells, and at least 80 % of the cells the row fills, equal to
    their column's name. None when no row can (no text column named by the file). The rows are first found by
    one column (the first whose name the file gave), so a large file costs one comparison per row."""
    names = [str(c).strip() for c in frame.columns]
    text_cols = [j for j in range(frame.shape[1])
                 if frame.dtypes.iloc[j] == object or isinstance(frame.dtypes.iloc[j], pd.StringDtype)]
    probe = next((j for j in text_cols if names[j] and not re.fullmatch(r"column_\d+", names[j])), None)
    if probe is None:
        return None
    column = frame.iloc[:, probe]
    found = (column.astype("string").str.strip() == names[probe]).fillna(False).to_numpy(dtype=bool)
    if not found.any():
        return None
    rows = np.flatnonzero(found)
    sub = frame.iloc[rows]
    equal = np.column_stack([(sub.iloc[:, j].astype("string").str.strip() == names[j]).fillna(False).to_numpy(dtype=bool)
                             for j in range(frame.shape[1])])
    hits = equal.sum(axis=1)
    filled = _filled(sub).sum(axis=1)
    out = np.zeros(len(frame), dtype=bool)
    out[rows] = (hits >= 2) & (hits >= 0.8 * filled)
    return out


#: What the totals line at the end of a report starts with (compared in lower case, without a final ':').
TOTAL_LABELS = frozenset({
    "total", "totals", "grand total", "sum", "subtotal", "sub total", "sub-total", "gesamt", "gesamtsumme", "summe",
    "insgesamt", "totale", "totaal", "suma", "razem", "итого", "всего", "toplam", "genel toplam", "tổng", "tổng cộng",
    "jumlah", "total geral", "total general", "합계", "총합계", "총계", "소계", "계", "合计", "总计", "合計", "総計", "小計",
    "小计", "总和"})
#: Rows at the end of a table looked at for a totals line.
TOTALS_TAIL_ROWS = 3
#: the note said when totals lines at the end were left out
TOTALS_NOTE = ("The last line(s) ({lines}) hold the report's totals ('{label}'), not data: they were left out, so "
               "that nothing is counted twice.")


def _leave_out_totals(frame: pd.DataFrame, line_numbers, notes: list[Note]):
    """``frame`` and ``line_numbers`` without the totals lines at the end of a report (an ERP's
    '총합계' row under its slips, a spreadsheet's 'Total' row), with a note. A row among the last
    TOTALS_TAIL_ROWS is one when its first filled cell is one of TOTAL_LABELS and it leaves empty a
    column that every other row fills (the customer, the product, the date): a product that is
    called 'Total' on a full row stays."""
    n = len(frame)
    if n < 3:
        return frame, line_numbers
    labels = {}
    for i in range(max(0, n - TOTALS_TAIL_ROWS), n):
        cells = [str(v).strip() for v in frame.iloc[i].tolist() if not _blank(v)]
        if cells and cells[0].lower().rstrip(":：").strip() in TOTAL_LABELS:
            labels[i] = cells[0]
    if not labels:
        return _leave_out_footer(frame, line_numbers, notes)
    filled = frame.notna().to_numpy()
    rest = np.ones(n, dtype=bool)
    rest[list(labels)] = False
    always = filled[rest].all(axis=0)  # the columns every other row fills
    totals = [i for i in labels if (always & np.array([_blank(v) for v in frame.iloc[i].tolist()])).any()]
    if not totals:
        return frame, line_numbers
    keep = np.ones(n, dtype=bool)
    keep[totals] = False
    notes.append(Note(TOTALS_NOTE, {"lines": _lines_text(line_numbers[~keep]), "label": labels[totals[0]]}))
    return _leave_out_footer(frame.loc[keep].reset_index(drop=True), line_numbers[keep], notes)


#: the note said when an export's footer (lines below a blank line at the end) was left out
FOOTER_NOTE = ("The last line(s) ({lines}) come after a blank line and leave empty most columns every line above fills "
               "('{text}'): the export's footer, not data; they were left out.")


def _leave_out_footer(frame: pd.DataFrame, line_numbers, notes: list[Note]):
    """``frame`` and ``line_numbers`` without an export's footer: the last rows (at most TOTALS_TAIL_ROWS) when a
    skipped blank line separates them from the rows above, and each of them leaves empty at least half of the
    columns (two or more) that every row above fills (eBay's '4, record(s) downloaded, from, Jan-18-16' and
    'Seller ID: ...' under its sales). A last row that fills its columns like the others stays."""
    n = len(frame)
    lines = np.asarray(line_numbers)
    if n < 4 or len(lines) != n:
        return frame, line_numbers
    for start in range(max(3, n - TOTALS_TAIL_ROWS), n):
        if lines[start] - lines[start - 1] <= 1:
            continue
        filled = _filled(frame)
        always = filled[:start].all(axis=0)
        if always.sum() < 2 or not all((~filled[i] & always).sum() * 2 >= always.sum() for i in range(start, n)):
            continue
        tail = [str(v).strip() for v in frame.iloc[start].tolist() if not _blank(v)]
        notes.append(Note(FOOTER_NOTE, {"lines": _lines_text(lines[start:]), "text": " ".join(tail)[:60].strip()}))
        return frame.iloc[:start].reset_index(drop=True), line_numbers[:start]
    return frame, line_numbers


def _filled(frame: pd.DataFrame) -> np.ndarray:
    """Which cells hold something (not missing, not only white space), as a boolean array."""
    out = frame.notna().to_numpy().copy()
    for j, col in enumerate(frame.columns):
        values = frame.iloc[:, j]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            out[:, j] &= values.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
    return out


def _blank(v) -> bool:
    """Whether a cell holds nothing (None, NaN, NA, NaT or only white space)."""
    try:
        if pd.isna(v):
            return True
    except (TypeError, ValueError):  # not a scalar
        return False
    return not str(v).strip()


#: the note of lines that hold only separators (no value), skipped as blank lines are
SEPARATORS_ONLY = "{n:,} line(s) held only separators, no value ({lines}); they were skipped, as blank lines are."


def _lines_text(lines) -> str:
    """Line numbers for a note: all of them up to five, else the first five and how many more."""
    shown = ", ".join(str(int(x)) for x in list(lines)[:5])
    return shown if len(lines) <= 5 else f"{shown} and {len(lines) - 5:,} more"


def _bytes_parseable(encoding: str) -> bool:
    """Whether pandas' C parser can read the bytes in ``encoding`` itself (not the UTF-16/32 family,
    whose BOM handling and NUL bytes it does not share with Python's codecs)."""
    return not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def _decode_as_given(data: bytes, name: str, encoding: str) -> str:
    """``data`` decoded strictly in the encoding the analyst chose; a sentence naming it when it cannot be."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        guess = guess_encoding(data)
        other = guess.encoding if codecs.lookup(guess.encoding).name != codecs.lookup(encoding).name else "utf-8"
        raise InputError(
            "'{name}' cannot be read as {encoding}: the bytes at position {position} are not valid "
            "in it. Choose another encoding (the file looks like {other}), or leave the encoding to "
            "be detected.",
            name=name, encoding=encoding, position=f"{exc.start:,}", other=other
        ) from None


def _allow_long_fields(text_chars: int) -> None:
    """Raise Python's csv field limit (131,072 characters) so that a long field neither hides the
    delimiter from the sniffer nor stops the parser; bounded by the text itself (never lowered)."""
    wanted = min(max(text_chars + 1, 1 << 17), 2 ** 31 - 1)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def _first_lines(text: str, n: int) -> list[str]:
    """The first ``n`` lines of ``text`` (as ``text.splitlines()[:n]``), without splitting all of it."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if size >= len(text) or len(lines) > n:
            return lines[:n]
        size *= 4


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == WHITESPACE:
        return line.split()
    return next(csv.reader([line], delimiter=delimiter))


def _records(lines: list[str], delimiter: str) -> list[list[str]]:
    """``lines`` split into fields as the parser reads them: a quoted field holding line breaks
    (a Shopify 'Note Attributes' cell, an address on two lines) stays one field of one record.
    Whitespace-separated text has no quoting: one record per line."""
    if delimiter == WHITESPACE:
        return [ln.split() for ln in lines]
    text = "\n".join(lines)
    records = [fields for fields in csv.reader(io.StringIO(text), delimiter=delimiter) if fields]
    if len(records) > 1 and text.count('"') % 2:
        # the sample ends inside a quoted field: its last record is cut (a Shopify product export's 'Body (HTML)'
        # runs over more lines than the sample holds), so it tells nothing of the field count
        records = records[:-1]
    return records


def _consistency(rows: list[list[str]]) -> tuple[float, int]:
    """(share of rows with the most common field count, that count) of ``rows``."""
    if not rows:
        return 0.0, 0
    mode, freq = Counter(len(r) for r in rows).most_common(1)[0]
    return freq / len(rows), mode


def sample_rows(lines: list[str], delimiter: str) -> list[list[str]]:
    """The first lines of a file as rows of fields: read as records (quoted fields may span lines)
    when that splits them more consistently than line by line, else line by line (a stray quote
    then cannot swallow the lines after it)."""
    try:
        records = _records(lines, delimiter)
    except csv.Error:
        records = []
    by_line = [_split(ln, delimiter) for ln in lines]
    return records if records and _consistency(records) >= _consistency(by_line) else by_line


def sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits ``lines`` into the same number (>= 2) of fields most consistently,
    lines or records (quoted fields may hold line breaks: a Shopify export's notes), whichever is
    more consistent."""
    best, best_score = None, (0.0, 0)
    sample = lines[:100]
    for delim in DELIMITERS + [WHITESPACE]:
        try:
            freq, mode = _consistency(sample_rows(sample, delim))
        except csv.Error:
            continue
        if mode < 2:
            continue
        score = (freq, 0 if delim == WHITESPACE else mode)
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
    A first row with numbers or dates among its names (avocado's PLU columns '4046', '4225'; a
    wide sheet whose columns are dates or years) is a header when most of its filled cells differ
    in kind from the columns below them (:func:`names_by_kind`).
    """
    if not rows:
        return False
    first = rows[0]
    names = [str(c).strip() for c in first]
    rest = [r for r in rows[1:] if [str(c).strip() for c in r] != names]  # the header repeated below it
    if any(_is_valueish(c) for c in first):
        return names_by_kind(first, rest)
    if not rest:
        return True
    width = len(first)
    for j in range(width):
        column = [r[j] for r in rest if j < len(r) and r[j].strip()]
        if column and sum(_is_valueish(c) for c in column) / len(column) >= 0.8:
            return True
    repeats = sum(1 for j, c in enumerate(first) if any(j < len(r) and r[j] == c for r in rest))
    return repeats == 0 and len(set(first)) == len(first)


_DATEISH = re.compile(r"^\d{1,4}([-/.])\d{1,2}\1\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
#: a whole number read as a year when it sits next to another year in a first row ('Product,2019,2020,2021')
_YEARS = (1900, 2100)


def _kind(cell: str) -> str | None:
    """'date', 'integer', 'decimal' or 'text' for a cell's text; None for an empty cell."""
    cell = str(cell).strip()
    if not cell:
        return None
    if _DATEISH.match(cell):
        return "date"
    if _is_valueish(cell):
        return "integer" if _INTEGER.match(cell) else "decimal"
    return "text"


def _column_kind(values: list[str]) -> str | None:
    """What a column below its first row holds: 'date', 'text', 'decimal' (numbers, most with a
    fraction or separators), 'integer' (whole numbers), or None when no kind holds 80 % of its
    filled cells."""
    kinds = Counter(k for k in (_kind(v) for v in values) if k)
    total = sum(kinds.values())
    if not total:
        return None
    numbers = kinds["integer"] + kinds["decimal"]
    if numbers >= 0.8 * total:
        return "decimal" if kinds["decimal"] >= kinds["integer"] else "integer"
    for kind in ("date", "text"):
        if kinds[kind] >= 0.8 * total:
            return kind
    return None


def names_by_kind(first: list[str], rest: list[list[str]]) -> bool:
    """Whether ``first``, a row holding numbers or dates, names the columns of ``rest``: at least two
    of its filled cells, and more of them than not, differ in kind from the column below (a text
    or a date above numbers, a text above dates, a whole number above decimals, years side by side
    above numbers), where a row of data holds values of its columns' kinds."""
    if not rest:
        return False
    kinds = [_kind(c) for c in first]
    for j, k in enumerate(kinds):  # years side by side ('2019', '2020') are labels of the columns below
        if k == "integer" and _YEARS[0] <= int(first[j]) <= _YEARS[1] and any(
                0 <= i < len(first) and kinds[i] == "integer" and _INTEGER.match(str(first[i]).strip())
                and _YEARS[0] <= int(first[i]) <= _YEARS[1] and int(first[i]) != int(first[j]) for i in (j - 1, j + 1)):
            kinds[j] = "year"
    differ = same = 0
    for j, k in enumerate(kinds):
        if k is None:
            continue
        below = _column_kind([r[j] for r in rest if j < len(r)])
        if below is None:
            continue
        numeric = below in ("integer", "decimal")
        if (k == "text" and below != "text") or (k in ("date", "year") and numeric) or (
                k == "integer" and below == "decimal"):
            differ += 1
        elif k == below or (k == "decimal" and numeric) or (k == "integer" and below == "integer"):
            same += 1
    return differ >= 2 and differ > same


def _unique_names(names: list[str]) -> list[str]:
    out, seen = [], Counter()
    for i, n in enumerate(names):
        n = str(n).strip() or f"column_{i + 1}"
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def _parse_lines(text: str, delimiter: str, has_header: bool, source: tuple[bytes, str] | None = None):
    """Parse the whole text (read from ``source``, its bytes and encoding, when given); returns
    (frame of strings, bad lines, source line numbers)."""
    if delimiter == WHITESPACE:
        return _parse_whitespace(text, has_header)
    kwargs = dict(sep=delimiter, dtype=str, keep_default_na=False, na_values=[""],
                  skip_blank_lines=True, header=0 if has_header else None, quotechar='"')
    if source is not None:
        buf = io.BytesIO(source[0])
        kwargs["encoding"] = source[1]
    else:
        buf = io.StringIO(text)
    bad: list[tuple[int, str]] = []
    try:
        frame = pd.read_csv(buf, engine="c", **kwargs)
        if has_header and not isinstance(frame.index, pd.RangeIndex):
            # the first data line has one field more than the header (GA4's 'Grand total' line): pandas then
            # takes the first column as an index and every name moves one column; read it as a longer line
            buf.seek(0)
            longer = _read_past_longer_first_line(buf, kwargs)
            if longer is not None:
                frame, bad = longer
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


def _read_past_longer_first_line(buf, kwargs: dict) -> tuple[pd.DataFrame, list[tuple[int, str]]] | None:
    """The frame of a text whose first data line holds more fields than its header, read with the header's
    width (the longer lines set aside as bad lines), and those lines (to be located); None when most lines
    are longer (a trailing delimiter on every data line, or a row-number column the header does not name:
    read as pandas reads them)."""
    collected: list[list[str]] = []

    def on_bad(fields: list[str]) -> None:
        collected.append(fields)
        return None

    frame = pd.read_csv(buf, engine="python", on_bad_lines=on_bad, **{**kwargs, "header": None})
    if frame.empty or len(collected) * 2 > len(frame) - 1:
        return None
    names = ["" if pd.isna(v) else str(v) for v in frame.iloc[0].tolist()]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = names
    return frame, [(0, "")] * len(collected)


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
