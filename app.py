"""Ecom Analytics: the router. Page setup, sidebar, navigation; every page lives in pages/."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up chatter stays out of the server log

import streamlit as st

from ecom_analytics.ui import access, state, widgets
from ecom_analytics.ui.i18n import language_selector, t
from ecom_analytics.ui.runtime import keep_keras_state

keep_keras_state()  # no Keras session clearing after each rerun: it starved the training thread (see ui/runtime.py)

st.set_page_config(page_title="Ecom Analytics", page_icon="🛒", layout="wide")
# Tables' own "Download as CSV" (Streamlit's browser-side exporter) writes cells such as =1+1 live; every
# page offers its download through ecom_analytics.exports instead, so that toolbar button is hidden.
st.html("<style>[data-testid='stElementToolbarButton']:has(button[aria-label='Download as CSV'])"
        "{display: none !important;}</style>")
language_selector()  # first, so the top of the sidebar and every string below follow it

# Asked before the navigation is built, so that the navigation can stay hidden while locked: the URL
# a link opened (/overview?orders=...) is still the page shown after signing in, and no page list
# is shown before it.
granted = access.gate()

pages = {
    t("Start"): [
        st.Page("pages/home.py", title=t("Home"), icon=":material/home:", default=True),
        st.Page("pages/data.py", title=t("Data"), icon=":material/upload_file:"),
        st.Page("pages/data_quality.py", title=t("Data quality"), icon=":material/rule:"),
        st.Page("pages/workspace.py", title=t("Workspace"), icon=":material/folder_open:"),
    ],
    t("Insights"): [
        st.Page("pages/overview.py", title=t("Overview"), icon=":material/insights:"),
        st.Page("pages/features.py", title=t("Features"), icon=":material/table_chart:"),
        st.Page("pages/segments.py", title=t("Segments"), icon=":material/donut_small:"),
        st.Page("pages/segment_builder.py", title=t("Segment builder"), icon=":material/filter_list:"),
        st.Page("pages/cohorts_funnel.py", title=t("Cohorts & funnel"), icon=":material/filter_alt:"),
        st.Page("pages/products.py", title=t("Products"), icon=":material/inventory_2:"),
    ],
    t("Predict"): [
        st.Page("pages/model.py", title=t("Model"), icon=":material/model_training:"),
        st.Page("pages/evaluation.py", title=t("Evaluation"), icon=":material/analytics:"),
        st.Page("pages/predictions.py", title=t("Predictions"), icon=":material/groups:"),
        st.Page("pages/campaigns.py", title=t("Campaigns"), icon=":material/campaign:"),
        st.Page("pages/report.py", title=t("Report"), icon=":material/description:"),
    ],
    t("Plan"): [
        st.Page("pages/forecast.py", title=t("Forecast"), icon=":material/trending_up:"),
        st.Page("pages/recommendations.py", title=t("Recommendations"), icon=":material/recommend:"),
    ],
}
page = st.navigation(pages, position="sidebar" if granted else "hidden", expanded=True)
if not granted:
    st.stop()
access.return_after_sign_in([p for section in pages.values() for p in section])
problems = state.sync_from_url()
state.sync_period_from_url()
state.sync_to_url()
widgets.sidebar_current_data()
access.sign_out_button()
for problem in problems:
    st.warning(problem, icon=":material/link_off:")
share_slot = st.sidebar.empty()
# drawn before the page too: after st.stop() Streamlit drops what the script still writes, so a page that
# stops early (no model yet, no upload) keeps this link; a page that runs to its end redraws it with the
# settings its widgets put in the URL during the run
widgets.share_link(share_slot)
page.run()
widgets.share_link(share_slot)
