"""Several tables of one export seen in the held-out round realF (cases F09, F12, F16, F19, F20).

Hand-written fixtures in the shapes of those exports (not the real files), each figure counted by hand:

* an order header (order id, date, customer, state) and order details that say what was bought by its category
  only (order id, amount, profit, quantity, category, sub-category: the widely copied Kaggle "E-commerce Sales
  Data" and its look-alikes): the details are line items, joined to the header on the order id;
* an ERP dump whose order lines carry each order's customer and date, next to a header of some of those orders
  and the customer master: the master is the customer table (its unique customer numbers hold the lines'), and
  the lines are read on their own, the header being left out as covered by them;
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.ingest import tables


def files(**texts: str) -> list[tuple[bytes, str]]:
    return [(t.encode(), n.replace("__", ".").replace("_SP_", " ")) for n, t in texts.items()]


def codes(notes) -> list[str]:
    return [n.code for n in notes]


# ------------------------------------------------------------------ details with a category and no product
def list_of_orders() -> list[tuple[bytes, str]]:
    """4 orders (DD-MM-YYYY, two of them on days above 12) and 7 detail lines without a product column."""
    return files(
        List_SP_of_SP_Orders__csv="Order ID,Order Date,CustomerName,State,City\n"
                                  "B-1,01-04-2018,Bharat,Gujarat,Ahmedabad\n"
                                  "B-2,13-04-2018,Pearl,Maharashtra,Pune\n"
                                  "B-3,25-05-2018,Bharat,Gujarat,Ahmedabad\n"
                                  "B-4,02-06-2018,Jahan,Madhya Pradesh,Bhopal\n",
        Order_SP_Details__csv="Order ID,Amount,Profit,Quantity,Category,Sub-Category\n"
                              "B-1,1275,-1148,7,Furniture,Bookcases\n"
                              "B-1,66,-12,5,Clothing,Stole\n"
                              "B-2,168,-111,2,Electronics,Phones\n"
                              "B-2,424,-272,5,Electronics,Phones\n"
                              "B-3,80,-56,4,Electronics,Electronic Games\n"
                              "B-4,1355,-60,5,Clothing,Trousers\n"
                              "B-4,24,-30,1,Furniture,Chairs\n")


def test_details_with_a_category_and_no_product_are_line_items_joined_to_their_header():
    p = tables.propose_tables(list_of_orders())
    assert {f.name: f.role for f in p.files} == {"List of Orders.csv": "orders", "Order Details.csv": "items"}
    details = p.file("Order Details.csv")
    assert details.fields == {"order_id": "Order ID", "amount": "Amount", "quantity": "Quantity",
                              "category": "Category"}
    assert details.reason.code == "role_items_category" and details.reason.params["category"] == "Category"
    assert "category 'Category'" in details.reason.text()
    rel = p.relation("items->orders")
    assert (rel.child_key, rel.parent_key, rel.share) == ("Order ID", "Order ID", 1.0)
    result = tables.apply_proposal(p)
    rep = result.report["cleaning"]
    # 1275 + 66 + 168 + 424 + 80 + 1355 + 24 = 3,392 on 7 lines of 4 orders by 3 customers
    assert (rep["rows_in"], rep["rows_clean"], rep["rows_quarantined"], rep["revenue_clean"]) == (7, 7, 0, 3392.0)
    clean = result.cleaning.clean
    assert sorted(clean["customer_id"].unique()) == ["Bharat", "Jahan", "Pearl"]
    # the customer and the date come from the header, the amount, quantity and category from the lines
    b2 = clean[clean["order_id"] == "B-2"]
    assert list(b2["timestamp"].unique()) == [pd.Timestamp("2018-04-13")]
    assert list(b2["amount"]) == [168.0, 424.0] and list(b2["quantity"]) == [2.0, 5.0]
    assert list(clean.loc[clean["order_id"] == "B-4", "category"]) == ["Clothing", "Furniture"]
    assert clean.groupby("customer_id")["amount"].sum().to_dict() == {"Bharat": 1421.0, "Jahan": 1379.0,
                                                                      "Pearl": 592.0}
    assert result.mapping.as_dict()["customer_id"] == "List of Orders.csv:CustomerName"


def test_details_of_one_line_per_order_with_a_payment_mode_are_line_items_too():
    """F19's shape: one detail line per order (the order id unique there too) and a 'Payment Mode' column."""
    p = tables.propose_tables(files(
        order_data__csv="Order ID,Order Date,Customer Name,State,City\n1001,2025-01-02,Rahul Sharma,Delhi,New Delhi\n"
                        "1002,2025-01-03,Anita Verma,Maharashtra,Mumbai\n1003,2025-01-04,Rahul Sharma,Delhi,New Delhi\n",
        sales_data__csv="Order ID,Amount,Profit,Quantity,Category,Sub Category,Payment Mode\n"
                        "1001,2500,400,2,Electronics,Headphones,UPI\n1002,1200,200,1,Clothing,T-Shirt,COD\n"
                        "1003,5400,900,3,Electronics,Mobile,Card\n"))
    assert {f.name: f.role for f in p.files} == {"order_data.csv": "orders", "sales_data.csv": "items"}
    result = tables.apply_proposal(p)
    # 2500 + 1200 + 5400 = 9,100 on 3 lines; Rahul Sharma ordered twice (2500 + 5400)
    assert result.report["cleaning"]["revenue_clean"] == 9100.0
    clean = result.cleaning.clean
    assert clean.groupby("customer_id")["amount"].sum().to_dict() == {"Anita Verma": 1200.0, "Rahul Sharma": 7900.0}


def test_a_payment_table_with_a_method_is_still_a_payment_table():
    """A payment's method (Payment Mode, payment_type) is no category of goods: order id, method and paid value
    stay a payment table."""
    p = tables.propose_tables(files(
        orders__csv="order_id,customer_id,order_date\n1,c1,2024-01-05\n2,c2,2024-01-06\n",
        items__csv="order_id,product_id,quantity,price\n1,p1,1,10\n1,p2,2,5\n2,p1,1,10\n",
        payments__csv="order_id,payment_sequential,payment_type,payment_value\n1,1,credit_card,20\n2,1,voucher,10\n"))
    assert {f.name: f.role for f in p.files} == {"orders.csv": "orders", "items.csv": "items",
                                                 "payments.csv": "payments"}


# ------------------------------------------------------------------ an ERP dump: lines with the order copied onto them
def erp_dump() -> list[tuple[bytes, str]]:
    """A distributor's ERP dump (F12's shape): order lines that carry each order's customer and date, a header of
    2 of their 6 orders (each line written twice, an empty 'items' list column), and the customer master of 300
    customers (sign-up date, credit limit, payment terms, division: a date, money, a code and a count the mapper takes
    for a product, a price and a quantity)."""
    items = ("OrderNumber,LineNumber,ProductNumber,ProductName,NetPrice,QtyOrdered,CustomerNumber,CustomerName,"
             "OrderDate\n"
             "900001,1,90284,Sodium cyanide 1 kg,46.90,2,0012063,HACH Company,2024-08-01 04:00:00\n"
             "900001,2,90300,Potassium iodide 500 g,20.00,1,0012063,HACH Company,2024-08-01 04:00:00\n"
             "900002,1,90284,Sodium cyanide 1 kg,46.90,1,0005026,Brenntag,2023-11-14 05:00:00\n"
             "900003,1,91000,Thallium nitrate 100 g,300.00,1,0011342,B3 Systems,2024-09-03 04:00:00\n"
             "900004,1,90300,Potassium iodide 500 g,20.00,5,0012051,Hope Pharmaceuticals,2024-12-16 05:00:00\n"
             "900005,1,91000,Thallium nitrate 100 g,300.00,2,0011938,Carl Roth,2024-12-16 05:00:00\n"
             "900005,2,90284,Sodium cyanide 1 kg,46.90,4,0011938,Carl Roth,2024-12-16 05:00:00\n"
             "900006,1,90300,Potassium iodide 500 g,20.00,3,0012063,HACH Company,2025-01-10 05:00:00\n")
    header = "OrderNumber,OrderStatus,CustomerNumber,CustomerName,OrderDate,Amount,items\n"
    header += ("900004,Entered,0012051,Hope Pharmaceuticals,2024-12-16,100.00,[]\n"
               "900005,Entered,0011938,Carl Roth,2024-12-16,787.60,[]\n") * 2
    customers = "CustomerName,CustomerNumber,Inactive,City,State,Country,Division,TermsCode,CreditLimit,CreateDate\n"
    named = {"0012063": "HACH Company", "0005026": "Brenntag", "0011342": "B3 Systems",
             "0012051": "Hope Pharmaceuticals", "0011938": "Carl Roth"}
    for i in range(300):  # the master holds 300 customers, 5 of whom ordered
        number = list(named)[i] if i < len(named) else f"{1100 + i:07d}"
        limit = ("5000.0", "1000.0", "0.0", "0.0", "0.0", "0.0")[i % 6] if i != 7 else "2000000.0"
        customers += (f"{named.get(number, f'Customer {i}')},{number},False,Austin,TX,USA,1,AR{i % 4:02d},{limit},"
                      f"2024-01-{1 + i % 28:02d}T10:00:00-05:00\n")
    return files(orders__csv=header, Order_items__csv=items, customers__csv=customers)


def test_order_lines_carrying_their_order_are_read_alone_beside_a_covered_header_and_the_customer_master():
    p = tables.propose_tables(erp_dump())
    roles = {f.name: f.role for f in p.files}
    assert roles == {"orders.csv": "single", "Order_items.csv": "single", "customers.csv": "customers"}
    master = p.file("customers.csv")
    assert master.reason.code == "role_by_values"
    assert (master.reason.params["column"], master.reason.params["child_key"]) == ("CustomerNumber", "CustomerNumber")
    assert master.fields["customer_id"] == "CustomerNumber"
    result = tables.apply_proposal(p)
    tab = result.report["tables"]
    assert tab["read_alone"] == "Order_items.csv"
    notes = {n["code"]: n for n in tab["notes"]}
    assert notes["left_out_covered"]["params"] == {"file": "orders.csv", "orders": 2, "share": 1.0,
                                                   "used": "Order_items.csv"}
    rep = result.report["cleaning"]
    assert (rep["rows_in"], rep["rows_clean"]) == (8, 8)  # every line of the 6 orders, none set aside
    mapped = result.mapping.as_dict()
    assert (mapped["customer_id"], mapped["order_id"], mapped["product_id"]) == ("CustomerNumber", "OrderNumber",
                                                                                 "ProductNumber")
    clean = result.cleaning.clean
    assert clean["customer_id"].nunique() == 5 and clean["order_id"].nunique() == 6
    assert list(clean.loc[clean["order_id"] == "900002", "timestamp"]) == [pd.Timestamp("2023-11-14 05:00")]


def test_two_complete_exports_whose_orders_do_not_cover_each_other_are_still_refused():
    """The header's orders must be among the lines' orders: a header of other orders leaves two exports, and the
    analyst chooses."""
    (hdr, _), (lines, _), (master, _) = erp_dump()
    other = hdr.decode().replace("900004", "800004").replace("900005", "800005").encode()
    with pytest.raises(InputError, match="No line-item table"):
        tables.apply_proposal(tables.propose_tables([(other, "orders.csv"), (lines, "Order_items.csv"),
                                                     (master, "customers.csv")]))


# ------------------------------------------------------------------ a companion file the reader cannot read
SHOPIFY_ORDERS = ("Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,"
                  "Subtotal,Billing Country\n"
                  "#1001,ana@example.pt,paid,2024-06-01 10:00:00 +0100,1,Jet ski tour 30 min,90.00,JS-30,90.00,PT\n"
                  "#1002,rui@example.pt,paid,2024-06-02 11:30:00 +0100,2,Jet ski tour 60 min,150.00,JS-60,300.00,PT\n"
                  "#1003,ana@example.pt,paid,2024-06-09 09:15:00 +0100,1,Jet ski tour 60 min,150.00,JS-60,150.00,PT\n")


def shopify_products(body_lines: int) -> str:
    """Shopify's standard products export (Handle, Title, Body (HTML), ... Variant SKU, Variant Price): the first
    product's description is HTML over ``body_lines`` lines of one quoted cell."""
    head = ("Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,"
            "Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,"
            "Gift Card,Status\n")
    body = "\n".join(f"<p>Line {i} of the tour: the bay and the caves and the coast.</p>" for i in range(body_lines))
    return (head
            + f'jet-ski-30,Jet ski tour 30 min,"{body}",DNA,Sporting Goods,Tour,"sea, tour",true,Title,Default,'
              "JS-30,0,10,90.00,,https://cdn.example/js30.jpg,false,active\n"
            + 'jet-ski-60,Jet ski tour 60 min,"<p>One hour.</p>",DNA,Sporting Goods,Tour,"sea, tour",true,Title,'
              "Default,JS-60,0,10,150.00,,https://cdn.example/js60.jpg,false,active\n")


def test_a_product_export_whose_first_description_runs_over_the_sniffed_lines_reads_as_its_columns():
    """The delimiter is sniffed on the first 100 lines; a quoted cell running past them is cut there, and that cut
    record said nothing of the field count (it was read as 'a single column')."""
    from ecom_analytics.ingest.readers import read_table

    for body_lines in (3, 150):
        raw = read_table(shopify_products(body_lines).encode(), "products_export.csv")
        assert raw.frame.shape == (2, 18) and raw.has_header
        assert list(raw.frame["Variant SKU"]) == ["JS-30", "JS-60"]
        assert raw.frame.loc[0, "Body (HTML)"].count("<p>") == body_lines


def test_the_product_export_is_a_catalogue_of_the_orders_export():
    p = tables.propose_tables(files(orders_export_1__csv=SHOPIFY_ORDERS, products_export__csv=shopify_products(150)))
    assert {f.name: f.role for f in p.files} == {"orders_export_1.csv": "single", "products_export.csv": "products"}
    result = tables.apply_proposal(p)
    # 90 + 300 + 150 = 540 on 3 lines; each line's category from the catalogue by its SKU
    assert result.report["cleaning"]["revenue_clean"] == 540.0
    assert list(result.cleaning.clean["category"]) == ["Sporting Goods"] * 3


def test_a_companion_file_that_cannot_be_read_is_left_out_with_a_warning():
    unreadable = "remarks\nfirst\nsecond\nthird\n"  # one word a line: a single column
    p = tables.propose_tables(files(orders_export_1__csv=SHOPIFY_ORDERS, notes__csv=unreadable))
    assert [f.name for f in p.files] == ["orders_export_1.csv"] and list(p.unreadable) == ["notes.csv"]
    note = next(n for n in p.notes if n.code == "left_out_unreadable")
    assert note.severity == "warning" and note.params["file"] == "notes.csv"
    assert "has a single column" in note.text()
    result = tables.apply_proposal(p)
    assert result.report["tables"]["read_alone"] == "orders_export_1.csv"
    assert result.report["cleaning"]["rows_clean"] == 3
    assert "left_out_unreadable" in codes(tables.Note(**{k: n[k] for k in ("code", "params", "severity")})
                                          for n in result.report["tables"]["notes"])
    # the tables of a join go on without it too
    joined = tables.apply_proposal(tables.propose_tables(list_of_orders() + files(notes__csv=unreadable)))
    assert joined.report["cleaning"]["rows_clean"] == 7
    assert any(n["code"] == "left_out_unreadable" for n in joined.report["tables"]["notes"])


def test_when_the_files_left_make_no_dataset_the_unreadable_file_is_named_as_the_likely_cause():
    (header, _), _ = list_of_orders()
    with pytest.raises(InputError, match=r"No line-item table .* 'notes.csv' could not be read and was left out, "
                                         r"which may be why: 'notes.csv' has a single column"):
        tables.apply_proposal(tables.propose_tables([(header, "List of Orders.csv"), (b"one\ntwo\nthree\n",
                                                                                      "notes.csv")]))


def test_no_file_readable_raises_the_first_files_error():
    with pytest.raises(InputError, match="'a.csv' has a single column"):
        tables.propose_tables(files(a__csv="one\ntwo\n", b__csv="three\nfour\n"))


def test_a_companion_left_out_unread_is_a_warning_of_the_command(tmp_path, capsys):
    from ecom_analytics.cli import main

    (tmp_path / "orders_export_1.csv").write_text(SHOPIFY_ORDERS, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("remarks\nfirst\nsecond\n", encoding="utf-8")
    out = tmp_path / "out.json"
    code = main(["ingest", str(tmp_path / "orders_export_1.csv"), str(tmp_path / "notes.csv"), "--json", str(out),
                 "--home", str(tmp_path / "home")])
    err = capsys.readouterr().err
    assert code == 0 and json.loads(out.read_text())["rows_clean"] == 3
    assert "warning: 'notes.csv' is left out: it could not be read as a table ('notes.csv' has a single column" in err


# ------------------------------------------------------------------ header and lines without header lines (F09)
def pipe_orders() -> list[tuple[bytes, str]]:
    """A shop's order header and lines, pipe-delimited with no header line (F09's shape): the lines have no price."""
    return files(
        prod_sales_orders__csv="13314|04/06/2025|Jennifer Yuen|Rp.  0|Rp.  31.500.000|open|2025-07-08\n"
                               "13335|09/06/2025|Arsh Sharma|Rp.  0|Rp.  61.350.000|partially sent|2025-07-07\n"
                               "13350|11/06/2025|Michael Young|Rp.  0|Rp.  43.200.000|closed|\n",
        prod_sales_orders_detail__csv="85|13314|1|Latex Mattress I - Super King - Medium|1|Pcs|1|0||warehouse||prepared|\n"
                                      "86|13314|2|Latex Pillow - Heveya 2|1|Pcs|0|1||showroom||prepared|TBC\n"
                                      "87|13335|1|Latex Mattress III - Custom Size - Firm|1|Pcs|1|0||showroom||prepared|\n"
                                      "89|13350|1|Latex Mattress III - Super King - Soft|1|Pcs|1|0||showroom||prepared|\n")


def test_files_without_header_lines_are_named_as_the_cause_with_what_to_do():
    p = tables.propose_tables(pipe_orders())
    assert [f.raw.has_header for f in p.files] == [False, False]
    with pytest.raises(InputError) as caught:
        tables.apply_proposal(p)
    message = str(caught.value)
    assert message.startswith("No header line was found in 'prod_sales_orders.csv', 'prod_sales_orders_detail.csv'")
    assert "--no-header --map customer_id=column_N" in message and "No line-item table" not in message


def test_the_reason_an_unread_file_was_left_out_is_shown_in_the_sessions_language(monkeypatch):
    from ecom_analytics.ui import i18n as ui_i18n, tables_view

    p = tables.propose_tables(files(orders_export_1__csv=SHOPIFY_ORDERS, notes__csv="remarks\nfirst\nsecond\n"))
    note = next(n for n in p.notes if n.code == "left_out_unreadable")
    stored = {"code": note.code, "params": dict(note.params), "severity": note.severity}
    for module in (ui_i18n, tables_view):
        monkeypatch.setattr(module, "current_language", lambda: "zh")
    words = tables_view.note_words(stored)
    assert "只有一列" in words and "single column" not in words  # the reader's reason too, not only the template
