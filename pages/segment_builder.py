"""Segment builder: customers chosen by a rule on features, RFM scores and predictions; saved by name."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.insights import segment_builder
from ecom_analytics.errors import InputError
from ecom_analytics.exports import csv_bytes, excel_bytes
from ecom_analytics.ingest.inputs import day_after
from ecom_analytics.insights.features import FEATURES
from ecom_analytics.ui import i18n, loaders, state, widgets
from ecom_analytics.ui.downloads import download
from ecom_analytics.ui.i18n import t, te
from ecom_analytics.ui.router import page_guard

EXAMPLE = "orders >= 2 and recency_days < 90"
EXTRA_MEANINGS = {"r": "recency score, 1 to 5 (5 = bought most recently)", "f": "frequency score, 1 to 5",
                  "m": "monetary score, 1 to 5", "segment": "RFM segment name",
                  "p_purchase": "probability of a purchase in the latest purchase run's window",
                  "p_churn": "probability of churn in the latest churn run's window",
                  "predicted_revenue": "revenue predicted for the latest revenue run's window"}

page_guard()
widgets.period_not_followed(t("the rule's features and scores are as of the end of the data."))
st.title(t("Segment builder"))
st.caption(t("Choose customers with a rule on their features, RFM scores and predictions, see the segment's size "
             "and revenue as you type, download it, and save it by name."))

orders_id = widgets.require_dataset("orders", t("Segments are built from orders."))
if not orders_id:
    st.stop()
widgets.require_rows(orders_id)
events_id, customers_id = state.current_id("events"), state.current_id("customers")
_, last = loaders.data_range(orders_id, None)
as_of = day_after(last)
runs = loaders.runs_for(orders_id, events_id, customers_id)
latest = tuple(runs.drop_duplicates("task")["run_id"]) if len(runs) else ()
table = None
with widgets.friendly_errors(t("Building the customer table")):
    with st.spinner(t("Building the customer table…")):
        table = loaders.segment_table(orders_id, events_id, customers_id, as_of.isoformat(), latest)
if table is None:
    st.stop()
symbol = widgets.currency_of(orders_id)
st.markdown(t("As of **{date}** (the day after the last order) · {n:,} customers", date=i18n.date(as_of), n=len(table)))
if not latest:
    st.caption(t("Train a model on the Model page to add p_purchase, p_churn or predicted_revenue to the rule."))

rule = st.text_input(t("Rule"), key="sb_rule", bind="query-params", placeholder=EXAMPLE,
                     help=t("Conditions joined by 'and', each a column, an operator (>=, <=, >, <, =, !=, in) and a "
                            "value: orders >= 2 and recency_days < 90 and p_purchase > 0.6; "
                            "segment in [Champions, Loyal]; 60% = 0.6."))
types = segment_builder.column_types(table)
conditions = None
try:
    conditions = segment_builder.parse_rule(rule or "", types)
except InputError as exc:
    st.error(te(exc), icon=":material/error:")
with st.expander(t("Columns you can use"), icon=":material/view_column:"):
    meanings = {**{name: f.description for name, f in FEATURES.items()}, **EXTRA_MEANINGS}
    st.dataframe(pd.DataFrame({"column": list(types), "type": [t(v) for v in types.values()],
                               "meaning": [t(meanings[c]) if c in meanings else "" for c in types]}),
                 hide_index=True, column_config={"column": t("Column"), "type": t("Type"), "meaning": t("Meaning")})
if conditions is None:
    st.stop()

mask = segment_builder.members(table, conditions)
size = segment_builder.summary(table, mask)
m = st.columns(3)
m[0].metric(t("Customers in the segment"), i18n.number(size["customers"]),
            help=t("{share:.1%} of all customers", share=size["share"]))
m[1].metric(t("Their revenue so far"), widgets.money_short(size["revenue"], symbol),
            help=t("{share:.1%} of all customers' revenue", share=size["revenue_share"]))
m[2].metric(t("Share of customers"), i18n.percent(size["share"]))
if conditions:
    st.caption(t("Rule read as: {rule}", rule=" · ".join(c.text() for c in conditions)))
chosen = table[mask].sort_values("revenue_total", ascending=False) if "revenue_total" in table else table[mask]
st.dataframe(chosen.head(500), placeholder="—", height=360)
if len(chosen) > 500:
    st.caption(t("The first 500 of {n:,} customers, by revenue; the downloads hold all of them.", n=len(chosen)))
d1, d2 = st.columns(2)
stamp = as_of.strftime("%Y-%m-%d")
download(t("Download the segment (CSV)"), partial(csv_bytes, chosen), file_name=f"segment_{orders_id}_{stamp}.csv",
         mime="text/csv", icon=":material/download:", where=d1)
download(t("Download the segment (Excel)"), partial(excel_bytes, chosen, sheet="segment"),
         file_name=f"segment_{orders_id}_{stamp}.xlsx", icon=":material/download:", where=d2,
         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

digests = loaders.email_digests(orders_id)
if digests is not None:
    st.caption(t("For ad platforms: {n:,} of these customers have an e-mail digest (SHA-256, unsalted). The files "
                 "hold only the digests, in each platform's customer-list layout; a digest can be matched by anyone "
                 "who holds the address.", n=int(digests.index.isin(chosen.index).sum())))
    a1, a2 = st.columns(2)
    download(t("Google Ads Customer Match (CSV)"),
             partial(csv_bytes, segment_builder.ad_platform_list(digests, chosen.index, "google_ads"), index=False),
             file_name=f"customer_match_{orders_id}_{stamp}.csv", mime="text/csv", icon=":material/ads_click:",
             where=a1)
    download(t("Meta custom audience (CSV)"),
             partial(csv_bytes, segment_builder.ad_platform_list(digests, chosen.index, "meta"), index=False),
             file_name=f"meta_audience_{orders_id}_{stamp}.csv", mime="text/csv", icon=":material/ads_click:",
             where=a2)
else:
    st.caption(t("Ad platform lists (Google Ads, Meta) need e-mail digests: upload orders with an e-mail column and "
                 "tick 'Keep SHA-256 digests of the e-mails for ad platforms' before confirming."))

st.subheader(t("Saved segments"))
home = state.workspace().home
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
name = c1.text_input(t("Name"), placeholder=t("e.g. Win back"), max_chars=80, key="sb_name")
if c2.button(t("Save this segment"), icon=":material/save:", disabled=not conditions, key="sb_save"):
    with widgets.friendly_errors(t("Saving the segment")):
        saved = segment_builder.save_segment(home, name, rule, orders_id, size["customers"])
        st.toast(t("Saved '{name}'.", name=saved.name), icon=":material/save:")
for saved in segment_builder.saved_segments(home):
    c1, c2, c3 = st.columns([4, 1, 1], vertical_alignment="center")
    c1.markdown(t("**{name}** · `{rule}` · {n:,} customers when saved ({date})", name=widgets.safe_text(saved.name),
                  rule=saved.rule, n=saved.customers, date=saved.saved[:10]))
    c2.button(t("Open"), key=f"sb_open_{saved.slug}", icon=":material/open_in_new:",
              on_click=lambda r=saved.rule: st.session_state.update(sb_rule=r))
    if c3.button(t("Delete"), key=f"sb_del_{saved.slug}", icon=":material/delete:"):
        segment_builder.delete_segment(home, saved.name)
        st.rerun()
