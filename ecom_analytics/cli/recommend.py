"""``recommend``: rank the recommenders offline and write each customer's top K."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.cli.arguments import comma_list, workspace_salt, write_csv, write_json


def cmd_recommend(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.recommend import build_interactions, product_catalogue, run_recommend

    orders, _ = clean_file(args.orders, kind="orders", salt=workspace_salt())
    events = clean_file(args.events, kind="events", salt=workspace_salt())[0] if args.events else None
    if events is not None:  # purchases come from the orders; events add views, carts and wishlists
        events = events[events["event_type"] != "purchase"]
    models = comma_list(args.models)
    run = run_recommend(build_interactions(orders, events), args.horizon, args.k, models,
                        catalogue=product_catalogue(orders, events), seed=args.seed, final=bool(args.out),
                        on_progress=lambda share, msg: print(f"- {msg}", file=sys.stderr))
    summary = run.summary()
    print(f"horizon {args.horizon} days, cutoff {summary['cutoff']}, {summary['users_evaluated']:,} customers "
          f"evaluated, K = {args.k}")
    for row in run.leaderboard.itertuples():
        print(f"  {row.label:<28} NDCG {row.ndcg:.4f}  hit rate {row.hit_rate:.3f}  precision {row.precision:.4f}  "
              f"recall {row.recall:.4f}  MAP {row.map:.4f}  coverage {row.coverage:.3f}  fit {row.fit_seconds:.1f} s")
    print(f"best: {run.best_model}")
    for note in run.notes:
        print(f"note: {note}")
    if args.json:
        write_json(summary, args.json)
    if args.out:
        write_csv(run.recommendations, args.out, index=False)
        print(f"{run.recommendations['customer_id'].nunique():,} customers x top {args.k} by {run.best_model} "
              f"-> {args.out}")
    return 0
