"""Command line: ``python -m ecom_analytics <command> ...``.

Commands:
  ingest FILE [--kind orders|events] [--json OUT] [--outlier-policy flag|quarantine]
      read, map, clean and store a file in the workspace; print (or write) the summary.

Bad input exits with status 2 and a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ecom_analytics.cleaning import OUTLIER_POLICIES
from ecom_analytics.errors import InputError, NotFoundError


def _write_json(payload: dict, out: str | None) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


def cmd_ingest(args: argparse.Namespace) -> int:
    from ecom_analytics.pipeline import ingest
    from ecom_analytics.store import Workspace

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"No file at {path}. Check the path.")
    result = ingest(path.read_bytes(), path.name, kind=args.kind, outlier_policy=args.outlier_policy,
                    workspace=Workspace(args.home) if args.home else None)
    summary = result.summary()
    _write_json(summary, args.json)
    if args.json:
        print(f"{summary['kind']} dataset {summary['dataset_id']}: {summary['rows_in']:,} rows in, "
              f"{summary['rows_clean']:,} kept, {summary['rows_quarantined']:,} quarantined -> {args.json}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ecom_analytics", description="Ecom Analytics command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="read, map, clean and store an orders or events export")
    p.add_argument("file", help="CSV, TSV, text, .gz, .zip, .xlsx or Parquet export")
    p.add_argument("--kind", choices=["orders", "events"], default=None, help="table kind (detected when omitted)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.add_argument("--outlier-policy", choices=OUTLIER_POLICIES, default="flag",
                   help="flag extreme lines (default) or quarantine them")
    p.add_argument("--home", default=None, help="workspace folder (default $ECOM_ANALYTICS_HOME or ./workspace)")
    p.set_defaults(func=cmd_ingest)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (InputError, NotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the file is too large for this machine's memory; split it by date.", file=sys.stderr)
        return 2
