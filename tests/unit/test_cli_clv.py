"""``python -m ecom_analytics clv``: the JSON and CSV of issue #20, and bad arguments."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.predict import clv
from ecom_analytics.cli import main
from tests.unit.test_clv import simulate_orders


@pytest.fixture(scope="module")
def orders_file(tmp_path_factory):
    orders, end = simulate_orders(n=600, seed=5)
    orders = orders.sort_values("timestamp").reset_index(drop=True)
    orders["customer_id"] = orders["customer_id"].replace({"s1": "=HYPERLINK(1)"})  # must reach the CSV as text
    orders.insert(1, "order_id", [f"o{i}" for i in range(len(orders))])
    orders["amount"] = orders["amount"].round(2)
    path = tmp_path_factory.mktemp("clv") / "orders.csv"
    orders.rename(columns={"timestamp": "order_date"}).to_csv(path, index=False)
    return path, orders, end


def test_clv_json_and_csv(orders_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    path, orders, end = orders_file
    out_json, out_csv = tmp_path / "clv.json", tmp_path / "clv.csv"
    code = main(["clv", "--orders", str(path), "--calibration-end", f"{end:%Y-%m-%d}", "--unit", "weeks",
                 "--months", "6", "--discount-rate", "0.02", "--json", str(out_json), "--out", str(out_csv)])
    assert code == 0
    summary = json.loads(out_json.read_text())
    assert summary["calibration_end"] == f"{end:%Y-%m-%d}" and summary["unit"] == "weeks"
    assert set(summary["bgnbd"]) >= {"r", "alpha", "a", "b", "log_likelihood"}
    assert set(summary["gamma_gamma"]) >= {"p", "q", "v"}
    # the same numbers as the library on the same orders
    run = clv.run_clv(orders, end, "weeks", 6, 0.02)
    assert summary["customers"] == len(run.customers)
    for name, value in run.bgnbd.params_.items():
        assert summary["bgnbd"][name] == pytest.approx(value, rel=1e-6)
    for name, value in run.gamma_gamma.params_.items():
        assert summary["gamma_gamma"][name] == pytest.approx(value, rel=1e-6)
    e = summary["evaluation"]
    assert e["holdout_end"] == f"{pd.Timestamp(orders['timestamp'].max()):%Y-%m-%d}"
    assert e["actual_spend"] == pytest.approx(orders.loc[orders["timestamp"].dt.normalize() > end, "amount"][
        orders["customer_id"].isin(run.customers.index)].sum())
    assert [d["decile"] for d in e["deciles"]] == list(range(1, 11))
    assert "reading" in e and "per_customer" not in e
    table = pd.read_csv(out_csv, dtype={"customer_id": str})
    assert len(table) == len(run.customers)
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    assert table["clv"].is_monotonic_decreasing
    assert table["clv"].sum() == pytest.approx(run.customers["clv"].sum(), rel=1e-6)
    assert "'=HYPERLINK(1)" in set(table["customer_id"])  # escaped by the export writer
    printed = capsys.readouterr().out
    assert "Gamma-Gamma" in printed and "decile" in printed


def test_without_calibration_end_there_is_no_evaluation(orders_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    path, orders, _ = orders_file
    out_json = tmp_path / "clv.json"
    assert main(["clv", "--orders", str(path), "--unit", "days", "--json", str(out_json)]) == 0
    summary = json.loads(out_json.read_text())
    assert "evaluation" not in summary and summary["unit"] == "days"
    assert summary["calibration_end"] == f"{pd.Timestamp(orders['timestamp'].max()):%Y-%m-%d}"


@pytest.mark.parametrize("extra, words", [
    (["--discount-rate", "1.5"], "--discount-rate must be at least 0 and below 1"),
    (["--discount-rate", "-0.1"], "--discount-rate must be at least 0 and below 1"),
    (["--months", "0"], "--months must be at least 1"),
    (["--calibration-end", "2024-13-01"], "--calibration-end '2024-13-01' is not a date"),
    (["--calibration-end", "2099-01-01"], "is after the last order"),
    (["--calibration-end", "1990-01-01"], "is before the first order"),
    (["--out", "/nonexistent-folder/x.csv"], "the folder /nonexistent-folder does not exist"),
])
def test_bad_arguments_exit_2_with_one_sentence(orders_file, tmp_path, monkeypatch, capsys, extra, words):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "home"))
    path, _, _ = orders_file
    assert main(["clv", "--orders", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and err.count("\n") == 1 and "Traceback" not in err


def test_unknown_unit_is_refused_by_the_parser(orders_file, capsys):
    path, _, _ = orders_file
    with pytest.raises(SystemExit) as stop:
        main(["clv", "--orders", str(path), "--unit", "months"])
    assert stop.value.code == 2
    assert "invalid choice: 'months'" in capsys.readouterr().err
