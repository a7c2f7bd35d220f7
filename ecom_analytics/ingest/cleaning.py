"""Clean a canonical table with an audit trail: nothing is dropped silently.

Each rule below is checked on every row. A row that fails any quarantining rule moves to the
quarantine table with ONE reason, the first rule it fails in the documented order, plus the
list of every rule it matched. Rows that are only flagged (outliers under the default
policy, events of an unknown type) stay among the kept rows with a flag column.

The report reconciles: ``rows_in = rows_clean + rows_quarantined`` and
``revenue_in = revenue_clean + revenue_quarantined``, and the same per rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.ingest import schema, vocabulary
from ecom_analytics.ingest.mapping import Canonical
from ecom_analytics.ingest.privacy import redact
from ecom_analytics.runs import Note

# (rule, description), in the order that decides a row's single reason.
ORDER_RULES: list[tuple[str, str]] = [
    ("malformed_line", "the line had a different number of fields than the header"),
    ("unreadable_date", "the date is empty or could not be read"),
    ("unreadable_number", "a quantity, price or amount could not be read"),
    ("duplicate", "an exact copy of an earlier line"),
    ("missing_customer", "no customer id"),
    ("cancellation", "a cancellation or return: negative quantity, a refunded/cancelled status, "
                     "or an invoice number starting with C"),
    ("non_positive_price", "the unit price (or the amount) is zero or negative"),
    ("outlier", "an extreme quantity or amount (quarantined only when the outlier policy says so)"),
]
EVENT_RULES: list[tuple[str, str]] = [
    ("malformed_line", "the line had a different number of fields than the header"),
    ("unreadable_date", "the date is empty or could not be read"),
    ("unreadable_number", "the price could not be read"),
    ("duplicate", "an exact copy of an earlier line"),
    ("missing_user", "no user id"),
    ("negative_price", "the price is negative"),
]
OUTLIER_POLICIES = ("flag", "quarantine")
#: Statuses of a whole order cancelled, voided, refunded or returned, in the languages the status
#: vocabulary knows (mapping's status words). A *partly* refunded, paid or shipped order is a sale and
#: is none of them (see PARTIAL_MARKERS).
_CANCEL_WORDS = (
    "cancelled", "canceled", "cancel", "voided", "void", "refunded", "refund", "fully refunded", "returned",
    "storniert", "erstattet", "zurückerstattet", "rückerstattet", "annulé", "annulée", "remboursé", "remboursée",
    "cancelado", "cancelada", "reembolsado", "reembolsada", "devuelto", "devuelta", "devolvido", "annullato",
    "annullata", "rimborsato", "rimborsata", "geannuleerd", "terugbetaald", "anulowane", "anulowano", "zwrócone",
    "avbruten", "avbrutet", "återbetald", "återbetalad", "iptal", "iptal edildi", "iade edildi", "отменен", "отменён",
    "возвращен", "возвращён", "已取消", "取消", "已退款", "退款", "退货", "キャンセル", "返金済み", "취소", "환불",
)


def _spellings(word: str) -> set[str]:
    """``word`` as exports write it: as is, without accents, and with '_' or '-' for its spaces."""
    plain = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
    plain = unicodedata.normalize("NFC", plain)
    return {v.replace(" ", sep) for v in (word, plain) for sep in (" ", "_", "-")}


#: Every spelling of a cancellation status, lower case: a status is a cancellation when its
#: lower-cased, trimmed value is one of them (the SQL path tests the same set).
CANCEL_STATUSES = frozenset(v for w in _CANCEL_WORDS for v in _spellings(w))
#: Word beginnings (Latin and Cyrillic, accents removed) that make a status partial: 'partially_refunded',
#: 'partly paid', 'teilweise erstattet', 'Teilerstattung', 'partiellement remboursé', 'parcialmente
#: reembolsado', 'parzialmente rimborsato', 'gedeeltelijk terugbetaald', 'częściowo zwrócone', 'delvis
#: återbetald', 'kısmen iade', 'частично возвращен'.
PARTIAL_WORD_STARTS = ("partial", "partly", "teilweise", "teil", "partiel", "parcial", "parzial", "gedeeltelijk",
                       "deels", "czesciow", "delvis", "kismen", "kismi", "частичн")
#: The same in scripts without spaces between words: '部分退款', '一部返金', '부분환불'.
PARTIAL_WORDS = ("部分", "一部", "부분")
#: Stems saying money went back or the order was called off (accents removed), in the same languages.
REFUND_STEMS = ("refund", "return", "cancel", "void", "erstatt", "storn", "annul", "rembours", "reembols", "devol",
                "devuel", "rimbors", "terugbetaal", "anulow", "zwro", "aterbetal", "iade", "iptal", "возвр", "отмен",
                "退款", "退货", "取消", "返金", "キャンセル", "환불", "취소")
_PARTIAL = re.compile(r"(?:^|[^\w])(?:" + "|".join(PARTIAL_WORD_STARTS) + ")|" + "|".join(PARTIAL_WORDS))
_REFUND = re.compile("|".join(REFUND_STEMS))


#: at most this share of a file's lines repeating an earlier line exactly are read as repeated sales (see
#: :func:`_repeated_sales`); more is a file written twice
REPEATED_SALES_SHARE = 0.25
REPEATED_SALES_RULE = "an exact copy of an earlier line in a sales sheet without order numbers or times of day: kept"
REPEATED_SALES = ("{rows:,} line(s) ({share:.1%}, worth {revenue:,.2f}) repeat an earlier line exactly. The file has no "
                  "order number and its dates no time of day, so two equal sales on one day are written the same "
                  "way: they are kept as separate sales, not set aside as duplicates. If the sheet holds double "
                  "entries, remove them in the file and upload it again.")


def _repeated_sales(table: pd.DataFrame, duplicate: pd.Series) -> pd.Series | None:
    """The exact copies that are read as sales of their own (the duplicate rule does not set them aside): in an
    orders file without order ids whose dates carry no time of day (a shop's daily sales sheet, where two cash
    sales of 20 on one day are two equal lines), when at most :data:`REPEATED_SALES_SHARE` of the lines are
    copies. None when the duplicate rule applies as usual."""
    if not duplicate.any() or table["order_id"].notna().any() or duplicate.mean() > REPEATED_SALES_SHARE:
        return None
    when = table["timestamp"].dropna()
    if when.empty or not (when == when.dt.normalize()).all():
        return None
    return duplicate


REFUNDED_RULE = ("the amount the refund column gives for an order kept as a sale, subtracted from the revenue of its "
                 "kept lines in proportion to their amounts (at most their revenue)")
REFUNDS_SUBTRACTED = ("'{column}' gives the amount refunded on each order: {refunded:,.2f} refunded on {orders:,} "
                      "order(s) kept as sales ({rows:,} lines) is subtracted from their revenue, spread over each "
                      "order's lines in proportion to their amounts. Revenue read = kept + set aside + refunded.")
REFUNDS_BEYOND_REVENUE = ("{excess:,.2f} of the refunds of {orders:,} order(s) exceeds the revenue of their kept lines "
                          "(refunded shipping or taxes, or lines set aside) and is not subtracted.")
PARTLY_REFUNDED_NO_AMOUNT = ("{rows:,} line(s) of {orders:,} order(s) with a partial refund status ({statuses}) have no "
                             "refunded amount in '{column}': they are kept as sales and count the whole order.")


@dataclass
class Refunded:
    """What the refund column takes off the kept lines: per line (``line``), whether each line's order had a refund
    subtracted (``order_refunded``), the total, the orders and kept lines it touched, and the part of the refunds of
    those orders beyond their kept revenue (``excess``, over ``excess_orders`` orders), not subtracted."""

    line: pd.Series
    order_refunded: pd.Series
    total: float
    orders: int
    rows: int
    excess: float
    excess_orders: int


def _refunded_per_line(table: pd.DataFrame, refunds: pd.Series | None, quarantined: pd.Series) -> Refunded | None:
    """The refund of each order (the sum the refund column gives over its lines; a line is its own order without
    an order number) spread over the order's kept lines in proportion to their amounts, never more than their
    revenue. Orders whose lines are all set aside (refunded in full, cancelled) keep their refund out of the
    figures with them. None without a refund column."""
    if refunds is None:
        return None
    refunds = refunds.reindex(table.index).fillna(0.0)
    key = table["order_id"].astype("object").where(table["order_id"].notna(),
                                                   pd.Series("\0line " + table.index.astype(str), index=table.index))
    kept_amount = table["amount"].where(~quarantined, 0.0).fillna(0.0).clip(lower=0.0)
    per_order = refunds.groupby(key, sort=False).transform("sum")
    kept_revenue = kept_amount.groupby(key, sort=False).transform("sum")
    taken = np.minimum(per_order, kept_revenue)
    share = (kept_amount / kept_revenue.where(kept_revenue > 0)).fillna(0.0)
    line = (share * taken).where(~quarantined, 0.0)
    touched = (line > 0) & ~quarantined
    has_kept = (kept_revenue > 0) & (per_order > 0)
    first = ~key.duplicated()
    excess = (per_order - taken).where(has_kept & first, 0.0)
    return Refunded(line, (per_order > 0) & has_kept, float(line.sum()), int(key[touched].nunique()),
                    int(touched.sum()), float(excess.sum()), int((excess > 1e-9).sum()))


def partly_refunded(status: pd.Series) -> pd.Series:
    """Whether each status says an order was partly refunded or partly cancelled ('partially_refunded',
    'teilweise erstattet', '部分退款'): a sale kept whole, flagged. Partly paid or shipped orders are
    plain sales (False); missing statuses are False."""
    values = status.dropna().astype(str).unique()
    partly = {v for v in values if _is_partly_refunded(vocabulary.fold(v).replace("_", " "))}
    return status.isin(partly).fillna(False).astype(bool)


def _is_partly_refunded(folded: str) -> bool:
    return bool(_PARTIAL.search(folded)) and bool(_REFUND.search(folded))


#: Fence on log1p(value): Q3 + 5 IQR (Tukey's far-out fence uses 3; 5 singles out only the
#: obvious entry errors, e.g. the 80,995-unit line of Online Retail, not wholesale orders).
OUTLIER_IQR_FACTOR = 5.0
#: Smallest IQR used on the log scale: when most values are equal (quantity 1 on most lines)
#: the IQR is 0 and every other value would be "extreme"; ln 2 keeps the fence at least
#: 2**5 = 32 times the upper quartile.
OUTLIER_MIN_LOG_IQR = float(np.log(2.0))


@dataclass
class CleaningResult:
    """Kept rows, quarantined rows (with ``reason``, ``reasons``, ``detail``), the report and the
    notes the cleaning owes the analyst (partly refunded orders kept whole)."""

    clean: pd.DataFrame
    quarantine: pd.DataFrame
    report: dict
    notes: list[Note] = field(default_factory=list)


def rules(kind: str) -> list[tuple[str, str]]:
    """The cleaning rules of ``kind`` in the order that decides a row's reason."""
    return ORDER_RULES if kind == "orders" else EVENT_RULES


def revenue(frame: pd.DataFrame, kind: str) -> float:
    """Revenue of a canonical table: sum of ``amount`` (orders) or of purchase-event ``price`` (events)."""
    if kind == "orders":
        return float(frame["amount"].sum(skipna=True)) if len(frame) else 0.0
    mask = frame["event_type"] == "purchase"
    return float(frame.loc[mask, "price"].sum(skipna=True)) if len(frame) else 0.0


def _row_revenue(frame: pd.DataFrame, kind: str) -> pd.Series:
    if kind == "orders":
        return frame["amount"].fillna(0.0)
    return frame["price"].where(frame["event_type"] == "purchase", 0.0).fillna(0.0)


def outlier_thresholds(values: pd.Series) -> float:
    """Upper fence for positive ``values``: exp(Q3 + 5 IQR) of log1p, back on the value scale
    (IQR at least :data:`OUTLIER_MIN_LOG_IQR`; no fence below 20 values)."""
    pos = values[values > 0].dropna()
    if len(pos) < 20:
        return float("inf")
    logs = np.log1p(pos.to_numpy())
    q1, q3 = np.percentile(logs, [25, 75])
    return float(np.expm1(q3 + OUTLIER_IQR_FACTOR * max(q3 - q1, OUTLIER_MIN_LOG_IQR)))


def clean(canonical: Canonical, raw: pd.DataFrame, bad_lines: list[tuple[int, str]] | None = None,
          *, kind: str, outlier_policy: str = "flag") -> CleaningResult:
    """Apply the cleaning rules of ``kind`` to a canonical table built from ``raw``.

    ``raw`` is the source frame (all columns), used to find exact duplicate lines;
    ``bad_lines`` are lines the reader could not split, added to the quarantine.
    """
    if outlier_policy not in OUTLIER_POLICIES:
        raise ValueError(f"outlier_policy must be one of {OUTLIER_POLICIES}")
    table = canonical.table
    n = len(table)
    matched: dict[str, pd.Series] = {}
    problems = canonical.problems.reindex(table.index)

    def parse_rule(rule: str) -> pd.Series:
        mask = canonical.problem_masks.get(rule)
        first = problems.eq(rule).fillna(False).astype(bool)
        return first if mask is None else first | mask.reindex(table.index, fill_value=False).astype(bool)

    matched["unreadable_date"] = parse_rule("unreadable_date") | table["timestamp"].isna()
    matched["unreadable_number"] = parse_rule("unreadable_number")
    matched["duplicate"] = pd.Series(raw.reset_index(drop=True).duplicated(keep="first").to_numpy(), index=table.index)
    repeated = _repeated_sales(table, matched["duplicate"]) if kind == "orders" else None
    if repeated is not None:
        matched["duplicate"] = pd.Series(False, index=table.index)
    flags: list[dict] = []
    if kind == "orders":
        matched["missing_customer"] = table["customer_id"].isna()
        status = table["status"].str.lower().str.strip().isin(CANCEL_STATUSES).fillna(False)
        c_invoice = table["order_id"].str.fullmatch(r"[Cc]\d+").fillna(False)
        matched["cancellation"] = (table["quantity"] < 0).fillna(False) | status | c_invoice | (
            table["quantity"].isna() & (table["amount"] < 0).fillna(False))
        price = table["unit_price"].where(table["unit_price"].notna(), table["amount"])
        matched["non_positive_price"] = (price <= 0).fillna(False)
        earlier = pd.concat([matched[r] for r, _ in ORDER_RULES if r in matched], axis=1).any(axis=1)
        base = table[~earlier]
        q_fence = outlier_thresholds(base["quantity"])
        a_fence = outlier_thresholds(base["amount"])
        is_outlier = (table["quantity"] > q_fence).fillna(False) | (table["amount"] > a_fence).fillna(False)
        flags.append({"flag": "outlier", "description": "quantity or amount beyond Q3 + 5 IQR on a log scale",
                      "quantity_above": q_fence, "amount_above": a_fence, "policy": outlier_policy})
        if outlier_policy == "quarantine":
            matched["outlier"] = is_outlier
        rule_list = ORDER_RULES
    else:
        matched["missing_user"] = table["user_id"].isna()
        matched["negative_price"] = (table["price"] < 0).fillna(False)
        is_outlier = None
        rule_list = EVENT_RULES

    order = [r for r, _ in rule_list if r in matched]
    reason = pd.Series(pd.NA, index=table.index, dtype="string")
    for r in reversed(order):
        reason = reason.mask(matched[r], r)
    all_reasons = pd.Series("", index=table.index, dtype="string")
    for r in order:
        all_reasons = all_reasons.where(~matched[r], all_reasons + np.where(all_reasons == "", "", "; ") + r)
    quarantined = reason.notna()

    clean_rows = table[~quarantined].copy()
    refunded = _refunded_per_line(table, canonical.refunds, quarantined) if kind == "orders" else None
    if refunded is not None:
        clean_rows["amount"] = clean_rows["amount"] - refunded.line[~quarantined].to_numpy()
    if kind == "orders":
        clean_rows["is_outlier"] = is_outlier[~quarantined].astype(bool)
    else:
        clean_rows["is_unknown_event"] = clean_rows["event_type"].eq("other").fillna(False)
    q = table[quarantined].copy()
    q["reason"] = reason[quarantined]
    q["reasons"] = all_reasons[quarantined]
    q["detail"] = canonical.problem_detail.reindex(table.index)[quarantined].astype("string")
    if bad_lines:
        bad = pd.DataFrame({c: pd.Series(None, index=range(len(bad_lines)), dtype=dtype)
                            for c, dtype in schema.DTYPES[kind].items()})
        bad["source_line"] = np.array([ln for ln, _ in bad_lines], dtype="int64")
        bad["reason"] = pd.Series(["malformed_line"] * len(bad_lines), dtype="string")
        bad["reasons"] = bad["reason"]
        # the raw line may hold personal data (e-mail, phone) that no other stored column keeps
        bad["detail"] = redact(pd.Series([txt for _, txt in bad_lines], dtype="string")).str.slice(0, 300)
        q = pd.concat([q, bad], ignore_index=True)
    q = q.reset_index(drop=True)
    clean_rows = clean_rows.reset_index(drop=True)

    row_rev = _row_revenue(table, kind)
    report_rules = []
    for r, desc in rule_list:
        in_rule = q["reason"] == r
        report_rules.append({
            "rule": r,
            "description": desc,
            "matched": int(len(bad_lines or []) if r == "malformed_line" else int(matched[r].sum()) if r in matched else 0),
            "quarantined": int(in_rule.sum()),
            "revenue_quarantined": float(_row_revenue(q[in_rule], kind).sum()),
        })
    notes: list[Note] = []
    if kind == "orders":
        partly = partly_refunded(table["status"])
        if refunded is not None and (refunded.orders or refunded.excess > 1e-9):
            flags.append({"flag": "refunded", "description": REFUNDED_RULE, "column": canonical.refund_source,
                          "orders": refunded.orders, "rows_kept_flagged": refunded.rows,
                          "revenue_refunded": refunded.total, "refund_not_subtracted": refunded.excess})
            if refunded.orders:
                notes.append(Note(REFUNDS_SUBTRACTED, {"column": str(canonical.refund_source),
                                                       "refunded": refunded.total, "orders": refunded.orders,
                                                       "rows": refunded.rows}))
            if refunded.excess > 1e-9:
                notes.append(Note(REFUNDS_BEYOND_REVENUE, {"excess": refunded.excess,
                                                           "orders": refunded.excess_orders}))
        kept_partly = partly[~quarantined].to_numpy()
        if kept_partly.any():
            # a partly refunded order is a sale: kept, its refund subtracted when the refund column gives it
            kept = table[~quarantined][kept_partly]
            orders = int(kept["order_id"].nunique()) if kept["order_id"].notna().any() else int(kept_partly.sum())
            statuses = sorted(kept["status"].dropna().astype(str).unique().tolist())
            net = kept["amount"].fillna(0.0) - (refunded.line[kept.index] if refunded is not None else 0.0)
            flags.append({"flag": "partly_refunded",
                          "description": "an order partly refunded or partly cancelled: a sale, kept; the refunded "
                                         "part is " + ("not subtracted (the table has no refund column)"
                                                       if refunded is None else
                                                       "subtracted where the refund column gives it"),
                          "matched": int(partly.sum()), "rows_kept_flagged": int(kept_partly.sum()),
                          "orders": orders, "revenue_kept_flagged": float(net.sum()), "statuses": statuses})
            whole = kept if refunded is None else kept[~refunded.order_refunded[kept.index]]
            if len(whole):
                params = {"rows": len(whole), "statuses": ", ".join(statuses),
                          "orders": int(whole["order_id"].nunique()) if whole["order_id"].notna().any() else len(whole)}
                if refunded is None:
                    notes.append(Note("{rows:,} line(s) of {orders:,} order(s) with a partial refund status "
                                      "({statuses}) are kept as sales, not cancellations. Their revenue counts the whole "
                                      "order: the refunded part is not subtracted, as the table has no refund column.",
                                      params, "warning"))
                else:
                    notes.append(Note(PARTLY_REFUNDED_NO_AMOUNT, {**params, "column": str(canonical.refund_source)},
                                      "warning"))
        if repeated is not None:
            kept = table[repeated & ~quarantined]
            flags.append({"flag": "repeated_sale", "description": REPEATED_SALES_RULE, "matched": int(repeated.sum()),
                          "rows_kept_flagged": len(kept), "revenue_kept_flagged": float(kept["amount"].fillna(0.0).sum())})
            notes.append(Note(REPEATED_SALES, {"rows": len(kept), "share": len(kept) / max(1, n),
                                               "revenue": float(kept["amount"].fillna(0.0).sum())}, "warning"))
        n_out = int(clean_rows["is_outlier"].sum())
        flags[0]["rows_kept_flagged"] = n_out
        flags[0]["revenue_kept_flagged"] = float(clean_rows.loc[clean_rows["is_outlier"], "amount"].sum())
        flags[0]["matched"] = int(is_outlier.sum())
        anon = q["reasons"] == "missing_customer"
        anonymous = {"rows": int(anon.sum()), "revenue": float(q.loc[anon, "amount"].fillna(0).sum())}
    else:
        unknown = int(clean_rows["is_unknown_event"].sum())
        flags.append({"flag": "unknown_event", "description": "event type not recognised, kept as 'other'",
                      "rows_kept_flagged": unknown, "event_type_map": canonical.event_type_map})
        anonymous = None
    rows_in = n + len(bad_lines or [])
    revenue_in = float(row_rev.sum())
    revenue_clean = float(_row_revenue(clean_rows, kind).sum())
    revenue_q = float(_row_revenue(q, kind).sum())
    revenue_refunded = refunded.total if refunded is not None else 0.0
    report = {
        "kind": kind,
        "rows_in": int(rows_in),
        "rows_clean": int(len(clean_rows)),
        "rows_quarantined": int(len(q)),
        "revenue_in": revenue_in,
        "revenue_clean": revenue_clean,
        "revenue_quarantined": revenue_q,
        **({"revenue_refunded": revenue_refunded} if refunded is not None else {}),
        "reconciles": bool(rows_in == len(clean_rows) + len(q) and abs(revenue_in - revenue_clean - revenue_q
                                                                       - revenue_refunded)
                           <= 1e-6 * max(1.0, abs(revenue_in))),
        "rules": report_rules,
        "flags": flags,
        "sales_without_customer": anonymous,
        "outlier_policy": outlier_policy if kind == "orders" else None,
    }
    return CleaningResult(clean_rows, q, report, notes)
