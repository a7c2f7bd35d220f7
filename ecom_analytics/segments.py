"""RFM segments: recency, frequency and monetary scores 1-5 by quintile, and named segments.

Scores: R = 5 for the most recent fifth of customers, 1 for the least recent; F = 5 for the
fifth with the most orders; M = 5 for the fifth with the most revenue. A customer's score is
1 + floor(5 x (rank - 1) / n), with rank the lowest position among equal values: customers with
equal values always share a score, so when many customers tie (e.g. one order) a score holds
more than a fifth of them and another fewer.

Segment names follow the widely used R x F grid (the monetary score is reported, not used
for the name):

===========  =====================
R, F         segment
===========  =====================
5, 4-5       Champions
3-4, 4-5     Loyal
4-5, 2-3     Potential loyalist
5, 1         New customers
4, 1         Promising
3, 3         Need attention
3, 1-2       About to sleep
1-2, 3-4     At risk
1-2, 5       Can't lose them
1-2, 1-2     Hibernating (1, 1: Lost)
===========  =====================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEGMENTS = ["Champions", "Loyal", "Potential loyalist", "New customers", "Promising", "Need attention",
            "About to sleep", "At risk", "Can't lose them", "Hibernating", "Lost"]

SEGMENT_ADVICE = {
    "Champions": "bought recently and often: reward them, ask for reviews, early access",
    "Loyal": "buy often: upsell, loyalty programme",
    "Potential loyalist": "recent, a few orders: offer membership or a second-purchase incentive",
    "New customers": "first order very recently: onboard them well",
    "Promising": "recent but only one order: build the habit",
    "Need attention": "average recency and frequency: limited-time offers",
    "About to sleep": "slipping away after few orders: reactivate with popular products",
    "At risk": "used to buy often, not lately: win them back personally",
    "Can't lose them": "were among the best, gone quiet: reach out now",
    "Hibernating": "long ago and rarely: low-cost reminders",
    "Lost": "least recent and least frequent: exclude from costly campaigns",
}


def quintile_scores(values: pd.Series, ascending: bool = True) -> pd.Series:
    """Scores 1-5 by quintile of ``values`` (5 = largest when ``ascending``, smallest otherwise);
    equal values share the score of their lowest rank."""
    rank = values.rank(method="min", ascending=ascending)
    n = max(len(values), 1)
    return (1 + ((rank - 1) * 5 // n)).astype("int64")


def segment_name(r: pd.Series, f: pd.Series) -> pd.Series:
    """Segment of each (R, F) pair of scores, per the grid in the module docstring."""
    conditions = [
        (r == 5) & (f >= 4),
        r.between(3, 4) & (f >= 4),
        (r >= 4) & f.between(2, 3),
        (r == 5) & (f == 1),
        (r == 4) & (f == 1),
        (r == 3) & (f == 3),
        (r == 3) & (f <= 2),
        (r <= 2) & f.between(3, 4),
        (r <= 2) & (f == 5),
        (r == 1) & (f == 1),
        (r <= 2) & (f <= 2),
    ]
    choices = ["Champions", "Loyal", "Potential loyalist", "New customers", "Promising", "Need attention",
               "About to sleep", "At risk", "Can't lose them", "Lost", "Hibernating"]
    return pd.Series(np.select(conditions, choices, default="Need attention"), index=r.index)


def rfm_scores(features: pd.DataFrame) -> pd.DataFrame:
    """R, F, M scores and segment per customer from a feature table.

    Needs ``recency_days``, ``orders`` and ``revenue_total`` (customers without orders are left
    out). Returns ``recency_days, orders, revenue_total, r, f, m, rfm, segment`` indexed by
    customer_id.
    """
    base = features.loc[features["orders"] > 0, ["recency_days", "orders", "revenue_total"]].copy()
    base["r"] = quintile_scores(base["recency_days"], ascending=False)
    base["f"] = quintile_scores(base["orders"], ascending=True)
    base["m"] = quintile_scores(base["revenue_total"], ascending=True)
    base["rfm"] = base["r"].astype(str) + base["f"].astype(str) + base["m"].astype(str)
    base["segment"] = segment_name(base["r"], base["f"])
    return base


def segment_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per segment: customers, share of customers, revenue, revenue share, and the median
    recency (days), orders and revenue of its customers; largest revenue first."""
    total_rev = scores["revenue_total"].sum()
    g = scores.groupby("segment")
    out = pd.DataFrame({
        "customers": g.size(),
        "revenue": g["revenue_total"].sum(),
        "median_recency_days": g["recency_days"].median(),
        "median_orders": g["orders"].median(),
        "median_revenue": g["revenue_total"].median(),
    })
    out["customer_share"] = out["customers"] / out["customers"].sum()
    out["revenue_share"] = out["revenue"] / total_rev if total_rev else 0.0
    out["advice"] = [SEGMENT_ADVICE[s] for s in out.index]
    out = out.reindex([s for s in SEGMENTS if s in out.index])
    return out.sort_values("revenue", ascending=False).reset_index(names="segment")
