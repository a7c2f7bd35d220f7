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
