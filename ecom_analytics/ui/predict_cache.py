"""Cached results of customer prediction for the pages: stored runs, their evaluation curves, the
labels of a window and the lifetime-value runs. The pages draw these; nothing here draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecom_analytics.ui import loaders
from ecom_analytics.ui.state import workspace


@st.cache_data(show_spinner=False, max_entries=8)
def run_curves(run_id: str) -> dict[str, pd.DataFrame]:
    """The evaluation curves of a stored run (see :func:`ecom_analytics.predict.run.evaluation_curves`):
    read from the run when it was saved with them, else computed once from its test window."""
    from ecom_analytics.predict.registry import load_curves
    from ecom_analytics.predict.run import evaluation_curves

    saved = load_curves(workspace(), run_id)
    if saved is not None:
        return saved
    stored = loaders.stored_run(run_id)
    test = stored.test[[c for c in stored.test.columns if not c.startswith("score_")]]
    return evaluation_curves(test, stored.test_scores(), stored.meta["task"])


def stored_settings(run_id: str):
    """The :class:`ecom_analytics.predict.run.PredictSettings` a stored run was made with."""
    from ecom_analytics.predict.run import NEURAL_PARAMS, PredictSettings

    meta = loaders.stored_run(run_id).meta
    params = dict(meta.get("params") or {})
    return PredictSettings.make(meta["task"], meta["horizon_days"], seed=params.pop("seed", None),
                                models=params.pop("models", None),
                                **{k: v for k, v in params.items() if k in NEURAL_PARAMS})


@st.cache_data(show_spinner=False, max_entries=4)
def clv_run(orders_id: str, months: int, discount_rate: float, unit: str = "weeks", holdout: bool = False):
    """The lifetime-value run (:func:`ecom_analytics.predict.clv.run`) of a stored orders dataset:
    fitted on all the orders, or with ``holdout`` up to the default calibration end and checked on
    the orders after it."""
    from ecom_analytics.ingest.inputs import Inputs
    from ecom_analytics.predict import clv

    settings = clv.ClvSettings(months=months, discount_rate=discount_rate, unit=unit, holdout=holdout)
    # the orders the other pages already hold in the cache (CLV needs no returns, events or customers)
    inputs = Inputs(orders=loaders.clean_rows(orders_id), datasets={"orders": orders_id})
    return clv.run(workspace(), inputs, settings)


def note_text(note) -> str:
    """A run's :class:`ecom_analytics.runs.Note` in the analyst's language (a run saved before notes
    were coded has its English sentence as the code, read through the message catalogue)."""
    from ecom_analytics.ui.i18n import t

    return t(note.code, **note.params) if note.params else t(note.code)


@st.cache_data(show_spinner=False, max_entries=8)
def end_of_data(orders_id: str | None, events_id: str | None) -> pd.Timestamp:
    """The day after the last order or event of the current datasets (midnight), the latest cutoff:
    data strictly before it is all the data."""
    from ecom_analytics.ingest.inputs import day_after_last

    ends = [day_after_last(loaders.clean_rows(i)) for i in (orders_id, events_id) if i]
    return max(e for e in ends if e is not None)


@st.cache_data(show_spinner=False, max_entries=8)
def run_importance(run_id: str) -> pd.DataFrame | None:
    """The global SHAP summaries saved with a run (:func:`ecom_analytics.predict.registry.load_importance`):
    computed once when the run was trained, read here; None for a run saved before they were kept."""
    from ecom_analytics.predict.registry import load_importance

    return load_importance(workspace(), run_id)


@st.cache_data(show_spinner=False, max_entries=4)
def run_explanation(run_id: str, model: str):
    """``(explanation, features)`` of the customers ``model`` scored at the end of the data, saved with
    the run; ``(None, None)`` when it has none."""
    from ecom_analytics.predict.registry import load_explanation

    return load_explanation(workspace(), run_id, model)


@st.cache_data(show_spinner=False, max_entries=8)
def run_reasons(run_id: str, model: str, lang: str, currency: str = "") -> pd.DataFrame:
    """``reason_1`` .. ``reason_3`` in ``lang`` of every customer ``model`` scored (the columns of the
    predictions exports; empty strings when the run has no explanation of that model)."""
    from ecom_analytics.predict.explain import reason_columns

    found, features = run_explanation(run_id, model)
    index = loaders.stored_run(run_id).predictions.index
    return reason_columns(found, features, index, lang=lang, currency=currency)
