"""Charts of customer lifetime value: they take results (ecom_analytics.predict.clv) and their words, never compute a model."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish
from ecom_analytics.i18n import translate


def deciles_chart(deciles: pd.DataFrame | list[dict], holdout_days: int, lang: str = "en") -> go.Figure:
    """Predicted against actual spend in the holdout per decile of predicted value (1 = the 10 %
    of customers with the highest), from the ``deciles`` of :func:`ecom_analytics.predict.clv.evaluate_clv`."""
    frame = pd.DataFrame(deciles)
    labels = [str(int(d)) for d in frame["decile"]]
    fig = go.Figure([
        go.Bar(x=labels, y=frame["predicted_spend"], name=translate("Predicted spend", lang), marker_color=PALETTE[0]),
        go.Bar(x=labels, y=frame["actual_spend"], name=translate("Actual spend", lang), marker_color=PALETTE[1]),
    ])
    fig.update_layout(barmode="group",
                      xaxis_title=translate("Decile of predicted value (1 = highest)", lang),
                      yaxis_title=translate("Spend in the holdout", lang))
    return finish(fig, translate("Predicted and actual spend over the {days} days after the calibration end", lang,
                                  days=holdout_days), lang=lang)
