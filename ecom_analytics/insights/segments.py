"""RFM segments: recency, frequency and monetary scores 1-5 by quintile, and named segments.

Scores: R = 5 for the most recent fifth of customers, 1 for the least recent; F = 5 for the
fifth with the most orders; M = 5 for the fifth with the most revenue. A customer's score is
1 + floor(5 x (rank - 1) / n), with rank the lowest position among equal values: customers with
equal values always share a score.

Ties. When many customers share a value (most customers of a young shop have one order), that
formula leaves scores empty: on a two-month export F jumps from 1 to 4 and the segments that
need F = 2 or 3 vanish. Then (and only then) the scores come from the *tie-aware* rule
(:func:`tie_aware_scores`): the distinct values, in order, are cut into five consecutive groups,
each holding at least one value, with group sizes as close to a fifth of the customers as the ties
allow (least squares, solved exactly). Equal values still share a score and a larger value never
scores lower; with one-order customers at 60 %, F = 1 is "one order" and the repeat buyers are
spread over 2-5. With fewer than five distinct values every score cannot be used: the values get
scores spread from 1 to 5 (two values: 1 and 5; three: 1, 3, 5) and :func:`score_notes` says so.

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
    equal values share the score of their lowest rank. When ties (not merely few customers) leave
    a score between the lowest and highest used empty, or fewer than five scores are used although there are five distinct
    values, the scores come from :func:`tie_aware_scores` instead."""
    rank = values.rank(method="min", ascending=ascending)
    n = max(len(values), 1)
    scores = (1 + ((rank - 1) * 5 // n)).astype("int64")
    ties = values.dropna().duplicated().any()
    if ties and (scores.nunique() < min(5, values.nunique()) or _has_gap(scores)):
        return tie_aware_scores(values, ascending=ascending)
    return scores


def _has_gap(scores: pd.Series) -> bool:
    used = set(scores.dropna().unique())
    return bool(used) and len(used) < max(used) - min(used) + 1


def tie_aware_scores(values: pd.Series, ascending: bool = True, groups: int = 5) -> pd.Series:
    """Scores 1..``groups`` that never split equal values and leave no score empty when there are
    at least ``groups`` distinct values: the sorted distinct values are cut into ``groups``
    consecutive runs minimising the sum of squared differences between each run's customer count
    and n / ``groups``. With fewer distinct values, the runs are the values themselves, scored
    evenly from 1 to ``groups`` (2 values: 1 and 5; 3: 1, 3, 5; 1 value: 1)."""
    valid = values.dropna()
    out = pd.Series(pd.NA, index=values.index, dtype="Int64")
    if valid.empty:
        return out.astype("int64") if not len(values) else out
    counts = valid.value_counts().sort_index(ascending=ascending)  # worst first: score 1
    m = len(counts)
    if m < groups:
        run_scores = [1] if m == 1 else [1 + round((groups - 1) * i / (m - 1)) for i in range(m)]
    else:
        run_scores = _balanced_runs(counts.to_numpy(dtype=float), groups)
    lookup = pd.Series(run_scores, index=counts.index)
    out.loc[valid.index] = valid.map(lookup).astype("int64")
    return out.astype("int64") if out.notna().all() else out


def _balanced_runs(counts: np.ndarray, groups: int) -> list[int]:
    """For each of the m sorted distinct values (with these customer counts), its run 1..groups,
    runs consecutive and non-empty, minimising sum((run size - n / groups)^2). Exact dynamic
    programme, O(groups x m^2) vectorised (m is at most a few thousand distinct values)."""
    m = len(counts)
    target = counts.sum() / groups
    cum = np.concatenate([[0.0], np.cumsum(counts)])
    inf = np.inf
    # cost[g][j]: best cost of the first j values cut into g runs; cut[g][j]: where run g starts
    cost = np.full((groups + 1, m + 1), inf)
    cut = np.zeros((groups + 1, m + 1), dtype=int)
    cost[0][0] = 0.0
    for g in range(1, groups + 1):
        for j in range(g, m - (groups - g) + 1):
            i = np.arange(g - 1, j)  # the run holds values i .. j-1
            total = cost[g - 1][i] + (cum[j] - cum[i] - target) ** 2
            best = int(np.argmin(total))
            cost[g][j], cut[g][j] = total[best], i[best]
    runs = np.empty(m, dtype=int)
    j = m
    for g in range(groups, 0, -1):
        i = cut[g][j]
        runs[i:j] = g
        j = i
    return runs.tolist()


def score_notes(scores: pd.DataFrame) -> list[tuple[str, dict]]:
    """Why a score column of the R x F grid (or M) is empty: ``(code, params)`` per score letter
    whose customers have fewer than five distinct values (e.g. everybody has one or two orders)."""
    found = []
    for letter, column in (("r", "recency_days"), ("f", "orders"), ("m", "revenue_total")):
        if letter not in scores or scores.empty:
            continue
        distinct = int(scores[column].nunique())
        if distinct < 5:
            used = sorted(int(v) for v in scores[letter].unique())
            found.append(("few_distinct", {"score": letter.upper(), "distinct": distinct, "used": used}))
    return found


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


def segment_changes(summary: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """``summary`` (of :func:`segment_summary`) with the earlier period's figures beside it:
    ``customers_before``, ``customers_change`` (customers - customers_before) and ``revenue_before``;
    a segment empty in one period counts 0 customers and 0 revenue there. Segments empty now but
    not before are added (with 0 customers now), so no customer who moved away is lost from view."""
    earlier = before.set_index("segment")[["customers", "revenue"]].rename(
        columns={"customers": "customers_before", "revenue": "revenue_before"})
    out = summary.set_index("segment").join(earlier, how="outer")
    gone = out["customers"].isna()
    out.loc[gone, ["customers", "revenue", "customer_share", "revenue_share"]] = 0
    out.loc[gone, "advice"] = [SEGMENT_ADVICE[s] for s in out.index[gone]]
    for col in ("customers", "customers_before"):
        out[col] = out[col].fillna(0).astype("int64")
    out["revenue_before"] = out["revenue_before"].fillna(0.0)
    out["customers_change"] = out["customers"] - out["customers_before"]
    return out.sort_values(["revenue", "revenue_before"], ascending=False).reset_index(names="segment")
