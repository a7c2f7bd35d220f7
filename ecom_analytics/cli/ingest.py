"""``ingest``: read, map, clean and store one export, or join the related tables of one export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ecom_analytics.cli.arguments import write_json
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.readers import read_file_bytes
from ecom_analytics.ingest.stacking import STACKED, stack_same_layout


def cmd_ingest(args: argparse.Namespace) -> int:
    if len(args.files) > 1:
        return _ingest_tables(args)
    return cmd_ingest_one(args)


def cmd_ingest_one(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest import layouts, pipeline
    from ecom_analytics.store import Workspace

    stacked = getattr(args, "stacked", None)  # (bytes, name) of files of one layout read as one
    path = Path(stacked[1] if stacked else args.file)
    workspace = Workspace(args.home) if args.home else Workspace()
    options = layouts.ReadingOptions(args.encoding, args.delimiter, args.header)
    notes: list[str] = list(getattr(args, "pre_notes", []))
    if not stacked and _plain_request(args, options) and path.stat().st_size > _stream_bytes():
        streamed, reason = _ingest_streaming(args, path, workspace, options)
        if streamed is not None:
            return streamed
        notes.append(reason)
    data = stacked[0] if stacked else read_file_bytes(path)  # refused by its size before it is read
    remembered_reading = None
    if options.is_automatic():
        remembered_reading = layouts.find_reading_layout(workspace.home, data)
        if remembered_reading is not None:
            options = remembered_reading.reading_options
            notes.append(f"Reading options {_options_text(options)} remembered from "
                         f"'{remembered_reading.source_name}' ({remembered_reading.saved_day}).")
    prepared = pipeline.prepare(data, path.name, kind=args.kind, **options.read_kwargs())
    raw = prepared.raw
    mapping = prepared.mapping
    layout = layouts.find_layout(workspace.home, raw.frame, mapping.kind, raw.has_header)
    if layout is not None:
        mapping = layouts.apply_layout(mapping, raw.frame, layout)
        notes.append(f"Mapping remembered from '{layout.source_name}' ({layout.saved_day}).")
    given = bool(args.file_mapping or args.map_choices)
    if args.file_mapping:
        mapping = layouts.apply_choices(mapping, raw.frame, args.file_mapping, complete=args.file_mapping_whole)
    if args.map_choices:
        mapping = layouts.apply_choices(mapping, raw.frame, args.map_choices)
    result = pipeline.process(prepared, mapping, outlier_policy=args.outlier_policy, salt=workspace.salt(),
                              timezone=args.timezone, ad_platform_hashes=args.ad_platform_hashes)
    pipeline.store(result, prepared, workspace)
    problem = layouts.reading_problem(result.report["cleaning"], result.mapping.as_dict(), result.cleaning.quarantine)
    summary = result.summary()
    summary["reading_options"] = options.chosen()
    summary["layout"] = layout.describe() if layout is not None else None
    if given and problem is None:  # a mapping that kept (almost) nothing is not proposed again
        stored = layouts.remember_layout(workspace.home, raw.frame, result.mapping, has_header=raw.has_header,
                                         source_name=raw.source_name, reading=options, data=data)
        summary["layout_saved"] = stored.signature
    mixed = mixed_currencies(result.report)
    if mixed:
        print("warning: " + mixed, file=sys.stderr)
        notes.append(mixed)
    summary["notes"] = notes + list(summary["notes"])
    return _report(summary, problem, args)


def mixed_currencies(report: dict) -> str | None:
    """The sentence the Data page shows when an export's amounts are in several currencies (summed as they are,
    unconverted), for the command line; None for one currency or none named."""
    found = report.get("currency") or {}
    if found.get("symbol") is not None or len(found.get("currencies", [])) < 2:
        return None
    from ecom_analytics.ingest.currency import MIXED

    return MIXED.format(listed=", ".join(f"{c['currency']} {c['share']:.0%}" for c in found["currencies"]))


def _report(summary: dict, problem, args: argparse.Namespace) -> int:
    """Write the summary (``--json``), print its one line, and warn on stderr when few rows were kept."""
    if problem is not None:
        summary["reading_problem"] = problem.as_dict()
    write_json(summary, args.json)
    if args.json:
        print(f"{summary['kind']} dataset {summary['dataset_id']}: {summary['rows_in']:,} rows in, "
              f"{summary['rows_clean']:,} kept, {summary['rows_quarantined']:,} quarantined -> {args.json}")
    if problem is not None:
        print("warning: " + problem_sentence(problem), file=sys.stderr)
    return 0


def _stream_bytes() -> int:
    from ecom_analytics.ingest import stream

    return stream.STREAM_BYTES


def _plain_request(args: argparse.Namespace, options) -> bool:
    """Whether the command asks for nothing the SQL path does not do: no reading options, mapping,
    time zone or e-mail digests (those files are read by the Python path)."""
    return (options.is_automatic() and args.kind in (None, "orders") and not args.file_mapping
            and not args.map_choices and not args.timezone and not args.ad_platform_hashes)


def _ingest_streaming(args: argparse.Namespace, path: Path, workspace, options) -> tuple[int | None, str]:
    """``ingest`` of a large plain orders file by the SQL path (ingest/stream.py: DuckDB reads the
    file and the cleaning rules run as SQL, with the Python path's report). Returns (exit status,
    "") when it was stored that way, or (None, why) when the Python path must read it: the file is
    not one the SQL path reads alike, or a remembered layout applies to it."""
    from ecom_analytics.ingest import layouts, stream

    try:
        prepared, _ = stream.plan(path, kind=args.kind)
    except stream.NotStreamable as exc:
        return None, f"The file is read by the Python path ({exc})."
    head = stream.head_bytes(path)
    if (layouts.find_reading_layout(workspace.home, head) is not None
            or layouts.find_layout(workspace.home, prepared.raw.frame, prepared.mapping.kind,
                                   prepared.raw.has_header) is not None):
        return None, "The file is read by the Python path (a layout remembered for it applies)."
    try:
        result = stream.ingest_file(path, workspace, outlier_policy=args.outlier_policy, kind=args.kind)
    except stream.NotStreamable as exc:
        return None, f"The file is read by the Python path ({exc})."
    quarantine = workspace.load_quarantine(result.dataset_id)
    problem = layouts.reading_problem(result.report["cleaning"], result.mapping.as_dict(), quarantine)
    summary = result.summary()
    summary["reading_options"] = options.chosen()
    summary["layout"] = None
    summary["notes"] = ["Read by the SQL path (DuckDB reads the file; the same cleaning rules and report)."] + \
        list(summary["notes"])
    return _report(summary, problem, args), ""


def _ingest_tables(args: argparse.Namespace) -> int:
    """``ingest`` of several files: the tables of one export read, recognised, joined, cleaned and
    stored as one orders dataset (tables.ingest_tables); the summary has a ``tables`` section."""
    from ecom_analytics.ingest import layouts, tables
    from ecom_analytics.store import Workspace

    files = [(read_file_bytes(Path(path)), Path(path).name) for path in args.files]  # each refused by its size first
    stacked = stack_same_layout(files) if not args.roles else None
    if stacked is not None:  # a shop's yearly exports of one layout: one export
        args.stacked = stacked[:2]
        args.pre_notes = [STACKED.format(**stacked[2])]
        print("note: " + args.pre_notes[0], file=sys.stderr)
        return cmd_ingest_one(args)
    if args.kind == "sales":
        raise InputError("--kind sales applies to one file, or to files of one layout read as one export; these files "
                         "are the tables of one export (ingest the sales table on its own).")
    if getattr(args, "map_several", None):
        raise InputError("{given} applies to one file, or to files of one layout read as one export (a shop's monthly "
                         "exports); these files are the tables of one export: choose what each file is with --role "
                         "FILE=ROLE and how they link with --link CHILD->PARENT=CHILD_COL:PARENT_COL.",
                         given=args.map_several)
    proposal = tables.propose_tables(files)  # read once: for the check below and for the join
    alone = tables.sales_table_among(proposal) if not args.roles else None
    if alone is not None:  # a sales table with catalogues of its keys: the sales table on its own
        args.file = args.files[alone]
        others = ", ".join(f"'{n}'" for i, (_, n) in enumerate(files) if i != alone)
        args.pre_notes = [tables.CATALOGUES_LEFT_OUT.format(sales=files[alone][1], others=others)]
        print("note: " + args.pre_notes[0], file=sys.stderr)
        return cmd_ingest_one(args)
    workspace = Workspace(args.home) if args.home else Workspace()
    result = tables.ingest_tables(files, roles=args.roles, relations=args.relations, person_key=args.person,
                                    revenue=args.revenue, outlier_policy=args.outlier_policy, workspace=workspace,
                                    proposal=proposal)
    problem = layouts.reading_problem(result.report["cleaning"], result.mapping.as_dict(), result.cleaning.quarantine)
    summary = result.summary()
    summary["files"] = [str(p) for p in args.files]
    summary["tables"] = result.report["tables"]
    if problem is not None:
        summary["reading_problem"] = problem.as_dict()
    write_json(summary, args.json)
    alone = summary["tables"].get("read_alone")
    if args.json:
        how = f"read from '{alone}' alone" if alone else f"joined from {len(files)} files"
        print(f"{summary['kind']} dataset {summary['dataset_id']} {how}: "
              f"{summary['rows_in']:,} rows in, {summary['rows_clean']:,} kept, {summary['rows_quarantined']:,} "
              f"quarantined -> {args.json}")
    for note in summary["tables"]["notes"]:
        if note["code"].startswith(("person_key_not_repeating", "relation_missing", "read_alone", "left_out",
                                    "role_unknown")):
            print("warning: " + note["text"] + ".", file=sys.stderr)
    if problem is not None:
        print(f"warning: {problem.rows_clean:,} of {problem.rows_in:,} rows could be kept: {problem.rows_rule:,} "
              f"rows were set aside as {problem.rule}. Check the roles (--role FILE=ROLE) and the key pairs "
              "(--link CHILD->PARENT=CHILD_COL:PARENT_COL); the dataset is stored with its cleaning report.",
              file=sys.stderr)
    return 0


def _options_text(options) -> str:
    chosen = options.chosen()
    if "header" in chosen:
        chosen["header"] = "yes" if chosen["header"] else "no"
    return "(" + ", ".join(f"{k} {v}" for k, v in chosen.items()) + ")"


def problem_sentence(problem) -> str:
    """One line saying why a dataset kept no or few rows and which options fix it (what the Data
    page says in the analyst's language)."""
    head = f"{problem.rows_clean:,} of {problem.rows_in:,} rows could be kept"
    where = f"column '{problem.column}'" + (f" ({problem.canonical})" if problem.canonical else "") \
        if problem.column else "the mapped columns"
    if problem.rule == "unreadable_number":
        why = f"the numbers in {where} cannot be read ({problem.rows_rule:,} rows)"
    elif problem.rule == "unreadable_date":
        why = f"the dates in {where} cannot be read ({problem.rows_rule:,} rows)"
    elif problem.rule == "malformed_line":
        why = f"{problem.rows_rule:,} lines do not split into the header's columns"
    else:
        why = f"{problem.rows_rule:,} rows were set aside as {problem.rule}"
    return (f"{head}: {why}. Check --encoding, --delimiter and --header/--no-header, and the mapping "
            "(--map canonical=source); the dataset is stored with its cleaning report.")
