"""``features``: customer features as of a cutoff."""

from __future__ import annotations

import argparse

from ecom_analytics.cli.arguments import read_command_inputs, write_csv


def cmd_features(args: argparse.Namespace) -> int:
    from ecom_analytics.engine import spark_available
    from ecom_analytics.errors import InputError
    from ecom_analytics.insights.features import build_customer_features

    if getattr(args, "engine", "duckdb") == "spark" and not spark_available():
        raise InputError("--engine spark needs PySpark and Java 17+: pip install 'ecom-analytics[spark]' and a Java runtime.")

    inputs = read_command_inputs(args)
    cutoff = args.cutoff  # a Timestamp: check_arguments read it
    table = build_customer_features(inputs.orders, cutoff, events=inputs.events, customers=inputs.customers,
                                    returns=inputs.returns, engine=getattr(args, "engine", "duckdb"))
    write_csv(table, args.out)
    print(f"{len(table):,} customers x {table.shape[1]} features as of {cutoff:%Y-%m-%d} -> {args.out}")
    return 0
