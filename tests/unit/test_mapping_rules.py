"""Four generic rules of the header mapping (ecom_analytics.ingest.mapping), each proved on small exports
written here, in several languages, with revenue checked against a hand-computed figure:

1. a "Model" column (OpenCart's product code, in each language) is the product id when no better id
   exists and its values look like codes, never when it holds free text;
2. of several dates, the order (added, created) date is taken, not the edit (modified, updated) date;
   with headers that say nothing more than "date", the earliest date of each line is;
3. a line total is the amount, not the unit price (by its header, or by amount = quantity x price on the
   values), and revenue is the sum of the line totals, whether the export gives a price, a total or both;
4. without a customer id, the e-mail is the customer (pseudonymised), not a name column;
and a tracking or parcel number is never the product id.
"""

from __future__ import annotations

import csv
import io

import pytest

from ecom_analytics.ingest import pipeline

# order, customer, e-mail, name, added, modified, model, product name, quantity, unit price
LINES = [
    ("O1001", "C1", "anna.berg@example.com", "Anna Berg", "2024-03-01 10:15", "2024-03-05 09:00", "HTC-100",
     "Touch phone black", 2, 12.50),
    ("O1001", "C1", "anna.berg@example.com", "Anna Berg", "2024-03-01 10:15", "2024-03-05 09:00", "SMT-510",
     "Galaxy tab", 1, 30.00),
    ("O1002", "C2", "jonas.p@example.com", "Jonas Petrauskas", "2024-03-02 11:00", "2024-03-02 18:30", "IPD-7",
     "Music player classic", 3, 4.20),
    ("O1003", "C3", "marta.k@example.com", "Marta Kowalska", "2024-03-03 12:30", "2024-03-10 08:00", "HTC-100",
     "Touch phone black", 1, 12.50),
    ("O1003", "C3", "marta.k@example.com", "Marta Kowalska", "2024-03-03 12:30", "2024-03-10 08:00", "SMT-510",
     "Galaxy tab", 2, 30.00),
    ("O1004", "C1", "anna.berg@example.com", "Anna Berg", "2024-03-04 09:45", "2024-03-04 09:45", "IPD-7",
     "Music player classic", 5, 4.20),
    ("O1005", "C4", "pierre.d@example.com", "Pierre Dubois", "2024-03-06 14:00", "2024-03-07 10:00", "MBP-15",
     "Laptop pro 15 inch", 1, 899.00),
    ("O1006", "C2", "jonas.p@example.com", "Jonas Petrauskas", "2024-03-08 16:20", "2024-03-09 12:00", "SMT-510",
     "Galaxy tab", 1, 30.00),
]
# by hand: 2 x 12.50 + 30.00 + 3 x 4.20 + 12.50 + 2 x 30.00 + 5 x 4.20 + 899.00 + 30.00
REVENUE = 25.00 + 30.00 + 12.60 + 12.50 + 60.00 + 21.00 + 899.00 + 30.00
assert REVENUE == pytest.approx(1090.10)
LINE_TOTALS = ["25.00", "30.00", "12.60", "12.50", "60.00", "21.00", "899.00", "30.00"]
# each order's total, written on each of its lines (O1001: 25.00 + 30.00; O1003: 12.50 + 60.00)
ORDER_TOTALS = {"O1001": "55.00", "O1002": "12.60", "O1003": "72.50", "O1004": "21.00", "O1005": "899.00",
                "O1006": "30.00"}
FIELDS = {"order": 0, "customer": 1, "email": 2, "name": 3, "added": 4, "modified": 5, "model": 6, "product": 7,
          "qty": 8, "price": 9}
TEXT_MODELS = ["Slim-fit cotton shirt with a button-down collar and long sleeves",
               "Slim-fit cotton shirt with a button-down collar and long sleeves",
               "Leather wallet with eight card slots and a coin pocket", "Waterproof hiking boots for rough trails",
               "Slim-fit cotton shirt with a button-down collar and long sleeves",
               "Wool scarf, hand-woven, in three colours of your choice", "A large canvas tote bag for the beach",
               "Leather wallet with eight card slots and a coin pocket"]


def _export(columns: list[tuple[str, str]]) -> bytes:
    """A CSV of LINES with (header, field) columns; field 'total' is the line total, 'text' a free-text model,
    'parcel' a parcel number per order, 'same' the modified date before the added date."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([h for h, _ in columns])
    for i, line in enumerate(LINES):
        row = []
        for _, f in columns:
            if f == "total":
                row.append(LINE_TOTALS[i])
            elif f == "ordertotal":
                row.append(ORDER_TOTALS[line[0]])
            elif f == "text":
                row.append(TEXT_MODELS[i])
            elif f == "parcel":
                row.append("PKG-" + str(88000 + int(line[0][1:])))
            elif f == "price":
                row.append(f"{line[9]:.2f}")
            else:
                row.append(str(line[FIELDS[f]]))
        w.writerow(row)
    return out.getvalue().encode("utf-8")


def _ingest(columns: list[tuple[str, str]]):
    prepared = pipeline.prepare(_export(columns), "export.csv")
    result = pipeline.process(prepared, salt="test-salt")
    return prepared.mapping.as_dict(), result


# ------------------------------------------------------------------------------------------ 1. Model

MODEL_LAYOUTS = {
    "en": ["Order ID", "Customer ID", "Date Added", "Product Name", "Model", "Quantity", "Unit Price"],
    "de": ["Bestellnummer", "Kundennummer", "Bestelldatum", "Artikelname", "Modell", "Menge", "Einzelpreis"],
    "es": ["Nº de pedido", "ID de cliente", "Fecha del pedido", "Nombre del producto", "Modelo", "Cantidad",
           "Precio unitario"],
    "fr": ["N° de commande", "N° client", "Date de commande", "Nom du produit", "Modèle", "Quantité", "Prix unitaire"],
    "lt": ["Užsakymo Nr.", "Kliento ID", "Užsakymo data", "Prekės pavadinimas", "Modelis", "Kiekis", "Vieneto kaina"],
    "ru": ["Номер заказа", "Код клиента", "Дата заказа", "Наименование товара", "Модель", "Количество",
           "Цена за единицу"],
    "bg": ["Номер на поръчка", "Номер на клиент", "Дата на поръчка", "Име на продукта", "Модел", "Количество",
           "Единична цена"],
    "zh_tw": ["訂單編號", "客戶編號", "下單日期", "商品名稱", "型號", "數量", "單價"],
    "zh": ["订单号", "客户ID", "下单时间", "商品名称", "型号", "数量", "单价"],
    "ja": ["注文番号", "顧客ID", "注文日", "商品名", "モデル", "数量", "単価"],
    "fi": ["Tilausnumero", "Asiakasnumero", "Tilauspäivä", "Tuotteen nimi", "Malli", "Määrä", "Yksikköhinta"],
    "el": ["Αριθμός παραγγελίας", "Κωδικός πελάτη", "Ημερομηνία παραγγελίας", "Όνομα προϊόντος", "Μοντέλο",
           "Ποσότητα", "Τιμή μονάδας"],
}
MODEL_FIELDS = ["order", "customer", "added", "product", "model", "qty", "price"]


@pytest.mark.parametrize("language", sorted(MODEL_LAYOUTS))
def test_a_model_column_of_codes_is_the_product_id(language):
    headers = MODEL_LAYOUTS[language]
    mapping, result = _ingest(list(zip(headers, MODEL_FIELDS)))
    assert mapping["product_id"] == headers[4]
    assert mapping["product_name"] == headers[3]
    assert mapping["order_id"] == headers[0] and mapping["customer_id"] == headers[1]
    clean = result.cleaning.clean
    assert sorted(clean["product_id"].unique()) == ["HTC-100", "IPD-7", "MBP-15", "SMT-510"]
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_a_model_column_of_free_text_is_not_the_product_id():
    headers = ["Order ID", "Customer ID", "Date Added", "Product Name", "Model", "Quantity", "Unit Price"]
    fields = ["order", "customer", "added", "product", "text", "qty", "price"]
    mapping, result = _ingest(list(zip(headers, fields)))
    assert "product_id" not in mapping
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_a_named_product_id_beats_the_model_column():
    headers = ["Modell", "Bestellnummer", "Kundennummer", "Bestelldatum", "Artikelnummer", "Menge", "Einzelpreis"]
    fields = ["text", "order", "customer", "added", "model", "qty", "price"]
    mapping, _ = _ingest(list(zip(headers, fields)))
    assert mapping["product_id"] == "Artikelnummer"
    headers = ["Order ID", "Customer ID", "Date Added", "Model", "SKU", "Quantity", "Price"]
    fields = ["order", "customer", "added", "product", "model", "qty", "price"]
    mapping, _ = _ingest(list(zip(headers, fields)))
    assert mapping["product_id"] == "SKU"


# ------------------------------------------------------------------------------------------ 2. dates

DATE_LAYOUTS = {  # the edit date is written first
    "en": ("Date Modified", "Date Added"),
    "en2": ("Last Updated", "Order Date"),
    "de": ("Geändert am", "Bestelldatum"),
    "fr": ("Date de modification", "Date d'ajout"),
    "fr2": ("Date de mise à jour", "Date de commande"),
    "es": ("Fecha de modificación", "Fecha de creación"),
    "pl": ("Data modyfikacji", "Data dodania"),
    "ru": ("Дата изменения", "Дата создания"),
    "hr": ("Datum izmjene", "Datum narudžbe"),
    "bg": ("Дата на актуализация", "Дата на добавяне"),
    "cs": ("Datum změny", "Datum vytvoření"),
    "fi": ("Muokattu", "Tilauspäivä"),
    "ja": ("更新日時", "注文日時"),
    "it": ("Data di modifica", "Data dell'ordine"),
    "pt": ("Data de alteração", "Data do pedido"),
    "lv": ("Atjaunināts", "Pasūtījuma datums"),
    "ar": ("تاريخ التعديل", "تاريخ الطلب"),
}


@pytest.mark.parametrize("language", sorted(DATE_LAYOUTS))
def test_the_order_date_is_taken_not_the_edit_date(language):
    edited, added = DATE_LAYOUTS[language]
    columns = [("Order ID", "order"), ("Customer ID", "customer"), (edited, "modified"), (added, "added"),
               ("Product Name", "product"), ("Quantity", "qty"), ("Unit Price", "price")]
    mapping, result = _ingest(columns)
    assert mapping["timestamp"] == added
    clean = result.cleaning.clean
    assert str(clean["timestamp"].min()) == "2024-03-01 10:15:00"
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_of_dates_whose_headers_say_only_date_the_earliest_of_the_line_is_the_order_date():
    columns = [("Order ID", "order"), ("Customer ID", "customer"), ("Date 1", "modified"), ("Date 2", "added"),
               ("Product Name", "product"), ("Quantity", "qty"), ("Unit Price", "price")]
    mapping, result = _ingest(columns)
    assert mapping["timestamp"] == "Date 2"
    reason = result.mapping.choices["timestamp"].reason
    assert reason.params["other"] == "Date 1" and reason.params["share"] == 1.0
    # the same two columns the other way round: the header's first date is already the earliest
    mapping, _ = _ingest([columns[0], columns[1], columns[3], columns[2], *columns[4:]])
    assert mapping["timestamp"] == "Date 2"


# ------------------------------------------------------------------------------------------ 3. line totals

TOTAL_HEADERS = {"lt": "Bendra kaina", "lv": "Kopējā cena", "de": "Gesamtpreis", "es": "Importe total",
                 "en": "Line total", "cs": "Celková cena", "pl": "Łączna cena", "bg": "Обща цена",
                 "hr": "Ukupna cijena", "fi": "Kokonaishinta", "el": "Συνολική τιμή", "ru": "Общая стоимость",
                 "et": "Koguhind", "da": "Samlet pris", "sl": "Skupna cena", "sr": "Укупна цена"}


@pytest.mark.parametrize("language", sorted(TOTAL_HEADERS))
def test_a_line_total_without_a_price_is_the_amount_never_the_unit_price(language):
    total = TOTAL_HEADERS[language]
    columns = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"),
               ("Product Name", "product"), ("Quantity", "qty"), (total, "total")]
    mapping, result = _ingest(columns)
    assert mapping["amount"] == total and "unit_price" not in mapping
    clean = result.cleaning.clean.sort_values("source_line")
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)
    assert clean["amount"].tolist() == pytest.approx([float(t) for t in LINE_TOTALS])
    assert clean["unit_price"].isna().all()  # not the total, and not quantity x total
    assert "amount = quantity x unit_price" not in result.report["notes"]


@pytest.mark.parametrize("total, price", [("Price", "Item price"), ("Preis", "Artikelpreis"),
                                          ("Precio", "Precio del artículo"), ("Kaina", "Prekės kaina")])
def test_a_price_column_that_is_quantity_times_the_other_is_the_amount(total, price):
    columns = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"),
               ("Product Name", "product"), ("Quantity", "qty"), (total, "total"), (price, "price")]
    mapping, result = _ingest(columns)
    assert (mapping["amount"], mapping["unit_price"]) == (total, price)
    reason = result.mapping.choices["amount"].reason
    assert reason.params == {"amount": total, "price": price, "share": 1.0, "meaning": "an amount"}
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


@pytest.mark.parametrize("header", ["Kaina", "Preis", "Prix", "Precio", "Цена", "价格", "Price"])
def test_a_price_column_that_follows_the_quantity_within_a_product_is_the_line_total(header):
    columns = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"),
               ("Product Name", "product"), ("Quantity", "qty"), (header, "total")]
    mapping, result = _ingest(columns)
    assert mapping["amount"] == header and "unit_price" not in mapping
    # 3 products sold in two quantities (HTC-100: 25.00 for 2, 12.50 for 1; IPD-7; SMT-510), each 1 price a unit
    assert result.mapping.choices["amount"].reason.params["share"] == 1.0
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)
    # the same header over unit prices stays the unit price: revenue is quantity x price
    mapping, result = _ingest([*columns[:-1], (header, "price")])
    assert mapping["unit_price"] == header and "amount" not in mapping
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_a_total_column_is_the_amount_when_it_is_the_lines_total_not_when_it_is_the_orders():
    base = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"), ("Product Name", "product"),
            ("Quantity", "qty")]
    mapping, result = _ingest([*base, ("Total", "total")])
    assert (mapping["amount"], mapping.get("unit_price")) == ("Total", None)
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)
    for columns in ([*base, ("Price", "price"), ("Total", "total")], [*base, ("Total", "total"), ("Price", "price")]):
        mapping, result = _ingest(columns)
        assert (mapping["amount"], mapping["unit_price"]) == ("Total", "Price")
        assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)
    # an order's total on each of its lines is not the line's revenue: amount = quantity x price
    mapping, result = _ingest([*base, ("Price", "price"), ("Total", "ordertotal")])
    assert "amount" not in mapping and mapping["unit_price"] == "Price"
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_revenue_is_the_same_from_a_price_alone_or_from_price_and_line_total():
    base = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"), ("Quantity", "qty")]
    mapping, price_only = _ingest([*base, ("Unit Price", "price")])
    assert "amount" not in mapping  # amount = quantity x unit price
    _, both = _ingest([*base, ("Unit Price", "price"), ("Line total", "total")])
    _, total_only = _ingest([*base, ("Line total", "total")])
    for result in (price_only, both, total_only):
        assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)
        clean = result.cleaning.clean.sort_values("source_line")
        assert clean["amount"].tolist() == pytest.approx([float(t) for t in LINE_TOTALS])


# ------------------------------------------------------------------------------------------ 4. e-mail

EMAIL_LAYOUTS = {
    "en": ("Customer Name", "E-mail"),
    "de": ("Kundenname", "E-Mail-Adresse"),
    "es": ("Nombre del cliente", "Correo electrónico"),
    "fr": ("Nom du client", "Adresse e-mail"),
    "ru": ("Имя покупателя", "Эл. почта"),
    "fi": ("Nimi", "Sähköposti"),
    "lv": ("Vārds", "E-pasts"),
    "pl": ("Imię i nazwisko", "Adres e-mail"),
    "zh": ("客户姓名", "电子邮件"),
    "ja": ("氏名", "メールアドレス"),
}


@pytest.mark.parametrize("language", sorted(EMAIL_LAYOUTS))
def test_without_a_customer_id_the_e_mail_is_the_customer_not_the_name(language):
    name, email = EMAIL_LAYOUTS[language]
    columns = [("Order ID", "order"), ("Order Date", "added"), (name, "name"), (email, "email"),
               ("Product Name", "product"), ("Quantity", "qty"), ("Unit Price", "price")]
    mapping, result = _ingest(columns)
    assert mapping["customer_id"] == email
    clean = result.cleaning.clean
    assert clean["customer_id"].str.fullmatch(r"c_[0-9a-f]{16}").all()  # pseudonymised
    assert clean["customer_id"].nunique() == 4
    assert not clean["customer_id"].str.contains("@").any()
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_an_e_mail_column_whose_header_says_nothing_is_the_customer():
    columns = [("Order ID", "order"), ("Order Date", "added"), ("Yhteystieto", "email"),
               ("Product Name", "product"), ("Quantity", "qty"), ("Unit Price", "price")]
    mapping, result = _ingest(columns)
    assert mapping["customer_id"] == "Yhteystieto"
    assert result.mapping.choices["customer_id"].reason.params["share"] == 1.0
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_a_customer_id_beats_the_e_mail_and_a_buyer_of_names_does_not():
    rest = [("Order ID", "order"), ("Order Date", "added"), ("Quantity", "qty"), ("Unit Price", "price")]
    for first, second, want in ((("E-mail", "email"), ("Customer ID", "customer"), "Customer ID"),
                                (("Käufer-E-Mail", "email"), ("Käufernummer", "customer"), "Käufernummer"),
                                (("Buyer e-mail", "email"), ("Buyer", "customer"), "Buyer"),
                                (("Buyer e-mail", "email"), ("Buyer", "name"), "Buyer e-mail")):
        mapping, _ = _ingest([first, second, *rest])
        assert mapping["customer_id"] == want, (first, second)


# ------------------------------------------------------------------------------------------ tracking numbers

TRACKING_HEADERS = ["Tracking No.", "Sendungsnummer", "Número de seguimiento", "Numer przesyłki", "Трек-номер",
                    "运单号", "Siuntos numeris", "Broj pošiljke", "Nomor Resi", "N° de suivi du colis"]


@pytest.mark.parametrize("tracking", TRACKING_HEADERS)
def test_a_tracking_number_is_not_the_product(tracking):
    columns = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"),
               ("Product Name", "product"), (tracking, "parcel"), ("Quantity", "qty"), ("Unit Price", "price")]
    mapping, result = _ingest(columns)
    assert "product_id" not in mapping
    assert tracking not in mapping.values()
    assert result.report["cleaning"]["revenue_clean"] == pytest.approx(REVENUE)


def test_an_id_column_with_one_value_per_order_is_not_the_product_but_one_per_product_is():
    columns = [("Order ID", "order"), ("Customer ID", "customer"), ("Order Date", "added"),
               ("Product Name", "product"), ("Ref No", "parcel"), ("Quantity", "qty"), ("Unit Price", "price")]
    mapping, _ = _ingest(columns)
    assert "product_id" not in mapping
    columns[4] = ("Ref No", "model")
    mapping, _ = _ingest(columns)
    assert mapping["product_id"] == "Ref No"
