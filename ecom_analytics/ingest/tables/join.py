"""Join the tables of a (corrected) proposal into the canonical orders table, and clean it.

**Rows in.** The joined table has one row per line item (its order's customer, date, status and
country; its product's name and category) plus one row per order-header line that no line item
uses: an order without items, or a repeated header line of an order id already given. Lines of the
line-item and order-header files that could not be split are rows in too. So::

    rows in = line items + unsplittable item and header lines
              + header lines without items (orders without items + repeated header lines)
            = rows kept + rows set aside

Customers, products and payments are attributes looked up by key; their unmatched lines are
counted in the relations (customers without orders, products never sold, payments without an
order), not rows of the orders table.

**Rules.** A row that fails a link is set aside by the first of :data:`JOIN_RULES` it matches;
every other row goes through :func:`ecom_analytics.ingest.cleaning.clean` (malformed line, unreadable
date or number, duplicate, missing customer, cancellation, non-positive price, outlier), and the
two reports merge into one of the same shape, the join rules listed first.

**Money.** ``amount`` is the item's line total (``quantity x unit_price``, or the line-total
column when the export gives one) with ``revenue="items"``; plus the line's freight with
``revenue="items_and_freight"``. The payment table is compared per order with the items' total
(:func:`reconcile_payments`). Amounts are in the export's currency.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.ingest import schema
from ecom_analytics.ingest.cleaning import CleaningResult, clean
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import Canonical, ColumnChoice, Mapping
from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps
from ecom_analytics.ingest.privacy import pseudonymise
from ecom_analytics import runs
from ecom_analytics.ingest.tables.notes import Note
from ecom_analytics.ingest.tables.roles import TableFile, key_values

REVENUES = ("items", "items_and_freight")
#: (rule, description) of the links, in the order that decides a row's single reason
JOIN_RULES: list[tuple[str, str]] = [
    ("duplicate_order", "an order header line repeating an order id given by an earlier line"),
    ("order_without_items", "an order header line that no line item refers to"),
    ("item_without_order", "a line item whose order id is not in the order header"),
    ("unknown_customer", "the order's customer id is not in the customer table, so the person is unknown"),
]
#: payment totals match the items when they differ by at most a cent or this share of the payment
PAYMENT_TOLERANCE = 0.005
_EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


@dataclass
class Joined:
    """The joined canonical table before cleaning.

    ``table``: canonical orders columns + ``source_line``, ``source_file`` and ``join_reason`` (NA
    for rows every link matched); ``canonical``: the rows that passed the links, as the cleaning
    takes them; ``duplicate_frame``: what an exact duplicate is judged on (the item's source line
    with its order's fields); ``payments``: the reconciliation (None without a payment table).
    """

    table: pd.DataFrame
    canonical: Canonical
    duplicate_frame: pd.DataFrame
    bad_lines: list[tuple[int, str]]
    bad_line_files: list[str]
    notes: list[Note]
    mapping: Mapping
    payments: dict | None
    rows_in: dict[str, int]
    revenue: str


def _text(values: pd.Series) -> pd.Series:
    out = values.astype("string").str.strip()
    return out.mask(out == "")


def _take(values: pd.Series, pos: np.ndarray) -> pd.Series:
    """``values`` at positions ``pos`` (missing where ``pos`` is -1), on a fresh range index."""
    values = values.reset_index(drop=True)
    if len(values) == 0:
        return pd.Series(pd.NA, index=range(len(pos)), dtype=values.dtype)
    out = values.iloc[np.where(pos >= 0, pos, 0)].reset_index(drop=True)
    return out.mask(pd.Series(pos < 0))


def _lines(table: TableFile) -> np.ndarray:
    lines = table.frame.attrs.get("line_numbers")
    n = len(table.frame)
    return np.asarray(lines, dtype="int64") if lines is not None and len(lines) == n else np.arange(1, n + 1)


def _first_positions(keys: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """(distinct non-missing keys, row position of each one's first line)."""
    first = keys.notna() & ~keys.duplicated()
    rows = np.flatnonzero(first.to_numpy())
    return pd.Index(keys[first].to_numpy(dtype=object), dtype=object), rows


def lookup_positions(parent_keys: pd.Series, child_keys: pd.Series) -> np.ndarray:
    """Per child key, the row of the parent table whose key it is (the first line of a repeated key), -1 when
    the parent has no such key: how line items find their order, an order its customer, a line its product."""
    index, rows = _first_positions(parent_keys)
    pos = index.get_indexer(child_keys.fillna("\x00<missing>"))
    return np.where(pos >= 0, rows[np.maximum(pos, 0)], -1) if len(rows) else np.full(len(child_keys), -1)


#: a catalogue's category column holds the ids of a category table when a unique column of the same name of an
#: unrecognised file holds this share of its distinct values
CATEGORY_OVERLAP = 0.9


def category_table(proposal, products: TableFile) -> tuple[TableFile, str, str, str] | None:
    """The category table of a product catalogue: ``(table, catalogue column, table key, name column)`` when an
    unrecognised file has a unique column named as one of the catalogue's columns (its category first), holding
    at least :data:`CATEGORY_OVERLAP` of its distinct values, and a column of words (the category's name, a
    'category' header first); None otherwise. A sub-category table keyed by the catalogue's ``ID_Sous_Categorie``
    gives each product its sub-category's name."""
    from ecom_analytics.ingest import vocabulary
    from ecom_analytics.ingest.mapping import normalise_header
    from ecom_analytics.ingest.tables.keys import overlap_share
    from ecom_analytics.ingest.tables.roles import UNIQUE_SHARE, _numeric_share

    cache = proposal.cache
    first = products.fields.get("category")
    skip = {products.fields.get("product_id"), products.fields.get("product_name")}
    columns = ([first] if first else []) + [str(c) for c in products.frame.columns if str(c) not in skip | {first}]
    for pcol in columns:
        pvals = cache.get(products, pcol).dropna()
        if pvals.empty:
            continue
        for table in proposal.files:
            if table.role != "unknown":
                continue
            for ucol in map(str, table.frame.columns):
                if normalise_header(ucol) != normalise_header(pcol):
                    continue
                keys = cache.get(table, ucol).dropna()
                if keys.empty or keys.nunique() / len(keys) < UNIQUE_SHARE \
                        or overlap_share(pvals, keys) < CATEGORY_OVERLAP:
                    continue
                words = [str(c) for c in table.frame.columns if str(c) != ucol
                         and not set(vocabulary.concepts(str(c))) & {"id", "number", "code"}
                         and _numeric_share(table.frame[c]) < 0.5 and table.frame[c].notna().any()]
                if not words:
                    continue
                words.sort(key=lambda c: ("category" not in vocabulary.concepts(c), "name" not in
                                          vocabulary.concepts(c)))
                return table, pcol, ucol, words[0]
    return None


def product_lookup(proposal, products: TableFile, ppos: np.ndarray) -> dict:
    """A product's name and category for each line (``ppos``: its row of the catalogue ``products``, -1 when not
    there, from :func:`lookup_positions`): ``{"product_name": (values, source), "category": (values, source),
    "notes": [...]}``, a field absent when the catalogue has no column for it. A category given as the id of a
    category table (:func:`category_table`) is that table's name for it."""
    out: dict = {"notes": []}
    if "product_name" in products.fields:
        col = products.fields["product_name"]
        out["product_name"] = (_take(_text(products.frame[col]), ppos), f"{products.name}:{col}")
    found = category_table(proposal, products)
    if found is not None:
        table, pcol, ucol, name_col = found
        cpos = lookup_positions(proposal.cache.get(table, ucol), _take(proposal.cache.get(products, pcol), ppos))
        out["category"] = (_take(_text(table.frame[name_col]), cpos), f"{table.name}:{name_col}")
        out["notes"].append(Note("category_by_table", {"file": products.name, "column": pcol, "table": table.name,
                                                       "name": name_col}))
    elif "category" in products.fields:
        col = products.fields["category"]
        out["category"] = (_take(_text(products.frame[col]), ppos), f"{products.name}:{col}")
    return out


def customer_lookup(customers: TableFile, cpos: np.ndarray) -> dict:
    """A customer's country (or region, or city) for each line (``cpos``: its row of the customer table, -1 when
    not there): ``{"country": (values, source)}``, empty when the table has no such column."""
    if "country" not in customers.fields:
        return {}
    col = customers.fields["country"]
    return {"country": (_take(_text(customers.frame[col]), cpos), f"{customers.name}:{col}")}


def reconcile_payments(order_keys: pd.Series, item_amounts: pd.Series, freight: pd.Series | None,
                       pay_keys: pd.Series, paid: pd.Series, header_keys: pd.Index) -> dict:
    """Per order, the items' total (and with freight) against the sum of its payments.

    Returns ``orders_compared`` (orders with items and a payment), ``orders_matching`` and
    ``share_matching`` on the headline basis (items and freight when a freight column exists, else
    items only), the same on the other basis, ``orders_without_payment`` (header orders no payment
    names), ``payment_lines_without_order``, and the totals compared (export currency). A total
    matches when it differs from the payments by at most 0.01 or :data:`PAYMENT_TOLERANCE` of them.
    """
    items = pd.DataFrame({"k": order_keys.to_numpy(), "a": item_amounts.fillna(0.0).to_numpy(),
                          "f": (freight.fillna(0.0) if freight is not None else pd.Series(0.0, index=order_keys.index))
                          .to_numpy()}).dropna(subset=["k"]).groupby("k", sort=False)[["a", "f"]].sum()
    pays = pd.DataFrame({"k": pay_keys.to_numpy(), "v": paid.fillna(0.0).to_numpy()}).dropna(subset=["k"])
    paid_per = pays.groupby("k", sort=False)["v"].sum()
    both = items.join(paid_per, how="inner")
    tol = np.maximum(0.01 + 1e-9, PAYMENT_TOLERANCE * both["v"].abs())
    with_freight = (both["a"] + both["f"] - both["v"]).abs() <= tol
    only_items = (both["a"] - both["v"]).abs() <= tol
    headline = "items_and_freight" if freight is not None else "items"
    main, other = (with_freight, only_items) if headline == "items_and_freight" else (only_items, with_freight)
    n = int(len(both))
    return {"basis": headline, "orders_compared": n, "orders_matching": int(main.sum()),
            "share_matching": float(main.mean()) if n else 0.0,
            "other_basis": "items" if headline == "items_and_freight" else "items_and_freight",
            "orders_matching_other": int(other.sum()), "share_matching_other": float(other.mean()) if n else 0.0,
            "orders_without_payment": int((~header_keys.isin(paid_per.index)).sum()),
            "payment_lines_without_order": int((~pays["k"].isin(header_keys)).sum()),
            "items_total": float(both["a"].sum()), "freight_total": float(both["f"].sum()),
            "paid_total": float(both["v"].sum())}


def join_problem(proposal) -> tuple[str, dict] | None:
    """Why the tables of ``proposal`` cannot be joined, as ``(problem, params)``, or None when they can.

    ``problem`` is one of "no_items" (no line-item table), "no_header" (no order header), "no_link" (no key
    links the line items to the header), "header_incomplete" (the header has no customer or no date column:
    ``fields``) and "items_no_price" (the line items have neither a price nor an amount); ``params`` name the
    files (``files``, ``items``, ``orders``). :func:`join_refusal` words it as the error an analyst reads.
    """
    names = ", ".join(f"'{f.name}'" for f in proposal.files)
    items, header = proposal.table("items"), proposal.table("orders")
    if items is None:
        return "no_items", {"files": names}
    if header is None:
        return "no_header", {"files": names, "items": items.name}
    rel_io = proposal.relation("items->orders")
    if rel_io is None or not rel_io.child_key:
        return "no_link", {"items": items.name, "orders": header.name}
    if "customer_id" not in header.fields or "timestamp" not in header.fields:
        missing = [f for f in ("customer_id", "timestamp") if f not in header.fields]
        return "header_incomplete", {"orders": header.name, "fields": ", ".join(missing)}
    if "unit_price" not in items.fields and "amount" not in items.fields:
        return "items_no_price", {"items": items.name}
    return None


def join_refusal(problem: str, params: dict) -> InputError:
    """The error that refuses a join for a :func:`join_problem`."""
    if problem == "no_items":
        return InputError("No line-item table was recognised among the files ({files}). Choose which file holds the "
                          "order lines (order id, product, price).", files=params["files"])
    if problem == "no_header":
        return InputError("No order header was recognised among the files ({files}). The line items need one for "
                          "the customer and the date: choose which file is the order header.", files=params["files"])
    if problem == "no_link":
        return InputError("The line items '{items}' are not linked to the order header '{orders}'. Choose the key "
                          "columns that link them.", items=params["items"], orders=params["orders"])
    if problem == "header_incomplete":
        return InputError("The order header '{file}' has no column for {fields}. Choose the column that holds it.",
                          file=params["orders"], fields=params["fields"])
    return InputError("The line items '{file}' have no price or amount column. Choose the column that holds it.",
                      file=params["items"])


def join_tables(proposal, *, revenue: str = "items", salt: str = "") -> Joined:
    """Join the tables of ``proposal`` (a :class:`ecom_analytics.ingest.tables.TablesProposal`) into one
    canonical orders table (see the module docstring for rows in, the rules and money).

    ``revenue``: "items" (item prices) or "items_and_freight"; ``salt``: the workspace salt used to
    hash person keys that are e-mail addresses or phone numbers.
    """
    if revenue not in REVENUES:
        raise InputError("Unknown revenue choice '{choice}'; use 'items' or 'items_and_freight'.", choice=revenue)
    problem = join_problem(proposal)
    if problem is not None:
        raise join_refusal(*problem)
    items, header = proposal.table("items"), proposal.table("orders")
    rel_io = proposal.relation("items->orders")
    cache = proposal.cache
    notes: list[Note] = []
    customers, products, payments = proposal.table("customers"), proposal.table("products"), proposal.table("payments")
    I = items.frame.reset_index(drop=True)
    H = header.frame.reset_index(drop=True)
    n_items = len(I)

    # --- line items: keys, quantities and money
    okey = cache.get(items, rel_io.child_key)
    masks = {"unreadable_date": np.zeros(n_items, bool), "unreadable_number": np.zeros(n_items, bool)}
    detail = pd.Series(pd.NA, index=range(n_items), dtype="string")
    problems = pd.Series(pd.NA, index=range(n_items), dtype="string")

    def number(col: str) -> pd.Series:
        parsed = parse_numbers(I[col])
        failed = parsed.failed.to_numpy(dtype=bool)
        masks["unreadable_number"] |= failed
        new = pd.Series(failed) & problems.isna()
        problems[new] = "unreadable_number"
        detail[new] = f"{col}: '" + I.loc[new.to_numpy(), col].astype("string").fillna("") + "'"
        return parsed.values.reset_index(drop=True).astype("float64")

    # dates first: a row's first problem is its date, as in the single-file mapping
    hkey = cache.get(header, rel_io.parent_key)
    h_index, _ = _first_positions(hkey)
    pos = lookup_positions(hkey, okey)
    ts = parse_timestamps(H[header.fields["timestamp"]])
    h_time = ts.values.reset_index(drop=True)
    h_time_failed = ts.failed.reset_index(drop=True).to_numpy(dtype=bool)
    item_time_failed = np.where(pos >= 0, h_time_failed[np.maximum(pos, 0)] if len(H) else False, False)
    masks["unreadable_date"] |= item_time_failed
    problems[item_time_failed] = "unreadable_date"
    raw_time = _take(H[header.fields["timestamp"]].astype("string"), pos)
    detail[item_time_failed] = f"{header.fields['timestamp']}: '" + raw_time[item_time_failed].fillna("") + "'"

    qty = number(items.fields["quantity"]) if "quantity" in items.fields else pd.Series(1.0, index=range(n_items))
    if "quantity" not in items.fields:
        notes.append(Note("quantity_one", {"file": items.name}))
    price = number(items.fields["unit_price"]) if "unit_price" in items.fields else None
    line_total = number(items.fields["amount"]) if "amount" in items.fields else None
    freight = number(items.fields["freight"]) if "freight" in items.fields else None
    if price is None:
        price = line_total / qty.where(qty != 0)
    item_amount = line_total if line_total is not None else qty * price
    amount = item_amount + freight.fillna(0.0) if (revenue == "items_and_freight" and freight is not None) else item_amount
    if freight is not None:
        notes.append(Note(f"revenue_{revenue}", {"freight": items.fields["freight"]}))
    elif revenue == "items_and_freight":
        notes.append(Note("revenue_no_freight", {}, "warning"))

    # --- the order header: customer (or the person behind it), status, country
    rel_oc = proposal.relation("orders->customers")
    h_customer_col = rel_oc.child_key if rel_oc is not None and rel_oc.child_key else header.fields["customer_id"]
    h_customer = cache.get(header, h_customer_col)
    h_country = _text(H[header.fields["country"]]) if "country" in header.fields else pd.Series(
        pd.NA, index=range(len(H)), dtype="string")
    h_status = _text(H[header.fields["status"]]) if "status" in header.fields else pd.Series(
        pd.NA, index=range(len(H)), dtype="string")
    person = h_customer
    h_unknown = np.zeros(len(H), bool)
    pk = proposal.person_key
    customer_source = f"{header.name}:{h_customer_col}"
    if customers is not None and rel_oc is not None and rel_oc.child_key:
        cpos = lookup_positions(cache.get(customers, rel_oc.parent_key), h_customer)
        if pk is not None and pk.stable and pk.file == customers.name:
            person = _take(cache.get(customers, pk.stable), cpos)
            h_unknown = (h_customer.notna() & pd.Series(cpos < 0)).to_numpy()
            customer_source = f"{customers.name}:{pk.stable}"
        if "country" in customers.fields:
            h_country = h_country.fillna(customer_lookup(customers, cpos)["country"][0])
    elif pk is not None and pk.stable and pk.file == header.name:
        person = cache.get(header, pk.stable)
        customer_source = f"{header.name}:{pk.stable}"
    person = person.astype("string")
    looks_personal = person.dropna().head(1000).str.match(_EMAIL).mean() if person.notna().any() else 0.0
    if looks_personal and looks_personal > 0.5:
        person = pseudonymise(person, salt)
        notes.append(Note("person_key_personal", {"column": customer_source.split(":", 1)[1]}))

    # --- products: name and category by product id (the items' own columns first)
    product_key = items.fields.get("product_id")
    rel_ip = proposal.relation("items->products")
    if rel_ip is not None and rel_ip.child_key:
        product_key = rel_ip.child_key
    product = cache.get(items, product_key) if product_key else pd.Series(pd.NA, index=range(n_items), dtype="string")
    name = _text(I[items.fields["product_name"]]) if "product_name" in items.fields else None
    category = _text(I[items.fields["category"]]) if "category" in items.fields else None
    name_source = f"{items.name}:{items.fields['product_name']}" if name is not None else None
    category_source = f"{items.name}:{items.fields['category']}" if category is not None else None
    if products is not None and rel_ip is not None and rel_ip.child_key:
        looked = product_lookup(proposal, products, lookup_positions(cache.get(products, rel_ip.parent_key), product))
        if name is None and "product_name" in looked:
            name, name_source = looked["product_name"]
        if category is None and "category" in looked:
            category, category_source = looked["category"]
        notes.extend(looked["notes"])
    blank = pd.Series(pd.NA, index=range(n_items), dtype="string")

    # --- the rows of line items
    rows = pd.DataFrame({
        "customer_id": _take(person, pos), "order_id": okey, "timestamp": _take(h_time, pos),
        "product_id": product, "product_name": name if name is not None else blank,
        "category": category if category is not None else blank, "quantity": qty, "unit_price": price,
        "amount": amount, "country": _take(h_country, pos), "status": _take(h_status, pos)})
    rows["source_line"] = _lines(items)
    rows["source_file"] = items.name
    no_order = pos < 0
    unknown = np.where(pos >= 0, h_unknown[np.maximum(pos, 0)] if len(H) else False, False)
    rows["join_reason"] = pd.Series(np.where(no_order, "item_without_order",
                                             np.where(unknown, "unknown_customer", None)), dtype="string")
    rows["join_reasons"] = pd.Series(np.where(no_order, "item_without_order",
                                              np.where(unknown, "unknown_customer", None)), dtype="string")

    # --- header lines no item uses
    used = hkey.isin(pd.Index(okey.dropna().unique(), dtype=object)).to_numpy()
    dup = (hkey.notna() & hkey.duplicated()).to_numpy()
    lonely = ~dup & ~used
    extra = np.flatnonzero(dup | lonely)
    hrows = pd.DataFrame({
        "customer_id": person.iloc[extra].reset_index(drop=True), "order_id": hkey.iloc[extra].reset_index(drop=True),
        "timestamp": h_time.iloc[extra].reset_index(drop=True),
        "product_id": pd.Series(pd.NA, index=range(len(extra)), dtype="string"),
        "product_name": pd.Series(pd.NA, index=range(len(extra)), dtype="string"),
        "category": pd.Series(pd.NA, index=range(len(extra)), dtype="string"),
        "quantity": np.nan, "unit_price": np.nan, "amount": np.nan,
        "country": h_country.iloc[extra].reset_index(drop=True), "status": h_status.iloc[extra].reset_index(drop=True)})
    hrows["source_line"] = _lines(header)[extra]
    hrows["source_file"] = header.name
    hreason = np.where(dup[extra], "duplicate_order", "order_without_items")
    hrows["join_reason"] = pd.Series(hreason, dtype="string")
    hrows["join_reasons"] = pd.Series(np.where(dup[extra] & h_unknown[extra], hreason + "; unknown_customer",
                                               np.where(h_unknown[extra], hreason + "; unknown_customer", hreason)),
                                      dtype="string")
    table = pd.concat([rows, hrows], ignore_index=True)
    table = schema.conform(table, "orders")

    # --- what the cleaning sees: the rows every link matched
    ok = rows["join_reason"].isna().to_numpy()
    kept = schema.conform(rows.loc[ok, schema.ORDERS_COLUMNS + ["source_line"]].reset_index(drop=True), "orders")
    order_fields = pd.DataFrame({"__customer": rows["customer_id"], "__time": rows["timestamp"],
                                 "__country": rows["country"], "__status": rows["status"]})
    duplicate_frame = pd.concat([I.reset_index(drop=True), order_fields], axis=1).loc[ok].reset_index(drop=True)
    duplicate_frame.attrs = {}
    canonical = Canonical(kept, problems[ok].reset_index(drop=True), detail[ok].reset_index(drop=True), [], {
        "timestamp": ts.detail}, problem_masks={r: pd.Series(m[ok]) for r, m in masks.items()})

    # --- notes on what the links leave unmatched
    n_no_order = int(no_order.sum())
    if n_no_order:
        notes.append(Note("items_without_order", {"rows": n_no_order, "share": n_no_order / max(1, n_items),
                                                  "file": header.name}, "warning"))
    if lonely.sum():
        notes.append(Note("orders_without_items", {"orders": int(lonely.sum()), "file": header.name}, "warning"))
    if dup.sum():
        notes.append(Note("duplicate_orders", {"rows": int(dup.sum()), "file": header.name}, "warning"))
    if h_unknown.sum():
        notes.append(Note("unknown_customer", {"orders": int(h_unknown.sum()), "file": customers.name}, "warning"))

    # --- payments against the items
    pay = None
    rel_po = proposal.relation("payments->orders")
    if payments is not None and rel_po is not None and rel_po.child_key and "payment_value" in payments.fields:
        paid = parse_numbers(payments.frame[payments.fields["payment_value"]]).values.reset_index(drop=True)
        with_order = pd.Series(pos >= 0)
        pay = reconcile_payments(okey[with_order], item_amount[with_order],
                                 freight[with_order] if freight is not None else None,
                                 cache.get(payments, rel_po.child_key), paid, h_index)
        pay["file"] = payments.name
        notes.append(Note("payments_reconcile", {"share": pay["share_matching"], "orders": pay["orders_compared"],
                                                 "basis": pay["basis"]},
                          "info" if pay["share_matching"] >= 0.9 else "warning"))
        notes.append(Note("payments_reconcile_other", {"basis": pay["other_basis"],
                                                       "share": pay["share_matching_other"]}))

    bad_lines = list(items.raw.bad_lines) + list(header.raw.bad_lines)
    bad_files = [items.name] * len(items.raw.bad_lines) + [header.name] * len(header.raw.bad_lines)
    for t in (customers, products, payments):
        if t is not None and t.raw.bad_lines:
            notes.append(Note("lines_unreadable", {"rows": len(t.raw.bad_lines), "file": t.name}, "warning"))
    rows_in = {"line_items": n_items, "item_lines_unreadable": len(items.raw.bad_lines),
               "header_lines_unreadable": len(header.raw.bad_lines), "orders_without_items": int(lonely.sum()),
               "duplicate_order_lines": int(dup.sum())}
    rows_in["total"] = sum(rows_in.values())

    def choice(canonical: str, source: str | None, reason: str) -> ColumnChoice:
        return ColumnChoice(canonical, source, 1.0 if source else 0.0, runs.Note(reason))

    f = items.fields
    sources = {
        "customer_id": customer_source, "order_id": f"{items.name}:{rel_io.child_key}",
        "timestamp": f"{header.name}:{header.fields['timestamp']}",
        "product_id": f"{items.name}:{product_key}" if product_key else None,
        "product_name": name_source, "category": category_source,
        "quantity": f"{items.name}:{f['quantity']}" if "quantity" in f else None,
        "unit_price": f"{items.name}:{f['unit_price']}" if "unit_price" in f else None,
        "amount": f"{items.name}:{f['amount']}" if "amount" in f else None,
        "country": f"{header.name}:{header.fields['country']}" if "country" in header.fields else (
            f"{customers.name}:{customers.fields['country']}" if customers is not None and "country" in customers.fields
            else None),
        "status": f"{header.name}:{header.fields['status']}" if "status" in header.fields else None,
    }
    mapping = Mapping("orders", {c: choice(c, s, "joined from the tables" if s else "no matching column")
                                 for c, s in sources.items()})
    return Joined(table, canonical, duplicate_frame, bad_lines, bad_files, notes, mapping, pay, rows_in, revenue)


def clean_joined(joined: Joined, *, outlier_policy: str = "flag") -> CleaningResult:
    """Clean the rows every link matched (:func:`ecom_analytics.ingest.cleaning.clean`) and add the rows
    the links set aside, so one report covers every row in. The report gains
    ``rows_in_definition`` (the parts of rows in, see the module docstring) and ``join_rules``
    (the join rules' names); its ``rules`` list the join rules first."""
    result = clean(joined.canonical, joined.duplicate_frame, joined.bad_lines, kind="orders",
                   outlier_policy=outlier_policy)
    q = result.quarantine
    q["source_file"] = pd.Series(joined.table["source_file"].iloc[0] if len(joined.table) else pd.NA,
                                 index=q.index, dtype="string")
    if joined.bad_lines:
        q.loc[q.index[-len(joined.bad_lines):], "source_file"] = joined.bad_line_files
    set_aside = joined.table[joined.table["join_reason"].notna()].copy()
    jq = set_aside[schema.ORDERS_COLUMNS + ["source_line", "source_file"]].copy()
    jq["reason"] = set_aside["join_reason"]
    jq["reasons"] = set_aside["join_reasons"]
    jq["detail"] = ("order id: '" + set_aside["order_id"].fillna("") + "'").astype("string")
    quarantine = pd.concat([jq, q], ignore_index=True)
    for col, dtype in schema.DTYPES["orders"].items():
        quarantine[col] = quarantine[col].astype(dtype)
    report = dict(result.report)
    rev = jq["amount"].fillna(0.0)
    join_rules = [{"rule": r, "description": d, "matched": int(set_aside["join_reasons"].str.contains(r).sum()),
                   "quarantined": int((jq["reason"] == r).sum()),
                   "revenue_quarantined": float(rev[jq["reason"] == r].sum())} for r, d in JOIN_RULES]
    report["rules"] = join_rules + list(report["rules"])
    report["rows_in"] = int(report["rows_in"] + len(jq))
    report["rows_quarantined"] = int(len(quarantine))
    report["revenue_in"] = float(report["revenue_in"] + rev.sum())
    report["revenue_quarantined"] = float(report["revenue_quarantined"] + rev.sum())
    report["reconciles"] = bool(
        report["rows_in"] == report["rows_clean"] + report["rows_quarantined"]
        and abs(report["revenue_in"] - report["revenue_clean"] - report["revenue_quarantined"])
        <= 1e-6 * max(1.0, abs(report["revenue_in"])))
    report["rows_in_definition"] = dict(joined.rows_in)
    report["join_rules"] = [r for r, _ in JOIN_RULES]
    return CleaningResult(result.clean, quarantine, report)


def dataset_id_for_tables(proposal, *, revenue: str, outlier_policy: str) -> str:
    """16 hex digits from every file's bytes (sha256), the roles and fields, the relations, the
    person key and the options: the same files and choices give the same id, whatever the upload
    order or the file names."""
    files = sorted(({"digest": f.digest, "role": f.role, "fields": dict(sorted(f.fields.items()))}
                    for f in proposal.files), key=lambda d: (d["digest"], d["role"]))
    digest = {f.name: f.digest for f in proposal.files}
    relations = sorted([r.link, digest[r.child], r.child_key, digest[r.parent], r.parent_key]
                       for r in proposal.relations)
    pk = proposal.person_key
    key = json.dumps({"version": 1, "files": files, "relations": relations,
                      "person_key": [digest.get(pk.file), pk.per_order, pk.stable] if pk else None,
                      "revenue": revenue, "outlier_policy": outlier_policy}, sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


__all__ = ["JOIN_RULES", "REVENUES", "Joined", "join_problem", "join_refusal", "join_tables", "clean_joined", "reconcile_payments",
           "dataset_id_for_tables", "key_values", "lookup_positions", "product_lookup", "customer_lookup",
           "category_table"]
