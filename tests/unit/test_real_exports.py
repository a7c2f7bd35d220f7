"""Layouts met in real exports that the synthetic fixtures missed, as small hand-written files:
a Shopify orders export whose notes hold line breaks inside quotes (a cash-on-delivery shop's
order form), and partly refunded orders (which are sales, not cancellations)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.ingest import cleaning, pipeline
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


LOOKER_HEADER = ("Name,Email,Financial Status,Paid at,Subtotal,Shipping,Total,Discount Amount,Created at,"
                 "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Country,Refunded Amount,"
                 "Cancelled at")


def shopify_refunds_csv() -> bytes:
    """Four orders as Shopify writes them (order fields on an order's first line only): #1 paid, #2
    partly refunded (3 lines, 100 + 50 + 2 x 25 = 200.00 of items, 40.00 refunded), #3 refunded and
    cancelled, #4 paid."""
    lines = [LOOKER_HEADER,
             "#1,ann@example.com,paid,2025-01-05 10:00:00 +0100,80.00,0.00,80.00,0.00,2025-01-05 10:00:00 +0100,"
             "2,Frame A,40.00,A1,IT,0.00,",
             "#2,bob@example.com,partially_refunded,2025-01-06 11:00:00 +0100,200.00,0.00,200.00,0.00,"
             "2025-01-06 11:00:00 +0100,1,Frame B,100.00,B1,IT,40.00,",
             "#2,bob@example.com,,,,,,,2025-01-06 11:00:00 +0100,1,Frame C,50.00,C1,,,",
             "#2,bob@example.com,,,,,,,2025-01-06 11:00:00 +0100,2,Lens D,25.00,D1,,,",
             "#3,cat@example.com,refunded,2025-01-07 12:00:00 +0100,60.00,0.00,60.00,0.00,2025-01-07 12:00:00 +0100,"
             "1,Frame E,60.00,E1,IT,60.00,2025-01-08 09:00:00 +0100",
             "#3,cat@example.com,,,,,,,2025-01-07 12:00:00 +0100,1,Case F,10.00,F1,,,",
             "#4,dan@example.com,paid,2025-01-09 08:00:00 +0100,30.00,0.00,30.00,0.00,2025-01-09 08:00:00 +0100,"
             "3,Cloth G,10.00,G1,IT,0.00,"]
    return ("\n".join(lines) + "\n").encode()


def test_a_partly_refunded_order_is_a_sale_kept_with_its_refund_subtracted_a_flag_and_a_note():
    prepared = pipeline.prepare(shopify_refunds_csv(), "orders_export.csv")
    assert prepared.mapping.as_dict()["status"] == "Financial Status"
    result = pipeline.process(prepared)
    rep = result.report["cleaning"]
    # kept: #1 (80.00), all three lines of #2 (200.00 less the 40.00 of 'Refunded Amount'), #4 (30.00); set aside:
    # both lines of #3 (70.00)
    assert (rep["rows_in"], rep["rows_clean"], rep["rows_quarantined"]) == (7, 5, 2)
    assert rep["revenue_clean"] == pytest.approx(270.00) and rep["revenue_quarantined"] == pytest.approx(70.00)
    assert rep["revenue_refunded"] == pytest.approx(40.00) and rep["reconciles"]
    assert result.cleaning.quarantine["reason"].tolist() == ["cancellation", "cancellation"]
    assert sorted(result.cleaning.clean["order_id"].unique()) == ["#1", "#2", "#4"]
    flag = next(f for f in rep["flags"] if f["flag"] == "partly_refunded")
    assert (flag["rows_kept_flagged"], flag["orders"], flag["statuses"]) == (3, 1, ["partially_refunded"])
    assert flag["revenue_kept_flagged"] == pytest.approx(160.00)
    assert not any("partial refund" in n for n in result.report["notes"])  # its refund is known: not kept whole
    note = next(n for n in result.report["notes"] if "Refunded Amount" in n)
    assert note.startswith("'Refunded Amount' gives the amount refunded on each order: 40.00 refunded on 1 order(s)")


def test_without_a_partial_status_the_report_has_no_partial_flag():
    data = shopify_refunds_csv().replace(b"partially_refunded", b"paid")
    result = pipeline.process(pipeline.prepare(data, "orders_export.csv"))
    assert "partly_refunded" not in [f["flag"] for f in result.report["cleaning"]["flags"]]
    assert not any("partial refund" in n for n in result.report["notes"])


PARTLY = ["partially_refunded", "Partially Refunded", "partly refunded", "teilweise erstattet", "Teilerstattung",
          "teilweise storniert", "partiellement remboursé", "parcialmente reembolsado", "parzialmente rimborsato",
          "gedeeltelijk terugbetaald", "częściowo zwrócone", "delvis återbetald", "kısmen iade edildi",
          "частично возвращен", "部分退款", "一部返金", "부분 환불"]
WHOLE = ["refunded", "Cancelled", "canceled", "voided", "returned", "storniert", "erstattet", "annulée", "Annulee",
         "remboursé", "cancelado", "reembolsado", "annullato", "rimborsato", "geannuleerd", "terugbetaald",
         "anulowane", "zwrócone", "återbetald", "iptal edildi", "iade edildi", "отменен", "已取消", "已退款", "退货",
         "キャンセル", "취소", "fully_refunded"]
SALES = ["paid", "pending", "partially_paid", "partially paid", "partially_fulfilled", "partially shipped",
         "teilweise bezahlt", "Teilzahlung", "parcialmente pagado", "部分发货", "authorized", "bezahlt", "已付款"]


def test_status_words_are_classified_alike_in_every_language():
    status = pd.Series(PARTLY + WHOLE + SALES + [None], dtype="string")
    cancelled = status.str.lower().str.strip().isin(cleaning.CANCEL_STATUSES).fillna(False)
    partly = cleaning.partly_refunded(status)
    n_p, n_w = len(PARTLY), len(WHOLE)
    assert not cancelled[:n_p].any() and partly[:n_p].all()  # partly refunded: a sale, flagged
    assert cancelled[n_p:n_p + n_w].all() and not partly[n_p:n_p + n_w].any()  # wholly: set aside
    assert not cancelled[n_p + n_w:].any() and not partly[n_p + n_w:].any()  # sales, unflagged


def test_no_cancellation_spelling_is_partial():
    assert not cleaning.partly_refunded(pd.Series(sorted(cleaning.CANCEL_STATUSES))).any()


def test_the_sql_path_sets_aside_the_same_statuses(tmp_path, monkeypatch):
    from ecom_analytics.cli import main
    from ecom_analytics.ingest import stream

    words = PARTLY + WHOLE + SALES
    rows = [f"O{i},C{1000 + i},{w},2025-02-{i % 27 + 1:02d} 10:00:00,1,10.00" for i, w in enumerate(words)]
    path = tmp_path / "orders.csv"
    path.write_text("order_id,customer_id,status,created_at,quantity,unit_price\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    out = {}
    for name, limit in (("py", 10 ** 12), ("sql", 0)):
        monkeypatch.setattr(stream, "STREAM_BYTES", limit)
        assert main(["ingest", str(path), "--home", str(tmp_path / name), "--json", str(tmp_path / f"{name}.json")]) == 0
        out[name] = json.loads((tmp_path / f"{name}.json").read_text())
    assert out["sql"]["notes"][0].startswith("Read by the SQL path")
    for summary in out.values():
        assert summary["mapping"]["status"] == "status"
        assert (summary["rows_clean"], summary["quarantine"]["cancellation"]) == (len(PARTLY) + len(SALES), len(WHOLE))
