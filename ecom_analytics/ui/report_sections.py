"""Report sections computed from the cached loaders: (heading, Plotly figures, table, note).

Each section reuses what its page computes (same loader, same settings as the page's defaults),
so the report shows the numbers an analyst saw on the page. Its words (heading, note, chart,
table headers, model names) are in ``lang``, the language of the report.
"""

from __future__ import annotations

import pandas as pd

from ecom_analytics.charts import clv as charts_clv, forecast as charts_forecast, recommend as charts_recommend
from ecom_analytics.predict.clv import evaluation_reading, value_deciles
from ecom_analytics.forecasting import DEFAULT_MODELS, FREQ_LABELS, MODEL_LABELS
from ecom_analytics.i18n import format_date, format_number, format_percent, translate
from ecom_analytics.recommend import DEFAULT_MODELS as RECOMMENDERS
from ecom_analytics.ui import loaders

Section = tuple[str, list, pd.DataFrame | None, str]
#: the recommenders' metrics in the report's leaderboard, with their column names (before "@k")
METRICS = {"ndcg": "NDCG", "hit_rate": "hit rate", "precision": "precision", "recall": "recall", "map": "MAP"}


def forecast_section(orders_id: str, horizon: int = 8, windows: int = 3, freq: str = "W",
                     lang: str = "en") -> Section:
    """Total revenue per week: the best backtest model's forecast with its 80/95 % intervals,
    and the backtest leaderboard."""
    result = loaders.forecast_run(orders_id, "orders", "revenue", "total", freq, 10, horizon, windows,
                                  tuple(sorted(DEFAULT_MODELS)))
    best = result.best_model
    best_label = translate(MODEL_LABELS[best], lang)
    uid = result.series.ids[0]
    future = result.forecast[(result.forecast["unique_id"] == uid) & (result.forecast["model"] == best)]
    unit = translate(FREQ_LABELS[freq], lang)
    figure = charts_forecast.forecast_chart(
        result.series.one(uid), future, "revenue",
        translate("Revenue per {unit}: {model}, next {horizon} {unit}s", lang, unit=unit, model=best_label,
                  horizon=horizon), lang=lang)
    board = result.leaderboard[["label", "mase", "smape", "coverage80", "coverage95"]].copy()
    board.columns = ["model", "MASE", "sMAPE %", "in 80 % band", "in 95 % band"]
    board["model"] = board["model"].map(lambda label: translate(label, lang))
    for col in ("MASE", "sMAPE %"):
        board[col] = board[col].map(lambda v: f"{v:.2f}")
    for col in ("in 80 % band", "in 95 % band"):
        board[col] = board[col].map(lambda v: "" if pd.isna(v) else f"{v:.0%}")
    board.columns = [translate(c, lang) for c in board.columns]
    note = translate("Best on a rolling backtest of {windows} windows of {horizon} {unit}s: {model}. It expects "
                     "{total:,.0f} in revenue over the next {horizon} {unit}s; the bands are where the actuals fell "
                     "80 % and 95 % of the time in the backtest.", lang, windows=windows, horizon=horizon, unit=unit,
                     model=best_label, total=future["yhat"].sum())
    return translate("Sales forecast", lang), [figure], board, note


def recommend_section(orders_id: str, events_id: str | None, horizon: int = 30, k: int = 10,
                      lang: str = "en") -> Section:
    """The recommenders' leaderboard on the time split and the products recommended most often
    (counts of customers, no customer ids)."""

    run = loaders.recommend_run(orders_id, events_id, horizon, k, tuple(sorted(RECOMMENDERS)))
    board = run.leaderboard[["label", *METRICS, "coverage"]].copy()
    board["label"] = board["label"].map(lambda label: translate(label, lang))
    for col in METRICS:
        board[col] = board[col].map(lambda v: f"{v:.4f}")
    board["coverage"] = board["coverage"].map(lambda v: f"{v:.0%}")
    board.columns = [translate("model", lang), *(f"{translate(name, lang)}@{k}" for name in METRICS.values()),
                     translate("coverage", lang)]
    best = run.leaderboard.iloc[0]
    recs = run.recommendations
    top = (recs.groupby(["product_id", "product_name"], dropna=False)["customer_id"].nunique()
           .sort_values(ascending=False).head(10))
    top_text = translate("; ", lang).join(  # a list separator: "；" in Chinese
        translate("{name} ({n:,} customers)", lang, name=name if isinstance(name, str) and name else pid, n=n)
        for (pid, name), n in top.items())
    note = translate("Trained on the data before {cutoff} and scored on the {n:,} customers who bought something new "
                     "to them in the {horizon} days after: {model} ranks best, {hit_rate:.0%} of them bought at least "
                     "one of its {k} products (NDCG@{k} {ndcg:.3f}). Refit on all the data, it recommends most often: "
                     "{top}.", lang, cutoff=format_date(run.split.cutoff, lang), n=run.users_evaluated,
                     horizon=horizon, model=translate(best["label"], lang), hit_rate=best["hit_rate"], k=k,
                     ndcg=best["ndcg"], top=top_text)
    return (translate("Product recommendations", lang),
            [charts_recommend.leaderboard_chart(run.leaderboard, "ndcg", k, lang=lang)], board, note)


def clv_section(orders_id: str, months: int = 12, discount_rate: float = 0.01, lang: str = "en") -> Section:
    """Customer lifetime value as the Predictions page computes it (same loaders, its default
    settings): the value by decile of customers (aggregates only, no customer ids), the models
    checked on held-out orders (predicted against actual spend by decile) and its reading."""
    from ecom_analytics.ui import clv as clv_ui

    run = clv_ui.clv_value(orders_id, months, discount_rate)
    customers = run.customers
    table = value_deciles(customers)
    shown = pd.DataFrame({
        translate("Decile", lang): table["decile"].astype(str),
        translate("Customers", lang): table["customers"].map(lambda v: f"{v:,}"),
        translate("Lifetime value", lang): table["clv"].map(lambda v: format_number(v, lang, 2)),
        translate("Share of lifetime value", lang): table["share_of_clv"].map(lambda v: format_percent(v, lang)),
        translate("Expected purchases", lang): table["expected_purchases"].map(lambda v: format_number(v, lang, 1)),
        translate("Still active (mean)", lang): table["probability_alive"].map(lambda v: format_percent(v, lang)),
    })
    total = float(customers["clv"].sum())
    note = translate("Lifetime value over the next {months} months, discounted at {rate} a month: {total} from {n} "
                     "customers ({spend} expected spend, {purchases} purchases); the 10 % with the highest value hold "
                     "{top} of it. Decile 1 = the 10 % of customers with the highest value.", lang, months=months,
                     rate=format_percent(discount_rate, lang), total=format_number(total, lang, 2),
                     n=format_number(len(customers), lang), spend=format_number(customers["expected_spend"].sum(),
                                                                                lang, 2),
                     purchases=format_number(customers["expected_purchases"].sum(), lang),
                     top=format_percent(float(table["share_of_clv"].iloc[0]), lang))
    figures = []
    check = clv_ui.clv_check(orders_id, months, discount_rate)
    if check.evaluation is not None:
        e = check.evaluation
        space = "" if lang == "zh" else " "
        note += space + translate("Checked: fitted on the orders up to {end}, then predicted against actual over the "
                                "{days} days after it.", lang, end=format_date(check.calibration_end, lang),
                                days=e["holdout_days"]) + space + evaluation_reading(e, lang)
        figures.append(charts_clv.deciles_chart(e["deciles"], e["holdout_days"], lang=lang))
    return translate("Customer lifetime value", lang), figures, shown, note
