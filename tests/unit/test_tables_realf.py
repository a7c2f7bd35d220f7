"""Several tables of one export seen in the held-out round realF (cases F09, F12, F16, F19, F20).

Hand-written fixtures in the shapes of those exports (not the real files), each figure counted by hand:

* an order header (order id, date, customer, state) and order details that say what was bought by its category
  only (order id, amount, profit, quantity, category, sub-category: the widely copied Kaggle "E-commerce Sales
  Data" and its look-alikes): the details are line items, joined to the header on the order id;
"""

from __future__ import annotations

import pandas as pd

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
