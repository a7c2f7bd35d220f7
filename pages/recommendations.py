"""Recommendations: which products each customer should see next, and why; measured on a time split."""

from functools import partial

import streamlit as st

from ecom_analytics.charts import recommend as charts_recommend
from ecom_analytics.exports import csv_bytes
from ecom_analytics.recommend import ALL_MODELS, DEFAULT_MODELS, METRIC_LABELS, MODEL_LABELS, customer_history
from ecom_analytics.recommend.models import reason_words
from ecom_analytics.recommend.readings import leaderboard_reading
from ecom_analytics.recommend.run import RecommendSettings
from ecom_analytics.ui import forecast_cache, i18n, loaders, state, widgets
from ecom_analytics.ui.forecast_cache import say
from ecom_analytics.ui.i18n import linked, t
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()
widgets.period_not_followed(t("recommendations learn from every purchase and are checked on the last days."))

lang = i18n.current_language()
NAMES = {"product_id": t("Product"), "product_name": t("Name")}
# the charts' words and the labels of models and metrics in the analyst's language (charts take their text)
CHART_TEXT = {key: t(english) for key, english in charts_recommend.RECOMMEND_TEXT.items()}
MODEL_NAMES = {code: t(label) for code, label in MODEL_LABELS.items()}
METRIC_NAMES = {code: t(label) for code, label in METRIC_LABELS.items()}

st.title(t("Recommendations"))
st.caption(t("Products each customer is likely to buy next, with a reason for each. Every model learns from the data "
             "before a cutoff and is scored on what customers bought for the first time after it."))

orders_id = widgets.require_dataset("orders", t("Recommendations learn from orders with a customer id and a product "
                                                "id; behaviour events add views, carts and wishlists."))
if orders_id is None:
    st.stop()
events_id = state.current_id("events")
widgets.require_rows(orders_id, events_id)

c1, c2, c3 = st.columns([1, 1, 3])
forecast_cache.adopt_old_link_key("rec_h")  # the horizon's former link key
horizon = int(c1.number_input(t("Horizon (days)"), 1, 365, 30, key="rec_horizon", bind="query-params",
                              help=t("The test window: models learn from the data before the last H days")))
k = int(c2.number_input(t("Recommendations (K)"), 1, 50, 10, key="rec_k", bind="query-params",
                        help=t("Products per customer; the metrics are at K")))
models = c3.multiselect(t("Models"), ALL_MODELS, default=DEFAULT_MODELS,
                        **linked("rec_models", MODEL_LABELS, multi=True),
                        help=t("The hybrid blends EASE, recent popularity, content and ALS. The sequence model "
                               "trains a Keras network: slower."))
if not models:
    st.info(t("Choose at least one model."), icon=":material/info:")
    st.stop()
merchandise_only = widgets.merchandise_toggle(loaders.fee_products(orders_id, events_id), key="rec_merch")

run = None
with widgets.friendly_errors(t("Recommending")):
    with st.status(t("Fitting and scoring {n} models…", n=len(models)), expanded=False) as status:
        bar = st.progress(0.0)
        settings = RecommendSettings(horizon=horizon, k=k, models=tuple(sorted(models)),
                                     merchandise_only=merchandise_only)
        run = forecast_cache.recommend_run(
            orders_id, events_id, settings,
            on_progress=lambda share, msg: bar.progress(min(share, 1.0), text=t(msg))).result
        bar.empty()
        status.update(label=t("{n} models scored on {customers:,} customers", n=len(models),
                                customers=run.users_evaluated), state="complete")
if run is None:
    st.stop()
interactions, catalogue = forecast_cache.recommend_inputs(orders_id, events_id, merchandise_only)
for note in run.notes:
    st.warning(say(note), icon=":material/warning:")

st.subheader(t("Leaderboard"))
board = run.leaderboard
shown_board = board[["label", "ndcg", "hit_rate", "precision", "recall", "map", "coverage", "fit_seconds"]].copy()
shown_board["label"] = board["model"].map(lambda m: t(MODEL_LABELS.get(m, m)))
st.dataframe(shown_board, hide_index=True,
             column_config={"label": st.column_config.TextColumn(t("Model")),
                            **{m: st.column_config.NumberColumn(t("{metric}@{k}", metric=t(METRIC_LABELS[m]), k=k),
                                                                format="%.4f")
                               for m in ("ndcg", "hit_rate", "precision", "recall", "map")},
                            "coverage": st.column_config.NumberColumn(t("Coverage"), format="percent",
                                                                      help=t("Share of products recommended to someone")),
                            "fit_seconds": st.column_config.NumberColumn(t("Fit (s)"), format="%.1f")})
st.caption(say(leaderboard_reading(run, i18n.date(run.split.cutoff))))
l1, l2 = st.columns(2)
l1.plotly_chart(charts_recommend.leaderboard_chart(board, "ndcg", k, lang=lang, text=CHART_TEXT, model_names=MODEL_NAMES,
                                                  metric_names=METRIC_NAMES), width="stretch")
l2.plotly_chart(charts_recommend.metrics_chart(board, k, lang=lang, text=CHART_TEXT, model_names=MODEL_NAMES,
                                               metric_names=METRIC_NAMES), width="stretch")

recs = run.recommendations
model = run.model
st.subheader(t("For a customer"))
st.caption(t("Recommendations below come from **{model}**, refit on all the data.",
             model=t(MODEL_LABELS[run.best_model])))
customers = list(model.users_)
customer = st.selectbox(t("Customer"), customers, index=0, key="rec_customer", bind="query-params",
                        accept_new_options=True, help=t("Type to search; any id can be typed"))
if customer:
    known = str(customer) in set(customers)
    if not known:
        st.warning(t("Customer {customer} is not in the data, so there is no history to learn from. These are the "
                     "products most bought in the last 30 days.", customer=customer), icon=":material/person_off:")
    mine = model.recommend([str(customer)], k)
    mine["reason"] = reason_words(mine["reason_code"], mine["reason_about"], lang)
    h1, h2 = st.columns(2)
    h1.markdown(t("**History** of {customer}", customer=customer))
    history = customer_history(interactions, str(customer), catalogue)
    if history.empty:
        h1.caption(t("No purchases or events of this customer in the data."))
    elif (browsed := int((history["purchases"] == 0).sum())):
        h1.caption(t("{n} of these {total} products were only browsed (viewed, carted or wishlisted in the events), "
                     "never bought: their 'Bought (lines)' is 0.", n=browsed, total=len(history)))
    h1.dataframe(history, hide_index=True, height=360,
                 column_config={**NAMES, "purchases": t("Bought (lines)"), "other_events": t("Browsing events"),
                                "first": st.column_config.DatetimeColumn(t("First"), format="YYYY-MM-DD"),
                                "last": st.column_config.DatetimeColumn(t("Last"), format="YYYY-MM-DD")})
    h2.markdown(t("**Top {k}**, each with a reason", k=k))
    h2.dataframe(mine[["rank", "product_name", "reason", "product_id"]], hide_index=True, height=360,
                 column_config={"rank": st.column_config.NumberColumn("#", width="small"), "product_id": t("Product"),
                                "product_name": st.column_config.TextColumn(t("Name"), width="medium"),
                                "reason": st.column_config.TextColumn(t("Why"), width="large")})

st.subheader(t("For a product"))
names = catalogue["product_name"]
products = list(model.items_)
product = st.selectbox(t("Product"), products, index=0, key="rec_product", bind="query-params", accept_new_options=True,
                       format_func=lambda p: f"{names.get(p, p)} ({p})")
if product:
    together, similar = forecast_cache.product_neighbours(orders_id, events_id, merchandise_only)
    p1, p2 = st.columns(2)
    if str(product) not in set(products) and str(product) not in set(similar.items_):
        st.warning(t("Product {product} is not in the data. The most popular products of the last 30 days instead:",
                     product=product), icon=":material/help:")
        st.dataframe(model.popular(k), hide_index=True,
                     column_config={**NAMES, "rank": "#", "buyers_30d": t("Buyers in the last 30 days")})
    else:
        p1.markdown(t("**Frequently bought together**"))
        with widgets.friendly_errors(t("Finding products bought together")):
            p1.dataframe(together.similar_items(str(product), k), hide_index=True,
                         column_config={**NAMES, "similarity": st.column_config.ProgressColumn(
                             t("Cosine"), min_value=0, max_value=1, format="%.2f")})
        p2.markdown(t("**Similar products** (name and category)"))
        with widgets.friendly_errors(t("Finding similar products")):
            p2.dataframe(similar.similar_items(str(product), k), hide_index=True,
                         column_config={**NAMES, "similarity": st.column_config.ProgressColumn(
                             t("Similarity"), min_value=0, max_value=1, format="%.2f")})

st.subheader(t("All customers"))
st.plotly_chart(charts_recommend.reasons_chart(recs, lang=lang, text=CHART_TEXT,
                                              kind_names={c: t(v) for c, v in charts_recommend.REASON_KINDS.items()}),
                width="stretch")
download(t("Download the top {k} for all {n:,} customers (CSV)", k=k, n=recs["customer_id"].nunique()),
         partial(csv_bytes, recs, index=False), file_name=f"recommendations_top{k}.csv", mime="text/csv",
                   icon=":material/download:")
