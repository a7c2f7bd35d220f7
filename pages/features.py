"""Features: what each customer looks like as of a cutoff date, before any model."""

from functools import partial

import datetime as dt

import pandas as pd
import streamlit as st

from ecom_analytics.charts import insights as charts
from ecom_analytics.ingest import pipeline
from ecom_analytics.exports import csv_bytes
from ecom_analytics.insights.features import feature_catalogue, label_rate_by_decile, numeric_columns
from ecom_analytics.names import TASKS
from ecom_analytics.ui import i18n, loaders, predict_cache, state, widgets
from ecom_analytics.ui.i18n import chart_text, linked, linked_tabs, t
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()
widgets.period_not_followed(t("a customer's features are computed as of the cutoff chosen below, from all orders before it."))
lang = i18n.current_language()
CHART_TEXT = chart_text(charts.INSIGHTS_TEXT)  # the charts' words in the analyst's language

st.title(t("Customer features"))
st.caption(t("One row per customer, computed only from what happened **before** the cutoff. The same "
             "definitions feed the models, so this is what they learn from."))

orders_id, events_id = state.current_id("orders"), state.current_id("events")
customers_id = state.current_id("customers")
if not orders_id and not events_id:
    widgets.require_dataset("orders", t("Load orders (and optionally events) to build customer features."))
    st.stop()
widgets.require_rows(orders_id, events_id, customers_id)

first, last = loaders.data_range(orders_id, events_id)
if orders_id and events_id:
    o_first, o_last = loaders.data_range(orders_id, None)
    e_first, e_last = loaders.data_range(None, events_id)
    if o_last < e_first or e_last < o_first:
        st.warning(t("The orders ({o_first} to {o_last}) and the events ({e_first} to {e_last}) cover different "
                     "periods, so no cutoff sees both. Load files from the same shop and period.",
                     o_first=i18n.date(o_first), o_last=i18n.date(o_last), e_first=i18n.date(e_first),
                     e_last=i18n.date(e_last)), icon=":material/warning:")
end = predict_cache.end_of_data(orders_id, events_id).date()
start = (pd.Timestamp(first).normalize() + pd.Timedelta(days=1)).date()
default_h = 7 if events_id else 30
c1, c2, c3 = st.columns([2, 2, 2])
task = c2.selectbox(t("Prediction task"), TASKS, **linked("ft_task", {"purchase": "Purchase: buys again in the window",
                                                       "churn": "Churn: active before, inactive in the window",
                                                       "revenue": "Revenue in the window"}))
horizon = int(c3.number_input(t("Horizon (days)"), min_value=1, max_value=365, value=default_h, key="ft_horizon",
                              bind="query-params", help=t("Labels look at [cutoff, cutoff + H)")))
default_cutoff = max(start, end - dt.timedelta(days=horizon))
cutoff = c1.date_input(t("Cutoff"), value=default_cutoff, min_value=start, max_value=end, key="ft_cutoff",
                       bind="query-params",
                       help=t("Features use data strictly before this date (00:00); labels use the H days from it."))
cutoff_iso = pd.Timestamp(cutoff).isoformat()

with st.expander(t("Customer attributes (optional): age, income, region, signup date…"),
                 icon=":material/badge:", expanded=False):
    st.caption(t("A table with one row per customer and a customer id column. Its columns join the features "
                 "(prefixed attr_; dates become days before the cutoff). Names, e-mails and phones are not kept."))
    upload = st.file_uploader(t("Customer table"), key="ft_customers",
                              type=["csv", "tsv", "txt", "gz", "zip", "xlsx", "parquet"])
    if upload is not None:
        with widgets.friendly_errors(t("Reading '{name}'", name=upload.name)):
            new_id = pipeline.ingest_customers(upload.getvalue(), upload.name, state.workspace())
            if new_id != customers_id:
                state.set_current("customers", new_id)
                loaders.dataset_info.clear()
                st.rerun()
    if customers_id:
        info = loaders.dataset_info(customers_id)
        rep = info["report"]["cleaning"]
        st.markdown(t("Joined: **{name}**, {n:,} customers, columns: {columns}", name=info["name"],
                      n=rep["rows_clean"], columns=", ".join(rep["columns"]))
                    + (t(" · {n:,} rows without an id or repeated were left out", n=rep["rows_quarantined"])
                       if rep["rows_quarantined"] else ""))
        if st.button(t("Remove the customer table"), key="ft_customers_remove"):
            state.set_current("customers", None)
            st.rerun()

table = None
with widgets.friendly_errors(t("Building the features")):
    with st.spinner(t("Building customer features…")):
        table = loaders.customer_features(orders_id, events_id, cutoff_iso, customers_id)
if table is None:
    st.stop()
if table.empty:
    st.info(t("No customer has data before this cutoff. Move the cutoff later."), icon=":material/info:")
    st.stop()

labels = None
window_end = pd.Timestamp(cutoff) + pd.Timedelta(days=horizon)
if task in ("purchase", "revenue") and not orders_id:
    st.warning(t("The {task} task needs orders; load an orders file.", task=t(task)), icon=":material/warning:")
else:
    with widgets.friendly_errors(t("Computing the labels")):
        labels = loaders.task_labels(orders_id, events_id, cutoff_iso, horizon, task)
    if window_end.date() > end:
        st.warning(t("The label window runs to {window_end}, past the last data ({last}): labels are incomplete. "
                     "Move the cutoff to {latest} or earlier.", window_end=i18n.date(window_end),
                     last=i18n.date(last), latest=i18n.date(end - dt.timedelta(days=horizon))),
                   icon=":material/warning:")

m = st.columns(4)
m[0].metric(t("Customers"), i18n.number(len(table)), help=t("With an order or an event before the cutoff"))
m[1].metric(t("Features"), f"{table.shape[1]}")
if labels is not None and len(labels):
    if task == "revenue":
        m[2].metric(t("Mean revenue in window"), widgets.money(float(labels.mean())))
    else:
        m[2].metric(t("Purchase rate") if task == "purchase" else t("Churn rate"), i18n.percent(labels.mean()),
                    help=t("Over {n:,} labelled customers", n=len(labels)))
    m[3].metric(t("Labelled customers"), i18n.number(len(labels)),
                help=t("purchase and revenue: customers with an order before the cutoff; churn: active in the 28 "
                       "days before"))

catalogue = feature_catalogue(list(table.columns))
numeric = numeric_columns(table)
# the open tab is kept in the link (ft_tab, either language); only the open tab computes its charts
tab_names = {"table": "Table", "distributions": "Distributions", "correlations": "Correlations",
             "label": "What goes with the label", "dictionary": "Feature dictionary"}
tab_table, tab_dist, tab_corr, tab_label, tab_dict = st.tabs(**linked_tabs("ft_tab", tab_names))

with tab_table:
    if tab_table.open is not False:  # None when the tabs do not track state
        query = st.text_input(t("Find customers"), key="ft_search", placeholder=t("customer id contains…"))
        shown = table
        if query:
            shown = table[table.index.str.contains(query, case=False, regex=False)]
        config = {row.feature: st.column_config.Column(help=f"{t(row.description)} ({t(row.unit)})")
                  for row in catalogue.itertuples()}
        st.dataframe(shown.head(5000).round(2), height=420, column_config=config, placeholder="—")
        st.caption((t("{n:,} customers (first 5,000 shown).", n=len(shown)) if len(shown) > 5000
                    else t("{n:,} customers.", n=len(shown))) + " " + t("Hover a column header for its meaning."))
        download(t("Download features (CSV)"), partial(csv_bytes, shown),
                           file_name=f"features_{cutoff}.csv", mime="text/csv", icon=":material/download:")

with tab_dist:
    if tab_dist.open is not False:  # None when the tabs do not track state
        left, right = st.columns([3, 1])
        feature = right.selectbox(t("Feature"), numeric, key="ft_dist_feature", bind="query-params")
        log_y = right.toggle(t("Log scale"), value=True, key="ft_log")
        unit = catalogue.set_index("feature").loc[feature, "unit"] if feature in set(catalogue["feature"]) else ""
        left.plotly_chart(charts.feature_histogram_chart(table[feature], feature, t(unit) if unit else unit, log_y, lang=lang,
                                                         text=CHART_TEXT))
        stats = table[feature].describe(percentiles=[0.25, 0.5, 0.75, 0.95])
        right.dataframe(stats.rename("value").to_frame(),
                        column_config={"value": st.column_config.NumberColumn(t("Value"), format="%.3g")})

with tab_corr:
    if tab_corr.open is not False:  # None when the tabs do not track state
        chosen = st.multiselect(t("Features"), numeric, default=[c for c in numeric if table[c].nunique() > 1][:14],
                                key="ft_corr_features")
        if len(chosen) >= 2:
            st.pyplot(charts.correlation_heatmap(table, chosen, lang=lang, text=CHART_TEXT), width="content")
            st.caption(t("Spearman correlation: +1 when two features rise together in rank, -1 when one falls as the "
                         "other rises. Strongly correlated features carry the same information."))
        else:
            st.info(t("Choose at least two features."), icon=":material/info:")

with tab_label:
    if tab_label.open is not False:  # None when the tabs do not track state
        if labels is None or labels.empty:
            st.info(t("No labels for this task and cutoff."), icon=":material/info:")
        else:
            feature = st.selectbox(t("Feature"), numeric, key="ft_label_feature", bind="query-params",
                                   index=numeric.index("recency_days") if "recency_days" in numeric else 0)
            deciles = label_rate_by_decile(table, labels, feature)
            st.plotly_chart(charts.label_rate_chart(deciles, feature, task, lang=lang, text=CHART_TEXT))
            if len(deciles) >= 2:
                lo, hi = deciles["label_mean"].iloc[0], deciles["label_mean"].iloc[-1]
                fmt = widgets.money if task == "revenue" else i18n.percent
                reading = {"purchase": "Reading: customers in the lowest decile of {feature} have a purchase rate of "
                                       "{low}, the highest decile {high}.",
                           "churn": "Reading: customers in the lowest decile of {feature} have a churn rate of {low}, "
                                    "the highest decile {high}.",
                           "revenue": "Reading: customers in the lowest decile of {feature} have a mean revenue of "
                                      "{low}, the highest decile {high}."}
                st.caption(t(reading[task], feature=feature, low=fmt(lo), high=fmt(hi)))

with tab_dict:
    if tab_dict.open is not False:  # None when the tabs do not track state
        st.dataframe(catalogue.assign(description=catalogue["description"].map(t), unit=catalogue["unit"].map(t)),
                     hide_index=True, column_config={"feature": t("Feature"), "unit": t("Unit"),
                                                     "description": st.column_config.TextColumn(t("Description"),
                                                                                                width="large")})
