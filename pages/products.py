"""Products: what is viewed, carted and bought, and what earns."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.exports import csv_bytes
from ecom_analytics.ui import currency_view, loaders, segment_filter, state, widgets
from ecom_analytics.ui.i18n import linked, t
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()

st.title(t("Products"))
orders_id, events_id = state.current_id("orders"), state.current_id("events")
if not orders_id and not events_id:
    widgets.require_dataset("orders", t("The product report uses orders and, when loaded, behaviour events."))
    st.stop()
widgets.require_rows(orders_id, events_id)

report = None
with widgets.friendly_errors(t("Building the product report")):
    _, members = segment_filter.segment_box(orders_id, "pr_segment")
    fees = loaders.fee_products(orders_id, events_id)
    merchandise_only = widgets.merchandise_toggle(fees, key="pr_merch")
    first_day, last_day = loaders.data_range(orders_id, events_id)
    start, end, _ = widgets.period_box(first_day, last_day)
    report = loaders.products(orders_id, events_id, merchandise_only,
                              None if start == pd.Timestamp(first_day).date() else start.isoformat(),
                              None if end == pd.Timestamp(last_day).date() else end.isoformat(), members)
if report is None:
    st.stop()
if report.empty:
    st.info(t("These data have no product ids or names, so there is no product report."), icon=":material/info:")
    st.stop()

c1, c2 = st.columns([3, 2])
query = c1.text_input(t("Search products"), key="pr_search", bind="query-params",
                      placeholder=t("id, name or category contains…"))
# one label per column, in the table and in the sort choices
LABELS = {"product_id": "Product", "product_name": "Name", "category": "Category", "revenue": "Revenue",
          "units": "Units", "orders": "Orders", "customers": "Customers", "views": "Views", "carts": "Carts",
          "purchases": "Purchases", "conversion": "Conversion"}
sortable = [c for c in ("revenue", "units", "orders", "customers", "views", "carts", "purchases", "conversion")
            if c in report.columns]
sort_by = c2.selectbox(t("Sort by"), sortable, **linked("pr_sort", {c: LABELS[c] for c in sortable}))
shown = report
if query:
    text = report[[c for c in ("product_id", "product_name", "category") if c in report.columns]].astype("string")
    mask = text.apply(lambda col: col.str.contains(query, case=False, regex=False).fillna(False)).any(axis=1)
    shown = report[mask]
shown = shown.sort_values(sort_by, ascending=False, na_position="last")
st.caption(t("{n:,} of {total:,} products. Conversion = purchase events / view events.", n=len(shown), total=len(report)))
symbol = currency_view.symbol_of(orders_id)  # revenue is the orders'
number = {"revenue": currency_view.money_format(symbol), "conversion": "percent"}
st.dataframe(shown, hide_index=True, height=520, placeholder="—", column_config={
    c: st.column_config.NumberColumn(t(label), format=number.get(c, "localized")) if c in sortable else t(label)
    for c, label in LABELS.items()})
download(t("Download the product report (CSV)"), partial(csv_bytes, shown, index=False),
                   file_name="products.csv", mime="text/csv", icon=":material/download:")
