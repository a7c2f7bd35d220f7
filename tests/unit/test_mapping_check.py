"""What the Data page says under each mapped date and number column (Prepared.check), in English
and Chinese, on a hand-written export."""

from __future__ import annotations

from ecom_analytics.ingest import pipeline
from ecom_analytics.i18n import translate

EXPORT = (
    "order;customer;date;qty;price\n"
    "1;A;25/03/2024 10:00;2;49,90\n"
    "2;B;26/03/2024 11:30;x;1.299,00\n"
    "3;C;27/03/2024 12:15;1;3,50\n"
).encode("utf-8")


def test_check_says_how_dates_and_numbers_read_and_what_cannot_be_read():
    prepared = pipeline.prepare(EXPORT, "orders.csv", kind="orders")
    mapping = prepared.mapping.override(order_id="order", customer_id="customer", timestamp="date", quantity="qty",
                                        unit_price="price")
    said = prepared.check(mapping)
    assert [n.english() for n in said["timestamp"]] == ["Dates read as DD/MM/YYYY HH:mm"]
    assert [n.english() for n in said["unit_price"]] == ["Numbers with a decimal comma (49,90 = 49.90)"]
    assert [n.english() for n in said["quantity"]] == ["Numbers with a decimal point (1,299.00)",
                                                       "1 of the first 3 values cannot be read"]
    # coded: what cannot be read is an error (the page colours it red by severity), the rest is information
    assert [(n.code, dict(n.params), n.severity) for n in said["quantity"]] == [
        ("Numbers with a decimal point (1,299.00)", {}, "info"),
        (pipeline.CANNOT_BE_READ, {"bad": 1, "n": 3}, "error")]
    assert said["timestamp"][0].params == {"format": "DD/MM/YYYY HH:mm"}
    assert [translate(n.code, "zh", **n.params) for n in said["quantity"]] == ["以小数点表示小数的数字（1,299.00）",
                                                                            "前 3 个值中有 1 个无法读取"]
    assert translate(said["timestamp"][0].code, "zh", **said["timestamp"][0].params) == "日期按 DD/MM/YYYY HH:mm 读取"
    assert not pipeline.checks_read_utc(said)


def test_unix_seconds_are_named_once():
    """Issue #21: a Taobao-style file's date note read "Unix seconds (UTC) · Unix seconds (UTC)"."""
    from ecom_analytics.ingest import pipeline

    data = (b"1,2268318,2520377,pv,1511544070\n1,2333346,2520771,pv,1511561733\n"
            b"2,2576651,149192,buy,1511572885\n3,3830808,4181361,cart,1511593493\n")
    prepared = pipeline.prepare(data, "taobao.csv")
    parts = prepared.check(prepared.mapping)["timestamp"]
    assert [n.english() for n in parts] == ["Dates read as Unix seconds (UTC)"]
    assert pipeline.checks_read_utc({"timestamp": parts})  # the Data page offers a time zone
