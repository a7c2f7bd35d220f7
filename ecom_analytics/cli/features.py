"""``features``: customer features as of a cutoff."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecom_analytics.cli.arguments import workspace_salt, write_csv
from ecom_analytics.ingest.readers import read_file_bytes


def cmd_features(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest.pipeline import clean_file, read_customers
    from ecom_analytics.insights.features import build_customer_features

    orders, quarantine = clean_file(args.orders, kind="orders", salt=workspace_salt())
    returns = quarantine[quarantine["reasons"].str.contains("cancellation", regex=False).fillna(False)]
    events = clean_file(args.events, kind="events", salt=workspace_salt())[0] if args.events else None
    customers = None
    if args.customers:
        path = Path(args.customers)
        customers = read_customers(read_file_bytes(path), path.name, salt=workspace_salt())
    cutoff = args.cutoff  # a Timestamp: check_arguments read it
    table = build_customer_features(orders, cutoff, events=events, customers=customers, returns=returns)
    write_csv(table, args.out)
    print(f"{len(table):,} customers x {table.shape[1]} features as of {cutoff:%Y-%m-%d} -> {args.out}")
    return 0
