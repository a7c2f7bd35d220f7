"""Rules found on real exports nobody here had seen (the held-out corpora of stop 28: Superstore in English and
Spanish, Kaggle's sales_data_sample, WooCommerce, Stripe, Tmall, JD, 1C's daily shop sales). Each test is a small
hand-written file with the same shape, so the rule is checked without the files themselves."""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics.cli import main
from ecom_analytics.errors import InputError
from ecom_analytics.i18n import translate_error
from ecom_analytics.ingest import cleaning, mapping, pipeline, readers, vocabulary


def mapped(text: str, name: str = "export.csv") -> dict:
    return pipeline.prepare(text.encode("utf-8"), name).mapping.as_dict()


STATES = ["Kentucky", "California", "Florida", "Texas", "Ohio", "Utah", "Iowa", "Maine", "Idaho", "Nevada", "Oregon",
          "Georgia", "Alabama", "Arizona"]


def superstore(header: str, row) -> str:
    lines = [header] + [row(i) for i in range(28)]
    return "\n".join(lines) + "\n"


def test_a_us_state_or_a_sales_region_is_neither_the_status_nor_the_country():
    text = superstore("Order ID,Order Date,Customer ID,Segment,State,Region,Category,Product Name,Sales,Quantity",
                      lambda i: f"CA-{i // 2},2016-11-{i % 28 + 1:02d},C{i % 9},{['Consumer', 'Corporate'][i % 2]},"
                                f"{STATES[i % 14]},{['South', 'West', 'East', 'Central'][i % 4]},"
                                f"{['Furniture', 'Technology'][i % 2]},Chair {i},{10 + i}.5,{1 + i % 3}")
    m = mapped(text)
    assert "status" not in m and "country" not in m  # 14 states are not statuses; South/West are not countries
    assert m["category"] == "Category"  # a customer segment is not a product category


def test_a_handful_of_status_words_under_estado_is_still_the_status():
    text = superstore("Id. del pedido,Fecha del pedido,Id. del cliente,Estado,Ventas",
                      lambda i: f"P{i},2021-03-{i % 28 + 1:02d},C{i % 5},{['Entregado', 'Cancelado', 'Pendiente'][i % 3]},"
                                f"{20 + i}.25")
    assert mapped(text)["status"] == "Estado"


def test_a_profit_column_is_never_the_unit_price():
    # the Spanish Superstore: Ventas (sales), Cantidad (quantity), Descuento, Ganancia (profit, often negative)
    text = superstore("Id. del pedido,Fecha del pedido,Id. del cliente,Ventas,Cantidad,Descuento,Ganancia",
                      lambda i: f"P{i},2021-03-{i % 28 + 1:02d},C{i % 5},{100 + i}.90,{1 + i % 4},0.2,{(-1) ** i * (5 + i)}.31")
    m = mapped(text)
    assert m["amount"] == "Ventas" and m["quantity"] == "Cantidad" and "unit_price" not in m


def test_a_product_line_is_the_category_and_a_payment_title_is_no_product():
    text = superstore("ORDERNUMBER,QUANTITYORDERED,PRICEEACH,SALES,ORDERDATE,PRODUCTLINE,CUSTOMERNAME",
                      lambda i: f"{10100 + i // 3},{20 + i},95.70,{(20 + i) * 95.7:.2f},2/24/2003 0:00,"
                                f"{['Motorcycles', 'Classic Cars'][i % 2]},Shop {i % 6}")
    m = mapped(text)
    assert m["category"] == "PRODUCTLINE" and "product_name" not in m
    woo = superstore("wc_order_id,status,date_created,payment_method_title,billing_email,order_total",
                     lambda i: f"{500 + i},completed,2024-05-{i % 28 + 1:02d} 10:00:00,Cash on Delivery,"
                               f"b{i % 7}@example.com,{1500 + i}.00")
    assert "product_name" not in mapped(woo)


def test_a_card_expiry_month_is_not_a_quantity():
    text = superstore("id,Created date (UTC),Amount,Customer ID,Card Exp Month",
                      lambda i: f"ch_{i},2024-06-{i % 28 + 1:02d} 02:38:54,{15 + i}.00,cus_{i % 5},{1 + i % 12}")
    assert "quantity" not in mapped(text)


def test_what_the_buyer_paid_is_the_amount_over_a_total_that_includes_unpaid_orders():
    text = superstore("订单编号,总金额,买家实际支付金额,买家会员名,订单创建时间",
                      lambda i: f"{i + 1},{100 + i}.0,{0 if i % 3 == 0 else 100 + i}.0,buyer{i % 6},2020-02-{i % 28 + 1:02d} 10:00:00")
    assert mapped(text)["amount"] == "买家实际支付金额"


def test_an_order_export_without_buyers_says_how_to_read_it():
    text = superstore("订单编号,买家实际支付金额,订单创建时间",
                      lambda i: f"{i + 1},{100 + i}.0,2020-02-{i % 28 + 1:02d} 10:00:00")
    prepared = pipeline.prepare(text.encode(), "tmall.csv")
    with pytest.raises(InputError) as caught:
        pipeline.process(prepared)
    assert "choose the order number '订单编号' as the customer" in str(caught.value)
    assert "请在映射中选择订单号“订单编号”作为客户" in translate_error(caught.value, "zh")
    # done as the sentence says, it reads
    done = pipeline.process(prepared, prepared.mapping.override(customer_id="订单编号"))
    assert done.cleaning.report["rows_clean"] == 28


def test_event_types_the_app_does_not_know_are_said_not_silently_other():
    text = superstore("user_id,sku_id,time,model_id,type,cate,brand",
                      lambda i: f"{200000 + i % 5},{1000 + i},2016-02-01 0{i % 10}:00:00,,{1 + i % 6},8,403")
    prepared = pipeline.prepare(text.encode(), "jd_action.csv")
    assert prepared.mapping.kind == "events"
    notes = pipeline.process(prepared).report["notes"]
    assert any(n.startswith("100% of the events in 'type' are of types the app does not know (1, 2, 3, 4, 5, 6)")
               for n in notes)


def test_daily_sales_of_shops_and_items_are_a_sales_table_keyed_by_shop_then_item():
    # 1C's "Predict Future Sales": one row per day, shop and item; the item key has more values than the shop's
    rows = [f"{d:02d}.01.2013,0,{shop},{item},{199 + item}.0,{1 + (d + item) % 3}"
            for d in range(1, 11) for shop in (25, 31) for item in (22154, 2552, 2554)]
    text = "date,date_block_num,shop_id,item_id,item_price,item_cnt_day\n" + "\n".join(rows) + "\n"
    prepared = pipeline.prepare(text.encode(), "sales_train.csv")
    assert prepared.mapping.kind == "sales"
    assert prepared.mapping.as_dict() == {"series_id": "shop_id", "subseries_id": "item_id", "timestamp": "date",
                                          "value": "item_cnt_day", "unit_price": "item_price"}
    # the value counts units: with the price of one unit it becomes revenue, by hand for the first day:
    # item 22154: (1 + 22155 % 3 = 1) x 22353; 2552: (1 + 2553 % 3 = 1) x 2751; 2554: (1 + 2555 % 3 = 3) x 2753 =
    # 8259, at each of the two shops
    clean = pipeline.process(prepared).cleaning.clean
    first = clean[clean["timestamp"] == "2013-01-01"]
    assert first["value"].sum() == pytest.approx(2 * (22353 + 2751 + 8259))


def test_a_sales_tables_revenue_is_never_multiplied_by_a_price():
    rows = [f"2023-09-{d:02d},{shop},{100 + d}.5,{9 + d}.99" for d in range(1, 15) for shop in ("Torino", "Bari")]
    prepared = pipeline.prepare(("date,store,sales,price\n" + "\n".join(rows) + "\n").encode(), "s.csv")
    assert prepared.mapping.kind == "sales" and "unit_price" not in prepared.mapping.as_dict()
    assert pipeline.process(prepared).cleaning.clean["value"].sum() == pytest.approx(2 * sum(100.5 + d for d in range(1, 15)))


def test_the_cli_warns_when_amounts_mix_currencies(tmp_path, capsys):
    path = tmp_path / "payments.csv"
    path.write_text(superstore("Created date (UTC);Amount;Currency;Customer ID;Invoice Number",
                               lambda i: f"2024-06-{i % 28 + 1:02d} 02:38:54;{15 + i}.00;{['usd', 'usd', 'eur'][i % 3]};"
                                         f"cus_{i % 5};INV-{i}"), encoding="utf-8")
    assert main(["ingest", str(path), "--home", str(tmp_path / "home")]) == 0
    err = capsys.readouterr().err
    assert "warning: The amounts are in more than one currency (USD 68%, EUR 32%)" in err


def test_a_cash_on_delivery_shopify_export_takes_the_phone_as_the_customer():
    # Email empty on every line, order names with a shop prefix, an empty SKU beside true/false "taxable"
    header = ("Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
              "Lineitem discount,Lineitem sku,Lineitem taxable,Billing Name,Phone")
    text = superstore(header, lambda i: f"#glow{3400 + i},,paid,2025-03-{i % 28 + 1:02d} 10:15:00 +0600,{1 + i % 2},"
                                        f"Serum {i % 4},650.00,0.00,,{['true', 'false'][i % 2]},Ayesha {i},"
                                        f"+88017000000{i:02d}")
    m = mapped(text, "orders_export.csv")
    assert m["customer_id"] == "Phone" and m["order_id"] == "Name"
    assert m.get("product_id") not in ("Lineitem taxable", "Lineitem discount", "Lineitem sku")
    done = pipeline.process(pipeline.prepare(text.encode(), "orders_export.csv"))
    assert done.cleaning.report["rows_clean"] == 28
    assert not done.cleaning.clean["customer_id"].str.startswith("+880").any()  # pseudonymised like an e-mail


def test_an_empty_customer_column_chosen_by_hand_does_not_crash_the_personal_data_check():
    from ecom_analytics.ingest import layouts
    from ecom_analytics.ingest.mapping import apply_mapping

    data = (b"Name,Email,Created at,Lineitem quantity,Lineitem price,Phone\n"
            b"#1,,2025-03-02 10:15:00,1,650.00,+8801700000001\n#2,,2025-03-02 11:40:00,2,600.00,+8801700000002\n")
    prepared = pipeline.prepare(data, "orders_export.csv")
    mapping = layouts.apply_choices(prepared.mapping, prepared.raw.frame, {"customer_id": "Email"})
    canonical = apply_mapping(prepared.raw.frame, mapping, pseudonymise=lambda s: s.str.upper())
    assert canonical.table["customer_id"].isna().all()
    assert pipeline.process(prepared, mapping).report["cleaning"]["rows_quarantined"] == 2


def test_a_cards_address_country_is_the_country_and_a_short_category_header_is_read():
    text = superstore("id,Created date (UTC),Amount,Customer ID,Card Address Country",
                      lambda i: f"ch_{i},2024-06-{i % 28 + 1:02d} 02:38:54,{15 + i}.00,cus_{i % 5},{['PE', 'ES', 'MX'][i % 3]}")
    assert mapped(text)["country"] == "Card Address Country"
    jd = superstore("user_id,sku_id,time,type,cate,brand",
                    lambda i: f"{200000 + i % 5},{1000 + i},2016-02-01 0{i % 10}:00:00,{['pv', 'cart', 'buy'][i % 3]},8,403")
    assert mapped(jd)["category"] == "cate"


def test_a_scraped_listing_updated_at_a_time_is_not_a_sales_table():
    # a shop's product listing with cumulative counts, refreshed at update_time: no sale happens at that time
    text = superstore("update_time,id,title,price,sale_count,comment_count,店名",
                      lambda i: f"2016-11-14,{10000 + i},Cream {i},{99 + i}.0,{2000 + i},{30 + i},店{i % 4}")
    assert pipeline.prepare(text.encode(), "cosmetic.csv").mapping.kind != "sales"


def test_a_sales_table_uploaded_with_catalogues_of_its_keys_is_read_on_its_own(tmp_path, capsys):
    from ecom_analytics.ingest.tables import propose_tables, sales_table_among

    rows = [f"{d:02d}.01.2013,0,{shop},{item},{199 + item}.0,{1 + (d + item) % 3}"
            for d in range(1, 11) for shop in (25, 31) for item in (22154, 2552)]
    sales = ("date,date_block_num,shop_id,item_id,item_price,item_cnt_day\n" + "\n".join(rows) + "\n").encode()
    items = b"item_name,item_id,item_category_id\nDVD A,22154,37\nCD B,2552,58\n"
    shops = "shop_name,shop_id\nМосква ТЦ,25\nМосква ТРК,31\n".encode()
    assert sales_table_among(propose_tables([(items, "items.csv"), (sales, "sales_train.csv"),
                                             (shops, "shops.csv")])) == 1
    # an orders export's tables (line items with dates of their own) are not catalogues
    header = b"order_id,customer_id,order_date\n1,a,2024-01-01\n2,b,2024-01-02\n"
    assert sales_table_among(propose_tables([(sales, "sales_train.csv"), (header, "orders.csv")])) is None
    for name, data in (("sales_train.csv", sales), ("items.csv", items), ("shops.csv", shops)):
        (tmp_path / name).write_bytes(data)
    out = tmp_path / "out.json"
    assert main(["ingest", str(tmp_path / "items.csv"), str(tmp_path / "sales_train.csv"), str(tmp_path / "shops.csv"),
                 "--home", str(tmp_path / "home"), "--json", str(out)]) == 0
    import json

    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["kind"] == "sales" and summary["rows_clean"] == 40
    assert summary["notes"][0] == ("'sales_train.csv' is a sales table; 'items.csv', 'shops.csv' hold no dates "
                                   "(catalogues of its keys), so the sales table is read on its own and they are "
                                   "left out.")


def test_lines_of_only_separators_are_skipped_as_blank_lines_and_said():
    # a spreadsheet saved as CSV with trailing rows of empty cells: no unreadable dates to set aside
    text = superstore("Id_pedido,Fecha_pedido,Id_cliente,Ventas",
                      lambda i: f"P{i},{i % 28 + 1:02d}/06/21,C{i % 5},{20 + i}.25") + ",,,\n,,,\n"
    prepared = pipeline.prepare(text.encode(), "supertienda.csv")
    assert len(prepared.raw.frame) == 28
    assert prepared.raw.notes[-1].english() == ("2 line(s) held only separators, no value (30, 31); they were skipped, "
                                                "as blank lines are.")
    done = pipeline.process(prepared)
    assert done.cleaning.report["rows_in"] == 28 and done.cleaning.report["rows_quarantined"] == 0


def test_a_type_column_of_payment_kinds_does_not_make_an_events_log():
    text = superstore('"Date","Time","TimeZone","Name","Type","Status","Currency","Amount","Receipt ID","Balance"',
                      lambda i: f'"01/{i % 28 + 1:02d}/2024","11:24:54","EST","Shop {i % 4}","Express Checkout Payment",'
                                f'"Completed","USD","-{100 + i}.97","","0.00"')
    assert pipeline.prepare(text.encode(), "Download.CSV").mapping.kind == "orders"
    events = superstore("user,time,type,item", lambda i: f"u{i % 5},2024-01-{i % 28 + 1:02d} 10:00,"
                                                         f"{['view', 'cart', 'purchase'][i % 3]},sku{i}")
    assert pipeline.prepare(events.encode(), "log.csv").mapping.kind == "events"


def test_a_payments_own_row_id_is_not_a_product():
    # a Stripe unified payments export: "id" is the charge's own id (ch_...), one per row; codes that never repeat
    # name the rows, so no product column is guessed from them
    header = "id,Created date (UTC),Amount,Currency,Description,Status,Customer ID,Invoice ID"
    one = "ch_3MmlLrLkdIwHu7ix0snN0B15,2023-03-19 10:12:00,25.00,eur,Subscription update,Paid,cus_NjG1,in_1MmlLq"
    assert "product_id" not in mapped(header + "\n" + one + "\n")
    rows = [f"ch_{i:06d}AbCd,2023-03-{i % 28 + 1:02d} 10:12:00,{10 + i}.00,eur,Plan {i % 3},Paid,cus_{i % 7},in_{i}"
            for i in range(30)]
    assert "product_id" not in mapped("\n".join([header] + rows) + "\n")
    # codes that do repeat across lines (a SKU) are still taken as the product
    lines = [f"SKU-{i % 6:03d}X,2023-03-{i % 28 + 1:02d} 10:12:00,{10 + i}.00,C{i % 7},O{i // 2}" for i in range(30)]
    assert mapped("\n".join(["Code,Date,Amount,Customer ID,Order ID"] + lines) + "\n").get("product_id") == "Code"


def test_vietnamese_short_headers_and_a_german_order_value():
    # MaDon (mã đơn: order code), MaKH (mã khách hàng: customer code): were swapped by their values alone
    rows = [f"DH{i // 2:03d},KH{i % 4:02d},2024-05-{i % 28 + 1:02d},San pham {i % 5},{1 + i % 3},{150000 + i * 1000}"
            for i in range(24)]
    m = mapped("\n".join(["MaDon,MaKH,NgayDat,SanPham,SoLuong,DonGia"] + rows) + "\n")
    assert m["order_id"] == "MaDon" and m["customer_id"] == "MaKH" and m["unit_price"] == "DonGia"
    # Bestellwert: the order's value (Wert), not a second order column
    rows = [f"B{1000 + i},2024-05-{i % 28 + 1:02d} 10:00:00,K{i % 6},{19 + i}.95" for i in range(24)]
    m = mapped("\n".join(["Bestellnummer,Bestellzeitpunkt,Kundennummer,Bestellwert"] + rows) + "\n")
    assert m["amount"] == "Bestellwert" and m["order_id"] == "Bestellnummer"


def test_a_column_of_written_dates_is_never_an_id():
    # Odoo's "order_line/order_id/confirmation_date": its header says order and id, its values are dates
    header = ("order_line/order_id/date_order,order_line/order_id/confirmation_date,order_line/order_id/name,"
              "customer,order_line/price_subtotal")
    rows = [f"3/{i % 28 + 1}/2021 6:49,3/{i % 28 + 1}/2021 7:{10 + i},SO21-{800 + i // 2:06d},C{i % 5},{100 + i}.0"
            for i in range(24)]
    m = mapped("\n".join([header] + rows) + "\n")
    assert m["order_id"] == "order_line/order_id/name"
    assert "order_line/order_id/confirmation_date" not in m.values()


def test_an_erp_date_cell_with_the_days_slip_number_is_the_order_date():
    # ECOUNT's 판매현황: '일자-No.' holds '2026/08/03 -3' (the third slip of the day); 거래처명 is the client
    rows = [f'2026/08/{1 + i // 3:02d} -{1 + i % 3},거래처 {i % 4},EXT-{i % 5},Kit {i % 5},{1 + i % 2},"1,500,000",'
            f'"{(1 + i % 2) * 1_500_000:,}"' for i in range(18)]
    prepared = pipeline.prepare(("일자-No.,거래처명,품목코드,품목명(규격),수량,단가,합계\n" + "\n".join(rows) + "\n").encode(),
                                "판매현황.csv")
    m = prepared.mapping.as_dict()
    assert m["timestamp"] == "일자-No." and m["customer_id"] == "거래처명"
    result = pipeline.process(prepared)
    clean = result.cleaning.clean
    assert len(clean) == 18 and clean["timestamp"].min() == pd.Timestamp("2026-08-01")
    assert clean["timestamp"].max() == pd.Timestamp("2026-08-06")
    assert any("slip or document number (such as '2026/08/01 -1')" in n for n in result.report["notes"])
    # a header that says date and number over values that are not dates is no date
    rows = [f"{1000 + i},C{i % 4},{10 + i}.5" for i in range(18)]
    assert "timestamp" not in mapped("\n".join(["Date No.,Customer,Amount"] + rows) + "\n")


def test_dates_of_merged_cells_are_copied_down_only_where_the_file_reads_so():
    # a spreadsheet's merged date cells: the day written on its first line only
    def run(lines):
        prepared = pipeline.prepare(("date,customer,price,qty,amount\n" + "\n".join(lines) + "\n").encode(), "s.csv")
        result = pipeline.process(prepared, prepared.mapping.override(customer_id="customer"))
        return result, result.cleaning.clean.sort_values("customer_id")

    result, clean = run(["2022-1-1,A-1,9,2,18", ",A-2,5,1,5", ",A-3,7,3,21", "2022-1-2,A-4,9,1,9", ",A-5,4,2,8",
                         "2022-1-4,A-6,3,1,3"])
    assert clean["timestamp"].dt.day.tolist() == [1, 1, 1, 2, 2, 4]
    assert any("3 lines without a date took the date above them" in n for n in result.report["notes"])
    # dates out of order: the empty cells are missing dates, not merged ones (set aside, as before)
    result, clean = run(["2022-1-5,A-1,9,2,18", ",A-2,5,1,5", "2022-1-1,A-3,7,3,21", "2022-1-9,A-4,9,1,9",
                         ",A-5,4,2,8"])
    assert clean["customer_id"].tolist() == ["A-1", "A-3", "A-4"]


def test_an_orders_partner_is_the_customer_and_its_user_the_salesperson():
    from ecom_analytics.ingest.tables.roles import person_key_candidates

    # Odoo's sale.order: partner_id/id is the customer, user_id/id the salesperson who entered the order
    rows = [f"sale_order_{i},SO{i:03d},2014-12-09 16:14:26,res_partner_{40 + i},res_users_{i % 3}" for i in range(22)]
    text = "\n".join(["id,name,date_order,partner_id/id,user_id/id"] + rows) + "\n"
    assert mapped(text)["customer_id"] == "partner_id/id"
    frame = pipeline.prepare(text.encode(), "sale.order.csv").raw.frame
    assert person_key_candidates(frame, "partner_id/id") == []  # the salesperson is no person behind a customer
    # a customer's e-mail is still the person behind its id
    frame = pipeline.prepare(("customer_id,customer_email,user_id\n" + "\n".join(
        f"c{i},p{i % 5}@x.com,u{i % 5}" for i in range(10)) + "\n").encode(), "c.csv").raw.frame
    assert person_key_candidates(frame, "customer_id") == ["customer_email"]


def test_a_shop_whose_buyers_give_a_phone_or_an_email_keys_each_by_what_it_has():
    # Shopify, Turkish cash-on-delivery shop: Email empty on some orders, which carry a phone instead
    header = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Phone"
    rows = []
    for i in range(12):
        email = f"b{i % 4}@x.com" if i % 3 else ""
        phone = f"+90535424{3400 + i % 5}" if i % 3 == 0 and i != 9 else ""
        rows.append(f"#{1200 + i},{email},paid,2024-03-{i + 1:02d} 10:00:00 +0300,1,Item {i % 3},{100 + i}.00,{phone}")
        rows.append(f"#{1200 + i},,,,2,Item {(i + 1) % 3},50.00,")  # the order's second line: order fields empty
    result = pipeline.process(pipeline.prepare(("\n".join([header] + rows) + "\n").encode(), "orders_export.csv"),
                              salt="s")
    clean = result.cleaning.clean
    # orders 0, 3, 6 have only a phone (2 lines each: 6 lines); order 9 has neither (its 2 lines set aside)
    assert len(clean) == 22 and result.cleaning.quarantine["reason"].eq("missing_customer").sum() == 2
    assert any(n.startswith("6 lines without an e-mail in 'Email'") and "'Billing Phone'" in n
               for n in result.report["notes"])
    assert not clean["customer_id"].str.contains("@|\\+90", regex=True).any()  # both kinds pseudonymised
    assert clean["customer_id"].nunique() == 4 + 3  # four e-mails, three phones (orders 0, 3 and 6 differ)


def test_a_korean_tax_invoice_list_keys_the_buyer_not_the_supplier():
    # Hometax 전자세금계산서: 공급자 (the supplier: the shop itself) and 공급받는자 (the buyer) side by side
    header = ("작성일자,승인번호,공급자사업자등록번호,공급자 이메일,공급받는자사업자등록번호,공급받는자 이메일1,합계금액,공급가액,"
              "세액,품목명,품목수량,품목단가,품목세액")
    rows = [f"2024-03-{1 + i:02d},2024030{i}-4100-{i:04d},123-45-67890,shop@x.kr,{200 + i % 4}-11-22222,b{i % 4}@y.kr,"
            f"{11000 * (1 + i % 2)},{10000 * (1 + i % 2)},{1000 * (1 + i % 2)},품목 {i % 3},{1 + i % 2},10000,"
            f"{1000 * (1 + i % 2)}" for i in range(20)]
    m = mapped("\n".join([header] + rows) + "\n")
    assert m["customer_id"] == "공급받는자사업자등록번호" and m["order_id"] == "승인번호"
    assert m["unit_price"] == "품목단가" and m["quantity"] == "품목수량"
    assert "품목세액" not in m.values() and "공급자 이메일" not in m.values()  # a tax is no product, the shop no buyer


def test_an_erp_line_export_with_path_headers_reads_each_field_where_it_lies():
    # Odoo's sale.order lines exported with relation paths: the partner's display name is the customer, the
    # customer's reference (their purchase-order number, one per order) is not, the order's name is its number,
    # the line's name what it sold, and the product's unit of measure no product
    header = ("order_line/order_id/date_order,order_line/order_id/name,order_line/order_id/customer_reference,"
              "order_line/order_partner_id/display_name,order_line/name,order_line/product_uom_qty,"
              "order_line/product_uom/display_name,order_line/price_unit,order_line/price_subtotal")
    rows = [f"3/{1 + i // 2}/2021 6:49,SO21-{800 + i // 2:06d},PO/{i // 2:05d},[C20-{i % 3}]PT Pelanggan {i % 3},"
            f"Plastic bag {i % 4},{1 + i % 3},{['Pcs', 'Kg'][i % 2]},{1500 + i}.0,{(1 + i % 3) * (1500 + i)}.0"
            for i in range(24)]
    m = mapped("\n".join([header] + rows) + "\n")
    assert m["customer_id"] == "order_line/order_partner_id/display_name"
    assert m["order_id"] == "order_line/order_id/name" and m["product_name"] == "order_line/name"
    assert m["quantity"] == "order_line/product_uom_qty" and "order_line/product_uom/display_name" not in m.values()


def test_an_orders_own_id_written_on_its_first_line_only_is_no_product():
    # Shopify: 'Id' is the order's own id, written on the order's first line like every order-level field
    header = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Id"
    rows = []
    for i in range(8):
        rows.append(f"#{71733 + i},b{i % 3}@x.com,paid,2024-03-{i + 1:02d} 10:00:00 +0600,1,Vinegar {i % 2},"
                    f"{10 + i}.00,{16718484078961 + 39649 * i}")
        if i % 2:
            rows.append(f"#{71733 + i},,,,1,Perfume,5.00,")
    m = mapped("\n".join([header] + rows) + "\n", "orders_export.csv")
    assert "product_id" not in m and m["product_name"] == "Lineitem name"


def test_a_buyer_with_neither_email_nor_phone_is_keyed_by_the_billing_name_with_a_warning():
    header = "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name"
    rows = [f"#{500 + i},{'a@x.com' if i == 0 else ''},paid,2024-03-{i + 1:02d} 10:00:00 +0500,1,Ring,{100 + i}.00,"
            f"{['Ayesha Khan', 'Bilal Ahmed', ''][i % 3]}" for i in range(9)]
    result = pipeline.process(pipeline.prepare(("\n".join([header] + rows) + "\n").encode(), "orders_export.csv"),
                              salt="s")
    clean = result.cleaning.clean
    # line 0 has an e-mail; lines 1, 3, 4, 6, 7 a billing name (5 lines, 2 names); lines 2, 5, 8 nothing: set aside
    assert len(clean) == 6 and clean["customer_id"].nunique() == 3
    assert any(n.startswith("5 lines with neither an e-mail in 'Email' nor a phone were keyed by the buyer's name in "
                            "'Billing Name'") for n in result.report["notes"])
    assert not clean["customer_id"].str.contains("Khan|Ahmed").any()


def test_a_marketplace_export_without_buyers_takes_no_product_code_for_the_customer():
    # Ozon's postings: the seller's SKU (Артикул) and Ozon's own product id name the same products; no buyer column
    rows = [f"{7000 + i // 2}-0001,{7000 + i // 2}-0001-1,2024-03-{1 + i % 28:02d} 10:00:00,доставлен,{500 + i}.00,"
            f"Товар {i % 6},{150000 + i % 6},ART-{i % 6},{1 + i % 2}" for i in range(30)]
    text = "\n".join(["Номер заказа,Номер отправления,Дата создания заказа,Статус,Сумма отправления,"
                      "Наименование товара,OZON id,Артикул,Количество"] + rows) + "\n"
    m = mapped(text)
    assert m["product_id"] == "Артикул" and "customer_id" not in m


def test_the_order_time_beats_an_earlier_click_and_counts_are_no_ids():
    # Shopee's affiliate report: the click comes before the order, but the order's time is the order date;
    # Etsy's "Number of Items" counts them and "Coupon Details" names a coupon, not a product
    rows = [f"{900 + i},2024-03-{1 + i:02d} 10:{i:02d}:00,2024-03-{1 + i:02d} 09:{i:02d}:00,C{i % 4},{1 + i % 3},"
            f"{'SALE10' if i % 2 else ''},{20 + i}.00" for i in range(20)]
    m = mapped("\n".join(["Order ID,Thời Gian Đặt Hàng,Thời gian Click,Buyer,Number of Items,Coupon Details,"
                          "Order Value"] + rows) + "\n")
    assert m["timestamp"] == "Thời Gian Đặt Hàng" and m["quantity"] == "Number of Items"
    assert "product_id" not in m and "product_name" not in m


def test_a_buyer_column_of_peoples_names_is_personal_data():
    # Etsy's "Buyer": "Stephanie Nguyen (skn525)": masked in the preview and hashed as the customer key
    rows = [f"12/{1 + i:02d}/20,Sticker {i % 3},{['Stephanie Nguyen (skn525)', 'Beth Heintz (bsharonh)'][i % 2]},1,3.30,"
            f"{2000 + i}" for i in range(20)]
    prepared = pipeline.prepare(("\n".join([HEADER_ETSY] + rows) + "\n").encode(), "EtsySoldOrderItems2020.csv")
    assert prepared.mapping.pii_columns == {"Buyer": "name"}
    clean = pipeline.process(prepared, salt="s").cleaning.clean
    assert clean["customer_id"].str.startswith("c_").all() and clean["customer_id"].nunique() == 2
    # a buyer column of ids stays an id
    rows = [f"12/{1 + i:02d}/20,Sticker {i % 3},b{1000 + i % 2},1,3.30,{2000 + i}" for i in range(20)]
    assert pipeline.prepare(("\n".join([HEADER_ETSY] + rows) + "\n").encode(), "e.csv").mapping.pii_columns == {}


HEADER_ETSY = "Sale Date,Item Name,Buyer,Quantity,Price,Order ID"


def test_a_buyers_or_billing_state_is_an_address_not_the_status():
    # eBay's sales history: "Buyer State" holds OH, CA, NY (a handful of values, as a status would)
    rows = [f"{800 + i},user{i % 4},{['OH', 'CA', 'NY'][i % 3]},{['OH', 'CA', 'NY'][(i + 1) % 3]},Jan-{10 + i}-16,"
            f"T-shirt {i % 2},1,$19.50" for i in range(12)]
    m = mapped("\n".join(["Sales Record Number,User Id,Buyer State,Billing State,Sale Date,Item Title,Quantity,"
                          "Sale Price"] + rows) + "\n")
    assert "status" not in m and m["customer_id"] == "User Id"
    # a customer's or buyer's status is still a status
    rows = [f"{800 + i},user{i % 4},{['paid', 'shipped'][i % 2]},Jan-{10 + i}-16,1,$19.50" for i in range(12)]
    assert mapped("\n".join(["Order,User Id,Buyer Status,Sale Date,Quantity,Sale Price"] + rows) + "\n")["status"] == \
        "Buyer Status"


def test_ebay_sales_history_keys_orders_by_record_number_and_leaves_out_its_footer():
    """eBay's SalesHistory.csv (realD): the order is the Sales Record Number, the per-item Transaction ID (masked in
    published copies) is not; the footer under a blank line ('4, record(s) downloaded, from, ...') is no sale."""
    head = "Sales Record Number,User Id,Buyer Email,Item Number,Item Title,Quantity,Sale Price,Total Price,Sale Date,Transaction ID"
    rows = [f"{801 + i},user{i % 3},u{i % 3}@example.com,27209{i},Shirt {i},{1 + i % 2},$5.00,${5 * (1 + i % 2)}.00,"
            f"Jan-{10 + i}-16,15***********" for i in range(6)]
    footer = [",,,,,,,,,", "6, record(s) downloaded,from ,Jan-10-16,16:41:35,,,,,",
              "Seller ID: shop@example.com,,,,,,,,,"]
    prepared = pipeline.prepare("\n".join([head, *rows, *footer]).encode(), "SalesHistory.csv")
    m = prepared.mapping.as_dict()
    assert m["order_id"] == "Sales Record Number" and m["customer_id"] == "User Id"
    assert len(prepared.raw.frame) == 6  # the footer's two lines are left out
    note = next(n for n in prepared.raw.notes if n.code == readers.FOOTER_NOTE)
    assert note.params["lines"] == "9, 10" and note.params["text"].startswith("6 record(s) downloaded")


def test_masked_transaction_ids_are_no_order_id():
    head = "Transaction ID,Customer,Date,Product,Quantity,Price"
    rows = [f"15***********,c{i},2024-01-{i + 1:02d},P{i},1,{i + 2}.50" for i in range(8)]
    assert "order_id" not in mapped("\n".join([head, *rows]))


def test_a_last_line_that_fills_its_columns_after_a_blank_line_is_kept():
    head = "Order,Customer,Date,Amount"
    rows = [f"{i},c{i},2024-01-{i + 1:02d},{i + 3}.00" for i in range(6)]
    prepared = pipeline.prepare("\n".join([head, *rows[:5], ",,,", rows[5]]).encode(), "o.csv")
    assert len(prepared.raw.frame) == 6
    assert not [n for n in prepared.raw.notes if n.code == readers.FOOTER_NOTE]


def test_a_bare_name_beside_the_buyers_email_in_an_order_level_export_is_the_buyer_not_a_product():
    """A Dutch webshop's order export (realD): Ordernummer, Geplaatst, Naam (the buyer), E-mail, Totaal."""
    head = "Ordernummer,Geplaatst,Status,Naam,Telefoon,E-mail,Totaal"
    names = ["Robin de Vries", "Eva Berends", "Jan Jansen", "Sanne Bakker"]
    rows = [f"{i},{i + 1}-5-2021,Verzonden,{names[i % 4]},+3161993370{i},p{i % 4}@example.nl,{20 + i}.00" for i in range(8)]
    m = mapped("\n".join([head, *rows]))
    assert "product_name" not in m and m["customer_id"] == "E-mail" and m["amount"] == "Totaal"
    # a bare name in a file of order lines (a quantity and a price) still names the product
    lines = ["Order,Date,Name,Quantity,Price,Email"] + [f"{i},2021-05-0{i + 1},Mug {i},1,4.50,p{i}@x.nl" for i in range(6)]
    assert mapped("\n".join(lines))["product_name"] == "Name"


def test_a_running_balance_is_never_a_price_or_an_amount():
    """PayPal's activity download (realD): the account's running Balance had been taken for the unit price."""
    head = "Date,Name,Type,Status,Gross,Fee,Net,From Email Address,Transaction ID,Item Title,Quantity,Balance"
    rows = [f"04/{i + 1:02d}/2022,Buyer {i},Website Payment,Completed,{20 + i}.50,-0.90,{19 + i}.60,b{i % 4}@example.com,"
            f"9X{i}7,Mug,{1 + i % 2},{300 + 17 * i}.40" for i in range(8)]
    m = mapped("\n".join([head, *rows]))
    assert m["amount"] == "Gross" and "unit_price" not in m
    assert all(col != "Balance" for col in m.values())
    for header in ("Saldo", "Kontostand", "余额", "Running Balance"):
        assert "balance" in vocabulary.concepts(header)


def test_without_any_buyer_key_a_bare_name_of_people_keys_the_customer_with_a_warning():
    """PayPal's short activity download (realD): Date, Name, Type, Status, Amount, Receipt ID; the buyer is Name."""
    head = "Date,Time,Name,Type,Status,Currency,Amount,Receipt ID"
    buyers = ["Isaiah Evans", "Maria Lopez", "John Smith", "Ann Lee"]
    rows = [f"09/{i + 1:02d}/2020,08:50:14,{buyers[i % 4]},eBay Auction Payment,Completed,USD,{20 + i}.96,27238287{i}"
            for i in range(8)]
    prepared = pipeline.prepare("\n".join([head, *rows]).encode(), "Download.CSV")
    m = prepared.mapping.as_dict()
    assert m["customer_id"] == "Name" and "product_name" not in m and m["order_id"] == "Receipt ID"
    warning = [n for n in prepared.mapping.notes if n.code == mapping.NAME_AS_CUSTOMER]
    assert warning and warning[0].params == {"column": "Name"} and warning[0].severity == "warning"
    # a file of order lines keeps its bare Name as the product
    lines = ["Date,Name,Quantity,Price,Receipt"] + [f"2021-05-0{i + 1},Blue Mug {i},1,4.50,R{i}" for i in range(6)]
    assert mapped("\n".join(lines)).get("product_name") == "Name"


def test_flags_row_numbers_zeros_and_free_text_are_never_quantities_or_money():
    """realE: pandas' index saved as the first column was taken for the quantity and `prices_include_tax` (False) for
    the unit price (Turkish WooCommerce, 0 of 100 lines kept); a delivery compensation of zeros for the unit price
    (Kaspi.kz, 0 of 208 kept); free text about supplies for the amount (a Chilean florist)."""
    head = ",id,status,prices_include_tax,date_created,total,customer_id,Компенсация за доставку,otros_insumos"
    rows = [f"{i},{14447 - i},completed,False,2024-03-{i + 1:02d}T10:00:00,{100 + 7 * i}.90,{i % 4},0,"
            f"cinta y papel {i}" for i in range(12)]
    m = mapped("\n".join([head, *rows]))
    assert m["amount"] == "total" and m["customer_id"] == "customer_id"
    assert "quantity" not in m and "unit_price" not in m
    # a "Quantity" column whose values cannot be read stays mapped, so that the cleaning report says why
    unreadable = ["Order,Customer,Date,Quantity,Price"] + [f"{i},c{i},2024-01-0{i + 1},two,4.50" for i in range(6)]
    assert mapped("\n".join(unreadable))["quantity"] == "Quantity"
    # a quantity of 1 on every line is still a quantity
    ones = ["Order,Customer,Date,Quantity,Price"] + [f"{i},c{i},2024-01-0{i + 1},1,4.50" for i in range(6)]
    assert mapped("\n".join(ones))["quantity"] == "Quantity"


def test_names_on_every_line_beat_an_email_on_few_and_a_rare_quantity_leaves_the_price_as_the_amount():
    """realE 09 (a Chilean florist's order tracker): `correo_cliente` holds an e-mail on 1 % of the orders and
    `cliente` a name on all; `cantidad_flores` is given on 2 % of them, so `precio` is each order's amount."""
    head = "id_pedido,fecha_creacion,cliente,correo_cliente,producto,cantidad_flores,precio"
    names = ["Fernando Echeverria", "Paula Poklepovic", "Ximena Aranda", "Andrea Bertin", "Carolina Fosk"]
    rows = [f"{i},2023-0{1 + i % 9}-1{i % 10},{names[i % 5]},{'p@example.cl' if i == 0 else ''},Ramo {i % 3},"
            f"{'24' if i == 0 else ''},{50000 + 1000 * i}" for i in range(40)]
    m = mapped("\n".join([head, *rows]))
    assert m["customer_id"] == "cliente" and m["amount"] == "precio"
    assert "quantity" not in m and "unit_price" not in m


def test_pos_and_invoice_exports_name_the_customer_and_the_total_they_mean():
    """realE: a card terminal's USER is the cashier beside CUSTOMER_CODE (Helcim), a card's approval code names no
    product; a billing app's `Party Name` is the customer (Vyapar); Zoho's `Sales Order Id` is no total and its
    `Grand Total` beats the `Sub Total`; a takeaway's `Total products` counts items; an Indian marketplace's
    `Customer State` and a parcel's `Packet Id` are no customers."""
    pos = ["ORDER_NUMBER\tCUSTOMER_CODE\tCUSTOMER_NAME\tAPPROVAL_CODE\tDATE_CREATED\tAMOUNT\tUSER\tSTATUS"] + [
        f"POS-{i}\tCST{16 + i % 5}\tWOLFE ALEXIS\t{105823 + 37 * i}\t09/{i % 9 + 1:02d}/25\t${70 + i}.00\t"
        f"{['candra c', 'sam k'][i % 2]}\tAPPROVED" for i in range(30)]
    m = pipeline.prepare("\n".join(pos).encode(), "helcim.csv").mapping.as_dict()
    assert m["customer_id"] == "CUSTOMER_CODE" and "product_id" not in m and m["amount"] == "AMOUNT"
    party = ["Date,Party Name,Transaction Type,Total Amount,Payment Type"] + [
        f"0{i % 9 + 1}/02/2024,{['9311383344', 'Cash Sale', 'Ravi Kumar'][i % 3]},Sale,{720 + i}.000,SWIPE" for i in range(9)]
    assert mapped("\n".join(party))["customer_id"] == "Party Name"
    zoho = ["INVOICEID,Sales Order Id,Invoice Status,Created Time,Account Id,Sub Total,Tax,Grand Total"] + [
        f"2300041{i},2100041{i},Created,2021-04-{i + 10},{403 + i % 3},$100.00,$10.00,$110.00" for i in range(9)]
    m = mapped("\n".join(zoho))
    assert m["amount"] == "Grand Total" and m["customer_id"] == "Account Id"
    takeaway = ["invoice,Order Date,description,Quantity,Product Price,Total products"] + [
        f"{16118 + i // 2},03/08/19 20:25,Dish {i},{1 + i % 2},{i + 0.8},6" for i in range(10)]
    m = mapped("\n".join(takeaway))
    assert m.get("amount") != "Total products" and m["unit_price"] == "Product Price"
    meesho = ["Reason for Credit Entry,Sub Order No,Order Date,Customer State,Product Name,SKU,Quantity,Packet Id"] + [
        f"DELIVERED,18433788511{i}_1,2025-08-0{i % 9 + 1},{['Bihar', 'Goa', 'Assam'][i % 3]},Saree {i % 4},"
        f"ctn-{i % 4},1,TP0LGEU0{5439769 + i}" for i in range(24)]
    assert "customer_id" not in mapped("\n".join(meesho))


def test_an_erps_total_beats_its_subtotals_and_base_currency_figures():
    """realE 15 (Unleashed invoices): SubTotal, TaxTotal, Total, BCSubTotal, BCTaxTotal, BCTotal: the total paid."""
    head = "InvoiceNumber,OrderNumber,InvoiceDate,InvoiceStatus,SubTotal,TaxTotal,Total,BCSubTotal,BCTaxTotal,BCTotal,Customer.CustomerCode"
    rows = [f"SI-{i},SO-{i},2022-02-{i + 1:02d},Completed,{100 + i}.00,15.00,{115 + i}.00,{100 + i}.00,15.00,{115 + i}.00,"
            f"C{i % 3}" for i in range(9)]
    m = mapped("\n".join([head, *rows]))
    assert m["amount"] == "Total" and m["customer_id"] == "Customer.CustomerCode"


def _daily_sheet(lines: int = 40, copies: tuple[int, ...] = (5, 9, 17), order_id: bool = False, time: bool = False) -> str:
    """A shop's daily sales sheet (realE's billing-app shape): date, party, type, total; ``copies`` are lines that
    repeat the line before them exactly (a second cash sale of the same amount the same day)."""
    rows = []
    for i in range(lines):
        j = i - 1 if i in copies else i
        when = f"{1 + j // 4:02d}/02/2024" + (f" {9 + j % 8:02d}:{j % 60:02d}" if time else "")
        party = ["Cash Sale", "9311383344", "Zomato", "Jain Traders"][j % 4]
        rows.append((f"B{j}," if order_id else "") + f"{when},{party},Sale,{20 + 5 * (j % 7)}.000")
    return ("Bill No," if order_id else "") + "Date,Party Name,Transaction Type,Total Amount\n" + "\n".join(rows) + "\n"


def test_equal_lines_of_a_sales_sheet_without_order_numbers_or_times_are_sales_of_their_own():
    result = pipeline.process(pipeline.prepare(_daily_sheet().encode(), "Sales - Sheet1.csv"))
    report = result.cleaning.report
    assert report["rows_clean"] == 40 and report["rows_quarantined"] == 0
    flag = next(f for f in report["flags"] if f["flag"] == "repeated_sale")
    assert flag["rows_kept_flagged"] == 3
    assert flag["revenue_kept_flagged"] == pytest.approx(20 + 5 * (4 % 7) + 20 + 5 * (8 % 7) + 20 + 5 * (16 % 7))
    note = next(n for n in result.cleaning.notes if n.code == cleaning.REPEATED_SALES)
    assert note.severity == "warning" and note.params["rows"] == 3


@pytest.mark.parametrize("change", [{"order_id": True}, {"time": True}, {"copies": tuple(range(1, 40, 2))}])
def test_equal_lines_stay_duplicates_with_an_order_number_a_time_of_day_or_half_the_file_repeated(change):
    sheet = _daily_sheet(**change)
    report = pipeline.process(pipeline.prepare(sheet.encode(), "Sales - Sheet1.csv")).cleaning.report
    copies = len(change.get("copies", (5, 9, 17)))
    assert {r["rule"]: r["quarantined"] for r in report["rules"]}["duplicate"] == copies
    assert not any(f["flag"] == "repeated_sale" for f in report["flags"])


def test_a_large_sales_sheet_without_order_numbers_or_times_takes_the_python_path(tmp_path):
    from ecom_analytics.ingest import stream

    path = tmp_path / "sales.csv"
    path.write_text(_daily_sheet(lines=400, copies=(5, 9, 17)), encoding="utf-8")
    with pytest.raises(stream.NotStreamable, match="without order numbers"):
        stream.plan(path)
