"""The keys that link the tables, and the key that names a person.

Relations follow the shape of an orders export: line items and payments point at the order
header by the order id, the header at the customer table by the customer id, line items at the
product catalogue by the product id (:data:`LINKS`). For each link every plausible pair of
columns (the recognised key first, then any id, number or code column) is scored by

* **value overlap**: the share of the child's distinct key values (at most
  :data:`OVERLAP_SAMPLE`, drawn with a fixed seed) found among the parent's values, and
* **names**: 1 when the normalised headers are equal (any language: "Bestell-Nr." and
  "bestellnr"), 0.8 when both columns were recognised as the same key, 0.5 when their headers
  share a concept besides "id"/"number"/"code";

``score = 0.6 * overlap + 0.4 * names``. A pair is proposed when its overlap is at least
:data:`MIN_OVERLAP`, or when the names agree (>= 0.8) and some values are shared. The counts of
a relation (orders with items, items without an order, ...) are then taken on the whole tables.

The person key: Olist-style exports give each *order* a new customer id and the person a
stable id in the customer table (``customer_unique_id``). :func:`find_person_key` takes the
column that names a customer (by its header: customer/member/account id or number, e-mail)
with fewer distinct values than the per-order id and a single value for (nearly) every id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.ingest import vocabulary
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import normalise_header
from ecom_analytics.ingest.tables.notes import Note
from ecom_analytics.ingest.tables.roles import TableFile, key_values, person_key_candidates

#: (child role, child field, parent role, parent field)
LINKS: list[tuple[str, str, str, str]] = [
    ("items", "order_id", "orders", "order_id"),
    ("payments", "order_id", "orders", "order_id"),
    ("orders", "customer_id", "customers", "customer_id"),
    ("items", "product_id", "products", "product_id"),
]
#: distinct child key values compared with the parent's (a fixed-seed sample above this)
OVERLAP_SAMPLE = 20_000
#: a relation needs this share of the child's key values in the parent (unless the names agree)
MIN_OVERLAP = 0.5
#: a parent key column must be this unique
PARENT_UNIQUE = 0.8
#: a stable person key gives one value to at least this share of the per-order ids
PERSON_KEY_FD = 0.99
#: "almost never repeat": fewer than this share of customers have more than one order
RARE_REPEAT = 0.01
_IDQ = {"id", "number", "code"}
_NOT_KEYS = ("timestamp", "unit_price", "amount", "quantity", "freight", "payment_value", "status", "country",
             "product_name", "category")


@dataclass
class Relation:
    """``child.child_key -> parent.parent_key`` (file names and columns), with the share of the
    child's key values found in the parent, the reason, and counts on the whole tables.

    ``counts`` always has ``child_rows``, ``child_rows_matched``, ``child_rows_unmatched`` (blank
    keys included), ``child_rows_blank``, ``parent_rows``, ``parent_keys``, ``parent_keys_matched``,
    ``parent_keys_unmatched`` and ``parent_duplicate_rows``, plus the names of the link:
    ``orders_with_items``, ``orders_without_items``, ``items_without_order`` (items -> orders);
    ``orders_with_payment``, ``orders_without_payment``, ``payments_without_order``;
    ``orders_with_customer``, ``orders_unknown_customer``, ``customers_without_orders``;
    ``items_with_product``, ``items_unknown_product``, ``products_not_sold``.
    """

    link: str
    child: str
    child_key: str
    parent: str
    parent_key: str
    share: float
    reason: Note
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> dict:
        """Plain values for a UI or the CLI."""
        return {"link": self.link, "child": self.child, "child_key": self.child_key, "parent": self.parent,
                "parent_key": self.parent_key, "share": round(self.share, 4), "reason": self.reason.as_dict(),
                "counts": dict(self.counts)}


class KeyCache:
    """Key values of (file, column), normalised once (:func:`key_values`), as object Series."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], pd.Series] = {}

    def get(self, table: TableFile, column: str) -> pd.Series:
        k = (table.name, column)
        if k not in self._values:
            # plain Python strings (None for missing): hashing them is many times faster than
            # pyarrow-backed strings in isin / get_indexer
            values = key_values(table.frame[column]).reset_index(drop=True)
            self._values[k] = pd.Series(values.to_numpy(dtype=object, na_value=None), dtype=object)
        return self._values[k]


def overlap_share(child: pd.Series, parent: pd.Series) -> float:
    """Share of ``child``'s distinct values found in ``parent`` (0-1); at most
    :data:`OVERLAP_SAMPLE` child values are looked at, drawn with seed 0."""
    values = child.dropna().drop_duplicates()
    if values.empty:
        return 0.0
    if len(values) > OVERLAP_SAMPLE:
        values = values.sample(OVERLAP_SAMPLE, random_state=0)
    return float(values.isin(pd.Index(parent.dropna().unique(), dtype=object)).mean())


def _name_score(child: TableFile, ccol: str, parent: TableFile, pcol: str, cfield: str, pfield: str) -> float:
    if normalise_header(ccol) == normalise_header(pcol):
        return 1.0
    if child.fields.get(cfield) == ccol and parent.fields.get(pfield) == pcol:
        return 0.8
    shared = (set(vocabulary.concepts(ccol)) & set(vocabulary.concepts(pcol))) - _IDQ
    return 0.5 if shared else 0.0


def key_columns(table: TableFile, key_field: str) -> list[str]:
    """The recognised key first, then other columns that may hold ids (not dates, money, names)."""
    taken = {table.recognised.get(f) for f in _NOT_KEYS}
    first = [table.fields[key_field]] if key_field in table.fields else []
    rest = [str(c) for c in table.frame.columns if str(c) not in first and str(c) not in taken
            and (set(vocabulary.concepts(str(c))) & _IDQ or not vocabulary.concepts(str(c)))]
    return first + rest[:12]


def propose_relation(child: TableFile, cfield: str, parent: TableFile, pfield: str, cache: KeyCache) -> Relation:
    """The best key pair between two tables for one link, or a relation with empty keys and a
    ``relation_missing`` reason when none qualifies."""
    link = f"{child.role}->{parent.role}"
    best = None
    parent_cols = [p for p in key_columns(parent, pfield)
                   if (v := cache.get(parent, p).dropna()).size and v.nunique() / v.size >= PARENT_UNIQUE]
    for ccol in key_columns(child, cfield):
        cvals = cache.get(child, ccol)
        for pcol in parent_cols:
            names = _name_score(child, ccol, parent, pcol, cfield, pfield)
            share = overlap_share(cvals, cache.get(parent, pcol))
            ok = share >= MIN_OVERLAP or (names >= 0.8 and share > 0)
            if ok and (best is None or 0.6 * share + 0.4 * names > best[0]):
                best = (0.6 * share + 0.4 * names, ccol, pcol, share, names)
    if best is None:
        return Relation(link, child.name, "", parent.name, "", 0.0,
                        Note("relation_missing", {"child": child.name, "parent": parent.name}, "warning"))
    _, ccol, pcol, share, names = best
    code = "relation_names_values" if names >= 0.5 else "relation_values"
    rel = Relation(link, child.name, ccol, parent.name, pcol, share,
                   Note(code, {"child": child.name, "child_key": ccol, "parent": parent.name, "parent_key": pcol,
                               "share": share}))
    rel.counts = relation_counts(rel, child, parent, cache)
    return rel


def chosen_relation(link: str, child: TableFile, ccol: str, parent: TableFile, pcol: str,
                    cache: KeyCache) -> Relation:
    """A relation set by the analyst (its overlap and counts measured all the same)."""
    for col, table in ((ccol, child), (pcol, parent)):
        if col not in map(str, table.frame.columns):
            raise InputError("'{file}' has no column '{column}'. Choose one of its columns as the key.",
                             file=table.name, column=col)
    share = overlap_share(cache.get(child, ccol), cache.get(parent, pcol))
    rel = Relation(link, child.name, ccol, parent.name, pcol, share,
                   Note("relation_chosen", {"child": child.name, "child_key": ccol, "parent": parent.name,
                                            "parent_key": pcol, "share": share}))
    rel.counts = relation_counts(rel, child, parent, cache)
    return rel


def relation_counts(rel: Relation, child: TableFile, parent: TableFile, cache: KeyCache) -> dict[str, int]:
    """Counts of a relation on the whole tables (see :class:`Relation`)."""
    ck, pk = cache.get(child, rel.child_key), cache.get(parent, rel.parent_key)
    pkeys = pd.Index(pk.dropna().unique(), dtype=object)
    matched = ck.isin(pkeys)
    used = pkeys.isin(ck.dropna().unique())
    c = {"child_rows": int(len(ck)), "child_rows_matched": int(matched.sum()),
         "child_rows_unmatched": int((~matched).sum()), "child_rows_blank": int(ck.isna().sum()),
         "parent_rows": int(len(pk)), "parent_keys": int(len(pkeys)), "parent_keys_matched": int(used.sum()),
         "parent_keys_unmatched": int((~used).sum()), "parent_duplicate_rows": int(pk.dropna().duplicated().sum())}
    if rel.link == "items->orders":
        c |= {"orders_with_items": c["parent_keys_matched"], "orders_without_items": c["parent_keys_unmatched"],
              "items_without_order": c["child_rows_unmatched"]}
    elif rel.link == "payments->orders":
        c |= {"orders_with_payment": c["parent_keys_matched"], "orders_without_payment": c["parent_keys_unmatched"],
              "payments_without_order": c["child_rows_unmatched"]}
    elif rel.link == "orders->customers":
        c |= {"orders_with_customer": c["child_rows_matched"],
              "orders_unknown_customer": c["child_rows_unmatched"] - c["child_rows_blank"],
              "orders_without_customer_id": c["child_rows_blank"],
              "customers_without_orders": c["parent_keys_unmatched"]}
    elif rel.link == "items->products":
        c |= {"items_with_product": c["child_rows_matched"],
              "items_unknown_product": c["child_rows_unmatched"] - c["child_rows_blank"],
              "products_not_sold": c["parent_keys_unmatched"]}
    return c


@dataclass
class PersonKey:
    """Who a customer is: the ``per_order`` id column of ``file`` and, when found (or chosen), the
    ``stable`` column of the same file that names the person behind it (None: the id itself).

    ``ids``/``people``: distinct per-order ids and distinct people; ``repeat_share``: share of
    people with more than one order in the order header (0-1); ``candidates``: the columns that
    could have been the stable key (for a UI's choice list).
    """

    file: str
    per_order: str
    stable: str | None
    ids: int = 0
    people: int = 0
    repeat_share: float = 0.0
    candidates: list[str] = field(default_factory=list)
    chosen: bool = False

    def describe(self) -> dict:
        """Plain values for a UI or the CLI."""
        return {"file": self.file, "per_order": self.per_order, "stable": self.stable, "ids": self.ids,
                "people": self.people, "repeat_share": round(self.repeat_share, 4),
                "candidates": list(self.candidates), "chosen": self.chosen}


def stable_columns(table: TableFile, id_column: str, cache: KeyCache) -> list[str]:
    """Columns of ``table`` that name the person behind ``id_column``: fewer distinct values than
    the id, one value for at least :data:`PERSON_KEY_FD` of the ids, filled on 90 % of the rows."""
    ids = cache.get(table, id_column)
    n_ids = ids.nunique()
    out = []
    exclude = {table.fields.get("country"), table.recognised.get("country"), table.recognised.get("status")}
    for col in person_key_candidates(table.frame, id_column, {c for c in exclude if c}):
        person = cache.get(table, col)
        if person.notna().mean() < 0.9 or _is_flag(person):
            continue
        pair = pd.DataFrame({"k": ids, "p": person}).dropna()
        if pair.empty or pair["p"].nunique() >= n_ids:
            continue
        single = (pair.groupby("k", sort=False)["p"].nunique() <= 1).mean()
        if single >= PERSON_KEY_FD:
            out.append(col)
    return out


#: the values of a yes/no column (an ERP's ``customer`` flag is not who the customer is)
_FLAG_VALUES = {"0", "1", "true", "false", "yes", "no", "y", "n", "t", "f"}


def _is_flag(values: pd.Series) -> bool:
    """Whether ``values`` are a yes/no flag (at most two distinct values, each one of :data:`_FLAG_VALUES`)."""
    distinct = {str(v).strip().lower() for v in values.dropna().unique()}
    return len(distinct) <= 2 and distinct <= _FLAG_VALUES


def repeat_share(orders: pd.Series, people: pd.Series) -> tuple[int, float]:
    """(people, share of people with more than one distinct order) from aligned order ids and
    person keys; rows without either are left out."""
    pair = pd.DataFrame({"o": orders.to_numpy(), "p": people.to_numpy()}).dropna()
    if pair.empty:
        return 0, 0.0
    per = pair.drop_duplicates().groupby("p", sort=False)["o"].size()
    return int(len(per)), float(np.mean(per.to_numpy() > 1))
