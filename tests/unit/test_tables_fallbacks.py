"""Several tables of one export that are not textbook ones (held-out round realC, cases 12b, 17b, 18, 23b).

Hand-written fixtures in the shapes of those exports (not the real files), each figure counted by hand:

* an order header and its lines that share an order id under a name the mapper does not know as one
  (``id_venta``, ``folio``): the two files are joined by it;
* an ERP's partner and product tables keyed by a technical id (``res_partner_7``) that the header and the lines
  name in columns of their own (``partner_id/id``, ``product_id/id``): they are the customer table and the product
  catalogue, and the customer is the partner, not the salesperson; a catalogue's ``sale_delay`` (days) is no date,
  so the catalogue is not "a complete orders export";
* when the files make no join the product understands but one of them reads as a complete export alone (order
  lines with catalogues of their keys; an order header with its amount next to cart lines without prices), that
  one is read alone and every other file is named with what it is and why it was left out; a join it does
  understand is still preferred, and nothing is read alone when no file, or more than one, could be.
"""

from __future__ import annotations

import json

import pytest

from ecom_analytics.cli import main
from ecom_analytics.errors import InputError
from ecom_analytics.ingest import pipeline, tables


def files(**texts: str) -> list[tuple[bytes, str]]:
    return [(t.encode(), n.replace("__", ".")) for n, t in texts.items()]


def codes(notes) -> list[str]:
    return [n.code for n in notes]


# ------------------------------------------------------------------ a header and lines under an unknown key name
def ventas(key: str) -> list[tuple[bytes, str]]:
    """An Argentine shop's sale header and sale lines (Tienda Aurelion's shape): 4 sales, 6 lines."""
    return files(
        ventas__csv=f"{key},fecha,id_cliente,medio_pago\n"
                    "1,2024-01-05,10,efectivo\n2,2024-01-06,11,tarjeta\n3,2024-01-06,10,efectivo\n4,2024-01-07,12,qr\n",
        detalle_ventas__csv=f"{key},id_producto,nombre_producto,cantidad,precio_unitario,importe\n"
                            "1,100,Yerba,2,1500,3000\n1,101,Alfajor,3,400,1200\n2,100,Yerba,1,1500,1500\n"
                            "3,102,Dulce de leche,2,900,1800\n4,101,Alfajor,5,400,2000\n4,102,Dulce de leche,1,900,900\n")


@pytest.mark.parametrize("key", ["id_venta", "folio"])
def test_a_header_and_lines_sharing_an_order_id_the_mapper_does_not_name_are_joined(key):
    p = tables.propose_tables(ventas(key))
    assert {f.name: f.role for f in p.files} == {"ventas.csv": "orders", "detalle_ventas.csv": "items"}
    assert p.file("ventas.csv").fields["order_id"] == key == p.file("detalle_ventas.csv").fields["order_id"]
    rel = p.relation("items->orders")
    assert (rel.child_key, rel.parent_key, rel.share) == (key, key, 1.0)
    assert (rel.counts["orders_with_items"], rel.counts["items_without_order"]) == (4, 0)
    result = tables.apply_proposal(p)
    rep = result.report["cleaning"]
    # 3000 + 1200 + 1500 + 1800 + 2000 + 900 = 10,400 on 6 lines of 4 sales by 3 customers
    assert (rep["rows_in"], rep["rows_clean"], rep["revenue_clean"]) == (6, 6, 10400.0)
    clean = result.cleaning.clean
    assert sorted(clean["customer_id"].unique()) == ["10", "11", "12"]
    assert clean.loc[clean["order_id"] == "4", "timestamp"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2024-01-07"]


def test_the_shared_key_needs_the_header_to_be_unique_and_to_hold_the_lines_values():
    # the "header" repeats its ids: it is no order header, and no key is made up
    repeated = files(
        ventas__csv="id_venta,fecha,id_cliente\n1,2024-01-05,10\n1,2024-01-06,11\n2,2024-01-06,10\n2,2024-01-07,12\n",
        detalle_ventas__csv=ventas("id_venta")[1][0].decode())
    assert "order_id" not in tables.propose_tables(repeated).file("ventas.csv").fields
    # the lines' sales 7 and 8 are not in the header: 2 of 4 values (50 %) is below the 90 % asked
    lines = ("id_venta,id_producto,cantidad,precio_unitario\n1,100,2,1500\n2,101,3,400\n7,100,1,1500\n"
             "8,102,2,900\n")
    stray = files(ventas__csv=ventas("id_venta")[0][0].decode(), detalle_ventas__csv=lines)
    p = tables.propose_tables(stray)
    assert {f.role for f in p.files} == {"unknown"}


# ------------------------------------------------------------------ an ERP's partner and product tables
ODOO = {
    "sale.order.csv": "id,name,date_order,partner_id/id,user_id/id\n"
                      "sale_order_1,SO001,2024-03-01 10:00:00,res_partner_7,res_users_1\n"
                      "sale_order_2,SO002,2024-03-02 11:00:00,res_partner_8,res_users_1\n"
                      "sale_order_3,SO003,2024-03-03 12:00:00,res_partner_7,res_users_2\n"
                      "sale_order_4,SO004,2024-03-04 09:30:00,res_partner_9,res_users_2\n"
                      "sale_order_5,SO005,2024-03-05 15:00:00,res_partner_10,res_users_1\n"
                      "sale_order_6,SO006,2024-03-06 16:00:00,res_partner_11,res_users_1\n",
    "sale.order.line.csv": "id,order_id/id,product_id/id,name,price_unit,product_uom_qty,product_uos_qty,product_uom/id\n"
                           "sale_order_line_1,sale_order_1,product_product_1,[C1] Casque,15.00,2,2,product.product_uom_unit\n"
                           "sale_order_line_2,sale_order_1,product_product_2,[C2] Compteur,20.00,1,1,product.product_uom_unit\n"
                           "sale_order_line_3,sale_order_2,product_product_3,[V3] Velo,400.00,1,1,product.product_uom_unit\n"
                           "sale_order_line_4,sale_order_3,product_product_1,[C1] Casque,15.00,1,1,product.product_uom_unit\n"
                           "sale_order_line_5,sale_order_4,product_product_4,[P4] Pompe,10.00,3,3,product.product_uom_unit\n"
                           "sale_order_line_6,sale_order_5,product_product_5,[S5] Selle,25.00,2,2,product.product_uom_unit\n"
                           "sale_order_line_7,sale_order_6,product_product_2,[C2] Compteur,20.00,1,1,product.product_uom_unit\n",
    "res.partner.csv": "id,name,ref,email,street,zip,city,country_id/id,title/id,parent_id/id,company_id/id,customer\n"
                       "res_partner_7,Albrecht,u7,albrecht@example.fr,,,,base.fr,,,base.main_company,0\n"
                       "res_partner_8,Bernard Laporte,cl02,blaporte@example.fr,,,,base.fr,,,base.main_company,1\n"
                       "res_partner_9,Marie Desgin,cl03,mdesgin@example.fr,,,,base.fr,,,base.main_company,1\n"
                       "res_partner_10,Pierre Legall,cl03,mdesgin@example.fr,,,,base.fr,,,base.main_company,1\n"
                       "res_partner_11,Jean Terre,cl04,jterre@example.fr,,,,base.fr,,,base.main_company,1\n"
                       "res_partner_12,Bill Porte,cl05,bporte@example.fr,,,,base.fr,,,base.main_company,1\n",
    "product.product.csv": "id,name,default_code,categ_id/id,type,list_price,standard_price,website_published,"
                           "sale_delay\n"
                           "product_product_1,Casque,789456123,product_category_4,Stockable Product,15.89,10.00,1,0\n"
                           "product_product_2,Compteur,741852,product_category_4,Stockable Product,20.00,12.71,1,0\n"
                           "product_product_3,Velo,123000DE12,product_category_6,Stockable Product,442.31,324.00,1,7\n"
                           "product_product_4,Pompe,AGU133166,product_category_4,Stockable Product,10.00,6.00,1,0\n"
                           "product_product_5,Selle,SEL5,product_category_5,Stockable Product,25.00,15.00,1,3\n"
                           "product_product_9,Cadenas,CAD9,product_category_5,Stockable Product,12.00,8.00,0,0\n",
}


def test_a_catalogue_whose_days_of_delay_are_no_dates_is_not_a_complete_orders_export():
    p = tables.propose_tables([(ODOO["product.product.csv"].encode(), "product.product.csv")])
    catalogue = p.files[0]
    assert catalogue.role != "single" and "timestamp" not in catalogue.recognised


def test_erp_partner_and_product_tables_are_found_by_their_ids_and_the_partner_is_the_customer():
    p = tables.propose_tables([(t.encode(), n) for n, t in ODOO.items()])
    assert {f.name: f.role for f in p.files} == {"sale.order.csv": "orders", "sale.order.line.csv": "items",
                                                 "res.partner.csv": "customers", "product.product.csv": "products"}
    assert p.file("res.partner.csv").fields["customer_id"] == "id"
    # the partner table's e-mails are not unique (two contacts share one): the mapper gives it no role, its ids do
    by_values = [n for n in p.notes if n.code == "role_by_values"]
    assert [(n.params["file"], n.params["column"], n.params["child_key"], n.params["share"]) for n in by_values] == [
        ("res.partner.csv", "id", "partner_id/id", 1.0)]
    rel = {r.link: (r.child_key, r.parent_key) for r in p.relations}
    assert rel["orders->customers"] == ("partner_id/id", "id")  # the partner, not the salesperson user_id/id
    assert rel["items->products"] == ("product_id/id", "id")
    # partners 7 8 7 9 10 11 of the 6 orders; 9 and 10 share an e-mail: 5 ids, 4 people, 2 of whom ordered twice
    pk = p.person_key
    assert (pk.stable, pk.ids, pk.people, pk.repeat_share) == ("email", 5, 4, 0.5)
    result = tables.apply_proposal(p)
    rep = result.report["cleaning"]
    # 2x15 + 20 + 400 + 15 + 3x10 + 2x25 + 20 = 565 on 7 lines
    assert (rep["rows_in"], rep["rows_clean"], rep["revenue_clean"]) == (7, 7, 565.0)
    clean = result.cleaning.clean
    assert clean["customer_id"].nunique() == 4
    assert clean.loc[clean["product_id"] == "product_product_3", "product_name"].tolist() == ["Velo"]
    assert result.mapping.as_dict()["customer_id"] == "res.partner.csv:email"


def test_a_yes_no_column_is_not_the_person_behind_a_customer_id():
    # with one e-mail per partner, the e-mails name no fewer people than the ids; the 0/1 "customer" flag would
    # name two "people" and is not taken
    partners = ODOO["res.partner.csv"].replace("res_partner_10,Pierre Legall,cl03,mdesgin@example.fr",
                                                "res_partner_10,Pierre Legall,cl03,plegall@example.fr")
    texts = dict(ODOO) | {"res.partner.csv": partners}
    p = tables.propose_tables([(t.encode(), n) for n, t in texts.items()])
    assert p.relation("orders->customers").child_key == "partner_id/id"
    assert p.person_key.stable is None and p.person_key.people == 5


def test_a_column_of_small_numbers_is_no_lookup_key_unless_the_names_agree():
    # the lines' product numbers 1..5 are found in the weather table's day column, which is no catalogue
    lines = ("order_id,product_id,quantity,price\nA,1,1,2.0\nA,2,1,2.0\nB,3,2,1.0\nC,4,1,5.0\nC,5,1,5.0\n")
    header = "order_id,customer_id,created_at\nA,c1,2024-01-01\nB,c2,2024-01-02\nC,c1,2024-01-03\n"
    weather = "day,rain_mm\n1,0.0\n2,1.5\n3,0.2\n4,0.0\n5,3.1\n6,0.0\n"
    p = tables.propose_tables(files(orders__csv=header, items__csv=lines, weather__csv=weather))
    assert p.file("weather.csv").role == "unknown" and p.relation("items->products") is None


# ------------------------------------------------------------------ one file read alone, the others named
COMMANDES = {
    "commandes.csv": "ID_Commande,Date_Commande,Date_Expedition,ID_Client,ID_Produit,Quantite,Prix_Unitaire\n"
                     "SO1,2024-01-03,2024-01-10,C1,P1,2,10.50\nSO1,2024-01-03,2024-01-10,C1,P2,1,4.00\n"
                     "SO2,2024-01-04,2024-01-11,C2,P1,1,10.50\nSO3,2024-01-05,2024-01-12,C1,P3,3,2.00\n"
                     "SO4,2024-01-06,2024-01-13,C3,P2,2,4.00\n",
    "clients.csv": "CustomerID,Prenom,Nom\nC1,Ana,Bernard\nC2,Luc,Martin\nC3,Eva,Petit\nC4,Jean,Roux\n",
    "produits.csv": "ID_Produit,Nom_Produit,Prix_Standard,ID_Sous_Categorie\nP1,Gourde,10.50,S1\nP2,Casquette,4.00,S2\n"
                    "P3,Chaussettes,2.00,S2\n",
    "sous_categories.csv": "ID_Sous_Categorie,ID_Categorie,Nom_Sous_Categorie\nS1,K1,Bouteilles\nS2,K2,Textile\n",
}


def commandes_files() -> list[tuple[bytes, str]]:
    return [(t.encode(), n) for n, t in COMMANDES.items()]


@pytest.mark.parametrize("chosen", [False, True])
def test_complete_order_lines_with_catalogues_of_their_keys_are_read_alone(chosen):
    p = tables.propose_tables(commandes_files())
    if chosen:  # the analyst's "single" is honoured
        p = p.with_role("commandes.csv", "single")
    assert p.file("commandes.csv").role == "single"
    result = tables.apply_proposal(p)
    single = pipeline.process(pipeline.prepare(COMMANDES["commandes.csv"].encode(), "commandes.csv"))
    # the catalogue is a lookup of the lines' product ids (tests/unit/test_tables_lookups.py): the dataset id covers
    # its bytes too, so it is no longer the file's single-file id
    assert result.dataset_id != single.dataset_id
    rep = result.report["cleaning"]
    # 2x10.50 + 4.00 + 10.50 + 3x2.00 + 2x4.00 = 49.50 on 5 lines
    assert (rep["rows_in"], rep["rows_clean"], rep["revenue_clean"]) == (5, 5, 49.5)
    tab = result.report["tables"]
    assert tab["read_alone"] == "commandes.csv"
    notes = {(n["code"], n["params"]["file"]) for n in tab["notes"]}
    assert {("read_alone_no_items", "commandes.csv"), ("left_out_table", "clients.csv"),
            ("lookup_used", "produits.csv")} <= notes
    left = {n["params"]["file"]: n["params"]["role"] for n in tab["notes"] if n["code"] == "left_out_table"}
    assert left == {"clients.csv": "customers"}  # no country to give: left out
    assert any("'clients.csv' (a customer table) is left out" in text for text in result.report["notes"])


ORDER_DATA = ("订单ID,用户ID,订单金额,下单时间,支付状态\nO1,U1,120.50,2024-02-01 10:00:00,已支付\n"
              "O2,U2,80.00,2024-02-01 11:00:00,已支付\nO3,U1,45.25,2024-02-02 09:00:00,已取消\n"
              "O4,U3,60.00,2024-02-03 12:00:00,已支付\n")
CART_DATA = "订单ID,商品名称\nO1,保温杯\nO1,雨伞\nO2,保温杯\nO3,帆布包\nO4,雨伞\nO4,帆布包\n"


def test_an_order_header_with_its_amount_is_read_alone_next_to_cart_lines_without_prices():
    p = tables.propose_tables(files(order_data__csv=ORDER_DATA, cart_data__csv=CART_DATA))
    assert {f.name: f.role for f in p.files} == {"order_data.csv": "orders", "cart_data.csv": "unknown"}
    result = tables.apply_proposal(p)
    rep = result.report["cleaning"]
    # O3 is cancelled (已取消): 120.50 + 80.00 + 60.00 = 260.50 kept of 305.75
    assert (rep["rows_in"], rep["rows_clean"], rep["revenue_in"], rep["revenue_clean"]) == (4, 3, 305.75, 260.5)
    tab = result.report["tables"]
    assert tab["read_alone"] == "order_data.csv"
    cart = next(n for n in tab["notes"] if n["code"] == "left_out_no_price")
    assert cart["params"] == {"file": "cart_data.csv", "order_id": "订单ID", "product": "商品名称",
                              "used": "order_data.csv"}
    assert "read_alone_no_items" in [n["code"] for n in tab["notes"]]


def test_nothing_is_read_alone_when_no_file_or_several_could_be_or_the_analyst_asked_for_a_join():
    from tests.fixtures import OLIST

    olist = [(OLIST[n].encode(), n) for n in ("olist_orders_dataset.csv", "olist_customers_dataset.csv")]
    with pytest.raises(InputError, match="No line-item table was recognised"):  # the header has no money
        tables.apply_proposal(tables.propose_tables(olist))
    two = commandes_files()[:2] + [(COMMANDES["commandes.csv"].replace("SO", "FR").encode(), "commandes_fr.csv")]
    with pytest.raises(InputError, match="No line-item table was recognised"):
        tables.apply_proposal(tables.propose_tables(two))
    p = tables.propose_tables(files(order_data__csv=ORDER_DATA, cart_data__csv=CART_DATA))
    with pytest.raises(InputError, match="have no price or amount column"):
        tables.apply_proposal(p.with_role("cart_data.csv", "items"))


def test_a_join_the_product_understands_is_still_preferred():
    both = ventas("id_venta") + files(order_data__csv=ORDER_DATA)
    result = tables.apply_proposal(tables.propose_tables(both))
    assert "read_alone" not in result.report["tables"] and result.report["cleaning"]["revenue_clean"] == 10400.0


def ingest_files(tmp_path, texts: dict[str, str]):
    """``ingest`` of the files ``texts`` (name -> text) written to ``tmp_path``; returns the summary's path."""
    paths = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    out = tmp_path / "summary.json"
    assert main(["ingest", *paths, "--json", str(out), "--home", str(tmp_path / "home")]) == 0
    return out


def test_the_command_line_says_which_file_was_read_alone(tmp_path, capsys):
    out = ingest_files(tmp_path, COMMANDES)
    captured = capsys.readouterr()
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["tables"]["read_alone"] == "commandes.csv" and summary["revenue_clean"] == 49.5
    assert "read from 'commandes.csv' alone: 5 rows in, 5 kept, 0 quarantined" in captured.out
    assert "warning: 'clients.csv' (a customer table) is left out" in captured.err
    assert "'produits.csv' (a product catalogue) is left out" not in captured.err


def test_a_header_and_lines_that_do_not_link_leave_the_complete_export_read_alone():
    header = "order_id,customer_id,created_at\nA1,c1,2024-01-01\nA2,c2,2024-01-02\nA3,c1,2024-01-03\n"
    lines = "order_id,product_id,quantity,price\nZ1,p1,1,2.0\nZ2,p2,1,3.0\nZ3,p1,2,2.0\n"
    p = tables.propose_tables(commandes_files()[:1] + files(orders__csv=header, items__csv=lines))
    assert p.relation("items->orders").child_key == ""  # no A in Z: no link
    tab = tables.apply_proposal(p).report["tables"]
    assert tab["read_alone"] == "commandes.csv"
    got = [(n["code"], n["params"]["file"]) for n in tab["notes"] if n["code"].startswith(("read_alone", "left_out"))]
    assert got == [("read_alone_no_link", "commandes.csv"), ("left_out_part", "orders.csv"),
                   ("left_out_part", "items.csv")]


def test_a_complete_export_beside_files_not_recognised_is_read_alone_and_names_them(tmp_path, capsys):
    """realE 08 (an Indonesian pharmacy chain: penjualan + pelanggan + barang, `;` and decimal commas): the sales
    file is complete, the others are not recognised as its tables; the command line crashed (KeyError 'tables')."""
    texts = {
        "penjualan.csv": "id_invoice;tanggal;id_customer;id_barang;jumlah_barang;harga\n"
                         "IN1;20/01/2022;CUST1;BRG1;1;1169,91\nIN2;21/01/2022;CUST2;BRG2;5;2337,5\n"
                         "IN3;22/01/2022;CUST1;BRG2;2;2337,5\nIN4;23/01/2022;CUST3;BRG1;1;1169,91\n",
        "cabang.csv": "id_cabang;kota;provinsi\nCAB01;Banda Aceh;Aceh\nCAB02;Kuningan;Jawa Barat\n"
                      "CAB03;Medan;Sumatera Utara\n"}
    out = ingest_files(tmp_path, texts)
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["tables"]["read_alone"] == "penjualan.csv" and summary["rows_clean"] == 4
    assert summary["revenue_clean"] == round(1169.91 + 5 * 2337.5 + 2 * 2337.5 + 1169.91, 2)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "'cabang.csv' was not recognised as a table of an orders export" in err
