"""Descriptive views: acquisition cohorts, the behaviour funnel and the product report.

All three are Ibis expressions (DuckDB or Spark, see :mod:`ecom_analytics.engine`): only their
results come back to pandas.
"""

from __future__ import annotations

import ibis
import pandas as pd

from ecom_analytics.engine import most_frequent, on_days, run

FUNNEL_STEPS = ("view", "cart", "purchase")


def cohorts(orders, *, start=None, end=None, engine: str = "duckdb") -> pd.DataFrame:
    """Monthly acquisition cohorts in long form.

    A customer's cohort is the month of their first order. Columns: ``cohort`` (month start),
    ``months_since`` (0 = the first month), ``customers`` active that month, ``cohort_size``,
    ``retention`` (customers / cohort size, 0..1) and ``revenue`` in that month. With a period
    (``start``, ``end``: dates, both included, None: open), the customers acquired on its days (their
    first order ever falls in it, so a customer who bought before is not new) and their orders up to
    ``end``. ``orders`` is a pandas frame or an Ibis table; ``engine`` (duckdb, spark) runs the aggregate.
    """
    def build(orders):
        known = orders.filter(orders.customer_id.notnull())
        firsts = known.group_by("customer_id").aggregate(first=known.timestamp.min())
        firsts = on_days(firsts.rename(timestamp="first"), start, end)
        firsts = firsts.select("customer_id", cohort=firsts.timestamp.truncate("M"))
        seen = on_days(known, None, end)
        activity = seen.select("customer_id", "amount", month=seen.timestamp.truncate("M")).inner_join(
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


def funnel(events, by: str | None = None, *, start=None, end=None, engine: str = "duckdb") -> pd.DataFrame:
    """The view -> cart -> purchase funnel by distinct users (a closed funnel).

    A user reaches a step when they have events of that step and of every earlier step (in
    any order), so the funnel never widens. Columns: ``step``, ``users``, ``events`` (all
    events of that type), ``conversion`` (users at this step / users at the previous step),
    ``overall`` (/ users who viewed) and ``drop_off`` (1 - conversion); with ``by`` (e.g.
    "category"), one funnel per value of it, in a ``group`` column. Only the events on the days
    [``start``, ``end``] count (dates, both included; None: open). ``events`` is a pandas frame or an
    Ibis table; ``engine`` (duckdb, spark) runs the aggregate.
    """
    def build(events):
        events = on_days(events, start, end)
        e = events.filter(events.user_id.notnull())
        e = e.mutate(grp=ibis.coalesce(e[by].cast("string"), "(none)") if by else ibis.literal("all"))
        per_user = e.group_by(["grp", "user_id"]).aggregate(
            **{step[0]: (e.event_type == step).ifelse(1, 0).sum() for step in FUNNEL_STEPS})
        v, c, p = per_user.v > 0, per_user.c > 0, per_user.p > 0
        out = per_user.group_by("grp").aggregate(
            view_users=v.ifelse(1, 0).sum(), cart_users=(v & c).ifelse(1, 0).sum(),
            purchase_users=(v & c & p).ifelse(1, 0).sum(), view_events=per_user.v.sum(),
            cart_events=per_user.c.sum(), purchase_events=per_user.p.sum())
        out = out.filter(out.view_events + out.cart_events + out.purchase_events > 0)
        return out.order_by([ibis.desc("view_users"), "grp"])

    counts = run(build, engine, events=events)
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


def funnel_changes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The funnel ``now`` (of :func:`funnel`) with the earlier period's ``users_before`` and
    ``overall_before`` per step (and group), and ``overall_change``: the change of the share of
    viewers reaching the step, in percentage points (0.5 = half a point); NaN where the earlier
    period had no such step or group."""
    keys = ["group", "step"] if "group" in now.columns else ["step"]
    earlier = before[keys + ["users", "overall"]].rename(columns={"users": "users_before",
                                                                  "overall": "overall_before"})
    out = now.merge(earlier, on=keys, how="left")
    out["overall_change"] = (out["overall"] - out["overall_before"]) * 100
    return out


def product_report(orders=None, events=None, *, engine: str = "duckdb") -> pd.DataFrame:
    """Per product: views, carts, purchases (events), units, orders, customers and revenue
    (orders), and ``conversion`` = purchase events / view events (empty without views).

    A product's name and category are the ones on most of its lines (ties: first alphabetically),
    so a stock code sold under several descriptions always shows the same one. Largest revenue
    (then views, then product id) first. ``orders`` and ``events`` are pandas frames or Ibis
    tables; ``engine`` (duckdb, spark) runs the aggregates.
    """
    def from_orders(orders):
        o = orders.mutate(pid=ibis.coalesce(orders.product_id, orders.product_name))
        o = o.filter(o.pid.notnull())
        totals = o.group_by("pid").aggregate(units=o.quantity.sum(), orders=o.order_id.nunique(),
                                             customers=o.customer_id.nunique(), revenue=o.amount.sum())
        joined = totals.left_join(most_frequent(o, "pid", "product_name"), "pid").left_join(
            most_frequent(o, "pid", "category"), "pid")
        return joined.select(product_id=joined.pid, product_name=joined.product_name, category=joined.category,
                             units=joined.units, orders=joined.orders, customers=joined.customers,
                             revenue=joined.revenue)

    def from_events(events):
        known = events.filter(events.product_id.notnull())
        e = known.left_join(most_frequent(known, "product_id", "category", "event_category"), "product_id")
        return e.group_by(["product_id", "event_category"]).aggregate(
            views=(e.event_type == "view").ifelse(1, 0).sum(), carts=(e.event_type == "cart").ifelse(1, 0).sum(),
            purchases=(e.event_type == "purchase").ifelse(1, 0).sum())

    parts = []
    if orders is not None and _rows(orders):
        parts.append(run(from_orders, engine, orders=orders).set_index("product_id"))
    if events is not None and _rows(events):
        parts.append(run(from_events, engine, events=events).set_index("product_id"))
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


def _rows(data) -> bool:
    """Whether a pandas frame has rows; an Ibis table counts as having them (an empty one gives an
    empty aggregate)."""
    return len(data) > 0 if isinstance(data, pd.DataFrame) else True
