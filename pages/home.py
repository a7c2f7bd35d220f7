"""Home: what the app does, and the sample data one click away."""

import streamlit as st

from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.i18n import t
from ecom_analytics.ui.router import page_guard

page_guard()

st.title(t("Ecom Analytics"))
st.markdown(t(
    "Upload the orders and behaviour events your shop or warehouse exports — CSV, TSV, Excel, Parquet, "
    "zipped or gzipped, in many languages and encodings — and get them **read, cleaned with an audit "
    "trail, and summarised**, without writing code. Nothing is dropped silently: every row set aside is "
    "counted by rule and kept in a quarantine you can browse and download."
))

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(t("Try it in one click"))
    st.markdown(t(
        "The sample is a real third of the **UCI Online Retail** data set (a UK gift retailer, Dec 2010 – "
        "Dec 2011, CC BY 4.0) plus **generated behaviour events** (views, carts, purchases) for the same "
        "customers and products."
    ))
    if st.button(t("Load the sample data"), type="primary", icon=":material/play_arrow:"):
        with widgets.friendly_errors(t("Loading the sample data")):
            with st.spinner(t("Reading, mapping and cleaning the sample files…")):
                ids = loaders.load_sample_data()
            for kind, dataset_id in ids.items():  # each checked against the other kind's period (the samples overlap)
                widgets.make_current(kind, dataset_id)
            st.switch_page("pages/overview.py", query_params=state.link_params())
    st.page_link("pages/data.py", label=t("Or upload your own export"), icon=":material/upload_file:")
with right:
    st.subheader(t("What you get"))
    st.markdown(t(
        "1. **Data** and **Data quality**: upload, check the proposed column mapping, confirm; every row "
        "kept or set aside with a reason, revenue reconciled.\n"
        "2. **Overview**, **Features**, **Segments**, **Cohorts & funnel**, **Products**: KPIs, customer "
        "features as of any date, RFM segments, retention, the view → cart → purchase funnel, product "
        "conversion.\n"
        "3. **Model**, **Evaluation**, **Predictions**: a neural network trained live in your browser "
        "session that predicts purchase, churn or revenue, ranked against strong baselines on a future "
        "window it never saw, and audiences to download.\n"
        "4. **Campaigns**: the effect of each arm of a campaign against its control, with intervals, and "
        "uplift models that say whom to target next.\n"
        "5. **Forecast**: sales per day, week or month with backtests, intervals and inventory hints.\n"
        "6. **Recommendations**: product recommenders measured offline on a time split, top products per "
        "customer.\n"
        "7. **Report** and **Workspace**: a report to send (HTML or PDF), saved datasets and runs, and "
        "links that reopen exactly what you see.\n"
    ))
    st.caption(t("Recognised without help: UCI Online Retail (I and II), Shopify order exports, REES46 events, "
               "Tianchi/Taobao UserBehavior (no header), RetailRocket events, and Chinese-header exports."))
