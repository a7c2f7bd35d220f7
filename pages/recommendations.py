"""Recommendations: which products each customer should see next, and why; measured on a time split."""

import streamlit as st

from ecom_analytics import charts_recommend
from ecom_analytics.recommend import ALL_MODELS, METRIC_LABELS, MODEL_LABELS, customer_history
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.router import page_guard

page_guard()

DEFAULT_MODELS = ["popularity", "item_knn", "ease", "als", "content", "hybrid"]
NAMES = {"product_id": "Product", "product_name": "Name"}

st.title("Recommendations")
st.caption("Products each customer is likely to buy next, with a reason for each. Every model learns from the data "
           "before a cutoff and is scored on what customers bought for the first time after it.")

orders_id = widgets.require_dataset("orders", "Recommendations learn from orders with a customer id and a product id; "
                                              "behaviour events add views, carts and wishlists.")
if orders_id is None:
    st.stop()
events_id = state.current_id("events")
widgets.require_rows(orders_id, events_id)

c1, c2, c3 = st.columns([1, 1, 3])
horizon = int(c1.number_input("Horizon (days)", 1, 365, 30, key="rec_h", bind="query-params",
                              help="The test window: models learn from the data before the last H days"))
k = int(c2.number_input("Recommendations (K)", 1, 50, 10, key="rec_k", bind="query-params",
                        help="Products per customer; the metrics are at K"))
models = c3.multiselect("Models", ALL_MODELS, default=DEFAULT_MODELS, key="rec_models", bind="query-params",
                        format_func=MODEL_LABELS.get,
                        help="The hybrid blends EASE, recent popularity, content and ALS. The sequence model "
                             "trains a Keras network: slower.")
if not models:
    st.info("Choose at least one model.", icon=":material/info:")
    st.stop()

run = None
with widgets.friendly_errors("Recommending"):
    with st.status(f"Fitting and scoring {len(models)} models…", expanded=False) as status:
        bar = st.progress(0.0)
        run = loaders.recommend_run(orders_id, events_id, horizon, k, tuple(sorted(models)),
                                    on_progress=lambda share, msg: bar.progress(min(share, 1.0), text=msg))
        bar.empty()
        status.update(label=f"{len(models)} models scored on {run.users_evaluated:,} customers", state="complete")
if run is None:
    st.stop()
interactions, catalogue = loaders.recommend_inputs(orders_id, events_id)
for note in run.notes:
    st.warning(note, icon=":material/warning:")

st.subheader("Leaderboard")
board = run.leaderboard
st.dataframe(board[["label", "ndcg", "hit_rate", "precision", "recall", "map", "coverage", "fit_seconds"]],
             hide_index=True,
             column_config={"label": st.column_config.TextColumn("Model"),
                            **{m: st.column_config.NumberColumn(f"{METRIC_LABELS[m]}@{k}", format="%.4f")
                               for m in ("ndcg", "hit_rate", "precision", "recall", "map")},
                            "coverage": st.column_config.NumberColumn("Coverage", format="percent",
                                                                      help="Share of products recommended to someone"),
                            "fit_seconds": st.column_config.NumberColumn("Fit (s)", format="%.1f")})
best = board.iloc[0]
st.caption(f"Reading: trained on the data before {run.split.cutoff:%Y-%m-%d} and scored on the "
           f"{run.users_evaluated:,} customers who bought something new to them in the {horizon} days after, "
           f"**{best['label']}** ranks best: {best['hit_rate']:.0%} of them bought at least one of its {k} products "
           f"(NDCG@{k} {best['ndcg']:.3f}). Its lists use {best['coverage']:.0%} of the catalogue.")
l1, l2 = st.columns(2)
l1.plotly_chart(charts_recommend.leaderboard_chart(board, "ndcg", k), width="stretch")
l2.plotly_chart(charts_recommend.metrics_chart(board, k), width="stretch")

recs = run.recommendations
model = run.model
st.subheader("For a customer")
st.caption(f"Recommendations below come from **{MODEL_LABELS[run.best_model]}**, refit on all the data.")
customers = list(model.users_)
customer = st.selectbox("Customer", customers, index=0, key="rec_customer", bind="query-params",
                        accept_new_options=True, help="Type to search; any id can be typed")
if customer:
    known = str(customer) in set(customers)
    if not known:
        st.warning(f"Customer {customer} is not in the data, so there is no history to learn from. These are the "
                   "products most bought in the last 30 days.", icon=":material/person_off:")
    mine = model.recommend([str(customer)], k)
    h1, h2 = st.columns(2)
    h1.markdown(f"**History** of {customer}")
    history = customer_history(interactions, str(customer), catalogue)
    if history.empty:
        h1.caption("No purchases or events of this customer in the data.")
    h1.dataframe(history, hide_index=True, height=360,
                 column_config={"product_id": "Product", "product_name": "Name", "purchases": "Bought (lines)",
                                "other_events": "Other events", "first": st.column_config.DatetimeColumn("First", format="YYYY-MM-DD"),
                                "last": st.column_config.DatetimeColumn("Last", format="YYYY-MM-DD")})
    h2.markdown(f"**Top {k}**, each with a reason")
    h2.dataframe(mine[["rank", "product_name", "reason", "product_id"]], hide_index=True, height=360,
                 column_config={"rank": st.column_config.NumberColumn("#", width="small"), "product_id": "Product",
                                "product_name": st.column_config.TextColumn("Name", width="medium"),
                                "reason": st.column_config.TextColumn("Why", width="large")})

st.subheader("For a product")
names = catalogue["product_name"]
products = list(model.items_)
product = st.selectbox("Product", products, index=0, key="rec_product", bind="query-params", accept_new_options=True,
                       format_func=lambda p: f"{names.get(p, p)} ({p})")
if product:
    together, similar = loaders.product_neighbours(orders_id, events_id)
    p1, p2 = st.columns(2)
    if str(product) not in set(products) and str(product) not in set(similar.items_):
        st.warning(f"Product {product} is not in the data. The most popular products of the last 30 days instead:",
                   icon=":material/help:")
        st.dataframe(model.popular(k), hide_index=True,
                     column_config={**NAMES, "rank": "#", "buyers_30d": "Buyers in the last 30 days"})
    else:
        p1.markdown("**Frequently bought together**")
        with widgets.friendly_errors("Finding products bought together"):
            p1.dataframe(together.similar_items(str(product), k), hide_index=True,
                         column_config={**NAMES, "similarity": st.column_config.ProgressColumn(
                             "Cosine", min_value=0, max_value=1, format="%.2f")})
        p2.markdown("**Similar products** (name and category)")
        with widgets.friendly_errors("Finding similar products"):
            p2.dataframe(similar.similar_items(str(product), k), hide_index=True,
                         column_config={**NAMES, "similarity": st.column_config.ProgressColumn(
                             "Similarity", min_value=0, max_value=1, format="%.2f")})

st.subheader("All customers")
st.plotly_chart(charts_recommend.reasons_chart(recs), width="stretch")
st.download_button(f"Download the top {k} for all {recs['customer_id'].nunique():,} customers (CSV)",
                   recs.to_csv(index=False).encode("utf-8"), file_name=f"recommendations_top{k}.csv", mime="text/csv",
                   icon=":material/download:")
