"""Which datasets this browser session works on, kept in session state and in the URL.

The URL carries only dataset ids (``?orders=<id>&events=<id>&customers=<id>&sales=<id>&campaign=<id>``): a refresh or a shared link
reopens the same data from the workspace, and no data value or personal data is in the link.
"""

from __future__ import annotations

import logging
import traceback

import streamlit as st

from ecom_analytics.errors import InputError, NotFoundError
from ecom_analytics.store import Workspace, is_valid_id
from ecom_analytics.ui.i18n import KEY as LANG_KEY, current_language, t, te

log = logging.getLogger("ecom_analytics.ui")

KINDS = ("orders", "events", "customers", "sales", "campaign")


@st.cache_resource
def _workspace(home: str | None) -> Workspace:
    return Workspace(home)


def workspace() -> Workspace:
    """The workspace of this server ($ECOM_ANALYTICS_HOME or ./workspace)."""
    import os

    return _workspace(os.environ.get("ECOM_ANALYTICS_HOME"))


def engine_name() -> str:
    """The engine this server's aggregates run on: ``$ECOM_ANALYTICS_ENGINE`` (duckdb by default, or
    spark; see :func:`ecom_analytics.engine.configured`, which falls back to DuckDB with a warning)."""
    from ecom_analytics import engine

    return engine.configured()[0]


def scan_connection():
    """The backend a stored dataset is scanned on: the shared Spark backend on Spark, None on DuckDB
    (each scan opens its own in-process DuckDB)."""
    from ecom_analytics import engine

    return engine.connect("spark") if engine_name() == "spark" else None


def sync_from_url() -> list[str]:
    """Adopt dataset ids from the URL (first run of a session, or a pasted link).

    Returns a list of problems to show (malformed or unknown ids), never raises.
    """
    problems = []
    for kind in KINDS:
        value = st.query_params.get(kind)
        if value is None or value == st.session_state.get(f"{kind}_id"):
            continue
        try:
            stored = is_valid_id(value) and workspace().has_dataset(value)
        except (InputError, NotFoundError) as exc:  # e.g. an older program still holds the workspace
            problems.append(t("The data in this link cannot be opened right now: {reason}", reason=te(exc)))
            break
        except Exception as exc:  # noqa: BLE001 - opening a link must never end in Streamlit's error box
            log.error("Opening the link's datasets failed:\n%s", traceback.format_exc())
            problems.append(t("The data in this link cannot be opened right now ({error}); try again in a moment. "
                              "The details are in the server log.", error=type(exc).__name__))
            break
        if stored:
            st.session_state[f"{kind}_id"] = value
        else:
            problems.append(t("The link names a {kind} dataset that is not in this workspace; "
                              "it may have been deleted. Choose data on the Data page.", kind=t(kind)))
    return problems


#: the period the analysis pages look at and what it is compared with, kept in the URL like the data
PERIOD_PARAMS = {"from": "period_from", "to": "period_to", "vs": "period_vs"}


def sync_period_from_url() -> None:
    """Adopt a period from the URL (``from``/``to`` as YYYY-MM-DD, ``vs`` previous or last_year);
    a value that cannot be read is dropped from the URL, never an error."""
    import datetime as dt

    from ecom_analytics.insights.periods import COMPARISONS

    for param, key in PERIOD_PARAMS.items():
        value = st.query_params.get(param)
        if value is None:
            continue
        try:
            ok = value in COMPARISONS if param == "vs" else bool(dt.date.fromisoformat(value))
        except ValueError:
            ok = False
        if ok:
            st.session_state[key] = value
        else:
            del st.query_params[param]


def sync_to_url() -> None:
    """Write the current dataset ids (and the period, when one is chosen) to the URL so refresh and
    links keep them."""
    for param, key in PERIOD_PARAMS.items():
        value = st.session_state.get(key)
        if value and st.query_params.get(param) != value:
            st.query_params[param] = value
        elif not value and param in st.query_params:
            del st.query_params[param]
    for kind in KINDS:
        value = st.session_state.get(f"{kind}_id")
        if value and st.query_params.get(kind) != value:
            st.query_params[kind] = value
        elif not value and kind in st.query_params:
            del st.query_params[kind]


def current_id(kind: str) -> str | None:
    """The id of the dataset of ``kind`` this session works on, if any."""
    return st.session_state.get(f"{kind}_id")


def set_current(kind: str, dataset_id: str | None) -> None:
    """Make ``dataset_id`` the current dataset of ``kind`` (and put it in the URL)."""
    st.session_state[f"{kind}_id"] = dataset_id
    sync_to_url()


def link_params() -> dict[str, str]:
    """Query parameters that reopen the current data (and language) on another page."""
    params = {k: v for k in KINDS if (v := current_id(k))}
    params.update({param: v for param, key in PERIOD_PARAMS.items() if (v := st.session_state.get(key))})
    if current_language() != "en":  # English is the default and leaves no parameter
        params[LANG_KEY] = current_language()
    return params
