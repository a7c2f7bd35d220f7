"""Overview: revenue, orders, customers and what sells where, over time."""

import streamlit as st

from ecom_analytics import charts
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.router import page_guard

page_guard()

st.title("Overview")

orders_id = state.current_id("orders")
events_id = state.current_id("events")
if not orders_id and not events_id:
    widgets.require_dataset("orders", "Load orders to see revenue, customers and sales over time.")
    st.stop()
widgets.require_rows(orders_id, events_id)

if orders_id:
    top = st.columns([2, 2, 3])
    freq = top[0].segmented_control("Period", ["day", "week", "month"], default="week", key="ov_freq", bind="query-params",
                                    format_func=str.capitalize) or "week"
    measure = top[1].segmented_control("Measure", ["revenue", "orders", "customers"], default="revenue",
                                       key="ov_measure", bind="query-params", format_func=str.capitalize) or "revenue"
    anonymous = top[2].toggle("Include sales without a customer id", key="ov_anonymous", bind="query-params",
                              help="Lines whose only problem is a missing customer id count in revenue and orders; "
                                   "customers and the repeat rate never include them.")
    data = None
    with widgets.friendly_errors("Computing the overview"):
        with st.spinner("Summarising orders…"):
            data = loaders.orders_overview(orders_id, anonymous, freq)
    if data is not None:
        k = data["kpis"]
        c = st.columns(5)
        c[0].metric("Revenue", widgets.money_short(k["revenue"]), help=f"Sum of line amounts: {widgets.money(k['revenue'])}")
        c[1].metric("Orders", f"{k['orders']:,}")
        c[2].metric("Customers", f"{k['customers']:,}")
        c[3].metric("Average order value", widgets.money(k["aov"]), help="Revenue / orders")
        c[4].metric("Repeat customers", f"{k['repeat_rate']:.1%}", help="Share of customers with 2 or more orders")
        if k["first_order"] is not None:
            st.caption(f"Orders from {k['first_order']:%Y-%m-%d} to {k['last_order']:%Y-%m-%d} · "
                       f"{k['units']:,.0f} units · amounts in the export's currency")
        st.plotly_chart(charts.sales_over_time_chart(data["series"], measure, freq))
        left, right = st.columns(2, gap="large")
        left.plotly_chart(charts.top_products_chart(data["products"].head(10)))
        right.plotly_chart(charts.country_chart(data["countries"]))
        with st.expander("Top products and countries as tables"):
            t1, t2 = st.columns(2)
            t1.dataframe(data["products"], hide_index=True,
                         column_config={"revenue": st.column_config.NumberColumn(format="%.2f")})
            t2.dataframe(data["countries"], hide_index=True,
                         column_config={"revenue": st.column_config.NumberColumn(format="%.2f")})

if events_id:
    st.subheader("Behaviour events")
    summary = None
    with widgets.friendly_errors("Summarising events"):
        summary = loaders.events_overview(events_id)
    if summary is not None:
        c = st.columns(4)
        c[0].metric("Events", f"{summary['events']:,}")
        c[1].metric("Users", f"{summary['users']:,}")
        c[2].metric("Sessions", f"{summary['sessions']:,}")
        c[3].metric("Products", f"{summary['products']:,}")
        st.caption(f"From {summary['first_event']:%Y-%m-%d %H:%M} to {summary['last_event']:%Y-%m-%d %H:%M}")
        st.plotly_chart(charts.event_types_chart(summary["by_type"]), config={"displayModeBar": False})
