"""Command line: ``python -m ecom_analytics <command> ...``.

Commands:
  ingest FILE [--kind orders|events] [--json OUT] [--outlier-policy flag|quarantine]
         [--encoding E] [--delimiter comma|tab|semicolon|pipe|whitespace] [--header | --no-header]
         [--map CANONICAL=SOURCE ...] [--mapping-file FILE]
      read, map, clean and store a file in the workspace; print (or write) the summary. The reading
      options replace what is detected; --map (repeatable) and --mapping-file (JSON {canonical: source},
      or the summary `ingest --json` wrote) choose source columns and are remembered for the layout
      (ecom_analytics.ingest.layouts); a layout remembered earlier is used when neither is given. When the
      dataset keeps no or few rows (ecom_analytics.ingest.layouts.reading_problem) a 'warning:' line on
      stderr says why; the dataset is stored and the exit status is 0.
  ingest FILE FILE [FILE ...] [--role FILE=ROLE ...] [--link CHILD->PARENT=CHILD_COL:PARENT_COL ...]
         [--person-key COLUMN|none] [--revenue items|items_and_freight] [--json OUT] [--outlier-policy P]
      the related tables of one export (order header, line items, customers, payments, products):
      each file's role is recognised, the keys that link them proposed, the person behind each order
      chosen, and they are joined into one orders dataset (pipeline.ingest_tables); --role, --link and
      --person-key correct the proposal ('none': the per-order customer id), --revenue counts freight
      or not. The summary adds ``files`` and ``tables`` (roles, relations with counts, person key,
      payment reconciliation, notes). The single-file options (--encoding, --delimiter, --header,
      --no-header, --map, --mapping-file, --kind events) are refused with several files: each
      file's reading is detected; the tables' options are refused with one file.
  features --orders FILE [--events FILE] [--customers FILE] --cutoff YYYY-MM-DD --out features.csv
      customer features as of the cutoff (data strictly before it).
  segments --orders FILE [--as-of YYYY-MM-DD] --out segments.csv
      RFM scores and named segments per customer.
  predict --orders FILE [--events FILE] --task purchase|churn|revenue --horizon DAYS [--json OUT] [--predictions CSV]
      train the baselines and the neural model on an honest time split, print the leaderboard.
  forecast FILE [--kind orders|sales] [--measure revenue|units|orders] [--by total|product|category|country|COLUMN]
           [--freq D|W|M] --horizon N [--windows K] [--models naive,seasonal_naive,...] [--series N|all]
           [--holidays CODE|none] [--reconcile] [--json OUT]
      rolling-origin backtest of the forecasting models, leaderboard (MAE, RMSE, MASE, sMAPE) and best model.
      A sales table is forecast per series (--by series) or as its total (--by total); holidays of the
      orders' main country (or --holidays) and the table's holiday/promotion flag feed the models.
  recommend --orders FILE [--events FILE] --horizon DAYS [--k 10] [--models popularity,item_knn,...] [--json OUT] [--out recs.csv]
      rank the recommenders on a time split (hit rate, precision, recall, NDCG, MAP at K, coverage);
      --out writes the best model's top K for every customer, with a reason each.
  campaign FILE [--orders FILE] [--customer-col C] [--arm-col C] [--control LABEL] [--outcome C] [--window DAYS]
           [--models t_learner,class_transformation,keras] [--json OUT]
      effect of each arm against the control (lift, 95 % CI, p-value), sample-ratio check and uplift models
      (Qini AUC, uplift in the top 30 %); with --orders, outcomes are computed over DAYS after each send date.
  clv --orders FILE [--calibration-end YYYY-MM-DD] [--unit days|weeks] [--months 12] [--discount-rate R]
      [--json OUT] [--out CSV]
      customer lifetime value in money (ecom_analytics.predict.clv): BG/NBD and Gamma-Gamma fitted on the orders up to
      the calibration end (that day included; default the last order's day), each customer's expected purchases,
      expected spend and CLV over the next --months, discounted at R a month (default 0.01); with orders after the
      calibration end, predicted against actual purchases and spend in that holdout (``evaluation``). --out writes
      one row per customer, highest CLV first.

Every argument is checked before any work starts (input files exist; dates read as YYYY-MM-DD;
output files can be written: their folder exists and is writable, they are not a folder or an
input file; counts such as --horizon are at least 1); bad input exits with status 2 and a one-line
reason on stderr (for ingest also: --encoding is a text encoding Python knows, --delimiter one of
the names, --map reads canonical=source with a canonical column, --mapping-file is JSON of that
shape; the source columns of --map are checked once the header is read, before cleaning; with
several files: --role names a given file and a role, --link a known link and two columns, --revenue
a known choice; the columns of --link and --person-key are checked once the files are read).
CSV and Excel outputs go through :mod:`ecom_analytics.exports` (cells that could
start a spreadsheet formula are escaped). Run as ``python -m ecom_analytics``, the C++ log lines of
TensorFlow / XLA (``E0000 ...``, ``I0000 ...``) are kept off the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import select
import sys
import threading
from pathlib import Path

import pandas as pd

from ecom_analytics.ingest.cleaning import OUTLIER_POLICIES
from ecom_analytics.errors import InputError, NotFoundError
from ecom_analytics.ingest.readers import read_file_bytes
from ecom_analytics.exports import write_table

# what each option of the commands is, for the checks made before any work (check_arguments)
INPUT_FILES = {"file": "FILE", "orders": "--orders", "events": "--events", "customers": "--customers",
               "mapping_file": "--mapping-file"}
OUTPUT_FILES = {"json": "--json", "out": "--out", "predictions": "--predictions", "platform_out": "--platform-out"}
DATES = {"cutoff": "--cutoff", "as_of": "--as-of", "calibration_end": "--calibration-end"}
AT_LEAST = {"horizon": ("--horizon", 1), "windows": ("--windows", 1), "top": ("--top", 1), "k": ("--k", 1),
            "window": ("--window", 1), "seed": ("--seed", 0), "months": ("--months", 1)}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _write_text(text: str, out: str) -> None:
    try:
        Path(out).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write {out} ({exc.strerror or exc}). Check that its folder exists "
                         "and is writable.") from exc


def _write_json(payload: dict, out: str | None) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    if out:
        _write_text(text, out)
    else:
        print(text)


def _write_csv(frame: pd.DataFrame, out: str, *, index: bool = True) -> None:
    """``frame`` to ``out`` through the export writer (CSV, or Excel when ``out`` ends in .xlsx)."""
    write_table(frame, out, index=index)


def parse_date(text: str, option: str) -> pd.Timestamp:
    """``text`` (YYYY-MM-DD) as a day; :class:`InputError` naming ``option`` when it is not one."""
    try:
        if not _ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        return pd.Timestamp(dt.date.fromisoformat(text.strip()))
    except ValueError:
        raise InputError(f"{option} '{text}' is not a date; use YYYY-MM-DD (e.g. 2011-12-09).") from None


def _check_input(path: str, option: str) -> None:
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{option} {path} is a folder; give the file inside it.")
    if not p.is_file():
        raise InputError(f"No file at {path} ({option}). Check the path.")


def _check_output(path: str, option: str) -> None:
    p = Path(path)
    if p.is_dir():
        example = p / ("summary.json" if option == "--json" else "out.csv")
        raise InputError(f"{option} {path} is a folder; give a file name inside it (e.g. {example}).")
    parent = p.parent
    if parent.exists() and not parent.is_dir():
        raise InputError(f"Cannot write {path} ({option}): {parent} is a file, not a folder. Choose another path.")
    if not parent.is_dir():
        raise InputError(f"Cannot write {path} ({option}): the folder {parent} does not exist. Create it or "
                         "choose another path.")
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise InputError(f"Cannot write {path} ({option}): {'the file' if p.exists() else f'the folder {parent}'} "
                         "is not writable. Choose another path.")


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def check_arguments(args: argparse.Namespace) -> None:
    """Check every argument of the command before any work starts; dates are replaced by
    :class:`pandas.Timestamp`. Raises :class:`InputError` with one sentence naming the option."""
    for attr, (option, minimum) in AT_LEAST.items():
        value = getattr(args, attr, None)
        if value is not None and value < minimum:
            raise InputError(f"{option} must be at least {minimum} (got {value}).")
    rate = getattr(args, "discount_rate", None)
    if rate is not None and not 0 <= rate < 1:
        raise InputError(f"--discount-rate must be at least 0 and below 1 (got {rate}); it is a rate per month, "
                         "e.g. 0.01 for 1 %.")
    for attr, option in DATES.items():
        value = getattr(args, attr, None)
        if isinstance(value, str):
            setattr(args, attr, parse_date(value, option))
    # (option, path) of every input; ingest's FILE may be several files
    inputs = [(option, path) for attr, option in INPUT_FILES.items() for path in _paths(getattr(args, attr, None))]
    for option, path in inputs:
        _check_input(path, option)
    outputs = {option: getattr(args, attr) for attr, option in OUTPUT_FILES.items() if getattr(args, attr, None)}
    for option, path in outputs.items():
        _check_output(path, option)
        clash = next((o for o, p in inputs if _same_file(p, path)), None)
        if clash:
            raise InputError(f"{option} {path} is the input file given as {clash}; choose another name so "
                             "the input is not overwritten.")
    names = list(outputs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _same_file(outputs[a], outputs[b]):
                raise InputError(f"{a} and {b} both name {outputs[a]}; give each its own file.")
    check_models = getattr(args, "check_models", None)
    if check_models is not None and getattr(args, "models", None) is not None:
        check_models(_names(args.models))
    if getattr(args, "command", None) == "segment":
        if bool(args.platform) != bool(args.platform_out):
            raise InputError("--platform and --platform-out go together: name the ad platform and the file its list "
                             "goes to.")
        if args.predict:
            unknown = [task for task in _names(args.predict) if task not in ("purchase", "churn", "revenue")]
            if unknown:
                raise InputError(f"--predict takes purchase, churn or revenue (got {', '.join(unknown)}).")
    if getattr(args, "timezone", None):
        from ecom_analytics.ingest.pipeline import check_timezone

        check_timezone(args.timezone)
    if getattr(args, "command", None) == "ingest":
        args.files = _paths(args.file)
        args.file = args.files[0] if len(args.files) == 1 else None
        _check_tables_arguments(args)
        _check_reading_options(args)
        _check_mapping_arguments(args)


def _paths(value) -> list[str]:
    """An option's paths as a list (none, one, or the several files of ``ingest``)."""
    if not value:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


#: what the single-file options of ``ingest`` are called, for the sentence refusing them with several files
SINGLE_FILE_OPTIONS = {"encoding": "--encoding", "delimiter": "--delimiter", "map": "--map",
                       "mapping_file": "--mapping-file"}
#: the options of several related tables, refused with one file
TABLES_OPTIONS = {"role": "--role", "link": "--link", "person_key": "--person-key", "revenue": "--revenue"}


def _check_tables_arguments(args: argparse.Namespace) -> None:
    """The options of ``ingest`` with several files (the tables of one export, ecom_analytics.ingest.tables):
    --role FILE=ROLE, --link CHILD->PARENT=CHILD_COL:PARENT_COL, --person-key COLUMN|none and
    --revenue, parsed into ``args.roles``, ``args.relations``, ``args.person`` and ``args.revenue``.
    The single-file options are refused with several files, the tables' options with one file. The
    columns named by --link and --person-key are checked once the files are read, before joining."""
    from ecom_analytics.ingest import tables

    args.roles, args.relations, args.person = {}, {}, ""
    if len(args.files) == 1:
        given = next((option for attr, option in TABLES_OPTIONS.items() if getattr(args, attr, None) is not None),
                     None)
        if given:
            raise InputError(f"{given} applies to the tables of one export given together; give all its files "
                             f"(e.g. ingest orders.csv items.csv customers.csv payments.csv {given} ...).")
        return
    given = next((option for attr, option in SINGLE_FILE_OPTIONS.items() if getattr(args, attr, None)), None)
    if given is None and args.header is not None:
        given = "--header" if args.header else "--no-header"
    if given in ("--encoding", "--delimiter", "--header", "--no-header"):
        raise InputError(f"{given} applies to one file; with several files each file's encoding, delimiter and "
                         "header are detected (ingest a file on its own to choose them).")
    if given:
        raise InputError(f"{given} applies to one file; with several files choose what each file is with "
                         "--role FILE=ROLE and how they link with --link CHILD->PARENT=CHILD_COL:PARENT_COL.")
    if args.kind == "events":
        raise InputError("--kind events applies to one file; several files are joined into one orders table "
                         "(ingest an events file on its own).")
    names: dict[str, str] = {}
    for path in args.files:
        name = Path(path).name
        if name in names:
            raise InputError(f"Two files are called '{name}' ({names[name]} and {path}); rename one of them.")
        names[name] = path
    for item in args.role or []:
        file, sep, role = item.rpartition("=")
        file, role = file.strip(), role.strip()
        if not sep or not file or not role:
            raise InputError(f"--role '{item}' is not FILE=ROLE; write e.g. --role items.csv=items.")
        name = Path(file).name
        if name not in names:
            raise InputError(f"--role '{item}': '{file}' is not one of the files given ({', '.join(names)}).")
        if role not in tables.ROLES:
            raise InputError(f"--role '{item}': '{role}' is not a role; use one of {', '.join(tables.ROLES)}.")
        args.roles[name] = role
    links = [f"{child}->{parent}" for child, _, parent, _ in tables.LINKS]
    for item in args.link or []:
        link, sep, keys = item.partition("=")
        child_key, colon, parent_key = keys.partition(":")
        link, child_key, parent_key = link.strip(), child_key.strip(), parent_key.strip()
        if not sep or not colon or not child_key or not parent_key:
            raise InputError(f"--link '{item}' is not CHILD->PARENT=CHILD_COL:PARENT_COL; write e.g. "
                             "--link items->orders=order_id:order_id.")
        if link not in links:
            raise InputError(f"--link '{item}': '{link}' is not a link; use one of {', '.join(links)}.")
        args.relations[link] = (child_key, parent_key)
    if args.person_key is not None:
        if not args.person_key.strip():
            raise InputError("--person-key is empty; give the column that names the person (e.g. "
                             "customer_unique_id), or 'none' to use the per-order customer id.")
        args.person = None if args.person_key.strip().lower() == "none" else args.person_key.strip()
    if args.revenue is not None and args.revenue not in tables.REVENUES:
        raise InputError(f"--revenue '{args.revenue}' is not a revenue choice; use {' or '.join(tables.REVENUES)}.")
    args.revenue = args.revenue or "items"


def _check_reading_options(args: argparse.Namespace) -> None:
    """--encoding and --delimiter of ``ingest``, replaced by their canonical names."""
    from ecom_analytics.ingest.layouts import COMMON_ENCODINGS, DELIMITERS, delimiter_name, encoding_name

    if args.encoding is not None:
        name = encoding_name(args.encoding)
        if name is None:
            raise InputError(f"--encoding '{args.encoding}' is not a text encoding; use one such as "
                             f"{', '.join(COMMON_ENCODINGS)}.")
        args.encoding = name
    if args.delimiter is not None:
        name = delimiter_name(args.delimiter)
        if name is None:
            raise InputError(f"--delimiter '{args.delimiter}' is not one this app reads; use "
                             f"{', '.join(DELIMITERS)}.")
        args.delimiter = name


def read_mapping_file(path: str) -> tuple[dict[str, str | None], bool, str | None]:
    """(canonical -> source, whether it is a whole mapping, its kind) from a --mapping-file: a JSON
    object {canonical: source} (null: leave the column out), or the summary ``ingest --json`` wrote
    (its ``mapping`` is the whole mapping used: columns it does not list are left out)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"--mapping-file {path} is not UTF-8 text; save it as UTF-8 JSON.") from None
    except ValueError as exc:
        raise InputError(f"--mapping-file {path} is not JSON ({exc}); write {{\"canonical\": \"source\"}}, "
                         "e.g. {\"amount\": \"Total\"}.") from None
    whole, kind = False, None
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        whole, kind, data = True, data.get("kind") if isinstance(data.get("kind"), str) else None, data["mapping"]
    if not isinstance(data, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str))
                                             for k, v in data.items()):
        raise InputError(f"--mapping-file {path} must hold a JSON object of canonical column -> source column "
                         "(text, or null to leave it out), e.g. {\"amount\": \"Total\"}.")
    return {k.strip(): (v if v is None or v.strip() else None) for k, v in data.items()}, whole, kind


def _check_mapping_arguments(args: argparse.Namespace) -> None:
    """--map and --mapping-file of ``ingest``: their form and canonical columns (the source columns
    are checked once the file's header is read). Sets ``args.file_mapping``, ``args.file_mapping_whole``
    and ``args.map_choices``; a mapping file's kind becomes --kind when none was given."""
    from ecom_analytics.ingest.layouts import canonical_columns

    args.file_mapping, args.file_mapping_whole, args.map_choices = {}, False, {}
    if args.mapping_file:
        if _same_file(args.mapping_file, args.file):
            raise InputError(f"--mapping-file {args.mapping_file} is the file to ingest; give the JSON mapping file.")
        args.file_mapping, args.file_mapping_whole, kind = read_mapping_file(args.mapping_file)
        if args.kind is None and kind in ("orders", "events"):
            args.kind = kind
    for item in args.map or []:
        canonical, sep, source = item.partition("=")
        if not sep or not canonical.strip():
            raise InputError(f"--map '{item}' is not canonical=source; write e.g. --map amount=Total "
                             "(or --map country= to leave a column out).")
        args.map_choices[canonical.strip()] = source if source.strip() else None
    known = canonical_columns(args.kind)
    for option, chosen in (("--mapping-file", args.file_mapping), ("--map", args.map_choices)):
        unknown = [c for c in chosen if c not in known]
        if unknown:
            table = f"the {args.kind} table" if args.kind else "any table"
            raise InputError(f"{option}: '{unknown[0]}' is not a column of {table}; choose from {', '.join(known)}.")


def _names(text: str) -> list[str]:
    """A comma-separated option (e.g. ``--models a,b``) as a list, blanks dropped."""
    return [m.strip() for m in text.split(",") if m.strip()]


def _salt() -> str:
    """The workspace's pseudonym salt ($ECOM_ANALYTICS_HOME): e-mail keys in the CSVs of
    features/segments/predict get the same pseudonyms as ingested data, never an unsalted
    hash that anyone holding the address could recompute."""
    from ecom_analytics.store import Workspace

    return Workspace().salt()


def cmd_ingest(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest import layouts, pipeline
    from ecom_analytics.store import Workspace

    if len(args.files) > 1:
        return _ingest_tables(args)
    path = Path(args.file)
    data = read_file_bytes(path)  # refused by its size before it is read
    workspace = Workspace(args.home) if args.home else Workspace()
    options = layouts.ReadingOptions(args.encoding, args.delimiter, args.header)
    notes: list[str] = []
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
    summary["notes"] = notes + list(summary["notes"])
    if problem is not None:
        summary["reading_problem"] = problem.as_dict()
    _write_json(summary, args.json)
    if args.json:
        print(f"{summary['kind']} dataset {summary['dataset_id']}: {summary['rows_in']:,} rows in, "
              f"{summary['rows_clean']:,} kept, {summary['rows_quarantined']:,} quarantined -> {args.json}")
    if problem is not None:
        print("warning: " + problem_sentence(problem), file=sys.stderr)
    return 0


def _ingest_tables(args: argparse.Namespace) -> int:
    """``ingest`` of several files: the tables of one export read, recognised, joined, cleaned and
    stored as one orders dataset (pipeline.ingest_tables); the summary has a ``tables`` section."""
    from ecom_analytics.ingest import layouts, pipeline
    from ecom_analytics.store import Workspace

    files = [(read_file_bytes(Path(path)), Path(path).name) for path in args.files]  # each refused by its size first
    workspace = Workspace(args.home) if args.home else Workspace()
    result = pipeline.ingest_tables(files, roles=args.roles, relations=args.relations, person_key=args.person,
                                    revenue=args.revenue, outlier_policy=args.outlier_policy, workspace=workspace)
    problem = layouts.reading_problem(result.report["cleaning"], result.mapping.as_dict(), result.cleaning.quarantine)
    summary = result.summary()
    summary["files"] = [str(p) for p in args.files]
    summary["tables"] = result.report["tables"]
    if problem is not None:
        summary["reading_problem"] = problem.as_dict()
    _write_json(summary, args.json)
    if args.json:
        print(f"{summary['kind']} dataset {summary['dataset_id']} joined from {len(files)} files: "
              f"{summary['rows_in']:,} rows in, {summary['rows_clean']:,} kept, {summary['rows_quarantined']:,} "
              f"quarantined -> {args.json}")
    for note in summary["tables"]["notes"]:
        if note["code"].startswith(("person_key_not_repeating", "relation_missing")):
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


def cmd_features(args: argparse.Namespace) -> int:
    from ecom_analytics.insights.features import build_customer_features
    from ecom_analytics.ingest.pipeline import clean_file, read_customers

    orders, quarantine = clean_file(args.orders, kind="orders", salt=_salt())
    returns = quarantine[quarantine["reasons"].str.contains("cancellation", regex=False).fillna(False)]
    events = clean_file(args.events, kind="events", salt=_salt())[0] if args.events else None
    customers = None
    if args.customers:
        path = Path(args.customers)
        customers = read_customers(read_file_bytes(path), path.name, salt=_salt())
    cutoff = args.cutoff  # a Timestamp: check_arguments read it
    table = build_customer_features(orders, cutoff, events=events, customers=customers, returns=returns)
    _write_csv(table, args.out)
    print(f"{len(table):,} customers x {table.shape[1]} features as of {cutoff:%Y-%m-%d} -> {args.out}")
    return 0


def cmd_segments(args: argparse.Namespace) -> int:
    from ecom_analytics.insights.features import order_features
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.insights.segments import rfm_scores, segment_summary

    orders, _ = clean_file(args.orders, kind="orders", salt=_salt())
    as_of = args.as_of if args.as_of is not None else orders["timestamp"].max().normalize() + pd.Timedelta(days=1)
    scores = rfm_scores(order_features(orders, as_of))
    _write_csv(scores, args.out)
    summary = segment_summary(scores)
    print(f"{len(scores):,} customers scored as of {as_of:%Y-%m-%d} -> {args.out}")
    for row in summary.itertuples():
        print(f"  {row.segment:<20} {row.customers:>7,} customers  {row.revenue_share:6.1%} of revenue")
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from ecom_analytics.predict.modeling import dumps
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.predict.training import train_and_evaluate

    orders, quarantine = clean_file(args.orders, kind="orders", salt=_salt())
    returns = quarantine[quarantine["reasons"].str.contains("cancellation", regex=False).fillna(False)]
    events = clean_file(args.events, kind="events", salt=_salt())[0] if args.events else None
    try:
        run = train_and_evaluate(orders, args.task, args.horizon, events=events, returns=returns,
                                 neural_params={"seed": args.seed},
                                 on_stage=lambda msg: print(f"- {msg}", file=sys.stderr))
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    summary = run.summary()
    key = "mae" if args.task == "revenue" else "roc_auc"
    print(f"{args.task}, horizon {args.horizon} days, test cutoff {summary['cutoff']}, "
          f"{summary['customers_tested']:,} customers tested")
    for row in run.leaderboard.itertuples():
        print(f"  {row.label:<32} {key} {getattr(row, key):.4f}")
    print(f"best: {run.best_model}")
    for warning in run.warnings:
        print(f"note: {warning}")
    if args.json:
        _write_text(dumps(summary), args.json)
    if args.predictions:
        _write_csv(run.predictions, args.predictions)
    return 0


def cmd_forecast(args: argparse.Namespace) -> int:
    from ecom_analytics.forecasting import run_forecast
    from ecom_analytics.cli.forecast import read_for_forecast

    from ecom_analytics.forecasting.calendar import check_country
    from ecom_analytics.cli.forecast import series_count, series_for_forecast

    count = series_count(args.series if args.series is not None else str(args.top))
    country = check_country(args.holidays) if args.holidays not in (None, "auto") else None
    kind, table = read_for_forecast(args.file, args.kind, salt=_salt())
    if args.reconcile:
        from ecom_analytics.cli.forecast import reconciled_series

        series = reconciled_series(kind, table, args.by, args.freq, args.measure, count)
    else:
        series = series_for_forecast(kind, table, args.by, args.freq, args.measure, count)
    if args.holidays not in (None, "auto"):
        series.country = country
    models = _names(args.models)
    result = run_forecast(series, models, args.horizon, args.windows,
                          on_progress=lambda share, msg: print(f"- {msg}", file=sys.stderr) if share >= 1 or len(
                              series.ids) == 1 else None)
    summary = result.summary()
    print(f"{kind}: {summary['n_series']} series of {series.measure} per {series.freq}, horizon {args.horizon}, "
          f"{args.windows} backtest windows")
    for row in result.leaderboard.itertuples():
        print(f"  {row.model:<15} MAE {row.mae:14,.2f}  RMSE {row.rmse:14,.2f}  MASE {row.mase:7.3f}  "
              f"sMAPE {row.smape:6.2f} %")
    print(f"best: {summary['best_model']}")
    if args.reconcile:
        from ecom_analytics.cli.forecast import print_reconciliation

        print_reconciliation(result)
    for note in result.notes[:10]:
        print(f"note: {note}")
    if args.json:
        _write_json(summary, args.json)
    return 0


def cmd_recommend(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.recommend import build_interactions, product_catalogue, run_recommend

    orders, _ = clean_file(args.orders, kind="orders", salt=_salt())
    events = clean_file(args.events, kind="events", salt=_salt())[0] if args.events else None
    if events is not None:  # purchases come from the orders; events add views, carts and wishlists
        events = events[events["event_type"] != "purchase"]
    models = _names(args.models)
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
        _write_json(summary, args.json)
    if args.out:
        _write_csv(run.recommendations, args.out, index=False)
        print(f"{run.recommendations['customer_id'].nunique():,} customers x top {args.k} by {run.best_model} "
              f"-> {args.out}")
    return 0


def check_forecast_models(names: list[str]) -> None:
    """``--models`` of ``forecast`` (see ecom_analytics.cli.forecast.check_models)."""
    from ecom_analytics.cli.forecast import check_models

    check_models(names)


def check_campaign_models(names: list[str]) -> None:
    """``--models`` of ``campaign`` (see ecom_analytics.cli.campaign.check_models)."""
    from ecom_analytics.cli.campaign import check_models

    check_models(names)


def check_recommend_models(names: list[str]) -> None:
    """``--models`` of ``recommend``: known names (none chosen = the default set)."""
    from ecom_analytics.recommend.evaluation import ALL_MODELS

    unknown = [n for n in names if n not in ALL_MODELS]
    if unknown:
        raise InputError(f"Unknown model {', '.join(unknown)} in --models; choose from {', '.join(ALL_MODELS)}.")


def cmd_campaign(args: argparse.Namespace) -> int:
    from ecom_analytics.cli.campaign import run_campaign_command

    summary = run_campaign_command(args.file, orders=args.orders, customer_col=args.customer_col,
                                   arm_col=args.arm_col, control=args.control, outcome=args.outcome,
                                   window=args.window, models=args.models, salt=_salt())
    if args.json:
        _write_json(summary, args.json)
    return 0


def cmd_segment(args: argparse.Namespace) -> int:
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.insights import segment_builder
    from ecom_analytics.ingest.readers import read_file_bytes
    from ecom_analytics.store import Workspace

    workspace = Workspace(args.home) if args.home else Workspace()
    rule = args.rule
    if args.saved:
        found = {s.name: s for s in segment_builder.saved_segments(workspace.home)}
        if args.saved not in found:
            raise InputError(f"No segment named '{args.saved}' is saved in {workspace.home}. Saved: "
                             f"{', '.join(sorted(found)) or 'none'}.")
        rule = found[args.saved].rule
    path = Path(args.orders)
    prepared = pipeline.prepare(read_file_bytes(path), path.name, kind="orders")
    result = pipeline.process(prepared, salt=workspace.salt(), ad_platform_hashes=bool(args.platform))
    orders, quarantine = result.cleaning.clean, result.cleaning.quarantine
    returns = quarantine[quarantine["reasons"].str.contains("cancellation", regex=False).fillna(False)]
    events = pipeline.clean_file(args.events, kind="events", salt=workspace.salt())[0] if args.events else None
    predictions = {}
    for task in _names(args.predict) if args.predict else []:
        from ecom_analytics.predict.training import train_and_evaluate

        try:
            run = train_and_evaluate(orders, task, args.horizon, events=events, returns=returns,
                                     on_stage=lambda msg: print(f"- {msg}", file=sys.stderr))
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        column = {"purchase": "p_purchase", "churn": "p_churn", "revenue": "predicted_revenue"}[task]
        predictions[column] = run.predictions[run.best_model]
        print(f"{column}: {task} in {args.horizon} days, best model {run.best_model}")
    table, mask, size = segment_builder.segment_from_orders(orders, rule or "", events=events, returns=returns,
                                                            predictions=predictions)
    print(f"segment as of {size['as_of']}: {size['rule'] or '(every customer)'}")
    print(f"  {size['customers']:,} customers ({size['share']:.1%}), revenue so far {size['revenue']:,.2f} "
          f"({size['revenue_share']:.1%})")
    if args.out:
        _write_csv(table[mask], args.out)
    if args.platform:
        digests = segment_builder.email_digests(orders)
        if digests is None:
            raise InputError("The orders have no e-mail column, so there is no list for ad platforms. Export the "
                             "orders with the customers' e-mails, or leave out --platform.")
        listed = segment_builder.ad_platform_list(digests, table.index[mask], args.platform)
        _write_csv(listed, args.platform_out, index=False)
        print(f"  {len(listed):,} e-mail digests for {args.platform} in {args.platform_out}")
    if args.json:
        _write_text(json.dumps(size, indent=2), args.json)
    return 0


def cmd_clv(args: argparse.Namespace) -> int:
    from ecom_analytics.predict.clv import export_table, run_clv
    from ecom_analytics.ingest.pipeline import clean_file

    orders, _ = clean_file(args.orders, kind="orders", salt=_salt())
    run = run_clv(orders, args.calibration_end, args.unit, args.months, args.discount_rate)
    summary = run.summary()
    bg, gg, totals = summary["bgnbd"], summary["gamma_gamma"], summary["totals"]
    print(f"calibration end {summary['calibration_end']}, {summary['customers']:,} customers, times in {args.unit}")
    print(f"  BG/NBD       r {bg['r']:.4f}  alpha {bg['alpha']:.4f}  a {bg['a']:.4f}  b {bg['b']:.4f}  "
          f"log-likelihood {bg['log_likelihood']:,.1f}")
    print(f"  Gamma-Gamma  p {gg['p']:.4f}  q {gg['q']:.4f}  v {gg['v']:.4f}  ({gg['customers_fitted']:,} customers "
          f"with repeat purchases; mean spend per purchase {gg['mean_spend']:,.2f})")
    top = totals["top_decile_clv_share"]
    print(f"next {args.months} months: {totals['expected_purchases']:,.0f} purchases, {totals['expected_spend']:,.2f} "
          f"expected spend, CLV {totals['clv']:,.2f} at {args.discount_rate:g} a month"
          + (f"; the top 10 % of customers hold {top:.0%} of it" if top is not None else ""))
    if "evaluation" in summary:
        e = summary["evaluation"]
        print(f"holdout after {summary['calibration_end']} to {e['holdout_end']} ({e['holdout_days']} days):")
        print(f"  purchases predicted {e['predicted_purchases']:,.0f}, actual {e['actual_purchases']:,.0f}; spend "
              f"predicted {e['predicted_spend']:,.2f}, actual {e['actual_spend']:,.2f}")
        print("  " + e["reading"])
        print(f"  {'decile':>6} {'customers':>9} {'predicted':>14} {'actual':>14} {'share':>7}")
        for d in e["deciles"]:
            share = d["share_of_actual_spend"]
            print(f"  {d['decile']:>6} {d['customers']:>9,} {d['predicted_spend']:>14,.2f} {d['actual_spend']:>14,.2f} "
                  f"{'' if share is None else format(share, '.1%'):>7}")
    for code, values in run.notes:
        if code == "frequency_spend_correlated":
            print(f"note: frequency and spend per purchase correlate at {values['correlation']:.2f} among repeat "
                  "customers; the spend model assumes they are independent, so read the spend with care.")
    if args.json:
        _write_json(summary, args.json)
    if args.out:
        _write_csv(export_table(run), args.out)
        print(f"{len(run.customers):,} customers, highest CLV first -> {args.out}")
    return 0


def build_parser(prog: str = "python -m ecom_analytics") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Ecom Analytics command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="read, map, clean and store an orders or events export, or the related "
                                      "tables of one export (order header, line items, customers, payments, products)")
    p.add_argument("file", nargs="+", metavar="FILE",
                   help="CSV, TSV, text, .gz, .zip, .xlsx or Parquet export; several files are the tables of one "
                        "export, joined by their keys into one orders dataset")
    p.add_argument("--kind", choices=["orders", "events"], default=None, help="table kind (detected when omitted)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.add_argument("--outlier-policy", choices=OUTLIER_POLICIES, default="flag",
                   help="flag extreme lines (default) or quarantine them")
    p.add_argument("--timezone", metavar="ZONE", default=None,
                   help="show times read as UTC (Unix times, times with a zone) in this zone, e.g. Asia/Shanghai")
    p.add_argument("--ad-platform-hashes", action="store_true",
                   help="keep unsalted SHA-256 digests of the e-mails (never the addresses) for Google Ads and Meta "
                   "customer lists; anyone holding an address can match its digest")
    p.add_argument("--home", default=None, help="workspace folder (default $ECOM_ANALYTICS_HOME or ./workspace)")
    p.add_argument("--encoding", metavar="E", default=None,
                   help="text encoding instead of detecting it: utf-8, utf-16, gb18030, big5, shift_jis, euc-kr, "
                        "cp1250, cp1251, cp1252, latin-1 or any Python codec name")
    p.add_argument("--delimiter", metavar="D", default=None,
                   help="delimiter instead of detecting it: comma, tab, semicolon, pipe or whitespace")
    header = p.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_const", const=True, default=None,
                        help="the first line is a header (default: detected)")
    header.add_argument("--no-header", dest="header", action="store_const", const=False,
                        help="there is no header line: the first line is data")
    p.add_argument("--map", metavar="CANONICAL=SOURCE", action="append", default=None,
                   help="map a canonical column to a source column (repeatable; CANONICAL= leaves it out)")
    p.add_argument("--mapping-file", metavar="FILE", default=None,
                   help="JSON {canonical: source}, or a summary written by ingest --json")
    p.add_argument("--role", metavar="FILE=ROLE", action="append", default=None,
                   help="several files: read FILE as ROLE (orders, items, customers, payments, products, events, "
                        "single, unknown) instead of the recognised role (repeatable)")
    p.add_argument("--link", metavar="CHILD->PARENT=CHILD_COL:PARENT_COL", action="append", default=None,
                   help="several files: the key pair of a link (items->orders, payments->orders, orders->customers, "
                        "items->products) instead of the proposed one (repeatable)")
    p.add_argument("--person-key", metavar="COLUMN|none", default=None,
                   help="several files: the column naming the person behind an order (e.g. customer_unique_id); "
                        "'none' uses the per-order customer id (default: the stable id found, if any)")
    p.add_argument("--revenue", metavar="items|items_and_freight", default=None,
                   help="several files: revenue counts item prices only (items, the default) or with freight")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("features", help="customer features as of a cutoff date, to CSV")
    p.add_argument("--orders", required=True, help="orders export")
    p.add_argument("--events", default=None, help="behaviour events export (optional)")
    p.add_argument("--customers", default=None, help="customer attribute table (optional)")
    p.add_argument("--cutoff", required=True, help="YYYY-MM-DD: features use data strictly before it")
    p.add_argument("--out", required=True, help="output CSV, one row per customer")
    p.set_defaults(func=cmd_features)

    p = sub.add_parser("segments", help="RFM scores and segments per customer, to CSV")
    p.add_argument("--orders", required=True, help="orders export")
    p.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: the day after the last order)")
    p.add_argument("--out", required=True, help="output CSV, one row per customer")
    p.set_defaults(func=cmd_segments)

    p = sub.add_parser("predict", help="train and rank the models of a task; score every customer")
    p.add_argument("--orders", required=True, help="orders export")
    p.add_argument("--events", default=None, help="behaviour events export (optional)")
    p.add_argument("--task", choices=["purchase", "churn", "revenue"], required=True)
    p.add_argument("--horizon", type=int, required=True, help="window H in days")
    p.add_argument("--seed", type=int, default=0, help="seed of the neural model")
    p.add_argument("--json", metavar="OUT", default=None, help="write the leaderboard summary as JSON")
    p.add_argument("--predictions", metavar="CSV", default=None, help="write each customer's scores")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("forecast", help="backtest forecasting models on sales per day, week or month")
    p.add_argument("file", help="orders export or a pre-aggregated sales table (date, value[, series, flag])")
    p.add_argument("--kind", choices=["orders", "sales"], default=None, help="table kind (detected when omitted)")
    p.add_argument("--measure", choices=["revenue", "units", "orders"], default="revenue", help="orders only")
    p.add_argument("--by", default=None, help="orders: total (default), product, category, country or a column; "
                   "sales tables: series (default) or total")
    p.add_argument("--freq", type=str.upper, choices=["D", "W", "M"], default=None,
                   help="D, W or M (default W for orders, the table's own for sales)")
    p.add_argument("--horizon", type=int, required=True, help="periods ahead to forecast")
    p.add_argument("--windows", type=int, default=4, help="backtest windows of HORIZON periods (default 4)")
    p.add_argument("--models", default="naive,seasonal_naive,snaive_level,ets,theta,ets_theta,fourier,gbm,auto",
                   help="comma-separated: naive, seasonal_naive, snaive_level, ets, theta, ets_theta, stl_ets, "
                   "stl_theta, fourier, gbm, croston, sba, tsb, neural, auto")
    p.add_argument("--series", default=None, metavar="N|all",
                   help="forecast the N largest series, or all (default 10; the leaving-out is said in a note)")
    p.add_argument("--top", type=int, default=10, help=argparse.SUPPRESS)  # the former name of --series
    p.add_argument("--reconcile", action="store_true",
                   help="orders with --by: forecast the total and the series below it (the rest as 'other') and "
                   "print each level's accuracy as forecast, bottom-up and MinT-reconciled")
    p.add_argument("--holidays", default="auto", metavar="CODE|none",
                   help="holiday calendar (ISO country code such as GB, US, DE, CN; default: the orders' main country)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.set_defaults(func=cmd_forecast, check_models=check_forecast_models)

    p = sub.add_parser("recommend", help="rank product recommenders on a time split; top K per customer")
    p.add_argument("--orders", required=True, help="orders export")
    p.add_argument("--events", default=None, help="behaviour events export (optional: views, carts, wishlists)")
    p.add_argument("--horizon", type=int, required=True, help="test window H in days")
    p.add_argument("--k", type=int, default=10, help="recommendations per customer (default 10)")
    p.add_argument("--models", default="popularity,item_knn,ease,als,content,hybrid",
                   help="comma-separated: popularity, item_knn, ease, als, content, sequence (Keras), hybrid")
    p.add_argument("--seed", type=int, default=0, help="seed of ALS and the sequence model")
    p.add_argument("--json", metavar="OUT", default=None, help="write the leaderboard summary as JSON")
    p.add_argument("--out", metavar="CSV", default=None, help="write the best model's top K for every customer")
    p.set_defaults(func=cmd_recommend, check_models=check_recommend_models)

    p = sub.add_parser("campaign", help="effect of a campaign per arm against the control, and uplift models")
    p.add_argument("file", help="campaign table (one row per customer: id, arm, outcomes) or campaign list")
    p.add_argument("--orders", metavar="FILE", default=None,
                   help="orders export: outcomes (converted, revenue, orders) over --window days after the send date")
    p.add_argument("--customer-col", metavar="C", default=None, help="customer id column (recognised when omitted)")
    p.add_argument("--arm-col", metavar="C", default=None, help="arm column (recognised when omitted)")
    p.add_argument("--control", metavar="LABEL", default=None,
                   help="the control arm's label (control, holdout, No E-Mail, 对照组... are recognised)")
    p.add_argument("--outcome", metavar="C", default=None, help="outcome column (default: the first recognised)")
    p.add_argument("--window", metavar="DAYS", type=int, default=14, help="with --orders: outcome window (default 14)")
    p.add_argument("--models", default="t_learner,class_transformation,keras",
                   help="uplift models, comma-separated (empty: none)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.set_defaults(func=cmd_campaign, check_models=check_campaign_models)

    p = sub.add_parser("segment", help="customers chosen by a rule on features, RFM scores and predictions, "
                       "to CSV and ad-platform lists (run it from cron to refresh an audience)")
    p.add_argument("--orders", required=True, help="orders export (the latest one, each time it runs)")
    p.add_argument("--events", default=None, help="behaviour events export (optional)")
    rule = p.add_mutually_exclusive_group(required=True)
    rule.add_argument("--rule", default=None, help='the rule, e.g. "orders >= 2 and recency_days < 90"')
    rule.add_argument("--saved", metavar="NAME", default=None, help="the rule of a segment saved in the app")
    p.add_argument("--predict", metavar="TASKS", default=None,
                   help="train these tasks first and add their scores to the rule's columns (purchase,churn,revenue)")
    p.add_argument("--horizon", type=int, default=30, help="window H in days of --predict (default 30)")
    p.add_argument("--out", metavar="CSV", default=None, help="write the segment's customers (CSV, or Excel for .xlsx)")
    p.add_argument("--platform", choices=["google_ads", "meta"], default=None,
                   help="also write the segment as this ad platform's customer list (SHA-256 e-mail digests)")
    p.add_argument("--platform-out", metavar="CSV", default=None, help="where the ad-platform list goes")
    p.add_argument("--home", default=None, help="workspace folder of --saved (default $ECOM_ANALYTICS_HOME or ./workspace)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the segment's size as JSON")
    p.set_defaults(func=cmd_segment)

    p = sub.add_parser("clv", help="customer lifetime value in money (BG/NBD + Gamma-Gamma), evaluated on a holdout")
    p.add_argument("--orders", required=True, help="orders export")
    p.add_argument("--calibration-end", metavar="YYYY-MM-DD", default=None,
                   help="fit on the orders up to this day (included); the orders after it are the holdout the "
                   "predictions are checked on (default: the last order's day, no holdout)")
    p.add_argument("--unit", choices=["days", "weeks"], default="weeks", help="time unit of the model (default weeks)")
    p.add_argument("--months", type=int, default=12, help="months ahead to value (default 12)")
    p.add_argument("--discount-rate", metavar="R", type=float, default=0.01,
                   help="discount rate per month (default 0.01 = 1 %%)")
    p.add_argument("--json", metavar="OUT", default=None, help="write the summary as JSON to OUT")
    p.add_argument("--out", metavar="CSV", default=None, help="write each customer's value (CSV, or Excel for .xlsx)")
    p.set_defaults(func=cmd_clv)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m ecom_analytics") -> int:
    """Run the command line (``prog`` names it in usage lines); returns the exit status (2 with a
    one-line reason on stderr for bad input, checked before any work starts)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is imported (it is, lazily)
    args = build_parser(prog).parse_args(argv)
    try:
        check_arguments(args)
        return args.func(args)
    except (InputError, NotFoundError) as exc:
        print("error: " + " ".join(str(exc).split()), file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the file is too large for this machine's memory; split it by date.", file=sys.stderr)
        return 2


# A C++ log line of TensorFlow / XLA / absl ("E0000 00:00:1796591903.875225  11709 cuda_platform.cc:52] ...";
# before absl is set up the seconds field is the Unix time) and absl's notice before its own set-up;
# TF_CPP_MIN_LOG_LEVEL does not silence all of them.
NATIVE_LOG_LINE = re.compile(rb"^(?:[IWEF]\d{4} \d\d:\d\d:[\d.]+\s+\d+ [^\]\s]+:\d+\] "
                             rb"|WARNING: All log messages before absl::InitializeLog\(\) is called)")


@contextlib.contextmanager
def native_logs_filtered():
    """Keep the C++ log lines of TensorFlow and its libraries (:data:`NATIVE_LOG_LINE`) off the
    process's stderr while the block runs; every other line (the CLI's own messages, Python
    warnings and tracebacks, a crash report) passes through unchanged. They are written straight
    to file descriptor 2 by native code, so the descriptor is pointed at a pipe read by a thread
    that drops those lines. Does nothing where that is not possible (not POSIX, no stderr)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, AttributeError, ValueError):
        yield
        return
    if os.name != "posix":
        os.close(saved)
        yield
        return
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    done = threading.Event()

    def pump() -> None:
        pending = b""

        def emit(line: bytes) -> None:
            if not NATIVE_LOG_LINE.match(line):
                with contextlib.suppress(OSError):
                    os.write(saved, line)

        while True:
            ready, _, _ = select.select([read_end], [], [], 0.05)
            if not ready:
                if done.is_set():
                    break
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                emit(line + b"\n")
        if pending:
            emit(pending)

    thread = threading.Thread(target=pump, name="native-log-filter", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, 2)  # the pipe's last writer in this process goes; the thread drains what is left
        done.set()
        thread.join(timeout=2)
        os.close(read_end)
        os.close(saved)
