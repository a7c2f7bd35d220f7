"""Headline figures of an orders table: KPIs, sales over time, top products and countries.

All money is in the export's currency. An order is an ``order_id``; exports without order ids
count one order per customer and timestamp.
"""

from __future__ import annotations

import pandas as pd

from ecom_analytics.engine import sql

FREQUENCIES = {"day": "day", "week": "week", "month": "month"}

_ORDER_KEY = "coalesce(order_id, coalesce(customer_id, '?') || '@' || CAST(timestamp AS VARCHAR))"


def sales_rows(clean: pd.DataFrame, quarantine: pd.DataFrame | None = None, *, include_anonymous: bool = False) -> pd.DataFrame:
    """The order lines that count as sales: the kept rows, plus (when asked) quarantined rows
    whose only problem is a missing customer id."""
    if not include_anonymous or quarantine is None or quarantine.empty:
        return clean
    anonymous = quarantine[quarantine["reasons"] == "missing_customer"]
    cols = [c for c in clean.columns if c in anonymous.columns]
    return pd.concat([clean, anonymous[cols]], ignore_index=True)


def kpis(orders: pd.DataFrame) -> dict:
    """Revenue, orders, customers, average order value and repeat-customer rate.

    ``repeat_rate`` is the share of customers with two or more orders (0..1);
    ``aov`` is revenue / orders.
    """
    row = sql(f"""
        WITH per_customer AS (
            SELECT customer_id, count(DISTINCT {_ORDER_KEY}) AS n_orders
            FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id)
        SELECT
            (SELECT coalesce(sum(amount), 0) FROM orders) AS revenue,
            (SELECT count(DISTINCT {_ORDER_KEY}) FROM orders) AS orders,
            (SELECT count(*) FROM per_customer) AS customers,
            (SELECT count(*) FROM per_customer WHERE n_orders >= 2) AS repeat_customers,
            (SELECT coalesce(sum(quantity), 0) FROM orders) AS units,
            (SELECT min(timestamp) FROM orders) AS first_order,
            (SELECT max(timestamp) FROM orders) AS last_order
    """, orders=orders).iloc[0]
    revenue, n_orders, customers = float(row["revenue"]), int(row["orders"]), int(row["customers"])
    return {
        "revenue": revenue,
        "orders": n_orders,
        "customers": customers,
        "aov": revenue / n_orders if n_orders else 0.0,
        "repeat_rate": int(row["repeat_customers"]) / customers if customers else 0.0,
        "units": float(row["units"]),
        "first_order": row["first_order"],
        "last_order": row["last_order"],
    }


def sales_over_time(orders: pd.DataFrame, freq: str = "week") -> pd.DataFrame:
    """Revenue, orders and customers per period (``freq``: day, week or month); columns
    ``period, revenue, orders, customers``. Periods with no sales appear with zeros."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {list(FREQUENCIES)}")
    out = sql(f"""
        SELECT date_trunc('{freq}', timestamp) AS period, sum(amount) AS revenue,
               count(DISTINCT {_ORDER_KEY}) AS orders, count(DISTINCT customer_id) AS customers
        FROM orders WHERE timestamp IS NOT NULL GROUP BY 1 ORDER BY 1
    """, orders=orders)
    if out.empty:
        return out
    out["period"] = pd.to_datetime(out["period"])
    start = {"day": "D", "week": "W-MON", "month": "MS"}[freq]
    full = pd.date_range(out["period"].min(), out["period"].max(), freq=start)
    out = out.set_index("period").reindex(full, fill_value=0).rename_axis("period").reset_index()
    return out


def top_products(orders: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` products with the most revenue: ``product_id, product_name, revenue, units, orders, customers``.

    A product's name is its most frequent description (ties: alphabetical), as exports often
    carry several spellings of one SKU.
    """
    return sql(f"""
        WITH names AS (
            SELECT coalesce(product_id, product_name) AS pid, product_name, count(*) AS n
            FROM orders WHERE product_name IS NOT NULL GROUP BY 1, 2),
        best AS (SELECT pid, first(product_name ORDER BY n DESC, product_name) AS product_name FROM names GROUP BY 1)
        SELECT coalesce(o.product_id, o.product_name) AS product_id, any_value(b.product_name) AS product_name,
               sum(o.amount) AS revenue, sum(o.quantity) AS units, count(DISTINCT {_ORDER_KEY}) AS orders,
               count(DISTINCT o.customer_id) AS customers
        FROM orders o LEFT JOIN best b ON b.pid = coalesce(o.product_id, o.product_name)
        WHERE coalesce(o.product_id, o.product_name) IS NOT NULL
        GROUP BY 1 ORDER BY revenue DESC, product_id LIMIT ?
    """, [int(n)], orders=orders)


def by_country(orders: pd.DataFrame) -> pd.DataFrame:
    """Revenue, orders and customers per country, largest revenue first (missing country as 'Unknown')."""
    return sql(f"""
        SELECT coalesce(country, 'Unknown') AS country, sum(amount) AS revenue,
               count(DISTINCT {_ORDER_KEY}) AS orders, count(DISTINCT customer_id) AS customers
        FROM orders GROUP BY 1 ORDER BY revenue DESC, country
    """, orders=orders)


def events_summary(events: pd.DataFrame) -> dict:
    """Users, sessions, date range and event counts per type of an events table."""
    counts = sql("SELECT event_type, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC", events=events)
    row = sql("""SELECT count(DISTINCT user_id) AS users, count(DISTINCT session_id) AS sessions,
                        count(DISTINCT product_id) AS products, min(timestamp) AS first_event,
                        max(timestamp) AS last_event, count(*) AS events FROM events""", events=events).iloc[0]
    return {
        "events": int(row["events"]),
        "users": int(row["users"]),
        "sessions": int(row["sessions"]),
        "products": int(row["products"]),
        "first_event": row["first_event"],
        "last_event": row["last_event"],
        "by_type": dict(zip(counts["event_type"], counts["n"].astype(int))),
    }


def kpi_changes(current: dict, previous: dict) -> dict[str, float | None]:
    """The change of each KPI against a comparison period: revenue, orders, customers and average
    order value as a fraction of the earlier value (0.1 = +10 %; None when the earlier value is 0),
    the repeat rate in percentage points (0.02 = +2 pts; None without earlier customers)."""
    def relative(key: str) -> float | None:
        before = float(previous[key])
        return (float(current[key]) - before) / before if before else None

    return {"revenue": relative("revenue"), "orders": relative("orders"), "customers": relative("customers"),
            "aov": relative("aov"),
            "repeat_rate": (current["repeat_rate"] - previous["repeat_rate"]) if previous["customers"] else None}
