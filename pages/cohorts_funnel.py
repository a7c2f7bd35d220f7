"""Cohorts & funnel: do customers come back, and where do visitors drop off."""

import pandas as pd
import streamlit as st

from ecom_analytics.charts import insights as charts
from ecom_analytics.insights.cohorts import cohort_matrix, funnel_changes, next_month_retention
from ecom_analytics.insights.periods import describe_partial, partial_periods, period_of
from ecom_analytics.ui import currency_view, i18n, loaders, state, widgets
from ecom_analytics.ui.i18n import chart_text, current_language, linked, t
from ecom_analytics.ui.router import page_guard

page_guard()
lang = current_language()
CHART_TEXT = chart_text(charts.INSIGHTS_TEXT)  # the charts' words in the analyst's language

st.title(t("Cohorts & funnel"))
orders_id, events_id = state.current_id("orders"), state.current_id("events")
if not orders_id and not events_id:
    widgets.require_dataset("orders", t("Cohorts need orders; the funnel needs behaviour events."))
    st.stop()
widgets.require_rows(orders_id, events_id)
first_day, last_day = loaders.data_range(orders_id, events_id)
period = widgets.chosen_period(first_day, last_day)
if not period.whole:
    st.caption(t("From {start} to {end} (the sidebar's period): the cohorts of the customers whose first order "
                 "fell on these days, with their orders up to {end}, and the funnel of these days' events.",
                 start=i18n.date(period.start), end=i18n.date(period.end)))

st.subheader(t("Acquisition cohorts"))
if not orders_id:
    st.info(t("Load orders to see cohorts."), icon=":material/info:")
else:
    table = None
    with widgets.friendly_errors(t("Building cohorts")):
        table = loaders.cohort_table(orders_id, period.since, period.until)
    if table is not None and not table.empty:
        value = st.segmented_control(t("Show"), ["retention", "revenue"], default="retention",
                                     **linked("co_value", {"retention": "Retention %", "revenue": "Revenue"})) or "retention"
        first, last = loaders.data_range(orders_id, None)
        if not period.whole:  # the period's own edges are the partial months now
            first, last = max(first, pd.Timestamp(period.start)), min(last, pd.Timestamp(period.end))
        partial = partial_periods(period_of(pd.Series([first, last])), "month")
        symbol = currency_view.symbol_of(orders_id) if value == "revenue" else ""
        st.plotly_chart(charts.cohort_heatmap_chart(cohort_matrix(table, value), value, lang=lang, partial=partial,
                                                    currency=symbol, text=CHART_TEXT))
        for part in partial:  # a 9-day December must not read as customers leaving
            st.caption(t("{partial}: its cells are lighter and marked *, as they count only those days.",
                         partial=describe_partial(part, lang)))
        rate = next_month_retention(table, last, [p.start for p in partial])
        if rate is not None:
            st.caption(t("Reading: each row is the customers whose first order fell in that month; across cohorts, "
                         "{rate:.0%} ordered again in the month after their first. Month 0 is always 100%.", rate=rate)
                       + (t(" Cohorts whose next month is partial are left out of this share.")
                          if any(p.edge == "last" for p in partial) else ""))
        if period.against is not None:
            before = loaders.cohort_table(orders_id, *period.against_iso())
            then = next_month_retention(before, period.against[1], [p.start for p in partial_periods(
                period_of(pd.Series([pd.Timestamp(d) for d in period.against])), "month")])
            if before.empty or then is None:
                st.caption(t("No cohort from {start} to {end}, the period compared with, has a following month to "
                             "compare.", start=i18n.date(period.against[0]), end=i18n.date(period.against[1])))
            elif rate is not None:
                st.caption(t("Compared with {start} to {end}: {then:.0%} of those cohorts ordered again in the month "
                             "after their first ({change:+.1f} points now).", start=i18n.date(period.against[0]),
                             end=i18n.date(period.against[1]), then=then, change=(rate - then) * 100))
    elif table is not None and not period.whole:
        st.info(t("No customer placed a first order from {start} to {end}: choose a longer period in the sidebar.",
                  start=i18n.date(period.start), end=i18n.date(period.end)), icon=":material/info:")

st.subheader(t("Behaviour funnel"))
if not events_id and st.session_state.get(widgets.DETACHED_EVENTS):
    st.info(t("The events are detached from the current orders (see the sidebar, under the current data): attach "
              "them there to see their funnel."), icon=":material/link_off:")
elif not events_id:
    st.info(t("Load behaviour events (views, carts, purchases) to see the funnel."), icon=":material/info:")
else:
    overall = None
    with widgets.friendly_errors(t("Building the funnel")):
        overall = loaders.funnel_table(events_id, None, period.since, period.until)
        if period.against is not None and not overall.empty:
            before = loaders.funnel_table(events_id, None, *period.against_iso())
            if before.empty:
                st.caption(t("No events from {start} to {end}, the period compared with.",
                             start=i18n.date(period.against[0]), end=i18n.date(period.against[1])))
            else:
                overall = funnel_changes(overall, before)
    if overall is not None and overall.empty and not period.whole:
        held = loaders.dataset_period(events_id)
        st.info(t("No behaviour events from {start} to {end}: choose another period in the sidebar.",
                  start=i18n.date(period.start), end=i18n.date(period.end))
                + ("" if held is None else " " + t("The events run from {first} to {last}.", first=i18n.date(held.start),
                                                   last=i18n.date(held.end))), icon=":material/info:")
    if overall is not None and not overall.empty:
        left, right = st.columns([2, 3], gap="large")
        left.plotly_chart(charts.funnel_chart(overall, lang=lang, text=CHART_TEXT))
        right.dataframe(overall.assign(step=overall["step"].map(t)), hide_index=True, column_config={
            "step": t("Step"), "users": st.column_config.NumberColumn(t("Users"), format="localized"),
            "events": st.column_config.NumberColumn(t("Events"), format="localized"),
            "conversion": st.column_config.NumberColumn(t("From previous step"), format="percent"),
            "overall": st.column_config.NumberColumn(t("From view"), format="percent"),
            "drop_off": st.column_config.NumberColumn(t("Drop-off"), format="percent"),
            "users_before": st.column_config.NumberColumn(t("Users before"), format="localized"),
            "overall_before": st.column_config.NumberColumn(t("From view before"), format="percent"),
            "overall_change": st.column_config.NumberColumn(t("Change (points)"), format="%+.1f")})
        right.caption(t("A user reaches a step when they have events of it and of every earlier step."))
        bought = overall.iloc[-1]
        if "overall_change" in overall.columns and pd.notna(bought["overall_change"]):
            right.caption(t("Compared with {start} to {end}: {then:.1%} of viewers purchased then, {now:.1%} now "
                            "({change:+.1f} points).", start=i18n.date(period.against[0]),
                            end=i18n.date(period.against[1]), then=bought["overall_before"], now=bought["overall"],
                            change=bought["overall_change"]))
        by_cat = loaders.funnel_table(events_id, "category", period.since, period.until)
        if by_cat["group"].nunique() > 1:
            st.plotly_chart(charts.funnel_by_group_chart(by_cat, lang=lang, text=CHART_TEXT))
            with st.expander(t("Funnel by category as a table")):
                st.dataframe(by_cat, hide_index=True)
