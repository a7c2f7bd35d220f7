"""File reading for ``python -m ecom_analytics forecast`` (kept here so cli.py stays short)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ecom_analytics.cli.arguments import comma_list, workspace_salt, write_json
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.readers import read_file_bytes


def read_for_forecast(path, kind: str | None, *, salt: str = "") -> tuple[str, pd.DataFrame]:
    """Read, map and clean an orders export or a sales table; returns ``(kind, kept rows)``.

    Without ``kind`` the column mapper decides: a table with a date and a sales value and no
    customer, order or event column is a sales table; anything else is read as orders.
    """
    from ecom_analytics.ingest.pipeline import prepare, process


    path = Path(path)
    prepared = prepare(read_file_bytes(path), path.name, kind=kind)
    if kind is None and prepared.mapping.kind not in ("orders", "sales"):
        raise InputError(f"'{path.name}' looks like a behaviour-events log; forecasts need orders or a sales table "
                         "(use --kind to say which).")
    result = process(prepared, salt=salt)
    if result.cleaning.clean.empty:
        raise InputError(f"Every row of '{path.name}' was set aside by the cleaning rules; nothing to forecast.")
    return result.kind, result.cleaning.clean


def check_models(names: list[str]) -> None:
    """``--models`` of ``forecast``: at least one, all known (checked before any work)."""
    from ecom_analytics.forecasting.models import ALL_MODELS

    unknown = [m for m in names if m not in ALL_MODELS]
    if unknown or not names:
        raise InputError(f"Unknown model(s) {', '.join(unknown) or '(none chosen)'} in --models; choose from "
                         f"{', '.join(ALL_MODELS)}.")


def series_count(text: str) -> int | None:
    """``--series`` of ``forecast``: a positive number of series, or ``all`` (None)."""
    if str(text).strip().lower() == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"--series takes a number of series (1 or more) or all, not '{text}'.")
    return value


def series_for_forecast(kind: str, table: pd.DataFrame, by: str | None, freq: str | None, measure: str,
                        count: int | None):
    """The series the ``forecast`` command backtests: a sales table per series (``--by series``, the
    default) or as its total (``--by total``); orders by ``--by`` (total by default)."""
    from ecom_analytics.forecasting import build_series, sales_series

    if kind == "sales":
        if by not in (None, "series", "total"):
            raise InputError(f"A sales table is forecast per series (--by series) or as its total (--by total), "
                             f"not by '{by}'.")
        return sales_series(table, freq, top_n=count, level="total" if by == "total" else "series")
    return build_series(table, measure, by or "total", freq or "W", top_n=count)


def reconciled_series(kind: str, table: pd.DataFrame, by: str | None, freq: str | None, measure: str,
                      count: int | None):
    """``forecast --reconcile``: the total and the ``count`` largest series of ``--by`` plus ``other``."""
    from ecom_analytics.forecasting.reconcile import coherent_series

    if kind != "orders" or by in (None, "total", "series"):
        raise InputError("--reconcile needs orders forecast by product, category, country or a column (--by).")
    return coherent_series(table, measure, by, freq or "W", top_n=count or 10)


def print_reconciliation(result) -> None:
    """The accuracy per level of auto (or the first model) as it is, bottom-up and with MinT."""
    from ecom_analytics.forecasting.reconcile import reconciled_accuracy

    model = "auto" if "auto" in result.models else result.models[0]
    acc = reconciled_accuracy(result, model)
    print(f"reconciliation of {model} (total and {len(result.series.ids) - 1} series below it), backtest windows:")
    for row in acc.itertuples():
        print(f"  {row.level:<7} {row.method:<10} MAE {row.mae:14,.2f}  sMAPE {row.smape:6.2f} %")


def cmd_forecast(args: argparse.Namespace) -> int:
    from ecom_analytics.cli.forecast import read_for_forecast, series_count, series_for_forecast
    from ecom_analytics.forecasting import run_forecast
    from ecom_analytics.forecasting.calendar import check_country

    count = series_count(args.series if args.series is not None else str(args.top))
    country = check_country(args.holidays) if args.holidays not in (None, "auto") else None
    kind, table = read_for_forecast(args.file, args.kind, salt=workspace_salt())
    if args.reconcile:
        from ecom_analytics.cli.forecast import reconciled_series

        series = reconciled_series(kind, table, args.by, args.freq, args.measure, count)
    else:
        series = series_for_forecast(kind, table, args.by, args.freq, args.measure, count)
    if args.holidays not in (None, "auto"):
        series.country = country
    models = comma_list(args.models)
    result = run_forecast(series, models, args.horizon, args.windows,
                          on_progress=lambda share, msg: print(f"- {msg}", file=sys.stderr) if share >= 1 or len(
                              series.ids) == 1 else None)
    summary = result.summary()
    print(f"{kind}: {summary['n_series']} series of {series.measure} per {series.freq}, horizon {args.horizon}, "
          f"{args.windows} backtest windows")
    for row in result.leaderboard.itertuples():
        print(f"  {row.model:<15} MAE {row.mae:14,.2f}  RMSE {row.rmse:14,.2f}  MASE {row.mase:7.3f}  "
              f"sMAPE {row.smape:6.2f} %")
    print(f"best: {summary['best_model']}")
    if args.reconcile:
        from ecom_analytics.cli.forecast import print_reconciliation

        print_reconciliation(result)
    for note in result.notes[:10]:
        print(f"note: {note}")
    if args.json:
        write_json(summary, args.json)
    return 0
