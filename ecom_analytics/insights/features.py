"""Customer features as of a cutoff date, and the labels of the prediction tasks.

One definition of time for features and labels: for a cutoff ``T``, features use only rows
with ``timestamp < T``; labels use rows with ``T <= timestamp < T + horizon``. An order placed
exactly at ``T`` is therefore not a feature of ``T`` but counts in its label window.

Everything is computed as Ibis expressions (through :mod:`ecom_analytics.engine`) over the
canonical tables, one row per customer, no Python loop over rows: on DuckDB by default, on
Spark with ``engine="spark"``, with the same result.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from ecom_analytics.engine import days_between, most_frequent, run, weekday
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

def _ts(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _order_key(o):
    """An order's key: its order id, else customer and timestamp (exports without order ids)."""
    return ibis.coalesce(o.order_id.cast("string"), o.customer_id.cast("string") + "@" + o.timestamp.cast("string"))


def order_features_expr(orders, cutoff, returns=None):
    """The order features of :func:`order_features` as one Ibis expression (before the ratios that
    pandas adds), for any engine."""
    t = _ts(cutoff)
    T = ibis.literal(t, type="timestamp")
    lines = orders.filter(orders.customer_id.notnull() & (orders.timestamp < T))
    lines = lines.select("customer_id", "timestamp", "amount", "quantity", "product_id", "category", "country",
                         okey=_order_key(lines))
    per_order = lines.group_by(["customer_id", "okey"]).aggregate(ts=lines.timestamp.min(), revenue=lines.amount.sum())
    previous = per_order.ts.lag().over(group_by=per_order.customer_id, order_by=per_order.ts)
    gaps = per_order.select("customer_id", gap=days_between(previous, per_order.ts))
    gaps = gaps.filter(gaps.gap.notnull())
    gap_stats = gaps.group_by("customer_id").aggregate(days_between_mean=gaps.gap.mean(),
                                                       days_between_std=gaps.gap.std(how="sample"))
    order_stats = per_order.group_by("customer_id").aggregate(revenue_mean=per_order.revenue.mean(),
                                                              revenue_max=per_order.revenue.max())
    # most frequent value, ties to the smallest: the same on every engine and every run
    stamps = per_order.select("customer_id", weekday=weekday(per_order.ts), hour=per_order.ts.hour())
    favourite_weekday = most_frequent(stamps, "customer_id", "weekday", "favourite_weekday")
    favourite_hour = most_frequent(stamps, "customer_id", "hour", "favourite_hour")
    country = most_frequent(lines, "customer_id", "country")
    cat_n = lines.filter(lines.category.notnull()).group_by(["customer_id", "category"]).aggregate(n=ibis._.count())
    cat = cat_n.group_by("customer_id").aggregate(
        top_category_share=cat_n.n.max().cast("float64") / cat_n.n.sum().cast("float64"))
    if returns is None:
        ret = lines.filter(ibis.literal(False)).group_by("customer_id").aggregate(returned_lines=ibis._.count())
    else:
        r = returns.filter(returns.customer_id.notnull() & (returns.timestamp < T))
        ret = r.group_by("customer_id").aggregate(returned_lines=r.count())

    def since(days: int):
        return lines.timestamp >= ibis.literal(t - pd.Timedelta(days=days), type="timestamp")

    windows = {}
    for w in WINDOWS_ORDERS:
        windows[f"orders_{w}d"] = lines.okey.nunique(where=since(w))
        windows[f"revenue_{w}d"] = lines.amount.sum(where=since(w)).fill_null(0)
    base = lines.group_by("customer_id").aggregate(
        recency_days=days_between(lines.timestamp.max(), T),
        tenure_days=days_between(lines.timestamp.min(), T),
        orders=lines.okey.nunique(),
        active_days=lines.timestamp.date().nunique(),
        active_months=lines.timestamp.truncate("M").nunique(),
        units=lines.quantity.sum().fill_null(0),
        revenue_total=lines.amount.sum().fill_null(0),
        **windows,
        r90=lines.amount.sum(where=since(90)).fill_null(0),
        r90_prev=lines.amount.sum(where=since(180) & ~since(90)).fill_null(0),
        distinct_products=lines.product_id.nunique(),
        distinct_categories=lines.category.nunique(),
        n_lines=lines.count(),
    )
    joined = (base.inner_join(order_stats, "customer_id").inner_join(favourite_weekday, "customer_id")
              .inner_join(favourite_hour, "customer_id").left_join(country, "customer_id")
              .left_join(cat, "customer_id").left_join(gap_stats, "customer_id").left_join(ret, "customer_id"))
    return joined.select(
        *base.columns, "revenue_mean", "revenue_max", "days_between_mean", "days_between_std", "country",
        "favourite_weekday", "favourite_hour", "top_category_share",
        returned_lines=joined.returned_lines.fill_null(0)).order_by("customer_id")


def order_features(orders, cutoff, returns=None, *, engine: str = "duckdb") -> pd.DataFrame:
    """Order-based features of every customer with an order before ``cutoff`` (index customer_id).

    ``returns`` (optional) holds cancelled/returned lines (e.g. quarantined as 'cancellation')
    and feeds ``return_rate``; only lines before the cutoff count. ``orders`` and ``returns`` are
    pandas frames or Ibis tables (a stored dataset read in place); ``engine`` is where they run.
    """
    frame = run(lambda orders, returns: order_features_expr(orders, cutoff, returns), engine,
                 orders=orders, returns=returns)
    for col in ("orders", "active_days", "active_months", "distinct_products", "distinct_categories", "n_lines",
                "returned_lines", "favourite_weekday", "favourite_hour", *(f"orders_{w}d" for w in WINDOWS_ORDERS)):
        frame[col] = frame[col].astype("int64")
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


def event_features_expr(events, cutoff):
    """The behaviour features of :func:`event_features` as one Ibis expression."""
    t = _ts(cutoff)
    T = ibis.literal(t, type="timestamp")
    e = events.filter(events.user_id.notnull() & (events.timestamp < T))

    def since(days: int):
        return e.timestamp >= ibis.literal(t - pd.Timedelta(days=days), type="timestamp")

    counts = {f"{kind}s_{w}d": e.count(where=(e.event_type == kind) & since(w))
              for w in WINDOWS_EVENTS for kind in ("view", "cart", "wishlist", "purchase")}
    return e.group_by(customer_id=e.user_id).aggregate(
        **counts,
        sessions_28d=e.session_id.nunique(where=since(28)),
        days_since_last_event=days_between(e.timestamp.max(), T),
        distinct_products_viewed_28d=e.product_id.nunique(where=(e.event_type == "view") & since(28)),
    ).order_by("customer_id")


def event_features(events, cutoff, *, engine: str = "duckdb") -> pd.DataFrame:
    """Behaviour features of every user with an event before ``cutoff`` (index customer_id)."""
    frame = run(lambda events: event_features_expr(events, cutoff), engine, events=events)
    for col in frame.columns:
        if col not in ("customer_id", "days_since_last_event"):
            frame[col] = frame[col].astype("int64")
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
                            customers: pd.DataFrame | None = None, returns: pd.DataFrame | None = None,
                            engine: str = "duckdb") -> pd.DataFrame:
    """One row per customer known before ``cutoff`` (an order or an event), features as columns.

    Customers with events but no order get empty order features and zero order counts; the
    other way round, zero event counts. Index: ``customer_id``. Orders, events and returns can be
    pandas frames or Ibis tables; ``engine`` (duckdb, spark) runs the aggregates, with the same result.
    """
    parts = []
    if _has_rows(orders):
        parts.append(order_features(orders, cutoff, returns, engine=engine))
    if _has_rows(events):
        parts.append(event_features(events, cutoff, engine=engine))
    if not parts:
        return pd.DataFrame(index=pd.Index([], name="customer_id", dtype="string"))
    table = parts[0].join(parts[1:], how="outer") if len(parts) > 1 else parts[0]
    zero_if_missing = [c for c in table.columns if c in _ZERO_WHEN_ABSENT]
    table[zero_if_missing] = table[zero_if_missing].fillna(0)
    if customers is not None and len(customers):
        table = table.join(customer_attributes(customers, cutoff), how="left")
    table.index.name = "customer_id"
    return table.sort_index()


def _has_rows(data) -> bool:
    """A table with rows (an Ibis table counts as having rows: counting them would cost a scan)."""
    if data is None:
        return False
    return isinstance(data, ibis.Table) or len(data) > 0


def build_labels(orders: pd.DataFrame | None, cutoff, horizon_days: int, *, task: str,
                 events: pd.DataFrame | None = None, lookback_days: int = 28, engine: str = "duckdb") -> pd.Series:
    """Labels of ``task`` for the window [cutoff, cutoff + horizon_days).

    - ``purchase``: 1 if a customer with an order before the cutoff orders in the window;
    - ``churn``: 1 if a customer active (order or event) in the ``lookback_days`` before the
      cutoff is not active in the window;
    - ``revenue``: revenue in the window of each customer with an order before the cutoff.
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}")
    if task in ("purchase", "revenue") and orders is None:
        raise ValueError(f"the {task} task needs orders")
    if task == "churn" and orders is None and events is None:
        raise ValueError("the churn task needs orders or events")
    t = _ts(cutoff)
    T = ibis.literal(t, type="timestamp")
    END = ibis.literal(t + pd.Timedelta(days=horizon_days), type="timestamp")
    START = ibis.literal(t - pd.Timedelta(days=lookback_days), type="timestamp")

    def build(orders, events):
        if task in ("purchase", "revenue"):
            o = orders.filter(orders.customer_id.notnull())
            window = (o.timestamp >= T) & (o.timestamp < END)
            label = (o.count(where=window) > 0).cast("int64") if task == "purchase" \
                else o.amount.sum(where=window).fill_null(0)
            per = o.group_by("customer_id").aggregate(label=label, _first=o.timestamp.min())
            return per.filter(per._first < T).select("customer_id", "label").order_by("customer_id")
        parts = []
        if orders is not None:
            parts.append(orders.filter(orders.customer_id.notnull()).select(
                cid=orders.customer_id.cast("string"), timestamp=orders.timestamp))
        if events is not None:
            parts.append(events.filter(events.user_id.notnull()).select(
                cid=events.user_id.cast("string"), timestamp=events.timestamp))
        activity = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
        window = (activity.timestamp >= T) & (activity.timestamp < END)
        recent = (activity.timestamp >= START) & (activity.timestamp < T)
        per = activity.group_by(customer_id=activity.cid).aggregate(
            label=(activity.count(where=window) == 0).cast("int64"), _recent=activity.count(where=recent))
        return per.filter(per._recent > 0).select("customer_id", "label").order_by("customer_id")

    out = run(build, engine, orders=orders, events=events)
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
