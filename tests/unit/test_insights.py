"""Cohorts, the behaviour funnel and the product report (ecom_analytics.insights.cohorts) against hand counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ecom_analytics.ingest import schema
from ecom_analytics.insights.cohorts import FUNNEL_STEPS, cohort_matrix, cohorts, funnel, product_report


def orders_frame(rows) -> pd.DataFrame:
    """Canonical orders from (customer, order, time, product, name, category, quantity, amount)."""
    f = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "product_id", "product_name", "category",
                                    "quantity", "amount"])
    f["timestamp"] = pd.to_datetime(f["timestamp"], format="ISO8601")
    f["unit_price"] = f["amount"] / f["quantity"]
    f["country"] = "UK"
    f["status"] = None
    return f[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])


def events_frame(rows) -> pd.DataFrame:
    """Canonical events from (user, type, category, product)."""
    f = pd.DataFrame(rows, columns=["user_id", "event_type", "category", "product_id"])
    f["timestamp"] = pd.Timestamp("2024-03-01 12:00")
    f["brand"] = None
    f["price"] = 1.0
    f["session_id"] = "s"
    return f[schema.EVENTS_COLUMNS].astype(schema.DTYPES["events"])


# Cohort 2024-01: A (first 01-05) and B (first 01-31 23:59). Cohort 2024-02: C (02-01 00:00), D (02-28).
# A orders again in Feb (month 1) and Apr (month 3); B in Mar (month 2); C again in Feb (month 0);
# D on 03-31 23:00 (month 1, two lines). A line without customer is left out.
COHORT_ORDERS = orders_frame([
    ("A", "o1", "2024-01-05 10:00", "P1", "Apple", "X", 1.0, 10.0),
    ("A", "o2", "2024-01-20 10:00", "P1", "Apple", "X", 1.0, 5.0),
    ("A", "o3", "2024-02-10 10:00", "P2", "Bread", "X", 1.0, 20.0),
    ("A", "o4", "2024-04-01 00:00", "P1", "Apple", "X", 1.0, 7.0),
    ("B", "o5", "2024-01-31 23:59", "P1", "Apple", "X", 1.0, 3.0),
    ("B", "o6", "2024-03-01 00:00", "P1", "Apple", "X", 1.0, 4.0),
    ("C", "o7", "2024-02-01 00:00", "P1", "Apple", "X", 1.0, 8.0),
    ("C", "o8", "2024-02-15 00:00", "P1", "Apple", "X", 1.0, 2.0),
    ("D", "o9", "2024-02-28 00:00", "P1", "Apple", "X", 1.0, 1.0),
    ("D", "o10", "2024-03-31 23:00", "P1", "Apple", "X", 1.0, 2.0),
    ("D", "o10", "2024-03-31 23:00", "P3", "Cake", "X", 1.0, 4.0),
    (None, "o11", "2024-01-10 00:00", "P1", "Apple", "X", 1.0, 100.0),
])


def test_cohorts_hand_count():
    table = cohorts(COHORT_ORDERS)
    assert list(table.columns) == ["cohort", "months_since", "customers", "cohort_size", "retention", "revenue"]
    got = [(pd.Timestamp(r.cohort).strftime("%Y-%m"), r.months_since, r.customers, r.cohort_size, r.retention, r.revenue)
           for r in table.itertuples()]
    assert got == [
        ("2024-01", 0, 2, 2, 1.0, 18.0),    # A 10 + 5, B 3 (the customer-less 100 is not here)
        ("2024-01", 1, 1, 2, 0.5, 20.0),    # A in Feb
        ("2024-01", 2, 1, 2, 0.5, 4.0),     # B in Mar
        ("2024-01", 3, 1, 2, 0.5, 7.0),     # A in Apr
        ("2024-02", 0, 2, 2, 1.0, 11.0),    # C 8 + 2, D 1
        ("2024-02", 1, 1, 2, 0.5, 6.0),     # D's two lines on 03-31
    ]


def test_cohort_matrix_shape_and_values():
    table = cohorts(COHORT_ORDERS)
    retention = cohort_matrix(table)
    assert retention.shape == (2, 4)
    assert list(retention.index) == ["2024-01", "2024-02"]
    assert list(retention.columns) == [0, 1, 2, 3]
    assert retention.loc["2024-01"].tolist() == [1.0, 0.5, 0.5, 0.5]
    assert retention.loc["2024-02", 0] == 1.0 and retention.loc["2024-02", 1] == 0.5
    assert math.isnan(retention.loc["2024-02", 2]) and math.isnan(retention.loc["2024-02", 3])
    revenue = cohort_matrix(table, "revenue")
    assert revenue.loc["2024-01"].tolist() == [18.0, 20.0, 4.0, 7.0]
    assert revenue.loc["2024-02", 1] == 6.0


# u1 views twice, carts, buys (X); u2 views X, carts Y; u3 views and wishlists X; u4 buys X without view or
# cart; u5 views and buys Y without cart; u6 carts X without view; u7 views a product without category.
FUNNEL_EVENTS = events_frame([
    ("u1", "view", "X", "P1"), ("u1", "view", "X", "P1"), ("u1", "cart", "X", "P1"), ("u1", "purchase", "X", "P1"),
    ("u2", "view", "X", "P1"), ("u2", "cart", "Y", "P4"),
    ("u3", "view", "X", "P2"), ("u3", "wishlist", "X", "P2"),
    ("u4", "purchase", "X", "P1"),
    ("u5", "view", "Y", "P4"), ("u5", "purchase", "Y", "P4"),
    ("u6", "cart", "X", "P1"),
    ("u7", "view", None, "P5"),
])


def test_closed_funnel_hand_count():
    table = funnel(FUNNEL_EVENTS)
    assert list(table.columns) == ["step", "users", "events", "conversion", "overall", "drop_off"]
    assert table["step"].tolist() == list(FUNNEL_STEPS) == ["view", "cart", "purchase"]
    # viewers u1 u2 u3 u5 u7; of them with a cart u1 u2 (u6 never viewed); of those who bought u1 only
    # (u4 and u5 bought without a cart: not at the purchase step)
    assert table["users"].tolist() == [5, 2, 1]
    assert table["events"].tolist() == [6, 3, 3]
    assert table["conversion"].tolist() == pytest.approx([1.0, 2 / 5, 1 / 2])
    assert table["overall"].tolist() == pytest.approx([1.0, 2 / 5, 1 / 5])
    assert table["drop_off"].tolist() == pytest.approx([0.0, 3 / 5, 1 / 2])


def test_funnel_by_category_hand_count():
    table = funnel(FUNNEL_EVENTS, "category")
    assert table["group"].tolist() == ["X"] * 3 + ["(none)"] * 3 + ["Y"] * 3   # most viewers first, then by name
    x = table[table["group"] == "X"]
    assert x["users"].tolist() == [3, 1, 1]          # u1 u2 u3 viewed X; only u1 carted and bought X
    assert x["events"].tolist() == [4, 2, 2]
    assert x["conversion"].tolist() == pytest.approx([1.0, 1 / 3, 1.0])
    assert x["overall"].tolist() == pytest.approx([1.0, 1 / 3, 1 / 3])
    y = table[table["group"] == "Y"]
    assert y["users"].tolist() == [1, 0, 0]          # u5 viewed Y; u2's Y cart has no Y view
    assert y["events"].tolist() == [1, 1, 1]
    assert y["conversion"].iloc[1] == 0.0 and math.isnan(y["conversion"].iloc[2])   # nobody to convert from
    assert y["overall"].tolist() == [1.0, 0.0, 0.0]
    none = table[table["group"] == "(none)"]
    assert none["users"].tolist() == [1, 0, 0]


def test_funnel_of_no_events_is_empty():
    empty = funnel(FUNNEL_EVENTS.iloc[0:0])
    assert empty.empty and list(empty.columns) == ["step", "users", "events", "conversion", "overall", "drop_off"]


# P1 is sold under two descriptions and two categories: 'Apple' and 'Food' on 2 of its 3 lines.
# A line without product id is reported under its name ('Gift'). P4 exists only in events.
PRODUCT_ORDERS = orders_frame([
    ("c1", "o1", "2024-03-01 10:00", "P1", "Apple red", "Fruit", 2.0, 4.0),
    ("c2", "o2", "2024-03-02 10:00", "P1", "Apple", "Food", 1.0, 2.0),
    ("c1", "o3", "2024-03-03 10:00", "P1", "Apple", "Food", 3.0, 6.0),
    ("c1", "o3", "2024-03-03 10:00", "P2", "Bread", "Bakery", 1.0, 3.0),
    ("c3", "o4", "2024-03-04 10:00", None, "Gift", None, 1.0, 10.0),
])
PRODUCT_EVENTS = events_frame([
    ("u1", "view", "Food", "P1"), ("u2", "view", "Food", "P1"), ("u3", "view", "Food", "P1"),
    ("u3", "view", "Food", "P1"), ("u1", "cart", "Food", "P1"), ("u3", "cart", "Food", "P1"),
    ("u3", "purchase", "Food", "P1"),
    ("u1", "view", "Toys", "P4"), ("u2", "view", "Toys", "P4"), ("u2", "cart", "Toys", "P4"),
    ("u1", "view", "Toys", None),
])


def test_product_report_joins_orders_and_events():
    report = product_report(PRODUCT_ORDERS, PRODUCT_EVENTS)
    assert report["product_id"].tolist() == ["P1", "Gift", "P2", "P4"]      # by revenue 12, 10, 3, 0
    rows = report.set_index("product_id")
    p1 = rows.loc["P1"]
    assert (p1["product_name"], p1["category"]) == ("Apple", "Food")        # the name on most lines
    assert (p1["units"], p1["orders"], p1["customers"], p1["revenue"]) == (6.0, 3, 2, 12.0)
    assert (p1["views"], p1["carts"], p1["purchases"]) == (4, 2, 1)
    assert p1["conversion"] == 0.25                                          # 1 purchase / 4 views
    gift = rows.loc["Gift"]                                                  # only in orders, no product id
    assert (gift["product_name"], gift["units"], gift["revenue"], gift["views"]) == ("Gift", 1.0, 10.0, 0)
    assert pd.isna(gift["category"]) and pd.isna(gift["conversion"])        # no views: no conversion
    p2 = rows.loc["P2"]
    assert (p2["product_name"], p2["category"], p2["revenue"], p2["views"]) == ("Bread", "Bakery", 3.0, 0)
    p4 = rows.loc["P4"]                                                      # only in events
    assert pd.isna(p4["product_name"]) and p4["category"] == "Toys"
    assert (p4["units"], p4["orders"], p4["customers"], p4["revenue"]) == (0, 0, 0, 0.0)
    assert (p4["views"], p4["carts"], p4["purchases"], p4["conversion"]) == (2, 1, 0, 0.0)


def test_product_report_from_one_source():
    events_only = product_report(None, PRODUCT_EVENTS)
    assert events_only["product_id"].tolist() == ["P1", "P4"]
    assert events_only["conversion"].tolist() == [0.25, 0.0]
    assert "revenue" not in events_only.columns
    orders_only = product_report(PRODUCT_ORDERS, None)
    assert orders_only["product_id"].tolist() == ["P1", "Gift", "P2"]
    assert orders_only["revenue"].tolist() == [12.0, 10.0, 3.0]
    assert "conversion" not in orders_only.columns
    assert product_report().empty


def test_product_report_is_the_same_whatever_the_row_order():
    # equal views: ties are listed by product id, whatever order the rows come in
    events = events_frame([("u1", "view", "A", "P9"), ("u1", "view", "A", "P3"), ("u1", "view", "A", "P5")])
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        assert product_report(None, events.iloc[order])["product_id"].tolist() == ["P3", "P5", "P9"]
    shuffled = product_report(PRODUCT_ORDERS.iloc[::-1], PRODUCT_EVENTS.iloc[::-1])
    pd.testing.assert_frame_equal(shuffled, product_report(PRODUCT_ORDERS, PRODUCT_EVENTS))
