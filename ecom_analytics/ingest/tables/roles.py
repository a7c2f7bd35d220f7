"""What each uploaded file is: its role in a multi-table export and the columns that play a part.

A file is read with :func:`ecom_analytics.ingest.readers.read_table` and its columns are recognised
with :func:`ecom_analytics.ingest.mapping.propose_mapping` (headers in 14 languages, value profiles) plus
the few fields an orders table does not have: freight, the paid amount of a payment, the region
of a customer. From these *fields* and how their values repeat, each role gets a score:

* ``orders``: an order header, one line per order id, with a customer and/or a date, no prices;
* ``items``: line items, an order id on each line with a product and a price or amount;
* ``customers``: one line per customer id, no order id, no money;
* ``payments``: money paid per order id (a header saying payment, paid, Zahlung, 支付 ...), no product;
* ``products``: one line per product id, with a name or category, no order or customer;
* ``events``: a behaviour log (an event-type column);
* ``single``: a complete orders export (customer, date, money and product on every line) that
  the existing single-file ingest reads as it is;
* ``unknown``: none of these scored 0.5.

The best score wins, with a coded reason (:mod:`ecom_analytics.ingest.tables.notes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ecom_analytics.ingest import vocabulary
from ecom_analytics.ingest.mapping import detect_kind, normalise_header, propose_mapping
from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps
from ecom_analytics.ingest.readers import RawTable
from ecom_analytics.ingest.tables.notes import Note

ROLES = ("orders", "items", "customers", "payments", "products", "events", "single", "unknown")
#: the fields a role uses (a field -> source column map is kept per file; the first ones are required)
FIELDS: dict[str, tuple[str, ...]] = {
    "orders": ("order_id", "customer_id", "timestamp", "status", "country"),
    "items": ("order_id", "product_id", "product_name", "category", "quantity", "unit_price", "amount", "freight"),
    "customers": ("customer_id", "person_key", "country"),
    "payments": ("order_id", "payment_value"),
    "products": ("product_id", "product_name", "category"),
    "events": (), "single": (), "unknown": (),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "orders": ("order_id",), "items": ("order_id",), "customers": ("customer_id",),
    "payments": ("order_id", "payment_value"), "products": ("product_id",),
}
#: below this score no role is taken ("unknown")
MIN_ROLE_SCORE = 0.5
#: a key column is unique when at least this share of its filled values are distinct
UNIQUE_SHARE = 0.98
#: an order header may repeat a few of its lines (duplicate_order); below this share of distinct
#: order ids a file is not a header
MOSTLY_UNIQUE = 0.8
#: rows of a file looked at to decide its role (uniqueness is judged on the whole key column)
SAMPLE_ROWS = 5000
#: a date column reads at least this share of its filled values as dates (a catalogue's ``sale_delay``, a
#: number of days, is not the date of an order)
DATE_SHARE = 0.5

_REGION_WORDS = {"state", "region", "province", "estado", "uf", "provincia", "bundesland", "provinz", "regiao",
                 "oblast", "county", "省", "州", "地区", "省份", "地域", "지역", "wojewodztwo", "regione"}
_CITY_WORDS = {"city", "stadt", "ort", "ville", "ciudad", "cidade", "citta", "城市", "市", "都市", "도시"}
_WHO = {"customer", "buyer", "user", "account"}
_PERSON_KEY_EXCLUDE = {"address", "country", "status", "date", "time", "phone", "person", "price", "amount",
                       "quantity", "revenue", "order", "invoice", "product", "sku", "shipping"}


@dataclass
class TableFile:
    """One uploaded file, read, with its proposed (or chosen) role and fields.

    ``fields`` maps a role's field (``order_id``, ``unit_price``, ``person_key`` ...) to a source
    column; ``scores`` holds every role's score (0-1); ``reason`` says why the role was taken.
    ``digest`` is the sha256 of the bytes (part of the dataset id).
    """

    name: str
    digest: str
    size_bytes: int
    raw: RawTable
    role: str
    score: float
    scores: dict[str, float]
    reason: Note
    fields: dict[str, str] = field(default_factory=dict)
    #: every field recognised in the file, whatever its role (a role change picks from these)
    recognised: dict[str, str] = field(default_factory=dict)
    #: the kind the single-file mapper detects ('orders', 'events', 'sales')
    kind: str = "orders"

    @property
    def frame(self) -> pd.DataFrame:
        """The table as read (one column per source column)."""
        return self.raw.frame

    def describe(self) -> dict:
        """Plain values for a UI or the CLI: name, role, score, reason, fields, rows, columns."""
        return {"name": self.name, "role": self.role, "score": round(self.score, 3),
                "scores": {r: round(s, 3) for r, s in self.scores.items()}, "reason": self.reason.as_dict(),
                "fields": dict(self.fields), "rows": int(len(self.frame)),
                "columns": [str(c) for c in self.frame.columns], "digest": self.digest}

    def with_role(self, role: str, fields: dict[str, str | None] | None = None) -> "TableFile":
        """A copy read as ``role`` (by the analyst), its fields those recognised for that role,
        updated by ``fields`` (field -> column; None removes one)."""
        chosen = {f: c for f, c in self.recognised.items() if f in FIELDS.get(role, ())}
        for f, c in (fields or {}).items():
            if c is None:
                chosen.pop(f, None)
            else:
                chosen[f] = c
        return replace(self, role=role, fields=chosen, score=1.0,
                       reason=Note("role_chosen", {"file": self.name, "role": role}))


def key_values(values: pd.Series) -> pd.Series:
    """A key column as trimmed text, empty cells missing, no spreadsheet ``.0`` (17850.0 -> 17850):
    the same text the single-file mapping gives an id, so keys of different files compare."""
    if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")
    out = values.astype("string").str.strip()
    out = out.mask(out == "")
    return out.str.replace(r"\.0$", "", regex=True)


def _unique_share(values: pd.Series) -> float:
    keys = key_values(values).dropna()
    return float(keys.nunique() / len(keys)) if len(keys) else 0.0


def _reads_as_dates(values: pd.Series) -> bool:
    """Whether at least :data:`DATE_SHARE` of the filled values read as dates (True for an empty column)."""
    present = values.dropna()
    if present.empty:
        return True
    return float(1.0 - parse_timestamps(present).failed.mean()) >= DATE_SHARE


def _numeric_share(values: pd.Series) -> float:
    present = values.dropna()
    if present.empty:
        return 0.0
    parsed = parse_numbers(present)
    return float(parsed.values.notna().mean())


def recognise_fields(frame: pd.DataFrame, has_header: bool = True) -> tuple[dict[str, str], str]:
    """Every field the file holds: the orders mapping's columns plus ``freight``, ``payment_value``
    and a region for ``country``; and the kind the mapper detects ('orders', 'events', 'sales')."""
    sample = frame.head(SAMPLE_ROWS)
    sample.attrs = {}
    # the event-type test profiles every column: only when a header speaks of events, or none speaks
    speaks = [set(vocabulary.concepts(str(c))) for c in frame.columns]
    kind = detect_kind(sample) if any("event" in c for c in speaks) or not any(speaks) else "orders"
    found = {c: str(s) for c, s in propose_mapping(sample, "orders", has_header=has_header).as_dict().items()}
    if kind == "events":
        events = propose_mapping(sample, "events", has_header=has_header).as_dict()
        if "event_type" in events:
            found["event_type"] = str(events["event_type"])
    if "timestamp" in found and not _reads_as_dates(sample[found["timestamp"]]):
        del found["timestamp"]  # days of delivery delay, a flag: no order date
    used = set(found.values())
    concepts = {str(c): set(vocabulary.concepts(str(c))) for c in frame.columns}
    numeric = {}

    def is_number(col: str) -> bool:
        if col not in numeric:
            numeric[col] = _numeric_share(sample[col]) >= 0.95
        return numeric[col]

    paid = []
    for col in map(str, frame.columns):
        c = concepts[col]
        if "freight" not in found and "shipping" in c and not c & {"date", "time", "address", "status"} \
                and col != found.get("timestamp") and is_number(col):
            found["freight"] = col
        if "paid" in c and not c & {"date", "time", "method", "type", "id", "number", "quantity", "status",
                                    "parent", "line", "code"} and is_number(col):
            # the paid amount says amount/value, or carries decimals (not a count of instalments)
            decimals = sample[col].dropna().astype("string").str.contains(r"\d[.,]\d").mean() if len(sample) else 0
            paid.append((bool(c & {"amount", "revenue", "money"}), float(decimals or 0.0), col))
    if paid:
        best = max(paid)
        if best[0] or best[1] >= 0.2:
            found["payment_value"] = best[2]
    # a product name is words, not a number (Olist's product_weight_g is not one)
    if "product_name" in found and (is_number(found["product_name"])
                                    or concepts[found["product_name"]] & {"variant", "quantity"}):
        del found["product_name"]
    if "payment_value" in found and found["payment_value"] in (found.get("amount"), found.get("unit_price")):
        for f in ("amount", "unit_price"):
            if found.get(f) == found["payment_value"]:
                del found[f]
    # the freight is not the price of a line
    for f in ("amount", "unit_price"):
        if f in found and found[f] == found.get("freight"):
            del found[f]
    region = next((col for col in map(str, frame.columns) if set(vocabulary.tokens(col)) & _REGION_WORDS), None)
    if found.get("status") is not None and found["status"] == region:
        del found["status"]  # "customer_state" is where the customer lives, not an order status
    if "country" not in found:
        city = next((col for col in map(str, frame.columns) if col not in used
                     and set(vocabulary.tokens(col)) & _CITY_WORDS), None)
        if region or city:
            found["country"] = region or city
    return found, kind


def score_roles(frame: pd.DataFrame, found: dict[str, str], kind: str) -> dict[str, float]:
    """Each role's score (0-1) for a file with the recognised ``found`` fields."""
    has = {f: f in found for f in ("order_id", "customer_id", "timestamp", "product_id", "product_name", "category",
                                  "quantity", "unit_price", "amount", "freight", "payment_value", "status", "country",
                                  "event_type")}
    money = has["unit_price"] or has["amount"]
    product = has["product_id"] or has["product_name"]
    # lines that say what was bought by its category only (Order ID, Amount, Quantity, Category: the Kaggle
    # "E-commerce Sales Data" details) are line items too; a payment's method is no category of goods
    described = product or (has["category"] and not has["payment_value"])
    order_unique = has["order_id"] and _unique_share(frame[found["order_id"]]) >= UNIQUE_SHARE
    customer_unique = has["customer_id"] and _unique_share(frame[found["customer_id"]]) >= UNIQUE_SHARE
    product_unique = has["product_id"] and _unique_share(frame[found["product_id"]]) >= UNIQUE_SHARE
    line_level = has["quantity"] or has["unit_price"] or product
    scores = dict.fromkeys(ROLES, 0.0)
    if kind == "events" and has["event_type"]:
        scores["events"] = 0.9
    if has["customer_id"] and has["timestamp"] and money and product and kind != "events":
        scores["single"] = 0.85 + 0.1 * has["order_id"] * (not order_unique)
    # a header may repeat a few lines (set aside later as duplicate_order): mostly unique is enough
    order_mostly_unique = has["order_id"] and _unique_share(frame[found["order_id"]]) >= MOSTLY_UNIQUE
    if order_mostly_unique and (has["customer_id"] or has["timestamp"]) and not line_level:
        scores["orders"] = 0.4 + 0.1 * order_unique + 0.2 * has["customer_id"] + 0.2 * has["timestamp"] \
            + 0.1 * (has["status"] or has["country"])
    if has["order_id"] and described and (money or has["quantity"]) and not has["customer_id"]:
        scores["items"] = 0.6 + 0.2 * (not order_unique) + 0.1 * money + 0.1 * (has["quantity"] or has["freight"])
    if has["customer_id"] and customer_unique and not has["order_id"] and not money and not has["payment_value"]:
        scores["customers"] = 0.6 + 0.2 * (not has["timestamp"]) + 0.2 * (has["country"] or len(frame.columns) > 1)
    if has["order_id"] and (has["payment_value"] or money) and not product:
        scores["payments"] = 0.5 + 0.3 * has["payment_value"] + 0.1 * (not has["customer_id"]) \
            + 0.1 * (not order_unique)
    if has["product_id"] and product_unique and not has["order_id"] and not has["customer_id"]:
        scores["products"] = 0.6 + 0.2 * (has["product_name"] or has["category"]) + 0.1 * (not money) \
            + 0.1 * (not has["timestamp"])
    return {r: round(min(s, 1.0), 3) for r, s in scores.items()}


def role_reason(name: str, role: str, fields: dict[str, str]) -> Note:
    """The coded reason a role was proposed (the columns that made it)."""
    get = lambda f: fields.get(f, "-")  # noqa: E731
    params: dict = {"file": name}
    if role == "single":
        params |= {"customer_id": get("customer_id"), "timestamp": get("timestamp"),
                   "money": fields.get("amount", fields.get("unit_price", "-"))}
    elif role == "orders":
        params |= {"order_id": get("order_id"), "customer_id": get("customer_id"), "timestamp": get("timestamp")}
    elif role == "items" and "product_id" not in fields and "product_name" not in fields:
        return Note("role_items_category", params | {"order_id": get("order_id"), "category": get("category"),
                                                     "price": fields.get("unit_price", get("amount"))})
    elif role == "items":
        params |= {"order_id": get("order_id"), "product_id": fields.get("product_id", get("product_name")),
                   "price": fields.get("unit_price", get("amount"))}
    elif role == "customers":
        params |= {"customer_id": get("customer_id")}
    elif role == "payments":
        params |= {"order_id": get("order_id"), "value": get("payment_value")}
    elif role == "products":
        params |= {"product_id": get("product_id")}
    elif role == "events":
        params |= {"event_type": get("event_type")}
    return Note(f"role_{role}", params, "warning" if role in ("unknown", "events") else "info")


def fields_for(role: str, found: dict[str, str]) -> dict[str, str]:
    """The recognised fields a role uses (a payment table's money is its ``payment_value``)."""
    out = {f: c for f, c in found.items() if f in FIELDS.get(role, ())}
    if role == "payments" and "payment_value" not in out:
        money = found.get("amount", found.get("unit_price"))
        if money is not None:
            out["payment_value"] = money
    return out


def _prefer_unique_customer(frame: pd.DataFrame, found: dict[str, str]) -> None:
    """When the mapper took a repeating customer column (a person key) and another customer id
    column is unique, the unique one is the table's key ("Kunden-Nr." over "Stammkunden-Nr.")."""
    col = found.get("customer_id")
    if col is None or "order_id" in found or _unique_share(frame[col]) >= UNIQUE_SHARE:
        return
    for other in map(str, frame.columns):
        c = set(vocabulary.concepts(other))
        if other != col and c & _WHO and c & {"id", "number", "code"} and not c & _PERSON_KEY_EXCLUDE \
                and _unique_share(frame[other]) >= UNIQUE_SHARE:
            found["customer_id"] = other
            return


def recognise(raw: RawTable, name: str, digest: str, size_bytes: int) -> TableFile:
    """A file's role (best score), fields and reason."""
    found, kind = recognise_fields(raw.frame, raw.has_header)
    _prefer_unique_customer(raw.frame, found)
    return _with_fields(raw, name, digest, size_bytes, found, kind)


def with_found(table: TableFile, found: dict[str, str]) -> TableFile:
    """``table`` recognised again with the fields ``found`` (a key the other files show it holds)."""
    return _with_fields(table.raw, table.name, table.digest, table.size_bytes, dict(found), table.kind)


def _with_fields(raw: RawTable, name: str, digest: str, size_bytes: int, found: dict[str, str],
                 kind: str) -> TableFile:
    scores = score_roles(raw.frame, found, kind)
    role = max(ROLES, key=lambda r: (scores[r], -ROLES.index(r)))
    score = scores[role]
    if score < MIN_ROLE_SCORE:
        role = "unknown"
    if role == "payments":
        found = fields_for("payments", found) | found
    fields = fields_for(role, found)
    return TableFile(name, digest, size_bytes, raw, role, score, scores, role_reason(name, role, found), fields,
                     found, kind)


def person_key_candidates(frame: pd.DataFrame, id_column: str, exclude: set[str] | None = None) -> list[str]:
    """Columns of ``frame`` that could name the person behind ``id_column``: an id, number or code
    of a customer, buyer, user, account or member, or e-mail addresses; not an address, a country,
    a date or money."""
    out = []
    buyer = bool(set(vocabulary.concepts(str(id_column))) & {"customer", "buyer"})
    for col in map(str, frame.columns):
        if col == id_column or col in (exclude or set()):
            continue
        c = set(vocabulary.concepts(col))
        if c & _PERSON_KEY_EXCLUDE:
            continue
        if buyer and c & _WHO == {"user"}:
            continue  # the user beside a customer or partner entered the order (Odoo's user_id: the salesperson)
        emails = frame[col].dropna().astype("string").head(200).str.contains("@").mean() if len(frame) else 0.0
        if "email" in c or (c & _WHO and c & {"id", "number", "code", "email"}) or (c & _WHO and len(c) == 1) \
                or (emails is not pd.NA and emails >= 0.8) or normalise_header(col) in ("uniqueid", "personid"):
            out.append(col)
    return out
