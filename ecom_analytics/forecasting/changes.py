"""What changed: the last complete period of a KPI against its backtested forecast interval, and
who drove the change.

The expected value is the forecasting package's ``auto`` forecast for the last complete week,
month or day, fitted on the periods before it, with its 95 % conformal interval from a
rolling-origin backtest on those earlier periods only (:func:`ecom_analytics.forecasting.run_forecast`).
A value outside the interval is flagged. The drivers are the countries and products whose value
in that period moved most from their own mean over the :data:`BASELINE` periods before it, in the
direction of the change; each gets its share of the whole KPI's move over the same baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting.notes import NoteError
from ecom_analytics.runs import Note

FREQ_CODES = {"day": "D", "week": "W", "month": "M"}
BASELINE = 4  # periods before the last one that a driver is compared with
WINDOWS = 6  # backtest windows of one period for the interval
#: the note of a history too short to judge its last period (a :class:`~ecom_analytics.runs.Note` code)
TOO_SHORT = ("What changed needs at least {MIN_PERIODS} complete periods to judge the last one; these orders have "
             "{n}. Choose a shorter period.")
MIN_PERIODS = WINDOWS + 6  # shorter histories get no verdict


@dataclass
class Driver:
    """One group's move: ``dimension`` ("country" or "product"), ``name``, ``value`` in the period,
    ``baseline`` (its mean over the periods before), ``change`` (value - baseline) and ``share``
    of the whole KPI's move over the same baseline (None when that move is zero)."""

    dimension: str
    name: str
    value: float
    baseline: float
    change: float
    share: float | None


@dataclass
class Change:
    """The verdict on the last complete period of ``measure``: ``status`` is "above", "below" or
    "within" the 95 % interval [``low``, ``high``] around ``expected``; ``drivers`` the groups that
    moved most in the direction of the change."""

    measure: str
    freq: str
    period: pd.Timestamp
    actual: float
    expected: float
    low: float
    high: float
    status: str
    model: str
    windows: int
    drivers: list[Driver] = field(default_factory=list)


def _period_values(orders: pd.DataFrame, measure: str, freq: str, column: str | None) -> pd.DataFrame:
    """``measure`` per period start (and per ``column`` value), from cleaned order lines."""
    from ecom_analytics.forecasting.series import period_start

    frame = orders.assign(_period=period_start(orders["timestamp"], FREQ_CODES[freq]))
    keys = ["_period"] + ([column] if column else [])
    grouped = frame.groupby(keys, observed=True, dropna=True)
    if measure == "revenue":
        values = grouped["amount"].sum()
    elif measure == "orders":
        values = grouped["order_id"].nunique()
    else:
        values = grouped["customer_id"].nunique()
    return values.rename("value").reset_index()


def _drivers(orders: pd.DataFrame, measure: str, freq: str, period: pd.Timestamp, before: list[pd.Timestamp],
             direction: float, total_move: float, n: int = 3) -> list[Driver]:
    out: list[Driver] = []
    for dimension, column in (("country", "country"), ("product", "product_name")):
        if column not in orders.columns or orders[column].notna().sum() == 0:
            continue
        values = _period_values(orders, measure, freq, column)
        table = values.pivot(index=column, columns="_period", values="value").fillna(0.0)
        if period not in table.columns:
            continue
        baseline = table.reindex(columns=before, fill_value=0.0).mean(axis=1)
        change = table[period] - baseline
        moved = change[change * direction > 0].sort_values(ascending=direction < 0).head(n)
        for name, delta in moved.items():
            out.append(Driver(dimension, str(name), float(table.loc[name, period]), float(baseline[name]),
                              float(delta), float(delta / total_move) if total_move else None))
    return out


def what_changed(orders: pd.DataFrame, measure: str = "revenue", freq: str = "week") -> Change:
    """The last complete ``freq`` period of ``measure`` (revenue, orders or customers) against its
    backtested forecast interval, with its drivers. Raises InputError (one sentence) when the
    history is too short for a backtest."""
    from ecom_analytics.forecasting import DEFAULT_MODELS, build_series, run_forecast

    if freq not in FREQ_CODES:
        raise InputError(f"The period must be one of {', '.join(FREQ_CODES)}.")
    series_measure = {"revenue": "revenue", "orders": "orders"}.get(measure)
    if series_measure is None:
        raise InputError("What changed is computed for revenue and orders.")
    series = build_series(orders, series_measure, "total", FREQ_CODES[freq], top_n=None)
    frame = series.one(series.ids[0])
    if len(frame) < MIN_PERIODS:
        raise NoteError(Note(TOO_SHORT, {"MIN_PERIODS": MIN_PERIODS, "n": len(frame)}, "info"))
    history = series.subset(series.ids)
    history.frame = history.frame.iloc[:-1].reset_index(drop=True)
    result = run_forecast(history, list(DEFAULT_MODELS), 1, WINDOWS)
    row = result.forecast[result.forecast["model"] == "auto"].iloc[0]
    last = frame.iloc[-1]
    actual, expected = float(last["y"]), float(row["yhat"])
    low, high = float(row["lo95"]), float(row["hi95"])
    status = "above" if actual > high else "below" if actual < low else "within"
    period = pd.Timestamp(last["ds"])
    before = list(pd.to_datetime(frame["ds"].iloc[-1 - BASELINE:-1]))
    total_move = actual - float(frame["y"].iloc[-1 - BASELINE:-1].mean())
    direction = 1.0 if actual >= expected else -1.0
    drivers = _drivers(orders, measure, freq, period, before, direction, total_move) if status != "within" else []
    return Change(measure, freq, period, actual, expected, low, high, status, result.chosen.get(series.ids[0], "auto"),
                  WINDOWS, drivers)
