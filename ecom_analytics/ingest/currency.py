"""The currency of an export: from a currency column or from the symbols in its money columns.

Amounts are never converted. :func:`detect_currency` names the one currency a dataset is in, so
every money figure can carry its symbol, or says that the amounts mix currencies (then totals add
them as they are, and the app warns). Exports that write neither a symbol nor a currency column
(UCI Online Retail) stay without one: the country is not evidence enough.
"""

from __future__ import annotations

import re

import pandas as pd

#: symbols written next to amounts -> ISO code (None when the symbol alone is ambiguous)
SYMBOLS: dict[str, str | None] = {
    "R$": "BRL", "US$": "USD", "HK$": "HKD", "NT$": "TWD", "A$": "AUD", "C$": "CAD", "S$": "SGD", "NZ$": "NZD",
    "£": "GBP", "€": "EUR", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₫": "VND", "₱": "PHP", "฿": "THB",
    "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "RM": "MYR", "Rp": "IDR", "元": "CNY", "￥": "CNY", "円": "JPY",
    "$": None, "¥": None, "kr": None,
}
#: ISO 4217 codes accepted in a currency column or written beside amounts
CODES = frozenset("AED ARS AUD BGN BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR JPY KRW MXN MYR "
                  "NGN NOK NZD PEN PHP PKR PLN RON RUB SAR SEK SGD THB TRY TWD UAH USD VND ZAR RMB".split())
#: how a figure writes each currency (the code and a space where no symbol is unambiguous)
DISPLAY = {"GBP": "£", "EUR": "€", "USD": "$", "CNY": "¥", "RMB": "¥", "JPY": "¥", "BRL": "R$", "INR": "₹",
           "KRW": "₩", "HKD": "HK$", "TWD": "NT$", "AUD": "A$", "CAD": "C$", "SGD": "S$", "RUB": "₽", "TRY": "₺"}
#: header words of a currency column
HEADERS = re.compile(r"^(?:currency(?:[ _]?code)?|currency_iso|curr|ccy|货币|币种|幣別|幣種|通貨|währung|waehrung|"
                     r"devise|moneda|moeda|valuta|divisa|waluta|měna|통화)$", re.I)
SHARE = 0.95  # one currency must hold this share of the values that name one
#: what the Data page and the CLI say when the amounts mix currencies (``listed``: each currency and its share)
MIXED = ("The amounts are in more than one currency ({listed}). Totals add them as they are, without conversion: "
         "filter the export to one currency before comparing figures.")

_TOKEN = re.compile("|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
                    + r"|\b(?:" + "|".join(sorted(CODES)) + r")\b")


def currency_column(frame: pd.DataFrame) -> str | None:
    """The source column that names each row's currency: its header says so and most of its
    values are ISO codes; None when there is none."""
    for name in frame.columns:
        if not HEADERS.match(str(name).strip()):
            continue
        values = frame[name].astype("string").str.strip().str.upper().dropna()
        if len(values) and values.isin(CODES).mean() >= 0.9:
            return str(name)
    return None


def _shares(counts: pd.Series) -> list[dict]:
    total = counts.sum()
    return [{"currency": str(k), "share": float(v / total)} for k, v in counts.items()]


def detect_currency(frame: pd.DataFrame, money_columns: list[str], sample: int = 20_000) -> dict:
    """The currency of a raw export: ``{"code", "symbol", "source", "currencies"}``.

    ``source`` is "column" (a currency column), "symbol" (symbols or codes written in the money
    columns) or "none"; ``code`` is the ISO code (None when unknown, mixed, or a bare "$"/"¥"),
    ``symbol`` what money figures show (the symbol seen, else the code's usual one, else the code),
    ``currencies`` every currency found with its share of the rows that name one; more than one
    share under :data:`SHARE` means mixed, and ``code`` and ``symbol`` are then None."""
    column = currency_column(frame)
    if column is not None:
        values = frame[column].astype("string").str.strip().str.upper().replace({"RMB": "CNY"}).dropna()
        counts = values[values.isin(CODES)].value_counts()
        found = _shares(counts)
        if counts.iloc[0] / counts.sum() >= SHARE:
            code = str(counts.index[0])
            return {"code": code, "symbol": DISPLAY.get(code, code + " "), "source": "column", "column": column,
                    "currencies": found}
        return {"code": None, "symbol": None, "source": "column", "column": column, "currencies": found}
    tokens = []
    for name in money_columns:
        if name not in frame.columns:
            continue
        text = frame[name].dropna().astype("string").head(sample)
        tokens.extend(text.str.extract(f"({_TOKEN.pattern})", expand=False).dropna().tolist())
    tokens = pd.Series(tokens, dtype="string")  # (a plain list: the reader's frame carries attrs concat would compare)
    if tokens.empty:
        return {"code": None, "symbol": None, "source": "none", "column": None, "currencies": []}
    counts = tokens.value_counts()
    found = _shares(counts)
    if counts.iloc[0] / counts.sum() < SHARE:
        return {"code": None, "symbol": None, "source": "symbol", "column": None, "currencies": found}
    token = str(counts.index[0])
    code = token if token in CODES else SYMBOLS.get(token)
    symbol = token if token in SYMBOLS else DISPLAY.get(token, token + " ")
    return {"code": "CNY" if code == "RMB" else code, "symbol": symbol, "source": "symbol", "column": None,
            "currencies": found}
