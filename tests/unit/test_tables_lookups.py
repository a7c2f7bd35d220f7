"""Lookups beside a complete export read alone (held-out realC case 12: French order lines with a product catalogue,
a sub-category table and a customer table).

Hand-written fixtures in the shape of that export (not the real files), each figure counted by hand:

* the catalogue keyed by the lines' product id gives each line its product name, and its sub-category id is named
  by the sub-category table; the customer table keyed by the lines' customer id gives each line its country;
* every line is kept (a left join): a line whose id is not in a lookup keeps an empty value, counted in a note;
  rows in = rows kept + rows set aside, and the revenue is the file's own;
* the export's own columns win over a lookup's; a lookup that gives nothing, or whose ids do not match, is left out
  as before (and then the dataset id is the file's single-file id); otherwise the dataset id covers every file;
* an order header + line items join names a catalogue's category id through the category table the same way.
"""

from __future__ import annotations

import json

import pandas as pd

from ecom_analytics.cli import main
from ecom_analytics.ingest import pipeline, tables

#: 6 lines: 2x10.50 + 4.00 + 10.50 + 3x2.00 + 2x4.00 + 4.00 = 53.50; P9 is not in the catalogue, C9 not a customer
LINES = ("ID_Commande,Date_Commande,ID_Client,ID_Produit,Quantite,Prix_Unitaire\n"
         "SO1,2024-01-03,C1,P1,2,10.50\nSO1,2024-01-03,C1,P2,1,4.00\nSO2,2024-01-04,C2,P1,1,10.50\n"
         "SO3,2024-01-05,C1,P3,3,2.00\nSO4,2024-01-06,C3,P9,2,4.00\nSO5,2024-01-07,C9,P2,1,4.00\n")
PRODUCTS = "ID_Produit,Nom_Produit,ID_Sous_Categorie\nP1,Gourde,S1\nP2,Casquette,S2\nP3,Chaussettes,S2\nP4,Sac,S1\n"
SUBCATEGORIES = "ID_Sous_Categorie,ID_Categorie,Nom_Sous_Categorie\nS1,K1,Bouteilles\nS2,K2,Textile\n"
CUSTOMERS = "CustomerID,Prenom,Pays\nC1,Ana,France\nC2,Luc,Belgique\nC3,Eva,France\nC4,Jean,Suisse\n"


def export(**replaced: str) -> list[tuple[bytes, str]]:
    texts = {"commandes.csv": LINES, "produits.csv": PRODUCTS, "sous_categories.csv": SUBCATEGORIES,
             "clients.csv": CUSTOMERS} | {k.replace("__", "."): v for k, v in replaced.items()}
    return [(t.encode(), n) for n, t in texts.items() if t]


def by_line(result, column: str) -> list:
    clean = result.cleaning.clean.sort_values("source_line")
    return [None if v is None or v is pd.NA or v != v else v for v in clean[column].astype(object)]


def test_the_catalogue_names_each_line_and_the_sub_category_table_names_its_category():
    p = tables.propose_tables(export())
    assert p.file("commandes.csv").role == "single" and p.file("sous_categories.csv").role == "unknown"
    result = tables.apply_proposal(p)
    assert by_line(result, "product_name") == ["Gourde", "Casquette", "Gourde", "Chaussettes", None, "Casquette"]
    assert by_line(result, "category") == ["Bouteilles", "Textile", "Bouteilles", "Textile", None, "Textile"]
    assert result.mapping.as_dict()["product_name"] == "produits.csv:Nom_Produit"
    assert result.mapping.as_dict()["category"] == "sous_categories.csv:Nom_Sous_Categorie"
    rep = result.report["cleaning"]
    assert (rep["rows_in"], rep["rows_clean"], rep["rows_quarantined"]) == (6, 6, 0)  # a left join keeps every line
    assert rep["revenue_clean"] == 53.5 and rep["reconciles"]
    tab = result.report["tables"]
    notes = {n["code"]: n["params"] for n in tab["notes"]}
    # P9 is the one line (1 of 6) whose product is not in the catalogue
    assert notes["items_without_product"] == {"rows": 1, "share": 1 / 6, "file": "produits.csv"}
    assert notes["category_by_table"] == {"file": "produits.csv", "column": "ID_Sous_Categorie",
                                          "table": "sous_categories.csv", "name": "Nom_Sous_Categorie"}
    used = [n["params"] for n in tab["notes"] if n["code"] == "lookup_used"]
    assert {u["file"]: (u["columns"], u["key"], u["share"]) for u in used} == {
        "produits.csv": ("'Nom_Produit', 'Nom_Sous_Categorie'", "ID_Produit", 0.75),  # P1, P2, P3 of P1, P2, P3, P9
        "clients.csv": ("'Pays'", "ID_Client", 0.75)}                                # C1, C2, C3 of C1, C2, C3, C9
    assert "left_out_table" not in notes and "role_unknown" not in notes  # every file is used
    assert {r["link"]: (r["child_key"], r["parent_key"]) for r in tab["lookups"]} == {
        "orders->customers": ("ID_Client", "CustomerID"), "items->products": ("ID_Produit", "ID_Produit")}


def test_the_customer_table_gives_each_line_its_country_and_an_unknown_customer_keeps_none():
    result = tables.apply_proposal(tables.propose_tables(export()))
    assert by_line(result, "country") == ["France", "France", "Belgique", "France", "France", None]
    note = next(n for n in result.report["tables"]["notes"] if n["code"] == "lookup_unknown_customer")
    assert note["params"] == {"rows": 1, "share": 1 / 6, "file": "clients.csv"} and note["severity"] == "warning"
    assert "C9" in by_line(result, "customer_id")  # kept, not set aside


def test_the_exports_own_columns_win_and_a_lookup_that_gives_nothing_is_left_out_as_before():
    own = LINES.replace("Prix_Unitaire\n", "Prix_Unitaire,Nom_Produit,Categorie,Pays\n", 1)
    own = "\n".join(line + ",Article,Divers,Espagne" if i else line
                    for i, line in enumerate(own.strip().split("\n"))) + "\n"
    result = tables.apply_proposal(tables.propose_tables(export(commandes__csv=own)))
    assert set(by_line(result, "product_name")) == {"Article"} and set(by_line(result, "country")) == {"Espagne"}
    tab = result.report["tables"]
    left = {n["params"]["file"] for n in tab["notes"] if n["code"] == "left_out_table"}
    assert left == {"produits.csv", "clients.csv"} and "lookups" not in tab
    single = pipeline.process(pipeline.prepare(own.encode(), "commandes.csv"))
    assert result.dataset_id == single.dataset_id  # nothing looked up: the file's own dataset


def test_a_catalogue_whose_ids_are_not_the_lines_ids_is_left_out():
    other = PRODUCTS.replace("ID_Produit", "Ref").replace("P", "X")
    result = tables.apply_proposal(tables.propose_tables(export(produits__csv=other, clients__csv="")))
    assert set(by_line(result, "product_name")) == {None}
    # named as left out: a table of the export that joins nothing, or (its ids read as none) a file not recognised
    left = {n["params"]["file"] for n in result.report["tables"]["notes"] if n["code"] in ("left_out_table",
                                                                                            "role_unknown")}
    assert "produits.csv" in left


def test_the_dataset_id_covers_every_file_and_not_their_order():
    base = tables.apply_proposal(tables.propose_tables(export())).dataset_id
    shuffled = tables.apply_proposal(tables.propose_tables(export()[::-1])).dataset_id
    renamed = tables.apply_proposal(tables.propose_tables(
        export(sous_categories__csv=SUBCATEGORIES.replace("Textile", "Textiles")))).dataset_id
    alone = pipeline.process(pipeline.prepare(LINES.encode(), "commandes.csv")).dataset_id
    assert base == shuffled and len({base, renamed, alone}) == 3


def test_an_order_header_and_line_items_name_a_catalogue_category_id_through_the_category_table():
    header = "order_id,customer_id,created_at\nA1,c1,2024-01-01\nA2,c2,2024-01-02\n"
    items = "order_id,product_id,quantity,price\nA1,P1,1,2.0\nA1,P2,2,3.0\nA2,P3,1,5.0\n"
    p = tables.propose_tables([(header.encode(), "orders.csv"), (items.encode(), "items.csv"),
                               (PRODUCTS.encode(), "produits.csv"), (SUBCATEGORIES.encode(), "sous_categories.csv")])
    assert p.relation("items->products").child_key == "product_id"
    result = tables.apply_proposal(p)
    assert by_line(result, "category") == ["Bouteilles", "Textile", "Textile"]
    assert result.report["cleaning"]["revenue_clean"] == 2.0 + 6.0 + 5.0


def test_the_command_line_writes_the_looked_up_columns(tmp_path, capsys):
    paths = []
    for data, name in export():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    out = tmp_path / "summary.json"
    assert main(["ingest", *paths, "--json", str(out), "--home", str(tmp_path / "home")]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["mapping"]["product_name"] == "produits.csv:Nom_Produit"
    assert summary["mapping"]["country"] == "clients.csv:Pays"
    assert (summary["rows_in"], summary["rows_clean"], summary["revenue_clean"]) == (6, 6, 53.5)
    assert "is left out" not in capsys.readouterr().err


# ------------------------------------------------------------------ a star schema: the date through a date dimension
#: 5 fact lines of 3 orders: 2x9 + 1x20 + 3x5 + 4x9 + 1x20 = 18 + 20 + 15 + 36 + 20 = 109; key 103 has no date
FACTS = ("KeyTiempo,KeyCliente,KeyProducto,NumeroPedido,MontoVenta,CantidadUnidades\n"
         "101,7,1,10248,18,2\n101,7,2,10248,20,1\n102,8,3,10249,15,3\n103,7,1,10250,36,4\n103,7,2,10250,20,1\n")
TIEMPO = "KeyTiempo,Fecha,mes\n101,2017-01-23 00:00:00,1\n102,2017-01-24 00:00:00,1\n104,2017-01-26 00:00:00,1\n"
CLIENTES = "KeyCliente,CodigoCliente,Pais\n7,WILMK,Finlandia\n8,TOMSP,Alemania\n"
PRODUCTOS = "KeyProducto,NombreProducto,NombreCategoria\n1,Queso,Lácteos\n2,Tallarines,Granos\n3,Té,Bebidas\n"


def star(**replaced: str) -> list[tuple[bytes, str]]:
    texts = {"hechoPedido.csv": FACTS, "tiempo.csv": TIEMPO, "clientes.csv": CLIENTES, "productos.csv": PRODUCTOS}
    return [(t.encode(), n) for n, t in (texts | {k.replace("__", "."): v for k, v in replaced.items()}).items()]


def test_a_fact_table_takes_its_date_from_the_date_dimension_and_is_read_alone_with_its_lookups():
    p = tables.propose_tables(star(hechoPedido__csv=FACTS.replace("\n103,", "\n102,")))  # every key dated
    fact, dim = p.file("hechoPedido.csv"), p.file("tiempo.csv")
    assert fact.role == "single" and fact.recognised["timestamp"] == "tiempo.csv:Fecha"
    assert dim.role == "unknown" and dim.reason.code == "role_date_dimension"
    assert dim.reason.params == {"file": "tiempo.csv", "column": "KeyTiempo", "date": "Fecha",
                                 "used": "hechoPedido.csv", "key": "KeyTiempo", "share": 1.0}
    result = tables.apply_proposal(p)
    assert [str(v)[:10] for v in by_line(result, "timestamp")] == ["2017-01-23", "2017-01-23", "2017-01-24",
                                                                   "2017-01-24", "2017-01-24"]
    assert by_line(result, "country") == ["Finlandia", "Finlandia", "Alemania", "Finlandia", "Finlandia"]
    assert by_line(result, "category") == ["Lácteos", "Granos", "Bebidas", "Lácteos", "Granos"]
    rep = result.report["cleaning"]
    assert (rep["rows_in"], rep["rows_clean"], rep["revenue_clean"]) == (5, 5, 109.0)
    assert "tiempo.csv:Fecha" not in result.report["reader"]["columns"]  # the file as read
    moved = tables.apply_proposal(tables.propose_tables(star(
        hechoPedido__csv=FACTS.replace("\n103,", "\n102,"), tiempo__csv=TIEMPO.replace("2017-01-24", "2017-01-25"))))
    assert moved.dataset_id != result.dataset_id  # the dimension's bytes are in the dataset id


def test_a_fact_line_whose_key_is_not_in_the_date_dimension_has_no_date_and_is_set_aside():
    # 10 lines of 10.00, keys 1..10; the dimension dates keys 1..9 (90 % of them, enough to be one)
    facts = "KeyTiempo,KeyCliente,KeyProducto,NumeroPedido,MontoVenta,CantidadUnidades\n" + "".join(
        f"{k},7,1,{10000 + k},10,1\n" for k in range(1, 11))
    tiempo = "KeyTiempo,Fecha\n" + "".join(f"{k},2017-01-{k:02d}\n" for k in range(1, 10))
    result = tables.apply_proposal(tables.propose_tables(star(hechoPedido__csv=facts, tiempo__csv=tiempo)))
    rep = result.report["cleaning"]
    # key 10 has no date: rows in 10 = 9 kept + 1 set aside, 100.00 in = 90.00 kept + 10.00 set aside
    assert (rep["rows_in"], rep["rows_clean"], rep["rows_quarantined"]) == (10, 9, 1)
    assert (rep["revenue_in"], rep["revenue_clean"]) == (100.0, 90.0) and rep["reconciles"]
    assert result.cleaning.quarantine["order_id"].tolist() == ["10010"]


def test_a_dimension_that_dates_too_few_of_the_keys_is_not_used():
    p = tables.propose_tables(star())  # key 103 of 101, 102, 103 is not there: 2 of 3
    assert "timestamp" not in p.file("hechoPedido.csv").recognised


def test_no_date_dimension_without_a_key_of_the_same_name():
    p = tables.propose_tables(star(tiempo__csv=TIEMPO.replace("KeyTiempo", "Clave")))
    assert "timestamp" not in p.file("hechoPedido.csv").recognised
    assert p.file("hechoPedido.csv").role != "single"


def test_a_customer_table_with_a_sign_up_date_dates_no_line():
    clientes = "KeyCliente,FechaAlta,Pais\n7,2015-03-01,Finlandia\n8,2016-05-02,Alemania\n"
    p = tables.propose_tables(star(tiempo__csv="", clientes__csv=clientes)[:1] + star(clientes__csv=clientes)[2:])
    assert "timestamp" not in p.file("hechoPedido.csv").recognised
