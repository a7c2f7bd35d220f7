"""``segments``: RFM scores and named segments per customer."""

from __future__ import annotations

import argparse

import pandas as pd

from ecom_analytics.cli.arguments import workspace_salt, write_csv


def cmd_segments(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.insights.features import order_features
    from ecom_analytics.insights.segments import rfm_scores, segment_summary

    orders, _ = clean_file(args.orders, kind="orders", salt=workspace_salt())
    as_of = args.as_of if args.as_of is not None else orders["timestamp"].max().normalize() + pd.Timedelta(days=1)
    scores = rfm_scores(order_features(orders, as_of))
    write_csv(scores, args.out)
    summary = segment_summary(scores)
    print(f"{len(scores):,} customers scored as of {as_of:%Y-%m-%d} -> {args.out}")
    for row in summary.itertuples():
        print(f"  {row.segment:<20} {row.customers:>7,} customers  {row.revenue_share:6.1%} of revenue")
    return 0
