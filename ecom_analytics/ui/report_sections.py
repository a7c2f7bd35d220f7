"""Report sections computed from the cached loaders: (heading, Plotly figures, table, note).

Each section reuses what its page computes (same loader, same settings as the page's defaults),
so the report shows the numbers an analyst saw on the page.
"""

from __future__ import annotations

import pandas as pd

from ecom_analytics import charts_forecast, charts_recommend
from ecom_analytics.forecasting import DEFAULT_MODELS, FREQ_LABELS, MODEL_LABELS
from ecom_analytics.recommend import DEFAULT_MODELS as RECOMMENDERS
from ecom_analytics.ui import loaders

Section = tuple[str, list, pd.DataFrame | None, str]


def forecast_section(orders_id: str, horizon: int = 8, windows: int = 3, freq: str = "W") -> Section:
    """Total revenue per week: the best backtest model's forecast with its 80/95 % intervals,
    and the backtest leaderboard."""
    result = loaders.forecast_run(orders_id, "orders", "revenue", "total", freq, 10, horizon, windows,
                                  tuple(sorted(DEFAULT_MODELS)))
    best = result.best_model
    uid = result.series.ids[0]
    future = result.forecast[(result.forecast["unique_id"] == uid) & (result.forecast["model"] == best)]
    unit = FREQ_LABELS[freq]
    figure = charts_forecast.forecast_chart(result.series.one(uid), future, "revenue",
                                            f"Revenue per {unit}: {MODEL_LABELS[best]}, next {horizon} {unit}s")
    board = result.leaderboard[["label", "mase", "smape", "coverage80", "coverage95"]].copy()
    board.columns = ["model", "MASE", "sMAPE %", "in 80 % band", "in 95 % band"]
    for col in ("MASE", "sMAPE %"):
        board[col] = board[col].map(lambda v: f"{v:.2f}")
    for col in ("in 80 % band", "in 95 % band"):
        board[col] = board[col].map(lambda v: "" if pd.isna(v) else f"{v:.0%}")
    note = (f"Best on a rolling backtest of {windows} windows of {horizon} {unit}s: {MODEL_LABELS[best]}. "
            f"It expects {future['yhat'].sum():,.0f} in revenue over the next {horizon} {unit}s; the bands are "
            "where the actuals fell 80 % and 95 % of the time in the backtest.")
    return "Sales forecast", [figure], board, note


def recommend_section(orders_id: str, events_id: str | None, horizon: int = 30, k: int = 10) -> Section:
    """The recommenders' leaderboard on the time split and the products recommended most often
    (counts of customers, no customer ids)."""

    run = loaders.recommend_run(orders_id, events_id, horizon, k, tuple(sorted(RECOMMENDERS)))
    board = run.leaderboard[["label", "ndcg", "hit_rate", "precision", "recall", "map", "coverage"]].copy()
    board.columns = ["model", f"NDCG@{k}", f"hit rate@{k}", f"precision@{k}", f"recall@{k}", f"MAP@{k}", "coverage"]
    for col in board.columns[1:-1]:
        board[col] = board[col].map(lambda v: f"{v:.4f}")
    board["coverage"] = board["coverage"].map(lambda v: f"{v:.0%}")
    best = run.leaderboard.iloc[0]
    recs = run.recommendations
    top = (recs.groupby(["product_id", "product_name"], dropna=False)["customer_id"].nunique()
           .sort_values(ascending=False).head(10))
    top_text = "; ".join(f"{name if isinstance(name, str) and name else pid} ({n:,} customers)"
                         for (pid, name), n in top.items())
    note = (f"Trained on the data before {run.split.cutoff:%Y-%m-%d} and scored on the {run.users_evaluated:,} "
            f"customers who bought something new to them in the {horizon} days after: {best['label']} ranks best, "
            f"{best['hit_rate']:.0%} of them bought at least one of its {k} products (NDCG@{k} {best['ndcg']:.3f}). "
            f"Refit on all the data, it recommends most often: {top_text}.")
    return "Product recommendations", [charts_recommend.leaderboard_chart(run.leaderboard, "ndcg", k)], board, note
