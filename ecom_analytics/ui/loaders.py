"""Cached access to the library: heavy work runs once per dataset and setting."""

from __future__ import annotations

from contextlib import contextmanager

import pandas as pd
import streamlit as st

from ecom_analytics.errors import InputError
from ecom_analytics.insights import overview
from ecom_analytics.ingest import pipeline
from ecom_analytics.ui.state import scan_connection, workspace


@st.cache_data(show_spinner=False, max_entries=8)
def dataset_info(dataset_id: str) -> dict:
    """Catalogue entry (name, kind, counts, mapping, report) of a stored dataset."""
    return workspace().dataset(dataset_id)


@st.cache_data(show_spinner=False, max_entries=6)
def clean_rows(dataset_id: str) -> pd.DataFrame:
    """Kept rows of a stored dataset."""
    return workspace().load_clean(dataset_id)


@st.cache_data(show_spinner=False, max_entries=6)
def quarantine_rows(dataset_id: str) -> pd.DataFrame:
    """Quarantined rows of a stored dataset."""
    return workspace().load_quarantine(dataset_id)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=900)
def prepared_upload(content_hash: str, _data: bytes, filename: str, kind: str | None, encoding: str | None = None,
                    delimiter: str | None = None, has_header: bool | None = None) -> pipeline.Prepared:
    """A read file with its proposed mapping, keyed by content and the reading options (None:
    detect; ``_data`` is not hashed again on every rerun), so changing an option rereads the upload
    and going back to an earlier choice does not. A read file holds about 5 times its text in
    memory, so it is dropped 15 minutes after reading instead of staying for the server's life; a
    later rerun reads the upload again."""
    return pipeline.prepare(_data, filename, kind=kind, encoding=encoding, delimiter=delimiter, has_header=has_header)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=900)
def prepared_head(content_hash: str, _data: bytes, filename: str, kind: str | None) -> pipeline.Prepared:
    """The head of a large upload read with its proposed mapping (ecom_analytics.ingest.upload), keyed by
    content; the whole file is read only when it is confirmed."""
    from ecom_analytics.ingest.upload import prepare_head

    return prepare_head(_data, filename, kind)


@st.cache_data(show_spinner=False, max_entries=8, ttl=900)
def upload_profile(content_hash: str, options: str, _prepared: pipeline.Prepared, masked: tuple[str, ...]):
    """The per-column profile of a read upload (see ecom_analytics.ingest.profile), keyed by its content
    and reading options (``options``); personal-data columns in ``masked`` show no values."""
    from ecom_analytics.ingest.profile import profile_columns

    return profile_columns(_prepared.raw.frame, frozenset(masked))


@st.cache_data(show_spinner=False, max_entries=16, ttl=900)
def upload_distribution(content_hash: str, options: str, _prepared: pipeline.Prepared, column: str, kind: str):
    """One raw column's distribution for the profile's chart (see ecom_analytics.ingest.profile), read once
    per upload, options and column rather than on every rerun of the Data page."""
    from ecom_analytics.ingest.profile import column_distribution

    return column_distribution(_prepared.raw.frame[column], kind)


@st.cache_data(show_spinner=False, max_entries=8)
def orders_overview(dataset_id: str, include_anonymous: bool, freq: str, start: str | None = None,
                    end: str | None = None, customers: frozenset[str] | None = None) -> dict:
    """KPIs, sales over time, top products and countries of an orders dataset, on the days
    [``start``, ``end``] (ISO dates; None: from the first or to the last order), of the ``customers``
    only when given (a saved segment's). Aggregated where the dataset lies: only the figures come
    back to pandas."""
    from ecom_analytics.engine import on_days

    with scanning() as con:
        rows = on_days(sales_scan(dataset_id, con, include_anonymous), _day(start), _day(end))
        if customers is not None:
            rows = _of_members(rows, "customer_id", customers)
        return {
            "kpis": overview.kpis(rows),
            "series": overview.sales_over_time(rows, freq),
            "products": overview.top_products(rows, 40),
            "countries": overview.by_country(rows),
        }


@contextmanager
def scanning():
    """The backend the stored datasets of one view are scanned on together (Spark's shared session, or
    an in-process DuckDB closed afterwards)."""
    from ecom_analytics import engine

    con = scan_connection()
    own = con is None
    con = engine.connect("duckdb") if own else con
    try:
        yield con
    finally:
        if own:
            engine.close(con)


def _of_members(table, column: str, customers: frozenset[str]):
    """The rows of Ibis ``table`` whose ``column`` is one of ``customers`` (a saved segment's ids): a join
    with the ids as a table, not a literal list, so a segment of 100,000 customers stays one hash join."""
    import ibis

    ids = ibis.memtable({"_member": sorted(customers)}, schema={"_member": "string"})
    return table.semi_join(ids, table[column].cast("string") == ids._member)


def sales_scan(orders_id: str, con, include_anonymous: bool = False):
    """The order lines that count as sales (:func:`ecom_analytics.insights.overview.sales_rows`) as an
    Ibis table on ``con``: the kept rows, plus the quarantined rows whose only problem is a missing
    customer id when ``include_anonymous`` (a registered Parquet table has no quarantine)."""
    from ecom_analytics.errors import InputError

    clean = workspace().scan(orders_id, con)
    if not include_anonymous:
        return clean
    try:
        held = workspace().scan(orders_id, con, part="quarantine")
    except InputError:
        return clean
    shared = [c for c in clean.columns if c in held.columns]
    anonymous = held.filter(held.reasons == "missing_customer")
    return clean.select(*shared).union(anonymous.select(*[anonymous[c].cast(clean.schema()[c]) for c in shared]))


@st.cache_data(show_spinner=False, max_entries=8)
def events_overview(dataset_id: str) -> dict:
    """Users, sessions and counts per event type of an events dataset."""
    return overview.events_summary(workspace().scan(dataset_id, scan_connection()))


def load_sample_data() -> dict[str, str]:
    """Ingest the bundled sample orders and events (once per workspace); returns kind -> id."""
    from ecom_analytics.sample import SAMPLE_EVENTS, SAMPLE_ORDERS

    ws = workspace()
    return {
        "orders": pipeline.ensure_dataset(SAMPLE_ORDERS.read_bytes(), SAMPLE_ORDERS.name, ws, kind="orders",
                                          name="Sample: Online Retail (UCI subset)"),
        "events": pipeline.ensure_dataset(SAMPLE_EVENTS.read_bytes(), SAMPLE_EVENTS.name, ws, kind="events",
                                          name="Sample: behaviour events (generated)"),
    }


def _returns(orders_id: str) -> pd.DataFrame:
    from ecom_analytics.ingest.inputs import returns_of

    return returns_of(quarantine_rows(orders_id))


@st.cache_data(show_spinner=False, max_entries=4)
def data_range(orders_id: str | None, events_id: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last timestamp over the current orders and events."""
    stamps = [end for dataset_id in (orders_id, events_id) if dataset_id for end in _ends(dataset_id)]
    stamps = [s for s in stamps if pd.notna(s)]
    return min(stamps), max(stamps)


@st.cache_data(show_spinner=False, max_entries=32)
def _ends(dataset_id: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last timestamp of a stored dataset's kept rows (NaT when it has none), read where it lies."""
    with scanning() as con:
        t = workspace().scan(dataset_id, con)
        row = t.aggregate(first=t.timestamp.min(), last=t.timestamp.max()).to_pandas().iloc[0]
    return pd.Timestamp(row["first"]), pd.Timestamp(row["last"])


@st.cache_data(show_spinner=False, max_entries=32)
def dataset_period(dataset_id: str):
    """First and last day of a stored dataset's kept rows (an ecom_analytics.insights.periods.Period), or None
    when it has no readable timestamp. The catalogue's report does not hold it, so it is read once
    per dataset id where the kept rows lie."""
    from ecom_analytics.insights.periods import period_of

    first, last = _ends(dataset_id)
    return period_of(pd.Series([first, last], dtype="datetime64[us]"))


@st.cache_data(show_spinner=False, max_entries=6)
def customer_features(orders_id: str | None, events_id: str | None, cutoff: str,
                      customers_id: str | None = None) -> pd.DataFrame:
    """Feature table as of ``cutoff`` (ISO date) for the current datasets."""
    from ecom_analytics.insights.features import build_customer_features

    customers = clean_rows(customers_id).drop(columns="source_line") if customers_id else None
    with scanning() as con:
        return build_customer_features(_scan(orders_id, con), cutoff, events=_scan(events_id, con),
                                       returns=_returns_scan(orders_id, con), customers=customers)


@st.cache_data(show_spinner=False, max_entries=6)
def task_labels(orders_id: str | None, events_id: str | None, cutoff: str, horizon_days: int, task: str) -> pd.Series:
    """Labels of ``task`` for [cutoff, cutoff + horizon), counted where the datasets lie."""
    from ecom_analytics.insights.features import build_labels

    with scanning() as con:
        return build_labels(_scan(orders_id, con), cutoff, horizon_days, task=task, events=_scan(events_id, con))


def _scan(dataset_id: str | None, con):
    """A stored dataset's kept rows as an Ibis table on ``con`` (None for no dataset)."""
    return workspace().scan(dataset_id, con) if dataset_id else None


def _returns_scan(orders_id: str | None, con):
    """The quarantined cancellations naming a customer (:func:`ecom_analytics.ingest.inputs.returns_of`)
    as an Ibis table on ``con``; None without orders or for a registered table (no quarantine)."""
    from ecom_analytics.errors import InputError
    from ecom_analytics.ingest.inputs import returns_expr

    if not orders_id:
        return None
    try:
        return returns_expr(workspace().scan(orders_id, con, part="quarantine"))
    except InputError:
        return None


@st.cache_data(show_spinner=False, max_entries=4)
def rfm(orders_id: str, cutoff: str, start: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """RFM scores per customer and the per-segment summary, as of ``cutoff`` (ISO date: orders
    before it count), from the orders on or after ``start`` only when given (a period's first day)."""
    from ecom_analytics.engine import on_days
    from ecom_analytics.insights.features import order_features
    from ecom_analytics.insights.segments import rfm_scores, segment_summary

    with scanning() as con:
        rows = on_days(workspace().scan(orders_id, con), _day(start), None)
        scores = rfm_scores(order_features(rows, cutoff))
    return scores, segment_summary(scores)


@st.cache_data(show_spinner=False, max_entries=4)
def cohort_table(orders_id: str, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Monthly acquisition cohorts (long form), aggregated where the dataset lies (its Parquet read in
    place: only the table comes back to pandas); with a period (ISO days, None: open), the customers
    acquired on its days and their orders up to its end."""
    from ecom_analytics.insights.cohorts import cohorts

    return cohorts(workspace().scan(orders_id, scan_connection()), start=_day(start), end=_day(end))


def _day(iso: str | None):
    return pd.Timestamp(iso).date() if iso else None


@st.cache_data(show_spinner=False, max_entries=8)
def funnel_table(events_id: str, by: str | None, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """The closed view -> cart -> purchase funnel, overall or per ``by``, of the events on the days
    [``start``, ``end``] (ISO, None: open), aggregated where the dataset lies (its Parquet read in
    place: only the counts come back to pandas)."""
    from ecom_analytics.insights.cohorts import funnel

    return funnel(workspace().scan(events_id, scan_connection()), by, start=_day(start), end=_day(end))


@st.cache_data(show_spinner=False, max_entries=4)
def products(orders_id: str | None, events_id: str | None, merchandise_only: bool = False, start: str | None = None,
             end: str | None = None, customers: frozenset[str] | None = None) -> pd.DataFrame:
    """The product report over the current orders and events (without postage, fees and
    adjustments when ``merchandise_only``), on the days [``start``, ``end``] (ISO; None: open), of the
    ``customers`` (and the events of the same user ids) only when given."""
    from ecom_analytics.engine import on_days
    from ecom_analytics.insights.cohorts import product_report
    from ecom_analytics.ingest.merchandise import without_fees_of

    with scanning() as con:
        orders = on_days(workspace().scan(orders_id, con), _day(start), _day(end)) if orders_id else None
        events = on_days(workspace().scan(events_id, con), _day(start), _day(end)) if events_id else None
        if merchandise_only:
            fees = fee_products(orders_id, events_id)
            orders = None if orders is None else without_fees_of(orders, fees)
            events = None if events is None else without_fees_of(events, fees)
        if customers is not None:
            orders = None if orders is None else _of_members(orders, "customer_id", customers)
            events = None if events is None else _of_members(events, "user_id", customers)
        return product_report(orders, events)


@st.cache_data(show_spinner=False, max_entries=8)
def fee_products(orders_id: str | None, events_id: str | None) -> pd.DataFrame:
    """The non-merchandise products (postage, fees, adjustments) of the current orders and events."""
    from ecom_analytics.ingest.merchandise import fee_products_of

    with scanning() as con:
        frames = [fee_products_of(workspace().scan(i, con)) for i in (orders_id, events_id) if i]
    if not frames:
        return pd.DataFrame(columns=["product_id", "product_name"])
    return pd.concat(frames).drop_duplicates("product_id").sort_values("product_id").reset_index(drop=True)


def run_exists(run_id: str) -> bool:
    """Whether a trained run with this id is stored in the workspace."""
    from ecom_analytics.store import is_valid_id

    return is_valid_id(run_id) and (workspace().home / "models" / run_id / "meta.json").exists()


@st.cache_data(show_spinner=False, max_entries=8)
def stored_run(run_id: str):
    """A stored training run (leaderboard, test scores, predictions, curves)."""
    from ecom_analytics.predict.registry import load_run

    return load_run(workspace(), run_id)


def runs_for(orders_id: str | None, events_id: str | None, customers_id: str | None) -> pd.DataFrame:
    """Stored runs trained on exactly the current datasets, newest first."""
    from ecom_analytics.predict.registry import list_runs

    runs = list_runs(workspace())
    if runs.empty:
        return runs
    want = {"orders": orders_id, "events": events_id, "customers": customers_id}
    keep = runs["datasets"].map(lambda d: all(d.get(k) == v for k, v in want.items()))
    return runs[keep].sort_values("created", ascending=False).reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=4)
def segments_at_end(orders_id: str) -> pd.Series:
    """Each customer's RFM segment as of the day after the last order."""
    from ecom_analytics.insights.features import order_features
    from ecom_analytics.insights.segments import rfm_scores

    from ecom_analytics.ingest.inputs import day_after

    with scanning() as con:
        return rfm_scores(order_features(workspace().scan(orders_id, con), day_after(_ends(orders_id)[1])))["segment"]


@st.cache_data(show_spinner=False, max_entries=4)
def neural_importance(run_id: str) -> pd.DataFrame:
    """Permutation importance of a run's final neural model on its test window."""
    from ecom_analytics.predict.evaluation import permutation_importance
    from ecom_analytics.predict.registry import load_neural

    stored = stored_run(run_id)
    model = load_neural(workspace(), run_id)
    test = stored.test
    features = [c for c in stored.meta["features"] if c in test.columns]
    metric = "mae" if stored.meta["task"] == "revenue" else "roc_auc"
    predict = model.predict if metric == "mae" else model.predict_proba
    return permutation_importance(predict, test[features], test["label"].to_numpy(), metric=metric, columns=features)


@st.cache_data(show_spinner=False, max_entries=4)
def score_other(run_id: str, orders_id: str) -> pd.Series:
    """Scores of another stored orders dataset by a run's neural model."""
    from ecom_analytics.predict.registry import score_new_data

    return score_new_data(workspace(), run_id, clean_rows(orders_id), returns=_returns(orders_id))


# The Forecast and Recommendations pages' cached runs are in ecom_analytics.ui.forecast_cache.

# The Campaigns page's cached loaders are in ecom_analytics.ui.campaign_cache.


# --- several related tables uploaded together (ecom_analytics.ingest.tables, issue #16) -------------------
# Kept in a server-wide dict rather than ``st.cache_data`` on the functions: reading the files and
# joining them report progress to a bar the page drew, which a cached function cannot replay
# (as campaign_analysis). Keyed by the files' digests and the analyst's corrections (JSON); a
# proposal holds the read files (about 5 times their text), so few are kept and for 15 minutes.
_TABLES_KEEP_SECONDS = 900


@st.cache_resource(show_spinner=False)
def _tables_store() -> dict:
    """Process-wide store of proposals and joined results: key -> (time stored, value)."""
    return {}


def _tables_cached(key: tuple, make, keep: int):
    import time

    store = _tables_store()
    now = time.monotonic()
    for old in [k for k, (at, _) in store.items() if now - at > _TABLES_KEEP_SECONDS]:
        store.pop(old, None)
    if key not in store:
        value = make()
        same_kind = [k for k in store if k[0] == key[0]]
        while len(same_kind) >= keep:
            store.pop(same_kind.pop(0), None)
        store[key] = (now, value)
    return store[key][1]


class StackedUpload:
    """Files of one layout joined into one (see :mod:`ecom_analytics.ingest.stacking`), shown to the Data page
    as one upload: its ``name`` and ``getvalue()``, as Streamlit's uploaded files give them."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


@st.cache_data(show_spinner=False, max_entries=4)
def sales_among(digests: tuple[str, ...], _files: list[tuple[bytes, str]]) -> int | None:
    """The one sales table among several uploads whose other files are catalogues of its keys (see
    :func:`ecom_analytics.ingest.tables.sales_table_among`), by the files' sha256 ``digests``; from the
    proposal the tables view reads anyway (:func:`tables_proposal`, kept), so the files are read once. None
    when a file cannot be read (the tables view says why)."""
    from ecom_analytics.ingest import tables

    try:
        return tables.sales_table_among(tables_proposal(digests, _files))
    except InputError:
        return None


def tables_proposal(digests: tuple[str, ...], files: list[tuple[bytes, str]], corrections: str = "{}",
                    on_progress=None):
    """The proposal of :func:`ecom_analytics.ingest.tables.propose_tables` for ``files`` ((bytes, name),
    ``digests`` their sha256 in the same order) with the analyst's ``corrections`` (JSON of
    :meth:`TablesProposal.with_choices`: only what was changed) applied. Reading is done once per
    set of files, ``on_progress(share, file name)`` while reading."""
    import json

    from ecom_analytics.ingest import tables

    names = tuple(name for _, name in files)
    base = _tables_cached(("read", digests, names), lambda: tables.propose_tables(files, on_progress=on_progress),
                          keep=2)
    choices = json.loads(corrections)
    if not choices.get("roles") and not choices.get("relations") and "person_key" not in choices:
        return base  # None as the person key is a choice too (the per-order id)
    return _tables_cached(("proposal", digests, names, corrections), lambda: base.with_choices(choices), keep=6)


def tables_result(digests: tuple[str, ...], files: list[tuple[bytes, str]], corrections: str, revenue: str,
                  outlier_policy: str, salt: str):
    """The joined and cleaned dataset of that proposal (:func:`ecom_analytics.ingest.tables.apply_proposal`,
    an ``IngestResult`` not stored yet), computed once per files, corrections and options."""
    import hashlib

    from ecom_analytics.ingest import tables

    names = tuple(name for _, name in files)
    proposal = tables_proposal(digests, files, corrections)
    salted = hashlib.sha256(salt.encode()).hexdigest()[:12]  # the workspace's salt pseudonymises e-mail keys
    return _tables_cached(("result", digests, names, corrections, revenue, outlier_policy, salted),
                          lambda: tables.apply_proposal(proposal, revenue=revenue, outlier_policy=outlier_policy,
                                                        salt=salt), keep=2)


# --- the segment builder (issue #21) ------------------------------------------------------------
PREDICTION_COLUMNS = {"purchase": "p_purchase", "churn": "p_churn", "revenue": "predicted_revenue"}


@st.cache_data(show_spinner=False, max_entries=4)
def segment_table(orders_id: str, events_id: str | None, customers_id: str | None, as_of: str,
                  run_ids: tuple[str, ...]) -> pd.DataFrame:
    """The customer table segments are built on: features as of ``as_of``, RFM scores and the best
    model's scores of each run in ``run_ids`` (one per task) as p_purchase, p_churn, predicted_revenue."""
    from ecom_analytics.insights.segment_builder import customer_table

    features = customer_features(orders_id, events_id, as_of, customers_id)
    scores, _ = rfm(orders_id, as_of)
    predictions = {}
    for run_id in run_ids:
        stored = stored_run(run_id)
        column = PREDICTION_COLUMNS.get(stored.meta["task"])
        best = stored.meta.get("best_model")
        if column and best in stored.predictions.columns:
            predictions[column] = stored.predictions[best]
    return customer_table(features, scores, predictions)


@st.cache_data(show_spinner=False, max_entries=4)
def email_digests(orders_id: str) -> pd.DataFrame | None:
    """Each customer's e-mail digests for ad platforms, when the orders were kept with them."""
    from ecom_analytics.insights.segment_builder import email_digests as find

    return find(clean_rows(orders_id))


@st.cache_data(show_spinner=False, max_entries=8)
def what_changed(orders_id: str, include_anonymous: bool, freq: str, measure: str,
                 customers: frozenset[str] | None = None):
    """The last complete period of ``measure`` against its backtested forecast interval, with its
    drivers (see ecom_analytics.forecasting.changes), of the ``customers`` only when given."""
    from ecom_analytics.forecasting.changes import what_changed as judge

    rows = overview.sales_rows(clean_rows(orders_id), quarantine_rows(orders_id) if include_anonymous else None,
                               include_anonymous=include_anonymous)
    if customers is not None:
        rows = rows[rows["customer_id"].astype("string").isin(customers).fillna(False).to_numpy()]
    return judge(rows, measure, freq)
