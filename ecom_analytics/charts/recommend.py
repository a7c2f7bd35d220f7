"""Recommendation charts: functions that take evaluation results and return a Plotly figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish
from ecom_analytics.i18n import translate
from ecom_analytics.names import RECOMMEND_METRICS as METRIC_LABELS, RECOMMEND_MODELS as MODEL_LABELS


def leaderboard_chart(leaderboard: pd.DataFrame, metric: str = "ndcg", k: int = 10, lang: str = "en") -> go.Figure:
    """Horizontal bars of ``metric`` at ``k`` per model (higher is better), best on top."""
    board = leaderboard.sort_values(metric, ascending=True)
    labels = board["model"].map(lambda m: translate(MODEL_LABELS.get(m, m), lang))
    fig = go.Figure(go.Bar(x=board[metric], y=labels, orientation="h", marker_color=PALETTE[0],
                           text=board[metric].map(lambda v: f"{v:.3f}"), textposition="auto",
                           hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
    name = translate(METRIC_LABELS.get(metric, metric), lang)
    fig.update_xaxes(title_text=f"{name}@{k}" if metric != "coverage" else name)
    return finish(fig, translate("{metric} by model (higher is better)", lang, metric=name),
                   height=max(240, 45 * len(board) + 90), lang=lang)


def metrics_chart(leaderboard: pd.DataFrame, k: int = 10,
                  metrics: tuple[str, ...] = ("hit_rate", "precision", "recall", "ndcg", "map"),
                  lang: str = "en") -> go.Figure:
    """Grouped bars: every ranking metric at ``k`` (0-1) for every model."""
    fig = go.Figure()
    for i, row in enumerate(leaderboard.itertuples()):
        label = translate(MODEL_LABELS.get(row.model, row.model), lang)
        fig.add_bar(x=[f"{translate(METRIC_LABELS[m], lang)}@{k}" for m in metrics], y=[getattr(row, m) for m in metrics],
                    name=label, marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate="%{x}: %{y:.4f}<extra>" + label + "</extra>")
    fig.update_yaxes(title_text=translate("Share (0-1)", lang))
    fig.update_layout(barmode="group")
    return finish(fig, translate("Ranking metrics at {k} by model", lang, k=k), height=440, lang=lang)


REASON_KINDS = {"often bought with": "often bought with", "often bought after": "often bought after",
                "similar to": "similar to", "popular": "popular", "other": "other"}


def reasons_chart(recommendations: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Bars: how many recommendations come with each kind of reason (co-purchase, similarity,
    sequence, popularity)."""
    kind = recommendations["reason"].str.extract(r"^(often bought with|often bought after|similar to|popular)",
                                                 expand=False).fillna("other")
    counts = kind.value_counts()
    fig = go.Figure(go.Bar(x=[translate(REASON_KINDS[k], lang) for k in counts.index], y=counts.to_numpy(),
                           marker_color=PALETTE[1], hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig.update_yaxes(title_text=translate("Recommendations", lang))
    return finish(fig, translate("Why the products are recommended", lang), height=300, lang=lang)
