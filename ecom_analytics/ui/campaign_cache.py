"""Cached loaders of the Campaigns page: the campaign table, its analysis and the run drawn from it.

The page is redrawn on every click; only the first draw of a campaign and settings does the slow
work. Three layers, each keyed by the campaign's source and the settings it depends on:

- :func:`campaign_data` (``st.cache_data``): the campaign table read and prepared;
- :func:`campaign_analysis`: effects, checks and uplift models, kept in a server-wide dict (not
  ``st.cache_resource``: the progress bar updated while fitting would be replayed in other
  sessions) and keyed by :meth:`CampaignSettings.analysis_key`, so a change of money or targeting
  (cost, margin, value, threshold, targeted arm or model, intended split) never refits;
- :func:`campaign_run`: the :class:`~ecom_analytics.runs.Run` assembled from the cached analysis with
  the money and targeting settings (milliseconds: not cached), the same call as the command line's.

A source is ``(kind, key)``: ``("sample", None)``, ``("stored", dataset id)`` or ``("upload",
sha256 of the file)`` with the bytes passed separately (``upload``) so they are hashed once per draw.
"""

from __future__ import annotations

import hashlib
import threading

import streamlit as st

from ecom_analytics.ui.loaders import clean_rows

_LOCK = threading.Lock()
_KEEP = 4  # analyses kept for every session of this server (newest last)


def source_of(data: bytes | None, stored_id: str | None = None) -> tuple[str, str | None]:
    """The key of a campaign source: an upload by its content digest, a stored campaign by its id, else the sample."""
    if data is not None:
        return "upload", hashlib.sha256(data).hexdigest()
    if stored_id:
        return "stored", stored_id
    return "sample", None


_UPLOADS: dict[str, bytes] = {}  # digest -> bytes of the uploads being analysed (the newest few)


def remember_upload(data: bytes) -> tuple[str, str]:
    """Keep an upload's bytes under its digest for the cached loaders; its source key."""
    source = source_of(data)
    with _LOCK:
        _UPLOADS[source[1]] = data
        while len(_UPLOADS) > _KEEP:
            _UPLOADS.pop(next(iter(_UPLOADS)))
    return source


def _frame(source: tuple[str, str | None], filename: str):
    from ecom_analytics.campaign.run import read_campaign

    kind, key = source
    if kind == "stored":
        return clean_rows(key).drop(columns="source_line", errors="ignore")
    if kind == "upload":
        data = _UPLOADS.get(key)
        if data is None:
            from ecom_analytics.errors import InputError

            raise InputError("The uploaded campaign file is no longer in memory; upload it again.")
        return read_campaign((data, filename))
    return read_campaign(None)


@st.cache_data(show_spinner=False, max_entries=4)
def campaign_arms(source: tuple[str, str | None], filename: str, overrides: tuple[tuple[str, str], ...]):
    """(source columns, arm labels, recognised control, recognised columns by role) of the campaign
    file; a role's column is None when none was recognised."""
    from ecom_analytics.campaign.data import arm_values, recognise_columns

    frame = _frame(source, filename)
    arms, control = arm_values(frame, dict(overrides))
    return [str(c) for c in frame.columns], arms, control, recognise_columns(frame, dict(overrides))


@st.cache_data(show_spinner=False, max_entries=8)
def campaign_data(source: tuple[str, str | None], filename: str, settings, orders_id: str | None = None):
    """The campaign table ready for analysis (a campaign list joined with the orders ``orders_id``)."""
    from ecom_analytics.campaign.run import prepare

    frame = _frame(source, filename)
    return prepare(frame, settings, clean_rows(orders_id) if orders_id else None)


@st.cache_resource(show_spinner=False)
def _analyses() -> dict:
    return {}


def cached_analysis(source, filename: str, settings, orders_id: str | None):
    """The analysis kept for these inputs and settings, or None (nothing is computed)."""
    return _analyses().get((source, filename, orders_id, settings.analysis_key()))


def campaign_analysis(source: tuple[str, str | None], filename: str, settings, orders_id: str | None = None,
                      on_progress=None):
    """Effects, checks and uplift models (see ecom_analytics.campaign.run.analyse), fitted once per
    inputs and :meth:`~ecom_analytics.campaign.run.CampaignSettings.analysis_key`."""
    from ecom_analytics.campaign.run import analyse
    from ecom_analytics.runs import no_progress

    key = (source, filename, orders_id, settings.analysis_key())
    results = _analyses()
    found = results.get(key)
    if found is None:
        data = campaign_data(source, filename, _analysis_settings(settings), orders_id)
        found = analyse(data, settings, on_progress or no_progress)
        with _LOCK:  # sessions run in threads: one of them trims at a time
            results[key] = found
            while len(results) > _KEEP:
                results.pop(next(iter(results)))
    return found


def _analysis_settings(settings):
    """``settings`` without its money and targeting fields (one prepared table for all of them)."""
    from ecom_analytics.campaign.run import CampaignSettings

    return CampaignSettings(customer_col=settings.customer_col, arm_col=settings.arm_col, control=settings.control,
                            outcome=settings.outcome, window=settings.window, method=settings.method,
                            segment=settings.segment, models=tuple(settings.models), seed=settings.seed)


def campaign_run(source: tuple[str, str | None], filename: str, settings, orders_id: str | None = None,
                 on_progress=None):
    """The campaign :class:`~ecom_analytics.runs.Run` for ``settings``: the analysis fitted once (with
    progress), then the money and targeting assembled from it."""
    from ecom_analytics.campaign.run import assemble

    analysis = campaign_analysis(source, filename, settings, orders_id, on_progress)
    data = campaign_data(source, filename, _analysis_settings(settings), orders_id)
    found = assemble(data, analysis, settings)
    found.datasets = {"campaign": source[1] if source[0] == "stored" else None, "orders": orders_id}
    return found


@st.cache_data(show_spinner=False, max_entries=8)
def campaign_response(source: tuple[str, str | None], filename: str, settings, orders_id: str | None, arm: str):
    """The response model of ``arm`` (see ecom_analytics.campaign.run.response)."""
    from ecom_analytics.campaign.run import response

    data = campaign_data(source, filename, _analysis_settings(settings), orders_id)
    return response(data, settings.outcome or data.outcomes[0], arm, seed=settings.seed)


@st.cache_data(show_spinner=False, max_entries=8)
def campaign_currency(source: tuple[str, str | None], filename: str) -> str:
    """The symbol of the campaign file's money (its spend and pre-campaign revenue columns, or a currency
    column; see ecom_analytics.ingest.currency), "" when the file names no single currency."""
    from ecom_analytics.campaign.data import recognise_columns
    from ecom_analytics.ingest.currency import detect_currency

    frame = _frame(source, filename)
    roles = recognise_columns(frame)
    found = detect_currency(frame, [c for c in (roles.get("spend"), roles.get("pre_revenue")) if c])
    return found.get("symbol") or ""
