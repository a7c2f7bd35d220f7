"""A profile of a raw upload before mapping, per column, as ydata-profiling gives one.

For each source column: a type guess (number, date, yes/no, category, identifier, text, empty),
the missing share, the distinct values, the top values, and alerts (constant, mostly empty,
mixed types, every value different, spaces around values, one value dominating). The
histogram of one column is :func:`column_distribution`. Counts are on every row; the type guess
reads a sample of at most :data:`SAMPLE_ROWS` non-empty values, so a large file stays fast and
bounded. Cells are the reader's text, so "missing" means empty or blank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SAMPLE_ROWS = 5_000
MAX_COLUMNS = 200  # a wider file is profiled on its first MAX_COLUMNS columns (about 35 ms a column)
TOP_VALUES = 3
YES_NO = {"true", "false", "yes", "no", "y", "n", "0", "1", "t", "f", "是", "否"}


@dataclass(frozen=True)
class Alert:
    """One finding on a column: ``code`` (constant, empty, mostly_empty, mixed, unique, spaces,
    dominant) and its numbers (``share`` a fraction, ``value`` a cell's text)."""

    code: str
    share: float | None = None
    value: str | None = None


def _cells(column: pd.Series) -> pd.Series:
    text = column.astype("string")
    return text.where(text.str.strip().ne(""), pd.NA)


def guess_type(values: pd.Series) -> tuple[str, float]:
    """(type, share of the sampled non-empty values that read as numbers) of a column's text cells."""
    from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps

    present = values.dropna()
    if present.empty:
        return "empty", 0.0
    sample = present.sample(SAMPLE_ROWS, random_state=0) if len(present) > SAMPLE_ROWS else present
    sample = sample.reset_index(drop=True)
    lowered = sample.str.strip().str.lower()
    distinct = lowered.nunique()
    numbers = parse_numbers(sample)
    number_share = float(numbers.values.notna().mean())
    if distinct <= 2 and lowered.isin(YES_NO).all():
        return "yes/no", number_share
    plain_integers = bool(sample.str.fullmatch(r"\s*-?\d+\s*").all())
    dates = parse_timestamps(sample)
    date_share = float(dates.values.notna().mean())
    # whole numbers are dates only as Unix times (9+ digits) or compact YYYYMMDD, never as small counts
    long_digits = bool(sample.str.strip().str.len().ge(8).all())
    if date_share >= 0.95 and (not plain_integers or long_digits):
        return "date", number_share
    if number_share >= 0.95:
        unique_share = distinct / len(sample)
        return ("identifier" if plain_integers and unique_share > 0.9 and len(sample) >= 20 else "number"), number_share
    if distinct <= 50 or distinct <= 0.05 * len(sample):
        return "category", number_share
    if distinct > 0.9 * len(sample):
        return "identifier", number_share
    return "text", number_share


def profile_columns(frame: pd.DataFrame, masked: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """One row per column of ``frame`` (the raw upload, text cells; the first :data:`MAX_COLUMNS`
    of a wider one): ``column, type, missing``
    (fraction), ``distinct``, ``top`` (list of (value, count), most frequent first; empty for
    ``masked`` columns, which hold personal data) and ``alerts`` (list of :class:`Alert`)."""
    rows = []
    n = len(frame)
    for name in frame.columns[:MAX_COLUMNS]:
        cells = _cells(frame[name])
        present = cells.dropna()
        missing = 1 - len(present) / n if n else 0.0
        counts = present.value_counts(sort=True)
        kind, number_share = guess_type(present)
        alerts: list[Alert] = []
        if len(present) == 0:
            alerts.append(Alert("empty"))
        elif missing > 0.5:
            alerts.append(Alert("mostly_empty", share=missing))
        if len(counts) == 1 and n > 1:
            alerts.append(Alert("constant", value=None if str(name) in masked else str(counts.index[0])))
        elif len(counts) > 1 and counts.iloc[0] / len(present) >= 0.95:
            alerts.append(Alert("dominant", share=float(counts.iloc[0] / len(present)),
                                value=None if str(name) in masked else str(counts.index[0])))
        if kind in ("category", "text", "identifier") and 0.05 <= number_share < 0.95:
            alerts.append(Alert("mixed", share=number_share))
        if len(present) >= 20 and len(counts) == len(present) and kind != "date":
            alerts.append(Alert("unique"))
        spaced = float((present.str.len() != present.str.strip().str.len()).mean()) if len(present) else 0.0
        if spaced > 0:
            alerts.append(Alert("spaces", share=spaced))
        top = [] if str(name) in masked else [(str(v), int(c)) for v, c in counts.head(TOP_VALUES).items()]
        rows.append({"column": str(name), "type": kind, "missing": missing, "distinct": int(len(counts)),
                     "top": top, "alerts": alerts})
    return pd.DataFrame(rows, columns=["column", "type", "missing", "distinct", "top", "alerts"])


def column_distribution(column: pd.Series, kind: str, bins: int = 20) -> pd.DataFrame:
    """The distribution of one raw column for a chart: ``label, count`` rows.

    Numbers: ``bins`` equal-width bins between the 1st and 99th percentiles (values outside are
    counted in the end bins, whose labels say "≤" and "≥"); dates: counts per month (per day
    when the column spans under 62 days); anything else: the 15 most frequent values."""
    from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps

    present = _cells(column).dropna().reset_index(drop=True)
    if present.empty:
        return pd.DataFrame(columns=["label", "count"])
    if kind == "number":
        values = pd.to_numeric(parse_numbers(present).values, errors="coerce").dropna().to_numpy(dtype=float)
        if len(values) == 0:
            return pd.DataFrame(columns=["label", "count"])
        low, high = np.percentile(values, [1, 99])
        if high <= low:
            return pd.DataFrame({"label": [f"{low:,.6g}"], "count": [len(values)]})
        edges = np.linspace(low, high, bins + 1)
        counts, _ = np.histogram(np.clip(values, low, high), bins=edges)
        labels = [f"{a:,.4g} – {b:,.4g}" for a, b in zip(edges[:-1], edges[1:])]
        if values.min() < low:
            labels[0] = f"≤ {edges[1]:,.4g}"
        if values.max() > high:
            labels[-1] = f"≥ {edges[-2]:,.4g}"
        return pd.DataFrame({"label": labels, "count": counts.astype(int)})
    if kind == "date":
        stamps = pd.to_datetime(parse_timestamps(present).values, errors="coerce").dropna()
        if stamps.empty:
            return pd.DataFrame(columns=["label", "count"])
        daily = (stamps.max() - stamps.min()) < pd.Timedelta(days=62)
        periods = stamps.dt.strftime("%Y-%m-%d" if daily else "%Y-%m")
        counts = periods.value_counts().sort_index()
        return pd.DataFrame({"label": counts.index.astype(str), "count": counts.to_numpy(dtype=int)})
    counts = present.value_counts().head(15)
    return pd.DataFrame({"label": counts.index.astype(str), "count": counts.to_numpy(dtype=int)})
