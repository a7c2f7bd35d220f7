"""Workspace: every dataset and trained model stored on this server; open, rename, delete."""

import pandas as pd
import streamlit as st

from ecom_analytics.predict.registry import delete_run, list_runs
from ecom_analytics.predict.training import MODEL_LABELS
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.i18n import t
from ecom_analytics.ui.router import page_guard

page_guard()

st.title(t("Workspace"))
st.caption(t("Stored in `{home}` (set ECOM_ANALYTICS_HOME to move it). A dataset is stored once, under an id "
             "derived from its content and the mapping applied to it.", home=state.workspace().home))

ws = state.workspace()
datasets = pd.DataFrame()
with widgets.friendly_errors(t("Listing the datasets")):
    datasets = ws.list_datasets()
st.subheader(t("Datasets"))
if datasets.empty:
    st.info(t("No dataset yet."), icon=":material/info:")
    st.page_link("pages/data.py", label=t("Upload one on the Data page"), icon=":material/upload_file:")
else:
    shown = datasets.assign(size_mb=datasets["size_bytes"] / 2**20, current=[
        state.current_id(k) == d for k, d in zip(datasets["kind"], datasets["dataset_id"])])
    st.dataframe(shown[["name", "kind", "rows_in", "rows_clean", "rows_quarantined", "revenue_clean", "size_mb",
                        "created_at", "dataset_id", "current"]], hide_index=True, column_config={
        "name": t("Name"), "kind": t("Kind"), "rows_in": st.column_config.NumberColumn(t("Rows in"), format="localized"),
        "rows_clean": st.column_config.NumberColumn(t("Rows kept"), format="localized"),
        "rows_quarantined": st.column_config.NumberColumn(t("Set aside"), format="localized"),
        "revenue_clean": st.column_config.NumberColumn(t("Revenue kept"), format="%,.2f"),
        "size_mb": st.column_config.NumberColumn(t("File MB"), format="%.2f"),
        "created_at": st.column_config.DatetimeColumn(t("Created (UTC)"), format="YYYY-MM-DD HH:mm"),
        "dataset_id": t("Id"), "current": st.column_config.CheckboxColumn(t("Open now"))})
    names = dict(zip(datasets["dataset_id"], datasets["name"] + " · " + datasets["kind"].map(t)))
    chosen = st.selectbox(t("Dataset"), list(names), format_func=names.get, key="ws_dataset")
    kind = datasets.set_index("dataset_id").loc[chosen, "kind"]
    c1, c2, c3 = st.columns([1, 2, 1])
    if c1.button(t("Open"), key="ws_open", icon=":material/folder_open:"):
        widgets.make_current(kind, chosen)
        st.rerun()
    new_name = c2.text_input(t("New name"), value=names[chosen].rsplit(" · ", 1)[0], key=f"ws_name_{chosen}",
                             label_visibility="collapsed")
    if c3.button(t("Rename"), key="ws_rename", icon=":material/edit:"):
        with widgets.friendly_errors(t("Renaming")):
            ws.rename_dataset(chosen, new_name)
            loaders.dataset_info.clear()
            st.rerun()
    with st.expander(t("Delete this dataset"), icon=":material/delete:"):
        runs = list_runs(ws)
        linked = runs[runs["datasets"].map(lambda d: chosen in d.values())] if not runs.empty else runs
        st.warning(t("Deleting **{name}** removes its rows, its quarantine and the {n} trained model(s) built on it. "
                     "Links to them will say 'not found'.", name=names[chosen], n=len(linked)), icon=":material/warning:")
        confirm = st.text_input(t("Type DELETE to confirm"), key=f"ws_confirm_{chosen}")
        if st.button(t("Delete for good"), key="ws_delete", type="primary", disabled=confirm != "DELETE"):
            with widgets.friendly_errors(t("Deleting")):
                for run_id in linked.get("run_id", []):
                    delete_run(ws, run_id)
                ws.delete_dataset(chosen)
                if state.current_id(kind) == chosen:
                    state.set_current(kind, None)
                loaders.dataset_info.clear()
                st.rerun()

st.subheader(t("Trained models"))
runs = list_runs(ws)
if runs.empty:
    st.info(t("No trained model yet."), icon=":material/info:")
else:
    table = runs.assign(best=runs["best_model"].map(lambda m: t(MODEL_LABELS.get(m, m))), task=runs["task"].map(t),
                        data=runs["datasets"].map(lambda d: ", ".join(f"{t(k)} {v}" for k, v in d.items() if v)),
                        created=pd.to_datetime(runs["created"], utc=True).dt.tz_localize(None))
    metric_cols = [c for c in ("roc_auc", "mae") if c in table.columns]
    st.dataframe(table[["run_id", "task", "horizon_days", "best", *metric_cols, "created", "data"]], hide_index=True,
                 column_config={"run_id": t("Run"), "task": t("Task"), "horizon_days": t("Horizon (days)"),
                                "best": t("Best model"), "data": t("Data"),
                                "created": st.column_config.DatetimeColumn(t("Created (UTC)"), format="YYYY-MM-DD HH:mm"),
                                "roc_auc": st.column_config.NumberColumn(t("Best ROC AUC"), format="%.3f"),
                                "mae": st.column_config.NumberColumn(t("Best MAE"), format="%.2f")})
    run_id = st.selectbox(t("Model"), list(runs["run_id"]), key="ws_run", format_func=widgets.run_labels(runs).get)
    row = runs.set_index("run_id").loc[run_id]
    c1, c2 = st.columns(2)
    if c1.button(t("Open its data and results"), key="ws_open_run", icon=":material/open_in_new:"):
        for kind, dataset_id in row["datasets"].items():  # exactly the run's data (the sidebar warns of periods)
            state.set_current(kind, dataset_id if dataset_id and ws.has_dataset(dataset_id) else None)
        st.switch_page("pages/model.py", query_params={**state.link_params(), "run": run_id})
    if c2.button(t("Delete this model"), key="ws_delete_run", icon=":material/delete:"):
        delete_run(ws, run_id)
        loaders.stored_run.clear()
        st.rerun()
