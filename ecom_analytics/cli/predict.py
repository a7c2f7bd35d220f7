"""``predict``: train and evaluate the customer models for one task on an honest time split; without
``--task``, every task at once on the same split plus lifetime value (ecom_analytics.predict.all_tasks)."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.cli.arguments import read_command_inputs, write_csv, write_text
from ecom_analytics.errors import InputError


def cmd_predict(args: argparse.Namespace) -> int:
    from ecom_analytics.predict.modeling import dumps
    from ecom_analytics.predict.run import PredictSettings, run

    if args.task is None:
        return _predict_all(args)
    if args.months is not None or args.discount_rate is not None:
        raise InputError("--months and --discount-rate value the customers of a run of every task at once; leave "
                         "them out with --task.")
    inputs = read_command_inputs(args)
    settings = PredictSettings.make(args.task, args.horizon, seed=args.seed)
    result = run(None, inputs, settings, on_progress=lambda _share, step: print(f"- {step}", file=sys.stderr),
                 save=False)
    _print_task(result)
    summary = result.summary
    if args.json:
        write_text(dumps(summary), args.json)
    if args.predictions:
        # each customer's three largest reasons for the best model's score, in words
        write_csv(result.result.predictions.join(result.reasons()), args.predictions)
    return 0


def _print_task(result) -> None:
    """A task's leaderboard, best model and notes, as the single-task command prints them."""
    summary, task = result.summary, result.summary["task"]
    key = "mae" if task == "revenue" else "roc_auc"
    print(f"{task}, horizon {summary['horizon_days']} days, test cutoff {summary['cutoff']}, "
          f"{summary['customers_tested']:,} customers tested")
    for row in result.leaderboard.itertuples():
        print(f"  {row.label:<32} {key} {getattr(row, key):.4f}")
    print(f"best: {result.best_model}")
    for note in result.notes:
        print(f"note: {note.english()}")


def _predict_all(args: argparse.Namespace) -> int:
    """Purchase, churn and revenue on the same split plus lifetime value; ``--json`` writes
    ``{"tasks": {task: the single-task JSON}, "clv": the clv command's JSON}``, ``--predictions``
    the combined table (one row per customer)."""
    from ecom_analytics.predict.all_tasks import AllSettings, run_all
    from ecom_analytics.predict.modeling import dumps

    settings = AllSettings.make(args.horizon, seed=args.seed, months=12 if args.months is None else args.months,
                                discount_rate=0.01 if args.discount_rate is None else args.discount_rate)
    inputs = read_command_inputs(args)
    said: list[str] = []

    def say(_share: float, step) -> None:  # each step once (a network's epochs move the share, not the words)
        if not said or said[-1] != str(step):
            said.append(str(step))
            print(f"- {step}", file=sys.stderr)

    done = run_all(None, inputs, settings, on_progress=say, save=False)
    for task_run in done.runs.values():
        _print_task(task_run)
    if done.clv is not None:
        totals = done.clv.summary["totals"]
        print(f"lifetime value, next {settings.months} months at {settings.discount_rate:g} a month: "
              f"{done.clv.summary['customers']:,} customers, {totals['expected_purchases']:,.0f} purchases, "
              f"{totals['expected_spend']:,.2f} expected spend, CLV {totals['clv']:,.2f}")
        checked = done.summary["clv"].get("test_window")
        if checked is not None:
            print(f"  checked on the test window (fitted up to {checked['calibration_end']}): {checked['reading']}")
    for note in done.notes:
        print(f"note: {note.english()}")
    print(f"{len(done.result):,} customers in the combined table ({done.seconds:,.0f} s)")
    if args.json:
        write_text(dumps(done.summary), args.json)
    if args.predictions:
        write_csv(done.result, args.predictions)
    return 0
