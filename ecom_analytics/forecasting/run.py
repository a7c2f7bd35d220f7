"""The forecast run: one call from a stored dataset (or a table) and settings to a :class:`runs.Run`.

``run(workspace, {"orders": id} or {"sales": id}, ForecastSettings(...), on_progress)`` builds the
series (an orders dataset by total, product, category, country or a column; a sales table per series
or as its total), backtests the models on rolling windows, forecasts the horizon ahead and returns a
:class:`~ecom_analytics.runs.Run`: ``leaderboard`` (one row per model, best first), ``best_model``,
``notes`` (coded, see :mod:`ecom_analytics.forecasting.notes`), ``summary`` (the figures of
``forecast --json``) and ``result`` (the :class:`~ecom_analytics.forecasting.backtest.ForecastResult`).
The Forecast page and the ``forecast`` command both call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.forecasting.series import SeriesSet
from ecom_analytics.runs import Progress, Run, no_progress
from ecom_analytics.store import Workspace

#: the input roles a forecast reads: an orders dataset or a sales table
ROLES = ("orders", "sales")


@dataclass(frozen=True)
class ForecastSettings:
    """What to forecast and how.

    ``kind``: "orders" or "sales" (the table's; None = the dataset's own kind). ``measure``: revenue,
    units or orders (orders only). ``by``: orders by total (None), product, category, country or a
    column; a sales table per "series" (None), per "group" (its first key, when it has two) or as its "total". ``freq``: D, W or M (None: W for orders,
    the table's own for a sales table). ``horizon``: periods ahead. ``windows``: backtest windows of
    ``horizon`` periods. ``models``: model codes (:data:`ecom_analytics.names.FORECAST_MODELS`).
    ``series``: the N largest series (None = all). ``holidays``: "auto" (the data's main country),
    "none" or a country code. ``reconcile``: the total, the ``series`` largest below it and "other",
    so the levels can be made coherent (orders by a column only). ``neural_epochs``: training epochs of
    the neural model (None: its default)."""

    horizon: int
    kind: str | None = None
    measure: str = "revenue"
    by: str | None = None
    freq: str | None = None
    windows: int = 4
    models: tuple[str, ...] = ("naive", "seasonal_naive", "snaive_level", "ets", "theta", "ets_theta", "fourier",
                               "gbm", "auto")
    series: int | None = 10
    holidays: str = "auto"
    reconcile: bool = False
    neural_epochs: int | None = None


def dataset_kind(workspace: Workspace, dataset_id: str) -> str:
    """The forecast role of a stored dataset: "orders" or "sales" (an events log cannot be forecast)."""
    kind = workspace.dataset(dataset_id).get("kind")
    if kind not in ROLES:
        raise InputError("Dataset {id} is a behaviour-events log; forecasts need orders or a sales table.",
                         id=dataset_id)
    return kind


def load_table(workspace: Workspace, datasets: dict[str, str | None]) -> tuple[str, pd.DataFrame]:
    """``(kind, clean rows)`` of the one dataset named in ``datasets`` (``{"orders": id}`` through
    :func:`ecom_analytics.ingest.inputs.load_inputs`, or ``{"sales": id}``)."""
    from ecom_analytics.ingest.inputs import load_inputs

    named = {role: i for role, i in datasets.items() if i}
    if len(named) != 1 or set(named) - set(ROLES):
        raise InputError("A forecast reads one dataset: orders or a sales table.")
    (role, dataset_id), = named.items()
    table = load_inputs(workspace, {"orders": dataset_id}).orders if role == "orders" else workspace.load_clean(dataset_id)
    if table is None or table.empty:
        raise InputError("Every row of the dataset was set aside by the cleaning rules; nothing to forecast.")
    if role == "sales":
        with_keys(table, workspace.dataset(dataset_id).get("mapping") or {})
    return role, table


def with_keys(table: pd.DataFrame, mapping: dict) -> pd.DataFrame:
    """``table`` (a sales table) with the source columns of its series keys in ``attrs["series_keys"]``
    (from its mapping: canonical -> source), which name its series ("Store 1 · Dept 3") and its levels."""
    table.attrs["series_keys"] = [mapping.get("series_id"), mapping.get("subseries_id")]
    return table


def sales_level(by: str | None, table: pd.DataFrame) -> str:
    """The level of a sales table that ``by`` names: "series" (the default: every key, or pair of keys),
    "total", or "group" (the first key's own series; named by its code or by its source column, e.g.
    ``--by Store``, when the table has a second key)."""
    keys = table.attrs.get("series_keys") or [None, None]
    paired = "subseries_id" in table.columns and table["subseries_id"].notna().any()
    if by in (None, "series", "total"):
        return by or "series"
    if paired and (by == "group" or (keys[0] and by.casefold() == str(keys[0]).casefold())):
        return "group"
    if paired and keys[0]:
        raise InputError("A sales table is forecast per series (--by series), per {column} (--by {column}) or as "
                         "its total (--by total), not by '{level}'.", column=str(keys[0]), level=by)
    raise InputError("A sales table is forecast per series (--by series) or as its total (--by total), not "
                     "by '{level}'.", level=by)


def series_of(table: pd.DataFrame, kind: str, settings: ForecastSettings) -> SeriesSet:
    """The series a run backtests: a sales table per series (``by`` "series", the default) or as its
    total; orders by ``by`` (total by default); with ``reconcile``, the total, the largest series of
    ``by`` and "other"."""
    from ecom_analytics.forecasting import build_series, sales_series

    by, count = settings.by, settings.series
    if settings.reconcile:
        from ecom_analytics.forecasting.reconcile import coherent_series

        if kind != "orders" or by in (None, "total", "series"):
            raise InputError("--reconcile needs orders forecast by product, category, country or a column (--by).")
        return coherent_series(table, settings.measure, by, settings.freq or "W", top_n=count or 10)
    if kind == "sales":
        return sales_series(table, settings.freq, top_n=count, level=sales_level(by, table))
    return build_series(table, settings.measure, by or "total", settings.freq or "W", top_n=count)


def country_of(holidays: str | None) -> str | None:
    """The calendar ``run_forecast`` takes: None for "auto" (the series' main country), "" for none."""
    from ecom_analytics.forecasting.calendar import check_country

    if holidays in (None, "auto"):
        return None
    return check_country(holidays) or ""


def forecast_series(series: SeriesSet, settings: ForecastSettings, on_progress: Progress = no_progress,
                    datasets: dict[str, str | None] | None = None) -> Run:
    """The run on series already built (see :func:`series_of`)."""
    from ecom_analytics.forecasting import run_forecast

    neural = {"epochs": settings.neural_epochs} if settings.neural_epochs else None
    result = run_forecast(series, list(settings.models), settings.horizon, settings.windows, neural_params=neural,
                          country=country_of(settings.holidays), on_progress=on_progress)
    return Run("forecast", dict(datasets or {}), settings, result.leaderboard, result.best_model, list(result.notes),
               result.summary(), result)


def forecast_table(table: pd.DataFrame, kind: str, settings: ForecastSettings, on_progress: Progress = no_progress,
                   datasets: dict[str, str | None] | None = None) -> Run:
    """The run on a cleaned table of ``kind`` ("orders" or "sales")."""
    return forecast_series(series_of(table, kind, settings), settings, on_progress, datasets)


def run(workspace: Workspace, datasets: dict[str, str | None], settings: ForecastSettings,
        on_progress: Progress = no_progress) -> Run:
    """Backtest and forecast the dataset named in ``datasets`` (``{"orders": id}`` or ``{"sales": id}``)."""
    kind, table = load_table(workspace, datasets)
    if settings.kind is not None and settings.kind != kind:
        raise InputError("The dataset is a {kind}, not {wanted}.",
                         kind=Note('sales table' if kind == 'sales' else 'set of orders'),
                         wanted=Note('orders' if settings.kind == 'orders' else 'a sales table'))
    return forecast_table(table, kind, settings, on_progress, {kind: datasets[kind]})
