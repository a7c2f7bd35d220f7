"""Cached access to the library: heavy work runs once per dataset and setting."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecom_analytics import overview, pipeline
from ecom_analytics.ui.state import workspace


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


@st.cache_resource(show_spinner=False, max_entries=4)
def prepared_upload(content_hash: str, data: bytes, filename: str, kind: str | None) -> pipeline.Prepared:
    """A read file with its proposed mapping (kept in memory, keyed by content)."""
    return pipeline.prepare(data, filename, kind=kind)


@st.cache_data(show_spinner=False, max_entries=8)
def orders_overview(dataset_id: str, include_anonymous: bool, freq: str) -> dict:
    """KPIs, sales over time, top products and countries of an orders dataset."""
    rows = overview.sales_rows(clean_rows(dataset_id), quarantine_rows(dataset_id) if include_anonymous else None,
                               include_anonymous=include_anonymous)
    return {
        "kpis": overview.kpis(rows),
        "series": overview.sales_over_time(rows, freq),
        "products": overview.top_products(rows, 15),
        "countries": overview.by_country(rows),
    }


@st.cache_data(show_spinner=False, max_entries=8)
def events_overview(dataset_id: str) -> dict:
    """Users, sessions and counts per event type of an events dataset."""
    return overview.events_summary(clean_rows(dataset_id))


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
