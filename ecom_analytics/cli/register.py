"""``register``: a lake's Parquet table (a folder, a file or a glob pattern) registered as a dataset
with a column mapping, without an upload; the other commands then take its id."""

from __future__ import annotations

import argparse

from ecom_analytics.cli.arguments import write_json
from ecom_analytics.errors import InputError


def parse_map(items: list[str] | None) -> dict[str, str]:
    """``--map`` values (each ``canonical=source``, several per value separated by commas, the
    option repeatable) as {canonical: source}; :class:`InputError` with one sentence when one is
    not of that form or names a canonical column twice."""
    mapping: dict[str, str] = {}
    for item in items or []:
        for part in item.split(","):
            if not part.strip():
                continue
            canonical, sep, source = part.partition("=")
            canonical, source = canonical.strip(), source.strip()
            if not sep or not canonical or not source:
                raise InputError("--map '{part}' is not canonical=source; write e.g. --map "
                                 "customer_id=cust,timestamp=ts,amount=revenue.", part=part.strip())
            if canonical in mapping and mapping[canonical] != source:
                raise InputError("--map names two columns for {canonical} ({mapping!r} and {source!r}); keep one.",
                                 canonical=canonical, mapping=mapping[canonical], source=source)
            mapping[canonical] = source
    if not mapping:
        raise InputError("--map needs at least the required columns, e.g. --map customer_id=cust,timestamp=ts,"
                         "amount=revenue.")
    return mapping


def summary_of(dataset: dict) -> dict:
    """A registered dataset's summary: id, kind, name, source, files, mapping, rows, customers (or
    users), first and last time, revenue."""
    report = dataset["report"]
    return {"dataset_id": dataset["dataset_id"], "kind": dataset["kind"], "name": dataset["name"],
            "source": dataset["source_name"], "files": report.get("files"), "mapping": dataset["mapping"],
            "rows": dataset["rows_in"], "customers": report.get("customers"), "first": report.get("first"),
            "last": report.get("last"), "revenue": dataset["revenue_in"]}


def summary_line(summary: dict) -> str:
    """One line: the id, then rows, customers (users for events) and the period, in English."""
    from ecom_analytics.i18n import format_day, format_number

    who = "customers" if summary["kind"] == "orders" else "users"
    period = (f"{format_day(summary['first'])} to {format_day(summary['last'])}" if summary["first"] and summary["last"]
              else "no dated rows")
    return (f"{summary['kind']} dataset {summary['dataset_id']} registered from {summary['source']}: "
            f"{format_number(summary['rows'])} rows, {format_number(summary['customers'] or 0)} {who}, {period}")


def cmd_register(args: argparse.Namespace) -> int:
    from ecom_analytics.store import Workspace

    mapping = parse_map(args.map)
    workspace = Workspace(args.home) if args.home else Workspace()
    dataset_id = workspace.register_parquet(args.parquet, mapping, kind=args.kind, name=args.name)
    summary = summary_of(workspace.dataset(dataset_id))
    if args.json:
        write_json(summary, args.json)
    print(summary_line(summary))
    return 0
