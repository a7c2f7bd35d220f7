"""``python -m ecom_analytics forecast`` (ecom_analytics.cli) on small hand-made files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.cli import main

STAT = {"naive", "seasonal_naive", "snaive_level", "ets", "theta", "ets_theta", "fourier", "gbm", "auto"}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))


@pytest.fixture()
def monthly_csv(tmp_path):
    """48 months of a trend with a yearly pattern and noise (ds, y), like the US retail file."""
    t = np.arange(48)
    y = 1000 + 5 * t + 300 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(3).normal(0, 10, 48)
    path = tmp_path / "monthly.csv"
    pd.DataFrame({"ds": pd.date_range("2019-01-01", periods=48, freq="MS").strftime("%Y-%m-%d"),
                  "y": y.round(2)}).to_csv(path, index=False)
    return path


@pytest.fixture()
def orders_csv(tmp_path):
    """An Online Retail style export: products A and B sold every Tuesday for 30 weeks, A twice as much."""
    days = pd.date_range("2024-01-02", periods=30, freq="7D")
    lines = []
    for i, day in enumerate(days):
        lines.append(f"{2 * i + 1},A,Apple,{4 + i % 3},{day:%Y-%m-%d} 10:00,2.50,100,United Kingdom")
        lines.append(f"{2 * i + 2},B,Bread,{2 + i % 2},{day:%Y-%m-%d} 11:00,1.00,200,France")
    path = tmp_path / "orders.csv"
    path.write_text("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_forecast_writes_the_summary_json(monthly_csv, tmp_path, capsys):
    out = tmp_path / "forecast.json"
    code = main(["forecast", str(monthly_csv), "--horizon", "6", "--windows", "2", "--json", str(out)])
    assert code == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert {"freq", "horizon", "windows", "n_series", "models", "best_model"} <= set(summary)
    assert (summary["freq"], summary["horizon"], summary["windows"], summary["n_series"]) == ("M", 6, 2, 1)
    assert set(summary["models"]) == STAT - {"gbm"}  # one short series is no panel for the global model
    for name, metrics in summary["models"].items():
        assert {"mae", "rmse", "mase", "smape"} <= set(metrics), name
        assert metrics["rmse"] >= metrics["mae"] > 0 and 0 < metrics["smape"] < 200
    assert summary["best_model"] == min(summary["models"], key=lambda m: (summary["models"][m]["mase"],
                                                                            summary["models"][m]["smape"]))
    # a trend with a pattern: the seasonal models beat repeating the last month
    assert summary["models"]["seasonal_naive"]["mase"] < summary["models"]["naive"]["mase"]
    printed = capsys.readouterr().out
    assert printed.startswith("sales: 1 series of value per M, horizon 6, 2 backtest windows")
    assert f"best: {summary['best_model']}" in printed
    # and why auto chose what it did, in a sentence without the page's markdown
    why = next(line for line in printed.splitlines() if line.startswith("auto, "))
    assert "Auto " in why and "**" not in why and "earlier forecasts" in why


def test_forecast_orders_by_product_units_weekly(orders_csv, tmp_path):
    out = tmp_path / "products.json"
    code = main(["forecast", str(orders_csv), "--kind", "orders", "--measure", "units", "--by", "product",
                 "--freq", "w", "--horizon", "3", "--windows", "2", "--models", "naive,theta", "--json", str(out)])
    assert code == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert (summary["freq"], summary["n_series"], summary["measure"], summary["level"]) == ("W", 2, "units", "product")
    assert set(summary["models"]) == {"naive", "theta"}


def test_horizon_longer_than_the_history_exits_2(monthly_csv, capsys):
    code = main(["forecast", str(monthly_csv), "--horizon", "60"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not shorter than the history" in err and err.count("\n") == 1


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["forecast", str(tmp_path / "nope.csv"), "--horizon", "3"]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_unknown_model_exits_2(monthly_csv, capsys):
    assert main(["forecast", str(monthly_csv), "--horizon", "3", "--models", "naive,prophet"]) == 2
    assert "Unknown model(s) prophet" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--freq", "Q", "--horizon", "3"], ["--horizon", "x"], []])
def test_bad_arguments_exit_2(monthly_csv, argv):
    with pytest.raises(SystemExit) as info:
        main(["forecast", str(monthly_csv), *argv])
    assert info.value.code == 2


@pytest.fixture()
def stores_csv(tmp_path):
    """Three stores, 40 weeks each, store 1 ten times store 3's sales, a holiday flag."""
    rows = []
    for store, size in ((1, 1000.0), (2, 500.0), (3, 100.0)):
        for i, day in enumerate(pd.date_range("2023-01-02", periods=40, freq="W-MON")):
            rows.append(f"{store},{day:%Y-%m-%d},{size + 10 * (i % 4)},{'TRUE' if i % 13 == 0 else 'FALSE'}")
    path = tmp_path / "stores.csv"
    path.write_text("Store,Date,Weekly_Sales,IsHoliday\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_by_total_sums_the_stores_of_a_sales_table(stores_csv, tmp_path, capsys):
    out = tmp_path / "total.json"
    assert main(["forecast", str(stores_csv), "--by", "total", "--horizon", "4", "--windows", "2",
                 "--models", "naive", "--json", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["n_series"] == 1 and summary["level"] == "total"
    # week 1 of the total: 1000 + 500 + 100 + 3 * 10 * (1 % 4) = 1630; the naive backtest MAE is then known
    assert capsys.readouterr().out.startswith("sales: 1 series of value per W")


def test_series_all_and_a_number(stores_csv, tmp_path):
    out = tmp_path / "s.json"
    assert main(["forecast", str(stores_csv), "--series", "2", "--horizon", "4", "--windows", "2", "--models", "naive",
                 "--json", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["n_series"] == 2 and any("the 2 series with the largest total of 3" in n for n in summary["notes"])
    assert main(["forecast", str(stores_csv), "--series", "all", "--horizon", "4", "--windows", "2", "--models",
                 "naive", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["n_series"] == 3


@pytest.mark.parametrize("argv, message", [(["--series", "0"], "--series takes a number"),
                                           (["--holidays", "Atlantis"], "No holiday calendar for 'Atlantis'"),
                                           (["--by", "product"], "per series (--by series) or as its total")])
def test_bad_series_holidays_and_level_exit_2(stores_csv, capsys, argv, message):
    assert main(["forecast", str(stores_csv), "--horizon", "4", *argv]) == 2
    assert message in capsys.readouterr().err


def test_reconcile_prints_accuracy_per_level(orders_csv, capsys):
    assert main(["forecast", str(orders_csv), "--kind", "orders", "--by", "product", "--horizon", "3", "--windows", "2",
                 "--models", "naive,theta", "--reconcile"]) == 0
    out = capsys.readouterr().out
    assert "reconciliation of naive (total and 2 series below it)" in out
    for level in ("total", "bottom"):
        for method in ("base", "bottom_up", "mint"):
            assert f"  {level:<7} {method:<10} MAE" in out
    assert main(["forecast", str(orders_csv), "--kind", "orders", "--horizon", "3", "--reconcile"]) == 2
