"""Sales tables in wide layouts and with separate Year and Month columns, read as long tables
(ecom_analytics.ingest.reshape through pipeline.prepare), on hand-written tables of each shape."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline, reshape
from ecom_analytics.ingest.readers import RawTable
from tests.fixtures import sheet_bytes


def csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def codes(prepared) -> list[str]:
    return [n.code for n in prepared.raw.notes]


def note(prepared, code: str):
    return next(n for n in prepared.raw.notes if n.code == code)


# a pharmacy's daily sales per drug group, ';', M/D/YYYY, with calendar parts beside the groups
PHARMACY = ["datum;M01AB;N02BE;R06;Year;Month;Hour;Weekday Name",
            "1/12/2014;0;32.4;2;2014;1;248;Thursday",
            "1/13/2014;8;50.6;4;2014;1;276;Friday",
            "1/14/2014;2;61.85;;2014;1;276;Saturday",
            "1/16/2014;1;41.1;1;2014;1;276;Sunday"]


def test_a_wide_table_with_a_date_per_row_becomes_one_series_per_column():
    prepared = pipeline.prepare(csv(PHARMACY), "daily.csv", kind="sales")
    frame = prepared.raw.frame
    assert list(frame.columns) == ["date", "series", "value"]
    assert prepared.mapping.as_dict() == {"series_id": "series", "timestamp": "date", "value": "value"}
    # 3 groups x 4 dates, less the one empty cell
    assert len(frame) == 11
    assert frame.groupby("series")["value"].count().to_dict() == {"M01AB": 4, "N02BE": 4, "R06": 3}
    assert frame.loc[frame["series"].eq("N02BE"), "value"].tolist() == ["32.4", "50.6", "61.85", "41.1"]
    wide = note(prepared, reshape.WIDE_BY_DATE)
    assert wide.params["date"] == "datum" and wide.params["n"] == 3
    assert note(prepared, reshape.LEFT_OUT_CALENDAR).params["columns"] == "'Year', 'Month', 'Hour', 'Weekday Name'"
    assert note(prepared, reshape.EMPTY_CELLS).params["n"] == 1

    result = pipeline.process(prepared)
    clean = result.cleaning.clean
    assert result.report["cleaning"]["rows_in"] == 11 and result.report["cleaning"]["reconciles"]
    assert clean["value"].sum() == pytest.approx(0 + 8 + 2 + 1 + 32.4 + 50.6 + 61.85 + 41.1 + 2 + 4 + 1)
    # each long row keeps the line of the wide row it came from
    r06 = clean[clean["series_id"].eq("R06")].sort_values("timestamp")
    assert r06["source_line"].tolist() == [2, 3, 5]
    assert r06["timestamp"].tolist() == [pd.Timestamp("2014-01-12"), pd.Timestamp("2014-01-13"),
                                         pd.Timestamp("2014-01-16")]
    assert any(reshape.WIDE_BY_DATE[:30] in s for s in result.report["notes"])


def test_without_a_kind_a_wide_table_of_figures_is_read_as_sales_too():
    prepared = pipeline.prepare(csv(["month,food_retailing,liquor_retailing,department_stores",
                                     "01-04-1982,15.5,2.2,10.3", "01-05-1982,15.1,2.1,10.6",
                                     "01-06-1982,15.5,2.0,9.9"]), "retail.csv")
    assert prepared.mapping.kind == "sales"
    assert sorted(prepared.raw.frame["series"].unique()) == ["department_stores", "food_retailing",
                                                             "liquor_retailing"]


def test_a_price_beside_volumes_is_left_out_with_a_note():
    prepared = pipeline.prepare(csv(["Date,AveragePrice,4770,4046,4225,Pct",
                                     "2015-12-27,1.33,64236.62,1036.74,54454.85,22.7",
                                     "2015-12-20,1.35,54876.98,674.28,44638.81,19.9",
                                     "2015-12-13,0.93,118220.22,794.7,109149.67,8.1"]), "avo.csv", kind="sales")
    assert sorted(prepared.raw.frame["series"].unique()) == ["4046", "4225", "4770"]
    left = note(prepared, reshape.LEFT_OUT_OTHER_KIND)
    assert left.params["columns"] == "'AveragePrice', 'Pct'" and left.severity == "warning"


def test_a_workbook_with_two_header_rows_keeps_every_column_and_says_what_it_left_out(tmp_path):
    rows = [[None, "Turnover ; NSW ; Food ;", "Turnover ; NSW ; Liquor ;", "Turnover ; NT ; Liquor ;",
             "Turnover ; Total ;"],
            ["Series ID", "A1", "A2", "A3", "A4"],
            [dt.datetime(1982, 4, 1), 303.1, 41.7, None, 344.8],
            [dt.datetime(1982, 5, 1), 297.8, 43.1, None, 340.9],
            [dt.datetime(1982, 6, 1), 298.0, None, None, 298.0]]
    prepared = pipeline.prepare(sheet_bytes(rows), "retail.xlsx", kind="sales")
    frame = prepared.raw.frame
    assert sorted(frame["series"].unique()) == ["Turnover ; NSW ; Food", "Turnover ; NSW ; Liquor",
                                                "Turnover ; Total"]
    assert len(frame) == 8  # 3 + 2 + 3 figures; the empty liquor cell gives no row
    assert note(prepared, reshape.SECOND_HEADER).params["first"] == "Series ID"
    assert note(prepared, reshape.NO_FIGURE).params["columns"] == "'Turnover ; NT ; Liquor ;'"
    assert note(prepared, reshape.EMPTY_CELLS).params["n"] == 1
    clean = pipeline.process(prepared).cleaning.clean
    assert clean["series_id"].nunique() == 3 and len(clean) == 8
    assert clean["value"].sum() == pytest.approx(303.1 + 297.8 + 298.0 + 41.7 + 43.1 + 344.8 + 340.9 + 298.0)


def test_a_sheet_with_a_date_per_column_and_a_blank_first_row_becomes_one_series_per_row():
    rows = [[None] * 5,
            ["SABORES", dt.datetime(2021, 10, 29), dt.datetime(2021, 10, 31), dt.datetime(2021, 11, 4), "Total"],
            ["AMERICANA", 13.955, 11.865, 11.44, 37.26],
            ["ANANA", 5.185, None, 4.235, 9.42],
            ["TOTAL", 19.14, 11.865, 15.675, 46.68]]
    prepared = pipeline.prepare(sheet_bytes(rows), "ventas.xlsx", kind="sales")
    frame = prepared.raw.frame
    assert prepared.mapping.as_dict() == {"series_id": "series", "timestamp": "date", "value": "value"}
    assert frame.sort_values(["series", "date"]).values.tolist() == [
        ["2021-10-29", "AMERICANA", 13.955], ["2021-10-31", "AMERICANA", 11.865], ["2021-11-04", "AMERICANA", 11.44],
        ["2021-10-29", "ANANA", 5.185], ["2021-11-04", "ANANA", 4.235]]
    wide = note(prepared, reshape.WIDE_BY_COLUMN_DATES)
    assert (wide.params["label"], wide.params["n"], wide.params["first"], wide.params["last"]) == \
        ("SABORES", 3, "2021-10-29", "2021-11-04")
    assert note(prepared, reshape.LEFT_OUT_TOTAL).params["labels"] == "'TOTAL', 'Total'"
    clean = pipeline.process(prepared).cleaning.clean
    assert clean.groupby("series_id")["value"].sum().round(3).to_dict() == {"AMERICANA": 37.26, "ANANA": 9.42}


def test_separate_year_and_month_columns_make_one_date_and_a_make_called_na_stays_a_label():
    lines = ['"Year","Month","Make","Quantity","Pct"']
    for month in (1, 2, 3):
        lines += [f'2007,{month},"Toyota",{2800 + month},22.7', f'2007,{month},"NA",{10 + month},0.1',
                  f'2007,{month},"Volvo",{900 + month},7.1']
    prepared = pipeline.prepare(csv(lines), "cars.csv", kind="sales")
    assert prepared.mapping.as_dict() == {"series_id": "Make", "timestamp": "date", "value": "Quantity"}
    assert note(prepared, reshape.YEAR_MONTH).params == {"year": "Year", "month": "Month"}
    clean = pipeline.process(prepared).cleaning.clean
    assert sorted(clean["timestamp"].unique()) == [pd.Timestamp("2007-01-01"), pd.Timestamp("2007-02-01"),
                                                   pd.Timestamp("2007-03-01")]
    assert clean.groupby("series_id")["value"].sum().to_dict() == {"NA": 36.0, "Toyota": 8406.0, "Volvo": 2706.0}
    assert clean["series_id"].notna().all()


def test_month_names_are_read_and_a_repeated_make_is_summed_with_a_note():
    lines = ["Year,Month,Make,Quantity"]
    for year in (2013, 2014, 2015):
        for month in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"):
            lines += [f"{year},{month},Lexus,73", f"{year},{month},Volvo,5"]
    lines.append("2015,Dec,Lexus,1")
    prepared = pipeline.prepare(csv(lines), "cars.csv", kind="sales")
    key = next(n for n in prepared.mapping.notes if n.code == reshape.SERIES_KEY_REPEATS)
    assert key.params == {"column": "Make", "n": 1}
    assert prepared.mapping.as_dict()["series_id"] == "Make"
    assert prepared.raw.frame["date"].tolist()[:4] == ["2013-01-01", "2013-01-01", "2013-02-01", "2013-02-01"]
    assert prepared.raw.frame["date"].iloc[-1] == "2015-12-01"
    clean = pipeline.process(prepared).cleaning.clean
    assert len(clean) == 73 and clean.loc[clean["series_id"].eq("Lexus"), "value"].sum() == 36 * 73 + 1


def test_two_label_columns_that_key_the_dates_together_make_one_series_per_pair():
    lines = [",Date,AveragePrice,Total_Volume,type,year,region"]
    for week, day in enumerate(("12/27/2015", "12/20/2015", "12/13/2015")):
        for region in ("Albany", "Atlanta", "Boise"):
            for kind, volume in (("conventional", 1000), ("organic", 10)):
                lines.append(f"{week},{day},1.33,{volume + week},{kind},2015,{region}")
    prepared = pipeline.prepare(csv(lines), "avocado.csv", kind="sales")
    assert prepared.mapping.as_dict() == {"series_id": "type", "subseries_id": "region", "timestamp": "Date",
                                          "value": "Total_Volume"}
    assert [n.code for n in prepared.mapping.notes] == [reshape.SERIES_KEY_PAIR_EXACT]
    clean = pipeline.process(prepared).cleaning.clean
    sums = clean.groupby(["series_id", "subseries_id"])["value"].sum()
    assert len(sums) == 6 and sums[("organic", "Boise")] == 10 + 11 + 12


@pytest.mark.parametrize("lines", [
    # a long table: its dates repeat, one per store
    ["date,store,sales,customers", "2024-01-01,A,10,3", "2024-01-01,B,12,4", "2024-01-02,A,11,5",
     "2024-01-02,B,13,6"],
    # one measure named as such beside other counts
    ["date,revenue,visitors,orders", "2024-01-01,100.5,40,3", "2024-01-02,120.0,50,4", "2024-01-03,90.0,30,2"],
    # units beside money: two measures of one series
    ["date,units,revenue", "2024-01-01,3,30.0", "2024-01-02,4,40.0", "2024-01-03,2,20.0"],
    # a single series
    ["date,value", "2024-01-01,1", "2024-01-02,2", "2024-01-03,3"],
])
def test_long_tables_are_left_as_they_are(lines):
    raw = pipeline.prepare(csv(lines), "t.csv", kind="sales").raw
    assert list(raw.frame.columns) == lines[0].split(",")
    assert not any(n.code in (reshape.WIDE_BY_DATE, reshape.YEAR_MONTH) for n in raw.notes)


def test_without_a_kind_an_order_export_is_never_reshaped():
    lines = ["Order Date,Customer ID,Quantity,Unit Price,Amount", "2024-01-01 10:00,c1,2,3.5,7.0",
             "2024-01-01 11:00,c2,1,4.0,4.0", "2024-01-02 09:00,c1,3,1.0,3.0"]
    prepared = pipeline.prepare(csv(lines), "orders.csv")
    assert prepared.mapping.kind == "orders"
    assert list(prepared.raw.frame.columns) == lines[0].split(",")


def test_a_table_with_its_own_dates_keeps_its_year_and_month_columns_as_parts():
    frame = pd.DataFrame({"date": ["2024-01-01", "2024-02-01"], "Year": ["2024", "2024"], "Month": ["1", "2"],
                          "sales": ["3", "4"]})
    assert reshape.combine_year_month(frame) is None
    raw = RawTable(frame, "t.csv", "csv")
    assert reshape.sales_layout(raw, "sales") is raw
    assert reshape.sales_layout(raw, "orders") is raw


def test_headers_of_calendar_parts_and_other_kinds():
    assert all(reshape.is_calendar_part(h) for h in ("Year", "Month", "Weekday Name", "Hour", "day of week", "月份"))
    assert not any(reshape.is_calendar_part(h) for h in ("M01AB", "Total_Volume", "Quantity", "monthly sales"))
    assert all(reshape.is_other_kind(h) for h in ("AveragePrice", "Pct", "Share", "unit price", "均价"))
    assert not any(reshape.is_other_kind(h) for h in ("Total_Volume", "4046", "food_retailing"))


def test_every_note_of_the_reshaping_has_chinese():
    from ecom_analytics.i18n import untranslated_parts

    prepared = [pipeline.prepare(csv(PHARMACY), "daily.csv", kind="sales"),
                pipeline.prepare(csv(["Year,Month,Make,Quantity", "2015,1,A,1", "2015,1,B,2", "2015,2,A,3",
                                      "2015,2,B,4", "2015,2,A,5"] + [f"2016,{m},A,1" for m in range(1, 13)]
                                     + [f"2016,{m},B,1" for m in range(1, 13)] + [f"2017,{m},A,1" for m in range(1, 13)]
                                     + [f"2017,{m},B,1" for m in range(1, 13)]), "c.csv", kind="sales")]
    said = [n.english() for p in prepared for n in p.raw.notes + p.mapping.notes]
    assert len(said) >= 4
    codes = [v for k, v in vars(reshape).items() if k.isupper() and isinstance(v, str) and "{" in v]
    assert len(codes) == 18  # the year + week notes (ISO, Monday, Sunday weeks) among them
    for text in said + codes:
        assert not untranslated_parts(text, "zh"), text


def test_the_forecast_command_reads_a_wide_file_as_one_series_per_column(tmp_path):
    from ecom_analytics.cli.forecast import read_for_forecast

    lines = ["month;north;south;Year"] + [f"01-{m:02d}-{y};{y - 2000 + m};{2 * m};{y}"
                                           for y in (2020, 2021) for m in range(1, 13)]
    path = tmp_path / "wide.csv"
    path.write_bytes(csv(lines))
    kind, table = read_for_forecast(path, "sales")
    assert kind == "sales" and len(table) == 48
    assert table.groupby("series_id")["value"].sum().to_dict() == {
        "north": float(sum(y - 2000 + m for y in (2020, 2021) for m in range(1, 13))), "south": 2.0 * 78 * 2}
    assert table["timestamp"].min() == pd.Timestamp("2020-01-01") and table["timestamp"].max() == pd.Timestamp("2021-12-01")
