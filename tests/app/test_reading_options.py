"""AppTest: the Data page's reading options, the rule that keeps a dataset of (almost) no rows
from a success box, and the mapping remembered for a layout (issue 15, parts 1 and 4).

The files are written here by hand, so what a right reading gives is known: the GB18030 export
has seven Chinese headers (订单号 ... 国家) and 60 lines; the semicolon export eight German
headers; the 'x1' export has a quantity column that no line can read as a number.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import layouts
from ecom_analytics.store import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60

ZH_HEADERS = ["订单号", "商品编码", "数量", "下单时间", "单价", "客户ID", "国家"]
GB18030 = (",".join(ZH_HEADERS) + "\n" + "".join(
    f"{i},P{i % 7},{i % 3 + 1},2024-02-{i % 28 + 1:02d} 12:00,¥{i}.90,{500 + i % 9},中国\n" for i in range(1, 61)
)).encode("gb18030")
DE_HEADERS = ["Rechnung", "Artikel", "Beschreibung", "Menge", "Datum", "Preis", "Kunde", "Land"]
SEMICOLON = (";".join(DE_HEADERS) + "\n" + "".join(
    f"{i};A{i % 4};Apfel {i};{i % 5 + 1};{i % 28 + 1:02d}.03.2024;{i},50;{100 + i % 6};DE\n" for i in range(1, 31)
)).encode()
UNREADABLE = ("InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n" + "".join(
    f"{i},2024-01-{i % 28 + 1:02d} 10:00,{100 + i % 5},x{i},{i}.50\n" for i in range(1, 41))).encode()


def odd_layout(seed: int) -> bytes:
    """An export whose headers no mapper knows (who, when, what, howmany, each), 30 lines."""
    return ("who,when,what,howmany,each\n" + "".join(
        f"C{(i * seed) % 9},2024-04-{i % 28 + 1:02d} 09:{seed:02d},item{i % 5},{i % 4 + 1},{i + seed}.25\n"
        for i in range(1, 31))).encode()


@pytest.fixture()
def home(tmp_path, monkeypatch):
    path = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(path))
    return path


@pytest.fixture()
def data_page(home):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def box(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


def preview_columns(at: AppTest) -> list[str]:
    return [str(c) for c in at.dataframe[0].value.columns]


def confirm(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Confirm and clean").click().run()
    assert not at.exception
    return at


def test_reading_options_are_offered_with_what_was_detected(data_page):
    at = upload(data_page, "zh.csv", GB18030)
    assert "Reading options" in [e.label for e in at.expander]
    encodings = box(at, "Encoding")
    assert encodings.value == "auto"
    names = [o.split(" ")[0] for o in encodings.options]  # labels such as "Big5 (traditional Chinese)"
    assert names == ["Automatic", "UTF-8", "UTF-16", "GB18030", "Big5", "Shift-JIS", "EUC-KR", "cp1250", "cp1251",
                     "cp1252", "cp1257", "Latin-1"]
    assert box(at, "Delimiter").options[:1] == ["Automatic"]
    said = [c.value for c in at.caption]
    assert any(c.startswith("Detected: **gb18030**, ") and c.endswith("% confidence.") for c in said), said
    assert "Detected: **comma**." in said and "Detected: a header line." in said


def test_a_wrong_encoding_chosen_garbles_the_headers_and_the_right_one_reads_them(data_page):
    at = upload(data_page, "zh.csv", GB18030)
    box(at, "Encoding").set_value("latin-1").run()
    assert not at.exception
    assert "订单号" not in preview_columns(at)
    assert "¶©µ¥ºÅ" in preview_columns(at)  # 订单号 read as Latin-1
    assert "Read as **latin-1**, as you chose." in [c.value for c in at.caption]
    box(at, "Encoding").set_value("gb18030").run()
    assert not at.exception
    assert preview_columns(at) == ZH_HEADERS
    assert box(at, "customer_id ★").value == "客户ID"
    assert box(at, "unit_price").value == "单价"


def test_the_delimiter_option_rereads_a_semicolon_file(data_page):
    at = upload(data_page, "de.csv", SEMICOLON)
    assert preview_columns(at) == DE_HEADERS
    box(at, "Delimiter").set_value("pipe").run()  # no pipe in the file: one column, refused with a sentence
    assert not at.exception
    assert any("single column" in e.value for e in at.error)
    assert any("could not be read with these options" in m.value for m in at.markdown)
    box(at, "Delimiter").set_value("semicolon").run()
    assert not at.exception
    assert preview_columns(at) == DE_HEADERS
    assert not at.error


def test_the_header_option_reads_the_first_line_as_data(data_page):
    at = upload(data_page, "de.csv", SEMICOLON)
    rows = int(next(m for m in at.metric if m.label == "Rows").value.replace(",", ""))
    next(r for r in at.radio if r.label == "Header").set_value("none").run()
    assert not at.exception
    assert preview_columns(at)[:2] == ["column_1", "column_2"]
    assert int(next(m for m in at.metric if m.label == "Rows").value.replace(",", "")) == rows + 1


def test_a_low_confidence_guess_is_a_visible_warning_pointing_at_the_option(data_page, monkeypatch):
    from ecom_analytics.ingest import readers

    if not hasattr(readers, "guess_encoding"):
        pytest.skip("the reader has no encoding guess to make unsure")
    real = readers.guess_encoding
    monkeypatch.setattr(readers, "guess_encoding",
                        lambda data: readers.EncodingGuess("latin-1", 0.31) if data.startswith(b"\xb6\xa9") else real(data))
    at = upload(data_page, "zh-unsure.csv", GB18030 + b"\n")  # other bytes: not the cached reading of GB18030
    warnings = [w.value for w in at.warning]
    assert any("guessed as **latin-1**, with low confidence (31%)" in w and "Reading options" in w for w in warnings)
    assert not any(w.startswith("The text encoding was guessed") for w in warnings)  # said once
    box(at, "Encoding").set_value("gb18030").run()
    assert not any("low confidence" in w.value for w in at.warning)
    assert preview_columns(at) == ZH_HEADERS


def test_a_dataset_that_keeps_no_row_is_never_a_success(data_page):
    at = upload(data_page, "unreadable.csv", UNREADABLE)
    assert box(at, "quantity").value == "Quantity"
    at = confirm(at)
    assert not at.success
    errors = [e.value for e in at.error]
    assert any("0 of 40 rows could be kept" in e and "the numbers in column **Quantity (quantity)** cannot be read "
               "(40 rows)" in e and "Reading options" in e for e in errors), errors
    assert at.session_state["orders_id"] is None if "orders_id" in at.session_state else True
    assert not any(p.label == "Go to the overview" for p in at.get("page_link"))


def test_a_dataset_that_keeps_a_tiny_share_is_a_warning(data_page):
    good = "".join(f"{i},2024-01-05 10:00,{100 + i},2,{i}.50\n" for i in (901,))
    at = upload(data_page, "mostly-unreadable.csv", UNREADABLE + good.encode())
    at = confirm(at)
    assert not at.success
    warnings = [w.value for w in at.warning]
    assert any("only 1 of 41 rows (2.4%) could be kept" in w and "Quantity (quantity)" in w for w in warnings), warnings
    assert at.session_state["orders_id"]  # it has a row: it is current, with the warning


def test_a_clean_dataset_still_gets_its_success_box(data_page):
    at = confirm(upload(data_page, "de.csv", SEMICOLON))
    assert any("30 rows in, 30 kept" in s.value for s in at.success)
    assert not at.warning or not any("could be kept" in w.value for w in at.warning)


def test_the_confirmed_mapping_is_proposed_for_the_next_file_of_the_layout(data_page, home):
    at = upload(data_page, "april.csv", odd_layout(1))
    # choose every column by hand: the headers say nothing a mapper knows
    for label, source in (("customer_id ★", "who"), ("timestamp ★", "when"), ("product_id", "what"),
                          ("quantity", "howmany"), ("unit_price", "each"), ("amount", "(not in this file)")):
        box(at, label).set_value(source).run()
    at = confirm(at)
    assert any("30 rows in, 30 kept" in s.value for s in at.success)
    stored = list((home / "layouts").glob("*.json"))
    assert len(stored) == 1

    at = upload(at, "may.csv", odd_layout(7))  # same layout, other rows
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "Mapping remembered from **april.csv**" in info
    assert box(at, "customer_id ★").value == "who"
    assert box(at, "product_id").value == "what"
    assert box(at, "unit_price").value == "each"
    assert box(at, "amount").value == "(not in this file)"
    assert any("remembered from 'april.csv'" in m.value for m in at.markdown)
    assert any("left out, as remembered from 'april.csv'" in m.value for m in at.markdown)  # amount
    box(at, "product_id").set_value("(not in this file)").run()  # still overridable
    at = confirm(at)
    layout = layouts._load(stored[0])
    assert layout.source_name == "may.csv" and layout.mapping["product_id"] is None


def test_reading_options_chosen_once_are_used_for_the_next_file_with_that_header(data_page, home):
    at = upload(data_page, "zh.csv", GB18030)
    box(at, "Encoding").set_value("gb18030").run()
    at = confirm(at)
    assert at.success
    other = GB18030.replace(b"\n1,", b"\n999,", 1)
    at = upload(at, "zh-march.csv", other)
    assert box(at, "Encoding").value == "gb18030"
    assert any("Options remembered from **zh.csv**" in c.value for c in at.caption)
    assert preview_columns(at) == ZH_HEADERS
    assert Workspace(home).home == home
