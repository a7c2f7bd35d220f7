"""Widgets used by several pages."""

from __future__ import annotations

import logging
import traceback
from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from ecom_analytics.errors import InputError, NotFoundError
from ecom_analytics.ui import i18n, loaders, state
from ecom_analytics.ui.i18n import t, tm

log = logging.getLogger("ecom_analytics.ui")


@contextmanager
def friendly_errors(action: str) -> Iterator[None]:
    """Show input problems as a sentence, and unexpected failures without a traceback."""
    try:
        yield
    except (InputError, NotFoundError) as exc:
        st.error(tm(str(exc)), icon=":material/error:")
    except MemoryError:
        st.error(t("{action} needs more memory than this server has. Split the file by date and try again.", action=action),
                 icon=":material/error:")
    except Exception as exc:  # noqa: BLE001 - the UI must never show a traceback
        log.error("%s failed:\n%s", action, traceback.format_exc())
        st.error(t("{action} failed unexpectedly ({error}). Your loaded data is unchanged; "
                   "the details are in the server log.", action=action, error=type(exc).__name__),
                 icon=":material/error:")


def require_dataset(kind: str, what: str) -> str | None:
    """The current dataset id of ``kind``, or an empty-state message pointing to the Data page."""
    dataset_id = state.current_id(kind)
    if dataset_id is None:
        st.info(t("No {kind} loaded yet.", kind=t(kind)) + " " + what, icon=":material/info:")
        col1, col2 = st.columns(2)
        col1.page_link("pages/data.py", label=t("Upload a file on the Data page"), icon=":material/upload_file:")
        col2.page_link("pages/home.py", label=t("Or try the sample data from Home"), icon=":material/home:")
        return None
    return dataset_id


def require_rows(*dataset_ids: str | None) -> None:
    """Stop the page with a pointer to Data quality when a current dataset kept no rows."""
    for dataset_id in dataset_ids:
        if not dataset_id:
            continue
        info = loaders.dataset_info(dataset_id)
        if int(info["rows_clean"]) == 0:
            st.warning(t("Every row of **{name}** was set aside by the cleaning rules, so there is nothing to "
                         "analyse. The Data quality page shows why.", name=info["name"]), icon=":material/warning:")
            st.page_link("pages/data_quality.py", label=t("Open Data quality"), icon=":material/rule:",
                         query_params=state.link_params())
            st.stop()


def money(value: float, currency: str = "") -> str:
    """A money amount with thousands separators and two decimals (no currency conversion)."""
    return i18n.money(value, currency)


def money_short(value: float, currency: str = "") -> str:
    """A money amount short enough for a metric tile: from 10,000 up no decimals (en) or 万/亿 (zh)."""
    return i18n.money_short(value, currency)


def lift_table(frame, binary: bool):
    """``frame`` (with lift, ci_low, ci_high) ready to show, and the column config of those three:
    percentage points for a 0/1 outcome (shares x 100, as the tiles and charts write them), the
    outcome's own units otherwise."""
    if not binary:
        return frame, {"lift": t("lift"), "ci_low": t("CI low"), "ci_high": t("CI high")}
    shown = frame.copy()
    shown[["lift", "ci_low", "ci_high"]] = shown[["lift", "ci_low", "ci_high"]] * 100
    points = {c: st.column_config.NumberColumn(t(label), format="%.2f")
              for c, label in (("lift", "lift (pts)"), ("ci_low", "CI low (pts)"), ("ci_high", "CI high (pts)"))}
    return shown, points


def sidebar_current_data() -> None:
    """The sidebar box naming the data this session works on."""
    with st.sidebar:
        st.caption(t("Current data"))
        any_data = False
        for kind in state.KINDS:
            dataset_id = state.current_id(kind)
            if not dataset_id:
                continue
            try:
                info = loaders.dataset_info(dataset_id)
            except NotFoundError:
                state.set_current(kind, None)
                continue
            any_data = True
            st.markdown(t("**{kind}**: {name}  \n<small>{rows:,} rows kept · id `{id}`</small>",
                          kind=t(kind.capitalize()), name=info["name"], rows=int(info["rows_clean"]), id=dataset_id),
                        unsafe_allow_html=True)
        if not any_data:
            st.markdown(t("<small>Nothing loaded yet.</small>"), unsafe_allow_html=True)


def share_link(slot) -> None:
    """Fill ``slot`` (a sidebar placeholder) with a copyable link to the current view.

    The link is the page's URL with its query parameters: dataset and run ids and view
    settings only, never data values or personal data.
    """
    from urllib.parse import urlencode

    base = st.context.url
    if not base:
        return
    # every value of a repeated key (a multiselect writes one per choice; to_dict keeps only the last)
    # option labels in the language shown (after a language switch the URL may still hold the other's)
    params = [(key, i18n.shown_label(key, value)) for key in st.query_params for value in st.query_params.get_all(key)]
    link = base + ("?" + urlencode(params) if params else "")
    with slot.container():
        st.caption(t("Share this view (copy the link)"))
        st.code(link, language=None, wrap_lines=True)


def run_labels(runs) -> dict[str, str]:
    """run_id -> "purchase · H = 7 days · best Gradient boosting · trained 2026-11-29 10:20 UTC"."""
    from ecom_analytics.training import MODEL_LABELS

    return {r.run_id: t("{task} · H = {h} days · best {model} · trained {created} UTC", task=t(r.task),
                        h=r.horizon_days, model=t(MODEL_LABELS.get(r.best_model, r.best_model)),
                        created=r.created[:16].replace("T", " ")) for r in runs.itertuples()}


def pick_run(why: str, key: str):
    """Choose a trained run of the current datasets (the URL's ``run`` first).

    Returns ``(runs, run_id, stored run)``, or stops the page with an empty state pointing to
    the Model page when nothing is trained yet.
    """
    ids = [state.current_id(k) for k in ("orders", "events", "customers")]
    if not ids[0] and not ids[1]:
        require_dataset("orders", why)
        st.stop()
    runs = loaders.runs_for(*ids)
    if runs.empty:
        st.info(t("No model is trained on the current data yet."), icon=":material/model_training:")
        st.page_link("pages/model.py", label=t("Train one on the Model page"), icon=":material/model_training:")
        st.stop()
    options = list(runs["run_id"])
    wanted = st.query_params.get("run")
    run_id = st.selectbox(t("Trained model"), options, index=options.index(wanted) if wanted in options else 0,
                          format_func=run_labels(runs).get, key=key)
    st.query_params["run"] = run_id
    stored = None
    with friendly_errors(t("Opening the trained model")):
        stored = loaders.stored_run(run_id)
    if stored is None:
        st.stop()
    return runs, run_id, stored
