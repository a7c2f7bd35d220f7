"""Overview: revenue, orders, customers and what sells where, over time."""

import pandas as pd
import streamlit as st

from ecom_analytics.charts import insights as charts
from ecom_analytics.insights.overview import kpi_changes
from ecom_analytics.insights.periods import comparison_period, describe_partial, partial_periods, period_of
from ecom_analytics.ingest.merchandise import non_merchandise
from ecom_analytics.ui import changed_view, currency_view, i18n, loaders, segment_filter, state, widgets
from ecom_analytics.ui.i18n import chart_text, linked, t
from ecom_analytics.ui.router import page_guard

page_guard()
lang = i18n.current_language()
CHART_TEXT = chart_text(charts.INSIGHTS_TEXT)  # the charts' words in the analyst's language

st.title(t("Overview"))

orders_id = state.current_id("orders")
events_id = state.current_id("events")
if not orders_id and not events_id:
    widgets.require_dataset("orders", t("Load orders to see revenue, customers and sales over time."))
    st.stop()
widgets.require_rows(orders_id, events_id)

if orders_id:
    top = st.columns([2, 2, 3])
    freq = top[0].segmented_control(t("Per"), ["day", "week", "month"], default="week",
                                    **linked("ov_freq", {f: f.capitalize() for f in ("day", "week", "month")})) or "week"
    measure = top[1].segmented_control(t("Measure"), ["revenue", "orders", "customers"], default="revenue",
                                       **linked("ov_measure", {m: m.capitalize() for m in
                                                                             ("revenue", "orders", "customers")})) or "revenue"
    anonymous = top[2].toggle(t("Include sales without a customer id"), key="ov_anonymous", bind="query-params",
                              help=t("Lines whose only problem is a missing customer id count in revenue and orders; "
                                     "customers and the repeat rate never include them."))
    _, members = segment_filter.segment_box(orders_id, "ov_segment")
    first_day, last_day = loaders.data_range(orders_id, None)
    start, end, vs = widgets.period_box(first_day, last_day)
    data = earlier = None
    with widgets.friendly_errors(t("Computing the overview")):
        with st.spinner(t("Summarising orders…")):
            # the whole data is not cut at its first and last clean order: sales without a customer id may lie outside
            whole_start = start == pd.Timestamp(first_day).date()
            whole_end = end == pd.Timestamp(last_day).date()
            data = loaders.orders_overview(orders_id, anonymous, freq, None if whole_start else start.isoformat(),
                                           None if whole_end else end.isoformat(), members)
            against = comparison_period(start, end, vs)
            if against is not None:
                earlier = loaders.orders_overview(orders_id, anonymous, freq, against[0].isoformat(),
                                                  against[1].isoformat(), members)
                if earlier["kpis"]["orders"] == 0:
                    st.caption(t("No orders from {start} to {end}, the period compared with.",
                                 start=i18n.date(against[0]), end=i18n.date(against[1])))
                    earlier = None
    if data is not None:
        symbol = currency_view.symbol_of(orders_id)
        k = data["kpis"]
        moved = kpi_changes(k, earlier["kpis"]) if earlier is not None else {}

        def delta(key: str) -> str | None:
            value = moved.get(key)
            if value is None:
                return None
            if key == "repeat_rate":
                return t("{value:+.1f} pts", value=value * 100)
            shown = i18n.percent(value)  # signed, as the tile's arrow reads it: +12.5%, -3.0%
            return shown if shown.startswith("-") else "+" + shown

        c = st.columns(5)
        c[0].metric(t("Revenue"), widgets.money_short(k["revenue"], symbol), delta=delta("revenue"),
                    help=t("Sum of line amounts: {amount}", amount=widgets.money(k["revenue"], symbol)))
        c[1].metric(t("Orders"), i18n.number(k["orders"]), delta=delta("orders"))
        c[2].metric(t("Customers"), i18n.number(k["customers"]), delta=delta("customers"))
        c[3].metric(t("Average order value"), widgets.money(k["aov"], symbol), delta=delta("aov"),
                    help=t("Revenue / orders"))
        c[4].metric(t("Repeat customers"), i18n.percent(k["repeat_rate"]), delta=delta("repeat_rate"),
                    help=t("Share of customers with 2 or more orders"))
        if earlier is not None:
            st.caption(t("Changes against {start} – {end} ({what}).", start=i18n.date(against[0]),
                         end=i18n.date(against[1]), what=t(widgets.COMPARE_LABELS[vs]).lower()))
        if k["first_order"] is not None:
            if symbol:  # the currency the export named
                st.caption(t("Orders from {first} to {last} · {units} units · amounts in {currency}",
                             first=i18n.date(k["first_order"]), last=i18n.date(k["last_order"]),
                             units=i18n.number(k["units"]), currency=symbol.strip()))
            else:
                st.caption(t("Orders from {first} to {last} · {units:,.0f} units · amounts in the export's currency",
                             first=i18n.date(k["first_order"]), last=i18n.date(k["last_order"]), units=k["units"]))
        if measure in ("revenue", "orders") and end == pd.Timestamp(last_day).date():  # the latest period only
            changed_view.show(orders_id, anonymous, freq, measure, symbol, members)
        partial = partial_periods(period_of(pd.Series([k["first_order"], k["last_order"]])), freq)
        shifted = None
        if earlier is not None:  # the earlier period's line drawn on this period's dates
            shifted = earlier["series"].assign(period=earlier["series"]["period"] + (
                pd.DateOffset(years=1) if vs == "last_year" else pd.Timedelta(days=(end - start).days + 1)))
        st.plotly_chart(charts.sales_over_time_chart(data["series"], measure, freq, currency=symbol, lang=lang,
                                                     partial=partial,
                                                     comparison=shifted,
                                                     comparison_label=t(widgets.COMPARE_LABELS[vs]), text=CHART_TEXT))
        for part in partial:  # a 9-day December must not read as a collapse
            st.caption(t("{partial}: drawn dashed and lighter, as it counts only those days.",
                         partial=describe_partial(part, lang)))
        left, right = st.columns(2, gap="large")
        products = data["products"]
        with left:
            if widgets.merchandise_toggle(loaders.fee_products(orders_id, None), key="ov_merch"):
                products = products[~non_merchandise(products["product_id"], products.get("product_name"))]
        left.plotly_chart(charts.top_products_chart(products.head(10), currency=symbol, lang=lang, text=CHART_TEXT))
        right.plotly_chart(charts.country_chart(data["countries"], currency=symbol, lang=lang, text=CHART_TEXT))
        with st.expander(t("Top products and countries as tables")):
            t1, t2 = st.columns(2)
            t1.dataframe(products, hide_index=True,
                         column_config={"revenue": currency_view.money_column("revenue", symbol)})
            t2.dataframe(data["countries"], hide_index=True,
                         column_config={"revenue": currency_view.money_column("revenue", symbol)})

if events_id:
    st.subheader(t("Behaviour events"))
    summary = None
    with widgets.friendly_errors(t("Summarising events")):
        summary = loaders.events_overview(events_id)
    if summary is not None:
        c = st.columns(4)
        c[0].metric(t("Events"), i18n.number(summary["events"]))
        c[1].metric(t("Users"), i18n.number(summary["users"]))
        c[2].metric(t("Sessions"), i18n.number(summary["sessions"]))
        c[3].metric(t("Products"), i18n.number(summary["products"]))
        st.caption(t("From {first} to {last}", first=i18n.date(summary["first_event"], with_time=True),
                     last=i18n.date(summary["last_event"], with_time=True)))
        st.plotly_chart(charts.event_types_chart(summary["by_type"], lang=lang, text=CHART_TEXT,
                                                 type_names={k: t(str(k)) for k in summary["by_type"]}), config={"displayModeBar": False})
        if not orders_id:  # the funnel check's period (with orders, the one chosen above)
            freq = st.segmented_control(t("Period"), ["day", "week", "month"], default="week",
                                        **linked("ov_freq", {f: f.capitalize() for f in ("day", "week", "month")})
                                        ) or "week"
        changed_view.show_funnel(events_id, orders_id, freq)
