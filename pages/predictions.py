"""Predictions: every customer scored today, and the audiences to act on; or each customer's lifetime value."""

from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.charts import clv as charts_clv
from ecom_analytics.charts import explain as charts_explain
from ecom_analytics.predict.explain import top_reasons, waterfall_steps
from ecom_analytics.predict.all_tasks import STEP_NAMES, AllSettings, table_totals
from ecom_analytics.predict.audiences import AUDIENCE_NAMES, DEFAULT_SHARE, audience_summary, score_table
from ecom_analytics.predict.clv import evaluation_reading, export_table
from ecom_analytics.exports import EXCEL_MIME, csv_bytes, excel_bytes
from ecom_analytics.names import CUSTOMER_MODELS as MODEL_LABELS
from ecom_analytics.ui import currency_view, i18n, loaders, predict_cache, state, widgets
from ecom_analytics.ui.i18n import chart_text, linked, t
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()
widgets.period_not_followed(t("scores are made as of the end of the data, from all the history before it."))


def lifetime_value() -> None:
    """Each customer's value in money over the next months (BG/NBD x Gamma-Gamma), the
    high-value audience, and the same models checked on the last months held out."""
    orders_id = state.current_id("orders")
    if not orders_id:
        widgets.require_dataset("orders", t("Lifetime value is computed from orders."))
        return
    st.caption(t("What each customer is worth in money over the coming months: BG/NBD predicts how many purchases "
                 "each customer will make and whether they are still active, Gamma-Gamma how much they spend per "
                 "purchase. Fitted on all the orders; below, the same models are checked on the last months held "
                 "out."))
    c1, c2, c3 = st.columns(3)
    months = c1.slider(t("Months ahead"), 1, 36, 12, 1, key="pr_clv_months", bind="query-params")
    rate = c2.number_input(t("Discount rate per month (%)"), 0.0, 10.0, 1.0, 0.1, key="pr_clv_rate",
                           bind="query-params", format="%.1f",
                           help=t("Money next month is worth this much less than today; 1 % a month is about 12.7 % "
                                  "a year."))
    audience_name = t(AUDIENCE_NAMES["clv"])
    share = c3.slider(t("{audience}: top % of customers", audience=audience_name), 1, 50,
                      int(DEFAULT_SHARE["clv"] * 100), 1, format="%d%%", key="pr_clv_share",
                      bind="query-params") / 100
    valued = None
    with widgets.friendly_errors(t("Valuing the customers")):
        with st.spinner(t("Fitting BG/NBD and Gamma-Gamma…")):
            valued = predict_cache.clv_run(orders_id, int(months), round(float(rate) / 100, 6))
    if valued is None:
        return
    run = valued.result
    value = run.customers
    table = score_table(value["clv"])
    summary = audience_summary(table, share, "clv")
    m = st.columns(4)
    m[0].metric(t("Customers valued"), f"{len(value):,}")
    m[1].metric(t("Expected spend, next {months} months", months=months), widgets.money_short(value["expected_spend"].sum()),
                help=t("Expected purchases x expected spend per purchase, summed over the customers, not discounted"))
    m[2].metric(t("Lifetime value, next {months} months", months=months), widgets.money_short(value["clv"].sum()),
                help=t("The expected spend of each month discounted at {rate} % a month, summed", rate=f"{rate:g}"))
    m[3].metric(audience_name, f"{summary['customers']:,}",
                help=t("Top {share:.0%} by lifetime value", share=share))
    st.caption(t("{audience} hold {held} of the lifetime value ({value}); the lowest value among them is {low}.",
                 audience=audience_name, held=i18n.percent(summary["expected"] / value["clv"].sum()
                                                           if value["clv"].sum() > 0 else float("nan")),
                 value=widgets.money(summary["expected"]), low=widgets.money(summary["threshold"])))
    shown = value.join(table[["rank"]])
    shown["in_audience"] = shown["rank"] <= summary["customers"]
    if orders_id:
        shown["segment"] = loaders.segments_at_end(orders_id).reindex(shown.index)
    export = export_table(run).join(shown[["in_audience", "segment"]])
    export.insert(0, "months", run.months)
    export.insert(1, "discount_rate", run.discount_rate)
    query = st.text_input(t("Find customers"), key="pr_clv_search", placeholder=t("customer id contains…"))
    if query:
        shown = shown[shown.index.str.contains(query, case=False, regex=False)]
    shown = shown.head(5000).round({"clv": 2, "expected_spend": 2, "spend_per_purchase": 2})
    if "segment" in shown.columns:
        shown = shown.assign(segment=shown["segment"].map({s: t(s) for s in shown["segment"].dropna().unique()}))
    columns = ["rank", "clv", "expected_spend", "expected_purchases", "spend_per_purchase", "probability_alive",
               "probability_purchase", "frequency", "segment", "in_audience"]
    st.dataframe(shown[[c for c in columns if c in shown.columns]], height=420, placeholder="—", column_config={
        "_index": t("Customer"), "rank": t("Rank"),
        "clv": st.column_config.NumberColumn(t("Lifetime value"), format="localized"),
        "expected_spend": st.column_config.NumberColumn(t("Expected spend"), format="localized"),
        "expected_purchases": st.column_config.NumberColumn(t("Expected purchases"), format="%.2f"),
        "spend_per_purchase": st.column_config.NumberColumn(t("Spend per purchase"), format="localized"),
        "probability_alive": st.column_config.NumberColumn(t("Still active"), format="percent"),
        "probability_purchase": st.column_config.NumberColumn(t("Buys again"), format="percent",
                                                              help=t("Probability of at least one purchase in the "
                                                                     "months ahead")),
        "frequency": st.column_config.NumberColumn(t("Repeat purchases"), format="%d"),
        "segment": t("RFM segment"), "in_audience": st.column_config.CheckboxColumn(audience_name)})
    d1, d2, d3 = st.columns(3)
    download(t("All customers (CSV)"), partial(csv_bytes, export), where=d1, file_name=f"clv_{orders_id}.csv",
             mime="text/csv", icon=":material/download:", key="pr_clv_dl_all")
    download(t("{audience} (CSV)", audience=audience_name), partial(csv_bytes, export[export["in_audience"]]),
             where=d2, file_name=f"audience_clv_{orders_id}.csv", mime="text/csv", icon=":material/group:",
             key="pr_clv_dl_audience")
    download(t("All customers (Excel)"), partial(excel_bytes, export, sheet="clv"), where=d3,
             file_name=f"clv_{orders_id}.xlsx", icon=":material/table_view:", mime=EXCEL_MIME, key="pr_clv_dl_xlsx")
    bg, gg = run.bgnbd.params_, run.gamma_gamma
    st.caption(t("Models fitted on the orders up to {end} (times in weeks): BG/NBD r {r:.3f}, alpha {alpha:.3f}, "
                 "a {a:.3f}, b {b:.3f}; Gamma-Gamma p {p:.3f}, q {q:.3f}, v {v:.3f} on {n:,} customers who bought "
                 "again (mean spend per purchase {mean}).", end=i18n.date(run.calibration_end), **bg,
                 **gg.params_, n=gg.n_customers_, mean=widgets.money(gg.mean_spend())))
    for note in valued.notes:
        st.caption(predict_cache.note_text(note))

    st.subheader(t("Checked on held-out orders"))
    checked = None
    with widgets.friendly_errors(t("Checking the lifetime value")):
        with st.spinner(t("Fitting on the earlier orders and checking on the later ones…")):
            checked = predict_cache.clv_run(orders_id, int(months), round(float(rate) / 100, 6), holdout=True)
    check = checked.result if checked is not None else None
    if check is None or check.evaluation is None:
        return
    lang = i18n.current_language()
    e = check.evaluation
    st.markdown(t("Fitted on the orders up to {end}.", end=i18n.date(check.calibration_end))
                + ("" if lang == "zh" else " ") + evaluation_reading(e, lang))
    st.plotly_chart(charts_clv.deciles_chart(e["deciles"], e["holdout_days"], lang=lang,
                                             text=chart_text(charts_clv.CLV_TEXT)), key="pr_clv_deciles")
    deciles = pd.DataFrame(e["deciles"]).round({"predicted_spend": 2, "actual_spend": 2})
    st.dataframe(deciles, hide_index=True, column_config={
        "decile": t("Decile"), "customers": t("Customers"),
        "predicted_purchases": st.column_config.NumberColumn(t("Predicted purchases"), format="%.1f"),
        "actual_purchases": st.column_config.NumberColumn(t("Actual purchases"), format="%d"),
        "predicted_spend": st.column_config.NumberColumn(t("Predicted spend"), format="localized"),
        "actual_spend": st.column_config.NumberColumn(t("Actual spend"), format="localized"),
        "share_of_actual_spend": st.column_config.NumberColumn(t("Share of actual spend"), format="percent")})


def all_scores() -> None:
    """Every score of this session's run of every task at once in one table: purchase, churn and
    revenue on the same split, and lifetime value, with each task's reasons."""
    datasets = {k: state.current_id(k) for k in ("orders", "events", "customers")}
    if not datasets["orders"]:
        widgets.require_dataset("orders", t("Training every task at once needs orders."))
        return
    lang = i18n.current_language()
    currency = widgets.currency_of(datasets["orders"])
    done = predict_cache.all_run(datasets)
    table = predict_cache.all_table(datasets, lang, currency)
    if done is not None and table is not None:
        settings = done.settings
        cutoff = next(iter(done.runs.values())).summary["cutoff"]
        best = {task: r.best_model for task, r in done.runs.items()}
        checked = done.clv_check.result.evaluation if done.clv_check is not None else None
        notes = done.notes
    else:  # a reload or a shared link: rebuilt from the runs Train all stored in the workspace
        stored = predict_cache.stored_all(datasets)
        if not stored:
            st.info(t("No run of every task at once in this session yet: on the Model page, press “Train all "
                      "(purchase, churn, revenue, CLV)”."), icon=":material/done_all:")
            st.page_link("pages/model.py", label=t("Go to the Model page"), icon=":material/model_training:",
                         query_params=state.link_params())
            return
        first = next(iter(stored.values()))
        settings = AllSettings(horizon=int(first["horizon_days"]))  # Train all's lifetime-value settings
        cutoff = first["split"]["test_cutoff"]
        best = {task: m["best_model"] for task, m in stored.items()}
        checked, notes = None, []
        table = predict_cache.stored_all_table(tuple((task, m["run_id"]) for task, m in stored.items()),
                                               datasets["orders"], lang, currency, settings.months,
                                               settings.discount_rate)
        st.caption(t("Reopened from the workspace: the newest stored run of each task on these data ({runs}, trained "
                     "{created}); lifetime value fitted on every order.",
                     runs=", ".join(f"{t(STEP_NAMES[task])} `{m['run_id']}`" for task, m in stored.items()),
                     created=i18n.date(max(m["created"] for m in stored.values()), with_time=True)))
    st.caption(t("Purchase, churn and revenue in the {h} days after the end of the data, each by its best model on "
                 "the same test window ({cutoff} + {h} days); expected purchases, spend and lifetime value over the "
                 "next {months} months (discounted {rate} a month). Churn scores only customers active in the last "
                 "28 days; the others are empty there.", h=settings.horizon, cutoff=i18n.date(cutoff),
                 months=settings.months, rate=i18n.percent(settings.discount_rate)))
    st.caption(t("Best models: {models}", models=", ".join(f"{t(STEP_NAMES[task])}: {t(MODEL_LABELS.get(m, m))}"
                                                          for task, m in best.items())))
    if checked is not None:
        st.caption(t("Lifetime value checked on the same test window (fitted on the orders up to {end}):",
                     end=i18n.date(done.clv_check.result.calibration_end))
                   + ("" if lang == "zh" else " ") + evaluation_reading(checked, lang))
    for note in notes:
        st.warning(predict_cache.note_text(note), icon=":material/warning:")
    totals = table_totals(table)
    m = st.columns(5)
    m[0].metric(t("Customers"), i18n.number(totals["customers"]))
    m[1].metric(t("Expected buyers"), i18n.number(totals["buyers"]),
                help=t("Sum of the probabilities of buying in the next {h} days", h=settings.horizon))
    m[2].metric(t("Expected churners"), i18n.number(totals["churners"]),
                help=t("Sum of the probabilities of going quiet in the next {h} days", h=settings.horizon))
    m[3].metric(t("Predicted revenue"), widgets.money_short(totals["revenue"], currency),
                help=t("Sum of predicted revenue in the next {h} days", h=settings.horizon))
    m[4].metric(t("Lifetime value, next {months} months", months=settings.months),
                widgets.money_short(totals["clv"], currency))
    query = st.text_input(t("Find customers"), key="pr_all_search", placeholder=t("customer id contains…"))
    shown = table[table.index.str.contains(query, case=False, regex=False)] if query else table
    shown = shown.sort_values(shown.columns[0], ascending=False, na_position="last").head(5000)
    reasons = {f"{task}_reason_{r}": t("{task}: reason {n}", task=t(STEP_NAMES[task]), n=r)
               for task in best for r in (1, 2, 3)}
    st.dataframe(shown, height=420, placeholder="—", column_config={
        "_index": t("Customer"),
        "p_purchase": st.column_config.NumberColumn(t("Buys again"), format="percent"),
        "p_churn": st.column_config.NumberColumn(t("Goes quiet"), format="percent"),
        "predicted_revenue": currency_view.money_column(t("Predicted revenue"), currency),
        "expected_purchases": st.column_config.NumberColumn(t("Expected purchases"), format="%.2f"),
        "expected_spend": currency_view.money_column(t("Expected spend"), currency),
        "clv": currency_view.money_column(t("Lifetime value"), currency),
        "probability_alive": st.column_config.NumberColumn(t("Still active"), format="percent"),
        **reasons}, key="pr_all_table")
    export = table.copy()
    export.insert(0, "horizon_days", settings.horizon)
    export.insert(1, "clv_months", settings.months)
    d1, d2 = st.columns(2)
    download(t("All customers (CSV)"), partial(csv_bytes, export), where=d1,
             file_name=f"all_scores_{datasets['orders']}.csv", mime="text/csv", icon=":material/download:",
             key="pr_all_dl_csv")
    download(t("All customers (Excel)"), partial(excel_bytes, export, sheet="all scores"), where=d2,
             file_name=f"all_scores_{datasets['orders']}.xlsx", icon=":material/table_view:", mime=EXCEL_MIME,
             key="pr_all_dl_xlsx")


st.title(t("Predictions"))
view = st.segmented_control(t("Show"), ["scores", "clv", "all"], default="scores",
                            **linked("pr_view", {"scores": "Scores of a trained model",
                                                 "clv": "Customer lifetime value",
                                                 "all": "All scores"})) or "scores"
if view == "clv":
    lifetime_value()
    st.stop()
if view == "all":
    all_scores()
    st.stop()
st.caption(t("Each customer scored at the end of the data by a model refit on every labelled window. "
             "Audiences take the top share of customers by score, like GA4's predictive audiences."))

orders_id = state.current_id("orders")
runs, run_id, stored = widgets.pick_run(t("Predictions come from a model trained on your data."), "pr_run")
task, horizon = stored.meta["task"], stored.meta["horizon_days"]
models = list(stored.predictions.columns)
c1, c2 = st.columns([2, 3])
model = c1.radio(t("Scores of"), models, horizontal=True,
                 **linked("pr_model", {m: MODEL_LABELS.get(m, m) for m in models}),
                 help=t("The best model on the test window, and the neural network"))
share = c2.slider(t("{audience}: top % of customers", audience=t(AUDIENCE_NAMES[task])), 1, 50, int(DEFAULT_SHARE[task] * 100), 1,
                  format="%d%%", key=f"pr_share_{task}", bind="query-params") / 100
table = score_table(stored.predictions[model])
if orders_id:
    table["segment"] = loaders.segments_at_end(orders_id).reindex(table.index)
summary = audience_summary(table, share, task)
table["in_audience"] = table["rank"] <= summary["customers"]

m = st.columns(4)
audience = t(summary["name"])
m[0].metric(t("Customers scored"), f"{len(table):,}")
m[1].metric(audience, f"{summary['customers']:,}", help=t("Top {share:.0%} by score", share=share))
if task == "revenue":
    m[2].metric(t("Their predicted revenue"), widgets.money_short(summary["expected"]),
                help=t("Sum of predicted revenue in the next {h} days", h=horizon))
    m[3].metric(t("Lowest score in the audience"), widgets.money(summary["threshold"]))
else:
    m[2].metric(t("Expected buyers") if task == "purchase" else t("Expected churners"), f"{summary['expected']:,.0f}",
                help=t("Sum of the audience's probabilities: the number expected in the next {h} days", h=horizon))
    m[3].metric(t("Lowest probability in the audience"), i18n.percent(summary["threshold"]))
what = {"purchase": t("probability of buying"), "churn": t("probability of going quiet"),
        "revenue": t("predicted revenue")}[task]
st.caption(t("Score = {what} in the {h} days after the end of the data. Percentile 100 = the highest score.",
             what=what, h=horizon))

query = st.text_input(t("Find customers"), key="pr_search", placeholder=t("customer id contains…"))
shown = table[table.index.str.contains(query, case=False, regex=False)] if query else table
score_fmt = currency_view.money_column(t("Predicted revenue"), widgets.currency_of(orders_id)) if task == "revenue" \
    else st.column_config.NumberColumn(t("Probability"), format="percent")
shown = shown.head(5000)
if "segment" in shown.columns:  # segment names in the analyst's language on screen (the downloads keep English)
    segment_names = {s: t(s) for s in shown["segment"].dropna().unique()}
    shown = shown.assign(segment=shown["segment"].map(segment_names))
st.dataframe(shown, height=420, placeholder="—", column_config={
    "_index": t("Customer"), "score": score_fmt, "rank": t("Rank"), "percentile": st.column_config.NumberColumn(t("Percentile"), format="%.1f"),
    "segment": t("RFM segment"), "in_audience": st.column_config.CheckboxColumn(audience)})

st.subheader(t("Why this score"))
lang = i18n.current_language()
currency = widgets.currency_of(orders_id)
explained, customer_features = predict_cache.run_explanation(run_id, model)
if explained is None:
    st.info(t("This run was trained before the reasons behind each score were kept. Train it again on the "
              "Model page to see them."), icon=":material/info:")
else:
    choices = [c for c in shown.index if c in explained.index] or list(explained.index[:1])
    customer = st.selectbox(t("Customer"), choices, key="pr_why_customer",
                            help=t("The customers of the table above, in its order (search to narrow it)"))
    steps = waterfall_steps(explained, customer, customer_features, top=8, lang=lang, currency=currency)
    row = explained.index.get_loc(customer)
    money = task == "revenue"
    shown_score = widgets.money(float(explained.output[row]), currency) if money \
        else i18n.percent(float(explained.output[row]))
    average = widgets.money(explained.base, currency) if money else i18n.percent(explained.base)
    st.plotly_chart(charts_explain.waterfall_chart(
        steps, explained.base, float(explained.output[row]), base_label=t("Average customer: {score}", score=average),
        output_label=t("This customer: {score}", score=shown_score),
        title=t("Why {customer} scores {score}", customer=str(customer), score=shown_score),
        axis_title=t("Predicted revenue (currency)") if money else t("Probability (points)"), percent=not money,
        lang=lang), key="pr_why_chart")
    reasons = top_reasons(explained, customer_features, lang=lang, currency=currency).loc[customer]
    st.markdown("\n".join(f"- {text}" for text in reasons if text))
    st.caption(t("SHAP values of {model} ({method}): each feature's share of the difference between this "
                 "customer's score and the average customer's; they add up to the score.",
                 model=t(MODEL_LABELS.get(model, model)), method=t(explained.method)))

export = table.rename(columns={"score": f"{task}_score"})
export.insert(0, "task", task)
export.insert(1, "horizon_days", horizon)
# the three largest reasons of each customer's score, in words (empty for a run trained before they were kept)
export = export.join(predict_cache.run_reasons(run_id, model, lang, currency))
d1, d2, d3 = st.columns(3)
download(t("All customers (CSV)"), partial(csv_bytes, export), where=d1,
                   file_name=f"predictions_{task}_{run_id}.csv", mime="text/csv", icon=":material/download:")
download(t("{audience} (CSV)", audience=audience), partial(csv_bytes, export[export["in_audience"]]), where=d2,
                   file_name=f"audience_{task}_{run_id}.csv", mime="text/csv", icon=":material/group:")
download(t("All customers (Excel)"), partial(excel_bytes, export, sheet="predictions"), where=d3,
                   file_name=f"predictions_{task}_{run_id}.xlsx", icon=":material/table_view:",
                   mime=EXCEL_MIME)

latest = runs.drop_duplicates("task")  # newest run of each task on these data
if len(latest) > 1:  # every task's best-model scores side by side: the All scores view
    st.page_link("pages/predictions.py", label=t("See all the scores in one table"), icon=":material/table_view:",
                 query_params={**state.link_params(), "pr_view": "all"})

with st.expander(t("Score another dataset with this model"), icon=":material/upload:"):
    st.caption(t("Apply this run's neural network to another orders dataset of the workspace (e.g. this month's "
                 "export), without retraining. Features are built at the day after that dataset's last order."))
    if not stored.meta.get("has_neural"):
        st.info(t("This run has no neural network to reuse."), icon=":material/info:")
    else:
        stored_sets = state.workspace().list_datasets()
        candidates = stored_sets[stored_sets["kind"] == "orders"]
        if candidates.empty:
            st.write(t("No orders dataset in the workspace."))
        else:
            names = dict(zip(candidates["dataset_id"], candidates["name"]))
            other = st.selectbox(t("Orders dataset"), list(names), format_func=names.get, key="pr_other")
            if st.button(t("Score it"), key="pr_score_other", icon=":material/play_arrow:"):
                with widgets.friendly_errors(t("Scoring the dataset")):
                    with st.spinner(t("Building features and scoring…")):
                        new_scores = loaders.score_other(run_id, other)
                    other_table = score_table(new_scores)
                    st.dataframe(other_table.head(1000), height=300, placeholder="—")
                    download(t("Download these scores (CSV)"),
                             partial(csv_bytes, other_table),
                                       file_name=f"scores_{task}_{other}.csv", mime="text/csv",
                                       icon=":material/download:")
