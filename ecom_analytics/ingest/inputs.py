"""The one input loader every run uses: orders, their returns, events and customers of the stored
datasets (or of files, for the command line), and the end of the data.

Returns are the cancelled order lines the cleaning set aside (quarantined with the reason
``cancellation``) that name a customer: they are kept out of revenue but feed the models' return
features. The end of the data is the day after the last order (or event) timestamp, so a cutoff at
the end of the data keeps every row strictly before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.store import Workspace, is_valid_id

ROLES = ("orders", "events", "customers")
#: the quarantine reason that makes a line a return (when it names a customer)
RETURN_REASON = "cancellation"


def returns_of(quarantine: pd.DataFrame) -> pd.DataFrame:
    """The quarantined cancellation lines of an orders dataset that name a customer."""
    if quarantine is None or quarantine.empty or "reasons" not in quarantine:
        return quarantine.iloc[0:0] if quarantine is not None else pd.DataFrame()
    cancelled = quarantine["reasons"].astype("string").str.contains(RETURN_REASON, regex=False).fillna(False)
    named = quarantine["customer_id"].notna() if "customer_id" in quarantine else False
    return quarantine[cancelled & named]


def returns_expr(quarantine):
    """The lines of :func:`returns_of` as an Ibis expression over a quarantine read in place
    (``Workspace.scan(dataset_id, part="quarantine")``, on DuckDB or Spark)."""
    return quarantine.filter(quarantine.reasons.contains(RETURN_REASON) & quarantine.customer_id.notnull())


def day_after(moment) -> pd.Timestamp:
    """Midnight after ``moment``: the end of data whose last row is at ``moment``, so that a cutoff
    there keeps every row strictly before it."""
    return pd.Timestamp(moment).normalize() + pd.Timedelta(days=1)


def day_after_last(frame: pd.DataFrame | None, column: str = "timestamp") -> pd.Timestamp | None:
    """Midnight after the last ``column`` value of ``frame`` (None for no rows)."""
    if frame is None or frame.empty or column not in frame or frame[column].isna().all():
        return None
    return day_after(frame[column].max())


@dataclass
class Inputs:
    """The tables a run reads, each None when not given."""

    orders: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    customers: pd.DataFrame | None = None
    returns: pd.DataFrame | None = None
    datasets: dict[str, str | None] | None = None
    #: per role given, what a report names it by: the catalogue entry of a stored dataset, or for a file
    #: read without storing ``dataset_id, name, kind, report`` as the pipeline made them
    entries: dict[str, dict] = field(default_factory=dict)

    @property
    def end_of_data(self) -> pd.Timestamp | None:
        """The day after the last order, or after the last event when there are no orders."""
        return day_after_last(self.orders) or day_after_last(self.events)


def load_inputs(workspace: Workspace, datasets: dict[str, str | None]) -> Inputs:
    """The stored datasets named by role (``{"orders": id, "events": id, "customers": id}``)."""
    unknown = set(datasets) - set(ROLES)
    if unknown:
        raise InputError("Unknown input role {roles}; use orders, events or customers.", roles=sorted(unknown))
    ids = {role: datasets.get(role) for role in ROLES}
    orders = workspace.load_clean(ids["orders"]) if ids["orders"] else None
    returns = returns_of(workspace.load_quarantine(ids["orders"])) if ids["orders"] else None
    events = workspace.load_clean(ids["events"]) if ids["events"] else None
    customers = workspace.load_clean(ids["customers"]) if ids["customers"] else None
    if customers is not None and "source_line" in customers:
        customers = customers.drop(columns="source_line")
    entries = {role: workspace.dataset(i) for role, i in ids.items() if i}
    return Inputs(orders=orders, events=events, customers=customers, returns=returns, datasets=ids, entries=entries)


def given_inputs(workspace: Workspace | None, datasets: dict[str, str | None] | Inputs
                 ) -> tuple[Inputs, dict[str, str | None]]:
    """What a run reads and the stored ids by role: ``datasets`` is either inputs already read (their
    own ids) or stored dataset ids by role, loaded from ``workspace``."""
    if isinstance(datasets, Inputs):
        return datasets, {role: (datasets.datasets or {}).get(role) for role in ROLES}
    if workspace is None:
        raise InputError("Stored datasets need the workspace they are stored in.")
    return load_inputs(workspace, datasets), {role: datasets.get(role) for role in ROLES}


def read_inputs(sources: dict[str, str | None], *, salt: str = "", workspace: Workspace | None = None) -> Inputs:
    """Inputs for the command line: each source is a file path, or the id of a dataset stored in
    ``workspace`` (a 16-hex-digit id that is not an existing file), read and cleaned as the app does."""
    from ecom_analytics.ingest.pipeline import prepare, process, read_customers
    from ecom_analytics.ingest.readers import read_file_bytes

    tables: dict[str, pd.DataFrame | None] = {role: None for role in ROLES}
    returns = None
    ids: dict[str, str | None] = {role: None for role in ROLES}
    entries: dict[str, dict] = {}
    for role in ROLES:
        source = sources.get(role)
        if not source:
            continue
        if not Path(source).exists() and is_valid_id(source):
            if workspace is None or not workspace.has_dataset(source):
                raise InputError("'{source}' is neither a file nor a dataset of the workspace; give a file, or an "
                                 "id from the Workspace page.", source=source)
            kind = workspace.dataset(source).get("kind")
            if role != "customers" and kind != role:
                raise InputError("Dataset {source} holds {kind}, not {role}.", source=source, kind=Note(str(kind)),
                                 role=Note(role))
            loaded = load_inputs(workspace, {role: source})
            tables[role] = getattr(loaded, role)
            returns = loaded.returns if role == "orders" else returns
            ids[role] = source
            entries[role] = loaded.entries[role]
            continue
        path = Path(source)
        if role == "customers":
            tables[role] = read_customers(read_file_bytes(path), path.name, salt=salt)
            entries[role] = {"dataset_id": None, "name": path.name, "kind": "customers", "report": None}
        else:
            result = process(prepare(read_file_bytes(path), path.name, kind=role), salt=salt)
            tables[role] = result.cleaning.clean
            entries[role] = {"dataset_id": result.dataset_id, "name": result.name, "kind": result.kind,
                             "report": result.report}
            if role == "orders":
                returns = returns_of(result.cleaning.quarantine)
    return Inputs(orders=tables["orders"], events=tables["events"], customers=tables["customers"], returns=returns,
                  datasets=ids, entries=entries)
