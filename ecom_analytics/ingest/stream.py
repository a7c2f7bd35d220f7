"""Streaming ingest of large order files: DuckDB reads the file itself and the cleaning rules run
as SQL predicates, with the same rule order, reasons, quarantine and reconciliation as the Python
path (:mod:`ecom_analytics.ingest.cleaning`), writing the dataset straight into the store.

When. :func:`ingest_path` takes this path for a plain delimited orders file (CSV or CSV.gz, UTF-8,
a header, comma, semicolon, tab or pipe) above :data:`STREAM_BYTES`, whose mapping the Python
reader proposes on the file's head (:data:`HEAD_BYTES`), and whose values this path reads exactly
as the Python parsers do. Every other file goes through the Python readers, which handle the messy
ones (encodings, Excel, several tables, decimal commas, US dates, e-mail keys, time zones).

Parity is checked, not assumed. The SQL path reads only what it can read the same way:
ISO dates (``YYYY-MM-DD HH:MM[:SS]``), plain numbers (``-12``, ``3.50``), text trimmed of ASCII
white space. Before writing anything it counts the cells outside those shapes, lines with a wrong
number of fields, physical lines that are not rows (a quoted field with a line break) and text
with other white space at its ends; if there is any, it stops with :class:`NotStreamable` naming
the reason, and :func:`ingest_path` runs the Python path instead. A report is never silently
different: tests compare both paths' cleaning reports and clean rows on the same files.

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
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from ecom_analytics.ingest import pipeline, schema
from ecom_analytics.ingest.cleaning import (CANCEL_STATUSES, OUTLIER_IQR_FACTOR, OUTLIER_MIN_LOG_IQR,
                                            OUTLIER_POLICIES, ORDER_RULES)
from ecom_analytics.ingest.mapping import Mapping
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace

#: files above this size take the SQL path when they qualify (smaller ones read fast in Python)
STREAM_BYTES = 100 * 1024 * 1024
#: bytes of the (decompressed) head the Python reader reads to propose the mapping
HEAD_BYTES = 4 * 1024 * 1024
#: DuckDB's memory for one ingest: it spills to disk beyond it
MEMORY_LIMIT = "1200MB"

_ISO_DATE = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
_NUMBER = r"-?\d+(\.\d+)?"
_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
_ID_COLUMNS = ("customer_id", "order_id", "product_id")
_ORDER_LEVEL = ("customer_id", "timestamp", "country", "status")
_NUMERIC = ("quantity", "unit_price", "amount")
#: code points Python's str.strip() removes besides the ASCII white space that trim() here removes
_PY_ONLY_SPACES = (0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
                   0x205F, 0x3000)


class NotStreamable(Exception):
    """This file cannot take the SQL path with a report identical to the Python path's;
    ``str(error)`` says why (the Python path reads it instead)."""


@dataclass
class StreamResult:
    """A dataset ingested by the SQL path: the same fields the CLI prints as the Python path's."""

    dataset_id: str
    kind: str
    name: str
    mapping: Mapping
    report: dict
    path: str = "sql"

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


def _count_newlines(path: Path) -> tuple[int, bool]:
    """Physical line breaks of the (decompressed) file, and whether the last line ends with one."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    n, last = 0, b"\n"
    with opener(path, "rb") as f:
        for block in iter(lambda: f.read(16 * 1024 * 1024), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n, last == b"\n"


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
        raise NotStreamable(f"a {mapping.kind} file (the SQL path reads orders)")
    if raw.encoding not in ("utf-8", "ascii") or not raw.has_header or raw.bad_lines:
        raise NotStreamable("not UTF-8 with a header and well-formed lines")
    delimiter = _DELIMITERS.get(raw.describe()["delimiter"])
    if delimiter is None:
        raise NotStreamable("an unusual delimiter")
    if mapping.missing_required():
        raise NotStreamable("the mapping misses a required column")
    if mapping.pii_columns:
        raise NotStreamable("the file has personal-data columns (pseudonymised by the Python path)")
    return prepared, delimiter


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def ingest_file(path: str | Path, workspace: Workspace, *, outlier_policy: str = "flag", name: str | None = None,
                kind: str | None = None) -> StreamResult:
    """Read, map, clean and store a large orders file with DuckDB (see the module docstring);
    NotStreamable when the file needs the Python path."""
    if outlier_policy not in OUTLIER_POLICIES:
        raise ValueError(f"outlier_policy must be one of {OUTLIER_POLICIES}")
    path = Path(path)
    prepared, delimiter = plan(path, kind=kind)
    mapping = prepared.mapping
    m = mapping.as_dict()
    columns = [str(c) for c in prepared.raw.frame.columns]
    import shutil
    import tempfile

    spill = tempfile.mkdtemp(prefix="ecom-ingest-")
    con = duckdb.connect()
    try:
        con.execute(f"SET memory_limit = {_lit(MEMORY_LIMIT)}")
        con.execute(f"SET temp_directory = {_lit(spill)}")
        con.execute("SET preserve_insertion_order = true")
        typed = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in columns)
        try:
            con.execute(f"""CREATE TEMP TABLE raw AS SELECT * FROM read_csv({_lit(str(path))}, header = true,
                delim = {_lit(delimiter)}, quote = '"', escape = '"', columns = {{{typed}}}, strict_mode = true,
                null_padding = false, parallel = true)""")
        except duckdb.Error as exc:
            raise NotStreamable(f"DuckDB cannot read every line alike ({type(exc).__name__})") from None
        rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
        newlines, ends_with_newline = _count_newlines(path)
        if rows + 1 != newlines + (0 if ends_with_newline else 1):
            raise NotStreamable("a quoted field spans lines or there are blank lines")
        _check_values(con, m)
        timestamp_notes = _timestamp_notes(con, m)
        report_cleaning, fences = _clean(con, m, outlier_policy)
        fill_notes = _fill_note(con)
        content_hash = file_sha256(path)
        full = replace(prepared, content_hash=content_hash, size_bytes=path.stat().st_size)
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
        workspace.save_dataset_query(
            dataset_id, con, clean_query=_CLEAN_SELECT, quarantine_query=_QUARANTINE_SELECT,
            rows_clean=report_cleaning["rows_clean"], name=result_name, kind="orders", source_name=path.name,
            size_bytes=path.stat().st_size, mapping=m, report=report)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return StreamResult(dataset_id, "orders", result_name, mapping, report)


def _timestamp_notes(con, m: dict) -> list[Note]:
    """The timestamp parser's notes on the whole column (mixed formats, ...), as the Python path
    gives them: the parser sees the distinct values in the order they first appear, which is what
    it decides on (its format scores come from the first distinct values)."""
    from ecom_analytics.ingest.mapping import _of_column
    from ecom_analytics.ingest.parsing import parse_timestamps

    column = _q(m["timestamp"])
    values = con.execute(f"SELECT v FROM (SELECT {column} AS v, min(rowid) AS first FROM raw GROUP BY v) "
                         "ORDER BY first").df()["v"].astype("string")
    return [_of_column("timestamp", n) for n in parse_timestamps(values).notes]


def _fill_note(con) -> list[Note]:
    """The note on order-level fields copied from an order's other lines, with the Python path's
    wording and column order (timestamp first, then the canonical order)."""
    try:
        counts = con.execute("SELECT * FROM fill_counts").df().iloc[0].to_dict()
    except duckdb.Error:  # no order id or no order-level field: nothing was filled
        return []
    con.execute("DROP TABLE fill_counts")
    order = ["timestamp"] + [c for c in schema.ORDERS_COLUMNS if c != "timestamp"]
    filled = {c: int(counts[c]) for c in order if c in counts and int(counts[c])}
    if not filled:
        return []
    return [Note("order-level fields written on an order's first line only were copied to its other lines "
                 "({counts})", {"counts": ", ".join(f"{c}: {k:,} lines" for c, k in filled.items())})]


def _check_values(con, m: dict) -> None:
    """NotStreamable when a mapped cell is outside the shapes this path reads as the Python parsers do."""
    checks = [f"count(*) FILTER (WHERE nullif({_q(m['timestamp'])}, '') IS NOT NULL AND NOT regexp_full_match("
              f"trim({_q(m['timestamp'])}), {_lit(_ISO_DATE)})) AS dates"]
    for c in _NUMERIC:
        if c in m:
            checks.append(f"count(*) FILTER (WHERE nullif(trim({_q(m[c])}), '') IS NOT NULL AND NOT regexp_full_match("
                          f"trim({_q(m[c])}), {_lit(_NUMBER)})) AS {c}")
    ends = ", ".join(str(c) for c in _PY_ONLY_SPACES)
    for src in sorted(set(m.values())):
        # Python's str.strip() also strips these; trim() below strips only ASCII white space
        checks.append(f"count(*) FILTER (WHERE ord(left({_q(src)}, 1)) IN ({ends}) OR ord(right({_q(src)}, 1)) IN ({ends}))")
    counts = con.execute(f"SELECT {', '.join(checks)} FROM raw").fetchone()
    if any(counts):
        raise NotStreamable("some dates, numbers or white space are read differently by the Python parsers")
    bad_dates = con.execute(f"""SELECT count(*) FROM raw WHERE nullif(trim({_q(m['timestamp'])}), '') IS NOT NULL
        AND TRY_CAST(replace(trim({_q(m['timestamp'])}), 'T', ' ') AS TIMESTAMP) IS NULL""").fetchone()[0]
    if bad_dates:
        raise NotStreamable("some dates do not exist in the calendar")


_CLEAN_SELECT = ("SELECT customer_id, order_id, timestamp, product_id, product_name, category, quantity, unit_price, "
                 "amount, country, status, source_line, is_outlier FROM rows_ WHERE reason IS NULL ORDER BY source_line")
_QUARANTINE_SELECT = ("SELECT customer_id, order_id, timestamp, product_id, product_name, category, quantity, "
                      "unit_price, amount, country, status, source_line, reason, reasons, detail FROM rows_ "
                      "WHERE reason IS NOT NULL ORDER BY source_line")


def _text(src: str | None, canonical: str) -> str:
    if src is None:
        return "CAST(NULL AS VARCHAR)"
    s = f"nullif(trim({_q(src)}, ' \t\n\r\x0b\x0c'), '')"
    if canonical in _ID_COLUMNS:
        s = f"regexp_replace({s}, '\\.0$', '')"
    return s


def _clean(con, m: dict, outlier_policy: str) -> tuple[dict, tuple[float, float]]:
    """Build the table ``rows_`` (canonical columns, source_line, reason, reasons, detail,
    is_outlier) and return the cleaning report, as :func:`cleaning.clean` would for these rows."""
    raw_cols = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
    number = {c: (f"CAST(nullif(trim({_q(m[c])}), '') AS DOUBLE)" if c in m else "CAST(NULL AS DOUBLE)")
              for c in _NUMERIC}
    amount = number["amount"] if "amount" in m else f"({number['quantity']} * {number['unit_price']})"
    ts = (f"CAST(replace(nullif(trim({_q(m['timestamp'])}), ''), 'T', ' ') AS TIMESTAMP)")
    order_key = _text(m.get("order_id"), "order_id") if "order_id" in m else None
    base = {
        "customer_id": _text(m.get("customer_id"), "customer_id"),
        "order_id": _text(m.get("order_id"), "order_id"),
        "timestamp": ts,
        "product_id": _text(m.get("product_id"), "product_id"),
        "product_name": _text(m.get("product_name"), "product_name"),
        "category": _text(m.get("category"), "category"),
        "quantity": number["quantity"],
        "unit_price": number["unit_price"],
        "amount": amount,
        "country": _text(m.get("country"), "country"),
        "status": _text(m.get("status"), "status"),
    }
    dup_key = ", ".join(f"nullif({_q(c)}, '')" for c in raw_cols)
    # the first copy of each distinct line (a hash aggregate: faster than a window over every column)
    con.execute(f"CREATE TEMP TABLE firsts AS SELECT min(rowid) AS r FROM raw GROUP BY {dup_key}")
    con.execute(f"""CREATE TEMP TABLE canon AS SELECT
        {', '.join(f'{expr} AS {c}' for c, expr in base.items())},
        {order_key or 'CAST(NULL AS VARCHAR)'} AS _okey,
        CAST(rowid + 2 AS BIGINT) AS source_line,
        {_q(m['timestamp'])} AS _ts_raw,
        rowid NOT IN (SELECT r FROM firsts) AS m_duplicate
        FROM raw""")
    con.execute("DROP TABLE raw")
    con.execute("DROP TABLE firsts")
    level = [c for c in _ORDER_LEVEL if c in m]
    source = "canon"
    if order_key and level:  # order-level fields written on an order's first line only
        gaps = " OR ".join(f"{c} IS NULL" for c in level)
        firsts = ", ".join(f"first({c} ORDER BY source_line) FILTER (WHERE {c} IS NOT NULL) AS _f_{c}" for c in level)
        con.execute(f"""CREATE TEMP TABLE fills AS SELECT _okey, {firsts} FROM canon
            WHERE _okey IN (SELECT DISTINCT _okey FROM canon WHERE _okey IS NOT NULL AND ({gaps})) GROUP BY _okey""")
        others = ", ".join(c for c in schema.ORDERS_COLUMNS if c not in level)
        filled = ", ".join(f"coalesce(c.{c}, f._f_{c}) AS {c}" for c in level)
        con.execute(f"CREATE TEMP VIEW canon_filled AS SELECT {others}, {filled}, source_line, _ts_raw, m_duplicate "
                    "FROM canon c LEFT JOIN fills f USING (_okey)")
        source = "canon_filled"
        counted = con.execute("SELECT " + ", ".join(
            f"count(*) FILTER (WHERE c.{c} IS NULL AND f._f_{c} IS NOT NULL)" for c in level)
            + " FROM canon c LEFT JOIN fills f USING (_okey)").fetchone()
        con.execute("CREATE TEMP TABLE fill_counts AS SELECT " + ", ".join(
            f"{int(n)} AS {c}" for c, n in zip(level, counted)))
    statuses = ", ".join(_lit(s) for s in sorted(CANCEL_STATUSES))
    # views, not tables: the rules are cheap expressions; only the final rows are written, once
    con.execute(f"""CREATE TEMP VIEW flags AS SELECT *,
        timestamp IS NULL AS m_unreadable_date,
        customer_id IS NULL AS m_missing_customer,
        coalesce(quantity < 0, false) OR coalesce(lower(trim(status)) IN ({statuses}), false)
            OR coalesce(regexp_full_match(order_id, '[Cc]\\d+'), false)
            OR (quantity IS NULL AND coalesce(amount < 0, false)) AS m_cancellation,
        coalesce(coalesce(unit_price, amount) <= 0, false) AS m_non_positive_price
        FROM {source}""")
    earlier = "m_unreadable_date OR m_duplicate OR m_missing_customer OR m_cancellation OR m_non_positive_price"
    q_fence, a_fence = _fences(con, earlier)
    outlier = (f"(coalesce(quantity > {_float_sql(q_fence)}, false) OR coalesce(amount > {_float_sql(a_fence)}, false))")
    quarantine_outliers = outlier_policy == "quarantine"
    rules = [r for r, _ in ORDER_RULES if r not in ("malformed_line", "unreadable_number")
             and (r != "outlier" or quarantine_outliers)]
    mvar = {r: (f"m_{r}" if r != "outlier" else "is_outlier") for r in rules}
    reason = "CASE " + " ".join(f"WHEN {mvar[r]} THEN '{r}'" for r in rules) + " END"
    reasons = "nullif(concat_ws('; ', " + ", ".join(f"CASE WHEN {mvar[r]} THEN '{r}' END" for r in rules) + "), '')"
    con.execute(f"CREATE TEMP VIEW flags2 AS SELECT *, {outlier} AS is_outlier FROM flags")
    con.execute(f"""CREATE TEMP TABLE rows_ AS SELECT *, {reason} AS reason, {reasons} AS reasons,
        CASE WHEN m_unreadable_date THEN {_lit(m['timestamp'] + ": '")} || coalesce(_ts_raw, '') || '''' END AS detail
        FROM flags2""")
    for view in ("flags2", "flags", "canon_filled"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    con.execute("DROP TABLE IF EXISTS fills")
    con.execute("DROP TABLE canon")
    per_rule = {r: (0, 0, 0.0) for r, _ in ORDER_RULES}
    matched = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {mvar[r]})" for r in rules)
                          + (", count(*) FILTER (WHERE is_outlier)" if not quarantine_outliers else "")
                          + " FROM rows_").fetchone()
    for r, (n_rule, n_q, rev) in zip(rules, [(matched[i], 0, 0.0) for i in range(len(rules))]):
        per_rule[r] = (int(n_rule), n_q, rev)
    for r, n_q, rev in con.execute("SELECT reason, count(*), fsum(coalesce(amount, 0)) FROM rows_ "
                                   "WHERE reason IS NOT NULL GROUP BY reason").fetchall():
        per_rule[r] = (per_rule[r][0], int(n_q), float(rev))
    totals = con.execute("""SELECT count(*), count(*) FILTER (WHERE reason IS NULL),
        fsum(coalesce(amount, 0)), coalesce(fsum(coalesce(amount, 0)) FILTER (WHERE reason IS NULL), 0),
        coalesce(fsum(coalesce(amount, 0)) FILTER (WHERE reason IS NOT NULL), 0),
        count(*) FILTER (WHERE reason IS NULL AND is_outlier),
        coalesce(fsum(amount) FILTER (WHERE reason IS NULL AND is_outlier), 0),
        count(*) FILTER (WHERE is_outlier),
        count(*) FILTER (WHERE reasons = 'missing_customer'),
        coalesce(fsum(coalesce(amount, 0)) FILTER (WHERE reasons = 'missing_customer'), 0)
        FROM rows_""").fetchone()
    (rows_in, rows_clean, revenue_in, revenue_clean, revenue_q, n_flagged, rev_flagged, n_outlier,
     n_anon, rev_anon) = totals
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
    return report, (q_fence, a_fence)


def _fences(con, earlier: str) -> tuple[float, float]:
    """:func:`cleaning.outlier_thresholds` of quantity and of amount over the rows no earlier rule
    matched, in one pass."""
    import math

    row = con.execute(f"""SELECT
        count(*) FILTER (WHERE quantity > 0), quantile_cont(ln(1 + quantity), [0.25, 0.75]) FILTER (WHERE quantity > 0),
        count(*) FILTER (WHERE amount > 0), quantile_cont(ln(1 + amount), [0.25, 0.75]) FILTER (WHERE amount > 0)
        FROM flags WHERE NOT ({earlier})""").fetchone()
    fences = []
    for n, quartiles in ((row[0], row[1]), (row[2], row[3])):
        if n < 20:
            fences.append(float("inf"))
            continue
        q1, q3 = quartiles
        fences.append(float(math.expm1(q3 + OUTLIER_IQR_FACTOR * max(q3 - q1, OUTLIER_MIN_LOG_IQR))))
    return fences[0], fences[1]


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
            note = Note("The file is read by the Python path because {reason}.", {"reason": str(exc)})
    result = pipeline.ingest(read_file_bytes(path, max_bytes=None), path.name, kind=kind,
                             outlier_policy=outlier_policy, workspace=workspace, name=name, max_bytes=None)
    return result, note
