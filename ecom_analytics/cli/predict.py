"""``predict``: train and evaluate the customer models for one task on an honest time split."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.cli.arguments import workspace_salt, write_csv, write_text
from ecom_analytics.errors import InputError


def cmd_predict(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.predict.modeling import dumps
    from ecom_analytics.predict.training import train_and_evaluate

    orders, quarantine = clean_file(args.orders, kind="orders", salt=workspace_salt())
    returns = quarantine[quarantine["reasons"].str.contains("cancellation", regex=False).fillna(False)]
    events = clean_file(args.events, kind="events", salt=workspace_salt())[0] if args.events else None
    try:
        run = train_and_evaluate(orders, args.task, args.horizon, events=events, returns=returns,
                                 neural_params={"seed": args.seed},
                                 on_stage=lambda msg: print(f"- {msg}", file=sys.stderr))
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    summary = run.summary()
    key = "mae" if args.task == "revenue" else "roc_auc"
    print(f"{args.task}, horizon {args.horizon} days, test cutoff {summary['cutoff']}, "
          f"{summary['customers_tested']:,} customers tested")
    for row in run.leaderboard.itertuples():
        print(f"  {row.label:<32} {key} {getattr(row, key):.4f}")
    print(f"best: {run.best_model}")
    for warning in run.warnings:
        print(f"note: {warning}")
    if args.json:
        write_text(dumps(summary), args.json)
    if args.predictions:
        write_csv(run.predictions, args.predictions)
    return 0
