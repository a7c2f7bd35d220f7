"""Predictions: every customer scored today, and the audiences to act on."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.audiences import AUDIENCE_NAMES, DEFAULT_SHARE, audience_summary, score_table
from ecom_analytics.exports import EXCEL_MIME, csv_bytes, excel_bytes
from ecom_analytics.training import MODEL_LABELS
from ecom_analytics.ui import i18n, loaders, state, widgets
from ecom_analytics.ui.i18n import t, url_labels
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()

st.title(t("Predictions"))
st.caption(t("Each customer scored at the end of the data by a model refit on every labelled window. "
             "Audiences take the top share of customers by score, like GA4's predictive audiences."))

orders_id = state.current_id("orders")
runs, run_id, stored = widgets.pick_run(t("Predictions come from a model trained on your data."), "pr_run")
task, horizon = stored.meta["task"], stored.meta["horizon_days"]
models = list(stored.predictions.columns)
c1, c2 = st.columns([2, 3])
model = c1.radio(t("Scores of"), models, horizontal=True, format_func=url_labels("pr_model", {m: MODEL_LABELS.get(m, m) for m in models}),
                 key="pr_model",
                 bind="query-params", help=t("The best model on the test window, and the neural network"))
share = c2.slider(t("{audience}: top % of customers", audience=t(AUDIENCE_NAMES[task])), 1, 50, int(DEFAULT_SHARE[task] * 100), 1,
                  format="%d%%", key=f"pr_share_{task}", bind="query-params") / 100
table = score_table(stored.predictions[model])
if orders_id:
    table["segment"] = loaders.segments_at_end(orders_id).reindex(table.index)
summary = audience_summary(table, share, task)
table["in_audience"] = table["rank"] <= summary["customers"]

m = st.columns(4)
audience = t(summary["name"])
m[0].metric(t("Customers scored"), f"{len(table):,}")
m[1].metric(audience, f"{summary['customers']:,}", help=t("Top {share:.0%} by score", share=share))
if task == "revenue":
    m[2].metric(t("Their predicted revenue"), widgets.money_short(summary["expected"]),
                help=t("Sum of predicted revenue in the next {h} days", h=horizon))
    m[3].metric(t("Lowest score in the audience"), widgets.money(summary["threshold"]))
else:
    m[2].metric(t("Expected buyers") if task == "purchase" else t("Expected churners"), f"{summary['expected']:,.0f}",
                help=t("Sum of the audience's probabilities: the number expected in the next {h} days", h=horizon))
    m[3].metric(t("Lowest probability in the audience"), i18n.percent(summary["threshold"]))
what = {"purchase": t("probability of buying"), "churn": t("probability of going quiet"),
        "revenue": t("predicted revenue")}[task]
st.caption(t("Score = {what} in the {h} days after the end of the data. Percentile 100 = the highest score.",
             what=what, h=horizon))

query = st.text_input(t("Find customers"), key="pr_search", placeholder=t("customer id contains…"))
shown = table[table.index.str.contains(query, case=False, regex=False)] if query else table
score_fmt = st.column_config.NumberColumn(t("Predicted revenue") if task == "revenue" else t("Probability"),
                                          format="localized" if task == "revenue" else "percent")
shown = shown.head(5000)
if "segment" in shown.columns:  # segment names in the analyst's language on screen (the downloads keep English)
    segment_names = {s: t(s) for s in shown["segment"].dropna().unique()}
    shown = shown.assign(segment=shown["segment"].map(segment_names))
st.dataframe(shown, height=420, placeholder="—", column_config={
    "_index": t("Customer"), "score": score_fmt, "rank": t("Rank"), "percentile": st.column_config.NumberColumn(t("Percentile"), format="%.1f"),
    "segment": t("RFM segment"), "in_audience": st.column_config.CheckboxColumn(audience)})
export = table.rename(columns={"score": f"{task}_score"})
export.insert(0, "task", task)
export.insert(1, "horizon_days", horizon)
d1, d2, d3 = st.columns(3)
download(t("All customers (CSV)"), partial(csv_bytes, export), where=d1,
                   file_name=f"predictions_{task}_{run_id}.csv", mime="text/csv", icon=":material/download:")
download(t("{audience} (CSV)", audience=audience), partial(csv_bytes, export[export["in_audience"]]), where=d2,
                   file_name=f"audience_{task}_{run_id}.csv", mime="text/csv", icon=":material/group:")
download(t("All customers (Excel)"), partial(excel_bytes, export, sheet="predictions"), where=d3,
                   file_name=f"predictions_{task}_{run_id}.xlsx", icon=":material/table_view:",
                   mime=EXCEL_MIME)

latest = runs.drop_duplicates("task")  # newest run of each task on these data
if len(latest) > 1:
    with st.expander(t("All tasks side by side ({tasks})", tasks=", ".join(latest["task"].map(t))),
                     icon=":material/join:"):
        combined = {}
        for r in latest.itertuples():
            other_run = loaders.stored_run(r.run_id)
            column = "neural" if "neural" in other_run.predictions.columns else other_run.predictions.columns[0]
            name = {"purchase": "purchase_probability", "churn": "churn_probability",
                    "revenue": "predicted_revenue"}[r.task]
            combined[f"{name}_{r.horizon_days}d"] = other_run.predictions[column]
        both = pd.DataFrame(combined)
        if orders_id:
            both["segment"] = loaders.segments_at_end(orders_id).reindex(both.index)
        st.caption(t("The newest model of each task, neural network scores; customers missing from a task's "
                     "population (e.g. churn only scores recently active customers) are empty there."))
        formats = {c: st.column_config.NumberColumn(format="percent" if "probability" in c else "localized")
                   for c in both.columns if c != "segment"}
        st.dataframe(both.sort_values(both.columns[0], ascending=False).head(5000), height=300,
                     column_config=formats)
        download(t("All tasks (CSV)"), partial(csv_bytes, both),
                           file_name="predictions_all_tasks.csv", mime="text/csv", icon=":material/download:")

with st.expander(t("Score another dataset with this model"), icon=":material/upload:"):
    st.caption(t("Apply this run's neural network to another orders dataset of the workspace (e.g. this month's "
                 "export), without retraining. Features are built at the day after that dataset's last order."))
    if not stored.meta.get("has_neural"):
        st.info(t("This run has no neural network to reuse."), icon=":material/info:")
    else:
        stored_sets = state.workspace().list_datasets()
        candidates = stored_sets[stored_sets["kind"] == "orders"]
        if candidates.empty:
            st.write(t("No orders dataset in the workspace."))
        else:
            names = dict(zip(candidates["dataset_id"], candidates["name"]))
            other = st.selectbox(t("Orders dataset"), list(names), format_func=names.get, key="pr_other")
            if st.button(t("Score it"), key="pr_score_other", icon=":material/play_arrow:"):
                with widgets.friendly_errors(t("Scoring the dataset")):
                    with st.spinner(t("Building features and scoring…")):
                        new_scores = loaders.score_other(run_id, other)
                    other_table = score_table(new_scores)
                    st.dataframe(other_table.head(1000), height=300, placeholder="—")
                    download(t("Download these scores (CSV)"),
                             partial(csv_bytes, other_table),
                                       file_name=f"scores_{task}_{other}.csv", mime="text/csv",
                                       icon=":material/download:")
