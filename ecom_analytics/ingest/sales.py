"""Cleaning of an uploaded pre-aggregated sales table (kind ``sales``) with an audit trail.

Rows without a readable date or value and exact duplicate lines are set aside with a reason;
negative values are kept and flagged (``is_negative``): returns can exceed sales in a period.
The report has the same shape as the orders/events cleaning report, ``revenue`` being the
sum of ``value``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.ingest import schema
from ecom_analytics.ingest.cleaning import CleaningResult
from ecom_analytics.ingest.mapping import Canonical
from ecom_analytics.ingest.privacy import redact

SALES_RULES: list[tuple[str, str]] = [
    ("malformed_line", "the line had a different number of fields than the header"),
    ("unreadable_date", "the date is empty or could not be read"),
    ("unreadable_number", "the value could not be read"),
    ("duplicate", "an exact copy of an earlier line"),
]


def clean_sales(canonical: Canonical, raw: pd.DataFrame, bad_lines: list[tuple[int, str]] | None = None) -> CleaningResult:
    """Split a canonical sales table into kept and quarantined rows, with a reconciling report."""
    table = canonical.table
    problems = canonical.problems.reindex(table.index)
    matched = {
        "unreadable_date": problems.eq("unreadable_date").fillna(False).astype(bool) | table["timestamp"].isna(),
        "unreadable_number": problems.eq("unreadable_number").fillna(False).astype(bool) | table["value"].isna(),
        "duplicate": pd.Series(raw.reset_index(drop=True).duplicated(keep="first").to_numpy(), index=table.index),
    }
    reason = pd.Series(pd.NA, index=table.index, dtype="string")
    for rule in reversed(list(matched)):
        reason = reason.mask(matched[rule], rule)
    all_reasons = pd.Series("", index=table.index, dtype="string")
    for rule, mask in matched.items():
        all_reasons = all_reasons.where(~mask, all_reasons + np.where(all_reasons == "", "", "; ") + rule)
    out = reason.notna()
    kept = table[~out].copy()
    kept["is_negative"] = kept["value"].lt(0).fillna(False).astype(bool)
    q = table[out].copy()
    q["reason"], q["reasons"] = reason[out], all_reasons[out]
    q["detail"] = canonical.problem_detail.reindex(table.index)[out].astype("string")
    if bad_lines:
        bad = pd.DataFrame({c: pd.Series(None, index=range(len(bad_lines)), dtype=d)
                            for c, d in schema.DTYPES["sales"].items()})
        bad["source_line"] = np.array([ln for ln, _ in bad_lines], dtype="int64")
        bad["reason"] = pd.Series(["malformed_line"] * len(bad_lines), dtype="string")
        bad["reasons"] = bad["reason"]
        bad["detail"] = redact(pd.Series([t for _, t in bad_lines], dtype="string")).str.slice(0, 300)
        q = pd.concat([q, bad], ignore_index=True)
    q, kept = q.reset_index(drop=True), kept.reset_index(drop=True)
    value_in = float(table["value"].sum(skipna=True))
    value_clean = float(kept["value"].sum())
    value_q = float(q["value"].sum(skipna=True))
    rules = [{"rule": r, "description": d,
              "matched": len(bad_lines or []) if r == "malformed_line" else int(matched[r].sum()),
              "quarantined": int((q["reason"] == r).sum()),
              "revenue_quarantined": float(q.loc[q["reason"] == r, "value"].sum(skipna=True))} for r, d in SALES_RULES]
    rows_in = len(table) + len(bad_lines or [])
    report = {
        "kind": "sales", "rows_in": int(rows_in), "rows_clean": int(len(kept)), "rows_quarantined": int(len(q)),
        "revenue_in": value_in, "revenue_clean": value_clean, "revenue_quarantined": value_q,
        "reconciles": bool(rows_in == len(kept) + len(q) and abs(value_in - value_clean - value_q) <= 1e-6 * max(1.0, abs(value_in))),
        "rules": rules,
        "flags": [{"flag": "negative_value", "description": "a negative value (returns exceeding sales), kept",
                   "rows_kept_flagged": int(kept["is_negative"].sum())}],
        "sales_without_customer": None, "outlier_policy": None,
    }
    return CleaningResult(kept, q, report)
