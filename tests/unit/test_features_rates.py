"""Hand-computed checks of the rate and regularity features (active_months, units,
order_rate_30d, overdue_log_ratio)."""

import math

import pandas as pd
import pytest

from ecom_analytics.insights.features import build_customer_features
from ecom_analytics.ingest.schema import DTYPES


def _orders(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "quantity", "amount"])
    for col in DTYPES["orders"]:
        if col not in frame:
            frame[col] = None
    frame["unit_price"] = frame["amount"] / frame["quantity"]
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame[list(DTYPES["orders"])].astype(DTYPES["orders"])


def test_rate_and_regularity_features():
    orders = _orders([
        # A: orders on Jan 1, Jan 11, Feb 10 (gaps 10 and 30 days, mean 20), 2 + 1 + 3 units
        ("A", "1", "2024-01-01", 2, 20.0),
        ("A", "2", "2024-01-11", 1, 10.0),
        ("A", "3", "2024-02-10", 3, 30.0),
        # B: one order 10 days before the cutoff (tenure 10 days -> counted as 30)
        ("B", "4", "2024-03-01", 5, 50.0),
        # after the cutoff: must not count
        ("A", "5", "2024-03-11", 7, 70.0),
    ])
    f = build_customer_features(orders, "2024-03-11")
    a, b = f.loc["A"], f.loc["B"]
    assert a["active_months"] == 2 and b["active_months"] == 1
    assert a["units"] == 6 and b["units"] == 5
    # A: tenure Jan 1 -> Mar 11 = 70 days, 3 orders -> 3 / 70 * 30
    assert a["order_rate_30d"] == pytest.approx(3 / 70 * 30)
    assert b["order_rate_30d"] == pytest.approx(1.0)
    # A: recency 30 days (Feb 10 -> Mar 11), typical gap 20 days
    assert a["overdue_log_ratio"] == pytest.approx(math.log1p(30) - math.log1p(20))
    # B: one order, typical gap = tenure = recency -> 0
    assert b["overdue_log_ratio"] == pytest.approx(0.0)
