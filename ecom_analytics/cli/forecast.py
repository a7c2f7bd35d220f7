"""``forecast``: a file or a stored dataset (orders or a sales table) through the forecast run
(:mod:`ecom_analytics.forecasting.run`); prints the leaderboard and notes, writes the summary as JSON."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import pandas as pd

from ecom_analytics.cli.arguments import comma_list, workspace_salt, write_json
from ecom_analytics.errors import InputError, Note
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
        raise InputError("'{name}' looks like a behaviour-events log; forecasts need orders or a sales table (use "
                         "--kind to say which).", name=path.name)
    without = without_customers(prepared, path.name)
    result = process(prepared, without, salt=salt) if without is not None else process(prepared, salt=salt)
    for text in result.report.get("notes") or []:  # how the file was read (a wide table made long, dates, ...)
        print("note: " + str(text), file=sys.stderr)
    if without is not None:
        print("note: " + Note(NO_CUSTOMERS_NEEDED, {"name": path.name}).english(), file=sys.stderr)
    if result.cleaning.clean.empty:
        raise InputError("Every row of '{name}' was set aside by the cleaning rules; nothing to forecast.",
                         name=path.name)
    if result.kind == "sales":
        from ecom_analytics.forecasting.run import with_keys

        with_keys(result.cleaning.clean, prepared.mapping.as_dict())
    return result.kind, result.cleaning.clean


NO_CUSTOMERS_NEEDED = ("'{name}' has no customer column; a forecast of revenue, units or orders needs none, so the "
                       "orders were read without customers")
#: the column that stands for the customer of an orders file without one (forecasts never use customers)
NO_CUSTOMER_COLUMN = "(no customer)"


def without_customers(prepared, name: str):
    """The mapping of an orders file that lacks only a customer column, read for a forecast (revenue, units and
    orders need no customer): every line gets one placeholder customer. None when the file has a customer or
    lacks more than one (the usual refusal then says what)."""
    from ecom_analytics.ingest.mapping import ColumnChoice

    mapping = prepared.mapping
    if mapping.kind != "orders" or mapping.missing_required() != ["customer_id"] or not prepared.raw.has_header:
        return None
    frame = prepared.raw.frame
    if NO_CUSTOMER_COLUMN not in frame.columns:
        frame[NO_CUSTOMER_COLUMN] = pd.Series("all", index=frame.index, dtype="string")
    choices = dict(mapping.choices)
    choices["customer_id"] = ColumnChoice("customer_id", NO_CUSTOMER_COLUMN, 1.0, Note(NO_CUSTOMERS_NEEDED,
                                                                                        {"name": name}))
    return dataclasses.replace(mapping, choices=choices)


def check_models(names: list[str]) -> None:
    """``--models`` of ``forecast``: at least one, all known (checked before any work)."""
    from ecom_analytics.forecasting.models import ALL_MODELS

    unknown = [m for m in names if m not in ALL_MODELS]
    if unknown or not names:
        raise InputError("Unknown model(s) {value} in --models; choose from {all_models}.",
                         value=', '.join(unknown) or Note('(none chosen)'), all_models=', '.join(ALL_MODELS))


def series_count(text: str) -> int | None:
    """``--series`` of ``forecast``: a positive number of series, or ``all`` (None)."""
    if str(text).strip().lower() == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError("--series takes a number of series (1 or more) or all, not '{text}'.", text=text)
    return value


def print_reconciliation(result) -> None:
    """The accuracy per level of auto (or the first model) as it is, bottom-up and with MinT."""
    from ecom_analytics.forecasting.reconcile import reconciled_accuracy

    model = "auto" if "auto" in result.models else result.models[0]
    acc = reconciled_accuracy(result, model)
    print(f"reconciliation of {model} (total and {len(result.series.ids) - 1} series below it), backtest windows:")
    for row in acc.itertuples():
        print(f"  {row.level:<7} {row.method:<10} MAE {row.mae:14,.2f}  sMAPE {row.smape:6.2f} %")


def forecast_input(source: str, kind: str | None, home: str | None = None) -> tuple[str, pd.DataFrame, dict]:
    """``(kind, kept rows, datasets)`` of ``forecast FILE``: a file read and cleaned as the app does, or
    the id of a dataset stored in the workspace (``--home``), read through the run's own loader."""
    from ecom_analytics.cli.arguments import _check_input
    from ecom_analytics.forecasting.run import dataset_kind, load_table
    from ecom_analytics.store import Workspace, is_valid_id

    if not Path(source).exists() and is_valid_id(source):
        workspace = Workspace(home) if home else Workspace()
        if not workspace.has_dataset(source):
            raise InputError("'{source}' is neither a file nor a dataset of the workspace; give a file, or an id "
                             "from the Workspace page.", source=source)
        role = dataset_kind(workspace, source)
        if kind is not None and kind != role:
            raise InputError("Dataset {source} is {value}, not --kind {kind}.", source=source,
                             value=Note('a sales table' if role == 'sales' else 'orders'), kind=kind)
        found, table = load_table(workspace, {role: source})
        return found, table, {role: source}
    _check_input(source, "FILE")
    found, table = read_for_forecast(source, kind, salt=workspace_salt())
    return found, table, {}


def cmd_forecast(args: argparse.Namespace) -> int:
    from ecom_analytics.cli.arguments import _same_file
    from ecom_analytics.forecasting.notes import english
    from ecom_analytics.forecasting.run import ForecastSettings, country_of, forecast_series, series_of

    if args.json and _same_file(args.source, args.json):
        raise InputError("--json {json} is the input file given as FILE; choose another name so the input is not "
                         "overwritten.", json=args.json)
    count = series_count(args.series if args.series is not None else str(args.top))
    settings = ForecastSettings(horizon=args.horizon, kind=args.kind, measure=args.measure, by=args.by,
                                freq=args.freq, windows=args.windows, models=tuple(comma_list(args.models)),
                                series=count, holidays=args.holidays or "auto", reconcile=args.reconcile)
    country_of(settings.holidays)  # an unknown calendar is refused before the file is read
    kind, table, datasets = forecast_input(args.source, args.kind, getattr(args, "home", None))
    series = series_of(table, kind, settings)
    single = len(series.ids) == 1  # one series: every step; several: the last only

    def progress(share: float, msg: str) -> None:
        if share >= 1 or single:
            print(f"- {msg}", file=sys.stderr)

    run = forecast_series(series, settings, progress, datasets)
    result, summary = run.result, run.summary
    print(f"{kind}: {summary['n_series']} series of {series.measure} per {series.freq}, horizon {args.horizon}, "
          f"{args.windows} backtest windows")
    for row in run.leaderboard.itertuples():
        print(f"  {row.model:<15} MAE {row.mae:14,.2f}  RMSE {row.rmse:14,.2f}  MASE {row.mase:7.3f}  "
              f"sMAPE {row.smape:6.2f} %")
    print(f"best: {run.best_model}")
    if result.chosen:  # why auto chose what it did, for the first series (the page says it for each)
        from ecom_analytics.forecasting.readings import auto_reading

        first = next(iter(result.chosen))
        why = auto_reading(result, first)
        if why is not None:
            print(f"auto, {series.labels.get(first, first)}: {english(why).replace('**', '')}")
    if args.reconcile:
        print_reconciliation(result)
    for note in run.notes[:10]:
        print(f"note: {english(note)}")
    if args.json:
        write_json(summary, args.json)
    return 0
