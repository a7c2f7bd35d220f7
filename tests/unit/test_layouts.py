"""Remembered layouts (ecom_analytics.ingest.layouts): signatures, the stored file, applying a mapping,
and the rule that keeps a dataset of (almost) no rows from being announced as ready."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pandas as pd
import pytest

from ecom_analytics.ingest import layouts, pipeline
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.layouts import ReadingOptions

ORDERS = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
          "1,A,2,2024-01-01 10:00,5.00,100,United Kingdom\n"
          "2,B,1,2024-01-02 11:00,3.00,200,France\n"
          "3,A,4,2024-01-03 12:00,5.00,100,United Kingdom\n").encode()


def frame(columns: list[str], rows: list[list[str]] | None = None) -> pd.DataFrame:
    rows = rows or [[f"{c}{i}" for c in columns] for i in range(3)]
    return pd.DataFrame(rows, columns=columns, dtype="string")


# --- signatures ---------------------------------------------------------------------------------

def test_the_signature_of_a_header_layout_ignores_order_spelling_and_rows():
    a = frame(["Customer ID", "Order Date", "Amount"])
    b = frame(["amount", "customer_id", "ORDER-DATE"], [["1.5", "7", "2024-01-01"]])
    assert layouts.layout_signature(a, "orders", True) == layouts.layout_signature(b, "orders", True)


def test_the_signature_changes_with_a_header_the_kind_or_a_missing_column():
    base = layouts.layout_signature(frame(["customer", "date", "amount"]), "orders", True)
    assert layouts.layout_signature(frame(["customer", "date", "total"]), "orders", True) != base
    assert layouts.layout_signature(frame(["customer", "date", "amount"]), "events", True) != base
    assert layouts.layout_signature(frame(["customer", "date"]), "orders", True) != base
    assert len(base) == 20 and int(base, 16) >= 0


def test_a_headerless_signature_is_the_column_count_and_value_profile_in_order():
    one = pd.DataFrame({"column_1": ["1", "2", "3"], "column_2": ["2024-01-01", "2024-01-02", "2024-02-03"],
                        "column_3": ["pv", "buy", "cart"]})
    other_rows = pd.DataFrame({"column_1": ["88", "9", "10"], "column_2": ["2023-05-01", "2023-06-02", "2023-06-09"],
                               "column_3": ["fav", "pv", "pv"]})
    swapped = one[["column_3", "column_2", "column_1"]].set_axis(one.columns, axis=1)
    sig = layouts.layout_signature(one, "events", False)
    assert layouts.layout_signature(other_rows, "events", False) == sig
    assert layouts.layout_signature(swapped, "events", False) != sig  # position is what names a headerless column
    assert layouts.layout_signature(one.iloc[:, :2], "events", False) != sig


def test_the_header_line_key_reads_bytes_not_text():
    gb = "订单号,客户ID\n1,2\n".encode("gb18030")
    assert layouts.header_line_key(gb) == layouts.header_line_key(gb.replace(b"\n1,2", b"\n9,9"))
    assert layouts.header_line_key(gb) != layouts.header_line_key("订单号,客户ID\n1,2\n".encode("utf-8"))
    assert layouts.header_line_key(b"\xef\xbb\xbfa,b\r\n1,2") == layouts.header_line_key(b"a,b\n3,4")
    assert layouts.header_line_key(b"\x1f\x8b\x08rest") is None  # gzip: the header is not in the bytes


# --- options ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [("GB18030", "gb18030"), ("utf-8", "utf-8"), ("Latin-1", "latin-1"),
                                        ("nope", None), ("base64", None), ("", None)])
def test_encoding_names(text, name):
    assert layouts.encoding_name(text) == name


@pytest.mark.parametrize("text, name", [("comma", "comma"), (",", "comma"), ("\t", "tab"), ("\\t", "tab"),
                                        ("Semicolon", "semicolon"), ("|", "pipe"), ("space", "whitespace"),
                                        ("colon", None)])
def test_delimiter_names(text, name):
    assert layouts.delimiter_name(text) == name


def test_reading_options_keep_only_what_was_chosen():
    assert ReadingOptions().chosen() == {} and ReadingOptions().is_automatic()
    options = ReadingOptions("gb18030", None, False)
    assert options.chosen() == {"encoding": "gb18030", "header": False}
    assert ReadingOptions.from_chosen(options.chosen()) == options
    assert ReadingOptions.from_chosen({"encoding": "klingon", "delimiter": "tab"}) == ReadingOptions(None, "tab")
    assert options.read_kwargs() == {"encoding": "gb18030", "delimiter": None, "has_header": False}


# --- stored layouts -----------------------------------------------------------------------------

def test_a_remembered_mapping_is_found_for_the_same_layout_and_applied(tmp_path):
    first = pipeline.prepare(ORDERS, "jan.csv")
    confirmed = first.mapping.override(country=None, product_id="StockCode")
    saved = layouts.remember_layout(tmp_path, first.raw.frame, confirmed, has_header=True, source_name="jan.csv",
                                    reading=ReadingOptions(delimiter="comma"), data=ORDERS,
                                    now=dt.datetime(2024, 2, 1, 9, 30, tzinfo=dt.timezone.utc))
    stored = json.loads((tmp_path / "layouts" / f"{saved.signature}.json").read_text(encoding="utf-8"))
    assert stored["mapping"]["country"] is None and stored["mapping"]["customer_id"] == "CustomerID"
    assert stored["saved_at"] == "2024-02-01T09:30:00Z" and stored["reading"] == {"delimiter": "comma"}
    assert not list((tmp_path / "layouts").glob("*.tmp"))

    # February: the same columns in another order and spelling
    feb = ("customer id,invoice no,stock code,quantity,invoice date,unit price,country\n"
           "300,9,C,1,2024-02-01 10:00,2.00,Spain\n").encode()
    second = pipeline.prepare(feb, "feb.csv")
    found = layouts.find_layout(tmp_path, second.raw.frame, second.mapping.kind, second.raw.has_header)
    assert found is not None and found.source_name == "jan.csv" and found.saved_day == "2024-02-01"
    applied = layouts.apply_layout(second.mapping, second.raw.frame, found)
    assert applied.as_dict()["customer_id"] == "customer id"
    assert "country" not in applied.as_dict()  # left out, as the analyst did
    assert applied.choices["country"].reason.english() == "left out, as remembered from 'jan.csv' (2024-02-01)"
    assert applied.choices["product_id"].reason.english() == "remembered from 'jan.csv' (2024-02-01)"
    assert applied.choices["product_id"].reason.params == {"name": "jan.csv", "date": "2024-02-01"}
    # reading options are found by the header line's bytes
    assert layouts.find_reading_layout(tmp_path, ORDERS.replace(b"United", b"Unified")).source_name == "jan.csv"
    assert layouts.find_reading_layout(tmp_path, feb) is None


def test_no_layout_for_another_kind_or_a_damaged_file(tmp_path):
    prepared = pipeline.prepare(ORDERS, "jan.csv")
    saved = layouts.remember_layout(tmp_path, prepared.raw.frame, prepared.mapping, has_header=True,
                                    source_name="jan.csv")
    assert layouts.find_layout(tmp_path, prepared.raw.frame, "events", True) is None
    (tmp_path / "layouts" / f"{saved.signature}.json").write_text("{half a fi", encoding="utf-8")
    assert layouts.find_layout(tmp_path, prepared.raw.frame, "orders", True) is None
    assert layouts.find_layout(tmp_path / "nowhere", prepared.raw.frame, "orders", True) is None


def test_writers_at_once_leave_one_whole_file(tmp_path):
    prepared = pipeline.prepare(ORDERS, "jan.csv")
    errors = []

    def write(i: int) -> None:
        try:
            for _ in range(20):
                layouts.remember_layout(tmp_path, prepared.raw.frame, prepared.mapping, has_header=True,
                                        source_name=f"writer{i}.csv")
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    files = list((tmp_path / "layouts").iterdir())
    assert len(files) == 1
    assert json.loads(files[0].read_text(encoding="utf-8"))["source_name"].startswith("writer")


def test_choices_are_checked_against_the_table_and_the_file():
    prepared = pipeline.prepare(ORDERS, "jan.csv")
    mapping, table = prepared.mapping, prepared.raw.frame
    chosen = layouts.apply_choices(mapping, table, {"country": None, "product_id": "stockcode"})
    assert "country" not in chosen.as_dict() and chosen.as_dict()["product_id"] == "StockCode"
    whole = layouts.apply_choices(mapping, table, {"customer_id": "CustomerID", "timestamp": "InvoiceDate",
                                                   "amount": "UnitPrice"}, complete=True)
    assert whole.as_dict() == {"customer_id": "CustomerID", "timestamp": "InvoiceDate", "amount": "UnitPrice"}
    with pytest.raises(InputError, match="'brand' is not a column of the orders table; choose from customer_id"):
        layouts.apply_choices(mapping, table, {"brand": "StockCode"})
    with pytest.raises(InputError, match=r"The file has no column 'Total' \(given for amount\); its columns are "
                                         "InvoiceNo, StockCode"):
        layouts.apply_choices(mapping, table, {"amount": "Total"})


# --- the rule after cleaning --------------------------------------------------------------------

def report(rows_in: int, kept: int, **quarantined: int) -> dict:
    return {"rows_in": rows_in, "rows_clean": kept, "rules": [{"rule": r, "quarantined": n}
                                                              for r, n in quarantined.items()]}


@pytest.mark.parametrize("rep, verdict", [
    (report(75_568, 0, unreadable_number=75_568), ("error", "unreadable_number")),
    (report(1_000, 40, unreadable_date=10, duplicate=950), ("warning", "unreadable_date")),  # < 5 % kept
    (report(1_000, 400, unreadable_number=550, duplicate=50), ("warning", "unreadable_number")),
    (report(1_000, 400, duplicate=600), None),  # 40 % kept, but the data set it aside, not the reading
    (report(1_000, 500, unreadable_number=500), None),  # half kept
    (report(8, 4, duplicate=1, missing_customer=1, cancellation=1, non_positive_price=1), None),
    (report(10, 0, missing_customer=10), ("error", "missing_customer")),
    (report(0, 0), None),
])
def test_the_kept_share_rule(rep, verdict):
    problem = layouts.reading_problem(rep, {"timestamp": "Date"})
    assert (problem.severity, problem.rule) == verdict if verdict else problem is None


def test_the_problem_names_the_column_whose_values_failed():
    prepared = pipeline.prepare(("InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n" + "".join(
        f"{i},2024-01-0{i} 10:00,{100 + i},x{i},{i}.50\n" for i in range(1, 6))).encode(), "x.csv")
    result = pipeline.process(prepared)
    problem = layouts.reading_problem(result.report["cleaning"], result.mapping.as_dict(), result.cleaning.quarantine)
    assert problem.as_dict() == {"severity": "error", "rows_in": 5, "rows_clean": 0, "rule": "unreadable_number",
                                 "rows_rule": 5, "column": "Quantity", "canonical": "quantity", "share_kept": 0.0}
