"""Customer features as of a cutoff date, and the labels of the prediction tasks.

One definition of time for features and labels: for a cutoff ``T``, features use only rows
with ``timestamp < T``; labels use rows with ``T <= timestamp < T + horizon``. An order placed
exactly at ``T`` is therefore not a feature of ``T`` but counts in its label window.

Everything is computed in SQL (through :mod:`ecom_analytics.engine`) over the canonical
tables, one row per customer, no Python loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecom_analytics.engine import sql
from ecom_analytics.names import TASKS

WINDOWS_ORDERS = (7, 30, 90, 180)
WINDOWS_EVENTS = (7, 28)


@dataclass(frozen=True)
class Feature:
    """A feature's meaning, shown next to it in the UI."""

    description: str
    unit: str


FEATURES: dict[str, Feature] = {
    "recency_days": Feature("days from the last order to the cutoff", "days"),
    "tenure_days": Feature("days from the first order to the cutoff", "days"),
    "orders": Feature("number of orders before the cutoff", "orders"),
    "active_days": Feature("number of distinct days with an order", "days"),
    "active_months": Feature("number of distinct calendar months with an order", "months"),
    "units": Feature("units bought before the cutoff (sum of quantity)", "units"),
    "order_rate_30d": Feature("orders per 30 days of tenure (tenure counted as at least 30 days)", "orders / 30 days"),
    "overdue_log_ratio": Feature("log(1 + recency) - log(1 + typical gap between orders; tenure with one order): "
                                 "above 0 when the next order is later than usual", "log ratio"),
    "revenue_total": Feature("revenue of all orders before the cutoff", "currency"),
    "revenue_mean": Feature("average revenue per order", "currency"),
    "revenue_max": Feature("revenue of the largest order", "currency"),
    "days_between_mean": Feature("average days between consecutive orders (empty with one order)", "days"),
    "days_between_std": Feature("standard deviation of days between orders (empty with fewer than three orders)", "days"),
    **{f"orders_{w}d": Feature(f"orders in the {w} days before the cutoff", "orders") for w in WINDOWS_ORDERS},
    **{f"revenue_{w}d": Feature(f"revenue in the {w} days before the cutoff", "currency") for w in WINDOWS_ORDERS},
    "trend_90d": Feature("revenue trend: (last 90 days - the 90 before) / (their sum); -1 falling to +1 rising, 0 when both are zero", "ratio"),
    "distinct_products": Feature("number of different products bought", "products"),
    "distinct_categories": Feature("number of different categories bought", "categories"),
    "top_category_share": Feature("share of the customer's lines with a category that are in their most bought "
                                  "category (empty without categories)", "share"),
    "return_rate": Feature("cancelled or returned lines / all lines", "share"),
    "country": Feature("country of most of the customer's lines (ties: first alphabetically)", "category"),
    "favourite_weekday": Feature("weekday of most orders (0 = Monday; ties: the earliest in the week)", "weekday"),
    "favourite_hour": Feature("hour of day of most orders (0-23; ties: the earliest)", "hour"),
    **{f"{e}s_{w}d": Feature(f"{e} events in the {w} days before the cutoff", "events")
       for w in WINDOWS_EVENTS for e in ("view", "cart", "wishlist", "purchase")},
    "view_to_cart_rate": Feature("carts / views over the 28 days before the cutoff (empty without views)", "share"),
    "cart_to_purchase_rate": Feature("purchases / carts over the 28 days before the cutoff (empty without carts)", "share"),
    "sessions_28d": Feature("distinct sessions in the 28 days before the cutoff", "sessions"),
    "days_since_last_event": Feature("days from the last behaviour event to the cutoff", "days"),
    "distinct_products_viewed_28d": Feature("different products viewed in the 28 days before the cutoff", "products"),
}

# Counts and sums: a customer absent from one source has zero of them (not averages, maxima or rates,
# which stay empty: an events-only customer has no mean order value).
_ZERO_WHEN_ABSENT = frozenset([
    "orders", "active_days", "active_months", "units", "order_rate_30d", "revenue_total", "distinct_products",
    "distinct_categories",
    *(f"{m}_{w}d" for w in WINDOWS_ORDERS for m in ("orders", "revenue")),
    *(f"{e}s_{w}d" for w in WINDOWS_EVENTS for e in ("view", "cart", "wishlist", "purchase")),
    "sessions_28d", "distinct_products_viewed_28d",
])

_ORDER_KEY = "coalesce(order_id, customer_id || '@' || CAST(timestamp AS VARCHAR))"


def _ts(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def order_features(orders: pd.DataFrame, cutoff, returns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Order-based features of every customer with an order before ``cutoff`` (index customer_id).

    ``returns`` (optional) holds cancelled/returned lines (e.g. quarantined as 'cancellation')
    and feeds ``return_rate``; only lines before the cutoff count.
    """
    t = _ts(cutoff)
    if returns is None:
        returns = orders.iloc[0:0]
    win_cols = ",\n".join(
        f"count(DISTINCT CASE WHEN timestamp >= ?::TIMESTAMP - INTERVAL {w} DAY THEN okey END) AS orders_{w}d,\n"
        f"coalesce(sum(CASE WHEN timestamp >= ?::TIMESTAMP - INTERVAL {w} DAY THEN amount END), 0) AS revenue_{w}d"
        for w in WINDOWS_ORDERS
    )
    params = [t] * (2 * len(WINDOWS_ORDERS))
    frame = sql(f"""
        WITH lines AS (
            SELECT customer_id, {_ORDER_KEY} AS okey, timestamp, amount, quantity, product_id,
                   category, country
            FROM orders WHERE customer_id IS NOT NULL AND timestamp < ?::TIMESTAMP),
        per_order AS (
            SELECT customer_id, okey, min(timestamp) AS ts, sum(amount) AS revenue
            FROM lines GROUP BY 1, 2),
        gaps AS (
            SELECT customer_id,
                   date_diff('second', lag(ts) OVER (PARTITION BY customer_id ORDER BY ts), ts) / 86400.0 AS gap
            FROM per_order),
        gap_stats AS (
            SELECT customer_id, avg(gap) AS days_between_mean, stddev_samp(gap) AS days_between_std
            FROM gaps WHERE gap IS NOT NULL GROUP BY 1),
        order_stats AS (
            SELECT customer_id, avg(revenue) AS revenue_mean, max(revenue) AS revenue_max
            FROM per_order GROUP BY 1),
        -- most frequent value, ties to the smallest (DuckDB's mode() breaks ties differently from run
        -- to run when it runs on several threads; features must not change between runs)
        weekday_n AS (SELECT customer_id, (dayofweek(ts) + 6) % 7 AS v, count(*) AS n FROM per_order GROUP BY 1, 2),
        hour_n AS (SELECT customer_id, hour(ts) AS v, count(*) AS n FROM per_order GROUP BY 1, 2),
        country_n AS (SELECT customer_id, country AS v, count(*) AS n FROM lines
                      WHERE country IS NOT NULL GROUP BY 1, 2),
        favourites AS (
            SELECT customer_id, w.favourite_weekday, h.favourite_hour, c.country
            FROM (SELECT customer_id, first(v ORDER BY n DESC, v) AS favourite_weekday FROM weekday_n GROUP BY 1) w
            JOIN (SELECT customer_id, first(v ORDER BY n DESC, v) AS favourite_hour FROM hour_n GROUP BY 1) h
                USING (customer_id)
            LEFT JOIN (SELECT customer_id, first(v ORDER BY n DESC, v) AS country FROM country_n GROUP BY 1) c
                USING (customer_id)),
        cat AS (
            SELECT customer_id, max(n) * 1.0 / sum(n) AS top_category_share
            FROM (SELECT customer_id, category, count(*) AS n FROM lines WHERE category IS NOT NULL GROUP BY 1, 2)
            GROUP BY 1),
        ret AS (
            SELECT customer_id, count(*) AS returned_lines FROM returns
            WHERE customer_id IS NOT NULL AND timestamp < ?::TIMESTAMP GROUP BY 1),
        base AS (
            SELECT customer_id,
                   date_diff('second', max(timestamp), ?::TIMESTAMP) / 86400.0 AS recency_days,
                   date_diff('second', min(timestamp), ?::TIMESTAMP) / 86400.0 AS tenure_days,
                   count(DISTINCT okey) AS orders,
                   count(DISTINCT CAST(timestamp AS DATE)) AS active_days,
                   count(DISTINCT date_trunc('month', timestamp)) AS active_months,
                   coalesce(sum(quantity), 0) AS units,
                   coalesce(sum(amount), 0) AS revenue_total,
                   {win_cols},
                   coalesce(sum(CASE WHEN timestamp >= ?::TIMESTAMP - INTERVAL 90 DAY THEN amount END), 0) AS r90,
                   coalesce(sum(CASE WHEN timestamp >= ?::TIMESTAMP - INTERVAL 180 DAY
                                      AND timestamp < ?::TIMESTAMP - INTERVAL 90 DAY THEN amount END), 0) AS r90_prev,
                   count(DISTINCT product_id) AS distinct_products,
                   count(DISTINCT category) AS distinct_categories,
                   count(*) AS n_lines
            FROM lines GROUP BY 1)
        SELECT b.*, s.revenue_mean, s.revenue_max, g.days_between_mean, g.days_between_std,
               f.country, f.favourite_weekday, f.favourite_hour, c.top_category_share,
               coalesce(r.returned_lines, 0) AS returned_lines
        FROM base b JOIN order_stats s USING (customer_id) JOIN favourites f USING (customer_id)
        LEFT JOIN cat c USING (customer_id)
        LEFT JOIN gap_stats g USING (customer_id) LEFT JOIN ret r USING (customer_id)
        ORDER BY customer_id
    """, [t, t, t, t, *params, t, t, t], orders=orders, returns=returns)
    denom = frame["r90"] + frame["r90_prev"]
    frame["trend_90d"] = np.where(denom.abs() > 0, (frame["r90"] - frame["r90_prev"]) / denom.where(denom != 0, 1), 0.0)
    frame["return_rate"] = frame["returned_lines"] / (frame["n_lines"] + frame["returned_lines"])
    frame["country"] = frame["country"].astype("string")
    frame["order_rate_30d"] = frame["orders"] / np.maximum(frame["tenure_days"], 30.0) * 30.0
    typical_gap = frame["days_between_mean"].fillna(frame["tenure_days"])
    frame["overdue_log_ratio"] = np.log1p(frame["recency_days"]) - np.log1p(typical_gap)
    keep = [c for c in FEATURES if c in frame.columns]
    out = frame.set_index("customer_id")[keep]
    out.index = out.index.astype("string")
    return out


def event_features(events: pd.DataFrame, cutoff) -> pd.DataFrame:
    """Behaviour features of every user with an event before ``cutoff`` (index customer_id)."""
    t = _ts(cutoff)
    counts = ",\n".join(
        f"count(*) FILTER (WHERE event_type = '{e}' AND timestamp >= ?::TIMESTAMP - INTERVAL {w} DAY) AS {e}s_{w}d"
        for w in WINDOWS_EVENTS for e in ("view", "cart", "wishlist", "purchase")
    )
    params = [t] * (4 * len(WINDOWS_EVENTS))
    frame = sql(f"""
        SELECT user_id AS customer_id, {counts},
               count(DISTINCT session_id) FILTER (WHERE timestamp >= ?::TIMESTAMP - INTERVAL 28 DAY) AS sessions_28d,
               date_diff('second', max(timestamp), ?::TIMESTAMP) / 86400.0 AS days_since_last_event,
               count(DISTINCT product_id) FILTER (WHERE event_type = 'view'
                                                  AND timestamp >= ?::TIMESTAMP - INTERVAL 28 DAY) AS distinct_products_viewed_28d
        FROM events WHERE user_id IS NOT NULL AND timestamp < ?::TIMESTAMP
        GROUP BY 1 ORDER BY 1
    """, [*params, t, t, t, t], events=events)
    frame["view_to_cart_rate"] = frame["carts_28d"] / frame["views_28d"].where(frame["views_28d"] > 0)
    frame["cart_to_purchase_rate"] = frame["purchases_28d"] / frame["carts_28d"].where(frame["carts_28d"] > 0)
    keep = [c for c in FEATURES if c in frame.columns]
    out = frame.set_index("customer_id")[keep]
    out.index = out.index.astype("string")
    return out


def customer_attributes(customers: pd.DataFrame, cutoff, key: str = "customer_id") -> pd.DataFrame:
    """Attribute columns of a customer table as features (dates become days before the cutoff).

    Columns are prefixed ``attr_``; a date column (e.g. a signup date) becomes the number of days
    between it and the cutoff, and is empty when the date is after the cutoff (no leak).
    """
    t = _ts(cutoff)
    frame = customers.drop_duplicates(key).set_index(key)
    out = pd.DataFrame(index=frame.index.astype("string"))
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            days = (t - s).dt.total_seconds() / 86400
            out[f"attr_{col}_days"] = days.where(days >= 0).to_numpy()
        elif pd.api.types.is_numeric_dtype(s):
            out[f"attr_{col}"] = s.astype("float64").to_numpy()
        else:
            out[f"attr_{col}"] = s.astype("string").to_numpy()
    return out


def build_customer_features(orders: pd.DataFrame | None, cutoff, *, events: pd.DataFrame | None = None,
                            customers: pd.DataFrame | None = None, returns: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer known before ``cutoff`` (an order or an event), features as columns.

    Customers with events but no order get empty order features and zero order counts; the
    other way round, zero event counts. Index: ``customer_id``.
    """
    parts = []
    if orders is not None and len(orders):
        parts.append(order_features(orders, cutoff, returns))
    if events is not None and len(events):
        parts.append(event_features(events, cutoff))
    if not parts:
        return pd.DataFrame(index=pd.Index([], name="customer_id", dtype="string"))
    table = parts[0].join(parts[1:], how="outer") if len(parts) > 1 else parts[0]
    zero_if_missing = [c for c in table.columns if c in _ZERO_WHEN_ABSENT]
    table[zero_if_missing] = table[zero_if_missing].fillna(0)
    if customers is not None and len(customers):
        table = table.join(customer_attributes(customers, cutoff), how="left")
    table.index.name = "customer_id"
    return table.sort_index()


def build_labels(orders: pd.DataFrame | None, cutoff, horizon_days: int, *, task: str,
                 events: pd.DataFrame | None = None, lookback_days: int = 28) -> pd.Series:
    """Labels of ``task`` for the window [cutoff, cutoff + horizon_days).

    - ``purchase``: 1 if a customer with an order before the cutoff orders in the window;
    - ``churn``: 1 if a customer active (order or event) in the ``lookback_days`` before the
      cutoff is not active in the window;
    - ``revenue``: revenue in the window of each customer with an order before the cutoff.
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}")
    t = _ts(cutoff)
    end = t + pd.Timedelta(days=horizon_days)
    frames = {}
    activity = []
    if orders is not None:
        frames["orders"] = orders
        activity.append("SELECT customer_id AS cid, timestamp FROM orders WHERE customer_id IS NOT NULL")
    if events is not None:
        frames["events"] = events
        activity.append("SELECT user_id AS cid, timestamp FROM events WHERE user_id IS NOT NULL")
    if task in ("purchase", "revenue"):
        if orders is None:
            raise ValueError(f"the {task} task needs orders")
        value = "CAST(count(*) FILTER (WHERE timestamp >= ? AND timestamp < ?) > 0 AS INTEGER)" if task == "purchase" \
            else "coalesce(sum(amount) FILTER (WHERE timestamp >= ? AND timestamp < ?), 0)"
        out = sql(f"""
            SELECT customer_id, {value} AS label FROM orders WHERE customer_id IS NOT NULL
            GROUP BY 1 HAVING min(timestamp) < ? ORDER BY 1
        """, [t, end, t], orders=orders)
    else:
        if not activity:
            raise ValueError("the churn task needs orders or events")
        start = t - pd.Timedelta(days=lookback_days)
        out = sql(f"""
            WITH activity AS ({' UNION ALL '.join(activity)})
            SELECT cid AS customer_id,
                   CAST(count(*) FILTER (WHERE timestamp >= ? AND timestamp < ?) = 0 AS INTEGER) AS label
            FROM activity GROUP BY 1
            HAVING count(*) FILTER (WHERE timestamp >= ? AND timestamp < ?) > 0 ORDER BY 1
        """, [t, end, start, t], **frames)
    series = out.set_index("customer_id")["label"]
    series.index = series.index.astype("string")
    series.name = task
    return series.astype("float64" if task == "revenue" else "int64")


def feature_catalogue(columns: list[str] | None = None) -> pd.DataFrame:
    """Name, description and unit of each feature (of ``columns`` when given, in that order)."""
    names = columns if columns is not None else list(FEATURES)
    rows = []
    for name in names:
        f = FEATURES.get(name)
        if f is None and name.startswith("attr_"):
            f = Feature("attribute from the customer table" + (" (days before the cutoff)" if name.endswith("_days") else ""),
                        "days" if name.endswith("_days") else "as given")
        if f is not None:
            rows.append({"feature": name, "description": f.description, "unit": f.unit})
    return pd.DataFrame(rows, columns=["feature", "description", "unit"])


def label_rate_by_decile(features: pd.DataFrame, labels: pd.Series, feature: str, bins: int = 10) -> pd.DataFrame:
    """Mean label per decile of ``feature`` (customers with both a feature value and a label).

    Columns: ``decile`` (1 = lowest values), ``low``, ``high`` (feature range in the bin),
    ``customers`` and ``label_mean`` (the rate for 0/1 labels, the mean for revenue). Equal
    values stay in one bin, so there can be fewer than ``bins`` bins.
    """
    joined = pd.DataFrame({"x": pd.to_numeric(features[feature], errors="coerce"), "y": labels}).dropna()
    if joined.empty:
        return pd.DataFrame(columns=["decile", "low", "high", "customers", "label_mean"])
    # bin of the lowest rank among equal values: equal values share a bin, a constant feature is one bin
    codes = ((joined["x"].rank(method="min") - 1) * bins // len(joined)).astype("int64")
    grouped = joined.groupby(codes)
    out = pd.DataFrame({"low": grouped["x"].min(), "high": grouped["x"].max(),
                        "customers": grouped.size(), "label_mean": grouped["y"].mean()})
    out.index = range(1, len(out) + 1)
    return out.rename_axis("decile").reset_index()


def numeric_columns(features: pd.DataFrame) -> list[str]:
    """Feature columns that hold numbers (what charts and models can use directly)."""
    return [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
