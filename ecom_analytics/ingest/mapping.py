"""Propose which source column feeds each canonical column, and apply the mapping.

The canonical tables (see :mod:`ecom_analytics.ingest.schema`) are ``orders`` (one row per order
line) and ``events`` (one row per behaviour event). :func:`propose_mapping` scores every source
column for every canonical column from its header (English and Chinese synonyms) and its
values (dates that parse, numbers, event words, e-mail addresses), and returns a
:class:`Mapping` with a confidence and a reason per canonical column. The analyst can override
any choice; :func:`apply_mapping` then builds the canonical table.

Files without a header (Tianchi/Taobao UserBehavior) are mapped from values alone; id columns
are assigned in the order such logs use: user, item, category.

Rules that weigh one column against another, each from headers and values:

- a "Model" column (the product code of shop software such as OpenCart, in each language) is the
  product id when no better id exists and its values look like codes (:func:`_model_codes`);
- of several dates, modification words demote an edit date, and among dates whose headers say as
  much the earliest of each line is the order date (:func:`_earliest_date_first`);
- a money column that is the quantity times another one is the amount, the other the unit price
  (:func:`_line_total_and_price`); a lone price column whose values follow the quantity within a
  product is the line total (:func:`_price_that_grows_with_quantity`): revenue is never quantity
  times a line total;
- without a customer id, a column of e-mail addresses is the customer (pseudonymised on ingest),
  never a column of names (:func:`_email_customer`);
- a column with one value per order (a tracking or parcel number) is never the product id
  (:func:`_order_level`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.ingest import schema, vocabulary
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.parsing import parse_numbers, parse_timestamps
from ecom_analytics.runs import Note

KINDS = ("orders", "events", "sales")

# Normalised header synonyms, best first. Normalising lower-cases and removes everything but
# letters, digits and CJK characters ("Customer ID" -> "customerid", "用户ID" -> "用户id").
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "orders": {
        "customer_id": ["customerid", "customer", "custid", "clientid", "client", "userid", "user",
                        "buyerid", "buyer", "memberid", "accountid", "email", "customeremail",
                        "客户id", "客户编号", "客户", "用户id", "用户", "会员id", "买家id", "买家", "顾客id"],
        "order_id": ["invoiceno", "invoice", "invoiceid", "orderid", "ordernumber", "orderno", "order",
                     "salesrecordnumber", "name", "transactionid", "receiptid", "订单号", "订单id", "订单编号", "发票号"],
        "timestamp": ["invoicedate", "orderdate", "createdat", "orderedat", "paidat", "processedat",
                      "datetime", "timestamp", "date", "time", "purchasedate", "transactiondate",
                      "下单时间", "订单时间", "创建时间", "支付时间", "付款时间", "时间", "日期"],
        "product_id": ["stockcode", "sku", "lineitemsku", "productid", "itemid", "productcode", "itemcode",
                       "variantsku", "商品id", "商品编号", "货号", "商品编码"],
        "product_name": ["description", "productname", "lineitemname", "itemname", "title", "product",
                         "productdescription", "商品名称", "商品名", "品名", "商品"],
        "category": ["category", "categorycode", "productcategory", "producttype", "categoryname",
                     "department", "categoryid", "productline", "productgroup", "类目", "品类", "商品类目", "分类",
                     "类别"],
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
        # found from the values only, when the series column repeats a date (see _second_key)
        "subseries_id": [],
        "timestamp": ["ds", "date", "week", "month", "period", "timestamp", "datetime", "day", "日期", "时间", "月份"],
        "value": ["y", "value", "sales", "weeklysales", "monthlysales", "dailysales", "revenue", "units", "unitssold",
                  "quantity", "amount", "销售额", "销量", "金额"],
        "unit_price": ["unitprice", "price", "itemprice", "单价", "价格"],
        "flag": ["isholiday", "holiday", "promo", "promotion", "onpromotion", "event", "flag", "feiertag", "festivo",
                 "feriado", "ferie", "jourferie", "节假日", "假日", "促销", "祝日"],
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
    """A header folded to its letters (of every script) and digits: lower case, Latin
    diacritics removed, traditional Chinese simplified ("Customer ID" -> "customerid",
    "Menge (Stück)" -> "mengestuck", "Дата заказа" -> "датазаказа", "訂單號" -> "订单号")."""
    return vocabulary.normalise(name)


@dataclass
class ColumnChoice:
    """The source column proposed (or chosen) for one canonical column; ``reason`` says why, as a
    coded :class:`~ecom_analytics.runs.Note` (``reason.english()`` is the sentence; a ``meaning``
    parameter is one of :data:`MEANINGS`, a phrase the UI translates too)."""

    canonical: str
    source: str | None
    confidence: float
    reason: Note


@dataclass
class Mapping:
    """Canonical column -> source column for one kind of table, with confidences."""

    kind: str
    choices: dict[str, ColumnChoice]
    pii_columns: dict[str, str] = field(default_factory=dict)  # source column -> "email" | "phone" | "name"
    notes: list[Note] = field(default_factory=list)
    #: columns that are no canonical column but change how one reads (see :data:`EXTRAS`): extra -> source
    #: column, or None when the analyst left it out; an extra not named here is found in the file
    #: (:meth:`extras`)
    extra_choices: dict[str, str | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, str]:
        """Canonical column -> source column, for the mapped columns only."""
        return {c: ch.source for c, ch in self.choices.items() if ch.source is not None}

    def extras(self, frame: pd.DataFrame) -> dict[str, str]:
        """The extra columns of ``frame`` this mapping reads (:data:`EXTRAS`): an order's refunded amount and a time
        of day written beside a date, each as chosen or, when not chosen, as found in the file."""
        if self.kind != "orders":
            return {}
        found = {"refund": refund_column, "time_of_day": time_of_day_column}
        out = {}
        for extra, finder in found.items():
            source = self.extra_choices[extra] if extra in self.extra_choices else finder(frame, self)
            if source is not None and source in frame.columns and source not in self.as_dict().values():
                out[extra] = source
        return out

    def override(self, **chosen: str | None) -> "Mapping":
        """A copy with some canonical columns (or :data:`EXTRAS`) set by hand (``None`` unmaps)."""
        choices = dict(self.choices)
        extra = dict(self.extra_choices)
        for canonical, source in chosen.items():
            if canonical in EXTRAS and self.kind == "orders":
                extra[canonical] = source
                continue
            if canonical not in choices:
                raise InputError("'{column}' is not a column of the {kind} table.", column=canonical,
                                 kind=Note(self.kind))
            choices[canonical] = ColumnChoice(canonical, source, 1.0, Note("chosen by the analyst"))
        return Mapping(self.kind, choices, dict(self.pii_columns), list(self.notes), extra)

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


#: what a canonical column is, as the reasons say it ("... : an amount")
MEANINGS = {
    "customer_id": "a customer id", "order_id": "an order number", "timestamp": "a date and time",
    "product_id": "a product id", "product_name": "a product name", "category": "a category",
    "quantity": "a quantity", "unit_price": "a unit price", "amount": "an amount", "country": "a country",
    "status": "a status", "user_id": "a user id", "event_type": "an event type", "brand": "a brand",
    "price": "a price", "session_id": "a session id", "series_id": "a series id",
    "subseries_id": "a second series key", "value": "a sales value",
    "flag": "a holiday or promotion flag",
}
#: columns that are no canonical column but change how one reads, in an orders table: the amount refunded on an
#: order (subtracted from its revenue by the cleaning) and a time of day written beside a date-only column
EXTRAS = ("refund", "time_of_day")
#: what a refund column's header may say besides the refund: an amount, of the order, paid back
_REFUND_WITH = {"refund", "amount", "money", "order", "paid"}
#: a time of day alone: 7:31:19 PM, 19:31, 09:05:00.250
_TIME_ONLY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:[.,]\d+)?)?\s*([AaPp]\.?\s?[Mm]\.?)?$")
#: what a time column's header may say besides the time, when the date column's header does not say it too
_TIME_WITH = {"order", "invoice", "transaction", "created", "paid", "event", "purchase"}


def _present_text(values: pd.Series) -> pd.Series:
    text = values.dropna().astype("string").str.strip()
    return text[text != ""]


#: a time of day written before the date ("16:51:06 16-04-2026", as some tills write their receipts)
_TIME_FIRST = re.compile(r"^(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)\s+(\S*\d\S*)$")


def date_first(values: pd.Series) -> pd.Series:
    """``values`` with a time of day written before the date moved after it ("16:51:06 16-04-2026" ->
    "16-04-2026 16:51:06"), when most non-empty values are written so; otherwise ``values`` unchanged."""
    if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values
    text = values.astype("string").str.strip()
    present = text.dropna()
    present = present[present != ""]
    if len(present) == 0 or present.head(2000).str.fullmatch(_TIME_FIRST).mean() < 0.9:
        return values
    return text.str.replace(_TIME_FIRST, r"\2 \1", regex=True)


def refund_column(frame: pd.DataFrame, mapping: "Mapping | None" = None) -> str | None:
    """The column of an orders export that gives the amount refunded (Shopify's "Refunded Amount", written on an
    order's first line; "Total Refunded", "refund_amount"): a header that says refund and at most an amount or the
    order, over numbers. None when there is none (a refund's date, reason or quantity is not one)."""
    mapped = set(mapping.as_dict().values()) if mapping is not None else set()
    for col in frame.columns:
        c = set(vocabulary.concepts(str(col)))
        if col in mapped or "refund" not in c or c - _REFUND_WITH:
            continue
        text = _present_text(frame[col].head(5000))
        if len(text) and (~parse_numbers(text).failed).mean() >= 0.95:
            return col
    return None


def time_of_day_column(frame: pd.DataFrame, mapping: "Mapping") -> str | None:
    """The column that gives the time of day of a date-only timestamp column (``Date_created`` 04/09/22 beside
    ``Time_created`` 7:31:19 PM; "Date" and "Time"): a header that says time and, besides, only what the date's
    header says (or the order's words), over times of day alone, while every date read carries no time. None
    otherwise."""
    ts = mapping.as_dict().get("timestamp")
    if ts is None or ts not in frame.columns:
        return None
    date_concepts = set(vocabulary.concepts(str(ts)))
    mapped = set(mapping.as_dict().values())
    for col in frame.columns:
        c = set(vocabulary.concepts(str(col)))
        if col in mapped or "time" not in c or "date" in c or c - {"time"} - date_concepts - _TIME_WITH:
            continue
        text = _present_text(frame[col].head(5000))
        if len(text) == 0 or text.str.fullmatch(_TIME_ONLY).mean() < 0.95:
            continue
        when = parse_timestamps(frame[ts].head(5000)).values.dropna()
        if when.empty or not (when == when.dt.normalize()).all():
            return None
        return col
    return None


def time_of_day_seconds(values: pd.Series) -> pd.Series:
    """Seconds since midnight of times of day written alone (7:31:19 PM -> 70279.0); NaN where none is read."""
    parts = values.astype("string").str.strip().str.extract(_TIME_ONLY)
    hour = pd.to_numeric(parts[0], errors="coerce")
    meridiem = parts[3].str.lower().str[0]
    hour = hour.where(meridiem.isna() | (hour > 12), hour % 12 + 12 * meridiem.eq("p").astype(float))
    bad = meridiem.notna() & (pd.to_numeric(parts[0], errors="coerce") > 12)
    seconds = hour * 3600 + pd.to_numeric(parts[1], errors="coerce") * 60 + pd.to_numeric(parts[2], errors="coerce").fillna(0)
    return seconds.mask(bad).astype("float64")


# canonical columns whose header evidence is weighed by how well the values fit
_TYPED = ("timestamp", "quantity", "unit_price", "amount", "price", "value", "event_type")

#: ISO 3166 alpha-2 and alpha-3 codes and country names (English and the shops' own languages), folded
_ISO2 = set((
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO "
    "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR "
    "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO "
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV "
    "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW UK EU").split())
_ISO3 = set(("USA GBR DEU FRA ESP ITA PRT NLD BEL AUT CHE POL SWE NOR DNK FIN IRL CZE HUN ROU GRC TUR RUS UKR CHN "
             "JPN KOR TWN HKG SGP MYS IDN THA VNM PHL IND AUS NZL CAN MEX BRA ARG CHL COL PER ZAF EGY ARE SAU ISR "
             "BGR HRV SVN SVK LTU LVA EST LUX ISL CYP MLT").split())
_COUNTRY_NAMES = {vocabulary.fold(n) for n in (
    "United Kingdom", "UK", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Ireland", "EIRE",
    "France", "Germany", "Spain", "Italy", "Portugal", "Netherlands", "Belgium", "Austria", "Switzerland", "Poland",
    "Sweden", "Norway", "Denmark", "Finland", "Iceland", "Czech Republic", "Czechia", "Slovakia", "Hungary",
    "Romania", "Bulgaria", "Greece", "Cyprus", "Malta", "Turkey", "Türkiye", "Russia", "Ukraine", "Belarus",
    "Lithuania", "Latvia", "Estonia", "Croatia", "Slovenia", "Serbia", "Luxembourg", "Channel Islands",
    "United States", "USA", "United States of America", "Canada", "Mexico", "Brazil", "Argentina", "Chile",
    "Colombia", "Peru", "China", "Japan", "South Korea", "Korea", "Taiwan", "Hong Kong", "Singapore", "Malaysia",
    "Indonesia", "Thailand", "Vietnam", "Philippines", "India", "Pakistan", "Bangladesh", "Australia",
    "New Zealand", "South Africa", "Egypt", "Nigeria", "Kenya", "Morocco", "Israel", "Lebanon", "Saudi Arabia",
    "United Arab Emirates", "Bahrain", "Qatar", "Kuwait", "European Community", "RSA", "Unspecified",
    "Deutschland", "Frankreich", "Spanien", "Italien", "Österreich", "Schweiz", "Niederlande", "Belgien", "Polen",
    "Schweden", "Dänemark", "Vereinigtes Königreich", "Großbritannien", "Vereinigte Staaten", "Brasilien",
    "Royaume-Uni", "Allemagne", "Espagne", "Italie", "Belgique", "Suisse", "Pays-Bas", "Autriche", "Pologne",
    "Suède", "États-Unis", "Chine", "Japon", "Brésil", "España", "Francia", "Alemania", "Italia", "Reino Unido",
    "Estados Unidos", "México", "Brasil", "Países Bajos", "Bélgica", "Suiza", "Polonia", "Suecia", "Germania",
    "Spagna", "Regno Unito", "Paesi Bassi", "Svizzera", "Polonia", "Svezia", "Alemanha", "Espanha", "França",
    "Itália", "Holanda", "Suíça", "Polónia", "Polônia", "Suécia", "Duitsland", "Frankrijk", "Spanje", "Italië",
    "Nederland", "België", "Zwitserland", "Polen", "Zweden", "Verenigd Koninkrijk", "Niemcy", "Francja",
    "Hiszpania", "Włochy", "Holandia", "Belgia", "Szwajcaria", "Polska", "Szwecja", "Wielka Brytania", "Tyskland",
    "Frankrike", "Spanien", "Italien", "Nederländerna", "Belgien", "Schweiz", "Polen", "Sverige", "Storbritannien",
    "Almanya", "Fransa", "İspanya", "İtalya", "Hollanda", "Belçika", "İsviçre", "Polonya", "İsveç", "Türkiye",
    "İngiltere", "Birleşik Krallık", "Россия", "Германия", "Франция", "Испания", "Италия", "Польша", "Швеция",
    "Великобритания", "США", "Китай", "Япония", "Казахстан", "Беларусь", "Украина",
    "中国", "中国大陆", "中國", "日本", "韩国", "韓國", "台湾", "台灣", "香港", "澳门", "新加坡", "马来西亚", "美国", "美國",
    "英国", "英國", "德国", "德國", "法国", "法國", "西班牙", "意大利", "荷兰", "加拿大", "澳大利亚", "俄罗斯", "泰国", "越南",
    "アメリカ", "イギリス", "ドイツ", "フランス", "韓国", "中国", "대한민국", "한국", "미국", "일본", "중국", "영국", "독일", "프랑스",
)} | {c.casefold() for c in _ISO2 | _ISO3}
_STATUS_WORDS = {vocabulary.fold(w) for w in (
    "paid", "pending", "complete", "completed", "shipped", "delivered", "cancelled", "canceled", "refunded",
    "partially_refunded", "partially refunded", "processing", "on-hold", "on hold", "failed", "closed", "open",
    "fulfilled", "unfulfilled", "authorized", "voided", "returned", "new", "confirmed", "in transit", "unpaid",
    "awaiting payment", "awaiting shipment", "ready to ship", "to ship", "to receive", "success", "successful",
    "bezahlt", "versendet", "versandt", "storniert", "abgeschlossen", "offen", "geliefert", "zugestellt",
    "erstattet", "in bearbeitung", "payé", "payée", "expédié", "expédiée", "annulé", "annulée", "livré", "livrée",
    "remboursé", "en cours", "en attente", "terminé", "pagado", "enviado", "cancelado", "entregado", "completado",
    "pendiente", "reembolsado", "pagato", "spedito", "annullato", "consegnato", "completato", "in attesa",
    "rimborsato", "pago", "entregue", "concluído", "pendente", "reembolsado", "betaald", "verzonden", "geannuleerd",
    "geleverd", "voltooid", "in behandeling", "terugbetaald", "zapłacone", "opłacone", "wysłane", "anulowane",
    "dostarczone", "zrealizowane", "oczekujące", "zwrócone", "betald", "skickad", "skickat", "avbruten",
    "levererad", "slutförd", "väntande", "återbetald", "ödendi", "ödenmiş", "kargoda", "kargolandı", "iptal",
    "iptal edildi", "teslim edildi", "tamamlandı", "beklemede", "iade edildi", "оплачен", "оплачено", "отправлен",
    "отменен", "отменён", "доставлен", "выполнен", "завершен", "в обработке", "возвращен", "新建", "已付款", "已支付",
    "待付款", "待发货", "已发货", "已收货", "已完成", "已取消", "已关闭", "已退款", "交易成功", "交易关闭", "交易完成",
    "等待买家付款", "买家已付款", "卖家已发货", "等待卖家发货", "等待买家确认收货", "完成", "取消", "退款", "退款中",
    "支払済", "支払い済み", "発送済", "発送済み", "キャンセル", "配達済み", "完了", "未発送", "入金待ち", "결제완료",
    "배송중", "배송완료", "구매확정", "취소", "취소완료", "환불", "반품", "입금대기", "주문접수", "상품준비중",
)}


_PLACES = re.compile(r"\d[.,](\d+)\s*\D*$")
_CURRENCY_MARK = re.compile(r"[$€£¥₹₩₽円元￥]|\b(?:EUR|USD|GBP|CNY|RMB|JPY|PLN|SEK|TRY|RUB|KRW|BRL)\b")
_WORDS = re.compile(r"\S\s+\S")
_DIGIT = re.compile(r"\d")
_INTEGER = re.compile(r"-?\d+(\.0)?")
_DATEY = re.compile(r"\d{1,4}[-/.年] ?\d{1,2}|\d{1,2}:\d{2}|\d{1,2}-[A-Za-z]{3}-\d{2}|[A-Za-z]{3}-\d{1,2}-\d{2}")
_YYYYMMDD = re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_CODE = re.compile(r"[#A-Za-z]{0,4}[-_]?\d[\w\-./]{0,30}")


def _profile(values: pd.Series) -> dict:
    """What a sample of a column looks like: shares of dates, numbers, whole numbers, decimals
    with 1-2 places, currency marks, event words, country names or codes, status words, e-mail
    addresses and phone numbers; its distinct share; the range of its numbers.

    Every share is counted on the column's distinct values weighted by how often they occur,
    so a long column costs no more than its variety."""
    present = values.dropna()
    empty = {"date": 0.0, "number": 0.0, "integer": 0.0, "event": 0.0, "email": 0.0, "phone": 0.0, "distinct": 0.0,
             "unix": 0.0, "text": 0.0, "event_codes": 0.0, "decimals": 0.0, "places": 0, "currency": 0.0,
             "country": 0.0, "status": 0.0, "code": 0.0, "words": 0.0, "avglen": 0.0, "nunique": 0,
             "median": np.nan, "low": np.nan, "high": np.nan}
    if pd.api.types.is_datetime64_any_dtype(values):
        return empty | {"date": 1.0, "distinct": present.nunique() / max(1, len(present)),
                        "fill": len(present) / max(1, len(values)), "n": len(present), "nunique": present.nunique()}
    text = present.astype("string").str.strip()
    text = text[text != ""]
    n = len(text)
    prof = empty | {"n": n, "fill": n / max(1, len(values))}
    if n == 0:
        return prof
    counts = text.value_counts()
    prof["nunique"] = int(len(counts))
    prof["distinct"] = float(len(counts) / n)
    counts = counts.head(3000)
    uniq = [str(u) for u in counts.index]
    weights = counts.to_numpy(dtype="float64")
    total = max(1.0, float(weights.sum()))

    def share(flags) -> float:
        return float(np.dot(np.fromiter(flags, dtype="float64", count=len(uniq)), weights) / total)

    useries = pd.Series(uniq, dtype="string")
    asnum = pd.to_numeric(useries, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if share(bool(_DIGIT.search(u)) for u in uniq) >= 0.5:
        plain = ~np.isnan(asnum)
        if plain.all():
            values_, ok = asnum, plain
        else:
            nums = parse_numbers(useries)
            values_, ok = nums.values.to_numpy(dtype="float64", na_value=np.nan), ~nums.failed.to_numpy()
        prof["number"] = float(np.dot(ok, weights) / total)
        if ok.any():
            v = values_[ok]
            w = weights[ok]
            order = np.argsort(v)
            cum = np.cumsum(w[order])
            prof["median"] = float(v[order][np.searchsorted(cum, cum[-1] / 2)])
            prof["low"], prof["high"] = float(v.min()), float(v.max())
    prof["integer"] = share(bool(_INTEGER.fullmatch(u)) for u in uniq)
    prof["unix"] = float(np.dot(((asnum >= 9.4e8) & (asnum <= 2.3e9)) | ((asnum >= 9.4e11) & (asnum <= 2.3e12)),
                                weights) / total)
    looks_datey = share(bool(_DATEY.search(u)) for u in uniq)
    yyyymmdd = share(bool(_YYYYMMDD.fullmatch(u)) for u in uniq)
    if looks_datey > 0.5 or yyyymmdd > 0.9:
        head = slice(0, 400)  # the most frequent distinct values say how the column reads
        prof["date"] = float(np.dot(~parse_timestamps(date_first(useries.iloc[head])).failed.to_numpy(), weights[head])
                             / max(1.0, float(weights[head].sum())))
    else:
        prof["date"] = prof["unix"]
    lowered = [u.lower() for u in uniq]
    prof["event"] = share(u in _EVENT_LOOKUP for u in lowered)
    prof["event_codes"] = share(u in _EVENT_CODES for u in lowered)
    prof["email"] = share(bool(_EMAIL.match(u)) for u in uniq)
    prof["phone"] = share(bool(_PHONE.match(u)) and sum(ch.isdigit() for ch in u) >= 7 for u in uniq)
    prof["text"] = share(bool(_LETTERS.search(u)) for u in uniq)
    if prof["number"] > 0.5:
        places = [len(m.group(1)) for u in uniq if (m := _PLACES.search(u))]
        prof["decimals"] = sum(1 <= p_ <= 2 for p_ in places) / max(1, len(uniq))
        prof["places"] = max(set(places), key=places.count) if places else 0
        prof["currency"] = sum(bool(_CURRENCY_MARK.search(u)) for u in uniq) / len(uniq)
    if prof["text"] > 0.3:
        folded = [vocabulary.fold(u) for u in uniq]
        prof["country"] = share(f in _COUNTRY_NAMES for f in folded)
        prof["status"] = share(f in _STATUS_WORDS for f in folded)
        prof["words"] = share(bool(_WORDS.search(u)) for u in uniq)
    prof["code"] = share(bool(_CODE.fullmatch(u)) for u in uniq)
    prof["avglen"] = share(len(u) for u in uniq)
    return prof


def _exact_score(canonical: str, header: str, kind: str) -> tuple[float, Note | None]:
    """Evidence from the known names of ``canonical`` (SYNONYMS): exact, or a known name at the
    start or end of the header."""
    norm = normalise_header(header)
    words = SYNONYMS[kind][canonical]
    if norm in words:
        rank = words.index(norm)
        return 0.95 - min(rank, 10) * 0.01, Note("header '{header}' is a known name", {"header": str(header)})
    if canonical in _MONEY and _NOT_REVENUE.search(norm):
        return 0.0, None
    c = set(vocabulary.concepts(header))
    if canonical in ("customer_id", "user_id") and c & {"status", "country", "address", "phone", "date", "time",
                                                       "shipping"}:
        return 0.0, None  # "Customer State" (an Indian seller's buyer's state), "Customer Phone": no customer id
    if canonical in _MONEY and _counts(vocabulary.tokens(header)):
        return 0.0, None  # "Total products": how many, not how much
    if canonical in _MONEY and (c & (_NOT_MONEY - ({"tax"} if "inclusive" in c else set())) or c & _IDQ):
        return 0.0, None  # "Shipping total", "Sales Record Number"
    if c & {"payment", "method"}:
        return 0.0, None  # "payment_method_title" holds no product's title
    for w in words:
        if canonical == "order_id" and w == "name":
            continue  # Shopify's order "Name", exactly; "Billing Name" is a person
        if len(w) >= 4 and (norm.endswith(w) or norm.startswith(w)):
            return 0.7, Note("header '{header}' contains '{word}'", {"header": str(header), "word": w})
    return 0.0, None


# concepts that make a header something no canonical column is (an address, a phone, a note ...)
_ELSEWHERE = {"address", "phone", "note", "method", "device", "parent", "currency", "lifecycle", "person", "variant"}
_NOT_MONEY = {"shipping", "tax", "discount", "refund", "fee", "original", "profit", "balance"}
_IDQ = {"id", "number", "code"}
#: money paid or owed, never who bought ("partner_commission", "customer_balance", "Customer Discount")
_PAID_OUT = {"fee", "tax", "discount", "profit", "balance"}
_WHO = {"customer", "buyer", "user", "account"}
_ORDER = {"order", "invoice", "transaction"}
_MEASURES = {"quantity", "price", "amount", "revenue", "money"}
#: header evidence of a "Model" column for product_id: below a named product id or SKU, above a column named
#: only "Product" (whose values decide id or name)
_MODEL_SCORE = 0.62


#: the words of a reference another party wrote ("Customer Reference": the buyer's own purchase-order number)
_REFERENCE_WORDS = {"reference", "ref", "referenz", "referencia", "riferimento", "referentie", "referans"}


def _relation_field(header: str) -> str | None:
    """The relation a path header names, when its last part only names it: ERP exports write a related
    record's display name under the relation's field (Odoo's ``order_line/order_partner_id/display_name``:
    the order's partner; ``order_line/order_id/name``: the order's number). None for other headers."""
    parts = [p for p in str(header).split("/") if p]
    if len(parts) < 2 or normalise_header(parts[-1]) not in ("displayname", "name", "id"):
        return None
    relation = parts[-2]
    return relation if relation.lower().endswith("_id") else None


def _counts(toks: list[str]) -> bool:
    """A header that counts things: "Number of Items", "No. of units", "Número de artículos"
    (but "Número de pedido" is the order's number: after "numero de" only things that are counted)."""
    for a, b, *rest in zip(toks, toks[1:], toks[2:] + [""]):
        if a in ("number", "no", "num", "nr") and b == "of":  # never "nombre de" (Spanish: a name)
            return True
        if a == "numero" and b in ("de", "di") and rest and set(vocabulary.concepts(rest[0])) & {"product", "unit"}:
            return True
    # "Total products", "Total items": how many things an order holds (plural nouns after "total")
    return len(toks) == 2 and toks[0] == "total" and toks[1] in ("products", "items", "articles", "units", "pieces")


def _concept_scores(header: str, kind: str) -> dict[str, float]:
    """Evidence from what the header's words mean (see :mod:`ecom_analytics.ingest.vocabulary`):
    canonical column -> score (0..0.9)."""
    relation = _relation_field(header)
    if relation is not None:
        return _concept_scores(relation, kind)
    parts = [p for p in str(header).split("/") if p]
    if len(parts) > 1 and any(p.lower().endswith("_id") for p in parts[:-1]):
        # the path to a field: its relations say where it lies, not that the field is an id
        # ("order_line/order_id/customer_reference" is the order's customer reference)
        header = "/".join([re.sub(r"_id$", "", p, flags=re.IGNORECASE) for p in parts[:-1]] + [parts[-1]])
    c = set(vocabulary.concepts(header))
    if "email" in c:
        c.discard("address")  # "E-mail address", "Adresse e-mail"
    if not c or c & _ELSEWHERE:
        return {}
    if "model" in c:
        # the product-code column of shop software ("Model", "Modell", "型号"): a product id when no better
        # one exists and its values look like codes (see _model_codes)
        if kind in ("orders", "events") and not c - {"model", "product", "sku", "name"} - _IDQ:
            return {"product_id": _MODEL_SCORE}
        return {}
    out: dict[str, float] = {}
    toks = vocabulary.tokens(header)
    if _counts(toks):
        c = (c - {"number", "amount", "revenue"}) | {"quantity"}  # "Number of Items", "Total products" count them
    idq, who = c & _IDQ, c & _WHO
    when = c & {"date", "time"}
    money_ok = not (c & _NOT_MONEY - ({"tax"} if "inclusive" in c else set())) and not c & {"id", "code"}
    prod = "product" in c or "sku" in c
    # who bought
    paid_out = _PAID_OUT - ({"tax"} if idq else set())  # a buyer's tax id (VAT number) names the buyer
    if who and not (c & (_MEASURES | paid_out | {"shipping", "refund", "store", "type", "status", "country", "category",
                                                  "event", "session", "date", "time", "product", "description",
                                                  "brand"})):
        person_name = "name" in c and not c & {"user", "account"}
        # a customer's id or number ranks above their e-mail address ("Buyer code" over "Buyer e-mail")
        score = 0.4 if person_name else 0.78 if "email" in c and not idq else 0.8 + 0.05 * bool(idq or "user" in c)
        if idq == {"code"} and _REFERENCE_WORDS & set(toks):
            score -= 0.05  # a customer's reference may be their purchase-order number, not who they are
        if kind == "orders" and who == {"user"} and not person_name:
            score -= 0.02  # an order's customer or partner ranks above its user (Odoo's user_id: the salesperson)
        out["user_id" if kind == "events" else "customer_id"] = score
    elif "email" in c and not c - {"email"}:
        # an e-mail address is the customer when no customer id exists (pseudonymised on ingest); it ranks
        # above a customer's name, which is not unique
        out["user_id" if kind == "events" else "customer_id"] = 0.7
    # the order
    if c & _ORDER and not (c & (_MEASURES | when | {"status", "product", "line", "type", "shipping", "refund",
                                                     "customer", "buyer", "user", "country", "created", "paid",
                                                     "category", "name", "description", "store"})):
        out["order_id"] = 0.85 if idq else 0.8 if c & {"invoice", "transaction"} else 0.75
    # when
    if (when or c & {"created", "paid"}) and not (c & (_MEASURES | {"status", "number", "id", "code", "type", "name",
                                                                    "product", "country", "category"}) - {"id"}):
        score = 0.75 if when else 0.7 if "created" in c else 0.6
        if c & (_ORDER | {"created", "event"}):
            score += 0.1
        if "paid" in c:
            score -= 0.05
        if c & {"updated", "shipping", "refund"}:
            score -= 0.3
        if "id" in c and not when:
            score = 0.0
        if score > 0:
            out["timestamp"] = score
    elif when and "number" in c and not c & (_MEASURES | {"status", "type", "product", "country", "category", "name"}):
        out["timestamp"] = 0.6  # "일자-No.": a date with the day's slip number; its values decide (see _value_fit)
    # what
    if "uom" in toks:
        prod = False  # a product's unit of measure ("product_uom": Pcs, Kg) names no product
    if prod and not (c & (_MEASURES | _NOT_MONEY | when | {"name", "description", "category", "type", "brand", "status",
                                                           "country"} | ({"store"} - ({"store"} if "sku" in c else set())))):
        if "sku" in c or idq:
            out["product_id"] = 0.88 if "sku" in c else 0.85 if not c & _ORDER else 0.6
        else:
            out["product_id"] = 0.6  # "Artikel", "Product", "商品": the values decide id or name
            out["product_name"] = 0.6
    if not (c & (_MEASURES | _NOT_MONEY | when | idq | {"sku", "category", "brand", "status", "country", "store"})) \
            and "uom" not in toks:
        if prod and c & {"name", "description"}:
            out["product_name"] = 0.85
        elif "description" in c:
            out["product_name"] = 0.8
        elif c == {"name"} and len(toks) == 1:
            out["product_name"] = 0.5
        elif "line" in c and "name" in c and not c - {"line", "name", "order"}:
            out["product_name"] = 0.6  # an order line's name is what it sold (Odoo's order_line/name)
    if "category" in c and not (c & (_MEASURES | when | {"status", "country", "event"})):
        out["category"] = 0.85 + 0.02 * prod
    elif prod and "type" in c and not c & _MEASURES:
        out["category"] = 0.6
    if kind == "events":
        if "brand" in c and not c & _MEASURES:
            out["brand"] = 0.85
        if "session" in c and not c & (_MEASURES | when):
            out["session_id"] = 0.85 + 0.05 * bool(idq)
        if "event" in c and not (c & (_MEASURES | when | idq | {"product", "category", "session", "parent"})):
            out["event_type"] = 0.85
        elif c == {"type"}:
            out["event_type"] = 0.5
        if money_ok and c & {"price", "amount", "revenue", "money"} and not c & ({"quantity"} | when):
            out["price"] = 0.8 + 0.05 * ("price" in c) + 0.03 * prod - 0.1 * bool(c & {"revenue", "order"})
        return {k: v for k, v in out.items() if k in SYNONYMS["events"]}
    if kind == "sales":
        sales: dict[str, float] = {}
        if when and not c & _MEASURES:
            sales["timestamp"] = 0.75
        if c & {"revenue", "amount", "quantity"} and money_ok:
            sales["value"] = 0.7
        elif _counted_things(c, toks):
            sales["value"] = 0.65  # "transactions", "orders", "Order_Demand": a count per period, not an id
        if c & {"store", "product", "sku", "category"} and not c & _MEASURES:
            sales["series_id"] = 0.6
        if money_ok and "price" in c and not c & ({"amount", "revenue", "quantity"} | when):
            sales["unit_price"] = 0.8 + 0.08 * ("unit" in c)  # kept only when the value counts units (below)
        return sales
    if "quantity" in c and not (c & {"price", "amount", "revenue", "refund", "shipping"}):
        out["quantity"] = 0.85
    if money_ok and not c & when:
        if "price" in c and not c & {"amount", "revenue", "quantity"}:
            out["unit_price"] = 0.8 + 0.08 * ("unit" in c)
        elif "price" in c and "quantity" in c and "unit" in c:
            out["unit_price"] = 0.8
        if (c & {"amount", "revenue"} or ("money" in c and not c & {"price", "quantity"})) and not idq:
            out["amount"] = (0.8 if c & {"amount", "revenue"} else 0.6) + 0.05 * bool(c & {"line", "product"}) \
                - 0.05 * ("unit" in c) + 0.03 * ("paid" in c)  # what the buyer paid over a total that includes unpaid
    if "country" in c and not c & (_MEASURES | when):
        out["country"] = 0.85 - 0.05 * ("shipping" in c)
    if "status" in c and not c & (_MEASURES | when):
        only_state = not any(t in ("status", "statut", "estado", "stato", "zustand", "durum", "durumu", "статус")
                             or not t.isascii() for t in toks)
        if not (only_state and (c & _WHO or "billing" in toks)):  # "Buyer State", "Billing State": an address's
            out["status"] = (0.5 if only_state and not c & (_ORDER | {"paid"}) else 0.85) - 0.25 * ("shipping" in c)
    return out


#: what a sales table counts per period under a plural header ("orders", "transactions", "receipts", "visits",
#: "customers": Favorita's receipts per store and day, Rohlik's orders per warehouse and day)
_COUNTABLE = {"order", "invoice", "transaction", "customer", "user", "session", "number"}
#: words of a header that make it a measure of demand ("Order_Demand", "demand_count", "sales_volume")
_DEMAND_WORDS = {"demand", "count", "counts", "volume"}


def _counted_things(c: set, toks: list[str]) -> bool:
    """A sales table's header that counts things per period: a plural of orders, receipts, visits or customers
    ("transactions", "n_orders", "num_customers"), or a word of demand ("Order_Demand"); never an id or a date."""
    if not toks or c & {"id", "code", "date", "time"}:
        return False
    plural = bool(c) and c <= _COUNTABLE and c != {"number"} and toks[-1].endswith("s") and len(toks[-1]) > 3
    return plural or bool(set(toks) & _DEMAND_WORDS)


def _grand_first(header) -> tuple[bool, bool]:
    """Sort key of order totals: a grand total (what the buyer paid) before a subtotal."""
    return "grand" not in normalise_header(header), "sub" in normalise_header(header)


def _one_line_per_order(sample: pd.DataFrame, choices: dict) -> bool:
    """Whether the order id already chosen differs on every line (an export of one line per order, such as a
    bakery's receipts with a column per item): there, when no header names a line's price (a Shopify export of
    single-line orders has its Lineitem price), an order's total is each line's amount."""
    order = choices.get("order_id")
    if order is None or order.source not in sample.columns:
        return False
    values = sample[order.source].dropna()
    return len(values) >= 2 and values.nunique() == len(values) and len(values) >= 0.95 * len(sample)


def _order_level_total(header: str) -> bool:
    """An order's total on a line-level export ("Total", "Order Total", "Grand total", "订单金额")."""
    norm = normalise_header(header)
    c = set(vocabulary.concepts(header))
    if c & {"id", "code"}:
        return False  # "Sales Order Id" names the order, it is no total
    if norm.endswith("total") and c == {"amount"}:
        return True  # "BCTotal", "BCSubTotal" (an ERP's totals in its base currency), "GrandTotal"
    return norm in _ORDER_LEVEL_AMOUNTS or (bool(c & {"order", "invoice"}) and bool(c & {"amount", "revenue"})
                                            and not c & {"line", "product", "unit"}) or "grand" in norm


#: headers whose meaning depends on the platform that wrote them: (a header the platform alone
#: writes, {header: canonical}). Amazon's item-price is the price of all units of the line.
_LAYOUTS = [
    ({"amazonorderid", "quantitypurchased", "orderitemid"}, {"itemprice": "amount"}),
    ({"salesrecordnumber", "soldvia", "buyerusername"}, {"soldfor": "unit_price", "itemnumber": "product_id"}),
]


def _header_candidates(frame: pd.DataFrame, kind: str, profiles: dict, sample: pd.DataFrame) -> list[tuple]:
    """(score, column, canonical, reason) from the headers, weighed by how the values fit."""
    canon = schema.columns(kind)
    norms = {normalise_header(c) for c in frame.columns}
    layout = {}
    for signature, names in _LAYOUTS:
        if signature & norms:
            layout.update(names)
    out = []
    for col in frame.columns:
        prof = profiles[col]
        if prof.get("n", 0) == 0:
            continue  # an empty column (Shopify's Email of a shop whose buyers give a phone) is nothing
        concept = _concept_scores(str(col), kind)
        for c in canon:
            h, reason = _exact_score(c, col, kind)
            if layout.get(normalise_header(col)) == c:
                h, reason = 0.97, Note("header '{header}' is a known name", {"header": str(col)})
            if c == "customer_id" and kind == "orders" and normalise_header(col) in ("user", "userid"):
                h = min(h, 0.78)  # an order's "USER" is the cashier when a customer column is there (Helcim POS)
            ch = concept.get(c, 0.0)
            concept_based = ch > h
            if concept_based:
                h, reason = ch, Note("header '{header}' means {meaning}", {"header": str(col), "meaning": MEANINGS[c]})
            if h <= 0:
                continue
            if c == "product_id" and concept_based and "model" in vocabulary.concepts(str(col)) \
                    and not _model_codes(sample[col]):
                continue  # a "Model" column of free text is not the product's code
            if c in _ID_LIKE and prof.get("date", 0.0) >= 0.9 and prof.get("integer", 0.0) < 0.5:
                continue  # written dates name no order, customer or product (Odoo's order_id/confirmation_date)
            if c in _ID_LIKE and _yes_no(sample[col]):
                continue  # "Lineitem taxable": true/false names no product, order or customer
            if c in ("customer_id", "user_id") and concept_based and _a_flag(prof):
                continue  # one value on every line (0.00), or two (new/returning), under a header that only means
                # a customer ("partner_commission", "customer_acquisition"): no buyers ("CustomerID" may be one's)
            if c in ("customer_id", "user_id") and prof.get("number", 0.0) >= 0.9 and prof.get("decimals", 0.0) >= 0.5 \
                    and prof.get("integer", 0.0) < 0.5:
                continue  # money (4.75, 0.00) names nobody
            if c in _COUNTED and not _measures(sample[col], prof, strict=concept_based):
                continue  # "prices_include_tax" (False), "otros_insumos" (free text), a column of zeros only
            if concept_based and not _places_fit(c, prof):
                continue  # "State", "Estado", "Region" of places, not of orders
            fit = _value_fit(c, prof)
            score = h * (0.4 + 0.6 * fit) if c in _TYPED else h
            if concept_based and c in ("product_id", "product_name", "status", "country", "customer_id", "user_id"):
                score = h * (0.6 + 0.4 * fit)
            if c in _ID_LIKE and prof.get("fill", 1.0) < 0.5:
                score *= 0.5 + prof.get("fill", 0.0)  # a mostly empty id column (GA4's user_id)
            if fit < 0.5 and c in ("timestamp", "event_type"):
                reason = Note(reason.code + ", but only {fit:.0%} of its values fit", {**reason.params, "fit": float(fit)})
            out.append((score, col, c, reason))
    return out


_ID_LIKE = ("customer_id", "user_id", "order_id", "product_id", "session_id")
#: the columns whose values must be numbers that vary
_COUNTED = ("quantity", "unit_price", "amount", "price", "value")


def _measures(values: pd.Series, prof: dict, strict: bool = True) -> bool:
    """Whether a column a header names as a quantity or money can hold one: not true/false flags, and (``strict``,
    for a header that only *means* a measure) mostly numbers or amounts with a currency mark. A known name such as
    "Quantity" whose values cannot be read, or a total of zeros only (test orders), stays a candidate, so that the
    cleaning report says why (columns taken by their values alone never hold zeros only)."""
    if _yes_no(values) and (set(values.dropna().astype("string").str.strip().str.lower().unique()[:5]) - {"0", "1"}):
        return False
    return not strict or max(prof.get("number", 0.0), prof.get("currency", 0.0)) >= 0.5


def _a_flag(prof: dict) -> bool:
    """A column that holds one value on 20 lines or more, or two on 50 or more (a commission of 0.00 on every
    line, a customer_acquisition of new/returning): it tells lines apart by a flag, it names no customer."""
    return prof.get("nunique", 0) <= 1 and prof.get("n", 0) >= 20 or prof.get("nunique", 0) <= 2 and prof.get("n", 0) >= 50


def _zeros_only(prof: dict) -> bool:
    """A column of numbers that are all zero (a delivery compensation never paid): it measures nothing."""
    return prof.get("n", 0) > 1 and prof.get("number", 0.0) >= 0.95 and prof.get("low") == 0 and prof.get("high") == 0


_YES_NO = {"true", "false", "yes", "no", "y", "n", "0", "1", "t", "f"}


def _yes_no(values: pd.Series) -> bool:
    """A column of true/false (yes/no, 1/0) values only."""
    seen = set(values.dropna().astype("string").str.strip().str.lower().unique()[:5])
    return bool(seen) and seen <= _YES_NO and (bool(seen - {"0", "1"}) or seen == {"0", "1"})


def _places_fit(canonical: str, prof: dict) -> bool:
    """Whether a column whose header only *means* a status or a country (a word such as "State", "Estado",
    "Stan", "Region", which also name a province, a US state or a sales region) holds one: status words, or at
    most a dozen values, for a status; country names or codes for a country. Other canonical columns: True."""
    if canonical == "status":
        return prof.get("status", 0.0) >= 0.3 or prof.get("nunique", 0) <= 12
    if canonical == "country":
        return prof.get("country", 0.0) >= 0.3
    return True


def _model_codes(values: pd.Series) -> bool:
    """Whether a column's values look like product codes ("HTC-TOUCH", "SAM1", "Product 14"): short
    (20 characters on average, none over 40), at most one space on average, more than one distinct value,
    and repeated across lines (some value occurs twice, when the sample has 20 lines or more). Long free
    text ("Slim-fit cotton shirt with a button-down collar") is not."""
    text = values.dropna().astype("string").str.strip()
    text = text[text != ""]
    if len(text) == 0:
        return False
    lengths = text.str.len()
    spaces = text.str.count(r"\s+")
    distinct = text.nunique()
    return bool(lengths.mean() <= 20 and lengths.max() <= 40 and spaces.mean() <= 1.0 and distinct >= 2
                and (distinct < len(text) or len(text) < 20))


def _value_fit(canonical: str, prof: dict) -> float:
    """How well a column's values fit a canonical column, 0..1."""
    if prof.get("n", 0) == 0:
        return 0.0
    if canonical == "timestamp":
        return prof["date"]
    if canonical in ("quantity", "unit_price", "amount", "price", "value"):
        return prof["number"] * (1.0 - 0.7 * prof.get("date", 0.0))
    if canonical == "event_type":
        return max(prof["event"], prof.get("event_codes", 0.0) * 0.8)
    if canonical == "product_name":
        return max(prof.get("words", 0.0), min(1.0, prof.get("avglen", 0.0) / 15)) * (1 - prof.get("code", 0.0) * 0.5)
    if canonical == "product_id":
        return max(prof.get("code", 0.0), 1.0 - prof.get("words", 0.0))
    if canonical == "status":
        return max(prof.get("status", 0.0), 0.5 * (prof.get("distinct", 1.0) < 0.05))
    if canonical == "country":
        return max(prof.get("country", 0.0), 0.5 * (prof.get("distinct", 1.0) < 0.05))
    if canonical in ("customer_id", "user_id"):
        return 1.0 - 0.8 * prof.get("date", 0.0)
    return 1.0  # ids, names and categories can hold anything


def detect_kind(frame: pd.DataFrame, profiles: dict | None = None) -> str:
    """'events' when the table has an event-type column (by header or values), else 'orders'
    ('sales' for a pre-aggregated table of dates and values)."""
    sample = frame.head(2000)
    sample.attrs = {}
    if profiles is None:
        profiles = {c: _profile(sample[c]) for c in frame.columns}
    headers = [normalise_header(c) for c in frame.columns]
    if _looks_like_sales(headers) or _sales_by_concepts(frame.columns):
        return "sales"
    if _behaviour_log(sample, profiles):
        return "events"
    order_words = {"quantity", "qty", "invoiceno", "invoice", "orderid", "lineitemquantity", "数量", "订单号"}
    if any(h in order_words for h in headers):
        return "orders"
    for col in sample.columns:
        norm = normalise_header(col)
        if norm in SYNONYMS["events"]["event_type"][:9]:
            # "Type" and "Action" name many things (a PayPal activity's "Express Checkout Payment"): their values
            # must be events too
            if norm not in ("type", "action") or _value_fit("event_type", profiles[col]) >= 0.3:
                return "events"
    for col in sample.columns:
        if "event_type" in _concept_scores(str(col), "events") and profiles[col]["event"] >= 0.5:
            return "events"
    if _one_row_per_date_and_key(sample, profiles):
        return "sales"
    if any(set(vocabulary.concepts(str(c))) & {"order", "invoice", "quantity"} for c in frame.columns):
        return "orders"
    if any(profiles[col]["event"] >= 0.8 for col in sample.columns):
        return "events"
    return "orders"


def _behaviour_log(sample: pd.DataFrame, profiles: dict) -> bool:
    """A web analytics export of visits or hits (Google Analytics 360's all_sessions: fullVisitorId, visitId,
    productSKU, and a transactionId on the few lines of a purchase): a visitor column and a visit (session) column
    on (nearly) every line, while every order or transaction number is missing on most lines."""
    found = {col: set(vocabulary.concepts(str(col))) for col in sample.columns}

    def everywhere(col) -> bool:
        return profiles[col].get("fill", 0.0) >= 0.9

    visitor = [col for col, c in found.items() if "user" in c and not c & (_MEASURES | {"date", "time", "name", "email"})
               and everywhere(col)]
    visit = [col for col, c in found.items() if "session" in c and not c - {"session"} - _IDQ and everywhere(col)]
    orders = [col for col, c in found.items() if c & {"order", "invoice", "transaction"} and c & _IDQ
              and not c & _MEASURES]
    return bool(visitor and visit and orders) and all(profiles[col].get("fill", 0.0) <= 0.5 for col in orders)


#: concepts of a column that makes a table orders or events, not a pre-aggregated sales table
_PERSONAL = {"customer", "buyer", "user", "account", "order", "invoice", "transaction", "event", "session", "email",
             "person", "phone", "address"}


def _sales_by_concepts(columns) -> bool:
    """A pre-aggregated table of a store's (or shop's) sales per date, told by what its headers mean: a date, a
    store key, a count or a revenue, and nothing of a person, an order or an event (1C's ``date, shop_id,
    item_id, item_price, item_cnt_day``)."""
    found = [set(vocabulary.concepts(str(c))) for c in columns]
    if any(c & _PERSONAL for c in found):
        return False
    dated = any(c & {"date", "time"} and not c & (_MEASURES | _IDQ | {"updated"}) for c in found)
    keyed = any("store" in c and not c & _MEASURES for c in found)
    measured = any(c & {"quantity", "revenue"} and not c & (_NOT_MONEY | {"price"}) for c in found)
    return dated and keyed and measured


#: a sales table's key has few values: at most this many, and at most this share of the rows
_FEW_KEYS, _FEW_KEYS_SHARE = 1000, 0.05


def _one_row_per_date_and_key(sample: pd.DataFrame, profiles: dict) -> bool:
    """A pre-aggregated table told by its shape: a date column, a column that counts or measures per period
    ("orders", "transactions", "units"), and one row per date (or per date and a key of few values: warehouses,
    stores, articles; at most 2 % of the rows repeating theirs), with no column of an order, invoice or customer
    id (Rohlik's orders per warehouse and day with holiday flags, Favorita's receipts per store and day). Such a
    table is never an orders export whose flags would be quantities."""
    personal = set(SYNONYMS["orders"]["customer_id"] + SYNONYMS["orders"]["order_id"])
    dates, measures = [], []
    for col in sample.columns:
        c = set(vocabulary.concepts(str(col)))
        if normalise_header(col) in personal or (c & (_ORDER | _WHO) and c & _IDQ):
            return False
        prof = profiles[col]
        if c & {"date", "time"} and not c & _MEASURES and prof.get("date", 0.0) >= 0.9:
            dates.append(col)
        elif prof.get("number", 0.0) >= 0.95 and not _yes_no(sample[col]) and not _zeros_only(prof) and (
                (c & {"quantity", "revenue", "amount"} and not c & (_NOT_MONEY | {"price"}))
                or _counted_things(c, vocabulary.tokens(str(col)))):
            measures.append(col)
    if len(dates) != 1 or not measures or len(sample) < 20:
        return False
    when = dates[0]
    body = sample.dropna(subset=[when]).drop_duplicates()
    if not body[when].duplicated().any():
        return body[when].nunique() >= 20  # one row per date: the total's own series
    limit = min(_FEW_KEYS, max(2, int(_FEW_KEYS_SHARE * len(body))))
    for col in sample.columns:
        if col == when or col in measures:
            continue
        distinct = body[col].nunique(dropna=True)
        # a few repeats (at most 2 %: a week split at the new year, a late correction) are summed in the period
        if 2 <= distinct <= limit and body[col].notna().all() \
                and body.duplicated(subset=[col, when]).sum() <= 0.02 * len(body):
            return True
    return False


def _looks_like_sales(headers: list[str]) -> bool:
    """A pre-aggregated sales table: a date and a sales value column, no customer, order or event column."""
    words = SYNONYMS["sales"]
    personal = set(SYNONYMS["orders"]["customer_id"] + SYNONYMS["orders"]["order_id"] + SYNONYMS["events"]["user_id"]
                   + SYNONYMS["events"]["event_type"] + ["unitprice", "price"])
    return (any(h in words["timestamp"] for h in headers) and any(h in words["value"] for h in headers)
            and not any(h in personal for h in headers))


def propose_mapping(frame: pd.DataFrame, kind: str | None = None, has_header: bool = True) -> Mapping:
    """Propose the source column for each canonical column of ``kind`` (detected when None).

    Headers are read in the 30 languages of :mod:`ecom_analytics.ingest.vocabulary` and weighed by how
    the values fit; columns whose header says nothing (or files without a header, or whose
    headers are all in a non-Latin script the vocabulary does not read, when the values look
    like a shop's: dates, ids that repeat, numbers; with a warning note) are mapped
    from their values: dates, event words, country names or codes, status words, small whole
    numbers (a quantity), decimal money (an amount or a unit price), ids (by what they repeat
    with). Each choice has a confidence and a reason.
    """
    if kind is not None and kind not in KINDS:
        raise InputError("Unknown table kind '{kind}'; use 'orders', 'events' or 'sales'.", kind=kind)
    sample = frame.head(5000)
    sample.attrs = {}  # pandas deep-copies attrs (the reader's line numbers) on every operation
    profiles = {c: _profile(sample[c]) for c in frame.columns}
    kind = kind or detect_kind(frame, profiles)
    canon = schema.columns(kind)
    candidates = _header_candidates(frame, kind, profiles, sample) if has_header else []
    candidates = _earliest_date_first(candidates, sample, profiles)
    choices: dict[str, ColumnChoice] = {}
    used: set[str] = set()
    for score, col, c, reason in sorted(candidates, key=lambda t: -t[0]):
        if c in choices or col in used or score < 0.3:
            continue
        if c == "amount" and _order_level_total(str(col)):
            if not _one_line_per_order(sample, choices) or any(cc == "unit_price" for _, _, cc, _ in candidates):
                continue  # decided below, once quantity and price are known
            # one line per order and no line prices: the order's total is the line's amount (a grand total first)
            col = min((x for sc, x, cc, _ in candidates if cc == "amount" and sc >= 0.3 and x not in used
                       and _order_level_total(str(x))), key=_grand_first)
            reason = Note("header '{header}' (an order total: one value per order)", {"header": str(col)})
        if c == "order_id" and normalise_header(col) == "name":
            vals = sample[col].dropna().astype("string")
            if len(vals) == 0 or vals.str.fullmatch(r"#?[A-Za-z]{0,12}[-_]?\d+").mean() < 0.8:
                continue  # a person's name, not a Shopify order name
        if c == "order_id" and _redacted(sample[col]):
            continue  # "15***********": masked ids, every line the same order
        if c == "product_name" and _a_buyers_bare_name(col, sample, profiles, candidates):
            continue  # a bare "Naam" beside the buyer's e-mail and address, in a file without products
        if c == "category" and normalise_header(col) == "categoryid" and kind == "events":
            code = next((x for x in frame.columns if normalise_header(x) == "categorycode"), None)
            if code is not None and profiles[code]["fill"] >= 0.5:
                continue
        choices[c] = ColumnChoice(c, col, round(score, 2), reason)
        used.add(col)
    if kind == "orders" and "amount" not in choices and not ("quantity" in choices and "unit_price" in choices):
        # a grand total (what the buyer paid) before a subtotal
        for col in sorted(frame.columns, key=_grand_first):
            if col not in used and _order_level_total(str(col)) and profiles[col]["number"] > 0.5 \
                    and not set(vocabulary.concepts(str(col))) & _NOT_MONEY and has_header:
                choices["amount"] = ColumnChoice("amount", col, 0.6, Note("header '{header}' (an order total: one value per order)",
                                                                              {"header": str(col)}))
                used.add(col)
                break
    if kind == "orders" and "amount" not in choices and not ("quantity" in choices and "unit_price" in choices):
        # a custom export's "Total Cost": what the order cost the buyer, when nothing else gives the money
        col = next((x for x in frame.columns if x not in used and _total_cost(str(x)) and profiles[x]["number"] > 0.5
                    and has_header), None)
        if col is not None:
            choices["amount"] = ColumnChoice("amount", col, 0.55, Note(TOTAL_COST, {"header": str(col)}))
            used.add(col)
    if kind == "orders":
        _order_per_sale(frame, profiles, choices, used)
    if kind == "events" and "category" not in choices:
        code = next((x for x in frame.columns if normalise_header(x) in ("categorycode", "categoryid") and x not in used), None)
        if code is not None:
            choices["category"] = ColumnChoice("category", code, 0.8, Note("header '{header}' is a known name",
                                                                               {"header": str(code)}))
            used.add(code)

    if kind == "orders":
        _mostly_empty_quantity(profiles, choices, used)
        _line_total_and_price(sample, profiles, choices, used)
        total_repeated = _order_total_on_every_line(sample, choices, used)
    else:
        total_repeated = None
    _email_customer(sample, kind, profiles, choices, used)
    named = _name_customer(sample, profiles, choices, used, candidates) if kind == "orders" and "customer_id" not in choices \
        and has_header else None
    unread = has_header and not used and _headers_unread(frame.columns) and _looks_like_a_shop(profiles)
    _fill_from_values(sample, kind, profiles, choices, used, has_header and not unread)
    keyed = None
    if kind == "sales":
        keyed = _second_key(frame, profiles, choices, used)
        _units_times_price(choices, used)
    for c in canon:
        choices.setdefault(c, ColumnChoice(c, None, 0.0, Note("no matching column")))
    ordered = {c: choices[c] for c in canon}
    pii = detect_pii(frame, profiles)
    mapping = Mapping(kind, ordered, pii)
    if keyed is not None:
        mapping.notes.append(keyed)
    if not has_header:
        mapping.notes.append(Note("The file has no header; columns were mapped from their values. Check them.",
                                  severity="warning"))
    elif unread:
        mapping.notes.append(Note(HEADERS_UNREAD, severity="warning"))
    if total_repeated is not None:
        mapping.notes.append(total_repeated)
    if named is not None and mapping.as_dict().get("customer_id") == named:
        mapping.notes.append(Note(NAME_AS_CUSTOMER, {"column": str(named)}, "warning"))
    for canonical in ("customer_id", "user_id", "order_id", "session_id"):
        source = mapping.as_dict().get(canonical)
        mangled = _excel_rounded(sample[source]) if source is not None else None
        if mangled is not None:
            mapping.notes.append(Note(EXCEL_ROUNDED_IDS, {"column": str(source), "example": mangled[0],
                                                          "distinct": mangled[1]}, "warning"))
    return mapping


EXCEL_ROUNDED_IDS = ("'{column}' holds ids written as {example}: a spreadsheet (Excel) rounded these long numbers, so "
                     "different ids became one ({distinct:,} distinct left in the first lines) and counts of them are "
                     "too low. Export the file again from its source, or import the column as text in the spreadsheet.")
_ROUNDED = re.compile(r"^\d(?:[.,]\d+)?[Ee]\+?\d{2}$")


def _excel_rounded(values: pd.Series) -> tuple[str, int] | None:
    """(an example, the number of distinct values) when most values of an id column are long numbers a
    spreadsheet wrote in scientific notation (2.81772E+18: 19 digits kept as 6), else None."""
    text = _present_text(values)
    if len(text) == 0:
        return None
    rounded = text.str.fullmatch(_ROUNDED)
    if rounded.mean() < 0.5:
        return None
    return str(text[rounded].iloc[0]), int(text.nunique())


#: a sales table's second key is a column of at most this many distinct values (departments, items, stores)
_MAX_KEY_VALUES = 100_000


#: "cost" in the languages of the vocabulary: a header's word for what something cost
_COST_WORDS = {"cost", "costs", "kosten", "coste", "costo", "custo", "cout", "couts", "koszt", "kostnad", "costi"}
TOTAL_COST = "header '{header}' (a total cost: what the buyer paid, as no other column gives the amount)"


def _total_cost(header: str) -> bool:
    """A header of an order's total cost ("Total Cost", "Order Total Cost (GBP)"): a total and a cost word, and
    nothing of shipping, taxes, fees or the product (a product's cost is what the shop paid)."""
    c = set(vocabulary.concepts(header))
    return "amount" in c and bool(set(vocabulary.tokens(header)) & _COST_WORDS) and not c - {"amount", "fee", "money",
                                                                                             "order"}


ORDER_PER_SALE = ("'{header}' is on every line and unique per line, while '{other}' is missing on {share:.0%} of the "
                  "lines (a payment batch, not the order): {meaning}")


def _order_per_sale(frame: pd.DataFrame, profiles: dict, choices: dict, used: set) -> None:
    """An order number missing on many lines (an affiliate network's invoice_id: the publisher's payout batch, on
    half of the sales) is not the order when a column named as an id alone ("id", "No.") is on every line and
    unique per line: that column is the order (each line one sale)."""
    order = choices.get("order_id")
    if order is None or order.source not in profiles or profiles[order.source].get("fill", 1.0) >= 0.6:
        return
    for col in frame.columns:
        prof = profiles[col]
        c = set(vocabulary.concepts(str(col)))
        if col in used or not c or c - _IDQ or prof.get("n", 0) < 20 or prof.get("fill", 0.0) < 0.99 \
                or prof.get("distinct", 0.0) < 1.0:
            continue
        used.discard(order.source)
        choices["order_id"] = ColumnChoice("order_id", col, 0.6, Note(ORDER_PER_SALE, {
            "header": str(col), "other": str(order.source), "share": 1.0 - float(profiles[order.source]["fill"]),
            "meaning": MEANINGS["order_id"]}))
        used.add(col)
        return


def _units_times_price(choices: dict, used: set) -> None:
    """A sales table's unit price is used only where its value column counts units (a quantity, not revenue):
    the value is then units x price (Italian ``Quantità, Prezzo_unitario``; 1C's ``item_cnt_day, item_price``)."""
    price, value = choices.get("unit_price"), choices.get("value")
    if price is None:
        return
    concepts = set(vocabulary.concepts(str(value.source))) if value is not None else set()
    if value is None or "quantity" not in concepts or concepts & {"amount", "revenue"}:
        del choices["unit_price"]
        used.discard(price.source)


#: an id on (nearly) every row, or on the lines of (nearly) one date only: each value is seen on fewer than this
#: many dates on average, or the column has more distinct values than this share of the rows
_ID_DATES, _ID_ROWS = 2.0, 0.5
#: ... the dates only tell from a table of at least this many dates
_ID_MIN_DATES = 10
ORDER_ID_NOT_SERIES = ("'{column}' is (nearly) unique per row or per date (an order or invoice number): it is not a "
                       "series key; the lines are summed per date and {series}")
ORDER_ID_NOT_SERIES_TOTAL = ("'{column}' is (nearly) unique per row or per date (an order or invoice number): it is "
                             "not a series key; the lines are summed per date into one total series")


def per_row_or_date(body: pd.DataFrame, col, when) -> bool:
    """Whether ``col`` is an id of rows or of one date's lines (an order or invoice number on order lines), never
    a series key: more distinct values than half the rows, or each value on fewer than two dates on average (in a
    table of :data:`_ID_MIN_DATES` dates or more)."""
    values = body[col]
    distinct = values.nunique(dropna=True)
    if distinct > _ID_ROWS * max(1, values.notna().sum()):
        return True
    if body[when].nunique() < _ID_MIN_DATES:
        return False  # a few days of sales: a brand or a store is on few dates too
    return bool(distinct and body.groupby(col, observed=True)[when].nunique().mean() < _ID_DATES)


def _ids_not_keys(skipped: list, first) -> Note | None:
    """The note saying that an id was not taken for a series key (the first such column), or None."""
    if not skipped:
        return None
    if first is None:
        return Note(ORDER_ID_NOT_SERIES_TOTAL, {"column": str(skipped[0])})
    return Note(ORDER_ID_NOT_SERIES, {"column": str(skipped[0]), "series": str(first.source)})


def _second_key(frame: pd.DataFrame, profiles: dict, choices: dict, used: set) -> Note | None:
    """A sales table whose series column (or, without one, whose date) repeats a date holds several series
    per key: a store's departments, a store's items (Walmart's ``Store, Dept, Date``; ``date, store, item``).
    The unmapped column of whole numbers or short codes that makes every (key, date) one row becomes the
    second key (``subseries_id``), or the series column when there is none; a header that names a series
    (department, item, product, store) wins a tie. Exact copies of a line do not count: they are set aside
    as duplicates."""
    when = choices.get("timestamp")
    if when is None:
        return
    first = choices.get("series_id")
    key = [first.source] if first is not None else []
    if not frame.duplicated(subset=key + [when.source]).any():
        return
    body = frame.drop_duplicates()
    if not body.duplicated(subset=key + [when.source]).any():
        return
    found, skipped = [], []
    for col in frame.columns:
        if col in used or col in key or col == when.source:
            continue
        prof = profiles.get(col, {})
        values = body[col]
        distinct = values.nunique(dropna=True)
        if distinct < 2 or distinct > _MAX_KEY_VALUES or values.isna().mean() > 0.01:
            continue
        if prof.get("date", 0) > 0.5:
            continue
        if per_row_or_date(body, col, when.source):
            skipped.append(col)
            continue
        text = values.dropna().astype("string").head(5000)
        whole = text.str.fullmatch(r"-?\d{1,12}").mean() > 0.99
        code = text.str.len().max() <= 40 and text.str.fullmatch(r".*[.,]\d{2,}").mean() < 0.5
        if not (whole or code):
            continue
        if body.duplicated(subset=key + [col, when.source]).any():
            continue
        named = "series_id" in _concept_scores(str(col), "sales") or normalise_header(col) in SYNONYMS["sales"]["series_id"]
        found.append((not named, distinct, list(frame.columns).index(col), col))
    if not found:
        return _ids_not_keys(skipped, first)
    col = sorted(found)[0][3]
    if first is not None and body[col].nunique() < body[first.source].nunique():
        # the coarser key first (stores, then their items): the first key's own series are a level above the pairs
        choices["series_id"] = ColumnChoice("series_id", col, 0.7, Note(
            "the coarser of two keys that together give one row per date: one series per pair, summed per value "
            "of this column for a level above"))
        choices["subseries_id"] = ColumnChoice("subseries_id", first.source, first.confidence, first.reason)
        used.add(col)
        return
    if first is None:
        choices["series_id"] = ColumnChoice("series_id", col, 0.7, Note(
            "dates repeat; each value of this column has one row per date: one series per value"))
    else:
        choices["subseries_id"] = ColumnChoice("subseries_id", col, 0.7, Note(
            "'{series}' repeats dates; with this column each pair has one row per date: one series per pair",
            {"series": str(first.source)}))
    used.add(col)


#: concepts of a plain order date ("Order date", "Date added", "Created at", "Datum"): only such a header
#: may be preferred for being the earliest of a row's dates (a customer's sign-up date may not)
_ORDER_DATE_WORDS = {"date", "time", "created", "order", "invoice", "transaction", "paid", "event", "purchase"}


def _earliest_date_first(candidates: list[tuple], sample: pd.DataFrame, profiles: dict) -> list[tuple]:
    """Among date columns whose headers say about as much (scores within 0.1 of the best), the order date
    is the earliest: an edit, update or shipping date is never before it on the same line. The column
    that is on or before each of the others on 95 % of the lines (and before one on some line) is
    ranked first."""
    dates = [t for t in candidates if t[2] == "timestamp" and t[0] >= 0.3 and profiles[t[1]]["date"] >= 0.8]
    if len(dates) < 2:
        return candidates
    top = max(t[0] for t in dates)
    close = [t for t in dates if t[0] >= top - 0.1]
    if len(close) < 2:
        return candidates
    parsed = {t[1]: parse_timestamps(sample[t[1]]).values for t in close}
    # a header that names the order ("Thời Gian Đặt Hàng": order time) beats a bare time beside it (a click before
    # the order, on Shopee's affiliate report, is earlier but is no order date)
    named = {t[1] for t in close if set(vocabulary.concepts(str(t[1]))) & {"order", "created"}}
    best = None
    for score, col, _, reason in close:
        if set(vocabulary.concepts(str(col))) - _ORDER_DATE_WORDS or (named and col not in named):
            continue
        shares = []
        for other in parsed:
            if other == col:
                continue
            both = parsed[col].notna() & parsed[other].notna()
            if both.sum() < 2:
                break
            a, b = parsed[col][both], parsed[other][both]
            if (a <= b).mean() < 0.95 or not (a < b).any():
                break
            shares.append(((a <= b).mean(), other))
        else:
            best = (score, col, reason, min(shares))
            break
    if best is None or all(t[0] < best[0] for t in close if t[1] != best[1]):
        return candidates  # none, or already first
    score, col, reason, (share, other) = best
    why = Note("the earliest of the dates of a line (on or before '{other}' on {share:.0%} of the lines): {meaning}",
               {"other": str(other), "share": float(share), "meaning": MEANINGS["timestamp"]})
    return [(min(1.0, top + 0.001), col, c, why) if (c == "timestamp" and cl == col) else (sc, cl, c, r)
            for sc, cl, c, r in candidates]


def _money_values(sample: pd.DataFrame, col) -> pd.Series:
    return parse_numbers(sample[col]).values


ORDER_TOTAL_REPEATED = ("'{column}' repeats the order's total on each of its lines ({share:.0%} of the orders of "
                        "several lines): it is not the line's amount, so each line is its quantity times its price")


def _order_total_on_every_line(sample: pd.DataFrame, choices: dict, used: set) -> Note | None:
    """An amount that is the same on every line of an order whose lines' quantity x price differ (an ERP dump that
    copies the order's total onto each line: summed over the lines it counts the order once per line) is no line
    amount: it is left out and the lines are quantity x price. Judged on the orders of several lines (at least
    five), 90 % of them; None (nothing changed) otherwise."""
    cols = {c: choices[c].source for c in ("amount", "quantity", "unit_price", "order_id") if c in choices}
    if len(cols) < 4 or not set(cols.values()) <= set(sample.columns):
        return None
    lines = pd.DataFrame({c: _money_values(sample, col) if c != "order_id" else sample[col] for c, col in cols.items()})
    lines = lines.dropna()
    lines = lines[lines.groupby("order_id")["order_id"].transform("size") >= 2]
    if lines["order_id"].nunique() < 5:
        return None
    lines = lines.assign(line=lines["quantity"] * lines["unit_price"])
    per = lines.groupby("order_id").agg(amounts=("amount", "nunique"), values=("line", "nunique"))
    varied = per[per["values"] > 1]
    if len(varied) < 5 or (varied["amounts"] == 1).mean() < 0.9:
        return None
    column = cols["amount"]
    del choices["amount"]
    used.discard(column)
    return Note(ORDER_TOTAL_REPEATED, {"column": str(column), "share": float((varied["amounts"] == 1).mean())},
                "warning")


def _line_total_and_price(sample: pd.DataFrame, profiles: dict, choices: dict, used: set) -> None:
    """Decide line total and unit price by their values: when a money column A is the quantity times
    another money column B on 90 % of the lines (and the quantity is above 1 on some of them), A is the
    amount and B the unit price, whatever their headers said ("Total" read as a price, a "Price" that
    holds line totals)."""
    qty = choices.get("quantity")
    if qty is None or qty.source not in sample.columns:
        return
    q = _money_values(sample, qty.source)
    if not (q > 1).any():
        return
    chosen = {c: choices[c].source for c in ("amount", "unit_price") if c in choices}
    if set(chosen) == {"unit_price"}:
        _price_that_grows_with_quantity(sample, q, choices, used)
        chosen = {c: choices[c].source for c in ("amount", "unit_price") if c in choices}
    pool = list(chosen.values()) + [
        col for col in sample.columns
        if col not in used and profiles[col]["number"] >= 0.95 and profiles[col]["date"] < 0.5
        and set(vocabulary.concepts(str(col))) & {"price", "amount", "revenue", "money"}
        and not set(vocabulary.concepts(str(col))) & (_NOT_MONEY | _IDQ | _ELSEWHERE)]
    if len(pool) < 2:
        return
    values = {col: _money_values(sample, col) for col in pool}
    for a in pool:
        for b in pool:
            if a == b:
                continue
            both = q.notna() & values[a].notna() & values[b].notna()
            if both.sum() < 3:
                continue
            av, bv, qv = values[a][both], values[b][both], q[both]
            ok = (av - qv * bv).abs() <= 0.011 + 0.001 * av.abs()
            if ok.mean() < 0.9 or not (ok & (qv > 1) & (av != bv)).any():
                continue
            if chosen.get("amount") == a and chosen.get("unit_price") == b:
                return
            share = float(ok.mean())
            for canonical, col in (("amount", a), ("unit_price", b)):
                old = choices.get(canonical)
                if old is not None:
                    used.discard(old.source)
                for other in [k for k, ch in choices.items() if ch.source == col and k != canonical]:
                    del choices[other]
                choices[canonical] = ColumnChoice(canonical, col, 0.8, Note(
                    "{amount} = quantity x {price} on {share:.0%} of the lines: {meaning}",
                    {"amount": str(a), "price": str(b), "share": share, "meaning": MEANINGS[canonical]}))
                used.add(col)
            return


def _price_that_grows_with_quantity(sample: pd.DataFrame, q: pd.Series, choices: dict, used: set) -> None:
    """The one money column read as the unit price is the line total when its values follow the quantity
    within a product: on the products sold in different quantities, money / quantity is the same on each of
    their lines (80 % of at least 3 such products) while the money itself is not (fewer than half). A unit
    price stays the same whatever the quantity. Read the other way round, revenue would be quantity x total."""
    product = choices.get("product_id") or choices.get("product_name")
    if product is None or product.source not in sample.columns:
        return
    col = choices["unit_price"].source
    m = _money_values(sample, col)
    frame = pd.DataFrame({"p": sample[product.source].astype("string"), "q": q, "m": m}).dropna()
    frame = frame[frame["q"] > 0]
    frame["ratio"] = (frame["m"] / frame["q"]).round(2)
    stats = frame.groupby("p").agg(qs=("q", "nunique"), ms=("m", "nunique"), rs=("ratio", "nunique"))
    told = stats[stats["qs"] >= 2]  # products sold in different quantities
    if len(told) < 3:
        return
    per_unit, same = float((told["rs"] == 1).mean()), float((told["ms"] == 1).mean())
    if per_unit < 0.8 or same >= 0.5:
        return
    del choices["unit_price"]
    choices["amount"] = ColumnChoice("amount", col, 0.7, Note(
        "its values divided by the quantity are the same on each line of {share:.0%} of the products: {meaning}",
        {"share": per_unit, "meaning": MEANINGS["amount"]}))
    used.add(col)


def _email_customer(sample: pd.DataFrame, kind: str, profiles: dict, choices: dict, used: set) -> None:
    """The customer is an e-mail address when no column names a customer id: a column of e-mail addresses
    is taken when there is no customer, or when the customer was read from a person's name (names are not
    unique). The address is pseudonymised on ingest (:mod:`ecom_analytics.ingest.privacy`)."""
    key = {"orders": "customer_id", "events": "user_id"}.get(kind)
    if key is None:
        return
    current = choices.get(key)
    if current is not None and not _a_persons_name(current.source, profiles[current.source]):
        return
    emails = [col for col in sample.columns if col not in used and profiles[col]["email"] >= 0.9
              and (current is None or profiles[col]["fill"] >= min(0.5, profiles[current.source]["fill"]))]
    if not emails:  # (an e-mail given on 1 % of the lines keys no customer better than the names on all of them)
        if current is None and kind == "orders":
            _phone_customer(sample, profiles, choices, used)
        return
    col = max(emails, key=lambda x: profiles[x]["email"])
    if current is not None:
        used.discard(current.source)
    choices[key] = ColumnChoice(key, col, 0.7, Note("{share:.0%} of its values are e-mail addresses: {meaning}",
                                                    {"share": float(profiles[col]["email"]), "meaning": MEANINGS[key]}))
    used.add(col)


def _phone_customer(sample: pd.DataFrame, profiles: dict, choices: dict, used: set) -> None:
    """Without a customer id or an e-mail (a cash-on-delivery shop's Shopify export: Email empty), the buyer's
    phone number is the customer; it is pseudonymised on ingest like an e-mail."""
    phones = [col for col in sample.columns if col not in used and profiles[col]["phone"] >= 0.9
              and profiles[col]["fill"] >= 0.5 and "phone" in vocabulary.concepts(str(col))]
    if not phones:
        return
    col = max(phones, key=lambda x: (profiles[x]["fill"], profiles[x]["phone"]))
    choices["customer_id"] = ColumnChoice("customer_id", col, 0.6, Note(
        "{share:.0%} of its values are phone numbers, and no column names a customer or holds e-mails: {meaning}",
        {"share": float(profiles[col]["phone"]), "meaning": MEANINGS["customer_id"]}))
    used.add(col)


def _mostly_empty_quantity(profiles: dict, choices: dict, used: set) -> None:
    """A quantity given on fewer than half of the lines (a florist's 'cantidad_flores' on 2 % of its orders) counts
    no line's units: it is left out, and a price beside it with no amount is then each line's amount."""
    q = choices.get("quantity")
    if q is None or profiles[q.source]["fill"] >= 0.5:
        return
    fill = float(profiles[q.source]["fill"])
    # kept as "no column", so that no other column is taken for the quantity by its values
    choices["quantity"] = ColumnChoice("quantity", None, 0.0, Note(
        "'{quantity}' is given on {fill:.0%} of the lines only: it counts no line's units", {"quantity": str(q.source),
                                                                                           "fill": fill}))
    price = choices.get("unit_price")
    if price is not None and "amount" not in choices:
        del choices["unit_price"]
        choices["amount"] = ColumnChoice("amount", price.source, price.confidence, Note(
            "{reason}; the quantity '{quantity}' is given on {fill:.0%} of the lines only, so the price is each "
            "line's amount", {"reason": price.reason, "quantity": str(q.source), "fill": fill}))


def _row_numbers(values: pd.Series) -> bool:
    """A column that numbers the rows (0, 1, 2 ... or 1, 2, 3 ... in order: a spreadsheet's or pandas' index
    saved with the data): it counts nothing."""
    numbers = pd.to_numeric(values.dropna(), errors="coerce")
    if len(numbers) < 3 or numbers.isna().any():
        return False
    steps = np.diff(numbers.to_numpy(dtype=float))
    return bool((steps == 1).mean() >= 0.95 and numbers.iloc[0] in (0, 1))


def _redacted(values: pd.Series) -> bool:
    """Most values masked by the exporter ("15***********", "3*****X"): no id to group lines by."""
    text = values.dropna().astype("string").str.strip()
    text = text[text != ""]
    return len(text) > 0 and text.str.contains(r"\*{3,}", regex=True).mean() >= 0.5


#: the measures and codes a file of order lines has; without any of them a bare "Name" names no product
_LINE_EVIDENCE = ("quantity", "unit_price", "product_id")


def _a_buyers_bare_name(col, sample: pd.DataFrame, profiles: dict, candidates: list[tuple]) -> bool:
    """A header that says only "name" (Naam, Nombre, Nom, Name) in an order-level export: the buyer's, when the
    file holds the buyer's e-mail or phone and no column reads as a quantity, a unit price or a product code."""
    if set(vocabulary.concepts(str(col))) != {"name"}:
        return False
    contact = any(p["email"] >= 0.5 or (p["phone"] >= 0.9 and "phone" in vocabulary.concepts(str(x)))
                  for x, p in profiles.items() if x != col)
    lines = any(c in _LINE_EVIDENCE and score >= 0.5 for score, _, c, _ in candidates)
    buyers = any(c == "customer_id" and score >= 0.5 for score, _, c, _ in candidates)
    return not lines and (contact or (not buyers and _peoples_names(profiles[col])))


def _peoples_names(prof: dict) -> bool:
    """Values that read as people's names: mostly filled, words with a space between them, no codes or numbers."""
    return (prof["fill"] >= 0.5 and prof["text"] >= 0.8 and prof["words"] >= 0.8 and prof["code"] < 0.2
            and prof["number"] < 0.1 and prof["email"] < 0.1)


#: the mapping's warning when the buyer's name is the only key of a customer
NAME_AS_CUSTOMER = ("No column holds a customer id, an e-mail or a phone: customers are keyed by the buyer's name in "
                    "'{column}' (pseudonymised); two buyers of the same name count as one customer.")


#: a person's name as written: two to four words of letters, each capitalised ("Isaiah Evans", "Jean-Luc Picard")
_PERSON = re.compile(r"^[^\W\d_][^\W\d_'\-.]*(?:[ '\-][^\W\d_][^\W\d_'\-.]*){1,3}$")


def _name_customer(sample: pd.DataFrame, profiles: dict, choices: dict, used: set,
                   candidates: list[tuple]) -> str | None:
    """Without a customer id, an e-mail or a phone, in an order-level export (no quantity, unit price or product
    code: PayPal's short activity download, Name, Type, Amount, Receipt ID), a bare "Name" column of people's names
    (each written as one) is the buyer; returns the column taken."""
    if any(c in _LINE_EVIDENCE and score >= 0.5 for score, _, c, _ in candidates):
        return None

    def written_as_people(col) -> bool:
        text = sample[col].dropna().astype("string").str.strip()
        text = text[text != ""]
        return len(text) > 0 and text.str.fullmatch(_PERSON).mean() >= 0.8 and \
            text.str.split().str[0].str[0].str.isupper().mean() >= 0.8

    names = [col for col in sample.columns if col not in used and set(vocabulary.concepts(str(col))) == {"name"}
             and _peoples_names(profiles[col]) and written_as_people(col)]
    if not names:
        return None
    col = max(names, key=lambda x: profiles[x]["fill"])
    choices["customer_id"] = ColumnChoice("customer_id", col, 0.5, Note(
        "its values are people's names, and no column holds a customer id, an e-mail or a phone: {meaning}",
        {"meaning": MEANINGS["customer_id"]}))
    used.add(col)
    return col


def _a_persons_name(col, prof: dict) -> bool:
    """A column that names a person, not an id: its header says name ("Customer name", "Name", "Nombre
    del cliente"), or its values are words with a space between them ("Anna Berg") and not codes."""
    c = set(vocabulary.concepts(str(col)))
    if c & (_IDQ | {"user", "account", "email"}):
        return False
    return bool(c & {"name", "person"}) or normalise_header(col) in _PII_NAME_HEADERS or (
        prof["text"] >= 0.8 and prof["words"] >= 0.8 and prof["code"] < 0.2 and prof["email"] < 0.1)


#: the note of a file whose headers the vocabulary does not read, mapped from its values
HEADERS_UNREAD = ("The headers are in a language the app does not read; the columns were mapped from their values. "
                  "Check them.")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def _headers_unread(columns) -> bool:
    """Headers in a script other than Latin that name nothing the vocabulary knows (each is unknown,
    or only 'id', 'number', 'code'), so the file is mapped from its values. Latin-script headers
    that name nothing (a weather table's 'station, temp') keep the file from being guessed at."""
    letters = [ch for c in columns for ch in str(c) if ch.isalpha()]
    if not letters or sum(bool(_LATIN.match(ch)) for ch in letters) > len(letters) / 2:
        return False
    return all(not set(vocabulary.concepts(str(c))) - (_IDQ | {"money", "unit", "line"}) for c in columns)


def _looks_like_a_shop(profiles: dict) -> bool:
    """Values of a shop export: a column of dates, ids that repeat and a column of other numbers."""
    dates = [c for c, p in profiles.items() if p["date"] >= 0.9]
    repeated = [c for c, p in profiles.items() if c not in dates and p["n"] > 0 and p["distinct"] < 0.9
                and (p["integer"] >= 0.95 or p["code"] >= 0.95)]
    numbers = [c for c, p in profiles.items() if c not in dates and p["number"] >= 0.95]
    return bool(dates) and bool(repeated) and len(set(numbers) - {repeated[0]}) >= 1


def _speaks_for_values(col, has_header: bool) -> bool:
    """Whether a column may be mapped from its values: always without a header; with one, only
    when the header names nothing (unknown words, or just 'id', 'number', 'code', a currency)."""
    if not has_header:
        return True
    return not (set(vocabulary.concepts(str(col))) - (_IDQ | {"money", "unit", "line"}))


def _fill_from_values(sample, kind, profiles, choices, used, has_header=False) -> None:
    """Map what the headers did not, from the values of the columns whose header says nothing
    (all columns of a file without a header), ranked below any header evidence: dates, event
    words, countries, statuses, quantities, money, then ids. With a header, ids are proposed
    only for columns named as ids ("id", "number", "code") without saying of what: an unnamed
    number column (a zip code, a quantity) is not guessed to be an id."""
    free = [c for c in sample.columns if c not in used and _speaks_for_values(c, has_header)]
    if has_header and not used:
        return  # no header says this is a shop export (a weather table): its numbers are not guessed

    def take(canonical: str, col, confidence: float, reason: Note) -> None:
        choices[canonical] = ColumnChoice(canonical, col, round(confidence, 2), reason)
        used.add(col)
        free.remove(col)

    if "timestamp" not in choices:
        best = max(free, key=lambda c: (profiles[c]["date"], profiles[c]["unix"]), default=None)
        if best is not None and profiles[best]["date"] >= 0.9:
            take("timestamp", best, 0.7, Note("its values are dates or Unix times"))
    if kind == "events" and "event_type" not in choices:
        best = max(free, key=lambda c: _value_fit("event_type", profiles[c]), default=None)
        if best is not None and _value_fit("event_type", profiles[best]) >= 0.8:
            take("event_type", best, 0.75, Note("its values are event names (pv, cart, buy, ...)"))
    if kind == "sales":
        return
    if kind == "orders":
        for canonical, key, words in (("country", "country", "country names or ISO codes"),
                                      ("status", "status", "status words")):
            code = "{share:.0%} of its values are " + words + ": {meaning}"
            if canonical in choices:
                continue
            best = max(free, key=lambda c: profiles[c][key], default=None)
            if best is not None and profiles[best][key] >= 0.8 and profiles[best]["number"] < 0.5:
                take(canonical, best, 0.6, Note(code, {"share": float(profiles[best][key]),
                                                       "meaning": MEANINGS[canonical]}))
    _fill_measures(sample, kind, profiles, choices, free, take)
    _fill_ids(sample, kind, profiles, choices, free, take, has_header)
    if not has_header and "product_name" not in choices and kind == "orders":
        texts = [c for c in free if profiles[c]["text"] >= 0.8 and profiles[c]["number"] < 0.2
                 and profiles[c]["country"] < 0.5 and profiles[c]["status"] < 0.5 and profiles[c]["email"] < 0.5]
        best = max(texts, key=lambda c: (profiles[c]["words"], profiles[c]["avglen"]), default=None)
        if best is not None and (profiles[best]["words"] >= 0.5 or profiles[best]["avglen"] >= 12):
            take("product_name", best, 0.55, Note("texts of several words, {distinct:.0%} distinct: {meaning}",
                                                  {"distinct": float(profiles[best]["distinct"]),
                                                   "meaning": MEANINGS["product_name"]}))


def _plain(value):
    """A NumPy scalar as the plain Python number (note parameters are stored as JSON)."""
    return value.item() if hasattr(value, "item") else value


def _numbers(sample: pd.DataFrame, col) -> pd.Series:
    return parse_numbers(sample[col]).values


def _fill_measures(sample, kind, profiles, choices, free, take) -> None:
    """Quantities (small whole numbers) and money (decimals, currency marks) by their values."""
    def numeric(c):
        p = profiles[c]
        return p["number"] >= 0.95 and p["date"] < 0.5 and p["n"] > 0 and not _zeros_only(p)
    if kind == "orders" and "quantity" not in choices:
        counts = [c for c in free if numeric(c) and profiles[c]["integer"] >= 0.98 and profiles[c]["currency"] == 0
                  and not _row_numbers(sample[c])
                  and abs(profiles[c]["median"]) <= 50 and 1 <= profiles[c]["high"] < 1e6
                  and (profiles[c]["nunique"] <= 200 or profiles[c]["distinct"] <= 0.2)]
        best = min(counts, key=lambda c: (abs(profiles[c]["median"]), profiles[c]["nunique"]), default=None)
        if best is not None:
            p = profiles[best]
            take("quantity", best, 0.6, Note("whole numbers from {low:g} to {high:g}, {distinct:.0%} distinct: {meaning}",
                                             {"low": float(p["low"]), "high": float(p["high"]),
                                              "distinct": float(p["distinct"]), "meaning": MEANINGS["quantity"]}))
    money = [c for c in free if numeric(c) and (profiles[c]["decimals"] >= 0.5 or profiles[c]["currency"] >= 0.5)
             and profiles[c]["unix"] < 0.5]
    if not money:
        return

    def why(c, canonical: str) -> Note:
        p = profiles[c]
        if p["currency"] >= 0.5:
            return Note("{share:.0%} of its values carry a currency mark: {meaning}",
                        {"share": float(p["currency"]), "meaning": MEANINGS[canonical]})
        return Note("decimal values with {places} places, {distinct:.0%} distinct: {meaning}",
                    {"places": _plain(p["places"]), "distinct": float(p["distinct"]), "meaning": MEANINGS[canonical]})

    if kind == "events":
        if "price" not in choices:
            take("price", money[0], 0.55, why(money[0], "price"))
        return
    if "amount" in choices and "unit_price" in choices:
        return
    qty = choices.get("quantity")
    q = _numbers(sample, qty.source) if qty is not None and qty.source in sample.columns else None
    if "unit_price" in choices and "amount" not in choices:
        return  # amount = quantity x unit price
    if "amount" in choices:
        if q is not None:
            take("unit_price", money[0], 0.5, why(money[0], "unit_price"))
        return
    if q is not None and len(money) >= 2:
        # the amount is the quantity times the price
        for a in money:
            for p in money:
                if a != p:
                    av, pv = _numbers(sample, a), _numbers(sample, p)
                    ok = (av - q * pv).abs() <= 0.011 + 0.001 * av.abs()
                    if ok.mean() >= 0.9:
                        take("amount", a, 0.65, Note("amount = quantity x price on {share:.0%} of the lines: {meaning}",
                                                     {"share": float(ok.mean()), "meaning": MEANINGS["amount"]}))
                        take("unit_price", p, 0.65, why(p, "unit_price"))
                        return
    m = money[0]
    if q is not None:
        mv = _numbers(sample, m)
        both = q.notna() & mv.notna()
        corr = q[both].rank().corr(mv[both].rank()) if both.sum() > 5 else 0.0
        if corr is not None and corr >= 0.3:
            take("amount", m, 0.55, Note("money that grows with the quantity (rank correlation {corr:.2f}): {meaning}",
                                         {"corr": float(corr), "meaning": MEANINGS["amount"]}))
        else:
            take("unit_price", m, 0.55, why(m, "unit_price"))
        return
    take("amount", m, 0.55, why(m, "amount"))


def _fill_ids(sample, kind, profiles, choices, free, take, has_header) -> None:
    """Ids by what they repeat with: an order number repeats on lines with the same time; a
    product id names one product; the customer is the id left. Events keep the order such
    logs use (user, item, category)."""
    def idish(c):
        p = profiles[c]
        return p["n"] > 0 and (p["integer"] >= 0.95 or p["code"] >= 0.95 or p["email"] >= 0.9) and p["date"] < 0.5 \
            and not (p["decimals"] >= 0.5 and p["integer"] < 0.95)
    ids = [c for c in free if idish(c)]
    if has_header:
        # named as an id but not of what: only the FD rules below may place it
        ids = [c for c in ids if set(vocabulary.concepts(str(c))) & _IDQ]
    if kind == "events":
        if has_header:
            return
        for canonical in ("user_id", "product_id", "category"):
            if canonical in choices or not ids:
                continue
            take(canonical, ids.pop(0), 0.5, Note("an id column, assigned by position (user, item, category)"))
        if "category" not in choices:
            words = [c for c in free if profiles[c]["text"] >= 0.8 and profiles[c]["words"] < 0.2
                     and profiles[c]["nunique"] <= 0.2 * max(1, profiles[c]["n"]) and profiles[c]["event"] < 0.5
                     and profiles[c]["code"] < 0.5]
            best = min(words, key=lambda c: -profiles[c]["avglen"], default=None)
            if best is not None:
                p = profiles[best]
                take("category", best, 0.45, Note("a few words repeated ({n:,} distinct): {meaning}",
                                                  {"n": _plain(p["nunique"]), "meaning": MEANINGS["category"]}))
        return
    ts = choices.get("timestamp")
    when = sample[ts.source].astype("string") if ts is not None and ts.source in sample.columns else None
    if "order_id" not in choices and when is not None:
        fits = []
        for c in ids:
            key = sample[c].astype("string")
            groups = key.nunique()
            if groups == 0 or groups >= key.notna().sum():
                continue
            same_time = (pd.DataFrame({"k": key, "t": when}).dropna().groupby("k")["t"].nunique() == 1).mean()
            if same_time >= 0.95:
                fits.append((groups, c, same_time))
        if fits:
            groups, c, share = max(fits)
            take("order_id", c, 0.55, Note("ids repeated on lines with the same time ({n:,} distinct): {meaning}",
                                           {"n": int(groups), "meaning": MEANINGS["order_id"]}))
            ids.remove(c)
    name = choices.get("product_name")
    order = choices.get("order_id")
    # a bare "Id" is the key of the export's own rows (Shopify's order Id, on an order's first line): never the
    # product, nor the customer
    ids = [c for c in ids if normalise_header(c) != "id" or c == (order.source if order is not None else None)]
    products = [c for c in ids if not _order_level(sample, c, order.source if order is not None else None)]
    if "product_id" not in choices and products:
        best, best_share = None, 0.0
        if name is not None and name.source in sample.columns:
            names = sample[name.source].astype("string")
            for c in products:
                key = sample[c].astype("string")
                share = (pd.DataFrame({"k": key, "n": names}).dropna().groupby("k")["n"].nunique() == 1).mean()
                if share > best_share and key.nunique() > 1:
                    best, best_share = c, share
        if best is None or best_share < 0.9:
            # a product recurs: codes that never repeat (a payment's own "id", one row) name the rows, not products
            coded = [c for c in products if profiles[c]["code"] >= 0.95 and profiles[c]["integer"] < 0.95
                     and profiles[c]["nunique"] < profiles[c]["n"] * (0.8 if when is not None else 1)]
            # (on dated lines a product recurs: a card's approval code, 805 distinct of 806, names the payment)
            best = coded[0] if coded else None
        if best is not None:
            take("product_id", best, 0.5, Note("codes that each name one product ({n:,} distinct): {meaning}",
                                               {"n": _plain(profiles[best]["nunique"]), "meaning": MEANINGS["product_id"]}))
            ids.remove(best)
    product = choices.get("product_id")
    if product is not None and product.source in sample.columns:
        ids = [c for c in ids if not _same_grouping(sample[c], sample[product.source])]
    # a customer recurs, and is not the order under another code (a parcel's "Packet Id" beside "Sub Order No")
    ids = [c for c in ids if 2 <= profiles[c]["nunique"] <= 0.9 * profiles[c]["n"]
           and not (order is not None and order.source in sample.columns
                    and _same_grouping(sample[c], sample[order.source]))]
    if "customer_id" not in choices and ids:
        c = ids[0]
        take("customer_id", c, 0.5, Note("ids that recur across orders and days ({n:,} distinct): {meaning}",
                                         {"n": _plain(profiles[c]["nunique"]), "meaning": MEANINGS["customer_id"]}))


def _same_grouping(a: pd.Series, b: pd.Series) -> bool:
    """Two columns that name the same things: each value of one goes with one value of the other, both ways, on
    95 % of the values that recur (a marketplace's own product id beside the seller's SKU is a product's
    second code, not a customer)."""
    frame = pd.DataFrame({"a": a.astype("string"), "b": b.astype("string")}).dropna()
    if frame.empty or frame["a"].nunique() < 2:
        return False
    ab = frame.groupby("a")["b"].nunique()
    ba = frame.groupby("b")["a"].nunique()
    return bool((ab == 1).mean() >= 0.95 and (ba == 1).mean() >= 0.95)


def _order_level(sample: pd.DataFrame, col, order_col) -> bool:
    """A column with one value per order (a tracking, parcel or payment number): the same on every line of
    the orders that have several lines. Without such orders, a column whose values never repeat over 20
    lines or more is not a product either (a product's id recurs)."""
    vals = sample[col].astype("string")
    if order_col is not None and order_col in sample.columns and order_col != col:
        # an order's lines: all of them (Shopify writes order-level fields on the first line only, so a value
        # there and empty cells below is one value per order too), and the values they hold
        frame = pd.DataFrame({"k": sample[order_col].astype("string"), "v": vals}).dropna(subset=["k"])
        sizes = frame.groupby("k")["v"].agg(["size", "nunique", "count"])
        multi = sizes[(sizes["size"] >= 2) & (sizes["count"] >= 1)]
        if len(multi):
            return bool((multi["nunique"] == 1).mean() >= 0.95)
    present = vals.dropna()
    return len(present) >= 20 and present.nunique() == len(present)


def detect_pii(frame: pd.DataFrame, profiles: dict | None = None) -> dict[str, str]:
    """Source columns that hold e-mail addresses, phone numbers or person names."""
    sample = frame.head(5000)
    sample.attrs = {}
    profiles = profiles or {c: _profile(sample[c]) for c in frame.columns}
    out = {}
    for col in frame.columns:
        norm = normalise_header(col)
        prof = profiles[col]
        if prof.get("email", 0) >= 0.5:
            out[col] = "email"
        elif (norm in _PII_PHONE_HEADERS or norm.endswith("phone")) and prof.get("phone", 0) >= 0.3:
            out[col] = "phone"
        elif norm in ("buyer", "purchaser", "recipient", "customer", "client") and _a_persons_name(col, prof):
            out[col] = "name"  # Etsy's "Buyer": "Stephanie Nguyen (skn525)", a person's name, masked and hashed
        elif norm in _PII_NAME_HEADERS or (norm.endswith("name") and any(norm.startswith(p) for p in ("billing", "shipping", "first", "last", "customer", "full"))):
            vals = sample[col].dropna().astype("string")
            if not (norm == "name" and len(vals) and vals.str.fullmatch(r"#?[A-Za-z]{0,12}[-_]?\d+").mean() >= 0.8):
                out[col] = "name"
    return out


#: the warning of an events column whose values are (almost) all words or codes the app does not know
EVENTS_UNKNOWN = ("{share:.0%} of the events in '{column}' are of types the app does not know ({values}) and were read as "
                  "'other', so the funnel and the behaviour features have (almost) nothing to count. Export the event "
                  "names (view, cart, purchase) or recode them before uploading.")


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


#: the values of a holiday/promotion flag that say yes
_FLAG_YES = ["true", "yes", "y", "t", "x", "ja", "wahr", "oui", "vrai", "si", "sí", "verdadero", "sim", "verdadeiro",
             "tak", "evet", "да", "是", "真", "はい", "예"]


def _flag_column(s: pd.Series) -> pd.Series:
    """A holiday/promotion flag as 1.0/0.0 (true/yes/y/1/any positive number, and yes in the vocabulary's
    languages: ja, oui, sí, sim, да, 是, はい, 예 = 1; empty = 0)."""
    text = s.astype("string").str.strip().str.lower()
    num = pd.to_numeric(text, errors="coerce")
    yes = text.isin(_FLAG_YES).fillna(False) | num.gt(0).fillna(False)
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


def _of_column(column: str, note: Note) -> Note:
    """A parser's note on one canonical column: "{column}: " before its template."""
    return Note("{column}: " + note.code, {"column": column, **note.params}, note.severity)


@dataclass
class Canonical:
    """A canonical table built from a raw table, plus per-row parse problems."""

    table: pd.DataFrame  # canonical columns + "source_line"
    problems: pd.Series  # per row: first problem ("unreadable_date", "unreadable_number") or NA
    problem_detail: pd.Series  # per row: the offending value, for the quarantine
    notes: list[Note]
    parse_details: dict[str, str]
    event_type_map: dict[str, str] = field(default_factory=dict)
    #: per parse rule ("unreadable_date", "unreadable_number"): every row it matched, also
    #: rows whose first problem is another one (so a row's ``reasons`` can list them all)
    problem_masks: dict[str, pd.Series] = field(default_factory=dict)
    #: orders: per row, the amount refunded on its order as the refund column gives it (once per order: a value
    #: repeated on every line of an order counts on its first line), NaN elsewhere; None without a refund column
    refunds: pd.Series | None = None
    #: the source column of ``refunds``
    refund_source: str | None = None


MERGED_DATES = ("'{column}' gives the date once for the lines below it (merged cells of a spreadsheet): {n:,} lines "
                "without a date took the date above them")
#: merged-cell dates: at least this share of the lines has no date, and at most this share
_MERGED_MIN, _MERGED_MAX = 0.2, 0.95


def fill_merged_dates(values: pd.Series, failed: pd.Series) -> tuple[pd.Series, int]:
    """Dates written once for a group of lines (a spreadsheet's merged cells, exported as one dated line and
    empty ones below it) copied down, and how many lines took one. Only where the file reads as such: the
    first line is dated, 20-95 % of the lines have an empty date cell (not an unreadable one) and the dated
    lines run in date order (up or down), so an empty cell lies between two dates it belongs with."""
    empty = values.isna() & ~failed.fillna(False).astype(bool)
    n = len(values)
    if n < 3 or not empty.any() or pd.isna(values.iloc[0]) or failed.any():
        return values, 0
    share = float(empty.mean())
    if not _MERGED_MIN <= share <= _MERGED_MAX:
        return values, 0
    dated = values.dropna()
    steps = np.diff(dated.to_numpy(dtype="datetime64[ns]").astype("int64"))
    if len(steps) and not ((steps >= 0).all() or (steps <= 0).all()):
        return values, 0
    return values.ffill(), int(empty.sum())


PHONE_FOR_EMAIL = ("{n:,} lines without an e-mail in '{column}' (buyers who gave only a phone, as cash-on-delivery "
                   "shops take them) were keyed by the phone number in '{phone}' instead of being set aside")


NAME_FOR_EMAIL = ("{n:,} lines with neither an e-mail in '{column}' nor a phone were keyed by the buyer's name in "
                  "'{name}' instead of being set aside; two buyers of the same name count as one customer")


def _buyer_keys(pii: dict) -> tuple[list, list]:
    """The columns that can key a buyer who gave no e-mail, in the order tried: phones, then the person-name
    columns that name the buyer (billing, customer, buyer, full name; never a shipping recipient, nor a first or
    last name alone)."""
    phones = [c for c, what in pii.items() if what == "phone"]
    names = [c for c, what in pii.items() if what == "name"
             and any(w in normalise_header(c) for w in ("billing", "customer", "buyer", "fullname"))]
    return phones, names


def _key_where_empty(frame: pd.DataFrame, keys: pd.Series, columns: list, order_key, prefix: str
                     ) -> tuple[pd.Series, tuple | None]:
    """Customer keys with the lines that have none keyed by ``columns`` of the same export (the first that has a
    value, each filled across its order's lines; ``prefix`` keeps a phone or a name apart from an e-mail), and
    (lines keyed so, columns used) when any were; every key is pseudonymised after."""
    used, taken = [], 0
    for col in columns:
        if not keys.isna().any():
            break
        if col not in frame.columns:
            continue
        values, _ = _fill_from_order(_text_column(frame[col], "customer_id"), order_key)
        take = keys.isna() & values.notna()
        if take.any():
            keys = keys.mask(take, prefix + values)
            taken += int(take.sum())
            used.append(str(col))
    return (keys, (taken, ", ".join(used))) if taken else (keys, None)


SALES_UNITS_TIMES_PRICE = "value = {units} x {price} (units times the price of one unit: revenue)"
TIME_OF_DAY = ("timestamp: the dates in '{date}' carry no time of day; the time of {n:,} lines was taken from "
               "'{time}' beside them")


def apply_mapping(frame: pd.DataFrame, mapping: Mapping, *, pseudonymise=None) -> Canonical:
    """Build the canonical table of ``mapping.kind`` from ``frame``.

    ``pseudonymise`` (a function of a string Series) replaces customer keys that are e-mail
    addresses or phone numbers; raw PII never leaves this function.
    """
    missing = mapping.missing_required()
    if missing:
        raise InputError("The file has no column for {columns}. Choose the column that holds it in the mapping, or "
                         "upload an export that includes it.", columns=", ".join(missing))
    m = mapping.as_dict()
    absent = [src for src in m.values() if src not in frame.columns]
    if absent:
        raise InputError("The mapping refers to column(s) not in the file: {columns}.",
                         columns=', '.join(map(str, absent)))
    n = len(frame)
    index = pd.RangeIndex(n)
    frame = frame.reset_index(drop=True)
    cols = schema.columns(mapping.kind)
    out: dict[str, pd.Series] = {}
    problems = pd.Series(pd.NA, index=index, dtype="string")
    detail = pd.Series(pd.NA, index=index, dtype="string")
    notes: list[Note] = []
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

    extras = mapping.extras(frame)
    ts = parse_timestamps(date_first(frame[m["timestamp"]]))
    when = ts.values
    if "time_of_day" in extras:
        seconds = time_of_day_seconds(frame[extras["time_of_day"]])
        timed = when.notna() & seconds.notna()
        when = when.where(~timed, when + pd.to_timedelta(seconds.where(timed, 0.0), unit="s"))
        notes.append(Note(TIME_OF_DAY, {"date": str(m["timestamp"]), "time": str(extras["time_of_day"]),
                                        "n": int(timed.sum())}))
    out["timestamp"], filled["timestamp"] = _fill_from_order(when, order_key)
    out["timestamp"], merged = fill_merged_dates(out["timestamp"], ts.failed)
    if merged:
        notes.append(Note(MERGED_DATES, {"column": str(m["timestamp"]), "n": merged}))
    details["timestamp"] = ts.detail
    notes += [_of_column("timestamp", x) for x in ts.notes]
    flag(ts.failed | out["timestamp"].isna(), "unreadable_date", m["timestamp"], frame[m["timestamp"]])

    numeric = {"orders": ("quantity", "unit_price", "amount"), "sales": ("value", "unit_price")}.get(mapping.kind,
                                                                                                     ("price",))
    for c in numeric:
        if c in m:
            p = parse_numbers(frame[m[c]])
            out[c] = p.values
            details[c] = p.detail
            notes += [_of_column(c, x) for x in p.notes]
            flag(p.failed, "unreadable_number", m[c], frame[m[c]])
        else:
            out[c] = pd.Series(np.nan, index=index, dtype="float64")
    if mapping.kind == "orders" and "amount" not in m:
        out["amount"] = out["quantity"] * out["unit_price"]
        notes.append(Note("amount = quantity x unit_price"))
    if mapping.kind == "sales" and "unit_price" in m:
        out["value"] = out["value"] * out["unit_price"]
        notes.append(Note(SALES_UNITS_TIMES_PRICE, {"units": str(m["value"]), "price": str(m["unit_price"])}))

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
        notes.append(Note("order-level fields written on an order's first line only were copied to its other lines "
                          "({counts})", {"counts": ", ".join(f"{c}: {k:,} lines" for c, k in filled.items())}))
    event_map: dict[str, str] = {}
    if mapping.kind == "events":
        out["event_type"], event_map = normalise_event_types(out["event_type"])
        out["event_type"] = out["event_type"].fillna("other")
        unknown = [v for v, c in event_map.items() if c == "other"]
        if unknown and out["event_type"].eq("other").mean() >= 0.9:
            notes.append(Note(EVENTS_UNKNOWN, {"column": str(m["event_type"]), "share": float(out["event_type"].eq("other").mean()),
                                               "values": ", ".join(sorted(unknown, key=str)[:8])}, "warning"))
    key = "customer_id" if mapping.kind == "orders" else "user_id"
    source = m.get(key)
    phoned = None
    if mapping.kind == "orders" and source is not None and mapping.pii_columns.get(source) == "email":
        phones, names = _buyer_keys(mapping.pii_columns)
        out[key], phoned = _key_where_empty(frame, out[key], phones, order_key, "tel:")
        if phoned:
            notes.append(Note(PHONE_FOR_EMAIL, {"column": str(source), "n": phoned[0], "phone": phoned[1]}))
        out[key], named = _key_where_empty(frame, out[key], names, order_key, "name:")
        if named:
            notes.append(Note(NAME_FOR_EMAIL, {"column": str(source), "n": named[0], "name": named[1]}, "warning"))
            phoned = phoned or named
    if pseudonymise is not None and source is not None:
        matched = out[key].dropna().head(1000).str.match(_EMAIL).fillna(False).astype(bool)
        looks_pii = mapping.pii_columns.get(source) in ("email", "phone", "name") or phoned is not None or \
            (len(matched) > 0 and float(matched.mean()) > 0.5)
        if looks_pii:
            out[key] = pseudonymise(out[key])
            notes.append(Note("{key}: '{source}' holds personal data; it was replaced by a salted hash",
                              {"key": key, "source": str(source)}))
    table = pd.DataFrame({c: out[c] for c in cols}, index=index)
    lines = frame.attrs.get("line_numbers")
    table["source_line"] = np.asarray(lines, dtype="int64") if lines is not None and len(lines) == n else np.arange(1, n + 1)
    table = schema.conform(table, mapping.kind)
    masks = {r: pd.Series(np.asarray(m_, dtype=bool), index=index) for r, m_ in masks.items()}
    refunds = _refunds(frame[extras["refund"]], order_key) if "refund" in extras else None
    return Canonical(table, problems, detail, notes, details, event_map, masks, refunds, extras.get("refund"))


def _refunds(values: pd.Series, order_key: pd.Series | None) -> pd.Series:
    """The amounts a refund column gives, per row (a refund written as -42.00 is 42.00; an unreadable or empty
    cell none): an order whose lines all repeat one value is refunded it once, on its first line (Shopify writes
    the refund of an order on its first line only, other exports on every line)."""
    amounts = parse_numbers(values).values.abs().where(lambda v: v > 0)
    if order_key is None:
        return amounts
    frame = pd.DataFrame({"k": order_key, "v": amounts})
    stats = frame.groupby("k", sort=False)["v"].agg(["count", "nunique"])
    repeated = stats.index[(stats["count"] >= 2) & (stats["nunique"] == 1)]
    later = frame["k"].isin(repeated) & frame.duplicated(subset=["k", "v"], keep="first") & amounts.notna()
    return amounts.mask(later)
