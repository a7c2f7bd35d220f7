"""The chart of the upload profile: one raw column's distribution (from profile.column_distribution)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish


def distribution_chart(distribution: pd.DataFrame, title: str, x_title: str, y_title: str,
                       lang: str = "en") -> go.Figure:
    """Bars of ``count`` per ``label`` (bins, months or values, in the order given); the text is
    the caller's, in the analyst's language."""
    fig = go.Figure(go.Bar(x=distribution["label"].astype(str), y=distribution["count"], marker_color=PALETTE[0],
                           hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig.update_xaxes(title=x_title, type="category")
    small = len(distribution) and int(distribution["count"].max()) <= 10
    fig.update_yaxes(title=y_title, tickformat=",d", rangemode="tozero", **({"dtick": 1} if small else {}))
    fig.update_layout(showlegend=False)
    return finish(fig, title, height=320, lang=lang)
