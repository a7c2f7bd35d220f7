"""Scores to act on: percentiles and GA4-style audiences.

GA4's predictive audiences: likely 7-day purchasers (top 10 % by purchase probability),
likely 7-day churners (top 20 % by churn probability), predicted top spenders (top 5 % by
predicted revenue). Here the share is adjustable and the window is the run's horizon; the
high-value customers are the top 10 % by lifetime value (ecom_analytics.predict.clv).

Spreadsheet-safe files are written by :mod:`ecom_analytics.exports` (the one export writer);
``spreadsheet_safe`` and ``to_excel_bytes`` are re-exported here for older callers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.exports import excel_bytes, spreadsheet_safe

__all__ = ["AUDIENCE_NAMES", "DEFAULT_SHARE", "audience", "audience_summary", "score_table",
           "spreadsheet_safe", "to_excel_bytes"]

DEFAULT_SHARE = {"purchase": 0.10, "churn": 0.20, "revenue": 0.05, "clv": 0.10}
AUDIENCE_NAMES = {"purchase": "Likely purchasers", "churn": "Likely churners", "revenue": "Predicted top spenders",
                  "clv": "High-value customers"}


def score_table(scores: pd.Series) -> pd.DataFrame:
    """Each customer's ``score``, ``rank`` (1 = highest) and ``percentile`` (100 = highest,
    share of customers scoring at or below), highest first."""
    s = scores.astype(float)
    out = pd.DataFrame({"score": s})
    out["rank"] = s.rank(ascending=False, method="first").astype("int64")
    out["percentile"] = (s.rank(method="max", pct=True) * 100).round(1)
    return out.sort_values("rank")


def audience(table: pd.DataFrame, share: float) -> pd.DataFrame:
    """The top ``share`` (0..1) of customers of a :func:`score_table` (at least one customer)."""
    # rounded first: 7 % of 100 is 7.000000000000001 in floating point, which must not become 8
    n = max(1, int(np.ceil(round(len(table) * share, 9)))) if len(table) else 0
    return table[table["rank"] <= n]


def audience_summary(table: pd.DataFrame, share: float, task: str) -> dict:
    """Size of the audience and what it is expected to bring: the sum of purchase (or churn)
    probabilities = expected buyers (churners), the sum of predicted revenue, or (``clv``) the
    sum of the customers' lifetime values."""
    members = audience(table, share)
    expected = float(members["score"].sum())
    return {"name": AUDIENCE_NAMES[task], "share": share, "customers": int(len(members)), "expected": expected,
            "threshold": float(members["score"].min()) if len(members) else float("nan")}


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "predictions") -> bytes:
    """An .xlsx file of ``frame`` (spreadsheet-safe): :func:`ecom_analytics.exports.excel_bytes`."""
    return excel_bytes(frame, sheet=sheet)
