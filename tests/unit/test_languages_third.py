"""Exports in the languages added third (Catalan, Estonian, Latvian, Lithuanian, Croatian, Serbian in
Latin and Cyrillic script, Bosnian, Slovenian, Bulgarian, Persian, Urdu, Bengali): each file is
written with headers phrased by hand in its language, in its usual encoding, delimiter, decimal mark
and date style, read, mapped and built; every column lands where it belongs and the revenue is the
one computed by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from ecom_analytics.ingest import vocabulary
from ecom_analytics.ingest.parsing import parse_timestamps
from tests.unit.test_languages_more import read_export, write_export  # the same four lines

def _digits(zero: str):
    """A writer of ASCII digits in the script whose zero is ``zero`` (Persian ۰, Bengali ০)."""
    table = str.maketrans("0123456789", "".join(chr(ord(zero) + i) for i in range(10)))
    return lambda text: text.translate(table)


_PERSIAN = _digits("۰")
_BENGALI = _digits("০")

# language -> (headers in CANONICAL order, encoding, delimiter, decimal mark, date writer, number writer)
LAYOUTS = {
    "ca": (["Núm. comanda", "Codi del producte", "Nom del producte", "Quantitat", "Data de la comanda",
            "Preu unitari", "Codi del client", "País"], "utf-8", ";", ",", lambda t: t.strftime("%d/%m/%Y %H:%M"), str),
    "et": (["Tellimuse number", "Tootekood", "Toote nimetus", "Kogus", "Tellimuse kuupäev", "Ühikuhind",
            "Kliendi number", "Riik"], "utf-8", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M"), str),
    "lv": (["Pasūtījuma numurs", "Preces kods", "Preces nosaukums", "Daudzums", "Pasūtījuma datums",
            "Vienības cena", "Klienta numurs", "Valsts"], "utf-8", ";", ",", lambda t: t.strftime("%d.%m.%Y. %H:%M"), str),
    "lt": (["Užsakymo Nr.", "Prekės kodas", "Prekės pavadinimas", "Kiekis", "Užsakymo data", "Vieneto kaina",
            "Kliento Nr.", "Šalis"], "utf-8", ";", ",", lambda t: t.strftime("%Y-%m-%d %H:%M"), str),
    "hr": (["Broj narudžbe", "Šifra artikla", "Naziv artikla", "Količina", "Datum narudžbe", "Jedinična cijena",
            "Šifra kupca", "Država"], "cp1250", ";", ",", lambda t: t.strftime("%d.%m.%Y. %H:%M"), str),
    "sr_latn": (["Broj porudžbine", "Šifra proizvoda", "Naziv proizvoda", "Količina", "Datum porudžbine",
                 "Cena po komadu", "ID kupca", "Zemlja"], "utf-8", ";", ",", lambda t: t.strftime("%d.%m.%Y. %H:%M"), str),
    "sr_cyrl": (["Број поруџбине", "Шифра производа", "Назив производа", "Количина", "Датум поруџбине",
                 "Цена по комаду", "ИД купца", "Земља"], "cp1251", ";", ",", lambda t: t.strftime("%d.%m.%Y. %H:%M"), str),
    "bs": (["Narudžba br.", "Kod proizvoda", "Naziv proizvoda", "Kom.", "Vrijeme narudžbe", "Cijena po komadu",
            "Kupac", "Zemlja"], "utf-8", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M"), str),
    "sl": (["Št. naročila", "Šifra izdelka", "Naziv izdelka", "Količina", "Datum naročila", "Cena na enoto",
            "Številka stranke", "Država"], "cp1250", ";", ",", lambda t: f"{t.day}. {t.month}. {t.year} {t:%H:%M}", str),
    "bg": (["Номер на поръчката", "Код на продукта", "Име на продукта", "Количество", "Дата на поръчката",
            "Единична цена", "Номер на клиента", "Държава"], "cp1251", ";", ",", lambda t: t.strftime("%d.%m.%Y %H:%M"),
           str),
    # Gregorian dates and prices in Persian digits, the Arabic decimal separator ٫
    "fa": (["شماره سفارش", "کد کالا", "نام کالا", "تعداد", "تاریخ سفارش", "قیمت واحد", "شناسه مشتری", "کشور"],
           "utf-8", ",", "٫", lambda t: _PERSIAN(t.strftime("%Y/%m/%d %H:%M")), _PERSIAN),
    "ur": (["آرڈر نمبر", "پروڈکٹ کوڈ", "پروڈکٹ کا نام", "مقدار", "آرڈر کی تاریخ", "فی یونٹ قیمت", "گاہک نمبر", "ملک"],
           "utf-8", ",", ".", lambda t: t.strftime("%d-%m-%Y %H:%M"), str),
    "bn": (["অর্ডার নম্বর", "পণ্যের কোড", "পণ্যের নাম", "পরিমাণ", "অর্ডারের তারিখ", "প্রতি এককের দাম", "গ্রাহক আইডি", "দেশ"],
           "utf-8", ",", ".", lambda t: _BENGALI(t.strftime("%d/%m/%Y %H:%M")), _BENGALI),
}


def export(lang: str) -> bytes:
    return write_export(*LAYOUTS[lang])


@pytest.mark.parametrize("lang", sorted(LAYOUTS))
def test_export_in_each_language_maps_every_column_and_gives_the_revenue(lang):
    table = read_export(export(lang), LAYOUTS[lang][0], lang)
    assert table["quantity"].tolist() == [6, 6, 2, 1]  # quantities in the language's own digits
    assert table["customer_id"].tolist() == ["17850", "17850", "13047", "13047"]


@pytest.mark.parametrize("header, expected", [
    ("Pasūtījuma datums", ("order", "date")),  # Latvian genitive
    ("Užsakymų numeris", ("order", "number")),  # Lithuanian genitive plural: read as the stem
    ("Tellimusenumber", ("order", "number")),  # Estonian compound with its linking e
    ("Broj porudžbine", ("number", "order")),
    ("Датум поруџбине", ("date", "order")),  # Serbian Cyrillic
    ("Поръчката", ("order",)),  # Bulgarian definite article on the word
    ("Poštanski broj", ("address",)),  # a phrase: the postcode, not a number
    ("Pasto kodas", ("address",)),
    ("Valor total de la comanda", ("amount", "order")),
    ("کد‌پستی", ("address",)),  # Persian: the zero-width non-joiner separates the words of a phrase
    ("قیمت واحد", ("price", "unit")),
    ("گاہک کا نام", ("customer", "name")),
    ("کل رقم", ("amount",)),  # Urdu 'total sum', where Arabic رقم alone is a number
    ("পণ্যের নাম", ("product", "name")),
    ("পণ্যগুলোর দাম", ("product", "price")),  # a Bengali plural genitive read as the stem পণ্য
])
def test_headers_of_the_third_languages_read_as_their_concepts(header, expected):
    assert vocabulary.concepts(header) == expected


@pytest.mark.parametrize("header, expected", [
    ("Import date", ("date",)),  # Catalan "import" (amount) would make it a sum
    ("pvm", ("date",)),  # Finnish päivämäärä, not Lithuanian PVM (VAT)
    ("Артикул", ("sku",)),  # the Russian article number (a product code: Ozon's, 1C's), not the Bulgarian item
    ("قسم", ("category",)),  # the Arabic department, not the Urdu type
    ("Kaupunki", ("address",)),  # Finnish city, not Estonian "kaup" (goods)
])
def test_words_known_before_read_as_before(header, expected):
    assert vocabulary.concepts(header) == expected


def test_dates_with_a_dot_after_the_year():
    # Croatian, Serbian, Bosnian and Latvian write the day, month and year each with its dot
    values = pd.Series(["01.12.2010. 08:26", "2.12.2010. 9:05:30", "03.12.2010.", "4. 12. 2010. 10:15"], dtype="str")
    p = parse_timestamps(values)
    assert not p.failed.any()
    assert p.values.tolist() == [pd.Timestamp("2010-12-01 08:26"), pd.Timestamp("2010-12-02 09:05:30"),
                                 pd.Timestamp("2010-12-03"), pd.Timestamp("2010-12-04 10:15")]


def test_urdu_letters_fold_like_arabic_ones():
    # heh goal and yeh barree are the Arabic heh and yeh, so either spelling reads the same
    assert vocabulary.fold("گاہک") == vocabulary.fold("گاهک") == "گاهك"
    assert vocabulary.fold("کے") == "كي"
    assert vocabulary.concepts("گاهك") == ("customer",)
