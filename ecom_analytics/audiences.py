"""Scores to act on: percentiles, GA4-style audiences and spreadsheet-safe exports.

GA4's predictive audiences: likely 7-day purchasers (top 10 % by purchase probability),
likely 7-day churners (top 20 % by churn probability), predicted top spenders (top 5 % by
predicted revenue). Here the share is adjustable and the window is the run's horizon.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

DEFAULT_SHARE = {"purchase": 0.10, "churn": 0.20, "revenue": 0.05}
AUDIENCE_NAMES = {"purchase": "Likely purchasers", "churn": "Likely churners", "revenue": "Predicted top spenders"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    probabilities = expected buyers (churners), or the sum of predicted revenue."""
    members = audience(table, share)
    expected = float(members["score"].sum())
    return {"name": AUDIENCE_NAMES[task], "share": share, "customers": int(len(members)), "expected": expected,
            "threshold": float(members["score"].min()) if len(members) else float("nan")}


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot start a spreadsheet formula (=, +, -, @, tab, CR get a
    leading apostrophe), so a crafted product name or id cannot run in Excel."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            text = out[col].astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            out[col] = text.where(~risky, "'" + text)
    if not isinstance(out.index, pd.RangeIndex):
        idx = out.index.astype("string")
        risky = idx.str.startswith(_FORMULA_START)
        out.index = idx.where(~risky, "'" + idx)
    return out


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "predictions") -> bytes:
    """An .xlsx file of ``frame`` (spreadsheet-safe)."""
    buf = io.BytesIO()
    spreadsheet_safe(frame).to_excel(buf, sheet_name=sheet[:31])
    return buf.getvalue()
