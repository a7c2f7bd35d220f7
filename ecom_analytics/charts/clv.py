"""Charts of customer lifetime value: they take results (ecom_analytics.predict.clv) and their words, never compute a model.

Each chart takes its words as ``text`` (those of :data:`CLV_TEXT`, which the page passes in the analyst's
language); without it a chart shows :data:`CLV_TEXT` through the catalogue of ``lang`` (the report's sections).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, chart_words, finish
from ecom_analytics.i18n import fill

#: the words on the lifetime-value charts, in English ({days} is filled in by the chart)
CLV_TEXT = {"predicted": "Predicted spend", "actual": "Actual spend",
            "deciles_x": "Decile of predicted value (1 = highest)", "deciles_y": "Spend in the holdout",
            "deciles_title": "Predicted and actual spend over the {days} days after the calibration end"}


def deciles_chart(deciles: pd.DataFrame | list[dict], holdout_days: int, lang: str = "en",
                  text: Mapping[str, str] | None = None) -> go.Figure:
    """Predicted against actual spend in the holdout per decile of predicted value (1 = the 10 %
    of customers with the highest), from the ``deciles`` of :func:`ecom_analytics.predict.clv.evaluate_clv`."""
    words = chart_words(CLV_TEXT, text, lang)
    frame = pd.DataFrame(deciles)
    labels = [str(int(d)) for d in frame["decile"]]
    fig = go.Figure([
        go.Bar(x=labels, y=frame["predicted_spend"], name=words["predicted"], marker_color=PALETTE[0]),
        go.Bar(x=labels, y=frame["actual_spend"], name=words["actual"], marker_color=PALETTE[1]),
    ])
    fig.update_layout(barmode="group", xaxis_title=words["deciles_x"], yaxis_title=words["deciles_y"])
    return finish(fig, fill(words["deciles_title"], lang, days=holdout_days), lang=lang)
