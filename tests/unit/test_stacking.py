"""A shop's exports of one layout uploaded together (Etsy's yearly EtsySoldOrderItems files) are read as one."""

from __future__ import annotations

import json

from ecom_analytics.cli import main
from ecom_analytics.ingest.stacking import stack_same_layout

HEADER = "Sale Date,Item Name,Buyer,Quantity,Price,Order ID"


def yearly(year: int, rows: int) -> bytes:
    lines = [f"{m:02d}/15/{year % 100:02d},Sticker {m % 3},buyer{m % 4},{1 + m % 2},3.50,{year}{m:02d}"
             for m in range(1, rows + 1)]
    return ("\n".join([HEADER] + lines) + "\n").encode()


def test_files_of_one_layout_are_joined_in_order_without_their_later_headers():
    a, b = yearly(2020, 3), yearly(2021, 2)
    data, name, params = stack_same_layout([(a, "items2020.csv"), (b.rstrip(b"\n"), "items2021.csv")])
    lines = data.decode().splitlines()
    assert lines[0] == HEADER and len(lines) == 1 + 3 + 2 and lines.count(HEADER) == 1
    assert lines[4].startswith("01/15/21") and data.endswith(b"\n")  # a missing last line break is added
    assert name == "items2020 (+1).csv" and params == {"n": 2, "names": "'items2020.csv', 'items2021.csv'"}
    # a byte-order mark on a later file is no other layout
    assert stack_same_layout([(a, "a.csv"), (b"\xef\xbb\xbf" + b, "b.csv")]) is not None


def test_other_layouts_workbooks_and_wide_text_are_left_to_the_tables():
    a = yearly(2020, 3)
    assert stack_same_layout([(a, "a.csv")]) is None
    assert stack_same_layout([(a, "a.csv"), (a.replace(b"Buyer", b"Customer"), "b.csv")]) is None
    assert stack_same_layout([(a, "a.csv"), (a, "b.xlsx")]) is None
    assert stack_same_layout([(a, "a.csv"), ("\ufeff".encode("utf-16-le") + a.decode().encode("utf-16-le"),
                                            "b.csv")]) is None


def test_the_cli_reads_a_shops_yearly_exports_as_one(tmp_path, capsys):
    paths = []
    for year, rows in ((2020, 4), (2021, 3), (2022, 5)):
        path = tmp_path / f"EtsySoldOrderItems{year}.csv"
        path.write_bytes(yearly(year, rows))
        paths.append(str(path))
    out = tmp_path / "s.json"
    assert main(["ingest", *paths, "--home", str(tmp_path / "ws"), "--json", str(out)]) == 0
    summary = json.loads(out.read_text())
    assert summary["rows_in"] == 12 and summary["rows_clean"] == 12
    # revenue by hand: 12 lines of 3.50 x (1 + month % 2): months 1..4, 1..3, 1..5 -> 2+1+2+1, 2+1+2, 2+1+2+1+2 = 19
    assert summary["revenue_clean"] == 19 * 3.5
    assert "3 files with the same columns" in capsys.readouterr().err
