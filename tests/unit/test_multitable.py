"""Exports in several tables (ecom_analytics.ingest.tables, issue #16).

A hand-written Olist-shaped set whose joins, counts, reasons and payment matches are counted by
hand below; then the corpus of tests/corpus_tables: the real Online Retail file split into an
order header, line items, products, customers (a per-order id, as Olist's trap) and payments
under English/Olist, German, Spanish, Chinese and Portuguese names, whose join must give back the
original file's canonical table row for row.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline, schema, tables
from ecom_analytics.i18n import translate_message, untranslated_parts
from ecom_analytics.ingest.mapping import apply_mapping
from ecom_analytics.store import Workspace
from tests.corpus_tables import corpus
from tests.fixtures import OLIST, OLIST_ITEMS, OLIST_ORDERS

# ------------------------------------------------------------------ the hand-written Olist set
# (in tests/fixtures.py, shared with the Tables page's AppTest, the CLI and the e2e upload)
ORDERS, ITEMS = OLIST_ORDERS, OLIST_ITEMS
ROLE_OF = {"olist_orders_dataset.csv": "orders", "olist_order_items_dataset.csv": "items",
           "olist_customers_dataset.csv": "customers", "olist_order_payments_dataset.csv": "payments",
           "olist_products_dataset.csv": "products"}


def olist_files(**changed: str) -> list[tuple[bytes, str]]:
    texts = dict(OLIST) | {k.replace("__", "."): v for k, v in changed.items()}
    return [(t.encode(), n) for n, t in texts.items()]


@functools.lru_cache(maxsize=None)
def olist() -> tables.TablesProposal:
    return tables.propose_tables(olist_files())


@functools.lru_cache(maxsize=None)
def olist_result(revenue: str = "items") -> pipeline.IngestResult:
    return tables.apply_proposal(olist(), revenue=revenue)


def codes(notes) -> list[str]:
    return [n.code for n in notes]


def test_each_file_gets_its_role_with_a_reason():
    p = olist()
    assert {f.name: f.role for f in p.files} == ROLE_OF
    items = p.file("olist_order_items_dataset.csv")
    assert items.fields == {"order_id": "order_id", "product_id": "product_id", "unit_price": "price",
                            "freight": "freight_value"}
    assert p.file("olist_orders_dataset.csv").fields["timestamp"] == "order_purchase_timestamp"
    assert p.file("olist_order_payments_dataset.csv").fields["payment_value"] == "payment_value"
    assert p.file("olist_customers_dataset.csv").fields["country"] == "customer_state"
    assert items.reason.code == "role_items" and items.reason.params["price"] == "price"
    assert all(f.score >= 0.5 for f in p.files)


def test_relations_and_their_counts_by_hand():
    p = olist()
    rel = {r.link: r for r in p.relations}
    assert {k: (r.child_key, r.parent_key) for k, r in rel.items()} == {
        "items->orders": ("order_id", "order_id"), "payments->orders": ("order_id", "order_id"),
        "orders->customers": ("customer_id", "customer_id"), "items->products": ("product_id", "product_id")}
    c = rel["items->orders"].counts
    assert (c["child_rows"], c["items_without_order"], c["orders_with_items"], c["orders_without_items"]) == (8, 1, 5, 1)
    c = rel["payments->orders"].counts
    assert (c["orders_with_payment"], c["orders_without_payment"], c["payments_without_order"]) == (5, 1, 1)
    c = rel["orders->customers"].counts
    assert (c["orders_with_customer"], c["orders_unknown_customer"], c["customers_without_orders"]) == (5, 1, 1)
    c = rel["items->products"].counts
    assert (c["items_with_product"], c["items_unknown_product"], c["products_not_sold"]) == (7, 1, 0)
    assert rel["items->orders"].share == pytest.approx(5 / 6)  # o1 o2 o3 o4 o5 found, o9 not
    assert {"orders_without_payment", "payments_without_order", "customers_without_orders",
            "items_without_product"} <= set(codes(p.notes))


def test_the_person_is_the_stable_id_of_the_customer_table():
    p = olist()
    pk = p.person_key
    assert (pk.file, pk.per_order, pk.stable) == ("olist_customers_dataset.csv", "customer_id", "customer_unique_id")
    # orders o1..o6: u1 u2 u1 (c4 unknown) u3 u4 -> 4 people, u1 twice
    assert (pk.ids, pk.people, pk.repeat_share) == (6, 4, 0.25)
    note = next(n for n in p.notes if n.code == "person_key_stable")
    assert note.params["stable"] == "customer_unique_id" and note.severity == "info"
    kept = olist_result().cleaning.clean
    assert kept.loc[kept["order_id"] == "o3", "customer_id"].unique().tolist() == ["u1"]
    assert sorted(kept["customer_id"].unique()) == ["u1", "u2"]


def test_per_order_ids_that_never_repeat_are_a_warning_naming_the_fix():
    p = olist().with_person_key(None)
    note = next(n for n in p.notes if n.code.startswith("person_key_not_repeating"))
    assert note.severity == "warning" and note.params["suggest"] == "customer_unique_id"
    assert note.params["repeat"] == 0.0
    kept = tables.apply_proposal(p).cleaning.clean
    assert set(kept["customer_id"]) == {"c1", "c2", "c3", "c4"}  # c4 needs no look-up now
    # without a customer table nothing can fix it
    alone = tables.propose_tables([f for f in olist_files() if f[1] != "olist_customers_dataset.csv"])
    assert "person_key_not_repeating_no_fix" in codes(alone.notes)


def test_join_row_for_row_with_a_reason_for_every_unmatched_row():
    r = olist_result()
    kept = r.cleaning.clean
    got = kept[["order_id", "product_id", "customer_id", "unit_price", "amount", "category", "country", "status"]]
    expected = pd.DataFrame({
        "order_id": ["o1", "o2", "o2", "o3", "o3"], "product_id": ["p1", "p2", "p2", "p3", "p4"],
        "customer_id": ["u1", "u2", "u2", "u1", "u1"], "unit_price": [29.99, 118.70, 118.70, 159.90, 20.00],
        "amount": [29.99, 118.70, 118.70, 159.90, 20.00],
        "category": ["perfumaria", "artes", "artes", "esporte_lazer", None],
        "country": ["SP", "BA", "BA", "GO", "GO"], "status": ["delivered"] * 5})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), schema.conform(expected, "orders")[got.columns])
    assert kept["quantity"].eq(1.0).all()
    assert kept["timestamp"].iloc[0] == pd.Timestamp("2017-10-02 10:56:33")
    q = r.cleaning.quarantine
    reasons = dict(zip(q["order_id"], q["reason"]))
    assert reasons == {"o9": "item_without_order", "o4": "unknown_customer", "o6": "order_without_items",
                       "o5": "cancellation"}
    assert set(q.loc[q["order_id"] == "o6", "source_file"]) == {"olist_orders_dataset.csv"}
    schema.validate(kept, "orders")


def test_rows_in_equals_rows_kept_plus_rows_set_aside_across_the_tables():
    rep = olist_result().report["cleaning"]
    # 8 line items + 1 order without items (o6)
    assert rep["rows_in_definition"]["total"] == rep["rows_in"] == 9
    assert rep["rows_clean"] == 5 and rep["rows_quarantined"] == 4 and rep["reconciles"]
    by_rule = {x["rule"]: x["quarantined"] for x in rep["rules"]}
    assert [x["rule"] for x in rep["rules"]][:4] == [r for r, _ in tables.JOIN_RULES]
    assert by_rule["item_without_order"] == by_rule["unknown_customer"] == by_rule["order_without_items"] == 1
    assert by_rule["cancellation"] == 1
    assert rep["revenue_in"] == pytest.approx(547.29)
    assert rep["revenue_clean"] == pytest.approx(447.29)
    assert rep["revenue_in"] == pytest.approx(rep["revenue_clean"] + rep["revenue_quarantined"])


def test_a_repeated_header_line_is_a_row_set_aside():
    header = ORDERS + "o2,c2,delivered,2018-07-24 20:41:37,2018-07-26 03:24:27,2018-08-13 00:00:00\n"
    p = tables.propose_tables(olist_files(olist_orders_dataset__csv=header))
    assert p.file("olist_orders_dataset.csv").role == "orders"
    rep = tables.apply_proposal(p).report["cleaning"]
    by_rule = {x["rule"]: x["quarantined"] for x in rep["rules"]}
    assert by_rule["duplicate_order"] == 1 and rep["rows_in"] == 10 and rep["rows_clean"] == 5
    assert rep["rows_in"] == rep["rows_clean"] + rep["rows_quarantined"]


def test_payments_match_share_by_hand_and_the_revenue_choice():
    pay = olist_result().report["tables"]["payments"]
    # o1 38.71 = 29.99 + 8.72; o2 282.92 = 237.40 + 45.52; o3 199.12 = 179.90 + 19.22; o4 60 != 55
    assert (pay["basis"], pay["orders_compared"], pay["orders_matching"]) == ("items_and_freight", 4, 3)
    assert pay["share_matching"] == 0.75 and pay["share_matching_other"] == 0.0
    assert (pay["orders_without_payment"], pay["payment_lines_without_order"]) == (1, 1)
    with_freight = olist_result("items_and_freight")
    kept = with_freight.cleaning.clean
    assert kept.loc[kept["order_id"] == "o1", "amount"].item() == pytest.approx(38.71)
    assert kept.loc[kept["order_id"] == "o1", "unit_price"].item() == pytest.approx(29.99)
    assert with_freight.report["cleaning"]["revenue_clean"] == pytest.approx(447.29 + 8.72 + 2 * 22.76 + 19.22)
    assert "revenue_items_and_freight" in [n["code"] for n in with_freight.report["tables"]["notes"]]
    assert with_freight.dataset_id != olist_result().dataset_id


@pytest.mark.slow
def test_the_dataset_id_covers_every_file_the_choices_and_not_the_order_or_names():
    base = olist_result().dataset_id
    files = olist_files()
    assert tables.apply_proposal(tables.propose_tables(files[::-1])).dataset_id == base
    renamed = [(d, "x_" + n) for d, n in files]
    assert tables.apply_proposal(tables.propose_tables(renamed)).dataset_id == base
    seen = {base}
    for i, (data, name) in enumerate(files):
        changed = list(files)
        changed[i] = (data.replace(b"\n", b"\r\n", 1), name)  # same table, other bytes
        seen.add(tables.apply_proposal(tables.propose_tables(changed)).dataset_id)
    assert len(seen) == 1 + len(files)
    assert tables.apply_proposal(olist().with_person_key(None)).dataset_id not in seen
    assert tables.apply_proposal(olist(), outlier_policy="quarantine").dataset_id not in seen


def test_the_analyst_corrects_a_role_and_a_relation():
    p = olist().with_role("olist_products_dataset.csv", "unknown")
    assert p.relation("items->products") is None
    kept = tables.apply_proposal(p).cleaning.clean
    assert kept["category"].isna().all()
    # a wrong key chosen by hand: nothing links, every item is set aside, still reconciled
    p = olist().with_relation("items->orders", "seller_id", "order_id")
    assert p.relation("items->orders").reason.code == "relation_chosen"
    assert p.relation("items->orders").counts["items_without_order"] == 8
    rep = tables.apply_proposal(p).report["cleaning"]
    assert rep["rows_clean"] == 0 and rep["reconciles"]
    replayed = tables.propose_tables(olist_files()).with_choices(p.choices())
    assert replayed.relation("items->orders").child_key == "seller_id"
    with pytest.raises(Exception, match="no column 'nope'"):
        olist().with_relation("items->orders", "nope", "order_id")


def test_other_names_and_languages_link_by_values():
    header = "Bestellnummer;Kunden-Nr.;Bestelldatum;Status\nA-1;K1;02.10.2017 10:56;bezahlt\nA-2;K2;24.07.2018 20:41;bezahlt\n"
    lines = "Beleg;Artikel-Nr.;Menge;Einzelpreis\nA-1;X1;2;3,50\nA-2;X2;1;10,00\nA-2;X1;1;3,50\n"
    p = tables.propose_tables([(header.encode(), "Kopf.csv"), (lines.encode(), "Positionen.csv")])
    assert {f.name: f.role for f in p.files} == {"Kopf.csv": "orders", "Positionen.csv": "items"}
    rel = p.relation("items->orders")
    # "Beleg" (receipt) and "Bestellnummer" (order number) are both read as the order id
    assert (rel.child_key, rel.parent_key, rel.share) == ("Beleg", "Bestellnummer", 1.0)
    assert rel.reason.code == "relation_names_values"
    kept = tables.apply_proposal(p).cleaning.clean
    assert kept["amount"].tolist() == [7.0, 10.0, 3.5]
    assert kept["customer_id"].tolist() == ["K1", "K2", "K2"]


def test_events_and_unknown_files_are_named_and_left_out():
    events = "event_time,event_type,product_id,user_id\n2019-10-01 00:00:00 UTC,view,1,5\n2019-10-01 00:01:00 UTC,cart,1,5\n"
    weather = "station,temperature,humidity\nA,12.5,80\nB,13.1,75\n"
    p = tables.propose_tables(olist_files() + [(events.encode(), "events.csv"), (weather.encode(), "weather.csv")])
    assert p.file("events.csv").role == "events" and p.file("weather.csv").role == "unknown"
    assert {"role_events", "role_unknown"} <= set(codes(p.notes))
    assert tables.apply_proposal(p).report["cleaning"]["rows_in"] == 9


def test_a_single_complete_export_is_ingested_as_one_file():
    single = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
              "1,A,2,2011-01-01 10:00,1.5,17850,United Kingdom\n2,B,1,2011-01-02 10:00,3.0,17851,France\n").encode()
    p = tables.propose_tables([(single, "retail.csv")])
    assert p.files[0].role == "single"
    result = tables.apply_proposal(p)
    prepared = pipeline.prepare(single, "retail.csv")
    assert result.dataset_id == pipeline.dataset_id_for(prepared, prepared.mapping, "flag")


def test_missing_tables_are_sentences_to_act_on():
    with pytest.raises(Exception, match="No order header was recognised"):
        tables.apply_proposal(tables.propose_tables([(ITEMS.encode(), "items.csv")]))
    with pytest.raises(Exception, match="No line-item table was recognised"):
        tables.apply_proposal(tables.propose_tables([(ORDERS.encode(), "orders.csv")]))


def test_stored_through_the_workspace_and_reopened(tmp_path):
    ws = Workspace(tmp_path / "ws")
    result = tables.ingest_tables(olist_files(), workspace=ws)
    assert ws.has_dataset(result.dataset_id)
    clean = ws.load_clean(result.dataset_id)
    assert len(clean) == 5 and sorted(clean["customer_id"].unique()) == ["u1", "u2"]
    meta = ws.dataset(result.dataset_id)
    assert meta["rows_in"] == 9 and "olist_order_items_dataset.csv" in meta["source_name"]
    assert len(ws.load_quarantine(result.dataset_id)) == 4
    assert tables.ingest_tables(olist_files()[::-1], workspace=ws).dataset_id == result.dataset_id


def test_every_note_has_chinese():
    p = olist().with_person_key(None)
    notes = list(p.notes) + [tables.Note(code, {}) for code in tables.TEMPLATES]
    for code, template in tables.TEMPLATES.items():
        example = template.replace("{", "<").replace("}", ">")
        filled = template.format(**{k: "X7" for k in __import__("re").findall(r"\{(\w+)\}", template)})
        assert not untranslated_parts(filled, "zh"), (code, example)
    note = next(n for n in p.notes if n.code == "person_key_not_repeating")
    assert "无法衡量复购行为" in translate_message(note.text(), "zh")
    assert len(notes) > len(tables.TEMPLATES)


# ------------------------------------------------------------------ the corpus from real files
needs_data = pytest.mark.skipif(not corpus.DATA.exists(), reason=f"{corpus.DATA} is absent (real data not shipped)")
EVERY = 60  # every 60th invoice of the year: about 430 invoices, 9,000 lines, all months and countries
STABLE = {"olist_en": "customer_unique_id", "de": "Stammkunden-Nr.", "es": "numero_socio", "zh": "会员号",
          "pt": "id_unico_cliente"}


@functools.lru_cache(maxsize=None)
def original() -> pd.DataFrame:
    return corpus.load_original(every=EVERY)


@functools.lru_cache(maxsize=None)
def original_canonical() -> pd.DataFrame:
    prepared = pipeline.prepare(corpus.original_csv(original()), "online_retail.csv")
    return apply_mapping(prepared.raw.frame, prepared.mapping).table


@functools.lru_cache(maxsize=None)
def variant(name: str) -> tuple[tables.TablesProposal, tables.Joined, pipeline.IngestResult]:
    files = corpus.split(original(), name)
    proposal = tables.propose_tables([(data, fname) for fname, data in files.values()])
    return proposal, tables.join_tables(proposal), tables.apply_proposal(proposal)


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize("name", list(corpus.VARIANTS))
def test_corpus_roles_relations_and_person_key(name):
    proposal, _, _ = variant(name)
    v = corpus.VARIANTS[name]
    assert {f.name: f.role for f in proposal.files} == {v[role][0]: role for role in corpus.ROLES}
    heads = {role: v[role][1] for role in corpus.ROLES}
    keys = {r.link: (r.child_key, r.parent_key) for r in proposal.relations}
    assert keys == {"items->orders": (heads["items"][0], heads["orders"][0]),
                    "payments->orders": (heads["payments"][0], heads["orders"][0]),
                    "orders->customers": (heads["orders"][1], heads["customers"][0]),
                    "items->products": (heads["items"][1], heads["products"][0])}
    assert proposal.person_key.stable == STABLE[name]
    assert proposal.person_key.people == original()["CustomerID"].nunique()


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize("name", list(corpus.VARIANTS))
def test_corpus_join_equals_the_original_file_row_for_row(name):
    _, joined, result = variant(name)
    got = joined.table[joined.table["source_file"] == corpus.VARIANTS[name]["items"][0]]
    assert got["join_reason"].isna().all()  # every line item joins
    expected = corpus.expected_canonical(original_canonical())
    cols = schema.ORDERS_COLUMNS
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), expected[cols].reset_index(drop=True))
    rep = result.report["cleaning"]
    assert rep["rows_in"] == len(original()) and rep["reconciles"]
    single = pipeline.process(pipeline.prepare(corpus.original_csv(original()), "online_retail.csv"))
    # the same rows are kept as from the single file, give or take lines that only the split makes
    # exact duplicates (one description per stock code)
    assert abs(rep["rows_clean"] - single.report["cleaning"]["rows_clean"]) <= 0.002 * rep["rows_in"]


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize("name", list(corpus.VARIANTS))
def test_corpus_payment_match_share_is_the_one_built_in(name):
    _, _, result = variant(name)
    pay = result.report["tables"]["payments"]
    compared, matching = corpus.expected_payment_match(original())
    assert (pay["orders_compared"], pay["orders_matching"]) == (compared, matching)
    assert pay["basis"] == "items"


@pytest.mark.slow
@needs_data
def test_corpus_ids_differ_by_variant_and_repeat():
    ids = {name: variant(name)[2].dataset_id for name in corpus.VARIANTS}
    assert len(set(ids.values())) == len(ids)
    files = corpus.split(original(), "de")
    again = tables.apply_proposal(tables.propose_tables([(d, n) for n, d in files.values()]))
    assert again.dataset_id == ids["de"]
    np.testing.assert_allclose(again.report["cleaning"]["revenue_clean"],
                               variant("de")[2].report["cleaning"]["revenue_clean"])
