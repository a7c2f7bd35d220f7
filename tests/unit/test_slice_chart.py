"""The slice chart's colours agree with its words (issue #21): red only for a weak slice (AUC below
0.6), sand for a slice well below the overall AUC but not weak, grey for one too small to judge."""

import pandas as pd

from ecom_analytics.charts.common import PALETTE
from ecom_analytics.charts.evaluation import slice_chart


def test_a_slice_at_0648_below_the_overall_is_not_red():
    table = pd.DataFrame({
        "group": ["A", "B", "C", "D"], "customers": [400, 300, 200, 5],
        "positive_rate": [0.1, 0.1, 0.1, 0.2], "roc_auc": [0.80, 0.648, 0.55, 0.9],
        "flag": ["", "AUC 0.15 below the overall 0.80", "weak: AUC below 0.6; AUC 0.25 below the overall 0.80",
                 "too few customers (5 < 30)"]})
    bar = slice_chart(table, "roc_auc", by="country").data[0]
    colour = dict(zip(bar.y, bar.marker.color))
    assert colour == {"A": PALETTE[0], "B": PALETTE[2], "C": PALETTE[1], "D": "#c8c8c8"}
