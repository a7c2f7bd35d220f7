"""``ingest`` reading options and mapping arguments (issue 15, parts 1 and 4): --encoding,
--delimiter, --header / --no-header, --map canonical=source, --mapping-file, the layout remembered
for the next file, and the warning line when a dataset keeps no or few rows.

Bad values are one 'error: ...' line and exit status 2; those that need no reading are found
before any work (reading is replaced by a function that fails the test).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecom_analytics.cli import main
from ecom_analytics.store import Workspace

ZH = ("订单号,商品编码,数量,下单时间,单价,客户ID,国家\n" + "".join(
    f"{i},P{i % 7},{i % 3 + 1},2024-02-{i % 28 + 1:02d} 12:00,¥{i}.90,{500 + i % 9},中国\n" for i in range(1, 41)
)).encode("gb18030")
SEMICOLON = ("Rechnung;Artikel;Menge;Datum;Preis;Kunde;Land\n" + "".join(
    f"{i};A{i % 4};{i % 5 + 1};{i % 28 + 1:02d}.03.2024;{i},50;{100 + i % 6};DE\n" for i in range(1, 31))).encode()
ODD = ("who,when,what,howmany,each\n" + "".join(
    f"C{i % 9},2024-04-{i % 28 + 1:02d} 09:00,item{i % 5},{i % 4 + 1},{i}.25\n" for i in range(1, 31))).encode()
UNREADABLE = ("InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n" + "".join(
    f"{i},2024-01-{i % 28 + 1:02d} 10:00,{100 + i % 5},x{i},{i}.50\n" for i in range(1, 41))).encode()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ingest(tmp_path: Path, path: Path, *extra: str, capsys=None) -> tuple[int, dict | None, str]:
    """(exit status, the JSON summary or None, stderr)."""
    out = tmp_path / f"{path.stem}.summary.json"
    out.unlink(missing_ok=True)
    code = main(["ingest", str(path), "--json", str(out), "--home", str(tmp_path / "home"), *extra])
    err = capsys.readouterr().err if capsys is not None else ""
    return code, json.loads(out.read_text(encoding="utf-8")) if out.exists() else None, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


@pytest.fixture()
def no_reading(monkeypatch):
    """Reading the file fails the test: an argument check must come first."""
    import ecom_analytics.ingest.pipeline as pipeline

    def started(*args, **kwargs):
        raise AssertionError("the file was read before the arguments were checked")

    monkeypatch.setattr(pipeline, "prepare", started)
    monkeypatch.setattr(pipeline, "ingest", started)


# --- reading options ----------------------------------------------------------------------------

def test_encoding_reads_chinese_headers_and_a_wrong_one_is_a_sentence(tmp_path, capsys):
    path = write(tmp_path, "zh.csv", ZH)
    code, _, err = ingest(tmp_path, path, "--encoding", "latin-1", capsys=capsys)
    assert code == 2
    assert "No column was recognised" in one_error_line(err)  # ¶©µ¥ºÅ... maps to nothing
    code, summary, err = ingest(tmp_path, path, "--encoding", "GB18030", capsys=capsys)
    assert code == 0, err
    assert summary["reader"]["encoding"] == "gb18030"
    assert summary["reading_options"] == {"encoding": "gb18030"}
    assert summary["mapping"]["customer_id"] == "客户ID" and summary["rows_clean"] == 40


def test_delimiter_option(tmp_path, capsys):
    path = write(tmp_path, "de.csv", SEMICOLON)
    code, summary, err = ingest(tmp_path, path, "--delimiter", "semicolon", capsys=capsys)
    assert code == 0, err
    assert summary["reader"]["delimiter"] == "semicolon" and summary["reader"]["columns"][0] == "Rechnung"
    code, _, err = ingest(tmp_path, path, "--delimiter", "pipe", capsys=capsys)
    assert code == 2 and "single column" in one_error_line(err)


def test_header_options(tmp_path, capsys):
    headerless = write(tmp_path, "log.csv", b"".join(
        f"{100 + i % 7},{i % 50},{i % 4},pv,{1511544070 + i * 600}\n".encode() for i in range(60)))
    code, summary, err = ingest(tmp_path, headerless, "--kind", "events", "--no-header", capsys=capsys)
    assert code == 0, err
    assert summary["reader"]["header"] is False and summary["rows_in"] == 60
    assert summary["reading_options"] == {"header": False}
    path = write(tmp_path, "zh.csv", ZH)
    code, summary, err = ingest(tmp_path, path, "--no-header", capsys=capsys)  # the header line becomes a row
    assert code == 0 and summary["reader"]["rows"] == 41
    code, summary, err = ingest(tmp_path, path, "--header", capsys=capsys)
    assert code == 0 and summary["reader"]["rows"] == 40


# --- mapping arguments --------------------------------------------------------------------------

def test_map_chooses_columns_and_the_next_file_of_the_layout_uses_them(tmp_path, capsys):
    path = write(tmp_path, "april.csv", ODD)
    code, summary, err = ingest(tmp_path, path, "--map", "customer_id=who", "--map", "timestamp=when",
                                "--map", "quantity=howmany", "--map", "unit_price=each", "--map", "product_id=what",
                                "--map", "amount=", capsys=capsys)
    assert code == 0, err
    assert summary["mapping"] == {"customer_id": "who", "timestamp": "when", "product_id": "what",
                                  "quantity": "howmany", "unit_price": "each"}
    assert summary["layout"] is None and summary["layout_saved"]
    assert len(list((tmp_path / "home" / "layouts").glob("*.json"))) == 1

    may = write(tmp_path, "may.csv", ODD.replace(b"C1,", b"C8,"))
    code, again, err = ingest(tmp_path, may, capsys=capsys)
    assert code == 0, err
    assert again["mapping"] == summary["mapping"]
    assert again["layout"]["remembered_from"] == "april.csv"
    assert again["notes"][0].startswith("Mapping remembered from 'april.csv' (")
    assert "layout_saved" not in again  # nothing given: nothing new to remember


def test_mapping_file_plain_and_a_summary(tmp_path, capsys):
    path = write(tmp_path, "april.csv", ODD)
    plain = write(tmp_path, "map.json", json.dumps({"customer_id": "who", "timestamp": "when", "amount": "each",
                                                    "quantity": None}).encode())
    code, summary, err = ingest(tmp_path, path, "--mapping-file", str(plain), capsys=capsys)
    assert code == 0, err
    assert summary["mapping"]["amount"] == "each" and "quantity" not in summary["mapping"]
    # the summary of that run as a mapping file: its mapping is the whole mapping, in a fresh workspace
    kept = write(tmp_path, "kept-summary.json", (tmp_path / "april.summary.json").read_bytes())
    code, reused, err = ingest(tmp_path, path, "--mapping-file", str(kept), "--home", str(tmp_path / "other"),
                               capsys=capsys)
    assert code == 0, err
    assert reused["mapping"] == summary["mapping"]
    # --map wins over the file
    code, both, err = ingest(tmp_path, path, "--mapping-file", str(plain), "--map", "amount=howmany", capsys=capsys)
    assert code == 0 and both["mapping"]["amount"] == "howmany"


def test_a_map_source_not_in_the_file_is_found_after_reading_the_header_before_cleaning(tmp_path, capsys, monkeypatch):
    import ecom_analytics.ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "process", lambda *a, **k: pytest.fail("cleaning started"))
    path = write(tmp_path, "april.csv", ODD)
    code, summary, err = ingest(tmp_path, path, "--map", "customer_id=whom", capsys=capsys)
    assert code == 2 and summary is None
    assert one_error_line(err) == ("error: The file has no column 'whom' (given for customer_id); its columns are "
                                   "who, when, what, howmany, each.")
    code, _, err = ingest(tmp_path, path, "--kind", "orders", "--map", "brand=what", capsys=capsys)
    assert code == 2 and "'brand' is not a column of the orders table" in one_error_line(err)
    assert not (tmp_path / "home" / "layouts").exists()


def bad_arguments(d: Path) -> list[tuple[list[str], str]]:
    f = str(d / "april.csv")
    return [
        ([f, "--encoding", "klingon"], "error: --encoding 'klingon' is not a text encoding; use one such as utf-8, "
                                       "utf-16, gb18030, big5, shift_jis, euc-kr, cp1250, cp1251, cp1252, latin-1."),
        ([f, "--encoding", "rot13"], "--encoding 'rot13' is not a text encoding"),
        ([f, "--delimiter", "colon"], "error: --delimiter 'colon' is not one this app reads; use comma, tab, "
                                      "semicolon, pipe, whitespace."),
        ([f, "--map", "amount"], "error: --map 'amount' is not canonical=source; write e.g. --map amount=Total"),
        ([f, "--map", "=Total"], "is not canonical=source"),
        ([f, "--map", "revenue=Total"], "error: --map: 'revenue' is not a column of any table; choose from customer_id"),
        ([f, "--kind", "events", "--map", "amount=each"],
         "error: --map: 'amount' is not a column of the events table; choose from user_id"),
        ([f, "--mapping-file", str(d / "nope.json")], f"error: No file at {d / 'nope.json'} (--mapping-file)."),
        ([f, "--mapping-file", str(d / "notjson.json")], "notjson.json is not JSON (Expecting property name"),
        ([f, "--mapping-file", str(d / "list.json")], "must hold a JSON object of canonical column -> source column"),
        ([f, "--mapping-file", str(d / "number.json")], "must hold a JSON object"),
        ([f, "--mapping-file", str(d / "unknown.json")], "error: --mapping-file: 'colour' is not a column of any table"),
        ([f, "--mapping-file", f], "is the file to ingest"),
        ([f, "--json", str(d / "map.json"), "--mapping-file", str(d / "map.json")],
         "is the input file given as --mapping-file"),
    ]


@pytest.mark.parametrize("case", range(len(bad_arguments(Path("/x")))))
def test_a_bad_value_is_one_line_and_exit_2_before_reading(case, tmp_path, capsys, no_reading):
    write(tmp_path, "april.csv", ODD)
    write(tmp_path, "map.json", b'{"amount": "each"}')
    write(tmp_path, "notjson.json", b"{amount: each")
    write(tmp_path, "list.json", b'["amount", "each"]')
    write(tmp_path, "number.json", b'{"amount": 3}')
    write(tmp_path, "unknown.json", b'{"colour": "each"}')
    argv, message = bad_arguments(tmp_path)[case]
    code = main(["ingest", *argv, "--home", str(tmp_path / "home")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in one_error_line(err)


def test_header_and_no_header_together_is_a_usage_error(tmp_path, capsys):
    path = write(tmp_path, "april.csv", ODD)
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(path), "--header", "--no-header"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- the kept-share rule ------------------------------------------------------------------------

def test_a_dataset_that_keeps_no_row_is_stored_with_a_warning_line(tmp_path, capsys):
    path = write(tmp_path, "unreadable.csv", UNREADABLE)
    code, summary, err = ingest(tmp_path, path, capsys=capsys)
    assert code == 0
    warnings = [ln for ln in err.splitlines() if ln.startswith("warning: ")]
    assert warnings == ["warning: 0 of 40 rows could be kept: the numbers in column 'Quantity' (quantity) cannot "
                        "be read (40 rows). Check --encoding, --delimiter and --header/--no-header, and the mapping "
                        "(--map canonical=source); the dataset is stored with its cleaning report."]
    assert summary["reading_problem"]["rule"] == "unreadable_number"
    assert summary["reading_problem"]["severity"] == "error"
    assert Workspace(tmp_path / "home").has_dataset(summary["dataset_id"])
    # a mapping given for it is not remembered: it kept nothing
    code, _, _ = ingest(tmp_path, path, "--map", "quantity=Quantity", capsys=capsys)
    assert code == 0 and not (tmp_path / "home" / "layouts").exists()


def test_a_clean_dataset_has_no_warning(tmp_path, capsys):
    path = write(tmp_path, "de.csv", SEMICOLON)
    code, summary, err = ingest(tmp_path, path, capsys=capsys)
    assert code == 0 and "warning:" not in err and "reading_problem" not in summary
