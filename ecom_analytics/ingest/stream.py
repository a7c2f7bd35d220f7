"""Streaming ingest of large order files: DuckDB reads the file itself and the cleaning rules run
as SQL predicates, with the same rule order, reasons, quarantine and reconciliation as the Python
path (:mod:`ecom_analytics.ingest.cleaning`), writing the dataset straight into the store.

When. :func:`ingest_path` takes this path for a plain delimited orders file (CSV or CSV.gz, UTF-8,
a header, comma, semicolon, tab or pipe) above :data:`STREAM_BYTES`, whose mapping the Python
reader proposes on the file's head (:data:`HEAD_BYTES`), and whose values this path reads exactly
as the Python parsers do. Every other file goes through the Python readers, which handle the messy
ones (encodings, Excel, several tables, decimal commas, US dates, e-mail keys, time zones).

Parity is checked, not assumed. The SQL path reads only what it can read the same way:
ISO dates (``YYYY-MM-DD HH:MM[:SS[.ffffff]]`` or ``YYYY-MM-DDTHH:MM:SS[.ffffff]``, hours 00-23,
years a pandas timestamp holds; fractions of a second dropped, as the Python parser drops them),
plain numbers (``-12``, ``3.50``), text trimmed of ASCII white space. Before writing anything it
checks each mapped column's distinct values for cells outside those shapes, and counts lines with
a wrong number of fields, physical lines that are not rows (a quoted field with a line break) and
text with other white space at its ends; if there is any, it stops with :class:`NotStreamable`
naming the reason, and :func:`ingest_path` runs the Python path instead. A report is never
silently different: tests compare both paths' cleaning reports and clean rows on the same files.

How (:func:`ingest_file`). The file is read once, into a table of a temporary DuckDB database
(written compressed, so memory stays under :data:`MEMORY_LIMIT` however large the file): the raw
fields as text, the canonical timestamp and a hash of the line. Everything else reads that table:
the distinct values of each mapped column (checks, timestamp notes, which columns need trimming),
duplicates (lines sharing a hash, then compared field by field), order-level fills (one GROUP BY
order), the outlier fences (counts of distinct values), the report (one aggregate) and the kept
rows, written month by month. The canonical columns are expressions computed where they are used;
the text columns only the output reads (names, product ids) only on the rows written. A thread
hashes the file and counts its lines meanwhile. ``benchmarks/scale.py`` prints the time of each phase.

Rules, in the order that decides a row's single reason (as in ``cleaning.ORDER_RULES``):
malformed_line (never: such files are not streamed), unreadable_date, unreadable_number (never:
see above), duplicate (an exact copy of an earlier line, all raw fields compared), missing_customer,
cancellation, non_positive_price, outlier (quarantined only under the ``quarantine`` policy; the
fences are Q3 + 5 IQR of log1p over the rows no earlier rule matched, as in
:func:`cleaning.outlier_thresholds`). Order-level fields (customer, date, country, status) empty on
some lines of an order take the order's first value, as :func:`mapping.apply_mapping` does.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import threading
import time
import zlib
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from ecom_analytics.ingest import pipeline, schema
from ecom_analytics.ingest.cleaning import (CANCEL_STATUSES, OUTLIER_IQR_FACTOR, OUTLIER_MIN_LOG_IQR,
                                            OUTLIER_POLICIES, ORDER_RULES)
from ecom_analytics.ingest.mapping import Mapping, date_first, fill_merged_dates
from ecom_analytics.ingest.parsing import parse_timestamps
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace

#: files above this size take the SQL path when they qualify (smaller ones read fast in Python)
STREAM_BYTES = 100 * 1024 * 1024
#: bytes of the (decompressed) head the Python reader reads to propose the mapping
HEAD_BYTES = 4 * 1024 * 1024
#: DuckDB's memory for one ingest: it spills to disk beyond it (the raw table is on disk, compressed)
MEMORY_LIMIT = "1200MB"

#: the ISO shapes the Python formats read alike ('T' only with seconds; hours 00-23; no second 60)
_ISO_DATE = (r"\d{4}-\d{2}-\d{2}( ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
             r"|T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?)")
#: the times a pandas timestamp holds (the Python parsers read the others as unreadable)
_NS_RANGE = ("1677-09-22 00:00:00", "2262-04-10 23:59:59")
_NUMBER = r"-?\d+(\.\d+)?"
_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
_ID_COLUMNS = ("customer_id", "order_id", "product_id")
_ORDER_LEVEL = ("customer_id", "timestamp", "country", "status")
_NUMERIC = ("quantity", "unit_price", "amount")
#: code points Python's str.strip() removes besides the ASCII white space that trim() here removes
_PY_ONLY_SPACES = (0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
                   0x205F, 0x3000)


class NotStreamable(Exception):
    """This file cannot take the SQL path with a report identical to the Python path's; ``note`` says
    why as a coded note (a phrase of the catalogue, worded in the analyst's language), ``str(error)`` in
    English (the Python path reads it instead)."""

    def __init__(self, reason: str | Note):
        self.note = reason if isinstance(reason, Note) else Note(reason)
        super().__init__(self.note.english())


@dataclass
class StreamResult:
    """A dataset ingested by the SQL path: the same fields the CLI prints as the Python path's."""

    dataset_id: str
    kind: str
    name: str
    mapping: Mapping
    report: dict
    path: str = "sql"
    #: seconds of each phase (plan, read, checks, duplicates, clean, file scan, write), for benchmarks
    phases: dict = field(default_factory=dict)

    def summary(self) -> dict:
        r = self.report["cleaning"]
        return {"kind": self.kind, "dataset_id": self.dataset_id, "mapping": self.mapping.as_dict(),
                "rows_in": r["rows_in"], "rows_clean": r["rows_clean"], "rows_quarantined": r["rows_quarantined"],
                "quarantine": {x["rule"]: x["quarantined"] for x in r["rules"]},
                "revenue_in": round(r["revenue_in"], 2), "revenue_clean": round(r["revenue_clean"], 2),
                "reconciles": r["reconciles"], "reader": self.report["reader"], "notes": self.report["notes"]}


def head_bytes(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of the file (decompressed when .gz), cut after the last full line."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read(size)
    cut = data.rfind(b"\n")
    return data if cut < 0 else data[: cut + 1]


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes (the Python path's content hash: the same dataset id)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(8 * 1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def plan(path: str | Path, *, kind: str | None = None) -> tuple[pipeline.Prepared, str]:
    """The Python reader's view of the file's head (mapping proposed) and the delimiter, or
    NotStreamable when the file is not a plain delimited orders file this path reads alike."""
    path = Path(path)
    name = path.name[:-3] if path.suffix.lower() == ".gz" else path.name
    if not name.lower().endswith((".csv", ".tsv", ".txt")):
        raise NotStreamable("not a delimited text file")
    head = head_bytes(path)
    if head.startswith(b"\xef\xbb\xbf"):
        raise NotStreamable("the file starts with a byte-order mark")
    prepared = pipeline.prepare(head, name, kind=kind, max_bytes=None)
    raw, mapping = prepared.raw, prepared.mapping
    if mapping.kind != "orders":
        raise NotStreamable(Note("a {kind} file (the SQL path reads orders)", {"kind": Note(mapping.kind)}))
    if raw.encoding not in ("utf-8", "ascii") or not raw.has_header or raw.bad_lines:
        raise NotStreamable("not UTF-8 with a header and well-formed lines")
    if raw.skipped_lines:
        raise NotStreamable("a title above the header (the SQL path reads the first line as the header)")
    delimiter = _DELIMITERS.get(raw.describe()["delimiter"])
    if delimiter is None:
        raise NotStreamable("an unusual delimiter")
    if mapping.missing_required():
        raise NotStreamable("the mapping misses a required column")
    if mapping.pii_columns:
        raise NotStreamable("the file has personal-data columns (pseudonymised by the Python path)")
    written = raw.frame[mapping.as_dict()["timestamp"]]
    if mapping.extras(raw.frame) or date_first(written) is not written:
        raise NotStreamable("a refund or time-of-day column, or times written before their dates (read by the "
                            "Python path)")
    when = parse_timestamps(raw.frame[mapping.as_dict()["timestamp"]])
    dated = when.values.dropna()
    if "order_id" not in mapping.as_dict() and not dated.empty and (dated == dated.dt.normalize()).all():
        raise NotStreamable("a sales sheet without order numbers or times of day (the Python path reads its "
                            "repeated lines as sales)")
    if fill_merged_dates(when.values, when.failed)[1]:
        raise NotStreamable("dates given once for the lines below them (the Python path copies merged cells down)")
    return prepared, delimiter


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


class _FileScan(threading.Thread):
    """One read of the file's bytes in the background, while DuckDB works: its SHA-256 (the
    content hash in the dataset id) and its physical line breaks (decompressed when .gz)."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="ingest-file-scan", daemon=True)
        self.path = path
        self.sha256 = ""
        self.newlines = 0
        self.ends_with_newline = True
        self.error: BaseException | None = None
        self._cancelled = threading.Event()

    def run(self) -> None:
        try:
            digest, newlines, last = hashlib.sha256(), 0, b"\n"
            inflate = zlib.decompressobj(wbits=47) if self.path.suffix.lower() == ".gz" else None
            with open(self.path, "rb") as f:
                for block in iter(lambda: f.read(8 * 1024 * 1024), b""):
                    if self._cancelled.is_set():
                        self.error = RuntimeError("the file scan was cancelled")
                        return
                    digest.update(block)
                    if inflate is not None:
                        block = inflate.decompress(block)
                        while inflate.eof and inflate.unused_data:  # a file of several gzip members
                            rest = inflate.unused_data
                            inflate = zlib.decompressobj(wbits=47)
                            block += inflate.decompress(rest)
                    if block:
                        newlines += block.count(b"\n")
                        last = block[-1:]
            self.sha256, self.newlines, self.ends_with_newline = digest.hexdigest(), newlines, last == b"\n"
        except BaseException as exc:  # noqa: BLE001 - raised in the caller by result()
            self.error = exc

    def cancel(self) -> None:
        """Stop reading (when the file turns out not to be streamable) and wait for the thread."""
        self._cancelled.set()
        self.join()

    def result(self) -> "_FileScan":
        self.join()
        if self.error is not None:
            raise self.error
        return self


def ingest_file(path: str | Path, workspace: Workspace, *, outlier_policy: str = "flag", name: str | None = None,
                kind: str | None = None) -> StreamResult:
    """Read, map, clean and store a large orders file with DuckDB (see the module docstring);
    NotStreamable when the file needs the Python path.

    The file is read once, into a DuckDB table of its raw fields as text plus the canonical
    timestamp and a hash of the line. The rest runs on that table: each mapped column's distinct
    values (the value checks, the timestamp notes, which columns need trimming), duplicates (lines
    sharing a hash, compared field by field), order-level fills, the outlier fences, the report in
    one aggregate, and the kept rows written month by month. The canonical columns are computed
    where they are used, never stored. Meanwhile a thread hashes the file and counts its lines."""
    if outlier_policy not in OUTLIER_POLICIES:
        raise ValueError(f"outlier_policy must be one of {OUTLIER_POLICIES}")
    path = Path(path)
    clock = _Clock()
    scan = _FileScan(path)  # from the start: it reads alongside the Python reader's look at the head
    scan.start()
    try:
        prepared, delimiter = plan(path, kind=kind)
    except BaseException:
        scan.cancel()
        raise
    clock.lap("plan")
    mapping = prepared.mapping
    m = mapping.as_dict()
    columns = [str(c) for c in prepared.raw.frame.columns]
    spill = tempfile.mkdtemp(prefix="ecom-ingest-")
    # the raw table lives in a database file of the temporary folder: DuckDB writes it compressed as it
    # reads (a tenth of its size in memory for Online Retail), so it is never spilled uncompressed
    con = duckdb.connect(str(Path(spill) / "ingest.duckdb"), config={"memory_limit": MEMORY_LIMIT, "temp_directory": spill,
                                 "preserve_insertion_order": True})
    try:
        con.execute("SET enable_progress_bar = false")
        typed = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in columns)
        ts = _q(m["timestamp"])
        fields = ", ".join(f"nullif({_q(c)}, '')" for c in columns)
        # DuckDB's timestamp cast takes the 'T' and surrounding spaces itself; other white space
        # (tabs, line feeds) is trimmed first, only on the lines where the plain cast fails
        try:
            rows = con.execute(f"""CREATE TABLE raw AS SELECT *,
                coalesce(TRY_CAST({ts} AS TIMESTAMP), TRY_CAST(trim({ts}, {_ASCII_SPACE}) AS TIMESTAMP)) AS {_TS},
                hash({fields}) AS {_H}, false AS {_DUP}
                FROM read_csv({_lit(str(path))}, header = true, delim = {_lit(delimiter)}, quote = '"', escape = '"',
                columns = {{{typed}}}, strict_mode = true, null_padding = false, parallel = true)""").fetchone()[0]
        except duckdb.Error as exc:
            raise NotStreamable(Note("DuckDB cannot read every line alike ({error})",
                                     {"error": type(exc).__name__})) from None
        clock.lap("read")
        present = ", ".join(f"nullif({_q(c)}, '')" for c in columns)
        if con.execute(f"SELECT count(*) FROM raw WHERE coalesce({present}) IS NULL").fetchone()[0]:
            raise NotStreamable("some lines hold only separators (the Python reader skips them as blank lines)")
        profile = _profile(con, m)
        timestamp_notes = _timestamp_notes(con)  # parsed in a thread while DuckDB goes on
        clock.lap("checks")
        _mark_duplicates(con, columns)
        clock.lap("duplicates")
        report_cleaning, months, fill_notes, ordered = _clean(con, m, profile, outlier_policy)
        clock.lap("clean")
        files = scan.result()
        timestamp_notes = timestamp_notes.result()
        clock.lap("file scan")
        if rows + 1 != files.newlines + (0 if files.ends_with_newline else 1):
            raise NotStreamable("a quoted field spans lines or there are blank lines")
        full = replace(prepared, content_hash=files.sha256, size_bytes=path.stat().st_size)
        dataset_id = pipeline.dataset_id_for(full, mapping, outlier_policy)
        reader = prepared.raw.describe()
        reader.update({"source_name": path.name, "rows": int(rows),
                       "compression": "gzip" if path.suffix.lower() == ".gz" else None})
        # in the Python path's order: reading and mapping notes, the timestamp column's, the
        # amount's, then the order-level fill (mapping.apply_mapping)
        notes = prepared.raw.notes + mapping.notes + timestamp_notes
        if "amount" not in m:
            notes = notes + [Note("amount = quantity x unit_price")]
        notes = notes + fill_notes
        report = {
            "reader": reader,
            "mapping": {c: {"source": ch.source, "confidence": ch.confidence, "reason": ch.reason.english()}
                        for c, ch in mapping.choices.items()},
            "pii_columns": sorted(mapping.pii_columns),
            "parse": {"timestamp": "YYYY-MM-DD HH:mm:ss", **{c: "numeric" for c in _NUMERIC if c in m}},
            "notes": [n.english() for n in notes],
            "coded_notes": [pipeline.note_as_dict(n) for n in notes],
            "cleaning": report_cleaning,
            "timezone": None,
            "currency": None,
            "ingest_path": "sql",
        }
        result_name = name or path.name
        order = "" if ordered else " ORDER BY source_line"
        workspace.save_dataset_query(
            dataset_id, con, clean_query=_CLEAN_SELECT + order, quarantine_query=_QUARANTINE_SELECT + order,
            rows_clean=report_cleaning["rows_clean"], name=result_name, kind="orders", source_name=path.name,
            size_bytes=path.stat().st_size, mapping=m, report=report, months=months)
        clock.lap("write")
    finally:
        con.close()
        scan.cancel()  # a file the Python path reads instead is not read to its end here
        shutil.rmtree(spill, ignore_errors=True)
    return StreamResult(dataset_id, "orders", result_name, mapping, report, phases=clock.laps)


class _Clock:
    """Seconds between successive laps, by name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 2)
        self._last = now


#: the columns ingest_file adds to the raw table (names no export uses)
_TS, _H, _DUP = '"__ecom_ts"', '"__ecom_hash"', '"__ecom_duplicate"'
_ASCII_SPACE = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"  # what str.strip() removes, ASCII
def _space_code(expr: str) -> str:
    """Whether the code point ``expr`` is ASCII white space (written without an IN list, which DuckDB
    plans as a join)."""
    return f"({expr} BETWEEN 9 AND 13 OR {expr} = 32)"



_DIFFERENTLY = "some dates, numbers or white space are read differently by the Python parsers"


@dataclass
class _Column:
    """What the distinct values of one source column say about reading it."""

    trim: bool = True  # some value has ASCII white space at an end
    empty: bool = True  # some value is empty once trimmed
    dot_zero: bool = True  # some value ends in '.0' once trimmed (an id written by a spreadsheet)
    fraction: bool = False  # (the timestamp) some value has fractional seconds


def _profile(con, m: dict) -> dict[str, _Column]:
    """Check every mapped column on its distinct values (NotStreamable when a cell is outside the
    shapes this path reads as the Python parsers do) and say which need trimming or '.0' stripping.
    Leaves the timestamp's distinct values with their first line in the table ``ts_values``."""
    out: dict[str, _Column] = {}
    py_spaces = ", ".join(str(c) for c in _PY_ONLY_SPACES)
    numeric = {m[c] for c in _NUMERIC if c in m}
    differently = _DIFFERENTLY
    con.execute(f"CREATE TEMP TABLE ts_values AS SELECT {_q(m['timestamp'])} AS v, min(rowid) AS first FROM raw "
                "GROUP BY ALL")
    for src in sorted(set(m.values())):
        # Python's str.strip() also strips the other white space (_PY_ONLY_SPACES) that trim() here leaves
        checks = [f"count(*) FILTER (WHERE ord(t) IN ({py_spaces}) OR ord(right(t, 1)) IN ({py_spaces}))",
                  f"bool_or({_space_code('ord(v)')} OR {_space_code('ord(right(v, 1))')})",
                  "bool_or(t = '')", "bool_or(suffix(t, '.0'))"]
        if src == m["timestamp"]:
            checks += [f"count(*) FILTER (WHERE t <> '' AND NOT regexp_full_match(t, {_lit(_ISO_DATE)}))",
                       "count(*) FILTER (WHERE t <> '' AND TRY_CAST(t AS TIMESTAMP) IS NULL)",
                       f"count(*) FILTER (WHERE TRY_CAST(t AS TIMESTAMP) NOT BETWEEN {_lit(_NS_RANGE[0])} "
                       f"AND {_lit(_NS_RANGE[1])})",
                       "bool_or(contains(t, '.'))"]
            values = "SELECT v FROM ts_values"
        else:
            if src in numeric:
                checks.append(f"count(*) FILTER (WHERE t <> '' AND NOT regexp_full_match(t, {_lit(_NUMBER)}))")
            values = f"SELECT {_q(src)} AS v FROM raw GROUP BY ALL"
        row = con.execute(f"SELECT {', '.join(checks)} FROM (SELECT v, trim(v, {_ASCII_SPACE}) AS t FROM ({values}) "
                          "WHERE v IS NOT NULL)").fetchone()
        if row[0] or (len(row) > 4 and row[4]):
            raise NotStreamable(differently)
        if src == m["timestamp"] and row[5]:
            raise NotStreamable("some dates do not exist in the calendar")
        if src == m["timestamp"] and row[6]:
            raise NotStreamable("some dates are outside the years 1677 to 2262 that the Python parsers read")
        out[src] = _Column(trim=bool(row[1]), empty=bool(row[2]), dot_zero=bool(row[3]),
                           fraction=bool(row[7]) if src == m["timestamp"] else False)
    return out


#: the distinct timestamps the parser's notes depend on, in the order they first appear: every value
#: up to the first appearance of the 2,000th distinct value without fractions of a second, and the first 200
#: distinct values of each shape (digits written as 0; at most 10,000 of them by first appearance): the parser's
#: scoring sample (parsing._scoring_sample), from which it chooses the formats - on values checked as ISO dates
#: that exist, in the years a pandas timestamp holds, whether a format reads a value depends on its shape alone,
#: so the formats used, hence the notes, are those of the whole column (a test compares them on a column of
#: mixed shapes)
_NOTE_VALUES = r"""WITH v AS (SELECT v, first, regexp_replace(v, '(\d{2}:\d{2}:\d{2})\.\d+', '\1', 'g') AS body,
        regexp_replace(v, '\d', '0', 'g') AS shape FROM ts_values WHERE v IS NOT NULL),
    sample AS (SELECT min(first) AS f FROM v GROUP BY body ORDER BY f LIMIT 2000),
    shaped AS (SELECT first FROM (SELECT first, row_number() OVER (PARTITION BY shape ORDER BY first) AS k FROM v)
        WHERE k <= 200 ORDER BY first LIMIT 10000)
    SELECT v FROM v WHERE first <= (SELECT max(f) FROM sample) OR first IN (SELECT first FROM shaped)
    ORDER BY first"""


def _timestamp_notes(con) -> Future:
    """The timestamp parser's notes on the whole column (mixed formats, ...), as the Python path
    gives them: the parser sees the distinct values in the order they first appear, which is what
    it decides on (its format scores come from the first distinct values); it is given the values
    those notes depend on (:data:`_NOTE_VALUES`), not all of them. Parsed in a thread: ``.result()``
    is the list of notes, or raises NotStreamable when the parser cannot read some value (the Python
    path reads only the shapes of the formats its sample scores: a shape first seen late is unreadable
    there, while DuckDB reads it)."""
    from ecom_analytics.ingest.mapping import _of_column
    from ecom_analytics.ingest.parsing import parse_timestamps

    values = con.execute(_NOTE_VALUES).df()["v"].astype("string")
    con.execute("DROP TABLE ts_values")
    future: Future = Future()

    def parse() -> None:
        try:
            parsed = parse_timestamps(values)
            if parsed.failed.any():  # a shape the formats of the parser's sample do not read: unreadable there
                raise NotStreamable(_DIFFERENTLY)
            future.set_result([_of_column("timestamp", n) for n in parsed.notes])
        except BaseException as exc:  # noqa: BLE001 - raised in the caller by result()
            future.set_exception(exc)

    threading.Thread(target=parse, name="ingest-timestamp-notes", daemon=True).start()
    return future


def _mark_duplicates(con, columns: list[str]) -> None:
    """Set the duplicate mark of every line that is an exact copy of an earlier one (all raw fields
    compared, empty = missing): the lines sharing a hash are compared field by field."""
    fields = ", ".join(f"nullif({_q(c)}, '')" for c in columns)
    con.execute(f"CREATE TEMP TABLE candidates AS SELECT {_H} AS h FROM raw GROUP BY ALL HAVING count(*) > 1")
    if con.execute("SELECT count(*) FROM candidates").fetchone()[0]:
        con.execute(f"""UPDATE raw SET {_DUP} = true WHERE rowid IN (SELECT r FROM (
            SELECT rowid AS r, row_number() OVER (PARTITION BY {fields} ORDER BY rowid) AS k FROM raw
            WHERE {_H} IN (SELECT h FROM candidates)) WHERE k > 1)""")
    con.execute("DROP TABLE candidates")


_OUT = ("customer_id, order_id, timestamp, product_id, product_name, category, quantity, unit_price, amount, country, "
        "status, source_line")
#: the kept and the quarantined rows (``quarantined`` is true on a row some rule quarantines)
_CLEAN_SELECT = f"SELECT {_OUT}, is_outlier FROM rows_ WHERE NOT quarantined"
_QUARANTINE_SELECT = f"SELECT {_OUT}, reason, reasons, detail FROM rows_ WHERE quarantined"


def _text(src: str | None, column: _Column | None) -> str:
    """A canonical text column from its raw field, trimmed of ASCII white space and empty = missing
    (each step only where the column's values need it). trim() is called on every value, not behind
    a test of the ends: on a dictionary-compressed column DuckDB runs it once per distinct value,
    which a CASE around it prevents (10 M lines of Online Retail's descriptions: 0.13 s of CPU
    against 0.65 s)."""
    if src is None:
        return "CAST(NULL AS VARCHAR)"
    column = column or _Column()
    s = _q(src)
    if column.trim:
        s = f"trim({s}, {_ASCII_SPACE})"
    if column.trim or column.empty:
        s = f"nullif({s}, '')"
    return s


def _strip(c: str, m: dict, profile: dict[str, _Column]) -> str:
    """The id column ``c`` without a spreadsheet's '.0' when some of its values end so, else ``c``."""
    if c in _ID_COLUMNS and c in m and profile[m[c]].dot_zero:
        return f"CASE WHEN suffix({c}, '.0') THEN left({c}, length({c}) - 2) ELSE {c} END"
    return c


def _clean(con, m: dict, profile: dict[str, _Column], outlier_policy: str) -> tuple[dict, list, list[Note], bool]:
    """Define the view ``rows_`` (canonical columns, source_line, reason, reasons, detail,
    is_outlier) over the raw table; return the cleaning report as :func:`cleaning.clean` gives it
    for these rows, the months of the kept rows, the fill note, and whether ``rows_`` comes in line
    order without sorting."""
    # the columns the rules read are computed on every row; the others (heavy: text the rules do not read) only
    # on the rows written, above the filter that picks them
    light = ("customer_id", "order_id", "country", "status")
    heavy = ("product_id", "product_name", "category")
    texts = {c: _text(m.get(c), profile.get(m.get(c))) for c in light}
    number = {c: (f"TRY_CAST({_text(m[c], profile.get(m[c]))} AS DOUBLE)" if c in m else "CAST(NULL AS DOUBLE)")
              for c in _NUMERIC}
    raw_heavy = ", ".join(f"{_q(m[c]) if c in m else 'CAST(NULL AS VARCHAR)'} AS _raw_{c}" for c in heavy)
    ts = f"date_trunc('second', {_TS})" if profile[m["timestamp"]].fraction else _TS  # Python drops fractions
    con.execute(f"""CREATE TEMP VIEW trimmed AS SELECT rowid AS __r, {_DUP} AS m_duplicate,
        {_q(m['timestamp'])} AS _ts_raw, {raw_heavy}, {', '.join(f'{expr} AS {c}' for c, expr in texts.items())},
        {ts} AS timestamp, {', '.join(f'{expr} AS {c}' for c, expr in number.items())} FROM raw""")
    amount = "amount" if "amount" in m else "(quantity * unit_price)"
    passed = ", ".join(f"_raw_{c}" for c in heavy)
    con.execute(f"""CREATE TEMP VIEW canon AS SELECT {', '.join(f'{_strip(c, m, profile)} AS {c}' for c in light)},
        timestamp, quantity, unit_price, {amount} AS amount, __r, m_duplicate, _ts_raw, {passed} FROM trimmed""")
    source, ordered, fill_notes = "canon", True, []
    level = [c for c in _ORDER_LEVEL if c in m]
    if "order_id" in m and level:  # order-level fields written on an order's first line only
        fill_notes = _fills(con, level)
        if fill_notes:
            others = ", ".join(c for c in light + ("timestamp", "quantity", "unit_price", "amount") if c not in level)
            taken = ", ".join(f"coalesce(c.{c}, f._f_{c}) AS {c}" for c in level)
            con.execute(f"""CREATE TEMP VIEW canon_filled AS SELECT {others}, {taken}, __r, m_duplicate, _ts_raw,
                {passed} FROM canon c LEFT JOIN fills f USING (order_id)""")
            source, ordered = "canon_filled", False
    statuses = ", ".join(_lit(s) for s in sorted(CANCEL_STATUSES))
    status = f" OR coalesce(lower(trim(status)) IN ({statuses}), false)" if "status" in m else ""
    con.execute(f"""CREATE TEMP VIEW flags AS SELECT *,
        timestamp IS NULL AS m_unreadable_date,
        customer_id IS NULL AS m_missing_customer,
        coalesce(quantity < 0, false){status}
            OR CASE WHEN ord(order_id) IN (67, 99) THEN regexp_full_match(order_id, '[Cc]\\d+') ELSE false END
            OR (quantity IS NULL AND coalesce(amount < 0, false)) AS m_cancellation,
        coalesce(coalesce(unit_price, amount) <= 0, false) AS m_non_positive_price
        FROM {source}""")
    earlier = "m_unreadable_date OR m_duplicate OR m_missing_customer OR m_cancellation OR m_non_positive_price"
    q_fence, a_fence = _fences(con, earlier)
    outlier = f"(coalesce(quantity > {_float_sql(q_fence)}, false) OR coalesce(amount > {_float_sql(a_fence)}, false))"
    quarantine_outliers = outlier_policy == "quarantine"
    rules = [r for r, _ in ORDER_RULES if r not in ("malformed_line", "unreadable_number")
             and (r != "outlier" or quarantine_outliers)]
    mvar = {r: (f"m_{r}" if r != "outlier" else "is_outlier") for r in rules}
    reason = "CASE " + " ".join(f"WHEN {mvar[r]} THEN '{r}'" for r in rules) + " END"
    reasons = "nullif(concat_ws('; ', " + ", ".join(f"CASE WHEN {mvar[r]} THEN '{r}' END" for r in rules) + "), '')"
    con.execute(f"CREATE TEMP VIEW flags2 AS SELECT *, {outlier} AS is_outlier FROM flags")
    quarantined = " OR ".join(mvar[r] for r in rules)
    con.execute(f"CREATE TEMP VIEW flags3 AS SELECT *, {quarantined} AS quarantined FROM flags2")
    trimmed_heavy = ", ".join(f"{_text(f'_raw_{c}', profile[m[c]]) if c in m else 'CAST(NULL AS VARCHAR)'} AS {c}"
                              for c in heavy)
    con.execute(f"""CREATE TEMP VIEW rows_ AS SELECT * EXCLUDE ({', '.join(heavy)}),
        {', '.join(f'{_strip(c, m, profile)} AS {c}' for c in heavy)} FROM (SELECT *, {trimmed_heavy},
        {reason} AS reason, {reasons} AS reasons,
        CASE WHEN m_unreadable_date THEN {_lit(m['timestamp'] + ": '")} || coalesce(_ts_raw, '') || '''' END AS detail,
        CAST(__r + 2 AS BIGINT) AS source_line FROM flags3)""")
    # the whole report in one pass over the rows
    revenue = "coalesce(fsum(coalesce(amount, 0)) FILTER (WHERE {}), 0)"
    parts = [f"count(*) FILTER (WHERE {mvar[r]})" for r in rules]
    # a row's reason is its first rule: rule i and none before it (no text built per row)
    first = {r: " AND ".join([mvar[r]] + [f"NOT {mvar[e]}" for e in rules[:i]]) for i, r in enumerate(rules)}
    anonymous = " AND ".join(["m_missing_customer"] + [f"NOT {mvar[e]}" for e in rules if e != "missing_customer"])
    parts += [f"count(*) FILTER (WHERE {first[r]})" for r in rules]
    parts += [revenue.format(first[r]) for r in rules]
    parts += ["count(*)", "count(*) FILTER (WHERE NOT quarantined)", revenue.format("true"),
              revenue.format("NOT quarantined"), revenue.format("quarantined"),
              "count(*) FILTER (WHERE NOT quarantined AND is_outlier)",
              "coalesce(fsum(amount) FILTER (WHERE NOT quarantined AND is_outlier), 0)",
              "count(*) FILTER (WHERE is_outlier)", f"count(*) FILTER (WHERE {anonymous})", revenue.format(anonymous),
              "list(DISTINCT date_trunc('month', timestamp)) FILTER (WHERE NOT quarantined)"]
    row = con.execute(f"SELECT {', '.join(parts)} FROM rows_").fetchone()
    k = len(rules)
    per_rule = {r: (0, 0, 0.0) for r, _ in ORDER_RULES}
    for i, r in enumerate(rules):
        per_rule[r] = (int(row[i]), int(row[k + i]), float(row[2 * k + i]))
    (rows_in, rows_clean, revenue_in, revenue_clean, revenue_q, n_flagged, rev_flagged, n_outlier,
     n_anon, rev_anon, months) = row[3 * k:]
    rows_q = rows_in - rows_clean
    descriptions = dict(ORDER_RULES)
    report_rules = [{"rule": r, "description": descriptions[r], "matched": per_rule[r][0],
                     "quarantined": per_rule[r][1], "revenue_quarantined": per_rule[r][2]} for r, _ in ORDER_RULES]
    if not quarantine_outliers:
        report_rules[-1]["matched"] = 0
    flags = [{"flag": "outlier", "description": "quantity or amount beyond Q3 + 5 IQR on a log scale",
              "quantity_above": q_fence, "amount_above": a_fence, "policy": outlier_policy,
              "rows_kept_flagged": int(n_flagged), "revenue_kept_flagged": float(rev_flagged),
              "matched": int(n_outlier)}]
    revenue_in, revenue_clean, revenue_q = float(revenue_in), float(revenue_clean), float(revenue_q)
    report = {
        "kind": "orders", "rows_in": int(rows_in), "rows_clean": int(rows_clean), "rows_quarantined": int(rows_q),
        "revenue_in": revenue_in, "revenue_clean": revenue_clean, "revenue_quarantined": revenue_q,
        "reconciles": bool(rows_in == rows_clean + rows_q and abs(revenue_in - revenue_clean - revenue_q)
                           <= 1e-6 * max(1.0, abs(revenue_in))),
        "rules": report_rules, "flags": flags,
        "sales_without_customer": {"rows": int(n_anon), "revenue": float(rev_anon)},
        "outlier_policy": outlier_policy,
    }
    return report, sorted(f"{month:%Y-%m}" for month in months or []), fill_notes, ordered


def _fills(con, level: list[str]) -> list[Note]:
    """The orders whose order-level fields are empty on some lines and given on others (the table
    ``fills``: the first value given, which mapping.apply_mapping copies), and the note saying how
    many lines were filled, with the Python path's wording and column order (none: nothing to fill)."""
    given = ", ".join(f"arg_min({c}, __r) FILTER (WHERE {c} IS NOT NULL) AS _f_{c}, "
                      f"count(*) FILTER (WHERE {c} IS NULL) AS _n_{c}, count({c}) AS _k_{c}" for c in level)
    needed = " OR ".join(f"(_n_{c} > 0 AND _k_{c} > 0)" for c in level)
    con.execute(f"CREATE TEMP TABLE fills AS SELECT * FROM (SELECT order_id, {given} FROM canon "
                f"WHERE order_id IS NOT NULL GROUP BY order_id) WHERE {needed}")
    counts = con.execute("SELECT " + ", ".join(f"coalesce(sum(_n_{c}) FILTER (WHERE _k_{c} > 0), 0)" for c in level)
                         + " FROM fills").fetchone()
    order = ["timestamp"] + [c for c in schema.ORDERS_COLUMNS if c != "timestamp"]
    filled = {c: int(n) for c, n in sorted(zip(level, counts), key=lambda x: order.index(x[0])) if int(n)}
    if not filled:
        return []
    return [Note("order-level fields written on an order's first line only were copied to its other lines "
                 "({counts})", {"counts": ", ".join(f"{c}: {k:,} lines" for c, k in filled.items())})]


def _fences(con, earlier: str) -> tuple[float, float]:
    """:func:`cleaning.outlier_thresholds` of quantity and of amount over the rows no earlier rule
    matched: numpy's percentiles of log1p, from the distinct values and their counts."""
    rows = con.execute(f"""SELECT GROUPING(quantity), quantity, amount, count(*) FROM flags WHERE NOT ({earlier})
        GROUP BY GROUPING SETS ((quantity), (amount))""").fetchall()
    quantity = [(v, n) for g, v, _, n in rows if g == 0 and v is not None and v > 0]
    amount = [(v, n) for g, _, v, n in rows if g == 1 and v is not None and v > 0]
    return _fence(quantity), _fence(amount)


def _fence(counted: list[tuple[float, int]]) -> float:
    """exp(Q3 + 5 IQR) - 1 of log1p over values given with their counts, Q1 and Q3 as
    ``numpy.percentile`` (method linear) computes them on the values one by one."""
    import numpy as np

    n = sum(k for _, k in counted)
    if n < 20:
        return float("inf")
    counted = sorted(counted)
    logs = np.log1p(np.array([v for v, _ in counted], dtype="float64"))
    ends = np.cumsum([k for _, k in counted])  # the sorted positions ends[i-1] .. ends[i] - 1 hold logs[i]

    def at(position) -> float:
        return logs[int(np.searchsorted(ends, int(min(max(position, 0), n - 1)), side="right"))]

    quartiles = []
    for q in (np.float64(25) / 100, np.float64(75) / 100):
        virtual = n * q + (1 + q * (1 - 1 - 1)) - 1  # numpy's virtual index (alpha = beta = 1)
        below = np.floor(virtual)
        gamma = virtual - below
        a, b = at(below), at(below + 1)
        quartiles.append(b - (b - a) * (1 - gamma) if gamma >= 0.5 else a + (b - a) * gamma)  # numpy's _lerp
    q1, q3 = quartiles
    return float(np.expm1(q3 + OUTLIER_IQR_FACTOR * max(q3 - q1, OUTLIER_MIN_LOG_IQR)))


def _float_sql(value: float) -> str:
    return "'inf'::DOUBLE" if value == float("inf") else repr(float(value))


def ingest_path(path: str | Path, workspace: Workspace, *, outlier_policy: str = "flag", name: str | None = None,
                kind: str | None = None, threshold: int | None = None):
    """Ingest a file by the fitting path: the SQL path for a large plain orders file (above
    ``threshold`` bytes, default :data:`STREAM_BYTES`) that qualifies, else the Python path.
    Returns the result (``.path`` is "sql" on the SQL path) and, when a large file fell back to
    Python, the reason as a coded note."""
    from ecom_analytics.ingest.readers import read_file_bytes

    path = Path(path)
    limit = STREAM_BYTES if threshold is None else threshold
    note = None
    if path.stat().st_size > limit:
        try:
            return ingest_file(path, workspace, outlier_policy=outlier_policy, name=name, kind=kind), None
        except NotStreamable as exc:
            note = Note("The file is read by the Python path because {reason}.", {"reason": exc.note})
    result = pipeline.ingest(read_file_bytes(path, max_bytes=None), path.name, kind=kind,
                             outlier_policy=outlier_policy, workspace=workspace, name=name, max_bytes=None)
    return result, note
