"""Non-merchandise lines: postage, fees, manual adjustments, discounts, bank charges.

Shops book these as "products" (Online Retail's POST, DOT, M, D, BANK CHARGES, AMAZONFEE), so
they lead product rankings, recommendations and product forecasts although nobody browses or
recommends a postage charge. :func:`non_merchandise` names them from the product's name (the
whole name must be a fee-like phrase, so "POSTAGE STAMP SET" stays merchandise) or, for a
product without a name, from a code that is one of the well-known fee codes; a product is judged
on its most frequent name (:func:`fee_products`). Their revenue stays in every total; only
product-level views leave them out, by default and with a visible switch.
"""

from __future__ import annotations

import re

import pandas as pd

#: whole product names that are a charge, not an article (matched case-insensitively, trimmed)
_FEE_NAMES = re.compile(
    r"^(?:(?:dotcom |next day )?postage|(?:next day )?carriage|manual|bank charges?|amazon fees?|discount|"
    r"samples?|cruk commission|adjust(?:ment)?(?: bad debt)?|(?:shipping|delivery|freight|handling|postage)"
    r"(?: (?:fee|charge|cost)s?)?|(?:service|transaction|payment|processing|packaging|gift wrap(?:ping)?) "
    r"(?:fee|charge)s?|fees?|surcharge|voucher|gift ?card|store credit|refund|"
    r"frais de port|frais d'envoi|gastos de envío|envío|versand(?:kosten)?|porto|spedizione|frete|verzendkosten|"
    r"运费|邮费|快递费|手续费|折扣|优惠|调整|送料|手数料|배송비)$",
    re.IGNORECASE)
#: product codes that are fees in the widely used UCI Online Retail exports (I and II); its
#: one-letter fee codes (M, D, S, B) are left out: elsewhere they can be articles
FEE_CODES = frozenset({"POST", "DOT", "C2", "CRUK", "BANK CHARGES", "AMAZONFEE", "ADJUST", "ADJUST2"})


def non_merchandise(product_id: pd.Series, product_name: pd.Series | None = None) -> pd.Series:
    """True where a product is a charge rather than an article (same index as ``product_id``):
    its whole name is a fee-like phrase, or it has no name and its code is one of :data:`FEE_CODES`."""
    codes = product_id.astype("string").str.strip().str.upper()
    by_code = codes.isin(FEE_CODES).fillna(False)
    if product_name is None:
        return by_code.astype(bool)
    names = product_name.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    # a code such as "B" or "M" can be a real article elsewhere: it counts only for a product without a name
    return (names.str.fullmatch(_FEE_NAMES).fillna(False) | (by_code & names.isna())).astype(bool)


def _product_keys(frame: pd.DataFrame) -> pd.Series:
    """Each row's product: its id, or its name when it has no id (as the Overview's product list)."""
    names = frame["product_name"] if "product_name" in frame.columns else pd.Series(pd.NA, index=frame.index)
    ids = frame["product_id"] if "product_id" in frame.columns else pd.Series(pd.NA, index=frame.index)
    return ids.astype("string").fillna(names.astype("string"))


def fee_products(frame: pd.DataFrame) -> pd.DataFrame:
    """The distinct non-merchandise products of an orders or events table: ``product_id,
    product_name``, judged on each product's most frequent name (the name stands for the id of a
    product without one), sorted by id. Empty without product ids or names."""
    if frame.empty or not ({"product_id", "product_name"} & set(frame.columns)):
        return pd.DataFrame(columns=["product_id", "product_name"])
    names = frame["product_name"] if "product_name" in frame.columns else pd.Series(pd.NA, index=frame.index)
    pairs = pd.DataFrame({"product_id": _product_keys(frame), "product_name": names.astype("string")})
    counted = pairs.dropna(subset=["product_id"]).value_counts(["product_id", "product_name"], dropna=False)
    counted = counted.rename("n").reset_index().sort_values(["product_id", "n", "product_name"],
                                                            ascending=[True, False, True])
    products = counted.drop_duplicates("product_id")[["product_id", "product_name"]].reset_index(drop=True)
    return products[non_merchandise(products["product_id"], products["product_name"])].reset_index(drop=True)


def fee_products_of(table) -> pd.DataFrame:
    """:func:`fee_products` of an Ibis table (a stored dataset scanned in place, on any engine): only
    the counts of each (product, name) pair come back to pandas."""
    import ibis

    cols = set(table.columns)
    if not ({"product_id", "product_name"} & cols):
        return pd.DataFrame(columns=["product_id", "product_name"])
    name = table.product_name.cast("string") if "product_name" in cols else ibis.null("string")
    key = table.product_id.cast("string") if "product_id" in cols else ibis.null("string")
    pairs = table.select(product_id=ibis.coalesce(key, name), product_name=name)
    counted = pairs.filter(pairs.product_id.notnull()).group_by(["product_id", "product_name"]).aggregate(
        n=ibis._.count()).to_pandas()
    if counted.empty:
        return pd.DataFrame(columns=["product_id", "product_name"])
    counted = counted.astype({"product_id": "string", "product_name": "string"}).sort_values(
        ["product_id", "n", "product_name"], ascending=[True, False, True], na_position="last")
    products = counted.drop_duplicates("product_id")[["product_id", "product_name"]].reset_index(drop=True)
    return products[non_merchandise(products["product_id"], products["product_name"])].reset_index(drop=True)


def without_fees_of(table, fees: pd.DataFrame):
    """Ibis table ``table`` without the rows of the products in ``fees`` (``product_id`` as
    :func:`fee_products` gives it: the id, or the name of a product without one); rows without a
    product are kept."""
    import ibis

    cols = set(table.columns)
    if fees.empty or not ({"product_id", "product_name"} & cols):
        return table
    name = table.product_name.cast("string") if "product_name" in cols else ibis.null("string")
    key = ibis.coalesce(table.product_id.cast("string") if "product_id" in cols else ibis.null("string"), name)
    return table.filter(key.isnull() | ~key.isin(fees["product_id"].astype(str).tolist()))


def without_fees(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """``frame`` (orders or events) without the rows of its non-merchandise products
    (:func:`fee_products`); rows without a product are kept."""
    if frame is None or frame.empty or not ({"product_id", "product_name"} & set(frame.columns)):
        return frame
    return frame[~_product_keys(frame).isin(fee_products(frame)["product_id"]).to_numpy()]
