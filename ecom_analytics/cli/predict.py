"""``predict``: train and evaluate the customer models for one task on an honest time split."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.cli.arguments import read_command_inputs, write_csv, write_text


def cmd_predict(args: argparse.Namespace) -> int:
    from ecom_analytics.predict.modeling import dumps
    from ecom_analytics.predict.run import PredictSettings, run

    inputs = read_command_inputs(args)
    settings = PredictSettings.make(args.task, args.horizon, seed=args.seed)
    result = run(None, inputs, settings, on_progress=lambda _share, step: print(f"- {step}", file=sys.stderr),
                 save=False)
    summary = result.summary
    key = "mae" if args.task == "revenue" else "roc_auc"
    print(f"{args.task}, horizon {args.horizon} days, test cutoff {summary['cutoff']}, "
          f"{summary['customers_tested']:,} customers tested")
    for row in result.leaderboard.itertuples():
        print(f"  {row.label:<32} {key} {getattr(row, key):.4f}")
    print(f"best: {result.best_model}")
    for note in result.notes:
        print(f"note: {note.english()}")
    if args.json:
        write_text(dumps(summary), args.json)
    if args.predictions:
        # each customer's three largest reasons for the best model's score, in words
        write_csv(result.result.predictions.join(result.reasons()), args.predictions)
    return 0
