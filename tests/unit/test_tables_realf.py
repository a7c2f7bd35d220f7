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
