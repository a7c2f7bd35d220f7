"""Small export files, built in memory as bytes, in the formats analysts upload.

Every function returns the bytes of a complete file (``.csv``, ``.xlsx``, ``.parquet``,
``.gz``, ``.zip``, ...) with a handful of hand-checked rows, so unit tests and AppTests can
feed them to :func:`ecom_analytics.ingest.readers.read_table`, :func:`ecom_analytics.ingest.pipeline.prepare`
or ``at.file_uploader[0].set_value((name, data, mime))``. The docstrings give the figures a
test may assert on.

Nothing here reads ``../shared/data``; see ``tests/unit/test_real_data.py`` for the real files.
"""

from __future__ import annotations

import gzip
import io
import zipfile

import pandas as pd

# --------------------------------------------------------------------------------- helpers


def gzip_bytes(data: bytes) -> bytes:
    """``data`` compressed as a .gz file (fixed mtime, so the bytes are reproducible)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as fh:
        fh.write(data)
    return buf.getvalue()


def sheet_bytes(rows, sheet: str = "Sheet1") -> bytes:
    """A one-sheet .xlsx holding ``rows`` (a list of lists or a DataFrame) from cell A1, no header or index added
    (None: an empty cell), as a shop's or an office's report is laid out. It is an *upload* for the reader, so it is
    written as given: files the app or CLI write go through ecom_analytics.exports, whose formula escaping would
    change the input under test."""
    buf = io.BytesIO()
    grid = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    grid.to_excel(buf, sheet_name=sheet, header=False, index=False)
    return buf.getvalue()


def zip_bytes(data: bytes, inner_name: str = "orders.csv") -> bytes:
    """``data`` stored as ``inner_name`` inside a .zip archive."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(inner_name, data)
    return buf.getvalue()


def csv_text(header: list[str], rows: list[list], sep: str = ",") -> str:
    """A CSV text (``\\n`` line ends) quoting fields that contain the separator or quotes."""
    def field(v) -> str:
        s = "" if v is None else str(v)
        if sep in s or '"' in s or "\n" in s:
            s = '"' + s.replace('"', '""') + '"'
        return s

    return "".join(sep.join(field(v) for v in r) + "\n" for r in [header] + rows)


# --------------------------------------------------------------------------------- orders

ONLINE_RETAIL_HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
                        "CustomerID", "Country"]

#: UCI Online Retail lines, dates as in the UCI CSV (M/D/YYYY H:MM).
ONLINE_RETAIL_ROWS = [
    ["536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "12/1/2010 8:26", "2.55", "17850", "United Kingdom"],
    ["536365", "71053", "WHITE METAL LANTERN", "6", "12/1/2010 8:26", "3.39", "17850", "United Kingdom"],
    ["536370", "22728", "ALARM CLOCK BAKELIKE PINK", "24", "12/1/2010 8:45", "3.75", "12583", "France"],
    ["536520", "21123", "SET/10 IVORY POLKADOT PARTY CANDLES", "1", "12/1/2010 12:43", "1.25", "14729", "United Kingdom"],
    ["C536379", "D", "Discount", "-1", "12/1/2010 9:41", "27.5", "14527", "United Kingdom"],
    ["536544", "21773", "DECORATIVE ROSE BATHROOM BOTTLE", "1", "12/1/2010 14:32", "2.51", "", "United Kingdom"],
    ["537237", "22139", "RETROSPOT TEA SET CERAMIC 11 PC", "3", "12/6/2010 9:58", "4.95", "16098", "United Kingdom"],
    ["538508", "22086", "PAPER CHAIN KIT 50'S CHRISTMAS", "12", "12/13/2010 11:30", "2.95", "12583", "France"],
    ["538508", "21731", "RED TOADSTOOL LED NIGHT LIGHT", "24", "12/13/2010 11:30", "1.65", "12583", "France"],
    ["539993", "22386", "JUMBO BAG PINK POLKADOT", "10", "12/23/2010 13:18", "1.95", "13047", "United Kingdom"],
]


def online_retail_csv() -> bytes:
    """UCI Online Retail (CSV, comma, UTF-8), 10 lines, 7 invoices (one ``C`` cancellation).

    Lines: 8 clean, 1 cancellation (C536379, -27.50), 1 without a customer (536544, 2.51).
    Customers with a line kept: 17850, 12583, 14729, 16098, 13047 (5). Revenue of all
    lines: 15.30 + 20.34 + 90.00 + 1.25 - 27.50 + 2.51 + 14.85 + 35.40 + 39.60 + 19.50 = 211.25;
    revenue kept 236.24. Dates are M/D/YYYY (12/13/2010 = 13 Dec 2010).
    """
    return csv_text(ONLINE_RETAIL_HEADER, ONLINE_RETAIL_ROWS).encode("utf-8")


ONLINE_RETAIL_II_HEADER = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price",
                           "Customer ID", "Country"]


def online_retail_ii_frame() -> pd.DataFrame:
    """Online Retail II lines as Excel stores them: datetimes, floats, ``Customer ID`` as 13085.0."""
    return pd.DataFrame({
        "Invoice": ["489434", "489434", "489435", "C489449", "489436"],
        "StockCode": ["85048", "79323P", "22350", "22087", "21755"],
        "Description": ["15CM CHRISTMAS GLASS BALL 20 LIGHTS", "PINK CHERRY LIGHTS", "CAT BOWL",
                        "PAPER BUNTING WHITE LACE", "LOVE BUILDING BLOCK WORD"],
        "Quantity": [12, 12, 12, -12, 18],
        "InvoiceDate": pd.to_datetime(["2009-12-01 07:45", "2009-12-01 07:45", "2009-12-01 07:46",
                                       "2009-12-01 10:33", "2009-12-01 09:06"]),
        "Price": [6.95, 6.75, 2.55, 2.95, 5.45],
        "Customer ID": [13085.0, 13085.0, 13085.0, 16321.0, None],
        "Country": ["United Kingdom"] * 3 + ["Australia", "United Kingdom"],
    })


def online_retail_ii_xlsx() -> bytes:
    """Online Retail II as ``.xlsx`` (sheet 'Year 2009-2010'), 5 lines: 3 clean (customer 13085,
    revenue 83.40 + 81.00 + 30.60), a C-invoice cancellation, a line without a customer."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        online_retail_ii_frame().to_excel(writer, sheet_name="Year 2009-2010", index=False)
    return buf.getvalue()


SHOPIFY_HEADER = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
    "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
    "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
    "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Id", "Tags", "Risk Level", "Source",
    "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Phone", "Receipt Number",
]

#: E-mail addresses in :func:`shopify_orders_csv`; none may reach the workspace.
SHOPIFY_EMAILS = ["anna.schmidt@example.de", "Bob.Jones@Example.com", "chen.li@example.cn"]


def _shopify_order(name, email, status, created, country, lines, *, shipping="4.90", discount="0.00",
                   refunded="0.00", person=("Anna Schmidt", "+49 30 1234567")) -> list[list]:
    """Rows of one order: order-level fields on the first line only, as Shopify writes them."""
    subtotal = sum(float(q) * float(p) for q, _, p, _ in lines)
    total = subtotal + float(shipping) - float(discount)
    rows = []
    for i, (qty, title, price, sku) in enumerate(lines):
        first = i == 0
        order_level = {
            "Financial Status": status, "Paid at": created if status != "pending" else "",
            "Fulfillment Status": "fulfilled", "Fulfilled at": created, "Accepts Marketing": "no",
            "Currency": "EUR", "Subtotal": f"{subtotal:.2f}", "Shipping": shipping, "Taxes": "0.00",
            "Total": f"{total:.2f}", "Discount Code": "WELCOME10" if discount != "0.00" else "",
            "Discount Amount": discount, "Shipping Method": "Standard",
            "Billing Name": person[0], "Billing Street": "Hauptstr. 1", "Billing Address1": "Hauptstr. 1",
            "Billing Address2": "", "Billing Company": "", "Billing City": "Berlin", "Billing Zip": "10115",
            "Billing Province": "", "Billing Country": country, "Billing Phone": person[1],
            "Shipping Name": person[0], "Shipping Street": "Hauptstr. 1", "Shipping Address1": "Hauptstr. 1",
            "Shipping Address2": "", "Shipping Company": "", "Shipping City": "Berlin", "Shipping Zip": "10115",
            "Shipping Province": "", "Shipping Country": country, "Shipping Phone": person[1],
            "Notes": "", "Note Attributes": "", "Cancelled at": "", "Payment Method": "Shopify Payments",
            "Payment Reference": f"ref{name[1:]}", "Refunded Amount": refunded, "Vendor": "Leaf",
            "Id": f"74109914{name[1:]}", "Tags": "", "Risk Level": "Low", "Source": "web",
            "Tax 1 Name": "VAT 19%", "Tax 1 Value": "0.00", "Phone": person[1], "Receipt Number": "",
        }
        row = {h: "" for h in SHOPIFY_HEADER}
        if first:
            row.update(order_level)
        row.update({
            "Name": name, "Email": email, "Created at": created, "Lineitem quantity": qty,
            "Lineitem name": title, "Lineitem price": price, "Lineitem compare at price": "",
            "Lineitem sku": sku, "Lineitem requires shipping": "true", "Lineitem taxable": "true",
            "Lineitem fulfillment status": "fulfilled", "Lineitem discount": "0.00", "Vendor": "Leaf",
        })
        rows.append([row[h] for h in SHOPIFY_HEADER])
    return rows


def shopify_orders_csv() -> bytes:
    """A Shopify order export (real header), 4 orders, 7 line items.

    Order-level fields (Financial Status, Total, Billing Country, Billing Name/Phone, ...) are
    only on the first line of each order, as Shopify writes them; Name, Email and Created at
    are on every line.

    - #1001 anna (DE, paid, 2024-03-01 10:15:22 +0100 = 09:15:22 UTC): 2 x Mug 12.50 (SKU MUG-1),
      1 x Tea 7.90 (TEA-2) -> 32.90
    - #1002 Bob.Jones@Example.com (GB, paid, 2024-03-02 18:00:00 +0000): 1 x Lamp 49.00 (LAMP-3)
    - #1003 chen (CN, refunded, 2024-03-03 08:30:00 +0800 = 00:30 UTC): 1 x Mug 12.50,
      3 x Tea 7.90 -> both lines are a cancellation (refunded), 36.20
    - #1004 anna again (DE, paid, 2024-03-05 09:00:00 +0100): 1 x Vase 25.00 (VASE-4)

    Kept: 5 lines (#1001 x2, #1002, #1004), revenue 106.90; quarantined: 2 cancellation lines.
    Customers: 3 (anna twice). No raw e-mail (see :data:`SHOPIFY_EMAILS`) may be stored.
    """
    rows = []
    rows += _shopify_order("#1001", SHOPIFY_EMAILS[0], "paid", "2024-03-01 10:15:22 +0100", "DE",
                           [("2", "Mug", "12.50", "MUG-1"), ("1", "Tea", "7.90", "TEA-2")], discount="0.00")
    rows += _shopify_order("#1002", SHOPIFY_EMAILS[1], "paid", "2024-03-02 18:00:00 +0000", "GB",
                           [("1", "Lamp", "49.00", "LAMP-3")], person=("Bob Jones", "+44 20 7946 0958"))
    rows += _shopify_order("#1003", SHOPIFY_EMAILS[2], "refunded", "2024-03-03 08:30:00 +0800", "CN",
                           [("1", "Mug", "12.50", "MUG-1"), ("3", "Tea", "7.90", "TEA-2")],
                           refunded="36.20", person=("Chen Li", "+86 10 6552 9988"))
    rows += _shopify_order("#1004", SHOPIFY_EMAILS[0], "paid", "2024-03-05 09:00:00 +0100", "DE",
                           [("1", "Vase", "25.00", "VASE-4")], discount="2.50")
    return csv_text(SHOPIFY_HEADER, rows).encode("utf-8")


CHINESE_HEADER = ["用户ID", "订单号", "下单时间", "商品ID", "商品名称", "数量", "单价", "金额", "国家"]
CHINESE_ROWS = [
    ["U001", "DD20240301001", "2024/03/01 10:15", "SP01", "保温杯", "2", "￥59.00", "￥118.00", "中国"],
    ["U001", "DD20240301001", "2024/03/01 10:15", "SP02", "茶叶礼盒", "1", "￥1,299.00", "￥1,299.00", "中国"],
    ["U002", "DD20240302002", "2024/03/02 21:40", "SP03", "数据线", "3", "￥19.90", "￥59.70", "中国"],
    ["U003", "DD20240303003", "2024/03/03 08:05", "SP01", "保温杯", "1", "￥59.00", "￥59.00", "新加坡"],
]


def chinese_orders_csv(encoding: str = "gbk") -> bytes:
    """Orders with Chinese headers (用户ID, 订单号, 下单时间, 商品ID, 商品名称, 数量, 单价, 金额, 国家),
    ``￥1,299.00`` amounts (the full-width yen sign Chinese software writes; GBK has no ``¥``) and ``YYYY/MM/DD HH:MM`` times, 4 lines, 3 customers, 3 orders,
    revenue 1,535.70. ``encoding`` 'gbk' (default) or 'utf-8-sig' (UTF-8 with BOM)."""
    return csv_text(CHINESE_HEADER, CHINESE_ROWS).encode(encoding)


def chinese_orders_gbk_csv() -> bytes:
    """:func:`chinese_orders_csv` in GBK."""
    return chinese_orders_csv("gbk")


def chinese_orders_utf8_bom_csv() -> bytes:
    """:func:`chinese_orders_csv` in UTF-8 with a byte-order mark."""
    return chinese_orders_csv("utf-8-sig")


def online_retail_tsv() -> bytes:
    """:func:`online_retail_csv` with tabs between values (10 lines)."""
    return csv_text(ONLINE_RETAIL_HEADER, ONLINE_RETAIL_ROWS, sep="\t").encode("utf-8")


def whitespace_orders_txt() -> bytes:
    """A fixed-width text dump: columns aligned with runs of spaces, every line indented, dates
    YYYYMMDD. 5 lines, 3 customers, revenue 6 + 10.5 + 3 + 40 + 7.5 = 67.00."""
    text = (
        "   CustomerID   InvoiceNo   InvoiceDate   StockCode   Quantity   UnitPrice\n"
        "        10001      900001      20240301        A100          2        3.00\n"
        "        10001      900001      20240301        B200          1       10.50\n"
        "        10002      900002      20240302        A100          1        3.00\n"
        "        10003      900003      20240315        C300          4       10.00\n"
        "        10002      900004      20240320        D400          3        2.50\n"
    )
    return text.encode("ascii")


def orders_parquet() -> bytes:
    """:func:`online_retail_csv`'s lines as Parquet with typed columns (datetime InvoiceDate,
    float UnitPrice, int Quantity, CustomerID as float with NaN for the missing one)."""
    frame = pd.DataFrame(ONLINE_RETAIL_ROWS, columns=ONLINE_RETAIL_HEADER)
    frame["Quantity"] = frame["Quantity"].astype("int64")
    frame["UnitPrice"] = frame["UnitPrice"].astype("float64")
    frame["InvoiceDate"] = pd.to_datetime(frame["InvoiceDate"], format="%m/%d/%Y %H:%M")
    frame["CustomerID"] = pd.to_numeric(frame["CustomerID"].replace("", None), errors="coerce")
    frame = frame.astype({"InvoiceNo": object, "StockCode": object, "Description": object, "Country": object})
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def european_orders_csv() -> bytes:
    """Semicolon CSV with decimal commas and currency (``R$ 49,90``, ``1.299,00 €``) and
    DD.MM.YYYY dates. 4 lines: unit prices 49.90, 1299.00, 5.50, 0.99; quantities 2, 1, 10, 3;
    revenue 99.80 + 1299.00 + 55.00 + 2.97 = 1,456.77. Dates 05.03.2024 = 5 March 2024."""
    text = (
        "Customer;Order Number;Order Date;Product;Quantity;Price;Country\n"
        "K-17;A-1001;05.03.2024;Tasse;2;R$ 49,90;Brasil\n"
        "K-17;A-1001;05.03.2024;Kaffeemaschine;1;1.299,00 €;Deutschland\n"
        "K-23;A-1002;13.03.2024;Filter;10;5,50 €;Deutschland\n"
        "K-31;A-1003;28.03.2024;Löffel;3;0,99 €;Österreich\n"
    )
    return text.encode("utf-8")


def latin1_orders_csv() -> bytes:
    """Latin-1 (ISO-8859-1) CSV with pound prices (``£3.75``) and an accented country/name.
    3 lines, revenue 7.50 + 3.75 + 12.00 = 23.25."""
    text = (
        "CustomerID,InvoiceNo,InvoiceDate,Description,Quantity,UnitPrice,Country\n"
        "501,L1,2024-02-01 09:00,Crème brûlée dish,2,£3.75,United Kingdom\n"
        "502,L2,2024-02-02 10:00,Café mug,1,£3.75,Côte d'Ivoire\n"
        "501,L3,2024-02-03 11:00,Pâté knife,4,£3.00,United Kingdom\n"
    )
    return text.encode("latin-1")


# --------------------------------------------------------------------------------- events

def tianchi_userbehavior_csv() -> bytes:
    """Tianchi/Taobao UserBehavior.csv: NO header; user_id, item_id, category_id, behavior_type
    (pv/buy/cart/fav), Unix seconds. 12 events, 3 users; behaviours: 6 pv, 2 cart, 2 fav, 2 buy.
    First event 1511544070 = 2017-11-24 17:21:10 UTC."""
    rows = [
        (1, 2268318, 2520377, "pv", 1511544070),
        (1, 2333346, 2520771, "pv", 1511561733),
        (1, 2576651, 149192, "pv", 1511572885),
        (1, 2576651, 149192, "cart", 1511573000),
        (1, 2576651, 149192, "buy", 1511573500),
        (100, 1603476, 2951233, "pv", 1511680485),
        (100, 1603476, 2951233, "fav", 1511680600),
        (100, 2971043, 4869428, "pv", 1511750115),
        (100, 2971043, 4869428, "cart", 1511750200),
        (1000, 3830808, 4181361, "pv", 1511751022),
        (1000, 3830808, 4181361, "fav", 1511751100),
        (1000, 3830808, 4181361, "buy", 1511752000),
    ]
    return "".join(",".join(map(str, r)) + "\n" for r in rows).encode("ascii")


def retailrocket_events_csv() -> bytes:
    """RetailRocket events.csv: timestamp (Unix ms), visitorid, event (view/addtocart/transaction),
    itemid, transactionid (only on transactions). 8 events: 4 view, 2 addtocart, 2 transaction.
    1433221332117 ms = 2015-06-02 05:02:12.117 UTC."""
    text = (
        "timestamp,visitorid,event,itemid,transactionid\n"
        "1433221332117,257597,view,355908,\n"
        "1433224214164,992329,view,248676,\n"
        "1433221999827,111016,view,318965,\n"
        "1433221955914,483717,view,253185,\n"
        "1433222276276,992329,addtocart,248676,\n"
        "1433223236124,992329,transaction,248676,4000\n"
        "1433221941632,111016,addtocart,318965,\n"
        "1433222147345,111016,transaction,318965,4001\n"
    )
    return text.encode("ascii")


def rees46_events_csv() -> bytes:
    """REES46 ("eCommerce behavior data from multi category store"), 8 events, 3 users:
    5 view, 1 cart, 1 remove_from_cart, 1 purchase (price 1081.98). Times end in `` UTC``;
    category_code is empty on one line."""
    text = (
        "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n"
        "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c\n"
        "2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc\n"
        "2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8\n"
        "2019-10-01 00:00:01 UTC,view,1307067,2053013558920217191,computers.notebook,lenovo,251.74,550050854,7c90fc70-0e80-4590-96f3-13c02c18c713\n"
        "2019-10-01 00:00:04 UTC,view,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419-2748-4c56-95b4-8cec9ff8b80d\n"
        "2019-10-01 00:00:05 UTC,cart,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419-2748-4c56-95b4-8cec9ff8b80d\n"
        "2019-10-01 00:00:09 UTC,remove_from_cart,1307067,2053013558920217191,computers.notebook,lenovo,251.74,550050854,7c90fc70-0e80-4590-96f3-13c02c18c713\n"
        "2019-10-01 00:01:10 UTC,purchase,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419-2748-4c56-95b4-8cec9ff8b80d\n"
    )
    return text.encode("utf-8")


# --------------------------------------------------------------------------------- cleaning

CLEANING_HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
                   "CustomerID", "Country", "Status"]


def _regular_lines(n: int = 24) -> list[list[str]]:
    """``n`` ordinary lines: invoices 700000.., customers 1..6, quantity 1..6, price 1.00..4.00."""
    rows = []
    for i in range(n):
        qty = 1 + i % 6
        price = 1.0 + (i % 4)
        rows.append([str(700000 + i // 2), f"P{i % 5}", f"Item {i % 5}", str(qty),
                     f"2011-02-{1 + i % 28:02d} 10:{i:02d}", f"{price:.2f}", str(1 + i % 6), "United Kingdom", "paid"])
    return rows


#: Revenue of the 24 regular lines of :func:`cleaning_orders_csv`.
REGULAR_REVENUE = round(sum(float(r[3]) * float(r[5]) for r in _regular_lines()), 2)


def cleaning_orders_csv() -> bytes:
    """Orders with one line per cleaning rule, for exact counts: 35 lines after the header
    (24 regular + 10 special + 1 malformed).

    Lines 2-25 are 24 regular lines (revenue :data:`REGULAR_REVENUE` = 216.00), then:

    ====  ================================================  =====================================  ==========
    line  content                                           reason (reasons)                       amount
    ====  ================================================  =====================================  ==========
    26    exact copy of line 2                              duplicate                              1.00
    27    date 'yesterday'                                  unreadable_date                        3.00
    28    quantity 'three'                                  unreadable_number                      (none)
    29    no CustomerID                                     missing_customer                       9.00
    30    invoice C800001, quantity -2                      cancellation                           -6.00
    31    Status 'refunded', quantity 1                     cancellation                           4.00
    32    unit price 0                                      non_positive_price                     0.00
    33    no CustomerID and C800002, quantity -1            missing_customer (missing_customer;    -5.00
                                                            cancellation)
    34    quantity 80995 at 2.08 (Online Retail's outlier)  kept and flagged (policy 'flag'),      168,469.60
                                                            outlier (policy 'quarantine')
    35    an extra field (10 fields instead of 9)           malformed_line                         (none)
    ====  ================================================  =====================================  ==========

    Rows in 34 (33 read + 1 malformed). Policy 'flag': 25 kept (revenue 168,685.60),
    9 quarantined (revenue 6.00). Revenue in = 216.00 + 1 + 3 + 9 - 6 + 4 + 0 - 5 + 168,469.60
    = 168,691.60.
    """
    rows = _regular_lines()
    first = rows[0]
    special = [
        list(first),                                                                              # duplicate
        ["800010", "P1", "Item 1", "1", "yesterday", "3.00", "1", "United Kingdom", "paid"],      # unreadable date
        ["800011", "P1", "Item 1", "three", "2011-03-01 10:00", "3.00", "2", "United Kingdom", "paid"],
        ["800012", "P2", "Item 2", "3", "2011-03-02 10:00", "3.00", "", "United Kingdom", "paid"],  # no customer
        ["C800001", "P3", "Item 3", "-2", "2011-03-03 10:00", "3.00", "3", "United Kingdom", "paid"],
        ["800013", "P4", "Item 4", "1", "2011-03-04 10:00", "4.00", "4", "United Kingdom", "refunded"],
        ["800014", "P5", "Free gift", "1", "2011-03-05 10:00", "0", "5", "United Kingdom", "paid"],
        ["C800002", "P2", "Item 2", "-1", "2011-03-06 10:00", "5.00", "", "United Kingdom", "paid"],
        ["800015", "23843", "PAPER CRAFT , LITTLE BIRDIE", "80995", "2011-03-07 09:15", "2.08", "6",
         "United Kingdom", "paid"],
    ]
    text = csv_text(CLEANING_HEADER, rows + special)
    text += "800016,P1,Item 1,1,2011-03-08 10:00,3.00,1,United Kingdom,paid,EXTRA\n"
    return text.encode("utf-8")


# --------------------------------------------------------------------------------- bad input

def png_bytes() -> bytes:
    """The first bytes of a real 1x1 PNG (upload it as ``photo.csv``)."""
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
            b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def binary_bytes() -> bytes:
    """Arbitrary binary content (NUL bytes and high bytes), not any known format."""
    return bytes(range(256)) * 8


def two_column_csv() -> bytes:
    """A two-column CSV that is not an orders export (city and temperature)."""
    return b"city,temperature\nBerlin,12\nParis,14\nMadrid,21\nRome,19\n"


def no_customer_csv() -> bytes:
    """Product lines with quantity, price and a date, but no customer or user column."""
    return (b"StockCode,Description,Quantity,UnitPrice,InvoiceDate\n"
            b"A1,Mug,2,3.00,2024-01-01 10:00\nB2,Plate,1,5.00,2024-01-02 11:00\nC3,Bowl,4,2.50,2024-01-03 12:00\n")


def mixed_dates_csv() -> bytes:
    """Orders whose date column mixes ISO and DD.MM.YYYY: all 4 lines are read."""
    return (
        "CustomerID,InvoiceNo,InvoiceDate,Quantity,UnitPrice\n"
        "1,A1,2024-03-01 10:00:00,1,2.00\n"
        "2,A2,2024-03-02 11:00:00,1,2.00\n"
        "3,A3,15.03.2024,1,2.00\n"
        "4,A4,2024-03-04 12:00:00,1,2.00\n"
    ).encode("utf-8")


# --------------------------------------------------------------------------------- a synthetic shop


def synthetic_orders(n_customers: int = 400, days: int = 300, seed: int = 0) -> pd.DataFrame:
    """Canonical orders (``schema.DTYPES['orders']``) of a seeded synthetic shop with a real
    purchase signal (see ``tests/unit/test_training.py``'s docstring for the figures).

    ``n_customers`` customers over ``days`` days from 2023-01-02. Each arrives at a uniform time in
    the first 80 % of the days, buys at a personal Poisson rate (Gamma(1, 1/25) per day) and drops
    out after an exponential lifetime (mean 150 days); 1-3 lines per order of products P01-P29
    (category ``Cat<p % 5>``), quantity 1-5, unit price 1-20; 60 % of customers in the United
    Kingdom. Recent, frequent buyers buy again more often.
    """
    import numpy as np

    from ecom_analytics.ingest import schema

    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-02")
    countries = ["United Kingdom", "France", "Germany", "Spain"]
    rows = []
    for i in range(n_customers):
        rate = rng.gamma(1.0, 1 / 25)
        t = rng.uniform(0, days * 0.8)
        death = t + rng.exponential(150)
        country = countries[int(rng.integers(0, 4))] if rng.random() < 0.4 else countries[0]
        k = 0
        while t < min(death, days):
            for _ in range(int(rng.integers(1, 4))):
                p = int(rng.integers(1, 30))
                qty, price = float(rng.integers(1, 6)), float(round(rng.uniform(1, 20), 2))
                rows.append((f"C{i:04d}", f"{100000 + i * 100 + k}", start + pd.Timedelta(days=float(t)),
                             f"P{p:02d}", f"Product {p}", f"Cat{p % 5}", qty, price, round(qty * price, 2), country))
            k += 1
            t += rng.exponential(1 / max(rate, 1e-3)) + 1
    f = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "product_id", "product_name", "category",
                                    "quantity", "unit_price", "amount", "country"])
    f["timestamp"] = f["timestamp"].dt.floor("min")
    f["status"] = None
    return f[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])


def online_retail_export(orders: pd.DataFrame) -> bytes:
    """Canonical ``orders`` written as an Online Retail style CSV export (what analysts upload and
    the CLI reads): InvoiceNo, StockCode, Description, Quantity, InvoiceDate (``YYYY-MM-DD HH:MM``),
    UnitPrice (2 decimals), CustomerID, Country."""
    out = pd.DataFrame({
        "InvoiceNo": orders["order_id"], "StockCode": orders["product_id"], "Description": orders["product_name"],
        "Quantity": orders["quantity"].astype(int), "InvoiceDate": orders["timestamp"].dt.strftime("%Y-%m-%d %H:%M"),
        "UnitPrice": orders["unit_price"].map(lambda v: f"{v:.2f}"), "CustomerID": orders["customer_id"],
        "Country": orders["country"]})
    return out.to_csv(index=False).encode("utf-8")


# --------------------------------------------------------------------------------- several tables (Olist-shaped)
# A hand-written Olist-shaped set whose joins, counts, reasons and payment matches
# tests/unit/test_multitable.py counts by hand.

OLIST_ORDERS = """order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,order_estimated_delivery_date
o1,c1,delivered,2017-10-02 10:56:33,2017-10-02 11:07:15,2017-10-18 00:00:00
o2,c2,delivered,2018-07-24 20:41:37,2018-07-26 03:24:27,2018-08-13 00:00:00
o3,c3,delivered,2018-08-08 08:38:49,2018-08-08 08:55:23,2018-09-04 00:00:00
o4,c4,delivered,2017-11-18 19:28:06,2017-11-18 19:45:59,2017-12-15 00:00:00
o5,c5,canceled,2018-02-13 21:18:39,2018-02-13 22:20:29,2018-02-26 00:00:00
o6,c6,delivered,2018-03-01 09:00:00,2018-03-01 09:10:00,2018-03-20 00:00:00
"""
OLIST_ITEMS = """order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,freight_value
o1,1,p1,s1,2017-10-06 11:07:15,29.99,8.72
o2,1,p2,s2,2018-07-30 03:24:27,118.70,22.76
o2,2,p2,s2,2018-07-30 03:24:27,118.70,22.76
o3,1,p3,s1,2018-08-13 08:55:23,159.90,19.22
o4,1,p1,s1,2017-11-22 19:45:59,45.00,10.00
o5,1,p1,s1,2018-02-19 22:20:29,45.00,27.20
o9,1,p3,s3,2018-02-19 22:20:29,10.00,5.00
o3,2,p4,s1,2018-08-13 08:55:23,20.00,0.00
"""
OLIST_CUSTOMERS = """customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,customer_state
c1,u1,3149,sao paulo,SP
c2,u2,47813,barreiras,BA
c3,u1,75265,vianopolis,GO
c5,u3,59296,sao goncalo do amarante,RN
c6,u4,9195,santo andre,SP
c7,u5,9195,santo andre,SP
"""
OLIST_PAYMENTS = """order_id,payment_sequential,payment_type,payment_installments,payment_value
o1,1,credit_card,1,38.71
o2,1,credit_card,3,200.00
o2,2,voucher,1,82.92
o3,1,boleto,1,199.12
o4,1,credit_card,1,60.00
o6,1,credit_card,1,10.00
o8,1,voucher,1,5.00
"""
OLIST_PRODUCTS = """product_id,product_category_name,product_name_lenght,product_description_lenght,product_photos_qty,product_weight_g
p1,perfumaria,40,287,1,225
p2,artes,44,276,1,1000
p3,esporte_lazer,46,250,1,154
"""
#: the five files by name (as Olist names them); texts, not bytes
OLIST = {"olist_orders_dataset.csv": OLIST_ORDERS, "olist_order_items_dataset.csv": OLIST_ITEMS,
         "olist_customers_dataset.csv": OLIST_CUSTOMERS, "olist_order_payments_dataset.csv": OLIST_PAYMENTS,
         "olist_products_dataset.csv": OLIST_PRODUCTS}


def save_small_run(home) -> tuple[str, str]:
    """(orders dataset id, run id) of a purchase run (H = 30, recency rule and logistic regression)
    on 200 synthetic customers, ingested and saved in the workspace folder ``home``."""
    from ecom_analytics.ingest.pipeline import ingest
    from ecom_analytics.predict.registry import run_id_for, save_run
    from ecom_analytics.store import Workspace
    from ecom_analytics.predict.training import train_and_evaluate

    ws = Workspace(home)
    orders_id = ingest(online_retail_export(synthetic_orders(n_customers=200)), "shop.csv", workspace=ws).dataset_id
    run = train_and_evaluate(ws.load_clean(orders_id), "purchase", 30, models=["recency", "logistic"])
    datasets = {"orders": orders_id, "events": None, "customers": None}
    run_id = run_id_for(datasets, "purchase", 30, {})
    save_run(ws, run, run_id=run_id, dataset_ids=datasets, params={})
    return orders_id, run_id
