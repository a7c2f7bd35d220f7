"""Series for forecasting, in one long format whatever their source: ``unique_id, ds, y``.

``ds`` is the start of the period (a day, a Monday-started week, or the first of the month);
``y`` is the measure in that period (revenue in the export's currency, units, or orders).
A pre-aggregated sales table may add a ``flag`` column (1 = holiday or promotion period),
which the neural forecaster uses as an input.

Missing periods inside a series are filled with zero and counted (an orders export without orders in a
week sold nothing that week); negative values are kept and counted (returns exceeding sales). Both counts
are in :attr:`SeriesSet.zero_filled` and :attr:`SeriesSet.negatives` and summarised in
:attr:`SeriesSet.notes`. A pre-aggregated sales table is different: a steady series (see
:func:`_steady`) with a row missing between two reported periods lost that row, and a zero there would
be a false collapse that seasonal models repeat a year later; such gaps are filled by straight lines
from the periods around them and counted in :attr:`SeriesSet.interpolated`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import notes
from ecom_analytics.forecasting.calendar import country_code, period_start
from ecom_analytics.insights.periods import partial_periods, period_of
from ecom_analytics.runs import Note

FREQS = ("D", "W", "M")
FREQ_LABELS = {"D": "day", "W": "week", "M": "month"}
#: pandas offsets of the period starts
OFFSETS = {"D": "D", "W": "W-MON", "M": "MS"}
#: one season in periods: a week of days, a year of weeks, a year of months
SEASON_LENGTH = {"D": 7, "W": 52, "M": 12}
#: mean length of a period in days (for lead times)
PERIOD_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}
MEASURES = ("revenue", "units", "orders")
LEVELS = ("total", "product", "category", "country")
_LEVEL_COLUMNS = {"product": "product_id", "category": "category", "country": "country"}


@dataclass
class SeriesSet:
    """Series in long format with what was done to them.

    ``frame``: ``unique_id`` (string), ``ds`` (period start), ``y`` (float) and, for sales
    tables with a flag, ``flag`` (0/1). ``labels`` maps a unique_id to a readable name.
    """

    frame: pd.DataFrame
    freq: str
    measure: str
    level: str
    zero_filled: dict[str, int] = field(default_factory=dict)
    negatives: dict[str, int] = field(default_factory=dict)
    #: what was done to the series, as coded notes (see :mod:`ecom_analytics.forecasting.notes`)
    notes: list[Note] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    #: the holiday calendar's country code (the data's main country), None without one
    country: str | None = None
    #: the partial first/last periods left out (``unique_id, ds, y``: what the data holds of them)
    partial: pd.DataFrame | None = None
    #: periods missing inside steady series of a sales table, filled from the periods around them
    interpolated: dict[str, int] = field(default_factory=dict)

    def partial_for(self, unique_id: str) -> pd.DataFrame:
        """The partial edge periods of one series that were left out (``ds``, ``y``; may be empty)."""
        if self.partial is None or self.partial.empty:
            return pd.DataFrame({"ds": pd.Series(dtype="datetime64[ns]"), "y": pd.Series(dtype="float64")})
        return self.partial.loc[self.partial["unique_id"] == unique_id, ["ds", "y"]].reset_index(drop=True)

    @property
    def ids(self) -> list[str]:
        """The series ids, in the order they were built (largest first)."""
        return list(dict.fromkeys(self.frame["unique_id"]))

    @property
    def season_length(self) -> int:
        """Periods in one season (7 days, 52 weeks or 12 months)."""
        return SEASON_LENGTH[self.freq]

    @property
    def has_flag(self) -> bool:
        """Whether the series carry a holiday/promotion flag."""
        return "flag" in self.frame.columns and bool(self.frame["flag"].gt(0).any())

    def one(self, unique_id: str) -> pd.DataFrame:
        """The rows of one series, oldest first."""
        return self.frame[self.frame["unique_id"] == unique_id].reset_index(drop=True)

    def subset(self, ids: list[str]) -> "SeriesSet":
        """The same set restricted to ``ids``."""
        keep = self.frame["unique_id"].isin(ids)
        return SeriesSet(self.frame[keep].reset_index(drop=True), self.freq, self.measure, self.level,
                         {k: v for k, v in self.zero_filled.items() if k in ids},
                         {k: v for k, v in self.negatives.items() if k in ids}, list(self.notes),
                         {k: v for k, v in self.labels.items() if k in ids}, self.country,
                         interpolated={k: v for k, v in self.interpolated.items() if k in ids})


def check_freq(freq: str) -> str:
    """``freq`` upper-cased if it is D, W or M, else an :class:`InputError`."""
    f = str(freq).upper()
    if f not in FREQS:
        raise InputError("Frequency '{freq}' is not one of D (day), W (week) or M (month).", freq=freq)
    return f


def _complete_periods(ts: pd.Series, freq: str) -> tuple[pd.Timestamp, pd.Timestamp, list[Note]]:
    """First and last period fully covered by the data's time span, with a note for each partial
    edge left out (the edges are :func:`ecom_analytics.insights.periods.partial_periods`, the same
    as Overview's and Cohorts')."""
    first = period_start(pd.Series([ts.min()]), freq).iloc[0]
    last = period_start(pd.Series([ts.max()]), freq).iloc[0]
    step = pd.tseries.frequencies.to_offset(OFFSETS[freq])
    found = []
    for edge in partial_periods(period_of(ts), freq):
        start = pd.Timestamp(edge.start)
        found.append(notes.note(notes.PARTIAL_FIRST if edge.edge == "first" else notes.PARTIAL_LAST,
                                unit=notes.unit(freq), date=f"{start:%Y-%m-%d}"))
        if edge.edge == "first":
            first = first + step
        else:
            last = last - step
    return first, last, found


def _fill(agg: pd.DataFrame, freq: str, first: pd.Timestamp, last: pd.Timestamp,
          from_own_start: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    """Reindex every series on a regular grid up to ``last``, zero-filling missing periods.

    A series starts at ``first`` or, with ``from_own_start``, at its own first period (a
    product launched later is not padded with zeros before its launch).
    """
    grid = pd.date_range(first, last, freq=OFFSETS[freq])
    agg = agg[(agg["ds"] >= first) & (agg["ds"] <= last)]
    starts = agg.groupby("unique_id", sort=False)["ds"].min() if from_own_start else None
    full = pd.MultiIndex.from_product([agg["unique_id"].drop_duplicates(), grid], names=["unique_id", "ds"])
    out = agg.set_index(["unique_id", "ds"]).reindex(full).reset_index()
    if starts is not None:
        out = out[out["ds"].to_numpy() >= starts.reindex(out["unique_id"]).to_numpy()]
    missing = out["y"].isna()
    out["missing"] = missing.to_numpy()
    filled = missing.groupby(out["unique_id"], sort=False).sum()
    out["y"] = out["y"].fillna(0.0).astype("float64")
    if "flag" in out.columns:
        out["flag"] = out["flag"].fillna(0.0).astype("float64")
    return out.reset_index(drop=True), {str(k): int(v) for k, v in filled.items() if v}


#: a series of a sales table is steady when it reports at least this many periods and its lowest reported
#: value is at least this share of its median one: a zero would lie far below anything it ever sold
STEADY_PERIODS = 8
STEADY_SHARE = 0.25
#: and its missing periods are rare: one, or at most this share of its span (a lost row, not closed days)
RARE_GAPS = 0.05


def _steady(reported: pd.Series) -> bool:
    """Whether a sales table's series (its reported values) is steady (see :data:`STEADY_SHARE`)."""
    values = reported.to_numpy(dtype="float64")
    if len(values) < STEADY_PERIODS:
        return False
    median = float(np.median(values))
    return median > 0 and float(values.min()) >= STEADY_SHARE * median


#: a run of this many missing periods or more inside a series that writes its zero periods as rows is a
#: stretch the export has no data for (Rossmann's stores without rows for half of 2014), not a stretch without
#: sales: the history before it is left out
LONG_GAP = {"D": 28, "W": 8, "M": 3}


def _gap_runs(gap: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` (end exclusive) of each run of True in ``gap``."""
    edges = np.diff(np.concatenate([[0], gap.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


def _cut_long_gaps(out: pd.DataFrame, filled: dict[str, int], freq: str, positions: dict
                   ) -> tuple[pd.DataFrame, dict[str, int], list[Note]]:
    """In the series of a sales table that write their empty periods as rows of 0 (a closed Sunday), a long run
    of missing periods (:data:`LONG_GAP`) is missing data: the series keeps only the periods after its last such
    run, said in a note. Series without zero rows (an export that lists only the periods that sold) keep their
    gaps as zeros. ``positions``: each series' row positions in ``out``, oldest first."""
    found: list[Note] = []
    drop = np.zeros(len(out), dtype=bool)
    missing, y, ds = out["missing"].to_numpy(dtype=bool), out["y"].to_numpy(dtype="float64"), out["ds"].to_numpy()
    for uid in list(filled):
        rows = positions[uid]
        gap = missing[rows]
        if not (y[rows][~gap] == 0).any():
            continue
        long = [(a, b) for a, b in _gap_runs(gap) if a > 0 and b < len(gap) and b - a >= LONG_GAP[freq]]
        if not long:
            continue
        first, end = long[-1]
        drop[rows[:end]] = True
        filled[uid] -= int(gap[:end].sum())
        if not filled[uid]:
            del filled[uid]
        found.append(notes.note(notes.LONG_GAP_CUT, series=uid, n=int(end - first),
                                units=notes.unit(freq, int(end - first)),
                                start=f"{pd.Timestamp(ds[rows[first]]):%Y-%m-%d}",
                                end=f"{pd.Timestamp(ds[rows[end - 1]]):%Y-%m-%d}"))
    return out.loc[~drop].reset_index(drop=True), filled, found


def _interpolate_gaps(out: pd.DataFrame, filled: dict[str, int], positions: dict
                      ) -> tuple[pd.DataFrame, dict[str, int], dict[str, int]]:
    """In the steady series of a sales table (``out`` from :func:`_fill`), the periods missing between two
    reported ones filled by straight lines between those two instead of zero, where they are rare. Returns the
    frame and the counts of periods still zero-filled and interpolated, per series. ``positions``: each
    series' row positions in ``out``, oldest first."""
    interpolated: dict[str, int] = {}
    missing, y = out["missing"].to_numpy(dtype=bool), out["y"].to_numpy(dtype="float64").copy()
    for uid in list(filled):
        rows = positions[uid]
        gap = missing[rows]
        if not _steady(pd.Series(y[rows][~gap])):
            continue
        seen = np.flatnonzero(~gap)
        inside = gap & (np.arange(len(gap)) > seen.min()) & (np.arange(len(gap)) < seen.max())
        if not inside.any() or inside.sum() > max(1.0, RARE_GAPS * (seen.max() - seen.min() + 1)):
            continue  # many missing periods (a shop's closed Sundays left out of the export) are periods without sales
        values = y[rows]
        values[inside] = np.interp(np.flatnonzero(inside), seen, values[seen])
        y[rows] = values
        interpolated[uid] = int(inside.sum())
        filled[uid] -= interpolated[uid]
        if not filled[uid]:
            del filled[uid]
    out["y"] = y
    return out, filled, interpolated


def _finish(frame: pd.DataFrame, freq: str, measure: str, level: str, filled: dict[str, int],
            found: list[Note], labels: dict[str, str], interpolated: dict[str, int] | None = None) -> SeriesSet:
    frame = frame.drop(columns=["missing"], errors="ignore")
    frame["unique_id"] = frame["unique_id"].astype("string")
    frame["ds"] = frame["ds"].astype("datetime64[ns]")
    negatives = frame.loc[frame["y"] < 0].groupby("unique_id", sort=False).size()
    negatives = {str(k): int(v) for k, v in negatives.items() if v}
    if filled:
        n = sum(filled.values())
        found.append(notes.by_count(n, notes.FILLED_ONE, notes.FILLED_MANY, unit=notes.unit(freq),
                                    units=notes.unit(freq, n), count=f"{len(filled):,}"))
    if interpolated:
        n = sum(interpolated.values())
        found.append(notes.by_count(n, notes.INTERPOLATED_ONE, notes.INTERPOLATED_MANY, unit=notes.unit(freq),
                                    units=notes.unit(freq, n), count=f"{len(interpolated):,}"))
    if negatives:
        n = sum(negatives.values())
        found.append(notes.by_count(n, notes.NEGATIVE_ONE, notes.NEGATIVE_MANY, unit=notes.unit(freq),
                                    units=notes.unit(freq, n), measure=notes.word(measure)))
    return SeriesSet(frame, freq, measure, level, filled, negatives, found, labels, interpolated=interpolated or {})


def build_series(orders, measure: str = "revenue", level: str = "total", freq: str = "W",
                 top_n: int | None = 10) -> SeriesSet:
    """Series of ``measure`` per period from cleaned order lines.

    ``measure``: revenue (sum of amount, currency), units (sum of quantity) or orders
    (distinct order ids). ``level``: total, product, category, country or any column of the
    table; by a column, the ``top_n`` values with the largest total measure are kept (all of them
    when ``top_n`` is None; equal totals by id). The holiday calendar is the one of the country
    with the most lines. Periods only partly covered by the data (the first and last week or month)
    are left out. ``orders`` is a pandas frame or an Ibis table (a stored dataset scanned in place,
    on DuckDB or Spark: only the sums per series and period come back to pandas), with the same result.
    """
    freq = check_freq(freq)
    if measure not in MEASURES:
        raise InputError("Measure '{measure}' is not one of {choices}.", measure=measure, choices=', '.join(MEASURES))
    column = None if level == "total" else _LEVEL_COLUMNS.get(level, level)
    if orders is not None and column is not None and column not in orders.columns:
        raise InputError("The orders have no column '{level}'. Choose total, product, category, country or a "
                         "column of the table.", level=level)
    if _is_table(orders):
        agg, stamps, names, country = _sums_on_engine(orders, measure, column, freq)
    else:
        agg, stamps, names, country = _sums(orders, measure, column, freq)
    if stamps is None:
        raise InputError("There are no order lines with a date to build a series from. Load orders on the Data page.")
    if agg is None:
        raise InputError("No order line has a {level}; choose another level (e.g. total).", level=level)
    if measure == "units" and agg.attrs.get("no_quantity"):
        raise InputError("These orders have no quantities; choose revenue or orders as the measure.")
    found: list[Note] = []
    first, last, edge_notes = _complete_periods(stamps, freq)
    partial = agg[(agg["ds"] < first) | (agg["ds"] > last)].copy()
    agg = agg[(agg["ds"] >= first) & (agg["ds"] <= last)]
    if column is not None:
        # largest first, equal totals by id (rounded: sums added in another order differ in the last bits)
        totals = agg.groupby("unique_id")["y"].sum().round(6).sort_index().sort_values(ascending=False, kind="stable")
        keep = list(totals.index[:max(1, int(top_n))]) if top_n else list(totals.index)
        if len(totals) > len(keep):
            shown = notes.word(level) if level in LEVELS else level  # a column of the table stays as it is
            found.append(notes.note(notes.LARGEST_VALUES, n=len(keep), level=shown, measure=notes.word(measure),
                                    total=len(totals)))
        agg = agg[agg["unique_id"].isin(keep)]
        agg["unique_id"] = pd.Categorical(agg["unique_id"], categories=keep)
        agg = agg.sort_values(["unique_id", "ds"])
        agg["unique_id"] = agg["unique_id"].astype("string")
    else:
        agg = agg.sort_values("ds")
    found += edge_notes
    if last < first:
        raise InputError("The orders span less than one full {unit}; choose a shorter frequency.",
                         unit=Note(FREQ_LABELS[freq]))
    out, filled = _fill(agg, freq, first, last, from_own_start=column is not None)
    labels = {}
    if column == "product_id" and names is not None:
        labels = {str(k): f"{k} · {v}" for k, v in names(list(out["unique_id"].unique())).items()}
    result = _finish(out, freq, measure, level, filled, found, labels)
    result.country = country
    partial = partial[partial["unique_id"].isin(result.ids)]
    result.partial = partial.assign(unique_id=partial["unique_id"].astype("string"),
                                    ds=partial["ds"].astype("datetime64[ns]")).reset_index(drop=True)
    return result


def _is_table(data) -> bool:
    import ibis

    return isinstance(data, ibis.Table)


def _sums(orders: pd.DataFrame | None, measure: str, column: str | None, freq: str):
    """``(sums, stamps, names, country)`` of pandas order lines: ``unique_id, ds, y`` per series and
    period (``attrs["no_quantity"]`` when no line has a quantity), the first and last timestamp (None
    without dated lines), the usual name of each product (product level) and the main country's
    calendar code; ``sums`` is None when no dated line has a value of ``column``. ``names`` is a
    function of the product ids shown (None without product names)."""
    if orders is None or orders.empty or orders["timestamp"].notna().sum() == 0:
        return None, None, None, None
    rows = orders[orders["timestamp"].notna()]
    stamps = pd.Series([rows["timestamp"].min(), rows["timestamp"].max()])
    if column is not None:
        rows = rows[rows[column].notna()]
        if rows.empty:
            return None, stamps, None, None
    key = rows[column].astype("string") if column else pd.Series("total", index=rows.index, dtype="string")
    frame = pd.DataFrame({"unique_id": key, "ds": period_start(rows["timestamp"], freq)})
    if measure == "revenue":
        frame["v"] = rows["amount"].fillna(0.0)
    elif measure == "units":
        frame["v"] = rows["quantity"].fillna(0.0)
    else:
        frame["v"] = rows["order_id"].astype("string").fillna(pd.Series(rows.index.astype(str), index=rows.index))
    grouped = frame.groupby(["unique_id", "ds"], sort=False)["v"]
    agg = (grouped.nunique() if measure == "orders" else grouped.sum()).rename("y").reset_index()
    agg["y"] = agg["y"].astype("float64")
    agg.attrs["no_quantity"] = measure == "units" and rows["quantity"].notna().sum() == 0
    def names(ids: list[str]) -> pd.Series:
        named = rows[rows["product_id"].isin(ids)].dropna(subset=["product_name"])
        return named.groupby("product_id")["product_name"].agg(lambda s: s.mode().iloc[0])

    has_names = column == "product_id" and "product_name" in rows.columns
    return agg, stamps, names if has_names else None, main_country(rows)


def _sums_on_engine(orders, measure: str, column: str | None, freq: str):
    """:func:`_sums` of an Ibis table, aggregated where it lies."""
    import ibis

    from ecom_analytics.engine import execute, most_frequent

    dated = orders.filter(orders.timestamp.notnull())
    span = execute(dated.aggregate(first=dated.timestamp.min(), last=dated.timestamp.max(), n=dated.count()))
    if span.empty or int(span["n"].iloc[0]) == 0:
        return None, None, None, None
    stamps = pd.Series([pd.Timestamp(span["first"].iloc[0]), pd.Timestamp(span["last"].iloc[0])])
    rows = dated.filter(dated[column].notnull()) if column else dated
    key = rows[column].cast("string") if column else ibis.literal("total")
    ds = rows.timestamp.truncate({"D": "D", "W": "W", "M": "M"}[freq])  # a Monday-started week on both engines
    if measure == "orders":
        line = ibis.row_number().cast("string")
        value = ibis.coalesce(rows.order_id.cast("string"), ibis.literal("\x00line ").concat(line))
        lines = rows.select(unique_id=key, ds=ds, v=value)
        agg = lines.group_by(["unique_id", "ds"]).aggregate(y=lines.v.nunique(), q=lines.count())
    else:
        source = rows.amount if measure == "revenue" else rows.quantity
        lines = rows.select(unique_id=key, ds=ds, v=source.cast("float64"))
        agg = lines.group_by(["unique_id", "ds"]).aggregate(y=lines.v.fill_null(0.0).sum(), q=lines.v.count())
    sums = execute(agg)
    if sums.empty:
        return None, stamps, None, None
    no_quantity = measure == "units" and int(sums["q"].sum()) == 0
    sums = sums.drop(columns="q").assign(unique_id=lambda f: f["unique_id"].astype("string"),
                                         ds=lambda f: pd.to_datetime(f["ds"]).astype("datetime64[ns]"),
                                         y=lambda f: f["y"].astype("float64"))
    sums = sums.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    sums.attrs["no_quantity"] = no_quantity
    def names(ids: list[str]) -> pd.Series:
        usual = execute(most_frequent(rows.filter(rows.product_id.isin(ids)), "product_id", "product_name"))
        return usual.set_index("product_id")["product_name"]

    country = None
    if "country" in orders.columns:  # the country with the most lines (equal counts: the first name)
        top = execute(most_frequent(rows.mutate(_all=ibis.literal(1)), "_all", "country"))
        country = country_code(str(top["country"].iloc[0])) if not top.empty else None
    has_names = column == "product_id" and "product_name" in orders.columns
    return sums, stamps, names if has_names else None, country


def main_country(rows: pd.DataFrame) -> str | None:
    """The holiday calendar code of the country with the most order lines (None without a
    country column or a calendar for it)."""
    if "country" not in rows.columns or rows["country"].notna().sum() == 0:
        return None
    return country_code(str(rows["country"].value_counts().index[0]))


def infer_freq(ds: pd.Series) -> str:
    """D, W or M from the typical gap between the distinct dates of a table."""
    days = pd.Series(np.sort(ds.dropna().unique())).diff().dt.days.dropna()
    if days.empty:
        raise InputError("The sales table has a single date; a forecast needs a history of several periods.")
    gap = float(days.median())
    return "D" if gap < 4 else "W" if gap < 20 else "M"


#: how the two keys of a sales table's series are joined into one id ("1 · 3": store 1, department 3)
KEY_JOIN = " · "


def sales_series(table: pd.DataFrame, freq: str | None = None, top_n: int | None = None,
                 level: str = "series", key_names: list | tuple | None = None) -> SeriesSet:
    """Series from a cleaned pre-aggregated sales table (``series_id, subseries_id, timestamp, value, flag``).

    ``freq`` defaults to the table's own (from the gap between dates); a coarser one sums the
    values (a period is flagged when any of its rows is). A finer one is refused. Without a
    series id the table is one series called ``total``. ``top_n`` keeps the largest series (all when
    None). ``level="series"``: one series per key, or per pair of keys where the table has a second
    one (``subseries_id``: a store's departments), with the id ``"<series> · <subseries>"``;
    ``level="group"``: one per value of the first key (the pairs summed); ``level="total"``: every
    series summed into one called ``total`` (a period is flagged when any series is). ``key_names``
    (default ``table.attrs["series_keys"]``): the source columns of the two keys, which make the
    labels ("Store 1 · Dept 3").
    """
    if table is None or table.empty:
        raise InputError("The sales table has no rows with a readable date and value.")
    native = infer_freq(table["timestamp"])
    freq = check_freq(freq or native)
    if FREQS.index(freq) < FREQS.index(native):
        raise InputError("The sales table holds one value per {native}; it cannot be forecast per {freq}. Choose "
                         "{native} or coarser.", native=Note(FREQ_LABELS[native]), freq=Note(FREQ_LABELS[freq]))
    if level not in ("series", "group", "total"):
        raise InputError("A sales table is forecast per series or as its total, not by '{level}'.", level=level)
    names = list(key_names if key_names is not None else table.attrs.get("series_keys") or [None, None]) + [None, None]
    first = table["series_id"].astype("string") if "series_id" in table.columns else None
    second = table["subseries_id"].astype("string") if "subseries_id" in table.columns else None
    if second is not None and not second.notna().any():
        second = None
    labels: dict[str, str] = {}
    if level == "total" or (first is None and second is None):
        ids = pd.Series("total", index=table.index, dtype="string")
    elif level == "group" or second is None:
        ids = first.fillna("total") if first is not None else pd.Series("total", index=table.index, dtype="string")
        if names[0]:
            labels = {str(k): f"{names[0]} {k}" for k in ids.dropna().unique()}
    else:
        ids = second.fillna("") if first is None else first.fillna("") + KEY_JOIN + second.fillna("")
        if names[0] and names[1]:
            pairs = pd.DataFrame({"id": ids, "a": first if first is not None else "", "b": second}).drop_duplicates("id")
            labels = {str(r.id): f"{names[0]} {r.a}{KEY_JOIN}{names[1]} {r.b}" for r in pairs.itertuples()}
    frame = pd.DataFrame({"unique_id": ids, "ds": period_start(table["timestamp"], freq),
                          "y": table["value"].astype("float64").fillna(0.0)})
    has_flag = "flag" in table.columns and table["flag"].fillna(0).gt(0).any()
    if has_flag:
        frame["flag"] = table["flag"].fillna(0.0).gt(0).astype("float64")
    agg = frame.groupby(["unique_id", "ds"], sort=False).agg(
        {"y": "sum", **({"flag": "max"} if has_flag else {})}).reset_index()
    totals = agg.groupby("unique_id")["y"].sum().sort_values(ascending=False, kind="stable")
    found: list[Note] = []
    if top_n and len(totals) > top_n:
        found.append(notes.note(notes.LARGEST_SERIES, n=top_n, total=len(totals)))
        agg = agg[agg["unique_id"].isin(totals.index[:top_n])]
    order = {k: i for i, k in enumerate(totals.index)}
    agg = agg.sort_values(["unique_id", "ds"], key=lambda s: s.map(order) if s.name == "unique_id" else s)
    first, last = agg["ds"].min(), agg["ds"].max()
    if freq != native:  # an edge period holding fewer of the table's dates than usual is partial
        dates = pd.DataFrame({"ds": frame["ds"], "date": table["timestamp"].dt.normalize()}).drop_duplicates()
        per = dates.groupby("ds")["date"].size()
        typical = per.median()
        step = pd.tseries.frequencies.to_offset(OFFSETS[freq])
        for edge, name in ((first, "first"), (last, "last")):
            if len(per) > 2 and per.get(edge, 0) < typical:
                found.append(notes.note(notes.SPARSE_FIRST if name == "first" else notes.SPARSE_LAST,
                                        unit=notes.unit(freq), date=f"{edge:%Y-%m-%d}"))
                first, last = (first + step, last) if name == "first" else (first, last - step)
    out, filled = _fill(agg, freq, first, last, from_own_start=True)
    out, filled, cut = _cut_long_gaps(out, filled, freq, out.groupby("unique_id", sort=False).indices)
    found += cut
    out, filled, interpolated = _interpolate_gaps(out, filled, out.groupby("unique_id", sort=False).indices)
    kept = set(out["unique_id"].astype("string").unique())
    labels = {k: v for k, v in labels.items() if k in kept}
    return _finish(out, freq, "value", "series" if ids.nunique() > 1 else "total", filled, found, labels,
                   interpolated)


def same_period_last_season(history: pd.DataFrame, dates: pd.Series | pd.DatetimeIndex, freq: str) -> pd.DataFrame:
    """``ds`` (each of ``dates``) and ``y``: the history's value one season earlier (52 weeks, 12
    months, or 364 days for daily data so the weekday matches), NaN where the history does not
    reach back; for drawing last year's same weeks under a forecast."""
    dates = pd.DatetimeIndex(dates)
    back = {"D": pd.DateOffset(days=364), "W": pd.DateOffset(weeks=52), "M": pd.DateOffset(months=12)}[freq]
    values = history.set_index("ds")["y"]
    return pd.DataFrame({"ds": dates, "y": values.reindex(dates - back).to_numpy(dtype="float64")})


def default_horizon(n_periods: int, freq: str, windows: int = 3) -> int:
    """A horizon the history can backtest: the usual one (14 days, 8 weeks, 12 months) or the
    longest below it for which ``n_periods`` allow ``windows`` windows after the shortest
    training part (at least 1)."""
    h = {"D": 14, "W": 8, "M": 12}[freq]
    m = SEASON_LENGTH[freq]
    while h > 1 and (n_periods - max(3, min(h, 2 * m))) // h < max(1, windows):
        h -= 1
    return h
