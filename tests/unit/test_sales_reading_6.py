"""Sales tables read right (realT): small hand-written files with the shape of real public exports (a bakery's
receipts with money in the thousands, receipts/orders per store per day, demand with trailing spaces, order lines
read as sales, year + week periods, dates with a comma before the time)."""

from __future__ import annotations

import pandas as pd

from ecom_analytics.ingest import parsing


def test_numbers_beyond_the_timestamp_range_are_not_dates_not_a_crash():
    # serial days of 2009-2024 with one stray 1,293,000 (the year 5440, beyond a nanosecond timestamp)
    serials = pd.Series([40000.0 + 200 * i for i in range(30)] + [1293000.0, None])
    got = parsing.parse_timestamps(serials)
    assert got.values.dtype == "datetime64[ns]"
    assert got.values.iloc[0] == pd.Timestamp("2009-07-06") and got.values.iloc[1] == pd.Timestamp("2010-01-22")
    assert got.values.iloc[30:].isna().all() and got.failed.tolist() == [False] * 30 + [True, False]
    # a bakery's receipts in KRW (12,800 .. 1,293,000) whose median merely looks like serial days: no dates at all
    money = pd.Series([12800.0, 15800.0, 18500.0, 23800.0, 29300.0, 1293000.0, 17000.0, 41000.0, 9900.0])
    got = parsing.parse_timestamps(money)
    assert got.values.isna().all() and got.failed.all() and got.detail == "not a date"
    assert parsing.parse_timestamps(money.map("{:.1f}".format)).failed.all()  # as text ("23800.0")


def _receipts_per_store(dates: list[str]) -> bytes:
    """Favorita's transactions.csv: date, store_nbr, transactions (receipts per store and day)."""
    lines = ["date,store_nbr,transactions"]
    for i, day in enumerate(dates):
        for store in (1, 2, 3):
            lines.append(f"{day},{store},{1000 * store + i}")
    return ("\n".join(lines) + "\n").encode()


def _orders_per_warehouse() -> bytes:
    """Rohlik's train.csv: orders per warehouse and day with holiday and shutdown flags, a user activity measure
    and an id made of warehouse and date."""
    lines = ["warehouse,date,orders,holiday_name,holiday,shutdown,mov_change,user_activity_1,id"]
    for w in ("Prague_1", "Brno_1"):
        for i in range(25):
            day = (pd.Timestamp("2021-03-01") + pd.Timedelta(days=i)).date().isoformat()
            hol = "Easter" if i == 3 else ""
            lines.append(f"{w},{day},{6000.0 + 10 * i + (500 if w == 'Brno_1' else 0)},{hol},{int(i == 3)},0,0.0,"
                         f"{1700.0 + i},{w}_{day}")
    return ("\n".join(lines) + "\n").encode()


US_DAYS = [f"{m}/{d}/2013" for m in (1, 2) for d in range(1, 21)]  # 1/13/2013 proves month first
DMY_DAYS = [f"{d:02d}-{m:02d}-2013" for m in (1, 2) for d in range(1, 29)]


def test_counts_per_store_and_day_are_the_value_of_a_sales_table():
    from ecom_analytics.ingest import pipeline

    for kind in ("sales", None):
        us = pipeline.prepare(_receipts_per_store(US_DAYS), "transactions.csv", kind=kind)
        assert us.mapping.kind == "sales"
        assert us.mapping.as_dict() == {"series_id": "store_nbr", "timestamp": "date", "value": "transactions"}
        clean = pipeline.process(us).cleaning.clean
        assert len(clean) == 120 and clean["timestamp"].min() == pd.Timestamp("2013-01-01")
        assert clean["timestamp"].max() == pd.Timestamp("2013-02-20")  # M/D/YYYY: 2/12 is 12 February
        assert clean.loc[clean["timestamp"] == "2013-02-12", "value"].tolist() == [1031, 2031, 3031]
        assert clean.loc[clean["series_id"] == "2", "value"].sum() == sum(2000 + i for i in range(40))
    dmy = pipeline.process(pipeline.prepare(_receipts_per_store(DMY_DAYS), "t.csv", kind="sales")).cleaning.clean
    assert dmy["timestamp"].max() == pd.Timestamp("2013-02-28") and len(dmy) == 168  # DD-MM-YYYY


def test_orders_per_warehouse_with_flags_read_as_sales_never_as_orders():
    from ecom_analytics.ingest import pipeline

    for kind in ("sales", None):
        prepared = pipeline.prepare(_orders_per_warehouse(), "train.csv", kind=kind)
        assert prepared.mapping.kind == "sales"
        m = prepared.mapping.as_dict()
        assert (m["series_id"], m["timestamp"], m["value"], m["flag"]) == ("warehouse", "date", "orders", "holiday")
        clean = pipeline.process(prepared).cleaning.clean
        assert clean["value"].sum() == 2 * sum(6000.0 + 10 * i for i in range(25)) + 25 * 500


def test_order_demand_with_trailing_spaces_and_bracketed_returns():
    from ecom_analytics.ingest import pipeline

    lines = ["Product_Code,Warehouse,Product_Category,Date,Order_Demand"]
    for i in range(12):
        lines.append(f"Product_0993,Whse_J,Category_028,2012/{1 + i % 12}/{5 + i},{100 * (i + 1)} ")
        lines.append(f"Product_0979,Whse_A,Category_028,2012/{1 + i % 12}/{5 + i},{'(50)' if i == 4 else '500'} ")
    prepared = pipeline.prepare(("\n".join(lines) + "\n").encode(), "demand.csv", kind="sales")
    m = prepared.mapping.as_dict()
    assert (m["timestamp"], m["value"], m["series_id"]) == ("Date", "Order_Demand", "Product_Code")
    clean = pipeline.process(prepared).cleaning.clean
    assert len(clean) == 24 and clean["value"].sum() == 100 * 78 + 500 * 11 - 50
    assert int(clean["is_negative"].sum()) == 1 and clean["timestamp"].max() == pd.Timestamp("2012-12-16")


def _order_lines() -> bytes:
    """Balaji's fast-food order lines: one order id per line, an item and its type, a price and a quantity."""
    lines = ["order_id,date,item_name,item_type,item_price,quantity,transaction_amount,transaction_type"]
    items = [("Vadapav", "Fastfood", 20), ("Panipuri", "Fastfood", 20), ("Cold coffee", "Beverages", 40)]
    n = 0
    for day in range(1, 21):
        for k, (item, kind, price) in enumerate(items):
            n += 1
            qty = 1 + (day + k) % 5
            lines.append(f"{n},2022-07-{day:02d},{item},{kind},{price},{qty},{qty * price},Cash")
        if day % 2 == 0:  # a second order of vadapav on even days
            n += 1
            lines.append(f"{n},2022-07-{day:02d},Vadapav,Fastfood,20,2,40,Cash")
    return ("\n".join(lines) + "\n").encode()


def test_an_order_number_is_never_a_series_key_of_order_lines_read_as_sales():
    from ecom_analytics.forecasting import sales_series
    from ecom_analytics.forecasting.run import with_keys
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.ingest.mapping import ORDER_ID_NOT_SERIES, per_row_or_date

    prepared = pipeline.prepare(_order_lines(), "balaji.csv", kind="sales")
    m = prepared.mapping.as_dict()
    assert "subseries_id" not in m and "order_id" not in m.values()
    assert (m["series_id"], m["timestamp"], m["value"], m["unit_price"]) == ("item_name", "date", "quantity",
                                                                             "item_price")
    note = next(n for n in prepared.mapping.notes if n.code == ORDER_ID_NOT_SERIES)
    assert note.params == {"column": "order_id", "series": "item_name"}
    clean = with_keys(pipeline.process(prepared).cleaning.clean, m)
    series = sales_series(clean, "D")
    assert sorted(series.ids) == ["Cold coffee", "Panipuri", "Vadapav"]  # 3 series, not 60 orders
    # revenue per day: units x price, 20 days each
    assert series.one("Cold coffee")["y"].tolist() == [40.0 * (1 + (d + 2) % 5) for d in range(1, 21)]
    assert series.one("Vadapav")["y"].tolist() == [20.0 * (1 + d % 5) + 40.0 * (d % 2 == 0) for d in range(1, 21)]
    frame = pd.read_csv(__import__("io").BytesIO(_order_lines()), dtype=str)
    assert per_row_or_date(frame, "order_id", "date") and not per_row_or_date(frame, "item_name", "date")
    # an invoice id with no series column at all: one total series, and the note says so
    lines = ["Invoice ID,Date,Total"] + [f"750-67-{8400 + i},01/{1 + i % 20:02d}/19,{10.5 + i}" for i in range(60)]
    alone = pipeline.prepare(("\n".join(lines) + "\n").encode(), "invoices.csv", kind="sales")
    assert "series_id" not in alone.mapping.as_dict()
    assert [n.params for n in alone.mapping.notes if n.code.startswith("'{column}' is (nearly)")] == \
        [{"column": "Invoice ID"}]


def test_forecast_reads_orders_without_a_customer_column(tmp_path, monkeypatch, capsys):
    import json

    from ecom_analytics.cli import main
    from ecom_analytics.cli.forecast import read_for_forecast

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    path = tmp_path / "balaji.csv"
    path.write_bytes(_order_lines())
    kind, table = read_for_forecast(path, None)
    assert kind == "orders" and len(table) == 70 and table["customer_id"].nunique() == 1
    assert table["amount"].sum() == sum(20 * (1 + d % 5) + 20 * (1 + (d + 1) % 5) + 40 * (1 + (d + 2) % 5)
                                        + 40 * (d % 2 == 0) for d in range(1, 21))
    assert table["order_id"].nunique() == 70
    out = tmp_path / "f.json"
    code = main(["forecast", str(path), "--freq", "D", "--horizon", "3", "--windows", "2", "--models", "naive",
                 "--measure", "orders", "--json", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "'balaji.csv' has no customer column; a forecast of revenue, units or orders needs none" in err
    assert "--map" not in err
    assert json.loads(out.read_text())["measure"] == "orders"


def _year_week(rows: list[tuple[int, int, int, float]]) -> bytes:
    """LMFR's weekly units per article: NUM_ART;week_of_year;year_of_calendar;QTE_VTE (semicolons)."""
    return ("NUM_ART;week_of_year;year_of_calendar;QTE_VTE\n"
            + "".join(f"{a};{w};{y};{q}\n" for a, w, y, q in rows)).encode()


def test_year_and_week_columns_are_the_period_iso_weeks():
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.ingest.reshape import YEAR_WEEK_ISO

    rows = [(art, w, y, float(w % 7 + art % 3) - (10.0 if (art, w) == (36633331, 5) else 0.0))
            for art in (36633331, 60191530) for y, weeks in ((2019, range(40, 53)), (2020, range(1, 54)))
            for w in weeks]
    prepared = pipeline.prepare(_year_week(rows), "weekly.csv", kind="sales")
    assert prepared.mapping.as_dict() == {"series_id": "NUM_ART", "timestamp": "date", "value": "QTE_VTE"}
    assert [n.code for n in prepared.raw.notes] == [YEAR_WEEK_ISO]
    clean = pipeline.process(prepared).cleaning.clean
    assert len(clean) == len(rows)
    day = dict(zip(zip(clean["series_id"], clean["value"], clean["timestamp"].dt.strftime("%Y-%m-%d")), [1] * 999))
    assert ("36633331", float(40 % 7 + 36633331 % 3), "2019-09-30") in day  # ISO week 40 of 2019: Monday 30 Sep
    assert ("60191530", float(1 % 7 + 60191530 % 3), "2019-12-30") in day  # ISO week 1 of 2020: Monday 30 Dec 2019
    assert ("60191530", float(53 % 7 + 60191530 % 3), "2020-12-28") in day  # 2020 has an ISO week 53
    assert clean["timestamp"].dt.day_of_week.eq(0).all() and clean["is_negative"].sum() == 1
    # without --kind: one row per article and week, units, no order or customer id: a sales table
    assert pipeline.prepare(_year_week(rows), "weekly.csv").mapping.as_dict() == prepared.mapping.as_dict()


def test_weeks_counted_from_zero_take_the_numbering_that_gives_every_week():
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.ingest.reshape import YEAR_WEEK_SUNDAY, combine_year_week

    # 2017 starts on a Sunday and has a week 53 but no week 0; 2018 (starting on a Monday) has a week 0: only weeks
    # that start on Sunday (%U) give both, as in LMFR's export
    rows = [(1, w, 2017, 1.0 + w) for w in range(1, 54)] + [(1, w, 2018, 2.0 + w) for w in range(0, 53)]
    frame = pd.read_csv(__import__("io").BytesIO(_year_week(rows)), sep=";", dtype=str)
    out, notes = combine_year_week(frame)
    assert notes[0].code == YEAR_WEEK_SUNDAY and notes[0].params == {"year": "year_of_calendar",
                                                                     "week": "week_of_year"}
    dates = dict(zip(zip(frame["year_of_calendar"], frame["week_of_year"]), out["date"]))
    assert dates[("2017", "1")] == "2017-01-01" and dates[("2017", "53")] == "2017-12-31"
    assert dates[("2018", "0")] == "2017-12-31"  # the days of 2018 before its first Sunday: the same week
    assert dates[("2018", "1")] == "2018-01-07" and dates[("2018", "52")] == "2018-12-30"
    prepared = pipeline.prepare(_year_week(rows), "lmfr.csv", kind="sales")
    clean = pipeline.process(prepared).cleaning.clean
    assert len(clean) == len(rows) and clean["value"].sum() == sum(r[3] for r in rows)
    # a table with a date of its own keeps it: year and week only repeat it
    assert combine_year_week(frame.assign(day="2018-01-02")) is None


def test_a_comma_between_date_and_time_keeps_the_day_and_month_rules():
    # a Dutch form export: D-M-YYYY, a comma, then the time; 13-3 proves day first
    got = parsing.parse_timestamps(pd.Series(["6-3-2026, 13:06:15", "13-3-2026, 09:00:01", "1-4-2026, 18:30:00", ""]))
    assert got.values.tolist()[:3] == [pd.Timestamp("2026-03-06 13:06:15"), pd.Timestamp("2026-03-13 09:00:01"),
                                       pd.Timestamp("2026-04-01 18:30:00")]
    assert got.failed.tolist() == [False] * 4 and got.detail == "DD-MM-YYYY HH:mm:ss"
    assert [n.params for n in got.notes if n.code == parsing.DAY_MONTH_ORDER] == [{"format": "DD-MM-YYYY HH:mm:ss"}]
    # month first when a second part above 12 says so (a browser's en-US toLocaleString without AM/PM)
    us = parsing.parse_timestamps(pd.Series(["06/03/2026, 13:06", "3/13/2026, 9:00"]))
    assert us.values.tolist() == [pd.Timestamp("2026-06-03 13:06"), pd.Timestamp("2026-03-13 09:00")]
    # a comma elsewhere is not touched: "Apr 20, 2021" still reads by its own format
    assert parsing.parse_timestamps(pd.Series(["Apr 20, 2021 07:49"])).values[0] == pd.Timestamp("2021-04-20 07:49")


def test_on_a_few_days_of_sales_a_brand_seen_on_few_dates_is_no_order_number():
    from ecom_analytics.ingest.mapping import per_row_or_date

    # three days of a shop's lines (realC's multi-platform sheet): 3 brands, each on one or two of the days
    rows = [("2022-01-01", "Jack"), ("2022-01-01", "Jack"), ("2022-01-01", "Sept"), ("2022-01-02", "Sept"),
            ("2022-01-02", "Bell"), ("2022-01-02", "Bell"), ("2022-01-03", "Bell"), ("2022-01-03", "Bell")]
    frame = pd.DataFrame(rows, columns=["date", "brand"])
    assert not per_row_or_date(frame, "brand", "date")  # 1.7 dates a brand, but the table has only 3 dates
    # the same shape over 20 days is an id of one date's lines
    many = pd.DataFrame([(f"2022-01-{d:02d}", f"B{d}") for d in range(1, 21) for _ in range(3)], columns=["date", "n"])
    assert per_row_or_date(many, "n", "date")
