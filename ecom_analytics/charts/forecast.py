"""Forecast charts: functions that take forecasting results and their words and return a Plotly figure.

Each chart takes its text as arguments: ``text`` (the trace names and titles of :data:`FORECAST_TEXT`,
which the page passes in the analyst's language) and ``model_names`` (a model code's label). Without
them a chart shows :data:`FORECAST_TEXT` through the catalogue of ``lang`` (the report's sections);
``lang`` also formats the numbers and dates. The readings under the charts are
:mod:`ecom_analytics.forecasting.readings`; a chart never builds prose and never computes a model.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish
from ecom_analytics.names import FORECAST_MODELS as MODEL_LABELS
from ecom_analytics.i18n import translate

#: the words on the forecast charts, in English ({level}, {model}, {n}, {metric} are filled in by the chart)
FORECAST_TEXT = {
    "actual": "Actual", "last_year": "Same periods last year", "last_year_hover": "last year",
    "interval": "{level} % interval", "interval_low": "{level} % low", "before": "Before reconciling",
    "before_hover": "before reconciling", "forecast": "Forecast", "coherent": "Coherent forecast",
    "holiday": "Public holiday", "flag": "Holiday or promotion (export)", "partial": "Partial period (left out)",
    "partial_hover": "partial", "backtest_title": "Backtest: each window's forecast against the actuals",
    "window_hover": "{model}, window {n}", "leaderboard_title": "Backtest {metric} by model (lower is better)",
    "by_step_title": "{metric} by periods ahead",
}


def _words(text: Mapping[str, str] | None, lang: str) -> dict[str, str]:
    """The chart's words: ``text`` over the English defaults, or the defaults in ``lang`` without it."""
    if text is not None:
        return {**FORECAST_TEXT, **text}
    return {key: translate(value, lang) for key, value in FORECAST_TEXT.items()}


def _names(model_names: Mapping[str, str] | None, lang: str) -> Mapping[str, str]:
    return model_names if model_names is not None else {m: translate(v, lang) for m, v in MODEL_LABELS.items()}


def forecast_chart(history: pd.DataFrame, forecast: pd.DataFrame, measure: str = "revenue",
                   title: str = "Forecast", lang: str = "en", last_season: pd.DataFrame | None = None,
                   holidays: pd.Series | None = None, partial: pd.DataFrame | None = None,
                   base: pd.DataFrame | None = None, text: Mapping[str, str] | None = None,
                   y_title: str | None = None) -> go.Figure:
    """The history (``ds``, ``y``; ``flag`` 1 marks the export's holiday/promotion periods) and one
    model's forecast (``ds``, ``yhat``, ``lo80/hi80``, ``lo95/hi95``) with its 80 % and 95 %
    intervals as shaded bands; ``title`` is shown as given.

    ``last_season``: ``ds`` (the forecast's periods) and ``y`` (the same periods one season
    earlier), drawn dotted under the forecast. ``holidays``: holiday names per period start
    (empty text for none), marked with triangles on the history. ``partial``: ``ds``, ``y`` of
    partial periods left out of the models, drawn as hollow circles. ``base``: ``ds``, ``yhat`` of the
    model's own forecast when ``forecast`` is the reconciled (coherent) one, drawn as a thin dashed line.
    ``text``: the words of :data:`FORECAST_TEXT`; ``y_title``: the measure's name (``measure`` translated
    by ``lang`` when not given)."""
    words = _words(text, lang)
    fig = go.Figure()
    fig.add_scatter(x=history["ds"], y=history["y"], name=words["actual"], mode="lines",
                    line=dict(color="#444"), hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra></extra>")
    if last_season is not None and last_season["y"].notna().any():
        fig.add_scatter(x=last_season["ds"], y=last_season["y"], name=words["last_year"],
                        mode="lines", line=dict(color="#999", dash="dot"),
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>" + words["last_year_hover"] + "</extra>")
    for lv, opacity in ((95, 0.15), (80, 0.3)):
        fig.add_scatter(x=forecast["ds"], y=forecast[f"hi{lv}"], mode="lines", line=dict(width=0),
                        showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=forecast["ds"], y=forecast[f"lo{lv}"], mode="lines", line=dict(width=0), fill="tonexty",
                        fillcolor=f"rgba(31,119,180,{opacity})", name=words["interval"].format(level=lv),
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>"
                        + words["interval_low"].format(level=lv) + "</extra>")
    if base is not None and not base.empty:
        fig.add_scatter(x=base["ds"], y=base["yhat"], name=words["before"], mode="lines",
                        line=dict(color="#1f77b4", dash="dash", width=1),
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>" + words["before_hover"]
                        + "</extra>")
    fig.add_scatter(x=forecast["ds"], y=forecast["yhat"],
                    name=words["forecast"] if base is None else words["coherent"], mode="lines+markers",
                    line=dict(color="#1f77b4"), hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra></extra>")
    if holidays is not None and holidays.ne("").any():
        hit = history[history["ds"].isin(holidays.index[holidays.ne("")])]
        fig.add_scatter(x=hit["ds"], y=hit["y"], mode="markers", name=words["holiday"],
                        marker=dict(symbol="triangle-up", size=9, color="#d62728"),
                        text=[holidays.get(d, "") for d in hit["ds"]],
                        hovertemplate="%{x|%Y-%m-%d}: %{text}<extra></extra>")
    if "flag" in history.columns and history["flag"].gt(0).any():
        flagged = history[history["flag"].gt(0)]
        fig.add_scatter(x=flagged["ds"], y=flagged["y"], mode="markers", name=words["flag"],
                        marker=dict(symbol="square-open", size=9, color="#ff7f0e"),
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra></extra>")
    if partial is not None and not partial.empty:
        fig.add_scatter(x=partial["ds"], y=partial["y"], mode="markers", name=words["partial"],
                        marker=dict(symbol="circle-open", size=10, color="#444"),
                        hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>" + words["partial_hover"] + "</extra>")
    fig.update_yaxes(title_text=y_title if y_title is not None else translate(measure.capitalize(), lang))
    return finish(fig, title, height=400, lang=lang)


def backtest_chart(history: pd.DataFrame, backtest: pd.DataFrame, measure: str = "revenue",
                   lang: str = "en", text: Mapping[str, str] | None = None,
                   model_names: Mapping[str, str] | None = None, y_title: str | None = None) -> go.Figure:
    """Actuals (``ds``, ``y``) and, for each model in ``backtest``, each window's forecast as
    its own line, with a dotted line at each window's training cut (words as in :func:`forecast_chart`)."""
    words, names = _words(text, lang), _names(model_names, lang)
    fig = go.Figure()
    start = backtest["ds"].min() if not backtest.empty else history["ds"].min()
    shown = history[history["ds"] >= start - (backtest["ds"].max() - start if not backtest.empty else pd.Timedelta(0))]
    fig.add_scatter(x=shown["ds"], y=shown["y"], name=words["actual"], mode="lines+markers",
                    line=dict(color="#444"), marker=dict(size=4), hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra></extra>")
    for i, (model, rows) in enumerate(backtest.groupby("model", sort=False)):
        color = PALETTE[i % len(PALETTE)]
        for j, (window, part) in enumerate(rows.groupby("window")):
            fig.add_scatter(x=part["ds"], y=part["yhat"], mode="lines", line=dict(color=color, dash="dash"),
                            name=names.get(model, model), legendgroup=model,
                            showlegend=j == 0, hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra>"
                            + words["window_hover"].format(model=names.get(model, model), n=window + 1) + "</extra>")
    for cut in backtest.loc[backtest["window"] >= 0, "cutoff"].unique() if not backtest.empty else []:
        fig.add_vline(x=pd.Timestamp(cut), line=dict(color="#bbb", dash="dot", width=1))
    fig.update_yaxes(title_text=y_title if y_title is not None else translate(measure.capitalize(), lang))
    return finish(fig, words["backtest_title"], height=380, lang=lang)


def leaderboard_chart(leaderboard: pd.DataFrame, metric: str = "smape", lang: str = "en",
                      text: Mapping[str, str] | None = None, model_names: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of ``metric`` per model (lower is better), best on top."""
    words, names = _words(text, lang), _names(model_names, lang)
    board = leaderboard.sort_values(metric, ascending=False)
    labels = board["model"].map(lambda m: names.get(m, m))
    unit = " (%)" if metric == "smape" else ""
    fig = go.Figure(go.Bar(x=board[metric], y=labels, orientation="h", marker_color=PALETTE[0],
                           text=board[metric].map(lambda v: f"{v:,.2f}"), textposition="auto",
                           hovertemplate="%{y}: %{x:,.3f}<extra></extra>"))
    fig.update_xaxes(title_text=metric.upper() + unit)
    return finish(fig, words["leaderboard_title"].format(metric=metric.upper()),
                   height=max(240, 45 * len(board) + 90), lang=lang)


def error_by_step_chart(by_step: pd.DataFrame, metric: str = "smape", lang: str = "en",
                        text: Mapping[str, str] | None = None,
                        model_names: Mapping[str, str] | None = None) -> go.Figure:
    """``metric`` per step ahead, one line per model: how fast each model's error grows."""
    words, names = _words(text, lang), _names(model_names, lang)
    fig = go.Figure()
    for i, (model, rows) in enumerate(by_step.groupby("model", sort=False)):
        fig.add_scatter(x=rows["step"], y=rows[metric], name=names.get(model, model), mode="lines+markers",
                        line=dict(color=PALETTE[i % len(PALETTE)]))
    # no x-axis title (the chart's title names the steps): the legend below would cover it in a narrow column
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(title_text=metric.upper() + (" (%)" if metric == "smape" else ""))
    return finish(fig, words["by_step_title"].format(metric=metric.upper()), height=360, lang=lang)
