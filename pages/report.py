"""Report: one self-contained HTML file to send, with interactive charts that work offline, and its PDF."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.ingest.inputs import day_after
from ecom_analytics.report import sections as report
from ecom_analytics.report.html import build_report, report_file_name
from ecom_analytics.report.pdf import build_pdf_report
from ecom_analytics.ui import i18n, loaders, report_sections, state, widgets
from ecom_analytics.ui.i18n import t
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()

st.title(t("Report"))
st.caption(t("One report with the key figures, the cleaning summary, sales, segments, the latest model's "
             "leaderboard, the sales forecast and the recommendations: an HTML file with interactive charts that "
             "opens in any browser without this server, and the same as a PDF. It holds aggregates only: no "
             "customer ids or personal data."))

orders_id, events_id, customers_id = (state.current_id(k) for k in ("orders", "events", "customers"))
orders_id = orders_id or None
if not orders_id:
    widgets.require_dataset("orders", t("The report summarises orders."))
    st.stop()
widgets.require_rows(orders_id)

first_day, last_day = loaders.data_range(orders_id, None)
period = widgets.chosen_period(first_day, last_day)
if not period.whole:
    st.caption(t("The key figures, sales charts and segments cover {start} to {end} (the sidebar's period); the "
                 "model, forecast, recommendations and lifetime value use all the data.",
                 start=i18n.date(period.start), end=i18n.date(period.end)))
title = st.text_input(t("Title"), value=t("Sales and customer report"), key="rp_title", max_chars=120)
runs = loaders.runs_for(orders_id, events_id, customers_id)
include_model = st.toggle(t("Include the latest trained model"), value=not runs.empty, disabled=runs.empty,
                          key="rp_model")
include_forecast = st.toggle(t("Include a sales forecast (revenue per week, the next 8 weeks, with intervals)"),
                             value=True, key="rp_forecast")
include_recs = st.toggle(t("Include product recommendations (leaderboard and the most recommended products)"),
                         value=True, key="rp_recs")
include_clv = st.toggle(t("Include customer lifetime value (value by decile of customers, checked on held-out orders)"),
                        value=True, key="rp_clv")
if st.button(t("Build the report"), type="primary", icon=":material/description:", key="rp_build"):
    with widgets.friendly_errors(t("Building the report")):
        with st.spinner(t("Building the report…")):
            lang = i18n.current_language()  # the report's own words, charts included, in the session's language
            # the segments as of the day after the period (the day after the last order for the whole data),
            # as a day, the key the Segments page asks the same cached RFM with
            cutoff = day_after(last_day if period.until is None else pd.Timestamp(period.end)).date().isoformat()

            def guarded(action: str, make):
                """A section made inside its own error box: a series too short to forecast is said, and
                the rest of the report still goes out (None leaves the section out)."""
                def run():
                    with widgets.friendly_errors(action):
                        return make()
                    return None
                return run

            chosen = {"forecast": (include_forecast, t("Forecasting"),
                                   lambda: report_sections.forecast_section(orders_id, lang=lang)),
                      "recommend": (include_recs, t("Recommending"),
                                    lambda: report_sections.recommend_section(orders_id, events_id, lang=lang)),
                      "clv": (include_clv, t("Valuing customers"),
                              lambda: report_sections.clv_section(orders_id, lang=lang))}
            content = report.report_content(
                title=title, dataset=loaders.dataset_info(orders_id), orders=loaders.clean_rows(orders_id), lang=lang,
                data=loaders.orders_overview(orders_id, False, "week", period.since, period.until),
                segments=loaders.rfm(orders_id, cutoff, period.since)[1],
                period=None if period.whole else (period.start, period.end),
                model=loaders.stored_run(runs.iloc[0]["run_id"]) if include_model and not runs.empty else None,
                sections={name: guarded(action, make) for name, (on, action, make) in chosen.items() if on})
            info = content.arguments["dataset"]
            st.session_state["rp_html"] = build_report(**content.arguments)
            st.session_state["rp_pdf"] = build_pdf_report(**content.arguments)
            made = pd.Timestamp.now(tz="UTC")
            st.session_state["rp_names"] = (report_file_name(info, made, "html"), report_file_name(info, made, "pdf"))
if st.session_state.get("rp_html"):
    html_text, pdf_bytes = st.session_state["rp_html"], st.session_state.get("rp_pdf")
    st.success(t("Report ready: HTML {html:.1f} MB with interactive charts that work offline; PDF {pdf:.1f} MB with "
                 "the same sections as static charts, for print or e-mail.", html=len(html_text.encode("utf-8")) / 2**20,
                 pdf=len(pdf_bytes or b"") / 2**20), icon=":material/task_alt:")
    c1, c2 = st.columns(2)
    html_name, pdf_name = st.session_state.get("rp_names", ("ecom_analytics_report.html", "ecom_analytics_report.pdf"))
    download(t("Download the report (HTML)"), lambda: html_text.encode("utf-8"), where=c1, file_name=html_name,
                       mime="text/html", icon=":material/download:", key="rp_dl_html")
    if pdf_bytes:
        download(t("Download the report (PDF)"), lambda: pdf_bytes, where=c2, file_name=pdf_name,
                           mime="application/pdf", icon=":material/picture_as_pdf:", key="rp_dl_pdf")
