"""A sales table with two keys (Walmart's ``Store, Dept, Date, Weekly_Sales, IsHoliday``; ``date, store, item,
sales``): the second key is found from the values, each pair is one series named by both columns, and the first
key's own series and the total are levels of the same table (CLI ``--by Store``, the page's "Per Store")."""

from __future__ import annotations

import json

import pytest

from ecom_analytics.cli import main
from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import sales_series
from ecom_analytics.forecasting.run import ForecastSettings, run, sales_level, series_of, with_keys
from ecom_analytics.i18n import translate_error
from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace

# two stores x two departments x 10 Fridays; store 1's department 2 sells 100 + week, the others less
WEEKS = [f"{d:02d}-{m:02d}-2010" for d, m in ((5, 2), (12, 2), (19, 2), (26, 2), (5, 3), (12, 3), (19, 3),
                                              (26, 3), (2, 4), (9, 4))]


def two_keys_csv() -> bytes:
    lines = ["Store,Dept,Date,Weekly_Sales,IsHoliday"]
    for store in (1, 2):
        for dept in (1, 2):
            base = {(1, 2): 100, (1, 1): 50, (2, 1): 20, (2, 2): 10}[(store, dept)]
            for week, date in enumerate(WEEKS):
                lines.append(f"{store},{dept},{date},{base + week},{'TRUE' if week == 1 else 'FALSE'}")
    return ("\n".join(lines) + "\n").encode()


def test_the_second_key_is_found_when_the_first_repeats_a_date():
    prepared = pipeline.prepare(two_keys_csv(), "train.csv")
    assert prepared.mapping.kind == "sales"
    assert prepared.mapping.as_dict() == {"series_id": "Store", "subseries_id": "Dept", "timestamp": "Date",
                                          "value": "Weekly_Sales", "flag": "IsHoliday"}
    assert prepared.mapping.choices["subseries_id"].reason.english() == (
        "'Store' repeats dates; with this column each pair has one row per date: one series per pair")
    # one row per store and date: no second key (the flag or a price is never taken for one)
    single = b"Store,Date,Weekly_Sales,Promo\n1,2010-02-05,10,0\n2,2010-02-05,20,1\n1,2010-02-12,11,1\n2,2010-02-12,21,0\n"
    assert "subseries_id" not in pipeline.prepare(single, "w.csv").mapping.as_dict()


def test_each_pair_is_a_series_and_the_first_key_and_total_are_levels():
    prepared = pipeline.prepare(two_keys_csv(), "train.csv")
    clean = with_keys(pipeline.process(prepared).cleaning.clean, prepared.mapping.as_dict())
    pairs = sales_series(clean, "W")
    assert pairs.ids == ["1 · 2", "1 · 1", "2 · 1", "2 · 2"]  # largest total first: 1045, 545, 245, 145
    assert pairs.labels["1 · 2"] == "Store 1 · Dept 2"
    assert pairs.one("1 · 2")["y"].tolist() == [100.0 + w for w in range(10)]
    assert pairs.one("1 · 2")["flag"].tolist() == [0.0, 1.0] + [0.0] * 8
    stores = sales_series(clean, "W", level="group")
    assert stores.ids == ["1", "2"] and stores.labels == {"1": "Store 1", "2": "Store 2"}
    assert stores.one("1")["y"].tolist() == [150.0 + 2 * w for w in range(10)]  # 100 + w and 50 + w
    total = sales_series(clean, "W", level="total")
    assert total.one("total")["y"].tolist() == [180.0 + 4 * w for w in range(10)]
    # --by names the level: the code, the first key's column (any case), series or total
    assert [sales_level(by, clean) for by in (None, "series", "total", "group", "store", "Store")] == \
        ["series", "series", "total", "group", "group", "group"]
    with pytest.raises(InputError) as caught:
        sales_level("Dept", clean)
    assert str(caught.value) == ("A sales table is forecast per series (--by series), per Store (--by Store) or as its "
                                 "total (--by total), not by 'Dept'.")
    assert translate_error(caught.value, "zh") == \
        "销售表可按序列（--by series）、按 Store（--by Store）或按总计（--by total）预测，不能按“Dept”。"


def test_a_stored_table_keeps_its_key_names_and_the_cli_forecasts_by_store(tmp_path):
    path = tmp_path / "train.csv"
    path.write_bytes(two_keys_csv())
    ws = Workspace(tmp_path / "home")
    dataset_id = pipeline.ingest(path.read_bytes(), path.name, workspace=ws).dataset_id
    settings = ForecastSettings(horizon=2, windows=1, models=("naive",), series=None)
    done = run(ws, {"sales": dataset_id}, settings)
    assert done.result.series.ids == ["1 · 2", "1 · 1", "2 · 1", "2 · 2"]
    assert done.result.series.labels["2 · 2"] == "Store 2 · Dept 2"
    from ecom_analytics.forecasting.run import ForecastSettings as S, load_table

    _, table = load_table(ws, {"sales": dataset_id})
    assert series_of(table, "sales", S(horizon=2, by="Store", series=None)).ids == ["1", "2"]
    out = tmp_path / "by_store.json"
    assert main(["forecast", str(path), "--horizon", "2", "--windows", "1", "--models", "naive", "--by", "Store",
                 "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["n_series"] == 2
    assert main(["forecast", str(path), "--horizon", "2", "--windows", "1", "--models", "naive", "--by", "Dept"]) == 2


def test_a_german_weekly_table_of_branches_and_departments_is_read_the_same():
    # the same table as a German export would write it: cp1252, semicolons, decimal commas, DD.MM.YYYY, ja/nein
    lines = ["Filiale;Abteilung;Datum;Wochenumsatz (€);Feiertag"]
    for store in (1, 2):
        for dept in (1, 2):
            base = {(1, 2): 100, (1, 1): 50, (2, 1): 20, (2, 2): 10}[(store, dept)]
            for week, date in enumerate(WEEKS):
                lines.append(f"{store};{dept};{date.replace('-', '.')};{base + week},50;{'ja' if week == 1 else 'nein'}")
    prepared = pipeline.prepare(("\n".join(lines) + "\n").encode("cp1252"), "umsatz.csv")
    assert prepared.mapping.kind == "sales"
    assert prepared.mapping.as_dict() == {"series_id": "Filiale", "subseries_id": "Abteilung", "timestamp": "Datum",
                                          "value": "Wochenumsatz (€)", "flag": "Feiertag"}
    clean = with_keys(pipeline.process(prepared).cleaning.clean, prepared.mapping.as_dict())
    pairs = sales_series(clean, "W")
    assert pairs.labels["1 · 2"] == "Filiale 1 · Abteilung 2"
    assert pairs.one("1 · 2")["y"].tolist() == [100.5 + w for w in range(10)]
    assert pairs.one("1 · 2")["flag"].tolist() == [0.0, 1.0] + [0.0] * 8
