"""Recommendation inputs read where the datasets lie (issue #19: "interactions on the engine"): from Ibis
tables, the same interactions (rows, order, weights) and catalogue as from pandas frames, on a hand-built
shop."""

from __future__ import annotations

import ibis
import pandas as pd

from ecom_analytics.recommend.run import interactions_of


def orders() -> pd.DataFrame:
    """c1 buys A twice (name 'Apple' once, 'Apples' twice over both tables) and POSTAGE; c2 buys B;
    a line without a customer and one without a product are no interaction."""
    return pd.DataFrame({
        "customer_id": ["c1", "c1", "c2", None, "c1", "c1"],
        "product_id": ["A", "POST", "B", "A", None, "A"],
        "product_name": ["Apple", "POSTAGE", "Bread", "Apples", "?", "Apples"],
        "category": ["fruit", None, "bakery", "fruit", None, "fruit"],
        "timestamp": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-01", "2024-01-03", "2024-01-04",
                                     "2024-01-05"]),
        "source_line": [2, 3, 4, 5, 6, 7]})


def events() -> pd.DataFrame:
    """u1 (= c1) views B and carts it; a purchase event (counted from the orders) and a removal (weight 0)."""
    return pd.DataFrame({
        "user_id": ["c1", "c1", "c2", "c2"], "product_id": ["B", "B", "B", "A"],
        "product_name": ["Bread", "Bread", "Bread", "Apples"], "brand": ["Baker", None, "Baker", None],
        "event_type": ["view", "cart", "purchase", "remove_from_cart"],
        "timestamp": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 09:00", "2024-01-01 10:00",
                                     "2024-01-06 00:00"]),
        "source_line": [2, 3, 4, 5]})


def test_the_same_interactions_and_catalogue_from_tables():
    for merchandise_only in (False, True):
        on_pandas = interactions_of(orders(), events(), merchandise_only)
        on_engine = interactions_of(ibis.memtable(orders()), ibis.memtable(events()), merchandise_only)
        pd.testing.assert_frame_equal(on_pandas[0], on_engine[0])
        pd.testing.assert_frame_equal(on_pandas[1], on_engine[1])
    inter, catalogue = on_engine  # without fees: POSTAGE left out
    assert list(zip(inter["customer_id"], inter["product_id"], inter["event_type"], inter["weight"])) == [
        ("c2", "B", "purchase", 5.0), ("c1", "B", "view", 1.0), ("c1", "B", "cart", 3.0),
        ("c1", "A", "purchase", 5.0), ("c1", "A", "purchase", 5.0)]  # by time: c2's order at midnight first
    assert catalogue.loc["A", "product_name"] == "Apples"  # 3 of 4 namings
    assert catalogue.loc["B", "text"] == "Bread bakery Baker"
    assert list(catalogue.index) == ["A", "B"]
    everything = interactions_of(ibis.memtable(orders()), ibis.memtable(events()))[1]
    assert list(everything.index) == ["A", "B", "POST"]
