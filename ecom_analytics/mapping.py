"""Propose which source column feeds each canonical column, and apply the mapping.

The canonical tables (see :mod:`ecom_analytics.schema`) are ``orders`` (one row per order
line) and ``events`` (one row per behaviour event). :func:`propose_mapping` scores every source
column for every canonical column from its header (English and Chinese synonyms) and its
values (dates that parse, numbers, event words, e-mail addresses), and returns a
:class:`Mapping` with a confidence and a reason per canonical column. The analyst can override
any choice; :func:`apply_mapping` then builds the canonical table.

Files without a header (Tianchi/Taobao UserBehavior) are mapped from values alone; id columns
are assigned in the order such logs use: user, item, category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics import schema
from ecom_analytics.errors import InputError
from ecom_analytics.parsing import parse_numbers, parse_timestamps

KINDS = ("orders", "events", "sales")

# Normalised header synonyms, best first. Normalising lower-cases and removes everything but
# letters, digits and CJK characters ("Customer ID" -> "customerid", "用户ID" -> "用户id").
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "orders": {
        "customer_id": ["customerid", "customer", "custid", "clientid", "client", "userid", "user",
                        "buyerid", "buyer", "memberid", "accountid", "email", "customeremail",
                        "客户id", "客户编号", "客户", "用户id", "用户", "会员id", "买家id", "买家", "顾客id"],
        "order_id": ["invoiceno", "invoice", "invoiceid", "orderid", "ordernumber", "orderno", "order",
                     "name", "transactionid", "receiptid", "订单号", "订单id", "订单编号", "发票号"],
        "timestamp": ["invoicedate", "orderdate", "createdat", "orderedat", "paidat", "processedat",
                      "datetime", "timestamp", "date", "time", "purchasedate", "transactiondate",
                      "下单时间", "订单时间", "创建时间", "支付时间", "付款时间", "时间", "日期"],
        "product_id": ["stockcode", "sku", "lineitemsku", "productid", "itemid", "productcode", "itemcode",
                       "variantsku", "商品id", "商品编号", "货号", "商品编码"],
        "product_name": ["description", "productname", "lineitemname", "itemname", "title", "product",
                         "productdescription", "商品名称", "商品名", "品名", "商品"],
        "category": ["category", "categorycode", "productcategory", "producttype", "categoryname",
                     "department", "categoryid", "类目", "品类", "商品类目", "分类", "类别"],
        "quantity": ["quantity", "qty", "lineitemquantity", "units", "unitssold", "数量", "购买数量", "件数"],
        "unit_price": ["unitprice", "price", "lineitemprice", "itemprice", "单价", "价格", "商品单价"],
        "amount": ["amount", "linetotal", "lineamount", "sales", "revenue", "lineitemtotal", "totalprice",
                   "金额", "总价", "实付金额", "销售额", "小计", "total", "subtotal"],
        "country": ["country", "billingcountry", "shippingcountry", "countrycode", "国家", "地区", "国家地区"],
        "status": ["status", "financialstatus", "orderstatus", "paymentstatus", "订单状态", "状态", "支付状态"],
    },
    "events": {
        "user_id": ["userid", "visitorid", "user", "customerid", "clientid", "memberid", "用户id", "用户", "访客id"],
        "timestamp": ["eventtime", "timestamp", "time", "datetime", "date", "eventdate", "时间", "行为时间", "日期"],
        "event_type": ["eventtype", "event", "behaviortype", "behaviourtype", "behavior", "behaviour", "action",
                       "eventname", "type", "行为类型", "行为", "事件"],
        "product_id": ["productid", "itemid", "sku", "商品id", "商品编号"],
        "category": ["categorycode", "category", "categoryid", "categoryname", "类目", "类目id", "商品类目id", "品类"],
        "brand": ["brand", "品牌"],
        "price": ["price", "unitprice", "价格", "单价"],
        "session_id": ["usersession", "sessionid", "session", "会话id", "会话"],
    },
    "sales": {
        "series_id": ["uniqueid", "seriesid", "series", "store", "storeid", "dept", "department", "sku", "item",
                      "itemid", "productid", "product", "门店", "店铺", "商品id"],
        "timestamp": ["ds", "date", "week", "month", "period", "timestamp", "datetime", "day", "日期", "时间", "月份"],
        "value": ["y", "value", "sales", "weeklysales", "monthlysales", "dailysales", "revenue", "units", "unitssold",
                  "quantity", "amount", "销售额", "销量", "金额"],
        "flag": ["isholiday", "holiday", "promo", "promotion", "onpromotion", "event", "flag", "节假日", "促销"],
    },
    # campaign tables (one row per customer) are recognised by ecom_analytics.campaign.data
    "campaign": {
        "customer_id": ["customerid", "customer", "custid", "userid", "user", "clientid", "memberid", "accountid",
                        "id", "客户id", "用户id", "会员id", "客户", "用户"],
        "arm": ["arm", "group", "variant", "treatment", "segment", "campaign", "testgroup", "cell", "bucket",
                "experimentgroup", "分组", "组别", "实验组", "组"],
        "send_date": ["senddate", "sentat", "sentdate", "date", "campaigndate", "sendtime", "发送日期", "发送时间", "日期"],
        "visited": ["visit", "visited", "visits", "opened", "open", "click", "clicked", "访问", "点击"],
        "converted": ["conversion", "converted", "convert", "purchased", "bought", "response", "responded", "order",
                      "转化", "购买", "响应"],
        "spend": ["spend", "revenue", "sales", "amount", "ordervalue", "消费", "金额", "销售额"],
        "pre_revenue": ["priorrevenue", "prerevenue", "history", "pastspend", "previousspend", "historicalrevenue",
                        "revenuebefore", "历史消费", "历史金额"],
    },
}

# Order-level totals are wrong for line-level revenue when quantity and price exist.
_ORDER_LEVEL_AMOUNTS = {"total", "subtotal"}
# Money columns that are not the line's revenue or price, whatever their header ends with
# ("Discount Amount", "Refunded Amount", "Lineitem compare at price", "Shipping Price", ...).
_NOT_REVENUE = re.compile(r"^(?:lineitem|order)?(?:discount|refund|tax|shipping|fee|tip|duty|duties|coupon|"
                          r"compareat|cost|优惠|退款|运费|税)")
_MONEY = ("amount", "unit_price", "price")
# Order-level fields that some exports (Shopify) write on an order's first line only.
_ORDER_LEVEL_FIELDS = ("customer_id", "timestamp", "country", "status")

EVENT_TYPES = {
    "view": ["view", "views", "pv", "pageview", "page_view", "click", "detail", "productview", "product_view",
             "viewitem", "view_item", "browse", "浏览", "点击"],
    "cart": ["cart", "addtocart", "add_to_cart", "add-to-cart", "addtobasket", "add", "加购", "加入购物车", "购物车"],
    "remove_from_cart": ["remove_from_cart", "removefromcart", "remove", "remove-from-cart", "移出购物车"],
    "wishlist": ["wishlist", "fav", "favorite", "favourite", "add_to_wishlist", "collect", "like", "收藏"],
    "purchase": ["purchase", "buy", "transaction", "order", "checkout", "purchased", "购买", "下单", "支付"],
}
_EVENT_LOOKUP = {w: k for k, words in EVENT_TYPES.items() for w in words}
# Tianchi's older mobile log codes behaviour as 1..4
_EVENT_CODES = {"1": "view", "2": "wishlist", "3": "cart", "4": "purchase"}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s\-().]{7,20}$")
_PII_NAME_HEADERS = {"name", "firstname", "lastname", "fullname", "customername", "billingname", "shippingname",
                     "姓名", "收货人", "收件人", "客户姓名", "联系人"}
_PII_PHONE_HEADERS = {"phone", "telephone", "tel", "mobile", "billingphone", "shippingphone", "phonenumber",
                      "手机", "电话", "手机号", "联系电话"}


def normalise_header(name: str) -> str:
    """Lower-case a header and keep only letters, digits and CJK characters."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", str(name).lower())


@dataclass
class ColumnChoice:
    """The source column proposed (or chosen) for one canonical column."""

    canonical: str
    source: str | None
    confidence: float
    reason: str


@dataclass
class Mapping:
    """Canonical column -> source column for one kind of table, with confidences."""

    kind: str
    choices: dict[str, ColumnChoice]
    pii_columns: dict[str, str] = field(default_factory=dict)  # source column -> "email" | "phone" | "name"
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, str]:
        """Canonical column -> source column, for the mapped columns only."""
        return {c: ch.source for c, ch in self.choices.items() if ch.source is not None}

    def override(self, **chosen: str | None) -> "Mapping":
        """A copy with some canonical columns set by hand (``None`` unmaps)."""
        choices = dict(self.choices)
        for canonical, source in chosen.items():
            if canonical not in choices:
                raise InputError(f"'{canonical}' is not a column of the {self.kind} table.")
            choices[canonical] = ColumnChoice(canonical, source, 1.0, "chosen by the analyst")
        return Mapping(self.kind, choices, dict(self.pii_columns), list(self.notes))

    def missing_required(self) -> list[str]:
        """Required canonical columns that have no source (empty when the mapping is usable)."""
        m = self.as_dict()
        if self.kind == "orders":
            out = [c for c in ("customer_id", "timestamp") if c not in m]
            if "amount" not in m and not ("quantity" in m and "unit_price" in m):
                out.append("amount (or quantity and unit_price)")
            return out
        if self.kind == "sales":
            return [c for c in ("timestamp", "value") if c not in m]
        return [c for c in ("user_id", "timestamp") if c not in m]


def _profile(values: pd.Series) -> dict:
    """What a sample of a column looks like."""
    present = values.dropna()
    if pd.api.types.is_datetime64_any_dtype(values):
        return {"date": 1.0, "number": 0.0, "integer": 0.0, "event": 0.0, "email": 0.0, "phone": 0.0,
                "distinct": present.nunique() / max(1, len(present)), "fill": len(present) / max(1, len(values)),
                "unix": 0.0, "text": 0.0, "n": len(present)}
    text = present.astype("string").str.strip()
    text = text[text != ""]
    n = max(1, len(text))
    prof = {"n": len(text), "fill": len(text) / max(1, len(values))}
    if len(text) == 0:
        return prof | {"date": 0.0, "number": 0.0, "integer": 0.0, "event": 0.0, "email": 0.0, "phone": 0.0,
                       "distinct": 0.0, "unix": 0.0, "text": 0.0}
    nums = parse_numbers(text)
    prof["number"] = float((~nums.failed).sum() / n)
    prof["integer"] = float(text.str.fullmatch(r"-?\d+(\.0)?").sum() / n)
    asnum = pd.to_numeric(text, errors="coerce")
    prof["unix"] = float((asnum.between(9.4e8, 2.3e9) | asnum.between(9.4e11, 2.3e12)).sum() / n)
    looks_datey = text.str.contains(r"\d{1,4}[-/.年]\d{1,2}|\d{1,2}:\d{2}", regex=True).mean()
    prof["date"] = float((~parse_timestamps(text).failed).sum() / n) if looks_datey > 0.5 else prof["unix"]
    lowered = text.str.lower()
    prof["event"] = float(lowered.isin(list(_EVENT_LOOKUP)).sum() / n)
    prof["email"] = float(text.str.match(_EMAIL).sum() / n)
    prof["phone"] = float((text.str.match(_PHONE) & text.str.count(r"\d").ge(7)).sum() / n)
    prof["distinct"] = float(text.nunique() / n)
    prof["text"] = float(text.str.contains(r"[A-Za-z\u4e00-\u9fff]{3,}", regex=True).sum() / n)
    prof["event_codes"] = float(lowered.isin(list(_EVENT_CODES)).sum() / n)
    return prof


def _header_score(canonical: str, header: str, kind: str) -> tuple[float, str]:
    norm = normalise_header(header)
    words = SYNONYMS[kind][canonical]
    if norm in words:
        rank = words.index(norm)
        return 0.95 - min(rank, 10) * 0.01, f"header '{header}' is a known name"
    if canonical in _MONEY and _NOT_REVENUE.search(norm):
        return 0.0, ""
    for w in words:
        if len(w) >= 4 and (norm.endswith(w) or norm.startswith(w)):
            return 0.7, f"header '{header}' contains '{w}'"
    return 0.0, ""


def _value_fit(canonical: str, prof: dict) -> float:
    """How well a column's values fit a canonical column, 0..1."""
    if prof.get("n", 0) == 0:
        return 0.0
    if canonical == "timestamp":
        return prof["date"]
    if canonical in ("quantity", "unit_price", "amount", "price", "value"):
        return prof["number"]
    if canonical == "event_type":
        return max(prof["event"], prof.get("event_codes", 0.0) * 0.8)
    return 1.0  # ids, names and categories can hold anything


def detect_kind(frame: pd.DataFrame) -> str:
    """'events' when the table has an event-type column (by header or values), else 'orders'."""
    sample = frame.head(2000)
    headers = [normalise_header(c) for c in frame.columns]
    if _looks_like_sales(headers):
        return "sales"
    order_words = {"quantity", "qty", "invoiceno", "invoice", "orderid", "lineitemquantity", "数量", "订单号"}
    if any(h in order_words for h in headers):
        return "orders"
    for col in sample.columns:
        if normalise_header(col) in SYNONYMS["events"]["event_type"][:9]:
            return "events"
        if _profile(sample[col])["event"] >= 0.8:
            return "events"
    return "orders"


def _looks_like_sales(headers: list[str]) -> bool:
    """A pre-aggregated sales table: a date and a sales value column, no customer, order or event column."""
    words = SYNONYMS["sales"]
    personal = set(SYNONYMS["orders"]["customer_id"] + SYNONYMS["orders"]["order_id"] + SYNONYMS["events"]["user_id"]
                   + SYNONYMS["events"]["event_type"] + ["unitprice", "price"])
    return (any(h in words["timestamp"] for h in headers) and any(h in words["value"] for h in headers)
            and not any(h in personal for h in headers))


def propose_mapping(frame: pd.DataFrame, kind: str | None = None, has_header: bool = True) -> Mapping:
    """Propose the source column for each canonical column of ``kind`` (detected when None)."""
    kind = kind or detect_kind(frame)
    if kind not in KINDS:
        raise InputError(f"Unknown table kind '{kind}'; use 'orders', 'events' or 'sales'.")
    sample = frame.head(5000)
    profiles = {c: _profile(sample[c]) for c in frame.columns}
    canon = schema.columns(kind)
    candidates: list[tuple[float, str, str, str]] = []
    for col in frame.columns:
        for c in canon:
            h, reason = _header_score(c, col, kind) if has_header else (0.0, "")
            fit = _value_fit(c, profiles[col])
            if h > 0:
                score = h * (0.4 + 0.6 * fit) if c in ("timestamp", "quantity", "unit_price", "amount", "price", "value", "event_type") else h
                if fit < 0.5 and c in ("timestamp", "event_type"):
                    reason += f", but only {fit:.0%} of its values fit"
                candidates.append((score, col, c, reason))
    # special value-based cases
    choices: dict[str, ColumnChoice] = {}
    used: set[str] = set()
    # e-mail as the customer key beats a numeric id only when no id column is named
    for score, col, c, reason in sorted(candidates, key=lambda t: -t[0]):
        if c in choices or col in used or score < 0.3:
            continue
        if c == "amount" and normalise_header(col) in _ORDER_LEVEL_AMOUNTS:
            continue  # decided below, once quantity and price are known
        if c == "order_id" and normalise_header(col) == "name":
            vals = sample[col].dropna().astype("string")
            if len(vals) == 0 or vals.str.fullmatch(r"#?[A-Za-z]{0,3}-?\d+").mean() < 0.8:
                continue  # a person's name, not a Shopify order name
        if c == "category" and normalise_header(col) == "categoryid" and kind == "events":
            code = next((x for x in frame.columns if normalise_header(x) == "categorycode"), None)
            if code is not None and profiles[code]["fill"] >= 0.5:
                continue
        choices[c] = ColumnChoice(c, col, round(score, 2), reason)
        used.add(col)
    if kind == "orders" and "amount" not in choices and not ("quantity" in choices and "unit_price" in choices):
        for col in frame.columns:
            if col not in used and normalise_header(col) in _ORDER_LEVEL_AMOUNTS and profiles[col]["number"] > 0.5:
                choices["amount"] = ColumnChoice("amount", col, 0.6, f"header '{col}' (an order total: one value per order)")
                used.add(col)
                break
    if kind == "events" and "category" not in choices:
        code = next((x for x in frame.columns if normalise_header(x) in ("categorycode", "categoryid") and x not in used), None)
        if code is not None:
            choices["category"] = ColumnChoice("category", code, 0.8, f"header '{code}' is a known name")
            used.add(code)

    _fill_from_values(frame, kind, profiles, choices, used, has_header)
    for c in canon:
        choices.setdefault(c, ColumnChoice(c, None, 0.0, "no matching column"))
    ordered = {c: choices[c] for c in canon}
    pii = detect_pii(frame, profiles)
    mapping = Mapping(kind, ordered, pii)
    if not has_header:
        mapping.notes.append("The file has no header; columns were mapped from their values. Check them.")
    return mapping


def _fill_from_values(frame, kind, profiles, choices, used, has_header=False) -> None:
    """Map what headers did not: timestamps, event types, then (files without a header only)
    ids in user, item, category order. With a header, an unnamed number column (a zip code, a
    quantity) is not guessed to be an id: the analyst chooses it in the mapping."""
    free = [c for c in frame.columns if c not in used]
    if "timestamp" not in choices:
        best = max(free, key=lambda c: (profiles[c]["date"], profiles[c]["unix"]), default=None)
        if best is not None and profiles[best]["date"] >= 0.9:
            choices["timestamp"] = ColumnChoice("timestamp", best, 0.7, "its values are dates or Unix times")
            used.add(best)
            free.remove(best)
    if kind == "events" and "event_type" not in choices:
        best = max(free, key=lambda c: _value_fit("event_type", profiles[c]), default=None)
        if best is not None and _value_fit("event_type", profiles[best]) >= 0.8:
            choices["event_type"] = ColumnChoice("event_type", best, 0.75, "its values are event names (pv, cart, buy, ...)")
            used.add(best)
            free.remove(best)
    if has_header:
        return
    id_like = [c for c in free if profiles[c].get("integer", 0) >= 0.95 and profiles[c].get("n", 0) > 0]
    order = ["user_id", "product_id", "category"] if kind == "events" else ["customer_id", "product_id", "category"]
    for canonical in order:
        if canonical in choices or not id_like:
            continue
        col = id_like.pop(0)
        choices[canonical] = ColumnChoice(canonical, col, 0.5, "an id column, assigned by position (user, item, category)")
        used.add(col)


def detect_pii(frame: pd.DataFrame, profiles: dict | None = None) -> dict[str, str]:
    """Source columns that hold e-mail addresses, phone numbers or person names."""
    sample = frame.head(5000)
    profiles = profiles or {c: _profile(sample[c]) for c in frame.columns}
    out = {}
    for col in frame.columns:
        norm = normalise_header(col)
        prof = profiles[col]
        if prof.get("email", 0) >= 0.5:
            out[col] = "email"
        elif (norm in _PII_PHONE_HEADERS or norm.endswith("phone")) and prof.get("phone", 0) >= 0.3:
            out[col] = "phone"
        elif norm in _PII_NAME_HEADERS or (norm.endswith("name") and any(norm.startswith(p) for p in ("billing", "shipping", "first", "last", "customer", "full"))):
            vals = sample[col].dropna().astype("string")
            if not (norm == "name" and len(vals) and vals.str.fullmatch(r"#?[A-Za-z]{0,3}-?\d+").mean() >= 0.8):
                out[col] = "name"
    return out


def normalise_event_types(raw: pd.Series) -> tuple[pd.Series, dict[str, str]]:
    """Map source event names to view/cart/remove_from_cart/wishlist/purchase/other.

    Returns the normalised series and the mapping used (source value -> canonical), so the
    report can show it. Numeric codes 1-4 (Tianchi mobile) are read as view, wishlist, cart,
    purchase when the column holds nothing else.
    """
    text = raw.astype("string").str.strip()
    uniq = text.dropna().unique()
    lowered = {u: str(u).lower().replace(" ", "_") for u in uniq}
    codes_only = len(uniq) > 0 and all(str(u) in _EVENT_CODES for u in uniq)
    table = {}
    for u, low in lowered.items():
        if codes_only:
            table[u] = _EVENT_CODES[str(u)]
        else:
            table[u] = _EVENT_LOOKUP.get(low, _EVENT_LOOKUP.get(low.replace("_", ""), "other"))
    out = text.map(table).astype("string")
    return out, {str(k): v for k, v in table.items()}


def _text_column(s: pd.Series, canonical: str) -> pd.Series:
    """A source column as trimmed text, empty cells missing (ids without a spreadsheet '.0')."""
    if pd.api.types.is_float_dtype(s) and (s.dropna() % 1 == 0).all():
        s = s.astype("Int64")
    s = s.astype("string").str.strip()
    s = s.mask(s == "")
    if canonical in ("customer_id", "user_id", "order_id", "product_id"):
        s = s.str.replace(r"\.0$", "", regex=True)  # 17850.0 written by spreadsheets
    return s


def _flag_column(s: pd.Series) -> pd.Series:
    """A holiday/promotion flag as 1.0/0.0 (true/yes/y/1/any positive number = 1; empty = 0)."""
    text = s.astype("string").str.strip().str.lower()
    num = pd.to_numeric(text, errors="coerce")
    yes = text.isin(["true", "yes", "y", "t", "是", "x"]).fillna(False) | num.gt(0).fillna(False)
    return pd.Series(np.where(yes.to_numpy(dtype=bool), 1.0, 0.0), index=s.index)


def _fill_from_order(values: pd.Series, order_key: pd.Series | None) -> tuple[pd.Series, int]:
    """Fill missing ``values`` with the first value of the same order; returns (values, cells filled)."""
    if order_key is None:
        return values, 0
    gaps = values.isna() & order_key.notna()
    if not gaps.any():
        return values, 0
    first = values.groupby(order_key, sort=False, dropna=True).transform("first")
    out = values.where(~gaps, first)
    return out, int((gaps & out.notna()).sum())


@dataclass
class Canonical:
    """A canonical table built from a raw table, plus per-row parse problems."""

    table: pd.DataFrame  # canonical columns + "source_line"
    problems: pd.Series  # per row: first problem ("unreadable_date", "unreadable_number") or NA
    problem_detail: pd.Series  # per row: the offending value, for the quarantine
    notes: list[str]
    parse_details: dict[str, str]
    event_type_map: dict[str, str] = field(default_factory=dict)
    #: per parse rule ("unreadable_date", "unreadable_number"): every row it matched, also
    #: rows whose first problem is another one (so a row's ``reasons`` can list them all)
    problem_masks: dict[str, pd.Series] = field(default_factory=dict)


def apply_mapping(frame: pd.DataFrame, mapping: Mapping, *, pseudonymise=None) -> Canonical:
    """Build the canonical table of ``mapping.kind`` from ``frame``.

    ``pseudonymise`` (a function of a string Series) replaces customer keys that are e-mail
    addresses or phone numbers; raw PII never leaves this function.
    """
    missing = mapping.missing_required()
    if missing:
        raise InputError(
            "The file has no column for " + ", ".join(missing) + ". Choose the column that holds it in the "
            "mapping, or upload an export that includes it."
        )
    m = mapping.as_dict()
    absent = [src for src in m.values() if src not in frame.columns]
    if absent:
        raise InputError(f"The mapping refers to column(s) not in the file: {', '.join(map(str, absent))}.")
    n = len(frame)
    index = pd.RangeIndex(n)
    frame = frame.reset_index(drop=True)
    cols = schema.columns(mapping.kind)
    out: dict[str, pd.Series] = {}
    problems = pd.Series(pd.NA, index=index, dtype="string")
    detail = pd.Series(pd.NA, index=index, dtype="string")
    notes: list[str] = []
    details: dict[str, str] = {}

    masks: dict[str, pd.Series] = {}

    def flag(mask: pd.Series, rule: str, column: str, source: pd.Series) -> None:
        masks[rule] = masks[rule] | mask if rule in masks else mask
        new = mask & problems.isna()
        if new.any():
            problems[new] = rule
            detail[new] = f"{column}: '" + source[new].astype("string").fillna("") + "'"

    # Lines of one order share its order-level fields; exports such as Shopify's write them on
    # the order's first line only. Empty cells take the value of their order's other lines.
    order_key = _text_column(frame[m["order_id"]], "order_id") if mapping.kind == "orders" and "order_id" in m else None
    filled: dict[str, int] = {}

    ts = parse_timestamps(frame[m["timestamp"]])
    out["timestamp"], filled["timestamp"] = _fill_from_order(ts.values, order_key)
    details["timestamp"] = ts.detail
    notes += [f"timestamp: {x}" for x in ts.notes]
    flag(ts.failed | out["timestamp"].isna(), "unreadable_date", m["timestamp"], frame[m["timestamp"]])

    numeric = {"orders": ("quantity", "unit_price", "amount"), "sales": ("value",)}.get(mapping.kind, ("price",))
    for c in numeric:
        if c in m:
            p = parse_numbers(frame[m[c]])
            out[c] = p.values
            details[c] = p.detail
            notes += [f"{c}: {x}" for x in p.notes]
            flag(p.failed, "unreadable_number", m[c], frame[m[c]])
        else:
            out[c] = pd.Series(np.nan, index=index, dtype="float64")
    if mapping.kind == "orders" and "amount" not in m:
        out["amount"] = out["quantity"] * out["unit_price"]
        notes.append("amount = quantity x unit_price")

    if mapping.kind == "sales":
        out["flag"] = _flag_column(frame[m["flag"]]) if "flag" in m else pd.Series(0.0, index=index)
    for c in cols:
        if c in out:
            continue
        if c in m:
            out[c] = _text_column(frame[m[c]], c)
            if c in _ORDER_LEVEL_FIELDS:
                out[c], filled[c] = _fill_from_order(out[c], order_key)
        else:
            out[c] = pd.Series(pd.NA, index=index, dtype="string")
    filled = {c: k for c, k in filled.items() if k}
    if filled:
        notes.append("order-level fields written on an order's first line only were copied to its other lines ("
                     + ", ".join(f"{c}: {k:,} lines" for c, k in filled.items()) + ")")
    event_map: dict[str, str] = {}
    if mapping.kind == "events":
        out["event_type"], event_map = normalise_event_types(out["event_type"])
        out["event_type"] = out["event_type"].fillna("other")
    key = "customer_id" if mapping.kind == "orders" else "user_id"
    source = m.get(key)
    if pseudonymise is not None and source is not None:
        looks_pii = mapping.pii_columns.get(source) in ("email", "phone", "name") or out[key].dropna().head(1000).str.match(_EMAIL).mean() > 0.5
        if looks_pii:
            out[key] = pseudonymise(out[key])
            notes.append(f"{key}: '{source}' holds personal data; it was replaced by a salted hash")
    table = pd.DataFrame({c: out[c] for c in cols}, index=index)
    lines = frame.attrs.get("line_numbers")
    table["source_line"] = np.asarray(lines, dtype="int64") if lines is not None and len(lines) == n else np.arange(1, n + 1)
    table = schema.conform(table, mapping.kind)
    masks = {r: pd.Series(np.asarray(m_, dtype=bool), index=index) for r, m_ in masks.items()}
    return Canonical(table, problems, detail, notes, details, event_map, masks)
