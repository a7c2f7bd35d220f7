"""Report sections computed from the cached loaders: (heading, Plotly figures, table, note).

Each section reuses what its page computes (same loader, same settings as the page's defaults),
so the report shows the numbers an analyst saw on the page.
"""

from __future__ import annotations

import pandas as pd

from ecom_analytics import charts_forecast
from ecom_analytics.forecasting import FREQ_LABELS, MODEL_LABELS, STAT_MODELS
from ecom_analytics.ui import loaders

Section = tuple[str, list, pd.DataFrame | None, str]


def forecast_section(orders_id: str, horizon: int = 8, windows: int = 3, freq: str = "W") -> Section:
    """Total revenue per week: the best backtest model's forecast with its 80/95 % intervals,
    and the backtest leaderboard."""
    result = loaders.forecast_run(orders_id, "orders", "revenue", "total", freq, 10, horizon, windows,
                                  tuple(sorted((*STAT_MODELS, "auto"))))
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
