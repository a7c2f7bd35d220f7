"""Sales tables in the layouts statistics offices and hand-kept sheets use, read as long tables.

A sales table is read one row per (date, series): ``date, series, value``. Three other layouts are
turned into that shape before the columns are mapped (:func:`sales_layout`, called by
:func:`ecom_analytics.ingest.pipeline.prepare`), each with a note saying what was done:

- **separate year and month columns** (``Year, Month, Make, Quantity``) with no other date column:
  one date, the month's first day (:func:`combine_year_month`);
- **wide, a date per row**: a date column and one numeric column per series (8 drug groups, 20
  retail industries, 189 statistics-office series), each date once (:func:`wide_by_date`). Each
  numeric column becomes a series named by its header. Calendar parts (year, month, weekday,
  hour), row numbers, text columns and, beside volumes, columns of another kind (a price, an
  average, a share) are left out with a note naming them; lines under the header that hold a
  second header (an office's series ids) are left out with a note; empty cells are no observation
  and are counted in the note;
- **wide, a date per column**: a product per row, one column per date (:func:`wide_by_column_dates`),
  the header possibly on the first line read as data (a sheet whose first row is blank). Each row
  becomes a series named by its label; a total row or column is left out with a note.

A table whose dates repeat (a key column) is already long and is left as it is, and so is a table
with one measure named as such (``date, revenue, orders``: the mapping chooses the revenue).
Without a kind given (the Data page's "auto"), the wide layouts are read only when no column names a
customer, an order or an event, so an order export is never reshaped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re

import pandas as pd

from ecom_analytics.ingest import vocabulary
from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps
from ecom_analytics.runs import Note

#: the columns of a reshaped table (headers the sales mapping recognises)
DATE, SERIES, VALUE = "date", "series", "value"

#: words of a calendar part's header (a number that repeats the date, never a series)
CALENDAR_WORDS = {
    "year", "yr", "years", "month", "months", "mon", "week", "weeks", "weekday", "weekdays", "wk", "day", "days",
    "dow", "dayofweek", "dayofyear", "doy", "hour", "hours", "hr", "minute", "quarter", "qtr", "season", "period",
    "ano", "anio", "mes", "semana", "dia", "hora", "trimestre", "jahr", "monat", "woche", "tag", "wochentag", "stunde",
    "quartal", "annee", "mois", "semaine", "jour", "heure", "anno", "mese", "settimana", "giorno", "ora", "jaar",
    "maand", "dag", "uur", "kwartaal", "god", "mesyats", "год", "месяц", "неделя", "день", "час", "квартал",
    "年", "月", "周", "星期", "日", "小时", "季度", "年份", "月份", "年度", "曜日", "時",
}
#: words that may stand beside a calendar word in its header ("Weekday Name", "Month number", "day of week")
_CALENDAR_FILLERS = {"name", "number", "no", "nr", "num", "of", "the", "calendar", "index", "idx", "de", "del", "du", "der", "des",
                     "nombre", "numero", "nom", "名", "名称"}
#: words of a measure that is not a volume: a price, an average, a rate or a share is not summed with volumes
NOT_VOLUME_WORDS = {
    "price", "prices", "average", "avg", "mean", "median", "rate", "ratio", "share", "pct", "percent", "percentage",
    "index", "temperature", "temp", "margin", "growth", "yoy", "mom", "precio", "promedio", "media", "tasa",
    "porcentaje", "preco", "preis", "durchschnitt", "anteil", "prix", "moyenne", "taux", "prezzo", "quota", "prijs",
    "gemiddelde", "价格", "均价", "平均", "占比", "比例", "比率", "单价", "增长率",
}
#: concepts of a header that names a sales measure (the one value a long table maps)
_MEASURE_CONCEPTS = {"quantity", "amount", "revenue"}
#: concepts of a column that make a table an order or event export, never reshaped without a kind
_PERSONAL = {"customer", "buyer", "user", "account", "order", "invoice", "transaction", "event", "session", "email",
             "person", "phone", "address"}
#: labels of a total row or column (the sum of the others)
TOTAL_WORDS = {"total", "totals", "totales", "sum", "suma", "summe", "gesamt", "gesamtsumme", "totaal", "totale",
               "grandtotal", "totalgeneral", "合计", "总计", "合計", "總計", "итого", "всего"}
_MONTH_NAMES = {name: i + 1 for i, names in enumerate([
    ("jan", "january", "ene", "enero", "janeiro", "januar", "janvier", "gennaio"),
    ("feb", "february", "febrero", "fev", "fevereiro", "februar", "fevrier", "febbraio"),
    ("mar", "march", "marzo", "marco", "marz", "mars"),
    ("apr", "april", "abr", "abril", "avr", "avril", "aprile"),
    ("may", "mayo", "mai", "maio", "maggio"),
    ("jun", "june", "junio", "junho", "juni", "juin", "giugno"),
    ("jul", "july", "julio", "julho", "juli", "juillet", "luglio"),
    ("aug", "august", "ago", "agosto", "aout"),
    ("sep", "sept", "september", "set", "septiembre", "setembro", "septembre", "settembre"),
    ("oct", "october", "octubre", "out", "outubro", "okt", "oktober", "octobre", "ottobre"),
    ("nov", "november", "noviembre", "novembro", "novembre"),
    ("dec", "december", "dic", "diciembre", "dez", "dezembro", "dezember", "decembre", "dicembre"),
]) for name in names}

YEAR_MONTH = ("Year '{year}' and month '{month}' were combined into one date, the first day of the month; "
              "'{month}' alone is not a date.")
WIDE_BY_DATE = ("Read as a wide table: one row per date in '{date}' and one column per series; each of the "
                "{n:,} columns ({columns}) became a series named by its header, {rows:,} rows of date, series "
                "and value.")
WIDE_BY_COLUMN_DATES = ("Read as a wide table: one row per series named in '{label}' and one column per date "
                        "({n:,} dates, {first} to {last}); {rows:,} rows of date, series and value.")
LEFT_OUT_CALENDAR = "Left out of the series, as parts of the date: {columns}."
LEFT_OUT_OTHER_KIND = ("Left out of the series, as another kind of figure than the others (a price, an average or "
                       "a share is not summed with volumes): {columns}.")
LEFT_OUT_TEXT = "Left out of the series, as they hold text, ids or row numbers, not figures: {columns}."
LEFT_OUT_TOTAL = "Left out, as totals of the others: {labels}."
SECOND_HEADER = ("Line(s) {lines} under the header hold a second header ('{first}', ...), not figures: left out.")
NO_FIGURE = "These columns hold no figure under the header and give no series: {columns}."
EMPTY_CELLS = "{n:,} empty cells of the wide table are periods without a figure and give no row."


def _words(header) -> list[str]:
    return [vocabulary.fold(t) for t in vocabulary.tokens(str(header))] or [str(header).strip().lower()]


def is_calendar_part(header) -> bool:
    """A header that names a part of the date (Year, Month, Weekday Name, Hour, 月份)."""
    words = _words(header)
    return any(w in CALENDAR_WORDS for w in words) and all(w in CALENDAR_WORDS | _CALENDAR_FILLERS for w in words)


def is_other_kind(header) -> bool:
    """A header that names a price, an average, a rate or a share (AveragePrice, Pct, 占比)."""
    words = set(_words(header))
    return bool(words & NOT_VOLUME_WORDS) or "price" in vocabulary.concepts(str(header))


def _is_total(label) -> bool:
    text = re.sub(r"[\s_:.\-]+", "", vocabulary.fold(str(label)).lower())
    return text in TOTAL_WORDS or any(text == w + s for w in TOTAL_WORDS for s in ("general", "all"))


def _concepts(header) -> frozenset[str]:
    return _header_concepts(str(header))


@functools.lru_cache(maxsize=8192)
def _header_concepts(header: str) -> frozenset[str]:
    """A header's concepts, once per header (a wide table asks for each of its thousands of headers several times)."""
    return frozenset(vocabulary.concepts(header))


def _numbers_by_column(block: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Every cell of ``block`` read as a number in one pass (the melted values are read as one column after, so one
    reading of them all is the one that counts): the numbers (NaN where a cell is empty or no number), each column's
    share of its non-empty cells read as numbers, and its count of non-empty cells."""
    text = block.apply(lambda s: s.astype("string"))
    present = block.notna() & text.apply(lambda s: s.str.strip().ne("").fillna(False).astype(bool))
    flat = text.where(present).stack(future_stack=True)
    flat = flat[flat.notna()]
    numbers = pd.Series(float("nan"), index=flat.index, dtype="float64")
    if len(flat):
        numbers = parse_numbers(flat).values.astype("float64")
    grid = numbers.unstack().reindex(index=block.index, columns=block.columns)
    counts = present.sum()
    read = grid.notna().sum()
    share = (read / counts.where(counts > 0)).fillna(0.0)
    return grid, share, counts


def _numeric_share(col: pd.Series) -> tuple[float, int]:
    """The share of non-empty cells read as numbers, and the number of non-empty cells."""
    text = col.astype("string").str.strip()
    present = col.notna() & text.ne("").fillna(False)
    n = int(present.sum())
    if not n:
        return 0.0, 0
    parsed = parse_numbers(col[present])
    return float(parsed.values.notna().mean()), n


def _date_share(col: pd.Series) -> float:
    text = col.astype("string").str.strip()
    present = col.notna() & text.ne("").fillna(False)
    if not present.any():
        return 0.0
    return float(parse_timestamps(col[present]).values.notna().mean())


def _is_row_number(col: pd.Series) -> bool:
    return _row_numbers(parse_numbers(col).values.astype("float64"))


def _row_numbers(values: pd.Series) -> bool:
    """Numbers 0, 1, 2 ... or 1, 2, 3 ... in order (an index saved with the data)."""
    if values.isna().any() or len(values) < 3:
        return False
    steps = values.diff().dropna()
    return bool((steps == 1).all() and values.iloc[0] in (0, 1))


def _quoted(columns) -> str:
    shown = [f"'{c}'" for c in list(columns)[:8]]
    return ", ".join(shown) + (f", … (+{len(columns) - 8})" if len(columns) > 8 else "")


def _line_numbers(frame: pd.DataFrame) -> list[int]:
    lines = frame.attrs.get("line_numbers")
    return list(lines) if lines is not None and len(lines) == len(frame) else list(range(2, len(frame) + 2))


def _with_lines(frame: pd.DataFrame, lines: list[int]) -> pd.DataFrame:
    frame.attrs = {"line_numbers": [int(x) for x in lines]}
    return frame


def _year_values(col: pd.Series) -> pd.Series | None:
    values = parse_numbers(col).values.astype("float64")
    ok = values.notna() & values.between(1800, 2200) & (values % 1 == 0)
    return values if len(col) and ok.mean() >= 0.95 else None


def _month_values(col: pd.Series) -> pd.Series | None:
    values = parse_numbers(col).values.astype("float64")
    named = col.astype("string").str.strip().str.lower().map(lambda s: _MONTH_NAMES.get(vocabulary.fold(s).rstrip(".")
                                                                                         if isinstance(s, str) else s))
    values = values.where(values.notna(), pd.to_numeric(named, errors="coerce").astype("float64"))
    ok = values.notna() & values.between(1, 12) & (values % 1 == 0)
    return values if len(col) and ok.mean() >= 0.95 else None


def combine_year_month(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Note]] | None:
    """``Year`` and ``Month`` columns (1..12 or month names) combined into one ``date`` column (the
    month's first day), when no other column holds dates; None when the table has no such pair."""
    year = next((c for c in frame.columns if set(_words(c)) & {"year", "yr", "ano", "anio", "jahr", "annee", "anno",
                                                              "jaar", "год", "年", "年份", "年度"}
                 and is_calendar_part(c) and _year_values(frame[c]) is not None), None)
    month = next((c for c in frame.columns if set(_words(c)) & {"month", "mon", "mes", "monat", "mois", "mese",
                                                               "maand", "месяц", "月", "月份"}
                  and is_calendar_part(c) and _month_values(frame[c]) is not None), None)
    if year is None or month is None:
        return None
    others = [c for c in frame.columns if c not in (year, month)]
    if any(_date_share(frame[c].head(500)) >= 0.8 and _numeric_share(frame[c].head(500))[0] < 0.5 for c in others):
        return None  # a table with its own dates: the year and month repeat them
    y, m = _year_values(frame[year]), _month_values(frame[month])
    dates = pd.Series(pd.NA, index=frame.index, dtype="string")
    ok = y.notna() & m.notna()
    dates[ok] = [f"{int(a):04d}-{int(b):02d}-01" for a, b in zip(y[ok], m[ok])]
    name = DATE if DATE not in others else f"{DATE} ({year}, {month})"
    out = pd.concat([dates.rename(name).to_frame(), frame[others]], axis=1)
    return _with_lines(out, _line_numbers(frame)), [Note(YEAR_MONTH, {"year": str(year), "month": str(month)})]


def _clean_label(header) -> str:
    return re.sub(r"\s*;\s*$", "", re.sub(r"\s+", " ", str(header)).strip()).strip() or str(header)


def wide_by_date(frame: pd.DataFrame, *, strict: bool) -> tuple[pd.DataFrame, list[Note]] | None:
    """A date column (each date once) and one numeric column per series, melted to date, series, value.

    ``strict`` (no kind given): only when no column names a person, an order or an event and no text
    column is left over. None when the table is not of this layout."""
    if len(frame) < 2 or len(frame.columns) < 3:
        return None
    if strict and any(_concepts(c) & _PERSONAL for c in frame.columns):
        return None
    head = frame.head(2000)
    date_col = None
    # the date is one of the first columns, or a column whose header names a date
    where = list(frame.columns[:5]) + [c for c in frame.columns[5:] if _concepts(c) & {"date", "time"}]
    for col in where:
        read = parse_timestamps(head[col]).values.notna().to_numpy()
        start = int(read.argmax()) if read.any() else 0
        if start <= 5 and _date_share(head[col].iloc[start:]) >= 0.9 and _numeric_share(head[col].iloc[start:])[0] < 0.5:
            date_col = col  # (a second header line under the header has no date)
            break
    if date_col is None:
        return None
    if parse_timestamps(head[date_col]).values.dropna().duplicated().any():
        return None  # dates repeat: a long table with a key column (told on the head, before reading them all)
    dates = parse_timestamps(frame[date_col]).values
    # lines under the header that are a second header: no date, and text where the figures are
    first = dates.notna().to_numpy().argmax() if dates.notna().any() else 0
    if first > 5 or dates.notna().sum() < 2 or dates.dropna().duplicated().any():
        return None  # dates repeat: a long table with a key column
    others = [c for c in frame.columns if c != date_col]
    if first and any(_numeric_share(frame[c].iloc[:first])[0] > 0.5 for c in others):
        first = 0  # figures without a date: rows the cleaning sets aside, not a header
    body = frame.iloc[first:]
    calendar, other_kind, text, values, blank = [], [], [], [], []
    grid, shares, counts = _numbers_by_column(body[others])
    for col in others:
        share, n = float(shares[col]), int(counts[col])
        if is_calendar_part(col) and share >= 0.95:
            calendar.append(col)
        elif share >= 0.95 and n:
            if _row_numbers(grid[col]):
                text.append(col)
            elif is_other_kind(col):
                other_kind.append(col)
            else:
                values.append(col)
        elif is_calendar_part(col):
            calendar.append(col)
        elif n:
            text.append(col)
        else:
            blank.append(col)
    if not values and len(other_kind) >= 2:
        values, other_kind = other_kind, []  # all prices (or all shares): one kind
    if len(values) < 2:
        return None
    named = [c for c in values if _concepts(c) & _MEASURE_CONCEPTS]
    if len(named) == 1:
        return None  # one measure named as such beside other counts: a long table of that measure
    if len({"units" if "quantity" in _concepts(c) else "money" for c in named}) > 1:
        return None  # units beside money (date, units, revenue): measures of one series, not series
    if strict and (text or any(_concepts(c) & {"id"} for c in values)):
        return None
    second = frame.iloc[:first]
    labels = {c: _clean_label(c) for c in values}
    header_rows = list(range(len(second)))
    if header_rows:
        extra = {c: " ".join(str(second[c].iloc[r]) for r in header_rows if pd.notna(second[c].iloc[r])).strip()
                 for c in values}
        if len(set(labels.values())) < len(values) or all(str(c).startswith("column_") for c in values):
            labels = {c: (f"{labels[c]} {extra[c]}".strip() if not str(c).startswith("column_") else extra[c]) or labels[c]
                      for c in values}
    lines = _line_numbers(frame)
    body_lines = lines[first:]
    parts, part_lines, empty = [], [], 0
    for col in values:
        cells = body[col]
        text_cells = cells.astype("string").str.strip()
        present = (cells.notna() & text_cells.ne("").fillna(False)).to_numpy()
        empty += int((~present).sum())
        parts.append(pd.DataFrame({DATE: body[date_col].to_numpy()[present], SERIES: labels[col],
                                   VALUE: cells.to_numpy()[present]}))
        part_lines.extend(x for x, keep in zip(body_lines, present) if keep)
    out = pd.concat(parts, ignore_index=True)
    out[SERIES] = out[SERIES].astype("string")
    notes = [Note(WIDE_BY_DATE, {"date": str(date_col), "n": len(values), "columns": _quoted([str(c) for c in values]),
                                 "rows": len(out)})]
    if first:
        notes.append(Note(SECOND_HEADER, {"lines": ", ".join(str(x) for x in lines[:first]),
                                          "first": str(frame[date_col].iloc[0])}))
    if calendar:
        notes.append(Note(LEFT_OUT_CALENDAR, {"columns": _quoted([str(c) for c in calendar])}))
    if other_kind:
        notes.append(Note(LEFT_OUT_OTHER_KIND, {"columns": _quoted([str(c) for c in other_kind])}, "warning"))
    if text:
        notes.append(Note(LEFT_OUT_TEXT, {"columns": _quoted([str(c) for c in text])}, "warning"))
    if blank:
        notes.append(Note(NO_FIGURE, {"columns": _quoted([str(c) for c in blank])}, "warning"))
    if empty:
        notes.append(Note(EMPTY_CELLS, {"n": empty}))
    return _with_lines(out, part_lines), notes


def _header_dates(headers) -> pd.Series:
    """The date each header names (NaT where it names none); plain numbers are not dates here."""
    cells = pd.Series([h.isoformat() if hasattr(h, "isoformat") else str(h) for h in headers], dtype="object")
    parsed = parse_timestamps(cells).values
    plain = cells.astype("string").str.strip().str.fullmatch(r"[-+]?\d+([.,]\d+)?").fillna(False).to_numpy()
    return parsed.mask(plain)


def wide_by_column_dates(frame: pd.DataFrame, headers: list | None = None, *, strict: bool,
                         lines: list[int] | None = None) -> tuple[pd.DataFrame, list[Note]] | None:
    """One row per series (a label column), one column per date, melted to date, series, value.

    ``headers``: the header to use (the first line read as data) instead of the frame's columns.
    None when the table is not of this layout."""
    headers = list(frame.columns) if headers is None else headers
    if len(headers) < 4 or len(frame) < 1:
        return None
    when = _header_dates(headers)
    dated = [i for i, d in enumerate(when) if pd.notna(d)]
    if len(dated) < 3 or len(dated) < 0.5 * len(headers) or when.dropna().duplicated().any():
        return None
    rest = [i for i in range(len(headers)) if i not in dated]
    label_cols, left_out = [], []
    for i in rest:
        col = frame.iloc[:, i]
        share, n = _numeric_share(col)
        if not n:
            continue
        if share < 0.5:
            label_cols.append(i)
        else:
            left_out.append(i)
    if not label_cols:
        return None
    if strict and any(_concepts(headers[i]) & _PERSONAL for i in range(len(headers)) if i not in dated):
        return None
    cells = frame.iloc[:, dated]
    filled = [s for s, n in (_numeric_share(cells.iloc[:, j]) for j in range(cells.shape[1])) if n]
    if not filled or min(filled) < 0.9:
        return None
    labels = frame.iloc[:, label_cols].astype("string").apply(lambda s: s.str.strip())
    label = labels.apply(lambda r: " | ".join(x for x in r if pd.notna(x) and x != ""), axis=1)
    lines = _line_numbers(frame) if lines is None else lines
    totals = label.map(_is_total).astype(bool)
    unnamed = label.eq("") & cells.notna().any(axis=1)
    keep = (~totals & label.ne("")).to_numpy()
    kept_lines = [ln for ln, k in zip(lines, keep) if k]
    parts, part_lines, empty = [], [], 0
    for j, i in enumerate(dated):
        col = cells.iloc[:, j][keep]
        text = col.astype("string").str.strip()
        present = (col.notna() & text.ne("").fillna(False)).to_numpy()
        empty += int((~present).sum())
        day = when.iloc[i]
        parts.append(pd.DataFrame({DATE: f"{day:%Y-%m-%d}" if day == day.normalize() else f"{day:%Y-%m-%d %H:%M:%S}",
                                   SERIES: label[keep].to_numpy()[present], VALUE: col.to_numpy()[present]}))
        part_lines.extend(ln for ln, p in zip(kept_lines, present) if p)
    out = pd.concat(parts, ignore_index=True)
    out[SERIES] = out[SERIES].astype("string")
    name = " | ".join(str(headers[i]) for i in label_cols)
    first, last = when.dropna().min(), when.dropna().max()
    notes = [Note(WIDE_BY_COLUMN_DATES, {"label": name, "n": len(dated), "first": f"{first:%Y-%m-%d}",
                                         "last": f"{last:%Y-%m-%d}", "rows": len(out)})]
    total_cols = [str(headers[i]) for i in left_out if _is_total(headers[i])]
    other_cols = [str(headers[i]) for i in left_out if not _is_total(headers[i])]
    total_rows = [str(x) for x in label[totals]]
    if total_rows or total_cols:
        notes.append(Note(LEFT_OUT_TOTAL, {"labels": _quoted(total_rows + total_cols)}))
    if other_cols:
        notes.append(Note(LEFT_OUT_TEXT, {"columns": _quoted(other_cols)}, "warning"))
    if unnamed.any():
        notes.append(Note(LEFT_OUT_UNNAMED, {"n": int(unnamed.sum())}, "warning"))
    if empty:
        notes.append(Note(EMPTY_CELLS, {"n": empty}))
    return _with_lines(out, part_lines), notes


LEFT_OUT_UNNAMED = "{n:,} rows with figures but no label were left out: they name no series."


_YEAR_WORDS = {"year", "yr", "ano", "anio", "jahr", "annee", "anno", "jaar", "год", "年", "年份", "年度"}
_WEEK_WORDS = {"week", "weeks", "wk", "semana", "woche", "semaine", "settimana", "неделя", "周"}
YEAR_WEEK_ISO = ("Year '{year}' and week '{week}' were combined into one date, the Monday of the ISO week (weeks 1-53, "
                 "week 1 holds the year's first Thursday); '{week}' alone is not a date.")
YEAR_WEEK_MONDAY = ("Year '{year}' and week '{week}' were combined into one date, the Monday the week starts on: weeks "
                    "are counted from 0, week 1 starting on the year's first Monday (week 0 holds the days before it, "
                    "so its Monday may be in December of the year before).")
YEAR_WEEK_SUNDAY = ("Year '{year}' and week '{week}' were combined into one date, the Sunday the week starts on: weeks "
                    "are counted from 0, week 1 starting on the year's first Sunday (week 0 holds the days before it, "
                    "so its Sunday may be in December of the year before).")
#: week numbering conventions: (strptime format of "YYYY-WW-D", weekday the week starts on, note), ISO first
_WEEK_CONVENTIONS = (("%G-%V-%u", "1", YEAR_WEEK_ISO), ("%Y-%W-%w", "1", YEAR_WEEK_MONDAY),
                     ("%Y-%U-%w", "0", YEAR_WEEK_SUNDAY))


def _week_values(col: pd.Series) -> pd.Series | None:
    values = parse_numbers(col).values.astype("float64")
    ok = values.notna() & values.between(0, 53) & (values % 1 == 0)
    return values if len(col) and ok.mean() >= 0.95 else None


def _week_start(year: int, week: int, fmt: str, first_day: str):
    """The first day of week ``week`` of ``year`` in a numbering convention (see _WEEK_CONVENTIONS), NaT for a
    week the convention does not give that year (ISO week 0 or a 53rd week of a 52-week year; a week 0 of a year
    that starts on the convention's first weekday)."""
    try:
        day = dt.datetime.strptime(f"{year:04d}-{week:02d}-{first_day}", fmt)
    except ValueError:
        return pd.NaT
    if fmt == "%G-%V-%u":
        return pd.Timestamp(day) if day.isocalendar()[:2] == (year, week) else pd.NaT
    if day + dt.timedelta(days=6) < dt.datetime(year, 1, 1) or day > dt.datetime(year, 12, 31):
        return pd.NaT
    return pd.Timestamp(day)


def combine_year_week(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Note]] | None:
    """``Year`` and ``Week`` columns (a retailer's ``year_of_calendar; week_of_year``) combined into one ``date``
    column, the first day of the week, when no other column holds dates and no column names a month; None when
    the table has no such pair. The numbering is the one that gives every (year, week) pair of the table, ISO
    weeks first (Monday first, week 1 holding the first Thursday), else weeks counted from 0 that start on Monday
    (``%W``) or on Sunday (``%U``): a week 0 in a year that starts on a Sunday rules the Sunday count out. A
    note says which; a pair no numbering gives stays as written and is set aside as an unreadable date."""
    week = next((c for c in frame.columns if set(_words(c)) & _WEEK_WORDS and is_calendar_part(c)
                 and _week_values(frame[c]) is not None), None)
    if week is None:
        return None
    year = next((c for c in frame.columns if c != week and set(_words(c)) & _YEAR_WORDS and is_calendar_part(c)
                 and _year_values(frame[c]) is not None), None)
    if year is None:
        return None
    others = [c for c in frame.columns if c not in (year, week)]
    if any(set(_words(c)) & {"month", "mon", "mes", "monat", "mois", "mese", "maand", "месяц", "月", "月份"}
           and is_calendar_part(c) for c in others):
        return None  # a month too: the week is a part of the month's date
    if any(_date_share(frame[c].head(500)) >= 0.8 and _numeric_share(frame[c].head(500))[0] < 0.5 for c in others):
        return None  # a table with its own dates: the year and week repeat them
    y, w = _year_values(frame[year]), _week_values(frame[week])
    ok = y.notna() & w.notna()
    pairs = sorted({(int(a), int(b)) for a, b in zip(y[ok], w[ok])})
    best = None
    for rank, (fmt, first_day, code) in enumerate(_WEEK_CONVENTIONS):
        starts = {pair: _week_start(*pair, fmt, first_day) for pair in pairs}
        missing = sum(pd.isna(v) for v in starts.values())
        if best is None or missing < best[0]:
            best = (missing, starts, code)
    _, starts, code = best
    key = pd.Series([f"{int(a):04d}-W{int(b):02d}" for a, b in zip(y[ok], w[ok])], index=y[ok].index, dtype="string")
    lookup = {f"{a:04d}-W{b:02d}": v for (a, b), v in starts.items()}
    dates = pd.Series(pd.NA, index=frame.index, dtype="string")
    # a week the numbering does not give that year stays as written ("2017-W00"): the cleaning says why
    dates[key.index] = key.map(lambda k: k if pd.isna(lookup[k]) else lookup[k].strftime("%Y-%m-%d"))
    name = DATE if DATE not in others else f"{DATE} ({year}, {week})"
    out = pd.concat([dates.rename(name).to_frame(), frame[others]], axis=1)
    return _with_lines(out, _line_numbers(frame)), [Note(code, {"year": str(year), "week": str(week)})]


def sales_layout(raw, kind: str | None):
    """``raw`` (a :class:`~ecom_analytics.ingest.readers.RawTable`) with its frame read as a long
    sales table when it is in one of the layouts of this module, with notes saying so; ``raw`` itself
    otherwise. Applied when ``kind`` is ``sales`` or not given (then only where no column names a
    customer, an order or an event)."""
    if kind not in (None, "sales") or raw.frame.empty:
        return raw
    strict = kind is None
    frame, notes, has_header = raw.frame, [], raw.has_header
    if not has_header:
        # a sheet whose first line was read as data: a header of dates over a label column
        found = wide_by_column_dates(frame.iloc[1:], list(frame.iloc[0]), strict=strict,
                                     lines=_line_numbers(frame)[1:])
        if found is not None:
            out, extra = found
            return dataclasses.replace(raw, frame=out, has_header=True, notes=list(raw.notes) + extra)
        return raw
    combined = combine_year_month(frame)
    if combined is None:
        combined = combine_year_week(frame)
    if combined is not None:
        frame, extra = combined
        notes += extra
    for reshape in (wide_by_date, wide_by_column_dates):
        found = reshape(frame, strict=strict)
        if found is not None:
            frame, extra = found
            notes += extra
            break
    if not notes:
        return raw
    return dataclasses.replace(raw, frame=frame, notes=list(raw.notes) + notes)


SERIES_KEY = "Dates repeat and '{column}' names what each row counts: one series per value of '{column}'."
SERIES_KEY_PAIR_EXACT = ("Dates repeat and '{first}' with '{second}' names what each row counts: one series per "
                         "pair.")
SERIES_KEY_PAIR = ("Dates repeat and '{first}' with '{second}' names what each row counts: one series per pair "
                   "({n:,} rows repeat a date of their pair: they are summed in that period).")
SERIES_KEY_REPEATS = ("Dates repeat and '{column}' names what each row counts: one series per value of '{column}' "
                      "({n:,} rows repeat a date of their series: they are summed in that period).")


#: concepts of a header that names a key by its number or code ("NUM_ART", "store_nbr", "item_id", "Product_Code")
_KEY_CONCEPTS = {"id", "number", "code", "store", "product", "sku", "category"}


def _numbered_key(header, values: pd.Series) -> bool:
    """A column of whole numbers that names things rather than counting them: its header names an id, a number or
    a code (or a store, a product) and no measure (an article number "NUM_ART", not "customers")."""
    concepts = _concepts(header)
    if not concepts & _KEY_CONCEPTS or concepts & {"quantity", "amount", "revenue", "price", "money"}:
        return False
    text = values.dropna().astype("string").str.strip()
    return len(text) > 0 and bool(text.str.fullmatch(r"\d{1,18}(\.0)?").mean() > 0.99)


def series_key(frame: pd.DataFrame, mapping):
    """A sales mapping without a series column, whose dates repeat, given the text column of labels (or of
    numbers that a header names as ids or codes: an article number) that makes (label, date) one row for all but at most 2 % of the rows (a make), or else the two
    such columns that do it together (a region and a type: the one with fewer values first, as the
    series, the other as the second key), with a note; ``mapping`` itself otherwise. The labels are
    kept as written: a make called "NA" is a label."""
    from ecom_analytics.ingest.mapping import ORDER_ID_NOT_SERIES_TOTAL, ColumnChoice, Mapping, per_row_or_date

    chosen = mapping.as_dict()
    when = chosen.get("timestamp")
    if mapping.kind != "sales" or "series_id" in chosen or when is None or "value" not in chosen:
        return mapping
    sample = frame.head(200_000)
    if not sample.duplicated(subset=[when]).any():
        return mapping
    labels = []
    for col in frame.columns:
        if col in chosen.values():
            continue
        values = sample[col]
        distinct = values.nunique(dropna=True)
        if distinct < 2 or values.isna().mean() > 0.01 or distinct > 0.5 * len(sample):
            continue
        if (_numeric_share(values.head(5000))[0] > 0.5 and not _numbered_key(col, values.head(5000))) \
                or _date_share(values.head(500)) > 0.5:
            continue
        if values.astype("string").str.len().max() > 80 or per_row_or_date(sample, col, when):
            continue  # free text, or an order or invoice number (one per row or per date): never a series
        labels.append((distinct, list(frame.columns).index(col), col))
    allowed = 0.02 * len(sample)
    found = [(int(sample.duplicated(subset=[col, when]).sum()), distinct, at, col) for distinct, at, col in labels]
    found = [f for f in found if f[0] <= allowed]
    choices = dict(mapping.choices)
    # a key found here replaces the mapper's "one total series" (said when it set an order number aside)
    notes = [n for n in mapping.notes if n.code != ORDER_ID_NOT_SERIES_TOTAL]
    if found:
        repeats, _, _, col = sorted(found)[0]
        reason = Note(SERIES_KEY_REPEATS, {"column": str(col), "n": repeats}) if repeats else \
            Note(SERIES_KEY, {"column": str(col)})
        choices["series_id"] = ColumnChoice("series_id", col, 0.6, reason)
        return Mapping(mapping.kind, choices, dict(mapping.pii_columns), notes + [reason])
    pairs = []
    for i, (d1, at1, first) in enumerate(sorted(labels)[:6]):
        for d2, at2, second in sorted(labels)[i + 1:6]:
            repeats = int(sample.duplicated(subset=[first, second, when]).sum())
            if repeats <= allowed:
                pairs.append((repeats, d1 * d2, at1, first, second))
    if not pairs:
        return mapping
    repeats, _, _, first, second = sorted(pairs)[0]
    reason = Note(SERIES_KEY_PAIR, {"first": str(first), "second": str(second), "n": repeats}) if repeats else \
        Note(SERIES_KEY_PAIR_EXACT, {"first": str(first), "second": str(second)})
    choices["series_id"] = ColumnChoice("series_id", first, 0.6, reason)
    choices["subseries_id"] = ColumnChoice("subseries_id", second, 0.6, reason)
    return Mapping(mapping.kind, choices, dict(mapping.pii_columns), notes + [reason])
