"""Rules found on the sixth round of real exports nobody here had seen (realF: Shopify exports with refunds and
a separate time column, an affiliate network's transactions, a custom Shopify export, a GA360 hit log, a cafe
till). Each test is a small hand-written file with the same shape as the real one, so the rule is checked without
the files themselves."""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.ingest import cleaning, mapping, pipeline


def prepared(text: str, name: str = "orders_export_1.csv") -> pipeline.Prepared:
    return pipeline.prepare(text.encode("utf-8"), name)


# --- Shopify's Refunded Amount: the refund of an order, on its first line ---------------------------------------

SHOPIFY = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku," \
          "Refunded Amount,Billing Country\n"


def shopify_with_refunds() -> str:
    rows = [
        # a paid order of two lines: 2 x 10 + 1 x 30 = 50, nothing refunded
        "#1001,ann@example.com,paid,2024-03-01 10:00:00 +0100,2,Mug,10.00,MUG-1,0.00,BE",
        "#1001,,,2024-03-01 10:00:00 +0100,1,Plate,30.00,PLT-1,,",
        # partly refunded: 40 + 60 = 100, 25.00 refunded -> 75 (30 and 45 on its lines)
        "#1002,bob@example.com,partially_refunded,2024-03-02 11:00:00 +0100,1,Bowl,40.00,BWL-1,25.00,BE",
        "#1002,,,2024-03-02 11:00:00 +0100,1,Vase,60.00,VAS-1,,",
        # refunded in full: set aside as a cancellation
        "#1003,cid@example.com,refunded,2024-03-03 12:00:00 +0100,1,Cup,20.00,CUP-1,20.00,BE",
        # partly refunded beyond its line (shipping refunded too): 10 subtracted, 5 not
        "#1004,dan@example.com,partially_refunded,2024-03-04 13:00:00 +0100,1,Spoon,10.00,SPN-1,15.00,BE",
    ]
    return SHOPIFY + "\n".join(rows) + "\n"


def test_shopify_refunded_amount_is_subtracted_from_the_revenue_of_partly_refunded_orders():
    p = prepared(shopify_with_refunds())
    assert p.mapping.extras(p.raw.frame) == {"refund": "Refunded Amount"}
    result = pipeline.process(p)
    report = result.report["cleaning"]
    # hand-computed: read 50 + 100 + 20 + 10 = 180; set aside 20 (#1003); refunded 25 + 10 = 35; kept 125
    assert report["revenue_in"] == pytest.approx(180.0)
    assert report["revenue_quarantined"] == pytest.approx(20.0)
    assert report["revenue_refunded"] == pytest.approx(35.0)
    assert report["revenue_clean"] == pytest.approx(125.0)
    assert report["reconciles"]
    kept = result.cleaning.clean.set_index("product_name")["amount"]
    assert kept["Bowl"] == pytest.approx(30.0) and kept["Vase"] == pytest.approx(45.0)  # 25 spread 40:60
    assert kept["Mug"] == pytest.approx(20.0) and kept["Spoon"] == pytest.approx(0.0)
    said = " ".join(n.english() for n in result.cleaning.notes)
    assert "no refund column" not in said
    assert "'Refunded Amount' gives the amount refunded on each order: 35.00 refunded on 2 order(s)" in said
    assert "5.00 of the refunds of 1 order(s) exceeds" in said
    summary = result.summary()
    assert summary["revenue_refunded"] == 35.0 and summary["extra_columns"] == {"refund": "Refunded Amount"}


def test_a_refund_repeated_on_every_line_of_an_order_counts_once_and_a_partial_status_without_one_is_said():
    text = ("order_id,customer,date,product,amount,status,refund_amount\n"
            "A1,c1,2024-01-05,Tea,30,partially refunded,12\n"
            "A1,c1,2024-01-05,Cake,30,partially refunded,12\n"
            "A2,c2,2024-01-06,Tea,30,partially refunded,0\n"
            "A3,c3,2024-01-07,Tea,30,paid,0\n")
    result = pipeline.process(prepared(text, "orders.csv"))
    report = result.report["cleaning"]
    assert report["revenue_refunded"] == pytest.approx(12.0)  # not 24: one refund written on both lines
    assert report["revenue_clean"] == pytest.approx(120.0 - 12.0) and report["reconciles"]
    said = " ".join(n.english() for n in result.cleaning.notes)
    assert "1 line(s) of 1 order(s) with a partial refund status (partially refunded) have no refunded amount in " \
           "'refund_amount'" in said


def test_without_a_refund_column_a_partly_refunded_order_is_still_kept_whole_and_said_so():
    text = SHOPIFY.replace(",Refunded Amount", "") + \
        "#1002,bob@example.com,partially_refunded,2024-03-02 11:00:00 +0100,1,Bowl,40.00,BWL-1,BE\n" \
        "#1003,cid@example.com,paid,2024-03-02 11:00:00 +0100,1,Bowl,40.00,BWL-1,BE\n"
    result = pipeline.process(prepared(text))
    assert "revenue_refunded" not in result.report["cleaning"]
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(80.0)
    assert any("as the table has no refund column" in n.english() for n in result.cleaning.notes)


def test_a_refunds_date_or_reason_is_not_a_refund_column():
    frame = pd.DataFrame({"Order": ["1", "2"], "Refund Reason": ["damaged", "late"],
                          "Refunded At": ["2024-01-02", "2024-01-03"], "Refunded Quantity": ["1", "2"]})
    assert mapping.refund_column(frame) is None


# --- an affiliate network's transactions (AWIN): no buyer column ------------------------------------------------

def awin() -> str:
    head = ("id,publisher_id,sale_amount,commission,date,extra,type,invoice_id,customer_acquisition,"
            "partner_commission,network_fee\n")
    rows = []
    for i in range(60):
        invoice = f"{10334575 + i % 3}" if i % 2 else ""  # a payout batch, on half of the sales
        rows.append(f"{1860673278 - i * 977},{[1776174, 80338, 638423][i % 3]},{39.6 + i:.2f},{4.75 + i / 10:.2f},"
                    f"2025-05-{1 + i % 28:02d} 10:{i % 60:02d}:00,#{13493 - i},Sale,{invoice},"
                    f"{['new', 'returning'][i % 2]},0.00,{0.67 + i / 100:.2f}")
    return head + "\n".join(rows) + "\n"


def test_a_constant_money_column_or_a_flag_is_never_the_customer_and_a_payout_batch_is_not_the_order():
    p = prepared(awin(), "AWIN transactions.csv")
    m = p.mapping.as_dict()
    assert "customer_id" not in m  # not partner_commission (0.00 on every line), customer_acquisition, publisher_id
    assert m["amount"] == "sale_amount"
    assert m["order_id"] == "id"  # unique per sale; invoice_id is missing on half of them
    with pytest.raises(InputError) as err:
        pipeline.process(p)
    assert "choose the order number 'id' as the customer" in str(err.value)


# --- Shopify's Id: the order's own id, never the product ---------------------------------------------------------

def test_shopify_order_id_column_is_never_the_product_when_lineitem_sku_is_empty():
    head = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Id\n"
    rows = [f"#BB{1007 - i},buyer{i}@example.com,paid,2024-05-0{i + 1} 10:00:00 -0400,1,Protein Bar {i % 3},"
            f"{12 + i}.00,,{5987617440066 - i * 31457}" for i in range(7)]
    m = prepared(head + "\n".join(rows) + "\n").mapping.as_dict()
    assert "product_id" not in m and "Id" not in m.values()
    assert m["product_name"] == "Lineitem name"


# --- a custom Shopify export's Total Cost ------------------------------------------------------------------------

def test_total_cost_is_the_amount_when_nothing_else_gives_the_money():
    head = "Order Name,Date,shipping zip,email,Total Cost,Product Name,Colour,Size,Delivery Status\n"
    rows = [f"#{1060 - i},2025-12-0{1 + i % 7} 19:08:24,CV37 6LE,buyer{i}@example.com,{42.11 + i:.2f},"
            f"Maxi Dress - WHITE / S,WHITE,S,unfulfilled" for i in range(12)]
    p = prepared(head + "\n".join(rows) + "\n", "shopify_orders_export.csv")
    assert p.mapping.as_dict()["amount"] == "Total Cost"
    assert pipeline.process(p).report["cleaning"]["revenue_clean"] == pytest.approx(sum(42.11 + i for i in range(12)))


def test_a_shipping_cost_or_a_products_cost_is_not_the_amount():
    assert not mapping._total_cost("Shipping Cost Total") and not mapping._total_cost("Product Cost")
    assert mapping._total_cost("Total Cost (GBP)")


# --- a time of day in its own column -----------------------------------------------------------------------------

def fish_shop(with_time: bool) -> str:
    head = "Name,Email,Financial_Status,Date_created," + ("Time_created," if with_time else "") + \
           "Day_created,Lineitem_name,Lineitem_quantity,Lineitem_price,Lineitem_total\n"
    rows = []
    for i in range(6):
        time = f"{[7, 11, 9][i % 3]}:31:19 {['PM', 'AM', 'PM'][i % 3]}," if with_time else ""
        rows.append(f"#FSK{3000 + i},b{i}@example.com,paid,{13 + i:02d}/09/22,{time}Sunday,Prawns,1,450,450")
    return head + "\n".join(rows) + "\n"


def test_a_time_column_beside_a_date_only_column_gives_the_time_of_day():
    result = pipeline.process(prepared(fish_shop(True), "order_export.csv"))
    when = result.cleaning.clean.sort_values("order_id")["timestamp"].tolist()
    assert when[0] == pd.Timestamp("2022-09-13 19:31:19") and when[1] == pd.Timestamp("2022-09-14 11:31:19")
    assert when[2] == pd.Timestamp("2022-09-15 21:31:19")
    assert any("the time of 6 lines was taken from 'Time_created'" in n for n in result.report["notes"])


def test_a_date_only_column_without_a_time_column_keeps_its_dates():
    p = prepared(fish_shop(False), "order_export.csv")
    assert p.mapping.extras(p.raw.frame) == {}
    result = pipeline.process(p)
    assert (result.cleaning.clean["timestamp"] == result.cleaning.clean["timestamp"].dt.normalize()).all()


def test_time_of_day_seconds():
    seconds = mapping.time_of_day_seconds(pd.Series(["7:31:19 PM", "12:05 am", "12:05 PM", "19:31", "13:00 PM", "x"]))
    assert seconds.tolist()[:4] == [70279.0, 300.0, 43500.0, 70260.0]
    assert seconds.iloc[4:].isna().all()


# --- a web analytics hit log (GA360 all_sessions) ----------------------------------------------------------------

def ga_sessions() -> str:
    head = ("fullVisitorId,channelGrouping,time,country,date,visitId,type,productQuantity,productPrice,productSKU,"
            "v2ProductName,v2ProductCategory,transactionId,eCommerceAction_type\n")
    rows = []
    for i in range(40):
        visitor = f"{[2.81772, 6.93896, 5.30755, 7.54931][i % 4]}E+18"
        transaction = f"ORD{i}" if i % 10 == 0 else ""
        quantity = "1" if transaction else ""
        rows.append(f"{visitor},Direct,{122213 + i},Taiwan,201609{1 + i % 28:02d},{1473757371 + i % 6},PAGE,"
                    f"{quantity},{2990000 + i * 10000},GGOEGAAX{i % 7:04d},Water Bottle {i % 7},Home/Drinkware/,"
                    f"{transaction},{i % 3}")
    return head + "\n".join(rows) + "\n"


def test_a_hit_log_with_visitors_visits_and_a_mostly_empty_transaction_id_reads_as_events():
    p = prepared(ga_sessions(), "all_sessions.csv")
    assert p.mapping.kind == "events"
    m = p.mapping.as_dict()
    assert m["user_id"] == "fullVisitorId" and m["product_id"] == "productSKU" and m["session_id"] == "visitId"
    rounded = [n for n in p.mapping.notes if n.code == mapping.EXCEL_ROUNDED_IDS]
    assert rounded and rounded[0].params["example"] == "2.81772E+18" and rounded[0].severity == "warning"


def test_a_mostly_empty_order_number_is_not_offered_as_the_customer():
    text = "when,total,transactionId\n" + "".join(
        f"2024-01-{1 + i:02d} 10:00,{10 + i},{'T1' if i == 0 else ''}\n" for i in range(10))
    p = prepared(text, "hits.csv")
    m = p.mapping.override(order_id="transactionId")
    with pytest.raises(InputError) as err:
        pipeline.process(p, m)
    assert "transactionId' as the customer" not in str(err.value)
    assert "choose 'when', which differs on every line" in str(err.value)


# --- a cafe till: time before the date, no buyer, no receipt number ---------------------------------------------

TILL = ("\ufefftime,payment,total,item_count,items_summary\n"
        "16:51:06 16-04-2026,Chuyen khoan,1296000,1,kho ga x36 = 1296000\n"
        "16:55:58 16-04-2026,Tien mat,191000,5,Espresso x2 = 60000; Croissant x1 = 25000\n"
        "13:47:05 22-04-2026,Chuyen khoan,50000,1,Salted Coffee x1 = 50000\n"
        "13:48:18 22-04-2026,Chuyen khoan,50000,1,Salted Coffee x1 = 50000\n")


def test_a_till_export_without_buyers_or_receipt_numbers_gets_advice_and_its_time_first_dates_read():
    p = prepared(TILL, "orders_export.csv")
    with pytest.raises(InputError) as err:
        pipeline.process(p)
    assert "no order number" in str(err.value) and "--map customer_id=time" in str(err.value)
    result = pipeline.process(p, p.mapping.override(customer_id="time"))
    when = result.cleaning.clean["timestamp"].tolist()
    assert when[0] == pd.Timestamp("2026-04-16 16:51:06") and when[2] == pd.Timestamp("2026-04-22 13:47:05")
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(1296000 + 191000 + 50000 + 50000)


def test_date_first_moves_a_leading_time_after_the_date_only_when_most_values_are_so():
    moved = mapping.date_first(pd.Series(["16:51:06 16-04-2026", "7:05 PM 4/16/2026"]))
    assert moved.tolist() == ["16-04-2026 16:51:06", "4/16/2026 7:05 PM"]
    plain = pd.Series(["2026-04-16 16:51:06", "16:51:06 16-04-2026", "2026-04-17 10:00:00"])
    assert mapping.date_first(plain) is plain


def test_cleaning_reconciles_with_refunds_in_its_report():
    p = prepared(shopify_with_refunds())
    canonical = mapping.apply_mapping(p.raw.frame, p.mapping)
    assert canonical.refund_source == "Refunded Amount"
    result = cleaning.clean(canonical, p.raw.frame, kind="orders")
    r = result.report
    assert r["revenue_in"] == pytest.approx(r["revenue_clean"] + r["revenue_quarantined"] + r["revenue_refunded"])


def test_the_total_of_an_export_of_one_line_per_order_is_its_amount():
    # a bakery's receipts (realT's shape): one line per order, its total, then a column per item it sold, one of
    # them a pound cake ("orange pound" is no money)
    from ecom_analytics.ingest import pipeline

    lines = ["datetime,day of week,total,angbutter,americano,orange pound,order_id"]
    for i in range(40):
        cake = "1.0" if i % 5 == 0 else ""
        lines.append(f"2019-07-{11 + i // 8} {9 + i % 8}:{i % 60:02d},Thur,{4800 + 500 * (i % 7)}.0,1.0,"
                     f"{'1.0' if i % 2 else ''},{cake},{'%032x' % (7919 * i + 11)}")
    m = pipeline.prepare(("\n".join(lines) + "\n").encode(), "receipts.csv").mapping.as_dict()
    assert m["amount"] == "total" and m["order_id"] == "order_id"


def test_single_line_shopify_orders_keep_their_line_prices():
    # every order of this small Shopify export has one line: its Total (after discounts, with shipping) is still not
    # taken for the line's amount while the lines have their quantity and price
    from ecom_analytics.ingest import pipeline

    lines = ["Name,Email,Created at,Subtotal,Shipping,Total,Lineitem quantity,Lineitem name,Lineitem price"]
    lines += [f"#{1001 + i},b{i % 4}@example.com,2024-03-{1 + i:02d} 10:00:00 +0100,{20 + i}.00,4.90,{24.9 + i:.2f},"
              f"{1 + i % 2},Mug {i % 3},{20 + i}.00" for i in range(12)]
    m = pipeline.prepare(("\n".join(lines) + "\n").encode(), "orders_export_1.csv").mapping.as_dict()
    assert m.get("amount") != "Total" and m["unit_price"] == "Lineitem price" and m["quantity"] == "Lineitem quantity"


def test_an_order_total_copied_onto_every_line_is_not_the_lines_amount():
    # an ERP dump (realF's lab-chemicals distributor): each line repeats its order's Amount; summed over the lines
    # it counted every order once per line

    lines = ["OrderNumber,OrderDate,CustomerNumber,ProductNumber,Quantity,NetPrice,Amount"]
    for o in range(8):
        items = [(f"P{o}{k}", 1 + (o + k) % 3, 10.0 + 5 * k) for k in range(3)]
        total = sum(q * p for _, q, p in items)
        lines += [f"SO{100 + o},2024-05-{1 + o:02d},C{o % 3},{sku},{q},{p:.2f},{total:.2f}" for sku, q, p in items]
    prepared = pipeline.prepare(("\n".join(lines) + "\n").encode(), "Order_items.csv")
    m = prepared.mapping.as_dict()
    assert "amount" not in m and (m["quantity"], m["unit_price"]) == ("Quantity", "NetPrice")
    assert [n.params["column"] for n in prepared.mapping.notes if n.code == mapping.ORDER_TOTAL_REPEATED] == \
        ["Amount"]
    report = pipeline.process(prepared).cleaning.report
    # hand check: the lines' quantity x price, each order once
    want = sum((1 + (o + k) % 3) * (10.0 + 5 * k) for o in range(8) for k in range(3))
    assert report["revenue_clean"] == pytest.approx(want)
