"""Exports in the languages added second (Czech, Slovak, Hungarian, Romanian, Danish, Norwegian,
Finnish, Greek, Ukrainian, Vietnamese, Thai, Indonesian, Arabic, Hebrew, Hindi, Filipino) and Korean
dates: each file is written in its language's own encoding, delimiter, decimal mark and date style,
read, mapped and built; every column lands where it belongs and the revenue is the one computed by
hand. Headers in a script the vocabulary does not read are mapped from the values (with a warning)
only when the values look like a shop's; a Latin-script table that names nothing stays refused."""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics.ingest import readers, vocabulary
from ecom_analytics.ingest.mapping import HEADERS_UNREAD, apply_mapping, propose_mapping

# four lines, three orders, two customers: revenue by hand 6 x 2.55 + 6 x 3.39 + 2 x 1.85 + 1 x 2.55
LINES = [("A1", "P1", "WHITE MUG", 6, "2010-12-01 08:26", 2.55, "17850", "United Kingdom"),
         ("A1", "P2", "GLASS LANTERN", 6, "2010-12-01 08:26", 3.39, "17850", "United Kingdom"),
         ("A2", "P3", "HAND WARMER", 2, "2010-12-01 08:28", 1.85, "13047", "France"),
         ("A3", "P1", "WHITE MUG", 1, "2010-12-02 09:00", 2.55, "13047", "France")]
REVENUE = 15.30 + 20.34 + 3.70 + 2.55  # 41.89
CANONICAL = ("order_id", "product_id", "product_name", "quantity", "timestamp", "unit_price", "customer_id", "country")


def _thai_date(t: pd.Timestamp) -> str:
    return f"{t.day:02d}/{t.month:02d}/{t.year + 543} {t:%H:%M}"  # Buddhist era


def _arabic_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


# language -> (headers in CANONICAL order, encoding, delimiter, decimal mark, date writer)
LAYOUTS = {
    "ko": (["주문번호", "상품코드", "상품명", "수량", "주문일시", "단가", "회원번호", "국가"], "cp949", ",", ".",
           lambda t: t.strftime("%Y. %m. %d. %H:%M")),
    "cs": (["Číslo objednávky", "Kód zboží", "Název zboží", "Počet kusů", "Datum objednávky", "Cena za kus",
            "Číslo zákazníka", "Země"], "cp1250", ";", ",", lambda t: f"{t.day}.{t.month}.{t.year} {t.hour}:{t:%M}"),
    "sk": (["Číslo objednávky", "Kód tovaru", "Názov tovaru", "Množstvo", "Dátum objednávky", "Jednotková cena",
            "Číslo zákazníka", "Krajina"], "cp1250", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M")),
    "hu": (["Rendelésszám", "Cikkszám", "Termék neve", "Mennyiség", "Rendelés dátuma", "Egységár", "Vevőkód",
            "Ország"], "utf-8", ";", ",", lambda t: t.strftime("%Y.%m.%d %H:%M")),  # cp1250's ő reads as cp1252's õ
    "ro": (["Număr comandă", "Cod produs", "Denumire produs", "Cantitate", "Data comenzii", "Preț unitar",
            "ID client", "Țara"], "utf-8", ",", ".", lambda t: t.strftime("%d.%m.%Y %H:%M")),
    "da": (["Ordrenummer", "Varenummer", "Varenavn", "Antal", "Ordredato", "Enhedspris", "Kundenummer", "Land"],
           "cp1252", ";", ",", lambda t: t.strftime("%d-%m-%Y %H:%M")),
    "no": (["Ordrenummer", "Varenummer", "Produktnavn", "Antall", "Ordredato", "Enhetspris", "Kundenummer", "Land"],
           "cp1252", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M")),
    "fi": (["Tilausnumero", "Tuotenumero", "Tuotenimi", "Määrä", "Tilauspäivämäärä", "Yksikköhinta",
            "Asiakasnumero", "Maa"], "cp1252", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M")),
    "el": (["Αριθμός παραγγελίας", "Κωδικός προϊόντος", "Όνομα προϊόντος", "Ποσότητα", "Ημερομηνία παραγγελίας",
            "Τιμή μονάδας", "Κωδικός πελάτη", "Χώρα"], "utf-8", ";", ",", lambda t: t.strftime("%d/%m/%Y %H:%M")),
    "uk": (["Номер замовлення", "Артикул", "Назва товару", "Кількість", "Дата замовлення", "Ціна за одиницю",
            "Код клієнта", "Країна"], "utf-8", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M")),
    "vi": (["Mã đơn hàng", "Mã sản phẩm", "Tên sản phẩm", "Số lượng", "Ngày đặt hàng", "Đơn giá", "Mã khách hàng",
            "Quốc gia"], "utf-8", ",", ".", lambda t: t.strftime("%d/%m/%Y %H:%M")),
    "th": (["เลขที่คำสั่งซื้อ", "รหัสสินค้า", "ชื่อสินค้า", "จำนวน", "วันที่สั่งซื้อ", "ราคาต่อหน่วย", "รหัสลูกค้า", "ประเทศ"],
           "cp874", ",", ".", _thai_date),
    "id": (["No. Pesanan", "Kode Produk", "Nama Produk", "Jumlah", "Waktu Pesanan Dibuat", "Harga Satuan",
            "ID Pembeli", "Negara"], "utf-8", ",", ".", lambda t: t.strftime("%Y-%m-%d %H:%M")),
    "ar": (["رقم الطلب", "رمز المنتج", "اسم المنتج", "الكمية", "تاريخ الطلب", "سعر الوحدة", "رقم العميل", "الدولة"],
           "cp1256", ",", ".", lambda t: t.strftime("%Y-%m-%d %H:%M")),
    # the same in UTF-8 with Arabic-Indic digits (cp1256 has none) in the dates
    "ar_digits": (["رقم الطلب", "رمز المنتج", "اسم المنتج", "الكمية", "تاريخ الطلب", "سعر الوحدة", "رقم العميل",
                   "الدولة"], "utf-8", ",", ".", lambda t: _arabic_digits(t.strftime("%Y-%m-%d %H:%M"))),
    "he": (["מספר הזמנה", 'מק"ט', "שם המוצר", "כמות", "תאריך ההזמנה", "מחיר ליחידה", "מספר לקוח", "מדינה"],
           "cp1255", ",", ".", lambda t: t.strftime("%d/%m/%Y %H:%M")),
    "hi": (["ऑर्डर आईडी", "उत्पाद कोड", "उत्पाद का नाम", "मात्रा", "ऑर्डर की तारीख", "प्रति इकाई मूल्य", "ग्राहक आईडी", "देश"],
           "utf-8", ",", ".", lambda t: t.strftime("%d-%m-%Y %H:%M")),
    "tl": (["Numero ng Order", "Code ng Produkto", "Pangalan ng Produkto", "Dami", "Petsa ng Order", "Presyo",
            "ID ng Kostumer", "Bansa"], "utf-8", ",", ".", lambda t: t.strftime("%Y-%m-%d %H:%M")),
}


def write_export(headers, encoding: str, delimiter: str, decimal: str, when, digits=str) -> bytes:
    """:data:`LINES` as a shop in that language exports them: its headers, encoding, delimiter, decimal
    mark, date style and digits (a raw input the reader gets, so not through the export writer)."""
    rows = []
    for order, product, name, qty, ts, price, customer, country in LINES:
        price_text = digits(f"{price:.2f}".replace(".", decimal))
        rows.append([order, product, name, digits(str(qty)), when(pd.Timestamp(ts)), price_text, customer, country])
    frame = pd.DataFrame(rows, columns=headers)
    return frame.to_csv(index=False, sep=delimiter, lineterminator="\n").encode(encoding)


def export(lang: str) -> bytes:
    return write_export(*LAYOUTS[lang])


def read_export(data: bytes, headers: list[str], lang: str) -> pd.DataFrame:
    """An export of :data:`LINES` read, mapped from its headers alone and checked: every column in its
    place, the dates and the hand-computed revenue; returns the canonical table."""
    raw = readers.read_table(data, f"orders_{lang}.csv")
    assert list(raw.frame.columns) == headers  # the encoding was read right
    mapping = propose_mapping(raw.frame)
    assert mapping.kind == "orders"
    assert mapping.as_dict() == dict(zip(CANONICAL, headers)), lang
    assert not any(n.code == HEADERS_UNREAD for n in mapping.notes)  # read from the headers
    table = apply_mapping(raw.frame, mapping).table
    assert table["timestamp"].tolist() == [pd.Timestamp(line[4]) for line in LINES]
    assert table["amount"].sum() == pytest.approx(REVENUE, abs=1e-9)
    return table


@pytest.mark.parametrize("lang", sorted(LAYOUTS))
def test_export_in_each_language_maps_every_column_and_gives_the_revenue(lang):
    table = read_export(export(lang), LAYOUTS[lang][0], lang)
    assert table["customer_id"].tolist() == ["17850", "17850", "13047", "13047"]


@pytest.mark.parametrize("encoding, lang", [("cp874", "th"), ("cp1256", "ar"), ("cp1255", "he"), ("cp949", "ko"),
                                            ("cp1250", "cs")])
def test_legacy_encodings_of_the_new_scripts_are_detected(encoding, lang):
    assert readers.guess_encoding(export(lang)).encoding == encoding


@pytest.mark.parametrize("header, expected", [
    ("วันที่สั่งซื้อ", ("date", "order")),  # Thai: no spaces, read like Chinese
    ("ราคาต่อหน่วย", ("price", "unit")),
    ("จำนวนเงิน", ("amount",)),  # the longest word wins: 'amount of money', not 'quantity'
    ("تاريخ الطلب", ("date", "order")),  # Arabic: the article ال is not part of the word
    ("والكمية", ("quantity",)),
    ("תאריך ההזמנה", ("date", "order")),  # Hebrew: the prefix ה
    ('מק"ט', ("sku",)),  # an abbreviation's quote marks are inside the word
    ("उत्पाद का नाम", ("product", "name")),  # Devanagari vowel signs keep the word whole
    ("Quốc gia", ("country",)),  # a Vietnamese phrase, not 'gia' (price)
    ("Đơn giá", ("price", "unit")),
    ("Tên sản phẩm", ("name", "product")),
    ("Rendelésszám", ("order", "number")),  # Hungarian compound
    ("Αριθμός παραγγελίας", ("number", "order")),
])
def test_headers_of_the_new_languages_read_as_their_concepts(header, expected):
    assert vocabulary.concepts(header) == expected


def test_thai_header_is_one_token_and_marks_stay_in_words():
    assert vocabulary.tokens("วันที่สั่งซื้อ") == [vocabulary.fold("วันที่สั่งซื้อ")]
    assert vocabulary.tokens("उत्पाद का नाम") == ["उत्पाद", "का", "नाम"]


# ----------------------------------------------------------------------------- unread headers

# Georgian headers (a script the vocabulary does not read): order, product code, name, quantity, date,
# price, customer, country
GEORGIAN = ["შეკვეთა", "კოდი", "დასახელება", "რაოდენობა", "თარიღი", "ფასი", "მომხმარებელი", "ქვეყანა"]


def test_headers_in_a_script_the_vocabulary_does_not_read_are_mapped_from_the_values_with_a_warning():
    frame = pd.DataFrame([list(map(str, line)) for line in LINES], columns=GEORGIAN)
    mapping = propose_mapping(frame)
    note = [n for n in mapping.notes if n.code == HEADERS_UNREAD]
    assert note and note[0].severity == "warning"
    m = mapping.as_dict()
    assert m["timestamp"] == "თარიღი" and m["quantity"] == "რაოდენობა" and m["order_id"] == "შეკვეთა"
    assert m["customer_id"] == "მომხმარებელი" and m["country"] == "ქვეყანა"
    assert m["unit_price"] == "ფასი" and "amount" not in m
    table = apply_mapping(frame, mapping).table
    assert table["amount"].sum() == pytest.approx(REVENUE, abs=1e-9)


def test_a_table_in_an_unread_script_that_does_not_look_like_a_shop_is_not_guessed():
    # Georgian weather: a date, a station name, a temperature (no ids that repeat)
    frame = pd.DataFrame({"თარიღი": ["2024-01-01", "2024-01-02", "2024-01-03"],
                          "სადგური": ["Tbilisi", "Batumi", "Kutaisi"], "ტემპერატურა": ["2.5", "8.1", "4.0"]})
    mapping = propose_mapping(frame)
    assert mapping.as_dict() == {}
    assert not any(n.code == HEADERS_UNREAD for n in mapping.notes)


def test_latin_headers_that_name_nothing_keep_the_file_from_being_guessed_even_with_shop_like_values():
    frame = pd.DataFrame([list(map(str, line)) for line in LINES],
                         columns=["stn", "obs", "descr", "n", "dt", "val", "grp", "zone"])
    mapping = propose_mapping(frame)
    assert "customer_id" not in mapping.as_dict() and "amount" not in mapping.as_dict()
    assert not any(n.code == HEADERS_UNREAD for n in mapping.notes)
