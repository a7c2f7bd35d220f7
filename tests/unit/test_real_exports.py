"""Layouts met in real exports that the synthetic fixtures missed, as small hand-written files:
a Shopify orders export whose notes hold line breaks inside quotes (a cash-on-delivery shop's
order form), and partly refunded orders (which are sales, not cancellations)."""

from __future__ import annotations

import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.ingest import pipeline
from ecom_analytics.ingest.readers import looks_like_header, read_table, sample_rows, sniff_delimiter

SHOPIFY_HEADER = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Total,"
                  "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,"
                  "Billing Phone,Notes,Note Attributes,Cancelled at,Payment Method,Refunded Amount,Phone")


def _note(name: str, phone: str, city: str) -> str:
    # an order form's answers, one per line, inside one quoted cell (more lines than the record)
    return (f'"First name: {name}\nPhone number: {phone}\nAddress: Road 7, House 12, {city}\nCity: {city}\n'
            f'UTM source: social\nUTM medium: paid\nIP address: 10.0.0.{len(name)}"')


def shopify_notes_csv(newline: str = "\n") -> bytes:
    rows = [SHOPIFY_HEADER]
    orders = [("#5001", "pending", "650.00", "60.00", "710.00", "2025-03-02 10:15:00 +0600", "1", "Lemon soap",
               "650.00", "Rina Akter", "+8801700000001", "Dhaka"),
              ("#5002", "pending", "1200.00", "60.00", "1260.00", "2025-03-02 11:40:00 +0600", "2", "Neem oil",
               "600.00", "Karim Uddin", "+8801700000002", "Khulna"),
              ("#5003", "paid", "300.00", "60.00", "360.00", "2025-03-03 09:05:00 +0600", "1", "Tea tree gel",
               "300.00", "Salma Begum", "+8801700000003", "Sylhet")]
    for name, status, sub, ship, total, created, qty, item, price, buyer, phone, city in orders:
        rows.append(f"{name},,{status},,unfulfilled,BDT,{sub},{ship},{total},{created},{qty},{item},{price},,"
                    f"{buyer},{phone},,{_note(buyer, phone[4:], city)},,Cash on Delivery (COD),0.00,{phone}")
    return (newline.join(rows) + newline).encode("utf-8")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_shopify_export_with_line_breaks_in_quoted_notes_reads_with_its_header(newline):
    t = read_table(shopify_notes_csv(newline), "orders_export.csv")
    d = t.describe()
    assert (d["delimiter"], d["header"], d["rows"], d["malformed_lines"]) == ("comma", True, 3, 0)
    assert list(t.frame.columns) == SHOPIFY_HEADER.split(",")
    assert t.frame["Name"].tolist() == ["#5001", "#5002", "#5003"]
    assert t.frame.loc[1, "Note Attributes"].replace("\r\n", "\n").splitlines()[1] == "Phone number: 1700000002"
    assert t.frame["Email"].isna().all() and t.frame.loc[2, "Total"] == "360.00"


def test_the_delimiter_is_sniffed_on_records_not_on_the_lines_inside_quotes():
    lines = shopify_notes_csv().decode().splitlines()
    # line by line, the notes' lines ("UTM source: social") look like space-separated text
    assert sniff_delimiter(lines) == ","
    rows = sample_rows(lines, ",")
    assert [len(r) for r in rows] == [22, 22, 22, 22]
    assert looks_like_header(rows)


def test_a_stray_quote_does_not_swallow_the_lines_after_it():
    lines = ['size;item;price', '12" pizza;P1;9.50', '"big;P2;3.00', 'small;P3;2.00', 'tiny;P4;1.00']
    assert sniff_delimiter(lines) == ";"
    # the broken line stays one odd line; the lines after it keep their three fields
    assert [len(r) for r in sample_rows(lines, ";")] == [3, 3, 1, 3, 3]


def test_a_headerless_file_is_not_said_to_lack_named_columns():
    # no header line: the columns are column_1..column_N, so no role can be named as missing
    data = b"".join(f"item{i},{i}.50,red\n".encode() for i in range(30))
    prepared = pipeline.prepare(data, "plain.csv")
    assert prepared.raw.has_header is False
    with pytest.raises(InputError) as err:
        pipeline.process(prepared)
    text = str(err.value)
    assert "No column was recognised" not in text and "header" in text and "--header" in text


def test_shopify_export_with_line_breaks_in_notes_is_ingested_with_the_shopify_columns():
    prepared = pipeline.prepare(shopify_notes_csv(), "orders_export.csv")
    chosen = prepared.mapping.as_dict()
    assert (chosen["order_id"], chosen["timestamp"], chosen["quantity"], chosen["unit_price"]) == (
        "Name", "Created at", "Lineitem quantity", "Lineitem price")
    assert chosen["status"] == "Financial Status"
