"""The checks every command's arguments pass before any work starts, and the writers of its outputs."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
from pathlib import Path

import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.exports import write_table

# what each option of the commands is, for the checks made before any work (check_arguments)
INPUT_FILES = {"file": "FILE", "orders": "--orders", "events": "--events", "customers": "--customers",
               "mapping_file": "--mapping-file"}


OUTPUT_FILES = {"json": "--json", "out": "--out", "predictions": "--predictions", "platform_out": "--platform-out"}


DATES = {"cutoff": "--cutoff", "calibration_end": "--calibration-end", "period_from": "--from", "period_to": "--to"}


AT_LEAST = {"horizon": ("--horizon", 1), "windows": ("--windows", 1), "top": ("--top", 1), "k": ("--k", 1),
            "window": ("--window", 1), "seed": ("--seed", 0), "months": ("--months", 1)}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def write_text(text: str, out: str) -> None:
    try:
        Path(out).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError("Cannot write {path} ({reason}). Check that its folder exists and is writable.", path=out,
                         reason=exc.strerror or exc) from exc


def write_json(payload: dict, out: str | None) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    if out:
        write_text(text, out)
    else:
        print(text)


def write_csv(frame: pd.DataFrame, out: str, *, index: bool = True) -> None:
    """``frame`` to ``out`` through the export writer (CSV, or Excel when ``out`` ends in .xlsx)."""
    write_table(frame, out, index=index)


def parse_date(text: str, option: str) -> pd.Timestamp:
    """``text`` (YYYY-MM-DD) as a day; :class:`InputError` naming ``option`` when it is not one."""
    try:
        if not _ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        return pd.Timestamp(dt.date.fromisoformat(text.strip()))
    except ValueError:
        raise InputError("{option} '{text}' is not a date; use YYYY-MM-DD (e.g. 2011-12-09).", option=option,
                         text=text) from None


#: the inputs a command may also name by a stored dataset's id (see ecom_analytics.ingest.inputs.read_inputs)
DATASET_OPTIONS = ("--orders", "--events", "--customers")


def _is_dataset_id(text: str) -> bool:
    from ecom_analytics.store import is_valid_id

    return not Path(text).exists() and is_valid_id(text)


def read_command_inputs(args: argparse.Namespace, roles: tuple[str, ...] = ("orders", "events", "customers")):
    """The ``--orders``/``--events``/``--customers`` of a command, each a file or the id of a dataset
    stored in the workspace of ``--home`` (default $ECOM_ANALYTICS_HOME), read and cleaned as the app
    does (an :class:`ecom_analytics.ingest.inputs.Inputs`)."""
    from ecom_analytics.ingest.inputs import read_inputs
    from ecom_analytics.store import Workspace

    home = getattr(args, "home", None)
    workspace = Workspace(home) if home else Workspace()
    return read_inputs({role: getattr(args, role, None) for role in roles}, salt=workspace.salt(), workspace=workspace)


def _check_input(path: str, option: str) -> None:
    p = Path(path)
    if p.is_dir():
        raise InputError("{option} {path} is a folder; give the file inside it.", option=option, path=path)
    if not p.is_file():
        raise InputError("No file at {path} ({option}). Check the path.", path=path, option=option)


def _check_output(path: str, option: str) -> None:
    p = Path(path)
    if p.is_dir():
        example = p / ("summary.json" if option == "--json" else "out.csv")
        raise InputError("{option} {path} is a folder; give a file name inside it (e.g. {example}).", option=option,
                         path=path, example=example)
    parent = p.parent
    if parent.exists() and not parent.is_dir():
        raise InputError("Cannot write {path} ({option}): {parent} is a file, not a folder. Choose another path.",
                         path=path, option=option, parent=parent)
    if not parent.is_dir():
        raise InputError("Cannot write {path} ({option}): the folder {parent} does not exist. Create it or choose "
                         "another path.", path=path, option=option, parent=parent)
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise InputError("Cannot write {path} ({option}): {value} is not writable. Choose another path.", path=path,
                         option=option,
                         value=Note('the file') if p.exists() else Note('the folder {parent}', {'parent': parent}))


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
            raise InputError("{option} must be at least {minimum} (got {value}).", option=option, minimum=minimum,
                             value=value)
    rate = getattr(args, "discount_rate", None)
    if rate is not None and not 0 <= rate < 1:
        raise InputError("--discount-rate must be at least 0 and below 1 (got {rate}); it is a rate per month, "
                         "e.g. 0.01 for 1 %.", rate=rate)
    for attr, option in DATES.items():
        value = getattr(args, attr, None)
        if isinstance(value, str):
            setattr(args, attr, parse_date(value, option))
    since, until = getattr(args, "period_from", None), getattr(args, "period_to", None)
    if since is not None and until is not None and since > until:
        raise InputError("--from {since} is after --to {until}; give the first day first.",
                         since=f"{since:%Y-%m-%d}", until=f"{until:%Y-%m-%d}")
    # (option, path) of every input; ingest's FILE may be several files
    inputs = [(option, path) for attr, option in INPUT_FILES.items() for path in _paths(getattr(args, attr, None))]
    for option, path in inputs:
        if option in DATASET_OPTIONS and _is_dataset_id(path):
            continue  # a stored dataset's id: read_inputs says when the workspace has no such dataset
        _check_input(path, option)
    outputs = {option: getattr(args, attr) for attr, option in OUTPUT_FILES.items() if getattr(args, attr, None)}
    for option, path in outputs.items():
        _check_output(path, option)
        clash = next((o for o, p in inputs if _same_file(p, path)), None)
        if clash:
            raise InputError("{option} {path} is the input file given as {clash}; choose another name so the input "
                             "is not overwritten.", option=option, path=path, clash=clash)
    names = list(outputs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _same_file(outputs[a], outputs[b]):
                raise InputError("{a} and {b} both name {outputs}; give each its own file.", a=a, b=b,
                                 outputs=outputs[a])
    check_models = getattr(args, "check_models", None)
    if check_models is not None and getattr(args, "models", None) is not None:
        check_models(comma_list(args.models))
    if getattr(args, "command", None) == "segment":
        if bool(args.platform) != bool(args.platform_out):
            raise InputError("--platform and --platform-out go together: name the ad platform and the file its list "
                             "goes to.")
        if args.predict:
            unknown = [task for task in comma_list(args.predict) if task not in ("purchase", "churn", "revenue")]
            if unknown:
                raise InputError("--predict takes purchase, churn or revenue (got {tasks}).",
                                 tasks=', '.join(unknown))
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
            raise InputError("{given} applies to the tables of one export given together; give all its files (e.g. "
                             "ingest orders.csv items.csv customers.csv payments.csv {given} ...).", given=given)
        return
    given = next((option for attr, option in SINGLE_FILE_OPTIONS.items() if getattr(args, attr, None)), None)
    if given is None and args.header is not None:
        given = "--header" if args.header else "--no-header"
    if given in ("--encoding", "--delimiter", "--header", "--no-header"):
        raise InputError("{given} applies to one file; with several files each file's encoding, delimiter and "
                         "header are detected (ingest a file on its own to choose them).", given=given)
    # --map and --mapping-file also apply to files of one layout read as one export (checked once they are read)
    args.map_several = given
    if args.kind == "events":
        raise InputError("--kind events applies to one file; several files are joined into one orders table "
                         "(ingest an events file on its own).")
    names: dict[str, str] = {}
    for path in args.files:
        name = Path(path).name
        if name in names:
            raise InputError("Two files are called '{name}' ({names} and {path}); rename one of them.", name=name,
                             names=names[name], path=path)
        names[name] = path
    for item in args.role or []:
        file, sep, role = item.rpartition("=")
        file, role = file.strip(), role.strip()
        if not sep or not file or not role:
            raise InputError("--role '{item}' is not FILE=ROLE; write e.g. --role items.csv=items.", item=item)
        name = Path(file).name
        if name not in names:
            raise InputError("--role '{item}': '{file}' is not one of the files given ({names}).", item=item,
                             file=file, names=', '.join(names))
        if role not in tables.ROLES:
            raise InputError("--role '{item}': '{role}' is not a role; use one of {roles}.", item=item, role=role,
                             roles=', '.join(tables.ROLES))
        args.roles[name] = role
    links = [f"{child}->{parent}" for child, _, parent, _ in tables.LINKS]
    for item in args.link or []:
        link, sep, keys = item.partition("=")
        child_key, colon, parent_key = keys.partition(":")
        link, child_key, parent_key = link.strip(), child_key.strip(), parent_key.strip()
        if not sep or not colon or not child_key or not parent_key:
            raise InputError("--link '{item}' is not CHILD->PARENT=CHILD_COL:PARENT_COL; write e.g. --link "
                             "items->orders=order_id:order_id.", item=item)
        if link not in links:
            raise InputError("--link '{item}': '{link}' is not a link; use one of {links}.", item=item, link=link,
                             links=', '.join(links))
        args.relations[link] = (child_key, parent_key)
    if args.person_key is not None:
        if not args.person_key.strip():
            raise InputError("--person-key is empty; give the column that names the person (e.g. "
                             "customer_unique_id), or 'none' to use the per-order customer id.")
        args.person = None if args.person_key.strip().lower() == "none" else args.person_key.strip()
    if args.revenue is not None and args.revenue not in tables.REVENUES:
        raise InputError("--revenue '{revenue}' is not a revenue choice; use {revenues}.", revenue=args.revenue,
                         revenues=' or '.join(tables.REVENUES))
    args.revenue = args.revenue or "items"


def _check_reading_options(args: argparse.Namespace) -> None:
    """--encoding and --delimiter of ``ingest``, replaced by their canonical names."""
    from ecom_analytics.ingest.layouts import COMMON_ENCODINGS, DELIMITERS, delimiter_name, encoding_name

    if args.encoding is not None:
        name = encoding_name(args.encoding)
        if name is None:
            raise InputError("--encoding '{encoding}' is not a text encoding; use one such as {common_encodings}.",
                             encoding=args.encoding, common_encodings=', '.join(COMMON_ENCODINGS))
        args.encoding = name
    if args.delimiter is not None:
        name = delimiter_name(args.delimiter)
        if name is None:
            raise InputError("--delimiter '{delimiter}' is not one this app reads; use {delimiters}.",
                             delimiter=args.delimiter, delimiters=', '.join(DELIMITERS))
        args.delimiter = name


def read_mapping_file(path: str) -> tuple[dict[str, str | None], bool, str | None]:
    """(canonical -> source, whether it is a whole mapping, its kind) from a --mapping-file: a JSON
    object {canonical: source} (null: leave the column out), or the summary ``ingest --json`` wrote
    (its ``mapping`` is the whole mapping used: columns it does not list are left out)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("--mapping-file {path} is not UTF-8 text; save it as UTF-8 JSON.", path=path) from None
    except ValueError as exc:
        raise InputError("--mapping-file {path} is not JSON ({exc}); write {{\"canonical\": \"source\"}}, e.g. "
                         "{{\"amount\": \"Total\"}}.", path=path, exc=exc) from None
    whole, kind = False, None
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        whole, kind, data = True, data.get("kind") if isinstance(data.get("kind"), str) else None, data["mapping"]
    if not isinstance(data, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str))
                                             for k, v in data.items()):
        raise InputError("--mapping-file {path} must hold a JSON object of canonical column -> source column "
                         "(text, or null to leave it out), e.g. {{\"amount\": \"Total\"}}.", path=path)
    return {k.strip(): (v if v is None or v.strip() else None) for k, v in data.items()}, whole, kind


def _check_mapping_arguments(args: argparse.Namespace) -> None:
    """--map and --mapping-file of ``ingest``: their form and canonical columns (the source columns
    are checked once the file's header is read). Sets ``args.file_mapping``, ``args.file_mapping_whole``
    and ``args.map_choices``; a mapping file's kind becomes --kind when none was given."""
    from ecom_analytics.ingest.layouts import canonical_columns

    args.file_mapping, args.file_mapping_whole, args.map_choices = {}, False, {}
    if args.mapping_file:
        if _same_file(args.mapping_file, args.file):
            raise InputError("--mapping-file {mapping_file} is the file to ingest; give the JSON mapping file.",
                             mapping_file=args.mapping_file)
        args.file_mapping, args.file_mapping_whole, kind = read_mapping_file(args.mapping_file)
        if args.kind is None and kind in ("orders", "events", "sales"):
            args.kind = kind
    for item in args.map or []:
        canonical, sep, source = item.partition("=")
        if not sep or not canonical.strip():
            raise InputError("--map '{item}' is not canonical=source; write e.g. --map amount=Total (or --map "
                             "country= to leave a column out).", item=item)
        args.map_choices[canonical.strip()] = source if source.strip() else None
    known = canonical_columns(args.kind)
    for option, chosen in (("--mapping-file", args.file_mapping), ("--map", args.map_choices)):
        unknown = [c for c in chosen if c not in known]
        if unknown:
            table = f"the {args.kind} table" if args.kind else "any table"
            raise InputError("{option}: '{unknown}' is not a column of {table}; choose from {known}.", option=option,
                             unknown=unknown[0], table=table, known=', '.join(known))


def comma_list(text: str) -> list[str]:
    """A comma-separated option (e.g. ``--models a,b``) as a list, blanks dropped."""
    return [m.strip() for m in text.split(",") if m.strip()]


def workspace_salt() -> str:
    """The workspace's pseudonym salt ($ECOM_ANALYTICS_HOME): e-mail keys in the CSVs of
    features/segments/predict get the same pseudonyms as ingested data, never an unsalted
    hash that anyone holding the address could recompute."""
    from ecom_analytics.store import Workspace

    return Workspace().salt()


def check_recommend_models(names: list[str]) -> None:
    """``--models`` of ``recommend``: known names (none chosen = the default set)."""
    from ecom_analytics.recommend.evaluation import ALL_MODELS

    unknown = [n for n in names if n not in ALL_MODELS]
    if unknown:
        raise InputError("Unknown model {unknown} in --models; choose from {all_models}.", unknown=', '.join(unknown),
                         all_models=', '.join(ALL_MODELS))
