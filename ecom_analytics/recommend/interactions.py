"""Interactions (customer x product, weighted by event type), the product catalogue and the time split."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.ingest.inputs import day_after_last

#: Weight of one interaction per event type; order lines count as ``purchase``.
DEFAULT_WEIGHTS: dict[str, float] = {"view": 1.0, "wishlist": 2.0, "cart": 3.0, "purchase": 5.0,
                                     "remove_from_cart": 0.0, "other": 0.0}
#: Fewest customers and products with a purchase that make recommendations meaningful.
MIN_CUSTOMERS, MIN_PRODUCTS, MIN_PURCHASES = 5, 5, 20
INTERACTION_COLUMNS = ["customer_id", "product_id", "timestamp", "event_type", "weight", "is_purchase"]


def build_interactions(orders: pd.DataFrame | None, events: pd.DataFrame | None = None,
                       weights: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per order line or event with a customer and a product: ``customer_id, product_id,
    timestamp, event_type, weight, is_purchase``. ``weights`` (event type -> weight) override
    :data:`DEFAULT_WEIGHTS`; event types weighted 0 are left out. Purchases recorded in both
    tables count twice only if both are given, so pass events without purchases when orders
    hold them."""
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    parts = []
    if _has_rows(orders):
        o = _lines(orders, ["customer_id", "product_id"], ["customer_id", "product_id", "timestamp"])
        parts.append(o.assign(event_type="purchase"))
    if _has_rows(events):
        e = _lines(events, ["user_id", "product_id"], ["user_id", "product_id", "timestamp", "event_type"])
        parts.append(e.rename(columns={"user_id": "customer_id"}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            INTERACTION_COLUMNS, ["string", "string", "datetime64[ns]", "string", "float64", "bool"])})
    frame = pd.concat(parts, ignore_index=True)
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame["product_id"] = frame["product_id"].astype("string")
    frame["timestamp"] = frame["timestamp"].astype("datetime64[ns]")
    frame["event_type"] = frame["event_type"].astype("string").fillna("other")
    frame["weight"] = frame["event_type"].map(w).fillna(0.0).astype("float64")
    frame["is_purchase"] = frame["event_type"].eq("purchase").astype(bool)
    frame = frame[frame["weight"] > 0]
    return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)[INTERACTION_COLUMNS]


def product_catalogue(orders: pd.DataFrame | None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Products known from orders and events, indexed by ``product_id``: ``product_name`` (most
    frequent; the id when none), ``category``, ``brand`` and ``text`` (name + category + brand,
    what content-based similarity reads)."""
    counted = {col: [] for col in ("product_id", "product_name", "category", "brand")}
    for frame in (orders, events):
        if _has_rows(frame):
            for col in counted:  # per product: how often each value is written (its id: how often it appears)
                if col in frame.columns:
                    counted[col].append(_counts(frame, col))
    if not counted["product_id"]:
        return pd.DataFrame(columns=["product_name", "category", "brand", "text"], index=pd.Index([], name="product_id"))

    def most_common(col: str) -> pd.Series:
        if not counted[col]:
            return pd.Series(dtype="string")
        counts = pd.concat(counted[col], ignore_index=True).groupby(["product_id", col], as_index=False)["n"].sum()
        counts = counts.sort_values(["product_id", "n", col], ascending=[True, False, True])
        return counts.drop_duplicates("product_id").set_index("product_id")[col]

    known = pd.concat(counted["product_id"], ignore_index=True)["product_id"]
    ids = pd.Index(known.unique(), name="product_id").sort_values()
    cat = pd.DataFrame(index=ids)
    for col in ("product_name", "category", "brand"):
        cat[col] = most_common(col).reindex(ids)
    cat["text"] = (cat["product_name"].fillna("") + " " + cat["category"].fillna("").str.replace(".", " ", regex=False)
                   + " " + cat["brand"].fillna("")).str.strip()
    cat["product_name"] = cat["product_name"].fillna(pd.Series(ids, index=ids))
    return cat


def _has_rows(data) -> bool:
    """A table with rows (an Ibis table counts as having rows: counting them would cost a scan)."""
    import ibis

    return data is not None and (isinstance(data, ibis.Table) or len(data) > 0)


def _lines(data, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """The ``columns`` of the rows of ``data`` (pandas, or an Ibis table read where it lies: only these
    columns come back) whose ``keys`` are all known, in the table's order."""
    import ibis

    if not isinstance(data, ibis.Table):
        known = data[keys].notna().all(axis=1)
        return data.loc[known, columns]
    from ecom_analytics.engine import execute

    rows = data.filter(*[data[k].notnull() for k in keys])
    order = [c for c in ("timestamp", "source_line") if c in data.columns]
    return execute(rows.order_by(order).select(*columns))


def _counts(data, col: str) -> pd.DataFrame:
    """``product_id, <col>, n``: how many rows with a product write each value of ``col`` (for
    ``product_id`` itself: how many rows each product has), counted where the data lies."""
    import ibis

    if not isinstance(data, ibis.Table):
        rows = data.loc[data["product_id"].notna()]
        keys = ["product_id"] if col == "product_id" else ["product_id", col]
        return rows[keys].astype("string").dropna().value_counts().rename("n").reset_index()
    from ecom_analytics.engine import execute

    rows = data.filter(data.product_id.notnull())
    if col == "product_id":
        grouped = rows.group_by(product_id=rows.product_id.cast("string")).aggregate(n=ibis._.count())
    else:
        known = rows.filter(rows[col].notnull())
        grouped = known.group_by(product_id=known.product_id.cast("string"), **{col: known[col].cast("string")}
                                 ).aggregate(n=ibis._.count())
    out = execute(grouped)
    return out.astype({c: "string" for c in out.columns if c != "n"})


def check_enough(interactions: pd.DataFrame, what: str = "The data") -> None:
    """Raise :class:`InputError` saying what is missing when there are too few purchases to learn from."""
    bought = interactions[interactions["is_purchase"]]
    customers, products = bought["customer_id"].nunique(), bought["product_id"].nunique()
    if customers < MIN_CUSTOMERS or products < MIN_PRODUCTS or len(bought) < MIN_PURCHASES:
        raise InputError(
            "{what} has {n_purchases:,} purchases by {customers:,} customers of {products:,} products; "
            "recommendations need at least {min_purchases} purchases by {min_customers} customers of "
            "{min_products} products (orders with a customer id and a product id). Upload a longer period.",
            what=Note(what), n_purchases=len(bought), customers=customers, products=products,
            min_purchases=MIN_PURCHASES, min_customers=MIN_CUSTOMERS, min_products=MIN_PRODUCTS)


@dataclass
class Split:
    """A time split: ``train`` holds interactions before ``cutoff``; ``targets`` (customer_id,
    product_id) the products each customer with history before the cutoff bought in
    [cutoff, end) and had not bought before it."""

    train: pd.DataFrame
    targets: pd.DataFrame
    cutoff: pd.Timestamp
    end: pd.Timestamp
    horizon_days: int


def end_of_data(interactions: pd.DataFrame) -> pd.Timestamp:
    """The day after the last interaction (midnight)."""
    return day_after_last(interactions)


def time_split(interactions: pd.DataFrame, horizon_days: int, end: pd.Timestamp | None = None) -> Split:
    """Train on interactions before T = end - H, score the purchases in [T, end); ``end``
    defaults to the day after the last interaction. Only purchases define targets."""
    if horizon_days < 1:
        raise InputError("The horizon must be at least 1 day, not {days}.", days=horizon_days)
    if interactions.empty:
        raise InputError("There are no interactions (orders with a customer id and a product id) to split.")
    end = end_of_data(interactions) if end is None else pd.Timestamp(end)
    cutoff = end - pd.Timedelta(days=int(horizon_days))
    ts = interactions["timestamp"]
    train = interactions[ts < cutoff]
    if train.empty:
        first = ts.min()
        raise InputError("Nothing happens before the cutoff {cutoff:%Y-%m-%d} (data start {first:%Y-%m-%d}); use a "
                         "horizon shorter than {days} days.", cutoff=cutoff, first=first, days=(end - first).days)
    window = interactions[(ts >= cutoff) & (ts < end) & interactions["is_purchase"]]
    pairs = window[["customer_id", "product_id"]].drop_duplicates()
    before = train.loc[train["is_purchase"], ["customer_id", "product_id"]].drop_duplicates()
    pairs = pairs.merge(before, how="left", indicator=True)
    pairs = pairs[pairs["_merge"] == "left_only"].drop(columns="_merge")
    pairs = pairs[pairs["customer_id"].isin(train["customer_id"].unique())]
    return Split(train=train.reset_index(drop=True), targets=pairs.reset_index(drop=True), cutoff=cutoff, end=end,
                 horizon_days=int(horizon_days))


def customer_history(interactions: pd.DataFrame, customer_id: str, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """What one customer interacted with, per product, latest first: ``product_id, product_name,
    purchases, other_events, first, last``."""
    mine = interactions[interactions["customer_id"] == str(customer_id)]
    hist = mine.groupby("product_id").agg(purchases=("is_purchase", "sum"), events=("is_purchase", "size"),
                                          first=("timestamp", "min"), last=("timestamp", "max"))
    hist["other_events"] = hist.pop("events") - hist["purchases"]
    names = catalogue["product_name"] if catalogue is not None else pd.Series(dtype="string")
    hist.insert(0, "product_name", names.reindex(hist.index).fillna(pd.Series(hist.index, index=hist.index)).to_numpy())
    return hist.sort_values("last", ascending=False).reset_index()
