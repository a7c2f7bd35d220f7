"""File reading for ``python -m ecom_analytics forecast`` (kept here so cli.py stays short)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ecom_analytics.errors import InputError


def read_for_forecast(path, kind: str | None, *, salt: str = "") -> tuple[str, pd.DataFrame]:
    """Read, map and clean an orders export or a sales table; returns ``(kind, kept rows)``.

    Without ``kind`` the column mapper decides: a table with a date and a sales value and no
    customer, order or event column is a sales table; anything else is read as orders.
    """
    from ecom_analytics.ingest.pipeline import prepare, process

    from ecom_analytics.ingest.readers import read_file_bytes

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
