"""Cached forecast and recommendation runs for the pages: each run once per dataset and settings.

The pages call these and draw what comes back; the work is the library's runs
(:mod:`ecom_analytics.forecasting.run`, :mod:`ecom_analytics.recommend.run`), fed with the dataset's
rows already cached by :mod:`ecom_analytics.ui.loaders`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecom_analytics.forecasting.run import ForecastSettings
from ecom_analytics.recommend.run import RecommendSettings
from ecom_analytics.runs import Note, Run
from ecom_analytics.ui import loaders
from ecom_analytics.ui.i18n import t

#: the old link keys of the horizon, read once into the new ones (one name per concept: horizon)
OLD_LINK_KEYS = {"fc_h": "fc_horizon", "rec_h": "rec_horizon"}


def adopt_old_link_key(old: str) -> None:
    """A link with the former key of a horizon (``fc_h``) opens with its value under the new key
    (``fc_horizon``), once; the old key is dropped from the link (a value that is not a whole number
    is dropped too). Call before the widget is drawn."""
    new = OLD_LINK_KEYS[old]
    params = st.query_params
    if old not in params:
        return
    value = params[old]
    del params[old]
    if new in params or new in st.session_state:
        return  # the new key wins
    try:
        horizon = min(365, max(1, int(float(value))))  # within both horizons' bounds
    except ValueError:
        return
    st.session_state[new] = horizon
    params[new] = str(horizon)  # the link keeps it under the new key (a share link made now carries it)


def say(note: Note | str) -> str:
    """A coded note in the analyst's language (nested notes worded first)."""
    from ecom_analytics.forecasting.notes import words

    return words(note, t) if isinstance(note, Note) else note


@st.cache_data(show_spinner=False, max_entries=6)
def forecast_series(dataset_id: str, kind: str, settings: ForecastSettings):
    """The series a forecast run with ``settings`` backtests (its horizon and models do not matter). Orders
    are summed per series and period where they lie (the stored Parquet scanned in place, on DuckDB or
    Spark); the coherent levels of ``reconcile`` and pre-aggregated sales tables are built in pandas."""
    from ecom_analytics.forecasting.run import series_of

    if kind == "orders" and not settings.reconcile:
        with loaders.scanning() as con:
            return series_of(loaders.workspace().scan(dataset_id, con), kind, settings)
    table = loaders.clean_rows(dataset_id)
    if kind == "sales":
        from ecom_analytics.forecasting.run import with_keys

        table = with_keys(table.copy(deep=False), loaders.dataset_info(dataset_id).get("mapping") or {})
    return series_of(table, kind, settings)


@st.cache_data(show_spinner=False, max_entries=6)
def forecast_run(dataset_id: str, kind: str, settings: ForecastSettings) -> Run:
    """The forecast run of ``settings`` on the dataset (a :class:`runs.Run`; ``result`` the ForecastResult)."""
    from ecom_analytics.forecasting.run import forecast_series as run_on

    series_settings = ForecastSettings(horizon=1, kind=kind, measure=settings.measure, by=settings.by,
                                       freq=settings.freq, series=settings.series, reconcile=settings.reconcile)
    return run_on(forecast_series(dataset_id, kind, series_settings), settings, datasets={kind: dataset_id})


@st.cache_data(show_spinner=False, max_entries=6)
def forecast_reconciled(dataset_id: str, kind: str, settings: ForecastSettings, model: str, method: str):
    """``model``'s forecast of the run (with ``reconcile``) made coherent by ``method``."""
    from ecom_analytics.forecasting.reconcile import reconcile_run

    return reconcile_run(forecast_run(dataset_id, kind, settings).result, model, method)


@st.cache_data(show_spinner=False, max_entries=4)
def recommend_inputs(orders_id: str, events_id: str | None,
                     merchandise_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Interactions and the product catalogue of the orders (and events), read where the datasets lie
    (only the interaction columns and the catalogue's counts come back)."""
    from ecom_analytics.recommend.run import interactions_of

    with loaders.scanning() as con:
        scan = loaders.workspace().scan
        return interactions_of(scan(orders_id, con), scan(events_id, con) if events_id else None, merchandise_only)


@st.cache_resource(show_spinner=False)
def _recommend_runs() -> dict:
    """Process-wide store of recommendation runs (a dict, so fitting can report progress)."""
    return {}


def recommend_run(orders_id: str, events_id: str | None, settings: RecommendSettings, on_progress=None) -> Run:
    """The recommendation run of ``settings`` (``result`` the RecommendRun), computed once per
    setting; ``on_progress(share, message)`` while fitting."""
    from ecom_analytics.recommend.run import recommend

    store = _recommend_runs()
    key = (orders_id, events_id, settings)
    if key not in store:
        interactions, catalogue = recommend_inputs(orders_id, events_id, settings.merchandise_only)
        run = recommend(interactions, catalogue, settings, on_progress or (lambda share, msg: None),
                        {"orders": orders_id, "events": events_id})
        while len(store) >= 4:
            store.pop(next(iter(store)))
        store[key] = run
    return store[key]


@st.cache_resource(show_spinner=False, max_entries=4)
def product_neighbours(orders_id: str, events_id: str | None, merchandise_only: bool = False):
    """Item-item cosine (bought together) and content (similar names) models fitted on all the data."""
    from ecom_analytics.recommend import make_model

    interactions, catalogue = recommend_inputs(orders_id, events_id, merchandise_only)
    return make_model("item_knn").fit(interactions, catalogue), make_model("content").fit(interactions, catalogue)
