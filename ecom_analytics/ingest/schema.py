"""The canonical tables: declared columns and dtypes, checked where a stage hands over.

``orders``: one row per order line. ``events``: one row per behaviour event. Money columns
are in the export's currency; timestamps are naive (UTC when the source said so).
"""

from __future__ import annotations

import pandas as pd

ORDERS_COLUMNS = ["customer_id", "order_id", "timestamp", "product_id", "product_name", "category",
                  "quantity", "unit_price", "amount", "country", "status"]
EVENTS_COLUMNS = ["user_id", "timestamp", "event_type", "product_id", "category", "brand", "price", "session_id"]
#: a pre-aggregated sales table: one value per date (and series), optional holiday/promotion flag (0/1)
SALES_COLUMNS = ["series_id", "subseries_id", "timestamp", "value", "unit_price", "flag"]

EVENT_TYPES = ["view", "cart", "remove_from_cart", "wishlist", "purchase", "other"]

_FLOAT = "float64"
_TEXT = "string"
_TIME = "datetime64[ns]"

DTYPES: dict[str, dict[str, str]] = {
    "orders": {"customer_id": _TEXT, "order_id": _TEXT, "timestamp": _TIME, "product_id": _TEXT,
               "product_name": _TEXT, "category": _TEXT, "quantity": _FLOAT, "unit_price": _FLOAT,
               "amount": _FLOAT, "country": _TEXT, "status": _TEXT},
    "events": {"user_id": _TEXT, "timestamp": _TIME, "event_type": _TEXT, "product_id": _TEXT,
               "category": _TEXT, "brand": _TEXT, "price": _FLOAT, "session_id": _TEXT},
    "sales": {"series_id": _TEXT, "subseries_id": _TEXT, "timestamp": _TIME, "value": _FLOAT, "unit_price": _FLOAT,
              "flag": _FLOAT},
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "orders": {
        "customer_id": "who bought (required; e-mail keys are replaced by a salted hash)",
        "order_id": "invoice or order number; lines of one order share it",
        "timestamp": "when the order was placed (required)",
        "product_id": "SKU or stock code",
        "product_name": "product description",
        "category": "product category",
        "quantity": "units on the line; negative for returns",
        "unit_price": "price of one unit, in the export's currency",
        "amount": "line revenue = quantity x unit price, unless the export gives it (required, or quantity and unit price)",
        "country": "customer's or billing country",
        "status": "order or payment status (refunded/cancelled lines are set aside)",
    },
    "events": {
        "user_id": "who acted (required)",
        "timestamp": "when (required)",
        "event_type": "view, cart, remove_from_cart, wishlist, purchase or other",
        "product_id": "the product acted on",
        "category": "product category",
        "brand": "product brand",
        "price": "product price at the time",
        "session_id": "the visit the event belongs to",
    },
    "sales": {
        "series_id": "which series the row belongs to (store, department, product); optional",
        "subseries_id": "a second key within the series (a store's departments or items) when the series column "
                        "alone repeats a date; each pair is one series; optional",
        "timestamp": "the date of the period (required)",
        "value": "sales in the period: revenue or units (required)",
        "unit_price": "the price of one unit, when the value counts units: the value becomes units x price "
                      "(revenue); optional",
        "flag": "holiday or promotion in the period (1/0, true/false, yes/no); optional",
    },
}


def columns(kind: str) -> list[str]:
    """Canonical column names of ``kind`` ('orders', 'events' or 'sales')."""
    if kind == "sales":
        return SALES_COLUMNS
    return ORDERS_COLUMNS if kind == "orders" else EVENTS_COLUMNS


def conform(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Cast the canonical columns of ``frame`` to their declared dtypes (other columns untouched)."""
    out = frame.copy()
    for col, dtype in DTYPES[kind].items():
        if col in out.columns and str(out[col].dtype) != dtype:
            out[col] = out[col].astype(dtype)
    return out


def validate(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Raise ``TypeError`` unless ``frame`` has every canonical column of ``kind`` with its dtype."""
    problems = []
    for col, dtype in DTYPES[kind].items():
        if col not in frame.columns:
            problems.append(f"missing column {col}")
        elif str(frame[col].dtype) != dtype:
            problems.append(f"{col} is {frame[col].dtype}, expected {dtype}")
    if kind == "events" and "event_type" in frame.columns:
        bad = set(frame["event_type"].dropna().unique()) - set(EVENT_TYPES)
        if bad:
            problems.append(f"unknown event types {sorted(bad)[:5]}")
    if problems:
        raise TypeError(f"{kind} table breaks its contract: " + "; ".join(problems))
    return frame
