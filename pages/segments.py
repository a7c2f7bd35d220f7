"""Segments: RFM scores and the named segments they put customers in."""

import datetime as dt
from functools import partial

import pandas as pd

import streamlit as st

from ecom_analytics.charts import insights as charts
from ecom_analytics.exports import csv_bytes
from ecom_analytics.insights.segments import SEGMENTS, score_notes, segment_changes
from ecom_analytics.ui import currency_view, i18n, loaders, predict_cache, widgets
from ecom_analytics.ui.i18n import chart_text, linked, t, tn
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()
lang = i18n.current_language()
CHART_TEXT = chart_text(charts.INSIGHTS_TEXT)  # the charts' words in the analyst's language

st.title(t("RFM segments"))
st.caption(t("Each customer gets a score from 1 to 5 for **recency** (5 = bought most recently), **frequency** "
             "(5 = most orders) and **monetary** value (5 = most revenue), by quintile; recency and frequency "
             "name the segment.") + " " +
           t("Customers with equal values share a score; when ties would leave a score empty (many customers "
             "with one order), the values are cut into five groups as equal in size as the ties allow."))

orders_id = widgets.require_dataset("orders", t("RFM segments are computed from orders."))
if not orders_id:
    st.stop()
widgets.require_rows(orders_id)
first_day, last_day = loaders.data_range(orders_id, None)
period = widgets.chosen_period(first_day, last_day)
# scored as of the day after the period (the day after the last order for the whole data), from its orders only
as_of = predict_cache.end_of_data(orders_id, None) if period.until is None else \
    pd.Timestamp(period.end) + pd.Timedelta(days=1)
result = earlier = None
with widgets.friendly_errors(t("Scoring customers")):
    with st.spinner(t("Scoring customers…")):
        result = loaders.rfm(orders_id, as_of.date().isoformat(), period.since)
        if period.against is not None:
            earlier = loaders.rfm(orders_id, (period.against[1] + dt.timedelta(days=1)).isoformat(),
                                  period.against[0].isoformat())
if result is None:
    st.stop()
scores, summary = result
if summary.empty:
    st.info(t("No customer has an order to score.") if period.whole else
            t("No customer has an order from {start} to {end}: choose a longer period in the sidebar.",
              start=i18n.date(period.start), end=i18n.date(period.end)), icon=":material/info:")
    st.stop()
if period.whole:
    st.markdown(t("As of **{date}** (the day after the last order) · {n:,} customers", date=i18n.date(as_of),
                  n=len(scores)))
else:
    st.markdown(t("Orders from **{start}** to **{end}**, scored as of **{date}** (the day after the period) · "
                  "{n:,} customers", start=i18n.date(period.start), end=i18n.date(period.end),
                  date=i18n.date(as_of), n=len(scores)))
compared = None
if earlier is not None:
    if earlier[1].empty:
        st.caption(t("No orders from {start} to {end}, the period compared with.",
                     start=i18n.date(period.against[0]), end=i18n.date(period.against[1])))
    else:
        compared = segment_changes(summary, earlier[1])
        st.caption(t("Compared with the customers scored the same way on {start} to {end} ({n:,} customers): "
                     "the change of each segment's size is in the table.", start=i18n.date(period.against[0]),
                     end=i18n.date(period.against[1]), n=int(earlier[1]["customers"].sum())))
symbol = currency_view.symbol_of(orders_id)

left, right = st.columns([3, 2], gap="large")
left.plotly_chart(charts.rfm_treemap_chart(summary, currency=symbol, lang=lang, text=CHART_TEXT,
                                           segment_names={s: t(s) for s in summary["segment"]}))
right.plotly_chart(charts.rfm_grid_chart(scores, lang=lang, text=CHART_TEXT))
for code, params in score_notes(scores):  # why a score column of the grid is empty
    right.caption(t("Only {distinct} different values of {score}, so only the {score} scores {used} are used and the "
                    "other {score} columns stay empty.", distinct=params["distinct"], score=params["score"],
                    used=("、" if lang == "zh" else ", ").join(str(u) for u in params["used"])))

st.subheader(t("Segments"))
table = compared if compared is not None else summary
columns = ["segment", "customers", *(["customers_before", "customers_change"] if compared is not None else []),
           "customer_share", "revenue", *(["revenue_before"] if compared is not None else []), "revenue_share",
           "median_recency_days", "median_orders", "median_revenue", "advice"]
st.dataframe(
    table.round({"revenue": 0, "median_revenue": 0}).assign(
        segment=table["segment"].map(t), advice=table["advice"].map(t))[columns],
    hide_index=True, placeholder="—",  # a segment empty in this period has no typical values
    column_config={
        "segment": t("Segment"), "customers": st.column_config.NumberColumn(t("Customers"), format="localized"),
        "customers_before": st.column_config.NumberColumn(t("Customers before"), format="localized"),
        "customers_change": st.column_config.NumberColumn(t("Change"), format="%+d"),
        "customer_share": st.column_config.NumberColumn(t("Share of customers"), format="percent"),
        "revenue": currency_view.money_column(t("Revenue"), symbol, 0),
        "revenue_before": currency_view.money_column(t("Revenue before"), symbol, 0),
        "revenue_share": st.column_config.NumberColumn(t("Share of revenue"), format="percent"),
        "median_recency_days": st.column_config.NumberColumn(t("Typical recency (days)"), format="%.0f"),
        "median_orders": st.column_config.NumberColumn(t("Typical orders"), format="%.0f"),
        "median_revenue": currency_view.money_column(t("Typical revenue"), symbol, 0),
        "advice": st.column_config.TextColumn(t("What to do"), width="large"),
    },
)
top = summary.iloc[0]
st.caption(t("Reading: **{segment}** — {customers:.0%} of customers — bring {revenue:.0%} of revenue.",
             segment=t(top["segment"]), customers=top["customer_share"], revenue=top["revenue_share"]))

st.subheader(t("Customers of a segment"))
present = [s for s in SEGMENTS if s in set(summary["segment"])]
segment = st.selectbox(t("Segment"), present, **linked("seg_segment", {s: s for s in present}))
members = scores[scores["segment"] == segment].sort_values("revenue_total", ascending=False)
# on screen the segment's name in the analyst's language (one segment: a single column value)
st.dataframe(members.round({"revenue_total": 2}).assign(segment=t(segment)), height=320, placeholder="—", column_config={
    "recency_days": st.column_config.NumberColumn(t("Recency (days)"), format="%.1f"),
    "orders": st.column_config.NumberColumn(t("Orders"), format="localized"),
    "revenue_total": currency_view.money_column(t("Revenue"), symbol), "_index": t("Customer"),
    "r": t("R score"), "f": t("F score"), "m": t("M score"), "rfm": "RFM", "segment": t("Segment")})
download(tn("Download the {n:,} customer of {segment} (CSV)", "Download the {n:,} customers of {segment} (CSV)",
            len(members), segment=t(segment)),
         partial(csv_bytes, members),
                   file_name=f"segment_{segment.lower().replace(' ', '_').replace(chr(39), '')}.csv",
                   mime="text/csv", icon=":material/download:")
