"""Recommendation charts: functions that take evaluation results and their words and return a Plotly figure.

Each chart takes its text as arguments (``text``: the titles of :data:`RECOMMEND_TEXT`; ``model_names`` and
``metric_names``: labels by code), which the page passes in the analyst's language; without them a chart
shows the English defaults through the catalogue of ``lang`` (the report's sections).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish
from ecom_analytics.i18n import translate
from ecom_analytics.names import RECOMMEND_METRICS as METRIC_LABELS, RECOMMEND_MODELS as MODEL_LABELS

#: the words on the recommendation charts, in English ({metric}, {k} are filled in by the chart)
RECOMMEND_TEXT = {"leaderboard_title": "{metric} by model (higher is better)", "share": "Share (0-1)",
                  "metrics_title": "Ranking metrics at {k} by model", "reasons_title": "Why the products are recommended",
                  "recommendations": "Recommendations"}


def _words(text: Mapping[str, str] | None, lang: str) -> dict[str, str]:
    if text is not None:
        return {**RECOMMEND_TEXT, **text}
    return {key: translate(value, lang) for key, value in RECOMMEND_TEXT.items()}


def _labels(given: Mapping[str, str] | None, defaults: Mapping[str, str], lang: str) -> Mapping[str, str]:
    return given if given is not None else {code: translate(label, lang) for code, label in defaults.items()}


def leaderboard_chart(leaderboard: pd.DataFrame, metric: str = "ndcg", k: int = 10, lang: str = "en",
                      text: Mapping[str, str] | None = None, model_names: Mapping[str, str] | None = None,
                      metric_names: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of ``metric`` at ``k`` per model (higher is better), best on top."""
    words = _words(text, lang)
    models, metrics = _labels(model_names, MODEL_LABELS, lang), _labels(metric_names, METRIC_LABELS, lang)
    board = leaderboard.sort_values(metric, ascending=True)
    labels = board["model"].map(lambda m: models.get(m, m))
    fig = go.Figure(go.Bar(x=board[metric], y=labels, orientation="h", marker_color=PALETTE[0],
                           text=board[metric].map(lambda v: f"{v:.3f}"), textposition="auto",
                           hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    name = metrics.get(metric, metric)
    fig.update_xaxes(title_text=f"{name}@{k}" if metric != "coverage" else name)
    return finish(fig, words["leaderboard_title"].format(metric=name),
                   height=max(240, 45 * len(board) + 90), lang=lang)


def metrics_chart(leaderboard: pd.DataFrame, k: int = 10,
                  metrics: tuple[str, ...] = ("hit_rate", "precision", "recall", "ndcg", "map"),
                  lang: str = "en", text: Mapping[str, str] | None = None,
                  model_names: Mapping[str, str] | None = None,
                  metric_names: Mapping[str, str] | None = None) -> go.Figure:
    """Grouped bars: every ranking metric at ``k`` (0-1) for every model."""
    words = _words(text, lang)
    models, names = _labels(model_names, MODEL_LABELS, lang), _labels(metric_names, METRIC_LABELS, lang)
    fig = go.Figure()
    for i, row in enumerate(leaderboard.itertuples()):
        label = models.get(row.model, row.model)
        fig.add_bar(x=[f"{names[m]}@{k}" for m in metrics], y=[getattr(row, m) for m in metrics],
                    name=label, marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate="%{x}: %{y:.4f}<extra>" + label + "</extra>")
    fig.update_yaxes(title_text=words["share"])
    fig.update_layout(barmode="group")
    return finish(fig, words["metrics_title"].format(k=k), height=440, lang=lang)


REASON_KINDS = {"often bought with": "often bought with", "often bought after": "often bought after",
                "similar to": "similar to", "popular": "popular", "other": "other"}


def reasons_chart(recommendations: pd.DataFrame, lang: str = "en", text: Mapping[str, str] | None = None,
                  kind_names: Mapping[str, str] | None = None) -> go.Figure:
    """Bars: how many recommendations come with each kind of reason (co-purchase, similarity,
    sequence, popularity)."""
    kind = recommendations["reason"].str.extract(r"^(often bought with|often bought after|similar to|popular)",
                                                 expand=False).fillna("other")
    counts = kind.value_counts()
    words, kinds = _words(text, lang), _labels(kind_names, REASON_KINDS, lang)
    fig = go.Figure(go.Bar(x=[kinds[k] for k in counts.index], y=counts.to_numpy(),
                           marker_color=PALETTE[1], hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig.update_yaxes(title_text=words["recommendations"])
    return finish(fig, words["reasons_title"], height=300, lang=lang)
