"""Charts of the reasons behind the scores: a model's global summary of its SHAP values (mean absolute
contribution per feature) and one customer's waterfall from the average customer's score to theirs.

They take the tables of :mod:`ecom_analytics.predict.explain` (as saved with a run) and their text,
already in the analyst's language; they never compute a model.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish

_UP, _DOWN, _GREY = "#2e7d32", "#c62828", "#9e9e9e"


def importance_chart(table: pd.DataFrame, labels: dict[str, str], *, title: str, axis_title: str,
                     top: int = 15, percent: bool = True, lang: str = "en") -> go.Figure:
    """Horizontal bars of ``mean_abs`` for the ``top`` features of ``table`` (one model's rows of
    :func:`ecom_analytics.predict.explain.importance_table`, largest first), named by ``labels``;
    bars in probability points when ``percent`` (the values are 0-1), else in the output's units.
    The bar's colour is the ``direction``: green when higher values raise the score, red when they
    lower it, grey without an order (a category) or without the column."""
    frame = table.head(top).iloc[::-1]
    scale = 100.0 if percent else 1.0
    direction = frame["direction"] if "direction" in frame.columns else pd.Series(float("nan"), index=frame.index)
    colours = [_GREY if pd.isna(d) else _UP if d >= 0 else _DOWN for d in direction]
    names = [labels.get(f, f) for f in frame["feature"]]
    fig = go.Figure(go.Bar(x=frame["mean_abs"] * scale, y=names, orientation="h", marker_color=colours,
                           customdata=frame["mean"] * scale,
                           hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.update_xaxes(title=axis_title, rangemode="tozero")
    fig.update_yaxes(title="", automargin=True)
    fig.update_layout(showlegend=False, hovermode="closest")
    return finish(fig, title, height=max(300, 26 * len(frame) + 110), lang=lang)


def waterfall_chart(steps: pd.DataFrame, base: float, output: float, *, base_label: str, output_label: str,
                    title: str, axis_title: str, percent: bool = True, lang: str = "en") -> go.Figure:
    """One customer's waterfall: the average customer's score (``base``), one bar per row of ``steps``
    (``label``, ``contribution``: :func:`ecom_analytics.predict.explain.waterfall_steps`), and the
    customer's score (``output``) as the total; in probability points (0-100) when ``percent``."""
    scale = 100.0 if percent else 1.0
    labels = [base_label, *steps["label"], output_label]
    values = [base * scale, *(steps["contribution"] * scale), output * scale]
    measures = ["absolute", *(["relative"] * len(steps)), "total"]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=values, measure=measures,
        increasing=dict(marker=dict(color=_UP)), decreasing=dict(marker=dict(color=_DOWN)),
        totals=dict(marker=dict(color=PALETTE[0])), connector=dict(line=dict(color="#bdbdbd", width=1)),
        hovertemplate="%{y}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", automargin=True, title="")
    fig.update_xaxes(title=axis_title)
    fig.update_layout(showlegend=False, hovermode="closest")
    return finish(fig, title, height=max(320, 34 * len(labels) + 120), lang=lang)
