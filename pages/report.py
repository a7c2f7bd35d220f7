"""Report: one self-contained HTML file to send, with interactive charts that work offline, and its PDF."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.charts import insights as charts, evaluation as charts_eval
from ecom_analytics.predict import evaluation
from ecom_analytics.report.html import build_report, report_file_name
from ecom_analytics.report.pdf import build_pdf_report
from ecom_analytics.predict.training import MODEL_LABELS
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
            first_day, last_day = loaders.data_range(orders_id, None)
            info = {**loaders.dataset_info(orders_id), "period": (first_day, last_day)}
            data = loaders.orders_overview(orders_id, False, "week")
            scores, summary = loaders.rfm(orders_id, (pd.Timestamp(loaders.data_range(orders_id, None)[1]).normalize()
                                                      + pd.Timedelta(days=1)).isoformat())
            figures = [charts.sales_over_time_chart(data["series"], "revenue", "week", lang=lang),
                       charts.top_products_chart(data["products"].head(10), lang=lang),
                       charts.country_chart(data["countries"], lang=lang), charts.rfm_treemap_chart(summary, lang=lang)]
            board, model_figs, note = None, [], ""
            if include_model and not runs.empty:
                stored = loaders.stored_run(runs.iloc[0]["run_id"])
                meta, board = stored.meta, stored.leaderboard
                y = stored.test["label"].to_numpy()
                scores_by_model = stored.test_scores()
                names = [m for m in board["model"] if m in scores_by_model]
                gains = {t(MODEL_LABELS.get(m, m)): evaluation.gain_table(y, scores_by_model[m]) for m in names}
                model_figs = [charts_eval.gain_chart(gains, task=meta["task"], lang=lang)]
                note = t("Task: {task} in the next {days} days; test window from {cutoff} ({n:,} customers), never "
                         "seen in training. Best: {model}.", task=t(meta["task"]), days=meta["horizon_days"],
                         cutoff=i18n.date(meta["split"]["test_cutoff"]), n=len(y),
                         model=t(MODEL_LABELS.get(meta["best_model"], meta["best_model"])))
            sections = []
            if include_forecast:
                with widgets.friendly_errors(t("Forecasting")):  # a series too short: the rest still goes out
                    sections.append(report_sections.forecast_section(orders_id, lang=lang))
            if include_recs:
                with widgets.friendly_errors(t("Recommending")):
                    sections.append(report_sections.recommend_section(orders_id, events_id, lang=lang))
            if include_clv:
                with widgets.friendly_errors(t("Valuing customers")):
                    sections.append(report_sections.clv_section(orders_id, lang=lang))
            content = dict(title=title, dataset=info, kpis=data["kpis"], charts=figures, segments=summary,
                           leaderboard=board, model_charts=model_figs, model_note=note, sections=sections, lang=lang)
            st.session_state["rp_html"] = build_report(**content)
            st.session_state["rp_pdf"] = build_pdf_report(**content)
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
