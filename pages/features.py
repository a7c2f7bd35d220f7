"""Features: what each customer looks like as of a cutoff date, before any model."""

import datetime as dt

import pandas as pd
import streamlit as st

from ecom_analytics import charts, pipeline
from ecom_analytics.features import TASKS, feature_catalogue, label_rate_by_decile, numeric_columns
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.router import page_guard

page_guard()

st.title("Customer features")
st.caption("One row per customer, computed only from what happened **before** the cutoff. The same "
           "definitions feed the models, so this is what they learn from.")

orders_id, events_id = state.current_id("orders"), state.current_id("events")
customers_id = state.current_id("customers")
if not orders_id and not events_id:
    widgets.require_dataset("orders", "Load orders (and optionally events) to build customer features.")
    st.stop()
widgets.require_rows(orders_id, events_id, customers_id)

first, last = loaders.data_range(orders_id, events_id)
if orders_id and events_id:
    o_first, o_last = loaders.data_range(orders_id, None)
    e_first, e_last = loaders.data_range(None, events_id)
    if o_last < e_first or e_last < o_first:
        st.warning(f"The orders ({o_first:%Y-%m-%d} to {o_last:%Y-%m-%d}) and the events ({e_first:%Y-%m-%d} to "
                   f"{e_last:%Y-%m-%d}) cover different periods, so no cutoff sees both. Load files from the same "
                   "shop and period.", icon=":material/warning:")
end = (pd.Timestamp(last).normalize() + pd.Timedelta(days=1)).date()
start = (pd.Timestamp(first).normalize() + pd.Timedelta(days=1)).date()
default_h = 7 if events_id else 30
c1, c2, c3 = st.columns([2, 2, 2])
task = c2.selectbox("Prediction task", TASKS, key="ft_task", bind="query-params",
                    format_func={"purchase": "Purchase: buys again in the window",
                                 "churn": "Churn: active before, inactive in the window",
                                 "revenue": "Revenue in the window"}.get)
horizon = int(c3.number_input("Window H (days)", min_value=1, max_value=365, value=default_h, key="ft_horizon", bind="query-params",
                              help="Labels look at [cutoff, cutoff + H)"))
default_cutoff = max(start, end - dt.timedelta(days=horizon))
cutoff = c1.date_input("Cutoff", value=default_cutoff, min_value=start, max_value=end, key="ft_cutoff", bind="query-params",
                       help="Features use data strictly before this date (00:00); labels use the H days from it.")
cutoff_iso = pd.Timestamp(cutoff).isoformat()

with st.expander("Customer attributes (optional): age, income, region, signup date…",
                 icon=":material/badge:", expanded=False):
    st.caption("A table with one row per customer and a customer id column. Its columns join the features "
               "(prefixed attr_; dates become days before the cutoff). Names, e-mails and phones are not kept.")
    upload = st.file_uploader("Customer table", key="ft_customers",
                              type=["csv", "tsv", "txt", "gz", "zip", "xlsx", "parquet"])
    if upload is not None:
        with widgets.friendly_errors(f"Reading '{upload.name}'"):
            new_id = pipeline.ingest_customers(upload.getvalue(), upload.name, state.workspace())
            if new_id != customers_id:
                state.set_current("customers", new_id)
                loaders.dataset_info.clear()
                st.rerun()
    if customers_id:
        info = loaders.dataset_info(customers_id)
        rep = info["report"]["cleaning"]
        st.markdown(f"Joined: **{info['name']}**, {rep['rows_clean']:,} customers, columns: "
                    + ", ".join(rep["columns"]) + (f" · {rep['rows_quarantined']:,} rows without an id or repeated "
                                                    "were left out" if rep["rows_quarantined"] else ""))
        if st.button("Remove the customer table", key="ft_customers_remove"):
            state.set_current("customers", None)
            st.rerun()

table = None
with widgets.friendly_errors("Building the features"):
    with st.spinner("Building customer features…"):
        table = loaders.customer_features(orders_id, events_id, cutoff_iso, customers_id)
if table is None:
    st.stop()
if table.empty:
    st.info("No customer has data before this cutoff. Move the cutoff later.", icon=":material/info:")
    st.stop()

labels = None
window_end = pd.Timestamp(cutoff) + pd.Timedelta(days=horizon)
if task in ("purchase", "revenue") and not orders_id:
    st.warning(f"The {task} task needs orders; load an orders file.", icon=":material/warning:")
else:
    with widgets.friendly_errors("Computing the labels"):
        labels = loaders.task_labels(orders_id, events_id, cutoff_iso, horizon, task)
    if window_end > pd.Timestamp(last) + pd.Timedelta(days=1):
        st.warning(f"The label window runs to {window_end:%Y-%m-%d}, past the last data ({pd.Timestamp(last):%Y-%m-%d}): "
                   f"labels are incomplete. Move the cutoff to {end - dt.timedelta(days=horizon)} or earlier.",
                   icon=":material/warning:")

m = st.columns(4)
m[0].metric("Customers", f"{len(table):,}", help="With an order or an event before the cutoff")
m[1].metric("Features", f"{table.shape[1]}")
if labels is not None and len(labels):
    if task == "revenue":
        m[2].metric("Mean revenue in window", widgets.money(float(labels.mean())))
    else:
        m[2].metric(f"{task.capitalize()} rate", f"{labels.mean():.1%}", help=f"Over {len(labels):,} labelled customers")
    m[3].metric("Labelled customers", f"{len(labels):,}",
                help="purchase and revenue: customers with an order before the cutoff; churn: active in the 28 days before")

catalogue = feature_catalogue(list(table.columns))
numeric = numeric_columns(table)
tab_table, tab_dist, tab_corr, tab_label, tab_dict = st.tabs(
    ["Table", "Distributions", "Correlations", "What goes with the label", "Feature dictionary"])

with tab_table:
    query = st.text_input("Find customers", key="ft_search", placeholder="customer id contains…")
    shown = table
    if query:
        shown = table[table.index.str.contains(query, case=False, regex=False)]
    config = {row.feature: st.column_config.Column(help=f"{row.description} ({row.unit})")
              for row in catalogue.itertuples()}
    st.dataframe(shown.head(5000).round(2), height=420, column_config=config)
    st.caption(f"{len(shown):,} customers" + (" (first 5,000 shown)" if len(shown) > 5000 else "")
               + ". Hover a column header for its meaning.")
    st.download_button("Download features (CSV)", shown.to_csv().encode("utf-8"),
                       file_name=f"features_{cutoff}.csv", mime="text/csv", icon=":material/download:")

with tab_dist:
    left, right = st.columns([3, 1])
    feature = right.selectbox("Feature", numeric, key="ft_dist_feature", bind="query-params")
    log_y = right.toggle("Log scale", value=True, key="ft_log")
    unit = catalogue.set_index("feature").loc[feature, "unit"] if feature in set(catalogue["feature"]) else ""
    left.plotly_chart(charts.feature_histogram_chart(table[feature], feature, unit, log_y))
    stats = table[feature].describe(percentiles=[0.25, 0.5, 0.75, 0.95])
    right.dataframe(stats.rename("value").to_frame(), column_config={"value": st.column_config.NumberColumn(format="%.3g")})

with tab_corr:
    chosen = st.multiselect("Features", numeric, default=[c for c in numeric if table[c].nunique() > 1][:14],
                            key="ft_corr_features")
    if len(chosen) >= 2:
        st.pyplot(charts.correlation_heatmap(table, chosen), width="content")
        st.caption("Spearman correlation: +1 when two features rise together in rank, -1 when one falls as the other "
                   "rises. Strongly correlated features carry the same information.")
    else:
        st.info("Choose at least two features.", icon=":material/info:")

with tab_label:
    if labels is None or labels.empty:
        st.info("No labels for this task and cutoff.", icon=":material/info:")
    else:
        feature = st.selectbox("Feature", numeric, key="ft_label_feature", bind="query-params",
                               index=numeric.index("recency_days") if "recency_days" in numeric else 0)
        deciles = label_rate_by_decile(table, labels, feature)
        st.plotly_chart(charts.label_rate_chart(deciles, feature, task))
        if len(deciles) >= 2:
            lo, hi = deciles["label_mean"].iloc[0], deciles["label_mean"].iloc[-1]
            fmt = (lambda v: widgets.money(v)) if task == "revenue" else (lambda v: f"{v:.1%}")
            st.caption(f"Reading: customers in the lowest decile of {feature} have a {task} "
                       f"{'mean' if task == 'revenue' else 'rate'} of {fmt(lo)}, the highest decile {fmt(hi)}.")

with tab_dict:
    st.dataframe(catalogue, hide_index=True, column_config={"description": st.column_config.TextColumn(width="large")})
