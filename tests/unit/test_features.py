"""Customer features and task labels (ecom_analytics.insights.features) on a tiny hand-made fixture.

Cutoff T = 2024-07-01 00:00 (a Monday). Useful dates: T - 7 d = 2024-06-24, T - 28 d = 2024-06-03,
T - 30 d = 2024-06-01 (a Saturday), T - 90 d = 2024-04-02, T - 180 d = 2024-01-03. Label window
with H = 30 days: [2024-07-01, 2024-07-31).

Orders (amount = revenue of the line):

- A: a1 2024-01-02 10:00 Tue (P1/X 10 + P2/Y 20 = 30), a2 2024-05-07 10:00 Tue (P1/X 15),
  a3 2024-06-01 00:00 Sat = exactly T - 30 d (P3/X 5), a4 exactly at T (P1/X 100, label only).
- B: b1 2024-02-01 09:00 Thu (P4, no category, 40, France), b2 2024-02-01 09:45 Thu (P4, no
  category, 10, France), b3 2024-06-24 00:00 Mon = exactly T - 7 d (P5/Z 10, Germany),
  b4 2024-07-30 23:59:59 (12, the last second of the label window).
- C: one order without order id, two lines at 2024-06-30 23:00 Sun (P1/X 8, P2/Y 2), then c2
  exactly at T + 30 d (50: outside the label window).
- D: only an order exactly at T: no feature row, no label.
- a line without customer (ignored).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest import schema
from ecom_analytics.insights.features import (FEATURES, TASKS, build_customer_features, build_labels, customer_attributes,
                                     event_features, feature_catalogue, label_rate_by_decile, numeric_columns,
                                     order_features)

T = pd.Timestamp("2024-07-01")


def orders_frame(rows) -> pd.DataFrame:
    """Canonical orders (schema.DTYPES['orders']) from (customer, order, time, product, category, amount, country)."""
    f = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "product_id", "category", "amount",
                                    "country"])
    f["timestamp"] = pd.to_datetime(f["timestamp"], format="ISO8601")
    f["product_name"] = f["product_id"]
    f["quantity"] = 1.0
    f["unit_price"] = f["amount"]
    f["status"] = None
    return f[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])


def events_frame(rows) -> pd.DataFrame:
    """Canonical events (schema.DTYPES['events']) from (user, time, type, product, session)."""
    f = pd.DataFrame(rows, columns=["user_id", "timestamp", "event_type", "product_id", "session_id"])
    f["timestamp"] = pd.to_datetime(f["timestamp"], format="ISO8601")
    f["category"] = "X"
    f["brand"] = None
    f["price"] = 1.0
    return f[schema.EVENTS_COLUMNS].astype(schema.DTYPES["events"])


ORDERS = orders_frame([
    ("A", "a1", "2024-01-02 10:00", "P1", "X", 10.0, "UK"),
    ("A", "a1", "2024-01-02 10:00", "P2", "Y", 20.0, "UK"),
    ("A", "a2", "2024-05-07 10:00", "P1", "X", 15.0, "UK"),
    ("A", "a3", "2024-06-01 00:00", "P3", "X", 5.0, "UK"),
    ("A", "a4", "2024-07-01 00:00", "P1", "X", 100.0, "UK"),
    ("B", "b1", "2024-02-01 09:00", "P4", None, 40.0, "France"),
    ("B", "b2", "2024-02-01 09:45", "P4", None, 10.0, "France"),
    ("B", "b3", "2024-06-24 00:00", "P5", "Z", 10.0, "Germany"),
    ("B", "b4", "2024-07-30 23:59:59", "P5", "Z", 12.0, "Germany"),
    ("C", None, "2024-06-30 23:00", "P1", "X", 8.0, "UK"),
    ("C", None, "2024-06-30 23:00", "P2", "Y", 2.0, "UK"),
    ("C", "c2", "2024-07-31 00:00", "P1", "X", 50.0, "UK"),
    ("D", "d1", "2024-07-01 00:00", "P1", "X", 7.0, "UK"),
    (None, "n1", "2024-06-15 12:00", "P1", "X", 9.0, "UK"),
])

# cancelled lines: A's before T counts, A's after T and B's exactly at T do not
RETURNS = orders_frame([
    ("A", "C9", "2024-02-01 12:00", "P1", "X", -10.0, "UK"),
    ("A", "C10", "2024-07-05 12:00", "P1", "X", -10.0, "UK"),
    ("B", "C11", "2024-07-01 00:00", "P4", None, -10.0, "France"),
])

# A: views 06-28 (P1, P2, session s1) and 06-03 00:00 = exactly T - 28 d (P1, s2), a cart 06-28, a wishlist
# 06-02 12:00 (before the 28-day window), a purchase exactly at T (not a feature).
# E (events only): 06-20 view, cart, purchase in s5, a view without session; a view at T + 30 d.
# F: only an event after T (not a customer at T).
EVENTS = events_frame([
    ("A", "2024-06-28 10:00", "view", "P1", "s1"),
    ("A", "2024-06-28 10:05", "view", "P2", "s1"),
    ("A", "2024-06-28 10:10", "cart", "P1", "s1"),
    ("A", "2024-06-03 00:00", "view", "P1", "s2"),
    ("A", "2024-06-02 12:00", "wishlist", "P3", "s3"),
    ("A", "2024-07-01 00:00", "purchase", "P1", "s4"),
    ("E", "2024-06-20 08:00", "view", "P9", "s5"),
    ("E", "2024-06-20 08:05", "cart", "P9", "s5"),
    ("E", "2024-06-20 08:10", "purchase", "P9", "s5"),
    ("E", "2024-06-20 08:20", "view", "P9", None),
    ("E", "2024-07-31 00:00", "view", "P9", "s6"),
    ("F", "2024-07-02 00:00", "view", "P9", "s7"),
])

NAN = float("nan")

# hand-computed order features at T (see the module docstring)
EXPECTED_ORDERS = {
    "A": {
        "recency_days": 30.0,                      # last order a3 at T - 30 d
        "tenure_days": 180 + 14 / 24,              # 2024-01-02 10:00 is 181 d - 10 h before T
        "orders": 3, "active_days": 3,
        "revenue_total": 50.0, "revenue_mean": 50 / 3, "revenue_max": 30.0,
        "days_between_mean": (126 + (24 + 14 / 24)) / 2,   # a1->a2 126 d, a2->a3 24 d 14 h
        "days_between_std": (126 - (24 + 14 / 24)) / math.sqrt(2),
        "orders_7d": 0, "orders_30d": 1, "orders_90d": 2, "orders_180d": 2,   # a3 on the 30-day boundary is in
        "revenue_7d": 0.0, "revenue_30d": 5.0, "revenue_90d": 20.0, "revenue_180d": 20.0,
        "trend_90d": 1.0,                          # (20 - 0) / (20 + 0): a1 is before T - 180 d
        "distinct_products": 3, "distinct_categories": 2,
        "top_category_share": 0.75,                # X on 3 of 4 lines
        "return_rate": 0.2,                        # 1 cancelled line before T / (4 + 1)
        "country": "UK", "favourite_weekday": 1, "favourite_hour": 10,
    },
    "B": {
        "recency_days": 7.0,
        "tenure_days": 150.625,                    # 2024-02-01 09:00 is 151 d - 9 h before T
        "orders": 3, "active_days": 2,             # b1 and b2 on the same day
        "revenue_total": 60.0, "revenue_mean": 20.0, "revenue_max": 40.0,
        "days_between_mean": 71.8125,              # 45 min = 0.03125 d, then 143.59375 d
        "days_between_std": (143.59375 - 0.03125) / math.sqrt(2),
        "orders_7d": 1, "orders_30d": 1, "orders_90d": 1, "orders_180d": 3,   # b3 on the 7-day boundary is in
        "revenue_7d": 10.0, "revenue_30d": 10.0, "revenue_90d": 10.0, "revenue_180d": 60.0,
        "trend_90d": -2 / 3,                       # (10 - 50) / (10 + 50)
        "distinct_products": 2, "distinct_categories": 1,
        "top_category_share": 1.0,                 # Z is the only category: lines without one do not count
        "return_rate": 0.0,                        # the return exactly at T is not before T
        "country": "France", "favourite_weekday": 3, "favourite_hour": 9,
    },
    "C": {
        "recency_days": 1 / 24, "tenure_days": 1 / 24,
        "orders": 1, "active_days": 1,             # two lines without order id, same time: one order
        "revenue_total": 10.0, "revenue_mean": 10.0, "revenue_max": 10.0,
        "days_between_mean": NAN, "days_between_std": NAN,
        "orders_7d": 1, "orders_30d": 1, "orders_90d": 1, "orders_180d": 1,
        "revenue_7d": 10.0, "revenue_30d": 10.0, "revenue_90d": 10.0, "revenue_180d": 10.0,
        "trend_90d": 1.0,
        "distinct_products": 2, "distinct_categories": 2, "top_category_share": 0.5,
        "return_rate": 0.0,
        "country": "UK", "favourite_weekday": 6, "favourite_hour": 23,
    },
}

EXPECTED_EVENTS = {
    "A": {"views_7d": 2, "carts_7d": 1, "wishlists_7d": 0, "purchases_7d": 0,
          "views_28d": 3, "carts_28d": 1, "wishlists_28d": 0, "purchases_28d": 0,   # the view at T - 28 d is in
          "view_to_cart_rate": 1 / 3, "cart_to_purchase_rate": 0.0, "sessions_28d": 2,
          "days_since_last_event": 3 - (10 + 10 / 60) / 24,        # 2024-06-28 10:10
          "distinct_products_viewed_28d": 2},
    "E": {"views_7d": 0, "carts_7d": 0, "wishlists_7d": 0, "purchases_7d": 0,
          "views_28d": 2, "carts_28d": 1, "wishlists_28d": 0, "purchases_28d": 1,
          "view_to_cart_rate": 0.5, "cart_to_purchase_rate": 1.0, "sessions_28d": 1,   # a null session is none
          "days_since_last_event": 11 - (8 + 20 / 60) / 24,        # 2024-06-20 08:20
          "distinct_products_viewed_28d": 1},
}


def assert_row(frame: pd.DataFrame, customer: str, expected: dict) -> None:
    row = frame.loc[customer]
    for name, value in expected.items():
        got = row[name]
        if isinstance(value, str):
            assert got == value, (customer, name, got)
        elif isinstance(value, float) and math.isnan(value):
            assert pd.isna(got), (customer, name, got)
        else:
            assert got == pytest.approx(value, abs=1e-9), (customer, name, got)


def test_fixture_has_the_canonical_dtypes():
    schema.validate(ORDERS, "orders")
    schema.validate(EVENTS, "events")


def test_order_features_hand_computed():
    feats = order_features(ORDERS, T, RETURNS)
    assert list(feats.index) == ["A", "B", "C"]          # D ordered only at T; the customer-less line is ignored
    assert str(feats.index.dtype) == "string"
    for customer, expected in EXPECTED_ORDERS.items():
        assert_row(feats, customer, expected)
    assert str(feats["country"].dtype) == "string"


def test_an_order_exactly_at_the_cutoff_is_not_a_feature_of_it():
    before = order_features(ORDERS, T)
    one_second_later = order_features(ORDERS, T + pd.Timedelta(seconds=1))
    # a4 (100 at T) and D's order at T appear only once the cutoff passes them
    assert before.loc["A", "revenue_total"] == 50.0
    assert one_second_later.loc["A", "revenue_total"] == 150.0
    assert "D" not in before.index and "D" in one_second_later.index
    assert one_second_later.loc["D", "recency_days"] == pytest.approx(1 / 86400)


def test_window_boundaries_are_inclusive_at_the_start():
    # one second later, a3 (exactly T - 30 d) and b3 (exactly T - 7 d) fall out of their windows
    later = order_features(ORDERS, T + pd.Timedelta(seconds=1))
    assert later.loc["A", "orders_30d"] == 1                 # now only a4
    assert later.loc["A", "revenue_30d"] == 100.0
    assert later.loc["B", "orders_7d"] == 0


def test_without_returns_the_return_rate_is_zero():
    feats = order_features(ORDERS, T)
    assert feats["return_rate"].tolist() == [0.0, 0.0, 0.0]


def test_favourites_break_ties_the_same_way_every_time():
    # one Tuesday 15:00 order in Germany, one Monday 09:00 order in France: a tie on every count
    tie = orders_frame([
        ("T", "t1", "2024-06-25 15:00", "P1", "X", 1.0, "Germany"),
        ("T", "t2", "2024-06-17 09:00", "P1", "X", 1.0, "France"),
    ])
    feats = order_features(tie, T)
    assert feats.loc["T", "favourite_weekday"] == 0          # ties: the earliest weekday (Monday)
    assert feats.loc["T", "favourite_hour"] == 9             # ties: the earliest hour
    assert feats.loc["T", "country"] == "France"             # ties: first alphabetically


def test_features_ignore_row_order():
    shuffled = ORDERS.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(order_features(shuffled, T, RETURNS), order_features(ORDERS, T, RETURNS))


def test_event_features_hand_computed():
    feats = event_features(EVENTS, T)
    assert list(feats.index) == ["A", "E"]                   # F acts only after T
    for customer, expected in EXPECTED_EVENTS.items():
        assert_row(feats, customer, expected)


def test_build_customer_features_joins_order_and_event_customers():
    table = build_customer_features(ORDERS, T, events=EVENTS, returns=RETURNS)
    assert list(table.index) == ["A", "B", "C", "E"]
    assert table.index.name == "customer_id"
    for customer, expected in EXPECTED_ORDERS.items():
        assert_row(table, customer, expected)
    assert_row(table, "A", EXPECTED_EVENTS["A"])
    assert_row(table, "E", EXPECTED_EVENTS["E"])
    # E has events only: zero order counts and sums, empty order averages and recency
    assert_row(table, "E", {"orders": 0, "active_days": 0, "revenue_total": 0.0, "orders_30d": 0,
                            "revenue_180d": 0.0, "distinct_products": 0, "distinct_categories": 0,
                            "recency_days": NAN, "tenure_days": NAN, "revenue_mean": NAN, "revenue_max": NAN,
                            "days_between_mean": NAN, "trend_90d": NAN, "top_category_share": NAN,
                            "favourite_weekday": NAN})
    assert pd.isna(table.loc["E", "country"])
    # B and C have orders only: zero event counts, empty rates and days since the last event
    for customer in ("B", "C"):
        assert_row(table, customer, {"views_7d": 0, "carts_28d": 0, "wishlists_28d": 0, "purchases_28d": 0,
                                     "sessions_28d": 0, "distinct_products_viewed_28d": 0,
                                     "view_to_cart_rate": NAN, "cart_to_purchase_rate": NAN,
                                     "days_since_last_event": NAN})


def test_build_customer_features_without_data_is_empty():
    table = build_customer_features(None, T)
    assert table.empty and table.index.name == "customer_id"
    assert build_customer_features(ORDERS, pd.Timestamp("2023-01-01")).empty


def test_customer_attributes_become_features_without_leaking():
    customers = pd.DataFrame({
        "customer_id": pd.array(["A", "B", "E", "Z"], dtype="string"),
        "age": [30, 40, None, 50],
        "region": pd.array(["N", "S", None, "W"], dtype="string"),
        "signup": pd.to_datetime(["2024-01-01", "2024-06-30 12:00", "2024-07-15", "2023-01-01"], format="ISO8601"),
    })
    attrs = customer_attributes(customers, T)
    assert list(attrs.columns) == ["attr_age", "attr_region", "attr_signup_days"]
    assert attrs.loc["A", "attr_signup_days"] == 182.0        # 2024-01-01 -> 2024-07-01
    assert attrs.loc["B", "attr_signup_days"] == 0.5
    assert pd.isna(attrs.loc["E", "attr_signup_days"])        # signed up after the cutoff: empty, no leak
    assert attrs.loc["Z", "attr_signup_days"] == 547.0
    assert attrs.loc["B", "attr_age"] == 40.0 and pd.isna(attrs.loc["E", "attr_age"])
    assert attrs.loc["A", "attr_region"] == "N"

    table = build_customer_features(ORDERS, T, events=EVENTS, customers=customers)
    assert list(table.index) == ["A", "B", "C", "E"]          # Z has no activity before T: not added
    assert table.loc["A", "attr_age"] == 30.0
    assert pd.isna(table.loc["C", "attr_age"])                # not in the customer table
    assert pd.isna(table.loc["E", "attr_signup_days"])


def test_purchase_and_revenue_labels_hand_computed():
    # window [T, T + 30 d): a4 at T counts (A), b4 at the last second counts (B), c2 at T + 30 d does not (C)
    assert build_labels(ORDERS, T, 30, task="purchase").to_dict() == {"A": 1, "B": 1, "C": 0}
    assert build_labels(ORDERS, T, 30, task="revenue").to_dict() == {"A": 100.0, "B": 12.0, "C": 0.0}
    labels = build_labels(ORDERS, T, 30, task="purchase", events=EVENTS)
    assert labels.to_dict() == {"A": 1, "B": 1, "C": 0}       # events do not add customers to purchase labels
    assert labels.dtype == "int64" and labels.name == "purchase"
    assert build_labels(ORDERS, T, 30, task="revenue").dtype == "float64"
    # one more day of window catches c2
    assert build_labels(ORDERS, T, 31, task="purchase").to_dict() == {"A": 1, "B": 1, "C": 1}


def test_churn_labels_hand_computed():
    # lookback [T - 28 d, T): orders only -> B (b3) and C; A's last order a3 is at T - 30 d
    assert build_labels(ORDERS, T, 30, task="churn").to_dict() == {"B": 0, "C": 1}
    # with events, A (views from T - 28 d) and E (06-20) are active too; E's view at T + 30 d is outside
    assert build_labels(ORDERS, T, 30, task="churn", events=EVENTS).to_dict() == {"A": 0, "B": 0, "C": 1, "E": 1}
    # events alone: A bought at T (a purchase event), E did not come back in the window
    assert build_labels(None, T, 30, task="churn", events=EVENTS).to_dict() == {"A": 0, "E": 1}
    # the lookback start is inclusive: 30 days reach a3 exactly, 29 do not
    assert build_labels(ORDERS, T, 30, task="churn", lookback_days=30).to_dict() == {"A": 0, "B": 0, "C": 1}
    assert build_labels(ORDERS, T, 30, task="churn", lookback_days=29).to_dict() == {"B": 0, "C": 1}


def test_labels_refuse_what_they_cannot_compute():
    with pytest.raises(ValueError):
        build_labels(ORDERS, T, 30, task="clicks")
    with pytest.raises(ValueError):
        build_labels(None, T, 30, task="purchase", events=EVENTS)
    with pytest.raises(ValueError):
        build_labels(None, T, 30, task="churn")
    assert set(TASKS) == {"purchase", "churn", "revenue"}


def test_label_rate_by_decile_hand_example():
    ids = pd.Index(list("abcdefghij"), dtype="string")
    feats = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]}, index=ids)
    labels = pd.Series([0, 0, 0, 0, 0, 1, 0, 1, 1, 1], index=ids)
    out = label_rate_by_decile(feats, labels, "x", bins=5)
    assert out["decile"].tolist() == [1, 2, 3, 4, 5]
    assert out["low"].tolist() == [1.0, 3.0, 5.0, 7.0, 9.0]
    assert out["high"].tolist() == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert out["customers"].tolist() == [2, 2, 2, 2, 2]
    assert out["label_mean"].tolist() == [0.0, 0.0, 0.5, 0.5, 1.0]


def test_label_rate_by_decile_ties_missing_and_constant():
    ids = pd.Index(list("abcdef"), dtype="string")
    feats = pd.DataFrame({"x": [1.0, 1.0, 1.0, 2.0, NAN, 3.0], "same": [4.0] * 6}, index=ids)
    labels = pd.Series([1, 0, 0, 1, 1], index=pd.Index(list("abcde"), dtype="string"))   # f has no label
    # e has no value and f no label: left out; the three equal values share a bin, 2 gets its own
    out = label_rate_by_decile(feats, labels, "x", bins=2)
    assert out[["low", "high", "customers"]].values.tolist() == [[1.0, 1.0, 3], [2.0, 2.0, 1]]
    assert out["label_mean"].tolist() == pytest.approx([1 / 3, 1.0])
    # a constant feature is one bin holding everyone, not an empty table
    same = label_rate_by_decile(feats, labels, "same")
    assert same[["decile", "low", "high", "customers"]].values.tolist() == [[1, 4.0, 4.0, 5]]
    assert same["label_mean"].tolist() == pytest.approx([0.6])
    assert label_rate_by_decile(feats, labels.iloc[0:0], "x").empty


def test_every_feature_built_has_a_description_and_a_unit():
    customers = pd.DataFrame({"customer_id": pd.array(["A"], dtype="string"), "age": [30.0],
                              "signup": pd.to_datetime(["2024-01-01"])})
    table = build_customer_features(ORDERS, T, events=EVENTS, returns=RETURNS, customers=customers)
    catalogue = feature_catalogue(list(table.columns))
    assert catalogue["feature"].tolist() == list(table.columns)   # a new feature without a description fails here
    assert (catalogue["description"].str.len() > 10).all()
    assert (catalogue["unit"].str.len() > 0).all()
    # and every declared feature is produced by the builders
    assert set(FEATURES) <= set(table.columns)
    assert catalogue.set_index("feature").loc["attr_signup_days", "unit"] == "days"


def test_numeric_columns_leave_out_text():
    table = build_customer_features(ORDERS, T)
    numeric = numeric_columns(table)
    assert "country" not in numeric and "recency_days" in numeric
    assert len(numeric) == table.shape[1] - 1
    assert np.isfinite(table[["orders", "revenue_total"]].to_numpy()).all()
