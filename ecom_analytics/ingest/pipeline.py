"""Ingest: file bytes -> raw table -> mapping -> canonical table -> cleaning -> workspace.

The UI and the CLI both go through these functions, so both see the same mapping, the same
cleaning and the same dataset id for the same input.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd

from ecom_analytics.ingest import schema
from ecom_analytics.ingest.cleaning import CleaningResult, clean
from ecom_analytics.ingest.currency import detect_currency
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import Mapping, apply_mapping, propose_mapping
from ecom_analytics.ingest.privacy import pseudonymise
from ecom_analytics.ingest.parsing import CONVERTED_TO_UTC, DAY_MONTH_ORDER, DECIMAL_COMMA
from ecom_analytics.ingest.readers import MAX_UPLOAD_BYTES, RawTable, read_table
from ecom_analytics.ingest.reshape import sales_layout, series_key
from ecom_analytics.ingest.sessions import GAP_MINUTES, derive_sessions
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace


#: the codes of what :meth:`Prepared.check` says (a ``cannot be read`` part has severity "error")
DATES_READ_AS = "Dates read as {format}"
CANNOT_BE_READ = "{bad:,} of the first {n:,} values cannot be read"
#: how a number column reads, by the parser's detail (what the Data page says under the mapping)
NUMBER_READINGS = {"numeric": "Numbers", "plain": "Numbers", "decimal point": "Numbers with a decimal point (1,299.00)",
                   "decimal comma": "Numbers with a decimal comma (49,90 = 49.90)"}


@dataclass
class Prepared:
    """A file read and a mapping proposed, waiting for the analyst's confirmation."""

    raw: RawTable
    mapping: Mapping
    content_hash: str
    size_bytes: int

    def preview(self, rows: int = 20) -> pd.DataFrame:
        """The first rows as read, with personal-data columns masked."""
        frame = self.raw.frame.head(rows).copy()
        frame.attrs = {}
        for col in self.mapping.pii_columns:
            if col in frame.columns:
                frame[col] = "•••"
        return frame


    def check(self, mapping: Mapping, rows: int = 5000) -> dict[str, list[Note]]:
        """How the mapped date and number columns read on the first ``rows`` rows, as coded notes.

        Lets the analyst see a wrong choice (text mapped as a date, a decimal comma) before
        confirming. Keys are canonical columns; values are short notes, the first saying how the
        column reads ("Dates read as DD/MM/YYYY HH:mm", "Numbers with a decimal comma (49,90 =
        49.90)"), then how many values cannot be read (severity "error") and the parser's other
        notes. ``note.english()`` is the sentence.
        """
        from ecom_analytics.ingest.mapping import date_first
        from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps

        sample = self.raw.frame.head(rows)
        out = {}
        numeric = ("quantity", "unit_price", "amount", "price", "value")
        for canonical, source in mapping.as_dict().items():
            if canonical != "timestamp" and canonical not in numeric:
                continue
            if canonical == "timestamp":
                parsed = parse_timestamps(date_first(sample[source]))
                parts = [Note(DATES_READ_AS, {"format": parsed.detail}) if parsed.detail else Note("Dates")]
                # the format already says which of day and month comes first
                # (and a note that repeats the format, such as "Unix seconds (UTC)", is said once)
                notes = [n for n in parsed.notes if n.code != DAY_MONTH_ORDER and n.english() != parsed.detail]
            else:
                parsed = parse_numbers(sample[source])
                parts = [Note(NUMBER_READINGS.get(parsed.detail, "Numbers"))]
                notes = [n for n in parsed.notes if n.code != DECIMAL_COMMA]
            bad = int(parsed.failed.sum())
            if bad:
                parts.append(Note(CANNOT_BE_READ, {"bad": bad, "n": len(sample)}, "error"))
            out[canonical] = parts + notes
        return out


@dataclass
class IngestResult:
    """A cleaned dataset, stored or ready to store."""

    dataset_id: str
    kind: str
    name: str
    mapping: Mapping
    cleaning: CleaningResult
    report: dict

    def summary(self) -> dict:
        """The figures the CLI prints: ids, mapping, counts, revenue and quarantine per rule."""
        r = self.report["cleaning"]
        extras = self.report.get("extras") or {}
        return {
            "kind": self.kind,
            "dataset_id": self.dataset_id,
            "mapping": self.mapping.as_dict(),
            **({"extra_columns": extras} if extras else {}),
            "rows_in": r["rows_in"],
            "rows_clean": r["rows_clean"],
            "rows_quarantined": r["rows_quarantined"],
            "quarantine": {x["rule"]: x["quarantined"] for x in r["rules"]},
            "revenue_in": round(r["revenue_in"], 2),
            "revenue_clean": round(r["revenue_clean"], 2),
            **({"revenue_refunded": round(r["revenue_refunded"], 2)} if "revenue_refunded" in r else {}),
            "reconciles": r["reconciles"],
            "reader": self.report["reader"],
            "notes": self.report["notes"],
        }


def prepare(data: bytes, filename: str, *, kind: str | None = None, max_bytes: int | None = MAX_UPLOAD_BYTES,
            encoding: str | None = None, delimiter: str | None = None, has_header: bool | None = None) -> Prepared:
    """Read a file and propose its mapping (``kind`` is detected when None; ``encoding``,
    ``delimiter`` and ``has_header`` override the reader's detection, see :func:`read_table`)."""
    raw = read_table(data, filename, max_bytes=max_bytes, encoding=encoding, delimiter=delimiter,
                     has_header=has_header)
    raw = sales_layout(raw, kind)  # wide sales tables and Year + Month columns read as date, series, value
    mapping = series_key(raw.frame, propose_mapping(raw.frame, kind, has_header=raw.has_header))
    return Prepared(raw, mapping, hashlib.sha256(data).hexdigest(), len(data))


def note_as_dict(note: Note) -> dict:
    """A note as plain JSON values (a dataset's report stores its notes this way)."""
    return {"code": note.code, "params": dict(note.params), "severity": note.severity}


def note_from_dict(value: dict | str) -> Note:
    """A stored note back as a :class:`Note` (a plain sentence, as reports written before notes
    were coded hold, becomes a note whose code is the sentence)."""
    if isinstance(value, str):
        return Note(value)
    return Note(value["code"], dict(value.get("params") or {}), value.get("severity", "info"))


def stored_notes(report: dict) -> list[Note] | None:
    """The reading notes of a stored dataset's report as coded notes; None when the report holds
    only sentences (datasets stored before notes were coded, and joined tables, whose notes are
    the ``tables`` section's own coded notes)."""
    if report.get("coded_notes") is None:
        return None
    return [note_from_dict(n) for n in report["coded_notes"]]


def dataset_id_for(prepared: Prepared, mapping: Mapping, outlier_policy: str, timezone: str | None = None,
                   ad_platform_hashes: bool = False) -> str:
    """16 hex digits derived from the file's content and the choices applied to it."""
    choices = {"content": prepared.content_hash, "kind": mapping.kind, "mapping": mapping.as_dict(),
               "outlier_policy": outlier_policy}
    if timezone:
        choices["timezone"] = timezone
    if ad_platform_hashes:
        choices["ad_platform_hashes"] = True
    extras = mapping.extras(prepared.raw.frame)
    if extras:
        choices["extras"] = extras  # a refund subtracted, a time of day added: other rows than without them
    if mapping.kind == "events" and "session_id" not in mapping.as_dict():
        choices["sessions"] = f"derived, {GAP_MINUTES}-minute gaps"  # rows differ from before sessions were derived
    key = json.dumps(choices, sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def times_are_utc(details: dict[str, str], notes: list[Note]) -> bool:
    """Whether the timestamps were read as UTC (Unix times, or times written with a zone), so a
    time zone can be applied to them; times written without a zone are the shop's own wall time.
    ``details``: the parser's detail per canonical column; ``notes``: the canonical table's notes."""
    return "UTC" in details.get("timestamp", "") or any(n.code.endswith(CONVERTED_TO_UTC) for n in notes)


def checks_read_utc(checks: dict[str, list[Note]]) -> bool:
    """Whether :meth:`Prepared.check` found the dates read as UTC (Unix times or times with a zone):
    then the Data page offers the shop's time zone."""
    said = checks.get("timestamp", [])
    return times_are_utc({"timestamp": next((n.params["format"] for n in said if n.code == DATES_READ_AS), "")},
                         said)


def check_timezone(timezone: str | None) -> str | None:
    """``timezone`` if it is an IANA name such as Asia/Shanghai (None and "" mean none), else an
    InputError saying what to write."""
    if not timezone:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("'{timezone}' is not a time zone. Use a name such as Asia/Shanghai, Europe/London or "
                         "America/New_York.", timezone=timezone) from None
    return timezone


def email_columns(mapping: Mapping) -> list[str]:
    """The source columns of a mapping that hold e-mail addresses (personal data, never stored)."""
    return [source for source, what in mapping.pii_columns.items() if what == "email"]


def _order_key(frame: pd.DataFrame, mapping: Mapping) -> str | None:
    """The order number a file without buyers can key its customers by: the mapped order id, when it is on at
    least half of the lines (a transactionId on the few purchase hits of a web log keys nothing)."""
    order = mapping.as_dict().get("order_id")
    if order is None or order not in frame.columns:
        return None
    present = frame[order].astype("string").str.strip()
    return order if float((present.notna() & (present != "")).mean()) >= 0.5 else None


def _sale_key(frame: pd.DataFrame, mapping: Mapping) -> str | None:
    """A column that differs on every line of a file with neither buyers nor order numbers (a till's receipts):
    the date column when its times tell every sale apart, else a column named as an id alone ("id", "No.");
    None when no column does."""
    from ecom_analytics.ingest import vocabulary

    def unique(col) -> bool:
        values = frame[col].astype("string").str.strip()
        return len(frame) >= 2 and bool(values.notna().all()) and bool((values != "").all()) and \
            values.nunique() == len(values)

    when = mapping.as_dict().get("timestamp")
    if when is not None and when in frame.columns and unique(when):
        return str(when)
    for col in frame.columns:
        concepts = set(vocabulary.concepts(str(col)))
        if concepts and concepts <= {"id", "number", "code"} and unique(col):
            return str(col)
    return None


def process(prepared: Prepared, mapping: Mapping | None = None, *, outlier_policy: str = "flag",
            salt: str = "", name: str | None = None, timezone: str | None = None,
            ad_platform_hashes: bool = False) -> IngestResult:
    """Build the canonical table with ``mapping`` (default: the proposal) and clean it. ``timezone``
    (an IANA name) turns times read as UTC (Unix times, zoned strings) into that zone's wall time;
    times written without a zone are kept as written. ``ad_platform_hashes`` (orders with an
    e-mail column, on the analyst's request) keeps each row's e-mail as unsalted SHA-256 digests
    (privacy.ad_platform_hashes) for Google Ads and Meta audiences; the addresses are never kept."""
    timezone = check_timezone(timezone)
    mapping = mapping or prepared.mapping
    missing = mapping.missing_required()
    if missing and not prepared.raw.has_header:
        # the columns are column_1..column_N: naming a role as missing would say the file lacks it
        raise InputError("No header line was found in '{name}': its first line was read as data, so its columns "
                         "have no names (column_1, column_2, ...) and the needed ones could not be recognised. If "
                         "the first line names the columns, choose 'First line is a header' under Reading options "
                         "(--header on the command line); otherwise choose the columns in the mapping.",
                         name=prepared.raw.source_name)
    if missing:
        if mapping.kind == "sales":
            raise InputError("No column was recognised for {columns}. A sales table needs a date and a value per "
                             "row: choose the columns in the mapping.", columns=', '.join(missing))
        order = _order_key(prepared.raw.frame, mapping) if mapping.kind == "orders" and missing == ["customer_id"] \
            else None
        if order is not None:
            raise InputError("The file has no customer column (an order export without buyers, as marketplaces write "
                             "them). To read it anyway, choose the order number '{order}' as the customer in the "
                             "mapping (CLI: --map customer_id={order}): sales, products and forecasts are then right, "
                             "while customer figures (repeat purchase, RFM, predictions) count each order as a "
                             "customer.", order=order)
        sale = _sale_key(prepared.raw.frame, mapping) if mapping.kind == "orders" and missing == ["customer_id"] \
            else None
        if sale is not None:
            raise InputError("The file has no customer column and no order number (a till's sales, one sale per "
                             "line). To read it anyway, choose '{key}', which differs on every line, as the customer "
                             "in the mapping (CLI: --map customer_id={key}): sales, products and forecasts are then "
                             "right, while customer figures (repeat purchase, RFM, predictions) count each sale as a "
                             "customer.", key=sale)
        if mapping.kind == "orders":
            raise InputError("No column was recognised for {columns}. The orders table needs a customer id and a "
                             "date and an amount (or quantity and unit price): choose the columns in the mapping, or "
                             "check that this is the right file.", columns=', '.join(missing))
        raise InputError("No column was recognised for {columns}. The events table needs a user id and a date: "
                         "choose the columns in the mapping, or check that this is the right file.",
                         columns=', '.join(missing))
    canonical = apply_mapping(prepared.raw.frame, mapping, pseudonymise=lambda s: pseudonymise(s, salt))
    if canonical.table["timestamp"].isna().all():
        raise InputError("No value of the date column '{column}' could be read as a date. Choose another column "
                         "for timestamp, or export dates as YYYY-MM-DD HH:MM.", column=mapping.as_dict()['timestamp'])
    hash_note = None
    if ad_platform_hashes:
        emails = email_columns(mapping)
        if mapping.kind != "orders" or not emails:
            ad_platform_hashes = False
            hash_note = Note("No e-mail column was found, so there are no e-mail digests for ad platforms.",
                             severity="warning")
        else:
            from ecom_analytics.ingest.privacy import ad_platform_hashes as digests

            hashed = digests(prepared.raw.frame[emails[0]])
            for column in hashed.columns:
                canonical.table[column] = hashed[column].reindex(canonical.table.index)
            hash_note = Note("E-mails of '{column}' are kept as SHA-256 digests for ad platforms, as you asked; the "
                             "addresses themselves are not stored.", {"column": str(emails[0])})
    zone_note = None
    if timezone and times_are_utc(canonical.parse_details, canonical.notes):
        canonical.table["timestamp"] = (canonical.table["timestamp"].dt.tz_localize("UTC").dt.tz_convert(timezone)
                                        .dt.tz_localize(None).astype("datetime64[ns]"))
        zone_note = Note("Times were read as UTC and shown in {timezone}.", {"timezone": timezone})
    elif timezone:
        zone_note = Note("The dates carry no time zone, so they are kept as written; {timezone} was not applied.",
                         {"timezone": timezone}, "warning")
    if mapping.kind == "sales":
        from ecom_analytics.ingest.sales import clean_sales

        result = clean_sales(canonical, prepared.raw.frame, prepared.raw.bad_lines)
    else:
        result = clean(canonical, prepared.raw.frame, prepared.raw.bad_lines, kind=mapping.kind, outlier_policy=outlier_policy)
    notes = (prepared.raw.notes + mapping.notes + canonical.notes + [n for n in (zone_note, hash_note) if n]
             + result.notes)
    if mapping.kind == "events" and "session_id" not in mapping.as_dict():
        result.clean["session_id"] = derive_sessions(result.clean)
        notes = notes + [Note("No session column: sessions were derived from each user's events, a new session after "
                              "{minutes} minutes without an event.", {"minutes": GAP_MINUTES})]
    schema.validate(result.clean, mapping.kind)
    dataset_id = dataset_id_for(prepared, mapping, outlier_policy, timezone, ad_platform_hashes)
    report = {
        "reader": prepared.raw.describe(),
        "mapping": {c: {"source": ch.source, "confidence": ch.confidence, "reason": ch.reason.english()}
                    for c, ch in mapping.choices.items()},
        "pii_columns": sorted(mapping.pii_columns),
        **({"extras": extras} if (extras := mapping.extras(prepared.raw.frame)) else {}),
        "parse": canonical.parse_details,
        "notes": [note.english() for note in notes],  # the sentences (the CLI's JSON)
        "coded_notes": [note_as_dict(note) for note in notes],  # the same as (code, params, severity)
        "cleaning": result.report,
        "timezone": timezone,
        "currency": detect_currency(prepared.raw.frame, [source for c, source in mapping.as_dict().items()
                                                         if c in ("unit_price", "amount", "price", "value")]),
    }
    return IngestResult(dataset_id, mapping.kind, name or prepared.raw.source_name, mapping, result, report)


def store(result: IngestResult, prepared: Prepared, workspace: Workspace) -> str:
    """Write a processed dataset to the workspace and return its id."""
    return workspace.save_dataset(
        result.dataset_id, name=result.name, kind=result.kind, source_name=prepared.raw.source_name,
        size_bytes=prepared.size_bytes, clean=result.cleaning.clean, quarantine=result.cleaning.quarantine,
        mapping=result.mapping.as_dict(), report=result.report,
    )


def ingest(data: bytes, filename: str, *, kind: str | None = None, overrides: dict[str, str | None] | None = None,
           outlier_policy: str = "flag", workspace: Workspace | None = None, name: str | None = None,
           max_bytes: int | None = MAX_UPLOAD_BYTES, encoding: str | None = None, delimiter: str | None = None,
           has_header: bool | None = None, timezone: str | None = None,
           ad_platform_hashes: bool = False) -> IngestResult:
    """Read, map, clean and store a file in one call (the CLI's ``ingest`` does the same steps and
    also applies a remembered layout, see :mod:`ecom_analytics.ingest.layouts`). ``encoding``, ``delimiter``
    and ``has_header`` replace what the reader detects (None: detect); ``timezone`` and
    ``ad_platform_hashes`` as in :func:`process`."""
    workspace = workspace or Workspace()
    prepared = prepare(data, filename, kind=kind, max_bytes=max_bytes, encoding=encoding, delimiter=delimiter,
                       has_header=has_header)
    mapping = prepared.mapping.override(**overrides) if overrides else prepared.mapping
    result = process(prepared, mapping, outlier_policy=outlier_policy, salt=workspace.salt(), name=name,
                     timezone=timezone, ad_platform_hashes=ad_platform_hashes)
    store(result, prepared, workspace)
    return result


def ensure_dataset(data: bytes, filename: str, workspace: Workspace, *, kind: str | None = None,
                   name: str | None = None, outlier_policy: str = "flag") -> str:
    """The id of ``data`` ingested with the proposed mapping, processing it only if the
    workspace does not hold it yet (used for the sample data and repeated uploads)."""
    prepared = prepare(data, filename, kind=kind)
    dataset_id = dataset_id_for(prepared, prepared.mapping, outlier_policy)
    if not workspace.has_dataset(dataset_id):
        result = process(prepared, outlier_policy=outlier_policy, salt=workspace.salt(), name=name)
        store(result, prepared, workspace)
    return dataset_id


def clean_file(path, *, kind: str, outlier_policy: str = "flag", salt: str = ""):
    """Read, map and clean a file without storing it (for one-off CLI commands).

    Returns ``(clean rows, quarantined rows)``.
    """
    from pathlib import Path

    from ecom_analytics.ingest.readers import read_file_bytes

    path = Path(path)
    prepared = prepare(read_file_bytes(path), path.name, kind=kind)
    result = process(prepared, outlier_policy=outlier_policy, salt=salt)
    return result.cleaning.clean, result.cleaning.quarantine


def read_customers(data: bytes, filename: str, *, salt: str = "") -> pd.DataFrame:
    """A customer attribute table (age, income, gender, region, signup date, ...), typed.

    The key column is the first whose header names a customer (customer id, user id, e-mail,
    客户ID, ...), renamed ``customer_id``; an e-mail or phone key is pseudonymised with the
    workspace salt (as on orders, so the tables still join) and other personal-data columns
    (names, e-mails, phones) are dropped. Numeric columns become numbers and date columns
    (header with date/time/signup/注册/日期) become timestamps.
    """
    from ecom_analytics.ingest.mapping import SYNONYMS, detect_pii, normalise_header
    from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps

    frame = read_table(data, filename).frame
    names = SYNONYMS["orders"]["customer_id"]
    key = next((c for c in frame.columns if normalise_header(c) in names), None)
    if key is None:
        raise InputError("'{name}' has no customer id column (customer_id, user_id, 客户ID, ...). Rename the key "
                         "column and upload again.", name=filename)
    pii = detect_pii(frame)
    ids = frame[key].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    if key in pii:
        ids = pseudonymise(ids, salt)
    out = pd.DataFrame({"customer_id": ids})
    for col in frame.columns:
        if col == key or col in pii:
            continue
        norm = normalise_header(col)
        if any(w in norm for w in ("date", "time", "signup", "registered", "joined", "注册", "日期", "时间")):
            parsed = parse_timestamps(frame[col])
            if parsed.values.notna().mean() > 0.5:
                out[str(col)] = parsed.values
                continue
        numbers = parse_numbers(frame[col])
        if len(frame) and (~numbers.failed).sum() / len(frame) >= 0.95 and numbers.values.notna().any():
            out[str(col)] = numbers.values
        else:
            out[str(col)] = frame[col].astype("string")
    return out


def ingest_customers(data: bytes, filename: str, workspace: Workspace, *, name: str | None = None) -> str:
    """Store a customer attribute table in the workspace (kind ``customers``) and return its id."""
    table = read_customers(data, filename, salt=workspace.salt())
    missing = int(table["customer_id"].isna().sum())
    duplicates = int(table["customer_id"].duplicated().sum())
    table["source_line"] = range(2, len(table) + 2)
    dataset_id = hashlib.sha256(b"customers:" + data).hexdigest()[:16]
    report = {"kind": "customers", "rows_in": len(table), "rows_clean": len(table) - missing - duplicates,
              "rows_quarantined": missing + duplicates, "revenue_in": 0.0, "revenue_clean": 0.0,
              "missing_customer": missing, "duplicate_customer": duplicates,
              "columns": [c for c in table.columns if c not in ("customer_id", "source_line")]}
    keep = table["customer_id"].notna() & ~table["customer_id"].duplicated()
    workspace.save_dataset(dataset_id, name=name or filename, kind="customers", source_name=filename,
                           size_bytes=len(data), clean=table[keep], quarantine=table[~keep],
                           mapping={"customer_id": "customer_id"}, report={"cleaning": report})
    return dataset_id
