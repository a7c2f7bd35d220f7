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


def stored_all(datasets: dict[str, str | None]) -> dict[str, dict]:
    """The stored runs an All scores table is rebuilt from when this session has no run of every task
    (a reload, a shared link): see :func:`ecom_analytics.predict.all_tasks.stored_together`."""
    from ecom_analytics.predict.all_tasks import stored_together

    return stored_together(workspace(), dict(datasets))


@st.cache_data(show_spinner=False, max_entries=4)
def stored_all_table(run_ids: tuple[tuple[str, str], ...], orders_id: str, lang: str, currency: str, months: int,
                     discount_rate: float) -> pd.DataFrame:
    """The combined table of the stored runs ``run_ids`` (task, run id) and the lifetime value of
    ``orders_id`` over ``months`` (what Train all fits), its reasons in ``lang``."""
    from ecom_analytics.predict.all_tasks import stored_table
    from ecom_analytics.predict.registry import read_meta

    metas = {task: read_meta(workspace(), run_id) for task, run_id in run_ids}
    value = clv_run(orders_id, months, discount_rate)
    return stored_table(workspace(), {task: m for task, m in metas.items() if m is not None},
                        value.result.customers, lang=lang, currency=currency)


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


#: session state: the run of every task at once this session started ({"key", "datasets", "run", "tables"})
ALL_RUN = "all_at_once"


def start_all_run(datasets: dict[str, str | None], settings) -> None:
    """Start the run of every task at once (:func:`ecom_analytics.ui.jobs.start_all`) and remember it
    in this session, so the Predictions page shows its table once it is done."""
    from ecom_analytics.ui import jobs

    job = jobs.start_all(workspace(), datasets, settings)
    st.session_state[ALL_RUN] = {"key": job.key, "datasets": dict(datasets), "run": None, "tables": {}}


def all_run_job(datasets: dict[str, str | None]):
    """The job of this session's run of every task at once on ``datasets`` (None when it started none)."""
    from ecom_analytics.ui import jobs

    found = st.session_state.get(ALL_RUN)
    if not found or found["datasets"] != dict(datasets):
        return None
    return jobs.get(found["key"])


def all_run(datasets: dict[str, str | None]):
    """This session's finished run of every task at once on ``datasets``
    (:class:`ecom_analytics.predict.all_tasks.AllRun`), or None."""
    found = st.session_state.get(ALL_RUN)
    if not found or found["datasets"] != dict(datasets):
        return None
    if found["run"] is None:
        job = all_run_job(datasets)
        if job is not None and job.status == "done" and job.result is not None:
            found["run"] = job.result
    return found["run"]


def all_table(datasets: dict[str, str | None], lang: str, currency: str = "") -> pd.DataFrame | None:
    """The combined table of this session's run of every task at once, its reasons in ``lang`` (made
    once per language and kept in the session)."""
    from ecom_analytics.predict.all_tasks import combined_table

    done = all_run(datasets)
    if done is None:
        return None
    tables = st.session_state[ALL_RUN]["tables"]
    if (lang, currency) not in tables:
        if lang == "en" and not currency:
            tables[(lang, currency)] = done.result
        else:
            tables[(lang, currency)] = combined_table(done.runs, None if done.clv is None else done.clv.result.customers,
                                                      lang=lang, currency=currency)
    return tables[(lang, currency)]
