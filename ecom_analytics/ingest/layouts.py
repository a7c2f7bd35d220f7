"""How an export is laid out, and what the analyst corrected, remembered per layout.

A *layout* is one shape of export: its columns and the kind of table it holds. It is named by
its *signature* (:func:`layout_signature`):

- a file with a header line: the kind and the sorted list of its normalised headers
  ("Customer ID" and "customer_id" are the same header). Headers in another order are the
  same layout, because the remembered mapping names source columns by header, so it applies
  whatever their order;
- a headerless file: the kind, the number of columns and the value profile of each column in
  order (number, date or text). Its columns are named by position (column_1, column_2, ...),
  so their order is part of the signature.

When the analyst confirms a mapping (the Data page) or gives one on the command line
(``ingest --map canonical=source`` / ``--mapping-file``), :func:`remember_layout` stores the
mapping (canonical -> source column, ``None`` for a column left out) and the reading options
the analyst chose (encoding, delimiter, header) in ``<workspace home>/layouts/<signature>.json``,
written atomically (a temporary file, then ``os.replace``). The next file of the same layout is
proposed that mapping (:func:`apply_layout`; each column stays overridable), and a file whose
header line has the same bytes is read with the remembered reading options
(:func:`find_reading_layout`), so a misread encoding chosen by hand once is not misread again.

:func:`reading_problem` is the check after cleaning that decides whether a dataset may be
announced as ready: see :data:`ALMOST_NONE_KEPT` and :data:`MOSTLY_UNREADABLE` for the rule.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import KINDS, SYNONYMS, ColumnChoice, Mapping, normalise_header
from ecom_analytics.runs import Note

#: folder of the workspace home that holds the remembered layouts
LAYOUTS_FOLDER = "layouts"
#: version of the stored layout files
LAYOUT_VERSION = 1

#: encodings offered by the Data page (codec name, as the CLI's --encoding takes it); any name
#: Python knows as a text encoding is accepted by the CLI.
COMMON_ENCODINGS = ("utf-8", "utf-16", "gb18030", "big5", "shift_jis", "euc-kr", "cp1250", "cp1251", "cp1252",
                    "latin-1")
#: delimiter names, one per concept across the Data page, the CLI (--delimiter) and the library
DELIMITERS = {"comma": ",", "tab": "\t", "semicolon": ";", "pipe": "|", "whitespace": "whitespace"}
#: other spellings the CLI accepts for a delimiter
DELIMITER_ALIASES = {",": "comma", "\t": "tab", "\\t": "tab", ";": "semicolon", "|": "pipe", "space": "whitespace",
                     "spaces": "whitespace", "whitespace": "whitespace"}

#: A dataset that keeps fewer than this share of its rows is never announced as ready.
ALMOST_NONE_KEPT = 0.05
#: Nor one that keeps fewer than half its rows when more than this share of the rows were set
#: aside because their dates or numbers could not be read or their lines did not split into the
#: header's fields: the signs of a wrong encoding, delimiter, header or decimal option.
MOSTLY_UNREADABLE = 0.5
#: cleaning rules that point at how the file was read rather than at the data itself
READING_RULES = ("unreadable_date", "unreadable_number", "malformed_line")


@dataclass(frozen=True)
class ReadingOptions:
    """How to read a text file; ``None`` means detect it.

    ``encoding`` is a codec name (``gb18030``), ``delimiter`` a name of :data:`DELIMITERS`,
    ``has_header`` whether the first line is a header.
    """

    encoding: str | None = None
    delimiter: str | None = None
    has_header: bool | None = None

    def chosen(self) -> dict:
        """The options set (not left to detection), as stored: ``encoding``, ``delimiter``, ``header``."""
        out = {"encoding": self.encoding, "delimiter": self.delimiter, "header": self.has_header}
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_chosen(cls, chosen: dict | None) -> "ReadingOptions":
        """Options from :meth:`chosen`'s form (unknown or bad values are left to detection)."""
        chosen = chosen or {}
        encoding = encoding_name(chosen.get("encoding")) if chosen.get("encoding") else None
        delimiter = delimiter_name(chosen.get("delimiter")) if chosen.get("delimiter") else None
        header = chosen.get("header")
        return cls(encoding, delimiter, header if isinstance(header, bool) else None)

    def read_kwargs(self) -> dict:
        """Keyword arguments of ``readers.read_table`` / ``pipeline.prepare``."""
        return {"encoding": self.encoding, "delimiter": self.delimiter, "has_header": self.has_header}

    def is_automatic(self) -> bool:
        return not self.chosen()


def encoding_name(text: str | None) -> str | None:
    """Python's name of the text encoding ``text`` ("GBK" -> "gbk", "Latin1" -> "latin-1" form kept as
    given but checked), or None when ``text`` is not a text encoding Python knows."""
    if not text or not str(text).strip():
        return None
    try:
        info = codecs.lookup(str(text).strip())
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib: codecs, not encodings
        return None
    return str(text).strip().lower()


def delimiter_name(text: str | None) -> str | None:
    """The delimiter name of :data:`DELIMITERS` that ``text`` names ("comma", ",", "space", "\\t"), or None."""
    if text is None:
        return None
    raw = str(text)
    key = raw if raw in DELIMITER_ALIASES or raw in DELIMITERS else raw.strip().lower()
    if key in DELIMITERS:
        return key
    return DELIMITER_ALIASES.get(key)


# --- signatures ---------------------------------------------------------------------------------

def _value_profile(values: pd.Series) -> str:
    """"number", "date" or "text": what at least 90 % of a column's first 500 filled values read as."""
    from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps

    sample = values.dropna().astype("string").str.strip()
    sample = sample[sample != ""].head(500).reset_index(drop=True)
    if sample.empty:
        return "empty"
    if (~parse_numbers(sample).failed).mean() >= 0.9:
        return "number"
    if (~parse_timestamps(sample).failed).mean() >= 0.9:
        return "date"
    return "text"


def layout_signature(frame: pd.DataFrame, kind: str, has_header: bool) -> str:
    """20 hex digits naming the layout of a read file (see the module docstring)."""
    if has_header:
        key = {"kind": kind, "header": True, "columns": sorted(normalise_header(str(c)) for c in frame.columns)}
    else:
        key = {"kind": kind, "header": False, "count": int(frame.shape[1]),
               "profile": [_value_profile(frame[c]) for c in frame.columns]}
    return hashlib.sha256(json.dumps(key, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:20]


def header_line_key(data: bytes) -> str | None:
    """A hash of the first line's bytes of a plain-text upload (None for compressed and binary
    formats): the same header written in the same encoding gives the same key, however the
    file would be decoded."""
    if data[:2] == b"\x1f\x8b" or data[:4] in (b"PK\x03\x04", b"PAR1"):
        return None
    head = data[: 1 << 20]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    line = head.split(b"\n", 1)[0].rstrip(b"\r\x00")
    if not line.strip():
        return None
    return hashlib.sha256(line).hexdigest()[:20]


# --- stored layouts -----------------------------------------------------------------------------

@dataclass
class Layout:
    """A mapping confirmed for one layout, with the reading options chosen for it."""

    signature: str
    kind: str
    mapping: dict[str, str | None]  # canonical -> source column (None: left out)
    source_name: str  # the file it was confirmed on
    saved_at: str  # ISO 8601, UTC, to the second
    columns: list[str] = field(default_factory=list)
    has_header: bool = True
    reading: dict = field(default_factory=dict)  # ReadingOptions.chosen()
    header_key: str | None = None
    version: int = LAYOUT_VERSION

    @property
    def saved_day(self) -> str:
        """The day it was saved (YYYY-MM-DD), as the reasons state it."""
        return self.saved_at[:10]

    @property
    def reading_options(self) -> ReadingOptions:
        return ReadingOptions.from_chosen(self.reading)

    def describe(self) -> dict:
        """What the CLI's summary says about it."""
        return {"signature": self.signature, "remembered_from": self.source_name, "saved_at": self.saved_at,
                "reading_options": dict(self.reading)}


def layouts_folder(home: str | os.PathLike) -> Path:
    """Where the remembered layouts of the workspace at ``home`` are kept."""
    return Path(home) / LAYOUTS_FOLDER


def _load(path: Path) -> Layout | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != LAYOUT_VERSION or data.get("kind") not in KINDS:
            return None
        return Layout(**{k: data[k] for k in Layout.__dataclass_fields__ if k in data})
    except (OSError, ValueError, TypeError, KeyError):
        return None  # unreadable or from another version: as if nothing were remembered


def find_layout(home: str | os.PathLike, frame: pd.DataFrame, kind: str, has_header: bool) -> Layout | None:
    """The layout remembered for this read file and kind, or None."""
    signature = layout_signature(frame, kind, has_header)
    path = layouts_folder(home) / f"{signature}.json"
    found = _load(path) if path.is_file() else None
    return found if found is not None and found.signature == signature else None


def find_reading_layout(home: str | os.PathLike, data: bytes) -> Layout | None:
    """The newest remembered layout whose header line has the same bytes as ``data``'s and for
    which the analyst chose reading options, or None."""
    key = header_line_key(data)
    folder = layouts_folder(home)
    if key is None or not folder.is_dir():
        return None
    found = [layout for path in folder.glob("*.json") if (layout := _load(path)) is not None
             and layout.header_key == key and layout.reading]
    return max(found, key=lambda layout: layout.saved_at) if found else None


def remember_layout(home: str | os.PathLike, frame: pd.DataFrame, mapping: Mapping, *, has_header: bool,
                    source_name: str, reading: ReadingOptions | None = None, data: bytes | None = None,
                    now: dt.datetime | None = None) -> Layout:
    """Store ``mapping`` (every canonical column, ``None`` when left out) and the reading options
    the analyst chose as the layout of ``frame``; returns what was stored. Written atomically, so
    a reader never sees half a file and two writers leave one whole file."""
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    layout = Layout(
        signature=layout_signature(frame, mapping.kind, has_header), kind=mapping.kind,
        mapping={c: ch.source for c, ch in mapping.choices.items()}, source_name=source_name,
        saved_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"), columns=[str(c) for c in frame.columns], has_header=has_header,
        reading=(reading or ReadingOptions()).chosen(),
        header_key=header_line_key(data) if data is not None and has_header else None,
    )
    folder = layouts_folder(home)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{layout.signature}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(layout), fh, ensure_ascii=False, indent=2)
        os.replace(tmp, folder / f"{layout.signature}.json")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return layout


# --- applying a mapping -------------------------------------------------------------------------

def _resolve(source: str, columns: list[str]) -> str | None:
    """The column of ``columns`` that ``source`` names: itself, or the one column with the same
    normalised header ("Customer ID" for "customer_id")."""
    if source in columns:
        return source
    same = [c for c in columns if normalise_header(c) == normalise_header(source)]
    return same[0] if len(same) == 1 else None


def apply_layout(mapping: Mapping, frame: pd.DataFrame, layout: Layout) -> Mapping:
    """``mapping`` with every column the layout remembers set as remembered (the reason says
    from which file and day); a remembered source no longer in the file keeps the proposal."""
    if layout.kind != mapping.kind:
        return mapping
    columns = [str(c) for c in frame.columns]
    choices = dict(mapping.choices)
    for canonical, source in layout.mapping.items():
        if canonical not in choices:
            continue
        if source is None:
            choices[canonical] = ColumnChoice(canonical, None, 1.0, Note("left out, as remembered from '{name}' ({date})",
                                                                         {"name": layout.source_name,
                                                                          "date": layout.saved_day}))
            continue
        found = _resolve(source, columns)
        if found is not None:
            choices[canonical] = ColumnChoice(canonical, found, 1.0, Note("remembered from '{name}' ({date})",
                                                                          {"name": layout.source_name,
                                                                           "date": layout.saved_day}))
    return Mapping(mapping.kind, choices, dict(mapping.pii_columns), list(mapping.notes))


def canonical_columns(kind: str | None = None) -> list[str]:
    """The canonical columns of ``kind`` (of every kind when None), in the schema's order."""
    kinds = [kind] if kind else [k for k in KINDS]
    out: list[str] = []
    for k in kinds:
        out += [c for c in SYNONYMS[k] if c not in out]
    return out


def apply_choices(mapping: Mapping, frame: pd.DataFrame, chosen: dict[str, str | None], *,
                  complete: bool = False) -> Mapping:
    """``mapping`` with the analyst's ``chosen`` sources (canonical -> source column; None leaves
    the column out). With ``complete``, canonical columns absent from ``chosen`` are left out too
    (``chosen`` is a whole mapping, such as a stored summary's). Raises :class:`InputError` naming
    an unknown canonical column or a source column the file does not have."""
    columns = [str(c) for c in frame.columns]
    unknown = [c for c in chosen if c not in mapping.choices]
    if unknown:
        raise InputError("'{column}' is not a column of the {kind} table; choose from {columns}.", column=unknown[0],
                         kind=Note(mapping.kind), columns=', '.join(mapping.choices))
    resolved: dict[str, str | None] = {}
    for canonical, source in chosen.items():
        if source is None or str(source).strip() == "":
            resolved[canonical] = None
            continue
        found = _resolve(str(source), columns)
        if found is None:
            shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
            raise InputError("The file has no column '{source}' (given for {canonical}); its columns are {columns}.",
                             source=source, canonical=canonical, columns=shown)
        resolved[canonical] = found
    if complete:
        resolved = {c: resolved.get(c) for c in mapping.choices}
    return mapping.override(**resolved) if resolved else mapping


# --- the check after cleaning --------------------------------------------------------------------

@dataclass
class ReadingProblem:
    """Why a cleaned dataset kept no or few rows: the rule that set most rows aside, and where.

    ``severity`` is "error" when no row was kept, "warning" otherwise. ``rule`` is a cleaning rule
    (``unreadable_number``, ``unreadable_date``, ``malformed_line``, or another when the reading
    rules are not the cause); ``column`` the source column most of its rows failed in (None for
    malformed lines and rules without a column) and ``canonical`` what it was mapped to.
    """

    severity: str
    rows_in: int
    rows_clean: int
    rule: str
    rows_rule: int
    column: str | None = None
    canonical: str | None = None

    @property
    def share_kept(self) -> float:
        return self.rows_clean / self.rows_in if self.rows_in else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "share_kept": round(self.share_kept, 4)}

    def reason(self) -> Note:
        """Why the rows were set aside, as a coded note with the problem's severity (the Data page's
        words; ``column`` names the source column and what it was mapped to, in Markdown bold)."""
        where = f"{self.column} ({self.canonical})" if self.canonical else self.column
        params = {"n": self.rows_rule}
        if self.rule == "unreadable_number" and where:
            code, params = "the numbers in column **{column}** cannot be read ({n:,} rows).", {**params, "column": where}
        elif self.rule == "unreadable_number":
            code = "the numbers in the mapped columns cannot be read ({n:,} rows)."
        elif self.rule == "unreadable_date":
            code, params = "the dates in column **{column}** cannot be read ({n:,} rows).", {**params, "column": where}
        elif self.rule == "malformed_line":
            code = "{n:,} lines do not split into the header's columns."
        else:
            code, params = "{n:,} rows were set aside by the rule “{rule}”.", {**params, "rule": self.rule}
        return Note(code, params, self.severity)


def reading_problem(report: dict, mapping: dict[str, str], quarantine: pd.DataFrame | None = None) -> ReadingProblem | None:
    """None when a cleaned dataset may be announced as ready; else what went wrong.

    The rule: a dataset is *not* ready when it kept no row, kept fewer than
    :data:`ALMOST_NONE_KEPT` (5 %) of its rows, or kept fewer than half of them while more than
    :data:`MOSTLY_UNREADABLE` (50 %) were set aside as unreadable dates, unreadable numbers or
    malformed lines. ``report`` is the cleaning report (``rows_in``, ``rows_clean``, ``rules``),
    ``mapping`` canonical -> source, ``quarantine`` the set-aside rows (their ``detail`` names
    the column whose value failed).
    """
    rows_in, kept = int(report.get("rows_in", 0)), int(report.get("rows_clean", 0))
    if rows_in <= 0:
        return None
    by_rule = {r["rule"]: int(r.get("quarantined", 0)) for r in report.get("rules", [])}
    unreadable = sum(by_rule.get(r, 0) for r in READING_RULES)
    share = kept / rows_in
    if kept > 0 and share >= ALMOST_NONE_KEPT and not (share < 0.5 and unreadable / rows_in > MOSTLY_UNREADABLE):
        return None
    reading = {r: n for r, n in by_rule.items() if r in READING_RULES and n > 0}
    pool = reading or {r: n for r, n in by_rule.items() if n > 0}
    rule = max(pool, key=pool.get) if pool else "malformed_line"
    column = canonical = None
    if rule in ("unreadable_date", "unreadable_number") and quarantine is not None and "detail" in quarantine:
        detail = quarantine.loc[quarantine["reason"] == rule, "detail"].dropna().astype(str)
        names = detail.str.extract(r"^(.*?): '", expand=False).dropna()
        if not names.empty:
            column = str(names.value_counts().index[0])
    if column is None and rule == "unreadable_date":
        column = mapping.get("timestamp")
    if column is not None:
        canonical = next((c for c, s in mapping.items() if s == column), None)
    return ReadingProblem("error" if kept == 0 else "warning", rows_in, kept, rule, pool.get(rule, 0), column,
                          canonical)
