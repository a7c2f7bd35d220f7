"""RFM scores and segments (ecom_analytics.insights.segments) against hand-computed values."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from ecom_analytics.insights.segments import (SEGMENT_ADVICE, SEGMENTS, quintile_scores, rfm_scores, segment_name,
                                     segment_summary)

# The grid of the segments module docstring, written out cell by cell: GRID[r][f - 1].
GRID = {
    5: ["New customers", "Potential loyalist", "Potential loyalist", "Champions", "Champions"],
    4: ["Promising", "Potential loyalist", "Potential loyalist", "Loyal", "Loyal"],
    3: ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
    2: ["Hibernating", "Hibernating", "At risk", "At risk", "Can't lose them"],
    1: ["Lost", "Hibernating", "At risk", "At risk", "Can't lose them"],
}


def test_quintile_scores_of_ten_distinct_values():
    values = pd.Series([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    assert quintile_scores(values).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # descending (recency): the smallest value scores 5
    assert quintile_scores(values, ascending=False).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_quintile_scores_boundaries_when_n_is_not_a_multiple_of_five():
    # 1 + floor(5 (rank - 1) / 7) for ranks 1..7: 1, 1, 2, 3, 3, 4, 5
    values = pd.Series([5.0, 6, 7, 8, 9, 10, 11], index=list("abcdefg"))
    scores = quintile_scores(values)
    assert scores.tolist() == [1, 1, 2, 3, 3, 4, 5]
    assert list(scores.index) == list("abcdefg")
    assert scores.dtype == "int64"
    # order of the input does not matter
    shuffled = values.iloc[[6, 0, 3, 1, 5, 2, 4]]
    assert quintile_scores(shuffled).sort_index().tolist() == [1, 1, 2, 3, 3, 4, 5]


def test_equal_values_share_a_score_and_ties_never_empty_a_score_in_between():
    values = pd.Series([1.0, 1, 1, 1, 1, 1, 2, 2, 3, 9])
    # by rank the six 1s score 1, the 2s 4, 3 and 9 5: scores 2 and 3 would be empty. Four distinct
    # values (fewer than five) are spread evenly: 1 + round(4 i / 3) for i = 0..3 -> 1, 2, 4, 5
    assert quintile_scores(values).tolist() == [1, 1, 1, 1, 1, 1, 2, 2, 4, 5]
    # descending (recency): 9 is worst -> 1, 3 -> 2, 2 -> 4, the six 1s -> 5
    assert quintile_scores(values, ascending=False).tolist() == [5, 5, 5, 5, 5, 5, 4, 4, 2, 1]


def test_tie_aware_scores_of_a_young_shop_hand_computed():
    # 100 customers: 60 with one order, 25 two, 10 three, 3 four, 1 five, 1 six. By rank F jumps
    # 1 -> 4 (scores 2 and 3 empty). Five runs of the six values with sizes nearest 20: merging
    # one neighbouring pair; squared deviations: (5,6) -> 40²+5²+10²+17²+18² = 2338, (4,5) -> 2342,
    # (3,4) -> 2396, (2,3) -> 2836, (1,2) -> larger; so 5 and 6 orders share F = 5.
    orders = pd.Series([1.0] * 60 + [2.0] * 25 + [3.0] * 10 + [4.0] * 3 + [5.0, 6.0])
    f = quintile_scores(orders)
    assert {o: set(f[orders == o]) for o in [1, 2, 3, 4, 5, 6]} == {1: {1}, 2: {2}, 3: {3}, 4: {4}, 5: {5}, 6: {5}}


def test_with_few_distinct_values_the_scores_spread_and_the_notes_say_why():
    from ecom_analytics.insights.segments import score_notes

    two = pd.Series([1.0] * 8 + [2.0] * 2)
    assert quintile_scores(two).tolist() == [1] * 8 + [5] * 2
    three = pd.Series([1.0, 1, 2, 3])
    assert quintile_scores(three).tolist() == [1, 1, 3, 5]
    feats = pd.DataFrame({"recency_days": [float(i) for i in range(10)], "orders": two.tolist(),
                          "revenue_total": [float(10 + i) for i in range(10)]})
    notes = score_notes(rfm_scores(feats))
    assert notes == [("few_distinct", {"score": "F", "distinct": 2, "used": [1, 5]})]


def test_every_segment_is_reachable_on_a_young_shop():
    import numpy as np

    rng = np.random.default_rng(0)
    n = 2000
    orders = rng.choice([1, 2, 3, 4, 5, 7], size=n, p=[0.62, 0.2, 0.1, 0.04, 0.02, 0.02]).astype(float)
    feats = pd.DataFrame({"recency_days": rng.integers(0, 60, n).astype(float), "orders": orders,
                          "revenue_total": orders * rng.gamma(2, 30, n)})
    scores = rfm_scores(feats)
    assert sorted(scores["f"].unique()) == [1, 2, 3, 4, 5]
    assert set(scores["segment"]) == set(SEGMENTS)
    # ties are never split: each order count has one F score, and more orders never score lower
    per_count = scores.groupby("orders")["f"].agg(["min", "max"])
    assert (per_count["min"] == per_count["max"]).all() and per_count["min"].is_monotonic_increasing


def test_quintile_scores_of_tiny_inputs():
    assert quintile_scores(pd.Series([42.0])).tolist() == [1]
    assert quintile_scores(pd.Series([], dtype="float64")).tolist() == []
    assert quintile_scores(pd.Series([3.0, 3.0, 3.0])).tolist() == [1, 1, 1]


def test_segment_name_for_every_cell_of_the_grid():
    cells = list(itertools.product([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]))
    r = pd.Series([c[0] for c in cells], index=[f"{a}{b}" for a, b in cells])
    f = pd.Series([c[1] for c in cells], index=r.index)
    names = segment_name(r, f)
    assert list(names.index) == list(r.index)
    for (rr, ff), name in zip(cells, names):
        assert name == GRID[rr][ff - 1], (rr, ff, name)
    assert set(names) == set(SEGMENTS)           # all 11 names are reachable
    assert len(SEGMENTS) == 11
    assert set(SEGMENT_ADVICE) == set(SEGMENTS)


def features_frame() -> pd.DataFrame:
    """5 customers with orders (a and b tie on recency; b and e, c and d tie on orders), z without."""
    return pd.DataFrame({
        "recency_days": [1.0, 1.0, 10.0, 40.0, 100.0, float("nan")],
        "orders": [5.0, 1.0, 3.0, 3.0, 1.0, 0.0],
        "revenue_total": [500.0, 20.0, 100.0, 60.0, 10.0, 0.0],
        "country": pd.array(["UK"] * 6, dtype="string"),
    }, index=pd.Index(list("abcdez"), dtype="string", name="customer_id"))


def test_rfm_scores_hand_computed():
    scores = rfm_scores(features_frame())
    assert list(scores.index) == list("abcde")          # z has no order
    assert list(scores.columns) == ["recency_days", "orders", "revenue_total", "r", "f", "m", "rfm", "segment"]
    # R (descending recency): e rank 1 -> 1, d 2 -> 2, c 3 -> 3, a and b rank 4 -> 4
    assert scores["r"].tolist() == [4, 4, 3, 2, 1]
    # F: b and e rank 1 -> 1, c and d rank 3 -> 3, a rank 5 -> 5
    assert scores["f"].tolist() == [5, 1, 3, 3, 1]
    assert scores["m"].tolist() == [5, 2, 4, 3, 1]
    assert scores["rfm"].tolist() == ["455", "412", "334", "233", "111"]
    assert scores["segment"].tolist() == ["Loyal", "Promising", "Need attention", "At risk", "Lost"]


def test_segment_summary_of_rfm_scores():
    summary = segment_summary(rfm_scores(features_frame()))
    assert summary["segment"].tolist() == ["Loyal", "Need attention", "At risk", "Promising", "Lost"]
    assert summary["customers"].tolist() == [1, 1, 1, 1, 1]
    assert summary["revenue"].tolist() == [500.0, 100.0, 60.0, 20.0, 10.0]
    assert summary["revenue_share"].tolist() == pytest.approx([500 / 690, 100 / 690, 60 / 690, 20 / 690, 10 / 690])
    assert summary["customer_share"].sum() == pytest.approx(1.0)
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    assert summary["revenue"].sum() == 690.0                 # all revenue of customers with orders


def test_segment_summary_medians_and_shares():
    scores = pd.DataFrame({
        "recency_days": [1.0, 2.0, 9.0, 300.0],
        "orders": [4.0, 6.0, 5.0, 1.0],
        "revenue_total": [100.0, 300.0, 200.0, 10.0],
        "segment": ["Champions", "Champions", "Champions", "Lost"],
    }, index=list("abcd"))
    summary = segment_summary(scores).set_index("segment")
    assert list(summary.index) == ["Champions", "Lost"]
    champions, lost = summary.loc["Champions"], summary.loc["Lost"]
    assert (champions["customers"], champions["revenue"]) == (3, 600.0)
    assert champions["customer_share"] == 0.75 and lost["customer_share"] == 0.25
    assert champions["revenue_share"] == pytest.approx(600 / 610)
    assert lost["revenue_share"] == pytest.approx(10 / 610)
    assert (champions["median_recency_days"], champions["median_orders"], champions["median_revenue"]) == (2.0, 5.0, 200.0)
    assert (lost["median_recency_days"], lost["median_orders"], lost["median_revenue"]) == (300.0, 1.0, 10.0)
    assert champions["advice"] == SEGMENT_ADVICE["Champions"]


def test_segment_summary_without_revenue_has_zero_revenue_share():
    scores = pd.DataFrame({"recency_days": [1.0, 2.0], "orders": [1.0, 1.0], "revenue_total": [0.0, 0.0],
                           "segment": ["New customers", "New customers"]}, index=["a", "b"])
    summary = segment_summary(scores)
    assert summary["revenue_share"].tolist() == [0.0]
    assert summary["customer_share"].tolist() == [1.0]
