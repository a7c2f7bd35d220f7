"""``segments``: RFM scores and named segments per customer."""

from __future__ import annotations

import argparse

from ecom_analytics.cli.arguments import read_command_inputs, write_csv


def cmd_segments(args: argparse.Namespace) -> int:
    from ecom_analytics.insights.features import order_features
    from ecom_analytics.insights.segments import rfm_scores, segment_summary

    inputs = read_command_inputs(args, ("orders",))
    cutoff = args.cutoff if args.cutoff is not None else inputs.end_of_data
    scores = rfm_scores(order_features(inputs.orders, cutoff))
    write_csv(scores, args.out)
    summary = segment_summary(scores)
    print(f"{len(scores):,} customers scored as of {cutoff:%Y-%m-%d} -> {args.out}")
    for row in summary.itertuples():
        print(f"  {row.segment:<20} {row.customers:>7,} customers  {row.revenue_share:6.1%} of revenue")
    return 0
