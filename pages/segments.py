"""Segments: RFM scores and the named segments they put customers in."""

import pandas as pd
import streamlit as st

from ecom_analytics import charts
from ecom_analytics.segments import SEGMENTS
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.router import page_guard

page_guard()

st.title("RFM segments")
st.caption("Each customer gets a score from 1 to 5 for **recency** (5 = bought most recently), **frequency** "
           "(5 = most orders) and **monetary** value (5 = most revenue), by quintile; recency and frequency "
           "name the segment.")

orders_id = widgets.require_dataset("orders", "RFM segments are computed from orders.")
if not orders_id:
    st.stop()
widgets.require_rows(orders_id)
_, last = loaders.data_range(orders_id, None)
as_of = (pd.Timestamp(last).normalize() + pd.Timedelta(days=1))
result = None
with widgets.friendly_errors("Scoring customers"):
    with st.spinner("Scoring customers…"):
        result = loaders.rfm(orders_id, as_of.isoformat())
if result is None:
    st.stop()
scores, summary = result
if summary.empty:
    st.info("No customer has an order to score.", icon=":material/info:")
    st.stop()
st.markdown(f"As of **{as_of:%Y-%m-%d}** (the day after the last order) · {len(scores):,} customers")

left, right = st.columns([3, 2], gap="large")
left.plotly_chart(charts.rfm_treemap_chart(summary))
right.plotly_chart(charts.rfm_grid_chart(scores))

st.subheader("Segments")
st.dataframe(
    summary.round({"revenue": 0, "median_revenue": 0})[["segment", "customers", "customer_share", "revenue", "revenue_share", "median_recency_days",
             "median_orders", "median_revenue", "advice"]],
    hide_index=True,
    column_config={
        "segment": "Segment", "customers": st.column_config.NumberColumn("Customers", format="localized"),
        "customer_share": st.column_config.NumberColumn("Share of customers", format="percent"),
        "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
        "revenue_share": st.column_config.NumberColumn("Share of revenue", format="percent"),
        "median_recency_days": st.column_config.NumberColumn("Typical recency (days)", format="%.0f"),
        "median_orders": st.column_config.NumberColumn("Typical orders", format="%.0f"),
        "median_revenue": st.column_config.NumberColumn("Typical revenue", format="localized"),
        "advice": st.column_config.TextColumn("What to do", width="large"),
    },
)
top = summary.iloc[0]
st.caption(f"Reading: **{top['segment']}** — {top['customer_share']:.0%} of customers — bring "
           f"{top['revenue_share']:.0%} of revenue.")

st.subheader("Customers of a segment")
present = [s for s in SEGMENTS if s in set(summary["segment"])]
segment = st.selectbox("Segment", present, key="seg_segment", bind="query-params")
members = scores[scores["segment"] == segment].sort_values("revenue_total", ascending=False)
st.dataframe(members.round({"revenue_total": 2}), height=320, column_config={
    "recency_days": st.column_config.NumberColumn("Recency (days)", format="%.1f"),
    "revenue_total": st.column_config.NumberColumn("Revenue", format="localized")})
st.download_button(f"Download the {len(members):,} customers of {segment} (CSV)", members.to_csv().encode("utf-8"),
                   file_name=f"segment_{segment.lower().replace(' ', '_').replace(chr(39), '')}.csv",
                   mime="text/csv", icon=":material/download:")
