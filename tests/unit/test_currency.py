"""The currency of an export (issue #21): from a currency column or the symbols beside amounts;
mixed currencies are named with their shares; no evidence, no currency."""

import pandas as pd
import pytest

from ecom_analytics.ingest.currency import detect_currency


@pytest.mark.parametrize("values, code, symbol", [
    (["£3.75", "£1,299.00", "2.50"], "GBP", "£"),
    (["12,50 €", "3,00 €"], "EUR", "€"),
    (["R$ 49,90", "R$ 1.299,00"], "BRL", "R$"),   # not "$"
    (["12.00 USD", "3 USD"], "USD", "$"),
    (["$1", "$2"], None, "$"),                      # a bare dollar: which one is not known
    (["¥1,299.00", "¥2"], None, "¥"),               # yuan or yen
])
def test_symbols_beside_amounts(values, code, symbol):
    found = detect_currency(pd.DataFrame({"price": values}), ["price"])
    assert (found["source"], found["code"], found["symbol"]) == ("symbol", code, symbol)


def test_a_currency_column_and_a_mix():
    one = detect_currency(pd.DataFrame({"amt": ["1", "2"], "Currency": ["eur", "EUR"]}), ["amt"])
    assert (one["code"], one["symbol"], one["column"]) == ("EUR", "€", "Currency")
    mixed = detect_currency(pd.DataFrame({"amt": ["1", "2", "3", "4"], "币种": ["EUR", "GBP", "EUR", "EUR"]}), ["amt"])
    assert mixed["code"] is None and mixed["symbol"] is None
    assert mixed["currencies"] == [{"currency": "EUR", "share": 0.75}, {"currency": "GBP", "share": 0.25}]
    swiss = detect_currency(pd.DataFrame({"amt": ["1"], "currency": ["CHF"]}), ["amt"])
    assert swiss["symbol"] == "CHF "


def test_no_evidence_no_currency():
    found = detect_currency(pd.DataFrame({"UnitPrice": ["2.55", "3.39"], "Country": ["United Kingdom"] * 2}),
                            ["UnitPrice"])
    assert found == {"code": None, "symbol": None, "source": "none", "column": None, "currencies": []}


def test_ingest_stores_the_currency(tmp_path):
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.store import Workspace

    data = ("Order,Date,Customer,Product,Qty,Price\n"
            "1,2024-01-05,c1,A,2,£5.00\n2,2024-01-06,c2,B,1,£3.50\n").encode()
    result = pipeline.ingest(data, "shop.csv", kind="orders", workspace=Workspace(tmp_path))
    assert result.report["currency"]["code"] == "GBP" and result.report["currency"]["symbol"] == "£"
