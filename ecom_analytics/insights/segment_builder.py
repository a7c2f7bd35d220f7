"""Segments built from rules on customer features, RFM scores and predictions, saved by name.

A rule reads as an analyst writes it and travels in a link as text::

    orders >= 2 and recency_days < 90 and p_purchase > 0.6
    segment in [Champions, Loyal] and country = "United Kingdom"
    revenue_total >= 1,000 且 m = 5

Conditions are joined by ``and`` (or ``且``); each is ``column operator value`` with operators
``>= <= > < = != in``; numbers may carry thousands separators or a percent sign (60% = 0.6);
text values may be quoted; ``in`` takes a bracketed list. :func:`parse_rule` turns the text into
:class:`Condition` objects or raises an InputError that says what to fix; :func:`members` applies
them to the customer table (:func:`customer_table`). Saved segments are JSON files in the
workspace's ``segments/`` folder: the rule, the dataset it was built on and its size then.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.ingest.inputs import day_after_last

OPERATORS = (">=", "<=", "!=", ">", "<", "=", "in")
_SPLIT = re.compile(r"\s+(?:and|AND|And)\s+|\s*且\s*|\s*&&?\s*")
_CONDITION = re.compile(r"^\s*(?P<column>[\w\u4e00-\u9fff]+)\s*(?P<op>>=|<=|!=|==|=|>|<|\bin\b)"
                        r"\s*(?P<value>[^<>=!\s].*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Condition:
    """One condition: ``column`` compared with ``value`` (a number, a text, or a tuple of texts for ``in``)."""

    column: str
    op: str
    value: float | str | tuple[str, ...]

    def text(self) -> str:
        """The condition written back as a rule reads."""
        if self.op == "in":
            return f"{self.column} in [{', '.join(self.value)}]"
        value = f"{self.value:g}" if isinstance(self.value, float) else f'"{self.value}"'
        return f"{self.column} {self.op} {value}"


def _number(text: str) -> float | None:
    raw = text.strip().replace(",", "").replace("_", "")
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        return None
    return value / 100 if percent else value


def parse_rule(rule: str, columns: dict[str, str]) -> list[Condition]:
    """The conditions of ``rule`` on a table whose columns are ``columns`` (name -> "number" or
    "text"). An empty rule is no condition (every customer). Raises InputError naming the part
    that cannot be read."""
    conditions = []
    for part in [p for p in _SPLIT.split(rule.strip()) if p.strip()] if rule.strip() else []:
        m = _CONDITION.match(part)
        if not m:
            raise InputError("'{part}' is not a condition. Write a column, an operator (>=, <=, >, <, =, !=, in) "
                             "and a value, such as orders >= 2.", part=part)
        column, op, value = m.group("column"), m.group("op").lower(), m.group("value")
        op = "=" if op == "==" else op
        if column not in columns:
            close = [c for c in columns if column.lower() in c.lower()][:3]
            hint = Note(" Did you mean {close}?", {"close": ', '.join(close)}) if close else ""
            raise InputError("'{column}' is not a column of the customer table.{hint} The columns are listed under "
                             "the rule.", column=column, hint=hint)
        if op == "in":
            inner = value.strip()
            if not (inner.startswith("[") and inner.endswith("]")):
                raise InputError("'{part}': 'in' takes a list in brackets, such as segment in [Champions, Loyal].",
                                 part=part)
            items = tuple(v.strip().strip("\"'") for v in inner[1:-1].split(",") if v.strip())
            conditions.append(Condition(column, "in", items))
        elif columns[column] == "number":
            number = _number(value)
            if number is None:
                raise InputError("'{part}': {column} holds numbers, and '{value}' is not one.", part=part,
                                 column=column, value=value)
            conditions.append(Condition(column, op, number))
        else:
            if op not in ("=", "!="):
                raise InputError("'{part}': {column} holds text; compare it with = , != or in.", part=part,
                                 column=column)
            conditions.append(Condition(column, op, value.strip().strip("\"'")))
    return conditions


def members(table: pd.DataFrame, conditions: list[Condition]) -> pd.Series:
    """True for the customers (rows of ``table``) meeting every condition; a missing value never
    meets a condition (a customer without a prediction is not in "p_purchase > 0.6")."""
    keep = pd.Series(True, index=table.index)
    for c in conditions:
        col = table[c.column]
        if c.op == "in":
            hit = col.astype("string").isin(c.value)
        elif isinstance(c.value, float):
            x = pd.to_numeric(col, errors="coerce")
            hit = {">=": x >= c.value, "<=": x <= c.value, ">": x > c.value, "<": x < c.value,
                   "=": np.isclose(x, c.value), "!=": ~np.isclose(x, c.value)}[c.op]
            hit = pd.Series(hit, index=table.index) & x.notna()
        else:
            text = col.astype("string")
            hit = text.eq(c.value) if c.op == "=" else text.ne(c.value)
        keep &= pd.Series(hit, index=table.index).fillna(False).astype(bool)
    return keep


def column_types(table: pd.DataFrame) -> dict[str, str]:
    """Each column of the customer table as "number" or "text"."""
    return {str(c): "number" if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
            else "text" for c in table.columns}


def customer_table(features: pd.DataFrame, rfm: pd.DataFrame | None = None,
                   predictions: dict[str, pd.Series] | None = None) -> pd.DataFrame:
    """One row per customer: the feature table, the RFM scores ``r, f, m, segment`` and each
    prediction (``p_purchase``, ``p_churn``, ``predicted_revenue``, ...) as a column, indexed by
    customer id. Customers without a score have missing values in those columns."""
    table = features.copy()
    if rfm is not None and len(rfm):
        table = table.join(rfm[["r", "f", "m", "segment"]], how="left")
    for name, scores in (predictions or {}).items():
        table[name] = scores.reindex(table.index).astype(float)
    return table


#: the ad platforms' customer-list layouts: header and the digest column each expects
AD_PLATFORMS = {"google_ads": ("Email", "email_sha256_google"), "meta": ("email", "email_sha256")}


def email_digests(orders: pd.DataFrame) -> pd.DataFrame | None:
    """Each customer's e-mail digests (the last order's), indexed by customer id, from orders kept
    with ``ad_platform_hashes``; None when the orders have none."""
    if "email_sha256" not in orders.columns or orders["email_sha256"].isna().all():
        return None
    rows = orders.dropna(subset=["customer_id", "email_sha256"]).sort_values("timestamp")
    return rows.groupby("customer_id")[["email_sha256", "email_sha256_google"]].last()


def ad_platform_list(digests: pd.DataFrame, customers: pd.Index, platform: str) -> pd.DataFrame:
    """The customer list an ad platform imports for ``customers``: one column named as the
    platform's template wants (Google Ads "Email", Meta "email") holding SHA-256 digests; customers
    without an e-mail are left out."""
    header, column = AD_PLATFORMS[platform]
    values = digests[column].reindex(customers).dropna().drop_duplicates()
    return pd.DataFrame({header: values.to_numpy()})


def summary(table: pd.DataFrame, mask: pd.Series, money: str = "revenue_total") -> dict:
    """Size of a segment: ``customers``, ``share`` of all customers, ``revenue`` (sum of ``money``)
    and ``revenue_share``."""
    n, total = int(mask.sum()), len(table)
    revenue = float(table.loc[mask, money].sum()) if money in table else float("nan")
    all_revenue = float(table[money].sum()) if money in table else float("nan")
    return {"customers": n, "share": n / total if total else 0.0, "revenue": revenue,
            "revenue_share": revenue / all_revenue if all_revenue else 0.0}


@dataclass(frozen=True)
class SavedSegment:
    """A segment saved by name: its rule, the orders dataset and the size when saved."""

    name: str
    rule: str
    orders_id: str
    customers: int
    saved: str  # ISO time, UTC

    @property
    def slug(self) -> str:
        return slug(self.name)


def slug(name: str) -> str:
    """A file-safe key for a segment name (letters, digits, CJK; the rest as '-')."""
    key = re.sub(r"[^\w\u4e00-\u9fff]+", "-", name.strip().lower()).strip("-")
    return key[:60] or "segment"


def save_segment(home: Path, name: str, rule: str, orders_id: str, customers: int) -> SavedSegment:
    """Save (or replace) the segment ``name`` in the workspace folder ``home``."""
    if not name.strip():
        raise InputError("Give the segment a name before saving it.")
    segment = SavedSegment(name.strip()[:80], rule.strip(), orders_id, int(customers),
                           dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    folder = Path(home) / "segments"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{segment.slug}.json.tmp"
    tmp.write_text(json.dumps(asdict(segment), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(folder / f"{segment.slug}.json")
    return segment


def saved_segments(home: Path) -> list[SavedSegment]:
    """The saved segments of the workspace, newest first (unreadable files are skipped)."""
    out = []
    for path in sorted((Path(home) / "segments").glob("*.json")):
        try:
            out.append(SavedSegment(**json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            continue
    return sorted(out, key=lambda s: s.saved, reverse=True)


def delete_segment(home: Path, name: str) -> None:
    """Remove the saved segment ``name`` (nothing happens when it is not saved)."""
    (Path(home) / "segments" / f"{slug(name)}.json").unlink(missing_ok=True)


def segment_from_orders(orders: pd.DataFrame, rule: str, *, events: pd.DataFrame | None = None,
                        returns: pd.DataFrame | None = None,
                        predictions: dict[str, pd.Series] | None = None) -> tuple[pd.DataFrame, pd.Series, dict]:
    """(customer table, members mask, summary) of ``rule`` on cleaned orders, as of the day after
    the last order, as the Segment builder page computes it (the CLI's ``segment`` command)."""
    from ecom_analytics.insights.features import build_customer_features, order_features
    from ecom_analytics.insights.segments import rfm_scores

    as_of = day_after_last(orders)
    features = build_customer_features(orders, as_of, events=events, returns=returns)
    table = customer_table(features, rfm_scores(order_features(orders, as_of)), predictions)
    conditions = parse_rule(rule, column_types(table))
    mask = members(table, conditions)
    return table, mask, {**summary(table, mask), "as_of": as_of.date().isoformat(),
                         "rule": " and ".join(c.text() for c in conditions)}
