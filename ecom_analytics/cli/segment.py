"""``segment``: the customers a segment rule selects (the Segment builder's rules, for a cron job)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ecom_analytics.cli.arguments import comma_list, write_csv, write_text
from ecom_analytics.errors import InputError, Note
from ecom_analytics.ingest.inputs import returns_of
from ecom_analytics.ingest.readers import read_file_bytes


def cmd_segment(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.insights import segment_builder
    from ecom_analytics.store import Workspace

    workspace = Workspace(args.home) if args.home else Workspace()
    rule = args.rule
    if args.saved:
        found = {s.name: s for s in segment_builder.saved_segments(workspace.home)}
        if args.saved not in found:
            raise InputError("No segment named '{name}' is saved in {home}. Saved: {saved}.", name=args.saved,
                             home=workspace.home, saved=', '.join(sorted(found)) or Note('none'))
        rule = found[args.saved].rule
    path = Path(args.orders)
    prepared = pipeline.prepare(read_file_bytes(path), path.name, kind="orders")
    result = pipeline.process(prepared, salt=workspace.salt(), ad_platform_hashes=bool(args.platform))
    orders, quarantine = result.cleaning.clean, result.cleaning.quarantine
    returns = returns_of(quarantine)
    events = pipeline.clean_file(args.events, kind="events", salt=workspace.salt())[0] if args.events else None
    predictions = {}
    for task in comma_list(args.predict) if args.predict else []:
        from ecom_analytics.predict.training import train_and_evaluate

        try:
            run = train_and_evaluate(orders, task, args.horizon, events=events, returns=returns,
                                     on_stage=lambda msg: print(f"- {msg}", file=sys.stderr))
        except InputError:
            raise
        except ValueError as exc:  # a check deeper in the library: said as such, not as a traceback
            raise InputError("The models could not be trained on these data: {reason}", reason=str(exc)) from exc
        column = {"purchase": "p_purchase", "churn": "p_churn", "revenue": "predicted_revenue"}[task]
        predictions[column] = run.predictions[run.best_model]
        print(f"{column}: {task} in {args.horizon} days, best model {run.best_model}")
    table, mask, size = segment_builder.segment_from_orders(orders, rule or "", events=events, returns=returns,
                                                            predictions=predictions)
    print(f"segment as of {size['as_of']}: {size['rule'] or '(every customer)'}")
    print(f"  {size['customers']:,} customers ({size['share']:.1%}), revenue so far {size['revenue']:,.2f} "
          f"({size['revenue_share']:.1%})")
    if args.out:
        write_csv(table[mask], args.out)
    if args.platform:
        digests = segment_builder.email_digests(orders)
        if digests is None:
            raise InputError("The orders have no e-mail column, so there is no list for ad platforms. Export the "
                             "orders with the customers' e-mails, or leave out --platform.")
        listed = segment_builder.ad_platform_list(digests, table.index[mask], args.platform)
        write_csv(listed, args.platform_out, index=False)
        print(f"  {len(listed):,} e-mail digests for {args.platform} in {args.platform_out}")
    if args.json:
        write_text(json.dumps(size, indent=2), args.json)
    return 0
