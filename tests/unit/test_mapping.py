"""Column mapping (ecom_analytics.ingest.mapping): every export format of the issue is recognised with
no help, values come out right in the canonical table, e-mail keys are pseudonymised, and the
analyst's overrides work."""

from __future__ import annotations

import functools
import json
import re

import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline, schema
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import Mapping, apply_mapping, normalise_event_types, propose_mapping
from tests import fixtures as F

ONLINE_RETAIL = {
    "customer_id": "CustomerID", "order_id": "InvoiceNo", "timestamp": "InvoiceDate", "product_id": "StockCode",
    "product_name": "Description", "quantity": "Quantity", "unit_price": "UnitPrice", "country": "Country",
}
ONLINE_RETAIL_II = {
    "customer_id": "Customer ID", "order_id": "Invoice", "timestamp": "InvoiceDate", "product_id": "StockCode",
    "product_name": "Description", "quantity": "Quantity", "unit_price": "Price", "country": "Country",
}
SHOPIFY = {
    "customer_id": "Email", "order_id": "Name", "timestamp": "Created at", "product_id": "Lineitem sku",
    "product_name": "Lineitem name", "quantity": "Lineitem quantity", "unit_price": "Lineitem price",
    "country": "Billing Country", "status": "Financial Status",
}
CHINESE = {
    "customer_id": "用户ID", "order_id": "订单号", "timestamp": "下单时间", "product_id": "商品ID",
    "product_name": "商品名称", "quantity": "数量", "unit_price": "单价", "amount": "金额", "country": "国家",
}
REES46 = {
    "user_id": "user_id", "timestamp": "event_time", "event_type": "event_type", "product_id": "product_id",
    "category": "category_code", "brand": "brand", "price": "price", "session_id": "user_session",
}
TIANCHI = {"user_id": "column_1", "product_id": "column_2", "category": "column_3", "event_type": "column_4",
           "timestamp": "column_5"}
RETAILROCKET = {"timestamp": "timestamp", "user_id": "visitorid", "event_type": "event", "product_id": "itemid"}
LATIN1 = {"customer_id": "CustomerID", "order_id": "InvoiceNo", "timestamp": "InvoiceDate", "product_name": "Description",
          "quantity": "Quantity", "unit_price": "UnitPrice", "country": "Country"}
EUROPEAN = {"customer_id": "Customer", "order_id": "Order Number", "timestamp": "Order Date", "product_name": "Product",
            "quantity": "Quantity", "unit_price": "Price", "country": "Country"}
WHITESPACE = {"customer_id": "CustomerID", "order_id": "InvoiceNo", "timestamp": "InvoiceDate", "product_id": "StockCode",
              "quantity": "Quantity", "unit_price": "UnitPrice"}

FORMATS = [
    ("online_retail.csv", F.online_retail_csv, "orders", ONLINE_RETAIL),
    ("online_retail_II.xlsx", F.online_retail_ii_xlsx, "orders", ONLINE_RETAIL_II),
    ("orders_export.csv", F.shopify_orders_csv, "orders", SHOPIFY),
    ("rees46.csv", F.rees46_events_csv, "events", REES46),
    ("UserBehavior.csv", F.tianchi_userbehavior_csv, "events", TIANCHI),
    ("events.csv", F.retailrocket_events_csv, "events", RETAILROCKET),
    ("订单_gbk.csv", F.chinese_orders_gbk_csv, "orders", CHINESE),
    ("订单_utf8.csv", F.chinese_orders_utf8_bom_csv, "orders", CHINESE),
    ("online_retail.tsv", F.online_retail_tsv, "orders", ONLINE_RETAIL),
    ("dump.txt", F.whitespace_orders_txt, "orders", WHITESPACE),
    ("online_retail.csv.gz", lambda: F.gzip_bytes(F.online_retail_csv()), "orders", ONLINE_RETAIL),
    ("online_retail.zip", lambda: F.zip_bytes(F.online_retail_csv()), "orders", ONLINE_RETAIL),
    ("online_retail.parquet", F.orders_parquet, "orders", ONLINE_RETAIL),
    ("bestellungen.csv", F.european_orders_csv, "orders", EUROPEAN),
    ("latin1.csv", F.latin1_orders_csv, "orders", LATIN1),
]


@functools.lru_cache(maxsize=None)
def prepared(make, name) -> pipeline.Prepared:
    """The file read and its mapping proposed, once per module (tests do not modify it)."""
    return pipeline.prepare(make(), name)


@pytest.mark.parametrize("name, make, kind, expected", FORMATS, ids=[f[0] for f in FORMATS])
def test_export_format_is_recognised_with_no_help(name, make, kind, expected):
    prepared_ = prepared(make, name)
    assert prepared_.mapping.kind == kind
    # every expected column mapped to the right source, and nothing else mapped by guesswork
    assert prepared_.mapping.as_dict() == expected
    assert prepared_.mapping.missing_required() == []


@functools.lru_cache(maxsize=None)
def _process(make, name, salt: str) -> pipeline.IngestResult:
    return pipeline.process(prepared(make, name), salt=salt)


def process(make, name, *, salt: str = "") -> pipeline.IngestResult:
    """The cleaned result, once per module and salt (tests do not modify it)."""
    return _process(make, name, salt)


@pytest.mark.parametrize("make, name", [
    (F.online_retail_csv, "online_retail.csv"),
    (F.online_retail_tsv, "online_retail.tsv"),
    (lambda: F.gzip_bytes(F.online_retail_csv()), "online_retail.csv.gz"),
    (lambda: F.zip_bytes(F.online_retail_csv()), "online_retail.zip"),
    (F.orders_parquet, "online_retail.parquet"),
])
def test_online_retail_in_any_container_gives_the_same_figures(make, name):
    r = process(make, name, salt="s")
    rep = r.report["cleaning"]
    assert (rep["rows_in"], rep["rows_clean"], rep["rows_quarantined"]) == (10, 8, 2)
    assert rep["revenue_in"] == pytest.approx(211.25)
    assert rep["revenue_clean"] == pytest.approx(236.24)
    clean = r.cleaning.clean
    assert clean["timestamp"].min() == pd.Timestamp("2010-12-01 08:26")
    assert clean["timestamp"].max() == pd.Timestamp("2010-12-23 13:18")  # M/D/YYYY, not D/M
    assert sorted(clean["customer_id"].unique()) == ["12583", "13047", "14729", "16098", "17850"]


def test_online_retail_ii_xlsx_values():
    r = process(F.online_retail_ii_xlsx, "online_retail_II.xlsx")
    clean = r.cleaning.clean
    assert clean["customer_id"].tolist() == ["13085"] * 3  # not '13085.0'
    assert clean["amount"].tolist() == pytest.approx([83.4, 81.0, 30.6])
    assert clean["timestamp"].iloc[0] == pd.Timestamp("2009-12-01 07:45")
    q = r.cleaning.quarantine.set_index("source_line")["reason"].to_dict()
    assert q == {5: "cancellation", 6: "missing_customer"}


@pytest.mark.parametrize("make", [F.chinese_orders_gbk_csv, F.chinese_orders_utf8_bom_csv])
def test_chinese_orders_values(make):
    r = process(make, "订单.csv")
    clean = r.cleaning.clean
    assert r.report["cleaning"]["rows_quarantined"] == 0
    assert clean["unit_price"].tolist() == [59.0, 1299.0, 19.9, 59.0]
    assert clean["amount"].sum() == pytest.approx(1535.70)
    assert clean["timestamp"].iloc[2] == pd.Timestamp("2024-03-02 21:40")
    assert clean["country"].tolist() == ["中国", "中国", "中国", "新加坡"]


def test_european_semicolon_file_values():
    r = process(F.european_orders_csv, "bestellungen.csv")
    clean = r.cleaning.clean
    assert clean["unit_price"].tolist() == [49.9, 1299.0, 5.5, 0.99]
    assert clean["amount"].sum() == pytest.approx(1456.77)
    assert clean["timestamp"].tolist() == [pd.Timestamp(d) for d in ("2024-03-05", "2024-03-05", "2024-03-13", "2024-03-28")]
    assert any("decimal comma" in n for n in r.report["notes"])


def test_latin1_pound_prices_values():
    r = process(F.latin1_orders_csv, "orders.csv")
    assert r.cleaning.clean["unit_price"].tolist() == [3.75, 3.75, 3.0]
    assert r.report["cleaning"]["revenue_clean"] == pytest.approx(23.25)


def test_whitespace_dump_values():
    r = process(F.whitespace_orders_txt, "dump.txt")
    assert r.report["cleaning"]["revenue_clean"] == pytest.approx(67.0)
    assert r.cleaning.clean["timestamp"].iloc[3] == pd.Timestamp("2024-03-15")


# ----------------------------------------------------------------------------- Shopify

def test_shopify_amount_is_line_revenue_not_an_order_total_or_discount():
    mapping = prepared(F.shopify_orders_csv, "orders_export.csv").mapping
    assert "amount" not in mapping.as_dict()
    assert mapping.choices["amount"].source is None
    assert "category" not in mapping.as_dict()  # 'Billing Zip' is not a category


def test_shopify_pii_columns_are_detected():
    pii = prepared(F.shopify_orders_csv, "orders_export.csv").mapping.pii_columns
    assert pii["Email"] == "email"
    assert pii["Billing Name"] == "name" and pii["Shipping Name"] == "name"
    assert pii["Billing Phone"] == "phone"
    assert "Name" not in pii  # '#1001' is an order name, not a person


def test_shopify_lines_of_one_order_share_its_order_level_fields():
    r = process(F.shopify_orders_csv, "orders_export.csv", salt="salt")
    clean, q = r.cleaning.clean, r.cleaning.quarantine
    # #1003 is refunded: written on its first line only, yet both its lines are cancellations
    assert q["order_id"].tolist() == ["#1003", "#1003"]
    assert q["reason"].tolist() == ["cancellation", "cancellation"]
    assert clean["order_id"].tolist() == ["#1001", "#1001", "#1002", "#1004"]
    assert clean["country"].tolist() == ["DE", "DE", "GB", "DE"]
    assert clean["status"].tolist() == ["paid"] * 4
    assert clean["amount"].tolist() == pytest.approx([25.0, 7.9, 49.0, 25.0])
    assert r.report["cleaning"]["revenue_clean"] == pytest.approx(106.9)
    # 'Created at' with its offset, in UTC
    assert clean["timestamp"].tolist()[:3] == [pd.Timestamp("2024-03-01 09:15:22")] * 2 + [pd.Timestamp("2024-03-02 18:00")]


def test_shopify_emails_become_pseudonyms_and_never_reach_the_workspace(workspace):
    data = F.shopify_orders_csv()
    result = pipeline.ingest(data, "orders_export.csv", workspace=workspace)
    clean = workspace.load_clean(result.dataset_id)
    quarantine = workspace.load_quarantine(result.dataset_id)
    for table in (clean, quarantine):
        assert table["customer_id"].str.fullmatch(r"c_[0-9a-f]{16}").all()
    # anna's two orders share one pseudonym; three customers in all
    assert clean.groupby("customer_id")["order_id"].nunique().sort_values().tolist() == [1, 2]
    assert pd.concat([clean, quarantine])["customer_id"].nunique() == 3
    stored = json.dumps(workspace.dataset(result.dataset_id), default=str)
    dumped = clean.to_csv() + quarantine.to_csv() + stored + json.dumps(result.summary(), default=str)
    for email in F.SHOPIFY_EMAILS:
        local = email.split("@")[0]
        assert email.lower() not in dumped.lower() and local.lower() not in dumped.lower()
    for name in ("Anna Schmidt", "Bob Jones", "Chen Li", "+49 30 1234567"):
        assert name not in dumped


def test_pseudonyms_depend_on_the_salt_and_ignore_case_and_spaces():
    a = process(F.shopify_orders_csv, "orders_export.csv", salt="one").cleaning.clean["customer_id"]
    b = process(F.shopify_orders_csv, "orders_export.csv", salt="two").cleaning.clean["customer_id"]
    assert set(a).isdisjoint(set(b))
    from ecom_analytics.ingest.privacy import pseudonymise
    p = pseudonymise(pd.Series(["Ann@X.com", " ann@x.com ", None]), "s")
    assert p.iloc[0] == p.iloc[1] and pd.isna(p.iloc[2])


def test_malformed_line_text_in_the_quarantine_has_no_email_or_phone():
    lines = F.shopify_orders_csv().decode().splitlines()
    broken = lines[1] + ",EXTRA"
    data = ("\n".join(lines[:2] + [broken] + lines[2:]) + "\n").encode()
    r = process(lambda: data, "orders_export.csv", salt="s")
    q = r.cleaning.quarantine
    bad = q[q["reason"] == "malformed_line"]
    assert len(bad) == 1 and bad["source_line"].tolist() == [3]
    assert "#1001" in bad["detail"].iloc[0]
    assert "@" not in bad["detail"].iloc[0] and "+49 30" not in bad["detail"].iloc[0]


# ----------------------------------------------------------------------------- events

def test_tianchi_without_header_events_and_times():
    r = process(F.tianchi_userbehavior_csv, "UserBehavior.csv")
    assert any("no header" in n.english() for n in r.mapping.notes)
    clean = r.cleaning.clean
    assert clean["event_type"].value_counts().to_dict() == {"view": 6, "cart": 2, "wishlist": 2, "purchase": 2}
    assert clean["timestamp"].iloc[0] == pd.Timestamp("2017-11-24 17:21:10")
    assert clean["user_id"].nunique() == 3 and clean["product_id"].iloc[0] == "2268318"
    schema.validate(clean, "events")


def test_retailrocket_events_are_normalised():
    r = process(F.retailrocket_events_csv, "events.csv")
    clean = r.cleaning.clean
    assert clean["event_type"].tolist() == ["view"] * 4 + ["cart", "purchase", "cart", "purchase"]
    assert clean["timestamp"].iloc[0] == pd.Timestamp("2015-06-02 05:02:12.117")
    assert clean["user_id"].iloc[0] == "257597"
    assert r.cleaning.report["flags"][0]["event_type_map"] == {"view": "view", "addtocart": "cart",
                                                               "transaction": "purchase"}


def test_rees46_events():
    r = process(F.rees46_events_csv, "rees46.csv")
    clean = r.cleaning.clean
    assert clean["event_type"].value_counts().to_dict() == {"view": 5, "cart": 1, "remove_from_cart": 1, "purchase": 1}
    assert pd.isna(clean["category"].iloc[0]) and clean["category"].iloc[1] == "appliances.environment.water_heater"
    assert r.report["cleaning"]["revenue_in"] == pytest.approx(1081.98)  # purchase prices only


def test_event_names_are_normalised():
    raw = pd.Series(["pv", "click", "addtocart", "add_to_cart", "Remove From Cart", "fav", "buy", "transaction",
                     "checkout", "page_view", "zoom", None])
    out, table = normalise_event_types(raw)
    assert out.tolist()[:-1] == ["view", "view", "cart", "cart", "remove_from_cart", "wishlist", "purchase",
                                 "purchase", "purchase", "view", "other"]
    assert pd.isna(out.iloc[-1])
    assert table["zoom"] == "other"
    codes, _ = normalise_event_types(pd.Series(["1", "2", "3", "4"]))
    assert codes.tolist() == ["view", "wishlist", "cart", "purchase"]


# ----------------------------------------------------------------------------- overrides and rules

def test_override_changes_a_choice_and_leaves_the_proposal_untouched():
    mapping = pipeline.prepare(F.online_retail_csv(), "x.csv").mapping
    changed = mapping.override(country=None, product_name="StockCode", product_id="Description")
    assert changed.choices["product_name"].source == "StockCode"
    assert changed.choices["product_name"].confidence == 1.0
    assert "country" not in changed.as_dict()
    assert mapping.as_dict() == ONLINE_RETAIL
    with pytest.raises(InputError, match="not a column of the orders table"):
        mapping.override(colour="Country")


def test_unmapping_a_required_column_is_reported_and_refused():
    mapping = pipeline.prepare(F.online_retail_csv(), "x.csv").mapping
    assert mapping.override(customer_id=None).missing_required() == ["customer_id"]
    assert mapping.override(unit_price=None).missing_required() == ["amount (or quantity and unit_price)"]
    frame = pipeline.prepare(F.online_retail_csv(), "x.csv").raw.frame
    with pytest.raises(InputError, match="no column for customer_id"):
        apply_mapping(frame, mapping.override(customer_id=None))
    with pytest.raises(InputError, match="not in the file"):
        apply_mapping(frame, mapping.override(country="Land"))


def test_events_mapping_needs_user_and_time():
    mapping = pipeline.prepare(F.rees46_events_csv(), "rees46.csv").mapping
    assert mapping.override(user_id=None).missing_required() == ["user_id"]
    assert mapping.override(timestamp=None).missing_required() == ["timestamp"]


def test_kind_can_be_forced():
    mapping = propose_mapping(pipeline.prepare(F.online_retail_csv(), "x.csv").raw.frame, "orders")
    assert mapping.kind == "orders"
    with pytest.raises(InputError):
        propose_mapping(pd.DataFrame({"a": [1]}), "invoices")


def test_order_level_fields_missing_on_later_lines_are_taken_from_the_order():
    frame = pd.DataFrame({
        "Order": ["#1", "#1", "#1", "#2", "#3"],
        "Email": ["a@x.com", None, None, "b@x.com", None],
        "Created at": ["2024-01-01 10:00", None, None, "2024-01-02 11:00", "2024-01-03 09:00"],
        "Financial Status": ["refunded", None, None, "paid", "paid"],
        "Quantity": ["1", "2", "3", "1", "1"],
        "Price": ["1.00", "2.00", "3.00", "4.00", "5.00"],
    })
    mapping = Mapping("orders", propose_mapping(frame, "orders").choices)
    assert mapping.as_dict()["customer_id"] == "Email" and mapping.as_dict()["order_id"] == "Order"
    canonical = apply_mapping(frame, mapping, pseudonymise=lambda s: s.str.upper())
    t = canonical.table
    assert t["customer_id"].tolist()[:4] == ["A@X.COM"] * 3 + ["B@X.COM"]
    assert pd.isna(t["customer_id"].iloc[4])  # order #3 has no customer on any line: stays missing
    assert t["status"].tolist() == ["refunded"] * 3 + ["paid", "paid"]
    assert t["timestamp"].iloc[2] == pd.Timestamp("2024-01-01 10:00")
    assert canonical.problems.isna().all()
    assert any("first line" in n.english() for n in canonical.notes)


def test_unnamed_number_column_in_a_file_with_header_is_not_guessed_to_be_an_id():
    # 'PLZ' (a German zip code) names something that is no canonical column: its numbers are not an id
    frame = pd.DataFrame({"PLZ": ["10115", "20095"], "Datum": ["2024-01-01", "2024-01-02"], "Menge": ["1", "2"],
                          "Betrag": ["3.50", "4.00"]})
    mapping = propose_mapping(frame, "orders")
    assert "customer_id" not in mapping.as_dict()
    assert mapping.missing_required()[0] == "customer_id"
    # the same file with 'Kunde' (customer) maps it by its German name
    named = propose_mapping(frame.rename(columns={"PLZ": "Kunde"}), "orders")
    assert named.as_dict() == {"customer_id": "Kunde", "timestamp": "Datum", "quantity": "Menge", "amount": "Betrag"}


def test_confidence_and_reason_for_each_choice():
    mapping = pipeline.prepare(F.online_retail_csv(), "x.csv").mapping
    for canonical, choice in mapping.choices.items():
        if choice.source is None:
            assert choice.confidence == 0.0
        else:
            assert 0.3 <= choice.confidence <= 1.0 and choice.reason
    assert re.search("InvoiceDate", mapping.choices["timestamp"].reason.english())


def test_a_french_export_not_in_the_corpus_maps_every_column():
    """Found by trying an export the vocabulary was not built against: 'Désignation' (the French
    word for an article's description) was left unmapped."""
    from ecom_analytics.ingest.mapping import propose_mapping

    frame = pd.DataFrame({
        "Numéro de facture": ["536365", "536365", "536366"], "Référence article": ["85123A", "71053", "22633"],
        "Désignation": ["PORTE-BOUGIE COEUR", "LANTERNE BLANCHE", "CHAUFFE-MAINS"], "Qté": ["6", "6", "2"],
        "Date de commande": ["01/12/2010 08:26", "01/12/2010 08:26", "01/12/2010 08:28"],
        "Prix unitaire HT": ["2,55 €", "3,39 €", "1,85 €"], "N° client": ["17850", "17850", "17851"],
        "Pays": ["France", "France", "Belgique"]})
    mapping = propose_mapping(frame, "orders")
    assert {c: ch.source for c, ch in mapping.choices.items() if ch.source} == {
        "customer_id": "N° client", "order_id": "Numéro de facture", "timestamp": "Date de commande",
        "product_id": "Référence article", "product_name": "Désignation", "quantity": "Qté",
        "unit_price": "Prix unitaire HT", "country": "Pays"}
