"""``recommend``: rank the recommenders offline and write each customer's top K, through the
recommendation run (:mod:`ecom_analytics.recommend.run`); ``--orders``/``--events`` are files or
stored datasets' ids."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.cli.arguments import comma_list, read_command_inputs, write_csv, write_json


def cmd_recommend(args: argparse.Namespace) -> int:
    from ecom_analytics.recommend.run import RecommendSettings, interactions_of, recommend

    inputs = read_command_inputs(args, ("orders", "events"))
    settings = RecommendSettings(horizon=args.horizon, k=args.k, models=tuple(comma_list(args.models)),
                                 seed=args.seed, final=bool(args.out))
    interactions, catalogue = interactions_of(inputs.orders, inputs.events)
    run = recommend(interactions, catalogue, settings, lambda share, msg: print(f"- {msg}", file=sys.stderr),
                    inputs.datasets)
    result, summary = run.result, run.summary
    print(f"horizon {args.horizon} days, cutoff {summary['cutoff']}, {summary['users_evaluated']:,} customers "
          f"evaluated, K = {args.k}")
    for row in run.leaderboard.itertuples():
        print(f"  {row.label:<28} NDCG {row.ndcg:.4f}  hit rate {row.hit_rate:.3f}  precision {row.precision:.4f}  "
              f"recall {row.recall:.4f}  MAP {row.map:.4f}  coverage {row.coverage:.3f}  fit {row.fit_seconds:.1f} s")
    print(f"best: {run.best_model}")
    for note in run.notes:
        print(f"note: {note.english()}")
    if args.json:
        write_json(summary, args.json)
    if args.out:
        write_csv(result.recommendations, args.out, index=False)
        print(f"{result.recommendations['customer_id'].nunique():,} customers x top {args.k} by {run.best_model} "
              f"-> {args.out}")
    return 0
