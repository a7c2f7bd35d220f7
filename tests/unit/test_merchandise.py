"""Non-merchandise lines (issue #21): postage and fees are named, real articles are not."""

import pandas as pd

from ecom_analytics.ingest.merchandise import fee_products, non_merchandise, without_fees


def test_fees_by_whole_name_or_known_code():
    ids = pd.Series(["POST", "85123A", "M", "22423", "X1", "X2", "X3", "X4", "X5"])
    names = pd.Series(["POSTAGE", "WHITE HANGING HEART T-LIGHT HOLDER", "Manual", "POSTAGE STAMP SET",
                       "Shipping fee", "运费", "Discount", "Versandkosten", "FEES AND CHARGES CARD"])
    assert non_merchandise(ids, names).tolist() == [True, False, True, False, True, True, True, True, False]
    assert non_merchandise(pd.Series(["dot", "22086"])).tolist() == [True, False]  # codes alone, any case


def test_fee_products_and_without_fees_on_an_orders_table():
    orders = pd.DataFrame({"product_id": ["POST", "A", "POST", "M", "A", None],
                           "product_name": ["POSTAGE", "Apple", "POSTAGE", "Manual", "Apple", "?"],
                           "amount": [18.0, 5.0, 18.0, -3.0, 5.0, 1.0]})
    assert fee_products(orders).to_dict("list") == {"product_id": ["M", "POST"], "product_name": ["Manual", "POSTAGE"]}
    kept = without_fees(orders)
    assert kept["product_id"].iloc[:2].tolist() == ["A", "A"] and kept["product_id"].iloc[2:].isna().all()  # kept
    assert kept["amount"].sum() == 11.0


def test_a_fee_code_with_an_article_name_is_an_article():
    assert non_merchandise(pd.Series(["POST", "POST", "M", "D"]),
                           pd.Series(["Post box", None, "Manual", None])).tolist() == [False, True, True, False]


def test_an_export_without_product_codes_names_its_fees_by_name():
    """Found on a German cp1252 export not built against: 'Versandkosten' lines and no SKU column."""
    orders = pd.DataFrame({"product_id": pd.Series([None, None, None], dtype="string"),
                           "product_name": ["Tasse blau", "Versandkosten", "Versandkosten"]})
    assert fee_products(orders).to_dict("list") == {"product_id": ["Versandkosten"], "product_name": ["Versandkosten"]}
    assert without_fees(orders)["product_name"].tolist() == ["Tasse blau"]


def test_a_product_is_judged_on_its_usual_name():
    """Online Retail writes 'adjustment' on a few lines of real articles: the article stays, with all its
    lines, and the list names only products whose usual name is a charge."""
    orders = pd.DataFrame({"product_id": ["20665", "20665", "20665", "POST"],
                           "product_name": ["RED RETROSPOT PURSE", "RED RETROSPOT PURSE", "adjustment", "POSTAGE"]})
    assert fee_products(orders)["product_id"].tolist() == ["POST"]
    assert without_fees(orders)["product_id"].tolist() == ["20665", "20665", "20665"]


def test_the_same_fees_found_where_the_data_lies():
    """The app's views find and drop fees on the stored Parquet (an Ibis table): the same products and
    the same kept rows as the pandas functions, names standing for missing ids included."""
    import ibis

    from ecom_analytics.ingest.merchandise import fee_products_of, without_fees_of

    orders = pd.DataFrame({"product_id": pd.Series(["POST", "A", "POST", "M", "A", None, None, None], dtype="string"),
                           "product_name": ["POSTAGE", "Apple", "POSTAGE", "Manual", "Apple", "?", "Versandkosten",
                                            None],
                           "amount": [18.0, 5.0, 18.0, -3.0, 5.0, 1.0, 4.0, 2.0]})
    table = ibis.memtable(orders)
    fees = fee_products_of(table)
    assert fees.to_dict("list") == {"product_id": ["M", "POST", "Versandkosten"],
                                    "product_name": ["Manual", "POSTAGE", "Versandkosten"]}
    assert fees.to_dict("list") == fee_products(orders).to_dict("list")
    kept = without_fees_of(table, fees).to_pandas()
    assert sorted(kept["amount"]) == sorted(without_fees(orders)["amount"]) == [1.0, 2.0, 5.0, 5.0]
