"""Headline figures of an orders table: KPIs, sales over time, top products and countries.

All money is in the export's currency. An order is an ``order_id``; exports without order ids
count one order per customer and timestamp.
"""

from __future__ import annotations

import ibis
import pandas as pd

from ecom_analytics.engine import most_frequent, run

FREQUENCIES = {"day": "D", "week": "W", "month": "M"}


def _order_key(o):
    """An order's key: its order id, else customer (or '?') and timestamp."""
    return ibis.coalesce(o.order_id.cast("string"),
                         ibis.coalesce(o.customer_id.cast("string"), "?") + "@" + o.timestamp.cast("string"))


def sales_rows(clean: pd.DataFrame, quarantine: pd.DataFrame | None = None, *, include_anonymous: bool = False) -> pd.DataFrame:
    """The order lines that count as sales: the kept rows, plus (when asked) quarantined rows
    whose only problem is a missing customer id."""
    if not include_anonymous or quarantine is None or quarantine.empty:
        return clean
    anonymous = quarantine[quarantine["reasons"] == "missing_customer"]
    cols = [c for c in clean.columns if c in anonymous.columns]
    return pd.concat([clean, anonymous[cols]], ignore_index=True)


def kpis(orders, *, engine: str = "duckdb") -> dict:
    """Revenue, orders, customers, average order value and repeat-customer rate.

    ``repeat_rate`` is the share of customers with two or more orders (0..1);
    ``aov`` is revenue / orders. ``orders`` is a pandas frame or an Ibis table; ``engine``
    (duckdb, spark) runs the aggregate.
    """
    def build(orders):
        o = orders.mutate(_okey=_order_key(orders))
        per_customer = o.filter(o.customer_id.notnull()).group_by("customer_id").aggregate(n=o._okey.nunique())
        totals = o.aggregate(revenue=o.amount.sum().fill_null(0), orders=o._okey.nunique(),
                             units=o.quantity.sum().fill_null(0), first_order=o.timestamp.min(),
                             last_order=o.timestamp.max())
        people = per_customer.aggregate(customers=per_customer.count(),
                                        repeat_customers=per_customer.count(where=per_customer.n >= 2))
        return totals.cross_join(people)

    row = run(build, engine, orders=orders).iloc[0]
    revenue, n_orders, customers = float(row["revenue"]), int(row["orders"]), int(row["customers"])
    return {
        "revenue": revenue,
        "orders": n_orders,
        "customers": customers,
        "aov": revenue / n_orders if n_orders else 0.0,
        "repeat_rate": int(row["repeat_customers"]) / customers if customers else 0.0,
        "units": float(row["units"]),
        "first_order": _timestamp(row["first_order"]),
        "last_order": _timestamp(row["last_order"]),
    }


def sales_over_time(orders, freq: str = "week", *, engine: str = "duckdb") -> pd.DataFrame:
    """Revenue, orders and customers per period (``freq``: day, week or month); columns
    ``period, revenue, orders, customers``. Periods with no sales appear with zeros."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {list(FREQUENCIES)}")
    def build(orders):
        o = orders.filter(orders.timestamp.notnull())
        o = o.mutate(_okey=_order_key(o), period=o.timestamp.truncate(FREQUENCIES[freq]))
        return o.group_by("period").aggregate(revenue=o.amount.sum(), orders=o._okey.nunique(),
                                              customers=o.customer_id.nunique()).order_by("period")

    out = run(build, engine, orders=orders)
    if out.empty:
        return out
    out["period"] = pd.to_datetime(out["period"])
    out["period"] = out["period"].astype("datetime64[us]")
    start = {"day": "D", "week": "W-MON", "month": "MS"}[freq]
    full = pd.date_range(out["period"].min(), out["period"].max(), freq=start)
    out = out.set_index("period").reindex(full, fill_value=0).rename_axis("period").reset_index()
    return out


def top_products(orders, n: int = 10, *, engine: str = "duckdb") -> pd.DataFrame:
    """The ``n`` products with the most revenue: ``product_id, product_name, revenue, units, orders, customers``.

    A product's name is its most frequent description (ties: alphabetical), as exports often
    carry several spellings of one SKU.
    """
    def build(orders):
        o = orders.mutate(pid=ibis.coalesce(orders.product_id, orders.product_name), _okey=_order_key(orders))
        best = most_frequent(o, "pid", "product_name")
        lines = o.filter(o.pid.notnull()).select("pid", "amount", "quantity", "_okey", "customer_id")
        joined = lines.left_join(best, "pid")
        out = joined.group_by(product_id=joined.pid).aggregate(
            product_name=joined.product_name.max(), revenue=joined.amount.sum(), units=joined.quantity.sum(),
            orders=joined._okey.nunique(), customers=joined.customer_id.nunique())
        return out.order_by([ibis.desc("revenue"), "product_id"]).limit(int(n))

    return run(build, engine, orders=orders)


def by_country(orders, *, engine: str = "duckdb") -> pd.DataFrame:
    """Revenue, orders and customers per country, largest revenue first (missing country as 'Unknown')."""
    def build(orders):
        o = orders.mutate(_okey=_order_key(orders))
        out = o.group_by(country=ibis.coalesce(o.country, "Unknown")).aggregate(
            revenue=o.amount.sum(), orders=o._okey.nunique(), customers=o.customer_id.nunique())
        return out.order_by([ibis.desc("revenue"), "country"])

    return run(build, engine, orders=orders)


def events_summary(events, *, engine: str = "duckdb") -> dict:
    """Users, sessions, date range and event counts per type of an events table."""
    counts = run(lambda events: events.group_by("event_type").aggregate(n=events.count())
                  .order_by([ibis.desc("n"), "event_type"]), engine, events=events)
    row = run(lambda events: events.aggregate(
        users=events.user_id.nunique(), sessions=events.session_id.nunique(), products=events.product_id.nunique(),
        first_event=events.timestamp.min(), last_event=events.timestamp.max(), events=events.count()),
        engine, events=events).iloc[0]
    return {
        "events": int(row["events"]),
        "users": int(row["users"]),
        "sessions": int(row["sessions"]),
        "products": int(row["products"]),
        "first_event": _timestamp(row["first_event"]),
        "last_event": _timestamp(row["last_event"]),
        "by_type": dict(zip(counts["event_type"], counts["n"].astype(int))),
    }


def _timestamp(value):
    """A pandas Timestamp (NaT for none), whatever the engine returned."""
    return pd.NaT if value is None or pd.isna(value) else pd.Timestamp(value).as_unit("ns")


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
