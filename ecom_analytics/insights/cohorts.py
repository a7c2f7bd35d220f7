"""Descriptive views: acquisition cohorts, the behaviour funnel and the product report.

Cohorts are Ibis expressions (DuckDB or Spark, see :mod:`ecom_analytics.engine`); the funnel
and the product report are still DuckDB SQL over the canonical tables.
"""

from __future__ import annotations

import pandas as pd

from ecom_analytics.engine import run, sql

FUNNEL_STEPS = ("view", "cart", "purchase")


def cohorts(orders, *, engine: str = "duckdb") -> pd.DataFrame:
    """Monthly acquisition cohorts in long form.

    A customer's cohort is the month of their first order. Columns: ``cohort`` (month start),
    ``months_since`` (0 = the first month), ``customers`` active that month, ``cohort_size``,
    ``retention`` (customers / cohort size, 0..1) and ``revenue`` in that month. ``orders`` is a
    pandas frame or an Ibis table; ``engine`` (duckdb, spark) runs the aggregate.
    """
    def build(orders):
        known = orders.filter(orders.customer_id.notnull())
        firsts = known.group_by("customer_id").aggregate(cohort=known.timestamp.min().truncate("M"))
        activity = known.select("customer_id", "amount", month=known.timestamp.truncate("M")).inner_join(
            firsts, "customer_id")
        sizes = firsts.group_by("cohort").aggregate(cohort_size=firsts.count())
        # whole calendar months between the two month starts, the same on every engine
        since = ((activity.month.year() - activity.cohort.year()) * 12
                 + activity.month.month() - activity.cohort.month()).cast("int32")
        joined = activity.mutate(months_since=since).inner_join(sizes, "cohort")
        out = joined.group_by(["cohort", "months_since", "cohort_size"]).aggregate(
            customers=joined.customer_id.nunique(), revenue=joined.amount.sum())
        return out.select("cohort", "months_since", "customers", "cohort_size",
                          retention=out.customers.cast("float64") / out.cohort_size.cast("float64"),
                          revenue=out.revenue).order_by(["cohort", "months_since"])

    out = run(build, engine, orders=orders)
    out["cohort"] = out["cohort"].astype("datetime64[us]")
    return out


def cohort_matrix(cohort_table: pd.DataFrame, value: str = "retention") -> pd.DataFrame:
    """Cohorts (rows, ``YYYY-MM``) x months since first order (columns) of ``value``."""
    table = cohort_table.assign(cohort=pd.to_datetime(cohort_table["cohort"]).dt.strftime("%Y-%m"))
    return table.pivot(index="cohort", columns="months_since", values=value).sort_index()


def next_month_retention(cohort_table: pd.DataFrame, last_month, skip_months=()) -> float | None:
    """Share (0..1) of customers who ordered again in the calendar month after their first order,
    over the cohorts whose following month is in the data (not after ``last_month``, the month of
    the data's last day) and not one of ``skip_months`` (partial months, whose few days would make
    the share look low); a cohort where nobody came back counts with 0. None when no cohort has
    such a month. Months are anything ``pd.Period(..., "M")`` reads ("2011-12", a date)."""
    if cohort_table is None or cohort_table.empty:
        return None
    table = cohort_table.assign(month=pd.to_datetime(cohort_table["cohort"]).dt.to_period("M"))
    sizes = table.drop_duplicates("month").set_index("month")["cohort_size"]
    last = pd.Period(last_month, "M")
    skip = {pd.Period(m, "M") for m in skip_months}
    eligible = [m for m in sizes.index if m + 1 <= last and m + 1 not in skip]
    if not eligible:
        return None
    back = table[(table["months_since"] == 1) & table["month"].isin(eligible)]["customers"].sum()
    return float(back) / float(sizes.loc[eligible].sum())


def funnel(events: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The view -> cart -> purchase funnel by distinct users (a closed funnel).

    A user reaches a step when they have events of that step and of every earlier step (in
    any order), so the funnel never widens. Columns: ``step``, ``users``, ``events`` (all
    events of that type), ``conversion`` (users at this step / users at the previous step),
    ``overall`` (/ users who viewed) and ``drop_off`` (1 - conversion); with ``by`` (e.g.
    "category"), one funnel per value of it, in a ``group`` column.
    """
    group = f"coalesce(CAST({by} AS VARCHAR), '(none)')" if by else "'all'"
    counts = sql(f"""
        WITH per_user AS (
            SELECT {group} AS grp, user_id,
                   count(*) FILTER (WHERE event_type = 'view') AS v,
                   count(*) FILTER (WHERE event_type = 'cart') AS c,
                   count(*) FILTER (WHERE event_type = 'purchase') AS p
            FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2)
        SELECT grp,
               count(*) FILTER (WHERE v > 0) AS view_users,
               count(*) FILTER (WHERE v > 0 AND c > 0) AS cart_users,
               count(*) FILTER (WHERE v > 0 AND c > 0 AND p > 0) AS purchase_users,
               sum(v) AS view_events, sum(c) AS cart_events, sum(p) AS purchase_events
        FROM per_user GROUP BY 1 HAVING sum(v) + sum(c) + sum(p) > 0
        ORDER BY view_users DESC, grp
    """, events=events)
    rows = []
    for rec in counts.to_dict("records"):
        previous = None
        for step in FUNNEL_STEPS:
            users = int(rec[f"{step}_users"])
            conversion = 1.0 if previous is None else (users / previous if previous else float("nan"))
            first = rec["view_users"]
            rows.append({"group": rec["grp"], "step": step, "users": users, "events": int(rec[f"{step}_events"]),
                         "conversion": conversion, "overall": users / first if first else float("nan"),
                         "drop_off": 1 - conversion})
            previous = users
    out = pd.DataFrame(rows, columns=["group", "step", "users", "events", "conversion", "overall", "drop_off"])
    if not by:
        out = out.drop(columns="group")
    return out


def _most_common(table: str, key: str, column: str) -> str:
    """SQL: the most frequent non-null ``column`` per ``key`` (ties: the smallest), as ``key, column``.

    Deterministic, unlike any_value() or mode(), whose pick varies with DuckDB's threads.
    """
    return (f"SELECT {key}, first({column} ORDER BY n DESC, {column}) AS {column} "
            f"FROM (SELECT {key}, {column}, count(*) AS n FROM {table} WHERE {column} IS NOT NULL GROUP BY 1, 2) "
            f"GROUP BY 1")


def product_report(orders: pd.DataFrame | None = None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per product: views, carts, purchases (events), units, orders, customers and revenue
    (orders), and ``conversion`` = purchase events / view events (empty without views).

    A product's name and category are the ones on most of its lines (ties: first alphabetically),
    so a stock code sold under several descriptions always shows the same one. Largest revenue
    (then views, then product id) first.
    """
    parts = []
    if orders is not None and len(orders):
        parts.append(sql(f"""
            WITH o AS (
                SELECT coalesce(product_id, product_name) AS pid, product_name, category, quantity, order_id,
                       customer_id, amount
                FROM orders WHERE coalesce(product_id, product_name) IS NOT NULL),
            totals AS (
                SELECT pid, sum(quantity) AS units, count(DISTINCT order_id) AS orders,
                       count(DISTINCT customer_id) AS customers, sum(amount) AS revenue
                FROM o GROUP BY 1)
            SELECT t.pid AS product_id, n.product_name, c.category, t.units, t.orders, t.customers, t.revenue
            FROM totals t LEFT JOIN ({_most_common("o", "pid", "product_name")}) n USING (pid)
            LEFT JOIN ({_most_common("o", "pid", "category")}) c USING (pid)
        """, orders=orders).set_index("product_id"))
    if events is not None and len(events):
        parts.append(sql(f"""
            SELECT product_id, c.category AS event_category,
                   count(*) FILTER (WHERE event_type = 'view') AS views,
                   count(*) FILTER (WHERE event_type = 'cart') AS carts,
                   count(*) FILTER (WHERE event_type = 'purchase') AS purchases
            FROM events LEFT JOIN ({_most_common("events", "product_id", "category")}) c USING (product_id)
            WHERE product_id IS NOT NULL GROUP BY product_id, c.category
        """, events=events).set_index("product_id"))
    if not parts:
        return pd.DataFrame()
    table = parts[0].join(parts[1:], how="outer") if len(parts) > 1 else parts[0]
    if "event_category" in table.columns:
        table["category"] = table["category"].fillna(table["event_category"]) if "category" in table.columns \
            else table["event_category"]
        table = table.drop(columns="event_category")
    for col in ("views", "carts", "purchases", "units", "orders", "customers", "revenue"):
        if col in table.columns:
            table[col] = table[col].fillna(0)
    if "views" in table.columns:
        table["conversion"] = table["purchases"] / table["views"].where(table["views"] > 0)
    sort = [c for c in ("revenue", "views") if c in table.columns]
    # ties in product id order, so the same data always gives the same table
    table = table.rename_axis("product_id").reset_index()
    return table.sort_values([*sort, "product_id"], ascending=[False] * len(sort) + [True],
                             kind="stable").reset_index(drop=True)
